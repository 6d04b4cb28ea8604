"""The steps of a scoring run — champion, tonight's features, scores and reasons, checked export —
as plain functions; `pipelines.flows` runs them as Prefect tasks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import mlflow
import pandas as pd
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException

from features.build import build_features
from features.config import PipelineConfig
from features.errors import ChurnError
from features.sources import describe_source
from features.timeline import data_falls_short
from models.monitoring import REFERENCE_ARTIFACT, Monitoring, Profile, assess
from models.registry import (
    CHAMPION,
    NoChampionError,
    experiment_id,
    load_version,
    missing_embedded_store,
    use_tracking,
)
from models.scoring import score_customers
from models.training import XGBoostChurnModel
from pipelines.export import SinkWrite, write_export, write_export_sql


@dataclass(frozen=True)
class ScoreReport:
    # Every scored customer: all export columns when scored in memory; a partitioned run keeps
    # customer_id, churn_probability, risk_tier, value_at_risk, reason_1, activity_share, preventable,
    # priority_rank.
    rows: pd.DataFrame
    top: pd.DataFrame  # the full export rows of the customers to call first, by priority_rank
    model_name: str
    model_version: str
    horizon_days: str
    files: list[Path]
    sink_write: SinkWrite | None  # None: no --sink
    tracking_uri: str
    monitoring: Monitoring
    report_file: Path  # the run's HTML report, next to the export
    run_id: str | None  # the MLflow scoring run; None when recording it failed after publishing
    not_recorded: str | None = None  # why it failed


def recorded_in(report: ScoreReport) -> str:
    """Where the night's record is, for the summary and the terminal."""
    if report.run_id:
        return f"also in MLflow run {report.run_id}"
    return f"not recorded in MLflow ({report.not_recorded}): this night is no baseline for the next"


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
    reference: dict | None = None  # what monitoring compares a night with; None for older versions


def check_registry_exists(config: PipelineConfig) -> None:
    """NoChampionError when the embedded store does not exist: opening it would create it (and
    output_dir) only to find it empty. A tracking server (MLFLOW_TRACKING_URI) is asked instead."""
    store = missing_embedded_store(config.output_dir)
    if store is not None:
        raise NoChampionError(
            f"no model '{config.training.model_name}@{CHAMPION}': there is no registry at {store}; train "
            "one first with `churn train`, or point output_dir (--config) or MLFLOW_TRACKING_URI at the "
            "store that has one"
        )


def load_champion(config: PipelineConfig) -> Champion:
    """The registered champion, never another version: NoChampionError when there is none."""
    check_registry_exists(config)
    tracking_uri = use_tracking(config.output_dir)
    name = config.training.model_name
    version, model = load_version(name, CHAMPION)
    registered = MlflowClient().get_model_version(name, version)
    try:
        reference = mlflow.artifacts.load_dict(f"runs:/{registered.run_id}/{REFERENCE_ARTIFACT}")
    except (MlflowException, OSError):
        reference = None  # trained before monitoring existed: the feed is checked, drift is not
    return Champion(
        name, version, model, registered.tags.get("churn.horizon_days", "?"), tracking_uri, reference
    )


def scoring_features(tables: dict[str, pd.DataFrame], as_of: pd.Timestamp, config: PipelineConfig):
    """The as-of date's features for its active population (tonight's when scoring), by the code path
    that made the training sets; refused past the data's end and where no one is active."""
    check_data_reach(data_falls_short(tables, as_of))
    features = build_features(tables, as_of, config.churn.lookback_days, config.features.topic_keywords)
    if features.empty:
        raise NoActiveCustomerError(as_of, config)
    return features


def check_data_reach(short: str | None) -> None:
    """Refuse to score or build features past the end of the data (`features.timeline.data_falls_short`)."""
    if short:
        raise ChurnError(
            f"{short}: every customer would look silent since then; use an --as-of on or shortly after "
            "the last day of data"
        )


class NoActiveCustomerError(ChurnError):
    def __init__(self, as_of: pd.Timestamp, config: PipelineConfig) -> None:
        super().__init__(
            f"no customer bought in the {config.churn.lookback_days} days up to {as_of:%Y-%m-%d}: no one is "
            "active then (churn.lookback_days, or `churn features --lookback-days`, sets who counts)"
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
        min_reason_share=config.scoring.min_reason_share,
    )


def export_scores(
    rows: pd.DataFrame, out_paths: list[Path], sink_url: str | None, table: str
) -> tuple[list[Path], SinkWrite | None]:
    """The files and the database table, all or nothing: the files are written to temp files first and
    replace the old ones only once the table's transaction has committed. Each writer checks the rows
    against the schema first."""
    return write_export(
        rows,
        out_paths,
        (lambda held: write_export_sql(rows, sink_url, table, held)) if sink_url else None,
    )


