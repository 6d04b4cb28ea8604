"""The CRM export: refused before anything is written when wrong; files replaced atomically; the
database upsert is keyed, complete and all-or-nothing, on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import os
import signal
import sqlite3
from contextlib import closing
from unittest.mock import patch

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest
import sqlalchemy as sa

import pipelines.export
from features.config import ScoringConfig
from models.scoring import export_columns
from pipelines.export import ExportError, check_export, check_sink, write_export, write_export_sql
from pipelines.score_run import export_scores


def export_rows(ids, as_of="2025-09-30", probability=0.5, scored_at="2025-10-01T02:00:00Z") -> pd.DataFrame:
    """Valid export rows, built by hand so these tests do not depend on a model."""
    n = len(ids)
    probability = np.broadcast_to(np.asarray(probability, dtype=float), (n,)).copy()
    rows = {
        "customer_id": list(ids),
        "as_of": pd.Timestamp(as_of).date(),
        "churn_probability": probability,
        "risk_tier": np.where(probability >= 0.4, "high", "low"),
        "priority_rank": pd.array(range(1, n + 1), dtype="Int64"),
        "expected_annual_value": 1000.0,
        "value_at_risk": probability * 1000.0,
        "activity_share": 0.5,
        "recommended_action": "Call the customer personally this week and agree regular check-ins",
        "preventable": True,
        "model_name": "churn-risk",
        "model_version": "3",
        "scored_at": pd.Timestamp(scored_at),
        "schema_version": "1.0",
    }
    for k in (1, 2, 3):
        rows[f"reason_{k}"] = "indifference" if k == 1 else None
        rows[f"reason_{k}_share"] = 0.5 if k == 1 else np.nan
        rows[f"reason_{k}_label"] = "The seller lost contact / did not care" if k == 1 else None
        rows[f"reason_{k}_detail"] = "no contact from us for 120 days" if k == 1 else None
    return pd.DataFrame(rows)[export_columns()]


def test_valid_rows_pass_and_every_broken_rule_is_named_with_examples():
    good = export_rows(["C1", "C2", "C3"])
    check_export(good)

    nan = good.assign(churn_probability=[0.2, np.nan, 0.3])
    with pytest.raises(ExportError) as error:
        check_export(nan)
    assert str(error.value) == (
        "churn_scores.churn_probability: [required] is empty — 1 of 3 rows, e.g. customer C2: nan; "
        "nothing was written"
    )
    with pytest.raises(ExportError, match=r"churn_probability: \[in_range\] is outside 0 to 1 — 1 of 3 rows"):
        check_export(good.assign(churn_probability=[0.2, 1.5, 0.3]))
    with pytest.raises(ExportError, match=r"customer_id: \[unique\] .* 2 of 3 rows, e.g. customer C1"):
        check_export(good.assign(customer_id=["C1", "C1", "C3"]))
    with pytest.raises(ExportError, match=r"reason_1: \[allowed_values\] .* customer C1: 'weather'"):
        check_export(good.assign(reason_1=["weather", "indifference", "indifference"]))
    with pytest.raises(ExportError, match=r"risk_tier: \[allowed_values\]"):
        check_export(good.assign(risk_tier="urgent"))
    with pytest.raises(ExportError, match=r"priority_rank: \[whole_number\] .* customer C2: 1.5"):
        check_export(good.assign(priority_rank=[1.0, 1.5, 2.0]))
    with pytest.raises(ExportError, match=r"preventable: \[boolean\] is not true or false — 3 of 3 rows"):
        check_export(good.assign(preventable="yes"))
    with pytest.raises(ExportError, match=r"columns .* differ from the schema's"):
        check_export(good.drop(columns="preventable"))


def test_a_bad_export_never_replaces_a_good_one(tmp_path):
    paths = [tmp_path / "scores.csv", tmp_path / "scores.parquet"]
    write_export(export_rows(["C1", "C2"]), paths)
    before = [path.read_bytes() for path in paths]
    with pytest.raises(ExportError):
        write_export(export_rows(["C1", "C2"], probability=[0.1, np.nan]), paths)
    assert [path.read_bytes() for path in paths] == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scores.csv", "scores.parquet"]  # no temp files
    back = pd.read_parquet(paths[1])
    assert back.columns.tolist() == export_columns()
    assert str(back["as_of"].iloc[0]) == "2025-09-30"


def test_csv_and_parquet_hold_the_same_values(tmp_path):
    paths = [tmp_path / "scores.csv", tmp_path / "scores.parquet"]
    write_export(export_rows(["C1", "C2"], scored_at="2025-10-01T02:00:00.123456Z"), paths)
    text = pd.read_csv(paths[0], dtype={"customer_id": str})
    assert text["scored_at"].iloc[0] == "2025-10-01T02:00:00.123456Z"
    assert text["as_of"].iloc[0] == "2025-09-30"
    binary = pd.read_parquet(paths[1])
    assert (pd.to_datetime(text["scored_at"]) == binary["scored_at"]).all()
    # Parquet says which columns are always there, as the JSON Schema does.
    schema = pq.read_schema(paths[1])
    assert not schema.field("customer_id").nullable and not schema.field("churn_probability").nullable
    assert schema.field("reason_1").nullable and schema.field("priority_rank").nullable
    assert (pd.to_datetime(text["as_of"]).dt.date == binary["as_of"]).all()


def test_a_crash_mid_write_leaves_the_previous_file(tmp_path, monkeypatch):
    path = tmp_path / "scores.parquet"
    write_export(export_rows(["C1"]), [path])
    before = path.read_bytes()

    def crash(self, *args, **kwargs):
        raise OSError("disk full")  # the writer has opened its temp file and written the header

    monkeypatch.setattr(pq.ParquetWriter, "write_table", crash)
    with pytest.raises(OSError, match="disk full"):
        write_export(export_rows(["C1", "C2"]), [path])
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["scores.parquet"]


def test_a_sink_that_refuses_the_rows_leaves_the_previous_files_too(tmp_path):
    """Files and table are one export: the files are renamed into place only once the table's
    transaction has committed, so a refusing sink leaves yesterday's files beside yesterday's table."""
    paths = [tmp_path / "scores.csv", tmp_path / "scores.parquet"]
    url = f"sqlite:///{tmp_path / 'crm.db'}"
    assert export_scores(export_rows(["C1", "C2"]), paths, url, "churn_scores") == (paths, (2, 0))
    before = [path.read_bytes() for path in paths]
    table = read_table(url)

    engine = sa.create_engine(url)
    with engine.begin() as connection:  # the CRM's own table of another shape, under the name asked for
        connection.execute(sa.text("CREATE TABLE crm_scores (customer_id TEXT, score REAL)"))
    engine.dispose()
    today = export_rows(["C1", "C2", "C3"], probability=0.9)
    with pytest.raises(ExportError, match=r"table crm_scores exists with columns"):
        export_scores(today, paths, url, "crm_scores")
    assert [path.read_bytes() for path in paths] == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crm.db", "scores.csv", "scores.parquet"]
    pd.testing.assert_frame_equal(read_table(url), table)

    assert export_scores(today, paths, url, "churn_scores") == (paths, (3, 0))  # a sink that takes them
    assert pd.read_csv(paths[0])["customer_id"].tolist() == ["C1", "C2", "C3"]
    assert export_scores(today, [], None, "churn_scores") == ([], None)


def test_a_file_that_cannot_follow_the_committed_table_is_said_plainly(tmp_path, monkeypatch):
    """A path that could never be replaced (a folder) is refused before the sink is touched; a rename
    that fails anyway after the commit says the table holds the night and the files may not."""
    import pipelines.files

    url = f"sqlite:///{tmp_path / 'crm.db'}"
    (tmp_path / "scores.parquet").mkdir()
    with pytest.raises(ExportError, match=r"scores.parquet: is a folder; give a file name ending"):
        export_scores(export_rows(["C1"]), [tmp_path / "scores.csv", tmp_path / "scores.parquet"], url, "t")
    assert not (tmp_path / "crm.db").exists() and not (tmp_path / "scores.csv").exists()

    def refuse(source, target):
        raise PermissionError(13, "Permission denied", str(target))

    monkeypatch.setattr(pipelines.files.os, "replace", refuse)
    with pytest.raises(
        ExportError, match=r"^the table holds this night's rows, but the export files could not"
    ):
        export_scores(export_rows(["C1", "C2"]), [tmp_path / "scores.csv"], url, "churn_scores")
    assert len(read_table(url)) == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crm.db", "scores.parquet"]  # no temp file left


@pytest.fixture
def ctrl_c():
    """Ctrl+C raising KeyboardInterrupt, as in a terminal: a process started in the background (a
    CI job, `make test &`) inherits SIGINT ignored."""
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, before)


@pytest.mark.usefixtures("ctrl_c")
@pytest.mark.parametrize("when", ["after the commit", "between the renames"])
def test_ctrl_c_after_the_commit_waits_until_every_file_is_replaced(tmp_path, monkeypatch, when):
    """An interrupt once the table has committed would leave tonight's table beside last night's
    files (or tonight's CSV beside last night's Parquet): it waits for the renames, then acts."""
    import pipelines.files

    paths = [tmp_path / "scores.csv", tmp_path / "scores.parquet"]
    url = f"sqlite:///{tmp_path / 'crm.db'}"
    export_scores(export_rows(["C1", "C2"]), paths, url, "churn_scores")
    (tmp_path / "scores_report.html").write_text("the report of C1 and C2")  # as the run writes it next
    interrupted = []

    def interrupting(real):
        def call(*args, **kwargs):
            result = real(*args, **kwargs)
            if not interrupted:
                interrupted.append(when)
                os.kill(os.getpid(), signal.SIGINT)  # Ctrl+C, acted on before the next line of Python
            return result

        return call

    if when == "after the commit":  # the export's engine is disposed of once its transaction has committed
        monkeypatch.setattr(sa.Engine, "dispose", interrupting(sa.Engine.dispose))
    else:
        monkeypatch.setattr(pipelines.files.os, "replace", interrupting(os.replace))
    with pytest.raises(KeyboardInterrupt):
        export_scores(export_rows(["C1", "C2", "C3"]), paths, url, "churn_scores")
    assert interrupted == [when]
    assert read_table(url)["customer_id"].tolist() == ["C1", "C2", "C3"]
    assert pd.read_csv(paths[0])["customer_id"].tolist() == ["C1", "C2", "C3"]
    assert pd.read_parquet(paths[1])["customer_id"].tolist() == ["C1", "C2", "C3"]
    # The replaced export's report went with it: stopped before the run wrote its own, no report
    # is better than one of another night beside these files.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crm.db", "scores.csv", "scores.parquet"]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # Ctrl+C acts at once again


@pytest.mark.usefixtures("ctrl_c")
def test_ctrl_c_during_the_upsert_stops_it_and_changes_nothing(tmp_path, monkeypatch):
    """The hold starts only at the commit: the long upsert before it stays interruptible."""
    paths = [tmp_path / "scores.csv"]
    url = f"sqlite:///{tmp_path / 'crm.db'}"
    export_scores(export_rows(["C1", "C2"]), paths, url, "churn_scores")
    (tmp_path / "scores_report.html").write_text("the report of C1 and C2")
    before = paths[0].read_bytes()
    real_records = pipelines.export._records

    def records_then_interrupt(rows):
        os.kill(os.getpid(), signal.SIGINT)
        return real_records(rows)

    monkeypatch.setattr(pipelines.export, "_records", records_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        export_scores(export_rows(["C1", "C2", "C3"]), paths, url, "churn_scores")
    assert read_table(url)["customer_id"].tolist() == ["C1", "C2"]
    assert paths[0].read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["crm.db", "scores.csv", "scores_report.html"]


def read_table(url: str, table: str = "churn_scores") -> pd.DataFrame:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            frame = pd.read_sql(sa.text(f"SELECT * FROM {table} ORDER BY as_of, customer_id"), connection)
    finally:
        engine.dispose()
    return frame


def fail_on_customer(url: str, customer_id: str) -> None:
    """A trigger that makes the database itself refuse one customer's row: a real mid-write failure."""
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.execute(
                sa.text(
                    "CREATE TRIGGER refuse BEFORE INSERT ON churn_scores "
                    f"WHEN NEW.customer_id = '{customer_id}' BEGIN SELECT RAISE(ABORT, 'refused'); END"
                )
            )
        else:
            connection.execute(
                sa.text(
                    "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN "
                    f"IF NEW.customer_id = '{customer_id}' THEN RAISE EXCEPTION 'refused'; END IF; "
                    "RETURN NEW; END $$ LANGUAGE plpgsql"
                )
            )
            connection.execute(
                sa.text(
                    "CREATE TRIGGER refuse BEFORE INSERT ON churn_scores FOR EACH ROW EXECUTE FUNCTION refuse()"
                )
            )
    engine.dispose()


