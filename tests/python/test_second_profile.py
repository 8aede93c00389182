"""padan on the independent profile (benches/gen_registry.py), not only on ``padan synth``.

The generator was written from the domain notes without reading padan's matcher or its
generator, with other names, addresses and error mechanisms (issue 13). These tests hold the
accuracy floors and the hard non-duplicates of that profile at a size a test run can afford.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import padan

GENERATOR = Path(__file__).resolve().parents[2] / "benches" / "gen_registry.py"


@pytest.fixture(scope="module")
def profile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = importlib.util.spec_from_file_location("gen_registry", GENERATOR)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    out = tmp_path_factory.mktemp("gen_registry")
    assert module.main(["--rows", "20000", "--seed", "3", "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def result(profile: Path) -> padan.DedupeResult:
    return padan.dedupe(str(profile / "dtks.parquet"), clusters_only=True)


def test_accuracy_floors_hold_on_the_independent_profile(profile, result):
    report = padan.evaluate(result, str(profile / "truth.parquet"))
    overall = report["overall"]
    assert overall["true_pairs"] > 1_000, overall
    assert overall["precision"] >= 0.99, overall
    assert overall["recall"] >= 0.9, overall
    # The two-error copies that no default rule used to propose.
    for kind in ("blank_nik_date_error", "nik_typo_date_error", "nik_missing"):
        assert report["by_kind"][kind]["recall"] >= 0.95, (kind, report["by_kind"][kind])


def test_hard_non_duplicates_stay_apart(profile, result):
    clusters = pa.table(result.clusters)
    cluster_of = dict(
        zip(clusters["id"].to_pylist(), clusters["cluster_id"].to_pylist(), strict=True)
    )
    hard = pq.read_table(profile / "hard_pairs.parquet").to_pylist()
    by_kind: dict[str, list[bool]] = {}
    for pair in hard:
        merged = cluster_of[pair["id_a"]] == cluster_of[pair["id_b"]]
        by_kind.setdefault(pair["kind"], []).append(merged)
    assert set(by_kind) >= {"nik_ganda_household", "twin", "father_son_same_name"}, by_kind.keys()
    for kind, merged in by_kind.items():
        assert len(merged) >= 20, (kind, len(merged))
        assert sum(merged) / len(merged) < 0.01, (kind, sum(merged), len(merged))
