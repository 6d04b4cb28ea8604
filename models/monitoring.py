"""Does tonight look like what the model was trained on? Checks of the CRM feed, and drift of the
features, the score and the reason mix, in every scoring run, before the export is published.

- Reference (`build_reference`, at training, stored with the model): for each feature, decile bin
  edges on the out-of-time test rows and the share of those rows in each bin (missing values have a
  bin of their own); the same for the calibrated probability; the reason_1 mix of the test rows;
  and the feed at the training as-of (rows per table, days with events in the last four weeks,
  share of active customers with no event in the last 30 days).
- Profile (`profile_night`, at scoring): tonight's counts in the reference's bins. Counts add up, so
  each partition profiles its own customers and `Profile.merge` gives the whole night's.
- Assessment (`assess`): feed checks (rows per table against the previous runs, silent customers,
  date coverage) and drift checks (population stability index), each ok, warn or fail by policy.

The population stability index (PSI) of shares e (reference) and a (tonight) over the same bins is
sum((a - e) * ln(a / e)); by the usual reading, below 0.1 nothing moved, above 0.25 the
population changed. It is hand-written rather than taken from a drift library: a partitioned night
never holds all its rows in one place, and PSI over bin counts adds up across partitions.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
import pandas as pd

from features.config import MonitoringConfig, load_feature_declarations, reason_codes
from features.contract import EVENT_TIME_COLUMN
from features.parsing import is_in
from features.timeline import DAY, cutoff_instant, population
from models.reason_accuracy import ACTIVITY_ONLY, NO_REASON, first_reasons
from models.reasons import explain_reasons
from models.training import XGBoostChurnModel

REFERENCE_ARTIFACT = "monitoring_reference.json"
QUANTILES = np.linspace(0.1, 0.9, 9)  # decile edges: ten bins, and one for missing values
SHARE_FLOOR = 1e-4  # an empty bin's share, so that ln(a / e) stays finite
RECENT_DAYS = 30  # a customer with no event in this many days before as-of is silent
COVERAGE_DAYS = 28  # the window whose days with events are counted per table
DAILY_FEED_DAYS = 14  # a table is judged on coverage when it had events on this many days at training
MAX_EMPTY_TRAILING_DAYS = 3  # a daily table with no event in the last days before as-of has stopped
REASON_SAMPLE_ROWS = 50_000
CALENDAR_UNIT = "month"  # configs/reasons.yaml's unit of a feature that is the calendar (as_of_month)
EVENT_TABLES = tuple(name for name in EVENT_TIME_COLUMN if name != "customers")

Status = Literal["ok", "warn", "fail"]


def reason_mix_categories() -> list[str]:
    return [*reason_codes(), ACTIVITY_ONLY, NO_REASON]


def _earlier(runs) -> str:
    """The baseline's name in a check's sentence: one earlier run has no median."""
    return "the last run" if len(runs) == 1 else f"the median of the last {len(runs)} runs"


def _beyond(value: float, limit: float) -> bool:
    """`value` > `limit`, exactly as the shares read: 700 rows against 1,000 are 30% fewer, which a
    limit of "more than 30%" lets pass (1 - 0.7 is 0.30000000000000004 in floating point)."""
    return round(value, 9) > limit


# --- binning -----------------------------------------------------------------------------------------


def bin_edges(values: np.ndarray) -> list[float]:
    """Decile edges of the non-missing values, without repeats (a count feature has few)."""
    values = values[np.isfinite(values)]
    if len(values) == 0:
        return []
    return sorted({float(edge) for edge in np.quantile(values, QUANTILES)})


def bin_counts(values: np.ndarray, edges: list[float]) -> np.ndarray:
    """Rows per bin: (-inf, e0], (e0, e1], ..., (e_last, inf), then missing."""
    values = np.asarray(values, dtype=float)
    finite = np.isfinite(values)
    index = np.searchsorted(np.asarray(edges, dtype=float), values[finite], side="left")
    counts = np.bincount(index, minlength=len(edges) + 1)
    return np.append(counts, int((~finite).sum())).astype(np.int64)


def psi(reference_counts, counts) -> float:
    """Population stability index of `counts` against `reference_counts` (same bins)."""
    expected = _shares(np.asarray(reference_counts, dtype=float))
    actual = _shares(np.asarray(counts, dtype=float))
    return float(np.sum((actual - expected) * np.log(actual / expected)))


def _shares(counts: np.ndarray) -> np.ndarray:
    total = counts.sum()
    shares = counts / total if total > 0 else np.full(len(counts), 1 / len(counts))
    return np.clip(shares, SHARE_FLOOR, None)


# --- the reference, at training ---------------------------------------------------------------------


def build_reference(
    model: XGBoostChurnModel,
    test_rows: pd.DataFrame,
    feed: FeedProfile,
    as_of: pd.Timestamp,
    min_reason_share: float = 0.0,
) -> dict:
    """What monitoring compares a night with: the test cutoff's distributions and the feed at as-of
    (`feed_at`, or a partitioned run's partition profiles merged)."""
    return {
        "as_of": f"{as_of:%Y-%m-%d}",
        **drift_reference(model, test_rows, min_reason_share),
        "feed": feed.as_dict(),
    }


def feed_at(tables: dict[str, pd.DataFrame], as_of: pd.Timestamp, lookback_days: int) -> FeedProfile:
    """The feed profile of the population at `as_of`."""
    return feed_profile(tables, population(tables, as_of, lookback_days), as_of)


def feature_bins(features: pd.DataFrame) -> dict[str, dict]:
    """Each feature's decile edges and rows per bin, as drift is later measured against."""
    by_feature = {}
    for name in features.columns:
        values = features[name].to_numpy(dtype=float)
        edges = bin_edges(values)
        by_feature[name] = {"edges": edges, "counts": bin_counts(values, edges).tolist()}
    return by_feature


def drift_reference(model: XGBoostChurnModel, test_rows: pd.DataFrame, min_reason_share: float = 0.0) -> dict:
    """Bins and shares of every feature and of the calibrated probability, and the reason_1 mix,
    on the out-of-time test rows (reasons named as the nights will: `scoring.min_reason_share`)."""
    features = test_rows[model.feature_names]
    probability = model.predict_proba(features)
    score_edges = bin_edges(probability)
    # The reason mix's shares need no more than a large sample (SHAP is the slow part at scale).
    sample = features.sample(min(REASON_SAMPLE_ROWS, len(features)), random_state=0)
    reasons = explain_reasons(model, sample, min_share=min_reason_share)
    mix = first_reasons(reasons["reason_1"], reasons["activity_share"]).value_counts()
    return {
        "rows": len(features),
        "features": feature_bins(features),
        "score": {"edges": score_edges, "counts": bin_counts(probability, score_edges).tolist()},
        "reason_mix": {code: int(mix.get(code, 0)) for code in reason_mix_categories()},
        # The nights compare their mix only with one named the same way (`assess`).
        "min_reason_share": float(min_reason_share),
    }


# --- tonight's profile --------------------------------------------------------------------------------


@dataclass
class FeedProfile:
    """The CRM feed at the cutoff: what a broken extract changes first."""

    table_rows: dict[str, int] = field(default_factory=dict)  # rows known at the cutoff
    event_days: dict[str, set[int]] = field(default_factory=dict)  # days before the cutoff with events
    customers: int = 0  # in the population
    silent: int = 0  # of them, with no event of any table in the last RECENT_DAYS days

    def merge(self, other: FeedProfile) -> FeedProfile:
        tables = self.table_rows.keys() | other.table_rows.keys()
        days = self.event_days.keys() | other.event_days.keys()
        return FeedProfile(
            {name: self.table_rows.get(name, 0) + other.table_rows.get(name, 0) for name in tables},
            {name: self.event_days.get(name, set()) | other.event_days.get(name, set()) for name in days},
            self.customers + other.customers,
            self.silent + other.silent,
        )

    def as_dict(self) -> dict:
        return {
            "table_rows": dict(sorted(self.table_rows.items())),
            "event_days": {name: len(days) for name, days in sorted(self.event_days.items())},
            "customers": self.customers,
            "silent": self.silent,
        }


def feed_profile(tables: dict[str, pd.DataFrame], customers: pd.Index, as_of: pd.Timestamp) -> FeedProfile:
    """Rows known at the cutoff per table, days with events in the last COVERAGE_DAYS days, and how
    many of `customers` had no event at all in the last RECENT_DAYS days."""
    cutoff = cutoff_instant(as_of)
    profile = FeedProfile(customers=len(customers))
    heard_from = []
    for name, frame in tables.items():
        column = EVENT_TIME_COLUMN.get(name)
        if column is None or column not in frame:
            profile.table_rows[name] = len(frame)
            continue
        times = frame[column]
        profile.table_rows[name] = int((~(times >= cutoff)).sum())  # a missing time is known
        if name not in EVENT_TABLES:
            continue
        window = (times >= cutoff - COVERAGE_DAYS * DAY) & (times < cutoff)
        # Day 1 is the as-of day itself (cutoff - t in (0, 1 day]), so a date-only CRM's midnight
        # events land on their own day.
        days_before = np.ceil((cutoff - times[window]) / DAY).astype(int)
        profile.event_days[name] = set(days_before.unique().tolist())
        recent = (times >= cutoff - RECENT_DAYS * DAY) & (times < cutoff)
        heard_from.append(pd.Index(frame.loc[recent, "customer_id"].unique()))
    if len(customers):
        heard = heard_from[0].append(heard_from[1:]) if heard_from else pd.Index([])
        profile.silent = int((~is_in(customers, heard)).sum())  # one Arrow hash lookup
    return profile


@dataclass
class Profile:
    """Tonight's counts in the reference's bins, and the feed; partitions add theirs up."""

    feed: FeedProfile
    feature_counts: dict[str, np.ndarray]
    score_counts: np.ndarray | None
    reason_counts: dict[str, int]

    def merge(self, other: Profile) -> Profile:
        features = {  # in the reference's order, as one partition met them: the checks keep it
            name: self.feature_counts.get(name, 0) + other.feature_counts.get(name, 0)
            for name in dict.fromkeys([*self.feature_counts, *other.feature_counts])
        }
        if self.score_counts is None or other.score_counts is None:
            scores = other.score_counts if self.score_counts is None else self.score_counts
        else:
            scores = self.score_counts + other.score_counts
        reasons = {
            code: self.reason_counts.get(code, 0) + other.reason_counts.get(code, 0)
            for code in dict.fromkeys([*self.reason_counts, *other.reason_counts])
        }
        return Profile(self.feed.merge(other.feed), features, scores, reasons)

    @staticmethod
    def combine(profiles: list[Profile]) -> Profile:
        return functools.reduce(Profile.merge, profiles)


def profile_night(
    tables: dict[str, pd.DataFrame],
    features: pd.DataFrame,
    rows: pd.DataFrame,
    reference: dict | None,
    as_of: pd.Timestamp,
) -> Profile:
    """Tonight's profile of `features` and their scored `rows` (the export's columns), for the
    customers of `tables` (the whole CRM, or one partition of it)."""
    feed = feed_profile(tables, features.index, as_of)
    if reference is None:
        return Profile(feed, {}, None, {})
    feature_counts = {
        name: bin_counts(features[name].to_numpy(dtype=float), binning["edges"])
        for name, binning in reference["features"].items()
        if name in features
    }
    if not len(rows):
        return Profile(feed, feature_counts, bin_counts(np.zeros(0), reference["score"]["edges"]), {})
    score_counts = bin_counts(rows["churn_probability"].to_numpy(dtype=float), reference["score"]["edges"])
    mix = first_reasons(rows["reason_1"], rows["activity_share"]).value_counts()
    return Profile(feed, feature_counts, score_counts, {code: int(count) for code, count in mix.items()})


# --- the assessment ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Check:
    kind: Literal["feed", "drift"]
    name: str  # e.g. rows.orders, silent_customers, coverage.contacts, feature.spend_90d, score
    value: float | None
    reference: float | None
    status: Status
    detail: str
    compared: bool = True  # False: tonight could not be compared with the reference; `detail` says why


@dataclass(frozen=True)
class Monitoring:
    checks: list[Check]
    psi: dict[str, float]  # every feature's PSI, and `score` and `reason_mix`
    reason_mix: dict[str, tuple[float, float]]  # category → (tonight's share, the reference's share)
    feed: dict  # tonight's FeedProfile.as_dict()
    baseline_runs: int  # previous runs the row counts were compared with

    @property
    def status(self) -> Status:
        return "fail" if self.failed else ("warn" if self.warned else "ok")

    @property
    def failed(self) -> list[Check]:
        return [check for check in self.checks if check.status == "fail"]

    @property
    def warned(self) -> list[Check]:
        return [check for check in self.checks if check.status == "warn"]

    @property
    def rows_uncompared(self) -> str | None:
        """Said when tonight's row counts had nothing to be compared with: a feed that lost rows passes
        the first night on a data source (runs are grouped by its absolute path or URL)."""
        if self.baseline_runs:
            return None
        return (
            "rows per table not compared: no published run has scored this data source for this date or "
            "an earlier one (runs are grouped by its absolute path or URL)"
        )

    @property
    def uncompared(self) -> list[str]:
        """What tonight could not be compared with, and why: the row counts on a data source's first
        night, and any check made with nothing to compare (the reason mix named with another
        `scoring.min_reason_share` than the reference's)."""
        rows = [self.rows_uncompared] if self.rows_uncompared else []
        return rows + [check.detail for check in self.checks if not check.compared]

    def headline(self) -> str:
        """One line: what broke, or that all is well."""
        broken = self.failed or self.warned
        if not broken:
            return f"all {sum(check.compared for check in self.checks)} monitoring checks passed"
        shown = "; ".join(check.detail for check in broken[:3])
        more = f" (and {len(broken) - 3} more)" if len(broken) > 3 else ""
        return shown + more


def assess(
    profile: Profile,
    reference: dict | None,
    previous_rows: list[dict[str, int]],
    policy: MonitoringConfig,
    *,
    min_reason_share: float = 0.0,
) -> Monitoring:
    """Every check of tonight's profile against the reference and the previous runs' row counts
    (most recent first), each ok or broken; a broken one is `warn` or `fail` by the policy.
    `min_reason_share` is the one tonight's reasons were named with (`scoring.min_reason_share`)."""
    feed_break: Status = policy.feed
    drift_break: Status = policy.drift
    checks: list[Check] = []
    feed = profile.feed

    # Rows per table: a feed that lost rows since the last nights is broken; a table the last night
    # had and tonight lacks has lost all of them.
    known = dict.fromkeys([*feed.table_rows, *(previous_rows[0] if previous_rows else {})], 0)
    for table, rows in sorted({**known, **feed.table_rows}.items()):
        earlier = [run[table] for run in previous_rows[: policy.previous_runs] if table in run]
        if not earlier:
            checks.append(
                Check("feed", f"rows.{table}", rows, None, "ok", f"{table}: {rows:,} rows (first run)")
            )
            continue
        baseline = float(np.median(earlier))
        drop = 1 - rows / baseline if baseline > 0 else 0.0
        broken = _beyond(drop, policy.max_row_drop)
        checks.append(
            Check(
                "feed",
                f"rows.{table}",
                rows,
                baseline,
                feed_break if broken else "ok",
                f"{table}: {rows:,} rows known at as-of, {drop:.0%} fewer than {_earlier(earlier)} "
                f"({baseline:,.0f})"
                if drop > 0
                else f"{table}: {rows:,} rows known at as-of ({_earlier(earlier)}: {baseline:,.0f})",
            )
        )

    reference_feed = (reference or {}).get("feed")
    # Silent customers: events that stopped arriving make everyone look silent.
    if feed.customers:
        share = feed.silent / feed.customers
        if reference_feed and reference_feed["customers"]:
            expected = reference_feed["silent"] / reference_feed["customers"]
            broken = _beyond(share - expected, policy.max_silent_rise)
            checks.append(
                Check(
                    "feed",
                    "silent_customers",
                    share,
                    expected,
                    feed_break if broken else "ok",
                    f"{share:.0%} of scored customers had no order, contact, complaint or survey in the "
                    f"last {RECENT_DAYS} days (training: {expected:.0%})",
                )
            )
    # Date coverage: a table whose events stopped before as-of has empty days at the end.
    for table, days in sorted(feed.event_days.items()):
        covered = len(days)
        expected = (reference_feed or {}).get("event_days", {}).get(table)
        last_gap = min(days) - 1 if days else COVERAGE_DAYS
        text = (
            f"{table}: events on {covered} of the last {COVERAGE_DAYS} days before as-of"
            + (f" (training: {expected})" if expected is not None else "")
            + (f", none in the last {last_gap} days" if last_gap else "")
        )
        # Judged only where the table has events nearly every day: sparse tables have empty days anyway.
        daily = expected is not None and expected >= DAILY_FEED_DAYS
        broken = daily and (
            _beyond(1 - covered / expected, policy.max_coverage_drop) or last_gap > MAX_EMPTY_TRAILING_DAYS
        )
        checks.append(
            Check("feed", f"coverage.{table}", covered, expected, feed_break if broken else "ok", text)
        )

    psi_values: dict[str, float] = {}
    mix: dict[str, tuple[float, float]] = {}
    if reference is None:
        checks.append(
            Check(
                "drift",
                "reference",
                None,
                None,
                "warn",
                "the model has no monitoring reference: drift, silent customers and coverage not checked",
            )
        )
    else:
        calendar = {
            name for name, feature in load_feature_declarations().items() if feature.unit == CALENDAR_UNIT
        }
        for name, counts in profile.feature_counts.items():
            if name in calendar:
                continue  # the as-of month: every night differs from the test cutoff's by design
            # A feature with one value on the test cutoff is compared too: a flag no customer had then
            # and many have tonight is a signal the model has never seen vary there.
            psi_values[name] = value = psi(reference["features"][name]["counts"], counts)
            broken = value > policy.psi_threshold
            checks.append(
                Check(
                    "drift",
                    f"feature.{name}",
                    value,
                    policy.psi_threshold,
                    drift_break if broken else "ok",
                    f"{name}: PSI {value:.3f}" + (" (moved)" if broken else ""),
                )
            )
        if profile.score_counts is not None:
            psi_values["score"] = value = psi(reference["score"]["counts"], profile.score_counts)
            broken = value > policy.psi_threshold
            checks.append(
                Check(
                    "drift",
                    "score",
                    value,
                    policy.psi_threshold,
                    drift_break if broken else "ok",
                    f"churn probability: PSI {value:.3f}" + (" (moved)" if broken else ""),
                )
            )
        categories = reason_mix_categories()
        tonight = np.array([profile.reason_counts.get(code, 0) for code in categories], dtype=float)
        expected = np.array([reference["reason_mix"].get(code, 0) for code in categories], dtype=float)
        # A reference from before it was recorded is taken as named the same way.
        named_with = reference.get("min_reason_share", min_reason_share)
        if named_with != min_reason_share:
            # Another minimum moves reasons to "activity alone" by itself: that is no drift.
            checks.append(
                Check(
                    "drift",
                    "reason_mix",
                    None,
                    None,
                    "ok",
                    f"reason_1 mix not compared: the champion's reference named reasons with "
                    f"scoring.min_reason_share {named_with:g}, tonight with {min_reason_share:g} "
                    "(retrain to compare again)",
                    compared=False,
                )
            )
        elif tonight.sum() and expected.sum():
            psi_values["reason_mix"] = value = psi(expected, tonight)
            mix = {
                code: (tonight[i] / tonight.sum(), expected[i] / expected.sum())
                for i, code in enumerate(categories)
            }
            broken = value > policy.psi_threshold
            checks.append(
                Check(
                    "drift",
                    "reason_mix",
                    value,
                    policy.psi_threshold,
                    drift_break if broken else "ok",
                    f"reason_1 mix: PSI {value:.3f}" + (" (moved)" if broken else ""),
                )
            )
    return Monitoring(checks, psi_values, mix, feed.as_dict(), min(len(previous_rows), policy.previous_runs))
