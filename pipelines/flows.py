"""Prefect flows: features, training, scoring and the nightly run.

Flows only orchestrate: every task calls a plain, tested function from `features/`, `models/` or
`pipelines/`. Tasks that talk to the outside world (reading the CRM, the MLflow registry, writing
the export) get a timeout and retry with exponential backoff, but only on transient errors (a
database or server that does not answer, a timeout); bad data, bad settings or a missing champion
fail at once. A run in partitions of customers reads its CRM inside its computing task (split as it
is read), under that task's timeout and without retries. Every flow leaves a Markdown artifact with
its summary.

With no PREFECT_API_URL the flows run in Prefect's ephemeral mode (a temporary local server);
with it they report to that server (see `churn serve`).
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
from prefect import flow, get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.logging.loggers import task_run_logger
from prefect.runtime import flow_run

from features.config import (
    PipelineConfig,
    load_feature_declarations,
    load_pipeline_config,
    redefined_features_sentence,
    unseen_reasons_sentence,
    with_engine,
)
from features.errors import ChurnError, DataContractError, first_line, is_transient, retry_note
from features.sources import read_crm
from features.timeline import cutoff_instant, parse_day
from features.validation import ValidatedCRM, note_nothing_known_by, validate_crm
from models.monitoring import Monitoring, profile_night
from models.reason_accuracy import reason_mix
from models.reasons import outdated_reasons
from models.registry import CHAMPION, use_tracking
from models.reports import scoring_report
from models.train_run import TrainingReport, train_and_register
from pipelines import steps
from pipelines.export import check_sink, report_path
from pipelines.files import write_table, write_text
from pipelines.partitioned import (
    REPORT_TOP_ROWS,
    PartitionedScores,
    local_workers,
    partition_count,
    score_in_partitions,
)
from pipelines.partitioned_training import train_in_partitions
from pipelines.score_run import (
    Champion,
    Monitor,
    MonitoringFailedError,
    ScoreReport,
    default_export_paths,
    export_scores,
    load_champion,
    previous_feed_rows,
    record_scoring_run,
    recorded_in,
    score_with,
    scoring_features,
    source_key,
)

# Large frames pass between tasks in memory: never hash them for a cache key or persist them.
IN_MEMORY = {"cache_policy": NO_CACHE, "persist_result": False}
TOP_ROWS = 10  # the customers to call first, in the run summary and at the terminal


class KnownErrorsInOneLine(logging.Filter):
    """A run stopped by bad data or settings (a ChurnError, whose message says what to fix) is logged
    in one line on the console: Prefect logs the failure with its traceback three times over (the
    task, the flow, the engine), about 90 lines in a service's log for "the orders end on …"."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, ChurnError):
            said = first_line(error)
            try:
                message = record.getMessage().replace(repr(error), said)  # "…: ChurnError('a\nb')"
            except Exception:  # noqa: BLE001 - a message that cannot be formatted is logged as it is
                return True
            record.msg, record.args = (message if said in message else f"{message} — {said}"), ()
            record.exc_info, record.exc_text = None, None
        return True


def prefect_console_handlers() -> list[logging.Handler]:
    """The console handlers Prefect set up in this process, once each."""
    from prefect.logging.handlers import PrefectConsoleHandler

    loggers = [logging.getLogger(), *map(logging.getLogger, list(logging.root.manager.loggerDict))]
    handlers = {id(handler): handler for logger in loggers for handler in logger.handlers}
    return [handler for handler in handlers.values() if isinstance(handler, PrefectConsoleHandler)]


def _known_errors_in_one_line() -> None:
    """On Prefect's console handlers (`churn serve` and the processes its runner starts for each run
    import this module before a run)."""
    for handler in prefect_console_handlers():
        if not any(isinstance(known, KnownErrorsInOneLine) for known in handler.filters):
            handler.addFilter(KnownErrorsInOneLine())


_known_errors_in_one_line()


# --- retries: only what may pass on its own ---------------------------------------------------


