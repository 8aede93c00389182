"""Labelled pairs from Python: training m, the precision-recall curve, the threshold for a
precision, the chart, and deterministic rules in the configuration."""

from __future__ import annotations

import json

import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import padan


@pytest.fixture(scope="module")
def extract():
    records, truth = padan.synth(rows=1500, seed=41)
    truth = pa.table(truth)
    entity = dict(zip(truth["id_dtks"].to_pylist(), truth["entity_id"].to_pylist(), strict=True))
    return records, entity


def truth_labels(result: padan.DedupeResult, entity: dict[str, object]) -> pa.Table:
    """Every written pair of a result, labelled by the truth."""
    pairs = pa.table(result.pairs)
    ids_l, ids_r = pairs["id_l"].to_pylist(), pairs["id_r"].to_pylist()
    return pa.table(
        {
            "id_l": ids_l,
            "id_r": ids_r,
            "is_match": [entity[a] == entity[b] for a, b in zip(ids_l, ids_r, strict=True)],
        }
    )


# A hand-made scored set: weights 5 (match), 3 (non-match), 3 (match), 1 (match), -2 (non-match),
# and a labelled match the run never scored (pair g-h).
HAND_PAIRS = pa.table(
    {
        "id_l": ["a", "c", "e", "i", "k"],
        "id_r": ["b", "d", "f", "j", "l"],
        "match_weight": [5.0, 3.0, 3.0, 1.0, -2.0],
    }
)
HAND_LABELS = pd.DataFrame(
    {
        "id_l": ["b", "c", "e", "i", "k", "g"],
        "id_r": ["a", "d", "f", "j", "l", "h"],
        "verdict": ["M", "N", "M", "M", "N", "M"],
    }
)


def test_the_curve_of_a_hand_made_set_matches_a_hand_count():
    curve = padan.precision_recall(HAND_PAIRS, HAND_LABELS, label_column="verdict")
    assert isinstance(curve, padan.Table)
    rows = curve.to_pandas()
    # 4 labelled matches; at 5: 1 of 1; at 3: 2 of 3; at 1: 3 of 4; at -2: 3 of 5.
    assert rows.match_weight.tolist() == [5.0, 3.0, 1.0, -2.0]
    assert rows.predicted_pairs.tolist() == [1, 3, 4, 5]
    assert rows.true_positives.tolist() == [1, 2, 3, 3]
    assert rows.precision.tolist() == pytest.approx([1.0, 2 / 3, 0.75, 0.6])
    assert rows.recall.tolist() == pytest.approx([0.25, 0.5, 0.75, 0.75])
    assert rows.f1.tolist() == pytest.approx([0.4, 4 / 7, 0.75, 2 / 3])
    assert rows.match_probability[2] == pytest.approx(2 / 3)  # weight 1: odds 2:1

    point = padan.threshold_for_precision(HAND_PAIRS, HAND_LABELS, 0.7, label_column="verdict")
    assert point["match_weight"] == 1.0
    assert point["recall"] == pytest.approx(0.75)
    strict = padan.threshold_for_precision(HAND_PAIRS, HAND_LABELS, 0.76, label_column="verdict")
    assert strict["match_weight"] == 5.0
    none = pl.DataFrame({"id_l": ["c"], "id_r": ["d"], "verdict": ["N"]})
    assert padan.threshold_for_precision(HAND_PAIRS, none, 0.5, label_column="verdict") is None
    with pytest.raises(ValueError, match="target_precision"):
        padan.threshold_for_precision(HAND_PAIRS, HAND_LABELS, 1.5, label_column="verdict")


