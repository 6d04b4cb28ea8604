"""The CRM export: checked against its schema, then written to files and/or a database table.

Nothing is written before the whole frame passes the checks, so a bad run never replaces a good
export. Files go through a temp file and a rename (`pipelines.files.replaced_atomically`); the database
write is one transaction: upsert on (customer_id, as_of), then removal of that day's rows that this
run did not score, so re-running a date leaves exactly its rows, and a failure leaves the table as
it was. With both, the files are renamed into place only after the transaction commits
(`staged_export_files`), so a sink that fails leaves the old files too.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager, suppress
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import SQLAlchemyError

from features.errors import ChurnError, TransientError, is_transient_database_error
from features.sources import async_driver_advice, postgres_url_advice, sqlite_file, url_without_password
from models.scoring import export_columns, export_schema
from pipelines.files import missing_folders, remove_empty_folders, replaced_atomically
from pipelines.interrupts import HeldInterrupts

EXPORT_NAME = "churn_scores"
EXAMPLES = 3
# Rows per INSERT statement: large enough to be fast, small enough for every driver's parameter limit.
SQL_BATCH_ROWS = 1_000


class ExportError(ChurnError):
    """The rows to export break the export schema, or the sink refused them."""


class SinkUnavailableError(ExportError, TransientError):
    """The sink database did not answer (down, locked, timed out): a later try may succeed."""


def _plural(count: int) -> str:
    return "" if count == 1 else "s"


class SinkWrite(NamedTuple):
    """What one run did to the export table."""

    rows: int  # upserted: this run's customers
    removed: int  # rows of the same day from an earlier run, of customers this run did not score

    def said(self, table: str, url: str) -> str:
        where = f"table {table} at {url_without_password(url)}"
        line = f"Upserted {self.rows:,} row{_plural(self.rows)} into {where}"
        if self.removed:
            line += (
                f"; removed {self.removed:,} row{_plural(self.removed)} an earlier run of this "
                "day had written, of customers this run did not score"
            )
        return line


def _kinds(rule: dict) -> list[str]:
    """A schema property's JSON types, as a list ("null" among them: the column may be empty)."""
    return rule["type"] if isinstance(rule["type"], list) else [rule["type"]]


def check_export(rows: pd.DataFrame) -> None:
    """Refuse rows that break `configs/crm_export.schema.json`, naming column, rule and examples."""
    schema = export_schema()
    if list(rows.columns) != export_columns():
        raise ExportError(
            f"{EXPORT_NAME}: columns {list(rows.columns)} differ from the schema's {export_columns()}"
        )
    repeated = rows.duplicated(["customer_id", "as_of"], keep=False).to_numpy()
    if repeated.any():
        raise ExportError(
            _problem("customer_id", "unique", "appears more than once for one as_of", rows, repeated)
        )
    for column, rule in schema["properties"].items():
        values = rows[column]
        kinds = _kinds(rule)
        empty = values.isna().to_numpy()
        if "null" not in kinds and empty.any():
            raise ExportError(_problem(column, "required", "is empty", rows, empty))
        present = ~empty
        if "number" in kinds or "integer" in kinds:
            numbers = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float)
            low, high = rule.get("minimum", -np.inf), rule.get("maximum", np.inf)
            outside = present & ~((numbers >= low) & (numbers <= high) & np.isfinite(numbers))
            if outside.any():
                raise ExportError(_problem(column, "in_range", f"is outside {low} to {high}", rows, outside))
            if "integer" in kinds and (fraction := present & (numbers % 1 != 0)).any():
                raise ExportError(_problem(column, "whole_number", "is not a whole number", rows, fraction))
        if "boolean" in kinds and values.dtype != bool:
            not_boolean = present & ~values.map(lambda value: isinstance(value, (bool, np.bool_))).to_numpy(
                bool
            )
            if not_boolean.any():
                raise ExportError(_problem(column, "boolean", "is not true or false", rows, not_boolean))
        allowed = rule.get("enum") or ([rule["const"]] if "const" in rule else None)
        if allowed is not None:
            unknown = present & ~values.isin([value for value in allowed if value is not None]).to_numpy()
            if unknown.any():
                raise ExportError(
                    _problem(column, "allowed_values", f"is not one of {allowed}", rows, unknown)
                )
        if rule.get("minLength"):
            blank = present & (values.astype(str).str.len() < rule["minLength"]).to_numpy()
            if blank.any():
                raise ExportError(_problem(column, "not_blank", "is blank", rows, blank))