def _retry_when_transient(task, task_run, state) -> bool:
    error = state.result(raise_on_failure=False)
    if not is_transient(error):
        return False
    # Consulted only while retries remain.
    steps.note(retry_note(task.name, error, task_run.run_count, task.retries))
    task_run_logger(task_run, task).warning("Transient failure, retrying: %s", first_line(error))
    return True


def outside_world(config: PipelineConfig, timeout_seconds: int) -> dict[str, Any]:
    """Task options for a step that talks to a database or server: timeout, backoff, retry filter."""
    orchestration = config.orchestration
    return {
        "timeout_seconds": timeout_seconds,
        "retries": orchestration.retries,
        "retry_delay_seconds": orchestration.retry_delays(),
        "retry_condition_fn": _retry_when_transient,
    }


# --- tasks: thin wrappers, the work is in the plain functions ----------------------------------


@task(name="read CRM", **IN_MEMORY)
def read_crm_task(data: str, config: PipelineConfig, known_before: pd.Timestamp | None = None):
    steps.announce("read the CRM")
    return read_crm(data, config.source, known_before)


@task(name="count partitions")
def partition_count_task(data: str, config: PipelineConfig) -> int:
    return partition_count(data, config)


@task(name="score in partitions", **IN_MEMORY)
def partitioned_task(
    data: str,
    as_of: pd.Timestamp,
    config: PipelineConfig,
    champion: Champion,
    lang: str,
    count: int,
    paths: list[Path],
    sink: str | None,
    monitor: Monitor,
) -> PartitionedScores:
    """Split, validate, score, check and export partition by partition (`pipelines.partitioned`)."""
    get_run_logger().info("Scoring in %s partitions of customers, %s", count, _where(config, count))
    scored = score_in_partitions(
        data,
        as_of,
        config,
        champion,
        lang,
        count,
        paths,
        sink,
        steps.announce,
        steps.advance,
        monitor=monitor,
        note=_warn,
    )
    _log_warnings(scored.monitoring)
    return scored


def _where(config: PipelineConfig, count: int) -> str:
    """Where a run's partitions go, for its log."""
    if config.engine.name == "dask":
        return f"on Dask ({config.engine.dask_address or 'a LocalCluster'})"
    workers = min(local_workers(config), count)
    return "here, one after another" if workers == 1 else f"here, {workers} at a time in worker processes"


@task(name="validate CRM", **IN_MEMORY)
def validate_crm_task(read: tuple, config: PipelineConfig) -> ValidatedCRM:
    steps.announce("validate")
    raw_tables, read_problems = read
    crm = validate_crm(raw_tables, config, read_problems=read_problems)
    rows = sum(len(table) for table in crm.tables.values())
    get_run_logger().info("CRM valid: %s tables, %s rows", len(crm.tables), f"{rows:,}")
    return crm


@task(name="check export database")
def check_sink_task(sink_url: str) -> None:
    check_sink(sink_url)


@task(name="check MLflow tracking")
def tracking_task(config: PipelineConfig) -> str:
    """Before minutes of training: a tracking server that does not answer is retried, then fails."""
    steps.announce("check the MLflow tracking store")
    return use_tracking(config.output_dir)


@task(name="load champion", **IN_MEMORY)
def load_champion_task(config: PipelineConfig) -> Champion:
    steps.announce(f"load {config.training.model_name}@{CHAMPION}")
    champion = load_champion(config)
    get_run_logger().info("Champion: %s version %s", champion.name, champion.version)
    outdated = outdated_reasons(champion.model)
    if outdated:
        _warn(f"{champion.name} version {champion.version}: {outdated}")
    unseen = unseen_reasons_sentence(champion.model.feature_names)
    if unseen:
        _warn(f"{champion.name} version {champion.version} {unseen}")
    redefined = redefined_features_sentence(champion.model.feature_definitions, champion.model.feature_names)
    if redefined:
        _warn(f"{champion.name} version {champion.version} {redefined}")
    return champion


