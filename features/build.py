"""`build_features`: one row per customer in the population at a date, from what was known then."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

import numpy as np
import pandas as pd

from features.activity import activity_features
from features.competitor import (
    basket_size_change,
    competitor_contacts,
    discounted_spend_shares,
    price_complaints,
)
from features.config import MISSING, FeatureDeclaration, TopicKeywords, load_feature_declarations
from features.contract import TABLES
from features.errors import TrainingDataError
from features.events import CustomerEvents, with_coded_ids, with_coded_topics
from features.indifference import chasing_contacts, indifference_features, manager_change_contacts
from features.moved_or_died import region_changed, relocation_contacts
from features.personal_ties import (
    customer_activity,
    personal_ties_contacts,
    referrer_features,
    referrers_of,
)
from features.product_quality import (
    complaint_features,
    latest_pulse_score,
    quality_contacts,
    returned_order_share,
)
from features.timeline import (
    cutoff_instant,
    label_cancellation,
    label_inactivity,
    population,
    training_cutoffs,
)


def build_features(
    tables: dict[str, pd.DataFrame],
    as_of: str | pd.Timestamp,
    lookback_days: int = 365,
    topic_keywords: TopicKeywords | None = None,
    *,
    present: set[str] | None = None,
    referrer_activity: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Features of every customer in the population at `as_of` (see `features.timeline`).

    Only events strictly before the cutoff instant (00:00 UTC after `as_of`) are read; later rows in
    `tables` are ignored, so a full history can be backtested at any past date.

    Returns:
        A frame indexed by customer_id with one column per feature declared in
        `configs/reasons.yaml` whose `needs` the tables meet, in the declared order. A feature whose
        source table or column is absent is left out, never zero-filled; an event that has not
        happened gets the value its `when_missing` declares.

    A partitioned run builds one partition's customers at a time and passes what only the whole CRM
    knows: `present` (`present_columns` of every partition together) and `referrer_activity`
    (`customer_activity` of the referrers at this cutoff, wherever they are).
    """
    keywords = topic_keywords or TopicKeywords()
    # No-ops for a training set's tables, coded once for all its cutoffs.
    tables = with_coded_topics(with_coded_ids(tables))
    cutoff = cutoff_instant(as_of)
    ids = population(tables, as_of, lookback_days)
    present = present_columns(tables) if present is None else present
    customers = tables.get("customers")

    orders = CustomerEvents.at_cutoff(
        tables["orders"], "ordered_at", ids, cutoff, ("amount", "discount_amount", "returned", "region")
    )
    bought = orders.subset(orders.values("amount") >= 0)
    columns = activity_features(orders, customers, ids, cutoff)
    columns["basket_size_change_90d"] = basket_size_change(bought)
    if "orders.discount_amount" in present:
        columns |= discounted_spend_shares(bought)
    if "orders.returned" in present:
        columns["returned_order_share_365d"] = returned_order_share(orders)
    if "orders.region" in present:
        columns["region_changed_180d"] = region_changed(bought)
    if "contacts.direction" in present:  # a required column: the table is there and not empty
        contacts = CustomerEvents.at_cutoff(
            tables["contacts"],
            "contacted_at",
            ids,
            cutoff,
            ("direction", "topic", "answered", "response_hours"),
        )
        columns |= indifference_features(
            contacts, present, cutoff, columns["tenure_days"], columns["days_since_last_order"]
        )
        if "contacts.topic" in present:
            columns |= chasing_contacts(contacts, keywords.chasing)
            columns["manager_change_contacts_365d"] = manager_change_contacts(
                contacts, keywords.manager_change
            )
            columns |= quality_contacts(contacts, keywords.quality)
            columns |= competitor_contacts(contacts, keywords.competitor)
            columns["relocation_contacts_180d"] = relocation_contacts(contacts, keywords.relocation)
            columns["personal_ties_contacts_365d"] = personal_ties_contacts(contacts, keywords.personal_ties)
    if "complaints.opened_at" in present:
        complaints = CustomerEvents.at_cutoff(
            tables["complaints"], "opened_at", ids, cutoff, ("category", "resolved_at")
        )
        columns |= complaint_features(complaints, present, cutoff)
        if "complaints.category" in present:
            columns |= price_complaints(complaints)
    if {"surveys.score", "surveys.kind=pulse"} <= present:
        surveys = CustomerEvents.at_cutoff(tables["surveys"], "answered_at", ids, cutoff, ("kind", "score"))
        columns["latest_pulse_score"] = latest_pulse_score(surveys)
    if "customers.referred_by" in present:
        if referrer_activity is None:
            referrers = referrers_of(customers, ids)
            referrer_activity = customer_activity(customers, tables["orders"], referrers, cutoff, present)
        columns |= referrer_features(customers, ids, referrer_activity)
    return _as_declared(columns, ids, present)


