"""The Prefect flows, run for real against the session's Prefect server: what they write, the summary
they leave, which failures they retry and which they do not, and the night a scheduled run scores."""

from __future__ import annotations

import json
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
import sqlalchemy as sa

import pipelines.flows
from features.config import load_pipeline_config
from features.errors import ChurnError, DataContractError, TransientError
from features.sources import read_crm
from models.registry import NoChampionError
from models.scoring import export_columns
from pipelines import steps
from pipelines.export import SinkUnavailableError
from pipelines.flows import features_flow, is_transient, night_to_score, nightly_flow, outside_world
from pipelines.score_run import load_champion
from tests.pipelines.conftest import AS_OF, artifacts_of, write_config


def test_training_flow_leaves_its_summary(champion_crm):
    summary = artifacts_of(champion_crm.training_run_id)["churn-training"]
    assert summary.startswith("# Model churn-risk version 1 is now champion (as of 2025-09-30)")
    assert "| xgboost |" in summary and "| recency |" in summary


def test_nightly_flow_scores_exports_and_summarises(champion_crm):
    state = nightly_flow(
        str(champion_crm.crm), as_of=AS_OF, config_file=str(champion_crm.config), return_state=True
    )
    assert state.is_completed(), state.message
    report = state.result()
    parquet = champion_crm.output / "scores" / "churn_scores_2025-09-30.parquet"
    assert report.files == [parquet.with_suffix(".csv"), parquet]
    exported = pd.read_parquet(parquet)
    assert exported.columns.tolist() == export_columns() and len(exported) == len(report.rows)

    summary = artifacts_of(str(state.state_details.flow_run_id))["churn-scores"]
    assert summary.startswith(f"# {len(exported):,} customers scored as of 2025-09-30")
    assert "Model `churn-risk` version 1 (90-day horizon)" in summary
    for tier in ("high", "medium", "low"):
        count = (exported["risk_tier"] == tier).sum()
        assert f"| {tier} | {count:,} |" in summary
    high_mix = exported.loc[exported["risk_tier"] == "high", "reason_1"].fillna("(activity only)")
    top_reason, top_share = high_mix.value_counts(normalize=True).items().__next__()
    assert f"| {top_reason} | {top_share:.0%} |" in summary
    assert f"- file `{parquet}`" in summary


def orders_only_crm(champion_crm, tmp_path):
    """(folder, settings file): the champion CRM's orders alone (three columns), scored into tmp_path/out."""
    crm = tmp_path / "crm"
    crm.mkdir()
    orders = pd.read_parquet(champion_crm.crm / "orders.parquet")
    orders[["customer_id", "ordered_at", "amount"]].to_parquet(crm / "orders.parquet")
    return crm, write_config(tmp_path / "pipeline.yaml", tmp_path / "out")


def test_a_champion_blind_to_some_reasons_says_so_every_night(champion_crm, tmp_path):
    """Orders alone evidence no reason but a shrinking basket's: the nightly run says, before it
    scores, which reasons its champion can never name and what would evidence them."""
    from pipelines.flows import train_flow

    crm, config = orders_only_crm(champion_crm, tmp_path)
    notes: list[str] = []
    with steps.watching(reader=notes.append):
        trained = train_flow(str(crm), as_of=AS_OF, config_file=str(config), return_state=True)
        assert trained.result().champion_now and notes == []  # training says it in its summary
        report = nightly_flow(str(crm), as_of=AS_OF, config_file=str(config))
    assert "This model can never name indifference" in trained.result().report_html  # the model card
    summary = artifacts_of(str(trained.state_details.flow_run_id))["churn-training"]
    assert (
        "**This model can never name indifference, product_quality, personal_ties, moved_or_died:" in summary
    )
    blind = [note for note in notes if "can never name" in note]
    assert len(blind) == 1, notes
    assert blind[0].startswith(
        "churn-risk version 1 can never name indifference, product_quality, personal_ties, moved_or_died:"
    )
    assert "personal_ties — contacts.topic, customers.referred_by" in blind[0]
    assert set(report.rows["reason_1"].dropna()) <= {"competitor"}