def _warn(message: str) -> None:
    """A line for whoever watches (`steps.note`) and a warning in the run's Prefect log, which is a
    scheduled run's only record."""
    steps.note(message)
    get_run_logger().warning(message)


@task(name="build features", **IN_MEMORY)
def active_features_task(tables: dict[str, pd.DataFrame], as_of: pd.Timestamp, config: PipelineConfig):
    """The as-of date's active population (tonight's, or a past date's on a full history), refused past
    the data's end, where everyone would look silent (`scoring_features`)."""
    steps.announce("build features")
    features = scoring_features(tables, as_of, config)
    get_run_logger().info("%s customers × %s features", f"{len(features):,}", features.shape[1])
    return features


@task(name="write features", **IN_MEMORY)
def write_features_task(frame: pd.DataFrame, as_of: pd.Timestamp, out: Path) -> None:
    steps.announce("write the features")
    table = frame.reset_index()
    table.insert(1, "as_of", as_of.date())
    write_table(table, out)


@task(name="score and explain", **IN_MEMORY)
def score_task(champion: Champion, features, as_of: pd.Timestamp, config: PipelineConfig, lang):
    steps.announce(f"score {len(features):,} customers with exact SHAP reasons")
    return score_with(champion, features, as_of, config, lang, progress=steps.advance)


# The previous nights' row counts, from the tracking store load_champion_task pointed MLflow at.
history_task = task(name="previous runs")(previous_feed_rows)


@task(name="check the feed and drift", **IN_MEMORY)
def monitor_task(
    monitor: Monitor,
    tables: dict[str, pd.DataFrame],
    features: pd.DataFrame,
    rows: pd.DataFrame,
    as_of: pd.Timestamp,
) -> Monitoring:
    """Before the export: a failed check (by `monitoring` policy) stops the run here."""
    steps.announce("check the feed and drift")
    monitoring = monitor(profile_night(tables, features, rows, monitor.reference, as_of))
    _log_warnings(monitoring)
    if monitoring.failed:
        raise MonitoringFailedError(monitoring)
    return monitoring


def _log_warnings(monitoring: Monitoring) -> None:
    logger = get_run_logger()
    for check in monitoring.warned:
        logger.warning("Monitoring: %s", check.detail)


record_task = task(name="record the scoring run", **IN_MEMORY)(record_scoring_run)


@task(name="write export", **IN_MEMORY)
def export_task(rows: pd.DataFrame, out_paths: list[Path], sink_url: str | None, table: str):
    steps.announce("write the export")
    files, sink_write = export_scores(rows, out_paths, sink_url, table)
    logger = get_run_logger()
    for path in files:
        logger.info("Wrote %s", path)
    if sink_write is not None:
        logger.info("%s", sink_write.said(table, sink_url))
    return files, sink_write


@task(name="train and register", **IN_MEMORY)
def train_task(
    tables, as_of: pd.Timestamp, config: PipelineConfig, force_promote: bool, lang: str | None = None
) -> TrainingReport:
    """Training on a CRM read in memory, in one piece (the local engine; on Dask the flow trains in
    partitions)."""
    report = train_and_register(
        tables,
        as_of,
        config,
        force_promote=force_promote,
        progress=steps.announce,
        advance=steps.advance,
        lang=lang,
    )
    return _with_report_file(report, config)


@task(name="train in partitions", **IN_MEMORY)
def partitioned_train_task(
    data: str, as_of: pd.Timestamp, config: PipelineConfig, count: int, force_promote: bool, lang: str | None
) -> TrainingReport:
    """Build the training set partition by partition, then train (`pipelines.partitioned_training`)."""
    get_run_logger().info(
        "Building the training set in %s partitions of customers, %s", count, _where(config, count)
    )
    report = train_in_partitions(
        data,
        as_of,
        config,
        count,
        force_promote=force_promote,
        announce=steps.announce,
        progress=steps.advance,
        lang=lang,
    )
    return _with_report_file(report, config)


