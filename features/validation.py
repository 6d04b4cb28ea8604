"""Check CRM tables against the contract (pandera, lazily: every problem at once) and type them.

`validate_crm` is the one entry point: it parses values, runs each table's pandera schema, checks
customer ids across tables, and either returns typed tables or raises `DataContractError` listing
every broken rule. With `drop_invalid` the offending rows are set aside (returned, never silently
lost) and the rest goes on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from features.config import PipelineConfig, reason_codes
from features.contract import EVENT_TIME_COLUMN, REASON_CODES_FROM_CONFIG, TABLES, ColumnSpec, TableSpec
from features.errors import DataContractError, Problem
from features.parsing import (
    is_in,
    normalize_ids,
    normalize_text,
    parse_bools,
    parse_numbers,
    parse_timestamps,
)
from features.sources import RawTable, read_crm

EXAMPLE_ROWS = 5
SHOWN_COLUMNS = 10  # of a file's columns, when one is missing: a wide CRM export has dozens
WRONG_SEPARATORS = {";": "semicolons", "\t": "tabs"}  # in the one column of a misread CSV header
# Tables whose customer_ids are checked against `customers` come after it; order matters for
# --drop-invalid, where a customer row dropped as invalid no longer vouches for other tables.
VALIDATION_ORDER = ("customers", "orders", "contacts", "complaints", "surveys")

RULE_MESSAGES = {
    "required_column": "the column is required but missing",
    "parseable_timestamp": "not an ISO 8601 timestamp (e.g. 2024-03-01 or 2024-03-01T14:30:00+02:00)",
    "parseable_number": "not a number",
    "parseable_bool": "not a boolean (true/false, yes/no, 1/0)",
    "not_null": "a required value is empty",
    "unique": "duplicate value; each must be unique",
    "non_negative_amount": "negative amount on an order that is not marked returned",
    "in_range": "outside the allowed range",
    "known_code": "unknown code",
    "known_customer": "customer_id not found in the customers table",
    "known_referrer": "referred_by is not a customer_id in the customers table",
    "not_in_future": "later than the current time: a clock or time-zone error",
    "resolved_after_opened": "resolved_at is before opened_at",
    "non_empty": "the table has no rows",
}
# Rules that need every customer at once: a partitioned run checks them across its partitions.
CROSS_PARTITION_RULES = ("known_referrer", "non_empty")
_PANDERA_BUILTIN_RULES = {
    "not_nullable": "not_null",
    "field_uniqueness": "unique",
    "column_in_dataframe": "required_column",
}


@dataclass
class ValidatedCRM:
    """Typed contract tables, plus the rows set aside by --drop-invalid and why."""

    tables: dict[str, pd.DataFrame]
    quarantined: dict[str, pd.DataFrame] = field(default_factory=dict)
    dropped: list[Problem] = field(default_factory=list)
    # With --drop-invalid, the tables as read: what `churn validate` writes the passing rows from.
    raw: dict[str, RawTable] = field(default_factory=dict)


@dataclass
class _Context:
    timezone: str
    latest_allowed: pd.Timestamp
    customer_ids: pd.Index | None  # None when there is no customers table
    whole_crm: bool = True  # False for one partition of customers: rules across customers wait


def load_crm(
    data: str, config: PipelineConfig, *, now: pd.Timestamp | None = None, drop_invalid: bool = False
) -> ValidatedCRM:
    """Read a CRM folder or database and validate it in one call (`churn validate`, `churn evaluate`; the
    flows read and validate in steps of their own)."""
    raw_tables, read_problems = read_crm(data, config.source)
    return validate_crm(raw_tables, config, now=now, drop_invalid=drop_invalid, read_problems=read_problems)


def validate_crm(
    raw_tables: dict[str, RawTable],
    config: PipelineConfig,
    *,
    now: pd.Timestamp | None = None,
    drop_invalid: bool = False,
    read_problems: list[Problem] | None = None,
    whole_crm: bool = True,
) -> ValidatedCRM:
    """Validate and type every table read; raise `DataContractError` with all problems found.

    Args:
        raw_tables: tables as read by `features.sources.read_crm`.
        config: pipeline settings (time zone, clock tolerance).
        now: the current time for the clock-error check; defaults to the real clock.
        drop_invalid: set rows that break a row-level rule aside instead of failing.
        read_problems: problems met while reading, reported together with these.
        whole_crm: False when `raw_tables` hold one partition of the customers (their rows of every
            table): the rules that look across customers — a referrer is a known customer, the
            orders table is not empty — are then the caller's to check on all partitions
            (`CROSS_PARTITION_RULES`).
    """
    now = pd.Timestamp.now(tz="UTC") if now is None else pd.Timestamp(now)
    now = now.tz_localize("UTC") if now.tzinfo is None else now.tz_convert("UTC")
    context = _Context(
        timezone=config.source.timezone,
        latest_allowed=now + pd.Timedelta(minutes=config.validation.future_tolerance_minutes),
        customer_ids=None,
        whole_crm=whole_crm,
    )
    fatal: list[Problem] = list(read_problems or [])
    result = ValidatedCRM(tables={})
    for name in VALIDATION_ORDER:
        if name not in raw_tables:
            continue
        raw = raw_tables[name]
        typed, problems = _validate_table(raw, TABLES[name], context)
        row_problems = [problem for problem in problems if problem.droppable]
        fatal += [problem for problem in problems if not problem.droppable]
        if row_problems and drop_invalid:
            bad_labels = np.unique(np.concatenate([problem.row_labels for problem in row_problems]))
            if name == "customers":
                orphaned = _referred_by_one_set_aside(typed, bad_labels)
                if len(orphaned):
                    row_problems.append(_row_problem(raw, "referred_by", "known_referrer", orphaned))
                    bad_labels = np.union1d(bad_labels, orphaned)
            result.quarantined[name] = _quarantine_frame(raw.frame, row_problems, bad_labels)
            result.dropped += row_problems
            typed = typed.drop(index=bad_labels)
        else:
            fatal += row_problems
        if whole_crm and name == "orders" and len(typed) == 0 and not any(p.table == "orders" for p in fatal):
            fatal.append(_empty_orders_problem(len(raw.frame), row_problems if drop_invalid else []))
        if name == "customers" and "customer_id" in typed:
            context.customer_ids = pd.Index(typed["customer_id"].dropna().unique())
        result.tables[name] = typed.reset_index(drop=True)
    if drop_invalid:
        result.raw = dict(raw_tables)
    if fatal:
        raise DataContractError(fatal)
    return result


def _referred_by_one_set_aside(customers: pd.DataFrame, set_aside: np.ndarray) -> np.ndarray:
    """Customers whose referrer is among the rows set aside (or referred by one of these, and so on):
    their referred_by then names no customer of the CRM that goes on, as known_referrer forbids."""
    rule = WIDE_RULES["known_referrer"]
    if not set(rule.columns) <= set(customers.columns):
        return np.array([], dtype=set_aside.dtype)
    dropped = pd.Index(set_aside)
    while True:
        kept = customers.drop(index=dropped)
        orphaned = kept.index[~rule.holds(kept)]
        if orphaned.empty:
            return np.setdiff1d(dropped.to_numpy(), set_aside)
        dropped = dropped.union(orphaned)


def note_nothing_known_by(error: DataContractError, as_of: pd.Timestamp) -> None:
    """A scoring date before the first order reads no order at all (only what was known by then is
    read), which the contract calls an empty table: say the date may be what is wrong."""
    if any(problem.table == "orders" and problem.rule == "non_empty" for problem in error.problems):
        error.add_note(
            f"Only the rows known by the end of --as-of {as_of:%Y-%m-%d} are read: if the CRM's orders "
            "start later, score a later date."
        )


def _empty_orders_problem(rows_read: int, dropped: list[Problem]) -> Problem:
    """No orders: none in the source, or --drop-invalid set every one aside (then say so, and why)."""
    if not (rows_read and dropped):
        return Problem("orders", "non_empty", RULE_MESSAGES["non_empty"])
    rules = ", ".join(f"{problem.column} [{problem.rule}] {problem.rows:,}" for problem in dropped)
    rows = f"all {rows_read:,} rows were" if rows_read > 1 else "its one row was"
    return Problem(
        "orders", "non_empty", f"{rows} set aside by --drop-invalid, none is left (rows per rule: {rules})"
    )


def _validate_table(raw: RawTable, spec: TableSpec, context: _Context) -> tuple[pd.DataFrame, list[Problem]]:
    typed, unparsable = parse_columns(raw.frame, spec, context.timezone)
    problems = [
        _row_problem(raw, column, rule, mask[mask].index.to_numpy())
        for (column, rule), mask in unparsable.items()
        if mask.any()
    ]
    schema = _table_schema(spec, context, present=set(typed.columns))
    try:
        schema.validate(typed, lazy=True)
    except SchemaErrors as errors:
        failures = _without_unparsable_cells(errors.failure_cases, unparsable)
        problems += _problems_from_pandera(failures, raw, spec)
    return typed, problems


def _without_unparsable_cells(
    failures: pd.DataFrame, unparsable: dict[tuple[str, str], pd.Series]
) -> pd.DataFrame:
    """Drop 'empty value' failures on cells that are empty only because they could not be parsed.

    Those cells are already reported as unparsable; saying "empty" too would report them twice.
    """
    keep = pd.Series(True, index=failures.index)
    for (column, _rule), mask in unparsable.items():
        bad_labels = mask[mask].index
        if len(bad_labels):
            on_cell = (failures["column"] == column) & (failures["check"] == "not_nullable")
            keep &= ~(on_cell & failures["index"].isin(bad_labels))
    return failures[keep]


def parse_columns(
    frame: pd.DataFrame, spec: TableSpec, timezone: str
) -> tuple[pd.DataFrame, dict[tuple[str, str], pd.Series]]:
    """The contract's columns typed as every pipeline step gets them, and the cells that would not parse."""
    typed = {}
    unparsable: dict[tuple[str, str], pd.Series] = {}
    for column in spec.columns:
        if column.name not in frame:
            continue
        values = frame[column.name]
        if column.kind == "timestamp":
            typed[column.name], unparsable[(column.name, "parseable_timestamp")] = parse_timestamps(
                values, timezone
            )
        elif column.kind in ("amount", "number"):
            typed[column.name], unparsable[(column.name, "parseable_number")] = parse_numbers(values)
        elif column.kind == "bool":
            typed[column.name], unparsable[(column.name, "parseable_bool")] = parse_bools(values)
        elif column.kind == "id":
            typed[column.name] = normalize_ids(values)
        else:
            typed[column.name] = normalize_text(values, lower=column.kind == "code")
    return pd.DataFrame(typed, index=frame.index), unparsable


