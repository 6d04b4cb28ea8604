"""Scoring a CRM in partitions of customers, here (one after another, or side by side in worker
processes) or on Dask.

Memory follows the partition, not the CRM: a customer's rows of every table land in one partition
(by a hash of customer_id), so every per-customer step runs on one partition (in each worker):

1. `split_crm` reads each table once, in batches, and writes every row to its partition (Arrow files, in
   the run's work folder, which every Dask worker must see).
2. `check_partition` (per partition) validates and types the partition's tables and reports what
   only the whole CRM can decide: which contract columns have values, the last order, the
   referrers named and every customer's activity at the cutoff.
3. `CrmFacts.combine` (here, small): one problem report for all partitions, the rules across
   customers (a referrer is a known customer; orders exist), and the referrers' activity.
4. `score_partition` (per partition): features by the training code path, scores, SHAP reasons,
   and the partition's monitoring profile (bin counts: they add up to the whole night's).
5. The night's profile is checked (`models.monitoring`); a check that fails publishes nothing.
6. `publish_scores`: priority ranks over all customers (a thin read of every partition's rows), then
   the rows stream into the export files (atomic) and the sink table (one transaction).

Steps 2 and 4 run one partition after another, or side by side in local processes (`LocalEngine`,
`engine.local_workers`), or on Dask (`DaskEngine`); a Dask worker that dies mid-run has its partition
run again elsewhere (the scheduler reschedules what a lost worker held; nothing here is lost with it: every
input and output of a step is a file in the work folder).

Training uses steps 1 and 2 and the engines too, to build its training set partition by partition
(`pipelines.partitioned_training`).
"""

from __future__ import annotations

import logging
import math
import multiprocessing
import multiprocessing.connection
import multiprocessing.forkserver
import os
import pickle
import shutil
import signal
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, nullcontext, suppress
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import sqlalchemy as sa
from fsspec.implementations.local import LocalFileSystem

from features.build import build_features, present_columns
from features.config import OrchestrationConfig, PipelineConfig
from features.errors import ChurnError, DataContractError, Problem, is_transient, retry_note
from features.events import with_coded_ids
from features.parsing import is_in, normalize_ids
from features.personal_ties import customer_activity
from features.sources import (
    REPEATED_COLUMN,
    RawTable,
    connect_database,
    is_database_url,
    locate_tables,
    read_crm_batches,
)
from features.timeline import cutoff_instant, orders_fall_short
from features.validation import EXAMPLE_ROWS, RULE_MESSAGES, VALIDATION_ORDER, validate_crm
from models.monitoring import Monitoring, Profile, profile_night
from models.scoring import priority_rank, worth_a_call
from pipelines import steps
from pipelines.export import SinkWrite, write_export, write_export_sql
from pipelines.interrupts import HeldInterrupts
from pipelines.score_run import (
    Monitor,
    MonitoringFailedError,
    NoActiveCustomerError,
    check_data_reach,
    score_with,
)

BATCH_ROWS = 500_000  # rows read at a time while splitting: bounds the split's memory
ROW = "_row"  # each row's number in its source table, so a problem names the row the user has
DASK_CONNECT_TIMEOUT = "10s"  # a scheduler that does not answer by then is reported, not waited for
THIN_COLUMNS = [
    "customer_id",
    "churn_probability",
    "risk_tier",
    "value_at_risk",
    "reason_1",
    "activity_share",
    "preventable",
]
REPORT_TOP_ROWS = 25  # full export rows kept for the report's customers to call first


def partition_of(customer_ids: pd.Series | pa.Array | pa.ChunkedArray, count: int) -> np.ndarray:
    """Each row's partition: a stable hash of its customer_id as validation normalizes it (7 from
    Parquet and " 7" from CSV are one customer), modulo `count`: the same in every process and run.

    Vectorized over the ids' UTF-8 bytes (no Python string per row): a split hashes every row of
    every table.
    """
    if isinstance(customer_ids, pd.Series):
        customer_ids = pa.array(normalize_ids(customer_ids).array)
    elif isinstance(customer_ids, pa.ChunkedArray):
        customer_ids = customer_ids.combine_chunks()
    # Each distinct id once: a batch of orders names each customer many times.
    encoded = pc.dictionary_encode(customer_ids)
    dictionary = encoded.dictionary
    positions = encoded.indices.fill_null(len(dictionary)).to_numpy(zero_copy_only=False)
    per_id = np.zeros(len(dictionary) + 1, dtype=np.int32)  # the last: a missing id
    # A column read as dictionary from Parquet brings the whole file's dictionary with every batch:
    # only the ids this batch names are hashed.
    used = np.flatnonzero(np.bincount(positions, minlength=len(dictionary) + 1)[:-1])
    text = _id_text(dictionary.take(pa.array(used)))
    per_id[used] = (_text_hash(text) % np.uint64(count)).astype(np.int32)
    per_id[-1] = (_text_hash(pa.array([""])) % np.uint64(count)).astype(np.int32)[0]
    return per_id[positions]