def upsert_behaviour(url: str, monkeypatch) -> None:
    import pipelines.export as export

    monkeypatch.setattr(export, "SQL_BATCH_ROWS", 2)  # several statements in the one transaction
    first = export_rows(["C1", "C2", "C3", "C4", "C5"], probability=0.3)
    assert write_export_sql(first, url, "churn_scores") == (5, 0)
    other_day = export_rows(["C1", "C9"], as_of="2025-10-31", scored_at="2025-11-01T02:00:00Z")
    write_export_sql(other_day, url, "churn_scores")

    # Re-running 2025-09-30: C1-C4 updated in place, C5 (no longer scored) gone, C6 new; no duplicates.
    rerun = export_rows(["C1", "C2", "C3", "C4", "C6"], probability=0.6, scored_at="2025-10-01T05:00:00Z")
    written = write_export_sql(rerun, url, "churn_scores")
    assert written == (5, 1)
    assert written.said("churn_scores", url).endswith(
        "; removed 1 row an earlier run of this day had written, of customers this run did not score"
    )
    table = read_table(url)
    day = table[table["as_of"].astype(str) == "2025-09-30"]
    assert day["customer_id"].tolist() == ["C1", "C2", "C3", "C4", "C6"]
    assert (day["churn_probability"] == 0.6).all() and day["reason_2"].isna().all()
    assert table[table["as_of"].astype(str) == "2025-10-31"]["customer_id"].tolist() == ["C1", "C9"]
    assert len(table) == 7
    # The time a run scored reads as UTC in any client, not as the reader's local time.
    assert pd.Timestamp(day["scored_at"].iloc[0]) == pd.Timestamp("2025-10-01T05:00:00Z")

    # A refusal in the middle of the rows rolls back every row of the run: the table is as it was.
    fail_on_customer(url, "C3")
    with pytest.raises(
        ExportError, match=r"the database refused the rows .*refused.*rolled back, nothing was changed"
    ):
        write_export_sql(export_rows(["C1", "C2", "C3", "C4"], probability=0.9), url, "churn_scores")
    pd.testing.assert_frame_equal(read_table(url), table)


