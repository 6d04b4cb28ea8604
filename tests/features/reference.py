"""A slow, obviously-correct reference for every declared feature, written from `configs/reasons.yaml`.

One plain-Python loop per customer over that customer's raw events; no vectorised group-bys. It is
meant to be read next to each feature's `definition` and compared with the fast builder in tests.

Conventions (the comment at the top of `features:` in reasons.yaml): only events strictly before the
cutoff exist; an event's age is (cutoff - time) in days; "in the last N days" means age <= N; a
purchase is an order row with amount >= 0, a negative amount is a return record.

Each computation below returns None where the event a feature needs has not happened; `when_missing`
is then applied exactly as declared (NaN for `missing`, another feature's value for a feature name).

Run `python -m tests.features.reference` from the repository root for a small self-check.
"""

from __future__ import annotations

import math
import statistics
import unicodedata
from pathlib import Path

import pandas as pd
import yaml

from features.config import TopicKeywords

DEFAULT_KEYWORDS = TopicKeywords()  # the word lists are settings, not logic: shared with the builder
REASONS_YAML = Path(__file__).resolve().parents[2] / "configs" / "reasons.yaml"
TIME_COLUMNS = {
    "orders": "ordered_at",
    "contacts": "contacted_at",
    "complaints": "opened_at",
    "surveys": "answered_at",
}
# Columns a table always has when it is there at all (the contract's required columns).
ALWAYS_THERE = {
    "orders.customer_id",
    "orders.ordered_at",
    "orders.amount",
    "contacts.customer_id",
    "contacts.contacted_at",
    "contacts.direction",
    "complaints.customer_id",
    "complaints.opened_at",
    "surveys.customer_id",
    "surveys.answered_at",
    "surveys.kind",
    "customers.customer_id",
}


def declared_features() -> dict[str, dict]:
    """The `features:` section of reasons.yaml, in its declared order."""
    with REASONS_YAML.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)["features"]


# --- small helpers on single values ---------------------------------------------------------------


def _missing(value) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _is_true(value) -> bool:
    """True only for a present, true value: a missing (NA) flag is not true."""
    return not _missing(value) and bool(value)


def _text(value) -> str | None:
    return None if _missing(value) else str(value)


def _age(cutoff: pd.Timestamp, time: pd.Timestamp) -> float:
    return (cutoff - time).total_seconds() / 86_400


def _days(start: pd.Timestamp, end: pd.Timestamp) -> float:
    return (end - start).total_seconds() / 86_400


def _mean(values: list[float]) -> float | None:
    return math.fsum(values) / len(values) if values else None


def _plain_letters(text: str) -> str:
    """Compatibility forms as plain letters ("ｎｏ" -> "no"), lower case, each letter without its
    accent marks ("Ţ" -> "t", "ї" -> "і"), "đ" as "dj"."""
    lowered = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    return "".join(c for c in lowered if not unicodedata.combining(c)).replace("đ", "dj")


def _word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def _token_ends(text: str, at: int, token: str):
    """Where `token` can end if it starts at `at`: "*" eats letters of the word, others are literal."""
    if not token:
        yield at
        return
    head, rest = token[0], token[1:]
    if head == "*":
        end = at
        while True:
            yield from _token_ends(text, end, rest)
            if end >= len(text) or not _word_char(text[end]):
                return
            end += 1
    elif at < len(text) and text[at] == head:
        yield from _token_ends(text, at + 1, rest)


def _gap_ends(text: str, at: int, words_between: int):
    """Where the next keyword word can start after a gap from `at`: at least one space, then up to
    `words_between` more words (anything but spaces), each followed by spaces."""
    end = at
    while end < len(text) and text[end].isspace():
        end += 1
    if end == at:
        return
    yield end
    if words_between:
        word_end = end
        while word_end < len(text) and not text[word_end].isspace():
            word_end += 1
        if word_end > end:
            yield from _gap_ends(text, word_end, words_between - 1)


def _part_ends(text: str, at: int, part: str):
    """Where a keyword's word can end: a plain word as a token; "(a|b)" as any choice that is a whole
    word of the text, or, ending in "*", the start of one."""
    if not (part.startswith("(") and part.endswith(")")):
        yield from _token_ends(text, at, part)
        return
    for choice in part[1:-1].split("|"):
        for end in _token_ends(text, at, choice):
            if choice.endswith("*") or end == len(text) or not _word_char(text[end]):
                yield end