def _allowed_codes(column: ColumnSpec) -> tuple[str, ...]:
    return reason_codes() if column.codes == REASON_CODES_FROM_CONFIG else column.codes


def _table_schema(spec: TableSpec, context: _Context, present: set[str]) -> pa.DataFrameSchema:
    columns = {}
    for column in spec.columns:
        checks = []
        if column.kind == "timestamp" and not column.future_allowed:
            latest = context.latest_allowed
            checks.append(_check(lambda s, latest=latest: s <= latest, "not_in_future"))
        if column.codes:
            codes = _allowed_codes(column)
            checks.append(_check(lambda s, codes=codes: s.isin(codes), "known_code"))
        if column.minimum is not None or column.maximum is not None:
            low = -np.inf if column.minimum is None else column.minimum
            high = np.inf if column.maximum is None else column.maximum
            checks.append(_check(lambda s, low=low, high=high: s.between(low, high), "in_range"))
        if column.name == "customer_id" and spec.name != "customers" and context.customer_ids is not None:
            known = context.customer_ids
            checks.append(_check(lambda s, ids=known: pd.Series(is_in(s, ids), s.index), "known_customer"))
        columns[column.name] = pa.Column(
            None, checks=checks, nullable=not column.required, unique=column.unique, required=column.required
        )
    wide_checks = [
        pa.Check(rule.holds, name=name, error=name)
        for name, rule in WIDE_RULES.items()
        if rule.table == spec.name
        and set(rule.columns) <= present
        and (context.whole_crm or name not in CROSS_PARTITION_RULES)
    ]
    return pa.DataFrameSchema(columns, checks=wide_checks, strict=False)


