"""padan.Linker: train once, predict on later extracts, evaluate, save and load."""

from __future__ import annotations

import pickle
from pathlib import Path

import pyarrow as pa
import pytest

import padan
from conftest import partition


@pytest.fixture(scope="module")
def quarters():
    first, first_truth = padan.synth(rows=1500, seed=31)
    second, second_truth = padan.synth(rows=1500, seed=32)
    return first, first_truth, second, second_truth


def test_train_then_predict_uses_the_trained_model(quarters):
    first, first_truth, second, second_truth = quarters
    linker = padan.Linker(threads=1)
    assert linker.model is None
    assert linker.result is None
    model = linker.train(first)
    assert isinstance(model, padan.Model)
    assert linker.model is model
    assert linker.result is not None
    assert linker.evaluate(first_truth)["overall"]["f1"] > 0.9
    result = linker.predict(second)
    assert linker.result is result
    assert result.model == model  # scored with, not re-estimated from, the second extract
    assert padan.dedupe(second).model != model
    report = linker.evaluate(second_truth)
    assert report["overall"]["f1"] > 0.9
    assert report == padan.evaluate(result, second_truth)


def test_predict_without_a_model_trains_once(quarters):
    first, first_truth, *_ = quarters
    linker = padan.Linker()
    result = linker.predict(first)
    assert linker.model == result.model
    assert linker.model == padan.dedupe(first).model
    assert linker.evaluate(first_truth)["overall"]["f1"] > 0.9


def test_cluster_and_evaluate_a_given_result(quarters):
    first, first_truth, second, _ = quarters
    linker = padan.Linker()
    linker.train(first)
    clusters = linker.cluster(second)
    assert clusters.num_rows == second.num_rows
    assert partition(clusters) == partition(padan.dedupe(second, model=linker.model).clusters)
    # evaluate() scores the result it is given, not the last one.
    first_result = padan.dedupe(first, model=linker.model)
    assert linker.evaluate(first_truth, result=first_result) == padan.evaluate(
        first_result, first_truth
    )


def test_config_and_threads_are_passed_on(quarters):
    first, *_ = quarters
    linker = padan.Linker(config={"match_threshold": 0.999999}, threads=2)
    result = linker.predict(first)
    assert result.summary["match_threshold"] == 0.999999


def test_save_and_load(quarters, tmp_path: Path):
    first, _, second, _ = quarters
    linker = padan.Linker()
    linker.train(first)
    path = tmp_path / "model.json"
    linker.save(path)
    assert path.read_bytes() == linker.model.to_json().encode()
    loaded = padan.Linker.load(path, threads=1)
    assert loaded.model == linker.model
    assert loaded.threads == 1
    assert loaded.result is None
    assert partition(loaded.predict(second).clusters) == partition(linker.predict(second).clusters)
    # A model path or object works in the constructor too.
    assert padan.Linker(model=path).model == linker.model
    assert padan.Linker(model=linker.model).model is linker.model
    # The model pickles with the linker's state.
    assert pickle.loads(pickle.dumps(linker.model)) == linker.model


def test_untrained_linker_says_what_to_do(tmp_path: Path):
    linker = padan.Linker()
    with pytest.raises(padan.ModelError, match="train"):
        linker.save(tmp_path / "m.json")
    with pytest.raises(ValueError, match="predict"):
        linker.evaluate(pa.table({"id_dtks": ["a"], "entity_id": [1]}))
    assert "model none" in repr(linker)


def test_repr_names_the_model_and_result(quarters):
    first, *_ = quarters
    linker = padan.Linker()
    linker.train(first)
    text = repr(linker)
    assert f"prior {linker.model.prior:.3g}" in text
    assert "rows_read=1500" in text


def test_public_names():
    assert padan.Linker.__doc__
    assert "Examples:" in padan.Linker.__doc__
    assert "Examples:" in padan.Model.__doc__
    for name in ("Linker", "Model", "MODEL_FORMAT_VERSION"):
        assert name in padan.__all__
