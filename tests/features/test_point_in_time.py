"""Point-in-time correctness: the cutoff boundary, no leakage, a slow reference, labels, parity."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from features.build import build_features, build_training_set
from features.config import load_feature_declarations, reason_codes
from features.errors import ConfigError
from features.timeline import (
    cutoff_instant,
    label_cancellation,
    label_inactivity,
    population,
    training_cutoffs,
)
from tests.features.reference import (
    HAND_MADE_CUTOFF,
    disagreements,
    hand_checked_values,
    hand_made_crm,
    reference_features,
)

AS_OF = "2025-03-31"
CUTOFF = pd.Timestamp("2025-04-01T00:00:00Z")
TIME_COLUMNS = {
    "orders": "ordered_at",
    "contacts": "contacted_at",
    "complaints": "opened_at",
    "surveys": "answered_at",
}


@pytest.fixture(scope="module")
def tables(small_crm) -> dict[str, pd.DataFrame]:
    """The synthetic CRM with ids as text, as `load_crm` hands tables to the feature builder."""
    return {
        name: frame.assign(customer_id=frame["customer_id"].astype(str))
        for name, frame in small_crm.tables.items()
    }


def orders_frame(rows: list[tuple[str, str, float]]) -> dict[str, pd.DataFrame]:
    frame = pd.DataFrame(rows, columns=["customer_id", "ordered_at", "amount"])
    return {"orders": frame.assign(ordered_at=pd.to_datetime(frame["ordered_at"], utc=True))}


def test_cutoff_is_midnight_utc_after_the_as_of_day():
    assert cutoff_instant("2025-03-31") == CUTOFF
    assert cutoff_instant(pd.Timestamp("2025-03-31T18:00:00+03:00")) == CUTOFF


def test_an_event_on_the_boundary_falls_on_the_documented_side():
    tables = orders_frame(
        [
            ("A", "2025-03-01T10:00:00Z", 10.0),
            ("A", "2025-03-31T23:59:59Z", 5.0),  # the last second of the as-of day: known
            ("A", "2025-04-01T00:00:00Z", 99.0),  # the cutoff instant itself: not known
        ]
    )
    features = build_features(tables, AS_OF)
    assert features.loc["A", "orders_total"] == 2
    assert features.loc["A", "spend_total"] == 15.0
    assert features.loc["A", "days_since_last_order"] == pytest.approx(1 / 86_400)


def test_events_after_the_cutoff_cannot_change_features(tables):
    """Deleting, or scrambling, everything after the cutoff leaves the features bit for bit."""
    before = build_features(tables, AS_OF)
    assert len(before) > 300

    deleted = {name: _before_cutoff(name, frame) for name, frame in tables.items()}
    pd.testing.assert_frame_equal(build_features(deleted, AS_OF), before, check_exact=True)

    rng = np.random.default_rng(9)
    scrambled = {name: _scramble_after_cutoff(name, frame, rng) for name, frame in tables.items()}
    pd.testing.assert_frame_equal(build_features(scrambled, AS_OF), before, check_exact=True)


def _before_cutoff(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    if name in TIME_COLUMNS:
        return frame[frame[TIME_COLUMNS[name]] < CUTOFF]
    # customers: forget sign-ups and contract ends that lie after the cutoff
    late = frame["signed_up_at"] >= CUTOFF
    return frame[~late].assign(cancelled_at=frame["cancelled_at"].where(frame["cancelled_at"] < CUTOFF))


def _scramble_after_cutoff(name: str, frame: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    frame = frame.copy()
    if name == "customers":
        ends_later = frame["cancelled_at"] >= CUTOFF
        frame.loc[ends_later, "cancelled_at"] += pd.to_timedelta(rng.integers(0, 400, ends_later.sum()), "D")
        return frame
    after = frame[TIME_COLUMNS[name]] >= CUTOFF
    for column in frame.columns:
        if column == TIME_COLUMNS[name]:
            frame.loc[after, column] += pd.to_timedelta(rng.integers(0, 300, after.sum()), "D")
        else:
            frame.loc[after, column] = rng.permutation(frame.loc[after, column].to_numpy())
    # and a few extra orders from the future for customers who would otherwise look inactive
    if name == "orders":
        extra = frame[after].head(50).assign(amount=1e6)
        frame = pd.concat([frame, extra], ignore_index=True)
    return frame


def test_the_reference_agrees_with_values_worked_out_by_hand():
    features = reference_features(hand_made_crm(), ["A", "B", "C"], HAND_MADE_CUTOFF)
    assert list(features.columns) == list(load_feature_declarations())
    assert disagreements(features, hand_checked_values()) == []


def test_the_builder_agrees_with_values_worked_out_by_hand():
    features = build_features(hand_made_crm(), HAND_MADE_CUTOFF - pd.Timedelta(days=1))
    assert disagreements(features, hand_checked_values()) == []


def test_every_vectorised_feature_agrees_with_the_slow_reference(tables):
    """All declared features, on random synthetic data, against a per-customer loop over raw events."""
    features = build_features(tables, AS_OF)
    sample = features.index[::5]
    expected = reference_features(tables, sample, CUTOFF)
    assert list(expected.columns) == list(features.columns) == list(load_feature_declarations())
    pd.testing.assert_frame_equal(features.loc[sample], expected, check_exact=False, rtol=1e-9, atol=1e-6)


def test_every_reason_category_has_declared_features(tables):
    declared = load_feature_declarations()
    features = build_features(tables, AS_OF)
    assert set(features.columns) == set(declared)
    assert {declared[name].reason for name in features.columns} == {"activity", *reason_codes()}


def test_population_rules():
    tables = orders_frame(
        [
            ("recent", "2025-03-01T00:00:00Z", 1.0),
            ("lapsed", "2024-03-30T00:00:00Z", 1.0),  # last order 367 days before the cutoff
            ("just_in", "2024-04-01T00:00:00Z", 1.0),  # exactly 365 days: still in
            ("future", "2025-04-02T00:00:00Z", 1.0),  # first order after the as-of date
            ("cancelled", "2025-03-01T00:00:00Z", 1.0),
            ("cancels_later", "2025-03-01T00:00:00Z", 1.0),
        ]
    )
    tables["customers"] = pd.DataFrame(
        {
            "customer_id": ["recent", "lapsed", "just_in", "future", "cancelled", "cancels_later"],
            "cancelled_at": pd.to_datetime(
                [None, None, None, None, "2025-03-15T00:00:00Z", "2025-06-01T00:00:00Z"], utc=True
            ),
        }
    )
    assert population(tables, AS_OF).tolist() == ["cancels_later", "just_in", "recent"]
    assert population(tables, AS_OF, lookback_days=400).tolist() == [
        "cancels_later",
        "just_in",
        "lapsed",
        "recent",
    ]


def test_inactivity_labels_for_known_histories():
    tables = orders_frame(
        [
            ("stays", "2025-03-01T00:00:00Z", 1.0),
            ("stays", "2025-05-01T00:00:00Z", 1.0),
            ("leaves", "2025-03-01T00:00:00Z", 1.0),
            ("orders_at_cutoff", "2025-03-01T00:00:00Z", 1.0),
            ("orders_at_cutoff", "2025-04-01T00:00:00Z", 1.0),  # first instant of the horizon: counts
            ("orders_after_horizon", "2025-03-01T00:00:00Z", 1.0),
            ("orders_after_horizon", "2025-06-30T00:00:00Z", 1.0),  # cutoff + 90 days: outside
        ]
    )
    ids = pd.Index(["stays", "leaves", "orders_at_cutoff", "orders_after_horizon"])
    labels = label_inactivity(tables, ids, AS_OF, horizon_days=90)
    assert labels.to_dict() == {"stays": 0, "leaves": 1, "orders_at_cutoff": 0, "orders_after_horizon": 1}


def test_cancellation_labels_for_known_contracts():
    tables = {
        "customers": pd.DataFrame(
            {
                "customer_id": ["open", "ends_in_horizon", "ends_at_cutoff", "ends_at_horizon_end"],
                "cancelled_at": pd.to_datetime(
                    [None, "2025-05-15T12:00:00Z", "2025-04-01T00:00:00Z", "2025-06-30T00:00:00Z"], utc=True
                ),
            }
        )
    }
    ids = pd.Index(["open", "ends_in_horizon", "ends_at_cutoff", "ends_at_horizon_end"])
    labels = label_cancellation(tables, ids, AS_OF, horizon_days=90)
    assert labels.to_dict() == {
        "open": 0,
        "ends_in_horizon": 1,
        "ends_at_cutoff": 1,
        "ends_at_horizon_end": 0,
    }
    with pytest.raises(
        ConfigError, match="churn.definition is cancellation, which needs customers.cancelled_at"
    ):
        label_cancellation({"orders": pd.DataFrame()}, ids, AS_OF, 90)


def test_training_cutoffs_have_complete_label_windows():
    cutoffs = training_cutoffs("2025-12-31", horizon_days=90, count=3)
    assert cutoffs == [pd.Timestamp("2025-07-31"), pd.Timestamp("2025-08-31"), pd.Timestamp("2025-09-30")]
    for day in cutoffs:
        assert cutoff_instant(day) + pd.Timedelta(days=90) <= cutoff_instant("2025-12-31")
    # one day later, October's end becomes usable too
    assert training_cutoffs("2026-01-29", horizon_days=90, count=1) == [pd.Timestamp("2025-10-31")]


def test_training_rows_equal_a_scoring_run_on_that_date(tables):
    """Train/serve parity: a cutoff's rows in the training set are that date's scoring features."""
    training = build_training_set(tables, "2025-12-31", horizon_days=90, cutoff_count=3)
    assert training.index.get_level_values("cutoff").unique().tolist() == training_cutoffs(
        "2025-12-31", 90, 3
    )
    for day in training_cutoffs("2025-12-31", 90, 3):
        rows = training.xs(day, level="cutoff").drop(columns="churned")
        pd.testing.assert_frame_equal(rows, build_features(tables, day), check_exact=True)
    churn_rate = training["churned"].mean()
    assert 0.02 < churn_rate < 0.5


def test_return_records_lower_spend_but_are_not_orders():
    tables = orders_frame(
        [
            ("A", "2025-01-10T00:00:00Z", 100.0),
            ("A", "2025-03-30T00:00:00Z", -40.0),  # a return record: not a purchase
            ("A", "2025-04-10T00:00:00Z", -100.0),  # a return in the horizon is not staying
        ]
    )
    features = build_features(tables, AS_OF)
    assert features.loc["A", "orders_total"] == 1
    assert features.loc["A", "spend_total"] == 60.0
    assert features.loc["A", "days_since_last_order"] == pytest.approx(81.0)
    assert label_inactivity(tables, pd.Index(["A"]), AS_OF, 90).loc["A"] == 1
    only_returns = orders_frame([("B", "2025-03-01T00:00:00Z", -5.0)])
    assert population(only_returns, AS_OF).empty


def test_orders_at_the_same_instant_give_no_overdue_ratio():
    tables = orders_frame([("A", "2025-03-01T00:00:00Z", 1.0), ("A", "2025-03-01T00:00:00Z", 2.0)])
    features = build_features(tables, AS_OF)
    assert features.loc["A", "typical_gap_days"] == 0
    assert np.isnan(features.loc["A", "overdue_ratio"])
