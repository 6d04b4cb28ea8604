"""Why a customer's risk is high, in the exit survey's own categories (the start of issue 4/7).

Exact TreeSHAP contributions from XGBoost (`pred_contribs`) are summed per survey reason, using the
reason each feature is declared to evidence in `configs/reasons.yaml`; purchase-activity features
are summed apart, as a symptom. The reasons are the survey categories with a positive contribution,
ranked; each gets its share of all positive contribution (activity's share included, so the shares
and `activity_share` add up to 1) and a sentence from its strongest feature. No reason is invented:
where no survey category pushes the risk up, the reason columns are empty.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import xgboost as xgb

from features.config import ACTIVITY, load_feature_declarations, load_reasons
from models.training import XGBoostChurnModel

TOP_REASONS = 3


def shap_contributions(model: XGBoostChurnModel, features: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """(per-feature contributions, base value) on the log-odds scale; they add up to the margin."""
    matrix = xgb.DMatrix(features[model.feature_names], feature_names=model.feature_names)
    contributions = model.booster.predict(matrix, pred_contribs=True).astype(float)  # float32 from XGBoost
    return contributions[:, :-1], contributions[:, -1]


def explain_reasons(model: XGBoostChurnModel, features: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """reason_1..3 (codes), their shares, labels and details, and activity_share, one row per customer."""
    contributions, _ = shap_contributions(model, features)
    declared = load_feature_declarations()
    reasons = load_reasons()
    survey_codes = [reason.code for reason in reasons]
    category_of = np.array([declared[name].reason for name in model.feature_names])
    by_category = np.column_stack(
        [contributions[:, category_of == code].sum(axis=1) for code in (*survey_codes, ACTIVITY)]
    )
    positive = np.clip(by_category, 0, None)
    total = positive.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = np.where(total[:, None] > 0, positive / total[:, None], 0.0)
    survey = by_category[:, : len(survey_codes)]
    ranked = np.argsort(-survey, axis=1, kind="stable")[:, :TOP_REASONS]
    label_of = {reason.code: reason.label[lang] for reason in reasons}

    out = pd.DataFrame(index=features.index)
    rows = np.arange(len(features))
    for rank in range(TOP_REASONS):
        category = ranked[:, rank]
        pushes_up = survey[rows, category] > 0
        codes = np.where(pushes_up, np.array(survey_codes, dtype=object)[category], None)
        column = f"reason_{rank + 1}"
        out[column] = codes
        out[f"{column}_share"] = np.where(pushes_up, shares[rows, category], np.nan)
        out[f"{column}_label"] = [label_of[code] if code else None for code in codes]
        out[f"{column}_detail"] = _details(codes, contributions, features, model.feature_names, category_of)
    out["activity_share"] = shares[:, -1]
    return out


def _details(codes, contributions, features, names, category_of) -> list[str | None]:
    """The sentence of each reason: its strongest feature's words, filled with the customer's value."""
    declared = load_feature_declarations()
    values = features[names].to_numpy(dtype=float)
    details = []
    for row, code in enumerate(codes):
        if code is None:
            details.append(None)
            continue
        mine = np.flatnonzero(category_of == code)
        strongest = mine[np.argmax(contributions[row, mine])]
        feature = declared[names[strongest]]
        details.append(feature.words["en"].format(value=values[row, strongest]))
    return details
