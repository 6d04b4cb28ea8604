"""Competitor: price pressure and other offers (the 9% survey reason).

Buying only on discount, shrinking baskets, complaints about price, and contacts whose topic
mentions prices or competitors (keywords in `pipeline.yaml`, so CRMs in any language can say it).
"""

from __future__ import annotations

import numpy as np

from features.events import CustomerEvents, inbound_topic_counts, ratio


def discounted_spend_shares(purchases: CustomerEvents) -> dict[str, np.ndarray]:
    amount = purchases.values("amount")
    discounted = np.nan_to_num(purchases.values("discount_amount")) > 0
    columns = {}
    for days in (90, 365):
        window = purchases.within(days)
        columns[f"discounted_spend_share_{days}d"] = ratio(
            purchases.total(amount, window & discounted), purchases.total(amount, window)
        )
    # Against the customer's own habit: a bargain hunter always buys on discount, a customer who
    # has started to is being pulled by price.
    before = ~purchases.within(90) & purchases.within(365)
    share_before = ratio(purchases.total(amount, before & discounted), purchases.total(amount, before))
    columns["discounted_share_change_90d"] = columns["discounted_spend_share_90d"] - share_before
    return columns


def basket_size_change(purchases: CustomerEvents) -> np.ndarray:
    """Mean basket in the last 90 days against the mean basket 90 to 365 days ago, minus 1."""
    amount = purchases.values("amount")
    recent = purchases.mean(amount, purchases.within(90))
    before = purchases.mean(amount, ~purchases.within(90) & purchases.within(365))
    return ratio(recent, before) - 1


def price_complaints(complaints: CustomerEvents) -> dict[str, np.ndarray]:
    about_price = complaints.equals("category", "price")
    return {
        f"price_complaints_{days}d": complaints.count(about_price & complaints.within(days))
        for days in (90, 365)
    }


def competitor_contacts(contacts: CustomerEvents, words: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Contacts from the customer whose topic mentions other offers or our prices: the company's own
    mailings ("Seasonal price list", "Discount week") say nothing about this customer."""
    return inbound_topic_counts(contacts, words, "competitor_contacts")