def _problem(column: str, rule: str, what: str, rows: pd.DataFrame, mask) -> str:
    mask = np.asarray(mask, dtype=bool)
    shown = rows.loc[mask, ["customer_id", column]].head(EXAMPLES)
    examples = "; ".join(
        f"customer {row.customer_id}: {getattr(row, column)!r}" for row in shown.itertuples()
    )
    return (
        f"{EXPORT_NAME}.{column}: [{rule}] {what} — {int(mask.sum()):,} of {len(rows):,} rows, "
        f"e.g. {examples}; nothing was written"
    )


EXPORT_FILE_TYPES = (".csv", ".parquet")


def check_export_paths(paths: list[Path]) -> None:
    """Refuse, before anything is written, an export file that could not replace the old one: the
    files are renamed into place after the sink's transaction commits, and a rename that failed then
    would leave the table and the files holding different nights. A file given twice is refused too:
    it would be written and reported twice."""
    given: dict[str, Path] = {}
    for path in map(Path, paths):
        same = given.setdefault(os.path.normpath(path.absolute()), path)
        if same is not path:
            raise ExportError(f"--out {path}: the same file as --out {same}; give each file once")
        if path.suffix.lower() not in EXPORT_FILE_TYPES:
            raise ExportError(f"--out {path}: use a .csv or .parquet file name")
        if path.is_dir():
            raise ExportError(f"--out {path}: is a folder; give a file name ending .csv or .parquet")
        folder = next(parent for parent in path.absolute().parents if parent.exists())
        if not os.access(folder, os.W_OK | os.X_OK):
            raise ExportError(f"--out {path}: cannot write in {folder}")


def report_path(export_paths: list[Path]) -> Path:
    """The HTML report goes next to the export: churn_scores_2025-09-30_report.html."""
    first = Path(export_paths[0])
    return first.with_name(f"{first.stem}_report.html")


def write_export(
    rows: pd.DataFrame | Iterable[pd.DataFrame],
    paths: list[Path],
    upsert: Callable[[HeldInterrupts], SinkWrite] | None = None,
) -> tuple[list[Path], SinkWrite | None]:
    """The export files and table as one: the checked rows are written to temp files, `upsert` (the
    table's transaction, returning what it wrote; none: files only) runs, and only then do the
    files replace the old ones, all atomically. Returns (files, what the upsert wrote).

    The replaced export's HTML report (`report_path`) goes with the renames: a run stopped before it
    writes its own leaves none beside the new files, never one of another night.

    `upsert` is handed the interrupt hold and starts it just before its commit (`write_export_sql`):
    from there to the last rename, Ctrl+C, SIGTERM or a step's timeout waits, then acts
    (`pipelines.interrupts`).
    """
    held = HeldInterrupts()
    committed = False
    try:
        with staged_export_files(rows, paths) as files:
            sink_write = upsert(held) if upsert is not None else None
            committed = upsert is not None
            held.hold()  # the renames: every file or none (already held where a table committed)
        if paths:
            with suppress(OSError):  # the export is in: a report that cannot go is no failure of it
                report_path(paths).unlink(missing_ok=True)
    except OSError as error:
        if not committed:
            raise
        # Only a rename can fail here, and the paths were checked: a disk or permission change mid-run.
        raise ExportError(
            f"the table holds this night's rows, but the export files could not all be replaced ({error}); "
            "run the night again to bring them in line"
        ) from error
    finally:
        held.release()
    return files, sink_write


