"""The `churn` command line: one clear line per error, a traceback only with --debug."""

from __future__ import annotations

import faulthandler
import logging
import os
import signal
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from features.config import (
    ENGINES,
    LANGUAGES,
    PipelineConfig,
    churn_reason_shares,
    load_feature_declarations,
    load_pipeline_config,
    load_reasons,
    unseen_reasons_sentence,
    with_engine,
)
from features.contract import TABLES
from features.errors import ChurnError, DataContractError
from features.parsing import normalize_ids, normalize_text, parse_timestamps
from features.sources import describe_source, misnamed_table_files
from features.synthetic import generate_crm
from features.timeline import parse_day
from features.validation import ValidatedCRM, load_crm, summarize
from models.reason_accuracy import OBSERVABLE, exit_survey_agreement, reason_accuracy, reason_mix
from pipelines import steps
from pipelines.files import write_table, write_tables
from pipelines.interrupts import Stopped, stop_on_system_signals, stop_received

# Imported where a command needs them: MLflow and XGBoost take seconds to import, which `--help`, a
# typo's error, `validate` or `generate` should not wait (models.registry, pipelines.export and
# pipelines.score_run import them).
if TYPE_CHECKING:
    from models.train_run import TrainingReport
    from pipelines.score_run import ScoreReport

app = typer.Typer(
    help="Score every customer's risk of leaving, and say why in the exit survey's own categories.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)


# Rich draws 80 columns where there is no terminal to ask; a nightly log (cron, a file) would then
# cut the metrics tables' columns short. COLUMNS, when set, still wins.
def _log_width(stream) -> int | None:
    return None if stream.isatty() or "COLUMNS" in os.environ else 160


out = Console(width=_log_width(sys.stdout))
err = Console(stderr=True, width=_log_width(sys.stderr))


def _use_tracking(output_dir: Path) -> str:
    from models.registry import use_tracking

    return use_tracking(output_dir)


@dataclass
class _Settings:
    debug: bool = False
    config_path: Path | None = None

    def config(self, config_file: Path | None = None) -> PipelineConfig:
        """The settings: `--config` after the command (`config_file`), else before it, else the defaults."""
        if config_file is not None:
            self.config_path = config_file
        return load_pipeline_config(self.config_path)

    def config_file(self) -> str | None:
        return str(self.config_path.resolve()) if self.config_path else None


settings = _Settings()


class FileFormat(StrEnum):
    parquet = "parquet"
    csv = "csv"


DataOption = Annotated[
    str,
    typer.Option(
        "--data",
        help="Folder of CSV/Parquet files (one per table) or a SQLAlchemy URL, e.g. sqlite:///crm.db.",
        show_default=False,
    ),
]


EngineOption = Annotated[
    str | None,
    typer.Option(
        "--engine",
        help="local (partitions on this machine, side by side in engine.local_workers processes) or "
        "dask (side by side on a Dask cluster); "
        "default: engine.name, local.",
        show_default=False,
    ),
]
DaskAddressOption = Annotated[
    str | None,
    typer.Option(
        "--dask-address",
        help="The Dask scheduler for --engine dask, e.g. tcp://10.0.0.5:8786 (default: engine.dask_address; "
        "none starts a LocalCluster here).",
        show_default=False,
    ),
]
PartitionsOption = Annotated[
    int | None,
    typer.Option(
        "--partitions",
        min=1,
        help="Partitions of customers (default: engine.partitions, auto: one per 250,000 customers).",
        show_default=False,
    ),
]
ConfigFileOption = Annotated[
    Path | None,
    typer.Option("--config", help="Pipeline settings YAML (also accepted before the command)."),
]


@app.callback()
def main_options(
    debug: Annotated[
        bool, typer.Option("--debug", help="Show full tracebacks on errors, and Prefect's own log.")
    ] = False,
    config: Annotated[
        Path | None, typer.Option("--config", help="Pipeline settings YAML (default: configs/pipeline.yaml).")
    ] = None,
) -> None:
    """Churn risk for CRMs: a synthetic CRM, validation, features, training, nightly scoring with
    reasons, evaluation, and the scheduled runs (`churn serve`). Start with `churn demo`."""
    settings.debug = debug
    settings.config_path = config


def _flows():
    """The Prefect flows, imported on first use: `churn --help` and `generate` stay quick.

    Prefect's console log repeats our progress lines in its own format, so this process's console
    handlers show only what is critical (--debug shows all); the log still goes to the Prefect
    server when there is one. The temporary server's own output is left alone: it must stay silent.
    """
    from pipelines.prefect_server import temporary_server_in_own_session

    temporary_server_in_own_session()  # before anything here can start it
    from pipelines import flows

    if not settings.debug:
        for handler in flows.prefect_console_handlers():
            handler.setLevel(logging.CRITICAL)
    return flows


@contextmanager
def _running(title: str, flow: bool = True) -> Iterator[steps.StepTimes]:
    """A progress display for one run: the current step, and a bar for steps that count customers.

    `flow`: the block runs a Prefect flow, whose start (the temporary server) is timed as a step.
    """
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
    )

    def read(note: str) -> None:  # retries: printed above the bar, or as a line in a log
        err.print(f"[yellow]{escape(note)}[/yellow]", highlight=False, soft_wrap=True)

    if not err.is_terminal:  # a log file or a pipe: the final tables say what happened
        with steps.watching(reader=read) as times:
            if flow:
                steps.announce("start the flow run")
            yield times
        return
    with Progress(*columns, console=err, transient=True) as progress:
        overall = progress.add_task(f"{title}: starting", total=None)
        counted: dict[str, object] = {}

        def show(step: str, done: int | None, total: int | None) -> None:
            if done is None:
                progress.update(overall, description=f"{title}: {step}")
                for task_id in counted.values():
                    progress.remove_task(task_id)
                counted.clear()
            else:
                if step not in counted:
                    counted[step] = progress.add_task(f"  {step}", total=total)
                progress.update(counted[step], completed=done, total=total)

        with steps.watching(show, read) as times:
            if flow:
                steps.announce("start the flow run")  # Prefect's temporary server, without PREFECT_API_URL
            yield times


def _print_timings(times: steps.StepTimes, title: str) -> None:
    table = Table(title=title)
    table.add_column("step")
    table.add_column("seconds", justify="right")
    for step, seconds in times.seconds.items():
        table.add_row(step, f"{seconds:.1f}")
    table.add_row("[bold]total[/bold]", f"[bold]{sum(times.seconds.values()):.1f}[/bold]")
    out.print(table)


