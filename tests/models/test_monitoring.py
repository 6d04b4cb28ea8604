"""Monitoring's arithmetic and policy: PSI, bins, profiles that add up across partitions, and which
check breaks when (the flows' tests run it end to end)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from markupsafe import escape

from features.build import build_features
from features.config import LANGUAGES, MonitoringConfig, load_feature_declarations, load_report_labels
from models.monitoring import (
    FeedProfile,
    Profile,
    assess,
    bin_counts,
    bin_edges,
    feature_bins,
    feed_profile,
    profile_night,
    psi,
    reason_mix_categories,
)
from models.reason_accuracy import ACTIVITY_ONLY, NO_REASON, first_reasons, reason_mix
from models.reasons import number_in
from models.reports import _monitoring_section, scoring_report

AS_OF = pd.Timestamp("2025-09-30")
rng = np.random.default_rng(0)


def test_psi_is_zero_for_the_same_shares_and_large_for_a_shift():
    reference = rng.normal(0, 1, 20_000)
    edges = bin_edges(reference)
    assert len(edges) == 9
    same = bin_counts(rng.normal(0, 1, 20_000), edges)
    shifted = bin_counts(rng.normal(1, 1, 20_000), edges)
    assert psi(bin_counts(reference, edges), same) < 0.01
    assert psi(bin_counts(reference, edges), shifted) > 0.25


def test_missing_values_have_a_bin_of_their_own_and_count_as_drift():
    values = np.array([0, 0, 1, 2, 3, np.nan])
    edges = bin_edges(values)
    counts = bin_counts(values, edges)
    assert counts.sum() == 6 and counts[-1] == 1
    reference = bin_counts(np.arange(1000.0), bin_edges(np.arange(1000.0)))
    half_missing = bin_counts(np.r_[np.arange(500.0), np.full(500, np.nan)], bin_edges(np.arange(1000.0)))
    assert psi(reference, half_missing) > 0.25


def test_first_reasons_name_the_rows_without_a_survey_reason():
    reason_1 = pd.Series(["competitor", None, None, ""])
    activity = pd.Series([0.2, 0.5, 0.0, 0.1])
    assert first_reasons(reason_1, activity).tolist() == [
        "competitor",
        ACTIVITY_ONLY,
        NO_REASON,
        ACTIVITY_ONLY,
    ]
    # The terminal's and the Prefect summary's mix keep the two apart, as the HTML report does.
    mix = reason_mix(pd.DataFrame({"reason_1": reason_1, "activity_share": activity}))
    assert mix.to_dict() == {"(activity only)": 0.5, "competitor": 0.25, "(nothing raises the risk)": 0.25}


def _reference_for(features: pd.DataFrame, tables) -> dict:
    score = rng.uniform(0, 1, 1000)
    return {
        "features": feature_bins(features),  # as drift_reference bins them
        "score": {"edges": bin_edges(score), "counts": bin_counts(score, bin_edges(score)).tolist()},
        "reason_mix": {code: 10 for code in reason_mix_categories()},
        "feed": feed_profile(tables, features.index, AS_OF).as_dict(),
    }


def _fake_rows(features: pd.DataFrame) -> pd.DataFrame:
    codes = np.array(["indifference", "competitor", None], dtype=object)
    return pd.DataFrame(
        {
            "churn_probability": rng.uniform(0, 1, len(features)),
            "reason_1": codes[np.arange(len(features)) % 3],
            "activity_share": np.linspace(0, 1, len(features)),
        },
        index=features.index,
    )


def test_partition_profiles_add_up_to_the_whole_crms(small_crm):
    tables = {
        name: frame.assign(customer_id=frame["customer_id"].astype(str))
        for name, frame in small_crm.tables.items()
    }
    features = build_features(tables, AS_OF)
    rows = _fake_rows(features)
    reference = _reference_for(features, tables)
    whole = profile_night(tables, features, rows, reference, AS_OF)

    customers = tables["customers"]["customer_id"]
    halves = [customers[::2], customers[1::2]]
    pieces = []
    for half in halves:
        part = {name: frame[frame["customer_id"].isin(half)] for name, frame in tables.items()}
        mine = features.index.isin(half)
        pieces.append(profile_night(part, features[mine], rows[mine], reference, AS_OF))
    merged = Profile.combine(pieces)

    assert merged.feed.as_dict() == whole.feed.as_dict()
    assert merged.feed.event_days == whole.feed.event_days
    assert merged.reason_counts == whole.reason_counts
    np.testing.assert_array_equal(merged.score_counts, whole.score_counts)
    assert merged.feature_counts.keys() == whole.feature_counts.keys()
    for name, counts in whole.feature_counts.items():
        np.testing.assert_array_equal(merged.feature_counts[name], counts, err_msg=name)
    # Against its own reference, tonight has not drifted and the feed is whole.
    monitoring = assess(whole, reference, [whole.feed.table_rows], MonitoringConfig())
    assert not monitoring.failed, monitoring.headline()
    assert not [check for check in monitoring.warned if check.kind == "drift" and check.name != "reason_mix"]


def _feed(rows: int, silent: int = 10, customers: int = 100, days: int = 28) -> FeedProfile:
    return FeedProfile(
        table_rows={"orders": rows, "customers": 100},
        event_days={"orders": set(range(1, days + 1))},
        customers=customers,
        silent=silent,
    )


def _feed_reference(**feed) -> dict:
    return {"features": {}, "score": {"edges": [], "counts": [1, 0]}, "reason_mix": {}, "feed": feed}


def test_a_feed_that_lost_half_its_rows_fails_and_policy_can_make_it_a_warning():
    reference = _feed_reference(**_feed(1000).as_dict())
    previous = [{"orders": 1000, "customers": 100}, {"orders": 990, "customers": 100}]
    tonight = Profile(_feed(500), {}, None, {})
    failed = assess(tonight, reference, previous, MonitoringConfig())
    assert [check.name for check in failed.failed] == ["rows.orders"]
    assert "50% fewer" in failed.failed[0].detail and "last 2 runs" in failed.failed[0].detail
    warned = assess(tonight, reference, previous, MonitoringConfig(feed="warn"))
    assert not warned.failed and [check.name for check in warned.warned] == ["rows.orders"]
    # A few percent fewer rows is no broken feed; nor is the first run, with nothing to compare.
    assert not assess(Profile(_feed(960), {}, None, {}), reference, previous, MonitoringConfig()).failed
    assert not assess(tonight, reference, [], MonitoringConfig()).failed


def test_a_table_the_last_night_had_and_tonight_lacks_has_lost_all_its_rows():
    previous = [{"orders": 1000, "customers": 100, "surveys": 40}]
    monitoring = assess(Profile(_feed(1000), {}, None, {}), None, previous, MonitoringConfig())
    assert [check.name for check in monitoring.failed] == ["rows.surveys"]
    assert "surveys: 0 rows known at as-of, 100% fewer" in monitoring.failed[0].detail


def test_date_only_events_count_on_their_own_day():
    """A CRM with dates and no times has its events at midnight: the as-of day's own are day 1."""
    days = pd.date_range("2025-09-01", "2025-09-30", freq="D", tz="UTC")
    orders = pd.DataFrame({"customer_id": "C1", "ordered_at": days, "amount": 10.0})
    feed = feed_profile({"orders": orders}, pd.Index(["C1"]), AS_OF)
    assert feed.event_days["orders"] == set(range(1, 29)) and feed.silent == 0
    assert feed.table_rows["orders"] == 30
    stopped = feed_profile({"orders": orders[orders["ordered_at"] < "2025-09-27"]}, pd.Index(["C1"]), AS_OF)
    assert min(stopped.event_days["orders"]) == 5  # the 26th: four empty days after it (27th to 30th)
    reference = _feed_reference(**_feed(30).as_dict())
    whole = assess(Profile(feed, {}, None, {}), reference, [], MonitoringConfig())
    assert not whole.failed and "none in the last" not in whole.checks[-1].detail
    late = assess(Profile(stopped, {}, None, {}), reference, [], MonitoringConfig())
    assert "none in the last 4 days" in late.failed[-1].detail