@contextmanager
def staged_export_files(
    rows: pd.DataFrame | Iterable[pd.DataFrame], paths: list[Path]
) -> Iterator[list[Path]]:
    """The checked rows written to temp files beside each path (.csv or .parquet); they replace the
    old files when the block succeeds, and are removed if it fails.

    So the database write can go inside the block: a sink that refuses the rows leaves yesterday's
    files beside yesterday's table, not today's files beside yesterday's table.
    `rows` may be one frame or parts of it (a partitioned run's, one at a time: memory follows the
    part). Each part is checked before it is written to the temp files, customer ids are checked
    unique across parts, and the files replace the old ones only once every part is in.
    """
    paths = [Path(path) for path in paths]
    if not paths:
        yield []
        return
    check_export_paths(paths)
    with replaced_atomically(paths) as temp_names:
        _write_parts(rows, paths, temp_names)
        yield paths


def _write_parts(
    rows: pd.DataFrame | Iterable[pd.DataFrame], paths: list[Path], temp_names: list[str]
) -> None:
    parts = [rows] if isinstance(rows, pd.DataFrame) else rows
    writers: list[tuple[pq.ParquetWriter | pa_csv.CSVWriter, pa.Schema]] = []
    id_hashes = []
    try:
        for part in parts:
            check_export(part)
            id_hashes.append(pd.util.hash_array(part["customer_id"].to_numpy(dtype=object)))
            for number, (path, temp_name) in enumerate(zip(paths, temp_names, strict=True)):
                table = _required_marked(pa.Table.from_pandas(_as_written(part, path), preserve_index=False))
                if len(writers) <= number:
                    writer = pa_csv.CSVWriter if path.suffix.lower() == ".csv" else pq.ParquetWriter
                    writers.append((writer(temp_name, table.schema), table.schema))
                writer, schema = writers[number]
                writer.write_table(table.cast(schema))
        _check_unique_across_parts(id_hashes)
        if not writers:  # no part at all: files with the schema's columns and no row
            for path, temp_name in zip(paths, temp_names, strict=True):
                empty = pd.DataFrame(columns=export_columns())
                write = empty.to_csv if path.suffix.lower() == ".csv" else empty.to_parquet
                write(temp_name, index=False)
    finally:
        for writer, _ in writers:
            writer.close()


def _required_marked(table: pa.Table) -> pa.Table:
    """The schema's required columns as required (not nullable) fields: a Parquet reader sees which
    columns are always there, as the JSON Schema says (the rows were checked: none is empty)."""
    optional = {name for name, rule in export_schema()["properties"].items() if "null" in _kinds(rule)}
    # A column of no row has no type (null), which Parquet cannot hold as required.
    fields = [
        field.with_nullable(field.name in optional or pa.types.is_null(field.type)) for field in table.schema
    ]
    return table.cast(pa.schema(fields, metadata=table.schema.metadata))


def _as_written(rows: pd.DataFrame, path: Path) -> pd.DataFrame:
    if path.suffix.lower() == ".csv":
        # ISO 8601 text, the same in every CRM's importer: 2025-09-30, 2025-10-01T02:00:00.123456Z;
        # microseconds as in Parquet and the table, so two runs in one second stay two runs.
        return rows.assign(
            as_of=pd.to_datetime(rows["as_of"]).dt.strftime("%Y-%m-%d"),
            scored_at=rows["scored_at"].dt.tz_convert("UTC").dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        )
    return rows.assign(as_of=pd.to_datetime(rows["as_of"]).dt.date)