@app.command()
def generate(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to write the tables and truth.parquet to.")],
    customers: Annotated[int, typer.Option("--customers", min=1, help="Number of customers.")] = 10_000,
    seed: Annotated[int, typer.Option("--seed", help="Random seed; the same seed gives the same data.")] = 42,
    start: Annotated[
        str, typer.Option("--start", help="First day of the history (YYYY-MM-DD).")
    ] = "2023-01-01",
    end: Annotated[str, typer.Option("--end", help="Last day of the history (YYYY-MM-DD).")] = "2025-12-31",
    file_format: Annotated[
        FileFormat, typer.Option("--format", help="File format of the tables.")
    ] = FileFormat.parquet,
) -> None:
    """Write a synthetic CRM whose churners leave for known reasons.

    The five contract tables go to --out, with truth.parquet (customer_id, churned_at,
    true_reason) beside them: ground truth for evaluation, which no pipeline step reads.

    Example: `churn generate --out data/crm --customers 100000 --seed 7`
    """
    config = settings.config()
    started = time.perf_counter()
    first_day, last_day = parse_day(start, "--start"), parse_day(end, "--end")
    if last_day <= first_day + pd.Timedelta(days=90):
        raise ChurnError(f"--start {start} and --end {end}: the history must span more than 90 days")
    if last_day >= pd.Timestamp.now(tz="UTC").tz_localize(None).normalize():
        # Events fill the whole last day: later than now, they would break the not_in_future rule.
        raise ChurnError(
            f"--end {end}: a day not over yet; give one before today "
            "(validation refuses events later than now)"
        )
    with _running("Synthetic CRM", flow=False):
        steps.announce(f"generate {customers:,} customers")
        crm = generate_crm(customers, seed, first_day, last_day, churn_reason_shares(config.generator))
        steps.announce(f"write the tables to {out_dir}")
        write_tables(crm.tables, out_dir, file_format.value)
        write_table(crm.truth, out_dir / "truth.parquet")
    table = Table(title=f"Synthetic CRM in {out_dir} ({time.perf_counter() - started:.1f} s)")
    table.add_column("table")
    table.add_column("rows", justify="right")
    for name, frame in {**crm.tables, "truth": crm.truth}.items():
        table.add_row(name, f"{len(frame):,}")
    out.print(table)
    churners = crm.truth["true_reason"].notna()
    shares = crm.truth.loc[churners, "true_reason"].value_counts(normalize=True)
    mix = ", ".join(f"{reason} {share:.0%}" for reason, share in shares.items())
    out.print(f"{churners.sum():,} of {len(churners):,} customers churn in the window; true reasons: {mix}")


def _check_language(lang: str | None) -> None:
    if lang is not None and lang not in LANGUAGES:
        raise ChurnError(f"--lang {lang}: choose one of {', '.join(LANGUAGES)}")


def _check_engine(engine: str | None) -> None:
    if engine is not None and engine not in ENGINES:
        raise ChurnError(f"--engine {engine}: choose one of {', '.join(ENGINES)}")


@app.command()
def validate(
    data: DataOption,
    drop_invalid: Annotated[
        bool,
        typer.Option(
            "--drop-invalid",
            help="Set rows that break a rule aside in `OUTPUT/quarantine/TABLE.csv`; the rows that pass go "
            "to `OUTPUT/valid/TABLE.csv`, a CRM the other commands read with --data.",
        ),
    ] = False,
    output: Annotated[
        Path | None, typer.Option("--output", help="Output folder (default: output_dir in the config).")
    ] = None,
    config_file: ConfigFileOption = None,
) -> None:
    """Check CRM data against the contract and print a summary of each table.

    Every problem is reported at once (table, column, rule, rows, examples) and the exit code
    is 1. Rows dated after a run's as-of date are fine: backtests run on full histories.

    Examples:

    * `churn validate --data data/crm`
    * `churn validate --data sqlite:///crm.db --drop-invalid`
    """
    config = settings.config(config_file)
    crm = _load(data, config, drop_invalid, output or config.output_dir)
    _print_summary(crm, describe_source(data))
    for table, file in misnamed_table_files(data, config.source).items():
        stem = config.source.table_name(table)
        out.print(
            f"[yellow]Not read: {file}. Is it the {table} table? Name it exactly {stem}.csv or "
            f"{stem}.parquet.[/yellow]",
            highlight=False,
        )


def _load(data: str, config: PipelineConfig, drop_invalid: bool, output_dir: Path) -> ValidatedCRM:
    with _running("Validation", flow=False):
        steps.announce(f"read and validate {describe_source(data)}")
        try:
            crm = load_crm(data, config, drop_invalid=drop_invalid)
        except ChurnError as error:  # bad data, or data that cannot be read at all
            if drop_invalid:
                _note_earlier_valid(error, Path(output_dir) / "valid")
            raise
        if drop_invalid:
            steps.announce(f"write the rows that pass to {Path(output_dir) / 'valid'}")
            _write_valid(crm, config, Path(output_dir) / "valid")
    if drop_invalid:
        _write_quarantine(crm, Path(output_dir) / "quarantine")
        valid = Path(output_dir) / "valid"
        err.print(
            escape(f"The rows that pass are in {valid}: give --data {valid} to train or score on them.")
        )
    return crm


def _note_earlier_valid(error: ChurnError, valid_dir: Path) -> None:
    """A valid folder written by an earlier run stays (nothing is written when validation fails), but
    whoever reads it next with --data should know it is not today's data."""
    files = list(valid_dir.glob("*.csv")) if valid_dir.is_dir() else []
    if files:
        written = datetime.fromtimestamp(max(file.stat().st_mtime for file in files)).astimezone()
        error.add_note(
            f"{valid_dir} still holds the rows that passed an earlier run (written "
            f"{written:%Y-%m-%d %H:%M %Z}), not these."
        )


def _write_valid(crm: ValidatedCRM, config: PipelineConfig, valid_dir: Path) -> None:
    """Every table's rows that pass, as read, under the CRM's own table and column names: the same
    settings read the folder with --data, so the night goes on without the rows set aside."""
    for name in TABLES:
        file = valid_dir / f"{config.source.table_name(name)}.csv"
        if name not in crm.raw:
            file.unlink(missing_ok=True)  # an earlier run's, for another CRM
            continue
        raw = crm.raw[name]
        kept = raw.frame.drop(index=crm.quarantined[name].index) if name in crm.quarantined else raw.frame
        write_table(_ids_as_read(name, kept).rename(columns=raw.source_columns), file)


def _ids_as_read(name: str, frame: pd.DataFrame) -> pd.DataFrame:
    """Id columns as validation reads them: an id column with gaps comes from Parquet or SQL as floats,
    and "3.0" in a CSV would no longer match customer "3"."""
    ids = {column.name for column in TABLES[name].columns if column.kind == "id"} & set(frame.columns)
    return frame.assign(**{column: normalize_ids(frame[column]) for column in ids})


