"""Read CRM tables from a folder of CSV/Parquet files or a SQL database, mapped onto the contract.

A folder may be local or any URL fsspec understands (s3://, gs://, file://, memory://…); a table may
be one CSV or Parquet file, or a folder of Parquet files (a dataset, hive-partitioned or not), read
with column pushdown and, for scoring, filter pushdown on the event time.

Values are returned as read (CSV as text); parsing and checking happen in `features.validation`, so
that an unparsable value is reported with the text the user wrote.
"""

from __future__ import annotations

import difflib
import re
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import sqlalchemy as sa
from fsspec.core import url_to_fs
from fsspec.implementations.local import LocalFileSystem
from fsspec.registry import known_implementations
from fsspec.spec import AbstractFileSystem

from features.config import SourceConfig
from features.contract import EVENT_TIME_COLUMN, TABLES, TableSpec
from features.errors import ChurnError, Problem, TransientError, is_transient_database_error

FILE_SUFFIXES = (".parquet", ".csv")
POSTGRES_SCHEME = "postgresql+psycopg"  # psycopg 3, the PostgreSQL driver the project installs
EVENT_TABLES = ("orders", "contacts", "complaints", "surveys")  # rows after a cutoff are never needed
# The one problem met while reading that leaves the table readable (its first such column is read).
REPEATED_COLUMN = "one_column_per_name"


@dataclass
class RawTable:
    """A contract table as read, with columns renamed to the contract's names."""

    name: str
    frame: pd.DataFrame
    origin: str  # a file path or "table X in <database>", for messages
    source_columns: dict[str, str]  # contract name -> CRM name
    # Every column the file or table has, in its own names (only the contract's are read), for messages.
    file_columns: tuple[str, ...]


def is_database_url(data: str | Path) -> bool:
    """A SQLAlchemy URL (sqlite:///…, postgresql+psycopg://…), not a file system URL fsspec knows
    (s3://…, file://…, memory://…)."""
    text = str(data)
    return "://" in text and text.split("://", 1)[0].lower() not in known_implementations


def describe_source(data: str | Path) -> str:
    """The source for messages, without a database password."""
    return url_without_password(str(data)) if is_database_url(data) else str(data)


def url_without_password(url: str) -> str:
    """A URL for messages, summaries and tags, its password as `***` (`postgresql://crm:***@db/crm`,
    `http://mlflow:***@host:5000`, any scheme); a URL without one as given."""
    try:
        parts = urllib.parse.urlsplit(url)
        if parts.password is None:
            return url
    except ValueError:
        return "(unparsable URL)"
    user = f"{parts.username}:***@" if parts.username else ":***@"
    return urllib.parse.urlunsplit(parts._replace(netloc=user + parts.netloc.rsplit("@", 1)[1]))


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (`sqlite:///crm.db`); None for an in-memory one or another database."""
    try:
        parsed = sa.engine.make_url(url)
    except (sa.exc.ArgumentError, ValueError):
        return None
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    if parsed.query.get("uri") == "true" or parsed.database.startswith("file:"):
        return None  # a SQLite URI filename (file:…?mode=ro): SQLite's own rules apply
    return Path(parsed.database)


def postgres_url_advice(url: str) -> str | None:
    """For a PostgreSQL URL whose driver SQLAlchemy could not load, what to write instead: `postgres://`
    is an alias it dropped, and `postgresql://` means psycopg2, which is not installed; None otherwise."""
    scheme, _, rest = url.partition("://")
    dialect, _, driver = scheme.lower().partition("+")
    if dialect not in ("postgres", "postgresql") or scheme.lower() == POSTGRES_SCHEME:
        return None
    if dialect == "postgres":
        why = "SQLAlchemy does not know postgres://"
    else:
        why = f"its driver {driver or 'psycopg2'} is not installed"
    instead = url_without_password(f"{POSTGRES_SCHEME}://{rest}")
    return f"{why}; write {instead} (the psycopg 3 driver, which is installed)"


def async_driver_advice(engine: sa.Engine, url: str) -> str | None:
    """For an engine on an asynchronous driver (`postgresql+asyncpg://`, `sqlite+aiosqlite://`), which
    SQLAlchemy loads but churn's synchronous calls cannot drive, what to write instead; None otherwise."""
    if not engine.dialect.is_async:
        return None
    scheme = POSTGRES_SCHEME if engine.dialect.name == "postgresql" else engine.dialect.name
    instead = url_without_password(f"{scheme}://{url.partition('://')[2]}")
    return f"{engine.dialect.driver} is an asynchronous driver, which churn cannot use; write {instead}"