def test_times_written_before_the_zone_was_kept_get_theirs_and_any_zone_is_stored_as_utc(tmp_path):
    """A SQLite sink from before the text said "+00:00" holds bare UTC times: the next write gives them
    their zone, so one column never mixes the two; a time given in another zone is stored in UTC."""
    database = tmp_path / "crm.db"
    url = f"sqlite:///{database}"
    write_export_sql(export_rows(["C1"], as_of="2025-08-31"), url, "churn_scores")
    with closing(sqlite3.connect(database)) as connection, connection:
        connection.execute("UPDATE churn_scores SET scored_at = '2025-09-01 02:00:00.000000'")  # the old text
    kyiv = pd.Timestamp("2025-10-01T05:00:00+03:00")
    write_export_sql(export_rows(["C1"], scored_at=kyiv), url, "churn_scores")
    with closing(sqlite3.connect(database)) as connection:
        stored = connection.execute("SELECT as_of, scored_at FROM churn_scores ORDER BY as_of").fetchall()
    assert stored == [
        ("2025-08-31", "2025-09-01 02:00:00.000000+00:00"),
        ("2025-09-30", "2025-10-01 02:00:00.000000+00:00"),
    ]
    paths = [tmp_path / "scores.csv"]
    write_export(export_rows(["C1"], scored_at=kyiv), paths)
    assert pd.read_csv(paths[0])["scored_at"].iloc[0] == "2025-10-01T02:00:00.000000Z"


