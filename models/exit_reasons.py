"""Training weights from exit surveys: what the leavers who answered said made them leave.

The churn model learns from churners, two thirds of whom leave out of indifference; its SHAP
contributions, summed by survey reason, then favour the indifference evidence it sees most. Where
exit surveys exist, the churned training rows of a customer who stated a reason are weighted by the
inverse of that reason's share among the stated answers, as if every stated reason were equally
common: the model looks harder for the traces of the rarer reasons. Stayers, and churners who never
answered, keep weight 1; scoring is unchanged (the probability is calibrated on unweighted rows).

Which answers count: each customer's latest given before the validation cutoff, when every
training label is known (`models.split`). Later answers come from the validation and test windows'
leavers: reading them would let those windows leak into the model judged on them. An answer
explains the departure before it, so it weighs the customer's churned rows of the year before it,
not an older lapse.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from features.timeline import DAY, cutoff_instant
from models.split import OutOfTimeSplit
from models.training import LABEL

# Fewer stated answers than this say too little about the reasons' shares: no weighting.
MIN_ANSWERS = 30
# A reason with a handful of answers would otherwise weigh a few rows by the hundred.
MAX_WEIGHT = 5.0
# The churned rows an answer weighs: cutoffs at most this long before it (a leaver stays in the
# population, churned, for the year after their last order).
ANSWER_REACH = 365 * DAY
# The columns of stated answers, and their order: the same answers give the same frame whatever the
# rows' order (in one piece or gathered from partitions), and "latest" breaks ties the same way.
ANSWER_COLUMNS = ["customer_id", "answered_at", "reason"]


@dataclass(frozen=True)
class ExitReasonWeights:
    """Per-row weights for the training rows, and what they were made from (for the run's record)."""

    row_weights: np.ndarray
    by_reason: dict[str, float]  # reason code → weight of its churned rows
    answers: int  # customers whose latest exit reason, given before the date known, counted
    weighted_row_count: int  # churned training rows that got a reason's weight


def stated_exit_reasons(tables: dict[str, pd.DataFrame], as_of: str | pd.Timestamp) -> pd.DataFrame:
    """Every exit-survey answer with a reason given before the cutoff of `as_of`: customer_id (text),
    answered_at and reason, ordered by those three; empty when the CRM has none.

    All of them, not each customer's latest: which answer counts depends on the date training may
    know (`exit_reason_weights`), and a later answer must not hide an earlier one.
    """
    surveys = tables.get("surveys")
    if surveys is None or "reason" not in surveys or "kind" not in surveys:
        return _no_answers()
    known = (
        (surveys["kind"].astype("object") == "exit")
        & surveys["reason"].notna()
        & (surveys["answered_at"] < cutoff_instant(as_of))
    ).to_numpy(dtype=bool)
    if not known.any():
        return _no_answers()
    answers = surveys.loc[known, ANSWER_COLUMNS]
    answers = pd.DataFrame(
        {
            "customer_id": answers["customer_id"].astype(str).to_numpy(dtype=object),
            "answered_at": answers["answered_at"].dt.tz_convert("UTC").astype("datetime64[ns, UTC]"),
            "reason": answers["reason"].astype(str).to_numpy(dtype=object),
        }
    )
    return in_answer_order(answers)


def in_answer_order(answers: pd.DataFrame) -> pd.DataFrame:
    """`answers` ordered on ANSWER_COLUMNS: one piece, or the partitions' pieces concatenated."""
    return answers.sort_values(ANSWER_COLUMNS, kind="stable", ignore_index=True)


def _no_answers() -> pd.DataFrame:
    """No answer, typed as answers are: partitions with and without answers concatenate alike."""
    return pd.DataFrame(
        {
            "customer_id": pd.Series([], dtype="str"),
            "answered_at": pd.Series([], dtype="datetime64[ns, UTC]"),
            "reason": pd.Series([], dtype="str"),
        }
    )


def exit_reason_weights(
    training_rows: pd.DataFrame, label: str, stated: pd.DataFrame, known_before: pd.Timestamp
) -> ExitReasonWeights:
    """Weights for `training_rows` (indexed by customer_id, cutoff; `label` 1 for churned), from
    each customer's latest answer in `stated` (`stated_exit_reasons`) given before `known_before`.

    A reason stated by a share s of those customers weighs 1 / (reasons stated × s), at most
    MAX_WEIGHT; with fewer than MIN_ANSWERS of them every row weighs 1.
    """
    known = in_answer_order(stated[stated["answered_at"] < known_before])  # any frame: latest is last
    latest = known.drop_duplicates("customer_id", keep="last").set_index("customer_id")
    ones = np.ones(len(training_rows))
    if len(latest) < MIN_ANSWERS:
        return ExitReasonWeights(ones, {}, len(latest), 0)
    shares = latest["reason"].value_counts(normalize=True)
    by_reason = {code: float(min(MAX_WEIGHT, 1 / (len(shares) * share))) for code, share in shares.items()}
    customers = pd.Index(training_rows.index.get_level_values("customer_id").astype(str))
    answer = latest.reindex(customers)
    reason_weight = answer["reason"].map(by_reason).to_numpy(dtype=float)
    # In UTC without the zone, as numpy datetimes: no answer is NaT, and NaT compares false.
    answered_at = answer["answered_at"].dt.tz_convert("UTC").dt.tz_localize(None).to_numpy()
    row_cutoff = pd.DatetimeIndex(training_rows.index.get_level_values("cutoff"))
    if row_cutoff.tz is not None:
        row_cutoff = row_cutoff.tz_convert("UTC").tz_localize(None)
    row_cutoff = row_cutoff.normalize() + DAY  # the cutoff instant of each row's as-of day
    answered_after = (answered_at > row_cutoff.to_numpy()) & (
        answered_at <= (row_cutoff + ANSWER_REACH).to_numpy()
    )
    weighted = (training_rows[label].to_numpy() == 1) & ~np.isnan(reason_weight) & answered_after
    return ExitReasonWeights(
        row_weights=np.where(weighted, reason_weight, 1.0),
        by_reason=dict(sorted(by_reason.items())),
        answers=len(latest),
        weighted_row_count=int(weighted.sum()),
    )


def training_weights(split: OutOfTimeSplit, stated: pd.DataFrame) -> ExitReasonWeights:
    """The weights of `split.train`, from the answers given before the validation cutoff: by then
    every training label is known, and no validation or test leaver has answered yet."""
    known_before = cutoff_instant(split.cutoffs["validation"][-1])
    return exit_reason_weights(split.train, LABEL, stated, known_before)
