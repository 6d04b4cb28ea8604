"""Scoring in partitions of customers, here and on a real Dask LocalCluster: the same rows as scoring
in memory, one problem report across partitions, Parquet datasets and fsspec URLs, an export that is
published whole or not at all, and a Dask worker killed in the middle of a run."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
import sqlalchemy as sa

from features.build import build_features
from features.config import EngineConfig, PipelineConfig, load_pipeline_config, with_engine
from features.contract import TABLES
from features.errors import ChurnError, DataContractError, Problem
from features.sources import read_crm
from features.validation import load_crm
from pipelines import partitioned
from pipelines.export import ExportError, write_export
from pipelines.files import write_tables
from pipelines.partitioned import REPORT_TOP_ROWS, partition_count, partition_of, score_in_partitions
from pipelines.score_run import load_champion, score_with, scoring_features
from tests.conftest import NOW
from tests.pipelines.conftest import AS_OF
from tests.pipelines.test_cli import _alive, _processes_below, churn

AS_OF_DAY = pd.Timestamp(AS_OF)


@pytest.fixture(scope="module")
def champion(champion_crm):
    return load_champion(load_pipeline_config(champion_crm.config))


@pytest.fixture(scope="module")
def in_memory_rows(champion_crm, champion):
    """The export rows of the whole CRM scored in memory: what every partitioned run must equal."""
    config = load_pipeline_config(champion_crm.config)
    tables = load_crm(str(champion_crm.crm), config, now=NOW).tables
    features = build_features(tables, AS_OF_DAY, config.churn.lookback_days)
    rows = score_with(champion, features, AS_OF_DAY, config, "en", scored_at=NOW)
    return _as_exported(rows)


def _as_exported(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows as a Parquet export gives them back, in customer order."""
    rows = rows.assign(as_of=pd.to_datetime(rows["as_of"]).dt.date)
    return rows.sort_values("customer_id").reset_index(drop=True)


def _settings(champion_crm, tmp_path, **engine) -> PipelineConfig:
    config = load_pipeline_config(champion_crm.config)
    return config.model_copy(
        update={"output_dir": tmp_path / "out", "engine": EngineConfig(**engine, work_dir=tmp_path / "work")}
    )


def _score(data, config, champion, count, out, progress=None):
    return score_in_partitions(
        str(data), AS_OF_DAY, config, champion, "en", count, [out], None, lambda step: None, progress, now=NOW
    )


def _exported(path) -> pd.DataFrame:
    return pd.read_parquet(path).sort_values("customer_id").reset_index(drop=True)


@pytest.mark.parametrize("source", ["parquet", "parquet in this process", "csv", "sqlite"])
def test_partitions_score_exactly_what_scoring_in_memory_does(
    champion_crm, champion, in_memory_rows, tmp_path, source
):
    """The local engine runs partitions side by side in worker processes (by default one per core;
    2 here, whatever the machine), or with `local_workers: 1` one after another in the run's process."""
    data = champion_crm.crm
    tables = {name: pd.read_parquet(champion_crm.crm / f"{name}.parquet") for name in TABLES}
    if source == "csv":  # read in batches as text, parsed per partition
        data = tmp_path / "crm-csv"
        write_tables(tables, data, "csv")
    if source == "sqlite":  # read in batches of rows from the database
        data = f"sqlite:///{tmp_path / 'crm.db'}"
        engine = sa.create_engine(data)
        for name, frame in tables.items():
            frame.to_sql(name, engine, index=False)
        engine.dispose()
    config = _settings(champion_crm, tmp_path, local_workers=1 if source == "parquet in this process" else 2)
    scored = _score(data, config, champion, 3, tmp_path / "scores.parquet")

    exported = _exported(tmp_path / "scores.parquet")
    pd.testing.assert_frame_equal(exported, in_memory_rows, check_exact=False, rtol=1e-12)
    # Priority ranks are over all customers, not per partition: 1..n once each.
    ranks = exported["priority_rank"].dropna().to_numpy()
    assert sorted(ranks) == list(range(1, len(ranks) + 1))
    assert scored.top["priority_rank"].tolist() == list(range(1, REPORT_TOP_ROWS + 1))
    assert len(scored.digest) == len(exported)
    assert not (tmp_path / "work").exists()  # cleaned up, with the folder made for it


