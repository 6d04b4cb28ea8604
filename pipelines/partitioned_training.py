"""Training on a CRM in partitions of customers: the training set is built partition by partition
(one after another, side by side in worker processes, or on Dask), so no process holds the whole
CRM; only the finished training set (customers × cutoffs × features) comes together, to be trained on.

1. `split_crm` and `check_partition`, as for scoring (`pipelines.partitioned`): one report of every
   broken rule across partitions, and the "data ends before --as-of" check.
2. `referrer_activity_partition` (per partition): the referrers among its customers, their last
   purchase and cancellation at every training cutoff; one small file per cutoff, which every
   partition reads when it builds that cutoff (`SharedReferrerActivity`).
3. `training_partition` (per partition): `build_training_set`'s rows of its customers
   (`training_rows_by_cutoff`), given what only the whole CRM knows (the columns with values, the
   referrers' activity), written to a Parquet file one cutoff at a time. It returns its input
   fingerprint and its feed at as-of (the monitoring reference's).
4. Here: the partitions' rows in the order building from the whole CRM gives (cutoff, then
   customer_id), so training is the same, to the bit, as `churn train` on the CRM in one piece
   (a test compares). Then `models.train_run.train_on`: XGBoost here or with xgboost.dask.
"""

from __future__ import annotations

import functools
import pickle
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from features.build import training_rows_by_cutoff
from features.config import PipelineConfig
from features.errors import TrainingDataError
from features.parsing import is_in
from features.personal_ties import customer_activity
from features.timeline import cutoff_instant, orders_fall_short, training_cutoffs
from models.exit_reasons import in_answer_order, stated_exit_reasons
from models.monitoring import FeedProfile, feed_at
from models.train_run import (
    TrainingInput,
    TrainingReport,
    check_training_prerequisites,
    check_training_reach,
    input_fingerprint,
    merge_fingerprints,
    train_on,
)
from models.training import fit_booster_here
from pipelines.partitioned import (
    DaskEngine,
    LocalEngine,
    Partitions,
    check_partition,
    engine_for,
    last_order,
    raise_problems,
    referrers_named,
    split_crm,
    work_folder,
)


@dataclass(frozen=True)
class TrainingPart:
    """What one partition's training rows tell the run."""

    rows: int
    fingerprint: dict  # `input_fingerprint` of the partition's tables
    feed: FeedProfile  # its customers' feed at as-of
    stated_exit_reasons: pd.DataFrame  # its customers' exit-survey answers before as-of


def referrer_activity_partition(
    parts: Partitions, index: int, cutoffs: list[pd.Timestamp], present: set[str]
) -> None:
    """`customer_activity` of the referrers among partition `index`'s customers, at every cutoff:
    one small file per cutoff (`SharedReferrerActivity` reads one cutoff's at a time)."""
    referrers: pd.Index = pickle.loads(_referrers_file(parts).read_bytes())
    tables = parts.typed_tables(index)
    customers = tables["customers"]
    here = pd.Series(customers["customer_id"].dropna().unique())
    theirs = pd.Index(here.astype("str")[is_in(here, referrers)], name="customer_id")
    for cutoff_day in cutoffs:
        activity = customer_activity(customers, tables["orders"], theirs, cutoff_instant(cutoff_day), present)
        path = _activity_file(parts, index, cutoff_day)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pickle.dumps(activity))


class SharedReferrerActivity(Mapping):
    """{cutoff: every partition's referrer activity}, read from the files when a cutoff is built:
    a partition holds one cutoff's table at a time, not all of them."""

    def __init__(self, parts: Partitions, cutoffs: list[pd.Timestamp]) -> None:
        self.parts, self.cutoffs = parts, cutoffs

    def __getitem__(self, cutoff_day: pd.Timestamp) -> pd.DataFrame:
        if cutoff_day not in self.cutoffs:
            raise KeyError(cutoff_day)
        files = [_activity_file(self.parts, index, cutoff_day) for index in range(self.parts.count)]
        return pd.concat([pickle.loads(file.read_bytes()) for file in files])

    def __iter__(self):
        return iter(self.cutoffs)

    def __len__(self) -> int:
        return len(self.cutoffs)


def training_partition(
    parts: Partitions, index: int, as_of: pd.Timestamp, config: PipelineConfig
) -> TrainingPart:
    """Partition `index`'s training rows, to `_training_file` (none when it has no row); its
    fingerprint, feed and stated exit reasons back."""
    present, cutoffs = pickle.loads(parts.shared_file("training_facts").read_bytes())
    shared = SharedReferrerActivity(parts, cutoffs) if "customers.referred_by" in present else None
    tables = parts.typed_tables(index)
    churn = config.churn
    by_cutoff = training_rows_by_cutoff(
        tables,
        as_of,
        churn.horizon_days,
        churn.training_cutoffs,
        churn.definition,
        churn.lookback_days,
        config.features.topic_keywords,
        present=present,
        referrer_activity=shared,
    )
    rows, writer = 0, None
    try:
        for frame in by_cutoff:  # each cutoff's rows written before the next is built
            if frame.empty:  # nobody yet at an early cutoff: its empty columns would type nothing
                continue
            table = pa.Table.from_pandas(frame)
            if writer is None:
                writer = pq.ParquetWriter(_training_file(parts, index), table.schema)
            writer.write_table(table.cast(writer.schema))
            rows += len(frame)
    finally:
        if writer is not None:
            writer.close()
    return TrainingPart(
        rows,
        input_fingerprint(tables),
        feed_at(tables, as_of, churn.lookback_days),
        stated_exit_reasons(tables, as_of),
    )


