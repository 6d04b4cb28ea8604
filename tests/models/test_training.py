"""Training: the out-of-time split, refusals, calibration, metrics, and the three models end to end."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.isotonic import IsotonicRegression

from features.build import build_training_set
from features.config import ChurnConfig, reasons_without_evidence, unseen_reasons_sentence
from models.metrics import evaluate, expected_calibration_error
from models.split import TrainingDataError, split_out_of_time
from models.train_run import HistoryNote
from models.training import LABEL, Calibration, annual_value, check_learnable, train_models


def month_end_rows(days: list[str], churned: list[int] | None = None) -> pd.DataFrame:
    """One customer per cutoff: enough rows to check which cutoff lands where."""
    index = pd.MultiIndex.from_arrays(
        [[f"C{i}" for i in range(len(days))], pd.to_datetime(days)], names=["customer_id", "cutoff"]
    )
    labels = churned if churned is not None else [i % 2 for i in range(len(days))]
    return pd.DataFrame({"days_since_last_order": 1.0, LABEL: labels}, index=index)


def test_split_keeps_a_horizon_between_train_validation_and_test():
    days = pd.date_range("2024-01-31", periods=12, freq="ME").strftime("%Y-%m-%d").tolist()
    split = split_out_of_time(month_end_rows(days), horizon_days=90)
    assert split.cutoffs["test"] == ["2024-12-31"]
    # 2024-09-30 + 90 days = 2024-12-29 ≤ the test cutoff; 2024-10-31 + 90 days would reach past it
    assert split.cutoffs["validation"] == ["2024-09-30"]
    assert split.cutoffs["train"][-1] == "2024-06-30"
    assert split.cutoffs["train"][0] == "2024-01-31"


def test_too_little_history_for_the_horizon_is_a_clear_error():
    days = ["2024-10-31", "2024-11-30", "2024-12-31"]
    with pytest.raises(
        TrainingDataError, match=r"too little history for a 90-day horizon: 3 month-end cutoffs"
    ):
        split_out_of_time(month_end_rows(days), horizon_days=90)


def test_a_history_shorter_than_the_settings_assume_is_said():
    """24 month ends asked for, as of 2025-12-31 (the last one whose 90-day labels close: 2025-09-30),
    on orders from 2024-09-01: the 12 month ends before them have no customer, and the 11 after them
    before 2025-09-01 have under a year of orders behind them."""
    churn = ChurnConfig(horizon_days=90, training_cutoffs=24, lookback_days=365)
    days = pd.date_range("2024-09-30", "2025-09-30", freq="ME").strftime("%Y-%m-%d").tolist()
    note = HistoryNote.of(month_end_rows(days), "2024-09-01 08:00:00", "2025-12-31", churn)
    assert note.sentences() == [
        "Only 13 of the 24 month-end cutoffs (churn.training_cutoffs) have customers: the orders start "
        "on 2024-09-01.",
        "12 of the cutoffs trained on (2024-09-30 to 2025-08-31) have less than the 365-day lookback of "
        "orders before them: there a customer's longer windows count less than a full history would.",
    ]
    # Orders from a year before the first cutoff: nothing to say.
    full = pd.date_range("2023-10-31", "2025-09-30", freq="ME").strftime("%Y-%m-%d").tolist()
    assert HistoryNote.of(month_end_rows(full), "2022-10-31 00:00:00", "2025-12-31", churn) is None


def test_one_class_or_too_few_of_a_class_is_refused():
    days = pd.date_range("2024-01-31", periods=12, freq="ME").strftime("%Y-%m-%d").tolist()
    nobody_leaves = split_out_of_time(month_end_rows(days, churned=[0] * 12), horizon_days=90)
    with pytest.raises(TrainingDataError, match=r"the train cutoffs \(2024-01-31, .*\) hold only stayers"):
        check_learnable(nobody_leaves)
    few = split_out_of_time(month_end_rows(days), horizon_days=90)
    with pytest.raises(TrainingDataError, match=r"hold 3 churners and 3 stayers; at least 50 of each"):
        check_learnable(few)


def test_features_with_one_value_everywhere_are_refused_in_words():
    days = pd.date_range("2024-01-31", periods=12, freq="ME").strftime("%Y-%m-%d").tolist()
    churned = [(i // 12) % 2 for i in range(12 * 200)]  # each cutoff: 100 churners, 100 stayers
    split = split_out_of_time(month_end_rows(days * 200, churned), horizon_days=90)
    check_learnable(split)
    with pytest.raises(TrainingDataError, match=r"every feature has one value in all 1,200 training rows"):
        train_models(split)


def test_calibration_travels_as_numbers_and_predicts_like_isotonic_regression():
    rng = np.random.default_rng(0)
    score = rng.random(2_000)
    churned = (rng.random(2_000) < score**2).astype(float)
    calibration = Calibration.fit(score, churned)
    restored = Calibration.from_dict(calibration.to_dict())
    fresh = rng.random(500) * 1.2 - 0.1  # also outside the fitted range: clipped
    isotonic = IsotonicRegression(out_of_bounds="clip", y_min=0, y_max=1).fit(score, churned)
    np.testing.assert_allclose(restored.apply(fresh), isotonic.predict(fresh), rtol=0, atol=3e-6)
    # inside isotonic's flat steps the raw order survives: no ties for AUC or the top-10% cut
    ordered = np.sort(fresh)
    assert np.all(np.diff(restored.apply(ordered)) > 0)


def test_metrics_on_a_hand_made_case():
    churned = np.array([1, 1, 0, 0, 0, 0, 0, 0, 0, 0] * 10)
    probability = np.array([0.9, 0.3, 0.8, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1] * 10)
    value = np.array([100, 50, 10, 10, 10, 10, 10, 10, 10, 10] * 10, dtype=float)
    metrics = evaluate(churned, probability, value)
    # the top 10% (10 rows) by probability are the ten 0.9s: all churners
    assert metrics["lift_top10"] == pytest.approx(1 / 0.2)
    assert metrics["recall_top10"] == pytest.approx(0.5)
    # by value at risk (0.9×100 = 90 first) the top ten also hold 1000 of the 1500 lost
    assert metrics["value_at_risk_top10_share"] == pytest.approx(1000 / 1500)
    # bins: 0.1 → 70 rows, observed 0; 0.3 → 10 rows, observed 1; 0.8 → 10, 0; 0.9 → 10, 1
    expected_ece = (70 * 0.1 + 10 * 0.7 + 10 * 0.8 + 10 * 0.1) / 100
    assert expected_calibration_error(churned.astype(float), probability) == pytest.approx(expected_ece)
    assert 0.5 < metrics["roc_auc"] <= 1


@pytest.fixture(scope="module")
def training_set():
    from features.synthetic import generate_crm

    crm = generate_crm(8_000, seed=11)
    tables = {n: f.assign(customer_id=f["customer_id"].astype(str)) for n, f in crm.tables.items()}
    return build_training_set(tables, "2025-12-31", horizon_days=90, cutoff_count=24)


def test_three_models_on_one_split_deterministic_for_a_seed(training_set):
    split = split_out_of_time(training_set, horizon_days=90)
    first, second = train_models(split, seed=3), train_models(split, seed=3)
    results = {}
    for name, model in first.by_name().items():
        probability = model.predict_proba(split.test)
        np.testing.assert_array_equal(probability, second.by_name()[name].predict_proba(split.test))
        results[name] = evaluate(split.test[LABEL].to_numpy(), probability, annual_value(split.test))
    assert results["xgboost"]["roc_auc"] > results["recency"]["roc_auc"] + 0.05
    assert results["logistic"]["roc_auc"] > results["recency"]["roc_auc"]
    assert results["xgboost"]["ece"] < 0.05
    assert first.best_iteration < 1999  # early stopping did stop
    assert unseen_reasons_sentence(first.xgboost.feature_names) is None  # every reason has a feature


def test_features_with_one_value_in_every_training_row_are_left_out(training_set):
    """The synthetic CRM has no contacts chasing an answer, about a new account manager, faulty goods
    or a personal tie: those features are all zeros, and the models are the ones trained without the
    columns at all (bit for bit), not ones whose column sampling drew different trees for their sake."""
    never_said = [
        "chasing_contacts_90d",
        "chasing_contacts_365d",
        "manager_change_contacts_365d",
        "quality_contacts_90d",
        "quality_contacts_365d",
        "personal_ties_contacts_365d",
    ]
    assert (training_set[never_said] == 0).all().all()
    rows = training_set.assign(
        never_known=np.nan,  # missing everywhere: one value too
        known_once=np.where(np.arange(len(training_set)) == 5, 1.0, np.nan),  # missing or not: kept
    )
    split = split_out_of_time(rows, horizon_days=90)
    trained = train_models(split, seed=3)
    left_out = [*never_said, "never_known"]
    assert sorted(trained.left_out) == sorted(left_out)
    expected = [name for name in rows.columns if name not in {LABEL, *left_out}]
    assert trained.xgboost.feature_names == expected and trained.logistic.feature_names == expected

    without = train_models(split_out_of_time(rows.drop(columns=left_out), horizon_days=90), seed=3)
    for name, model in trained.by_name().items():
        np.testing.assert_array_equal(
            model.predict_proba(split.test), without.by_name()[name].predict_proba(split.test)
        )


def test_a_transactions_only_shop_trains_too():
    from features.synthetic import generate_crm

    crm = generate_crm(8_000, seed=11)
    orders = crm.tables["orders"][["customer_id", "ordered_at", "amount"]]
    orders_only = build_training_set(
        {"orders": orders.assign(customer_id=orders["customer_id"].astype(str))},
        "2025-12-31",
        horizon_days=90,
        cutoff_count=24,
    )
    assert orders_only.shape[1] - 1 == 19  # the purchase features only
    split = split_out_of_time(orders_only, horizon_days=90)
    models = train_models(split, seed=0)
    auc = {
        name: evaluate(
            split.test[LABEL].to_numpy(), model.predict_proba(split.test), annual_value(split.test)
        )["roc_auc"]
        for name, model in models.by_name().items()
    }
    assert auc["xgboost"] > auc["recency"]
    # Orders show a shrinking basket (competitor) and nothing of the other reasons: whoever reads
    # this model's reasons is told which it can never name, and what would evidence them.
    unseen = reasons_without_evidence(models.xgboost.feature_names)
    assert list(unseen) == ["indifference", "product_quality", "personal_ties", "moved_or_died"]
    assert unseen["personal_ties"] == ["contacts.topic", "customers.referred_by"]
    assert "contacts.topic" in unseen["moved_or_died"] and "orders.region" in unseen["moved_or_died"]
    sentence = unseen_reasons_sentence(models.xgboost.feature_names)
    assert sentence.startswith("can never name indifference, product_quality, personal_ties, moved_or_died:")


def test_gate_decisions():
    from models.registry import decide_promotion

    good = {"roc_auc": 0.80, "ece": 0.02}
    assert decide_promotion(good, None, 0.005, 0.05) == (True, "first model: no champion yet")
    promoted, reason = decide_promotion({"roc_auc": 0.8, "ece": 0.09}, None, 0.005, 0.05)
    assert promoted and "calibration error 0.090 is above 0.050" in reason  # something must score
    assert decide_promotion(good, {"roc_auc": 0.804, "ece": 0.01}, 0.005, 0.05)[0]  # within tolerance
    promoted, reason = decide_promotion(good, {"roc_auc": 0.806, "ece": 0.01}, 0.005, 0.05)
    assert not promoted and "worse than the champion's 0.8060" in reason
    promoted, reason = decide_promotion(
        {"roc_auc": 0.9, "ece": 0.06}, {"roc_auc": 0.8, "ece": 0.01}, 0.005, 0.05
    )
    assert not promoted and reason == (
        "calibration error 0.060 is above the bound 0.050 (the champion's on these rows: 0.010)"
    )
    promoted, reason = decide_promotion(
        {"roc_auc": 0.9, "ece": 0.06}, {"roc_auc": 0.8, "ece": 0.07}, 0.005, 0.05
    )
    assert not promoted and reason.endswith("(the champion's on these rows: 0.070 too)")
    # A champion miscalibrated on the new rows loses to a calibrated challenger with skill...
    drifted = {"roc_auc": 0.81, "ece": 0.051}
    promoted, reason = decide_promotion(
        {"roc_auc": 0.78, "ece": 0.02}, drifted, 0.005, 0.05, baseline_auc=0.70
    )
    assert promoted and "the champion's calibration error on these rows, 0.051, is above" in reason
    # ...never to one that ranks no better than recency alone (calibrated to the base rate, say).
    promoted, reason = decide_promotion(
        {"roc_auc": 0.50, "ece": 0.02}, drifted, 0.005, 0.05, baseline_auc=0.70
    )
    assert not promoted and reason.endswith("test AUC 0.5000 does not beat the recency baseline's 0.7000")
