"""`churn serve` against a real Prefect server: the deployments, their schedules and limits, and one
run of the nightly deployment executed by the serving process, as the scheduler would start it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import (
    DeploymentFilter,
    DeploymentFilterId,
    FlowRunFilter,
    FlowRunFilterState,
    FlowRunFilterStateType,
)
from prefect.client.schemas.objects import StateType
from prefect.deployments import run_deployment
from prefect.exceptions import ObjectNotFound

from models.scoring import export_columns
from tests.pipelines.conftest import AS_OF, SERVER_LOG, artifacts_of, write_config

CHURN = str(Path(sys.executable).parent / "churn")
PREFECT = str(Path(sys.executable).parent / "prefect")


def _wait_for_deployment(client, name: str, serving: subprocess.Popen, seconds: float = 180):
    deadline = time.monotonic() + seconds
    while True:
        try:
            return client.read_deployment_by_name(name)
        except ObjectNotFound:
            assert serving.poll() is None, serving.communicate()[1][-3000:]
            assert time.monotonic() < deadline, f"{name} was not registered in {seconds} s"
            time.sleep(1)


def _scheduled_runs(client, deployment, serving: subprocess.Popen, seconds: float = 180):
    """The deployment's runs in state Scheduled, once the server's scheduler has made some."""
    deadline = time.monotonic() + seconds
    while True:
        runs = client.read_flow_runs(
            deployment_filter=DeploymentFilter(id=DeploymentFilterId(any_=[deployment.id])),
            flow_run_filter=FlowRunFilter(
                state=FlowRunFilterState(type=FlowRunFilterStateType(any_=[StateType.SCHEDULED]))
            ),
        )
        if runs:
            return runs
        assert serving.poll() is None, serving.communicate()[1][-3000:]
        assert time.monotonic() < deadline, f"no scheduled run of {deployment.name} in {seconds} s"
        time.sleep(2)


RESTORE_CTRL_C = "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])"


def test_serve_schedules_both_deployments_and_runs_the_nightly_one(champion_crm, tmp_path):
    # The champion's output folder; nightly at the default hour in a configured time zone.
    config = write_config(
        tmp_path / "pipeline.yaml",
        champion_crm.output,
        "  nightly:\n    cron: '0 2 * * *'\n    timezone: Europe/Kyiv\n",
    )
    serving = subprocess.Popen(
        # Ctrl+C as at a terminal, however pytest was started: a background job of a non-interactive
        # shell inherits SIGINT ignored, and Python then never turns it into KeyboardInterrupt.
        [sys.executable, "-c", RESTORE_CTRL_C, CHURN, "serve", "--data", str(champion_crm.crm)]
        + ["--config", str(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
    )
    try:
        with get_client(sync_client=True) as client:
            nightly = _wait_for_deployment(client, "nightly/churn-nightly", serving)
            retraining = _wait_for_deployment(client, "train/churn-retraining", serving)
        [nightly_schedule], [retraining_schedule] = nightly.schedules, retraining.schedules
        assert (nightly_schedule.schedule.cron, nightly_schedule.schedule.timezone) == (
            "0 2 * * *",
            "Europe/Kyiv",
        )
        assert (retraining_schedule.schedule.cron, retraining_schedule.schedule.timezone) == (
            "0 3 * * 0",
            "UTC",
        )
        assert nightly_schedule.active and retraining_schedule.active
        assert nightly.global_concurrency_limit.limit == 1 and retraining.global_concurrency_limit.limit == 1
        assert nightly.parameters["data"] == str(champion_crm.crm)
        assert nightly.parameters["config_file"] == str(config)

        # The server's scheduler creates the coming runs: nightly at 02:00 Kyiv time, retraining on
        # Sundays at 03:00 UTC (with SQLAlchemy 2.1 it failed on every pass and created none).
        with get_client(sync_client=True) as client:
            coming_nights = _scheduled_runs(client, nightly, serving)
            coming_retrainings = _scheduled_runs(client, retraining, serving)
        for run in coming_nights:
            local = run.expected_start_time.astimezone(ZoneInfo("Europe/Kyiv"))
            assert (local.hour, local.minute) == (2, 0), local
        for run in coming_retrainings:
            utc = run.expected_start_time.astimezone(ZoneInfo("UTC"))
            assert (utc.weekday(), utc.hour, utc.minute) == (6, 3, 0), utc

        # As the scheduler starts it: no as-of (the night before the scheduled start, Kyiv time: 02:00
        # on 1 October there is 23:00 UTC on 30 September), the default export paths.
        default_export = champion_crm.output / "scores" / f"churn_scores_{AS_OF}.parquet"
        default_export.unlink(missing_ok=True)
        scheduled = datetime(2025, 9, 30, 23, 0, tzinfo=ZoneInfo("UTC"))
        run = run_deployment("nightly/churn-nightly", scheduled_time=scheduled, timeout=600)
        assert run.state.is_completed(), run.state.message
        written = pd.read_parquet(default_export)
        assert written.columns.tolist() == export_columns() and len(written) > 1_000
        assert (written["as_of"].astype(str) == AS_OF).all()
        summary = artifacts_of(str(run.id))["churn-scores"]
        assert summary.startswith(f"# {len(written):,} customers scored as of {AS_OF}")

        # The README's way to catch up a night, with the export elsewhere.
        export = tmp_path / "caught-up.csv"
        caught_up = subprocess.run(
            [PREFECT, "deployment", "run", "nightly/churn-nightly", "--param", "as_of=2025-08-31"]
            + ["--param", f'out=["{export}"]', "--watch"],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert caught_up.returncode == 0, caught_up.stdout[-2000:] + caught_up.stderr[-2000:]
        assert (pd.read_csv(export)["as_of"] == "2025-08-31").all()

        # A night past the end of the data fails as a known error: one line in the service's log.
        beyond = run_deployment("nightly/churn-nightly", parameters={"as_of": "2026-06-30"}, timeout=600)
        assert beyond.state.is_failed()
    finally:
        serving.send_signal(signal.SIGINT)  # Ctrl+C
        try:
            stdout, stderr = serving.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            # Say where its threads are (`churn serve` dumps them on SIGUSR1).
            serving.send_signal(signal.SIGUSR1)
            time.sleep(3)
            serving.kill()
            stdout, stderr = serving.communicate()
            pytest.fail(f"churn serve did not stop within 120 s of Ctrl+C; its threads:\n{stderr[-8000:]}")
    assert "churn-nightly" in stdout and "0 2 * * *" in stdout and "Europe/Kyiv" in stdout
    assert "ChurnError: the orders end on 2025-12-31" in stdout + stderr
    assert "Traceback" not in stderr + stdout
    server_log = SERVER_LOG.read_text(errors="replace")
    assert "ERROR" not in server_log and "Traceback" not in server_log, server_log[-3000:]
    with get_client(sync_client=True) as client:  # stopping pauses the schedules: nothing runs unattended
        assert client.read_deployment_by_name("nightly/churn-nightly").paused


def test_serve_without_a_prefect_server_says_how_to_start_one(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "PREFECT_API_URL"}
    result = subprocess.run(
        [CHURN, "serve", "--data", str(tmp_path)], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 1
    assert result.stderr.startswith("Error: churn serve needs a Prefect server to keep the schedules:")
    assert "prefect server start" in result.stderr and "Traceback" not in result.stderr


def test_a_bad_schedule_is_one_line_before_anything_is_registered(tmp_path):
    config = tmp_path / "pipeline.yaml"

    def serve_with(settings: str) -> subprocess.CompletedProcess:
        config.write_text(settings)
        command = [CHURN, "serve", "--data", str(tmp_path), "--config", str(config)]
        return subprocess.run(command, capture_output=True, text=True, timeout=120)

    result = serve_with("orchestration:\n  retraining:\n    cron: '0 25 * * 0'\n")
    assert result.returncode == 1
    assert result.stderr.startswith("Error: orchestration.retraining.cron '0 25 * * 0': ")
    assert "Traceback" not in result.stderr
    result = serve_with("orchestration:\n  nightly:\n    cron: '0 2 * *'\n    timezone: Mars/Olympus\n")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "orchestration.nightly.cron: '0 2 * *' is not a five-field cron expression" in result.stderr
    assert "orchestration.nightly.timezone: unknown time zone 'Mars/Olympus'" in result.stderr


def test_deployment_sources_are_absolute(tmp_path, monkeypatch):
    from pipelines.deployments import absolute_source

    monkeypatch.chdir(tmp_path)
    assert absolute_source("crm") == str(tmp_path / "crm")
    assert absolute_source("sqlite:///crm.db") == f"sqlite:///{tmp_path / 'crm.db'}"
    assert absolute_source("sqlite:////srv/crm.db") == "sqlite:////srv/crm.db"
    url = "postgresql+psycopg://crm@db.internal/crm"
    assert absolute_source(url) == url
