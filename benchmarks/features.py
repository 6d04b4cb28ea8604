"""Benchmark: point-in-time features for one cutoff, and a multi-cutoff training set.

For each size a synthetic CRM is generated and written as Parquet by one process; a fresh process
then reads it (typed by validation's own parser: ids and text as strings, codes lower-cased)
and builds the features, so the peak memory printed is that of reading plus building alone.

    python benchmarks/features.py                       # 1M customers one cutoff; 200k × 12 cutoffs
    python benchmarks/features.py --customers 100000 --training-customers 50000
    python benchmarks/features.py --shape generator     # every contact the generator makes (~31 per customer)

`--shape issue` (the default) thins the generated contacts and complaints at random to the volumes the
target is stated for (per customer: about 20 orders, 5 contacts, 0.5 complaints); `generator` keeps
all of them.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.machine import describe_machine  # noqa: E402 - after the path is set

AS_OF = "2025-12-31"


ISSUE_SHAPE_PER_CUSTOMER = {"contacts": 5.0, "complaints": 0.5}


def write_crm(customers: int, seed: int, folder: Path, shape: str) -> dict:
    import numpy as np

    from features.synthetic import generate_crm
    from pipelines.files import write_tables

    crm = generate_crm(customers, seed)
    tables = dict(crm.tables)
    if shape == "issue":
        rng = np.random.default_rng(seed)
        for name, per_customer in ISSUE_SHAPE_PER_CUSTOMER.items():
            keep = rng.random(len(tables[name])) < min(1.0, per_customer * customers / len(tables[name]))
            tables[name] = tables[name][keep]
    write_tables(tables, folder, "parquet")
    return {name: len(frame) for name, frame in tables.items()}


def read_typed(folder: Path) -> dict:
    """The Parquet tables typed exactly as `load_crm` types them, minus the contract checks: the
    features stage is measured here, not validation."""
    import pandas as pd

    from features.contract import TABLES
    from features.validation import parse_columns

    return {
        path.stem: parse_columns(pd.read_parquet(path), TABLES[path.stem], "UTC")[0]
        for path in sorted(folder.glob("*.parquet"))
    }


def measure(mode: str, folder: Path, cutoffs: int) -> dict:
    from features.build import build_features, build_training_set

    stages = {}
    started = time.perf_counter()
    tables = read_typed(folder)
    stages["read_parquet"] = time.perf_counter() - started
    started = time.perf_counter()
    if mode == "one_cutoff":
        frame = build_features(tables, AS_OF)
    else:
        frame = build_training_set(tables, AS_OF, horizon_days=90, cutoff_count=cutoffs)
    stages["features" if mode == "one_cutoff" else f"training_set_{cutoffs}_cutoffs"] = (
        time.perf_counter() - started
    )
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {
        "rows_out": len(frame),
        "columns_out": frame.shape[1],
        "seconds": stages,
        "peak_rss_mib": peak_mib,
    }


def child(*args: str) -> dict:
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        sys.exit(f"benchmark step {args[:2]} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def run(customers: int, mode: str, cutoffs: int, seed: int, shape: str) -> None:
    with tempfile.TemporaryDirectory(prefix="churn-bench-features-") as folder:
        started = time.perf_counter()
        rows = child("--write", folder, "--customers", str(customers), "--seed", str(seed), "--shape", shape)
        prepared = time.perf_counter() - started
        result = child("--measure", folder, "--mode", mode, "--cutoffs", str(cutoffs))
    print(
        f"\n{customers:,} customers ({', '.join(f'{k} {v:,}' for k, v in rows.items())}); "
        f"data prepared in {prepared:.0f} s, not counted"
    )
    for stage, seconds in result["seconds"].items():
        print(f"  {stage:<26} {seconds:7.1f} s   {customers / seconds:10,.0f} customers/s")
    print(
        f"  {'total':<26} {sum(result['seconds'].values()):7.1f} s   peak memory "
        f"{result['peak_rss_mib']:,.0f} MiB   "
        f"output {result['rows_out']:,} rows × {result['columns_out']} columns"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=1_000_000, help="for the one-cutoff run (0: skip)")
    parser.add_argument(
        "--training-customers", type=int, default=200_000, help="for the training set (0: skip)"
    )
    parser.add_argument("--cutoffs", type=int, default=12)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--shape", choices=("issue", "generator"), default="issue")
    parser.add_argument("--write", help=argparse.SUPPRESS)  # child process modes
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    parser.add_argument("--mode", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write:
        print(json.dumps(write_crm(args.customers, args.seed, Path(args.write), args.shape)))
        return
    if args.measure:
        print(json.dumps(measure(args.mode, Path(args.measure), args.cutoffs)))
        return
    print(f"machine: {describe_machine()}; as of {AS_OF}; shape {args.shape}")
    if args.customers:
        run(args.customers, "one_cutoff", args.cutoffs, args.seed, args.shape)
    if args.training_customers:
        run(args.training_customers, "training_set", args.cutoffs, args.seed, args.shape)


if __name__ == "__main__":
    main()
