"""Benchmark: the whole nightly path at 100k, 300k and 1M customers, against this machine's floors.

For each size a synthetic CRM is written as Parquet (no `cancelled_at`, as a shop without
contracts: every customer who bought in the last three years is scored) by one process; a fresh
process then runs the nightly path exactly as `churn score` does — read, validate, features,
predict, exact SHAP, reasons, export rows, checked CSV + Parquet export — in memory for a CRM of
up to `engine.customers_per_partition` customers, in partitions of customers above that, and
prints the time of each stage, its throughput and the process's peak memory.

Floors, measured in the same process on the same data: reading every input table's contract
columns with pyarrow (no parsing, no checks), and XGBoost's bare `pred_contribs` call on the very
matrices the pipeline explains (exact TreeSHAP, nothing else). The pipeline's total is reported
as a multiple of their sum.

    python benchmarks/nightly_scale.py                            # 100,000, 300,000 and 1,000,000
    python benchmarks/nightly_scale.py --sizes 100000 --partitions 4
    python benchmarks/nightly_scale.py --sizes 300000 --engine dask   # a LocalCluster of 2 workers
    python benchmarks/nightly_scale.py --features-only 100000     # our features against a pandas loop

`--features-only` compares the feature stage with what a data scientist would otherwise write:
Featuretools' deep feature synthesis does not run beside this project's pandas 3 (woodwork 0.31's
DataFrame accessor loses its schema: WoodworkNotInitError on add_dataframe), so the comparison is
with a plain pandas loop over cutoffs (`pandas_loop_features`), on the same tables and cutoffs.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.features import write_crm  # noqa: E402 - after the path is set
from benchmarks.machine import describe_machine  # noqa: E402
from benchmarks.scoring import child_of, stage_timer, train_model  # noqa: E402

AS_OF = "2025-12-31"
LOOKBACK_DAYS = 3 * 365
SIZES = (100_000, 300_000, 1_000_000)
# The generator's customers are ~93% active over three years: ask for a few more to score the size.
GENERATED_PER_SCORED = 1.075


def write(folder: Path, customers: int, seed: int) -> dict:
    import pandas as pd

    rows = write_crm(customers, seed, folder, "issue")
    customers_file = folder / "customers.parquet"
    pd.read_parquet(customers_file).drop(columns="cancelled_at").to_parquet(customers_file, index=False)
    return rows


class TreePeak:
    """The peak of this process's memory plus its children's (the local engine's worker processes),
    sampled every 50 ms while a run goes on."""

    def __init__(self) -> None:
        import threading

        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.wait(0.05):
            total = 0
            for process in [me, *me.children(recursive=True)]:
                try:
                    total += process.memory_info().rss
                except psutil.Error:  # a worker that just ended
                    pass
            self.peak = max(self.peak, total)

    def stop(self) -> float:
        self._stop.set()
        self._thread.join()
        return self.peak / 2**20


def measure(folder: Path, model_file: Path, engine: str, partitions: str, workers: str = "1") -> dict:
    """Run the nightly path on the CRM in `folder`; seconds per stage, floors and peak memory.

    `workers` is `engine.local_workers`: with 1, every stage is timed inside this process; with more,
    the partitions' steps run in worker processes and only each step's wall time is seen here."""
    import pickle

    import pandas as pd
    import pyarrow.parquet as pq
    import xgboost as xgb

    import models.scoring as scoring
    from features.config import ChurnConfig, EngineConfig, PipelineConfig
    from features.contract import TABLES
    from features.sources import read_crm
    from features.timeline import cutoff_instant
    from features.validation import validate_crm
    from models.monitoring import assess, drift_reference, profile_night
    from models.training import XGBoostChurnModel
    from pipelines import partitioned
    from pipelines.score_run import Champion, export_scores, scoring_features

    _, split, model, _ = pickle.loads(model_file.read_bytes())
    # The drift reference a trained champion carries (the feed's needs the training CRM: not here).
    champion = Champion("churn-risk", "1", model, "90", "benchmark", drift_reference(model, split.test))
    as_of = pd.Timestamp(AS_OF)
    stages: dict[str, float] = {}
    floors = {"read_parquet": 0.0, "pred_contribs": 0.0}

    # Floor 1: pyarrow reading the inputs' contract columns, nothing else.
    started = time.perf_counter()
    for path in sorted(folder.glob("*.parquet")):
        columns = [name for name in pq.read_schema(path).names if name in TABLES[path.stem].column_names]
        pq.read_table(path, columns=columns)
    floors["read_parquet"] = time.perf_counter() - started

    timed = stage_timer(stages)

    bare_shap = scoring.shap_contributions

    def shap_with_floor(model, features, progress=None):
        # Floor 2: the bare TreeSHAP call on the same matrix, timed apart and not counted.
        started = time.perf_counter()
        model.booster.predict(
            xgb.DMatrix(features[model.feature_names], feature_names=model.feature_names), pred_contribs=True
        )
        floors["pred_contribs"] += time.perf_counter() - started
        started = time.perf_counter()
        result = bare_shap(model, features, progress)
        stages["shap"] = stages.get("shap", 0.0) + time.perf_counter() - started
        return result

    # On the class, not the instance: the champion is pickled for the partitions.
    XGBoostChurnModel.predict_proba = timed("predict", XGBoostChurnModel.predict_proba)
    scoring.shap_contributions = shap_with_floor
    scoring.explain_reasons = timed("reasons", scoring.explain_reasons)
    partitioned.build_features = timed("features", partitioned.build_features)

    config = PipelineConfig(
        churn=ChurnConfig(lookback_days=LOOKBACK_DAYS),
        engine=EngineConfig(
            name=engine,
            partitions=partitions if partitions == "auto" else int(partitions),
            dask_workers=2,
            local_workers=workers if workers == "auto" else int(workers),
        ),
    )
    with tempfile.TemporaryDirectory(prefix="churn-bench-scale-") as work:
        config = config.model_copy(
            update={
                "output_dir": Path(work),
                "engine": config.engine.model_copy(update={"work_dir": Path(work)}),
            }
        )
        out = [Path(work) / "scores.csv", Path(work) / "scores.parquet"]
        count = partitioned.partition_count(str(folder), config)
        in_this_process = engine == "local" and (count == 1 or partitioned.local_workers(config) == 1)
        tree_peak = TreePeak()
        started = time.perf_counter()
        if count == 1 and engine == "local":
            clock = time.perf_counter()
            raw, problems = read_crm(str(folder), config.source, known_before=cutoff_instant(as_of))
            stages["read"] = time.perf_counter() - clock
            clock = time.perf_counter()
            tables = validate_crm(raw, config, read_problems=problems).tables
            del raw
            stages["validate"] = time.perf_counter() - clock
            clock = time.perf_counter()
            features = scoring_features(tables, as_of, config)
            stages["features"] = time.perf_counter() - clock
            clock = time.perf_counter()
            rows = scoring.score_customers(
                model,
                features,
                as_of=as_of,
                model_name="churn-risk",
                model_version="1",
                tiers=config.scoring.risk_tiers,
            )
            scored = len(rows)
            inside = stages["predict"] + stages["shap"] + stages["reasons"] + floors["pred_contribs"]
            stages["export_rows"] = time.perf_counter() - clock - inside
            clock = time.perf_counter()
            profile = profile_night(tables, features, rows, champion.reference, as_of)
            assess(profile, champion.reference, [], config.monitoring)
            stages["monitoring_checks"] = time.perf_counter() - clock
            del tables
            clock = time.perf_counter()
            export_scores(rows, out, None, config.scoring.table)
            stages["check_and_write_export"] = time.perf_counter() - clock
        else:
            marks: list[tuple[str, float]] = []
            result = partitioned.score_in_partitions(
                str(folder),
                as_of,
                config,
                champion,
                "en",
                count,
                out,
                None,
                lambda step: marks.append((step, time.perf_counter())),
            )
            scored = len(result.digest)
            marks.append(("end", time.perf_counter()))
            names = {
                "split": "split_read_and_write",
                "validate": "validate_and_keep_typed",
                "score": "score_partitions",
                "check": "monitoring_checks",
                "write": "rank_check_and_write_export",
            }
            for (step, begun), (_, ended) in zip(marks, marks[1:], strict=False):
                stages[names[step.split()[0]]] = ended - begun
            if in_this_process:  # inside score_partitions, in this process: its parts
                inner = stages["features"] + stages["predict"] + stages["shap"] + stages["reasons"]
                inner += floors["pred_contribs"]  # the floor's own call, not the pipeline's
                stages["score_partitions_other"] = stages.pop("score_partitions") - inner
            else:  # in worker processes: only the wall time here
                for name in ("features", "predict", "shap", "reasons"):
                    stages.pop(name, None)
                floors["pred_contribs"] = float("nan")
        total = time.perf_counter() - started
        if in_this_process:
            total -= floors["pred_contribs"]  # measured inside the run, not part of it
        peak_all = tree_peak.stop()
    return {
        "customers_scored": scored,
        "partitions": count,
        "workers": 1 if in_this_process else partitioned.local_workers(config) if engine == "local" else 2,
        "trees": model.booster.num_boosted_rounds(),
        "seconds": stages,
        "total": total,
        "floors": floors,
        "peak_rss_mib": max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, peak_all),
    }


def run(sizes: list[int], seed: int, engine: str, partitions: str) -> None:
    """Each size in one process (every stage timed, and the floors); a CRM scored in partitions by
    the local engine is then scored again as `churn score` does by default, with the partitions side
    by side in worker processes (engine.local_workers: auto), against the same floors."""
    growth = []
    with tempfile.TemporaryDirectory(prefix="churn-bench-scale-") as folder:
        model_file = Path(folder) / "model.pickle"
        started = time.perf_counter()
        train_model(model_file, seed=seed + 1)
        print(f"model trained on 50,000 customers in {time.perf_counter() - started:.0f} s, not counted")
        for size in sizes:
            crm = Path(folder) / f"crm-{size}"
            started = time.perf_counter()
            rows = child_of(
                __file__,
                "--write",
                str(crm),
                "--customers",
                str(round(size * GENERATED_PER_SCORED)),
                "--seed",
                str(seed),
            )
            prepared = time.perf_counter() - started
            arguments = ["--measure", str(crm), "--model", str(model_file), "--engine", engine]
            arguments += ["--partitions", partitions]
            result = child_of(__file__, *arguments, "--workers", "1" if engine == "local" else "auto")
            report(size, rows, prepared, result, engine)
            if engine == "local" and result["partitions"] > 1:
                side_by_side = child_of(__file__, *arguments, "--workers", "auto")
                if side_by_side["workers"] > 1:
                    report(size, rows, prepared, side_by_side, engine, floors=result["floors"])
                    result = side_by_side
            growth.append((result["customers_scored"], result["total"], result["peak_rss_mib"]))
    print("\ngrowth with size (linear: the seconds per 1,000 customers stay flat); the default engine")
    for scored, total, peak in growth:
        print(
            f"  {scored:>10,} customers {total:7.1f} s   {1000 * total / scored:5.2f} s per 1,000   "
            f"peak {peak:,.0f} MiB"
        )


def report(
    size: int, rows: dict, prepared: float, result: dict, engine: str, floors: dict | None = None
) -> None:
    """One run's stages, total, peak memory and multiple of the floors (`floors`: those measured by
    the one-process run of the same data, when this run's partitions ran in worker processes)."""
    scored = result["customers_scored"]
    if result["partitions"] == 1 and engine == "local":
        where = "in memory"
    elif engine == "local" and result["workers"] == 1:
        where = f"in {result['partitions']} partitions, one after another in this process"
    elif engine == "local":
        where = f"in {result['partitions']} partitions, {result['workers']} at a time in worker processes"
    else:
        where = f"in {result['partitions']} partitions (dask)"
    print(
        f"\n{scored:,} customers scored {where} ({', '.join(f'{k} {v:,}' for k, v in rows.items())}; "
        f"data written in {prepared:.0f} s, not counted); {result['trees']} trees"
    )
    for stage, seconds in result["seconds"].items():
        print(f"  {stage:<30} {seconds:7.1f} s   {scored / seconds:10,.0f} customers/s")
    total = result["total"]
    print(
        f"  {'total':<30} {total:7.1f} s   {scored / total:10,.0f} customers/s   "
        f"peak memory {result['peak_rss_mib']:,.0f} MiB (all processes)"
    )
    floors = floors or result["floors"]
    floor_sum = floors["read_parquet"] + floors["pred_contribs"]
    print(
        f"  floors: pyarrow read {floors['read_parquet']:.1f} s + bare pred_contribs "
        f"{floors['pred_contribs']:.1f} s "
        f"= {floor_sum:.1f} s; the pipeline takes {total / floor_sum:.2f}× that"
    )


def pandas_loop_features(tables: dict, cutoffs: list):
    """What one writes without this project: for each cutoff, filter each table and group by customer.

    The classic recency / frequency / spend / contact and complaint counts (12 features), per cutoff.
    """
    import pandas as pd

    frames = []
    for cutoff_day in cutoffs:
        cutoff = pd.Timestamp(cutoff_day, tz="UTC") + pd.Timedelta(days=1)
        orders = tables["orders"][tables["orders"]["ordered_at"] < cutoff]
        bought = orders[orders["amount"] >= 0]
        by_customer = bought.groupby("customer_id")
        last = by_customer["ordered_at"].max()
        active = last[last >= cutoff - pd.Timedelta(days=365)].index
        features = pd.DataFrame(index=active)
        features["days_since_last_order"] = (cutoff - last.reindex(active)).dt.days
        features["tenure_days"] = (cutoff - by_customer["ordered_at"].min().reindex(active)).dt.days
        for days in (90, 365):
            recent = bought[bought["ordered_at"] >= cutoff - pd.Timedelta(days=days)].groupby("customer_id")
            features[f"orders_{days}d"] = recent.size().reindex(active, fill_value=0)
            features[f"spend_{days}d"] = recent["amount"].sum().reindex(active, fill_value=0.0)
        features["average_order_value"] = by_customer["amount"].mean().reindex(active)
        contacts = tables["contacts"][tables["contacts"]["contacted_at"] < cutoff]
        for days in (90, 365):
            recent = contacts[contacts["contacted_at"] >= cutoff - pd.Timedelta(days=days)]
            features[f"contacts_{days}d"] = recent.groupby("customer_id").size().reindex(active, fill_value=0)
        features["days_since_last_contact"] = (
            cutoff - contacts.groupby("customer_id")["contacted_at"].max().reindex(active)
        ).dt.days
        complaints = tables["complaints"][tables["complaints"]["opened_at"] < cutoff]
        for days in (90, 365):
            recent = complaints[complaints["opened_at"] >= cutoff - pd.Timedelta(days=days)]
            features[f"complaints_{days}d"] = (
                recent.groupby("customer_id").size().reindex(active, fill_value=0)
            )
        frames.append(features.assign(cutoff=cutoff_day))
    return pd.concat(frames)


def compare_features(folder: Path, cutoffs_count: int) -> dict:
    from benchmarks.features import read_typed
    from features.build import build_training_set
    from features.timeline import training_cutoffs

    tables = read_typed(folder)
    cutoffs = training_cutoffs(AS_OF, 90, cutoffs_count)
    started = time.perf_counter()
    ours = build_training_set(tables, AS_OF, horizon_days=90, cutoff_count=cutoffs_count)
    ours_seconds = time.perf_counter() - started
    started = time.perf_counter()
    loop = pandas_loop_features(tables, cutoffs)
    loop_seconds = time.perf_counter() - started
    return {
        "ours": [len(ours), ours.shape[1] - 1, ours_seconds],  # minus the label
        "pandas_loop": [len(loop), loop.shape[1] - 1, loop_seconds],
    }


def features_only(customers: int, cutoffs: int, seed: int) -> None:
    with tempfile.TemporaryDirectory(prefix="churn-bench-features-vs-") as folder:
        rows = child_of(__file__, "--write", folder, "--customers", str(customers), "--seed", str(seed))
        result = child_of(__file__, "--compare", folder, "--cutoffs", str(cutoffs))
    print(
        f"\nfeature stage, {customers:,} customers ({', '.join(f'{k} {v:,}' for k, v in rows.items())}), "
        f"{cutoffs} month-end cutoffs"
    )
    for name, (rows_out, columns, seconds) in result.items():
        label = "this project (build_training_set)" if name == "ours" else "pandas loop over cutoffs"
        print(
            f"  {label:<36} {seconds:7.1f} s   {rows_out:,} rows × {columns} features   "
            f"{rows_out * columns / seconds:12,.0f} values/s"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="customers scored")
    parser.add_argument("--engine", choices=("local", "dask"), default="local")
    parser.add_argument("--partitions", default="auto", help="auto (the default setting) or a number")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--features-only", type=int, metavar="CUSTOMERS", help="compare the feature stage instead"
    )
    parser.add_argument("--cutoffs", type=int, default=12, help="for --features-only")
    parser.add_argument("--write", help=argparse.SUPPRESS)  # child process modes
    parser.add_argument("--customers", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--compare", help=argparse.SUPPRESS)
    parser.add_argument("--model", help=argparse.SUPPRESS)
    parser.add_argument("--workers", default="1", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write:
        print(json.dumps(write(Path(args.write), args.customers, args.seed)))
        return
    if args.measure:
        print(
            json.dumps(
                measure(Path(args.measure), Path(args.model), args.engine, args.partitions, args.workers)
            )
        )
        return
    if args.compare:
        print(json.dumps(compare_features(Path(args.compare), args.cutoffs)))
        return
    print(
        f"machine: {describe_machine()}; scored as of {AS_OF}, every customer who bought in the "
        f"{LOOKBACK_DAYS} days before"
    )
    if args.features_only:
        features_only(args.features_only, args.cutoffs, args.seed)
    else:
        run(args.sizes, args.seed, args.engine, args.partitions)


if __name__ == "__main__":
    main()