def _write_quarantine(crm: ValidatedCRM, quarantine_dir: Path) -> None:
    for name in TABLES:
        # A file left by an earlier run would make today's quarantine look bigger than it is.
        if name in crm.quarantined:
            write_table(crm.quarantined[name], quarantine_dir / f"{name}.csv")
        else:
            (quarantine_dir / f"{name}.csv").unlink(missing_ok=True)
    if crm.dropped:
        set_aside = sum(len(rows) for rows in crm.quarantined.values())
        err.print(f"[yellow]--drop-invalid: set {set_aside:,} rows aside in {quarantine_dir}:[/yellow]")
        for problem in crm.dropped:
            err.print(
                escape(f"  {problem.table}.{problem.column} [{problem.rule}]: {_rows(problem.rows)}"),
                highlight=False,
            )


def _rows(count: int) -> str:
    return f"{count:,} row" if count == 1 else f"{count:,} rows"


def _print_summary(crm: ValidatedCRM, source: str) -> None:
    set_aside = sum(len(rows) for rows in crm.quarantined.values())
    verdict = f"valid once {_rows(set_aside)} set aside" if set_aside else "valid"
    table = Table(title=f"CRM data in {source}: {verdict}")
    for column in ("table", "rows", "customers", "first", "last"):
        table.add_column(column, justify="right" if column in ("rows", "customers") else "left")
    for row in summarize(crm.tables).itertuples():
        table.add_row(row.table, f"{row.rows:,}", f"{row.customers:,}", _date(row.first), _date(row.last))
    out.print(table)
    _print_evidence(crm.tables)


def _print_evidence(tables: dict[str, pd.DataFrame]) -> None:
    """How many declared features these tables can build, and the survey reasons none of them
    evidences: what a model trained on them could never name, said before anyone trains one."""
    from features.build import present_columns

    present = present_columns(tables)
    declared = load_feature_declarations()
    buildable = [name for name, feature in declared.items() if set(feature.needs) <= present]
    out.print(f"Features these tables can build: {len(buildable)} of {len(declared)}.")
    unseen = unseen_reasons_sentence(buildable)
    if unseen:
        out.print(f"[yellow]A model trained on them {unseen}.[/yellow]", soft_wrap=True, highlight=False)


def _date(value: pd.Timestamp) -> str:
    return "" if pd.isna(value) else value.strftime("%Y-%m-%d")


@app.command()
def features(
    data: DataOption,
    as_of: Annotated[
        str, typer.Option("--as-of", help="Build from what was known at the end of this day (UTC).")
    ],
    out_file: Annotated[Path, typer.Option("--out", help="Where to write the frame: .parquet or .csv.")],
    lookback_days: Annotated[
        int | None,
        typer.Option(
            "--lookback-days",
            min=1,
            help="Population: customers with an order this recent (default: churn.lookback_days, 365).",
            show_default=False,
        ),
    ] = None,
    config_file: ConfigFileOption = None,
) -> None:
    """Write the point-in-time features of every customer in the population at --as-of.

    Only events before 00:00 UTC after --as-of are used, so a full history can be inspected at any
    past date. One row per customer: customer_id, as_of, then one column per feature (see
    configs/reasons.yaml for what each means and which reason it evidences).

    Example: `churn features --data demo-output/crm --as-of 2025-06-30 --out features.parquet`
    """
    if out_file.suffix.lower() not in (".parquet", ".csv"):
        raise ChurnError(f"--out {out_file}: use a .parquet or .csv file name")
    parse_day(as_of, "--as-of")
    settings.config(config_file)  # a bad settings file fails before Prefect starts
    with _running("Features") as times:
        report = _flows().features_flow(
            data, str(out_file), as_of=as_of, lookback_days=lookback_days, config_file=settings.config_file()
        )
    _print_features(report.features, report.as_of, report.file)
    _print_timings(times, "Features: time per step")


def _print_features(frame: pd.DataFrame, as_of_day: pd.Timestamp, out_file: Path) -> None:
    declared = load_feature_declarations()
    by_reason = pd.Series([declared[name].reason for name in frame.columns]).value_counts(sort=False)
    mix = ", ".join(f"{reason} {count}" for reason, count in by_reason.items())
    shape = f"{len(frame):,} customers × {frame.shape[1]} features ({mix})"
    out.print(f"{shape} as of {as_of_day:%Y-%m-%d} → {out_file}")


@app.command()
def train(
    data: DataOption,
    as_of: Annotated[
        str, typer.Option("--as-of", help="Train on what was known at the end of this day (UTC).")
    ],
    horizon_days: Annotated[
        int | None,
        typer.Option(
            "--horizon-days",
            min=1,
            help="Predict churn this many days ahead (default: churn.horizon_days, 90).",
            show_default=False,
        ),
    ] = None,
    force_promote: Annotated[
        bool, typer.Option("--force-promote", help="Make the new model champion even if the gate says no.")
    ] = False,
    engine: EngineOption = None,
    dask_address: DaskAddressOption = None,
    partitions: PartitionsOption = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            help=f"Language of the HTML report: {', '.join(LANGUAGES)} (default: scoring.language, en).",
            show_default=False,
        ),
    ] = None,
    config_file: ConfigFileOption = None,
) -> None:
    """Train, compare and register a churn model; promote it only if it beats the champion.

    Builds month-end training cutoffs from data known at --as-of (the latest one whose labels are
    complete is the out-of-time test set), trains XGBoost, a logistic regression and a recency-only
    baseline, records everything in MLflow ($MLFLOW_TRACKING_URI, or OUTPUT_DIR/mlflow.db) and
    registers the XGBoost model as `challenger`. It becomes `champion` only if its test AUC is not
    worse than the champion's re-scored on the same rows and its calibration error is within the
    bound (training.promotion in the config); the first model becomes champion. A CRM of more than
    engine.customers_per_partition (250,000) customers has its training set built in partitions of
    customers, side by side in engine.local_workers processes (the same rows as in one piece, so the
    same model); with --engine dask the partitions are built on a Dask cluster and XGBoost trains
    there with xgboost.dask. A self-contained HTML
    report (comparison, charts, SHAP by reason, model card) is written to OUTPUT_DIR/reports/ and
    into the MLflow run; the run also stores the monitoring reference that each scoring run's drift
    checks compare with.

    Example: `churn train --data demo-output/crm --as-of 2025-12-31`
    """
    parse_day(as_of, "--as-of")
    _check_language(lang)
    _check_engine(engine)
    config = with_engine(
        settings.config(config_file), name=engine, dask_address=dask_address, partitions=partitions
    )
    _use_tracking(config.output_dir)  # bad settings or a silent MLflow fail before Prefect starts
    with _running("Training") as times:
        report = _flows().train_flow(
            data,
            as_of=as_of,
            horizon_days=horizon_days,
            force_promote=force_promote,
            config_file=settings.config_file(),
            engine=engine,
            dask_address=dask_address,
            lang=lang,
            partitions=partitions,
        )
    _print_training(report)
    _print_timings(times, "Training: time per step")


