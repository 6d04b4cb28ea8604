"""SHAP reasons: exact additivity, shares that add up, no invented reason, details from the data."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
import xgboost as xgb

from features.build import build_features, build_training_set
from features.config import load_feature_declarations, load_reasons
from models.reasons import TOP_REASONS, explain_reasons, say, shap_contributions
from models.split import split_out_of_time
from models.training import REFERENCE_ROWS, train_models


@pytest.fixture(scope="module")
def trained():
    from features.synthetic import generate_crm

    crm = generate_crm(6_000, seed=5)
    tables = {n: f.assign(customer_id=f["customer_id"].astype(str)) for n, f in crm.tables.items()}
    split = split_out_of_time(build_training_set(tables, "2025-12-31", 90, 24), 90)
    return train_models(split, seed=0).xgboost, split, build_features(tables, "2025-12-31")


@pytest.fixture(scope="module")
def scored(trained):
    model, _, features = trained
    return model, features


def test_contributions_add_up_to_the_margin(scored):
    model, features = scored
    contributions, base = shap_contributions(model, features)
    np.testing.assert_allclose(contributions.sum(axis=1) + base, model.margin(features), rtol=1e-5, atol=1e-4)


def test_contributions_are_xgboosts_own_on_the_pipelines_features(scored):
    """From the feature frame (nullable columns, missing values) through the looked-up tables."""
    model, features = scored
    contributions, base = shap_contributions(model, features)
    matrix = xgb.DMatrix(features[model.feature_names], feature_names=model.feature_names)
    expected = model.booster.predict(matrix, pred_contribs=True)
    assert features[model.feature_names].isna().any().any()
    np.testing.assert_allclose(contributions, expected[:, :-1], rtol=1e-5, atol=2e-6)
    np.testing.assert_allclose(base, expected[:, -1], rtol=1e-6)


def test_the_reference_is_the_training_stayers_mean_contribution(trained):
    model, split, _ = trained
    stayers = split.train[split.train["churned"] == 0]
    assert len(stayers) <= REFERENCE_ROWS  # all of them, so the mean is exact here
    contributions, base = shap_contributions(model, stayers)
    np.testing.assert_allclose(
        model.reference_contributions, contributions.mean(axis=0, dtype=float), atol=1e-9
    )
    # A staying customer's margin is below the average training row's (TreeSHAP's base value).
    assert model.reference_contributions.sum() < -0.1
    # The contributions against the stayers add up to the margin above the stayers' mean margin.
    assert model.margin(stayers).mean() == pytest.approx(
        base[0] + model.reference_contributions.sum(), abs=1e-4
    )


def test_reasons_are_ranked_against_the_stayers_reference(scored):
    """The ranking uses contributions minus the reference: moving one reason's reference moves it."""
    model, features = scored
    declared = load_feature_declarations()
    category = np.array([declared[name].reason for name in model.feature_names])
    plain = explain_reasons(model, features)

    # A model without a reference ranks TreeSHAP's own contributions: a zero reference is the same.
    without = dataclasses.replace(model, reference_contributions=None)
    zero = dataclasses.replace(model, reference_contributions=np.zeros(len(model.feature_names)))
    pd.testing.assert_frame_equal(explain_reasons(without, features), explain_reasons(zero, features))

    # Stayers said to show far more competitor evidence: no customer's risk is then raised by it.
    shifted = model.reference_contributions + np.where(category == "competitor", 10.0, 0.0)
    against = explain_reasons(dataclasses.replace(model, reference_contributions=shifted), features)
    assert (plain["reason_1"] == "competitor").any()
    for k in range(1, TOP_REASONS + 1):
        assert not (against[f"reason_{k}"] == "competitor").any()
    # ... and far less quality evidence: every customer's first reason is product quality.
    shifted = model.reference_contributions - np.where(category == "product_quality", 10.0, 0.0)
    against = explain_reasons(dataclasses.replace(model, reference_contributions=shifted), features)
    assert (against["reason_1"] == "product_quality").all()
    assert (plain["reason_1"] != "product_quality").mean() > 0.5