def _matches_here(text: str, at: int, parts: list[str]) -> bool:
    """Do the keyword's words match `text` from `at` on, "..." letting up to two words in between?"""
    for end in _part_ends(text, at, parts[0]):
        rest = parts[1:]
        if not rest:
            return True
        words_between = 2 if rest[0] == "..." else 0
        rest = rest[1:] if rest[0] == "..." else rest
        if any(_matches_here(text, start, rest) for start in _gap_ends(text, end, words_between)):
            return True
    return False


def _topic_matches(topic, words: tuple[str, ...]) -> bool:
    text = _text(topic)
    if text is None:
        return False
    plain = _plain_letters(text)
    for word in words:  # a keyword must start a word: "moved" is not in "removed"
        parts = _plain_letters(word).split()
        for at in range(len(plain)):
            if (at == 0 or not _word_char(plain[at - 1])) and _matches_here(plain, at, parts):
                return True
    return False


# --- reading the tables as plain rows -------------------------------------------------------------


def _present_columns(tables: dict[str, pd.DataFrame]) -> set[str]:
    present = {f"{name}.{column}" for name, frame in tables.items() for column in frame.columns}
    # value markers ("table.column=value" in needs): the CRM logs this kind of row at all
    for need in {n for d in declared_features().values() for n in d.get("needs", []) if "=" in n}:
        dotted, value = need.split("=", 1)
        table, column = dotted.split(".", 1)
        if (
            table in tables
            and column in tables[table]
            and any(_text(v) == value for v in tables[table][column])
        ):
            present.add(need)
    return present


def _rows_before_cutoff(
    tables: dict[str, pd.DataFrame], name: str, cutoff: pd.Timestamp
) -> dict[object, list[dict]]:
    """customer_id -> that customer's rows of one event table dated strictly before the cutoff.

    Each row is a plain dict of the table's columns plus "age"; rows are in time order.
    """
    by_customer: dict[object, list[dict]] = {}
    if name not in tables:
        return by_customer
    time_column = TIME_COLUMNS[name]
    for record in tables[name].to_dict("records"):
        time = record[time_column]
        if _missing(time) or not time < cutoff:
            continue
        record["age"] = _age(cutoff, time)
        by_customer.setdefault(record["customer_id"], []).append(record)
    for rows in by_customer.values():
        rows.sort(key=lambda row: row[time_column])
    return by_customer


def _customer_records(tables: dict[str, pd.DataFrame]) -> dict[object, dict]:
    if "customers" not in tables:
        return {}
    records: dict[object, dict] = {}
    for record in tables["customers"].to_dict("records"):
        records.setdefault(record["customer_id"], record)
    return records


# --- activity: purchase behaviour (the logic of reference_activity in test_point_in_time.py) --------


def _activity(orders: list[dict], signed_up_at, cutoff: pd.Timestamp) -> dict[str, float | None]:
    events = sorted((row["age"], row["amount"]) for row in orders)
    ages = [age for age, amount in events if amount >= 0]  # return records are not orders
    if not ages:
        raise ValueError("the reference needs at least one purchase before the cutoff per customer")
    row: dict[str, float | None] = {"days_since_last_order": min(ages)}
    for days in (30, 90, 180, 365):
        row[f"orders_{days}d"] = float(sum(1 for age in ages if age <= days))
        row[f"spend_{days}d"] = math.fsum(amount for age, amount in events if age <= days)
    row["orders_total"] = float(len(ages))
    row["spend_total"] = math.fsum(amount for _, amount in events)
    row["avg_order_value"] = row["spend_total"] / row["orders_total"]
    previous = [(age, amount) for age, amount in events if 90 < age <= 180]
    row["orders_trend_90d"] = row["orders_90d"] - sum(1 for _, amount in previous if amount >= 0)
    row["spend_trend_90d"] = row["spend_90d"] - math.fsum(amount for _, amount in previous)
    tenure = max(ages)
    if not _missing(signed_up_at) and signed_up_at < cutoff:
        tenure = max(tenure, _age(cutoff, signed_up_at))
    row["tenure_days"] = tenure
    as_of_day = cutoff - pd.Timedelta(days=1)  # the cutoff is 00:00 UTC after the as-of day
    row["as_of_month"] = float(as_of_day.month)
    chronological = sorted(ages, reverse=True)
    gaps = [older - newer for older, newer in zip(chronological[:-1], chronological[1:], strict=True)]
    row["typical_gap_days"] = statistics.median(gaps) if gaps else None
    has_gap = bool(gaps) and row["typical_gap_days"] > 0
    row["overdue_ratio"] = row["days_since_last_order"] / row["typical_gap_days"] if has_gap else None
    return row


