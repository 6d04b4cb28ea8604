"""Product quality: complaints, returns and low satisfaction (the 15% survey reason).

Snapshot columns are read as of the cutoff, not as exported today: a complaint resolved after the
cutoff was still open at it, and an order's `returned` flag is trusted only for orders at least
RETURN_WINDOW_DAYS old, because a return can be flagged up to then and the table does not say when.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from features.events import CustomerEvents, inbound_topic_counts, ratio
from features.timeline import DAY

CATEGORY_WINDOWS = {"quality": (90, 365), "service": (90, 365), "delivery": (90, 365)}
RETURN_WINDOW_DAYS = 30


def complaint_features(complaints: CustomerEvents, present: set[str], cutoff: pd.Timestamp) -> dict:
    columns: dict[str, np.ndarray] = {}
    has_category = "complaints.category" in present
    # Price complaints are competitor evidence, counted there; a missing category (or no category
    # column at all) counts here. That holds for the open ones and their resolution times too: else
    # an open price dispute reads "1 complaint still open" under product quality.
    not_price = ~complaints.equals("category", "price") if has_category else True
    for days in (30, 90, 365):
        columns[f"complaints_{days}d"] = complaints.count(not_price & complaints.within(days))
    if has_category:
        for name, windows in CATEGORY_WINDOWS.items():
            of_kind = complaints.equals("category", name)
            for days in windows:
                columns[f"{name}_complaints_{days}d"] = complaints.count(of_kind & complaints.within(days))
    if "complaints.resolved_at" in present:
        resolved_at = complaints.frame["resolved_at"]
        resolved_by_cutoff = (resolved_at < cutoff).to_numpy(dtype=bool)  # NaT compares False
        columns["open_complaints"] = complaints.count(not_price & ~resolved_by_cutoff)
        resolution_days = ((resolved_at - complaints.frame["opened_at"]) / DAY).to_numpy(
            dtype=float, na_value=np.nan
        )
        recent_resolved = not_price & resolved_by_cutoff & complaints.within(365)
        columns["avg_resolution_days_365d"] = complaints.mean(np.nan_to_num(resolution_days), recent_resolved)
    return columns


def returned_order_share(orders: CustomerEvents) -> np.ndarray:
    """The share of purchases returned over the last year, however the CRM shows a return: the
    larger of two shares, at most 1.

    - Flags: purchases aged more than RETURN_WINDOW_DAYS and at most 365 days flagged `returned`,
      over those purchases (the flag is a snapshot: a younger order may still be returned).
    - Records: return records (negative amounts) booked in the last 365 days, over the purchases
      of the last 365 days (a record is dated: it counts from the day it is booked).

    The larger, not the sum: a CRM may flag a purchase and also book its return record, and one
    return must not count twice. A CRM that shows some returns one way and others the other way is
    undercounted.
    """
    amount = orders.values("amount")
    purchase, record = amount >= 0, amount < 0
    year = orders.within(365)
    settled = purchase & (orders.age > RETURN_WINDOW_DAYS) & year
    flagged = ratio(orders.count(settled & orders.flag("returned")), orders.count(settled))
    recorded = ratio(orders.count(record & year), orders.count(purchase & year))
    # Empty (NaN) without a purchase aged 30 to 365 days, as for a CRM without return records: a
    # newcomer's share is not known yet. Where there is one, there are purchases in the last year.
    return np.minimum(1.0, np.maximum(flagged, recorded))


def latest_pulse_score(surveys: CustomerEvents) -> np.ndarray:
    """The latest pulse score; ties at one instant take the highest (so row order cannot matter)."""
    score = surveys.values("score")
    usable = surveys.equals("kind", "pulse") & ~np.isnan(score)
    customer, age, score = surveys.customer[usable], surveys.age[usable], score[usable]
    order = np.lexsort((-score, age, customer))  # per customer: youngest first, then highest
    customer, score = customer[order], score[order]
    first = np.r_[True, customer[1:] != customer[:-1]] if len(customer) else np.zeros(0, dtype=bool)
    out = np.full(surveys.n_customers, np.nan)
    out[customer[first]] = score[first]
    return out


def quality_contacts(contacts: CustomerEvents, words: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Contacts from the customer whose topic names a quality problem; the company's own ("Quality
    survey", "Replacement programme") are not this customer's evidence."""
    return inbound_topic_counts(contacts, words, "quality_contacts")
