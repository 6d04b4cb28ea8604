"""The steps of a scoring run — champion, tonight's features, scores and reasons, checked export —
as plain functions; `pipelines.flows` runs them as Prefect tasks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from mlflow import MlflowClient

from features.build import build_features
from features.config import PipelineConfig
from features.errors import ChurnError
from features.timeline import data_falls_short
from models.registry import CHAMPION, load_version, use_tracking
from models.scoring import score_customers
from models.training import XGBoostChurnModel
from pipelines.export import write_export_files, write_export_sql


@dataclass(frozen=True)
class ScoreReport:
    # Every scored customer: all export columns when scored in memory; a partitioned run keeps
    # customer_id, churn_probability, risk_tier, value_at_risk, reason_1, preventable, priority_rank.
    rows: pd.DataFrame
    top: pd.DataFrame  # the full export rows of the customers to call first, by priority_rank
    model_name: str
    model_version: str
    horizon_days: str
    files: list[Path]
    sink_rows: int
    tracking_uri: str


def default_export_paths(output_dir: Path, as_of: pd.Timestamp) -> list[Path]:
    """Where a run writes when given no --out: both formats, one pair of files per as-of date."""
    stem = Path(output_dir) / "scores" / f"churn_scores_{as_of:%Y-%m-%d}"
    return [stem.with_suffix(".csv"), stem.with_suffix(".parquet")]


@dataclass(frozen=True)
class Champion:
    name: str
    version: str
    model: XGBoostChurnModel
    horizon_days: str  # from the version's tags; "?" for a version registered without them
    tracking_uri: str


def load_champion(config: PipelineConfig) -> Champion:
    """The registered champion, never another version: NoChampionError when there is none."""
    tracking_uri = use_tracking(config.output_dir)
    name = config.training.model_name
    version, model = load_version(name, CHAMPION)
    tags = MlflowClient().get_model_version(name, version).tags
    return Champion(name, version, model, tags.get("churn.horizon_days", "?"), tracking_uri)


def scoring_features(tables: dict[str, pd.DataFrame], as_of: pd.Timestamp, config: PipelineConfig):
    """Tonight's features for the active population, by the code path that made the training sets."""
    check_data_reach(data_falls_short(tables, as_of))
    features = build_features(tables, as_of, config.churn.lookback_days, config.features.topic_keywords)
    if features.empty:
        raise NobodyToScoreError(as_of, config)
    return features


def check_data_reach(short: str | None) -> None:
    """Refuse to score past the end of the data (`features.timeline.data_falls_short`)."""
    if short:
        raise ChurnError(
            f"{short}: every customer would look silent since then; score an --as-of on or shortly after "
            "the last day of data"
        )


class NobodyToScoreError(ChurnError):
    def __init__(self, as_of: pd.Timestamp, config: PipelineConfig) -> None:
        super().__init__(
            f"no customer bought in the {config.churn.lookback_days} days up to {as_of:%Y-%m-%d}: nobody to "
            "score (churn.lookback_days sets who counts as active)"
        )


def score_with(
    champion: Champion,
    features: pd.DataFrame,
    as_of: pd.Timestamp,
    config: PipelineConfig,
    lang: str | None,
    progress: Callable[[int, int], None] | None = None,
    scored_at: pd.Timestamp | None = None,
) -> pd.DataFrame:
    return score_customers(
        champion.model,
        features,
        as_of=as_of,
        model_name=champion.name,
        model_version=champion.version,
        tiers=config.scoring.risk_tiers,
        lang=lang or config.scoring.language,
        progress=progress,
        scored_at=scored_at,
    )


def export_scores(
    rows: pd.DataFrame, out_paths: list[Path], sink_url: str | None, table: str
) -> tuple[list[Path], int]:
    """Files, then the database table; each writer checks the rows against the schema first."""
    files = write_export_files(rows, out_paths) if out_paths else []
    sink_rows = write_export_sql(rows, sink_url, table) if sink_url else 0
    return files, sink_rows