def test_every_customer_lands_in_one_stable_partition():
    ids = pd.Series(["C1", "C2", "007", None, "C1"])
    first = partition_of(ids, 4)
    assert first[0] == first[4]
    assert (first >= 0).all() and (first < 4).all()
    # The same partition in any process or run, and for an id written as a number in Parquet.
    assert (
        partition_of(pd.Series([7.0, 12.0]), 4).tolist() == partition_of(pd.Series(["7", "12"]), 4).tolist()
    )
    # A Parquet dictionary column: every batch carries the whole file's dictionary, used or not.
    pa = __import__("pyarrow")
    coded = pa.DictionaryArray.from_arrays(
        pa.array([1, 2, 0, None, 1], pa.int32()), pa.array(["007", "C1", "C2", "C9", "C10"])
    )
    assert partition_of(pa.chunked_array([coded]), 4).tolist() == first.tolist()
    again = subprocess.run(
        [
            sys.executable,
            "-c",
            "import pandas as pd; from pipelines.partitioned import partition_of; "
            "print(partition_of(pd.Series(['C1', 'C2', '007', None, 'C1']), 4).tolist())",
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "PYTHONHASHSEED": "123"},
    )
    assert again.stdout.strip() == str(first.tolist())


def _ten_times(index: int, leave_at: int | None = None, divide_by: int = 1) -> int:
    if index == leave_at:
        os._exit(9)  # as the kernel's out-of-memory killer ends a process: no exception, no cleanup
    return index * 10 // divide_by


def test_local_worker_processes_give_results_in_partition_order_and_a_dead_one_is_one_clear_error():
    engine = partitioned.LocalEngine(workers=2)
    seen = []
    try:
        assert engine.map(_ten_times, range(3), lambda done, total: seen.append((done, total))) == [0, 10, 20]
        assert seen == [(1, 3), (2, 3), (3, 3)]
        with pytest.raises(ChurnError, match=r"a worker process died in _ten_times \(exit code "):
            engine.map(_ten_times, range(3), leave_at=1)
    finally:
        engine.close()
    # An error a partition raises comes back as itself, and stops the run (its workers) without
    # waiting for the rest; one whose class cannot be rebuilt from a pickle comes back as a ChurnError
    # with its words.
    for error, words, function, arguments in [
        (ZeroDivisionError, "division", _ten_times, {"divide_by": 0}),
        (DataContractError, "orders.amount", _refuse, {}),
        (ChurnError, "_Unpicklable: not this one", _refuse, {"picklable": False}),
    ]:
        engine = partitioned.LocalEngine(workers=2)
        try:
            with pytest.raises(error, match=words):
                engine.map(function, range(3), **arguments)
            assert engine.pool is None  # stopped at once
        finally:
            engine.close()


KILLED_RUN = """
import os, sys, time
from pathlib import Path
from pipelines.partitioned import LocalEngine

def note_pid_and_wait(index, folder):
    Path(folder, f"{index}.pid").write_text(str(os.getpid()))
    time.sleep(600)

if __name__ == "__main__":
    LocalEngine(workers=2).map(note_pid_and_wait, range(2), folder=sys.argv[1])
"""


