"""`build_features`: one row per customer in the population at a date, from what was known then."""

from __future__ import annotations

import pandas as pd

from features.activity import activity_features
from features.config import load_feature_declarations
from features.timeline import (
    cutoff_instant,
    known_at,
    label_cancellation,
    label_inactivity,
    population,
    training_cutoffs,
)


def build_features(
    tables: dict[str, pd.DataFrame], as_of: str | pd.Timestamp, lookback_days: int = 365
) -> pd.DataFrame:
    """Features of every customer in the population at `as_of` (see `features.timeline`).

    Only events strictly before the cutoff instant (00:00 UTC after `as_of`) are read; later rows in
    `tables` are ignored, so a full history can be backtested at any past date.

    Returns:
        A frame indexed by customer_id with one column per declared feature that the given tables
        can support; a feature whose source table is absent is left out, never zero-filled.
    """
    cutoff = cutoff_instant(as_of)
    ids = population(tables, as_of, lookback_days)
    orders = known_at(tables["orders"], "ordered_at", cutoff)
    customers = tables.get("customers")
    features = activity_features(orders, customers, ids, cutoff)
    _check_declared(features.columns)
    return features


def _check_declared(columns: pd.Index) -> None:
    undeclared = sorted(set(columns) - set(load_feature_declarations()))
    if undeclared:
        raise RuntimeError(f"features built but not declared in configs/reasons.yaml: {undeclared}")


def build_training_set(
    tables: dict[str, pd.DataFrame],
    as_of: str | pd.Timestamp,
    horizon_days: int,
    cutoff_count: int,
    definition: str = "inactivity",
    lookback_days: int = 365,
) -> pd.DataFrame:
    """One row per (customer, cutoff) over the month ends whose labels are complete at `as_of`.

    Each cutoff's rows come from `build_features` for that date, exactly as a scoring run on that
    date would build them, plus `cutoff` (the as-of date) and `churned` (the label).
    """
    labeller = {"inactivity": label_inactivity, "cancellation": label_cancellation}.get(definition)
    if labeller is None:
        raise ValueError(f"unknown churn definition {definition!r}; use inactivity or cancellation")
    frames = []
    for cutoff_day in training_cutoffs(as_of, horizon_days, cutoff_count):
        features = build_features(tables, cutoff_day, lookback_days)
        labels = labeller(tables, features.index, cutoff_day, horizon_days)
        frames.append(features.assign(cutoff=cutoff_day, churned=labels).set_index("cutoff", append=True))
    if not frames:
        raise ValueError(f"no month end before {as_of} leaves a complete {horizon_days}-day label window")
    return pd.concat(frames)