def _check_unique_across_parts(id_hashes: list[np.ndarray]) -> None:
    if len(id_hashes) < 2:
        return  # one part: check_export has seen every row
    hashes = np.concatenate(id_hashes)
    if len(np.unique(hashes)) != len(hashes):
        raise ExportError(
            f"{EXPORT_NAME}.customer_id: [unique] a customer appears in two parts; nothing was written"
        )


# SQLite has no time zone type and SQLAlchemy's default text drops the zone ("2025-10-01 02:00:00"),
# which a CRM reads as its local time; the rows are in UTC (models.scoring), so the text says so, in a
# form SQLite's own date functions read too.
SQLITE_UTC_DATETIME = sqlite.DATETIME(
    storage_format="%(year)04d-%(month)02d-%(day)02d %(hour)02d:%(minute)02d:%(second)02d"
    ".%(microsecond)06d+00:00"
)


def _sql_table(name: str, metadata: sa.MetaData) -> sa.Table:
    """The export table, typed from the schema; the key makes duplicates impossible."""
    columns = []
    for column, rule in export_schema()["properties"].items():
        kinds = _kinds(rule)
        if rule.get("format") == "date":
            kind = sa.Date()
        elif rule.get("format") == "date-time":
            kind = sa.DateTime(timezone=True).with_variant(SQLITE_UTC_DATETIME, "sqlite")
        elif "integer" in kinds:
            kind = sa.BigInteger()
        elif "number" in kinds:
            kind = sa.Float()
        elif "boolean" in kinds:
            kind = sa.Boolean()
        else:
            kind = sa.Text()
        key = column in ("customer_id", "as_of")
        columns.append(sa.Column(column, kind, primary_key=key, nullable="null" in kinds))
    return sa.Table(name, metadata, *columns)


def write_export_sql(
    rows: pd.DataFrame | Iterable[pd.DataFrame],
    url: str,
    table_name: str,
    held: HeldInterrupts | None = None,
) -> SinkWrite:
    """Upsert the checked rows into `table_name` at `url` in one transaction; returns what it wrote.

    `held` (from `write_export`) is started just before the commit, so an interrupt cannot fall
    between the commit and the export files' renames; a commit that fails releases it.
    `rows` may be one frame or parts of it, as for `write_export`: every part goes in the
    same transaction, so a part that fails the checks rolls back the ones before it.
    `table_name` comes from the validated config (a plain identifier); SQLAlchemy quotes it anyway.
    """
    parts = [rows] if isinstance(rows, pd.DataFrame) else rows
    engine = _engine(url)
    table = _sql_table(table_name, sa.MetaData())
    upsert = _upsert(engine.dialect.name, table)
    written = 0
    new_file = _new_sqlite_file(url)
    committed = False
    try:
        with engine.begin() as connection:
            table.create(connection, checkfirst=True)
            _check_existing_table(connection, table)
            if engine.dialect.name == "sqlite":
                _zone_on_earlier_times(connection, table)
            first = None
            for part in parts:
                check_export(part)
                for start in range(0, len(part), SQL_BATCH_ROWS):
                    batch = _records(part.iloc[start : start + SQL_BATCH_ROWS])
                    first = first or batch[0]
                    connection.execute(upsert, batch)
                written += len(part)
            if first is None:
                raise ExportError(f"{EXPORT_NAME}: no customers to export; the table was left unchanged")
            # Rows of this day from an earlier run that this run did not score (e.g. no longer active).
            removed = connection.execute(
                table.delete().where(table.c.as_of == first["as_of"], table.c.scored_at != first["scored_at"])
            ).rowcount
            if held is not None:
                held.hold()
        committed = True
    except SQLAlchemyError as error:
        if held is not None:
            held.release()  # nothing committed: an interrupt noted during the try acts now
        detail = str(getattr(error, "orig", None) or error).splitlines()[0]
        where = f"--sink {url_without_password(url)}, table {table_name}"
        if is_transient_database_error(error):
            raise SinkUnavailableError(
                f"{where}: the database did not answer ({detail}); nothing was changed"
            ) from error
        raise ExportError(
            f"{where}: the database refused the rows ({detail}); the transaction was rolled back, nothing "
            "was changed"
        ) from error
    finally:
        engine.dispose()
        if new_file is not None and not committed:
            _remove_new_sqlite_file(*new_file)
    return SinkWrite(written, removed)


