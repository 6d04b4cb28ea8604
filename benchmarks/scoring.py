"""Benchmark: the nightly scoring run on a million customers, exact SHAP for every one.

A model is trained as `churn train` trains it on a 50,000-customer CRM (not counted). A synthetic CRM
of --customers customers is written as Parquet by one process; a fresh process then reads it (typed
by validation's own parser; `cancelled_at` left out, as a shop without cancellation dates), builds
the features of every customer who bought in the last three years (so nearly all of them are
scored), predicts, computes exact TreeSHAP contributions, turns them into reasons and export rows,
checks the rows against the export schema and writes CSV and Parquet; then, apart, upserts them into
a SQLite file as `--sink` would. The peak memory printed is that process's alone.

    python benchmarks/scoring.py                         # 1,075,000 customers: about 1,000,000 scored
    python benchmarks/scoring.py --customers 100000
    python benchmarks/scoring.py --tradeoff              # model size against speed and accuracy

`--tradeoff` trains the model at several tree depths and learning rates on the demo's CRM (50,000
customers, as of 2025-09-30) and prints, for each: trees, test AUC, reason accuracy against the
truth (balanced over the observable categories, for all leavers and the high-risk ones) and SHAP
throughput. TreeSHAP's cost grows with trees × leaves × depth², so that table is how the model's
size was chosen (`models/training.py`, XGBOOST_PARAMS).
"""

from __future__ import annotations

import argparse
import json
import pickle
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.features import read_typed, write_crm  # noqa: E402 - after the path is set
from benchmarks.machine import describe_machine  # noqa: E402

AS_OF = "2025-12-31"
LOOKBACK_DAYS = 3 * 365  # score (nearly) every customer of the CRM, not only this year's buyers
TRAIN_AS_OF = "2025-09-30"


def train_model(path: Path, seed: int, params: dict | None = None):
    """Train on 50,000 customers as `churn train` does; pickle (crm, split, trained) for the children."""
    import pandas as pd

    from features.build import build_features, build_training_set
    from features.synthetic import generate_crm
    from models import training
    from models.exit_reasons import stated_exit_reasons, training_weights
    from models.split import split_out_of_time

    crm = generate_crm(50_000, seed=seed)
    tables = {n: f.assign(customer_id=f["customer_id"].astype(str)) for n, f in crm.tables.items()}
    split = split_out_of_time(build_training_set(tables, TRAIN_AS_OF, 90, 24), horizon_days=90)
    saved = dict(training.XGBOOST_PARAMS)
    training.XGBOOST_PARAMS.update(params or {})
    try:
        stated = stated_exit_reasons(tables, TRAIN_AS_OF)
        weights = training_weights(split, stated).row_weights
        models = training.train_models(split, seed=0, booster_weights=weights)
    finally:
        training.XGBOOST_PARAMS.clear()
        training.XGBOOST_PARAMS.update(saved)
    features = build_features(tables, TRAIN_AS_OF)
    path.write_bytes(pickle.dumps((crm.truth, split, models.xgboost, features)))
    return crm.truth, split, models.xgboost, pd.Timestamp(TRAIN_AS_OF), features