def read_crm(
    data: str | Path, source: SourceConfig, known_before: pd.Timestamp | None = None
) -> tuple[dict[str, RawTable], list[Problem]]:
    """Read every contract table present in `data`.

    With `known_before` (a cutoff instant), event rows of Parquet inputs from later on are left in
    the files (filter pushdown, with a day's margin: features apply the exact cutoff themselves).

    Returns the tables read and the problems met on the way (a missing required table, an
    unreadable file); absent optional tables are simply not in the result.
    """
    located, problems = locate_tables(data, source)
    tables: dict[str, RawTable] = {}
    if is_database_url(data):
        with connect_database(str(data)) as (connection, shown_url):
            for name, where in located.items():
                columns = _database_columns(where, connection)
                tables[name] = where.raw(pd.read_sql_query(_select(where, columns), connection), columns)
        return tables, problems
    for name, where in located.items():
        try:
            frame, columns = _read_file(where, known_before, source.timezone)
        except Exception as error:  # noqa: BLE001 - any reader failure means the same to the user
            problems.append(_unreadable(where, error))
            continue
        tables[name] = where.raw(frame, columns)
        problems += _repeated_columns(where, columns)
    return tables, problems


def read_crm_batches(
    data: str | Path,
    source: SourceConfig,
    batch_rows: int,
    known_before: pd.Timestamp | None = None,
) -> tuple[dict[str, TableLocation], list[Problem], Callable[[TableLocation], Iterator[pa.Table]]]:
    """Like `read_crm`, a table at a time in Arrow tables of at most `batch_rows` rows (bounded
    memory; Parquet stays in Arrow, never converted to pandas).

    Returns the tables found (each with its `file_columns`, read from its header), the problems, and
    a function giving one table's batches (contract column names, values as read).
    """
    located, problems = locate_tables(data, source)
    for name, where in list(located.items()):
        try:
            columns = _header(where, data)
        except ChurnError:
            raise  # the database cannot be reached: one line already
        except Exception as error:  # noqa: BLE001 - any reader failure means the same to the user
            problems.append(_unreadable(where, error))
            del located[name]
            continue
        located[name] = replace(where, file_columns=tuple(columns))
        problems += _repeated_columns(where, columns)

    def batches(where: TableLocation) -> Iterator[pa.Table]:
        contract_names = {source_name: name for name, source_name in where.source_columns.items()}
        if is_database_url(data):
            with connect_database(str(data)) as (connection, _):
                query = _select(where, _database_columns(where, connection))
                for chunk in pd.read_sql_query(query, connection, chunksize=batch_rows):
                    yield pa.Table.from_pandas(
                        _to_contract_names(chunk, where.source_columns), preserve_index=False
                    )
            return
        for chunk in _file_batches(where, batch_rows, known_before, source.timezone):
            if isinstance(chunk, pd.DataFrame):
                yield pa.Table.from_pandas(
                    _to_contract_names(chunk, where.source_columns), preserve_index=False
                )
            else:
                table = pa.Table.from_batches([chunk])
                yield table.rename_columns([contract_names[name] for name in table.column_names])

    return located, problems, batches


@dataclass(frozen=True)
class TableLocation:
    """Where one contract table is: a file or Parquet dataset (any fsspec file system), or a table."""

    name: str
    path: str  # within `filesystem`, or the database table's name
    origin: str  # for messages
    source_columns: dict[str, str]  # contract name -> CRM name
    filesystem: AbstractFileSystem | None = None  # None for a database table
    file_columns: tuple[str, ...] | None = None  # all its columns in its own names, once read

    @property
    def is_csv(self) -> bool:
        return self.path.endswith(".csv")

    def raw(self, frame: pd.DataFrame, file_columns: list[str]) -> RawTable:
        return RawTable(
            self.name,
            _to_contract_names(frame, self.source_columns),
            self.origin,
            self.source_columns,
            tuple(file_columns),
        )


