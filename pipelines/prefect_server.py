"""Prefect's temporary server (the flows' API when no PREFECT_API_URL is set) in a session of its own.

Prefect starts it as a child process in this process's group, so Ctrl+C at a terminal (SIGINT to
the whole foreground group) stopped it too, mid-run: the flow could not record that it was
interrupted and retried the dead server for over a minute before failing with "Connection refused".
In its own session only this process hears Ctrl+C; Prefect stops the server when this process exits
(at exit, which `pipelines.interrupts.Stopped` lets run on SIGTERM and SIGHUP too). A process killed
outright (SIGKILL) leaves it running, as it always could.
"""

from __future__ import annotations

import subprocess
import types


class _PopenInOwnSession(subprocess.Popen):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("start_new_session", True)
        super().__init__(*args, **kwargs)


def temporary_server_in_own_session() -> None:
    """Start Prefect's temporary server, when this process starts one, outside the terminal's group."""
    from prefect.settings import get_current_settings

    if get_current_settings().api.url:  # a real server: nothing is started here
        return
    from prefect.server.api import server

    if isinstance(server.subprocess, types.ModuleType) and server.subprocess is subprocess:
        # The module's own name for subprocess, nowhere else: other callers of Popen are untouched.
        shim = types.ModuleType("subprocess")
        shim.__dict__.update(vars(subprocess))
        shim.Popen = _PopenInOwnSession
        server.subprocess = shim
