"""The named steps of one run and how long each took, for whoever is watching.

The flows announce each step here; the CLI listens and draws a progress bar and the final
timing table; a scheduled run has no listener and the steps go to the Prefect run log only.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

# (step name, items done, items in all): done/total are None when a step starts.
Listener = Callable[[str, int | None, int | None], None]


@dataclass
class StepTimes:
    """Seconds per finished step, in the order they ran."""

    seconds: dict[str, float] = field(default_factory=dict)
    _current: str | None = None
    _started: float = 0.0

    def begin(self, name: str) -> None:
        self.end()
        self._current, self._started = name, time.perf_counter()

    def end(self) -> None:
        if self._current is not None:
            self.seconds[self._current] = time.perf_counter() - self._started
            self._current = None


_listeners: list[Listener] = []
_readers: list[Callable[[str], None]] = []
_times: list[StepTimes] = []


def announce(name: str) -> None:
    """A step starts: tell the listeners, and close the previous step's clock."""
    for times in _times:
        times.begin(name)
    for listener in _listeners:
        listener(name, None, None)


def advance(done: int, total: int) -> None:
    """How far the current step is, for steps that count items (customers scored)."""
    current = next((times._current for times in _times if times._current), "")
    for listener in _listeners:
        listener(current, done, total)


def note(message: str) -> None:
    """Something the person watching should read (a retry), not a step."""
    for reader in _readers:
        reader(message)


@contextmanager
def watching(
    listener: Listener | None = None, reader: Callable[[str], None] | None = None
) -> Iterator[StepTimes]:
    """Collect the step times of the runs inside the block, showing each start to `listener` and
    each note to `reader`."""
    times = StepTimes()
    _times.append(times)
    if listener is not None:
        _listeners.append(listener)
    if reader is not None:
        _readers.append(reader)
    try:
        yield times
    finally:
        times.end()
        _times.remove(times)
        if listener is not None:
            _listeners.remove(listener)
        if reader is not None:
            _readers.remove(reader)