def test_a_champion_that_learnt_a_feature_defined_differently_says_so_every_night(champion_crm, tmp_path):
    """After an upgrade that changes what a feature counts, the nightly run still scores with the
    champion, and says before it scores which features it learnt with another meaning; of a champion
    registered before that record was kept, which features were redefined before then."""
    from mlflow import MlflowClient

    from pipelines.flows import train_flow

    crm, config = orders_only_crm(champion_crm, tmp_path)
    pd.read_parquet(champion_crm.crm / "complaints.parquet").to_parquet(crm / "complaints.parquet")
    trained = train_flow(str(crm), as_of=AS_OF, config_file=str(config))
    client = MlflowClient(trained.tracking_uri)
    learnt = json.loads(
        Path(client.download_artifacts(trained.run_id, "feature_definitions.json")).read_text()
    )
    older = {**learnt, "orders_90d": "orders in the last quarter"}
    client.log_dict(trained.run_id, older, "feature_definitions.json")
    notes: list[str] = []
    with steps.watching(reader=notes.append):
        report = nightly_flow(str(crm), as_of=AS_OF, config_file=str(config))
    redefined = [note for note in notes if "defined when it was trained" in note]
    assert redefined == [
        "churn-risk version 1 learnt orders_90d as they were defined when it was trained; reasons.yaml "
        "defines them differently now, so its scores and reasons read them as something else. Retrain: "
        "the gate cannot compare the old model on the new definitions, so `churn train --force-promote` "
        "makes the new one champion"
    ], notes
    assert len(report.rows) > 0  # it still scores: tonight's export is not withheld

    for record in (tmp_path / "out" / "mlartifacts").rglob("feature_definitions.json"):
        record.unlink()  # as a version registered before records were kept has none
    notes.clear()
    with steps.watching(reader=notes.append):
        nightly_flow(str(crm), as_of=AS_OF, config_file=str(config))
    redefined = [note for note in notes if "no record of what its features meant" in note]
    assert len(redefined) == 1 and redefined[0].startswith(
        "churn-risk version 1 keeps no record of what its features meant (models keep one since 2 December"
    ), notes
    assert "open_complaints" in redefined[0] and "orders_90d" not in redefined[0]


def test_a_missing_champion_fails_at_once_and_says_so_in_the_summary(champion_crm, tmp_path, monkeypatch):
    attempts = []

    def load(config):
        attempts.append(config)
        return load_champion(config)

    monkeypatch.setattr(pipelines.flows, "load_champion", load)
    config = write_config(tmp_path / "pipeline.yaml", tmp_path / "empty")
    state = nightly_flow(str(champion_crm.crm), as_of=AS_OF, config_file=str(config), return_state=True)
    assert state.is_failed() and len(attempts) == 1  # retries are for what may pass
    with pytest.raises(NoChampionError, match="no model 'churn-risk@champion'"):
        state.result()
    assert not (tmp_path / "empty" / "scores").exists()
    summary = artifacts_of(str(state.state_details.flow_run_id))["churn-scores"]
    assert summary.startswith("# Nightly run failed\n\n`NoChampionError`: no model 'churn-risk@champion'")


def test_retries_wait_longer_each_time():
    config = load_pipeline_config(None)
    options = outside_world(config, timeout_seconds=60)
    assert options["timeout_seconds"] == 60 and options["retries"] == 3
    assert options["retry_delay_seconds"] == [30, 60, 120]


@pytest.fixture
def flaky_read(monkeypatch):
    """read_crm that fails with the given errors first, then reads for real; counts its calls."""
    calls: list[float] = []
    failures: list[BaseException] = []

    def read(data, source, known_before=None):
        calls.append(time.perf_counter())
        if failures:
            error = failures.pop(0)
            if isinstance(error, TimeoutError):
                time.sleep(30)  # hangs; the task's timeout must stop it
            raise error
        return read_crm(data, source, known_before)

    monkeypatch.setattr(pipelines.flows, "read_crm", read)
    return calls, failures