# --- indifference: the company stopped reaching out or answering -----------------------------------


def _indifference(
    contacts: list[dict],
    orders: list[dict],
    activity: dict[str, float | None],
    present: set[str],
    cutoff: pd.Timestamp,
    chasing_words: tuple[str, ...],
    manager_change_words: tuple[str, ...],
) -> dict[str, float | None]:
    row: dict[str, float | None] = {}
    outbound = [c for c in contacts if _text(c["direction"]) == "outbound"]
    inbound = [c for c in contacts if _text(c["direction"]) == "inbound"]

    row["days_since_last_outbound"] = min((c["age"] for c in outbound), default=None)

    window = min(365.0, activity["tenure_days"])
    inside = [c["age"] for c in outbound if c["age"] <= window]
    points = sorted([window, *inside, 0.0])
    row["longest_outbound_gap_365d"] = max(
        later - earlier for earlier, later in zip(points, points[1:], strict=False)
    )
    row["avg_outbound_gap_365d"] = window / (len(inside) + 1)

    row["outbound_contacts_90d"] = float(sum(1 for c in outbound if c["age"] <= 90))
    earlier_days = window - 90
    if earlier_days >= 30:
        earlier = sum(1 for c in outbound if 90 < c["age"] <= window)
        row["outbound_contact_change_90d"] = row["outbound_contacts_90d"] - earlier * 90 / earlier_days
    else:
        row["outbound_contact_change_90d"] = None

    inbound_year = [c for c in inbound if c["age"] <= 365]
    if "contacts.response_hours" in present:

        def answer_time(contact: dict) -> pd.Timestamp:
            seconds = round(contact["response_hours"] * 3600)  # to the second, as the definition says
            return contact["contacted_at"] + pd.Timedelta(seconds=seconds)

        if "contacts.answered" in present:

            def answered_by_cutoff(contact: dict) -> bool:
                if not _is_true(contact["answered"]):
                    return False
                if _missing(contact["response_hours"]):
                    return _age(cutoff, contact["contacted_at"]) >= 7  # a snapshot flag, trusted once settled
                return answer_time(contact) < cutoff

            unanswered = sum(1 for c in inbound_year if not answered_by_cutoff(c))
            row["unanswered_requests_365d"] = float(unanswered)
            row["unanswered_request_share_365d"] = unanswered / len(inbound_year) if inbound_year else None

        has_answered_column = "contacts.answered" in present
        row["avg_response_hours_365d"] = _mean(
            [
                c["response_hours"]
                for c in inbound_year
                if not _missing(c["response_hours"])
                and answer_time(c) < cutoff
                and not (has_answered_column and not _missing(c["answered"]) and not bool(c["answered"]))
            ]
        )

    if "contacts.topic" in present:
        for days in (90, 365):
            row[f"chasing_contacts_{days}d"] = float(
                sum(1 for c in inbound if c["age"] <= days and _topic_matches(c["topic"], chasing_words))
            )
        # Either direction: the company introducing a new manager, or the customer asking who it is.
        row["manager_change_contacts_365d"] = float(
            sum(1 for c in contacts if c["age"] <= 365 and _topic_matches(c["topic"], manager_change_words))
        )

    purchase_times = [o["ordered_at"] for o in orders if o["amount"] >= 0]
    last_purchase = max(purchase_times)
    followups = [c["contacted_at"] for c in outbound if c["contacted_at"] > last_purchase]
    if followups:
        row["days_to_followup_after_last_order"] = _days(last_purchase, min(followups))
    else:
        row["days_to_followup_after_last_order"] = activity["days_since_last_order"]
    return row


