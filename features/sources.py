"""Read CRM tables from a folder of CSV/Parquet files or a SQL database, mapped onto the contract.

Values are returned as read (CSV as text); parsing and checking happen in `features.validation`, so
that an unparsable value is reported with the text the user wrote.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import sqlalchemy as sa

from features.config import SourceConfig
from features.contract import TABLES, TableSpec
from features.errors import ChurnError, Problem, TransientError, is_transient_database_error

FILE_SUFFIXES = (".parquet", ".csv")


@dataclass
class RawTable:
    """A contract table as read, with columns renamed to the contract's names."""

    name: str
    frame: pd.DataFrame
    origin: str  # a file path or "table X in <database>", for messages
    source_columns: dict[str, str] = field(default_factory=dict)  # contract name -> CRM name


def is_database_url(data: str | Path) -> bool:
    return "://" in str(data)


def describe_source(data: str | Path) -> str:
    """The source for messages, without a database password."""
    if is_database_url(data):
        return sa.engine.make_url(str(data)).render_as_string(hide_password=True)
    return str(data)


def read_crm(data: str | Path, source: SourceConfig) -> tuple[dict[str, RawTable], list[Problem]]:
    """Read every contract table present in `data`.

    Returns the tables read and the problems met on the way (a missing required table, an
    unreadable file); absent optional tables are simply not in the result.
    """
    _check_mapping_names(source)
    if is_database_url(data):
        return _read_database(str(data), source)
    return _read_folder(Path(data), source)


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


def _read_folder(folder: Path, source: SourceConfig) -> tuple[dict[str, RawTable], list[Problem]]:
    if not folder.is_dir():
        raise ChurnError(
            f"--data {folder}: no such folder (give a folder of CSV/Parquet files or a database URL)"
        )
    tables: dict[str, RawTable] = {}
    problems: list[Problem] = []
    for spec in TABLES.values():
        file_stem = source.tables.get(spec.name, spec.name)
        candidates = [folder / f"{file_stem}{suffix}" for suffix in FILE_SUFFIXES]
        candidates += [folder / file_stem] if (folder / file_stem).is_dir() else []
        present = [path for path in candidates if path.exists()]
        if len(present) > 1:
            names = ", ".join(path.name for path in present)
            problems.append(Problem(spec.name, "one_file_per_table", f"found {names}: keep one"))
            continue
        if not present:
            if spec.required:
                looked = " or ".join(path.name for path in candidates)
                problems.append(_missing_table(spec, f"there is no {looked} in {folder}"))
            continue
        path = present[0]
        source_columns = _source_columns(spec, source)
        try:
            frame = _read_file(path, set(source_columns.values()))
        except Exception as error:  # noqa: BLE001 - any reader failure means the same to the user
            reason = str(error).splitlines()[0] if str(error) else type(error).__name__
            problems.append(Problem(spec.name, "readable_file", f"cannot read {path}: {reason}"))
            continue
        tables[spec.name] = RawTable(
            spec.name, _to_contract_names(frame, source_columns), str(path), source_columns
        )
    return tables, problems


def _read_file(path: Path, wanted_columns: set[str]) -> pd.DataFrame:
    if path.suffix == ".csv":
        # Everything as text: parsing is the validator's job, and ids like "007" keep their zeros.
        return pd.read_csv(
            path,
            dtype=str,
            keep_default_na=False,
            na_values=[""],
            usecols=lambda column: column in wanted_columns,
        )
    schema = pq.read_schema(path) if path.is_file() else pq.ParquetDataset(path).schema
    columns = [name for name in schema.names if name in wanted_columns]
    return pd.read_parquet(path, columns=columns)


def _read_database(url: str, source: SourceConfig) -> tuple[dict[str, RawTable], list[Problem]]:
    shown_url = describe_source(url)
    try:
        engine = sa.create_engine(url)
    except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError, ImportError) as error:
        raise ChurnError(f"--data {shown_url}: not a usable database URL ({error})") from error
    tables: dict[str, RawTable] = {}
    problems: list[Problem] = []
    try:
        with engine.connect() as connection:
            inspector = sa.inspect(connection)
            present = set(inspector.get_table_names())
            for spec in TABLES.values():
                table_name = source.tables.get(spec.name, spec.name)
                if table_name not in present:
                    if spec.required:
                        problems.append(
                            _missing_table(spec, f"there is no table {table_name} in {shown_url}")
                        )
                    continue
                source_columns = _source_columns(spec, source)
                existing = {column["name"] for column in inspector.get_columns(table_name)}
                selected = [sa.column(name) for name in source_columns.values() if name in existing]
                query = sa.select(*selected).select_from(sa.table(table_name))
                frame = pd.read_sql_query(query, connection)
                tables[spec.name] = RawTable(
                    spec.name,
                    _to_contract_names(frame, source_columns),
                    f"table {table_name} in {shown_url}",
                    source_columns,
                )
    except sa.exc.SQLAlchemyError as error:
        reason = str(getattr(error, "orig", None) or error).splitlines()[0]
        kind = TransientError if is_transient_database_error(error) else ChurnError
        raise kind(f"--data {shown_url}: cannot read the database ({reason})") from error
    finally:
        engine.dispose()
    return tables, problems
