"""The two scheduled deployments `churn serve` registers and runs: nightly scoring and retraining.

They are made in code, not in prefect.yaml: their parameters (where the CRM is, the settings file,
the sink) and schedules come from the same validated settings as every `churn` command, and
`serve` runs them in this process's environment with no work pool or worker to set up.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from prefect.client.orchestration import get_client
from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron
from prefect.settings import PREFECT_API_URL
from prefect.types.entrypoint import EntrypointType

from features.config import PipelineConfig, Schedule
from features.errors import ChurnError, ConfigError, TransientError
from pipelines.flows import nightly_flow, train_flow

NIGHTLY = "churn-nightly"
RETRAINING = "churn-retraining"


def prefect_server_url() -> str:
    """The Prefect server's API URL, checked to answer: schedules need a server that stays up."""
    url = PREFECT_API_URL.value()
    if not url:
        raise ChurnError(
            "churn serve needs a Prefect server to keep the schedules: start one with `prefect server "
            "start`, then set PREFECT_API_URL=http://127.0.0.1:4200/api (see the README, Scheduling)"
        )
    with get_client(sync_client=True) as client:  # with the user's Prefect settings: keys, certificates
        problem = client.api_healthcheck()
    if problem is not None:
        raise TransientError(f"the Prefect server at {url} does not answer ({problem})")
    return url


def _cron(schedule: Schedule, key: str):
    try:
        return Cron(schedule.cron, timezone=schedule.timezone)
    except ValueError as error:
        raise ConfigError(f"orchestration.{key}.cron {schedule.cron!r}: {error}") from error


def absolute_source(data: str) -> str:
    """A folder, or a SQLite file in a URL, as an absolute path: the runs do not share serve's
    working directory. Other database URLs as given."""
    if "://" not in data:
        return str(Path(data).resolve())
    try:
        url = sa.engine.make_url(data)
    except sa.exc.ArgumentError:
        return data  # the run's own reader reports it in one line
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return url.set(database=str(Path(url.database).resolve())).render_as_string(hide_password=False)
    return data


def build_deployments(
    data: str,
    config: PipelineConfig,
    *,
    config_file: str | None,
    sink: str | None = None,
    lang: str | None = None,
) -> list[RunnerDeployment]:
    """The nightly scoring and the retraining deployment, each with its schedule and a limit of one
    run at a time: a late night queues the next instead of overlapping it."""
    orchestration = config.orchestration
    common = {
        "data": absolute_source(data),
        "config_file": str(Path(config_file).resolve()) if config_file else None,
        "output_dir": str(config.output_dir.resolve()),
    }
    nightly = nightly_flow.to_deployment(
        name=NIGHTLY,
        schedule=_cron(orchestration.nightly, "nightly"),
        concurrency_limit=1,
        parameters={**common, "sink": absolute_source(sink) if sink else None, "lang": lang},
        description="Score every active customer for the day that just ended and write the CRM export.",
        tags=["churn"],
        entrypoint_type=EntrypointType.MODULE_PATH,
    )
    retraining = train_flow.to_deployment(
        name=RETRAINING,
        schedule=_cron(orchestration.retraining, "retraining"),
        concurrency_limit=1,
        parameters=common,
        description="Train on everything known, register, and promote only through the champion gate.",
        tags=["churn"],
        entrypoint_type=EntrypointType.MODULE_PATH,
    )
    return [nightly, retraining]
