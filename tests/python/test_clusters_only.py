"""Clusters-only runs: person-level deduplication without flags, households or review list."""

from __future__ import annotations

import pyarrow as pa
import pytest

import padan
from conftest import SMALL_DTKS

SKIPPED_LAYERS = {"flags", "households", "clusters_only"}


@pytest.fixture(scope="module")
def records() -> padan.Table:
    records, _ = padan.synth(rows=2000, seed=3)
    return records


@pytest.fixture(scope="module")
def full(records) -> padan.DedupeResult:
    return padan.dedupe(records)


@pytest.fixture(scope="module")
def only(records) -> padan.DedupeResult:
    return padan.dedupe(records, clusters_only=True)


def test_pairs_clusters_and_counts_are_the_full_runs(full, only):
    assert full.pairs.num_rows > 100
    assert pa.table(only.pairs).equals(pa.table(full.pairs))
    assert pa.table(only.clusters).equals(pa.table(full.clusters))
    assert only.model_json == full.model_json
    rest = {k: v for k, v in only.summary.items() if k not in SKIPPED_LAYERS}
    assert rest == {k: v for k, v in full.summary.items() if k not in SKIPPED_LAYERS}


def test_the_summary_says_the_layers_were_skipped(full, only):
    summary = only.summary
    assert summary["clusters_only"] is True
    # Present and None: skipped, which is not the same as "no flags found".
    assert "flags" in summary
    assert summary["flags"] is None
    assert "households" in summary
    assert summary["households"] is None
    assert full.summary["clusters_only"] is False
    assert full.summary["flags"]["flags_total"] > 0


@pytest.mark.parametrize(
    ("method", "layer"),
    [
        ("flags", "flags"),
        ("review_list", "flags"),
        ("flag_counts", "flags"),
        ("double_recipients", "flags"),
        ("households", "households"),
    ],
)
def test_the_skipped_tables_raise_a_clear_error(only, method, layer):
    with pytest.raises(padan.LayerSkippedError) as caught:
        getattr(only, method)()
    err = caught.value
    assert err.layer == layer
    assert str(err).startswith(f"the {layer} were not computed")
    assert "clusters_only" in str(err)
    assert isinstance(err, padan.PadanError)
    assert isinstance(err, RuntimeError)


def test_what_a_person_level_run_has_still_works(only):
    pair = pa.table(only.pairs).to_pylist()[0]
    explanation = only.explain(pair["id_l"], pair["id_r"])
    assert explanation is not None
    assert explanation.match_weight == pair["match_weight"]
    assert only.explanations().num_rows == only.pairs.num_rows
    assert "DedupeResult(" in repr(only)
    assert "<table>" in only._repr_html_()


def test_evaluate_households_refuses_a_clusters_only_result(only):
    _, truth = padan.synth(rows=2000, seed=3)
    with pytest.raises(padan.LayerSkippedError):
        padan.evaluate_households(only, truth)


def test_the_config_key_and_the_keyword(only):
    from_config = padan.dedupe(SMALL_DTKS, config={"clusters_only": True})
    assert from_config.summary["clusters_only"] is True
    # The keyword overrides the configuration, both ways.
    overridden = padan.dedupe(SMALL_DTKS, config={"clusters_only": True}, clusters_only=False)
    assert overridden.summary["clusters_only"] is False
    flag_summary = overridden.summary["flags"]
    assert flag_summary["rows_flagged"] + flag_summary["rows_not_flagged"] == 12


def test_a_bad_value_is_a_config_error():
    with pytest.raises(padan.ConfigError, match="expected a boolean"):
        padan.dedupe(SMALL_DTKS, config={"clusters_only": "yes"})


def test_a_registry_run_refuses_clusters_only():
    registry = pa.table(
        {
            "nik": ["3273015208850002"],
            "nama": ["DEWI LESTARI"],
            "tanggal_lahir": ["1985-08-12"],
            "status": ["HIDUP"],
            "tanggal_status": [None],
        }
    )
    with pytest.raises(padan.ConfigError) as caught:
        padan.dedupe(SMALL_DTKS, registry=registry, clusters_only=True)
    assert [issue["path"] for issue in caught.value.issues] == ["clusters_only"]