def _check(function, rule: str) -> pa.Check:
    return pa.Check(function, name=rule, error=rule, ignore_na=True)


@dataclass(frozen=True)
class _WideRule:
    """A rule over several columns of a row; reported on `columns[0]`, examples show the others.

    `columns` must all be present for the rule to run; `also_shown` are optional ones it reads.
    """

    table: str
    columns: tuple[str, ...]
    holds: Callable[[pd.DataFrame], pd.Series]
    also_shown: tuple[str, ...] = ()


def _non_negative_or_returned(frame: pd.DataFrame) -> pd.Series:
    returned = frame["returned"].fillna(False) if "returned" in frame else False
    return frame["amount"].isna() | (frame["amount"] >= 0) | returned


WIDE_RULES = {
    "non_negative_amount": _WideRule("orders", ("amount",), _non_negative_or_returned, ("returned",)),
    "resolved_after_opened": _WideRule(
        "complaints",
        ("resolved_at", "opened_at"),
        lambda frame: frame["resolved_at"].isna() | (frame["resolved_at"] >= frame["opened_at"]),
    ),
    "known_referrer": _WideRule(
        "customers",
        ("referred_by", "customer_id"),
        lambda frame: (
            frame["referred_by"].isna()
            | pd.Series(is_in(frame["referred_by"], frame["customer_id"].dropna()), frame.index)
        ),
    ),
}


