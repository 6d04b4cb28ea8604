"""What the Dask workers of a LocalCluster started by the pipeline run at start (imported only on Dask)."""

from __future__ import annotations

import os
import subprocess
import sys

from distributed.diagnostics.plugin import WorkerPlugin

# XGBoost's collective, in each worker, writes this line at every xgboost.dask fit straight to the
# process's standard error (from C++, outside Python's warnings and logging).
RANK_ANNOUNCEMENT = rb"\[[\d:]+\] Task \[xgboost\.dask-\d+\]:\S+ got rank \d+"

# Run apart from the worker, so that it outlives it: what a crashing worker wrote last is still
# passed on (it reads to the end of the pipe), and a write that fails never blocks the worker.
_FILTER = f"""
import re, sys
announcement = re.compile({RANK_ANNOUNCEMENT!r})
for line in sys.stdin.buffer:
    line = announcement.sub(b"", line)
    if line.strip():
        try:
            sys.stdout.buffer.write(line)
            sys.stdout.buffer.flush()
        except OSError:
            pass
"""


class QuietRankAnnouncements(WorkerPlugin):
    """The worker process's standard error passed on line by line by a small filter process, without
    XGBoost's rank announcements: everything else a worker says (an error, a crash) still shows."""

    def setup(self, worker) -> None:
        if getattr(worker, "_rank_filter", None) is not None:  # set up once per worker
            return
        terminal = os.dup(2)
        try:
            filter_process = subprocess.Popen(
                [sys.executable, "-c", _FILTER], stdin=subprocess.PIPE, stdout=terminal, stderr=terminal
            )
        finally:
            os.close(terminal)
        os.dup2(filter_process.stdin.fileno(), 2)
        worker._rank_filter = filter_process
