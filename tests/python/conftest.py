"""Shared fixtures: the small DTKS table, offered in every input kind padan accepts."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SMALL_DTKS = FIXTURES / "small_dtks.csv"

Columns = dict[str, list[Any]]
"""Column name -> values (``None`` for a missing cell)."""

# The clusters of small_dtks.csv with two or more rows (see tests/fixtures/README.md).
SMALL_DTKS_DUPLICATES = [{"D001", "D004"}, {"D005", "D006"}, {"D008", "D009"}]


def read_csv_columns(path: Path) -> Columns:
    """A CSV file as text columns; empty cells become None (as padan's CSV reader does)."""
    with path.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return {name: [row[name] or None for row in rows] for name in rows[0]}


def write_csv_columns(columns: Columns, path: Path) -> Path:
    names = list(columns)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(names)
        for row in zip(*(columns[n] for n in names), strict=True):
            writer.writerow(["" if v is None else v for v in row])
    return path


def arrow_table(columns: Columns) -> pa.Table:
    return pa.table(columns)


INPUT_KINDS: dict[str, Callable[[Columns, Path], Any]] = {
    "pyarrow_table": lambda cols, _: arrow_table(cols),
    "pyarrow_reader": lambda cols, _: pa.RecordBatchReader.from_batches(
        arrow_table(cols).schema, arrow_table(cols).to_batches(max_chunksize=5)
    ),
    "polars": lambda cols, _: pl.DataFrame(cols),
    "pandas": lambda cols, _: pd.DataFrame(cols),
    "csv_path": lambda cols, tmp: write_csv_columns(cols, tmp / "input.csv"),
    "parquet_path": lambda cols, tmp: _write_parquet(cols, tmp / "input.parquet"),
}


def _write_parquet(columns: Columns, path: Path) -> str:
    pq.write_table(arrow_table(columns), path)
    return str(path)  # a str path, while csv_path passes a pathlib.Path


@pytest.fixture
def small_columns() -> Columns:
    """The columns of tests/fixtures/small_dtks.csv, as text."""
    return read_csv_columns(SMALL_DTKS)


@pytest.fixture(params=list(INPUT_KINDS))
def to_input(request: pytest.FixtureRequest, tmp_path: Path) -> Callable[[Columns], Any]:
    """Turn columns into one kind of padan input (parametrized over every kind)."""
    make = INPUT_KINDS[request.param]
    return lambda columns: make(columns, tmp_path)


def partition(clusters: Any) -> set[frozenset[str]]:
    """The clusters table as a set of groups of ids (cluster numbering does not matter)."""
    table = pa.table(clusters)
    groups: dict[int, set[str]] = {}
    for id_, cluster in zip(table["id"].to_pylist(), table["cluster_id"].to_pylist(), strict=True):
        groups.setdefault(cluster, set()).add(str(id_))
    return {frozenset(g) for g in groups.values()}
