"""A small synthetic CRM with a champion trained on it by the training flow, shared by the flow tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

from features.synthetic import generate_crm
from pipelines.files import write_tables

AS_OF = "2025-09-30"


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
    from pipelines.flows import train_flow

    folder = tmp_path_factory.mktemp("flows")
    crm = generate_crm(3_000, seed=5, start="2023-01-01", end="2025-12-31")
    write_tables(crm.tables, folder / "crm", "parquet")
    crm.truth.to_parquet(folder / "crm" / "truth.parquet")
    config = write_config(folder / "pipeline.yaml", folder / "out")
    state = train_flow(str(folder / "crm"), as_of=AS_OF, config_file=str(config), return_state=True)
    assert state.is_completed(), state.message
    assert state.result().champion_now
    return ChampionCRM(folder / "crm", config, folder / "out", str(state.state_details.flow_run_id))


def artifacts_of(flow_run_id: str) -> dict[str, str]:
    """{key: markdown} of the artifacts a flow run left on the Prefect server."""
    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
        )
    return {artifact.key: artifact.data for artifact in found}