def test_bad_labels_raise_input_errors_that_name_the_problem(extract):
    records, _ = extract
    result = padan.dedupe(records, threads=1)
    unknown = pa.table({"id_l": ["DTKS0000001"], "id_r": ["NOT-AN-ID"], "is_match": [True]})
    with pytest.raises(padan.InputError, match="NOT-AN-ID"):
        padan.precision_recall(result, unknown)
    with pytest.raises(padan.InputError, match="NOT-AN-ID"):
        padan.dedupe(records, labels=unknown)
    unreadable = pa.table({"id_l": ["a"], "id_r": ["b"], "is_match": ["perhaps"]})
    with pytest.raises(padan.InputError, match="perhaps"):
        padan.precision_recall(HAND_PAIRS, unreadable)
    with pytest.raises(padan.ColumnNotFoundError):
        padan.precision_recall(HAND_PAIRS, HAND_LABELS)  # no is_match column


def test_a_linker_trains_m_from_labels_and_evaluates_against_them(extract, tmp_path):
    records, entity = extract
    labels = truth_labels(padan.dedupe(records, threads=1), entity)
    matches = sum(labels["is_match"].to_pylist())
    linker = padan.Linker(threads=1)
    model = linker.train(records, labels=labels)
    assert model.training["labels"]["matches"] == matches
    assert model.training["em_sessions"] == []
    assert model != padan.Linker(threads=1).train(records)  # EM gives another m

    curve = linker.precision_recall(labels)
    assert curve.num_rows > 1
    point = linker.threshold_for_precision(labels, 0.99)
    assert point["precision"] >= 0.99
    assert point["recall"] > 0.9
    # The same from a labels file and from the pairs table.
    path = tmp_path / "labels.parquet"
    pq.write_table(labels, path)
    assert padan.threshold_for_precision(linker.result.pairs, path, 0.99) == point

    # Trained with one or two threads, the model file is the same.
    two = padan.Linker(threads=2).train(records, labels=labels)
    assert two.to_json() == model.to_json()


def test_the_precision_recall_chart_marks_the_target(extract):
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    from padan.plots import plot_precision_recall

    curve = padan.precision_recall(HAND_PAIRS, HAND_LABELS, label_column="verdict")
    ax = plot_precision_recall(curve, target_precision=0.7)
    assert list(ax.lines[0].get_xdata()) == pytest.approx([0.25, 0.5, 0.75, 0.75])
    marked = ax.lines[-1]
    assert (marked.get_xdata()[0], marked.get_ydata()[0]) == pytest.approx((0.75, 0.75))
    records, entity = extract
    linker = padan.Linker(threads=1)
    linker.predict(records)
    ax = linker.plot_precision_recall(truth_labels(linker.result, entity), target_precision=0.99)
    assert ax.get_xlabel() == "recall"


def test_a_link_rule_from_a_dict_config_links_and_is_named():
    records = pa.table(
        {
            "id_dtks": ["A", "B", "C"],
            "nik": ["3273015208850002", "3273015208850002", "3578036505900017"],
            "nama": ["Dewi Lestari", "DEWI LESTARI", "Ratna Sari"],
        }
    )
    # Three rows are too few to learn how rare a shared NIK is: without a rule, A-B is reviewed.
    assert padan.dedupe(records).pairs.to_pandas().decision.tolist() == ["review"]
    rule = {"name": "nik_and_name", "mode": "link", "levels": {"nik": ["exact"], "name": ["exact"]}}
    result = padan.dedupe(records, config={"deterministic_rules": [rule]})
    pairs = result.pairs.to_pandas()
    assert pairs.decision.tolist() == ["match"]
    assert pairs.deterministic_rule.tolist() == ["nik_and_name"]
    assert result.summary["pairs_linked_by_rules"] == 1
    explanation = result.explain("A", "B", lang="en")
    assert "linked by the deterministic rule `nik_and_name`" in explanation.to_text()
    with pytest.raises(padan.ConfigError) as err:
        padan.dedupe(records, config={"deterministic_rules": [rule | {"mode": "sometimes"}]})
    assert "sometimes" in str(err.value)
    assert json.loads(result.summary_json)["pairs_linked_by_rules"] == 1
