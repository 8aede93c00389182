"""The reference-registry door: padan.dedupe(data, registry=...) on hand-written tables."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

import padan

CONFIG = {"flags": {"reference_date": "2025-06-30"}}

DTKS = pa.table(
    {
        "id_dtks": ["d0", "d1", "d2", "d3"],
        # d0's NIK has a serial typo (0003 -> 0008); the registry holds the true one.
        "nik": ["3374011403620008", "3273015208850002", None, "3578010101900001"],
        "nama": ["Sukarno Hadi", "Dewi Lestari", "Ratna Sari", "Budi Santoso"],
        "tanggal_lahir": ["1962-03-14", "1985-08-12", "25-05-1990", "1990-01-01"],
        "jenis_kelamin": ["1", "2", "2", "1"],
        "program": ["PKH", "BPNT", None, "PKH"],
    }
)

REGISTRY = {
    "nik": ["3578036505900017", "3374011403620003", "3273015208850002"],
    "nama": ["RATNA SARI", "SUKARNO HADI", "DEWI LESTARI"],
    "tanggal_lahir": ["1990-05-25", "1962-03-14", "1985-08-12"],
    "jenis_kelamin": ["2", "1", "2"],
    "status": ["Hidup", "Meninggal Dunia", "PINDAH"],
    "tanggal_status": [None, "2024-02-10", "2025-01-20"],
}

EXPECTED = [("d0", "DECEASED"), ("d1", "MOVED"), ("d3", "NOT_FOUND")]


def stale_flags(result: padan.DedupeResult) -> list[tuple[str, str]]:
    rows = result.flags().to_arrow().select(["id", "code"]).to_pylist()
    return [(r["id"], r["code"]) for r in rows if r["code"] in {"DECEASED", "MOVED", "NOT_FOUND"}]


@pytest.mark.parametrize("kind", ["pyarrow", "polars", "csv_path"])
def test_registry_flags_from_any_table_kind(kind: str, tmp_path: Path) -> None:
    registry: object
    if kind == "pyarrow":
        registry = pa.table(REGISTRY)
    elif kind == "polars":
        registry = pl.DataFrame(REGISTRY)
    else:
        registry = tmp_path / "registry.csv"
        pacsv.write_csv(pa.table(REGISTRY), registry)
    result = padan.dedupe(DTKS, config=CONFIG, registry=registry)
    assert stale_flags(result) == EXPECTED
    summary = result.summary["registry"]
    assert summary["rows_read"] == 3
    assert summary["dtks_rows_matched"] == 3
    assert result.summary["flags"]["by_code"]["DECEASED"] == 1


def test_registry_links_table_and_masked_review_list() -> None:
    result = padan.dedupe(DTKS, config=CONFIG, registry=pa.table(REGISTRY))
    links = result.registry_links()
    assert links is not None
    rows = links.to_arrow().select(["id", "registry_row", "status"]).to_pylist()
    assert rows == [
        {"id": "d0", "registry_row": 2, "status": "MENINGGAL"},
        {"id": "d1", "registry_row": 3, "status": "PINDAH"},
        {"id": "d2", "registry_row": 1, "status": "HIDUP"},
        {"id": "d3", "registry_row": None, "status": None},
    ]
    review = result.review_list().to_arrow().to_pylist()
    dead = next(r for r in review if r["code"] == "DECEASED")
    assert dead["priority"] == 1
    assert "3374011403620003" not in dead["evidence"]
    assert "3374 **** **** 0003" in dead["evidence"]


def test_without_a_registry_there_are_no_links() -> None:
    assert padan.dedupe(DTKS, config=CONFIG).registry_links() is None


def test_registry_columns_are_configurable_and_a_missing_status_is_an_error() -> None:
    renamed = pa.table(REGISTRY).rename_columns(
        ["NIK", "NAMA_LGKP", "TGL_LHR", "JK", "STATUS", "TGL"]
    )
    columns = {
        "nik": "NIK",
        "name": "NAMA_LGKP",
        "birth_date": "TGL_LHR",
        "sex": "JK",
        "status": "STATUS",
        "status_date": "TGL",
    }
    config = {**CONFIG, "registry": {"columns": columns}}
    assert stale_flags(padan.dedupe(DTKS, config=config, registry=renamed)) == EXPECTED
    with pytest.raises(padan.ColumnNotFoundError, match="STATUS"):
        padan.dedupe(
            DTKS,
            config=CONFIG | {"registry": {"columns": {"status": "STATUS"}}},
            registry=pa.table(REGISTRY),
        )
