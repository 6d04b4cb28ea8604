"""Purchase-activity features at a cutoff: recency, frequency, spend and their trends.

A symptom, not a reason: they show that someone is leaving, not why. Every function gets only the
events known at the cutoff (see `features.timeline`) and the population's ids, and returns one row
per id, vectorised over all customers (integer customer codes and bincount, no per-customer loop).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from features.events import CustomerEvents, per_customer, ratio
from features.timeline import DAY

WINDOWS_DAYS = (30, 90, 180, 365)


def activity_features(
    orders: CustomerEvents, customers: pd.DataFrame | None, ids: pd.Index, cutoff: pd.Timestamp
) -> dict[str, np.ndarray]:
    """Recency, frequency and spend of each customer in `ids`, from their orders known at `cutoff`.

    A row with a negative amount is a return record: it lowers spend (spend is net) but is not an
    order, so it neither counts as one nor refreshes recency.
    """
    n = len(ids)
    amount = orders.values("amount")
    purchase = amount >= 0

    def count(mask: np.ndarray) -> np.ndarray:
        return orders.count(mask & purchase)

    def spend(mask: np.ndarray) -> np.ndarray:
        return orders.total(amount, mask)

    columns: dict[str, np.ndarray] = {}
    columns["days_since_last_order"] = orders.smallest(orders.age, purchase)
    first_order_days = orders.largest(orders.age, purchase)
    for days in WINDOWS_DAYS:
        columns[f"orders_{days}d"] = count(orders.within(days))
        columns[f"spend_{days}d"] = spend(orders.within(days))
    columns["orders_total"] = orders.count(purchase)
    columns["spend_total"] = orders.total(amount)
    columns["avg_order_value"] = ratio(columns["spend_total"], columns["orders_total"])
    previous_90d = ~orders.within(90) & orders.within(180)
    columns["orders_trend_90d"] = columns["orders_90d"] - count(previous_90d)
    columns["spend_trend_90d"] = columns["spend_90d"] - spend(previous_90d)
    columns["tenure_days"] = _tenure_days(first_order_days, customers, ids, cutoff)
    # Churn is seasonal (a quiet month ahead looks like leaving): the model needs to know when it is.
    columns["as_of_month"] = np.full(n, float((cutoff - DAY).month))
    columns["typical_gap_days"] = _typical_gap_days(orders.customer[purchase], orders.age[purchase], n)
    # A typical gap of zero (orders at the same instant) has no ratio: NaN, as for no gap.
    columns["overdue_ratio"] = ratio(columns["days_since_last_order"], columns["typical_gap_days"])
    return columns


def _tenure_days(
    first_order_days: np.ndarray, customers: pd.DataFrame | None, ids: pd.Index, cutoff: pd.Timestamp
) -> np.ndarray:
    """Days since the customer became one: sign-up when known (and known by then), else first order."""
    if customers is None or "signed_up_at" not in customers:
        return first_order_days
    signed_up = customers.drop_duplicates("customer_id").set_index("customer_id")["signed_up_at"]
    signed_up = signed_up.reindex(ids)
    signup_days = ((cutoff - signed_up) / DAY).to_numpy(dtype=float)
    signup_days = np.where(signup_days > 0, signup_days, np.nan)  # a sign-up after the cutoff is unknown
    return np.fmax(first_order_days, signup_days)


def _typical_gap_days(code: np.ndarray, age_days: np.ndarray, n: int) -> np.ndarray:
    """Median days between consecutive orders; NaN with fewer than two orders (no gap yet)."""
    order = np.lexsort((-age_days, code))  # per customer, oldest first
    code_sorted, age_sorted = code[order], age_days[order]
    same_customer = code_sorted[1:] == code_sorted[:-1]
    gaps = age_sorted[:-1][same_customer] - age_sorted[1:][same_customer]
    return per_customer(pd.Series(gaps).groupby(code_sorted[1:][same_customer]).median(), n)