def _print_training(report: TrainingReport) -> None:
    table = Table(
        title=f"Out-of-time test: cutoff {report.cutoffs['test'][0]}, {report.rows['test']:,} customers"
    )
    columns = {
        "roc_auc": "AUC",
        "pr_auc": "PR AUC",
        "brier": "Brier",
        "log_loss": "log loss",
        "ece": "ECE",
        "lift_top10": "lift@10%",
        "recall_top10": "recall@10%",
        "value_at_risk_top10_share": "value@10%",
    }
    table.caption = (
        "@10%: the tenth of customers ranked riskiest (value: by probability × annual value; the share "
        "of the value churners took with them)"
    )
    table.add_column("model", no_wrap=True, min_width=8)  # names stay readable on 80 columns
    for label in columns.values():
        table.add_column(label, justify="right")
    for name, metrics in report.metrics.items():
        table.add_row(name, *(_metric(key, metrics[key]) for key in columns))
    if report.decision.champion_metrics:
        table.add_row(
            f"champion v{report.decision.champion_version}",
            *(_metric(key, report.decision.champion_metrics[key]) for key in columns),
        )
    out.print(table)
    cutoffs = report.cutoffs
    left_out = (
        f" (left out, for one value in every training row: {', '.join(report.left_out)})"
        if report.left_out
        else ""
    )
    out.print(
        f"Trained on {report.rows['train']:,} rows ({cutoffs['train'][0]} to {cutoffs['train'][-1]}) "
        f"with {len(report.feature_names)} features{left_out}, validated on {cutoffs['validation'][0]}; "
        f"run {report.run_id} in {report.tracking_uri}"
    )
    unseen = unseen_reasons_sentence(list(report.feature_names))
    if unseen:
        out.print(f"[yellow]This model {unseen}.[/yellow]", soft_wrap=True, highlight=False)
    for sentence in report.history.sentences() if report.history else ():
        out.print(f"[yellow]{sentence}[/yellow]", soft_wrap=True, highlight=False)
    verdict = "is now champion" if report.champion_now else "stays challenger; the champion is unchanged"
    why = report.decision.reason + (" — promoted anyway (--force-promote)" if report.forced else "")
    out.print(f"Model {report.model_name} version {report.version} {verdict}: {why}.")
    out.print(f"Report: {report.report_file}", soft_wrap=True, highlight=False)


@app.command()
def promote(
    version: Annotated[
        str, typer.Argument(metavar="VERSION", help="The registered version to make champion, e.g. 3.")
    ],
    config_file: ConfigFileOption = None,
) -> None:
    """Make a registered version the champion by hand: a rollback after a bad promotion, or a
    challenger the champion gate kept out.

    The version must load as scoring loads it (a version whose files are gone is refused); the move is
    tagged on it (promote.previous_champion, promote.at) and the next `churn score` uses it. Every
    version stays registered: promoting the previous champion again undoes it.

    Example: `churn promote 3 --config pipeline.yaml`
    """
    if not version.isdigit():
        raise ChurnError(f"VERSION {version}: a registered version number, e.g. 3")
    config = settings.config(config_file)
    from models.registry import promote_by_hand
    from pipelines.score_run import check_registry_exists

    check_registry_exists(config)  # before opening it: an embedded store that is not there is not made
    where = _use_tracking(config.output_dir)
    name = config.training.model_name
    promotion = promote_by_hand(name, version)
    if not promotion.changed:
        out.print(
            f"{name} version {version} is already the champion at {where}: nothing changed.",
            soft_wrap=True,
            highlight=False,
        )
        return
    was = f"version {promotion.previous}" if promotion.previous else "no champion"
    out.print(
        f"{name} version {version} is now the champion at {where} (it was {was}); `churn score` uses it.",
        soft_wrap=True,
        highlight=False,
    )
    if promotion.previous_predicts and promotion.previous_predicts != promotion.predicts:
        out.print(
            f"[yellow]It predicts {promotion.predicts}; version {promotion.previous} predicted "
            f"{promotion.previous_predicts}.[/yellow]",
            soft_wrap=True,
        )


def _metric(key: str, value: float) -> str:
    return f"{value:.1%}" if key.endswith("share") or key.startswith("recall") else f"{value:.3f}"