def test_reasons_are_ranked_survey_codes_with_shares_that_add_up(scored):
    model, features = scored
    reasons = explain_reasons(model, features)
    codes = {reason.code for reason in load_reasons()}
    shares = reasons[[f"reason_{k}_share" for k in range(1, TOP_REASONS + 1)]]
    for k in range(1, TOP_REASONS + 1):
        given = reasons[f"reason_{k}"].dropna()
        assert set(given) <= codes
        assert reasons.loc[given.index, f"reason_{k}_detail"].notna().all()
        assert reasons.loc[given.index, f"reason_{k}_label"].notna().all()
    # shares fall with rank, and never exceed what is left beside activity
    assert (shares["reason_1_share"].fillna(0) >= shares["reason_2_share"].fillna(0)).all()
    assert (shares.fillna(0).sum(axis=1) + reasons["activity_share"] <= 1 + 1e-6).all()
    # an empty reason_1 means no survey category pushed the risk up: nothing after it either
    empty = reasons["reason_1"].isna()
    assert reasons.loc[empty, ["reason_2", "reason_3"]].isna().all().all()
    assert reasons["reason_1"].notna().mean() > 0.5


def test_the_detail_quotes_the_customers_own_value(scored):
    from features.config import load_feature_declarations

    model, features = scored
    reasons = explain_reasons(model, features)
    declared = load_feature_declarations()
    indifference = [name for name in model.feature_names if declared[name].reason == "indifference"]
    for customer, row in reasons[reasons["reason_1"] == "indifference"].head(20).iterrows():
        sentences = {say(declared[name].words["en"], features.loc[customer, name]) for name in indifference}
        assert row["reason_1_detail"] in sentences


def test_a_detail_never_quotes_nothing_as_evidence(scored):
    """ "0 complaints in the last year" is no quality evidence, even where the trees give it a push;
    "0 contacts from us in the last 90 days" is indifference's (declared `zero_is_evidence`)."""
    model, features = scored
    declared = load_feature_declarations()
    reasons = explain_reasons(model, features)
    contributions, _ = shap_contributions(model, features)
    against = contributions - model.reference_contributions.astype(np.float32)
    values = features[model.feature_names].to_numpy(dtype=float)
    names = model.feature_names
    nothing = np.array([not declared[name].zero_is_evidence for name in names]) & (values == 0)
    pushed_at_zero = 0
    for k in range(1, TOP_REASONS + 1):
        codes, details = reasons[f"reason_{k}"].to_numpy(), reasons[f"reason_{k}_detail"].to_numpy()
        for code in {reason.code for reason in load_reasons()}:
            rows = codes == code
            mine = [i for i, name in enumerate(names) if declared[name].reason == code]
            for i in mine:
                quoted_at_zero = rows & nothing[:, i] & (details == say(declared[names[i]].words["en"], 0.0))
                assert not quoted_at_zero.any(), (names[i], np.flatnonzero(quoted_at_zero)[:5])
            strongest = np.array(mine)[np.argmax(against[rows][:, mine], axis=1)]
            pushes = against[rows, strongest] > 0
            pushed_at_zero += int((nothing[rows, strongest] & pushes).sum())
    assert pushed_at_zero > 0  # the case arises: the rule, not the data, keeps the zeros out
    assert declared["outbound_contacts_90d"].zero_is_evidence
    assert (reasons["reason_1_detail"] == say(declared["outbound_contacts_90d"].words["en"], 0.0)).any()


def test_english_says_one_in_the_singular_and_the_rest_in_the_plural():
    import re

    from features.config import load_feature_declarations

    declared = load_feature_declarations()
    counted = {
        name: feature.words["en"] for name, feature in declared.items() if "{s}" in feature.words["en"]
    }
    assert len(counted) > 20
    for name, words in counted.items():
        one, three = say(words, 1.0), say(words, 3.0)
        assert not re.search(
            r"\b1 (?:quality |service |delivery )?(?:day|order|contact|complaint|request|hour)s\b", one
        ), name
        assert re.search(
            r"\b3 (?:quality |service |delivery )?(?:day|order|contact|complaint|request|hour)s\b", three
        ), name
    assert say(declared["complaints_90d"].words["en"], 1.0) == "1 complaint in the last 90 days"
    assert say(declared["complaints_90d"].words["en"], 2.0) == "2 complaints in the last 90 days"
    assert say(declared["complaints_90d"].words["en"], 0.0) == "0 complaints in the last 90 days"
    for lang in ("uk", "ru", "ro", "hr"):  # their words put the number after a colon: no plural to pick
        assert "{s}" not in "".join(feature.words[lang] for feature in declared.values())
