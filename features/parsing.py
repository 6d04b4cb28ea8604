"""Turn CRM values as read (text from CSV, typed from Parquet/SQL) into the contract's types.

Each parser returns the parsed values and a mask of the values that were given but could not be
parsed, so the validator can name them instead of silently turning them into missing values.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

TIMESTAMP_DTYPE = "datetime64[ns, UTC]"
ID_DTYPE = "str"
# A time of day followed by Z or an offset (+02, +0200, +02:00); a bare date never has an offset.
_UTC_OFFSET_SUFFIX = r"[T ]\d\d(?::?\d\d)*(?:[.,]\d+)?\s*(?:[Zz]|[+-]\d\d(?::?\d\d)?)$"
_TRUE_WORDS = {"true", "t", "yes", "y", "1", "1.0"}
_FALSE_WORDS = {"false", "f", "no", "n", "0", "0.0"}


def _given(values: pd.Series) -> pd.Series:
    return values.notna()


def parse_timestamps(values: pd.Series, timezone: str) -> tuple[pd.Series, pd.Series]:
    """Parse to UTC; naive values (no offset) are read in `timezone` (ISO 8601 text only)."""
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        parsed = values.dt.tz_convert("UTC")
    elif pd.api.types.is_datetime64_dtype(values.dtype):
        parsed = _localize(values, timezone)
    elif pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        # Numbers are not timestamps (epoch units are ambiguous): report every given value.
        parsed = pd.Series(pd.NaT, index=values.index, dtype=TIMESTAMP_DTYPE)
    else:
        parsed = _parse_timestamp_objects(values, timezone)
    parsed = _within_nanosecond_range(parsed)
    return parsed, _given(values) & parsed.isna()


def _within_nanosecond_range(parsed: pd.Series) -> pd.Series:
    """As datetime64[ns, UTC]; instants outside 1677–2262 (e.g. a 9999-12-31 sentinel) become NaT."""
    try:
        return parsed.astype(TIMESTAMP_DTYPE)
    except (pd.errors.OutOfBoundsDatetime, OverflowError):
        low, high = pd.Timestamp.min.tz_localize("UTC"), pd.Timestamp.max.tz_localize("UTC")
        return parsed.where((parsed > low) & (parsed < high)).astype(TIMESTAMP_DTYPE)


def _localize(values: pd.Series, timezone: str) -> pd.Series:
    # A wall-clock time that is ambiguous or skipped at a DST change maps to the later instant.
    localized = values.dt.tz_localize(
        timezone, ambiguous=np.zeros(len(values), bool), nonexistent="shift_forward"
    )
    return localized.dt.tz_convert("UTC")


def _parse_timestamp_objects(values: pd.Series, timezone: str) -> pd.Series:
    parsed = pd.Series(pd.NaT, index=values.index, dtype=TIMESTAMP_DTYPE)
    given = values[values.notna()]
    if given.empty:
        return parsed
    is_text = given.map(type).eq(str) if given.dtype == object else pd.Series(True, index=given.index)
    text = given[is_text].astype(str).str.strip()
    has_offset = text.str.contains(_UTC_OFFSET_SUFFIX, regex=True)
    if has_offset.any():
        aware = pd.to_datetime(
            text[has_offset].str.replace("z", "Z"), utc=True, errors="coerce", format="ISO8601"
        )
        parsed.loc[aware.index] = _within_nanosecond_range(aware)
    naive_text = text[~has_offset]
    if not naive_text.empty:
        try:
            naive = pd.to_datetime(naive_text, errors="coerce", format="ISO8601")
            # A 9999-12-31 sentinel parses at a coarser unit than nanoseconds: out of range, NaT.
            parsed.loc[naive.index] = _within_nanosecond_range(_localize(naive, timezone))
        except (ValueError, TypeError, OverflowError):
            pass  # left NaT: reported as unparsable, never a crash
    others = given[~is_text]  # datetime objects from a database driver
    if not others.empty:
        converted = pd.to_datetime(others, errors="coerce", utc=False)
        if isinstance(converted.dtype, pd.DatetimeTZDtype):
            parsed.loc[converted.index] = converted.dt.tz_convert("UTC")
        elif pd.api.types.is_datetime64_dtype(converted.dtype):
            parsed.loc[converted.index] = _localize(converted, timezone)
        else:  # a mix of aware and naive objects: pandas leaves them as objects
            parsed.loc[converted.index] = pd.to_datetime(others, errors="coerce", utc=True)
    return parsed


def parse_numbers(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    if pd.api.types.is_bool_dtype(values.dtype):
        parsed = values.astype("float64")
    elif pd.api.types.is_numeric_dtype(values.dtype):
        parsed = values.astype("float64")
    else:
        text = values.astype("str").str.strip().where(values.notna())
        parsed = pd.to_numeric(text, errors="coerce").astype("float64")
    # inf is not a usable amount or score either
    parsed = parsed.where(np.isfinite(parsed))
    return parsed, _given(values) & parsed.isna()


def parse_bools(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.astype("boolean"), pd.Series(False, index=values.index)
    words = values.astype("str").str.strip().str.lower().where(values.notna())
    parsed = pd.Series(pd.NA, index=values.index, dtype="boolean")
    parsed[words.isin(_TRUE_WORDS)] = True
    parsed[words.isin(_FALSE_WORDS)] = False
    return parsed, _given(values) & parsed.isna()


def normalize_ids(values: pd.Series) -> pd.Series:
    """Ids as text; integral numbers from Parquet/SQL lose their '.0' so they match CSV ids."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return _per_category(values, normalize_ids)
    if pd.api.types.is_float_dtype(values.dtype):
        whole = values.dropna()
        if np.isfinite(whole).all() and (whole == np.floor(whole)).all():
            values = values.astype("Int64")
    text = values.astype(ID_DTYPE).str.strip().where(values.notna())
    return text.where(text != "").astype(ID_DTYPE)