@app.command()
def score(
    data: DataOption,
    as_of: Annotated[str, typer.Option("--as-of", help="Score what was known at the end of this day (UTC).")],
    out_files: Annotated[
        list[Path] | None,
        typer.Option(
            "--out",
            help="Export file, .csv or .parquet; repeat for both (default: both in OUTPUT_DIR/scores/).",
            show_default=False,
        ),
    ] = None,
    sink: Annotated[
        str | None,
        typer.Option(
            "--sink",
            help="Also upsert the rows into a database table (scoring.table) at this SQLAlchemy URL, "
            "e.g. sqlite:///crm.db or postgresql+psycopg://user@host/db.",
            show_default=False,
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option(
            "--lang",
            help=f"Language of reason labels, sentences and actions: {', '.join(LANGUAGES)} "
            "(default: scoring.language, en).",
            show_default=False,
        ),
    ] = None,
    engine: EngineOption = None,
    dask_address: DaskAddressOption = None,
    partitions: PartitionsOption = None,
    config_file: ConfigFileOption = None,
) -> None:
    """Score every active customer with the champion model: risk, reasons, action, value at stake.

    Loads the registered `champion` (never silently another version), builds the features at
    --as-of with the training code path, explains each score with exact TreeSHAP contributions,
    measured against a customer who stays and summed into the exit survey's reason categories, and
    writes one row per customer in the CRM export schema (configs/crm_export.schema.json; see the
    README). The rows are checked before anything is written: a failed run leaves the previous
    export and table as they were.

    Before publishing, the run checks the CRM feed (rows per table against the previous runs,
    customers gone silent, days with events) and drift against the model's training reference
    (PSI of every feature, the score and the reason mix): by the `monitoring` settings a broken check
    fails the run (feed, by default) or warns (drift). An HTML report goes next to the export
    (NAME_report.html) and, with the checks, into an MLflow scoring run.

    A CRM of more than 250,000 customers is scored in partitions of customers (memory follows the
    partition), side by side in one worker process per core, or on Dask (--engine dask); see the
    engine.* settings.

    Example: `churn score --data demo-output/crm --as-of 2025-09-30 --lang uk --sink sqlite:///crm.db`
    """
    as_of_day = parse_day(as_of, "--as-of")
    _check_language(lang)
    _check_engine(engine)
    config = with_engine(
        settings.config(config_file), name=engine, dask_address=dask_address, partitions=partitions
    )
    if out_files:
        from pipelines.export import check_export_paths

        check_export_paths(out_files)  # at once, not after the scoring
    # Once, at once: at a terminal a typo should not wait out the flow's retries.
    from pipelines.score_run import check_registry_exists

    check_registry_exists(config)
    _use_tracking(config.output_dir)
    if sink:
        from pipelines.export import check_sink

        check_sink(sink)
    with _running("Scoring") as times:
        report = _flows().score_flow(
            data,
            as_of,
            out=[str(path) for path in out_files] if out_files else None,
            sink=sink,
            lang=lang,
            config_file=settings.config_file(),
            engine=engine,
            dask_address=dask_address,
            partitions=partitions,
        )
    _print_scores(report, as_of_day, sink, config)
    _print_timings(times, "Scoring: time per step")


def _print_scores(report: ScoreReport, as_of_day: pd.Timestamp, sink: str | None, config: PipelineConfig):
    from pipelines.score_run import recorded_in

    rows = report.rows
    out.print(
        f"{len(rows):,} customers scored as of {as_of_day:%Y-%m-%d} by {report.model_name} "
        f"v{report.model_version} ({report.horizon_days}-day horizon)"
    )
    table = Table()
    for column in ("risk tier", "customers", "mean probability", "value at risk"):
        table.add_column(column, justify="left" if column == "risk tier" else "right")
    for tier in ("high", "medium", "low"):
        mine = rows[rows["risk_tier"] == tier]
        mean = f"{mine['churn_probability'].mean():.1%}" if len(mine) else ""
        table.add_row(tier, f"{len(mine):,}", mean, f"{mine['value_at_risk'].sum():,.0f}")
    out.print(table)
    high = rows[rows["risk_tier"] == "high"]
    mix = reason_mix(high)
    out.print(
        "Why the high-risk customers may leave (reason_1): "
        + ", ".join(f"{k} {v:.0%}" for k, v in mix.items())
    )
    for row in report.top.head(1).itertuples():
        out.print(
            f"Call first: {row.customer_id} — {row.churn_probability:.0%} risk ({row.risk_tier} tier), "
            f"{row.value_at_risk:,.0f} at risk, the most of any preventable customer; "
            f"{row.reason_1_label if pd.notna(row.reason_1_label) else 'no survey reason'}: "
            f"{row.reason_1_detail}. "
            f"{row.recommended_action}."
        )
    monitoring = report.monitoring
    style = {"fail": "bold red", "warn": "yellow", "ok": "green"}[monitoring.status]
    out.print(f"Monitoring: [{style}]{escape(monitoring.headline())}[/{style}]", soft_wrap=True)
    for uncompared in monitoring.uncompared:
        out.print(f"[dim]Monitoring: {escape(uncompared)}.[/dim]", soft_wrap=True)
    for path in report.files:
        out.print(f"Wrote {path}")
    out.print(f"Report: {report.report_file} ({recorded_in(report)})", soft_wrap=True, highlight=False)
    if report.sink_write is not None:
        out.print(report.sink_write.said(config.scoring.table, sink), soft_wrap=True)


@app.command()
def evaluate(
    scores_file: Annotated[Path, typer.Option("--scores", help="An export written by `churn score`.")],
    truth_file: Annotated[
        Path | None,
        typer.Option(
            "--truth",
            help="Ground truth (customer_id, churned_at, true_reason), e.g. the truth.parquet of "
            "`churn generate`.",
            show_default=False,
        ),
    ] = None,
    data: Annotated[
        str | None,
        typer.Option("--data", help="The CRM, to compare with its exit surveys.", show_default=False),
    ] = None,
    horizon_days: Annotated[
        int | None,
        typer.Option(
            "--horizon-days",
            min=1,
            help="Leavers within this many days (default: the horizon the scoring model was trained for).",
            show_default=False,
        ),
    ] = None,
    config_file: ConfigFileOption = None,
) -> None:
    """Check the reasons: reason_1 against the true reasons of the customers who then left.

    For the scored customers who truly churn within the horizon (the scoring model's, from the
    registry) after the scores' as-of date: how
    often reason_1 is the true reason, per category and balanced over the observable ones
    (indifference, product_quality, competitor, moved_or_died), for all of them and for those
    flagged high risk; the mix of reason_1 among high-risk customers against the survey shares;
    and, with --data, agreement with the exit surveys answered after the as-of date.

    Example: `churn evaluate --scores demo-output/scores/churn_scores_2025-09-30.parquet
    --truth demo-output/crm/truth.parquet`
    """
    if truth_file is None and data is None:
        raise ChurnError("give --truth (ground truth) or --data (a CRM with exit surveys), or both")
    config = settings.config(config_file)
    scores = _read_scores(scores_file)
    truth = _read_truth(truth_file) if truth_file else None
    horizon = horizon_days or _scores_horizon(scores, config)
    surveys = None
    if data is not None:
        tables = _load(data, config, drop_invalid=False, output_dir=config.output_dir).tables
        surveys = tables.get("surveys", pd.DataFrame())
    _evaluate(scores, truth, surveys, horizon, truth_file)


def _scores_horizon(scores: pd.DataFrame, config: PipelineConfig) -> int:
    """The horizon of the model that wrote the scores (its registry tag), so leavers are counted over
    the window it predicted; the settings' churn.horizon_days where the registry does not know it."""
    fallback = config.churn.horizon_days
    if not {"model_name", "model_version"} <= set(scores.columns) or scores["model_version"].nunique() != 1:
        return fallback
    name, version = str(scores["model_name"].iloc[0]), str(scores["model_version"].iloc[0])
    from models.registry import missing_embedded_store

    embedded = missing_embedded_store(config.output_dir)
    if embedded is not None:
        horizon, why = None, f"no registry at {embedded}"
    else:
        from mlflow import MlflowClient
        from mlflow.exceptions import MlflowException

        where = _use_tracking(config.output_dir)
        client = MlflowClient()
        try:
            tags = client.get_model_version(name, version).tags
            horizon, why = tags.get("churn.horizon_days"), f"it has no horizon tag in {where}"
        except MlflowException:
            horizon, why = None, f"it is not in the registry at {where}"
        if horizon is not None and not _scored_here(client, f"{name} v{version}", scores):
            # Another registry's churn-risk v1 may predict another horizon: trust only the one that scored.
            horizon, why = None, f"the registry at {where} recorded no run that scored these rows"
    if horizon is not None:
        return int(horizon)
    out.print(
        f"[dim]{name} v{version} wrote the scores, but {why}: leavers are counted within churn.horizon_days "
        f"({fallback} days); give --horizon-days if it was trained with another.[/dim]"
    )
    return fallback


def _check_exists(path: Path, option: str) -> None:
    if not path.is_file():
        raise ChurnError(f"{option} {path}: {'a folder, not a file' if path.is_dir() else 'no such file'}")


def _scored_here(client, model: str, scores: pd.DataFrame) -> bool:
    """Whether this registry recorded the published scoring run that wrote `scores`: same model and
    as-of date, started within a day after the rows' `scored_at` (the record follows the export)."""
    if "scored_at" not in scores or "'" in model:
        return False
    scored_at = pd.to_datetime(scores["scored_at"], utc=True, errors="coerce").min()
    as_of = pd.Timestamp(scores["as_of"].dropna().iloc[0]).strftime("%Y-%m-%d")
    experiments = [experiment.experiment_id for experiment in client.search_experiments()]
    runs = client.search_runs(
        experiments,
        filter_string=(
            f"tags.`churn.run` = 'scoring' AND tags.`churn.published` = 'true' "
            f"AND tags.`churn.as_of` = '{as_of}' AND tags.`churn.model` = '{model}'"
        ),
    )
    starts = [pd.Timestamp(run.info.start_time, unit="ms", tz="UTC") for run in runs]
    return any(scored_at <= start <= scored_at + pd.Timedelta(days=1) for start in starts)


def _read_scores(path: Path) -> pd.DataFrame:
    _check_exists(path, "--scores")
    try:
        if path.suffix.lower() == ".parquet":
            frame = pd.read_parquet(path)
        else:
            frame = pd.read_csv(path, dtype={"customer_id": str}, keep_default_na=False, na_values=[""])
    except (OSError, ValueError) as error:
        raise ChurnError(f"--scores {path}: cannot read it ({error})") from error
    missing = {"customer_id", "as_of", "risk_tier", "reason_1", "activity_share"} - set(frame.columns)
    if missing:
        raise ChurnError(f"--scores {path}: not a churn export (no column {', '.join(sorted(missing))})")
    if frame["as_of"].nunique() != 1:
        raise ChurnError(
            f"--scores {path}: holds {frame['as_of'].nunique()} as-of dates; give one run's export"
        )
    return frame


def _read_truth(path: Path) -> pd.DataFrame:
    _check_exists(path, "--truth")
    try:
        frame = (
            pd.read_parquet(path)
            if path.suffix.lower() == ".parquet"
            else pd.read_csv(path, dtype={"customer_id": str})
        )
    except (OSError, ValueError) as error:
        raise ChurnError(f"--truth {path}: cannot read it ({error})") from error
    missing = {"customer_id", "churned_at", "true_reason"} - set(frame.columns)
    if missing:
        raise ChurnError(
            f"--truth {path}: needs columns customer_id, churned_at, true_reason "
            f"(no {', '.join(sorted(missing))})"
        )
    ids = normalize_ids(frame["customer_id"]).astype(object)
    repeated = ids[ids.duplicated(keep=False)]
    if len(repeated):
        raise ChurnError(
            f"--truth {path}: customer_id [unique] {repeated.nunique():,} customers appear more than once, "
            f"e.g. {_examples(repeated.unique())}"
        )
    churned_at, unparsable = parse_timestamps(frame["churned_at"], "UTC")  # as the contract's are read
    unreadable = frame["churned_at"][unparsable.to_numpy(bool)]
    if len(unreadable):
        raise ChurnError(
            f"--truth {path}: churned_at [parseable_timestamp] {len(unreadable):,} rows are not dates, "
            f"e.g. {_examples(unreadable.unique())}"
        )
    # Codes as the contract reads them: case and surrounding spaces do not matter.
    reasons = normalize_text(frame["true_reason"], lower=True).astype(object)
    known = {reason.code for reason in load_reasons()}
    unknown = reasons[reasons.notna() & ~reasons.isin(known)]
    if len(unknown):
        raise ChurnError(
            f"--truth {path}: true_reason [allowed_values] {len(unknown):,} rows are not one of "
            f"{', '.join(sorted(known))}, e.g. {_examples(unknown.unique())}"
        )
    return pd.DataFrame({"customer_id": ids, "churned_at": churned_at, "true_reason": reasons})


def _examples(values, count: int = 3) -> str:
    return ", ".join(repr(value) for value in list(values)[:count])


def _evaluate(
    scores: pd.DataFrame,
    truth: pd.DataFrame | None,
    surveys: pd.DataFrame | None,
    horizon: int,
    truth_file: Path | None = None,
):
    result = None
    if truth is not None:
        result = reason_accuracy(scores, truth, horizon)
        if result.in_truth == 0:
            raise ChurnError(
                f"--truth {truth_file}: none of the {result.scored:,} scored customers is in it (e.g. "
                f"{_examples(scores['customer_id'].astype(str))}); are the scores and the truth of one CRM?"
            )
        reaches = (
            f"its last churned_at is {result.last_churn:%Y-%m-%d}"
            if result.last_churn
            else "no one churns in it"
        )
        if result.leavers == 0:
            raise ChurnError(
                f"--truth {truth_file}: none of the scored customers churns within {horizon} days after "
                f"{result.as_of:%Y-%m-%d} ({reaches}): nothing to check the reasons against"
            )
        if result.in_truth < result.scored:
            out.print(
                f"[dim]{result.scored - result.in_truth:,} of the {result.scored:,} scored customers are "
                "not in the truth: counted as staying.[/dim]"
            )
        last_day = result.window_end - pd.Timedelta(days=1)
        if result.last_churn < last_day:
            out.print(
                f"[yellow]The truth's last churned_at is {result.last_churn:%Y-%m-%d}, before the "
                f"{horizon}-day window after {result.as_of:%Y-%m-%d} ends ({last_day:%Y-%m-%d}): if it was "
                "written then, later leavers are missing.[/yellow]"
            )
        table = Table(
            title=f"reason_1 against the true reason: leavers within {horizon} days after "
            f"{result.as_of:%Y-%m-%d}"
        )
        for column in ("true reason", "leavers", "reason_1 right", "high-risk leavers", "right (high risk)"):
            table.add_column(column, justify="left" if column == "true reason" else "right")
        for row in result.by_reason.itertuples():
            mark = "" if row.Index in OBSERVABLE else " (not in the balanced score)"
            table.add_row(
                f"{row.Index}{mark}",
                f"{row.leavers:,}",
                _percent(row.correct_share),
                f"{row.high_risk_leavers:,}",
                _percent(row.high_risk_correct_share),
            )
        table.add_row(
            "balanced over the observable four",
            "",
            _fraction(result.balanced),
            "",
            _fraction(result.balanced_high_risk),
        )
        out.print(table)
        # Where the wrong answers went, one line per true reason (a matrix would not fit a terminal).
        out.print("What reason_1 named each reason's leavers:")
        for reason, counts in result.named_as.iterrows():
            if counts.sum():
                named = counts[counts > 0].sort_values(ascending=False, kind="stable")
                out.print(
                    f"  {reason} ({counts.sum():,}): " + ", ".join(f"{k} {v:,}" for k, v in named.items()),
                    soft_wrap=True,  # a count never on a line of its own
                )
        for who, unmeasured in (
            ("leavers", result.unmeasured()),
            ("high-risk leavers", result.unmeasured(True)),
        ):
            if unmeasured:
                out.print(
                    f"[yellow]The balanced figure over {who} averages {len(OBSERVABLE) - len(unmeasured)} of "
                    f"the {len(OBSERVABLE)} observable reasons: none of them left for "
                    f"{', '.join(unmeasured)}.[/yellow]"
                )
        mix = Table(
            title=f"reason_1 of the {result.high_risk:,} high-risk customers against the exit survey",
            caption="of those named: among the customers given a survey reason only, as the survey counts",
            caption_justify="left",  # a note to read, not a heading
        )
        for column in ("reason", "high risk", "of those named", "survey"):
            mix.add_column(column, justify="left" if column == "reason" else "right")
        for reason, row in result.mix.iterrows():
            mix.add_row(
                reason, _percent(row.high_risk_share), _percent(row.named_share), _percent(row.survey_share)
            )
        out.print(mix)
    if surveys is None:  # no --data
        pass
    elif "reason" not in surveys.columns:
        out.print("The CRM has no exit-survey reasons (surveys.reason) to compare with.")
    else:
        answers, agreement = exit_survey_agreement(scores, surveys)
        if answers:
            out.print(
                f"Exit surveys after the as-of date: reason_1 agrees with the stated reason for "
                f"{agreement:.0%} of {answers:,} answers."
            )
        else:
            out.print("No exit survey answered after the as-of date by a scored customer.")
    return result


def _percent(value: float) -> str:
    return "" if pd.isna(value) else f"{value:.0%}"


def _fraction(value: float) -> str:
    """A balanced accuracy as the bar is written (0.75): a point of percentage hides what counts."""
    return "" if pd.isna(value) else f"{value:.3f}"


DEMO_START, DEMO_END = "2023-01-01", "2025-12-31"
# The night the demo plays: three months before the history ends, so the leavers' truth is known.
DEMO_AS_OF = "2025-09-30"


@app.command()
def demo(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for everything the demo writes.")] = Path(
        "demo-output"
    ),
    customers: Annotated[int, typer.Option("--customers", min=100, help="Synthetic customers.")] = 50_000,
    seed: Annotated[
        int, typer.Option("--seed", help="Seed of the synthetic CRM; the same seed, the same data.")
    ] = 42,
) -> None:
    """Run the pipeline end to end on embedded defaults: a synthetic CRM, validation, features,
    training, the nightly scoring run, and a check of its reasons against the known truth.

    The demo plays the night of 2025-09-30: features, training and scores use only what was known
    by then; the synthetic history goes on to 2025-12-31, so the last step can check each leaver's
    reason against why they really left. Everything (tables, MLflow store, exports) goes to --out.

    Example: `churn demo --out demo-output`
    """
    crm_dir = out_dir / "crm"
    flows = _flows()
    stages: list[tuple[str, float, str]] = []
    clock = time.perf_counter()

    def stage_done(name: str, result: str) -> None:
        nonlocal clock
        stages.append((name, time.perf_counter() - clock, result))
        clock = time.perf_counter()

    out.rule("1. Generate a synthetic CRM with known churn reasons")
    generate(crm_dir, customers, seed, DEMO_START, DEMO_END, FileFormat.parquet)
    stage_done("generate", f"{customers:,} customers")
    out.rule("2. Validate it against the data contract")
    config = settings.config().model_copy(update={"output_dir": out_dir})
    crm = _load(str(crm_dir), config, drop_invalid=False, output_dir=out_dir)
    _print_summary(crm, str(crm_dir))
    stage_done("validate", f"{sum(len(table) for table in crm.tables.values()):,} rows valid")
    as_of_day = pd.Timestamp(DEMO_AS_OF)
    out.rule(f"3. Build point-in-time features as of {DEMO_AS_OF}")
    features_file = out_dir / "features.parquet"
    with _running("Features"):
        built = flows.features_flow(
            str(crm_dir), str(features_file), as_of=DEMO_AS_OF, config_file=settings.config_file()
        )
    _print_features(built.features, as_of_day, features_file)
    stage_done("features", f"{len(built.features):,} customers × {built.features.shape[1]} features")
    out.rule(f"4. Train and register a model on {config.churn.training_cutoffs} month-end cutoffs")
    _use_tracking(out_dir)  # a tracking server in MLFLOW_TRACKING_URI that does not answer: say so now
    with _running("Training"):
        report = flows.train_flow(
            str(crm_dir), as_of=DEMO_AS_OF, config_file=settings.config_file(), output_dir=str(out_dir)
        )
    _print_training(report)
    stage_done("train", f"version {report.version}, test AUC {report.metrics['xgboost']['roc_auc']:.3f}")
    out.rule(f"5. Score every active customer as of {DEMO_AS_OF} with the champion")
    with _running("Scoring"):
        scored = flows.score_flow(
            str(crm_dir), DEMO_AS_OF, config_file=settings.config_file(), output_dir=str(out_dir)
        )
    _print_scores(scored, as_of_day, None, config)
    high = (scored.rows["risk_tier"] == "high").sum()
    stage_done("score", f"{len(scored.rows):,} scored, {high:,} high risk")
    out.rule("6. Check the reasons against why the leavers really left")
    accuracy = _evaluate(
        scored.rows,
        pd.read_parquet(crm_dir / "truth.parquet"),
        crm.tables.get("surveys"),
        config.churn.horizon_days,
    )
    stage_done("evaluate", f"balanced reason_1 accuracy {_fraction(accuracy.balanced)}")
    out.rule("The ten customers with the most value at risk")
    _print_top_customers(scored.rows, 10)
    summary = Table(title=f"Demo summary: everything is in {out_dir}")
    for column in ("stage", "seconds", "result"):
        summary.add_column(column, justify="right" if column == "seconds" else "left")
    for name, seconds, result in stages:
        summary.add_row(name, f"{seconds:.0f}", result)
    summary.add_row("[bold]total[/bold]", f"[bold]{sum(seconds for _, seconds, _ in stages):.0f}[/bold]", "")
    out.print(summary)
    store = (out_dir / "mlflow.db").resolve()
    export = scored.files[-1]
    ui = (
        f"Open the MLflow UI on the runs and models:\n  mlflow ui --backend-store-uri sqlite:///{store}"
        if report.tracking_uri.startswith("sqlite:")
        else f"The run is on your tracking server: {report.tracking_uri}"
    )
    # Commands on lines of their own, never wrapped: they are meant to be copied.
    out.print(
        f"Done. The tables are in {crm_dir}, the features in {features_file}, the CRM export in {export}.\n"
        f"Reports for a browser: {report.report_file} (training), {scored.report_file} (the night).\n"
        f"Scores in Ukrainian, into a database too:\n  MLFLOW_TRACKING_URI=sqlite:///{store} churn score "
        f"--data {crm_dir} --as-of {DEMO_AS_OF} --lang uk --out {out_dir / 'scores' / 'uk.csv'} "
        f"--sink sqlite:///{(out_dir / 'crm_export.db').resolve()}\n"
        f"Check the reasons again (the registry says which horizon the model predicts):\n"
        f"  MLFLOW_TRACKING_URI=sqlite:///{store} churn evaluate --scores {export} "
        f"--truth {crm_dir / 'truth.parquet'}\n"
        f"{ui}",
        soft_wrap=True,
        highlight=False,
    )