# --- monitoring: checked before publishing, recorded in MLflow either way ------------------------------


class MonitoringFailedError(ChurnError):
    """A monitoring check whose policy is `fail` broke: nothing was published."""

    def __init__(self, monitoring: Monitoring, run_id: str | None = None) -> None:
        self.monitoring = monitoring
        recorded = f"; the checks and their report are in MLflow run {run_id}" if run_id else ""
        super().__init__(
            f"monitoring stopped the run before publishing: {monitoring.headline()}; the previous export "
            f"is unchanged{recorded} (policy: monitoring.* in the settings)"
        )


def source_key(data: str) -> str:
    """The data source as runs on it are grouped: a folder by its absolute path, a URL as given
    (without a password)."""
    if "://" in data:  # a database URL (its password hidden) or an fsspec URL
        return describe_source(data)
    return str(Path(data).resolve())


def scoring_experiment(config: PipelineConfig) -> str:
    return f"{config.training.experiment}-scoring"


def previous_feed_rows(config: PipelineConfig, source: str, as_of: pd.Timestamp) -> list[dict[str, int]]:
    """Rows per table of the latest published nights on `source` at or before `as_of`, newest night
    first, one run per night (its latest): the baseline a broken feed is measured against. A backfill
    of an earlier night compares with earlier nights only (a growing CRM knew fewer rows then), and
    does not pull down the baseline of the nights after it."""
    client = MlflowClient()
    experiment = client.get_experiment_by_name(scoring_experiment(config))
    if experiment is None:
        return []
    published = "tags.`churn.published` = 'true'"
    quote = "'" if "'" not in source else '"' if '"' not in source else None
    runs = client.search_runs(
        [experiment.experiment_id],
        filter_string=f"{published} and tags.`churn.data` = {quote}{source}{quote}" if quote else published,
        order_by=["attributes.start_time DESC"],
        max_results=1000,
    )
    night = f"{as_of:%Y-%m-%d}"
    latest: dict[str, dict[str, int]] = {}
    for run in runs:  # newest first: the first run of each night is its latest
        tags = run.data.tags
        run_night = tags.get("churn.as_of", "")
        if tags.get("churn.data") != source or run_night > night or run_night in latest:
            continue
        latest[run_night] = {
            key.removeprefix("feed.rows."): int(value)
            for key, value in run.data.metrics.items()
            if key.startswith("feed.rows.")
        }
    nights = sorted(latest, reverse=True)[: config.monitoring.previous_runs]
    return [latest[run_night] for run_night in nights]


@dataclass(frozen=True)
class Monitor:
    """Assesses a night's profile against the champion's reference and the previous runs."""

    reference: dict | None
    previous_rows: list[dict[str, int]]
    config: PipelineConfig

    def __call__(self, profile: Profile) -> Monitoring:
        return assess(
            profile,
            self.reference,
            self.previous_rows,
            self.config.monitoring,
            min_reason_share=self.config.scoring.min_reason_share,
        )


def record_scoring_run(
    config: PipelineConfig,
    champion: Champion,
    source: str,
    as_of: pd.Timestamp,
    monitoring: Monitoring,
    published: bool,
    report_html: str,
) -> str:
    """The night in MLflow: the feed's numbers, every PSI, the checks and the report; a run stopped
    by monitoring ends FAILED. Published runs are the next nights' row-count baseline."""
    use_tracking(config.output_dir)
    experiment = experiment_id(scoring_experiment(config), config.output_dir)
    with mlflow.start_run(experiment_id=experiment, run_name=f"score as of {as_of:%Y-%m-%d}") as run:
        mlflow.set_tags(
            {
                "churn.run": "scoring",
                "churn.data": source,
                "churn.as_of": f"{as_of:%Y-%m-%d}",
                "churn.published": str(published).lower(),
                "churn.model": f"{champion.name} v{champion.version}",
                "monitoring.status": monitoring.status,
                "monitoring.headline": monitoring.headline()[:4000],
            }
        )
        feed = monitoring.feed
        metrics = {"feed.customers": feed["customers"], "feed.silent": feed["silent"]}
        metrics |= {f"feed.rows.{table}": rows for table, rows in feed["table_rows"].items()}
        metrics |= {f"feed.event_days.{table}": days for table, days in feed["event_days"].items()}
        metrics |= {f"psi.{name}": value for name, value in monitoring.psi.items()}
        mlflow.log_metrics(metrics)
        mlflow.log_dict(
            {
                "checks": [check.__dict__ for check in monitoring.checks],
                "reason_mix": monitoring.reason_mix,
                "feed": feed,
                "baseline_runs": monitoring.baseline_runs,
            },
            "monitoring.json",
        )
        mlflow.log_text(report_html, "report.html")
    if not published:
        MlflowClient().set_terminated(run.info.run_id, "FAILED")
    return run.info.run_id
