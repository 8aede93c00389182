"""Two snapshots on the hand-written quarters snapshot_q1.csv and snapshot_q2.csv.

The expected answers are worked out by hand in tests/fixtures/README.md.
"""

from __future__ import annotations

import pyarrow.csv as pacsv

import padan
from conftest import FIXTURES

Q1 = FIXTURES / "snapshot_q1.csv"
Q2 = FIXTURES / "snapshot_q2.csv"


def test_persons_households_and_summary():
    # Seventeen rows are too few to learn a model from: borrow one from generated data.
    records, _ = padan.synth(rows=5000, seed=1)
    model = padan.dedupe(records).model
    # The earlier quarter as a path, the later one as an Arrow table read as text.
    text = pacsv.ConvertOptions(
        column_types={c: "string" for c in ["nik", "no_kk", "rt", "rw", "tanggal_lahir"]}
    )
    later = pacsv.read_csv(Q2, convert_options=text)
    diff = padan.compare_snapshots(Q1, later, model=model, threads=2)

    persons = {
        (r["later_id"], r["earlier_id"]): (r["entity_id"], r["status"], r["changed_fields"])
        for r in diff.persons().to_arrow().to_pylist()
    }
    assert persons[("B6", "A6")] == ("E6", "changed", "nik")  # NIK typo fixed: same entity
    assert persons[("B8", "A8")] == ("E8", "changed", "kk;address")  # moved
    assert persons[("B4", None)] == ("N-B4-2", "added", "")  # newborn; "N-B4" was taken
    assert persons[(None, "A4")] == ("E4", "removed", "")  # died
    assert persons[("B1", "A1")] == ("E1", "unchanged", "")

    santoso = next(
        r for r in diff.households().to_arrow().to_pylist() if r["later_kk"] == "3273011203100002"
    )
    assert (santoso["status"], santoso["joined_ids"], santoso["left"]) == ("changed", "B4", 0)

    s = diff.summary
    assert (s["unchanged"], s["changed"], s["added"], s["removed"]) == (5, 2, 1, 2)
    assert s["unchanged"] + s["changed"] + s["added"] == s["later_rows"] == 8
    assert s["unchanged"] + s["changed"] + s["removed"] == s["earlier_rows"] == 9
    assert "5 unchanged" in repr(diff)
