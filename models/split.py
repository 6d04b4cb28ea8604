"""The out-of-time split of a multi-cutoff training set: train, validation and test by date.

The latest cutoff is the test set. A cutoff's labels look `horizon_days` ahead, so a cutoff whose
label window reaches past a later set's cutoff has seen part of that set's future; each earlier set
therefore keeps only cutoffs whose label windows close by the next set's cutoff (a purge gap of
one horizon). No customer-level random split: a customer appears at many cutoffs, and a random
split would let the model meet the same person on both sides.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from features.errors import TrainingDataError
from features.timeline import DAY, cutoff_instant

__all__ = ["OutOfTimeSplit", "TrainingDataError", "split_out_of_time"]


@dataclass(frozen=True)
class OutOfTimeSplit:
    train: pd.DataFrame
    validation: pd.DataFrame
    test: pd.DataFrame

    @property
    def cutoffs(self) -> dict[str, list[str]]:
        return {
            name: [f"{day:%Y-%m-%d}" for day in part.index.get_level_values("cutoff").unique()]
            for name, part in (("train", self.train), ("validation", self.validation), ("test", self.test))
        }


def split_out_of_time(training_set: pd.DataFrame, horizon_days: int) -> OutOfTimeSplit:
    """Test: the latest cutoff; validation: the latest cutoff whose labels close by the test cutoff;
    train: the cutoffs whose labels close by the validation cutoff."""
    cutoffs = sorted(training_set.index.get_level_values("cutoff").unique())
    if not cutoffs:
        raise TrainingDataError("the training set is empty")
    test_day = cutoffs[-1]
    validation_day = _latest_closed_before(cutoffs, test_day, horizon_days)
    train_days = (
        [day for day in cutoffs if _closes_by(day, validation_day, horizon_days)] if validation_day else []
    )
    if validation_day is None or not train_days:
        needed = 2 * -(-horizon_days // 30) + 1  # month ends: test, a gap, validation, a gap, one to train
        raise TrainingDataError(
            f"too little history for a {horizon_days}-day horizon: {len(cutoffs)} month-end cutoffs "
            f"({cutoffs[0]:%Y-%m-%d} to {test_day:%Y-%m-%d}) leave no training cutoff whose labels close "
            f"before the validation and test cutoffs; about {needed} are needed (more history, a later "
            "--as-of, more churn.training_cutoffs or a shorter horizon)"
        )
    level = training_set.index.get_level_values("cutoff")
    return OutOfTimeSplit(
        train=training_set[level.isin(train_days)],
        validation=training_set[level == validation_day],
        test=training_set[level == test_day],
    )


def _closes_by(day: pd.Timestamp, later: pd.Timestamp, horizon_days: int) -> bool:
    return cutoff_instant(day) + horizon_days * DAY <= cutoff_instant(later)


def _latest_closed_before(cutoffs: list[pd.Timestamp], later: pd.Timestamp, horizon_days: int):
    closed = [day for day in cutoffs if _closes_by(day, later, horizon_days)]
    return closed[-1] if closed else None
