"""Monitoring and reports in real scoring runs (the session's Prefect server and champion): a broken
feed stops the night before anything is published, drift warns in the summary, MLflow and the report,
a partitioned night is checked like a whole one, and the reports render in a real Chromium."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from mlflow import MlflowClient

from features.config import load_report_labels
from models.registry import use_tracking
from pipelines.flows import score_flow
from tests.pipelines.conftest import AS_OF
from tests.pipelines.test_cli import churn


def _copy(crm: Path, folder: Path) -> Path:
    shutil.copytree(crm, folder)
    return folder


def _outputs(folder: Path) -> list[Path]:
    return [folder / "scores.csv", folder / "scores.parquet"]


def _scoring_runs(output: Path, source: Path) -> list:
    use_tracking(output)
    client = MlflowClient()
    experiment = client.get_experiment_by_name("churn-risk-scoring")
    runs = client.search_runs([experiment.experiment_id], order_by=["attributes.start_time ASC"])
    return [run for run in runs if run.data.tags.get("churn.data") == str(source.resolve())]


@pytest.fixture(scope="module")
def scored_night(champion_crm, tmp_path_factory):
    """A copy of the champion's CRM scored once, in memory: (crm folder, outputs folder, ScoreReport)."""
    folder = tmp_path_factory.mktemp("night")
    crm = _copy(champion_crm.crm, folder / "crm")
    state = score_flow(
        str(crm),
        AS_OF,
        out=[str(path) for path in _outputs(folder)],
        config_file=str(champion_crm.config),
        return_state=True,
    )
    assert state.is_completed(), state.message
    return crm, folder, state.result()


def test_a_feed_missing_half_its_orders_fails_the_night_and_keeps_the_previous_export(champion_crm, tmp_path):
    crm = _copy(champion_crm.crm, tmp_path / "crm")
    paths = _outputs(tmp_path)
    report_file = tmp_path / "scores_report.html"
    out = [arg for path in paths for arg in ("--out", str(path))]
    score = ("score", "--data", str(crm), "--as-of", AS_OF, *out, "--config", str(champion_crm.config))
    first = churn(*score)
    assert first.returncode == 0, first.stderr
    assert "Monitoring: all" in first.stdout and f"Report: {report_file}" in first.stdout
    # Its first night on this folder: nothing to compare the rows with, and it says so.
    assert (
        "Monitoring: rows per table not compared: no published run has scored this data source for"
        in " ".join(first.stdout.split())
    )
    published = {path: path.read_bytes() for path in [*paths, report_file]}

    orders = pd.read_parquet(crm / "orders.parquet")
    orders.sample(frac=0.5, random_state=1).sort_index().to_parquet(crm / "orders.parquet", index=False)
    broken = churn(*score)

    assert broken.returncode == 1
    error = broken.stderr.strip().splitlines()[-1]
    assert error.startswith("Error: monitoring stopped the run before publishing: orders:"), broken.stderr
    assert "fewer than the last run (" in error
    assert "rows per table not compared" not in broken.stdout
    assert "the previous export is unchanged" in error
    assert "Traceback" not in broken.stderr + broken.stdout
    assert {path: path.read_bytes() for path in published} == published  # the CRM keeps last night's rows
    assert not list(tmp_path.glob(".scores*.tmp"))

    runs = _scoring_runs(champion_crm.output, crm)
    assert f"the checks and their report are in MLflow run {runs[-1].info.run_id}" in error
    assert [run.info.status for run in runs] == ["FINISHED", "FAILED"]
    assert [run.data.tags["churn.published"] for run in runs] == ["true", "false"]
    assert runs[1].data.tags["monitoring.status"] == "fail"
    assert runs[1].data.metrics["feed.rows.orders"] < 0.6 * runs[0].data.metrics["feed.rows.orders"]
    # The failed night is no baseline: the next night is compared with the published one.
    artifacts = {item.path for item in MlflowClient().list_artifacts(runs[1].info.run_id)}
    assert {"monitoring.json", "report.html"} <= artifacts


