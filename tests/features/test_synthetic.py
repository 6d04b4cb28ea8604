"""The synthetic CRM: deterministic, with the configured reason mix, and traces that precede churn."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from features.config import PipelineConfig, reason_codes
from features.synthetic import REASON_CODES, generate_crm
from features.validation import load_crm
from pipelines.files import write_table, write_tables
from tests.conftest import NOW

SURVEY_SHARES = {
    "indifference": 0.67,
    "product_quality": 0.15,
    "competitor": 0.09,
    "personal_ties": 0.05,
    "moved_or_died": 0.04,
}


@pytest.fixture(scope="module")
def large_crm():
    return generate_crm(30_000, seed=11)


@pytest.fixture(scope="module")
def reference_times(large_crm) -> pd.DataFrame:
    """One look-back time per customer: 60 days before churn, or for a stayer a churner's such time.

    Stayers get look-back times drawn from the churners' so both groups are seen on the same
    calendar; only customers with 120 days of tenure by then are kept.
    """
    truth = large_crm.truth.assign(customer_id=lambda t: t["customer_id"].astype(str))
    signed_up = large_crm.tables["customers"].set_index(
        large_crm.tables["customers"]["customer_id"].astype(str)
    )["signed_up_at"]
    churned = truth["churned_at"].notna()
    at = truth["churned_at"] - pd.Timedelta(days=60)
    rng = np.random.default_rng(0)
    at[~churned] = rng.choice(at[churned].to_numpy(), (~churned).sum())
    frame = pd.DataFrame(
        {
            "at": at.to_numpy(),
            "group": truth["true_reason"].astype(object).fillna("stayer").to_numpy(),
            "churned_at": truth["churned_at"].to_numpy(),
        },
        index=truth["customer_id"],
    )
    return frame[signed_up.reindex(frame.index) < frame["at"] - pd.Timedelta(days=120)]


def events_before(
    crm, table: str, time_column: str, at: pd.Series, days: float | None = None
) -> pd.DataFrame:
    """Events of each customer in (at - days, at], the slow and obvious way."""
    events = crm.tables[table].assign(customer_id=lambda t: t["customer_id"].astype(str))
    events = events[events["customer_id"].isin(at.index)]
    look_at = events["customer_id"].map(at)
    keep = events[time_column] <= look_at
    if days is not None:
        keep &= events[time_column] > look_at - pd.Timedelta(days=days)
    return events[keep]


def by_group(values: pd.Series, reference: pd.DataFrame) -> pd.Series:
    return values.reindex(reference.index).groupby(reference["group"])


def test_generator_tells_the_stories_of_the_declared_reasons():
    assert REASON_CODES == reason_codes()


def test_same_seed_same_data_other_seed_other_data():
    first, again, other = (generate_crm(800, seed=s) for s in (5, 5, 6))
    for name in first.tables:
        pd.testing.assert_frame_equal(first.tables[name], again.tables[name])
    pd.testing.assert_frame_equal(first.truth, again.truth)
    assert not first.tables["orders"]["amount"].equals(other.tables["orders"]["amount"])


def test_reason_shares_among_churners_match_the_survey(large_crm):
    shares = large_crm.truth["true_reason"].value_counts(normalize=True)
    assert large_crm.truth["true_reason"].notna().sum() > 8_000
    for reason, expected in SURVEY_SHARES.items():
        assert shares[reason] == pytest.approx(expected, abs=0.03), reason


def test_reason_shares_are_configurable():
    crm = generate_crm(8_000, seed=2, reason_shares={"competitor": 0.5, "indifference": 0.5})
    shares = crm.truth["true_reason"].value_counts(normalize=True)
    assert shares["competitor"] == pytest.approx(0.5, abs=0.03)
    assert shares[["product_quality", "personal_ties", "moved_or_died"]].sum() == 0


def test_indifference_churners_lose_contact_first(large_crm, reference_times):
    outbound = events_before(large_crm, "contacts", "contacted_at", reference_times["at"])
    outbound = outbound[outbound["direction"] == "outbound"]
    last_touch = outbound.groupby("customer_id")["contacted_at"].max()
    days_since = (reference_times["at"] - last_touch.reindex(reference_times.index)).dt.days
    median = by_group(days_since, reference_times).median()
    assert median["indifference"] >= 2 * median["stayer"]
    assert median["indifference"] >= 1.8 * median[["product_quality", "competitor"]].max()


def test_quality_churners_complain_more(large_crm, reference_times):
    complaints = events_before(large_crm, "complaints", "opened_at", reference_times["at"], days=90)
    count = complaints.groupby("customer_id").size().reindex(reference_times.index, fill_value=0)
    mean = by_group(count, reference_times).mean()
    assert mean["product_quality"] >= 2.5 * mean["stayer"]


def test_competitor_churners_buy_on_discount(large_crm, reference_times):
    orders = events_before(large_crm, "orders", "ordered_at", reference_times["at"], days=120)
    discounted = (orders["discount_amount"] > 0).groupby(orders["customer_id"]).mean()
    mean = by_group(discounted, reference_times).mean()
    assert mean["competitor"] >= 1.4 * mean["stayer"]


def test_personal_ties_churners_lost_their_referrer(large_crm, reference_times):
    customers = large_crm.tables["customers"].assign(customer_id=lambda t: t["customer_id"].astype(str))
    referrer = customers.set_index("customer_id")["referred_by"].reindex(reference_times.index)
    referrer_churned = reference_times["churned_at"].reindex(referrer.to_numpy()).to_numpy()
    left_before = pd.Series(referrer_churned < reference_times["at"].to_numpy(), index=referrer.index)
    share = by_group(left_before, reference_times).mean()
    assert share["personal_ties"] >= 5 * share["stayer"]


def test_movers_change_region_or_ask_to_relocate_before_leaving(large_crm, reference_times):
    just_before = reference_times["churned_at"].where(
        reference_times["churned_at"].notna(), reference_times["at"] + pd.Timedelta(days=60)
    ) - pd.Timedelta(days=1)
    orders = events_before(large_crm, "orders", "ordered_at", just_before, days=180)
    regions = orders.groupby("customer_id")["region"].nunique().reindex(just_before.index, fill_value=1)
    contacts = events_before(large_crm, "contacts", "contacted_at", just_before, days=180)
    relocation = contacts[contacts["topic"].astype(str).str.contains("relocation")]["customer_id"].unique()
    trace = (regions > 1) | just_before.index.isin(relocation)
    share = by_group(trace, reference_times).mean()
    assert share["moved_or_died"] >= 0.5
    assert share["moved_or_died"] >= 8 * share["stayer"]


def test_churners_buy_less_before_they_go(large_crm, reference_times):
    orders = events_before(large_crm, "orders", "ordered_at", reference_times["at"], days=90)
    count = orders.groupby("customer_id").size().reindex(reference_times.index, fill_value=0)
    mean = by_group(count, reference_times).mean()
    assert mean.drop("stayer").max() < mean["stayer"]


def test_signals_also_show_in_stayers(large_crm, reference_times):
    """No single trace gives a churner away: many customers who show it stay."""
    outbound = events_before(large_crm, "contacts", "contacted_at", reference_times["at"])
    outbound = outbound[outbound["direction"] == "outbound"]
    last_touch = outbound.groupby("customer_id")["contacted_at"].max().reindex(reference_times.index)
    long_silence = (reference_times["at"] - last_touch).dt.days >= 60
    complaints = events_before(large_crm, "complaints", "opened_at", reference_times["at"], days=90)
    complained = reference_times.index.isin(complaints["customer_id"].unique())
    for shows_signal in (long_silence, complained):
        groups = reference_times.loc[shows_signal, "group"]
        # a fifth or more, in this frame of about as many churners as stayers (traces grow strong
        # over the last months, so most who show one are churners; but not all)
        assert (groups == "stayer").mean() >= 0.2


def test_exit_surveys_mostly_give_the_true_reason(large_crm):
    surveys = large_crm.tables["surveys"]
    exits = surveys[surveys["kind"] == "exit"].assign(customer_id=lambda s: s["customer_id"].astype(str))
    truth = large_crm.truth.assign(customer_id=lambda t: t["customer_id"].astype(str)).set_index(
        "customer_id"
    )
    true_reason = truth["true_reason"].reindex(exits["customer_id"]).astype(object).to_numpy()
    assert pd.notna(true_reason).all()  # only churners answer exit surveys
    assert (
        exits["answered_at"].to_numpy() > truth["churned_at"].reindex(exits["customer_id"]).to_numpy()
    ).all()
    agreement = (exits["reason"].astype(object).to_numpy() == true_reason).mean()
    assert 0.7 <= agreement < 0.95
    assert 0.15 <= exits["customer_id"].nunique() / truth["churned_at"].notna().sum() <= 0.45


def test_churners_stop_ordering_at_their_churn_date(large_crm):
    truth = large_crm.truth.assign(customer_id=lambda t: t["customer_id"].astype(str)).set_index(
        "customer_id"
    )
    orders = large_crm.tables["orders"]
    churned_at = truth["churned_at"].reindex(orders["customer_id"].astype(str)).to_numpy()
    after_churn = orders["ordered_at"].to_numpy() > churned_at
    assert not after_churn.any()


@pytest.mark.parametrize("file_format", ["parquet", "csv"])
def test_generated_data_passes_the_contract(tmp_path, small_crm, file_format):
    write_tables(small_crm.tables, tmp_path, file_format)
    write_table(small_crm.truth, tmp_path / "truth.parquet")
    crm = load_crm(str(tmp_path), PipelineConfig(), now=NOW)
    assert set(crm.tables) == {"orders", "customers", "contacts", "complaints", "surveys"}  # never truth
    for name, frame in small_crm.tables.items():
        assert len(crm.tables[name]) == len(frame)


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="at least 1"):
        generate_crm(0, seed=1)
    with pytest.raises(ValueError, match="more than 90 days"):
        generate_crm(10, seed=1, start="2024-01-01", end="2024-02-01")
    with pytest.raises(ValueError, match="unknown reason codes"):
        generate_crm(10, seed=1, reason_shares={"price": 1.0})