def normalize_text(values: pd.Series, lower: bool = False) -> pd.Series:
    if isinstance(values.dtype, pd.CategoricalDtype):
        return _per_category(values, lambda categories: normalize_text(categories, lower))
    text = values.astype("str").str.strip().where(values.notna())
    if lower:
        text = text.str.lower()
    return text.where(text != "").astype("str")


def _per_category(values: pd.Series, normalize) -> pd.Series:
    """`normalize` of a categorical column (a dictionary-encoded Parquet column), done once per
    category and spread by the codes: converting millions of cells one by one takes seconds."""
    categories = pd.Index(normalize(pd.Series(values.cat.categories)))
    codes = values.cat.codes.to_numpy()
    return pd.Series(categories.take(codes, allow_fill=True, fill_value=None), index=values.index)


def is_in(values: pd.Series | pd.Index, allowed: pd.Series | pd.Index) -> np.ndarray:
    """`values.isin(allowed)` as one Arrow hash lookup; missing values are not in.

    pandas' `isin` on Arrow-backed strings turns the allowed values into Python objects one at a time:
    15 s for a million customer ids, against well under a second here.
    """
    array, value_set = (_decoded(pa.array(pd.Series(each, copy=False).array)) for each in (values, allowed))
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)) or not (
        pa.types.is_string(value_set.type) or pa.types.is_large_string(value_set.type)
    ):
        return np.asarray(pd.Series(values, copy=False).isin(allowed), dtype=bool)
    found = pc.is_in(array, value_set=value_set.cast(array.type))
    return found.to_numpy(zero_copy_only=False).astype(bool) & ~array.is_null().to_numpy(zero_copy_only=False)


def _decoded(array: pa.Array) -> pa.Array:
    """A dictionary-encoded (categorical) array as its plain values."""
    return array.cast(array.type.value_type) if pa.types.is_dictionary(array.type) else array
