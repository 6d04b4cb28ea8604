"""One training run, start to finish: training set → split → three models → test metrics → MLflow
run with charts and a model card → registered version → champion gate.

Plain functions, which the Prefect flows call: `train_and_register` on a CRM in memory, and `train_on`
once a training set is built (`pipelines.partitioned_training` builds one in partitions).
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import mlflow
import numpy as np
import pandas as pd
from mlflow import MlflowClient

from features.build import build_training_set
from features.config import (
    REASONS_CONFIG,
    PipelineConfig,
    load_feature_declarations,
    load_report_labels,
    redefined_features,
    unseen_reasons_sentence,
)
from features.contract import EVENT_TIME_COLUMN
from features.errors import ChurnError, TrainingDataError
from features.timeline import DAY, cutoff_instant, data_falls_short, training_cutoffs
from models.charts import draw_bars, draw_evaluation_charts
from models.exit_reasons import ExitReasonWeights, stated_exit_reasons, training_weights
from models.metrics import evaluate
from models.monitoring import REFERENCE_ARTIFACT, FeedProfile, build_reference, feed_at
from models.reasons import shap_contributions
from models.registry import (
    GateDecision,
    champion_alias_version,
    decide_promotion,
    experiment_id,
    load_version,
    log_model_version,
    record_decision,
    use_tracking,
)
from models.reports import reason_label, training_report
from models.split import OutOfTimeSplit, split_out_of_time
from models.training import (
    LABEL,
    REFERENCE_ROWS,
    XGBOOST_PARAMS,
    BoosterFit,
    TrainedModels,
    annual_value,
    fit_booster_here,
    train_models,
)

SHAP_SAMPLE_ROWS = 5_000


@dataclass
class TrainingReport:
    tracking_uri: str
    run_id: str
    model_name: str
    version: str
    cutoffs: dict[str, list[str]]
    rows: dict[str, int]
    metrics: dict[str, dict[str, float]]  # model → metric → value, on the test cutoff
    decision: GateDecision
    forced: bool
    report_html: str  # the self-contained HTML report, in the MLflow run as report.html
    report_file: Path | None = None  # where the flow wrote it (OUTPUT_DIR/reports/)
    feature_names: tuple[str, ...] = ()  # the features the models learnt from
    left_out: tuple[str, ...] = ()  # features with one value in every training row, not learnt from
    history: HistoryNote | None = None  # where the CRM's history is shorter than the settings assume

    @property
    def champion_now(self) -> bool:
        return self.decision.promoted or self.forced


def train_and_register(
    tables: dict[str, pd.DataFrame],
    as_of: str | pd.Timestamp,
    config: PipelineConfig,
    *,
    force_promote: bool = False,
    progress: Callable[[str], None] = lambda step: None,
    advance: Callable[[int, int], None] | None = None,
    fit_booster: BoosterFit = fit_booster_here,
    lang: str | None = None,
) -> TrainingReport:
    """`progress(step)` names each step as it starts; `advance(done, total)` counts cutoffs built;
    `fit_booster` trains XGBoost (here, or with xgboost.dask: `pipelines.partitioned.DaskEngine`);
    `lang` is the report's language (default: scoring.language)."""
    churn = config.churn
    as_of = pd.Timestamp(as_of)
    check_training_prerequisites(config, lang)
    check_training_reach(data_falls_short(tables, as_of))
    progress(f"building the training set ({churn.training_cutoffs} month-end cutoffs)")
    training_set = build_training_set(
        tables,
        as_of,
        churn.horizon_days,
        churn.training_cutoffs,
        churn.definition,
        churn.lookback_days,
        config.features.topic_keywords,
        progress=advance,
    )
    return train_on(
        training_set,
        TrainingInput.of(tables, as_of, churn.lookback_days),
        as_of,
        config,
        force_promote=force_promote,
        progress=progress,
        fit_booster=fit_booster,
        lang=lang,
    )


def check_training_prerequisites(config: PipelineConfig, lang: str | None) -> None:
    """What would otherwise fail after the minutes of training fails now."""
    load_report_labels(lang or config.scoring.language)  # an unknown language
    use_tracking(config.output_dir)  # a tracking server that does not answer