def _with_report_file(report: TrainingReport, config: PipelineConfig) -> TrainingReport:
    name = f"training_{report.model_name}_v{report.version}.html"
    return replace(report, report_file=write_text(report.report_html, config.output_dir / "reports" / name))


@task(name="record summary")
def summary_task(markdown: str, key: str, description: str) -> None:
    create_markdown_artifact(markdown=markdown, key=key, description=description)
    get_run_logger().info("%s", markdown.splitlines()[0].lstrip("# "))


# --- flows ---------------------------------------------------------------------------------------


def _settings(
    config_file: str | None, output_dir: str | None, engine: dict[str, Any] | None = None, **churn: Any
) -> PipelineConfig:
    """The config file's settings with the run's parameters on top (those given, not None)."""
    config = load_pipeline_config(Path(config_file) if config_file else None)
    updates: dict[str, Any] = {}
    if output_dir:
        updates["output_dir"] = Path(output_dir)
    overrides = {key: value for key, value in churn.items() if value is not None}
    if overrides:
        updates["churn"] = config.churn.model_copy(update=overrides)
    config = config.model_copy(update=updates) if updates else config
    return with_engine(config, **(engine or {}))


def night_to_score(as_of: str | None, timezone: str, scheduled: datetime | None = None) -> pd.Timestamp:
    """The given date, or else the day before `scheduled` (default: now) in the schedule's time zone.

    The flows pass the run's scheduled start, so a run queued behind a late night still scores the
    night it was scheduled for.
    """
    if as_of:
        return parse_day(as_of, "as_of")
    moment = pd.Timestamp(scheduled or datetime.now(ZoneInfo("UTC")))
    moment = moment.tz_localize("UTC") if moment.tzinfo is None else moment
    local_day = moment.tz_convert(ZoneInfo(timezone)).date()
    return pd.Timestamp(local_day - timedelta(days=1))


def _scheduled_start() -> datetime | None:
    return flow_run.scheduled_start_time if flow_run.id else None


def computing(config: PipelineConfig, timeout_seconds: int | None = None) -> dict[str, Any]:
    """Task options for a step that computes: a timeout, no retries (it would hang again)."""
    return {"timeout_seconds": timeout_seconds or config.orchestration.timeouts.scoring}


def _read_and_validate(
    data: str, config: PipelineConfig, known_before: pd.Timestamp | None = None
) -> ValidatedCRM:
    read = read_crm_task.with_options(**outside_world(config, config.orchestration.timeouts.read_crm))
    return validate_crm_task.with_options(**computing(config))(read(data, config, known_before), config)


@contextmanager
def _summarised_on_failure(key: str, what: str) -> Iterator[None]:
    """A failed run leaves a summary too, under the same key: what failed and why."""
    try:
        yield
    except Exception as error:
        with suppress(Exception):  # best effort: the run's own error is the one to raise
            summary_task(f"# {what} failed\n\n`{type(error).__name__}`: {error}\n", key, f"{what} (failed)")
        raise


@dataclass(frozen=True)
class FeaturesReport:
    features: pd.DataFrame
    as_of: pd.Timestamp
    file: Path


@flow(name="features", validate_parameters=False)
def features_flow(
    data: str,
    out: str,
    as_of: str | None = None,
    lookback_days: int | None = None,
    config_file: str | None = None,
) -> FeaturesReport:
    """Point-in-time features of every customer in the population at `as_of`, written to `out`."""
    with _summarised_on_failure("churn-features", "Features run"):
        config = _settings(config_file, None, lookback_days=lookback_days)
        as_of_day = night_to_score(as_of, config.orchestration.nightly.timezone, _scheduled_start())
        crm = _read_and_validate(data, config)
        frame = active_features_task.with_options(**computing(config))(crm.tables, as_of_day, config)
        write_features_task(frame, as_of_day, Path(out))
        declared = load_feature_declarations()
        by_reason = pd.Series([declared[name].reason for name in frame.columns]).value_counts(sort=False)
        summary = (
            f"# Features as of {as_of_day:%Y-%m-%d}: {len(frame):,} customers × {frame.shape[1]} features\n\n"
            + _markdown_table(["evidence for", "features"], [[k, str(v)] for k, v in by_reason.items()])
            + f"\nWritten to `{out}`.\n"
        )
        summary_task(summary, "churn-features", "Point-in-time features")
        return FeaturesReport(frame, as_of_day, Path(out))