def _id_text(ids: pa.Array) -> pa.Array:
    """`features.parsing.normalize_ids` in Arrow: text, stripped, integral numbers without '.0';
    an empty id is missing. Anything else goes through pandas' own normalize_ids."""
    kind = ids.type
    if pa.types.is_floating(kind):
        whole = pc.equal(ids, pc.floor(ids))
        if pc.all(whole).as_py() in (True, None) and not pc.any(pc.is_nan(ids)).as_py():
            ids = ids.cast(pa.int64())
            kind = ids.type
    if pa.types.is_integer(kind) or pa.types.is_floating(kind):
        ids = ids.cast(pa.large_string())
    elif pa.types.is_string(kind) or pa.types.is_large_string(kind):
        ids = pc.utf8_trim_whitespace(ids.cast(pa.large_string()))
    else:
        ids = pa.array(normalize_ids(pd.Series(ids.to_pandas())).array).cast(pa.large_string())
    return pc.if_else(pc.equal(ids, ""), pa.scalar(None, pa.large_string()), ids)


_HASH_BASE = np.uint64(0x100000001B3)  # FNV's 64-bit prime


def _text_hash(text: pa.Array) -> np.ndarray:
    """A 64-bit hash per string, from its bytes: sum of (byte + 1) × base^position, then mixed
    (splitmix64's finalizer). Missing text hashes like the empty string."""
    text = text.cast(pa.large_string()).fill_null("")
    offsets = np.frombuffer(text.buffers()[1], dtype=np.int64)[text.offset : text.offset + len(text) + 1]
    data = text.buffers()[2]
    content = np.frombuffer(data, dtype=np.uint8) if data is not None else np.zeros(0, np.uint8)
    content = content[offsets[0] : offsets[-1]].astype(np.uint64)
    lengths = np.diff(offsets)
    starts = offsets[:-1] - offsets[0]
    position = np.arange(len(content)) - np.repeat(starts, lengths)
    powers = np.ones(int(lengths.max(initial=0)) + 1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for step in range(1, len(powers)):
            powers[step] = powers[step - 1] * _HASH_BASE  # wraps modulo 2^64: the same everywhere
        terms = (content + np.uint64(1)) * powers[position]
        hashed = np.zeros(len(text), dtype=np.uint64)
        filled = lengths > 0
        if filled.any():
            hashed[filled] = np.add.reduceat(terms, starts[filled])
        hashed ^= hashed >> np.uint64(30)
        hashed *= np.uint64(0xBF58476D1CE4E5B9)
        hashed ^= hashed >> np.uint64(27)
        hashed *= np.uint64(0x94D049BB133111EB)
        hashed ^= hashed >> np.uint64(31)
    return hashed


def write_arrow(table: pa.Table, path: Path) -> None:
    """A spill file: Arrow IPC, written and read back several times faster than Parquet."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with pa.OSFile(str(path), "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)


def read_arrow(path: Path) -> pa.Table:
    with pa.memory_map(str(path)) as source:
        return pa.ipc.open_file(source).read_all()


def partition_count(data: str, config: PipelineConfig) -> int:
    """`engine.partitions`, or for `auto` one per `engine.customers_per_partition` customers, counted
    cheaply (Parquet metadata, lines of a CSV file, or a COUNT(*)); on Dask at least two per worker,
    so that every worker has work and a lost one costs a small part of the run; locally, when more
    than one, a multiple of the worker processes."""
    if config.engine.partitions != "auto":
        return int(config.engine.partitions)
    least = 2 * config.engine.dask_workers if config.engine.name == "dask" else 1
    located, _ = locate_tables(data, config.source)
    where = located.get("customers")
    if where is None:
        return least
    if is_database_url(data):
        with connect_database(data) as (connection, _):
            query = sa.select(sa.func.count()).select_from(sa.table(where.path))
            customers = connection.execute(query).scalar_one()
    elif where.is_csv:
        with where.filesystem.open(where.path, "rb") as stream:
            lines = sum(chunk.count(b"\n") for chunk in iter(lambda: stream.read(1 << 24), b""))
            customers = lines - 1  # the header (an estimate: a quoted line break counts too)
    else:
        filesystem = None if isinstance(where.filesystem, LocalFileSystem) else where.filesystem
        customers = ds.dataset(where.path, filesystem=filesystem, format="parquet").count_rows()
    count = max(least, math.ceil(customers / config.engine.customers_per_partition))
    if config.engine.name == "local" and count > 1:
        # Whole rounds of side-by-side partitions: none left to run alone at the end.
        workers = min(local_workers(config), count)
        count = math.ceil(count / workers) * workers
    return count


@dataclass(frozen=True)
class Partitions:
    """A CRM split into `count` partitions of customers under `folder` (the run's work folder)."""

    folder: Path
    count: int
    origins: dict[str, str]  # table -> where it was read, for messages
    source_columns: dict[str, dict[str, str]]
    file_columns: dict[str, tuple[str, ...]]  # table -> all its columns, in its own names
    schemas: dict[str, pa.Schema]  # for a partition that got no row of a table
    rows: dict[str, int]  # rows per table in the whole CRM
    read_problems: list[Problem]  # met while reading, reported first (as validating a whole CRM does)

    def raw_tables(self, index: int) -> dict[str, RawTable]:
        """Partition `index`'s rows of every table, as read, indexed by their row in the source."""
        tables = {}
        for name, schema in self.schemas.items():
            files = sorted((self.folder / "crm" / name / str(index)).glob("*.arrow"))
            table = (
                pa.concat_tables([read_arrow(file) for file in files], promote_options="permissive")
                if files
                else schema.empty_table()
            )
            frame = table.to_pandas().set_index(ROW).rename_axis(None)
            tables[name] = RawTable(
                name, frame, self.origins[name], self.source_columns[name], self.file_columns[name]
            )
        return tables

    def typed_folder(self, index: int) -> Path:
        return self.folder / "typed" / str(index)

    def typed_tables(self, index: int) -> dict[str, pd.DataFrame]:
        """Partition `index`'s validated tables, as `check_partition` kept them."""
        return {
            file.stem: read_arrow(file).to_pandas()
            for file in sorted(self.typed_folder(index).glob("*.arrow"))
        }

    def scores_file(self, index: int) -> Path:
        return self.folder / "scores" / f"{index:05d}.parquet"

    def shared_file(self, name: str) -> Path:
        return self.folder / "shared" / f"{name}.pickle"


def split_crm(
    data: str, config: PipelineConfig, count: int, folder: Path, known_before: pd.Timestamp | None = None
) -> Partitions:
    """Read every table once, `BATCH_ROWS` rows at a time, and write each row to its partition."""
    located, problems, batches = read_crm_batches(data, config.source, BATCH_ROWS, known_before)
    if any(problem.rule != REPEATED_COLUMN for problem in problems):
        raise DataContractError(problems)  # a table that cannot be read: nothing to validate
    schemas, rows = {}, {}
    for name, where in located.items():
        start = 0
        for number, table in enumerate(batches(where)):
            table = table.append_column(ROW, pa.array(np.arange(start, start + len(table), dtype=np.int64)))
            schemas.setdefault(name, table.schema)
            start += len(table)
            if "customer_id" not in table.column_names:  # validation reports it, in partition 0
                write_arrow(table, folder / "crm" / name / "0" / f"{number:06d}.arrow")
                continue
            partition = partition_of(table["customer_id"], count)
            order = np.argsort(partition, kind="stable")  # keeps each partition's rows in source order
            table = table.take(order)
            offset = 0
            for index, size in enumerate(np.bincount(partition, minlength=count)):
                if size:
                    part = _compact_dictionaries(table.slice(offset, size))
                    write_arrow(part, folder / "crm" / name / str(index) / f"{number:06d}.arrow")
                    offset += size
        if name not in schemas:  # a table with a header and no row
            columns = list(where.source_columns)  # contract names; validation reports what is missing
            schemas[name] = pa.schema([(column, pa.string()) for column in columns] + [(ROW, pa.int64())])
        rows[name] = start
    origins = {name: where.origin for name, where in located.items()}
    source_columns = {name: where.source_columns for name, where in located.items()}
    file_columns = {name: where.file_columns for name, where in located.items()}
    return Partitions(folder, count, origins, source_columns, file_columns, schemas, rows, problems)


def _compact_dictionaries(table: pa.Table) -> pa.Table:
    """Dictionary columns (a pandas categorical written to Parquet) with only the values this part
    uses: each batch brings the whole file's dictionary, which every partition would otherwise
    normalize and factorize again."""
    for position, column in enumerate(table.schema):
        if pa.types.is_dictionary(column.type):
            values = table.column(position).cast(column.type.value_type)
            table = table.set_column(position, column.name, pc.dictionary_encode(values))
    return table


@dataclass
class PartitionCheck:
    """What one partition tells the whole run after validation (all of it small)."""

    problems: list[Problem] = field(default_factory=list)
    customer_ids: pd.Index | None = None  # of the customers table, for the referrer rule
    referrals: pd.DataFrame | None = None  # row, customer_id, referred_by of customers with a referrer
    present: set[str] = field(default_factory=set)
    last_order: pd.Timestamp | None = None
    activity: pd.DataFrame | None = None  # customer_activity of every customer of the partition


def check_partition(
    parts: Partitions, index: int, config: PipelineConfig, now: pd.Timestamp, cutoff: pd.Timestamp | None
) -> PartitionCheck:
    """Validate partition `index`, keep its typed tables for the next steps, and report to the whole
    run; with a `cutoff` (scoring), every customer's activity then (training: per cutoff, later)."""
    raw = parts.raw_tables(index)
    customer_ids = referrals = None
    if "customers" in raw and {"customer_id", "referred_by"} <= set(raw["customers"].frame.columns):
        # From the ids as validation normalizes them, whether or not the rest of the table is valid:
        # the report names every broken rule at once.
        frame = raw["customers"].frame
        ids, referred_by = normalize_ids(frame["customer_id"]), normalize_ids(frame["referred_by"])
        customer_ids = pd.Index(ids.dropna().unique())
        named = referred_by.notna().to_numpy()
        referrals = pd.DataFrame(
            {"row": frame.index[named], "customer_id": ids[named], "referred_by": referred_by[named]}
        )
    try:
        crm = validate_crm(raw, config, now=now, whole_crm=False)
    except DataContractError as error:
        # Only what the report shows travels back: counts and the first examples.
        problems = [_shortened(problem) for problem in error.problems]
        return PartitionCheck(problems, customer_ids, referrals)
    # Event tables' ids dictionary-encoded once, here: the activity below and the partition's feature
    # build then work on codes (`features.events.with_coded_ids`), and the typed files keep them.
    tables = with_coded_ids(crm.tables)
    for name, frame in tables.items():
        write_arrow(
            pa.Table.from_pandas(frame, preserve_index=False), parts.typed_folder(index) / f"{name}.arrow"
        )
    present = present_columns(tables)
    activity = None
    if referrals is not None and cutoff is not None:
        customers = tables["customers"]
        everyone = pd.Index(customers["customer_id"].dropna().unique(), name="customer_id")
        activity = customer_activity(customers, tables["orders"], everyone, cutoff, present)
    last_order = tables["orders"]["ordered_at"].max()
    return PartitionCheck([], customer_ids, referrals, present, last_order, activity)


def _shortened(problem: Problem) -> Problem:
    labels = problem.row_labels
    return Problem(
        problem.table,
        problem.rule,
        problem.message,
        problem.column,
        problem.rows,
        problem.total_rows,
        problem.examples,
        None if labels is None else np.sort(labels)[: len(problem.examples)],
    )


@dataclass(frozen=True)
class CrmFacts:
    """What the whole CRM says, gathered from every partition's check."""

    present: set[str]
    referrer_activity: pd.DataFrame | None

    @classmethod
    def combine(cls, checks: list[PartitionCheck], parts: Partitions, as_of: pd.Timestamp) -> CrmFacts:
        """One report of every broken rule, or the facts every partition's scoring needs."""
        raise_problems(checks, parts)
        check_data_reach(orders_fall_short(last_order(checks), as_of))
        present = set().union(*(check.present for check in checks))
        activity = None
        referrers = referrers_named(checks)
        if referrers is not None:
            everyone = pd.concat([check.activity for check in checks])
            activity = everyone[everyone.index.isin(referrers)]
        return cls(present, activity)


def raise_problems(checks: list[PartitionCheck], parts: Partitions) -> None:
    """One report of every broken rule in every partition, and of the rules across partitions."""
    problems = merge_problems([check.problems for check in checks], parts.rows)
    problems += _cross_partition_problems(checks, parts)
    # In the order validation reports a whole CRM: what reading met, customers, the event tables.
    problems.sort(key=lambda problem: VALIDATION_ORDER.index(problem.table))
    problems = [*parts.read_problems, *problems]
    if problems:
        raise DataContractError(problems)


def last_order(checks: list[PartitionCheck]) -> pd.Timestamp | None:
    return max((check.last_order for check in checks if pd.notna(check.last_order)), default=None)


def referrers_named(checks: list[PartitionCheck]) -> pd.Index | None:
    """Every customer named as a referrer in any partition; None when the CRM has no referred_by."""
    if not any(check.referrals is not None for check in checks):
        return None
    named = pd.concat([check.referrals["referred_by"] for check in checks if check.referrals is not None])
    return pd.Index(named.unique(), name="customer_id")


def _cross_partition_problems(checks: list[PartitionCheck], parts: Partitions) -> list[Problem]:
    problems = []
    if parts.rows.get("orders", 0) == 0:
        problems.append(Problem("orders", "non_empty", RULE_MESSAGES["non_empty"]))
    referrals = [check.referrals for check in checks if check.referrals is not None]
    if referrals:
        every_customer = pd.Index(np.concatenate([check.customer_ids.to_numpy() for check in checks]))
        referrals = pd.concat(referrals)
        unknown = referrals[~is_in(referrals["referred_by"], every_customer)].sort_values("row")
        if len(unknown):
            examples = tuple(
                f"row {row.row + 1} (customer_id={row.customer_id}, referred_by={row.referred_by})"
                for row in unknown.head(EXAMPLE_ROWS).itertuples()
            )
            problems.append(
                Problem(
                    "customers",
                    "known_referrer",
                    RULE_MESSAGES["known_referrer"],
                    "referred_by",
                    len(unknown),
                    parts.rows["customers"],
                    examples,
                )
            )
    return problems


def merge_problems(per_partition: list[list[Problem]], table_rows: dict[str, int]) -> list[Problem]:
    """One problem per broken rule across partitions: rows added up, the first examples by row."""
    merged: dict[tuple, list[Problem]] = {}
    for problems in per_partition:
        for problem in problems:
            merged.setdefault((problem.table, problem.column, problem.rule, problem.message), []).append(
                problem
            )
    result = []
    for (table, column, rule, message), same in merged.items():
        if same[0].rows is None:  # a rule about a whole table or column: said once
            result.append(same[0])
            continue
        examples = sorted(
            (int(label), example)
            for problem in same
            for label, example in zip(problem.row_labels, problem.examples, strict=False)
        )[:EXAMPLE_ROWS]
        result.append(
            Problem(
                table,
                rule,
                message,
                column,
                sum(problem.rows for problem in same),
                table_rows.get(table, 0),
                tuple(example for _, example in examples),
            )
        )
    return result


def score_partition(
    parts: Partitions,
    index: int,
    as_of: pd.Timestamp,
    config: PipelineConfig,
    lang: str,
    scored_at: pd.Timestamp,
) -> Profile:
    """Score partition `index` with the run's champion and shared facts; its rows go to a file.
    Returns the partition's monitoring profile (`models.monitoring`): profiles add up."""
    facts: CrmFacts = pickle.loads(parts.shared_file("facts").read_bytes())
    champion = pickle.loads(parts.shared_file("champion").read_bytes())
    tables = parts.typed_tables(index)
    features = build_features(
        tables,
        as_of,
        config.churn.lookback_days,
        config.features.topic_keywords,
        present=facts.present,
        referrer_activity=facts.referrer_activity,
    )
    if features.empty:
        return profile_night(tables, features, pd.DataFrame(), champion.reference, as_of)
    rows = score_with(champion, features, as_of, config, lang, scored_at=scored_at)
    path = parts.scores_file(index)
    path.parent.mkdir(parents=True, exist_ok=True)
    rows.to_parquet(path, index=False)
    return profile_night(tables, features, rows, champion.reference, as_of)


def ranked_digest(parts: Partitions) -> pd.DataFrame:
    """Every scored customer's thin columns, with `priority_rank` over all partitions at once."""
    files = [parts.scores_file(index) for index in range(parts.count) if parts.scores_file(index).exists()]
    digest = pd.concat(
        [pd.read_parquet(file, columns=THIN_COLUMNS).assign(part=int(file.stem)) for file in files],
        ignore_index=True,
    )
    digest["priority_rank"] = priority_rank(
        digest["value_at_risk"].to_numpy(),
        digest["churn_probability"].to_numpy(),
        worth_a_call(digest["reason_1"], digest["activity_share"], digest["preventable"].to_numpy(bool)),
        pd.Index(digest["customer_id"]),
    ).array
    return digest


def ranked_parts(parts: Partitions, digest: pd.DataFrame) -> Iterator[pd.DataFrame]:
    """Each partition's export rows with their global priority rank, one partition at a time."""
    for part, ranks in digest.groupby("part", sort=True)["priority_rank"]:
        rows = pd.read_parquet(parts.scores_file(part))
        rows["priority_rank"] = ranks.array
        yield rows


def top_rows(parts: Partitions, digest: pd.DataFrame, count: int) -> pd.DataFrame:
    """The full export rows of the `count` customers to call first."""
    first = digest.dropna(subset=["priority_rank"]).nsmallest(count, "priority_rank")
    rows = []
    for part, chosen in first.groupby("part"):
        frame = pd.read_parquet(parts.scores_file(part))
        frame = frame[frame["customer_id"].isin(chosen["customer_id"])]
        ranks = frame["customer_id"].map(chosen.set_index("customer_id")["priority_rank"])
        rows.append(frame.assign(priority_rank=ranks.astype("Int64")))
    return pd.concat(rows).sort_values("priority_rank") if rows else pd.DataFrame()


def publish_scores(
    parts: Partitions,
    digest: pd.DataFrame,
    out_paths: list[Path],
    sink_url: str | None,
    table: str,
    orchestration: OrchestrationConfig,
    note: Callable[[str], None] = steps.note,
) -> tuple[list[Path], SinkWrite | None]:
    """The export from every partition's rows: files replaced atomically, the table in one transaction,
    all or nothing: the files replace the old ones only once the transaction has committed.

    The table's transaction is tried again on a transient failure (a database that does not answer,
    a lock), as the in-memory run's export task is: `orchestration.retries` times, waiting
    `retry_delay_seconds`, then twice, four times as long. A failed transaction wrote nothing, and
    the night's scores are still in the work folder, so trying again costs only the upload. Each
    retry is told to `note`.
    """
    upsert = (
        (lambda held: _upsert_with_retries(parts, digest, sink_url, table, orchestration, note, held))
        if sink_url
        else None
    )
    return write_export(ranked_parts(parts, digest), out_paths, upsert)


def _upsert_with_retries(
    parts: Partitions,
    digest: pd.DataFrame,
    sink_url: str,
    table: str,
    orchestration: OrchestrationConfig,
    note: Callable[[str], None],
    held: HeldInterrupts,
) -> SinkWrite:
    delays = orchestration.retry_delays()
    for retry, delay in enumerate(delays, start=1):
        try:
            return write_export_sql(ranked_parts(parts, digest), sink_url, table, held)
        except Exception as error:
            if not is_transient(error):
                raise
            note(retry_note("write export", error, retry, len(delays)))
            time.sleep(delay)
    return write_export_sql(ranked_parts(parts, digest), sink_url, table, held)  # the last attempt


@dataclass(frozen=True)
class PartitionedScores:
    digest: pd.DataFrame  # THIN_COLUMNS and priority_rank of every customer scored
    top: pd.DataFrame  # the full export rows of the first customers to call
    files: list[Path]
    sink_write: SinkWrite | None
    monitoring: Monitoring


def score_in_partitions(
    data: str,
    as_of: pd.Timestamp,
    config: PipelineConfig,
    champion,
    lang: str,
    count: int,
    out_paths: list[Path],
    sink_url: str | None,
    announce: Callable[[str], None],
    progress: Callable[[int, int], None] | None = None,
    now: pd.Timestamp | None = None,
    monitor: Callable[[Profile], Monitoring] | None = None,
    note: Callable[[str], None] = steps.note,
) -> PartitionedScores:
    """Steps 1 to 6 of the module's docstring, on `config.engine`; the work folder is removed after.

    `monitor` assesses the night's profile before anything is published (default: against the
    champion's reference alone); a failed check raises MonitoringFailedError and publishes nothing.
    `note` is told what the person watching should read (a retry of the export table).
    """
    now = pd.Timestamp.now(tz="UTC") if now is None else now
    cutoff = cutoff_instant(as_of)
    with work_folder(config) as folder:
        engine = engine_for(config, count)
        try:
            announce(f"split the CRM into {count} partitions of customers")
            parts = split_crm(data, config, count, folder, known_before=cutoff)
            announce(f"validate {count} partitions")
            checks = engine.map(
                check_partition, range(count), progress, parts=parts, config=config, now=now, cutoff=cutoff
            )
            facts = CrmFacts.combine(checks, parts, as_of)
            del checks
            parts.shared_file("facts").parent.mkdir(parents=True, exist_ok=True)
            parts.shared_file("facts").write_bytes(pickle.dumps(facts))
            parts.shared_file("champion").write_bytes(pickle.dumps(champion))
            announce(f"score {count} partitions with exact SHAP reasons")
            scored = engine.map(
                score_partition,
                range(count),
                progress,
                parts=parts,
                as_of=as_of,
                config=config,
                lang=lang,
                scored_at=now,
            )
        finally:
            engine.close()
        profile = Profile.combine(scored)
        if not profile.feed.customers:
            raise NoActiveCustomerError(as_of, config)
        announce("check the feed and drift")
        monitoring = (monitor or Monitor(champion.reference, [], config))(profile)
        if monitoring.failed:
            raise MonitoringFailedError(monitoring)
        announce("write the export")
        digest = ranked_digest(parts)
        files, sink_write = publish_scores(
            parts, digest, out_paths, sink_url, config.scoring.table, config.orchestration, note
        )
        top = top_rows(parts, digest, REPORT_TOP_ROWS)
        return PartitionedScores(digest.drop(columns="part"), top, files, sink_write, monitoring)


# --- engines: where the per-partition steps run ------------------------------------------------------


class LocalEngine:
    """Partitions on this machine: one after another in this process (`workers` 1), or side by side
    in `workers` processes, started once for all the run's steps. pandas and the validation are
    single-threaded: on a 2-core machine two partitions at a time take about two thirds of the time."""

    def __init__(self, workers: int = 1) -> None:
        self.workers = workers
        self.pool: ProcessPoolExecutor | None = None
        self.processes: list = []
        if workers > 1:
            # Now, so that the fork server imports the pipeline (seconds) while this process splits the
            # CRM; the workers are forked when the first partitions are handed out.
            self.context = _worker_context()

    def _start_pool(self) -> ProcessPoolExecutor:
        # Ctrl+C and SIGTERM are held until the workers have started: a run that ended while the fork
        # server forked one had left it unable to read what it was sent, and its traceback. That is
        # milliseconds, or seconds where the CRM was split before the server had imported the
        # pipeline. spawn: the workers are born deaf to Ctrl+C, as this process is for the
        # milliseconds of their starts; a fork server's are as it is.
        held = HeldInterrupts()
        held.hold()
        try:
            spawned = self.context.get_start_method() == "spawn"
            with _ctrl_c_ignored() if spawned else nullcontext():
                self.pool = ProcessPoolExecutor(
                    max_workers=self.workers, mp_context=self.context, initializer=_worker_start
                )
                try:
                    for _ in range(self.workers):
                        self.pool.submit(_ready)  # each submit starts a worker, in this thread
                finally:
                    # Kept to stop them, and to tell how one ended: the pool forgets a broken one's
                    # processes (and has no public way to reach them before Python 3.14).
                    self.processes = list(self.pool._processes.values())
        finally:
            held.release()  # a stop held meanwhile acts now: `map` stops the workers
        return self.pool

    def map(self, function: Callable, indexes: range, progress=None, **arguments) -> list:
        if self.workers <= 1 or len(indexes) <= 1:
            results = []
            for index in indexes:
                results.append(function(index=index, **arguments))
                if progress is not None:
                    progress(len(results), len(indexes))
            return results
        try:
            pool = self.pool or self._start_pool()
            futures = [pool.submit(_in_worker, function, index, arguments) for index in indexes]
            for done, future in enumerate(as_completed(futures), start=1):
                future.result()  # the first partition to fail stops the run now, not after the others
                if progress is not None:
                    progress(done, len(futures))
            return [future.result() for future in futures]
        except BrokenProcessPool as error:
            codes = sorted({str(process.exitcode) for process in self.processes if process.exitcode})
            self.close(now=True)
            raise ChurnError(
                f"a worker process died in {function.__name__} (exit code {', '.join(codes) or 'unknown'}; "
                "-9: killed, as by the out-of-memory killer): lower engine.customers_per_partition or "
                "engine.local_workers and run again"
            ) from error
        except BaseException:  # a failed partition, a timeout, Ctrl-C: the other workers stop too
            self.close(now=True)
            raise

    def close(self, now: bool = False) -> None:
        if self.pool is None:
            return
        self.pool.shutdown(wait=not now, cancel_futures=True)
        if now:
            for process in self.processes:
                # Only those still running: the fork server reaps an ended worker at once, and its
                # number may then be another process's.
                if process.exitcode is None:
                    process.kill()
                process.join()
        self.pool = None


@contextmanager
def _ctrl_c_ignored() -> Iterator[None]:
    """SIGINT ignored while this thread starts processes, which then ignore it too (an ignored signal
    is the one disposition a new program inherits): Ctrl+C reaches the whole foreground group, and a
    worker still importing the pipeline would print a KeyboardInterrupt traceback of its own; this
    process stops the workers instead. Only the main thread may set it. A Ctrl+C in the few
    milliseconds of the starts is lost (a blocked signal would not be: but a new program starts with
    no signal blocked, and this process's other threads would take it meanwhile)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


def _worker_context() -> multiprocessing.context.BaseContext:
    """Where the worker processes come from: forked from a fork server, started now, which imports
    the pipeline once and runs nothing else, so it holds no thread mid-lock (a fork of this process
    might: XGBoost's, Prefect's; the libraries' own pools see the fork through their at-fork
    handlers). spawn where there is none (Windows): each worker imports the pipeline itself, 6 s of
    CPU on a 2-core machine, again at every run in a process that makes several (the tests). The
    server lives as long as this process (or its last worker) does; it is started deaf to Ctrl+C, as
    are the workers it forks: this process stops them. They write to the standard error this process
    had when it started the server (for a command, its own throughout)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    # The server imports with the path of any `python -c`, the current folder first (Python 3.11
    # passes it none of this process's): a `models/` package in the folder `churn` runs in was
    # imported in place of this project's, and every worker failed. PYTHONSAFEPATH leaves it out.
    safe_path = os.environ.get("PYTHONSAFEPATH")
    os.environ["PYTHONSAFEPATH"] = "1"
    try:
        with _ctrl_c_ignored():
            multiprocessing.forkserver.ensure_running()  # no wait: the server imports on its own
    finally:
        if safe_path is None:
            del os.environ["PYTHONSAFEPATH"]
        else:
            os.environ["PYTHONSAFEPATH"] = safe_path
    return context


def _worker_start() -> None:
    """In each worker process: end with the run's process (killed, say), rather than wait forever for
    work that will not come, or go on scoring into a work folder that is gone. The run's process is
    multiprocessing's parent here, not the process tree's (that is the fork server, which lives as
    long as its workers do): its sentinel is readable once it has ended."""
    sentinel = multiprocessing.parent_process().sentinel
    threading.Thread(target=_end_with, args=(sentinel,), name="end-with-the-run", daemon=True).start()


def _end_with(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])
    os._exit(1)  # at once: nothing of a run that is gone is worth finishing


def _ready() -> None:
    """A worker process's first task: submitting it starts the worker (spawn: unpickling it imports
    this module, and the pipeline with it)."""


def _in_worker(function: Callable, index: int, arguments: dict):
    """`function` for one partition, in a worker process. An error that cannot cross back to the
    run's process (its class cannot be rebuilt from a pickle) crosses as a ChurnError with its text."""
    try:
        return function(index=index, **arguments)
    except Exception as error:
        try:
            pickle.loads(pickle.dumps(error))
        except Exception:
            raise ChurnError(f"{type(error).__name__}: {error}") from None
        raise


class DaskEngine:
    """Partitions side by side on a Dask cluster: the one at `address`, or a LocalCluster of
    `workers` single-threaded processes started (and stopped) here."""

    def __init__(self, address: str | None, workers: int) -> None:
        from distributed import Client, LocalCluster

        from pipelines.dask_workers import QuietRankAnnouncements

        self.cluster = None
        if address:
            try:
                self.client = Client(address, timeout=DASK_CONNECT_TIMEOUT)
            except (OSError, TimeoutError) as error:
                raise ChurnError(f"--dask-address {address}: no Dask scheduler answers ({error})") from error
            return
        # Its workers are spawned, each importing the pipeline. Forked from LocalEngine's fork server
        # they started ten times as fast, but the nanny sets each worker's OMP_NUM_THREADS,
        # MALLOC_TRIM_THRESHOLD_ and the like just before its start, which the libraries the server
        # has already loaded would not read.
        self.cluster = LocalCluster(
            n_workers=workers,
            threads_per_worker=1,  # XGBoost and pandas use their own threads
            processes=True,
            # The scheduler's HTTP routes on a free port of this machine only: without an address they
            # take 8787, and a second cluster here (a retrain beside the nightly run) warns it is in use.
            # No dashboard is served: bokeh is not installed.
            dashboard_address="127.0.0.1:0",
            silence_logs=logging.ERROR,
        )
        try:
            self.client = Client(self.cluster)
            # Its workers write to this terminal: without XGBoost's line per worker per fit.
            self.client.register_plugin(QuietRankAnnouncements())
        except BaseException:
            self.cluster.close()
            raise

    def map(self, function: Callable, indexes: range, progress=None, **arguments) -> list:
        from distributed import as_completed

        # pure=False: a rerun of the same run computes again, never reuses a result of another.
        futures = [self.client.submit(function, index=index, pure=False, **arguments) for index in indexes]
        done = 0
        for _ in as_completed(futures):
            done += 1
            if progress is not None:
                progress(done, len(futures))
        return self.client.gather(futures)

    def fit_booster(
        self,
        x_train: pd.DataFrame,
        y_train: np.ndarray,
        w_train: np.ndarray,
        x_valid: pd.DataFrame,
        y_valid: np.ndarray,
        seed: int,
    ):
        """XGBoost trained with xgboost.dask: the training rows are spread over the workers, each
        builds the histograms of its share and XGBoost sums them; early stopping on the validation
        cutoff, with the parameters of training in one process (`models.training.XGBOOST_PARAMS`)."""
        import dask.dataframe as dd
        from xgboost import dask as dxgb

        from models.training import XGBOOST_PARAMS

        pieces = max(1, len(self.client.scheduler_info()["workers"]))

        def spread(values) -> dd.DataFrame | dd.Series:
            # Scattered to the workers first: rows put in the task graph itself make distributed
            # warn about a large graph (and send them through the scheduler).
            frame = pd.DataFrame(values).reset_index(drop=True).squeeze(axis=1)
            bounds = np.linspace(0, len(frame), pieces + 1).astype(int)
            pieces_of_frame = [frame.iloc[start:end] for start, end in zip(bounds, bounds[1:], strict=False)]
            # hash=False: equal rows scattered again (another fit on the same data) get keys of their
            # own; the same keys could be released under the new fit ("lost dependencies").
            scattered = self.client.scatter(pieces_of_frame, hash=False)
            return dd.from_delayed(scattered, meta=frame.iloc[:0], verify_meta=False)

        classifier = dxgb.DaskXGBClassifier(**XGBOOST_PARAMS, random_state=seed)
        classifier.client = self.client
        classifier.fit(
            spread(x_train),
            spread(pd.Series(y_train)),
            sample_weight=spread(pd.Series(w_train)),
            eval_set=[(spread(x_valid), spread(pd.Series(y_valid)))],
            verbose=False,
        )
        return classifier.get_booster(), int(classifier.best_iteration)

    def close(self) -> None:
        self.client.close()
        if self.cluster is not None:
            self.cluster.close()


def engine_for(config: PipelineConfig, partitions: int) -> LocalEngine | DaskEngine:
    if config.engine.name == "dask":
        return DaskEngine(config.engine.dask_address, config.engine.dask_workers)
    return LocalEngine(min(local_workers(config), partitions))


# `auto` stops here: each worker holds a partition (the 1M benchmark: 2.5 GiB for one process scoring
# partitions of 200,000 customers), so memory, not cores, bounds a large machine.
MAX_AUTO_WORKERS = 4


def local_workers(config: PipelineConfig) -> int:
    """`engine.local_workers`, or for `auto` one per CPU core this process may use (its affinity and
    a container's CPU quota), at most MAX_AUTO_WORKERS."""
    if config.engine.local_workers != "auto":
        return int(config.engine.local_workers)
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    quota = Path("/sys/fs/cgroup/cpu.max")  # cgroup v2: "<quota> <period>" or "max <period>"
    try:
        limit, period = quota.read_text().split()[:2]
        if limit != "max":
            cores = min(cores, max(1, math.ceil(int(limit) / int(period))))
    except (OSError, ValueError):
        pass
    return max(1, min(cores, MAX_AUTO_WORKERS))


@contextmanager
def work_folder(config: PipelineConfig) -> Iterator[Path]:
    """The run's own folder for partitions and partial outputs, removed when the run ends, with the
    work folder above it when this run made it and no other run is using it."""
    parent = Path(config.engine.work_dir or Path(config.output_dir) / "work")
    made = not parent.exists()
    for attempt in range(3):
        parent.mkdir(parents=True, exist_ok=True)
        try:
            folder = Path(tempfile.mkdtemp(prefix="churn-run-", dir=parent))
            break
        except FileNotFoundError:  # another run, ending, removed the empty work folder meanwhile
            if attempt == 2:
                raise
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if made:
            with suppress(OSError):  # another run is using it
                parent.rmdir()
