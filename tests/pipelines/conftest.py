"""The session's Prefect server, and a small synthetic CRM with a champion trained on it by the training
flow, shared by the flow tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from features.synthetic import generate_crm
from pipelines.files import write_tables
from tests.conftest import PREFECT_HOME, _free_port

AS_OF = "2025-09-30"

# The flows of these tests report to a real Prefect server, started once for the session (about 15 s)
# instead of a temporary server in every `churn` subprocess (about 10 s each). Tests of the ephemeral
# mode drop PREFECT_API_URL from the environment they give their subprocess. Set at collection,
# before anything imports Prefect, which reads its settings once (so no Prefect import above).
PREFECT_API_URL = f"http://127.0.0.1:{_free_port()}/api"
os.environ["PREFECT_API_URL"] = PREFECT_API_URL
SERVER_LOG = PREFECT_HOME / "server.log"  # the server's own output: a test requires it free of errors


@pytest.fixture(scope="session", autouse=True)
def prefect_server():
    """`prefect server start` on localhost for the whole session; its API URL.

    Started once (about 15 s) instead of a temporary server in every `churn` subprocess (about 10 s
    each); its database is a throwaway SQLite file.
    """
    port = PREFECT_API_URL.rsplit(":", 1)[1].split("/")[0]
    env = {
        **os.environ,
        "PREFECT_HOME": str(PREFECT_HOME / "server"),
        "PREFECT_UI_ENABLED": "false",
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        # The scheduler creates deployments' runs every 60 s by default; the serve test waits for them.
        "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "5",
        # The serve test starts runs scheduled in the past (a caught-up night): the late-runs service
        # would mark them Late while they start, and on this SQLite database the two writes can collide
        # ("database is locked" in the server log) when the machine is busy. It is not under test.
        "PREFECT_SERVER_SERVICES_LATE_RUNS_ENABLED": "false",
    }
    log = open(SERVER_LOG, "wb")  # noqa: SIM115 - open for the whole session
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "prefect"),
            "server",
            "start",
            "--host",
            "127.0.0.1",
            "--port",
            port,
        ],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 240  # a busy CI machine
    while True:
        try:
            with urllib.request.urlopen(f"{PREFECT_API_URL}/health", timeout=5):
                break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                log.close()
                log_text = SERVER_LOG.read_text(errors="replace")[-3000:]
                pytest.fail(f"the Prefect server did not start:\n{log_text}")
            time.sleep(0.5)
    try:
        yield PREFECT_API_URL
    finally:
        if "prefect" in sys.modules:  # send this process's last logs and events while the server is up
            from prefect.events.worker import EventsWorker
            from prefect.logging.handlers import APILogWorker

            APILogWorker.drain_all(timeout=30)
            EventsWorker.drain_all(timeout=30)
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        shutil.rmtree(PREFECT_HOME, ignore_errors=True)


@dataclass(frozen=True)
class ChampionCRM:
    crm: Path  # the CRM folder (Parquet tables and truth.parquet)
    config: Path  # settings: output_dir beside the CRM, retries without waiting
    output: Path
    training_run_id: str  # the Prefect flow run that trained the champion


def write_config(path: Path, output: Path, extra: str = "") -> Path:
    path.write_text(
        f"output_dir: {output}\norchestration:\n  retries: 2\n  retry_delay_seconds: 0\n{extra}",
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="session")
def champion_crm(tmp_path_factory, prefect_server) -> ChampionCRM:
    from prefect.settings import PREFECT_API_URL as api_url_setting

    from pipelines.flows import train_flow

    assert api_url_setting.value() == prefect_server  # in-process flows report to the session's server

    folder = tmp_path_factory.mktemp("flows")
    crm = generate_crm(3_000, seed=5, start="2023-01-01", end="2025-12-31")
    write_tables(crm.tables, folder / "crm", "parquet")
    crm.truth.to_parquet(folder / "crm" / "truth.parquet")
    config = write_config(folder / "pipeline.yaml", folder / "out")
    # XGBoost trains with xgboost.dask on a LocalCluster: the flows' whole training path, on Dask
    # (`churn demo` trains here, in one process).
    state = train_flow(
        str(folder / "crm"), as_of=AS_OF, config_file=str(config), engine="dask", return_state=True
    )
    assert state.is_completed(), state.message
    assert state.result().champion_now
    return ChampionCRM(folder / "crm", config, folder / "out", str(state.state_details.flow_run_id))


def artifacts_of(flow_run_id: str) -> dict[str, str]:
    """{key: markdown} of the artifacts a flow run left on the Prefect server."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
        )
    return {artifact.key: artifact.data for artifact in found}
