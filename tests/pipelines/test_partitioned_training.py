"""Training on a CRM in partitions of customers: the same training set, fingerprint and feed as building
it from the whole CRM in memory, the same model from `churn train --partitions`, and the same errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from mlflow import MlflowClient

from features.build import build_training_set
from features.config import EngineConfig, PipelineConfig, load_pipeline_config
from features.errors import DataContractError, TrainingDataError
from features.parsing import normalize_ids
from features.validation import load_crm
from models.exit_reasons import training_weights
from models.metrics import evaluate
from models.monitoring import REFERENCE_ARTIFACT, build_reference
from models.registry import CHAMPION
from models.split import split_out_of_time
from models.train_run import TrainingInput, train_and_register
from models.training import LABEL, annual_value, train_models
from pipelines.partitioned import engine_for, partition_of
from pipelines.partitioned_training import assembled_training_set, build_in_partitions, train_in_partitions
from tests.conftest import NOW
from tests.pipelines.conftest import AS_OF
from tests.pipelines.test_cli import churn
from tests.pipelines.test_partitioned import _broken_copy

CUTOFFS = 12  # of the default 24: the test CRM starts in 2023


def _settings(champion_crm, tmp_path, **engine) -> PipelineConfig:
    config = load_pipeline_config(champion_crm.config)
    churn_settings = config.churn.model_copy(update={"training_cutoffs": CUTOFFS})
    return config.model_copy(
        update={
            "output_dir": tmp_path / "out",
            "churn": churn_settings,
            "engine": EngineConfig(**engine, work_dir=tmp_path / "work"),
        }
    )


def _artifact(client: MlflowClient, run_id: str, path: str) -> dict:
    return json.loads(Path(client.download_artifacts(run_id, path)).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def in_memory(champion_crm, tmp_path_factory):
    """The training set and recorded input of the whole CRM in one piece: what partitions must equal."""
    config = _settings(champion_crm, tmp_path_factory.mktemp("whole"))
    tables = load_crm(str(champion_crm.crm), config, now=NOW).tables
    training_set = build_training_set(tables, AS_OF, 90, CUTOFFS)
    return training_set, TrainingInput.of(tables, pd.Timestamp(AS_OF), config.churn.lookback_days)


def _built_in_partitions(data, config, count) -> tuple[pd.DataFrame, TrainingInput]:
    engine = engine_for(config, count)
    try:
        parts, rows, recorded = build_in_partitions(
            str(data), pd.Timestamp(AS_OF), config, count, engine, config.engine.work_dir, now=NOW
        )
    finally:
        engine.close()
    return assembled_training_set(parts, rows), recorded


@pytest.mark.parametrize(
    ("source", "engine"),
    [("parquet", {"local_workers": 2}), ("csv", {"name": "dask"})],
    ids=["parquet-2-workers", "csv-on-dask"],
)
def test_a_training_set_built_in_partitions_is_the_one_built_in_one_piece(
    champion_crm, in_memory, tmp_path, source, engine
):
    """Side by side in 2 worker processes from Parquet, or on a two-worker Dask LocalCluster from CSV
    (one after another in this process: the next test): every value (exactly), column, dtype and the
    row order equal, so training on it is the same to the bit."""
    data = champion_crm.crm
    if source == "csv":
        from pipelines.files import write_tables

        tables = {
            name: pd.read_parquet(data / f"{name}.parquet") for name in in_memory[1].fingerprint["tables"]
        }
        data = tmp_path / "crm"
        write_tables(tables, data, "csv")
    config = _settings(champion_crm, tmp_path, **engine)
    training_set, recorded = _built_in_partitions(data, config, 3)
    whole, whole_input = in_memory
    pd.testing.assert_frame_equal(training_set, whole, check_exact=True)
    # The personal-ties features look across partitions: thousands of rows have a referrer in another
    # partition, whose last purchase came from that partition's shared activity.
    customers = pd.read_parquet(champion_crm.crm / "customers.parquet")
    referrer = customers.set_index(normalize_ids(customers["customer_id"]))["referred_by"]
    referrer = normalize_ids(referrer.reindex(training_set.index.get_level_values("customer_id")))
    named = referrer.notna().to_numpy()
    elsewhere = np.zeros(len(referrer), dtype=bool)
    ids = pd.Series(training_set.index.get_level_values("customer_id"))
    elsewhere[named] = partition_of(ids[named], 3) != partition_of(referrer[named].reset_index(drop=True), 3)
    assert training_set["referrer_days_since_last_order"].to_numpy()[elsewhere].size > 1000
    assert np.isfinite(training_set["referrer_days_since_last_order"].to_numpy()[elsewhere]).sum() > 1000
    assert recorded.feed.as_dict() == whole_input.feed.as_dict()
    assert len(whole_input.stated_exit_reasons) > 100
    pd.testing.assert_frame_equal(recorded.stated_exit_reasons, whole_input.stated_exit_reasons)
    assert recorded.fingerprint["partitions"] == 3
    for name, table in whole_input.fingerprint["tables"].items():
        in_parts = recorded.fingerprint["tables"][name]
        assert {key: in_parts[key] for key in ("rows", "first", "last")} == {
            key: table[key] for key in ("rows", "first", "last")
        }


def test_early_cutoffs_with_nobody_yet_give_the_same_training_set(champion_crm, tmp_path):
    """16 cutoffs as of 2024-03-31 on a CRM whose orders start in January 2023: the oldest cutoffs
    have no customer, in every partition; the rest equal the training set built in one piece. Built
    one after another in this process (`local_workers: 1`)."""
    config = _settings(champion_crm, tmp_path, local_workers=1)
    config = config.model_copy(update={"churn": config.churn.model_copy(update={"training_cutoffs": 16})})
    engine = engine_for(config, 3)
    try:
        parts, rows, _ = build_in_partitions(
            str(champion_crm.crm),
            pd.Timestamp("2024-03-31"),
            config,
            3,
            engine,
            config.engine.work_dir,
            now=NOW,
        )
    finally:
        engine.close()
    training_set = assembled_training_set(parts, rows)
    tables = load_crm(str(champion_crm.crm), config, now=NOW).tables
    whole = build_training_set(tables, "2024-03-31", 90, 16)
    assert whole.index.get_level_values("cutoff").min() > pd.Timestamp("2022-12-31")  # 2022's: nobody
    pd.testing.assert_frame_equal(training_set, whole, check_exact=True)


def test_churn_train_in_partitions_registers_the_model_trained_in_one_piece(
    champion_crm, in_memory, tmp_path
):
    """`churn train --partitions 3` (2 worker processes) and the same training on the training set built
    in one piece, weighted by the exit reasons stated in one piece: the same metrics and the same
    monitoring reference, bit for bit."""
    config_file = tmp_path / "pipeline.yaml"
    config_file.write_text(
        f"output_dir: {tmp_path / 'out'}\nchurn:\n  training_cutoffs: {CUTOFFS}\n"
        f"engine:\n  local_workers: 2\n  work_dir: {tmp_path / 'work'}\n",
        encoding="utf-8",
    )
    result = churn(
        "train",
        "--data",
        str(champion_crm.crm),
        "--as-of",
        AS_OF,
        "--partitions",
        "3",
        "--config",
        str(config_file),
    )
    assert result.returncode == 0, result.stderr
    assert "Warning" not in result.stderr and "Traceback" not in result.stderr
    assert "build the training set (12 month-end cutoffs) in 3 partitions" in result.stdout
    assert not (tmp_path / "work").exists()  # the work folder is removed, and the folder made for it

    config = load_pipeline_config(config_file)
    client = MlflowClient(f"sqlite:///{(tmp_path / 'out' / 'mlflow.db').resolve()}")
    version = client.get_model_version_by_alias("churn-risk", CHAMPION)
    run = client.get_run(version.run_id)
    in_parts_reference = _artifact(client, run.info.run_id, REFERENCE_ARTIFACT)
    fingerprint = _artifact(client, run.info.run_id, "input_fingerprint.json")
    assert fingerprint["partitions"] == 3

    whole, whole_input = in_memory
    split = split_out_of_time(whole, config.churn.horizon_days)
    weights = training_weights(split, whole_input.stated_exit_reasons)
    assert run.data.params["exit_reasons.weighted_rows"] == str(weights.weighted_row_count)
    models = train_models(split, seed=config.training.seed, booster_weights=weights.row_weights)
    churned, value = split.test[LABEL].to_numpy(), annual_value(split.test)
    for model, trained in models.by_name().items():
        for metric, value_here in evaluate(churned, trained.predict_proba(split.test), value).items():
            assert run.data.metrics[f"{model}.{metric}"] == pytest.approx(value_here, rel=1e-12, abs=1e-12)
    reference = build_reference(models.xgboost, split.test, whole_input.feed, pd.Timestamp(AS_OF))
    assert in_parts_reference == json.loads(json.dumps(reference))
    assert {name: table["rows"] for name, table in fingerprint["tables"].items()} == {
        name: table["rows"] for name, table in whole_input.fingerprint["tables"].items()
    }


def test_bad_rows_and_short_data_stop_training_in_partitions_as_in_memory(champion_crm, tmp_path):
    config = _settings(champion_crm, tmp_path, local_workers=1)
    broken = _broken_copy(champion_crm, tmp_path / "broken")
    with pytest.raises(DataContractError) as whole:
        load_crm(str(broken), config, now=NOW)
    with pytest.raises(DataContractError) as in_parts:
        train_in_partitions(str(broken), AS_OF, config, 3)
    assert str(in_parts.value) == str(whole.value)
    assert not (tmp_path / "work").exists()  # the run's work folder is removed

    late = "2026-03-31"
    tables = load_crm(str(champion_crm.crm), config, now=NOW).tables
    with pytest.raises(TrainingDataError) as whole_late:
        train_and_register(tables, late, config)
    with pytest.raises(TrainingDataError) as late_in_parts:
        train_in_partitions(str(champion_crm.crm), late, config, 3)
    assert str(late_in_parts.value) == str(whole_late.value)
    assert str(whole_late.value).startswith("the orders end on 2025-12-31")
    assert not (tmp_path / "work").exists()
    assert (
        not (config.output_dir / "mlflow.db").exists()
        or not MlflowClient(
            f"sqlite:///{(config.output_dir / 'mlflow.db').resolve()}"
        ).search_registered_models()
    )


def test_the_dask_workers_stderr_filter_drops_only_xgboost_rank_announcements():
    """The filter process a LocalCluster worker's stderr goes through, on what a worker writes."""
    import subprocess
    import sys

    from pipelines.dask_workers import _FILTER

    written = (
        b"[05:57:29] Task [xgboost.dask-1]:tcp://127.0.0.1:36799 got rank 1\n"
        b"Traceback (most recent call last): a worker's own error\n"
        b"[05:57:29] Task [xgboost.dask-0]:tcp://127.0.0.1:38971 got rank 0\n"
        b"the last line before a crash, with no newline"
    )
    shown = subprocess.run([sys.executable, "-c", _FILTER], input=written, capture_output=True, check=True)
    assert shown.stdout == (
        b"Traceback (most recent call last): a worker's own error\n"
        b"the last line before a crash, with no newline"
    )
