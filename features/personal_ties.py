"""Personal ties: the people who brought the customer in have gone (the 5% survey reason).

A weak signal by nature: the one trace a CRM keeps of a personal tie is who referred whom. The
referrer's activity is a cross-customer fact, computed from every customer's purchases (not only
the population's) and looked up per referred customer.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from features.events import CustomerEvents

REFERRER_INACTIVE_DAYS = 90


def referrer_features(
    customers: pd.DataFrame,
    orders: pd.DataFrame,
    ids: pd.Index,
    cutoff: pd.Timestamp,
    present: set[str],
) -> dict[str, np.ndarray]:
    """Whether each customer's referrer has stopped buying, and how long ago they last bought."""
    one_row_each = customers.drop_duplicates("customer_id").set_index("customer_id")
    referrer = one_row_each["referred_by"].reindex(ids)
    referred = referrer.notna().to_numpy()
    referrers = pd.Index(referrer.dropna().unique())
    # The referrers' own orders, whoever they are (in the population or long gone).
    their_orders = CustomerEvents.at_cutoff(orders, "ordered_at", referrers, cutoff, ("amount",))
    bought = their_orders.subset(their_orders.values("amount") >= 0)
    last_purchase_age = np.append(bought.smallest(bought.age), np.nan)
    referrer_age = last_purchase_age[referrers.get_indexer(referrer)]  # not referred: -1 picks NaN
    inactive = ~(referrer_age <= REFERRER_INACTIVE_DAYS)  # no purchase at all counts as inactive
    if "customers.cancelled_at" in present:
        cancelled_at = one_row_each["cancelled_at"].reindex(referrer.to_numpy())
        inactive |= (cancelled_at < cutoff).to_numpy(dtype=bool)
    return {
        "referrer_inactive": np.where(referred, inactive.astype(float), np.nan),
        "referrer_days_since_last_order": np.where(referred, referrer_age, np.nan),
    }