def test_an_export_of_no_row_is_written_with_the_schemas_columns(tmp_path):
    paths = [tmp_path / "scores.csv", tmp_path / "scores.parquet"]
    write_export(export_rows(["C1"]).head(0), paths)
    assert pd.read_csv(paths[0]).columns.tolist() == export_columns()
    assert pd.read_parquet(paths[1]).empty


def test_sqlite_upsert_replaces_a_days_rows_and_rolls_back_on_failure(tmp_path, monkeypatch):
    upsert_behaviour(f"sqlite:///{tmp_path / 'crm.db'}", monkeypatch)
    with closing(sqlite3.connect(tmp_path / "crm.db")) as connection:  # SQLite's own date functions read it
        assert connection.execute("SELECT min(datetime(scored_at)) FROM churn_scores").fetchone() == (
            "2025-10-01 05:00:00",
        )


def test_postgres_upsert_replaces_a_days_rows_and_rolls_back_on_failure(postgres_url, monkeypatch):
    upsert_behaviour(postgres_url, monkeypatch)


def test_a_table_of_another_shape_is_not_written_into(tmp_path):
    url = f"sqlite:///{tmp_path / 'crm.db'}"
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.execute(sa.text("CREATE TABLE churn_scores (customer_id TEXT, score REAL)"))
    engine.dispose()
    with pytest.raises(
        ExportError, match=r"table churn_scores exists with columns \['customer_id', 'score'\]"
    ):
        write_export_sql(export_rows(["C1"]), url, "churn_scores")


