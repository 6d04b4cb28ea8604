"""Errors a user can act on: the CLI prints their message alone (a traceback only with --debug)."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


class ChurnError(Exception):
    """Base for errors caused by input or settings, not by a bug."""


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
