"""Atomic table writes: a failed write leaves the previous file exactly as it was, and no debris."""

from __future__ import annotations

import pandas as pd
import pytest

from pipelines.files import write_table


@pytest.mark.parametrize("suffix", ["parquet", "csv"])
def test_round_trip(tmp_path, suffix):
    frame = pd.DataFrame({"customer_id": ["C1", "C2"], "amount": [1.5, 2.0]})
    path = write_table(frame, tmp_path / f"t.{suffix}")
    read = pd.read_parquet(path) if suffix == "parquet" else pd.read_csv(path)
    assert read["amount"].tolist() == [1.5, 2.0]


def test_failed_write_keeps_the_previous_file(tmp_path):
    path = tmp_path / "export.parquet"
    write_table(pd.DataFrame({"x": [1, 2, 3]}), path)
    before = path.read_bytes()
    unwritable = pd.DataFrame({"x": [object(), object()]})  # pyarrow cannot store arbitrary objects
    with pytest.raises(Exception):  # noqa: B017 - whatever pyarrow raises, the old file must survive
        write_table(unwritable, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.parquet"]
    # A failed first write into folders that did not exist leaves none of them behind.
    with pytest.raises(Exception):  # noqa: B017
        write_table(unwritable, tmp_path / "new" / "nested" / "export.parquet")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export.parquet"]


def test_unknown_extension_is_refused(tmp_path):
    with pytest.raises(ValueError, match="use .parquet or .csv"):
        write_table(pd.DataFrame({"x": [1]}), tmp_path / "t.xlsx")