@flow(name="train", validate_parameters=False)
def train_flow(
    data: str,
    as_of: str | None = None,
    horizon_days: int | None = None,
    force_promote: bool = False,
    config_file: str | None = None,
    output_dir: str | None = None,
    engine: str | None = None,
    dask_address: str | None = None,
    lang: str | None = None,
    partitions: int | None = None,
) -> TrainingReport:
    """Train on the month-end cutoffs known at `as_of`, register, and promote only through the gate.

    A CRM of more than one partition (`partitions`, or `engine.partitions`), or any CRM on Dask, has
    its training set built in partitions of customers; on Dask (`engine` dask or `engine.name: dask`),
    XGBoost then trains with xgboost.dask on the cluster.
    `lang` is the HTML report's language (default: scoring.language).
    """
    with _summarised_on_failure("churn-training", "Training run"):
        engine_settings = _engine(engine, dask_address, partitions)
        config = _settings(config_file, output_dir, engine_settings, horizon_days=horizon_days)
        as_of_day = night_to_score(as_of, config.orchestration.retraining.timezone, _scheduled_start())
        tracking_task.with_options(**outside_world(config, config.orchestration.timeouts.model_registry))(
            config
        )
        timeouts = config.orchestration.timeouts
        count = partition_count_task.with_options(**outside_world(config, timeouts.read_crm))(data, config)
        if count > 1 or config.engine.name != "local":
            train = partitioned_train_task.with_options(**computing(config, timeouts.training))
            report = train(data, as_of_day, config, count, force_promote, lang)
        else:
            crm = _read_and_validate(data, config)
            train = train_task.with_options(**computing(config, timeouts.training))
            report = train(crm.tables, as_of_day, config, force_promote, lang)
        summary_task(training_summary(report, as_of_day), "churn-training", "Training run and champion gate")
        return report


@flow(name="score", validate_parameters=False)
def score_flow(
    data: str,
    as_of: str,
    out: list[str] | None = None,
    sink: str | None = None,
    lang: str | None = None,
    config_file: str | None = None,
    output_dir: str | None = None,
    engine: str | None = None,
    dask_address: str | None = None,
    partitions: int | None = None,
) -> ScoreReport:
    """Score every active customer at `as_of` with the champion; write the checked export (on demand).

    `engine`, `dask_address` and `partitions` override the config's `engine` settings.
    """
    with _summarised_on_failure("churn-scores", "Scoring run"):
        config = _settings(config_file, output_dir, _engine(engine, dask_address, partitions))
        as_of_day = night_to_score(as_of, config.orchestration.nightly.timezone, _scheduled_start())
        return _score_and_export(data, as_of_day, config, out, sink, lang)


@flow(name="nightly", validate_parameters=False)
def nightly_flow(
    data: str,
    as_of: str | None = None,
    out: list[str] | None = None,
    sink: str | None = None,
    lang: str | None = None,
    config_file: str | None = None,
    output_dir: str | None = None,
    engine: str | None = None,
    dask_address: str | None = None,
    partitions: int | None = None,
) -> ScoreReport:
    """The scheduled night: validate → features → score → export → run summary.

    With no `as_of`, scores the day before the run was scheduled, in `orchestration.nightly.timezone`.
    `engine`, `dask_address` and `partitions` override the config's `engine` settings.
    """
    with _summarised_on_failure("churn-scores", "Nightly run"):
        config = _settings(config_file, output_dir, _engine(engine, dask_address, partitions))
        as_of_day = night_to_score(as_of, config.orchestration.nightly.timezone, _scheduled_start())
        return _score_and_export(data, as_of_day, config, out, sink, lang)


