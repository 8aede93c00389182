"""The registry officer's cases (tests/fixtures/registry_cases.csv) through the Python API.

NIK ganda in one household, a copy without a NIK and with a default birth date, a copy
registered again elsewhere with a NIK typo, a copy with two errors at once, and twins, father
and son, namesakes who must stay apart. They are read among the bundled example's 2,000 rows so
that the model is trained on a registry.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa
import pytest

import padan
from conftest import FIXTURES, read_csv_columns

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "dtks_sample.csv"


def expected_cases() -> list[dict[str, str]]:
    with (FIXTURES / "registry_cases_expected.csv").open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def result() -> padan.DedupeResult:
    example, cases = read_csv_columns(EXAMPLE), read_csv_columns(FIXTURES / "registry_cases.csv")
    columns = {name: example[name] + cases[name] for name in example}
    return padan.dedupe(pa.table(columns))


@pytest.mark.parametrize("case", expected_cases(), ids=lambda c: f"{c['id_l']}-{c['id_r']}")
def test_each_case_is_decided_as_a_registry_officer_would(result, case):
    clusters = pa.table(result.clusters)
    cluster_of = dict(
        zip(clusters["id"].to_pylist(), clusters["cluster_id"].to_pylist(), strict=True)
    )
    together = cluster_of[case["id_l"]] == cluster_of[case["id_r"]]
    assert together == (case["expected"] == "together"), case["situation"]


def test_nik_ganda_reads_as_two_family_members(result):
    explanation = result.explain("H01", "H02", lang="en")
    text = str(explanation)
    assert "same KK, different relationships to the head" in text
    assert "different sex" in text
    assert "same NIK (already counted in the household level)" in text
    assert explanation.decision == "non_match"
