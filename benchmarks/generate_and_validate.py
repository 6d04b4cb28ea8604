"""Benchmark: generate a synthetic CRM, write it as Parquet, read and validate it back.

Each size runs in its own process, so the peak memory printed is that size's alone.

    python benchmarks/generate_and_validate.py                 # 100k and 1M customers
    python benchmarks/generate_and_validate.py --customers 300000
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


def measure_one(customers: int, seed: int) -> dict:
    from features.config import PipelineConfig
    from features.synthetic import generate_crm
    from features.validation import load_crm
    from pipelines.files import write_table, write_tables

    stages = {}
    with tempfile.TemporaryDirectory(prefix="churn-bench-") as folder:
        started = time.perf_counter()
        crm = generate_crm(customers, seed)
        stages["generate"] = time.perf_counter() - started

        started = time.perf_counter()
        write_tables(crm.tables, Path(folder), "parquet")
        write_table(crm.truth, Path(folder) / "truth.parquet")
        stages["write_parquet"] = time.perf_counter() - started
        rows = {name: len(frame) for name, frame in crm.tables.items()}
        del crm

        started = time.perf_counter()
        validated = load_crm(folder, PipelineConfig())
        stages["read_and_validate"] = time.perf_counter() - started
        assert {name: len(frame) for name, frame in validated.tables.items()} == rows
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"customers": customers, "rows": rows, "seconds": stages, "peak_rss_mib": peak_mib}


def print_report(result: dict) -> None:
    total_rows = sum(result["rows"].values())
    print(
        f"\n{result['customers']:,} customers, {total_rows:,} event rows "
        f"({', '.join(f'{k} {v:,}' for k, v in result['rows'].items())})"
    )
    for stage, seconds in result["seconds"].items():
        print(f"  {stage:<18} {seconds:7.1f} s   {total_rows / seconds:12,.0f} rows/s")
    total_seconds = sum(result["seconds"].values())
    print(f"  {'total':<18} {total_seconds:7.1f} s   peak memory {result['peak_rss_mib']:,.0f} MiB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)  # child process mode
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure_one(args.customers[0], args.seed)))
        return
    print(f"machine: {describe_machine()}")
    for customers in args.customers:
        child = subprocess.run(
            [sys.executable, __file__, "--one", "--customers", str(customers), "--seed", str(args.seed)],
            capture_output=True,
            text=True,
            check=True,
        )
        print_report(json.loads(child.stdout.strip().splitlines()[-1]))


if __name__ == "__main__":
    main()
