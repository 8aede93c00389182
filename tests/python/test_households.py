"""Duplicate households on the hand-written table households_dtks.csv and on generated data.

The expected pairs are worked out by hand in tests/fixtures/README.md.
"""

from __future__ import annotations

import re

import pytest

import padan
from conftest import FIXTURES

HOUSEHOLDS_DTKS = FIXTURES / "households_dtks.csv"


@pytest.fixture(scope="module")
def result() -> padan.DedupeResult:
    # Twenty-two rows are too few to learn a model from: borrow one from generated data.
    records, _ = padan.synth(rows=5000, seed=1)
    model = padan.dedupe(records).model_json
    return padan.dedupe(HOUSEHOLDS_DTKS, model=model)


def test_duplicates_swaps_and_splits(result):
    rows = result.households().to_arrow().to_pylist()
    found = {(r["kk_l"], r["kk_r"]): (r["decision"], r["head_agreement"]) for r in rows}
    assert found[("3273011203100002", "3273012005220001")] == ("duplicate", "same_head")
    assert found[("3578030303230002", "3578031002100004")] == ("duplicate", "head_spouse_swapped")
    assert found[("3374010101050003", "3374011509200001")] == ("split", "split")
    # The Siregar neighbours share a surname and a street, not a family.
    assert all(d != "duplicate" for (kk, _), (d, _) in found.items() if kk.startswith("1271"))
    santoso = next(r for r in rows if r["kk_l"] == "3273011203100002")
    assert (santoso["members_l"], santoso["members_r"], santoso["matched_members"]) == (3, 3, 3)
    assert santoso["dropped_kk"] == "3273012005220001"
    assert santoso["programs_both"] == "PKH"
    assert "3273 **** **** 0001" in santoso["explanation_en"]
    assert "3273012005220001" not in santoso["explanation_id"]


def test_flags_and_summary(result):
    flags = result.flags().to_arrow().to_pylist()
    household = [f["id"] for f in flags if f["code"] == "DUPLICATE_HOUSEHOLD"]
    assert household == ["H04", "H09"]
    s = result.summary["households"]
    assert (s["duplicate_pairs"], s["split_pairs"], s["kk_to_drop"]) == (2, 1, 2)
    assert result.summary["flags"]["by_code"]["DUPLICATE_HOUSEHOLD"] == 2


def test_evaluate_households_on_generated_data():
    records, truth = padan.synth(rows=5000, seed=7)
    assert {"no_kk", "kk_household_id"} <= set(truth.column_names)
    result = padan.dedupe(records)
    report = padan.evaluate_households(result, truth)
    assert report["overall"]["true_pairs"] > 0
    assert report["overall"]["precision"] >= 0.95
    # The table and the result give the same report.
    assert padan.evaluate_households(result.households(), truth) == report


def test_evaluate_households_needs_the_kk_truth():
    records, truth = padan.synth(rows=500, seed=1)
    result = padan.dedupe(records)
    with pytest.raises(padan.ColumnNotFoundError, match="kk_household_id"):
        padan.evaluate_households(result, truth.to_arrow().drop_columns(["kk_household_id"]))


def test_readme_households_snippet_runs():
    """The Python example of the README's "Households registered twice" section."""
    readme = FIXTURES.parents[1] / "README.md"
    section = readme.read_text(encoding="utf-8").split("## Households registered twice", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert code is not None
    namespace: dict[str, object] = {}
    exec(compile(code.group(1), "README.md", "exec"), namespace)
    result = namespace["result"]
    assert result.households().num_rows == result.summary["households"]["kk_pairs_compared"]
