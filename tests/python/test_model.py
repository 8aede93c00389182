"""padan.Model: one model file for Rust, Python and the CLI; scoring a later extract with it."""

from __future__ import annotations

import json
import math
import pickle
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import padan


@pytest.fixture(scope="module")
def trained() -> padan.DedupeResult:
    records, _ = padan.synth(rows=1500, seed=21)
    return padan.dedupe(records)


def test_result_model_is_the_model_json(trained):
    model = trained.model
    assert isinstance(model, padan.Model)
    assert model.to_json() == trained.model_json + "\n"  # as the CLI writes model.json
    data = json.loads(trained.model_json)
    assert model.prior == data["prior"]
    assert model.format_version == padan.MODEL_FORMAT_VERSION == data["format_version"]
    assert model.comparisons == [c["kind"] for c in data["comparisons"]]
    assert model.labels("nik") == [level["label"] for level in data["comparisons"][0]["levels"]]
    with pytest.raises(KeyError, match="shoe_size"):
        model.labels("shoe_size")
    assert model.prior_weight == pytest.approx(math.log2(model.prior / (1 - model.prior)))
    assert model.training["em_sessions"] == data["training"]["em_sessions"]
    assert model.training["em_sessions"]


def test_save_load_is_byte_identical(trained, tmp_path: Path):
    first = tmp_path / "first.json"
    trained.model.save(first)
    assert first.read_bytes() == (trained.model_json + "\n").encode("utf-8")
    second = tmp_path / "second.json"
    padan.Model.load(first).save(second)
    assert second.read_bytes() == first.read_bytes()
    saved = tmp_path / "saved.json"
    trained.save_model(saved)
    assert saved.read_bytes() == first.read_bytes()
    # Text we did not write (other spacing, CRLF) is kept as it is too, and is the same model.
    compact = tmp_path / "compact.json"
    compact.write_bytes(json.dumps(json.loads(trained.model_json)).encode() + b"\r\n")
    out = tmp_path / "out.json"
    again = padan.Model.load(compact)
    again.save(out)
    assert out.read_bytes() == compact.read_bytes()
    assert again == trained.model
    assert hash(again) == hash(trained.model)


def test_the_cli_writes_and_reads_the_same_file(trained, tmp_path: Path):
    records, _ = padan.synth(rows=300, seed=4)
    data = tmp_path / "records.parquet"
    pq.write_table(pa.table(records), data)
    model_path = tmp_path / "model.json"
    trained.model.save(model_path)
    out = tmp_path / "out"
    argv = ["dedupe", str(data), "--model", str(model_path), "--out", str(out)]
    done = subprocess.run([sys.executable, "-m", "padan", *argv], capture_output=True, check=False)
    assert done.returncode == 0, done.stderr.decode()
    # The CLI scored with the model as given and wrote it back byte for byte.
    assert (out / "model.json").read_bytes() == model_path.read_bytes()


def test_pickle_round_trip(trained):
    model = trained.model
    again = pickle.loads(pickle.dumps(model))
    assert isinstance(again, padan.Model)
    assert again == model
    assert again.to_json() == model.to_json()
    assert hash(again) == hash(model)


def test_a_model_scores_the_next_extract_without_retraining(trained, tmp_path: Path):
    records, truth = padan.synth(rows=1500, seed=99)
    for model in (trained.model, trained.model.to_json()):
        result = padan.dedupe(records, model=model)
        # Used as given: the scoring model is the trained one, not re-estimated.
        assert result.model == trained.model
        assert padan.evaluate(result, truth)["overall"]["f1"] > 0.9
    path = tmp_path / "model.json"
    trained.model.save(path)
    assert padan.dedupe(records, model=path).model == trained.model
    # Retraining on the new extract would give another model.
    assert padan.dedupe(records).model != trained.model