def test_the_row_baseline_is_the_latest_run_of_each_recent_night(tmp_path):
    """Backfills and reruns: the baseline is the last nights before this one, newest first, each
    by its latest run, however the runs were started."""
    import mlflow

    from features.config import PipelineConfig
    from pipelines.score_run import previous_feed_rows, scoring_experiment

    config = PipelineConfig(output_dir=tmp_path)
    use_tracking(tmp_path)
    experiment = mlflow.create_experiment(scoring_experiment(config))
    source = "/data/crm"
    started = [  # (night, orders, published, source), in the order the runs were started
        ("2025-09-28", 900, "true", source),
        ("2025-09-29", 1000, "true", source),
        ("2025-09-30", 1100, "true", source),
        ("2025-09-30", 1150, "true", source),  # a rerun of the night: it stands for the night
        ("2025-09-02", 300, "true", source),  # a backfill, started last
        ("2025-09-29", 10, "false", source),  # stopped by monitoring: no baseline
        ("2025-09-29", 5000, "true", "/other/crm"),
        ("2025-10-02", 1300, "true", source),  # after the night asked about
    ]
    for night, orders, published, data in started:
        with mlflow.start_run(experiment_id=experiment):
            mlflow.set_tags({"churn.as_of": night, "churn.published": published, "churn.data": data})
            mlflow.log_metric("feed.rows.orders", orders)
    baseline = previous_feed_rows(config, source, pd.Timestamp("2025-10-01"))
    assert [rows["orders"] for rows in baseline] == [1150, 1000, 900, 300]
    limited = PipelineConfig(output_dir=tmp_path, monitoring={"previous_runs": 2})
    assert [rows["orders"] for rows in previous_feed_rows(limited, source, pd.Timestamp("2025-10-01"))] == [
        1150,
        1000,
    ]


def test_a_published_night_that_mlflow_does_not_record_stays_published(champion_crm, tmp_path, monkeypatch):
    import pipelines.score_run

    def unreachable(*args, **kwargs):
        raise ConnectionError("the tracking server went away")

    # Recording the night is the first step to need the scoring experiment.
    monkeypatch.setattr(pipelines.score_run, "experiment_id", unreachable)
    crm = _copy(champion_crm.crm, tmp_path / "crm")
    config = tmp_path / "pipeline.yaml"
    config.write_text(
        champion_crm.config.read_text(encoding="utf-8").replace("retries: 2", "retries: 0"), encoding="utf-8"
    )
    state = score_flow(
        str(crm),
        AS_OF,
        out=[str(path) for path in _outputs(tmp_path)],
        config_file=str(config),
        return_state=True,
    )
    assert state.is_completed(), state.message
    report = state.result()
    assert report.run_id is None and "ConnectionError: the tracking server went away" in report.not_recorded
    assert all(path.exists() for path in _outputs(tmp_path)) and report.report_file.exists()
    from tests.pipelines.conftest import artifacts_of

    summary = artifacts_of(str(state.state_details.flow_run_id))["churn-scores"]
    assert "not recorded in MLflow (ConnectionError: the tracking server went away)" in summary


def test_drift_warns_in_the_summary_mlflow_and_the_report_in_the_runs_language(champion_crm, tmp_path):
    crm = _copy(champion_crm.crm, tmp_path / "crm")
    orders = pd.read_parquet(crm / "orders.parquet")
    orders.assign(amount=orders["amount"] * 3).to_parquet(crm / "orders.parquet", index=False)
    state = score_flow(
        str(crm),
        AS_OF,
        out=[str(path) for path in _outputs(tmp_path)],
        lang="uk",
        config_file=str(champion_crm.config),
        return_state=True,
    )
    assert state.is_completed(), state.message  # drift warns by default: the night is published
    report = state.result()
    moved = {check.name for check in report.monitoring.warned}
    assert {"feature.spend_365d", "feature.avg_order_value"} <= moved, moved
    assert "feature.orders_365d" not in moved and "feature.days_since_last_order" not in moved
    assert all(path.exists() for path in _outputs(tmp_path))

    from tests.pipelines.conftest import artifacts_of

    summary = artifacts_of(str(state.state_details.flow_run_id))["churn-scores"]
    assert "| feature.spend_365d | warn |" in summary

    (run,) = _scoring_runs(champion_crm.output, crm)
    assert run.data.tags["monitoring.status"] == "warn" and run.data.tags["churn.published"] == "true"
    assert run.data.metrics["psi.spend_365d"] > 0.25 > run.data.metrics["psi.orders_365d"]
    assert run.info.run_id == report.run_id

    html = report.report_file.read_text(encoding="utf-8")
    assert report.report_file == tmp_path / "scores_report.html"
    words = load_report_labels("uk")
    assert "Ризик відтоку станом на 2025-09-30" in html and "Churn risk as of" not in html
    assert words["drift"] in html and words["warn"] in html
    logged = MlflowClient().download_artifacts(run.info.run_id, "report.html", str(tmp_path))
    assert Path(logged).read_text(encoding="utf-8") == html