def measure(folder: Path, model_file: Path) -> dict:
    """Time each stage of scoring the CRM in `folder` with the pickled model."""
    import pandas as pd

    import models.scoring as scoring
    from features.build import build_features
    from features.config import RiskTiers
    from pipelines.export import write_export, write_export_sql

    _, _, model, _ = pickle.loads(model_file.read_bytes())
    stages: dict[str, float] = {}

    timed = stage_timer(stages)

    started = time.perf_counter()
    tables = read_typed(folder)
    # A shop without cancellation dates: every customer who bought in the look-back is scored, so a
    # million-customer CRM gives (nearly) a million rows to score.
    tables["customers"] = tables["customers"].drop(columns="cancelled_at")
    stages["read_parquet"] = time.perf_counter() - started
    started = time.perf_counter()
    features = build_features(tables, AS_OF, LOOKBACK_DAYS)
    stages["features"] = time.perf_counter() - started
    del tables
    # Each stage inside score_customers, timed where it is called.
    model.predict_proba = timed("predict", model.predict_proba)
    scoring.shap_contributions = timed("shap", scoring.shap_contributions)
    scoring.explain_reasons = timed("reasons", scoring.explain_reasons)
    started = time.perf_counter()
    rows = scoring.score_customers(
        model,
        features,
        as_of=pd.Timestamp(AS_OF),
        model_name="churn-risk",
        model_version="1",
        tiers=RiskTiers(),
    )
    inside = stages["predict"] + stages["shap"] + stages["reasons"]
    stages["value_priority_rows"] = time.perf_counter() - started - inside
    with tempfile.TemporaryDirectory(prefix="churn-bench-export-") as out:
        started = time.perf_counter()
        write_export(rows, [Path(out) / "scores.csv", Path(out) / "scores.parquet"])
        stages["check_and_write_csv_parquet"] = time.perf_counter() - started
        started = time.perf_counter()
        write_export_sql(rows, f"sqlite:///{Path(out) / 'crm.db'}", "churn_scores")
        sink_seconds = time.perf_counter() - started
    return {
        "rows_out": len(rows),
        "trees": model.booster.num_boosted_rounds(),
        "seconds": stages,
        "sqlite_upsert_seconds": sink_seconds,
        "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def stage_timer(stages: dict[str, float]):
    """`timed(name, function)`: `function`, adding the seconds of every call to `stages[name]`."""

    def timed(name, function):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            result = function(*args, **kwargs)
            stages[name] = stages.get(name, 0.0) + time.perf_counter() - started
            return result

        return wrapper

    return timed


def child(*args: str) -> dict:
    return child_of(__file__, *args)


def child_of(script: str, *args: str) -> dict:
    """Run `script` with `args` in a fresh process (its own peak memory); its last line's JSON."""
    done = subprocess.run([sys.executable, script, *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"benchmark step {args[:2]} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(customers: int, seed: int) -> None:
    with tempfile.TemporaryDirectory(prefix="churn-bench-scoring-") as folder:
        model_file = Path(folder) / "model.pickle"
        started = time.perf_counter()
        train_model(model_file, seed=seed + 1)
        crm = Path(folder) / "crm"
        rows = child("--write", str(crm), "--customers", str(customers), "--seed", str(seed))
        prepared = time.perf_counter() - started
        result = child("--measure", str(crm), "--model", str(model_file))
    print(
        f"\n{customers:,} customers ({', '.join(f'{k} {v:,}' for k, v in rows.items())}); model trained "
        f"and data prepared in {prepared:.0f} s, not counted; {result['trees']} trees"
    )
    scored = result["rows_out"]
    for stage, seconds in result["seconds"].items():
        print(f"  {stage:<28} {seconds:7.1f} s   {scored / seconds:10,.0f} customers/s")
    total = sum(result["seconds"].values())
    print(
        f"  {'total':<28} {total:7.1f} s   {scored / total:10,.0f} customers/s   peak memory "
        f"{result['peak_rss_mib']:,.0f} MiB   {scored:,} customers scored"
    )
    sink = result["sqlite_upsert_seconds"]
    print(f"  optional --sink (SQLite file) {sink:6.1f} s   {scored / sink:10,.0f} customers/s")


TRADEOFF = (
    {"max_depth": 5, "learning_rate": 0.05},
    {"max_depth": 4, "learning_rate": 0.1},
    {"max_depth": 3, "learning_rate": 0.05},
    {"max_depth": 3, "learning_rate": 0.1},
    {"max_depth": 3, "learning_rate": 0.2},
    {"max_depth": 2, "learning_rate": 0.1},
)


def tradeoff(seed: int) -> None:
    import numpy as np

    from features.config import RiskTiers
    from models.metrics import evaluate
    from models.reason_accuracy import reason_accuracy
    from models.scoring import score_customers
    from models.training import LABEL

    print(
        "\nmodel size against speed and accuracy (50,000 customers, as of 2025-09-30; scoring with "
        "SHAP on the "
        "population at that date)"
    )
    print(
        f"  {'depth':>5} {'rate':>5} {'trees':>6} {'AUC':>6} {'reasons all':>12} {'high risk':>10} "
        f"{'rows/s':>8}"
    )
    with tempfile.TemporaryDirectory(prefix="churn-bench-tradeoff-") as folder:
        for params in TRADEOFF:
            truth, split, model, as_of, features = train_model(Path(folder) / "m.pickle", seed, params)
            auc = evaluate(
                split.test[LABEL].to_numpy(), model.predict_proba(split.test), np.ones(len(split.test))
            )
            started = time.perf_counter()
            rows = score_customers(
                model, features, as_of=as_of, model_name="m", model_version="1", tiers=RiskTiers()
            )
            per_second = len(features) / (time.perf_counter() - started)
            result = reason_accuracy(rows, truth, 90)
            print(
                f"  {params['max_depth']:>5} {params['learning_rate']:>5} "
                f"{model.booster.num_boosted_rounds():>6} "
                f"{auc['roc_auc']:>6.3f} {result.balanced:>12.3f} {result.balanced_high_risk:>10.3f} "
                f"{per_second:>8,.0f}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_075_000, help="in the CRM; ~93%% are scored")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tradeoff", action="store_true", help="compare model sizes instead")
    parser.add_argument("--write", help=argparse.SUPPRESS)  # child process modes
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--model", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write:
        print(json.dumps(write_crm(args.customers, args.seed, Path(args.write), "issue")))
        return
    if args.measure:
        print(json.dumps(measure(Path(args.measure), Path(args.model))))
        return
    print(
        f"machine: {describe_machine()}; scored as of {AS_OF}, every customer who bought since "
        f"{LOOKBACK_DAYS} "
        "days before"
    )
    if args.tradeoff:
        tradeoff(seed=42)
    else:
        run(args.customers, args.seed)


if __name__ == "__main__":
    main()