def present_columns(tables: dict[str, pd.DataFrame]) -> set[str]:
    """The contract columns the CRM has, as "table.column"; an entirely empty column counts as absent.

    Decided on whole tables, not per cutoff, so every cutoff of a training set has the same features.
    """
    present = {
        f"{name}.{column}"
        for name, frame in tables.items()
        if name in TABLES
        for column in frame.columns
        if column in TABLES[name].column_names and frame[column].notna().any()
    }
    # Value markers declared in `needs` ("table.column=value"): the CRM logs such rows at all. A
    # helpdesk export with inbound contacts only says nothing about whether we reached out.
    declared = load_feature_declarations().values()
    for marker in {need for feature in declared for need in feature.needs if "=" in need}:
        dotted, value = marker.split("=", 1)
        table, column = dotted.split(".", 1)
        if dotted in present and (tables[table][column] == value).any():
            present.add(marker)
    return present


def _as_declared(columns: dict[str, np.ndarray], ids: pd.Index, present: set[str]) -> pd.DataFrame:
    """Order the columns as declared, check them against the declarations, fill what never happened."""
    declared = load_feature_declarations()
    expected = [name for name, feature in declared.items() if set(feature.needs) <= present]
    built, wanted = set(columns), set(expected)
    if built != wanted:
        raise RuntimeError(
            "features built do not match configs/reasons.yaml: "
            f"built but not declared or not buildable {sorted(built - wanted)}, "
            f"declared but not built {sorted(wanted - built)}"
        )
    frame = pd.DataFrame({name: columns[name] for name in expected}, index=ids)
    for name in expected:
        _fill_missing(frame, declared[name])
    return frame


def _fill_missing(frame: pd.DataFrame, feature: FeatureDeclaration) -> None:
    missing = frame[feature.name].isna()
    if not missing.any():
        return
    fill = feature.when_missing.fill if feature.when_missing else None
    if fill is None:
        raise RuntimeError(f"feature {feature.name} has empty values but declares no when_missing")
    if fill == MISSING:
        return
    frame[feature.name] = frame[feature.name].fillna(frame[fill] if isinstance(fill, str) else fill)


def build_training_set(
    tables: dict[str, pd.DataFrame],
    as_of: str | pd.Timestamp,
    horizon_days: int,
    cutoff_count: int,
    definition: str = "inactivity",
    lookback_days: int = 365,
    topic_keywords: TopicKeywords | None = None,
    progress: Callable[[int, int], None] | None = None,
    *,
    present: set[str] | None = None,
    referrer_activity: Mapping[pd.Timestamp, pd.DataFrame] | None = None,
) -> pd.DataFrame:
    """One row per (customer, cutoff) over the month ends whose labels are complete at `as_of`.

    Each cutoff's rows come from `build_features` for that date, exactly as a scoring run on that
    date would build them, plus `cutoff` (the as-of date) and `churned` (the label); ordered by
    cutoff (`training_cutoffs`, oldest first), then customer_id.
    `progress(done, total)` is called after each cutoff.

    A partitioned run builds one partition's customers and passes what only the whole CRM knows (see
    `build_features`): `present`, and `referrer_activity` per cutoff, keyed as `training_cutoffs` gives.
    """
    cutoffs = training_cutoffs(as_of, horizon_days, cutoff_count)
    frames = []
    for frame in training_rows_by_cutoff(
        tables,
        as_of,
        horizon_days,
        cutoff_count,
        definition,
        lookback_days,
        topic_keywords,
        present=present,
        referrer_activity=referrer_activity,
    ):
        frames.append(frame)
        if progress is not None:
            progress(len(frames), len(cutoffs))
    if not frames:
        raise TrainingDataError(
            f"no month end before {pd.Timestamp(as_of):%Y-%m-%d} leaves a complete "
            f"{horizon_days}-day label window"
        )
    return pd.concat(frames)


def training_rows_by_cutoff(
    tables: dict[str, pd.DataFrame],
    as_of: str | pd.Timestamp,
    horizon_days: int,
    cutoff_count: int,
    definition: str = "inactivity",
    lookback_days: int = 365,
    topic_keywords: TopicKeywords | None = None,
    *,
    present: set[str] | None = None,
    referrer_activity: Mapping[pd.Timestamp, pd.DataFrame] | None = None,
) -> Iterator[pd.DataFrame]:
    """`build_training_set`'s rows one cutoff at a time, oldest first: a partition writes each
    cutoff's rows away before it builds the next."""
    labeller = {"inactivity": label_inactivity, "cancellation": label_cancellation}.get(definition)
    if labeller is None:
        raise ValueError(f"unknown churn definition {definition!r}; use inactivity or cancellation")
    tables = with_coded_topics(with_coded_ids(tables))  # once for every cutoff
    present = present_columns(tables) if present is None else present  # once for every cutoff
    for cutoff_day in training_cutoffs(as_of, horizon_days, cutoff_count):
        features = build_features(
            tables,
            cutoff_day,
            lookback_days,
            topic_keywords,
            present=present,
            referrer_activity=None if referrer_activity is None else referrer_activity[cutoff_day],
        )
        labels = labeller(tables, features.index, cutoff_day, horizon_days)
        yield features.assign(cutoff=cutoff_day, churned=labels).set_index("cutoff", append=True)