def assembled_training_set(parts: Partitions, rows: int) -> pd.DataFrame:
    """Every partition's rows (`rows` in all), ordered as `build_training_set` orders the whole
    CRM's: cutoff, then customer_id (Arrow's byte order of UTF-8 text is pandas' order of str).

    Sorted in Arrow and handed to pandas column by column, each freed as it goes: about twice the
    training set at the peak, on top of what the process holds (pandas' concat and sort took four
    times). The files are removed after.
    """
    files = [_training_file(parts, index) for index in range(parts.count)]
    files = [file for file in files if file.exists()]
    if not files:
        raise TrainingDataError(
            "no customer is in the population at any training cutoff: nothing to train on"
        )
    table = pa.concat_tables([pq.read_table(file) for file in files], promote_options="permissive")
    if table.num_rows != rows:
        raise RuntimeError(f"the partitions wrote {rows:,} training rows, {table.num_rows:,} were read back")
    order = pc.sort_indices(table, sort_keys=[("cutoff", "ascending"), ("customer_id", "ascending")])
    table = table.take(order)
    for file in files:
        file.unlink()
    return table.to_pandas(split_blocks=True, self_destruct=True)


def train_in_partitions(
    data: str,
    as_of: str | pd.Timestamp,
    config: PipelineConfig,
    count: int,
    *,
    force_promote: bool = False,
    announce: Callable[[str], None] = lambda step: None,
    progress: Callable[[int, int], None] | None = None,
    lang: str | None = None,
) -> TrainingReport:
    """Steps 1 to 4 of the module's docstring on `config.engine`; the work folder is removed after."""
    as_of = pd.Timestamp(as_of)
    check_training_prerequisites(config, lang)
    with work_folder(config) as folder:
        engine = engine_for(config, count)
        try:
            parts, rows, source = build_in_partitions(
                data, as_of, config, count, engine, folder, announce, progress
            )
            if isinstance(engine, LocalEngine):
                engine.close()  # the workers' memory is freed before the rows come together here
            announce("gather the training set")
            training_set = assembled_training_set(parts, rows)
            return train_on(
                training_set,
                source,
                as_of,
                config,
                force_promote=force_promote,
                progress=announce,
                fit_booster=engine.fit_booster if isinstance(engine, DaskEngine) else fit_booster_here,
                lang=lang,
            )
        finally:
            engine.close()


def build_in_partitions(
    data: str,
    as_of: pd.Timestamp,
    config: PipelineConfig,
    count: int,
    engine: LocalEngine | DaskEngine,
    folder: Path,
    announce: Callable[[str], None] = lambda step: None,
    progress: Callable[[int, int], None] | None = None,
    now: pd.Timestamp | None = None,
) -> tuple[Partitions, int, TrainingInput]:
    """Steps 1 to 3: every partition's training rows in the work folder (`assembled_training_set`
    puts them together), how many, and what the run records of its input."""
    now = pd.Timestamp.now(tz="UTC") if now is None else now
    churn = config.churn
    cutoffs = training_cutoffs(as_of, churn.horizon_days, churn.training_cutoffs)
    announce(f"split the CRM into {count} partitions of customers")
    parts = split_crm(data, config, count, folder)
    announce(f"validate {count} partitions")
    checks = engine.map(
        check_partition, range(count), progress, parts=parts, config=config, now=now, cutoff=None
    )
    raise_problems(checks, parts)
    check_training_reach(orders_fall_short(last_order(checks), as_of))
    present = set().union(*(check.present for check in checks))
    referrers = referrers_named(checks)
    del checks
    _referrers_file(parts).parent.mkdir(parents=True, exist_ok=True)
    if "customers.referred_by" in present:  # the personal-ties features look across partitions
        announce(f"share the referrers' activity at {len(cutoffs)} cutoffs")
        _referrers_file(parts).write_bytes(pickle.dumps(referrers))
        engine.map(
            referrer_activity_partition, range(count), progress, parts=parts, cutoffs=cutoffs, present=present
        )
    parts.shared_file("training_facts").write_bytes(pickle.dumps((present, cutoffs)))
    (folder / "training").mkdir()
    announce(f"build the training set ({len(cutoffs)} month-end cutoffs) in {count} partitions")
    built = engine.map(training_partition, range(count), progress, parts=parts, as_of=as_of, config=config)
    source = TrainingInput(
        merge_fingerprints([part.fingerprint for part in built]),
        functools.reduce(FeedProfile.merge, (part.feed for part in built)),
        # A customer's answers all lie in their partition: the partitions' answers only add up.
        in_answer_order(pd.concat([part.stated_exit_reasons for part in built])),
    )
    return parts, sum(part.rows for part in built), source


def _referrers_file(parts: Partitions) -> Path:
    return parts.shared_file("referrers")


def _training_file(parts: Partitions, index: int) -> Path:
    return parts.folder / "training" / f"{index:05d}.parquet"


def _activity_file(parts: Partitions, index: int, cutoff_day: pd.Timestamp) -> Path:
    return parts.folder / "shared" / "referrer_activity" / f"{cutoff_day:%Y-%m-%d}" / f"{index:05d}.pickle"
