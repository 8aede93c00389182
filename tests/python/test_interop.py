"""Arrow in and out across pyarrow, pandas and polars: columns, id values and id types."""

from __future__ import annotations

import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

import padan
from conftest import SMALL_DTKS

PAIRS_COLUMNS = [
    "id_l",
    "id_r",
    "blocking_rule",
    "gamma_nik",
    "gamma_name",
    "gamma_birth_date",
    "gamma_address",
    "gamma_sex",
    "gamma_mother_name",
    "gamma_household",
    "weight_nik",
    "weight_name",
    "weight_birth_date",
    "weight_address",
    "weight_sex",
    "weight_mother_name",
    "weight_household",
    "match_weight",
    "match_probability",
    "decision",
]
CLUSTERS_COLUMNS = ["id", "cluster_id", "cluster_size"]


def test_outputs_have_the_documented_columns(to_input, small_columns):
    result = padan.dedupe(to_input(small_columns))
    assert result.pairs.column_names == PAIRS_COLUMNS
    assert result.clusters.column_names == CLUSTERS_COLUMNS
    assert len(result.clusters) == result.clusters.num_rows == 12
    assert result.clusters.num_columns == 3


def test_outputs_convert_to_every_library(to_input, small_columns):
    result = padan.dedupe(to_input(small_columns))
    ids = small_columns["id_dtks"]

    arrow = result.clusters.to_arrow()
    assert isinstance(arrow, pa.Table)
    assert arrow.column_names == CLUSTERS_COLUMNS
    assert arrow["id"].to_pylist() == ids  # input order, values kept
    assert pa.types.is_uint64(arrow.schema.field("cluster_id").type)

    frame = result.clusters.to_pandas()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == CLUSTERS_COLUMNS
    assert frame["id"].tolist() == ids
    assert frame["cluster_size"].dtype.kind == "u"

    polars = result.clusters.to_polars()
    assert isinstance(polars, pl.DataFrame)
    assert polars.columns == CLUSTERS_COLUMNS
    assert polars["id"].to_list() == ids
    assert polars.schema["id"] == pl.String

    pairs = result.pairs.to_polars()
    assert pairs.columns == PAIRS_COLUMNS
    assert set(pairs["id_l"].to_list()) | set(pairs["id_r"].to_list()) <= set(ids)
    assert pairs.schema["match_probability"] == pl.Float64
    assert pairs.schema["gamma_nik"] == pl.UInt8


def test_integer_ids_keep_their_type(small_columns):
    columns = dict(small_columns)
    columns["id_dtks"] = [1000 + i for i in range(12)]
    table = pa.table(columns)
    assert pa.types.is_int64(table.schema.field("id_dtks").type)

    for data in (table, pl.DataFrame(columns), pd.DataFrame(columns)):
        result = padan.dedupe(data)
        arrow = result.clusters.to_arrow()
        assert pa.types.is_int64(arrow.schema.field("id").type)
        assert arrow["id"].to_pylist() == columns["id_dtks"]
        pairs = result.pairs.to_arrow()
        assert pa.types.is_int64(pairs.schema.field("id_l").type)
        assert result.clusters.to_pandas()["id"].dtype == "int64"
        assert result.clusters.to_polars().schema["id"] == pl.Int64


def test_nik_keeps_leading_digits_as_text(small_columns):
    # A NIK read as a number would lose nothing here, but one read as a float would; padan
    # reads every mapped column as text.
    result = padan.dedupe(SMALL_DTKS)
    assert result.summary["diagnostics_by_code"].get("nik_length", 0) == 0


def test_tables_are_arrow_stream_producers():
    records, truth = padan.synth(rows=50, seed=2)
    assert hasattr(records, "__arrow_c_stream__")
    # Consumers can read the same table more than once.
    assert pa.table(records).num_rows == pa.table(records).num_rows == 50
    assert pl.DataFrame(truth).height == 50
    # A requested schema is honoured where a cast exists.
    wanted = pa.table(records).schema
    capsule = records.__arrow_c_stream__(wanted.__arrow_c_schema__())
    assert pa.RecordBatchReader._import_from_c_capsule(capsule).read_all().num_rows == 50


def test_padan_tables_are_accepted_as_input():
    records, _ = padan.synth(rows=300, seed=4)
    from_table = padan.dedupe(records)
    from_arrow = padan.dedupe(records.to_arrow())
    assert from_table.clusters.to_arrow().equals(from_arrow.clusters.to_arrow())


def test_a_record_batch_is_accepted(small_columns):
    batch = pa.record_batch(small_columns)
    assert padan.dedupe(batch).summary["rows_read"] == 12


@pytest.mark.parametrize("missing", ["pyarrow", "polars", "pandas"])
def test_missing_optional_library_gives_an_actionable_error(monkeypatch, missing):
    import sys

    records, _ = padan.synth(rows=10, seed=1)
    monkeypatch.setitem(sys.modules, missing, None)  # makes `import missing` fail
    method = {"pyarrow": "to_arrow", "polars": "to_polars", "pandas": "to_pandas"}[missing]
    with pytest.raises(ImportError, match=f"pip install {missing}"):
        getattr(records, method)()
