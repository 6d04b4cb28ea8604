"""Write tables to files atomically: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pandas as pd

TABLE_FORMATS = ("parquet", "csv")


def write_table(frame: pd.DataFrame, path: Path) -> Path:
    """Write `frame` to `path` (Parquet or CSV by the extension) via a temp file and a rename.

    The temp file lives in the same folder, so the final `os.replace` is atomic on one file system;
    on any failure the temp file is removed and an existing file at `path` is left untouched.
    """
    path = Path(path)
    file_format = path.suffix.lstrip(".").lower()
    if file_format not in TABLE_FORMATS:
        raise ValueError(f"{path}: unsupported file type; use .parquet or .csv")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    try:
        if file_format == "parquet":
            frame.to_parquet(temp_name, index=False)
        else:
            frame.to_csv(temp_name, index=False, date_format="%Y-%m-%dT%H:%M:%S%z")
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
    return path


def write_tables(tables: dict[str, pd.DataFrame], folder: Path, file_format: str) -> list[Path]:
    """Write each table to `folder/<name>.<format>`, removing a same-named file of the other format.

    A leftover `orders.csv` beside a new `orders.parquet` would make the folder ambiguous to read.
    """
    written = []
    for name, frame in tables.items():
        written.append(write_table(frame, Path(folder) / f"{name}.{file_format}"))
        for other in TABLE_FORMATS:
            if other != file_format:
                (Path(folder) / f"{name}.{other}").unlink(missing_ok=True)
    return written