def test_local_workers_start_in_any_folder_and_end_with_a_killed_run(tmp_path):
    """A run in a folder holding a `models/` package of its own: the fork server imported it in
    place of the pipeline's, and every worker failed. Then `kill -9` of the run's process (or the
    out-of-memory killer): its workers, busy with a partition, and the fork server they came from end
    too, rather than wait forever for work that will not come."""
    elsewhere, pids = tmp_path / "elsewhere", tmp_path / "pids"
    (elsewhere / "models").mkdir(parents=True)  # a package of the user's, not ours
    (elsewhere / "models" / "__init__.py").write_text("")
    (elsewhere / "models" / "scoring.py").write_text("SOMETHING_ELSE = 1\n")
    pids.mkdir()
    (tmp_path / "run.py").write_text(KILLED_RUN)
    run = subprocess.Popen([sys.executable, str(tmp_path / "run.py"), str(pids)], cwd=elsewhere)
    below: dict[int, str] = {}
    try:
        deadline = time.monotonic() + 240  # a busy machine: two imports of the pipeline
        while len(list(pids.glob("*.pid"))) < 2:
            assert run.poll() is None and time.monotonic() < deadline, "the workers did not start"
            time.sleep(0.2)
        below = _processes_below(run.pid)
        workers = {int(path.read_text()) for path in pids.glob("*.pid")}
        assert workers <= below.keys() and any("forkserver" in command for command in below.values())
    finally:
        run.kill()
        run.wait()
    deadline = time.monotonic() + 60
    while (
        left := [command for pid, command in below.items() if _alive(pid)]
    ) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert left == []


class _Unpicklable(Exception):
    def __init__(self, words: str, extra: object) -> None:
        super().__init__(words)


def _refuse(index: int, picklable: bool = True) -> None:
    if not picklable:
        raise _Unpicklable("not this one", object())
    raise DataContractError([Problem("orders", "parseable_number", "is not a number", "amount", 1, 10)])