def _print_top_customers(rows: pd.DataFrame, count: int) -> None:
    top = rows.sort_values("value_at_risk", ascending=False, kind="stable").head(count)
    table = Table()
    for column in ("customer", "risk", "value at risk", "why", "what to do"):
        table.add_column(column, justify="right" if column in ("risk", "value at risk") else "left")
    for row in top.itertuples():
        why = (
            f"{row.reason_1_label}: {row.reason_1_detail}" if pd.notna(row.reason_1) else row.reason_1_detail
        )
        table.add_row(
            str(row.customer_id),
            f"{row.churn_probability:.0%}",
            f"{row.value_at_risk:,.0f}",
            why,
            row.recommended_action,
        )
    out.print(table)


@app.command()
def serve(
    data: DataOption,
    sink: Annotated[
        str | None,
        typer.Option(
            "--sink", help="Nightly runs also upsert into this database (SQLAlchemy URL).", show_default=False
        ),
    ] = None,
    lang: Annotated[
        str | None,
        typer.Option("--lang", help="Language of the nightly export's words.", show_default=False),
    ] = None,
    config_file: ConfigFileOption = None,
) -> None:
    """Register the nightly scoring and retraining deployments on a Prefect server and run them.

    Needs a running Prefect server (PREFECT_API_URL). Schedules come from `orchestration` in the
    settings: nightly scoring at 02:00 and retraining on Sundays at 03:00 by default, each in its
    configured time zone, each at most one run at a time (a late night queues the next). This
    process executes the runs; keep it running (e.g. as a systemd service). Ctrl+C stops it and
    pauses the schedules.

    Example: `PREFECT_API_URL=http://127.0.0.1:4200/api churn serve --data sqlite:///crm.db
    --sink sqlite:///crm.db`
    """
    config = settings.config(config_file)
    _check_language(lang)
    if sink:
        from pipelines.export import check_sink

        check_sink(sink)
    from prefect import serve as prefect_serve

    from pipelines.deployments import build_deployments, prefect_server_url

    url = prefect_server_url()
    deployments = build_deployments(data, config, config_file=settings.config_file(), sink=sink, lang=lang)
    table = Table(title=f"Deployments served from this process, on the Prefect server at {url}")
    for column in ("deployment", "schedule", "time zone", "runs at once"):
        table.add_column(column)
    for deployment in deployments:
        schedule = deployment.schedules[0].schedule
        table.add_row(f"{deployment.flow_name}/{deployment.name}", schedule.cron, str(schedule.timezone), "1")
    out.print(table)
    out.print("Waiting for scheduled runs; Ctrl+C stops and pauses the schedules.")
    if hasattr(signal, "SIGUSR1"):  # `kill -USR1 PID`: where a serve that will not stop is stuck
        faulthandler.register(signal.SIGUSR1, all_threads=True)
    prefect_serve(*deployments, print_starting_message=False)