def locate_tables(data: str | Path, source: SourceConfig) -> tuple[dict[str, TableLocation], list[Problem]]:
    """Find each contract table in a folder (local or a URL fsspec understands) or a database."""
    _check_mapping_names(source)
    if is_database_url(data):
        return _locate_in_database(str(data), source)
    return _locate_files(str(data), source)


def _check_mapping_names(source: SourceConfig) -> None:
    unknown_tables = sorted((set(source.tables) | set(source.columns)) - set(TABLES))
    if unknown_tables:
        raise ChurnError(
            f"source mapping names unknown tables {unknown_tables}; contract tables: {list(TABLES)}"
        )
    for table, mapping in source.columns.items():
        unknown = sorted(set(mapping) - set(TABLES[table].column_names))
        if unknown:
            raise ChurnError(
                f"source.columns.{table} maps unknown contract columns {unknown}; "
                f"{table} has {list(TABLES[table].column_names)}"
            )


def _source_columns(spec: TableSpec, source: SourceConfig) -> dict[str, str]:
    mapping = source.columns.get(spec.name, {})
    return {column: mapping.get(column, column) for column in spec.column_names}


def _to_contract_names(frame: pd.DataFrame, source_columns: dict[str, str]) -> pd.DataFrame:
    # Keep only contract columns: the rest of a wide CRM export would only cost memory.
    by_source_name = {source: contract for contract, source in source_columns.items()}
    kept = [column for column in frame.columns if column in by_source_name]
    return frame[kept].rename(columns=by_source_name)


def _missing_table(spec: TableSpec, looked_for: str) -> Problem:
    return Problem(spec.name, "required_table", f"the table is required but {looked_for}")


def misnamed_table_files(data: str, source: SourceConfig) -> dict[str, str]:
    """Files of a CRM folder named almost like a table the folder lacks (`order.csv`, `Contacts.parquet`):
    table -> file name. A table's file is found by its exact name only, so such a file is not read."""
    if is_database_url(data):
        return {}
    filesystem, root = url_to_fs(data)
    if not filesystem.isdir(root):
        return {}
    stems = {spec.name: source.table_name(spec.name) for spec in TABLES.values()}
    files = {}
    for entry in filesystem.ls(root, detail=False):
        name = entry.rstrip("/").rsplit("/", 1)[-1]
        suffix = next((suffix for suffix in FILE_SUFFIXES if name.endswith(suffix)), None)
        if suffix is not None:
            files[name[: -len(suffix)]] = name
        elif filesystem.isdir(entry):  # a folder of Parquet files
            files[name] = name
    missing = {table: stem for table, stem in stems.items() if stem not in files}
    found = {}
    for table, stem in missing.items():
        close = difflib.get_close_matches(stem.lower(), [other.lower() for other in files], n=1, cutoff=0.8)
        if close:
            found[table] = next(name for other, name in files.items() if other.lower() == close[0])
    return found


def _locate_files(data: str, source: SourceConfig) -> tuple[dict[str, TableLocation], list[Problem]]:
    filesystem, root = url_to_fs(data)
    if not filesystem.isdir(root):
        raise ChurnError(
            f"--data {data}: no such folder (give a folder of CSV/Parquet files or a database URL)"
        )
    local = isinstance(filesystem, LocalFileSystem)

    def shown(name: str) -> str:
        return str(Path(data) / name) if local and "://" not in data else f"{data.rstrip('/')}/{name}"

    located: dict[str, TableLocation] = {}
    problems: list[Problem] = []
    for spec in TABLES.values():
        file_stem = source.table_name(spec.name)
        names = [f"{file_stem}{suffix}" for suffix in FILE_SUFFIXES]
        present = [name for name in names if filesystem.isfile(f"{root.rstrip('/')}/{name}")]
        present += [file_stem] if filesystem.isdir(f"{root.rstrip('/')}/{file_stem}") else []
        if len(present) > 1:
            problems.append(Problem(spec.name, "one_file_per_table", f"found {', '.join(present)}: keep one"))
            continue
        if not present:
            if spec.required:
                near = misnamed_table_files(data, source).get(spec.name)
                hint = (
                    f" ({near} is there: name it exactly {file_stem}.csv or {file_stem}.parquet)"
                    if near
                    else ""
                )
                problems.append(_missing_table(spec, f"there is no {' or '.join(names)} in {data}{hint}"))
            continue
        path = f"{root.rstrip('/')}/{present[0]}"
        located[spec.name] = TableLocation(
            spec.name, path, shown(present[0]), _source_columns(spec, source), filesystem
        )
    return located, problems