# --- product_quality: complaints, returns, satisfaction --------------------------------------------


def _product_quality(
    complaints: list[dict],
    orders: list[dict],
    surveys: list[dict],
    contacts: list[dict],
    present: set[str],
    cutoff: pd.Timestamp,
    quality_words: tuple[str, ...],
) -> dict[str, float | None]:
    row: dict[str, float | None] = {}
    if "contacts.topic" in present:
        for days in (90, 365):
            row[f"quality_contacts_{days}d"] = float(
                sum(
                    1
                    for c in contacts
                    if c["age"] <= days
                    and _text(c["direction"]) == "inbound"
                    and _topic_matches(c["topic"], quality_words)
                )
            )
    has_category = "complaints.category" in present

    def category(complaint: dict) -> str | None:
        return _text(complaint["category"]) if has_category else None

    for days in (30, 90, 365):
        row[f"complaints_{days}d"] = float(
            sum(1 for c in complaints if c["age"] <= days and category(c) != "price")
        )
    if has_category:
        for kind in ("quality", "service", "delivery", "price"):
            for days in (90, 365):
                row[f"{kind}_complaints_{days}d"] = float(
                    sum(1 for c in complaints if c["age"] <= days and category(c) == kind)
                )
    if "complaints.resolved_at" in present:

        def resolved_before_cutoff(complaint: dict) -> bool:
            return not _missing(complaint["resolved_at"]) and complaint["resolved_at"] < cutoff

        not_price = [c for c in complaints if category(c) != "price"]
        row["open_complaints"] = float(sum(1 for c in not_price if not resolved_before_cutoff(c)))
        row["avg_resolution_days_365d"] = _mean(
            [
                _days(c["opened_at"], c["resolved_at"])
                for c in not_price
                if c["age"] <= 365 and resolved_before_cutoff(c)
            ]
        )

    if "orders.returned" in present:
        settled = [o for o in orders if o["amount"] >= 0 and 30 < o["age"] <= 365]
        last_year = [o for o in orders if o["amount"] >= 0 and o["age"] <= 365]
        records = [o for o in orders if o["amount"] < 0 and o["age"] <= 365]  # return records
        if settled:  # then last_year has purchases too
            flagged = sum(1 for o in settled if _is_true(o["returned"])) / len(settled)
            row["returned_order_share_365d"] = min(1.0, max(flagged, len(records) / len(last_year)))
        else:
            row["returned_order_share_365d"] = None

    if "surveys.score" in present:
        pulses = [
            (s["answered_at"], s["score"])
            for s in surveys
            if _text(s["kind"]) == "pulse" and not _missing(s["score"])
        ]
        # the latest instant wins; among answers at that instant, the highest score
        row["latest_pulse_score"] = max(pulses)[1] if pulses else None
    return row


# --- competitor: price pressure and other offers ---------------------------------------------------


def _competitor(
    orders: list[dict],
    complaints: list[dict],
    contacts: list[dict],
    present: set[str],
    competitor_words: tuple[str, ...],
) -> dict[str, float | None]:
    row: dict[str, float | None] = {}
    purchases = [o for o in orders if o["amount"] >= 0]

    if "orders.discount_amount" in present:
        for days in (90, 365):
            recent = [o for o in purchases if o["age"] <= days]
            total = math.fsum(o["amount"] for o in recent)
            discounted = math.fsum(
                o["amount"] for o in recent if not _missing(o["discount_amount"]) and o["discount_amount"] > 0
            )
            row[f"discounted_spend_share_{days}d"] = discounted / total if total != 0 else None
        before = [o for o in purchases if 90 < o["age"] <= 365]
        before_total = math.fsum(o["amount"] for o in before)
        before_discounted = math.fsum(
            o["amount"] for o in before if not _missing(o["discount_amount"]) and o["discount_amount"] > 0
        )
        recent_share = row["discounted_spend_share_90d"]
        if recent_share is None or before_total == 0:
            row["discounted_share_change_90d"] = None
        else:
            row["discounted_share_change_90d"] = recent_share - before_discounted / before_total

    recent_mean = _mean([o["amount"] for o in purchases if o["age"] <= 90])
    earlier_mean = _mean([o["amount"] for o in purchases if 90 < o["age"] <= 365])
    if recent_mean is None or earlier_mean is None or earlier_mean == 0:
        row["basket_size_change_90d"] = None
    else:
        row["basket_size_change_90d"] = recent_mean / earlier_mean - 1

    if "complaints.category" in present:
        for days in (90, 365):
            row[f"price_complaints_{days}d"] = float(
                sum(1 for c in complaints if c["age"] <= days and _text(c["category"]) == "price")
            )

    if "contacts.topic" in present:
        for days in (90, 365):
            row[f"competitor_contacts_{days}d"] = float(
                sum(
                    1
                    for c in contacts
                    if c["age"] <= days
                    and _text(c["direction"]) == "inbound"
                    and _topic_matches(c["topic"], competitor_words)
                )
            )
    return row