def test_a_partitioned_night_is_checked_like_a_whole_one(champion_crm, scored_night, tmp_path):
    crm, _, whole = scored_night
    state = score_flow(
        str(crm),
        AS_OF,
        out=[str(path) for path in _outputs(tmp_path)],
        partitions=3,
        config_file=str(champion_crm.config),
        return_state=True,
    )
    assert state.is_completed(), state.message
    parts = state.result().monitoring
    assert parts.feed == whole.monitoring.feed
    assert list(parts.psi) == list(whole.monitoring.psi)
    np.testing.assert_allclose(list(parts.psi.values()), list(whole.monitoring.psi.values()), rtol=1e-12)
    assert [(c.name, c.status) for c in parts.checks] == [(c.name, c.status) for c in whole.monitoring.checks]
    assert parts.baseline_runs == 1  # the whole night before it, on the same data


# --- the reports in a real browser ---------------------------------------------------------------------


def _chromium() -> str:
    for candidate in ("/usr/lib/chromium/chromium", shutil.which("chromium") or ""):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    message = "Chromium not found; install Debian's chromium package (apt-get install chromium)"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    executable = _chromium()
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=["--log-level=3"])
        yield launched
        launched.close()


BROKEN_IMAGES = "Array.from(document.images).filter(i => !(i.complete && i.naturalWidth > 0)).map(i => i.alt)"


def _open(browser, html: Path, screenshot: Path) -> dict:
    page = browser.new_page(viewport={"width": 1200, "height": 900})
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error: {error.message}"))
    page.on(
        "console", lambda message: message.type == "error" and problems.append(f"console: {message.text}")
    )
    page.on("requestfailed", lambda request: problems.append(f"request failed: {request.url}"))
    page.goto(html.resolve().as_uri(), wait_until="load")
    seen = {
        "problems": problems,
        "broken_images": page.evaluate(BROKEN_IMAGES),
        "images": page.evaluate("document.images.length"),
        "tables": page.locator("table").count(),
        "table_rows": page.locator("tbody tr").count(),
        "title": page.title(),
    }
    page.screenshot(path=str(screenshot), full_page=True)
    page.close()
    return seen


def test_the_scoring_report_renders_in_chromium(scored_night, browser, tmp_path):
    # scored_night first: once the browser runs, this thread has an event loop, and Prefect would hand
    # back a coroutine for the result.
    _, _, report = scored_night
    seen = _open(browser, report.report_file, tmp_path / "scoring.png")
    assert seen["problems"] == [] and seen["broken_images"] == []
    assert seen["images"] >= 4  # tiers, value by reason, reason mix, PSI
    assert seen["tables"] >= 6 and seen["table_rows"] > 25
    assert seen["title"] == "Churn risk as of 2025-09-30"
    assert (tmp_path / "scoring.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert (tmp_path / "scoring.png").stat().st_size > 50_000  # a page, not a blank


def test_the_training_report_renders_in_chromium(browser, champion_crm, tmp_path):
    (training,) = sorted((champion_crm.output / "reports").glob("training_churn-risk_v1.html"))
    seen = _open(browser, training, tmp_path / "training.png")
    assert seen["problems"] == [] and seen["broken_images"] == []
    assert seen["images"] == 5  # ROC, precision-recall, calibration, lift, SHAP by reason
    assert seen["tables"] >= 3  # comparison, top features per reason, the model card's metrics
    assert seen["title"] == "Training report: churn-risk version 1"
    html = training.read_text(encoding="utf-8")
    assert "http://" not in html and "https://" not in html  # self-contained
    for model in ("xgboost", "logistic", "recency"):
        assert f"<td>{model}</td>" in html
    assert (tmp_path / "training.png").stat().st_size > 50_000
