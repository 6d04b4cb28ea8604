"""Tonight's rows for the CRM: risk, tier, value at stake, reasons, the action to take, the priority.

One row per customer in the population at the as-of date, in the columns (and order) of the export
schema `configs/crm_export.schema.json`. The probability is the champion's calibrated one; the
reasons come from exact TreeSHAP contributions (`models.reasons`); the action is the playbook's step
for the first reason (`configs/reasons.yaml`); value at risk = probability × expected annual value.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from features.config import CONFIG_DIR, LANGUAGES, RiskTiers, load_messages, load_reasons
from features.errors import ChurnError
from models.reasons import explain_reasons, shap_contributions
from models.training import XGBoostChurnModel, annual_value

EXPORT_SCHEMA = CONFIG_DIR / "crm_export.schema.json"


@cache
def export_schema() -> dict:
    """The CRM export's JSON Schema: its `properties` are the columns, in order."""
    return json.loads(Path(EXPORT_SCHEMA).read_text(encoding="utf-8"))


def export_columns() -> list[str]:
    return list(export_schema()["properties"])


def schema_version() -> str:
    return export_schema()["properties"]["schema_version"]["const"]


class MissingFeaturesError(ChurnError):
    """The CRM lacks data the champion was trained on."""


def score_customers(
    model: XGBoostChurnModel,
    features: pd.DataFrame,
    *,
    as_of: pd.Timestamp,
    model_name: str,
    model_version: str,
    tiers: RiskTiers,
    lang: str = "en",
    scored_at: pd.Timestamp | None = None,
    progress: Callable[[int, int], None] | None = None,
    min_reason_share: float = 0.0,
) -> pd.DataFrame:
    """The export rows for `features` (indexed by customer_id), in the schema's column order.

    `progress(done, total)` follows the SHAP explanations, the long part.
    """
    if lang not in LANGUAGES:
        raise ChurnError(f"--lang {lang}: choose one of {', '.join(LANGUAGES)}")
    missing = [name for name in model.feature_names if name not in features.columns]
    if missing:
        raise MissingFeaturesError(
            f"model {model_name} version {model_version} was trained on features this CRM cannot give: "
            f"{', '.join(missing)}; their source columns are absent or empty (see configs/reasons.yaml, "
            "`needs`). Score with a model trained on this CRM"
        )
    probability = model.predict_proba(features)
    contributions, _ = shap_contributions(model, features, progress)
    reasons = explain_reasons(model, features, lang, contributions=contributions, min_share=min_reason_share)

    value = annual_value(features)
    value = np.clip(
        np.where(np.isfinite(value), value, 0.0), 0, None
    )  # no order value known: nothing at stake
    # Money to the cent, as a CRM's money fields hold it (1394.3, not 1394.2999999999997); the rank
    # orders these same values (a partitioned run ranks the rows it wrote).
    at_risk = np.round(probability * value, 2)
    by_code = {reason.code: reason for reason in load_reasons()}
    first = reasons["reason_1"]
    no_reason = first.isna().to_numpy()
    messages = load_messages()
    # No survey reason: we do not know why, so it is worth finding out (preventable until shown not);
    # `worth_a_call` still leaves out those whose risk nothing raises.
    preventable = (
        first.map(lambda code: by_code[code].preventable, na_action="ignore").fillna(True).to_numpy(bool)
    )
    action = first.map(lambda code: by_code[code].action[lang], na_action="ignore").to_numpy(
        object, copy=True
    )
    activity_alone = no_reason & (reasons["activity_share"].to_numpy() > 0)
    nothing = no_reason & ~activity_alone
    action[activity_alone] = messages.activity_action[lang]
    action[nothing] = messages.no_risk_action[lang]
    reasons.loc[activity_alone, "reason_1_detail"] = messages.activity_only[lang]
    reasons.loc[nothing, "reason_1_detail"] = messages.no_risk_factor[lang]

    rows = pd.DataFrame(
        {
            "customer_id": features.index.astype(str),
            "as_of": as_of.date(),
            "churn_probability": probability,
            "risk_tier": risk_tier(probability, tiers),
            "priority_rank": priority_rank(
                at_risk,
                probability,
                worth_a_call(reasons["reason_1"], reasons["activity_share"], preventable),
                features.index,
            ),
            "expected_annual_value": np.round(value, 2),
            "value_at_risk": at_risk,
        }
    )
    for column in reasons.columns:
        values = reasons[column]
        # Text columns stay text when empty on every row: the Parquet schema must not change nightly.
        rows[column] = values.to_numpy() if column.endswith("share") else values.astype("str").array
    rows["recommended_action"] = action
    rows["preventable"] = preventable
    rows["model_name"] = model_name
    rows["model_version"] = str(model_version)
    # Full precision: a re-run in the same second must still tell its rows from the earlier run's.
    rows["scored_at"] = (scored_at or pd.Timestamp.now(tz="UTC")).tz_convert("UTC")
    rows["schema_version"] = schema_version()
    return rows[export_columns()]


def risk_tier(probability: np.ndarray, tiers: RiskTiers) -> np.ndarray:
    return np.where(probability >= tiers.high, "high", np.where(probability >= tiers.medium, "medium", "low"))


def worth_a_call(reason_1: pd.Series, activity_share: pd.Series, preventable: np.ndarray) -> np.ndarray:
    """Who gets a priority rank: preventable customers whose risk something raises above a staying
    customer's — a survey reason, or purchase activity alone. A customer whose risk nothing raises
    has nothing to prevent, however much they spend (their value at risk would put them first)."""
    raised = reason_1.notna().to_numpy() | (activity_share.to_numpy(dtype=float) > 0)
    return np.asarray(preventable, dtype=bool) & raised


def priority_rank(
    value_at_risk: np.ndarray, probability: np.ndarray, to_call: np.ndarray, customer_ids: pd.Index
) -> pd.Series:
    """1 = call first: the customers `to_call` (`worth_a_call`) by value at risk, then probability,
    then id; others empty."""
    order = np.lexsort((customer_ids.astype(str).to_numpy(), -probability, -value_at_risk))
    order = order[to_call[order]]
    rank = pd.Series(pd.NA, index=range(len(probability)), dtype="Int64")
    rank.iloc[order] = np.arange(1, len(order) + 1)
    return rank