def test_a_transient_failure_is_retried(champion_crm, tmp_path, flaky_read):
    calls, failures = flaky_read
    failures += [
        TransientError("the database did not answer"),
        sa.exc.OperationalError("SELECT 1", {}, Exception("connection refused")),
    ]
    failures_seen = list(failures)
    out = tmp_path / "features.parquet"
    notes = []
    with steps.watching(reader=notes.append):
        report = features_flow(
            str(champion_crm.crm), str(out), as_of=AS_OF, config_file=str(champion_crm.config)
        )
    assert len(calls) == 3 and out.exists() and len(report.features) > 0
    assert notes == [
        "read CRM failed (TransientError: the database did not answer); retry 1 of 2",
        f"read CRM failed (OperationalError: {str(failures_seen[1]).splitlines()[0]}); retry 2 of 2",
    ]


def test_a_hung_read_times_out_and_is_retried(champion_crm, tmp_path, flaky_read):
    calls, failures = flaky_read
    failures.append(TimeoutError())  # the fake read sleeps 30 s on this call
    config = write_config(tmp_path / "pipeline.yaml", tmp_path / "out", "  timeouts:\n    read_crm: 2\n")
    out = tmp_path / "features.parquet"
    features_flow(str(champion_crm.crm), str(out), as_of=AS_OF, config_file=str(config))
    assert len(calls) == 2 and calls[1] - calls[0] < 20 and out.exists()


@pytest.mark.parametrize(
    "error",
    [
        ChurnError("--data x: cannot read the database (no such table)"),
        DataContractError([]),
        ValueError("bug"),
    ],
)
def test_a_permanent_failure_is_not_retried(champion_crm, tmp_path, flaky_read, error):
    calls, failures = flaky_read
    failures += [error, error, error]
    with pytest.raises(type(error)):
        features_flow(
            str(champion_crm.crm),
            str(tmp_path / "f.parquet"),
            as_of=AS_OF,
            config_file=str(champion_crm.config),
        )
    assert len(calls) == 1 and not (tmp_path / "f.parquet").exists()


def test_which_errors_are_transient():
    refused = sa.exc.OperationalError(
        "SELECT 1", {}, Exception('connection to server at "db" failed: Connection refused')
    )
    locked = sa.exc.OperationalError("INSERT", {}, Exception("database is locked"))
    no_table = sa.exc.OperationalError("SELECT", {}, Exception("no such table: orders"))
    assert all(
        map(is_transient, [TransientError("x"), SinkUnavailableError("x"), TimeoutError(), refused, locked])
    )
    assert not any(map(is_transient, [ChurnError("x"), NoChampionError("x"), no_table, ValueError(), None]))


@pytest.mark.parametrize(
    ("scheduled", "zone", "night"),
    [
        ("2026-03-10T02:00:00+00:00", "UTC", "2026-03-09"),  # the 02:00 run scores yesterday
        ("2026-03-10T01:30:00+00:00", "Europe/Kyiv", "2026-03-09"),  # 03:30 in Kyiv on the 10th
        ("2026-03-10T01:30:00+00:00", "America/New_York", "2026-03-08"),  # still the 9th there
    ],
)
def test_a_scheduled_run_scores_the_night_before_its_scheduled_day(scheduled, zone, night):
    assert night_to_score(None, zone, datetime.fromisoformat(scheduled)) == pd.Timestamp(night)
    assert night_to_score("2025-09-30", zone, datetime.now(ZoneInfo("UTC"))) == pd.Timestamp("2025-09-30")
    with pytest.raises(ChurnError, match="as_of '30.09.2025': expected a date as YYYY-MM-DD"):
        night_to_score("30.09.2025", zone)