def _problems_from_pandera(failures: pd.DataFrame, raw: RawTable, spec: TableSpec) -> list[Problem]:
    failures = failures.assign(
        rule=failures["check"].map(lambda check: _PANDERA_BUILTIN_RULES.get(check, check))
    )
    problems = []
    for rule, by_rule in failures.groupby("rule", sort=False):
        if rule in WIDE_RULES:
            column = WIDE_RULES[rule].columns[0]
            labels = by_rule["index"].dropna().unique()
            problems.append(_row_problem(raw, column, rule, np.asarray(labels)))
            continue
        for column, by_column in by_rule.groupby(
            by_rule["column"].fillna(by_rule["failure_case"]), sort=False
        ):
            if rule == "required_column":
                problems.append(_missing_column_problem(raw, spec, str(column)))
                continue
            labels = by_column["index"].dropna().unique()
            problems.append(_row_problem(raw, str(column), rule, np.asarray(labels)))
    return problems


def _missing_column_problem(raw: RawTable, spec: TableSpec, column: str) -> Problem:
    message = RULE_MESSAGES["required_column"]
    source_name = raw.source_columns.get(column, column)
    if source_name != column:
        message += f" (mapped from {source_name!r} in source.columns)"
    message += f" in {raw.origin}; {_columns_it_has(raw)}"
    return Problem(spec.name, "required_column", message, column=column)


def _columns_it_has(raw: RawTable) -> str:
    """The columns of the file or table in its own names (the first ten), to spot a misspelt one."""
    names = [str(name) for name in raw.file_columns]
    if not names:
        return "it has no columns"
    separator = next((word for mark, word in WRONG_SEPARATORS.items() if mark in names[0]), None)
    if len(names) == 1 and separator:
        # A whole header read as one column: the file is not separated by commas.
        header = names[0].replace("\t", " ")
        header = header if len(header) <= 60 else header[:59] + "…"
        return f"it has one column, '{header}': the file looks separated by {separator}, not commas"
    shown = ", ".join(names[:SHOWN_COLUMNS])
    return f"it has: {shown}" + (f", … ({len(names)} in all)" if len(names) > SHOWN_COLUMNS else "")


def _row_problem(raw: RawTable, column: str, rule: str, labels: np.ndarray) -> Problem:
    message = RULE_MESSAGES[rule]
    if rule == "known_code":
        message += f"; allowed: {', '.join(_allowed_codes(TABLES[raw.name].column(column)))}"
    if rule == "in_range":
        message = _range_message(TABLES[raw.name].column(column))
    labels = np.sort(labels.astype(np.int64))
    return Problem(
        raw.name,
        rule,
        message,
        column=column,
        rows=len(labels),
        total_rows=len(raw.frame),
        examples=tuple(_example(raw.frame, label, column, rule) for label in labels[:EXAMPLE_ROWS]),
        row_labels=labels,
    )


def _range_message(column: ColumnSpec) -> str:
    if column.maximum is None:
        return f"below {column.minimum:g}"
    if column.minimum is None:
        return f"above {column.maximum:g}"
    return f"outside {column.minimum:g} to {column.maximum:g}"


def _example(frame: pd.DataFrame, label: int, column: str, rule: str) -> str:
    wide_rule = WIDE_RULES.get(rule)
    context = (*wide_rule.columns[1:], *wide_rule.also_shown) if wide_rule else ()
    shown = dict.fromkeys(("customer_id", column, *context))
    row = frame.loc[label]
    values = ", ".join(f"{name}={_shown_value(row[name])}" for name in shown if name in frame)
    return f"row {label + 1} ({values})"


def _shown_value(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "<empty>"
    return str(value)


def _quarantine_frame(frame: pd.DataFrame, problems: list[Problem], labels: np.ndarray) -> pd.DataFrame:
    broken = pd.Series("", index=frame.index, dtype="str")
    for problem in problems:
        tag = f"{problem.column}:{problem.rule}"
        hit = broken.index.isin(problem.row_labels)
        broken[hit] = np.where(broken[hit] == "", tag, broken[hit] + ";" + tag)
    quarantined = frame.loc[labels].copy()
    quarantined.insert(0, "source_row", labels + 1)
    quarantined.insert(1, "broken_rules", broken.loc[labels].to_numpy())
    return quarantined


def summarize(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Per table: rows, customers, and the date range of its event timestamp."""
    rows = []
    for name in TABLES:
        if name not in tables:
            continue
        frame = tables[name]
        time_column = EVENT_TIME_COLUMN[name]
        times = frame[time_column] if time_column in frame else pd.Series(dtype="datetime64[ns, UTC]")
        rows.append(
            {
                "table": name,
                "rows": len(frame),
                "customers": frame["customer_id"].nunique(),
                "first": times.min(),
                "last": times.max(),
            }
        )
    return pd.DataFrame(rows)