def _unreadable(where: TableLocation, error: Exception) -> Problem:
    reason = str(error).splitlines()[0] if str(error) else type(error).__name__
    return Problem(where.name, "readable_file", f"cannot read {where.origin}: {reason}")


# CSV is read as text: parsing is the validator's job, and ids like "007" keep their zeros.
def _csv_options(where: TableLocation, header: dict[str, None] | None = None) -> dict:
    """`header`, when given, collects every column name of the file as pandas reads the header (in
    order; pandas asks about a column more than once)."""
    wanted = set(where.source_columns.values())

    def read_column(column: str) -> bool:
        if header is not None:
            header[column] = None
        return column in wanted

    return {"dtype": str, "keep_default_na": False, "na_values": [""], "usecols": read_column}


def _read_file(
    where: TableLocation, known_before: pd.Timestamp | None, timezone: str
) -> tuple[pd.DataFrame, list[str]]:
    """The contract's columns of the file, and the names of all its columns (for messages)."""
    if where.is_csv:
        header: dict[str, None] = {}
        with where.filesystem.open(where.path, "rb") as stream:
            return pd.read_csv(stream, **_csv_options(where, header)), list(header)
    dataset, columns, row_filter = _parquet(where, known_before, timezone)
    return dataset.to_table(columns=columns, filter=row_filter).to_pandas(), _parquet_columns(dataset)


def _parquet_columns(dataset: ds.Dataset) -> list[str]:
    # pandas' own index, stored in the file, is no column of the CRM's
    return [name for name in dataset.schema.names if not name.startswith("__index_level_")]


def _header(where: TableLocation, data: str | Path) -> list[str]:
    """The names of all the table's columns, without reading its rows."""
    if where.filesystem is None:
        with connect_database(str(data)) as (connection, _):
            return _database_columns(where, connection)
    if where.is_csv:
        header: dict[str, None] = {}
        with where.filesystem.open(where.path, "rb") as stream:
            pd.read_csv(stream, nrows=0, **_csv_options(where, header))
        return list(header)
    return _parquet_columns(_parquet(where, None, "UTC")[0])


def _repeated_columns(where: TableLocation, file_columns: list[str]) -> list[Problem]:
    """A contract column named twice in a CSV header: pandas reads the second `amount` as
    `amount.1`, and the first would be taken without a word. (A Parquet file with two is unreadable.)"""
    if not where.is_csv:
        return []
    problems = []
    for contract, name in where.source_columns.items():
        copies = [other for other in file_columns if re.fullmatch(rf"{re.escape(name)}\.\d+", other)]
        if copies and name in file_columns:
            problems.append(
                Problem(
                    where.name,
                    REPEATED_COLUMN,
                    f"{len(copies) + 1} columns are named {name!r} in {where.origin}: keep one",
                    column=contract,
                )
            )
    return problems


def _file_batches(
    where: TableLocation, batch_rows: int, known_before: pd.Timestamp | None, timezone: str
) -> Iterator[pd.DataFrame | pa.RecordBatch]:
    try:
        if where.is_csv:
            with where.filesystem.open(where.path, "rb") as stream:
                yield from pd.read_csv(stream, chunksize=batch_rows, **_csv_options(where))
            return
        dataset, columns, row_filter = _parquet(where, known_before, timezone)
        yield from dataset.to_batches(columns=columns, filter=row_filter, batch_size=batch_rows)
    except (OSError, ValueError, pa.ArrowException) as error:
        raise ChurnError(_unreadable(where, error).describe()) from error


