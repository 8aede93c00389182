"""The dedupe workflow on the small hand-written table, for every input kind."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pytest

import padan
from conftest import SMALL_DTKS, SMALL_DTKS_DUPLICATES, partition, write_csv_columns


def expected_partition(ids: list[str]) -> set[frozenset[str]]:
    together = {frozenset(g) for g in SMALL_DTKS_DUPLICATES}
    alone = {frozenset([i]) for i in ids if not any(i in g for g in together)}
    return together | alone


def test_finds_the_obvious_duplicates(to_input, small_columns):
    result = padan.dedupe(to_input(small_columns))
    assert partition(result.clusters) == expected_partition(small_columns["id_dtks"])
    summary = result.summary
    assert summary["rows_read"] == 12
    assert summary["clusters_of_two_or_more"] == 3
    assert summary["duplicate_rows"] == 3
    # Every linked pair is in the pairs output with a high probability.
    pairs = pa.table(result.pairs)
    linked = {
        frozenset((left, right))
        for left, right, p in zip(
            pairs["id_l"].to_pylist(),
            pairs["id_r"].to_pylist(),
            pairs["match_probability"].to_pylist(),
            strict=True,
        )
        if p >= summary["match_threshold"]
    }
    assert linked == {frozenset(g) for g in SMALL_DTKS_DUPLICATES}


def test_config_dict_maps_custom_column_names(to_input, small_columns):
    renamed = {
        {"id_dtks": "row_id", "nama": "full_name", "tanggal_lahir": "dob"}.get(k, k): v
        for k, v in small_columns.items()
    }
    config = {"columns": {"id": "row_id", "name": "full_name", "birth_date": "dob"}}
    result = padan.dedupe(to_input(renamed), config=config)
    assert partition(result.clusters) == expected_partition(small_columns["id_dtks"])


def test_config_from_a_toml_file(tmp_path: Path):
    path = tmp_path / "padan.toml"
    path.write_text("match_threshold = 0.999999\npairs_min_probability = 0.5\n", encoding="utf-8")
    result = padan.dedupe(SMALL_DTKS, config=path)
    assert result.summary["match_threshold"] == 0.999999
    probabilities = pa.table(result.pairs)["match_probability"].to_pylist()
    assert all(p >= 0.5 for p in probabilities)


def test_threads_do_not_change_the_result():
    records, _ = padan.synth(rows=3000, seed=5)
    # A smaller u sample keeps the test quick; it still runs every parallel stage.
    config = {"training": {"u_sample_pairs": 200_000}}
    one = padan.dedupe(records, config=config, threads=1)
    two = padan.dedupe(records, config=config, threads=2)
    assert one.pairs.to_arrow().equals(two.pairs.to_arrow())
    assert one.clusters.to_arrow().equals(two.clusters.to_arrow())
    assert one.summary_json == two.summary_json
    assert one.model_json == two.model_json
    # The small table too, through a different reader.
    a = padan.dedupe(SMALL_DTKS, threads=1)
    b = padan.dedupe(SMALL_DTKS, threads=2)
    assert a.pairs.to_arrow().equals(b.pairs.to_arrow())
    assert a.summary == b.summary


def test_malformed_rows_are_counted_not_dropped(tmp_path: Path):
    text = SMALL_DTKS.read_text(encoding="utf-8").splitlines()
    header, rows = text[0], text[1:]
    rows += [
        "D013,32730152088500,,ANI,2",  # too few fields, 14-digit NIK
        # An extra field and an impossible date.
        "D014,3578031507800005,,BUDI,1,SURABAYA,1980-02-31,1,,,,,,,,,EXTRA",
        "D015,,,,,,,,,,,,,,,",  # nothing but an id
    ]
    path = tmp_path / "malformed.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")

    result = padan.dedupe(path)
    summary = result.summary
    assert summary["rows_read"] == 15
    assert result.clusters.num_rows == 15
    assert {"D013", "D014", "D015"} <= set(pa.table(result.clusters)["id"].to_pylist())
    assert summary["rows_with_problems"] >= 2
    assert summary["diagnostics_total"] == result.diagnostics.num_rows
    diagnostics = pa.table(result.diagnostics)
    assert diagnostics.column_names == ["row", "field", "code", "message"]
    assert {13, 14} <= set(diagnostics["row"].to_pylist())
    assert "field_count" in diagnostics["code"].to_pylist()
    # Row totals add up.
    sizes: dict[int, int] = {}
    for c in pa.table(result.clusters)["cluster_id"].to_pylist():
        sizes[c] = sizes.get(c, 0) + 1
    assert sum(sizes.values()) == summary["rows_read"]
    assert len(sizes) == summary["clusters"]


def test_model_round_trip(tmp_path: Path):
    first = padan.dedupe(SMALL_DTKS)
    path = tmp_path / "model.json"
    first.save_model(path)
    assert json.loads(path.read_text(encoding="utf-8")) == json.loads(first.model_json)
    from_file = padan.dedupe(SMALL_DTKS, model=path)
    from_text = padan.dedupe(SMALL_DTKS, model=first.model_json)
    assert from_file.pairs.to_arrow().equals(first.pairs.to_arrow())
    assert from_text.clusters.to_arrow().equals(first.clusters.to_arrow())


def test_result_repr_is_readable():
    result = padan.dedupe(SMALL_DTKS)
    assert repr(result).startswith("DedupeResult(rows_read=12,")
    text = repr(result.clusters)
    assert text.splitlines()[0] == "padan.Table: 12 rows × 3 columns"
    assert "cluster_size" in text.splitlines()[1]
    assert "… 2 more rows" in text
    html = result.clusters._repr_html_()
    assert html.count("<tr>") == 2 + 10
    assert "<th>cluster_id</th>" in html


def test_write_csv_columns_round_trips(small_columns, tmp_path: Path):
    # The conftest helper the csv_path input kind relies on.
    path = write_csv_columns(small_columns, tmp_path / "x.csv")
    assert (
        path.read_text(encoding="utf-8").splitlines()[1]
        == SMALL_DTKS.read_text(encoding="utf-8").splitlines()[1]
    )


@pytest.mark.parametrize("threads", [-1, -8])
def test_negative_threads_are_rejected(threads):
    with pytest.raises(ValueError, match="threads"):
        padan.dedupe(SMALL_DTKS, threads=threads)


def test_printed_tables_mask_nik_and_kk():
    records, _ = padan.synth(rows=20, seed=1)
    niks = records.to_arrow()["nik"].to_pylist()[:10]
    shown = repr(records) + records._repr_html_()
    for nik in filter(None, niks):
        assert nik not in shown
        assert nik[:6] + "**********" in shown
