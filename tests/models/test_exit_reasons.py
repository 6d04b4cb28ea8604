"""Exit-survey weights: which answers count at a date, the weight of each stated reason and the rows
it weighs, and that XGBoost trains with them when the setting says so."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import xgboost as xgb

from models.exit_reasons import (
    MAX_WEIGHT,
    MIN_ANSWERS,
    exit_reason_weights,
    stated_exit_reasons,
    training_weights,
)
from models.split import split_out_of_time
from models.training import LABEL, fit_booster_here

AS_OF = "2025-03-31"  # cutoff: 2025-04-01 00:00 UTC
KNOWN_BEFORE = pd.Timestamp("2025-04-01", tz="UTC")


def _answer(customer: str, answered_at: str, reason: str | None, kind: str = "exit") -> dict:
    return {
        "customer_id": customer,
        "answered_at": pd.Timestamp(answered_at, tz="UTC"),
        "kind": kind,
        "reason": reason,
    }


def test_every_exit_reason_stated_before_the_cutoff_is_kept():
    surveys = pd.DataFrame(
        [
            _answer("A", "2025-02-10", "product_quality"),
            _answer("A", "2025-01-10", "competitor"),  # an earlier answer is kept too
            _answer("A", "2025-05-01", "indifference"),  # after the as-of date: not known then
            _answer("B", "2025-03-31 23:59:59", "moved_or_died"),  # the last second of the as-of day
            _answer("C", "2025-04-01 00:00:00", "competitor"),  # at the cutoff: not before it
            _answer("D", "2025-01-05", None),  # an exit answer without a reason
            _answer("E", "2025-01-05", None, kind="pulse"),
        ]
    )
    stated = stated_exit_reasons({"surveys": surveys}, AS_OF)
    assert stated.to_dict("list") == {
        "customer_id": ["A", "A", "B"],
        "answered_at": [
            pd.Timestamp("2025-01-10", tz="UTC"),
            pd.Timestamp("2025-02-10", tz="UTC"),
            pd.Timestamp("2025-03-31 23:59:59", tz="UTC"),
        ],
        "reason": ["competitor", "product_quality", "moved_or_died"],
    }
    assert str(stated["answered_at"].dtype) == "datetime64[ns, UTC]"
    # The same answers in another order, as partitions gather them: the same frame.
    pd.testing.assert_frame_equal(stated_exit_reasons({"surveys": surveys.iloc[::-1]}, AS_OF), stated)


def test_without_exit_reasons_nothing_is_stated():
    assert stated_exit_reasons({}, AS_OF).empty
    pulse_only = pd.DataFrame([_answer("A", "2025-01-10", None, kind="pulse")]).drop(columns="reason")
    none = stated_exit_reasons({"surveys": pulse_only}, AS_OF)
    assert none.empty
    # Typed as answers are, so that partitions with and without answers gather into the same types.
    some = stated_exit_reasons({"surveys": pd.DataFrame([_answer("A", "2025-01-10", "competitor")])}, AS_OF)
    assert none.dtypes.to_dict() == some.dtypes.to_dict()
    pd.testing.assert_frame_equal(pd.concat([none, some], ignore_index=True), some)


def _training_rows(rows: list[tuple[str, str, int]]) -> pd.DataFrame:
    index = pd.MultiIndex.from_arrays(
        [[customer for customer, _, _ in rows], pd.to_datetime([cutoff for _, cutoff, _ in rows])],
        names=["customer_id", "cutoff"],
    )
    return pd.DataFrame({"days_since_last_order": 1.0, LABEL: [label for *_, label in rows]}, index=index)


def _stated(reasons: dict[str, tuple[str, str]], *more: tuple[str, str, str]) -> pd.DataFrame:
    """{customer: (reason, answered at)}, and more (customer, reason, answered at) answers, as
    `stated_exit_reasons` gives them."""
    answers = [(customer, reason, day) for customer, (reason, day) in reasons.items()] + list(more)
    return pd.DataFrame(
        {
            "customer_id": [customer for customer, _, _ in answers],
            "answered_at": pd.to_datetime([day for *_, day in answers], utc=True),
            "reason": [reason for _, reason, _ in answers],
        }
    )


def test_each_stated_reason_weighs_the_churned_rows_of_the_year_before_the_answer():
    # 30 said indifference, 10 competitor: as if both were equally common, 1/(2 × 0.75) and 1/(2 × 0.25).
    stated = _stated(
        {f"I{i}": ("indifference", "2025-01-15") for i in range(30)}
        | {f"K{i}": ("competitor", "2025-01-15") for i in range(10)}
    )
    rows = _training_rows(
        [
            ("I0", "2024-12-31", 1),
            ("I0", "2024-09-30", 0),  # before they were leaving: a stayer's row
            ("K3", "2024-12-31", 1),
            ("K3", "2024-11-30", 1),
            ("K3", "2023-06-30", 1),  # a lapse more than a year before the answer: another story
            ("K4", "2025-01-31", 1),  # after the answer: not the departure it explains
            ("K5", "2025-01-14", 1),  # answered at this row's cutoff instant, not after it
            ("K6", "2024-01-15", 1),  # answered 365 days after this row's cutoff instant: still its year
            ("X", "2024-12-31", 1),  # a churner who never answered
            ("Y", "2024-12-31", 0),
        ]
    )
    weights = exit_reason_weights(rows, LABEL, stated, KNOWN_BEFORE)
    np.testing.assert_allclose(weights.row_weights, [2 / 3, 1, 2, 2, 1, 1, 1, 2, 1, 1])
    assert weights.by_reason == pytest.approx({"competitor": 2.0, "indifference": 2 / 3})
    assert (weights.answers, weights.weighted_row_count) == (40, 4)


def test_answers_from_after_the_validation_cutoff_weigh_nothing():
    """The split's validation and test leavers answer after the validation cutoff: their answers
    must reach neither the training rows nor the reasons' shares."""
    days = pd.date_range("2024-01-31", periods=12, freq="ME")  # validation 2024-09-30, test 2024-12-31
    rows = _training_rows([(f"C{i}", f"{day:%Y-%m-%d}", 1) for i, day in enumerate(days.repeat(10))])
    split = split_out_of_time(rows, horizon_days=90)
    before = {f"C{i}": ("competitor" if i % 4 else "indifference", "2024-09-30 12:00") for i in range(40)}
    after = {f"C{i}": ("moved_or_died", "2024-10-01 00:00") for i in range(40, 80)}
    # C0 came back, left again and answered again in the validation window: its earlier answer counts.
    again = ("C0", "personal_ties", "2024-11-15 00:00")
    weights = training_weights(split, _stated(before | after, again))
    assert weights.answers == 40 and set(weights.by_reason) == {"competitor", "indifference"}
    customers = split.train.index.get_level_values("customer_id")
    assert (weights.row_weights[customers.isin(list(after))] == 1).all()
    assert (weights.row_weights[customers.isin(list(before))] != 1).all()
    assert weights.row_weights[customers == "C0"] == pytest.approx([1 / (2 * 0.25)])  # indifference