def test_a_table_with_one_more_column_or_without_a_key_is_refused_by_what_is_wrong(tmp_path):
    """An audit column the CRM added is named, not hidden in a list of 28; a table with the export's
    columns but no key (pandas' to_sql makes one) is told what key the upsert needs, instead of the
    database's "ON CONFLICT clause does not match any PRIMARY KEY or UNIQUE constraint"."""
    url = f"sqlite:///{tmp_path / 'crm.db'}"
    rows = export_rows(["C1"])
    engine = sa.create_engine(url)
    with engine.begin() as connection:
        rows.assign(imported_at="2025-10-01").head(0).to_sql("audited", connection, index=False)
        rows.head(0).to_sql("keyless", connection, index=False)
        rows.head(0).to_sql("indexed", connection, index=False)
        connection.execute(sa.text("CREATE UNIQUE INDEX indexed_key ON indexed (as_of, customer_id)"))
        rows.head(0).to_sql("partial", connection, index=False)  # a partial index is no key ON CONFLICT uses
        connection.execute(
            sa.text(
                "CREATE UNIQUE INDEX partial_key ON partial (customer_id, as_of) WHERE churn_probability > 0"
            )
        )
    engine.dispose()
    with pytest.raises(
        ExportError, match=r"table audited exists with columns .*\(not in the schema: imported_at\)"
    ):
        write_export_sql(rows, url, "audited")
    with pytest.raises(
        ExportError,
        match=r"table keyless exists without a primary key or unique index on \(customer_id, as_of\), which "
        r"the upsert needs .*CREATE UNIQUE INDEX keyless_key ON keyless \(customer_id, as_of\)",
    ):
        write_export_sql(rows, url, "keyless")
    assert read_table(url, "keyless").empty
    with pytest.raises(ExportError, match=r"table partial exists without a primary key or unique index"):
        write_export_sql(rows, url, "partial")
    assert write_export_sql(rows, url, "indexed") == (1, 0)  # a unique index serves as the key


