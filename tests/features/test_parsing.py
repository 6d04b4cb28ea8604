"""Parsing edge cases: offsets in every ISO form, out-of-range instants, ids from typed sources."""

from __future__ import annotations

import numpy as np
import pandas as pd

from features.parsing import normalize_ids, parse_timestamps


def test_every_iso_offset_form_is_read_as_an_instant():
    text = pd.Series(
        ["2024-01-01T10:00+02", "2024-01-01T10:00:00+0200", "2024-01-01 10:00:00+02:00", "2024-01-01T08:00z"]
    )
    parsed, unparsable = parse_timestamps(text, "America/New_York")
    assert not unparsable.any()
    assert (parsed == pd.Timestamp("2024-01-01T08:00:00Z")).all()


def test_a_date_alone_is_local_midnight_not_an_offset():
    parsed, _ = parse_timestamps(pd.Series(["2024-01-01"]), "Europe/Kyiv")
    assert parsed.iloc[0] == pd.Timestamp("2023-12-31T22:00:00Z")


def test_wall_clock_times_at_a_daylight_saving_change_are_read_as_documented():
    """Kyiv: 2025-03-30 03:00 jumps to 04:00; 2024-10-27 04:00 goes back to 03:00."""
    text = pd.Series(["2025-03-30 03:30:00", "2024-10-27 03:30:00"])
    typed = pd.Series(pd.to_datetime(text))  # a database's naive timestamps, not text
    for values in (text, typed):
        parsed, unparsable = parse_timestamps(values, "Europe/Kyiv")
        assert not unparsable.any()
        # skipped: the first time that exists (04:00 EEST); twice: the later one (03:30 EET)
        assert parsed.tolist() == [pd.Timestamp("2025-03-30T01:00:00Z"), pd.Timestamp("2024-10-27T01:30:00Z")]


def test_instants_outside_the_supported_range_are_reported_not_crashed():
    typed = pd.Series(pd.to_datetime(["2024-01-01", "9999-12-31"]).as_unit("us"))
    parsed, unparsable = parse_timestamps(typed, "UTC")
    assert unparsable.tolist() == [False, True]
    text = pd.Series(["2024-01-01", "9999-12-31T00:00:00Z"])
    assert parse_timestamps(text, "UTC")[1].tolist() == [False, True]
    naive = pd.Series(["2024-01-01", "9999-12-31", "2024-02-01"], dtype=object)  # as a CSV gives them
    parsed, unparsable = parse_timestamps(naive, "Europe/Kyiv")
    assert unparsable.tolist() == [False, True, False]
    assert parsed[2] == pd.Timestamp("2024-01-31T22:00:00Z")  # the others still read


def test_ids_from_typed_sources_match_ids_from_text():
    floats = pd.Series([1.0, 2.0, np.nan])
    assert normalize_ids(floats).tolist()[:2] == ["1", "2"]
    categorical = pd.Series(pd.Categorical([1.0, 2.0]))
    assert normalize_ids(categorical).tolist() == ["1", "2"]
    assert normalize_ids(pd.Series([" C7 ", ""])).tolist()[0] == "C7"
    assert normalize_ids(pd.Series([1.0, np.inf])).tolist() == ["1.0", "inf"]  # not integral: kept as text