def test_auto_partitions_follow_the_customer_count(champion_crm, tmp_path):
    customers = len(pd.read_parquet(champion_crm.crm / "customers.parquet"))
    one_process = {"local_workers": 1}
    config = _settings(champion_crm, tmp_path, customers_per_partition=customers // 3 + 1, **one_process)
    assert partition_count(str(champion_crm.crm), config) == 3
    config = _settings(champion_crm, tmp_path, customers_per_partition=customers // 3 - 1, **one_process)
    assert partition_count(str(champion_crm.crm), config) == 4
    # Side by side in 2 worker processes: whole rounds of 2 (3 would leave one to run alone).
    config = _settings(champion_crm, tmp_path, customers_per_partition=customers // 3 + 1, local_workers=2)
    assert partition_count(str(champion_crm.crm), config) == 4
    assert partition_count(str(champion_crm.crm), _settings(champion_crm, tmp_path)) == 1
    on_dask = _settings(champion_crm, tmp_path, name="dask", dask_workers=3)
    assert partition_count(str(champion_crm.crm), on_dask) == 6  # two per worker at least
    assert partition_count(str(champion_crm.crm), _settings(champion_crm, tmp_path, partitions=5)) == 5


def _broken_copy(champion_crm, folder):
    """The CRM as CSV with three bad amounts and an unknown referrer, in customers that hash to
    different partitions."""
    tables = {name: pd.read_parquet(champion_crm.crm / f"{name}.parquet") for name in TABLES}
    orders = tables["orders"].astype({"amount": "object"})
    partitions = partition_of(orders["customer_id"], 3)
    bad_rows = [int(np.flatnonzero(partitions == index)[5]) for index in range(3)]
    orders.loc[bad_rows, "amount"] = "twelve"
    tables["orders"] = orders
    customers = tables["customers"].astype({"referred_by": "object"})
    customers.loc[10, "referred_by"] = "NOBODY"
    tables["customers"] = customers
    write_tables(tables, folder, "csv")
    return folder


def test_bad_rows_in_several_partitions_make_the_same_report_as_in_memory(
    champion_crm, champion, in_memory_rows, tmp_path
):
    data = _broken_copy(champion_crm, tmp_path / "broken")
    config = _settings(champion_crm, tmp_path)
    with pytest.raises(DataContractError) as whole:
        load_crm(str(data), config, now=NOW)
    out = tmp_path / "scores.parquet"
    write_export(in_memory_rows, [out])
    before = out.read_bytes()
    with pytest.raises(DataContractError) as in_parts:
        _score(data, config, champion, 3, out)
    # Same rules, same counts, same source rows named (row numbers of the user's files, not a partition's).
    assert str(in_parts.value) == str(whole.value)
    assert "orders.amount: [parseable_number]" in str(in_parts.value)
    assert "customers.referred_by: [known_referrer]" in str(in_parts.value)
    assert out.read_bytes() == before  # the previous export stays
    assert sorted(path.name for path in tmp_path.iterdir() if path.name.startswith(".")) == []


def test_a_misnamed_and_a_repeated_column_make_the_same_report_in_partitions_as_in_memory(
    champion_crm, champion, tmp_path
):
    """The columns a file has are listed in its own names, and a CSV header naming `amount` twice is
    refused, whether the CRM is read whole or in partitions (which read the header on its own)."""
    data = tmp_path / "crm"
    tables = {name: pd.read_parquet(champion_crm.crm / f"{name}.parquet") for name in TABLES}
    tables["contacts"] = tables["contacts"].rename(columns={"contacted_at": "contact_date"})
    write_tables(tables, data, "csv")
    orders = (data / "orders.csv").read_text()
    header, rows = orders.split("\n", 1)
    (data / "orders.csv").write_text(header + ",amount\n" + rows.replace("\n", ",1\n"))
    config = _settings(champion_crm, tmp_path)
    with pytest.raises(DataContractError) as whole:
        load_crm(str(data), config, now=NOW)
    with pytest.raises(DataContractError) as in_parts:
        _score(data, config, champion, 3, tmp_path / "scores.parquet")
    assert str(in_parts.value) == str(whole.value)
    problems = [problem.describe() for problem in in_parts.value.problems]
    assert (
        f"orders.amount: [one_column_per_name] 2 columns are named 'amount' in {data}/orders.csv: keep one"
        in problems
    )
    (missing,) = [problem for problem in problems if problem.startswith("contacts.contacted_at")]
    assert missing.endswith(f"in {data}/contacts.csv; it has: {', '.join(tables['contacts'].columns)}")


def test_a_partition_that_fails_while_exporting_leaves_the_previous_export(tmp_path, in_memory_rows):
    good = in_memory_rows
    paths = [tmp_path / "scores.csv", tmp_path / "scores.parquet"]
    write_export(good, paths)
    before = [path.read_bytes() for path in paths]

    def parts():
        yield good.iloc[:100]
        yield good.iloc[100:200].assign(churn_probability=np.nan)  # the second part is broken

    with pytest.raises(ExportError, match="churn_probability"):
        write_export(parts(), paths)
    assert [path.read_bytes() for path in paths] == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["scores.csv", "scores.parquet"]

    with pytest.raises(ExportError, match=r"customer_id: \[unique\] a customer appears in two parts"):
        write_export(iter([good.iloc[:100], good.iloc[50:150]]), paths)
    assert [path.read_bytes() for path in paths] == before


def test_a_sink_that_refuses_the_rows_leaves_the_previous_export_files(
    champion_crm, champion, tmp_path, in_memory_rows
):
    """Not transient (a table of another shape): no retry, and the files written from the partitions
    are not renamed into place, so yesterday's file stays beside yesterday's table."""
    database = tmp_path / "crm.db"
    engine = sa.create_engine(f"sqlite:///{database}")
    config = _settings(champion_crm, tmp_path)
    with engine.begin() as connection:
        connection.execute(sa.text(f"CREATE TABLE {config.scoring.table} (customer_id TEXT, score REAL)"))
    engine.dispose()
    out = tmp_path / "scores.parquet"
    write_export(in_memory_rows.iloc[:10], [out])
    before = out.read_bytes()
    notes: list[str] = []
    with pytest.raises(ExportError, match=rf"table {config.scoring.table} exists with columns"):
        score_in_partitions(
            str(champion_crm.crm),
            AS_OF_DAY,
            config,
            champion,
            "en",
            2,
            [out],
            f"sqlite:///{database}",
            lambda step: None,
            now=NOW,
            note=notes.append,
        )
    assert notes == []
    assert out.read_bytes() == before
    assert not [path.name for path in tmp_path.iterdir() if path.name.startswith(".")]


def test_a_locked_export_table_is_tried_again_after_the_rows_are_scored(
    champion_crm, champion, tmp_path, in_memory_rows
):
    """A real transient failure: another connection holds the SQLite sink locked, so the upsert
    waits out SQLite's busy timeout and fails; the run notes the retry (which is when the lock is let
    go here), tries the transaction again, and publishes every row once."""
    import sqlite3

    database = tmp_path / "crm.db"
    holder = sqlite3.connect(database, isolation_level=None)
    holder.execute("CREATE TABLE unrelated (x INTEGER)")
    holder.execute("BEGIN EXCLUSIVE")
    notes: list[str] = []

    def note(message: str) -> None:
        notes.append(message)
        holder.execute("COMMIT")  # the lock passes, as a busy database's does

    config = _settings(champion_crm, tmp_path)
    config = config.model_copy(
        update={
            "orchestration": config.orchestration.model_copy(update={"retries": 2, "retry_delay_seconds": 0})
        }
    )
    scored = score_in_partitions(
        str(champion_crm.crm),
        AS_OF_DAY,
        config,
        champion,
        "en",
        2,
        [tmp_path / "scores.parquet"],
        f"sqlite:///{database}",
        lambda step: None,
        now=NOW,
        note=note,
    )
    holder.close()
    assert len(notes) == 1, notes
    assert (
        notes[0].startswith("write export failed (SinkUnavailableError: ")
        and "database is locked" in notes[0]
    )
    assert notes[0].endswith("; retry 1 of 2")
    assert scored.sink_write == (len(in_memory_rows), 0)
    with sa.create_engine(f"sqlite:///{database}").connect() as connection:
        table = config.scoring.table
        rows = connection.execute(sa.text(f"SELECT COUNT(*), COUNT(DISTINCT customer_id) FROM {table}")).one()
    assert tuple(rows) == (len(in_memory_rows), len(in_memory_rows))


def test_parquet_datasets_and_fsspec_urls_are_read_with_pushdown(champion_crm, tmp_path):
    import fsspec

    config = load_pipeline_config(champion_crm.config)
    orders = pd.read_parquet(champion_crm.crm / "orders.parquet")
    # orders as a hive-partitioned dataset (one folder per year) with a column we never read
    folder = tmp_path / "crm"
    folder.mkdir()
    for name in ("customers", "contacts", "complaints", "surveys"):
        (folder / f"{name}.parquet").write_bytes((champion_crm.crm / f"{name}.parquet").read_bytes())
    dataset = orders.assign(year=orders["ordered_at"].dt.year, internal_note="x")
    pq.write_to_dataset(
        __import__("pyarrow").Table.from_pandas(dataset, preserve_index=False),
        folder / "orders",
        partition_cols=["year"],
    )
    cutoff = pd.Timestamp("2025-01-01T00:00:00Z")
    tables, problems = read_crm(str(folder), config.source, known_before=cutoff)
    assert problems == []
    read = tables["orders"].frame
    assert "internal_note" not in read and "year" not in read  # column pushdown
    # filter pushdown: later rows are left in the files (a day's margin), earlier ones all read
    assert read["ordered_at"].max() < cutoff + pd.Timedelta(days=1)
    assert len(read) == (orders["ordered_at"] < cutoff + pd.Timedelta(days=1)).sum()
    everything, _ = read_crm(str(folder), config.source)
    assert len(everything["orders"].frame) == len(orders)

    # The same folder through an fsspec URL (memory://) gives the same tables.
    memory = fsspec.filesystem("memory")
    memory.put(str(folder), "/crm", recursive=True)
    by_url, problems = read_crm("memory://crm", config.source, known_before=cutoff)
    assert problems == []
    pd.testing.assert_frame_equal(
        by_url["orders"].frame.sort_values("order_id").reset_index(drop=True),
        read.sort_values("order_id").reset_index(drop=True),
        check_like=True,
    )


def test_dask_scores_what_scoring_in_memory_does_even_when_a_worker_is_killed_mid_run(
    champion_crm, champion, in_memory_rows, tmp_path
):
    """On a real two-worker LocalCluster: the same rows as scoring in memory (and so as the local
    engine), although a worker busy with a partition is SIGKILLed in the middle of the run."""
    from distributed import default_client

    config = _settings(champion_crm, tmp_path, name="dask", dask_workers=2)
    killed = []

    def kill_a_busy_worker(done, total):
        """On the first partitions finished, SIGKILL a worker process that is running another one."""
        if killed or done == total:
            return
        client = default_client()
        pids = client.run(os.getpid)
        busy = [address for address, keys in client.processing().items() if keys]
        if busy:
            os.kill(pids[busy[0]], signal.SIGKILL)
            killed.append(pids[busy[0]])

    _score(champion_crm.crm, config, champion, 8, tmp_path / "scores.parquet", kill_a_busy_worker)
    assert killed, "no worker was busy to kill"
    with pytest.raises(ProcessLookupError):
        os.kill(killed[0], 0)  # it really died
    pd.testing.assert_frame_equal(_exported(tmp_path / "scores.parquet"), in_memory_rows, rtol=1e-12)


def test_no_dask_scheduler_at_the_address_is_one_line(champion_crm, champion, tmp_path, monkeypatch):
    monkeypatch.setattr(partitioned, "DASK_CONNECT_TIMEOUT", "2s")
    config = _settings(champion_crm, tmp_path, name="dask", dask_address="tcp://127.0.0.1:9")
    with pytest.raises(ChurnError, match=r"--dask-address tcp://127.0.0.1:9: no Dask scheduler answers"):
        _score(champion_crm.crm, config, champion, 2, tmp_path / "scores.parquet")


def test_score_command_in_partitions(champion_crm, tmp_path, in_memory_rows):
    out = tmp_path / "scores.parquet"
    result = churn(
        "score",
        "--data",
        str(champion_crm.crm),
        "--as-of",
        AS_OF,
        "--out",
        str(out),
        "--partitions",
        "3",
        "--config",
        str(champion_crm.config),
    )
    assert result.returncode == 0, result.stderr
    # The partitions ran in worker processes (one per core): nothing of theirs reaches the user's terminal.
    assert "Warning" not in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert f"{len(in_memory_rows):,} customers scored" in result.stdout
    assert "split the CRM into 3 partitions" in result.stdout
    exported = _exported(out).drop(columns="scored_at")
    pd.testing.assert_frame_equal(exported, in_memory_rows.drop(columns="scored_at"), rtol=1e-12)

    bad = churn("score", "--data", str(champion_crm.crm), "--as-of", AS_OF, "--engine", "spark")
    assert bad.returncode != 0
    assert bad.stderr.strip().splitlines() == ["Error: --engine spark: choose one of local, dask"]


def test_two_local_clusters_at_once_start_without_a_warning():
    """A retrain on Dask beside the nightly run on Dask: two LocalClusters on one machine. The
    scheduler's HTTP routes take a free local port, not 8787 twice ("Port 8787 is already in use")."""
    import warnings

    from pipelines.partitioned import DaskEngine

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        first = DaskEngine(None, 1)
        try:
            second = DaskEngine(None, 1)
            try:
                assert second.client.submit(sum, [1, 2]).result() == first.client.submit(sum, [2, 1]).result()
                addresses = [engine.cluster.scheduler.http_server.port for engine in (first, second)]
            finally:
                second.close()
        finally:
            first.close()
    assert addresses[0] != addresses[1] and 8787 not in addresses
    assert not [str(warning.message) for warning in caught if "in use" in str(warning.message)]


def test_xgboost_trains_on_dask_as_well_as_here(champion_crm, tmp_path, capfd):
    """xgboost.dask on a two-worker LocalCluster: a model as good as the one trained here, through
    the same calibration and the same out-of-time test; the workers print nothing of it (XGBoost's
    "got rank" lines are left out), but anything else they write to stderr still shows."""
    import xgboost as xgb

    from features.build import build_training_set
    from models.exit_reasons import stated_exit_reasons, training_weights
    from models.metrics import evaluate
    from models.split import split_out_of_time
    from models.training import LABEL, train_models
    from pipelines.partitioned import DaskEngine

    config = _settings(champion_crm, tmp_path, name="dask", dask_workers=2)
    tables = load_crm(str(champion_crm.crm), config, now=NOW).tables
    split = split_out_of_time(build_training_set(tables, AS_OF, 90, 12), horizon_days=90)
    # Weighted as `churn train` weighs them: the weights travel to the workers with the rows.
    weights = training_weights(split, stated_exit_reasons(tables, AS_OF)).row_weights
    assert (weights != 1).sum() > 100
    here = train_models(split, seed=0, booster_weights=weights)
    capfd.readouterr()
    engine = DaskEngine(None, 2)
    try:
        on_dask = train_models(split, seed=0, fit_booster=engine.fit_booster, booster_weights=weights)
        # The weights count on the workers: churners weighing a twentieth make a booster that
        # predicts far less churn than even weights do.
        names = [column for column in split.train.columns if column != LABEL]
        x, y = split.train[names].iloc[:8_000], split.train[LABEL].to_numpy()[:8_000]
        valid = (split.validation[names], split.validation[LABEL].to_numpy())
        light, _ = engine.fit_booster(x, y, np.where(y == 1, 0.05, 1.0), *valid, 0)
        even, _ = engine.fit_booster(x, y, np.ones(len(y)), *valid, 0)
        engine.client.run(lambda: os.write(2, b"a worker's own message\n"))
    finally:
        engine.close()
    printed = capfd.readouterr()
    assert "got rank" not in printed.err and "Warning" not in printed.err
    assert printed.err.count("a worker's own message") == 2
    assert on_dask.xgboost.booster.num_boosted_rounds() == on_dask.best_iteration + 1
    matrix = xgb.DMatrix(split.validation[names])
    assert light.predict(matrix).mean() < 0.5 * even.predict(matrix).mean()
    churned = split.test[LABEL].to_numpy()
    value = np.ones(len(churned))
    auc_here = evaluate(churned, here.xgboost.predict_proba(split.test), value)["roc_auc"]
    auc_dask = evaluate(churned, on_dask.xgboost.predict_proba(split.test), value)["roc_auc"]
    assert auc_dask > 0.7
    assert abs(auc_dask - auc_here) < 0.02, (auc_here, auc_dask)


def test_the_session_champion_was_trained_on_dask_from_a_training_set_built_there(champion):
    from mlflow import MlflowClient

    client = MlflowClient()
    run_id = client.get_model_version(champion.name, champion.version).run_id
    assert client.get_run(run_id).data.params["engine"] == "dask"
    # Its training set was built in partitions on the cluster: at least two per worker.
    fingerprint = client.download_artifacts(run_id, "input_fingerprint.json")
    assert json.loads(Path(fingerprint).read_text(encoding="utf-8"))["partitions"] == 4


def test_scoring_past_the_end_of_the_data_is_refused_as_in_memory(champion_crm, champion, tmp_path):
    config = _settings(champion_crm, tmp_path)
    late = pd.Timestamp("2026-03-31")
    with pytest.raises(ChurnError) as in_parts:
        score_in_partitions(
            str(champion_crm.crm), late, config, champion, "en", 2, [tmp_path / "s.parquet"], None, print
        )
    tables = load_crm(str(champion_crm.crm), config, now=NOW).tables
    with pytest.raises(ChurnError) as whole:
        scoring_features(tables, late, config)
    assert str(in_parts.value) == str(whole.value)
    assert str(whole.value).startswith(
        "the orders end on 2025-12-31, more than 7 days before --as-of 2026-03-31"
    )
    assert not (tmp_path / "s.parquet").exists()


def test_a_dask_address_alone_means_the_dask_engine():
    config = with_engine(PipelineConfig(), dask_address="tcp://10.0.0.5:8786")
    assert (config.engine.name, config.engine.dask_address) == ("dask", "tcp://10.0.0.5:8786")
    assert with_engine(PipelineConfig(), name="local", partitions=3).engine.name == "local"
    assert with_engine(PipelineConfig()) == PipelineConfig()
