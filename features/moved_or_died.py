"""Moved or died: the customer is no longer where the business serves them (the 4% survey reason).

Read from where orders were delivered over time, and from contacts about moving, closing down or a
death (`features.topic_keywords.relocation`). `customers.region` is not used: it is today's region,
which at a past cutoff would tell of moves still to come.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from features.events import CustomerEvents, topic_contacts
from features.topics import folded

REGION_CHANGE_DAYS = 180


def region_name(value) -> str:
    """A region as typed by hand reads as one: without case, diacritics or punctuation, so
    "Chișinău" (comma below), "Chişinău" (cedilla, as older keyboards write it) and "CHISINAU" are
    one place, as are "Cluj-Napoca" and "cluj napoca ". Empty when nothing is left."""
    return " ".join(re.split(r"[\W_]+", folded(str(value)))).strip()


def region_changed(purchases: CustomerEvents) -> np.ndarray:
    """1 when a purchase in the last 180 days went to another region than the one before it."""
    # Coded in the order of `region_name`, so ties at one instant sort the same whatever the row
    # order. The text work runs once per distinct value, not per order.
    codes, distinct = pd.factorize(purchases.frame["region"], use_na_sentinel=True)
    names = np.array([region_name(value) for value in distinct], dtype=object)
    sorted_texts, rank = np.unique(names, return_inverse=True) if len(names) else (names, names)
    rank = np.where(sorted_texts[rank] == "", -1, rank) if len(names) else np.zeros(0, dtype=np.int64)
    region = np.where(codes >= 0, np.append(rank, -1)[codes], -1)
    with_region = region >= 0
    customer, age, region = purchases.customer[with_region], purchases.age[with_region], region[with_region]
    order = np.lexsort((region, -age, customer))  # per customer: oldest first
    customer, age, region = customer[order], age[order], region[order]
    same_customer = customer[1:] == customer[:-1]
    moved = same_customer & (region[1:] != region[:-1]) & (age[1:] <= REGION_CHANGE_DAYS)
    changed = np.zeros(purchases.n_customers)
    changed[customer[1:][moved]] = 1.0
    return changed


def relocation_contacts(contacts: CustomerEvents, words: tuple[str, ...]) -> np.ndarray:
    return topic_contacts(contacts, words, REGION_CHANGE_DAYS)
