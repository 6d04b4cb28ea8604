"""Tonight's export rows: the schema's columns, the champion's probabilities, value, priority,
playbook actions in five languages, and reasons that are right on a CRM with known truth."""

from __future__ import annotations

import json

import jsonschema
import numpy as np
import pandas as pd
import pytest

from features.build import build_features, build_training_set
from features.config import LANGUAGES, MonitoringConfig, RiskTiers, load_messages, load_reasons
from models.metrics import evaluate
from models.monitoring import assess, build_reference, feed_at, profile_night
from models.reason_accuracy import OBSERVABLE, reason_accuracy
from models.scoring import EXPORT_SCHEMA, export_columns, score_customers
from models.split import split_out_of_time
from models.training import LABEL, annual_value, train_models
from pipelines.export import check_export

AS_OF = pd.Timestamp("2025-09-30")
TIERS = RiskTiers(high=0.4, medium=0.2)


@pytest.fixture(scope="module")
def scored():
    from features.synthetic import generate_crm

    crm = generate_crm(6_000, seed=5)
    tables = {n: f.assign(customer_id=f["customer_id"].astype(str)) for n, f in crm.tables.items()}
    models = train_models(split_out_of_time(build_training_set(tables, AS_OF, 90, 24), 90), seed=0)
    features = build_features(tables, AS_OF)
    rows = {
        lang: score_customers(
            models.xgboost,
            features,
            as_of=AS_OF,
            model_name="churn-risk",
            model_version="7",
            tiers=TIERS,
            lang=lang,
        )
        for lang in LANGUAGES
    }
    return models.xgboost, features, rows