@dataclass(frozen=True)
class HistoryNote:
    """Where the CRM's history is shorter than the settings assume: month-end cutoffs before the first
    order have no customer (fewer than churn.training_cutoffs train), and cutoffs with less than the
    lookback before them count a customer's longer windows short (a customer of years looks new)."""

    first_order: pd.Timestamp
    configured: int  # the month-end cutoffs churn.training_cutoffs asks for
    with_rows: int  # those with customers
    short: tuple[pd.Timestamp, ...]  # those with less than lookback_days of history before them
    lookback_days: int

    @classmethod
    def of(cls, training_set: pd.DataFrame, first_order: str | None, as_of, churn) -> HistoryNote | None:
        if first_order is None:
            return None
        first = pd.Timestamp(first_order, tz="UTC")
        configured = len(training_cutoffs(as_of, churn.horizon_days, churn.training_cutoffs))
        used = sorted(training_set.index.get_level_values("cutoff").unique())
        reach = pd.Timedelta(days=churn.lookback_days)
        short = tuple(day for day in used if cutoff_instant(day) - first < reach)
        if len(used) == configured and not short:
            return None
        return cls(first, configured, len(used), short, churn.lookback_days)

    def sentences(self) -> list[str]:
        said = []
        if self.with_rows < self.configured:
            said.append(
                f"Only {self.with_rows} of the {self.configured} month-end cutoffs (churn.training_cutoffs) "
                f"have customers: the orders start on {self.first_order:%Y-%m-%d}."
            )
        if self.short:
            said.append(
                f"{len(self.short)} of the cutoffs trained on ({self.short[0]:%Y-%m-%d} to "
                f"{self.short[-1]:%Y-%m-%d}) have less than the {self.lookback_days}-day lookback of "
                "orders before them: there a customer's longer windows count less than a full history would."
            )
        return said


def train_on(
    training_set: pd.DataFrame,
    source: TrainingInput,
    as_of: pd.Timestamp,
    config: PipelineConfig,
    *,
    force_promote: bool = False,
    progress: Callable[[str], None] = lambda step: None,
    fit_booster: BoosterFit = fit_booster_here,
    lang: str | None = None,
) -> TrainingReport:
    """Split a built training set out of time, train the three models, then `register_and_gate`."""
    split = split_out_of_time(training_set, config.churn.horizon_days)
    history = HistoryNote.of(
        training_set, source.fingerprint["tables"]["orders"]["first"], as_of, config.churn
    )
    weights = None
    if config.training.weight_by_exit_reasons:
        weights = training_weights(split, source.stated_exit_reasons)
    progress("training XGBoost, logistic regression and the recency baseline")
    models = train_models(
        split,
        seed=config.training.seed,
        fit_booster=fit_booster,
        booster_weights=None if weights is None else weights.row_weights,
    )
    return register_and_gate(
        source,
        as_of,
        config,
        split,
        models,
        force_promote=force_promote,
        progress=progress,
        lang=lang,
        weights=weights,
        history=history,
    )


@dataclass(frozen=True)
class TrainingInput:
    """What a training run takes from the CRM besides the training set: the input fingerprint
    (`input_fingerprint`), the feed at as-of (the monitoring reference's) and the exit-survey reasons
    stated before as-of (`models.exit_reasons`). A partitioned run merges its partitions'."""

    fingerprint: dict
    feed: FeedProfile
    stated_exit_reasons: pd.DataFrame  # customer_id, answered_at, reason of every exit answer

    @classmethod
    def of(cls, tables: dict[str, pd.DataFrame], as_of: pd.Timestamp, lookback_days: int) -> TrainingInput:
        as_of = pd.Timestamp(as_of)
        return cls(
            input_fingerprint(tables),
            feed_at(tables, as_of, lookback_days),
            stated_exit_reasons(tables, as_of),
        )