def _new_sqlite_file(url: str) -> tuple[Path, list[Path]] | None:
    """A SQLite sink that does not exist yet: this write creates it, and its missing folders as --out
    does (returned with them, to remove if the write fails); None for any other sink."""
    path = sqlite_file(url)
    if path is None or path.exists() or path.is_symlink():
        return None
    new_folders = missing_folders(path.absolute().parent)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExportError(f"--sink {url_without_password(url)}: cannot create {path} ({error})") from error
    return path, new_folders


def _remove_new_sqlite_file(path: Path, new_folders: list[Path]) -> None:
    # A failed night leaves no empty database behind, nor the folders made for it. A row in it is
    # another run's, which wrote to the same new file first: that database stays. (Only rows tell:
    # SQLite's driver commits the CREATE TABLE of a write that then rolls back.)
    if _holds_rows(path):
        return
    path.unlink(missing_ok=True)
    remove_empty_folders(new_folders)


def _holds_rows(path: Path) -> bool:
    """Whether any table of the SQLite file at `path` has a row (read-only; False for no database)."""
    try:
        with closing(sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True)) as database:
            listed = database.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
            quoted = ['"' + name.replace('"', '""') + '"' for (name,) in listed]  # names from the file itself
            return any(database.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone() for table in quoted)
    except sqlite3.Error:
        return False  # not a database, or none yet: nothing of anyone's to keep


SUPPORTED_DIALECTS = ("postgresql", "sqlite")


def _engine(url: str) -> sa.Engine:
    try:
        dialect = sa.engine.make_url(url).get_backend_name()
    except (SQLAlchemyError, ValueError) as error:
        raise ExportError(f"--sink {url_without_password(url)}: not a SQLAlchemy URL ({error})") from error
    advice = postgres_url_advice(url)
    if dialect not in SUPPORTED_DIALECTS:
        raise ExportError(
            f"--sink {url_without_password(url)}: "
            f"{advice or f'{dialect} is not supported; use PostgreSQL or SQLite'}"
        )
    try:
        engine = sa.create_engine(url)
    except (SQLAlchemyError, ValueError, ImportError) as error:
        driver_missing = isinstance(error, (sa.exc.NoSuchModuleError, ImportError))
        advice = advice if driver_missing and advice else f"not a usable SQLAlchemy URL ({error})"
        raise ExportError(f"--sink {url_without_password(url)}: {advice}") from error
    async_advice = async_driver_advice(engine, url)
    if async_advice:
        engine.dispose()
        raise ExportError(f"--sink {url_without_password(url)}: {async_advice}")
    return engine


def check_sink(url: str) -> None:
    """Fail in seconds, before any scoring, when the database cannot be reached."""
    engine = _engine(url)
    path = sqlite_file(url)
    if path is not None and not path.exists():
        # Connecting would create the file, left empty by a run that then fails: the first write does.
        engine.dispose()
        _check_new_sqlite_file(url, path)
        return
    try:
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except SQLAlchemyError as error:
        detail = str(getattr(error, "orig", None) or error).splitlines()[0]
        kind = SinkUnavailableError if is_transient_database_error(error) else ExportError
        raise kind(f"--sink {url_without_password(url)}: cannot connect ({detail})") from error
    finally:
        engine.dispose()