def test_few_answers_weigh_nothing_and_a_rare_reason_weighs_at_most_the_cap():
    rows = _training_rows([("A", "2024-12-31", 1), ("B", "2024-12-31", 1)])
    few = {f"C{i}": ("indifference", "2025-01-15") for i in range(MIN_ANSWERS - 2)}
    few["A"] = ("competitor", "2025-01-15")
    assert (exit_reason_weights(rows, LABEL, _stated(few), KNOWN_BEFORE).row_weights == 1).all()
    enough = _stated(few | {"Z": ("indifference", "2025-01-15")})  # MIN_ANSWERS customers
    assert exit_reason_weights(rows, LABEL, enough, KNOWN_BEFORE).row_weights[0] == MAX_WEIGHT
    many = {f"C{i}": ("indifference", "2025-01-15") for i in range(99)} | {
        "B": ("moved_or_died", "2025-01-15")
    }
    weights = exit_reason_weights(rows, LABEL, _stated(many), KNOWN_BEFORE)
    assert weights.by_reason["moved_or_died"] == MAX_WEIGHT  # 1 / (2 × 0.01) = 50 otherwise
    np.testing.assert_allclose(weights.row_weights, [1, MAX_WEIGHT])


def test_the_booster_trains_with_the_weights():
    rng = np.random.default_rng(0)
    x = pd.DataFrame({"signal": rng.normal(size=4_000)})
    y = (rng.random(4_000) < 1 / (1 + np.exp(-x["signal"].to_numpy()))).astype(int)
    valid = (x.iloc[:1_000], y[:1_000])
    light, _ = fit_booster_here(x, y, np.where(y == 1, 0.05, 1.0), *valid, 0)
    even, _ = fit_booster_here(x, y, np.ones(len(y)), *valid, 0)
    matrix = xgb.DMatrix(x)
    assert light.predict(matrix).mean() < 0.5 * even.predict(matrix).mean()


@pytest.mark.parametrize("weigh", [True, False])
def test_the_setting_decides_whether_training_weighs(monkeypatch, weigh):
    """`training.weight_by_exit_reasons` reaches the booster (the models themselves are trained for
    real in tests/models/test_registry.py; here only what train_on hands on is caught)."""
    from features.config import PipelineConfig
    from models import train_run

    handed = {}
    monkeypatch.setattr(
        train_run, "train_models", lambda split, **given: handed.update(given, split=split) or "models"
    )
    monkeypatch.setattr(train_run, "register_and_gate", lambda *args, **given: given["weights"])
    days = pd.date_range("2024-01-31", periods=12, freq="ME")
    rows = _training_rows([(f"C{i}", f"{day:%Y-%m-%d}", i % 2) for i, day in enumerate(days.repeat(10))])
    # Uneven reasons, so that weights of 1 handed on instead would be caught.
    reasons = ("competitor", "indifference", "indifference")
    stated = _stated({f"C{i}": (reasons[i % 3], "2024-08-01") for i in range(1, 120, 2)})
    source = train_run.TrainingInput({"tables": {"orders": {"first": None}}}, None, stated)
    config = PipelineConfig.model_validate({"training": {"weight_by_exit_reasons": weigh}})
    recorded = train_run.train_on(rows, source, pd.Timestamp("2024-12-31"), config)
    if weigh:
        expected = training_weights(handed["split"], stated)
        assert (expected.row_weights != 1).any()
        np.testing.assert_array_equal(handed["booster_weights"], expected.row_weights)
        assert recorded.weighted_row_count == expected.weighted_row_count
    else:
        assert handed["booster_weights"] is None and recorded is None