def register_and_gate(
    source: TrainingInput,
    as_of: str | pd.Timestamp,
    config: PipelineConfig,
    split: OutOfTimeSplit,
    models: TrainedModels,
    *,
    force_promote: bool = False,
    progress: Callable[[str], None] = lambda step: None,
    lang: str | None = None,
    weights: ExitReasonWeights | None = None,
    history: HistoryNote | None = None,
) -> TrainingReport:
    """Evaluate trained models on the test cutoff, record the run, register, and apply the gate;
    `weights`, the exit-reason weights XGBoost was trained with, and `history` are recorded in the run."""
    training = config.training
    as_of = pd.Timestamp(as_of)
    churned = split.test[LABEL].to_numpy()
    value = annual_value(split.test)
    probabilities = {name: model.predict_proba(split.test) for name, model in models.by_name().items()}
    metrics = {name: evaluate(churned, probability, value) for name, probability in probabilities.items()}

    progress("recording the run in MLflow")
    uri = use_tracking(config.output_dir)
    experiment = experiment_id(training.experiment, config.output_dir)
    target = {
        "churn.definition": config.churn.definition,
        "churn.horizon_days": str(config.churn.horizon_days),
        "cutoffs.validation": split.cutoffs["validation"][-1],
        "cutoffs.test": split.cutoffs["test"][-1],
    }
    champion_metrics, blocker = None, None
    champion_version = champion_alias_version(training.model_name)
    if champion_version is not None:
        try:
            _, champion = load_version(training.model_name, champion_version)
        except ChurnError as error:  # its files are gone: nothing to compare; --force-promote replaces it
            blocker = f"it cannot be loaded ({error})"
        else:
            blocker = _incomparable(training.model_name, champion_version, champion, split, target)
        if blocker is None:
            champion_metrics = evaluate(churned, champion.predict_proba(split.test), value)

    language = lang or config.scoring.language
    with (
        tempfile.TemporaryDirectory() as folder,
        mlflow.start_run(experiment_id=experiment, run_name=f"train as of {as_of:%Y-%m-%d}") as run,
    ):
        here = Path(folder)
        if history is not None:
            mlflow.set_tag("history_note", " ".join(history.sentences()))
        _log_run(
            tracking_uri=uri,
            config=config,
            as_of=as_of,
            split=split,
            models=models,
            metrics=metrics,
            weights=weights,
        )
        shap_by_feature, card, charts, shap_chart = _log_artifacts(
            source.fingerprint, config, as_of, split, models, metrics, probabilities, here, language, weights
        )
        progress("recording the monitoring reference")
        reference = build_reference(
            models.xgboost, split.test, source.feed, as_of, config.scoring.min_reason_share
        )
        mlflow.log_dict(reference, REFERENCE_ARTIFACT)
        version = log_model_version(models.xgboost, split.test, training.model_name, target)

        if blocker is not None:
            decision = GateDecision(
                False,
                f"the champion (version {champion_version}) cannot be compared on these rows: {blocker}; "
                "--force-promote replaces it, or set another training.model_name",
                champion_version,
            )
        else:
            promoted, reason = decide_promotion(
                metrics["xgboost"],
                champion_metrics,
                training.promotion.auc_tolerance,
                training.promotion.max_ece,
                baseline_auc=metrics["recency"]["roc_auc"],
            )
            decision = GateDecision(promoted, reason, champion_version, champion_metrics)
        forced = force_promote and not decision.promoted
        html = training_report(
            lang=language,
            model_name=training.model_name,
            version=version,
            champion_now=decision.promoted or forced,
            decision=decision.reason + (" (promoted anyway: --force-promote)" if forced else ""),
            test_cutoff=split.cutoffs["test"][-1],
            test_rows=len(split.test),
            metrics=metrics,
            champion_version=champion_version,
            champion_metrics=decision.champion_metrics,
            charts=charts,
            shap_chart=shap_chart,
            shap_by_feature=shap_by_feature,
            model_card_markdown=card,
            generated=pd.Timestamp.now(tz="UTC"),
        )
        mlflow.log_text(html, "report.html")
    # Last: the champion alias moves only once the run is fully recorded.
    record_decision(training.model_name, version, decision, forced=force_promote)
    return TrainingReport(
        tracking_uri=uri,
        run_id=run.info.run_id,
        model_name=training.model_name,
        version=version,
        cutoffs=split.cutoffs,
        rows={"train": len(split.train), "validation": len(split.validation), "test": len(split.test)},
        metrics=metrics,
        decision=decision,
        forced=forced,
        report_html=html,
        feature_names=tuple(models.xgboost.feature_names),
        left_out=models.left_out,
        history=history,
    )


