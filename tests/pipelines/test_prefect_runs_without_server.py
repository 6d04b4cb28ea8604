"""The locked versions run a Prefect flow with no server (ephemeral mode), as every `churn` run will.

Guards the known trap: a newer FastAPI breaks Prefect 3.8's in-process server at import.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

FLOW = textwrap.dedent(
    """
    from prefect import flow, task

    @task
    def count_rows(rows: list[int]) -> int:
        return len(rows)

    @flow
    def smoke() -> int:
        return count_rows([1, 2, 3])

    print("flow result", smoke())
    """
)


def test_a_flow_completes_without_a_prefect_server(tmp_path):
    env = {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")  # never the user's ~/.prefect
    result = subprocess.run(
        [sys.executable, "-c", FLOW], capture_output=True, text=True, env=env, timeout=240
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "flow result 3" in result.stdout
    assert "Finished in state Completed()" in result.stdout + result.stderr