def test_the_model_changes_the_scores(trained):
    records, _ = padan.synth(rows=500, seed=8)
    data = json.loads(trained.model_json)
    data["prior"] = 0.5
    flat = padan.Model.from_json(json.dumps(data))
    default = pa.table(padan.dedupe(records, model=trained.model).pairs)
    shifted = pa.table(padan.dedupe(records, model=flat).pairs)
    delta = flat.prior_weight - trained.model.prior_weight
    key = ["id_l", "id_r"]
    joined = default.select([*key, "match_weight"]).join(
        shifted.select([*key, "match_weight"]), key, join_type="inner", right_suffix="_flat"
    )
    assert joined.num_rows > 0
    for a, b in zip(
        joined["match_weight"].to_pylist(), joined["match_weight_flat"].to_pylist(), strict=True
    ):
        assert b - a == pytest.approx(delta)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d.update(format_version=99), "format version 99"),
        (lambda d: d.update(prior=1.5), "prior"),
        (lambda d: d.pop("comparisons"), "comparisons"),
        (lambda d: d["comparisons"][0].update(kind="shoe_size"), "shoe_size"),
    ],
)
def test_invalid_models_raise_model_error(trained, tmp_path: Path, edit, message):
    data = json.loads(trained.model_json)
    edit(data)
    text = json.dumps(data)
    with pytest.raises(padan.ModelError, match=message):
        padan.Model.from_json(text)
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(padan.ModelError, match=r"bad\.json") as info:
        padan.Model.load(path)
    assert isinstance(info.value, ValueError)
    # padan.dedupe refuses the same text.
    with pytest.raises(padan.ModelError):
        padan.dedupe(padan.synth(rows=50, seed=1)[0], model=text)


def test_malformed_and_missing_files(tmp_path: Path):
    with pytest.raises(padan.ModelError):
        padan.Model.from_json("{not json")
    with pytest.raises(padan.ModelError):
        padan.Model.from_json("")
    with pytest.raises(TypeError, match="str"):
        padan.Model.from_json(b"{}")  # type: ignore[arg-type]
    with pytest.raises(padan.InputError) as info:
        padan.Model.load(tmp_path / "missing.json")
    assert info.value.path == str(tmp_path / "missing.json")


def test_levels_table(trained):
    model = trained.model
    levels = pa.table(model.levels_table())
    assert levels.column_names == [
        "comparison",
        "level",
        "label",
        "m",
        "u",
        "weight",
        "m_fixed",
        "u_fixed",
        "tf_adjusted",
        "review_only",
    ]
    data = json.loads(trained.model_json)
    expected = [
        (c["kind"], i, level["label"], level["m"], level["u"])
        for c in data["comparisons"]
        for i, level in enumerate(c["levels"])
    ]
    rows = levels.to_pylist()
    assert [(r["comparison"], r["level"], r["label"], r["m"], r["u"]) for r in rows] == expected
    for r in rows:
        if r["level"] == 0:
            assert r["weight"] == 0.0
        else:
            m, u = max(r["m"], 1e-9), max(r["u"], 1e-9)
            assert r["weight"] == pytest.approx(math.log2(m / u))
    nickname = [r for r in rows if r["comparison"] == "name" and r["label"] == "nickname"]
    assert nickname
    assert nickname[0]["review_only"]


def test_reprs(trained):
    model = trained.model
    text = repr(model)
    assert "padan.Model" in text
    assert f"{model.prior:.3g}" in text
    assert "nik (" in text
    page = model._repr_html_()
    assert page.startswith("<div>")
    assert page.count("<tr>") == 1 + pa.table(model.levels_table()).num_rows
    assert ">exact<" in page
    assert "twin_pattern" in page


def test_a_model_for_other_comparisons_is_refused(trained):
    records, _ = padan.synth(rows=50, seed=1)
    data = json.loads(trained.model_json)
    data["comparisons"] = data["comparisons"][:-1]
    model = padan.Model.from_json(json.dumps(data))  # a valid file ...
    with pytest.raises(padan.ModelError, match="comparisons"):
        padan.dedupe(records, model=model)  # ... that does not fit the configuration
