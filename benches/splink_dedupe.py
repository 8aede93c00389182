"""Deduplicate a DTKS-shaped extract with Splink 4 (DuckDB), for benches/e2e.py.

Run inside benches/.venv-splink (benches/e2e.py creates it from requirements-splink.txt):

    python benches/splink_dedupe.py DIR/dtks.parquet --out OUT [--seed 7] [--threads N]
    python benches/splink_dedupe.py DIR/dtks.parquet --count-pairs-only

Writes OUT/clusters.parquet (`id`, `cluster_id`, both text, one row per input row) and
OUT/summary.json (phase timings, counts, versions). `--count-pairs-only` prints the number of
candidate pairs the prediction blocking rules generate (Splink's blocking analysis) and exits;
e2e.py runs it in a separate, untimed process.

This is the strongest configuration we could write for Splink with its public API and the
domain notes (shared/docs/domain.md): Indonesian name cleaning in pandas, custom comparison
levels written as SQL conditions (a NIK comparison that gives no typo credit to a serial-only or
sex-digit-only difference), term-frequency adjustments, blocking rules that also catch copies
without a NIK, and EM sessions chosen so that every comparison is estimated. The choices are
explained in benches/README.md ("Splink configuration"). Everything from reading the Parquet
file to writing the clusters is inside the measured process, preprocessing included.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import splink
import splink.comparison_level_library as cll
import splink.comparison_library as cl
from splink import DuckDBAPI, Linker, SettingsCreator, block_on
from splink.blocking_analysis import cumulative_comparisons_to_be_scored_from_blocking_rules_data

# Posterior match probability above which a pair is a match, and the clustering threshold.
MATCH_THRESHOLD = 0.9
# Prior: the deterministic rules below and the share of true matching pairs they are assumed to
# find (they miss NIK typos with a birth-date error, copies without a NIK, re-issued NIKs, ...).
PRIOR_RECALL = 0.8
# Pairs sampled for u (Splink's docs: 1e7 is often adequate, 1e9 best).
U_MAX_PAIRS = 1e6
VOWELS = set("AEIOU")

# ---------------------------------------------------------------------------------------------
# Name cleaning (domain.md section 5): titles, degrees, the 1947/1972 spelling reforms, the
# Muhammad family. Applied once per distinct name.
# ---------------------------------------------------------------------------------------------


def words(text: str) -> frozenset[str]:
    """The space-separated words of `text`."""
    return frozenset(text.split())


# Leading titles, honorifics, address forms and markers that are stripped (section 5.3).
TITLES = words(
    "H HAJI HJ HJH HAJJAH HAJAH KH KYAI KIAI UST USTADZ USTAD USTAZ USTADZAH USTAZAH TGK TEUNGKU "
    "PROF DR DRG DRS DRA DRH IR NS BPK BAPAK PAK IBU BU NY NYONYA SDR SDRI TN TUAN ALM ALMH "
    "ALMARHUM ALMARHUMAH I NI BR BORU RADEN RR "
)
# Degree pieces when the comma before them was lost ("SITI AMINAH S PD").
DEGREE_TOKENS = words(
    "S PD SE SH SKOM KOM ST SOS SAG AG KEP SI AMD MD MA AP TR SST MPD MM MSI KES PHD "
)
# Canonical forms (section 5.2), looked up after the spelling reform rewrites.
CANONICAL = {
    **dict.fromkeys(
        words(
            "MUHAMMAD MUHAMAD MUHAMMED MUHAMED MOHAMMAD MOHAMAD MOHAMMED MOHAMED MOKHAMMAD "
            "MOKHAMAD MUKHAMMAD MUKHAMAD MUHAMMAT MUHAMAT MOHAMMAT MOHAMAT MUH MOH MOKH MUKH MHD "
            "MD MOHD MUHD MHMD "
        ),
        "MUHAMMAD",
    ),
    "ABD": "ABDUL",
    "AKHMAD": "AHMAD",
    "ACHMAD": "AHMAD",
    "NOOR": "NUR",
    "SITTI": "SITI",
    "SERI": "SRI",
}
# ch is kh in old spelling except in these (section 5.1).
CH_KEEP = ("CHANDRA", "CHRIST", "MICHAEL", "CHANDRI")
OLD_MARKER = re.compile(r"OE|DJ|TJ|SJ|^NJ|CH")


def reform_token(token: str) -> str:
    """Old spelling to EYD (oe, dj, tj, sj, initial nj, ch), to a fixed point."""
    if not OLD_MARKER.search(token) or token.startswith(CH_KEEP):
        return token
    while True:
        new = (
            token.replace("OE", "U")
            .replace("DJ", "J")
            .replace("TJ", "C")
            .replace("SJ", "SY")
            .replace("CH", "KH")
        )
        if new.startswith("NJ"):
            new = "NY" + new[2:]
        if new == token:
            return token
        token = new


def normalize_name(name: str) -> str:
    """Upper-case name with degrees, titles and old spellings removed, Muhammad family folded."""
    tokens = [t for t in name.split(" ") if t]
    while len(tokens) > 1 and tokens[0] in TITLES:
        tokens.pop(0)
    while len(tokens) > 1 and tokens[-1] in DEGREE_TOKENS and len(tokens[-1]) <= 4:
        tokens.pop()
    out = []
    for token in tokens:
        if token in ("BR", "BORU") and len(tokens) > 1:
            continue
        token = reform_token(token)
        out.append(CANONICAL.get(token, token))
    return " ".join(out)


# Phonetic classes (section 5.2): digraphs reduced, f/p/v, z/j/s, q/k, y/i.
PHONETIC_DIGRAPHS = (("KH", "K"), ("DH", "D"), ("TH", "T"), ("TS", "S"), ("DZ", "Z"), ("SY", "S"))
PHONETIC_TABLE = str.maketrans({"V": "P", "F": "P", "Z": "S", "J": "S", "Q": "K", "Y": "I"})


def token_key(token: str) -> str:
    """Phonetic key of one token.

    Classes folded, h after a consonant dropped, then padan's generic key (vowels after the
    first letter and repeated letters dropped).
    """
    for old, new in PHONETIC_DIGRAPHS:
        token = token.replace(old, new)
    token = token.translate(PHONETIC_TABLE)
    key = []
    last = ""
    for i, ch in enumerate(token):
        if i > 0 and (ch in VOWELS or (ch == "H" and last not in VOWELS)):
            continue
        if ch == last:
            continue
        key.append(ch)
        last = ch
    return "".join(key)


def name_key(name: str) -> str:
    """Sorted phonetic keys of the tokens (the blocking key)."""
    return " ".join(sorted(token_key(t) for t in name.split(" ") if t))


def joined_key(name: str) -> str:
    """Phonetic key of the name with its spaces removed (Nur Hayati / Nurhayati)."""
    return token_key(name.replace(" ", ""))


def parse_dates(text: pd.Series) -> pd.Series:
    """Mixed YYYY-MM-DD / DD-MM-YYYY / DD/MM/YYYY text to ISO strings (null when unreadable)."""
    text = text.str.strip()
    parsed = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    for fmt in ("%d-%m-%Y", "%d/%m/%Y", "%Y/%m/%d"):
        missing = parsed.isna()
        if not missing.any():
            break
        parsed = parsed.where(~missing, pd.to_datetime(text, format=fmt, errors="coerce"))
    return parsed.dt.strftime("%Y-%m-%d").astype("string")


def clean_text(text: pd.Series) -> pd.Series:
    """Upper case, apostrophes dropped, other punctuation turned into spaces, spaces collapsed."""
    text = text.str.upper().str.replace(r"['`\u2019]", "", regex=True)
    text = text.str.replace(r"[\W_]+", " ", regex=True).str.strip()
    return text.mask(text == "")


def clean_name(text: pd.Series) -> pd.Series:
    """`normalize_name` of the cleaned text before the first comma (degrees follow a comma)."""
    text = clean_text(text.str.split(",", n=1).str[0])
    return text.map(lambda n: normalize_name(n) if isinstance(n, str) else pd.NA).astype("string")


def small_int(text: pd.Series) -> pd.Series:
    """The first run of digits as an integer (RT / RW numbers such as `003` or `RT 3`)."""
    return pd.to_numeric(text.str.extract(r"(\d+)", expand=False), errors="coerce").astype("Int64")


def per_unique(column: pd.Series, clean) -> pd.Series:
    """Apply `clean` to each distinct value once and broadcast the result back.

    The usual pandas idiom for columns with many repeats (names, dates, places).
    """
    codes, uniques = pd.factorize(column)
    cleaned = clean(pd.Series(uniques, dtype="string")).reset_index(drop=True)
    # Code -1 (a null cell) picks the null appended at the end.
    lookup = pd.concat([cleaned, pd.Series([pd.NA], dtype=cleaned.dtype)], ignore_index=True)
    return pd.Series(lookup.to_numpy()[codes], index=column.index, dtype=cleaned.dtype)


def mapped(fn):
    """A per-value function as a Series cleaner (null stays null)."""
    return lambda s: s.map(lambda v: fn(v) if isinstance(v, str) else pd.NA).astype("string")


def digits(text: pd.Series) -> pd.Series:
    """Separators and a leading apostrophe removed (NIK, KK)."""
    return text.astype("string").str.strip().str.lstrip("'").str.replace(r"[ .\-]", "", regex=True)


# The 38 province codes (domain.md section 2).
PROVINCE_CODES = sorted(
    words(
        "11 12 13 14 15 16 17 18 19 21 31 32 33 34 35 36 51 52 53 61 62 63 64 65 71 72 73 74 75 "
        "76 81 82 91 92 93 94 95 96"
    )
)
SEX = {"1": "1", "L": "1", "LAKI-LAKI": "1", "2": "2", "P": "2", "PEREMPUAN": "2"}
INPUT_COLUMNS = [
    "id_dtks",
    "nik",
    "no_kk",
    "nama",
    "jenis_kelamin",
    "tempat_lahir",
    "tanggal_lahir",
    "hubungan_keluarga",
    "nama_ibu_kandung",
    "rt",
    "rw",
    "kelurahan",
    "kecamatan",
    "kabupaten_kota",
    "provinsi",
]


def read_input(path: Path) -> pd.DataFrame:
    """The input columns that exist in the file; the optional ones missing are all-null."""
    present = set(pq.read_schema(path).names)
    raw = pq.read_table(path, columns=[c for c in INPUT_COLUMNS if c in present]).to_pandas()
    for column in INPUT_COLUMNS:
        if column not in raw:
            raw[column] = pd.Series(pd.NA, index=raw.index, dtype="string")
    return raw


def preprocess(raw: pd.DataFrame) -> pd.DataFrame:
    """Cleaning and derived keys, once per record (once per distinct value where it repeats)."""
    out = pd.DataFrame({"unique_id": raw["id_dtks"].astype("string")})
    nik = digits(raw["nik"])
    # 16 digits, or 15 (a NIK whose last digit a spreadsheet dropped: domain.md section 2).
    # Checklist items 1, 2, 4, 6, 8: province code, day (+40) and month, serial 0000, one
    # repeated digit, a NIK equal to the KK number are invalid or suspect: treated as missing.
    valid = (
        nik.str.fullmatch(r"\d{15,16}").fillna(False)
        & nik.str.slice(0, 2).isin(PROVINCE_CODES).fillna(False)
        & nik.str.fullmatch(r"\d{6}([0-3]\d|[4-7]\d)(0[1-9]|1[0-2])\d+").fillna(False)
        & ~nik.str.fullmatch(r"(\d)\1+").fillna(False)
        & ~nik.str.fullmatch(r"\d{12}0000").fillna(False)
    )
    kk = digits(raw["no_kk"])
    valid &= (nik != kk).fillna(True)
    out["nik"] = nik.where(valid)
    out["nik_prefix12"] = out["nik"].str.slice(0, 12)
    out["kk"] = kk.where(kk.str.fullmatch(r"\d{16}").fillna(False))
    out["name"] = per_unique(raw["nama"], clean_name)
    out["name_key"] = per_unique(out["name"], mapped(name_key))
    out["name_joined_key"] = per_unique(out["name"], mapped(joined_key))
    tokens = out["name"].str.split(" ")
    out["name_initials"] = per_unique(
        out["name"], mapped(lambda n: "".join(t[0] for t in n.split()))
    )
    out["name_last"] = tokens.str[-1].astype("string")
    out["name_long"] = per_unique(
        out["name"], mapped(lambda n: " ".join(t for t in n.split() if len(t) > 2) or "-")
    )
    out["birth_date"] = per_unique(raw["tanggal_lahir"], parse_dates)
    out["sex"] = per_unique(
        raw["jenis_kelamin"], lambda s: s.str.strip().str.upper().map(SEX).astype("string")
    )
    # The NIK's digits 7-12 that the record's birth date and sex imply (day + 40 for women).
    day = pd.to_numeric(out["birth_date"].str.slice(8, 10), errors="coerce").astype("Int64")
    day = day + 40 * (out["sex"] == "2").astype("Int64")
    out["nik_dob"] = (
        day.astype("string").str.zfill(2)
        + out["birth_date"].str.slice(5, 7)
        + out["birth_date"].str.slice(2, 4)
    )
    out["mother"] = per_unique(raw["nama_ibu_kandung"], clean_name)
    out["birth_place"] = per_unique(raw["tempat_lahir"], clean_text)
    out["relation"] = per_unique(raw["hubungan_keluarga"], clean_text)
    out["rt"] = per_unique(raw["rt"], small_int)
    out["rw"] = per_unique(raw["rw"], small_int)
    # Village names repeat across districts: the key is the village inside its parents, as an
    # integer id (padan interns the same key); the same for the kecamatan.
    places = pd.DataFrame(
        {
            c: per_unique(raw[c].astype("string"), clean_text)
            for c in ("provinsi", "kabupaten_kota", "kecamatan", "kelurahan")
        }
    )
    village = places.groupby(list(places.columns), dropna=False, sort=False).ngroup()
    out["village_key"] = village.astype("Int64").where(places["kelurahan"].notna())
    district = places.iloc[:, :3].groupby(list(places.columns[:3]), dropna=False, sort=False)
    out["district_key"] = district.ngroup().astype("Int64").where(places["kecamatan"].notna())
    return out


# ---------------------------------------------------------------------------------------------
# Blocking and comparisons
# ---------------------------------------------------------------------------------------------


def prediction_rules():
    """The blocking rules that generate the pairs to score.

    padan's four (NIK, name key + birth date, birth date + village, NIK first 12 digits), then
    two that catch copies whose NIK is missing or re-issued and whose birth date is wrong: name
    key + KK, name key + village.
    """
    return [
        block_on("nik"),
        block_on("name_key", "birth_date"),
        block_on("birth_date", "village_key"),
        block_on("nik_prefix12"),
        block_on("name_key", "kk"),
        block_on("name_key", "village_key"),
    ]


def both_16(a: str = "nik") -> str:
    """SQL: both NIKs have 16 digits."""
    return f"length({a}_l) = 16 AND length({a}_r) = 16"


def nik_comparison(u_floor: float) -> cl.CustomComparison:
    """NIK levels that follow its layout (domain.md section 2).

    A one-digit difference is credited as a typo only outside the serial (digits 13-16), and in
    the birth-date digits (7-12) only when the two records' birth dates and sexes agree. Twins
    and a SIAK batch differ in the serial only, boy/girl twins in digit 7 only (day + 40): such a
    difference between two different names is its own level, which EM learns to be evidence
    against (a serial typo keeps the name). The u of the agreeing levels (exact, Excel, serial
    typo with the same name) is fixed at `u_floor`, one in the u sample size: they are rarer than
    that among random pairs, so the sample cannot see them, and EM's third session (pairs born
    the same day in one kecamatan) must not drive them to zero. The twin level's u comes from
    that session: the share of non-matching same-day, same-kecamatan pairs whose NIKs differ
    only in the serial.
    """
    serial_same = "substr(nik_l, 13, 4) = substr(nik_r, 13, 4)"
    dl1 = "damerau_levenshtein(nik_l, nik_r) = 1"
    date_part_differs = "substr(nik_l, 7, 6) <> substr(nik_r, 7, 6)"
    twin_pattern = (
        f"{both_16()} AND (substr(nik_l, 1, 12) = substr(nik_r, 1, 12) OR "
        "(substr(nik_l, 1, 6) = substr(nik_r, 1, 6) AND substr(nik_l, 8, 9) = substr(nik_r, 8, 9) "
        "AND abs(ascii(substr(nik_l, 7, 1)) - ascii(substr(nik_r, 7, 1))) = 4))"
    )
    same_name = "(name_l = name_r OR jaro_winkler_similarity(name_l, name_r) >= 0.92)"
    return cl.CustomComparison(
        output_column_name="nik",
        comparison_levels=[
            cll.NullLevel("nik"),
            cll.ExactMatchLevel("nik").configure(u_probability=u_floor, fix_u_probability=True),
            cll.CustomLevel(
                "substr(nik_l, 1, 15) = substr(nik_r, 1, 15) AND (length(nik_l) = 15 "
                "OR length(nik_r) = 15 OR right(nik_l, 1) = '0' OR right(nik_r, 1) = '0')",
                "Excel: first 15 digits equal, one ends in 0 or has 15",
            ).configure(u_probability=u_floor, fix_u_probability=True),
            cll.CustomLevel(
                f"{twin_pattern} AND NOT {same_name}",
                "serial or sex digit only, other name (twins, SIAK batch)",
            ).configure(u_probability=u_floor),
            cll.CustomLevel(twin_pattern, "serial or sex digit only, same name (a typo)").configure(
                u_probability=u_floor, fix_u_probability=True
            ),
            cll.CustomLevel(
                f"{both_16()} AND {serial_same} AND {dl1} AND (NOT ({date_part_differs}) "
                "OR nik_dob_l = nik_dob_r)",
                "one substitution or transposition outside the serial, dates consistent",
            ).configure(u_probability=u_floor),
            cll.ElseLevel(),
        ],
    )


def name_comparison() -> cl.CustomComparison:
    """Levels on the cleaned name.

    Exact (term-frequency adjusted), same tokens or joined, Jaro-Winkler >= 0.95, same phonetic
    key, one token set inside the other, same initials and last token, Jaro-Winkler >= 0.88, a
    common token, else.
    """
    tokens_l = "str_split(name_l, ' ')"
    tokens_r = "str_split(name_r, ' ')"
    return cl.CustomComparison(
        output_column_name="name",
        comparison_levels=[
            cll.NullLevel("name"),
            cll.ExactMatchLevel("name", term_frequency_adjustments=True),
            cll.CustomLevel(
                f"list_sort({tokens_l}) = list_sort({tokens_r}) "
                "OR replace(name_l, ' ', '') = replace(name_r, ' ', '')",
                "same tokens in another order, or equal without spaces",
            ),
            cll.JaroWinklerLevel("name", 0.95),
            cll.CustomLevel(
                "name_key_l = name_key_r OR name_joined_key_l = name_joined_key_r",
                "same phonetic key",
            ),
            cll.CustomLevel(
                f"list_has_all({tokens_l}, {tokens_r}) OR list_has_all({tokens_r}, {tokens_l})",
                "one name's tokens inside the other's",
            ),
            cll.CustomLevel(
                "name_initials_l = name_initials_r AND name_last_l = name_last_r",
                "same initials and last token (S FRANSISKUS / SIMON FRANSISKUS)",
            ),
            cll.JaroWinklerLevel("name", 0.88),
            cll.CustomLevel(
                "list_has_any(str_split(name_long_l, ' '), str_split(name_long_r, ' '))",
                "a common token of 3+ letters",
            ),
            cll.ElseLevel(),
        ],
    )


def birth_date_comparison() -> cl.CustomComparison:
    """Birth-date levels.

    Exact (term-frequency adjusted: placeholder dates are common), day and month swapped, one
    character edited or swapped, year off by one, same year (a placeholder date), else.
    """
    day = "substr(birth_date_{0}, 9, 2)"
    month = "substr(birth_date_{0}, 6, 2)"
    year = "substr(birth_date_{0}, 1, 4)"
    return cl.CustomComparison(
        output_column_name="birth_date",
        comparison_levels=[
            cll.NullLevel("birth_date"),
            cll.ExactMatchLevel("birth_date", term_frequency_adjustments=True),
            cll.CustomLevel(
                f"{day.format('l')} = {month.format('r')} AND {month.format('l')} = "
                f"{day.format('r')} AND {year.format('l')} = {year.format('r')}",
                "day and month swapped",
            ),
            cll.CustomLevel(
                "damerau_levenshtein(birth_date_l, birth_date_r) = 1", "one digit typo"
            ),
            cll.CustomLevel(
                f"substr(birth_date_l, 6, 5) = substr(birth_date_r, 6, 5) AND "
                f"abs(cast({year.format('l')} AS int) - cast({year.format('r')} AS int)) = 1",
                "year off by one",
            ),
            cll.CustomLevel(f"{year.format('l')} = {year.format('r')}", "same year"),
            cll.ElseLevel(),
        ],
    )


def household_comparison() -> cl.CustomComparison:
    """KK, relation, address and mother's name as one comparison.

    Members of one KK share the KK number, the address and (siblings) the mother's name, so as
    separate comparisons they would multiply one piece of evidence ("same household") three
    times; as levels of one comparison it counts once (domain.md section 2, "Evidence inside one
    household"). A KK lists each person once and has one head, so two rows of one KK with
    different relations are two people. Across KKs (a copy in another household, a household
    registered again, a move), the mother's name and the address are the evidence.
    """
    other_kk = "(kk_l IS NULL OR kk_r IS NULL OR kk_l <> kk_r)"
    same_rt_rw = "village_key_l = village_key_r AND rt_l = rt_r AND rw_l = rw_r"
    return cl.CustomComparison(
        output_column_name="household",
        comparison_levels=[
            cll.CustomLevel("kk_l = kk_r AND relation_l = relation_r", "same KK, same relation"),
            cll.CustomLevel("kk_l = kk_r", "same KK, other relation"),
            cll.CustomLevel(
                f"{other_kk} AND mother_l = mother_r AND {same_rt_rw}",
                "other KK, same mother, same village and RT/RW",
            ),
            cll.CustomLevel(f"{other_kk} AND mother_l = mother_r", "other KK, same mother"),
            cll.CustomLevel(f"{other_kk} AND {same_rt_rw}", "other KK, same village and RT/RW"),
            cll.CustomLevel(
                f"{other_kk} AND jaro_winkler_similarity(mother_l, mother_r) >= 0.9",
                "other KK, mother's name close",
            ),
            cll.CustomLevel(f"{other_kk} AND village_key_l = village_key_r", "same village"),
            cll.CustomLevel(f"{other_kk} AND district_key_l = district_key_r", "same kecamatan"),
            cll.ElseLevel(),
        ],
    )


def settings(u_max_pairs: float = 1e6) -> SettingsCreator:
    """The Splink model settings: comparisons, prediction rules, unique id."""
    household = household_comparison()
    birth_place = cl.CustomComparison(
        output_column_name="birth_place",
        comparison_levels=[
            cll.NullLevel("birth_place"),
            cll.ExactMatchLevel("birth_place"),
            cll.JaroWinklerLevel("birth_place", 0.9),
            cll.ElseLevel(),
        ],
    )
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        probability_two_random_records_match=1e-5,
        comparisons=[
            nik_comparison(1 / u_max_pairs),
            name_comparison(),
            birth_date_comparison(),
            household,
            birth_place,
            cl.ExactMatch("sex"),
        ],
        blocking_rules_to_generate_predictions=prediction_rules(),
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )


def connect(threads: int | None) -> DuckDBAPI:
    """A DuckDB-backed Splink database API, optionally limited to `threads`."""
    con = duckdb.connect(":memory:")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    return DuckDBAPI(connection=con)


def main() -> int:
    """Command-line entry point."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("input", type=Path, help="dtks.parquet written by `padan synth`")
    ap.add_argument("--out", type=Path, help="output directory")
    ap.add_argument("--seed", type=int, default=7, help="seed for u sampling")
    ap.add_argument("--threads", type=int, default=None, help="DuckDB threads (default: all cores)")
    ap.add_argument(
        "--u-max-pairs",
        type=float,
        default=U_MAX_PAIRS,
        help="pairs sampled for u (Splink's docs: 1e7 is often adequate)",
    )
    ap.add_argument(
        "--prior-recall",
        type=float,
        default=PRIOR_RECALL,
        help="assumed recall of the deterministic prior rules",
    )
    ap.add_argument(
        "--count-pairs-only", action="store_true", help="print the candidate-pair count and exit"
    )
    args = ap.parse_args()

    timings: dict[str, float] = {}
    clock = time.perf_counter()
    started = clock

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        timings[name] = round(now - clock, 3)
        clock = now

    raw = read_input(args.input)
    lap("read")
    df = preprocess(raw)
    del raw
    lap("preprocess")
    db_api = connect(args.threads)

    if args.count_pairs_only:
        counts = cumulative_comparisons_to_be_scored_from_blocking_rules_data(
            table_or_tables=df,
            blocking_rules=prediction_rules(),
            link_type="dedupe_only",
            db_api=db_api,
            unique_id_column_name="unique_id",
        )
        print(
            json.dumps(
                {
                    "pairs_scored": int(counts["row_count"].sum()),
                    "by_rule": {
                        str(r): int(c)
                        for r, c in zip(counts["blocking_rule"], counts["row_count"], strict=True)
                    },
                }
            )
        )
        return 0

    if args.out is None:
        ap.error("--out is required unless --count-pairs-only")
    linker = Linker(df, settings(args.u_max_pairs), db_api=db_api, set_up_basic_logging=False)
    lap("setup")
    # Prior from deterministic rules that admit almost no false positives: same NIK and birth
    # date, or same name key, birth date and KK. Copies they miss (a NIK typo or a missing NIK
    # with a birth-date error, a re-issued NIK, a wrong date in another household) make the
    # assumed recall 0.8.
    linker.training.estimate_probability_two_random_records_match(
        [block_on("nik", "birth_date"), block_on("name_key", "birth_date", "kk")],
        recall=args.prior_recall,
    )
    lap("prior")
    linker.training.estimate_u_using_random_sampling(max_pairs=args.u_max_pairs, seed=args.seed)
    lap("u")
    # EM sessions: each leaves free every comparison that does not read its blocking columns.
    # Same NIK frees name, birth date, household, birth place and sex; same name key and birth
    # date frees the NIK (its date check reads `nik_dob`, not `birth_date`), household, birth
    # place and sex. The third session keeps m fixed and estimates u among pairs born the same
    # day in the same kecamatan: there, a NIK differing only in the serial is common among
    # non-matches, so the NIK's u is conditional on the birth-date agreement the birth-date
    # comparison already credits (without it the serial-only level counts the date twice).
    for rule in (block_on("nik"), block_on("name_key", "birth_date")):
        linker.training.estimate_parameters_using_expectation_maximisation(rule)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("birth_date", "district_key"),
        fix_m_probabilities=True,
        fix_u_probabilities=False,
    )
    lap("em")
    predictions = linker.inference.predict(threshold_match_probability=MATCH_THRESHOLD)
    lap("predict")
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, MATCH_THRESHOLD
    )
    lap("cluster")
    table = clusters.as_duckdbpyrelation().select("unique_id, cluster_id").arrow()
    if isinstance(table, pa.RecordBatchReader):
        table = table.read_all()
    args.out.mkdir(parents=True, exist_ok=True)
    out = pa.table(
        {
            "id": table.column("unique_id").cast(pa.string()),
            "cluster_id": table.column("cluster_id").cast(pa.string()),
        }
    )
    pq.write_table(out, args.out / "clusters.parquet")
    lap("write")
    pairs_above = db_api._con.execute(
        f"select count(*) from {predictions.physical_name}"
    ).fetchone()[0]
    summary = {
        "rows": len(df),
        "pairs_above_threshold": int(pairs_above),
        "clusters": int(pc.count_distinct(out.column("cluster_id")).as_py()),
        "timings_s": timings,
        "total_s": round(time.perf_counter() - started, 3),
        "prior": linker._settings_obj._probability_two_random_records_match,
        "versions": {
            "splink": splink.__version__,
            "duckdb": duckdb.__version__,
            "pandas": pd.__version__,
            "pyarrow": pa.__version__,
            "python": sys.version.split()[0],
        },
        "threads": args.threads or os.cpu_count(),
    }
    (args.out / "summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(json.dumps(summary))
    return 0


if __name__ == "__main__":
    sys.exit(main())
