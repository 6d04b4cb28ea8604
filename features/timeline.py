"""Cutoffs, the population scored at a cutoff, and churn labels: where time enters the pipeline.

The boundary, used everywhere: features "as of" a date D see the events with a timestamp strictly
before the *cutoff instant*, 00:00 UTC of the day after D. An event at 23:59:59 UTC on D is known at
D; one at 00:00:00 UTC on D+1 is not. Labels look at the horizon that starts at the cutoff instant:
[cutoff, cutoff + horizon_days).
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd

from features.errors import ChurnError, ConfigError
from features.parsing import is_in

DAY = pd.Timedelta(days=1)


def parse_day(text: str, option: str) -> pd.Timestamp:
    """A YYYY-MM-DD date given as `option` (`--as-of`, `as_of`), or one line saying what is wrong."""
    try:
        return pd.Timestamp(date.fromisoformat(text))
    except ValueError as error:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            raise ChurnError(f"{option} {text!r}: no such day in the calendar ({error})") from error
        raise ChurnError(f"{option} {text!r}: expected a date as YYYY-MM-DD") from error


def cutoff_instant(as_of: str | pd.Timestamp) -> pd.Timestamp:
    """The first instant after the as-of day (UTC): events before it are known at `as_of`."""
    day = pd.Timestamp(as_of)
    day = day.tz_convert("UTC") if day.tzinfo is not None else day.tz_localize("UTC")
    return day.normalize() + DAY


DATA_REACH_TOLERANCE = pd.Timedelta(days=7)  # a quiet week at the end of the data is still data


def data_falls_short(tables: dict[str, pd.DataFrame], as_of: str | pd.Timestamp) -> str | None:
    """Why the orders do not reach `as_of` (they end over a week before it), or None when they do.

    Weeks with no data would read as every customer going silent: fake churn in labels, fake risk
    in scores.
    """
    return orders_fall_short(tables["orders"]["ordered_at"].max(), as_of)


def orders_fall_short(last_order: pd.Timestamp | None, as_of: str | pd.Timestamp) -> str | None:
    """`data_falls_short` given the last order's time (a partitioned run knows only that)."""
    if last_order is None or pd.isna(last_order):
        return "the orders table has no order"
    if last_order < cutoff_instant(as_of) - DATA_REACH_TOLERANCE:
        return (
            f"the orders end on {last_order:%Y-%m-%d}, more than {DATA_REACH_TOLERANCE.days} days before "
            f"--as-of {pd.Timestamp(as_of):%Y-%m-%d}"
        )
    return None


def known_at(events: pd.DataFrame, time_column: str, cutoff: pd.Timestamp) -> pd.DataFrame:
    """The events a pipeline may use at `cutoff`: strictly before the cutoff instant."""
    return events[events[time_column] < cutoff]


def purchases(orders: pd.DataFrame) -> pd.DataFrame:
    """Orders proper: a row with a negative amount records a return, not a purchase."""
    return orders[~(orders["amount"] < 0)]


def population(
    tables: dict[str, pd.DataFrame], as_of: str | pd.Timestamp, lookback_days: int = 365
) -> pd.Index:
    """Customers scored at `as_of`: an order by then, one within `lookback_days`, not cancelled.

    A customer whose `cancelled_at` lies before the cutoff instant has already left; one whose
    contract ends later is still in (and may be labelled a churner by the cancellation definition).
    """
    cutoff = cutoff_instant(as_of)
    orders = tables["orders"]
    purchase_known = ((orders["ordered_at"] < cutoff) & ~(orders["amount"] < 0)).to_numpy()
    # Group on integer codes of the ids: hashing millions of id strings per row is what costs.
    codes, distinct = pd.factorize(orders["customer_id"], use_na_sentinel=True)
    purchase_known = purchase_known & (codes >= 0)
    last_order = orders["ordered_at"][purchase_known].groupby(codes[purchase_known]).max()
    recent = (last_order >= cutoff - lookback_days * DAY).to_numpy()
    active = distinct.take(last_order.index[recent])
    if isinstance(active, pd.CategoricalIndex):
        active = active.astype(active.categories.dtype)
    active = pd.Index(active).sort_values()
    customers = tables.get("customers")
    if customers is not None and "cancelled_at" in customers:
        cancelled = customers.loc[customers["cancelled_at"] < cutoff, "customer_id"]
        active = active.difference(pd.Index(cancelled.unique()), sort=True)
    return pd.Index(active, name="customer_id")


def label_inactivity(
    tables: dict[str, pd.DataFrame], customer_ids: pd.Index, as_of: str | pd.Timestamp, horizon_days: int
) -> pd.Series:
    """1 for customers with no order in [cutoff, cutoff + horizon_days), else 0 (stores, sellers).

    A return record (negative amount) in the horizon is not an order: it does not count as staying.
    """
    cutoff = cutoff_instant(as_of)
    orders = purchases(tables["orders"])
    in_horizon = (orders["ordered_at"] >= cutoff) & (orders["ordered_at"] < cutoff + horizon_days * DAY)
    ordered_again = pd.Index(orders.loc[in_horizon, "customer_id"].unique())
    return _labels(~is_in(pd.Index(customer_ids), ordered_again), customer_ids)


def label_cancellation(
    tables: dict[str, pd.DataFrame], customer_ids: pd.Index, as_of: str | pd.Timestamp, horizon_days: int
) -> pd.Series:
    """1 for customers whose `cancelled_at` falls in [cutoff, cutoff + horizon_days) (subscriptions)."""
    customers = tables.get("customers")
    if customers is None or "cancelled_at" not in customers:
        raise ConfigError(
            "churn.definition is cancellation, which needs customers.cancelled_at, and the CRM has none; "
            "give the column or use the inactivity definition"
        )
    cutoff = cutoff_instant(as_of)
    ends = customers["cancelled_at"]
    in_horizon = (ends >= cutoff) & (ends < cutoff + horizon_days * DAY)
    cancelling = pd.Index(customers.loc[in_horizon, "customer_id"].unique())
    return _labels(is_in(pd.Index(customer_ids), cancelling), customer_ids)


def _labels(churned: np.ndarray, customer_ids: pd.Index) -> pd.Series:
    index = pd.Index(customer_ids, name="customer_id")
    return pd.Series(churned.astype(np.int8), index=index, name="churned")


def training_cutoffs(as_of: str | pd.Timestamp, horizon_days: int, count: int) -> list[pd.Timestamp]:
    """The last `count` month ends whose label window closes by the end of `as_of`, oldest first.

    A cutoff D is usable for training at `as_of` only when every label is complete:
    cutoff_instant(D) + horizon_days <= cutoff_instant(as_of).
    """
    latest_usable_day = cutoff_instant(as_of) - horizon_days * DAY - DAY
    latest = latest_usable_day.tz_localize(None).normalize()
    month_ends = pd.date_range(end=latest, periods=count + 1, freq="ME")
    month_ends = month_ends[month_ends <= latest]
    return [pd.Timestamp(day) for day in month_ends[-count:]]
