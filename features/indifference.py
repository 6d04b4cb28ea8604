"""Indifference: the company stopped reaching out, or stopped answering (the 67% survey reason).

Evidence comes from the contacts table: how long since we last reached out, the longest silence
over the last year, requests left unanswered or answered slowly, customers chasing an answer, and
whether anyone followed up after the last order. Manager changes are read from the contacts'
topics (an introduction from a new manager, a handover, "who is our manager now?"):
`customers.manager_id` is a snapshot of today's manager, with no history of who it was at a past
cutoff.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from features.events import CustomerEvents, inbound_topic_counts, per_customer, ratio, topic_contacts

GAP_WINDOW_DAYS = 365
ANSWER_SETTLE_DAYS = 7


def indifference_features(
    contacts: CustomerEvents,
    present: set[str],
    cutoff: pd.Timestamp,
    tenure_days: np.ndarray,
    days_since_last_order: np.ndarray,
) -> dict[str, np.ndarray]:
    """Contact-gap features; `present` lists the contract columns ("table.column") in the CRM and
    which directions it logs at all ("contacts.direction=outbound")."""
    columns: dict[str, np.ndarray] = {}
    outbound = contacts.equals("direction", "outbound")
    inbound = contacts.equals("direction", "inbound")

    if "contacts.direction=outbound" in present:
        columns |= _outbound_features(contacts, outbound, tenure_days, days_since_last_order)
    if "contacts.direction=inbound" in present:
        columns |= _request_features(contacts, inbound, present, cutoff)
    return columns


def _outbound_features(
    contacts: CustomerEvents, outbound: np.ndarray, tenure_days: np.ndarray, days_since_last_order: np.ndarray
) -> dict[str, np.ndarray]:
    columns = {"days_since_last_outbound": contacts.smallest(contacts.age, outbound)}  # NaN: never
    window = np.minimum(float(GAP_WINDOW_DAYS), tenure_days)
    in_window = outbound & (contacts.age <= window[contacts.customer])
    columns["longest_outbound_gap_365d"] = _longest_gap(contacts, in_window, window)
    columns["avg_outbound_gap_365d"] = window / (contacts.count(in_window) + 1)
    columns["outbound_contacts_90d"] = contacts.count(outbound & contacts.within(90))
    columns["outbound_contact_change_90d"] = _outbound_change(contacts, outbound, window, columns)
    # Follow-up: the first outbound touch after the last purchase (strictly later: a younger age).
    after_last_order = outbound & (contacts.age < days_since_last_order[contacts.customer])
    latest_touch_before_that = contacts.largest(contacts.age, after_last_order)
    columns["days_to_followup_after_last_order"] = np.where(
        np.isnan(latest_touch_before_that),
        days_since_last_order,  # no follow-up yet: the days waited so far
        days_since_last_order - latest_touch_before_that,
    )
    return columns


def _outbound_change(contacts: CustomerEvents, outbound, window: np.ndarray, columns) -> np.ndarray:
    """Outbound contacts in the last 90 days minus the customer's own usual number per 90 days,
    learnt from the rest of the last year they were with us (NaN under 30 days of it): silence
    measured against how often this customer used to hear from us, not against everyone."""
    earlier_days = window - 90
    earlier = outbound & ~contacts.within(90) & (contacts.age <= window[contacts.customer])
    with np.errstate(divide="ignore", invalid="ignore"):
        usual = np.where(earlier_days >= 30, contacts.count(earlier) * 90 / earlier_days, np.nan)
    return columns["outbound_contacts_90d"] - usual


def chasing_contacts(contacts: CustomerEvents, words: tuple[str, ...]) -> dict[str, np.ndarray]:
    """The customer chasing a request or a call-back that got no answer: the unanswered request in
    the customer's own words, where the CRM's `answered` flag may not say."""
    return inbound_topic_counts(contacts, words, "chasing_contacts")


MANAGER_CHANGE_DAYS = 365


def manager_change_contacts(contacts: CustomerEvents, words: tuple[str, ...]) -> np.ndarray:
    """Contacts in the last year, either way, about a change of the customer's account manager: the
    company introducing a new one or handing the account over, or the customer asking who it is now."""
    return topic_contacts(contacts, words, MANAGER_CHANGE_DAYS)


def _request_features(
    contacts: CustomerEvents, inbound: np.ndarray, present: set[str], cutoff: pd.Timestamp
) -> dict[str, np.ndarray]:
    columns: dict[str, np.ndarray] = {}
    last_year_requests = inbound & contacts.within(365)
    if "contacts.response_hours" in present:
        hours = contacts.values("response_hours")
        answered_before_cutoff = _answered_before(contacts, hours, cutoff)
        said_unanswered = (
            contacts.equals("answered", False)
            if "contacts.answered" in present
            else np.zeros(len(hours), dtype=bool)
        )
        answered_in_time = last_year_requests & answered_before_cutoff & ~said_unanswered
        columns["avg_response_hours_365d"] = contacts.mean(np.nan_to_num(hours), answered_in_time)
        if "contacts.answered" in present:
            # `answered` is a snapshot: without an answer time it is trusted only once the request
            # is old enough for the answer to have come before the cutoff.
            settled = np.isnan(hours) & (contacts.age >= ANSWER_SETTLE_DAYS)
            answered = contacts.flag("answered") & (answered_before_cutoff | settled)
            unanswered = contacts.count(last_year_requests & ~answered)
            columns["unanswered_requests_365d"] = unanswered
            columns["unanswered_request_share_365d"] = ratio(unanswered, contacts.count(last_year_requests))
    return columns


def _answered_before(contacts: CustomerEvents, hours: np.ndarray, cutoff: pd.Timestamp) -> np.ndarray:
    """contacted_at + response_hours (to the second) < cutoff, in exact integer nanoseconds.

    An answer at or after the cutoff had not happened yet: the request was still open then.
    """
    given = ~np.isnan(hours)
    answer_ns = np.round(np.where(given, hours, 0.0) * 3600).astype(np.int64) * 1_000_000_000
    waited_ns = (cutoff - contacts.frame["contacted_at"]).to_numpy(dtype="timedelta64[ns]").astype(np.int64)
    return given & (answer_ns < waited_ns)


def _longest_gap(contacts: CustomerEvents, touches: np.ndarray, window: np.ndarray) -> np.ndarray:
    """Longest stretch between the window's opening, each touch inside it, and the cutoff."""
    customer, age = contacts.customer[touches], contacts.age[touches]
    if not len(customer):
        return np.asarray(window, dtype=float)  # no touch at all: the whole window
    order = np.lexsort((age, customer))
    customer, age = customer[order], age[order]
    first = np.r_[True, customer[1:] != customer[:-1]]
    last = np.r_[customer[1:] != customer[:-1], True]
    # Between touches (each gap ends at the younger touch), from the cutoff to the youngest touch,
    # and from the oldest touch back to the window's opening.
    between = np.r_[0.0, age[1:] - age[:-1]]
    gaps = np.where(first, age, between)
    opening_gap = window[customer[last]] - age[last]
    longest = per_customer(
        pd.Series(np.r_[gaps, opening_gap]).groupby(np.r_[customer, customer[last]]).max(), len(window)
    )
    return np.where(np.isnan(longest), window, longest)  # no touch: the whole window