def test_customers_gone_silent_and_a_feed_that_stopped_early_fail():
    reference = _feed_reference(**_feed(1000, silent=10).as_dict())
    silent = assess(Profile(_feed(1000, silent=60), {}, None, {}), reference, [], MonitoringConfig())
    assert [check.name for check in silent.failed] == ["silent_customers"]
    stopped = _feed(1000)
    stopped.event_days["orders"] = set(range(6, 29))  # nothing in the last five days
    late = assess(Profile(stopped, {}, None, {}), reference, [], MonitoringConfig())
    assert [check.name for check in late.failed] == ["coverage.orders"]
    assert "none in the last 5 days" in late.failed[0].detail
    stopped.event_days["orders"] = set(range(4, 29))  # three empty days, a long weekend: no broken feed
    weekend = assess(Profile(stopped, {}, None, {}), reference, [], MonitoringConfig())
    assert not weekend.failed and "none in the last 3 days" in weekend.checks[-1].detail


def test_a_limit_is_applied_to_the_shares_as_they_read():
    """ "More than 30% fewer": 700 rows against 1,000 are 30% fewer, not 30.000000000000004%."""
    limits = MonitoringConfig()
    baseline = 1000
    at_limit = round(baseline * (1 - limits.max_row_drop))
    previous = [{"orders": baseline, "customers": 100}]
    assert not assess(Profile(_feed(at_limit), {}, None, {}), None, previous, limits).failed
    assert assess(Profile(_feed(at_limit - 1), {}, None, {}), None, previous, limits).failed
    reference = _feed_reference(**_feed(1000, silent=10).as_dict())
    risen = 10 + round(100 * limits.max_silent_rise)  # exactly the allowed rise in silent customers
    assert not assess(Profile(_feed(1000, silent=risen), {}, None, {}), reference, [], limits).failed
    assert assess(Profile(_feed(1000, silent=risen + 1), {}, None, {}), reference, [], limits).failed


