"""Personal ties: the people who brought the customer in have gone (the 5% survey reason).

A weak signal by nature. The traces a CRM keeps of a personal tie are who referred whom, and what
the contacts say: a friend or relative of the customer in the trade, or the customer's own buyer or
director changing. The referrer's activity is a cross-customer fact, computed from every customer's
purchases (not only the population's) and looked up per referred customer.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from features.events import CustomerEvents, topic_contacts

REFERRER_INACTIVE_DAYS = 90
PERSONAL_TIES_DAYS = 365


def personal_ties_contacts(contacts: CustomerEvents, words: tuple[str, ...]) -> np.ndarray:
    """Contacts of the last year, either way, about a personal tie: a rep's note of a call counts as
    much as the customer's own message."""
    return topic_contacts(contacts, words, PERSONAL_TIES_DAYS)


def referrer_features(
    customers: pd.DataFrame, ids: pd.Index, activity: pd.DataFrame
) -> dict[str, np.ndarray]:
    """Whether each customer's referrer has stopped buying, and how long ago they last bought.

    `activity` is `customer_activity` of (at least) every referrer at the same cutoff.
    """
    one_row_each = customers.drop_duplicates("customer_id").set_index("customer_id")
    referrer = one_row_each["referred_by"].reindex(ids)
    referred = referrer.notna().to_numpy()
    theirs = activity.reindex(referrer.to_numpy())  # not referred, or never bought: NaN
    referrer_age = theirs["days_since_last_purchase"].to_numpy(dtype=float)
    inactive = ~(referrer_age <= REFERRER_INACTIVE_DAYS)  # no purchase at all counts as inactive
    inactive |= theirs["cancelled"].to_numpy(dtype=bool, na_value=False)
    return {
        "referrer_inactive": np.where(referred, inactive.astype(float), np.nan),
        "referrer_days_since_last_order": np.where(referred, referrer_age, np.nan),
    }


def referrers_of(customers: pd.DataFrame, ids: pd.Index) -> pd.Index:
    """The distinct referrers of the customers in `ids`."""
    one_row_each = customers.drop_duplicates("customer_id").set_index("customer_id")
    return pd.Index(one_row_each["referred_by"].reindex(ids).dropna().unique(), name="customer_id")


def customer_activity(
    customers: pd.DataFrame,
    orders: pd.DataFrame,
    who: pd.Index,
    cutoff: pd.Timestamp,
    present: set[str],
) -> pd.DataFrame:
    """Per customer in `who`: days since their last purchase at `cutoff` (NaN: none yet) and whether
    they had cancelled by then. The small cross-customer table the referrer features look up; a
    partitioned run builds it per partition and shares the referrers' rows with every partition."""
    their_orders = CustomerEvents.at_cutoff(orders, "ordered_at", who, cutoff, ("amount",))
    bought = their_orders.subset(their_orders.values("amount") >= 0)
    cancelled = np.zeros(len(who), dtype=bool)
    if "customers.cancelled_at" in present:
        one_row_each = customers.drop_duplicates("customer_id").set_index("customer_id")
        cancelled = (one_row_each["cancelled_at"].reindex(who) < cutoff).to_numpy(dtype=bool)
    return pd.DataFrame(
        {"days_since_last_purchase": bought.smallest(bought.age), "cancelled": cancelled},
        index=pd.Index(who, name="customer_id"),
    )