# --- personal_ties: the people who brought them are gone -------------------------------------------


def _personal_ties(
    customer: dict | None,
    customers: dict[object, dict],
    orders_by_customer: dict[object, list[dict]],
    present: set[str],
    cutoff: pd.Timestamp,
) -> dict[str, float | None]:
    referrer = None if customer is None else customer["referred_by"]
    if _missing(referrer) or referrer == "":
        return {"referrer_inactive": None, "referrer_days_since_last_order": None}
    referrer_ages = [o["age"] for o in orders_by_customer.get(referrer, []) if o["amount"] >= 0]
    referrer_record = customers.get(referrer)
    cancelled = (
        "customers.cancelled_at" in present
        and referrer_record is not None
        and not _missing(referrer_record["cancelled_at"])
        and referrer_record["cancelled_at"] < cutoff
    )
    bought_lately = any(age <= 90 for age in referrer_ages)
    return {
        "referrer_inactive": 1.0 if cancelled or not bought_lately else 0.0,
        "referrer_days_since_last_order": min(referrer_ages, default=None),
    }


# --- moved_or_died: they are no longer where we serve them -----------------------------------------


def _moved_or_died(
    orders: list[dict], contacts: list[dict], present: set[str], relocation_words: tuple[str, ...]
) -> dict[str, float | None]:
    row: dict[str, float | None] = {}
    if "orders.region" in present:

        def region(order: dict) -> str | None:  # one region whatever its case, accents and punctuation
            text = _text(order["region"])
            if text is None:
                return None
            letters = "".join(c if c.isalnum() else " " for c in _plain_letters(text))
            return " ".join(letters.split()) or None

        placed = sorted(
            (o["ordered_at"], region(o), o["age"])
            for o in orders
            if o["amount"] >= 0 and region(o) is not None
        )
        changed = any(
            later_age <= 180 and later_region != earlier_region
            for (_, earlier_region, _), (_, later_region, later_age) in zip(placed, placed[1:], strict=False)
        )
        row["region_changed_180d"] = 1.0 if changed else 0.0
    if "contacts.topic" in present:
        row["relocation_contacts_180d"] = float(
            sum(1 for c in contacts if c["age"] <= 180 and _topic_matches(c["topic"], relocation_words))
        )
    return row


# --- the entry point -------------------------------------------------------------------------------