def test_drift_warns_by_default_and_fails_when_the_policy_says_so(small_crm):
    tables = {
        name: frame.assign(customer_id=frame["customer_id"].astype(str))
        for name, frame in small_crm.tables.items()
    }
    features = build_features(tables, AS_OF)
    reference = _reference_for(features, tables)
    moved = features.assign(spend_90d=features["spend_90d"] * 5 + 100)
    profile = profile_night(tables, moved, _fake_rows(moved), reference, AS_OF)
    warned = assess(profile, reference, [], MonitoringConfig())
    names = {check.name for check in warned.warned}
    assert "feature.spend_90d" in names and not warned.failed
    assert not names & {"feature.orders_90d", "feature.days_since_last_order", "feature.complaints_90d"}
    failed = assess(profile, reference, [], MonitoringConfig(drift="fail"))
    assert "feature.spend_90d" in {check.name for check in failed.failed}
    # The month is not compared: every night's differs from the reference's by design.
    assert "feature.as_of_month" not in {check.name for check in warned.checks}


def test_a_signal_no_customer_had_on_the_reference_night_is_drift_when_it_appears(small_crm):
    tables = {
        name: frame.assign(customer_id=frame["customer_id"].astype(str))
        for name, frame in small_crm.tables.items()
    }
    features = build_features(tables, AS_OF)
    flag = "region_changed_180d"
    assert load_feature_declarations()[flag].unit == "flag"
    reference = _reference_for(features.assign(**{flag: 0.0}), tables)
    for share, drifted in ((0.2, True), (0.005, False)):
        tonight = features.assign(**{flag: (np.arange(len(features)) < share * len(features)).astype(float)})
        assessed = assess(
            profile_night(tables, tonight, _fake_rows(tonight), reference, AS_OF),
            reference,
            [],
            MonitoringConfig(),
        )
        assert (f"feature.{flag}" in {check.name for check in assessed.warned}) is drifted
        assert f"feature.{flag}" in {check.name for check in assessed.checks}  # compared either way