def check_training_reach(short: str | None) -> None:
    """Labels read silence after the cutoff as churn: the data must reach the as-of date
    (`features.timeline.data_falls_short`)."""
    if short:
        raise TrainingDataError(
            f"{short}: the weeks with no data would read as customers leaving; use an --as-of on or "
            "shortly after the last day of data"
        )


def _first_five(names: list[str]) -> str:
    return ", ".join(names[:5]) + (", …" if len(names) > 5 else "")


def _incomparable(name: str, version: str, champion, split: OutOfTimeSplit, target: dict) -> str | None:
    """Why the champion cannot be re-scored fairly on this test cutoff; None when it can."""
    missing = sorted(set(champion.feature_names) - set(split.test.columns))
    if missing:
        return f"it needs features these data do not have ({_first_five(missing)})"
    redefined = redefined_features(champion.feature_definitions, champion.feature_names)
    if redefined:
        names = _first_five(redefined)
        if champion.feature_definitions is None:
            return f"it keeps no record of what its features meant, and learnt some redefined since ({names})"
        return f"it learnt features that are defined differently now ({names})"
    tags = MlflowClient().get_model_version(name, version).tags
    for key in ("churn.definition", "churn.horizon_days"):
        if key not in tags:  # registered by hand, or before versions said what they predict
            return f"it does not say what it predicts (no {key} tag)"
        if tags[key] != target[key]:
            return f"it predicts {key} = {tags[key]}, this model {target[key]}"
    seen = tags.get("cutoffs.validation")
    horizon = int(tags["churn.horizon_days"])
    if seen and cutoff_instant(seen) + horizon * DAY > cutoff_instant(target["cutoffs.test"]):
        return (
            f"its calibration labels (cutoff {seen} + {horizon} days) reach into this test window "
            f"(from {target['cutoffs.test']}), so it has seen part of the answers"
        )
    return None


def _log_run(
    tracking_uri: str, config: PipelineConfig, as_of, split, models: TrainedModels, metrics, weights
) -> None:
    churn = config.churn
    mlflow.log_params(
        {
            "as_of": f"{as_of:%Y-%m-%d}",
            "churn.definition": churn.definition,
            "churn.horizon_days": churn.horizon_days,
            "churn.lookback_days": churn.lookback_days,
            "churn.training_cutoffs": churn.training_cutoffs,
            "seed": config.training.seed,
            "engine": config.engine.name,  # dask: XGBoost trained with xgboost.dask
            "features": len(models.xgboost.feature_names),
            "xgboost.best_iteration": models.best_iteration,
            **{f"xgboost.{key}": value for key, value in XGBOOST_PARAMS.items()},
            "training.weight_by_exit_reasons": config.training.weight_by_exit_reasons,
        }
    )
    if weights is not None:
        mlflow.log_params(
            {
                "exit_reasons.answers": weights.answers,
                "exit_reasons.weighted_rows": weights.weighted_row_count,
                **{
                    f"exit_reasons.weight.{code}": round(weight, 4)
                    for code, weight in weights.by_reason.items()
                },
            }
        )
    for name, values in metrics.items():
        mlflow.log_metrics({f"{name}.{metric}": value for metric, value in values.items()})
    mlflow.log_dict(split.cutoffs, "cutoffs.json")
    mlflow.log_dict(json.loads(config.model_dump_json()), "pipeline_config.json")
    mlflow.set_tag("tracking_uri", tracking_uri)