def _check_new_sqlite_file(url: str, path: Path) -> None:
    """A SQLite file the first write will create (its missing folders too, as --out's): can it?"""
    where = f"--sink {url_without_password(url)}"
    folder = next(parent for parent in path.absolute().parents if parent.exists())
    if not folder.is_dir():
        raise ExportError(f"{where}: cannot create {path}: {folder} is a file, not a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportError(f"{where}: cannot create {path}: cannot write in {folder}")


def _check_existing_table(connection, table: sa.Table) -> None:
    """A table that was there before must be the export's: its columns, and a key the upsert can use
    (a table made by hand or by pandas' to_sql has none, and the database's own refusal says only
    "ON CONFLICT clause does not match any PRIMARY KEY or UNIQUE constraint")."""
    inspector = sa.inspect(connection)
    found = [column["name"] for column in inspector.get_columns(table.name)]
    wanted = list(table.c.keys())
    where = f"table {table.name}"
    if set(found) != set(wanted):
        extra = [name for name in found if name not in wanted]
        missing = [name for name in wanted if name not in found]
        differences = "; ".join(
            said
            for said in (
                extra and f"not in the schema: {', '.join(extra)}",
                missing and f"missing: {', '.join(missing)}",
            )
            if said
        )
        raise ExportError(
            f"{where} exists with columns {found}, not those of export schema "
            f"{export_schema()['properties']['schema_version']['const']} ({differences}); migrate it or "
            "choose another table (scoring.table in the config)"
        )
    key = {column.name for column in table.primary_key.columns}
    unique = [set(inspector.get_pk_constraint(table.name)["constrained_columns"])]
    unique += [set(constraint["column_names"]) for constraint in inspector.get_unique_constraints(table.name)]
    unique += [
        set(index["column_names"])
        for index in inspector.get_indexes(table.name)
        # A partial index (… WHERE …) is no key ON CONFLICT can use.
        if index["unique"]
        and not any(option.endswith("_where") for option in index.get("dialect_options", {}))
    ]
    if key not in unique:
        raise ExportError(
            f"{where} exists without a primary key or unique index on (customer_id, as_of), which the "
            f"upsert needs to replace a day's rows; add one (CREATE UNIQUE INDEX {table.name}_key ON "
            f"{table.name} (customer_id, as_of)) or choose another table (scoring.table in the config)"
        )


def _zone_on_earlier_times(connection, table: sa.Table) -> None:
    """Rows written before the SQLite text carried the zone hold a bare UTC time: give them theirs, in
    this run's transaction, so one column never mixes the two (a reader gets no time for either).
    The first write after the change converts every row at once, so one row tells whether any is
    left: a nightly write does not scan a table of a year of nights for nothing."""
    any_row = connection.execute(sa.text(f'SELECT scored_at FROM "{table.name}" LIMIT 1')).scalar()
    if any_row is None or str(any_row).endswith("+00:00"):
        return
    connection.execute(
        sa.text(
            f"UPDATE \"{table.name}\" SET scored_at = scored_at || '+00:00' "
            "WHERE scored_at IS NOT NULL AND scored_at NOT LIKE '%+00:00'"
        )
    )


def _upsert(dialect: str, table: sa.Table):
    """INSERT … ON CONFLICT (customer_id, as_of) DO UPDATE: the dialects that the CRM sinks use."""
    statement = {"postgresql": postgresql, "sqlite": sqlite}[dialect].insert(table)
    keys = [column.name for column in table.primary_key.columns]
    return statement.on_conflict_do_update(
        index_elements=keys,
        set_={name: statement.excluded[name] for name in table.c.keys() if name not in keys},
    )


def _records(rows: pd.DataFrame) -> list[dict]:
    """Plain Python values for the driver: None for missing, datetime.date for as_of."""
    frame = rows.assign(
        # In UTC: the SQLite text says "+00:00" whatever the zone it is given.
        as_of=pd.to_datetime(rows["as_of"]).dt.date,
        scored_at=rows["scored_at"].dt.tz_convert("UTC").dt.to_pydatetime(),
    )
    frame = frame.astype(object).where(frame.notna(), None)
    return frame.to_dict("records")
