"""Ctrl+C, SIGTERM and a step's timeout held back over the last step of the export, so it cannot
stop half-way.

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
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGALRM") if hasattr(signal, name)
)


class HeldInterrupts:
    """From `hold()` until `release()`, SIGINT, SIGTERM and SIGALRM are noted, not acted on;
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