def _engine(engine: str | None, dask_address: str | None, partitions: int | None) -> dict[str, Any]:
    return {"name": engine, "dask_address": dask_address, "partitions": partitions}


def _score_and_export(
    data: str,
    as_of_day: pd.Timestamp,
    config: PipelineConfig,
    out: list[str] | None,
    sink: str | None,
    lang: str | None,
) -> ScoreReport:
    timeouts = config.orchestration.timeouts
    language = lang or config.scoring.language
    # As written, without "..": `exp/A/../x.csv` would make a folder `exp/A` for nothing.
    paths = (
        [Path(os.path.normpath(path)) for path in out]
        if out
        else default_export_paths(config.output_dir, as_of_day)
    )
    if sink:  # before the minutes of reading and scoring
        check_sink_task.with_options(**outside_world(config, timeouts.export))(sink)
    champion = load_champion_task.with_options(**outside_world(config, timeouts.model_registry))(config)
    source = source_key(data)
    previous_rows = history_task.with_options(**outside_world(config, timeouts.model_registry))(
        config, source, as_of_day
    )
    monitor = Monitor(champion.reference, previous_rows, config)
    count = partition_count_task.with_options(**outside_world(config, timeouts.read_crm))(data, config)
    try:
        if count > 1 or config.engine.name != "local":
            scored = partitioned_task.with_options(**computing(config))(
                data, as_of_day, config, champion, language, count, paths, sink, monitor
            )
            rows, top, files, sink_write = scored.digest, scored.top, scored.files, scored.sink_write
            monitoring = scored.monitoring
        else:
            crm = _read_and_validate(data, config, known_before=cutoff_instant(as_of_day))
            features = active_features_task.with_options(**computing(config))(crm.tables, as_of_day, config)
            rows = score_task.with_options(**computing(config))(champion, features, as_of_day, config, lang)
            monitoring = monitor_task.with_options(**computing(config))(
                monitor, crm.tables, features, rows, as_of_day
            )
            export = export_task.with_options(**outside_world(config, timeouts.export))
            files, sink_write = export(rows, paths, sink, config.scoring.table)
            top = rows.dropna(subset=["priority_rank"]).nsmallest(REPORT_TOP_ROWS, "priority_rank")
    except DataContractError as error:
        note_nothing_known_by(error, as_of_day)
        raise
    except MonitoringFailedError as error:
        run_id = None
        with suppress(Exception):  # the night's own error is the one to report
            html = _night_report(champion, as_of_day, language, error.monitoring)
            run_id = record_task.with_options(**outside_world(config, timeouts.model_registry))(
                config, champion, source, as_of_day, error.monitoring, False, html
            )
        raise MonitoringFailedError(error.monitoring, run_id) from None
    steps.announce("write the report")
    html = _night_report(champion, as_of_day, language, monitoring, rows, top)
    report_file = write_text(html, report_path(paths))
    try:
        run_id = record_task.with_options(**outside_world(config, timeouts.model_registry))(
            config, champion, source, as_of_day, monitoring, True, html
        )
        not_recorded = None
    except Exception as error:  # noqa: BLE001 - the night is published: say so, do not fail it
        run_id, not_recorded = None, f"{type(error).__name__}: {error}"
    report = ScoreReport(
        rows=rows,
        top=top.head(TOP_ROWS),
        model_name=champion.name,
        model_version=champion.version,
        horizon_days=champion.horizon_days,
        files=files,
        sink_write=sink_write,
        tracking_uri=champion.tracking_uri,
        monitoring=monitoring,
        report_file=report_file,
        run_id=run_id,
        not_recorded=not_recorded,
    )
    steps.announce("record the run summary")
    summary = scoring_summary(report, as_of_day, sink, config.scoring.table)
    summary_task(summary, "churn-scores", "Scoring run")
    return report