def test_rows_follow_the_json_schema_and_pass_the_export_check(scored):
    _, features, rows = scored
    english = rows["en"]
    assert english.columns.tolist() == export_columns()
    assert len(english) == len(features) and english["customer_id"].is_unique
    check_export(english)
    schema = json.loads(EXPORT_SCHEMA.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    as_json = json.loads(english.head(300).to_json(orient="records", date_format="iso"))
    for record in as_json:
        record["as_of"] = record["as_of"][:10]
        validator.validate(record)


def test_probability_value_and_priority(scored):
    model, features, rows = scored
    english = rows["en"].set_index("customer_id")
    np.testing.assert_allclose(english["churn_probability"], model.predict_proba(features))
    value = np.clip(annual_value(features), 0, None)
    # Money to the cent, as a CRM holds it.
    np.testing.assert_array_equal(english["expected_annual_value"], np.round(value, 2))
    np.testing.assert_array_equal(english["value_at_risk"], np.round(english["churn_probability"] * value, 2))
    assert (english["expected_annual_value"] != value).any()  # the rounding had cents to round
    tier = english["risk_tier"]
    assert (english.loc[tier == "high", "churn_probability"] >= 0.4).all()
    assert english.loc[tier == "medium", "churn_probability"].between(0.2, 0.4, inclusive="left").all()
    assert (english.loc[tier == "low", "churn_probability"] < 0.2).all()

    ranked = english.dropna(subset=["priority_rank"]).sort_values("priority_rank")
    assert ranked["priority_rank"].tolist() == list(range(1, len(ranked) + 1))
    assert ranked["value_at_risk"].is_monotonic_decreasing
    assert ranked["preventable"].all()
    # No rank: not preventable, or nothing raises the risk above a staying customer's (no survey
    # reason, no activity): nothing to prevent, however much such a customer spends.
    nothing = english["reason_1"].isna() & (english["activity_share"] == 0)
    unranked = english["priority_rank"].isna()
    assert (unranked == (~english["preventable"] | nothing)).all()
    assert nothing.any()
    riskiest_nothing = english.loc[nothing, "churn_probability"].max()
    assert riskiest_nothing < english.loc[english["reason_1"].notna(), "churn_probability"].median()


def test_actions_and_preventable_follow_the_playbook_for_reason_1(scored):
    _, _, rows = scored
    by_code = {reason.code: reason for reason in load_reasons()}
    for lang, frame in rows.items():
        with_reason = frame[frame["reason_1"].notna()]
        expected = with_reason["reason_1"].map(
            {code: reason.action[lang] for code, reason in by_code.items()}
        )
        assert (with_reason["recommended_action"] == expected).all()
        assert (
            with_reason["preventable"] == with_reason["reason_1"].map(lambda c: by_code[c].preventable)
        ).all()
    english = rows["en"]
    not_preventable = english[~english["preventable"]]
    assert set(not_preventable["reason_1"]) <= {"moved_or_died", "personal_ties"}
    assert len(not_preventable) > 0


def test_codes_stay_while_words_follow_the_language(scored):
    _, _, rows = scored
    english, ukrainian = rows["en"], rows["uk"]
    codes = [f"reason_{k}" for k in (1, 2, 3)]
    pd.testing.assert_frame_equal(english[codes], ukrainian[codes])
    labels = {reason.code: reason.label["uk"] for reason in load_reasons()}
    given = ukrainian.dropna(subset=["reason_1"])
    assert (given["reason_1_label"] == given["reason_1"].map(labels)).all()
    assert given["reason_1_detail"].str.contains("[а-яіїєґ]", regex=True).all()  # Ukrainian words
    assert not english.dropna(subset=["reason_1"])["reason_1_detail"].str.contains("[а-я]", regex=True).any()


def test_without_a_survey_reason_the_row_says_so_and_invents_none(scored):
    _, _, rows = scored
    messages = load_messages()
    for lang, frame in rows.items():
        alone = frame[frame["reason_1"].isna() & (frame["activity_share"] > 0)]
        nothing = frame[frame["reason_1"].isna() & (frame["activity_share"] == 0)]
        assert len(alone) > 0 and len(nothing) > 0
        assert (alone["reason_1_detail"] == messages.activity_only[lang]).all()
        assert (alone["recommended_action"] == messages.activity_action[lang]).all()
        assert (alone["activity_share"] == 1).all()  # the only positive contribution
        assert (nothing["reason_1_detail"] == messages.no_risk_factor[lang]).all()
        assert (nothing["recommended_action"] == messages.no_risk_action[lang]).all()
        for empty in (alone, nothing):
            assert empty[["reason_1_label", "reason_2", "reason_3", "reason_1_share"]].isna().all().all()


def test_a_reason_below_the_minimum_share_is_read_as_activity_alone(scored):
    """scoring.min_reason_share 0.05: a first reason with under 5% of the push names no reason, no
    action and no `preventable: false` (a faint personal tie must not take a customer off the calls);
    the reasons at or above it, their shares and the probabilities are the default run's."""
    model, features, rows = scored
    default = rows["en"]
    strict = score_customers(
        model,
        features,
        as_of=AS_OF,
        model_name="churn-risk",
        model_version="7",
        tiers=TIERS,
        min_reason_share=0.05,
    )
    faint = (default["reason_1_share"] < 0.05).to_numpy()
    assert faint.sum() > 20 and (default.loc[faint, "reason_1"] != "indifference").any()
    became = strict[faint]
    assert became["reason_1"].isna().all() and became["reason_2"].isna().all()
    assert (became["reason_1_detail"] == load_messages().activity_only["en"]).all()
    assert became["preventable"].all() and became["priority_rank"].notna().all()
    for k in (1, 2, 3):  # every reason still named has at least the minimum share
        named = strict[f"reason_{k}"].notna()
        assert (strict.loc[named, f"reason_{k}_share"] >= 0.05).all()
        kept = named & default[f"reason_{k}"].notna()
        pd.testing.assert_series_equal(strict.loc[kept, f"reason_{k}"], default.loc[kept, f"reason_{k}"])
    pd.testing.assert_series_equal(strict["churn_probability"], default["churn_probability"])
    # Monitoring's reference mix is named the same way, so a night compares like with like.
    from models.monitoring import drift_reference
    from models.reason_accuracy import ACTIVITY_ONLY

    loose_reference, tight_reference = (drift_reference(model, features, share) for share in (0.0, 0.05))
    loose, tight = loose_reference["reason_mix"], tight_reference["reason_mix"]
    assert tight[ACTIVITY_ONLY] > loose[ACTIVITY_ONLY] and sum(tight.values()) == sum(loose.values())
    # And says how, so that a night named another way is not compared with it (test_monitoring).
    assert (loose_reference["min_reason_share"], tight_reference["min_reason_share"]) == (0.0, 0.05)
    pd.testing.assert_frame_equal(
        strict[~faint][["reason_1", "reason_1_share"]], default[~faint][["reason_1", "reason_1_share"]]
    )


def test_reason_accuracy_on_a_hand_made_case():
    scores = pd.DataFrame(
        {
            "customer_id": ["A", "B", "C", "D", "E", "F", "G"],
            "as_of": "2025-09-30",
            "risk_tier": ["high", "high", "low", "high", "low", "high", "high"],
            "reason_1": [
                "indifference",
                "competitor",
                "indifference",
                None,
                "moved_or_died",
                "competitor",
                None,
            ],
            "activity_share": [0.2, 0.1, 0.0, 1.0, 0.3, 0.0, 0.0],  # G: nothing raises its risk
        }
    )
    truth = pd.DataFrame(
        {
            "customer_id": ["A", "B", "C", "D", "E", "F"],
            # E left the day after the horizon ends, F never: neither counts as a leaver.
            "churned_at": pd.to_datetime(
                ["2025-10-05", "2025-11-01", "2025-12-28", "2025-10-02", "2025-12-30", None], utc=True
            ),
            "true_reason": [
                "indifference",
                "product_quality",
                "indifference",
                "competitor",
                "moved_or_died",
                None,
            ],
        }
    )
    result = reason_accuracy(scores, truth, horizon_days=90)
    assert result.by_reason.loc["indifference", "leavers"] == 2
    assert result.by_reason.loc["indifference", "correct_share"] == 1.0
    assert result.by_reason.loc["indifference", "high_risk_correct_share"] == 1.0
    assert result.by_reason.loc["product_quality", "correct_share"] == 0.0
    assert result.by_reason.loc["competitor", "correct_share"] == 0.0  # D's reason_1 is empty
    assert result.by_reason.loc["moved_or_died", "leavers"] == 0
    assert result.balanced == pytest.approx(1 / 3)  # over the observable categories that had leavers
    assert result.unmeasured() == ["moved_or_died"] and result.in_truth == 6  # G is not in the truth
    assert result.unmeasured(high_risk=True) == ["moved_or_died"]  # B, D: high-risk leavers with a reason
    assert result.high_risk == 5
    # Where each leaver's reason_1 went: A and C right, B named competitor, D nothing but activity
    named_as = result.named_as
    assert named_as.to_numpy().sum() == 4 and named_as.loc["indifference", "indifference"] == 2
    assert named_as.loc["product_quality", "competitor"] == 1
    assert named_as.loc["competitor", "(activity only)"] == 1
    assert named_as.loc["moved_or_died"].sum() == 0  # E left after the horizon
    mix = result.mix
    assert mix.loc["competitor", "high_risk_share"] == pytest.approx(2 / 5)
    assert mix.loc["(activity only)", "high_risk_share"] == pytest.approx(1 / 5)  # D
    assert mix.loc["(nothing raises the risk)", "high_risk_share"] == pytest.approx(1 / 5)  # G
    assert mix["high_risk_share"].sum() == pytest.approx(1)
    # Among the high-risk customers given a survey reason (A, B, F), as the survey's shares count
    assert mix.loc["competitor", "named_share"] == pytest.approx(2 / 3)
    assert mix.loc["indifference", "named_share"] == pytest.approx(1 / 3)
    assert mix["named_share"].sum() == pytest.approx(1) and mix["survey_share"].sum() == pytest.approx(1)
    assert np.isnan(mix.loc["(activity only)", "named_share"])
    codes = [reason.code for reason in load_reasons()]  # the survey's order, then the rows without one
    assert list(mix.index) == [*codes, "(activity only)", "(nothing raises the risk)"]


def test_exit_survey_agreement_counts_each_customers_latest_answer_after_the_as_of_date():
    from models.reason_accuracy import exit_survey_agreement

    scores = pd.DataFrame(
        {
            "customer_id": ["A", "B", "C"],
            "as_of": "2025-09-30",
            "reason_1": ["competitor", "indifference", None],
        }
    )
    surveys = pd.DataFrame(
        {
            "customer_id": ["A", "A", "B", "B", "C", "Z"],
            "kind": ["exit", "exit", "exit", "pulse", "exit", "exit"],
            # A answered twice after the as-of date: the latest (competitor) counts. B's exit answer came
            # before it (a reason known at scoring time is no test of the scores); Z was not scored.
            "answered_at": pd.to_datetime(
                ["2025-10-20", "2025-10-05", "2025-09-29", "2025-10-10", "2025-11-01", "2025-10-01"], utc=True
            ),
            "reason": ["competitor", "indifference", "indifference", None, "moved_or_died", "competitor"],
        }
    )
    assert exit_survey_agreement(scores, surveys) == (2, 0.5)  # A agrees, C (no reason_1) does not


def test_on_fifty_thousand_customers_xgboost_beats_recency_and_is_calibrated(fifty_thousand_customers):
    """The training issue's bar, on the demo's CRM size with every table (README: Training); here,
    beside the other tests of the 50,000-customer fixture, so that one test process builds it."""
    _, models, _ = fifty_thousand_customers
    split = models.split
    churned, value = split.test[LABEL].to_numpy(), annual_value(split.test)
    xgboost = evaluate(churned, models.xgboost.predict_proba(split.test), value)
    recency = evaluate(churned, models.recency.predict_proba(split.test), value)
    assert xgboost["roc_auc"] >= recency["roc_auc"] + 0.05
    assert xgboost["ece"] <= 0.03


def _demo_reason_accuracy(fifty_thousand_customers, model):
    crm, _, features = fifty_thousand_customers
    rows = score_customers(
        model, features, as_of=AS_OF, model_name="churn-risk", model_version="1", tiers=TIERS
    )
    return reason_accuracy(rows, crm.truth, horizon_days=90)


@pytest.fixture(scope="module")
def demo_reason_accuracy(fifty_thousand_customers):
    """`churn evaluate`'s figures for the demo's CRM scored by the champion: computed once."""
    return _demo_reason_accuracy(fifty_thousand_customers, fifty_thousand_customers[1].xgboost)


def test_on_fifty_thousand_customers_the_reasons_are_right(demo_reason_accuracy):
    """The issue's bar, measured as `churn evaluate` measures it (README: Reasons)."""
    result = demo_reason_accuracy
    observable = result.by_reason.loc[list(OBSERVABLE)]
    # The bar (balanced >= 0.75, each observable category >= 0.6) holds for the high-risk
    # customers a manager calls (0.848 here, trained with the exit-survey weights as `churn train`
    # trains); over all leavers, whose reasons are often still faint at the as-of date, it is not
    # met (0.725): README, "Are the reasons right?", gives the figures and why.
    assert result.balanced_high_risk >= 0.75
    assert (observable["high_risk_correct_share"] >= 0.6).all()
    assert result.balanced >= 0.7
    assert (observable["correct_share"] >= 0.55).all()


def test_on_fifty_thousand_customers_the_stayers_reference_makes_the_reasons_more_right(
    fifty_thousand_customers, demo_reason_accuracy
):
    """Why the reasons are measured against the stayers (README: Nightly scoring, step 4): on the
    demo's CRM, against TreeSHAP's own baseline they are right less often, for every leaver and for
    the high-risk ones."""
    import dataclasses

    own_baseline = dataclasses.replace(fifty_thousand_customers[1].xgboost, reference_contributions=None)
    before = _demo_reason_accuracy(fifty_thousand_customers, own_baseline)
    assert demo_reason_accuracy.balanced > before.balanced + 0.005
    # Over the high-risk leavers (41 competitor ones: one customer moves the score by 0.006), no worse.
    assert demo_reason_accuracy.balanced_high_risk >= before.balanced_high_risk - 0.01


def test_a_champion_needing_absent_features_is_refused_by_name(scored):
    from models.scoring import MissingFeaturesError

    model, features, _ = scored
    without = features.drop(columns=["latest_pulse_score", "region_changed_180d"])
    with pytest.raises(
        MissingFeaturesError, match=r"version 7 was trained on features this CRM cannot give: "
    ):
        score_customers(model, without, as_of=AS_OF, model_name="churn-risk", model_version="7", tiers=TIERS)
    with pytest.raises(MissingFeaturesError, match=r"latest_pulse_score, region_changed_180d; their source"):
        score_customers(model, without, as_of=AS_OF, model_name="churn-risk", model_version="7", tiers=TIERS)


def test_text_columns_keep_their_type_when_empty_on_every_row(scored, tmp_path):
    """A Parquet schema that changed from night to night would break a typed warehouse load."""
    import pyarrow.parquet as pq

    from pipelines.export import write_export

    model, features, _ = scored
    # Customers with no survey reason: every reason and label column is empty on every row.
    english = score_customers(model, features, as_of=AS_OF, model_name="m", model_version="1", tiers=TIERS)
    alone = features.loc[english.set_index("customer_id")["reason_1"].isna().to_numpy()]
    rows = score_customers(model, alone, as_of=AS_OF, model_name="m", model_version="1", tiers=TIERS)
    assert rows["reason_1"].isna().all() and rows["reason_2_label"].isna().all()
    write_export(rows, [tmp_path / "s.parquet"])
    schema = pq.read_schema(tmp_path / "s.parquet")
    for column in ("reason_1", "reason_2_label", "reason_3_detail"):
        assert str(schema.field(column).type) in ("string", "large_string"), column


# Every feature computed from order amounts: tripling them may move these and nothing else.
AMOUNT_FEATURES = {
    "spend_30d",
    "spend_90d",
    "spend_180d",
    "spend_365d",
    "spend_total",
    "spend_trend_90d",  # a difference of two spends, in currency
    "avg_order_value",
}


def test_a_shifted_population_raises_drift_on_the_features_that_moved(fifty_thousand_customers):
    """Monitoring against the training reference: quiet on the night the model was made for; when
    every order amount triples (a currency switch in the feed), the spend features warn, the rest not."""
    crm, models, _ = fifty_thousand_customers
    tables = {n: f.assign(customer_id=f["customer_id"].astype(str)) for n, f in crm.tables.items()}
    reference = build_reference(models.xgboost, models.split.test, feed_at(tables, AS_OF, 365), AS_OF)

    def monitor(tables_tonight):
        features = build_features(tables_tonight, AS_OF)
        rows = score_customers(
            models.xgboost, features, as_of=AS_OF, model_name="churn-risk", model_version="1", tiers=TIERS
        )
        profile = profile_night(tables_tonight, features, rows, reference, AS_OF)
        return assess(profile, reference, [], MonitoringConfig())

    def drifted(monitoring):
        return {check.name for check in monitoring.warned if check.kind == "drift"}

    calm = monitor(tables)
    assert not calm.failed and not drifted(calm), calm.headline()
    orders = tables["orders"]
    shifted = monitor({**tables, "orders": orders.assign(amount=orders["amount"] * 3)})
    moved = drifted(shifted) - {"score", "reason_mix"}
    assert {"feature.spend_90d", "feature.spend_365d", "feature.avg_order_value"} <= moved, moved
    assert moved <= {f"feature.{name}" for name in AMOUNT_FEATURES}, moved
    assert not shifted.failed  # drift warns by default: the feed itself is whole
