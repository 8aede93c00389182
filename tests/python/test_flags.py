"""Flags, the review list and double recipients on the hand-written table flags_dtks.csv.

The expected flags are worked out by hand in tests/fixtures/README.md.
"""

from __future__ import annotations

import re

import pyarrow as pa
import pytest

import padan
from conftest import FIXTURES

FLAGS_DTKS = FIXTURES / "flags_dtks.csv"
CONFIG = {"flags": {"reference_date": "2025-06-30"}}

EXPECTED = [
    (4, "DUPLICATE"),
    (4, "DOUBLE_RECIPIENT"),
    (5, "HOUSEHOLD_INCONSISTENT"),
    (6, "HOUSEHOLD_INCONSISTENT"),
    (7, "HOUSEHOLD_INCONSISTENT"),
    (9, "DUPLICATE"),
    (9, "DOUBLE_RECIPIENT"),
    (9, "SECOND_HOUSEHOLD"),
    (11, "INVALID_NIK"),
    (12, "INVALID_NIK"),
    (13, "NIK_MISMATCH"),
    (14, "NIK_MISMATCH"),
    (14, "NIK_SHARED"),
    (15, "NIK_SHARED"),
    (16, "IMPLAUSIBLE_AGE"),
    (17, "IMPLAUSIBLE_AGE"),
    (18, "DECEASED_MARKER"),
    (21, "HOUSEHOLD_INCONSISTENT"),
]


@pytest.fixture(scope="module")
def result() -> padan.DedupeResult:
    return padan.dedupe(FLAGS_DTKS, config=CONFIG)


def test_every_flag_of_the_fixture(result):
    flags = pa.table(result.flags())
    assert flags.column_names == [
        "row",
        "id",
        "code",
        "priority",
        "confidence",
        "programs",
        "related_rows",
        "cluster_id",
        "evidence_id",
        "evidence_en",
    ]
    got = list(zip(flags["row"].to_pylist(), flags["code"].to_pylist(), strict=True))
    assert got == EXPECTED
    by_key = {(r["row"], r["code"]): r for r in flags.to_pylist()}
    double = by_key[(9, "DOUBLE_RECIPIENT")]
    assert (double["programs"], double["related_rows"], double["priority"]) == ("BPNT", "8", 1)
    assert by_key[(13, "NIK_MISMATCH")]["evidence_id"] == (
        "jenis kelamin di NIK perempuan, di data laki-laki"
    )
    assert 0.0 <= min(flags["confidence"].to_pylist()) <= max(flags["confidence"].to_pylist()) <= 1


def test_summary_accounts_for_every_row(result):
    s = result.summary["flags"]
    assert s["rows_flagged"] + s["rows_not_flagged"] == result.summary["rows_read"] == 21
    assert sum(s["by_code"].values()) == s["flags_total"] == 18
    assert sum(pa.table(result.flag_counts())["flags"].to_pylist()) == 18
    pkh = next(d for d in s["double_recipients"] if d["programme"] == "PKH")
    assert (pkh["persons"], pkh["rows"], pkh["extra_payments"]) == (1, 2, 1)


def test_review_list_is_sorted_and_masked(result):
    review = result.review_list().to_polars()
    assert review.height == 18
    keys = list(zip(review["priority"], [-c for c in review["confidence"]], strict=True))
    assert keys == sorted(keys)
    # Priority 1 first: the two double recipients (in order of confidence, checked above),
    # then the deceased marker.
    assert sorted(review["id"][:2].to_list()) == ["F04", "F09"]
    assert review["id"][2] == "F18"
    text = review.select("nik", "kk", "name", "alasan", "evidence").write_csv()
    assert not re.search(r"\d{16}", text), "a full NIK or KK in the review list"
    f09 = review["id"].to_list().index("F09")
    assert review["nik"][f09] == "3578 **** **** 0005"


def test_double_recipients_table(result):
    doubles = result.double_recipients().to_pandas()
    assert doubles["programme"].tolist() == ["PKH", "BPNT"]
    assert doubles["ids"].tolist() == ["F01;F04", "F08;F09"]
    assert doubles["kept_row"].tolist() == [1, 8]


def test_bad_reference_date_is_a_config_error():
    with pytest.raises(padan.ConfigError, match=r"flags\.reference_date"):
        padan.dedupe(FLAGS_DTKS, config={"flags": {"reference_date": "someday"}})


def test_flags_on_generated_data_add_up():
    records, _ = padan.synth(rows=3000, seed=5)
    result = padan.dedupe(records)
    s = result.summary["flags"]
    assert s["rows_flagged"] + s["rows_not_flagged"] == 3000
    # Every extra copy in a duplicate cluster is flagged DUPLICATE, once.
    assert s["by_code"]["DUPLICATE"] == result.summary["duplicate_rows"]
    assert result.flags().num_rows == s["flags_total"] == result.review_list().num_rows


def test_readme_flags_snippet_runs():
    """The Python example of the README's "Flags and the review list" section."""
    readme = FIXTURES.parents[1] / "README.md"
    section = readme.read_text(encoding="utf-8").split("## Flags and the review list", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert code is not None
    namespace: dict[str, object] = {}
    exec(compile(code.group(1), "README.md", "exec"), namespace)
    result = namespace["result"]
    assert result.summary["flags"]["reference_date"] == "2025-06-30"
    assert result.flags().num_rows == result.summary["flags"]["flags_total"]
