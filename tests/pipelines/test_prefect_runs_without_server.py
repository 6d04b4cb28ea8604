"""The locked versions run a Prefect flow with no server (ephemeral mode), as every `churn` run does,
and with Prefect's console log left on, nothing but the run's own lines is printed.

Guards the known traps: a newer FastAPI breaks Prefect 3.8's in-process server at import; the
temporary server's telemetry prints `database is locked` tracebacks on a fresh PREFECT_HOME and
`Failed to send telemetry` without a network (pipelines/__init__.py turns it off).
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

FLOW = textwrap.dedent(
    """
    import pipelines  # the pipeline's Prefect defaults, as every `churn` command has them
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
    output = result.stdout + result.stderr
    assert "Finished in state Completed()" in output
    assert "ERROR" not in output and "Traceback" not in output and "WARNING" not in output, output[-3000:]