def reference_features(
    tables: dict[str, pd.DataFrame],
    ids,
    cutoff: pd.Timestamp,
    competitor_words: tuple[str, ...] = DEFAULT_KEYWORDS.competitor,
    relocation_words: tuple[str, ...] = DEFAULT_KEYWORDS.relocation,
    quality_words: tuple[str, ...] = DEFAULT_KEYWORDS.quality,
    chasing_words: tuple[str, ...] = DEFAULT_KEYWORDS.chasing,
    manager_change_words: tuple[str, ...] = DEFAULT_KEYWORDS.manager_change,
    personal_ties_words: tuple[str, ...] = DEFAULT_KEYWORDS.personal_ties,
) -> pd.DataFrame:
    """Every declared feature whose `needs` are present, for `ids` at the cutoff instant.

    Indexed by customer_id in the order of `ids`; float columns in the order of reasons.yaml.
    Every customer in `ids` must have a purchase before the cutoff (the scored population does).
    """
    declared = declared_features()
    present = _present_columns(tables) | {c for c in ALWAYS_THERE if c.split(".")[0] in tables}
    built = [
        name
        for name, declaration in declared.items()
        if all(need in present for need in declaration.get("needs", []))
    ]

    orders_by_customer = _rows_before_cutoff(tables, "orders", cutoff)
    contacts_by_customer = _rows_before_cutoff(tables, "contacts", cutoff)
    complaints_by_customer = _rows_before_cutoff(tables, "complaints", cutoff)
    surveys_by_customer = _rows_before_cutoff(tables, "surveys", cutoff)
    customers = _customer_records(tables)

    rows = []
    for customer_id in ids:
        orders = orders_by_customer.get(customer_id, [])
        contacts = contacts_by_customer.get(customer_id, [])
        complaints = complaints_by_customer.get(customer_id, [])
        surveys = surveys_by_customer.get(customer_id, [])
        record = customers.get(customer_id)
        signed_up_at = record.get("signed_up_at") if record is not None else None

        values = _activity(orders, signed_up_at, cutoff)
        if "contacts" in tables:
            values.update(
                _indifference(
                    contacts,
                    orders,
                    values,
                    present,
                    cutoff,
                    tuple(chasing_words),
                    tuple(manager_change_words),
                )
            )
        if {"complaints", "surveys", "contacts"} & set(tables) or "orders.returned" in present:
            values.update(
                _product_quality(complaints, orders, surveys, contacts, present, cutoff, tuple(quality_words))
            )
        values.update(_competitor(orders, complaints, contacts, present, tuple(competitor_words)))
        if "customers.referred_by" in present:
            values.update(_personal_ties(record, customers, orders_by_customer, present, cutoff))
        values.update(_moved_or_died(orders, contacts, present, tuple(relocation_words)))
        if "contacts.topic" in present:
            # Either direction: the customer's own message, or the rep's note of what they said.
            values["personal_ties_contacts_365d"] = float(
                sum(
                    1 for c in contacts if c["age"] <= 365 and _topic_matches(c["topic"], personal_ties_words)
                )
            )

        row = {}
        for name in built:
            value = values[name]
            if value is None:
                row[name] = _when_missing(name, declared[name], values)
            else:
                row[name] = float(value)
        rows.append(row)

    index = pd.Index(list(ids), name="customer_id")
    return pd.DataFrame(rows, index=index, columns=built, dtype=float)


def _when_missing(name: str, declaration: dict, values: dict[str, float | None]) -> float:
    rule = declaration.get("when_missing")
    if rule is None:
        raise AssertionError(f"{name} has no value and declares no when_missing")
    fill = rule["fill"]
    if fill == "missing":
        return math.nan
    if isinstance(fill, str):
        return float(values[fill])
    return float(fill)


# --- a self-check to run by hand: python -m tests.features.reference ------------------------------


HAND_MADE_CUTOFF = pd.Timestamp("2025-04-01T00:00:00Z")


