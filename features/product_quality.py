"""Product quality: complaints, returns and low satisfaction (the 15% survey reason).

Snapshot columns are read as of the cutoff, not as exported today: a complaint resolved after the
cutoff was still open at it, and an order's `returned` flag is trusted only for orders at least
RETURN_WINDOW_DAYS old, because a return can be flagged up to then and the table does not say when.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from features.events import CustomerEvents, ratio
from features.timeline import DAY

CATEGORY_WINDOWS = {"quality": (90, 365), "service": (90, 365), "delivery": (90, 365)}
RETURN_WINDOW_DAYS = 30


def complaint_features(complaints: CustomerEvents, present: set[str], cutoff: pd.Timestamp) -> dict:
    columns: dict[str, np.ndarray] = {}
    has_category = "complaints.category" in present
    # Price complaints are competitor evidence, counted there; a missing category (or no category
    # column at all) counts here.
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
        columns["open_complaints"] = complaints.count(~resolved_by_cutoff)
        resolution_days = ((resolved_at - complaints.frame["opened_at"]) / DAY).to_numpy(
            dtype=float, na_value=np.nan
        )
        recent_resolved = resolved_by_cutoff & complaints.within(365)
        columns["avg_resolution_days_365d"] = complaints.mean(np.nan_to_num(resolution_days), recent_resolved)
    return columns


def returned_order_share(purchases: CustomerEvents) -> np.ndarray:
    """Share of purchases aged more than RETURN_WINDOW_DAYS and at most 365 days flagged returned."""
    settled = (purchases.age > RETURN_WINDOW_DAYS) & purchases.within(365)
    return ratio(purchases.count(settled & purchases.flag("returned")), purchases.count(settled))


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
