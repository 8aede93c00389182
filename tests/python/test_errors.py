"""Exception classes, messages and attributes."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import pyarrow as pa
import pytest

import padan
from conftest import SMALL_DTKS


def test_unknown_config_keys_are_all_listed():
    config = {"treshold": 0.5, "columns": {"idd": "x"}, "blocking": [{"name": "a", "keys": []}]}
    with pytest.raises(padan.ConfigError) as info:
        padan.dedupe(SMALL_DTKS, config=config)
    err = info.value
    paths = [issue["path"] for issue in err.issues]
    assert paths == ["columns.idd", "treshold"]
    assert "treshold" in str(err)
    assert "columns.idd" in str(err)
    assert isinstance(err, ValueError)
    assert isinstance(err, padan.PadanError)


def test_invalid_values_are_all_listed():
    config = {"match_threshold": 2.0, "max_block_size": 1, "blocking": [{"name": "a", "keys": []}]}
    with pytest.raises(padan.ConfigError) as info:
        padan.dedupe(SMALL_DTKS, config=config)
    paths = {issue["path"] for issue in info.value.issues}
    assert {"match_threshold", "max_block_size", "blocking[0].keys"} <= paths


def test_wrongly_typed_config_value():
    with pytest.raises(padan.ConfigError, match=r"match_threshold|invalid type"):
        padan.dedupe(SMALL_DTKS, config={"match_threshold": "high"})


def test_bad_toml_file(tmp_path: Path):
    path = tmp_path / "bad.toml"
    path.write_text("treshold = 0.5\n", encoding="utf-8")
    with pytest.raises(padan.ConfigError, match="treshold"):
        padan.dedupe(SMALL_DTKS, config=path)


def test_missing_id_column_names_it(to_input, small_columns):
    columns = {k: v for k, v in small_columns.items() if k != "id_dtks"}
    with pytest.raises(padan.ColumnNotFoundError) as info:
        padan.dedupe(to_input(columns))
    err = info.value
    assert err.column == "id_dtks"
    assert err.field == "id"
    assert "nama" in err.available
    assert "id_dtks" in str(err)
    assert not str(err).startswith("'")  # not KeyError's quoted repr
    assert isinstance(err, KeyError)
    assert isinstance(err, padan.SchemaError)


def test_missing_mapped_id_column_names_the_mapped_name(small_columns):
    with pytest.raises(padan.ColumnNotFoundError, match="row_id"):
        padan.dedupe(pa.table(small_columns), config={"columns": {"id": "row_id"}})


def test_nonexistent_path_raises_input_error(tmp_path: Path):
    for name in ("missing.csv", "missing.parquet"):
        path = tmp_path / name
        with pytest.raises(padan.InputError) as info:
            padan.dedupe(path)
        assert info.value.path == str(path)
        assert name in str(info.value)
        assert isinstance(info.value, OSError)


def test_unknown_file_extension_raises_input_error(tmp_path: Path):
    path = tmp_path / "records.xlsx"
    path.write_bytes(b"not really")
    with pytest.raises(padan.InputError, match="unsupported file format"):
        padan.dedupe(path)


def test_corrupt_parquet_raises_input_error(tmp_path: Path):
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"PAR1 this is not parquet")
    with pytest.raises(padan.InputError):
        padan.dedupe(path)


def test_not_a_table_raises_type_error():
    with pytest.raises(TypeError, match="__arrow_c_stream__"):
        padan.dedupe([{"id_dtks": 1}])
    with pytest.raises(TypeError, match="config"):
        padan.dedupe(SMALL_DTKS, config=42)


def test_bad_model(tmp_path: Path):
    path = tmp_path / "model.json"
    path.write_text('{"format_version": 99}', encoding="utf-8")
    with pytest.raises(padan.ModelError):
        padan.dedupe(SMALL_DTKS, model=path)
    with pytest.raises(padan.ModelError):
        padan.dedupe(SMALL_DTKS, model="{not json")
    with pytest.raises(padan.InputError):
        padan.dedupe(SMALL_DTKS, model=tmp_path / "absent.json")


def test_model_that_does_not_fit_the_config():
    model = json.loads(padan.dedupe(SMALL_DTKS).model_json)
    model["comparisons"].pop()
    with pytest.raises(padan.ModelError, match="do not match"):
        padan.dedupe(SMALL_DTKS, model=json.dumps(model))


def test_bad_synth_arguments():
    with pytest.raises(ValueError, match="duplicate_rate"):
        padan.synth(rows=10, duplicate_rate=1.5)
    with pytest.raises(OverflowError):
        padan.synth(rows=-1)


def test_evaluate_reports_missing_columns():
    records, truth = padan.synth(rows=20, seed=1)
    with pytest.raises(padan.ColumnNotFoundError, match="clusters table"):
        padan.evaluate(records, truth)
    with pytest.raises(TypeError, match="`truth`"):
        padan.evaluate(records, truth=3)


@pytest.mark.parametrize(
    "err",
    [
        padan.ConfigError("bad", [{"path": "a", "message": "b"}]),
        padan.ColumnNotFoundError("missing", "id_dtks", "id", ["nama"]),
        padan.InputError("unreadable", "x.csv"),
        padan.ModelError("bad model"),
        padan.LayerSkippedError("the flags were not computed", "flags"),
    ],
)
def test_exceptions_pickle(err):
    back = pickle.loads(pickle.dumps(err))
    assert type(back) is type(err)
    assert str(back) == str(err)
    assert vars(back) == vars(err)


def test_hierarchy():
    assert issubclass(padan.ColumnNotFoundError, padan.SchemaError)
    for cls in (
        padan.ConfigError,
        padan.SchemaError,
        padan.InputError,
        padan.ModelError,
        padan.InternalError,
        padan.LayerSkippedError,
    ):
        assert issubclass(cls, padan.PadanError)
    assert issubclass(padan.InputError, OSError)
    assert issubclass(padan.ModelError, ValueError)
    assert issubclass(padan.LayerSkippedError, RuntimeError)