def _log_artifacts(
    fingerprint: dict,
    config,
    as_of,
    split,
    models: TrainedModels,
    metrics,
    probabilities,
    here: Path,
    lang: str,
    weights: ExitReasonWeights | None,
) -> tuple[pd.Series, str, dict[Path, str], Path]:
    """Charts, tables and the model card into the run (drawn in `here`); for the report: mean |SHAP|
    by feature, the card, the evaluation charts with their titles, and the SHAP-by-reason chart."""
    mlflow.log_dict(fingerprint, "input_fingerprint.json")
    mlflow.set_tag("input.sha256", fingerprint["sha256"])
    mlflow.log_artifact(str(REASONS_CONFIG))
    comparison = pd.DataFrame(metrics).T.rename_axis("model")
    comparison.to_csv(here / "model_comparison.csv")
    charts = draw_evaluation_charts(split.test[LABEL].to_numpy(), probabilities, here / "charts", lang)
    importance = pd.Series(models.xgboost.booster.get_score(importance_type="gain")).sort_values(
        ascending=False
    )
    importance.rename_axis("feature").rename("gain").to_csv(here / "feature_importance.csv")
    draw_bars(importance, "XGBoost feature importance (gain)", here / "charts" / "feature_importance.png")
    by_feature, by_reason = shap_summary(models, split.test)
    by_feature.to_csv(here / "shap_by_feature.csv")
    by_reason.to_csv(here / "shap_by_reason.csv")
    # In the report's language: the report shows this very chart.
    labelled = by_reason.rename(lambda code: reason_label(code, lang))
    shap_chart = draw_bars(
        labelled, load_report_labels(lang)["shap_by_reason"], here / "charts" / "shap_by_reason.png"
    )
    card = model_card(config, as_of, split, metrics, models, weights)
    (here / "model_card.md").write_text(card, encoding="utf-8")
    mlflow.log_artifacts(str(here))
    return by_feature, card, charts, shap_chart


