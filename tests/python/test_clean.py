"""Cleaning without deduplicating: padan.normalize_name, parse_nik, parse_kk, parse_address.

The expected values come from the golden tables in tests/fixtures (written by hand from the
domain brief; see tests/fixtures/README.md), shared with the Rust tests.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
from collections.abc import Callable
from typing import Any

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import padan
from conftest import FIXTURES

Row = dict[str, Any]


def read_golden(name: str) -> list[dict[str, str]]:
    """A golden table as text rows; empty cells stay "" (an empty raw value is a value)."""
    with (FIXTURES / name).open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


NAMES = read_golden("names.csv")
ADDRESSES = read_golden("addresses.csv")
IDS = read_golden("niks.csv")
NIKS = [r for r in IDS if r["kind"] == "nik"]
KKS = [r for r in IDS if r["kind"] == "kk"]


def text(cell: str) -> str | None:
    return cell or None


def integer(cell: str) -> int | None:
    return int(cell) if cell else None


def codes(cell: str) -> tuple[str, ...]:
    return tuple(cell.split(";")) if cell else ()


def boolean(cell: str) -> bool:
    assert cell in ("true", "false"), cell
    return cell == "true"


def expected_name(row: dict[str, str]) -> Row:
    return {
        "normalized": row["normalized"],
        "father": text(row["father"]),
        "sex_hint": integer(row["sex_hint"]),
        "deceased_marker": boolean(row["deceased"]),
        "birth_order": integer(row["birth_order"]),
    }


def expected_address(row: dict[str, str]) -> Row:
    out: Row = {k: text(row[k]) for k in ("street", "number", "gang", "blok", "dusun", "village")}
    out["rt"] = integer(row["rt"])
    out["rw"] = integer(row["rw"])
    return out


def expected_id(row: dict[str, str]) -> Row:
    out: Row = {
        "digits": text(row["digits"]),
        "masked": row["masked"],
        "valid": boolean(row["valid"]),
        "errors": codes(row["errors"]),
        "warnings": codes(row["warnings"]),
        "excel_truncated": boolean(row["excel_truncated"]),
    }
    for key in (
        "province_code",
        "regency_code",
        "district_code",
        "regency_successor_code",
        "province",
        "regency",
        "district",
    ):
        out[key] = text(row[key])
    date = datetime.date.fromisoformat(row["date"]) if row["date"] else None
    out["serial"] = integer(row["serial"])
    if row["kind"] == "nik":
        out["birth_date"] = date
        out["sex"] = integer(row["sex"])
    else:
        assert row["sex"] == "", "a KK has no sex"
        out["recording_date"] = date
    return out


# (golden rows, function, expected fields of one row, dataclass) per table.
CASES: dict[str, tuple[list[dict[str, str]], Callable[..., Any], Callable[..., Row], type]] = {
    "names": (NAMES, padan.normalize_name, expected_name, padan.NormalizedName),
    "addresses": (ADDRESSES, padan.parse_address, expected_address, padan.ParsedAddress),
    "niks": (NIKS, padan.parse_nik, expected_id, padan.ParsedNik),
    "kks": (KKS, padan.parse_kk, expected_id, padan.ParsedKk),
}


def as_fields(row: Row) -> Row:
    """A table row with lists as tuples, the form the dataclasses use."""
    return {k: tuple(v) if isinstance(v, list) else v for k, v in row.items()}


def subset(fields: Row, keys: Row) -> Row:
    return {k: fields[k] for k in keys}


def test_golden_tables_are_big_enough():
    assert len(NAMES) >= 60
    assert len(ADDRESSES) >= 40
    assert len(NIKS) >= 55
    assert len(KKS) >= 5


@pytest.mark.parametrize("case", list(CASES))
def test_scalar_matches_golden_table(case):
    rows, function, expected, cls = CASES[case]
    failures = []
    for row in rows:
        got = function(row["raw"])
        assert isinstance(got, cls)
        want = expected(row)
        fields = dataclasses.asdict(got)
        if subset(fields, want) != want:
            failures.append(f"{row['raw']!r}: got {subset(fields, want)}, want {want}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("case", list(CASES))
def test_vectorised_matches_golden_table(case):
    rows, function, expected, _ = CASES[case]
    table = function([row["raw"] for row in rows]).to_arrow()
    assert table.num_rows == len(rows)
    failures = []
    for row, got in zip(rows, table.to_pylist(), strict=True):
        want = expected(row)
        if subset(as_fields(got), want) != want:
            failures.append(f"{row['raw']!r}: got {subset(as_fields(got), want)}, want {want}")
    assert not failures, "\n".join(failures)


def with_nulls(values: list[str]) -> list[str | None]:
    """The values with nulls at the start, in the middle and at the end."""
    mid = len(values) // 2
    return [None, *values[:mid], None, *values[mid:], None]


INPUT_KINDS: dict[str, Callable[[list[str | None]], Any]] = {
    "list": list,
    "tuple": tuple,
    "pyarrow_string": lambda v: pa.array(v, pa.string()),
    "pyarrow_large_string": lambda v: pa.array(v, pa.large_string()),
    "pyarrow_string_view": lambda v: pa.array(v, pa.string_view()),
    "pyarrow_dictionary": lambda v: pa.array(v, pa.string()).dictionary_encode(),
    "pyarrow_chunked": lambda v: pa.chunked_array(
        [pa.array(v[:3], pa.string()), pa.array(v[3:], pa.string())]
    ),
    "pyarrow_one_column_table": lambda v: pa.table({"x": pa.array(v, pa.string())}),
    "polars": lambda v: pl.Series("x", v, dtype=pl.String),
    "pandas_object": lambda v: pd.Series(v, dtype=object),
    "pandas_string": lambda v: pd.Series(v, dtype="string"),
}


@pytest.mark.parametrize("kind", list(INPUT_KINDS))
@pytest.mark.parametrize("case", list(CASES))
def test_vectorised_equals_scalar_row_by_row(case, kind):
    rows, function, _, cls = CASES[case]
    values = with_nulls([row["raw"] for row in rows])
    result = function(INPUT_KINDS[kind](values))
    assert isinstance(result, padan.Table)
    table = result.to_arrow()
    names = [f.name for f in dataclasses.fields(cls)]
    assert table.column_names == names
    got = [as_fields(r) for r in table.to_pylist()]
    want = [dict.fromkeys(names) if v is None else dataclasses.asdict(function(v)) for v in values]
    assert len(got) == len(values)
    for i, (g, w) in enumerate(zip(got, want, strict=True)):
        assert g == w, f"row {i} ({values[i]!r})"
    # Nulls in, nulls out: every column of those rows.
    for i, v in enumerate(values):
        assert (v is None) == all(table[c][i].as_py() is None for c in names)


def test_column_types():
    niks = padan.parse_nik(["3273015208850002"]).to_arrow().schema
    assert niks.field("birth_date").type == pa.date32()
    assert niks.field("errors").type == pa.list_(pa.string())
    assert niks.field("valid").type == pa.bool_()
    assert niks.field("serial").type == pa.uint16()
    kks = padan.parse_kk(["3273031203100002"]).to_arrow().schema
    assert kks.field("recording_date").type == pa.date32()
    assert "sex" not in kks.names
    addresses = padan.parse_address(["RT 1/2"]).to_arrow().schema
    assert addresses.field("rt").type == pa.uint16()
    names = padan.normalize_name(["Siti"]).to_arrow().schema
    assert names.field("deceased_marker").type == pa.bool_()


def test_none_and_empty_columns():
    for function in (padan.normalize_name, padan.parse_nik, padan.parse_kk, padan.parse_address):
        assert function(None) is None
        empty = function([])
        assert empty.num_rows == 0
        assert empty.num_columns > 0
        assert function(pa.chunked_array([], pa.string())).num_rows == 0
        all_null = function(pa.array([None, None]))  # Arrow type null
        assert all_null.to_arrow().to_pylist()[1] == dict.fromkeys(empty.column_names)


def test_results_convert_to_every_library():
    result = padan.parse_address(["Jl. Mawar No. 5 RT 1/2", None])
    frame = result.to_pandas()
    assert frame["street"].tolist()[0] == "JALAN MAWAR"
    polars_frame = result.to_polars()
    assert polars_frame["rt"].to_list() == [1, None]
    assert polars_frame["rt"].dtype == pl.UInt16


def test_long_column_keeps_row_order_with_any_thread_count():
    # More rows than one parallel chunk; (rt, number) is different on every row. House numbers
    # stay below 10000: five digits read as a postcode.
    n = 10_000
    values = [
        None if i % 7 == 0 else f"No. {i % 9000 + 1} RT {i // 9000 + 1}/RW 5" for i in range(n)
    ]
    one = padan.parse_address(values, threads=1).to_arrow()
    two = padan.parse_address(pa.array(values), threads=2).to_arrow()
    assert one.equals(two)
    got = list(zip(one["rt"].to_pylist(), one["number"].to_pylist(), strict=True))
    want = [
        (None, None) if v is None else (i // 9000 + 1, str(i % 9000 + 1))
        for i, v in enumerate(values)
    ]
    assert got == want


def test_wrong_arrow_types_raise_schema_error():
    for bad in (pa.array([3273015208850002]), pl.Series([1.5]), pd.Series([3273015208850002])):
        with pytest.raises(padan.SchemaError, match=r"text column") as info:
            padan.parse_nik(bad)
        assert isinstance(info.value, padan.PadanError)
    with pytest.raises(padan.SchemaError, match=r"one column.*nik, nama"):
        padan.normalize_name(pa.table({"nik": ["1"], "nama": ["x"]}))


def test_wrong_python_types_raise_type_error():
    with pytest.raises(TypeError, match=r"item 1 is int"):
        padan.parse_nik(["3273015208850002", 3273015208850002])
    for bad in (42, b"3273015208850002", {"a": 1}):
        with pytest.raises(TypeError, match=r"takes a str, None, a list of str"):
            padan.normalize_name(bad)
    with pytest.raises(ValueError, match=r"threads"):
        padan.parse_kk(["3273031203100002"], threads=-1)


def test_nik_and_kk_are_masked_when_printed():
    full = "3273015208850002"
    for value in (padan.parse_nik(full), padan.parse_kk(full)):
        assert value.digits == full  # the data keeps the number
        for shown in (repr(value), str(value)):
            assert full not in shown
            assert "3273 **** **** 0002" in shown
    for table in (padan.parse_nik([full]), padan.parse_kk([full])):
        assert full not in repr(table)
        assert full not in table._repr_html_()
        assert table.to_arrow()["digits"].to_pylist() == [full]


def test_dataclasses_are_frozen():
    name = padan.normalize_name("Sukarno")
    with pytest.raises(dataclasses.FrozenInstanceError):
        name.normalized = "X"  # type: ignore[misc]
    assert hash(padan.parse_nik("3273015208850002")) == hash(padan.parse_nik("3273015208850002"))