def hand_made_crm() -> dict[str, pd.DataFrame]:
    """Customers A, B, C (and D, C's referrer) with edge cases; values worked out by hand below."""
    cutoff = HAND_MADE_CUTOFF

    def at(age_days: float) -> pd.Timestamp:
        return cutoff - pd.Timedelta(days=age_days)

    nat = pd.NaT
    orders = pd.DataFrame(
        [
            # customer, ordered_at, amount, discount_amount, returned, region
            ("A", at(90), 100.0, 10.0, False, "north"),
            ("A", at(45), 50.0, 0.0, True, "north"),
            ("A", at(10), 80.0, 0.0, False, "south"),
            ("A", at(7), -30.0, 0.0, False, None),  # a return record
            ("A", at(-4), 999.0, 0.0, False, "west"),  # after the cutoff
            ("B", at(304), 40.0, 0.0, False, "north"),
            ("B", at(121), 60.0, 0.0, False, "north"),
            ("C", at(200), 100.0, 0.0, False, "east"),
            ("C", at(200), 30.0, 0.0, False, "west"),  # same instant: region order puts west last
            ("C", at(100), 50.0, 0.0, False, "west"),
            ("C", at(31), 70.0, 0.0, False, "west"),
            ("D", at(5), 10.0, 0.0, False, "east"),
        ],
        columns=["customer_id", "ordered_at", "amount", "discount_amount", "returned", "region"],
    )
    customers = pd.DataFrame(
        {
            "customer_id": ["A", "B", "C", "D"],
            "signed_up_at": pd.to_datetime([at(121), nat, at(-10), nat], utc=True),
            "referred_by": ["B", None, "D", None],
            "cancelled_at": pd.to_datetime([nat, nat, nat, at(60)], utc=True),
        }
    )
    contacts = pd.DataFrame(
        [
            ("A", at(81), "outbound", "check-in from your new account manager", pd.NA, math.nan),
            ("A", at(2), "outbound", "Moving to Lviv soon", pd.NA, math.nan),
            ("A", at(31), "inbound", "Cheaper offer from COMPETITOR, my cousin's firm", True, 24.0),
            ("A", at(0.5), "inbound", None, True, 24.0),  # answered only after the cutoff
            ("A", at(59), "inbound", "2nd request: invoice for DAMAGED goods", pd.NA, math.nan),
            (
                "A",
                at(-1),
                "outbound",
                "price; refund for a broken kettle; handover of your account; my son opened a shop",
                pd.NA,
                math.nan,
            ),  # after the cutoff
        ],
        columns=["customer_id", "contacted_at", "direction", "topic", "answered", "response_hours"],
    ).astype({"answered": "boolean", "direction": "category"})
    complaints = pd.DataFrame(
        {
            "customer_id": ["A", "A", "A"],
            "opened_at": pd.to_datetime([at(12), at(76), at(304)], utc=True),
            "category": pd.Categorical(["quality", "price", None]),
            "resolved_at": pd.to_datetime([at(7), nat, at(-30)], utc=True),
        }
    )
    surveys = pd.DataFrame(
        [
            ("A", at(31), "pulse", 6.0),
            ("A", at(31), "pulse", 8.0),  # a tie at the latest instant: the higher score
            ("A", at(59), "pulse", 3.0),
            ("A", at(12), "exit", 1.0),  # exit surveys are never features
            ("A", at(-2), "pulse", 0.0),  # after the cutoff
        ],
        columns=["customer_id", "answered_at", "kind", "score"],
    )
    return {
        "orders": orders,
        "customers": customers,
        "contacts": contacts,
        "complaints": complaints,
        "surveys": surveys,
    }


def hand_checked_values() -> dict[str, dict[str, float]]:
    """Feature values of `hand_made_crm` worked out by hand (NaN: missing as declared)."""
    return {
        "A": {
            "days_since_last_order": 10,
            "orders_30d": 1,
            "orders_90d": 3,
            "spend_30d": 50,
            "spend_90d": 200,
            "spend_total": 200,
            "avg_order_value": 200 / 3,
            "orders_trend_90d": 3,
            "tenure_days": 121,
            "typical_gap_days": 40,
            "overdue_ratio": 0.25,
            "days_since_last_outbound": 2,
            "longest_outbound_gap_365d": 79,
            "avg_outbound_gap_365d": 121 / 3,
            "outbound_contacts_90d": 2,
            "outbound_contact_change_90d": 2,  # tenure 121 days: 31 earlier days, no contact in them
            "unanswered_requests_365d": 2,
            "unanswered_request_share_365d": 2 / 3,
            "avg_response_hours_365d": 24,
            "days_to_followup_after_last_order": 8,
            "chasing_contacts_90d": 1,  # the second request about the damaged goods
            "chasing_contacts_365d": 1,
            "manager_change_contacts_365d": 1,  # the new manager's check-in; the handover is after the cutoff
            "personal_ties_contacts_365d": 1,  # the cousin's firm; the son's shop is after the cutoff
            "complaints_30d": 1,
            "complaints_90d": 1,
            "complaints_365d": 2,
            "quality_complaints_90d": 1,
            "price_complaints_90d": 1,
            "open_complaints": 1,  # the uncategorised one resolved after the cutoff; the open price one is competitor's
            "avg_resolution_days_365d": 5,
            "returned_order_share_365d": 0.5,
            "latest_pulse_score": 8,
            "quality_contacts_90d": 1,  # damaged goods; the broken kettle comes after the cutoff
            "quality_contacts_365d": 1,
            "discounted_spend_share_90d": 100 / 230,
            "discounted_share_change_90d": 0,  # no purchase 90-365 days ago: no change seen
            "basket_size_change_90d": 0,  # likewise
            "competitor_contacts_90d": 1,
            "referrer_inactive": 1,
            "referrer_days_since_last_order": 121,
            "region_changed_180d": 1,
            "relocation_contacts_180d": 1,
        },
        "B": {
            "days_since_last_outbound": 304,
            "longest_outbound_gap_365d": 304,
            "avg_outbound_gap_365d": 304,
            "unanswered_requests_365d": 0,
            "unanswered_request_share_365d": math.nan,
            "avg_response_hours_365d": math.nan,
            "days_to_followup_after_last_order": 121,
            "open_complaints": 0,
            "avg_resolution_days_365d": math.nan,
            "returned_order_share_365d": 0,
            "latest_pulse_score": math.nan,
            "discounted_spend_share_90d": 0,  # no purchase in 90 days: the year's share stands in
            "discounted_spend_share_365d": 0,
            "discounted_share_change_90d": 0,
            "outbound_contact_change_90d": 0,
            "referrer_inactive": math.nan,
            "referrer_days_since_last_order": math.nan,
            "region_changed_180d": 0,
            "relocation_contacts_180d": 0,
            "quality_contacts_365d": 0,
            "chasing_contacts_365d": 0,
            "manager_change_contacts_365d": 0,
            "personal_ties_contacts_365d": 0,
        },
        "C": {
            "tenure_days": 200,  # the sign-up after the cutoff is ignored
            "basket_size_change_90d": 70 / 60 - 1,
            "referrer_inactive": 1,  # bought 5 days ago, but cancelled before the cutoff
            "referrer_days_since_last_order": 5,
            "region_changed_180d": 0,
            "complaints_365d": 0,
        },
    }


