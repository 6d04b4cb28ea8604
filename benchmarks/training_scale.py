"""Benchmark: `churn train`'s training set built from the whole CRM in one process, against building
it in partitions of customers (`pipelines.partitioned_training`), then the three models fitted on it.

For each size a synthetic CRM is written as Parquet by one process (the nightly benchmark's shape);
fresh processes then build the training set as `churn train` does, once per way, and print each
stage's time, the rows and the peak memory of the process and its workers together:

- `one piece`: read and validate every table, then `build_training_set` cutoff after cutoff.
- `partitions`: split, validate, share the referrers' activity and build per partition, side by
  side in `engine.local_workers` processes (auto: one per core), then gather the rows here.

With `--fit`, each way also fits XGBoost, the logistic regression and the recency baseline on its
training set (`models.training.train_models`, no MLflow): the rows are the same, so is the fit.

    python benchmarks/training_scale.py                               # 300,000 customers, 24 cutoffs
    python benchmarks/training_scale.py --sizes 1000000 --cutoffs 12 --ways partitions
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.machine import describe_machine  # noqa: E402 - after the path is set
from benchmarks.nightly_scale import AS_OF, TreePeak  # noqa: E402
from benchmarks.scoring import child_of  # noqa: E402

SIZES = (300_000,)
WAYS = ("one piece", "partitions")


def measure(folder: Path, way: str, cutoffs: int, workers: str, fit: bool) -> dict:
    """Build (and with `fit`, train on) the training set of the CRM in `folder`, one `way`."""
    import pandas as pd

    from features.build import build_training_set
    from features.config import ChurnConfig, EngineConfig, PipelineConfig
    from features.sources import read_crm
    from features.validation import validate_crm
    from models.split import split_out_of_time
    from models.training import train_models
    from pipelines.partitioned import engine_for, partition_count
    from pipelines.partitioned_training import assembled_training_set, build_in_partitions

    as_of = pd.Timestamp(AS_OF)
    stages: dict[str, float] = {}
    stage_peaks: dict[str, float] = {}  # partitions: MiB, the process and its workers, per stage
    with tempfile.TemporaryDirectory(prefix="churn-bench-training-") as work:
        config = PipelineConfig(
            output_dir=Path(work),
            churn=ChurnConfig(training_cutoffs=cutoffs),
            engine=EngineConfig(
                local_workers=workers if workers == "auto" else int(workers), work_dir=Path(work)
            ),
        )
        peak = TreePeak()
        started = time.perf_counter()
        count = 1
        if way == "one piece":
            raw, problems = read_crm(str(folder), config.source)
            tables = validate_crm(raw, config, read_problems=problems).tables
            del raw
            stages["read and validate"] = time.perf_counter() - started
            clock = time.perf_counter()
            training_set = build_training_set(tables, as_of, 90, cutoffs)
            stages["build the training set"] = time.perf_counter() - clock
            del tables
        else:
            count = partition_count(str(folder), config)
            engine = engine_for(config, count)
            marks: list[tuple[str, float]] = []

            def mark(step: str) -> None:
                """A stage starts: the one before ends, with the peak it reached."""
                if marks:
                    stage_peaks[marks[-1][0]] = peak.peak / 2**20
                peak.peak = 0
                marks.append((step, time.perf_counter()))

            try:
                parts, rows, _ = build_in_partitions(
                    str(folder),
                    as_of,
                    config,
                    count,
                    engine,
                    Path(work),
                    announce=mark,
                )
            finally:
                engine.close()  # as `churn train` does, before the rows come together
            mark("gather the training set")
            training_set = assembled_training_set(parts, rows)
            mark("")
            for (step, begun), (_, ended) in zip(marks, marks[1:], strict=False):
                stages[step] = ended - begun
        built = time.perf_counter() - started
        built_peak = max([peak.peak / 2**20, *stage_peaks.values()])
        if fit:
            clock = time.perf_counter()
            train_models(split_out_of_time(training_set, 90), seed=0)
            stages["fit the three models"] = time.perf_counter() - clock
        return {
            "seconds": stages,
            "stage_peak_mib": stage_peaks,
            "build_seconds": built,
            "rows": len(training_set),
            "features": training_set.shape[1] - 1,
            "partitions": count,
            "training_set_mib": training_set.memory_usage(deep=True).sum() / 2**20,
            "build_peak_mib": built_peak,
            "peak_mib": max([peak.stop(), *stage_peaks.values()]),
        }


def run(sizes: list[int], seed: int, cutoffs: int, workers: str, fit: bool, ways: list[str]) -> None:
    for customers in sizes:
        with tempfile.TemporaryDirectory(prefix="churn-bench-training-crm-") as folder:
            crm = Path(folder) / "crm"
            rows = child_of(str(Path(__file__).parent / "nightly_scale.py"), "--write", str(crm),
                            "--customers", str(customers), "--seed", str(seed))  # fmt: skip
            tables = ", ".join(f"{name} {count:,}" for name, count in rows.items())
            print(f"\n{customers:,} customers ({tables}), {cutoffs} cutoffs")
            for way in ways:
                result = child_of(
                    __file__, "--measure", str(crm), "--way", way, "--cutoffs", str(cutoffs),
                    "--workers", workers, *(["--fit"] if fit else []),
                )  # fmt: skip
                how = f"{result['partitions']} partitions" if way == "partitions" else "in one process"
                print(
                    f"  {way} ({how}): {result['rows']:,} rows × {result['features']} features "
                    f"({result['training_set_mib']:,.0f} MiB) built in {result['build_seconds']:.1f} s, "
                    f"peak {result['build_peak_mib'] / 1024:.2f} GiB"
                    + (f"; with the fit {result['peak_mib'] / 1024:.2f} GiB" if fit else "")
                )
                for stage, seconds in result["seconds"].items():
                    stage_peak = result["stage_peak_mib"].get(stage)
                    memory = f"   peak {stage_peak / 1024:5.2f} GiB" if stage_peak else ""
                    print(f"    {stage:<60} {seconds:7.1f} s{memory}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES), help="customers generated")
    parser.add_argument("--cutoffs", type=int, default=24, help="month-end cutoffs (churn.training_cutoffs)")
    parser.add_argument("--workers", default="auto", help="engine.local_workers for the partitions")
    parser.add_argument("--fit", action="store_true", help="also fit the three models on each training set")
    parser.add_argument("--ways", nargs="+", choices=WAYS, default=list(WAYS), help="which ways to build")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # child process mode
    parser.add_argument("--way", choices=WAYS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(Path(args.measure), args.way, args.cutoffs, args.workers, args.fit)))
        return
    print(f"machine: {describe_machine()}; training set as of {AS_OF}, 90-day horizon")
    run(args.sizes, args.seed, args.cutoffs, args.workers, args.fit, args.ways)


if __name__ == "__main__":
    main()