def test_table_names_are_plain_identifiers():
    assert ScoringConfig(table="crm_churn_2025").table == "crm_churn_2025"
    for bad in ("churn; DROP TABLE customers", "1scores", "scores-today", ""):
        with pytest.raises(ValueError):
            ScoringConfig(table=bad)


def test_an_unusable_sink_is_refused_before_any_work():
    with pytest.raises(
        ExportError,
        match=r"^--sink mysql://crm:\*\*\*@db/crm: mysql is not supported; use PostgreSQL or SQLite$",
    ):
        check_sink("mysql://crm:secret@db/crm")
    with pytest.raises(
        ExportError, match=r"^--sink postgresql\+psycopg://churn@127.0.0.1:1/crm: cannot connect \("
    ):
        check_sink("postgresql+psycopg://churn@127.0.0.1:1/crm")
    with pytest.raises(ExportError, match=r"not a SQLAlchemy URL"):
        check_sink("not a url")


def test_infinite_values_and_private_files_are_refused(tmp_path):
    with pytest.raises(
        ExportError, match=r"expected_annual_value: \[in_range\] is outside 0 to inf — 1 of 2"
    ):
        check_export(export_rows(["C1", "C2"]).assign(expected_annual_value=[1.0, np.inf]))
    path = tmp_path / "scores.csv"
    write_export(export_rows(["C1"]), [path])
    assert path.stat().st_mode & 0o044  # the CRM's importer, another user, can read it


def test_a_new_sqlite_sink_is_created_by_the_first_write_only(tmp_path):
    """Checking a sink that does not exist yet creates nothing (a run failing afterwards would leave
    an empty database); its missing folders are made by the write, as --out's are, and a write that
    fails removes again what it made."""
    database = tmp_path / "new" / "folders" / "crm.db"
    url = f"sqlite:///{database}"
    check_sink(url)
    check_sink(f"sqlite:///{tmp_path / 'crm.db'}")
    assert list(tmp_path.iterdir()) == []

    with pytest.raises(ExportError, match=r"probability"):
        write_export_sql(export_rows(["C1"], probability=2.0), url, "churn_scores")
    assert list(tmp_path.iterdir()) == []

    assert write_export_sql(export_rows(["C1"]), url, "churn_scores").rows == 1
    assert read_table(url)["customer_id"].tolist() == ["C1"]

    # Two runs on one new file: the one that fails must not remove what the other committed there.
    other = tmp_path / "other.db"
    with pytest.raises(ExportError, match=r"probability"):
        with patch("pipelines.export._new_sqlite_file", return_value=(other, [])):
            write_export_sql(export_rows(["C2"]), f"sqlite:///{other}", "churn_scores")  # the other run
            write_export_sql(export_rows(["C1"], probability=2.0), f"sqlite:///{other}", "churn_scores")
    assert read_table(f"sqlite:///{other}")["customer_id"].tolist() == ["C2"]


def test_a_sqlite_sink_under_a_file_is_refused_by_name(tmp_path):
    (tmp_path / "scores.csv").write_text("not a folder")
    database = tmp_path / "scores.csv" / "crm.db"
    with pytest.raises(ExportError) as raised:
        check_sink(f"sqlite:///{database}")
    assert str(raised.value) == (
        f"--sink sqlite:///{database}: cannot create {database}: {tmp_path / 'scores.csv'} is a file, not a folder"
    )