def disagreements(features: pd.DataFrame, expected: dict[str, dict[str, float]]) -> list[str]:
    wrong = []
    for customer, values in expected.items():
        for name, value in values.items():
            got = features.loc[customer, name]
            same = math.isnan(got) if math.isnan(value) else math.isclose(got, value, abs_tol=1e-9)
            if not same:
                wrong.append(f"{customer}.{name}: expected {value}, got {got}")
    return wrong


def _self_check() -> None:
    cutoff = HAND_MADE_CUTOFF
    tables = hand_made_crm()
    orders, complaints = tables["orders"], tables["complaints"]
    result = reference_features(tables, ["A", "B", "C"], cutoff)
    assert list(result.columns) == list(declared_features()) and len(result.columns) == 58
    assert not disagreements(result, hand_checked_values()), disagreements(result, hand_checked_values())
    print(result.T.to_string(), "\n")  # noqa: T201

    # only orders: the activity features and basket_size_change_90d
    bare = reference_features({"orders": orders[["customer_id", "ordered_at", "amount"]]}, ["A"], cutoff)
    assert len(bare.columns) == 19 and "basket_size_change_90d" in bare.columns
    # complaints without a category: every complaint counts, no per-category features
    no_category = reference_features(
        {"orders": orders, "complaints": complaints.drop(columns="category")}, ["A"], cutoff
    )
    assert no_category.loc["A", "complaints_90d"] == 2 and "price_complaints_90d" not in no_category
    assert no_category.loc["A", "open_complaints"] == 2  # without a category, no complaint is known as price
    print("hand-made checks passed")  # noqa: T201

    from features.synthetic import generate_crm

    crm = generate_crm(300, seed=5, start="2023-01-01", end="2025-12-31")
    tables = {n: f.assign(customer_id=f["customer_id"].astype(str)) for n, f in crm.tables.items()}
    active = set()
    for customer, time, amount in zip(
        tables["orders"]["customer_id"],
        tables["orders"]["ordered_at"],
        tables["orders"]["amount"],
        strict=True,
    ):
        if time < cutoff and amount >= 0 and _age(cutoff, time) <= 365:
            active.add(customer)
    ids = sorted(active)
    features = reference_features(tables, ids, cutoff)
    print(f"synthetic CRM: {features.shape[0]} customers x {features.shape[1]} features")  # noqa: T201
    with pd.option_context("display.width", 200, "display.max_rows", 100):
        print(features.describe().T[["count", "mean", "min", "50%", "max"]].round(3).to_string())  # noqa: T201


if __name__ == "__main__":
    _self_check()
