"""SHAP reasons: exact additivity, shares that add up, no invented reason, details from the data."""

from __future__ import annotations

import numpy as np
import pytest
import xgboost as xgb

from features.build import build_features, build_training_set
from features.config import load_reasons
from models.reasons import TOP_REASONS, explain_reasons, say, shap_contributions
from models.split import split_out_of_time
from models.training import train_models


@pytest.fixture(scope="module")
def scored():
    from features.synthetic import generate_crm

    crm = generate_crm(6_000, seed=5)
    tables = {n: f.assign(customer_id=f["customer_id"].astype(str)) for n, f in crm.tables.items()}
    models = train_models(split_out_of_time(build_training_set(tables, "2025-12-31", 90, 24), 90), seed=0)
    return models.xgboost, build_features(tables, "2025-12-31")


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
