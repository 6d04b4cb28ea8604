"""Shared fixtures: tiny CRM folders written from CSV text, and one small synthetic CRM per session."""

from __future__ import annotations

import atexit
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from features.config import PipelineConfig
from features.synthetic import generate_crm

# Validation's clock in tests: fixed, so "later than now" does not depend on the day the tests run.
NOW = pd.Timestamp("2026-01-01T00:00:00Z")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# Prefect: never the developer's ~/.prefect, in any test (set before anything imports Prefect). Each
# process gets its own, inside one folder per test run that the first process removes when it exits:
# pytest-xdist's workers and the worker processes some tests start import this file too, and end
# without running exit handlers, which had left an empty folder in /tmp per process.
_RUN_FOLDER = os.environ.get("CHURN_TESTS_RUN_FOLDER")
if _RUN_FOLDER is None:
    _RUN_FOLDER = os.environ["CHURN_TESTS_RUN_FOLDER"] = tempfile.mkdtemp(prefix="churn-tests-")
    atexit.register(shutil.rmtree, _RUN_FOLDER, ignore_errors=True)
PREFECT_HOME = Path(tempfile.mkdtemp(prefix="prefect-", dir=_RUN_FOLDER))
os.environ["PREFECT_HOME"] = str(PREFECT_HOME / "client")

# XGBoost's OpenMP threads (libgomp, which reads this when XGBoost loads: nothing here imports it
# yet) spin on their core between parallel regions by default. With two test processes on two cores,
# each running XGBoost on both, the spinning took the CPU the other process needed: on 3 December
# 2026 `make test` took 14 min 10 s with it and 8 min 06 s without (the models' tests alone: 200 s
# and 353 s of CPU, against 123 to 169 s and 200 to 273 s). Child processes (`churn`, Dask workers)
# inherit it. `churn` itself leaves the default: alone on the machine, a model on 50,000 customers
# trained in 63 s spinning and 80 s passive, and 300,000 customers scored in 36.7 s and 35.9 s (one
# run each, `benchmarks/nightly_scale.py --sizes 300000`).
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def write_csv_folder(folder: Path, **tables: str) -> Path:
    """Write each keyword as `<name>.csv` holding the dedented text."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in tables.items():
        (folder / f"{name}.csv").write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return folder


@pytest.fixture
def config() -> PipelineConfig:
    return PipelineConfig()


@pytest.fixture(scope="session")
def small_crm():
    """2,000 customers over three years: enough for contract and shape checks, quick to make."""
    return generate_crm(2_000, seed=3, start="2023-01-01", end="2025-12-31")


def _postgres_binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


@pytest.fixture(scope="session")
def postgres_url():
    """A real PostgreSQL server on 127.0.0.1, started for this test session and stopped after it.

    PostgreSQL refuses to run as root, so under root (as in CI) it runs as the `postgres` user.
    """
    initdb, pg_ctl = _postgres_binary("initdb"), _postgres_binary("pg_ctl")
    if not (initdb and pg_ctl):
        message = "PostgreSQL server binaries (initdb, pg_ctl) not found; install the postgresql package"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    as_user: list[str] = []
    data_dir = Path(tempfile.mkdtemp(prefix="churn-pg-"))
    if os.geteuid() == 0:
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(data_dir, user="postgres")
    port = _free_port()

    def run(*command: str) -> None:
        subprocess.run([*as_user, *command], check=True, capture_output=True, timeout=120)

    run(initdb, "-D", str(data_dir / "db"), "-U", "churn", "--auth=trust", "-E", "UTF8")
    options = f"-p {port} -k {data_dir} -c listen_addresses=127.0.0.1 -c fsync=off"
    run(
        pg_ctl,
        "-D",
        str(data_dir / "db"),
        "-o",
        options,
        "-l",
        str(data_dir / "server.log"),
        "-w",
        "-t",
        "60",
        "start",
    )
    try:
        yield f"postgresql+psycopg://churn@127.0.0.1:{port}/postgres"
    finally:
        run(pg_ctl, "-D", str(data_dir / "db"), "-m", "fast", "-w", "stop")
        shutil.rmtree(data_dir, ignore_errors=True)


# The files that take minutes (Dask clusters, Prefect and MLflow servers, the 50,000-customer
# fixture) run first, the longest first (their times in a `make test` on 3 December 2026: 311 s for
# test_cli down to 26 s): `make test` hands whole files to two processes as each frees up, in this
# order (--no-loadscope-reorder), and a long file handed out last would leave the other process idle
# while it finishes.
LONG_FILES = (
    "pipelines/test_cli.py",
    "pipelines/test_partitioned.py",
    "models/test_registry.py",
    "pipelines/test_serve.py",
    "models/test_scoring.py",
    "pipelines/test_flows.py",
    "pipelines/test_partitioned_training.py",
    "features/test_crms_written_elsewhere.py",
    "pipelines/test_monitoring_runs.py",
    "models/test_training.py",
    "pipelines/test_prefect_runs_without_server.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    def rank(item: pytest.Item) -> int:
        path = item.path.as_posix()
        return next((place for place, name in enumerate(LONG_FILES) if path.endswith(name)), len(LONG_FILES))

    items.sort(key=rank)  # stable: tests keep their order inside a file, and the rest theirs
