"""Ctrl+C, SIGTERM and a step's timeout held back over the last step of the export, so it cannot
stop half-way; SIGTERM and SIGHUP made to stop a run as Ctrl+C does.

Once the table's transaction commits, the export files must be renamed into place too: an interrupt
between the two would leave the table holding tonight's rows beside last night's files (or a CSV of
tonight beside a Parquet of last night). The hold covers only the commit and the renames, a few
milliseconds; the long upsert before it stays interruptible.
"""

from __future__ import annotations

import signal
import threading

# SIGALRM: Prefect times a task out in the main thread with an alarm that raises in the task.
HELD_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP", "SIGALRM") if hasattr(signal, name)
)
# Asked to stop by the system (`kill`, systemd, a closed terminal): the CLI stops as on Ctrl+C.
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


class Stopped(BaseException):
    """SIGTERM or SIGHUP raised in the main thread as Ctrl+C raises KeyboardInterrupt (and, like it,
    past `except Exception`), so that a run stops as it does on Ctrl+C: Prefect marks the flow run,
    worker processes are stopped, and the temporary Prefect server is stopped at exit (the default
    action would end the process at once and leave that server running). Not a KeyboardInterrupt,
    which Typer turns into a silent exit 130: the CLI says why it stopped and exits 128 + its number,
    as a shell reports a signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)  # its args rebuild it (a pickle, a copy)
        self.signum = signum

    def __str__(self) -> str:
        return signal.Signals(self.signum).name


_received: list[int] = []  # the SIGTERMs and SIGHUPs this process got, in order


def stop_on_system_signals() -> None:
    """Turn SIGTERM and SIGHUP into `Stopped` in the main thread, where they act by default (a
    SIGHUP ignored, as under nohup, stays ignored), and note them (`stop_received`). Ctrl+C keeps
    Python's own handler: asyncio (Prefect's runner under `churn serve`) takes it over gracefully
    only from that one."""
    for signum in STOP_SIGNALS:
        if signal.getsignal(signum) is signal.SIG_DFL:
            signal.signal(signum, _raise_stopped)


def stop_received() -> int | None:
    """The first SIGTERM or SIGHUP this process got, if any. Whatever error ends the run after one is
    that stop's doing: Prefect, stopped mid-step, may fail in a way of its own ("Task run is not
    set")."""
    return _received[0] if _received else None


def _raise_stopped(signum: int, frame) -> None:
    _received.append(signum)
    raise Stopped(signum)


class HeldInterrupts:
    """From `hold()` until `release()`, SIGINT, SIGTERM, SIGHUP and SIGALRM are noted, not acted on;
    `release()` puts the old handlers back and sends each noted signal again, so it then does what
    it would have done (KeyboardInterrupt, a timeout, or the process ends). Both may be called more
    than once.

    Signal handlers can only be set from the main thread: elsewhere (a worker thread of a flow),
    `hold()` does nothing and an interrupt acts at once, as before.
    """

    def __init__(self) -> None:
        self._previous: dict[int, object] = {}
        self._noted: list[int] = []

    def hold(self) -> None:
        if self._previous or threading.current_thread() is not threading.main_thread():
            return
        for signum in HELD_SIGNALS:
            # None: a handler set outside Python; the default is the closest we can put back.
            self._previous[signum] = signal.getsignal(signum) or signal.SIG_DFL
            signal.signal(signum, self._note)

    def release(self) -> None:
        previous, self._previous = self._previous, {}
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        noted, self._noted = self._noted, []
        for signum in dict.fromkeys(noted):  # each signal once, in the order they came
            signal.raise_signal(signum)

    def _note(self, signum: int, frame) -> None:
        self._noted.append(signum)