def _exit_if_stopped(error: BaseException) -> None:
    """After Ctrl+C, SIGTERM or SIGHUP, the run ends as stopped, whatever error it ended with."""
    signum = stop_received() or _stop_behind(error)
    if signum is None:
        return
    err.print("Interrupted." if signum == signal.SIGINT else f"Stopped ({signal.Signals(signum).name}).")
    sys.exit(128 + signum)


def _stop_behind(error: BaseException) -> int | None:
    """The signal behind `error`, if it was raised while a stop was being handled: during a flow run
    Prefect takes SIGTERM with its own handler (TerminationSignal), and a task stopped mid-way can
    then fail in a way of its own ("ValueError: Task run is not set") before Prefect passes the
    signal on to this process's handler."""
    prefect_exceptions = sys.modules.get("prefect.exceptions")
    seen: set[int] = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        if isinstance(error, Stopped):
            return error.signum
        if prefect_exceptions and isinstance(error, prefect_exceptions.TerminationSignal):
            return error.signal
        if isinstance(error, KeyboardInterrupt):
            return signal.SIGINT
        error = error.__cause__ or error.__context__
    return None


def main() -> None:
    """Console entry point: turn known errors into one message and an exit code."""
    stop_on_system_signals()
    try:
        app()
    except SystemExit:
        raise
    except BaseException as error:
        # After Ctrl+C, SIGTERM or SIGHUP the run ends as stopped, whatever error it ended with.
        _exit_if_stopped(error)
        if settings.debug or not isinstance(error, Exception):
            raise
        _say(error)
        sys.exit(1)


