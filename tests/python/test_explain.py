"""Explanations: per pair, what each comparison added to the match weight."""

from __future__ import annotations

import json
import re

import pyarrow as pa
import pytest

import padan

SIXTEEN_DIGITS = re.compile(r"\d{16}")

# 1 and 2 are one person whose NIK differs in a birth-date digit (7-12); 3 and 4 are one SIAK
# batch (same first 12 digits) with different names: twins, the name counted in the NIK level.
HAND_MADE = pa.table(
    {
        "id_dtks": ["P1", "P2", "P3", "P4"],
        "nik": ["3273015208850002", "3273015209850002", "3578030101900003", "3578030101900004"],
        "nama": ["Dewi Lestari", "DEWI  LESTARI", "Hasan Basri", "Rudi Hartono"],
        "tanggal_lahir": ["1985-08-12", "12-08-1985", "1990-01-01", "1990-01-01"],
    }
)


@pytest.fixture(scope="module")
def synthetic() -> padan.DedupeResult:
    records, _ = padan.synth(rows=3000, seed=5, duplicate_rate=0.15)
    return padan.dedupe(records, config={"training": {"u_sample_pairs": 200_000}})


def test_every_pair_sums_to_its_score_and_matches_the_weight_columns(synthetic):
    pairs = synthetic.pairs.to_arrow().to_pylist()
    assert len(pairs) > 100
    comparisons = [
        c[len("weight_") :] for c in synthetic.pairs.column_names if c.startswith("weight_")
    ]
    assert comparisons == [
        "nik",
        "name",
        "birth_date",
        "address",
        "sex",
        "mother_name",
        "household",
    ]
    absorbed = 0
    for pair in pairs:
        e = synthetic.explain(pair["id_l"], pair["id_r"])
        assert e is not None
        assert (e.id_l, e.id_r) == (pair["id_l"], pair["id_r"])
        total = e.prior_weight + sum(item.weight for item in e.items)
        assert total == pytest.approx(pair["match_weight"], abs=1e-9)
        assert e.match_weight == pair["match_weight"]
        assert e.match_probability == pair["match_probability"]
        assert e.decision == pair["decision"]
        assert [item.comparison for item in e.items] == comparisons
        for item in e.items:
            assert item.weight == pair[f"weight_{item.comparison}"]
            assert item.level == pair[f"gamma_{item.comparison}"]
            if item.absorbed:
                absorbed += 1
                assert item.weight == 0.0
                assert item.absorbed_by in ("nik", "household")
                by = "NIK" if item.absorbed_by == "nik" else "KK"
                assert f"sudah dihitung dalam {by}" in item.description
        by_nik = sum(i.absorbed_by == "nik" for i in e.items)
        by_household = sum(i.absorbed_by == "household" for i in e.items)
        assert by_nik + by_household == sum(i.absorbed for i in e.items)
        assert e.to_text().count("sudah dihitung dalam NIK") == by_nik
        assert e.to_text().count("sudah dihitung dalam KK") == by_household
        for lang in ("id", "en"):
            assert not SIXTEEN_DIGITS.search(e.to_text(lang))
    assert absorbed > 0


def test_explanations_table_has_one_text_per_pair(synthetic):
    table = synthetic.explanations(lang="en").to_arrow()
    pairs = synthetic.pairs.to_arrow()
    assert table.column_names == ["id_l", "id_r", "match_probability", "decision", "explanation"]
    for name in ("id_l", "id_r", "match_probability", "decision"):
        assert table[name].equals(pairs[name])
    texts = table["explanation"].to_pylist()
    first = synthetic.explain(table["id_l"][0].as_py(), table["id_r"][0].as_py(), lang="en")
    assert texts[0] == first.to_text()
    assert all(t.startswith("Pair ") and "match probability" in t for t in texts)
    assert not any(SIXTEEN_DIGITS.search(t) for t in texts)
    indonesian = synthetic.explanations().to_arrow()["explanation"].to_pylist()
    assert all("bobot awal (prior)" in t for t in indonesian)


def test_hand_made_pairs_read_as_expected():
    result = padan.dedupe(HAND_MADE)
    e = result.explain("P1", "P2")
    assert e is not None
    nik, name = e.items[0], e.items[1]
    assert (nik.comparison, nik.label, nik.description) == (
        "nik",
        "one_substitution",
        "NIK beda 1 digit",
    )
    assert name.description == "nama sama setelah normalisasi"
    text = str(e)
    assert text == e.to_text("id")
    assert "NIK beda 1 digit" in text
    assert "Pasangan P1 – P2" in text
    english = e.to_text("en")
    assert "NIK differs in 1 digit" in english
    assert "same name after normalisation" in english
    assert result.explain("P1", "P2", lang="en").items[0].description == "NIK differs in 1 digit"

    twins = result.explain("P4", "P3")  # either order
    assert twins is not None
    assert (twins.id_l, twins.id_r) == ("P3", "P4")
    assert twins.items[0].label == "sibling_pattern"
    assert twins.items[1].absorbed
    assert twins.items[1].weight == 0.0
    assert "nama berbeda (sudah dihitung dalam NIK)" in twins.to_text()
    assert "different name (already counted in the NIK level)" in twins.to_text("en")


