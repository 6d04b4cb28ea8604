"""Are the reasons right? reason_1 against what really happened, for the customers who left.

With ground truth (a synthetic CRM's `truth`: customer_id, churned_at, true_reason), for the scored
customers who truly churn within the horizon after the as-of date: how often reason_1 is the true
reason, per category and balanced over the categories a CRM can observe, for all such leavers and
for those the export flags as high risk (the ones a manager will call). Also the mix of reason_1
among high-risk customers against the exit survey's shares, and, where exit surveys exist, how
often the pre-churn reason_1 agrees with the reason the customer later gave.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from features.config import ACTIVITY, load_reasons
from features.timeline import cutoff_instant

# The categories with traces in CRM tables; personal_ties has only weak ones (seed 001: the friend
# works elsewhere), so it is reported but not part of the balanced score.
OBSERVABLE = ("indifference", "product_quality", "competitor", "moved_or_died")
# What a row without a survey reason says first: purchase activity alone raised the risk
# (features.config's ACTIVITY category), or nothing did.
ACTIVITY_ONLY, NO_REASON = ACTIVITY, "none"
SHOWN = {ACTIVITY_ONLY: "(activity only)", NO_REASON: "(nothing raises the risk)"}


def first_reasons(reason_1: pd.Series, activity_share: pd.Series) -> pd.Series:
    """reason_1 with the rows that have none named: `activity` (purchase activity alone raised the
    risk) or `none` (nothing did)."""
    named = reason_1.astype(object).where(reason_1.notna() & (reason_1.astype(str) != ""), None)
    fallback = np.where(activity_share.to_numpy(float) > 0, ACTIVITY_ONLY, NO_REASON)
    return named.fillna(pd.Series(fallback, index=named.index))


def reason_mix(rows: pd.DataFrame) -> pd.Series:
    """Each reason_1's share of `rows`, for a terminal or a Markdown summary; rows with none named
    are "(activity only)" or "(nothing raises the risk)", as the HTML report keeps them apart."""
    first = first_reasons(rows["reason_1"], rows["activity_share"])
    return first.map(lambda code: SHOWN.get(code, code)).value_counts(normalize=True)


@dataclass(frozen=True)
class ReasonAccuracy:
    as_of: pd.Timestamp
    horizon_days: int
    scored: int
    high_risk: int
    by_reason: pd.DataFrame  # reason → leavers, correct_share, high_risk_leavers, high_risk_correct_share
    balanced: float  # mean correct_share over the OBSERVABLE categories that had leavers
    balanced_high_risk: float
    # reason (the survey's, then SHOWN's) → high_risk_share (of the high-risk customers), named_share
    # (of those with a survey reason, summing to 1 as the survey's shares do), survey_share
    mix: pd.DataFrame
    # true reason (rows, the leavers') → what reason_1 named them (the survey's codes, then SHOWN's): counts
    named_as: pd.DataFrame
    in_truth: int = 0  # scored customers the truth names (the others count as staying)
    last_churn: pd.Timestamp | None = None  # the truth's latest churned_at, anyone's: how far it reaches

    @property
    def leavers(self) -> int:
        return int(self.by_reason["leavers"].sum())

    @property
    def window_end(self) -> pd.Timestamp:
        """The end of the horizon after the as-of date (exclusive), the day after its last day."""
        return cutoff_instant(self.as_of) + pd.Timedelta(days=self.horizon_days)

    def unmeasured(self, high_risk: bool = False) -> list[str]:
        """The OBSERVABLE categories left out of the balanced figure for want of leavers."""
        column = "high_risk_leavers" if high_risk else "leavers"
        return [code for code in OBSERVABLE if self.by_reason.loc[code, column] == 0]


def _as_of(scores: pd.DataFrame) -> pd.Timestamp:
    days = pd.to_datetime(scores["as_of"].astype(str)).unique()
    if len(days) != 1:
        raise ValueError(f"the scores hold {len(days)} as-of dates; evaluate one run's file at a time")
    return pd.Timestamp(days[0])


def reason_accuracy(scores: pd.DataFrame, truth: pd.DataFrame, horizon_days: int) -> ReasonAccuracy:
    """Compare the export's reason_1 with the true reasons of the customers who left in the horizon."""
    as_of = _as_of(scores)
    start = cutoff_instant(as_of)
    end = start + pd.Timedelta(days=horizon_days)
    truth = truth.assign(customer_id=truth["customer_id"].astype(str)).set_index("customer_id")
    last_churn = pd.to_datetime(truth["churned_at"], utc=True).max()
    ids = scores["customer_id"].astype(str)
    in_truth = int(ids.isin(truth.index).sum())
    churned_at = pd.to_datetime(truth["churned_at"].reindex(ids), utc=True).to_numpy()
    true_reason = truth["true_reason"].astype("object").reindex(ids).to_numpy()
    left = (churned_at >= start) & (churned_at < end)
    given = first_reasons(scores["reason_1"], scores["activity_share"]).to_numpy()
    high = (scores["risk_tier"] == "high").to_numpy()
    correct = given == true_reason

    rows = []
    for reason in load_reasons():
        mine = left & (true_reason == reason.code)
        rows.append(
            {
                "reason": reason.code,
                "leavers": int(mine.sum()),
                "correct_share": _share(correct, mine),
                "high_risk_leavers": int((mine & high).sum()),
                "high_risk_correct_share": _share(correct, mine & high),
            }
        )
    by_reason = pd.DataFrame(rows).set_index("reason")
    observable = by_reason.loc[list(OBSERVABLE)]

    codes = [reason.code for reason in load_reasons()]
    counts = pd.Series(given[high]).value_counts().reindex([*codes, *SHOWN], fill_value=0)
    named = counts[codes].sum()
    mix = (
        pd.DataFrame(
            {
                "high_risk_share": counts / max(high.sum(), 1),
                "named_share": counts[codes] / named if named else np.nan,
                "survey_share": pd.Series({reason.code: reason.survey_share for reason in load_reasons()}),
            }
        )
        .reindex(counts.index)  # the survey's order, then the rows without a survey reason
        .rename(index=SHOWN)
    )
    named_as = (
        pd.crosstab(pd.Series(true_reason[left], dtype=object), pd.Series(given[left], dtype=object))
        .reindex(index=codes, columns=[*codes, *SHOWN], fill_value=0)
        .rename(columns=SHOWN)
    )
    return ReasonAccuracy(
        as_of=as_of,
        horizon_days=horizon_days,
        scored=len(scores),
        high_risk=int(high.sum()),
        by_reason=by_reason,
        balanced=float(observable["correct_share"].mean()),
        balanced_high_risk=float(observable["high_risk_correct_share"].mean()),
        mix=mix,
        named_as=named_as,
        in_truth=in_truth,
        last_churn=None if pd.isna(last_churn) else last_churn,
    )


def exit_survey_agreement(scores: pd.DataFrame, surveys: pd.DataFrame) -> tuple[int, float]:
    """(answers, share agreeing): exit-survey reasons given after the as-of date against reason_1;
    a customer who answered more than once counts with the latest answer, as in training's weights."""
    from models.exit_reasons import in_answer_order  # loads XGBoost: here, not when the CLI starts

    start = cutoff_instant(_as_of(scores))
    exits = surveys[(surveys["kind"].astype("object") == "exit") & surveys["reason"].notna()]
    exits = exits[exits["answered_at"] >= start]
    exits = exits.assign(customer_id=exits["customer_id"].astype(str))
    stated = in_answer_order(exits).drop_duplicates("customer_id", keep="last")
    stated = stated.set_index("customer_id")["reason"].astype("object")
    given = scores.set_index(scores["customer_id"].astype(str))["reason_1"].astype("object")
    both = stated.index.intersection(given.index)
    if len(both) == 0:
        return 0, float("nan")
    return len(both), float((given[both] == stated[both]).mean())


def _share(hit: np.ndarray, mask: np.ndarray) -> float:
    return float(hit[mask].mean()) if mask.any() else float("nan")