def _parquet(where: TableLocation, known_before: pd.Timestamp | None, timezone: str):
    """The Parquet file or dataset (a folder of files, hive-partitioned or not), the contract columns
    it has (column pushdown), and the filter that leaves later events unread (filter pushdown)."""
    filesystem = None if isinstance(where.filesystem, LocalFileSystem) else where.filesystem
    dataset = ds.dataset(where.path, filesystem=filesystem, format="parquet", partitioning="hive")
    wanted = set(where.source_columns.values())
    columns = [name for name in dataset.schema.names if name in wanted]
    row_filter = None
    time_column = where.source_columns.get(EVENT_TIME_COLUMN[where.name])
    if known_before is not None and where.name in EVENT_TABLES and time_column in columns:
        kind = dataset.schema.field(time_column).type
        if pa.types.is_timestamp(kind):
            # A day's margin covers any reading of naive times (source.timezone): exactness is the
            # features' job, this only saves reading rows that cannot matter.
            bound = known_before + pd.Timedelta(days=1)
            bound = bound.tz_convert(kind.tz) if kind.tz else bound.tz_convert(timezone).tz_localize(None)
            row_filter = pc.field(time_column) < pa.scalar(bound.to_pydatetime(), type=kind)
    return dataset, columns, row_filter


@contextmanager
def connect_database(url: str) -> Iterator[tuple[sa.Connection, str]]:
    """A connection; a database error becomes one line (transient when it may pass on its own)."""
    shown_url = describe_source(url)
    path = sqlite_file(url)
    if path is not None and not path.is_file():
        # Connecting would create an empty database, and then report that it has no orders table.
        raise ChurnError(f"--data {shown_url}: no such database file: {path}")
    try:
        engine = sa.create_engine(url)
    except (sa.exc.NoSuchModuleError, ImportError) as error:
        advice = postgres_url_advice(url) or f"not a usable database URL ({error})"
        raise ChurnError(f"--data {shown_url}: {advice}") from error
    except sa.exc.ArgumentError as error:
        raise ChurnError(f"--data {shown_url}: not a usable database URL ({error})") from error
    advice = async_driver_advice(engine, url)
    if advice:
        engine.dispose()
        raise ChurnError(f"--data {shown_url}: {advice}")
    try:
        with engine.connect() as connection:
            yield connection, shown_url
    except sa.exc.SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        kind = TransientError if is_transient_database_error(error) else ChurnError
        raise kind(f"--data {shown_url}: cannot read the database ({reason})") from error
    finally:
        engine.dispose()


def _locate_in_database(url: str, source: SourceConfig) -> tuple[dict[str, TableLocation], list[Problem]]:
    located: dict[str, TableLocation] = {}
    problems: list[Problem] = []
    with connect_database(url) as (connection, shown_url):
        present = set(sa.inspect(connection).get_table_names())
        for spec in TABLES.values():
            table_name = source.table_name(spec.name)
            if table_name not in present:
                if spec.required:
                    problems.append(_missing_table(spec, f"there is no table {table_name} in {shown_url}"))
                continue
            located[spec.name] = TableLocation(
                spec.name, table_name, f"table {table_name} in {shown_url}", _source_columns(spec, source)
            )
    return located, problems


def _database_columns(where: TableLocation, connection: sa.Connection) -> list[str]:
    return [column["name"] for column in sa.inspect(connection).get_columns(where.path)]


def _select(where: TableLocation, existing: list[str]) -> sa.Select:
    """Only the contract's columns, by names checked against the database's own (never raw input)."""
    selected = [sa.column(name) for name in where.source_columns.values() if name in existing]
    # None of the contract's: one column all the same (SELECT needs one), so the rows are still read.
    selected = selected or [sa.column(name) for name in existing[:1]]
    return sa.select(*selected).select_from(sa.table(where.path))
