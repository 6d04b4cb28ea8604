"""Write tables to files atomically: a reader sees the old file or the new one, never half of one."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
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
    if file_format == "parquet":
        return _atomically(path, lambda temp: frame.to_parquet(temp, index=False))
    return _atomically(path, lambda temp: frame.to_csv(temp, index=False, date_format="%Y-%m-%dT%H:%M:%S%z"))


def write_text(text: str, path: Path) -> Path:
    """Write `text` (UTF-8) to `path` via a temp file and a rename, as `write_table` does."""
    return _atomically(Path(path), lambda temp: Path(temp).write_text(text, encoding="utf-8"))


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def _atomically(path: Path, write: Callable[[str], object]) -> Path:
    with replaced_atomically([path]) as (temp_name,):
        write(temp_name)
    return path


@contextmanager
def replaced_atomically(paths: list[Path]) -> Iterator[list[str]]:
    """Temp files beside `paths` to write; each replaces its path only when the block succeeds.

    The renames come after every file is complete, so a failure while writing any of them leaves
    all the old files as they were, and no temp file behind, nor a folder made for them.
    """
    temp_names: list[str] = []
    new_folders: list[Path] = []
    try:
        for path in paths:
            folder = Path(path).parent
            new_folders += missing_folders(folder)
            folder.mkdir(parents=True, exist_ok=True)
            handle, temp_name = tempfile.mkstemp(prefix=f".{Path(path).name}.", suffix=".tmp", dir=folder)
            os.close(handle)
            temp_names.append(temp_name)
        yield temp_names
        for temp_name in temp_names:
            os.chmod(temp_name, 0o666 & ~_umask())  # mkstemp makes it owner-only; a CRM import reads it
        for temp_name, path in zip(temp_names, paths, strict=True):
            os.replace(temp_name, path)
    except BaseException:
        for temp_name in temp_names:
            Path(temp_name).unlink(missing_ok=True)
        remove_empty_folders(new_folders)
        raise


def missing_folders(folder: Path) -> list[Path]:
    """The folders that `folder.mkdir(parents=True)` would make, the deepest first."""
    return [parent for parent in (folder, *folder.parents) if not parent.exists()]


def remove_empty_folders(folders: list[Path]) -> None:
    """Remove folders a failed write made, the deepest first; one that is not empty stays."""
    for folder in sorted(set(folders), key=lambda folder: len(folder.parts), reverse=True):
        with suppress(OSError):  # not empty: something else wrote there meanwhile
            folder.rmdir()


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