def _night_report(
    champion: Champion,
    as_of_day: pd.Timestamp,
    language: str,
    monitoring: Monitoring,
    rows: pd.DataFrame | None = None,
    top: pd.DataFrame | None = None,
) -> str:
    """The night's HTML report; without rows, that of a night monitoring stopped (nothing published)."""
    return scoring_report(
        lang=language,
        as_of=as_of_day,
        model_name=champion.name,
        model_version=champion.version,
        horizon_days=champion.horizon_days,
        rows=rows,
        top=top,
        monitoring=monitoring,
        published=rows is not None,
        generated=pd.Timestamp.now(tz="UTC"),
    )


# --- summaries (the artifacts) -------------------------------------------------------------------


def _markdown_table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def scoring_summary(report: ScoreReport, as_of: pd.Timestamp, sink: str | None, table: str) -> str:
    rows = report.rows
    tiers = [
        [
            tier,
            f"{(rows['risk_tier'] == tier).sum():,}",
            f"{rows.loc[rows['risk_tier'] == tier, 'value_at_risk'].sum():,.0f}",
        ]
        for tier in ("high", "medium", "low")
    ]
    high = rows[rows["risk_tier"] == "high"]
    mix = reason_mix(high)
    outputs = [f"- file `{path}`" for path in report.files]
    if report.sink_write is not None:
        outputs.append(f"- {report.sink_write.said(table, sink)}")
    return (
        f"# {len(rows):,} customers scored as of {as_of:%Y-%m-%d}\n\n"
        f"Model `{report.model_name}` version {report.model_version} "
        f"({report.horizon_days}-day horizon), tracking at `{report.tracking_uri}`.\n\n"
        + _markdown_table(["risk tier", "customers", "value at risk"], tiers)
        + "\nWhy the high-risk customers may leave (reason_1):\n\n"
        + _markdown_table(["reason", "share"], [[reason, f"{share:.0%}"] for reason, share in mix.items()])
        + "\n"
        + monitoring_summary(report.monitoring)
        + "\nOutputs:\n\n"
        + "\n".join(outputs)
        + f"\n- report `{report.report_file}` ({recorded_in(report)})\n"
    )


def monitoring_summary(monitoring: Monitoring) -> str:
    """The checks that broke (all of them), and the features that moved most."""
    broken = monitoring.failed + monitoring.warned
    lines = [f"Monitoring: {monitoring.headline()}.\n"]
    lines += [f"Monitoring: {uncompared}.\n" for uncompared in monitoring.uncompared]
    if broken:
        lines.append(
            _markdown_table(["check", "status", "detail"], [[c.name, c.status, c.detail] for c in broken])
        )
    moved = sorted(monitoring.psi.items(), key=lambda item: -item[1])[:5]
    if moved:
        lines.append(
            "\nLargest drift (PSI): " + ", ".join(f"{name} {value:.3f}" for name, value in moved) + "\n"
        )
    return "\n".join(lines)


def training_summary(report: TrainingReport, as_of: pd.Timestamp) -> str:
    names = ("roc_auc", "pr_auc", "brier", "ece", "lift_top10")
    rows = [[model, *(f"{metrics[name]:.3f}" for name in names)] for model, metrics in report.metrics.items()]
    verdict = "is now champion" if report.champion_now else "stays challenger"
    unseen = unseen_reasons_sentence(list(report.feature_names))
    return (
        f"# Model {report.model_name} version {report.version} {verdict} (as of {as_of:%Y-%m-%d})\n\n"
        f"{report.decision.reason}.\n\n"
        + (f"**This model {unseen}.**\n\n" if unseen else "")
        + "".join(f"{sentence}\n\n" for sentence in (report.history.sentences() if report.history else ()))
        + f"Out-of-time test on cutoff {report.cutoffs['test'][0]} ({report.rows['test']:,} customers):\n\n"
        + _markdown_table(["model", *names], rows)
        + f"\nMLflow run `{report.run_id}` at `{report.tracking_uri}`; report `{report.report_file}`.\n"
    )