def test_a_reason_mix_named_with_another_minimum_share_is_not_compared(tmp_path):
    """scoring.min_reason_share changed after training reads faint reasons as activity alone on every
    night: that moves the mix by itself, and must not read as drift (or fail a night whose policy
    fails on drift) until the model is retrained with it. A reference from before the minimum was
    recorded is compared as before."""
    reference = {
        **_feed_reference(**_feed(1000).as_dict()),
        "reason_mix": {code: 10 for code in reason_mix_categories()},
        "min_reason_share": 0.0,
    }
    # Tonight, most rows read as activity alone, as a minimum of 0.01 makes them.
    mostly_activity = {ACTIVITY_ONLY: 300, "indifference": 10, "competitor": 10}
    tonight = Profile(_feed(1000), {}, None, mostly_activity)
    policy = MonitoringConfig(drift="fail")

    same_way = assess(tonight, reference, [], policy, min_reason_share=0.0)
    assert [check.name for check in same_way.failed] == ["reason_mix"] and same_way.psi["reason_mix"] > 1
    assert same_way.uncompared == [same_way.rows_uncompared]  # no earlier night here

    other_way = assess(tonight, reference, [], policy, min_reason_share=0.01)
    assert not other_way.failed and not other_way.warned
    assert "reason_mix" not in other_way.psi and other_way.reason_mix == {}
    said = (
        "reason_1 mix not compared: the champion's reference named reasons with "
        "scoring.min_reason_share 0, tonight with 0.01 (retrain to compare again)"
    )
    assert other_way.uncompared == [other_way.rows_uncompared, said]
    # The headline counts the checks made; the report and the flow's summary say what was not.
    assert other_way.headline() == f"all {len(same_way.checks) - 1} monitoring checks passed"
    section = _monitoring_section(other_way, "en", load_report_labels("en"), tmp_path)
    assert section.paragraphs == [f"{other_way.rows_uncompared}.", f"{said}."]
    drift_rows = [row[0].text for table in section.tables for row in table.rows]
    assert "reason_mix" not in drift_rows
    from pipelines.flows import monitoring_summary

    assert f"Monitoring: {said}.\n" in monitoring_summary(other_way)

    unrecorded = {key: value for key, value in reference.items() if key != "min_reason_share"}
    compared_anyway = assess(tonight, unrecorded, [], policy, min_reason_share=0.01)
    assert [check.name for check in compared_anyway.failed] == ["reason_mix"]


def test_without_a_reference_the_feed_is_checked_and_drift_is_said_unchecked():
    monitoring = assess(Profile(_feed(500), {}, None, {}), None, [{"orders": 1000}], MonitoringConfig())
    assert [check.name for check in monitoring.failed] == ["rows.orders"]
    assert any("drift, silent customers and coverage not checked" in c.detail for c in monitoring.warned)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_scoring_report_renders_in_every_language(lang, small_crm):
    tables = {
        name: frame.assign(customer_id=frame["customer_id"].astype(str))
        for name, frame in small_crm.tables.items()
    }
    features = build_features(tables, AS_OF)
    reference = _reference_for(features, tables)
    rows = _fake_rows(features).reset_index()
    rows["risk_tier"] = np.where(rows["churn_probability"] > 0.5, "high", "low")
    rows["value_at_risk"] = 100 * rows["churn_probability"]
    monitoring = assess(
        profile_night(tables, features, _fake_rows(features), reference, AS_OF),
        reference,
        [],
        MonitoringConfig(),
    )

    def report(rows: pd.DataFrame) -> str:
        return scoring_report(
            lang=lang,
            as_of=AS_OF,
            model_name="churn-risk",
            model_version="3",
            horizon_days="90",
            rows=rows,
            top=None,
            monitoring=monitoring,
            published=True,
            generated=pd.Timestamp("2025-10-01T02:00Z"),
        )

    html = report(rows)
    words = load_report_labels(lang)
    assert words["scoring_title"].format(as_of="2025-09-30") in html
    assert words["risk_tiers"] in html and words["drift"] in html
    # What was not compared is said (the first night on this source has no row counts to compare).
    assert monitoring.rows_uncompared and f"{escape(monitoring.rows_uncompared)}." in html
    # Figures as the language writes them: 4,711 in English is 4.711 in Croatian, 4 711 in Ukrainian.
    low = rows.loc[rows["risk_tier"] == "low", "value_at_risk"].sum()
    assert low >= 1000 and f">{number_in(low, ',.0f', lang)}<" in html
    # The survey's shares are of stated reasons: the high-risk customers without one are said, not lost.
    high = rows[rows["risk_tier"] == "high"]
    unnamed = int(high["reason_1"].isna().sum())
    assert 0 < unnamed < len(high)
    caption = words["reason_mix_named"].format(
        named=number_in(len(high) - unnamed, ",", lang),
        unnamed=number_in(unnamed, ",", lang),
        share=number_in(unnamed / len(high), ".0%", lang),
    )
    assert escape(caption) in html
    # With no high tier the table is of every customer: no caption about the high-risk ones.
    everyone = report(rows.assign(risk_tier="low"))
    assert words["reason_mix"] in everyone and escape(words["reason_mix_named"].split(":")[0]) not in everyone
    assert html.count("data:image/png;base64,") >= 4
    assert "http://" not in html and "https://" not in html  # self-contained
