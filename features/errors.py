"""Errors a user can act on: the CLI prints their message alone (a traceback only with --debug)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import sqlalchemy as sa


class ChurnError(Exception):
    """Base for errors caused by input or settings, not by a bug."""


class TransientError(ChurnError):
    """An outside system (database, tracking server) did not answer: trying again later may work.

    Scheduled runs retry these with backoff; every other ChurnError fails at once.
    """


class ConfigError(ChurnError):
    """A configuration file or option is invalid."""


class TrainingDataError(ChurnError):
    """The data cannot train an honest model: too little history, too few churners or stayers."""


class DataContractError(ChurnError):
    """The CRM data breaks the contract; `problems` holds one entry per broken rule."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        count = len(problems)
        lines = [f"the CRM data breaks the contract ({count} problem{'s' if count != 1 else ''}):"]
        lines += [f"  {problem.describe()}" for problem in problems]
        super().__init__("\n".join(lines))

    def __reduce__(self):
        # Rebuilt from its problems when it crosses from a worker process (the message is made from them).
        return type(self), (self.problems,)


@dataclass
class Problem:
    """One broken contract rule: where, which rule, how many rows, and a few of them."""

    table: str
    rule: str
    message: str
    column: str | None = None
    rows: int | None = None
    total_rows: int | None = None
    examples: tuple[str, ...] = ()
    # Index labels of the offending rows, so --drop-invalid can quarantine exactly these.
    row_labels: np.ndarray | None = field(default=None, repr=False, compare=False)

    @property
    def droppable(self) -> bool:
        return self.row_labels is not None

    def describe(self) -> str:
        where = f"{self.table}.{self.column}" if self.column else self.table
        text = f"{where}: [{self.rule}] {self.message}"
        if self.rows is not None:
            text += f" — {self.rows:,} of {self.total_rows:,} rows"
            if self.examples:
                text += ", e.g. " + "; ".join(self.examples)
        return text


# Words of database errors that pass on their own: no connection yet, a dropped one, a lock, a timeout.
TRANSIENT_DATABASE_MESSAGES = (
    "could not connect",
    "connection refused",
    "connection failed",
    "connection timed out",
    "server closed the connection",
    "terminating connection",
    "the database system is starting up",
    "the database system is shutting down",
    "too many clients",
    "database is locked",
    "timeout expired",
)


def is_transient(error: BaseException | None) -> bool:
    """Whether trying again later may succeed; everything else is a permanent failure."""
    if isinstance(error, TransientError | TimeoutError | ConnectionError):
        return True
    return error is not None and is_transient_database_error(error)


def first_line(error: BaseException) -> str:
    """An error as one line: its type and the first line of its message."""
    return f"{type(error).__name__}: {(str(error) or 'no message').splitlines()[0]}"


def retry_note(step: str, error: BaseException, retry: int, retries: int) -> str:
    """What the person watching reads when `step` is tried again after a transient `error`."""
    return f"{step} failed ({first_line(error)}); retry {retry} of {retries}"


def is_transient_database_error(error: BaseException) -> bool:
    """Whether trying the same database work again later may succeed."""
    if isinstance(error, (sa.exc.DisconnectionError, sa.exc.TimeoutError)):
        return True
    if isinstance(error, sa.exc.DBAPIError):
        if error.connection_invalidated:
            return True
        if isinstance(error, (sa.exc.OperationalError, sa.exc.InterfaceError)):
            message = str(error.orig).lower()
            return any(words in message for words in TRANSIENT_DATABASE_MESSAGES)
    return False