def shap_summary(models: TrainedModels, rows: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Mean |exact TreeSHAP contribution| per feature, and summed per survey reason (or activity)."""
    sample = rows.sample(min(SHAP_SAMPLE_ROWS, len(rows)), random_state=0)[models.xgboost.feature_names]
    contributions, _ = shap_contributions(models.xgboost, sample)
    by_feature = pd.Series(np.abs(contributions).mean(axis=0), index=sample.columns, name="mean_abs_shap")
    declared = load_feature_declarations()
    reason = by_feature.index.map(lambda name: declared[name].reason)
    return by_feature.sort_values(ascending=False), by_feature.groupby(reason).sum().sort_values(
        ascending=False
    )


def input_fingerprint(tables: dict[str, pd.DataFrame]) -> dict:
    """What the run was trained on: per table rows, date range and a content hash; and one hash of all."""
    overall = hashlib.sha256()
    described = {}
    for name in sorted(tables):
        table = tables[name]
        digest = hashlib.sha256(pd.util.hash_pandas_object(table, index=False).to_numpy().tobytes())
        digest.update(",".join(table.columns).encode())
        time_column = EVENT_TIME_COLUMN.get(name)
        dates = table[time_column] if time_column in table else pd.Series(dtype="datetime64[ns, UTC]")
        described[name] = {
            "rows": len(table),
            "columns": list(table.columns),
            "first": None if dates.dropna().empty else f"{dates.min():%Y-%m-%d %H:%M:%S}",
            "last": None if dates.dropna().empty else f"{dates.max():%Y-%m-%d %H:%M:%S}",
            "sha256": digest.hexdigest(),
        }
        overall.update(digest.digest())
    return {"tables": described, "sha256": overall.hexdigest()}


def merge_fingerprints(per_partition: list[dict]) -> dict:
    """One `input_fingerprint` of a CRM read in partitions: rows added up, the widest date range, and
    each table's hash over its partitions' hashes in partition order (so it differs from the hash of
    the same CRM read in one piece, and with the partition count, which it records)."""
    overall = hashlib.sha256()
    described = {}
    for name in sorted(per_partition[0]["tables"]):
        pieces = [fingerprint["tables"][name] for fingerprint in per_partition]
        digest = hashlib.sha256(b"".join(bytes.fromhex(piece["sha256"]) for piece in pieces))
        firsts = [piece["first"] for piece in pieces if piece["first"] is not None]
        lasts = [piece["last"] for piece in pieces if piece["last"] is not None]
        described[name] = {
            "rows": sum(piece["rows"] for piece in pieces),
            "columns": pieces[0]["columns"],
            "first": min(firsts, default=None),  # "%Y-%m-%d %H:%M:%S" sorts as time does
            "last": max(lasts, default=None),
            "sha256": digest.hexdigest(),
        }
        overall.update(digest.digest())
    return {"tables": described, "sha256": overall.hexdigest(), "partitions": len(per_partition)}


def model_card(
    config: PipelineConfig, as_of, split, metrics, models: TrainedModels, weights: ExitReasonWeights | None
) -> str:
    churn = config.churn
    definition = (
        f"no order in the {churn.horizon_days} days after the as-of date"
        if churn.definition == "inactivity"
        else f"the contract ends (customers.cancelled_at) within {churn.horizon_days} days"
    )
    main = metrics["xgboost"]
    rows = "\n".join(
        f"| {name} | {m['roc_auc']:.3f} | {m['pr_auc']:.3f} | {m['brier']:.4f} | {m['ece']:.3f} | "
        f"{m['lift_top10']:.2f} | {m['value_at_risk_top10_share']:.1%} |"
        for name, m in metrics.items()
    )
    cutoffs = split.cutoffs
    if weights is None:
        weighting = "none" + (
            "" if config.training.weight_by_exit_reasons else " (`weight_by_exit_reasons: false`)"
        )
    elif not weights.by_reason:
        weighting = (
            f"none: {weights.answers} exit-survey reasons stated before the validation cutoff, too few"
        )
    else:
        each = ", ".join(f"{code} ×{weight:.2f}" for code, weight in weights.by_reason.items())
        weighting = (
            "XGBoost's churned rows in the year before a customer's exit-survey answer, for answers "
            f"before the validation cutoff ({weights.answers:,} answers, {weights.weighted_row_count:,} "
            f"rows): {each}; all other rows ×1"
        )
    reference_rows = min(REFERENCE_ROWS, int((split.train[LABEL] == 0).sum()))
    left_out = ", ".join(f"`{name}`" for name in models.left_out)
    caveats = f" Left out, for one value in every training row: {left_out}." if left_out else ""
    unseen = unseen_reasons_sentence(models.xgboost.feature_names)
    caveats += f" **This model {unseen}.**" if unseen else ""
    return f"""# Model card: {config.training.model_name}

**Predicts** the probability that a customer churns: {definition} (`{churn.definition}`).
**Population** scored at a date: customers with an order by then, one within {churn.lookback_days}
days, not cancelled. **Features**: {len(models.xgboost.feature_names)}, each declared in `reasons.yaml`
with the survey reason it evidences.{caveats} **Reasons**: exact TreeSHAP contributions summed per survey
reason, each measured against its mean over {reference_rows:,} training rows of customers who stayed
(`reason_reference.json`): what raises this customer's risk above a staying customer's. A sentence
quotes a feature's value only on its declared side of those customers' median (`stayer_medians.json`).

**Data window**: trained on data known at {as_of:%Y-%m-%d}; train cutoffs {cutoffs["train"][0]} to
{cutoffs["train"][-1]} ({len(split.train):,} rows), validation {", ".join(cutoffs["validation"])}
({len(split.validation):,} rows: early stopping and isotonic calibration), out-of-time test
{", ".join(cutoffs["test"])} ({len(split.test):,} rows, churn rate {main["churn_rate"]:.1%}).
Each set's labels close before the next set's cutoff.
**Weighting**: {weighting}.

## Test metrics

| model | ROC AUC | PR AUC | Brier | ECE | lift top 10% | value at risk in top 10% |
|---|---|---|---|---|---|---|
{rows}

## Known limits

- Trained on one business's history: scores are comparable within it, not across businesses.
- Calibrated on a single month: a shift in the base churn rate (a new season, a price change)
  moves the probabilities before it moves the ranking; watch calibration on each new cutoff.
- Snapshot columns (e.g. today's manager or region) are not used; manager changes are not modelled.
- The reasons attached to scores say which evidence raised the risk, not why a customer left.
"""