def _say(error: Exception) -> None:
    """An error in one message; a traceback only with --debug."""
    if isinstance(error, ChurnError):
        label = "Invalid data" if isinstance(error, DataContractError) else "Error"
        err.print(f"[bold red]{label}:[/bold red] {escape(str(error))}", highlight=False, soft_wrap=True)
        if isinstance(error, DataContractError):
            hint = (
                " (or set those rows aside: `churn validate --drop-invalid --output DIR` puts them in "
                "DIR/quarantine and the rest in DIR/valid, for --data)"
            )
            row_level_only = all(problem.droppable for problem in error.problems)
            err.print(
                f"Nothing was written. Fix the data above{hint if row_level_only else ''}.", soft_wrap=True
            )
        for note in getattr(error, "__notes__", ()):
            err.print(escape(note), highlight=False, soft_wrap=True)
    elif isinstance(error, TimeoutError):  # a flow step ran past orchestration.timeouts
        err.print(
            f"[bold red]Error:[/bold red] a step was stopped: {escape(str(error) or type(error).__name__)} "
            "(limits: orchestration.timeouts in the settings)",
            highlight=False,
            soft_wrap=True,
        )
    else:  # a bug
        err.print(
            f"[bold red]Unexpected error:[/bold red] {escape(f'{type(error).__name__}: {error}')} "
            "(re-run with --debug for the traceback)",
            highlight=False,
            soft_wrap=True,
        )


if __name__ == "__main__":
    main()
