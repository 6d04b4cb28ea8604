"""Indifference: the company stopped reaching out, or stopped answering (the 67% survey reason).

Evidence comes from the contacts table: how long since we last reached out, the longest silence
over the last year, requests left unanswered or answered slowly, and whether anyone followed up
after the last order. Manager changes are not derivable: `customers.manager_id` is a snapshot of
today's manager, with no history of who it was at a past cutoff.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from features.events import CustomerEvents, ratio

GAP_WINDOW_DAYS = 365


def indifference_features(
    contacts: CustomerEvents,
    present: set[str],
    tenure_days: np.ndarray,
    days_since_last_order: np.ndarray,
) -> dict[str, np.ndarray]:
    """Contact-gap features; `present` lists the contract columns ("table.column") in the CRM."""
    columns: dict[str, np.ndarray] = {}
    outbound = (contacts.frame["direction"] == "outbound").to_numpy(dtype=bool)
    inbound = (contacts.frame["direction"] == "inbound").to_numpy(dtype=bool)

    columns["days_since_last_outbound"] = contacts.smallest(contacts.age, outbound)  # NaN: never
    window = np.minimum(float(GAP_WINDOW_DAYS), tenure_days)
    in_window = outbound & (contacts.age <= window[contacts.customer])
    columns["longest_outbound_gap_365d"] = _longest_gap(contacts, in_window, window)
    columns["avg_outbound_gap_365d"] = window / (contacts.count(in_window) + 1)
    columns["outbound_contacts_90d"] = contacts.count(outbound & contacts.within(90))

    last_year_requests = inbound & contacts.within(365)
    if "contacts.response_hours" in present:
        hours = contacts.values("response_hours")
        # contacted_at + response_hours < cutoff, in the request's age: an answer dated at or after
        # the cutoff had not happened yet, so the request was still open then. NaN compares False.
        answered_before_cutoff = hours < contacts.age * 24
        answered_in_time = last_year_requests & answered_before_cutoff
        columns["avg_response_hours_365d"] = contacts.mean(np.nan_to_num(hours), answered_in_time)
        if "contacts.answered" in present:
            answered = contacts.flag("answered") & (answered_before_cutoff | np.isnan(hours))
            unanswered = contacts.count(last_year_requests & ~answered)
            columns["unanswered_requests_365d"] = unanswered
            columns["unanswered_request_share_365d"] = ratio(unanswered, contacts.count(last_year_requests))

    # Follow-up: the first outbound touch after the last purchase (strictly later: a younger age).
    after_last_order = outbound & (contacts.age < days_since_last_order[contacts.customer])
    latest_touch_before_that = contacts.largest(contacts.age, after_last_order)
    columns["days_to_followup_after_last_order"] = np.where(
        np.isnan(latest_touch_before_that),
        days_since_last_order,  # no follow-up yet: the days waited so far
        days_since_last_order - latest_touch_before_that,
    )
    return columns


def _longest_gap(contacts: CustomerEvents, touches: np.ndarray, window: np.ndarray) -> np.ndarray:
    """Longest stretch between the window's opening, each touch inside it, and the cutoff."""
    customer, age = contacts.customer[touches], contacts.age[touches]
    order = np.lexsort((age, customer))
    customer, age = customer[order], age[order]
    first = np.r_[True, customer[1:] != customer[:-1]]
    last = np.r_[customer[1:] != customer[:-1], True]
    # Between touches (each gap ends at the younger touch), from the cutoff to the youngest touch,
    # and from the oldest touch back to the window's opening.
    between = np.r_[0.0, age[1:] - age[:-1]]
    gaps = np.where(first, age, between)
    longest = np.asarray(window, dtype=float).copy()  # no touch: the whole window
    if len(customer):
        per_customer = pd.Series(gaps).groupby(customer).max()
        longest[per_customer.index.to_numpy()] = per_customer.to_numpy()
        opening_gap = window[customer[last]] - age[last]
        longest[customer[last]] = np.maximum(longest[customer[last]], opening_gap)
    return longest