def test_unknown_or_unblocked_pairs_give_none():
    result = padan.dedupe(HAND_MADE)
    assert result.explain("P1", "P3") is None  # never blocked together
    assert result.explain("P1", "nope") is None
    with pytest.raises(ValueError, match=r"'id' .* or 'en'"):
        result.explain("P1", "P2", lang="fr")
    with pytest.raises(ValueError, match=r"'id' .* or 'en'"):
        result.explanations(lang="de")


def test_integer_ids_and_nik_like_ids():
    nik = ["3273015208850002", "3273015208850002"]
    names = ["Dewi Lestari", "Dewi Lestari"]
    dates = ["1985-08-12", "1985-08-12"]
    result = padan.dedupe(
        pa.table({"id_dtks": [17, 18], "nik": nik, "nama": names, "tanggal_lahir": dates})
    )
    e = result.explain(18, 17)
    assert e is not None
    assert (e.id_l, e.id_r) == ("17", "18")
    assert result.explain("17", "18") == e

    # Ids that are themselves NIK-like numbers are masked in the text, not in the data.
    ids = ["3273015208850002", "3273015208850003"]
    result = padan.dedupe(
        pa.table({"id_dtks": ids, "nik": nik, "nama": names, "tanggal_lahir": dates})
    )
    e = result.explain(*ids)
    assert e is not None
    assert e.id_l == ids[0]
    for lang in ("id", "en"):
        text = e.to_text(lang)
        assert "3273 **** **** 0002" in text
        assert not SIXTEEN_DIGITS.search(text)
    assert not SIXTEEN_DIGITS.search(e._repr_html_())


def test_to_dict_and_html():
    e = padan.dedupe(HAND_MADE).explain("P1", "P2", lang="en")
    assert e is not None
    d = e.to_dict()
    json.dumps(d)  # plain data
    assert d["items"][0]["description"] == "NIK differs in 1 digit"
    assert d["text"] == e.to_text()
    assert d["decision"] in {"match", "review", "non_match"}
    html = e._repr_html_()
    assert html.startswith("<div>")
    assert "<table>" in html
    assert "NIK differs in 1 digit" in html
    assert "prior weight" in html


def test_a_possible_second_nik_is_reviewed_and_the_explanation_says_why():
    # Brief pair 23: Sutrisno, born 1 Jul 1970 (a placeholder date), NIKs from Sleman and
    # Jakarta, both with the mother Painem; a third Sutrisno has another mother.
    records = pa.table(
        {
            "id_dtks": ["sleman", "jakarta", "bogor"],
            "nik": ["3404010107700005", "3173010107700021", "3201030107700008"],
            "nama": ["Sutrisno", "SUTRISNO", "Sutrisno"],
            "nama_ibu_kandung": ["Painem", "PAINEM", "Sumarni"],
        }
    )
    result = padan.dedupe(records)
    same_mother = result.explain("sleman", "jakarta")
    assert same_mother.decision == "review"
    assert same_mother.possible_second_nik
    assert same_mother.to_dict()["possible_second_nik"] is True
    assert "satu orang dengan dua NIK" in same_mother.to_text("id")
    assert "possibly one person with two NIKs" in same_mother.to_text("en")
    mother = next(i for i in same_mother.items if i.comparison == "mother_name")
    assert (mother.label, mother.description) == ("exact", "nama ibu kandung sama")
    other = result.explain("sleman", "bogor")
    assert not other.possible_second_nik
    assert "dua NIK" not in other.to_text()

    switched_off = padan.dedupe(records, config={"review_possible_second_nik": False})
    assert not switched_off.explain("sleman", "jakarta").possible_second_nik


def test_name_term_frequency_switch_and_parts_flag():
    records, _ = padan.synth(rows=3000, seed=5, duplicate_rate=0.15)
    by_mode = {
        mode: padan.dedupe(records, config={"name_term_frequency": mode})
        for mode in ("tokens", "whole")
    }
    flagged = {}
    shown_in_html = 0
    for mode, result in by_mode.items():
        flagged[mode] = 0
        for pair in result.pairs.to_arrow().to_pylist():
            explanation = result.explain(pair["id_l"], pair["id_r"])
            for item in explanation.items:
                if item.tf_by_parts:
                    flagged[mode] += 1
                    assert item.comparison == "name"
                    assert item.tf_adjustment != 0.0
                    if abs(item.tf_adjustment) >= 0.05:
                        assert "(menurut kata-katanya)" in explanation._repr_html_()
                        shown_in_html += 1
            if not any(item.tf_by_parts for item in explanation.items):
                assert "kata-katanya" not in explanation._repr_html_()
    # Only the token model can set a name's adjustment by its parts.
    assert flagged["tokens"] > 0
    assert flagged["whole"] == 0
    assert shown_in_html > 0
    with pytest.raises(padan.ConfigError, match=r"name_term_frequency|unknown variant"):
        padan.dedupe(records, config={"name_term_frequency": "parts"})
