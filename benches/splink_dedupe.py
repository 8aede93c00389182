"""Deduplicate a padan synthetic DTKS extract with Splink 4 (DuckDB), for benches/e2e.py.

Run inside benches/.venv-splink (benches/e2e.py creates it from requirements-splink.txt):

    python benches/splink_dedupe.py DIR/dtks.parquet --out OUT [--seed 7] [--threads N]
    python benches/splink_dedupe.py DIR/dtks.parquet --count-pairs-only

Writes OUT/clusters.parquet (`id`, `cluster_id`, both text, one row per input row) and
OUT/summary.json (phase timings, counts, versions). `--count-pairs-only` prints the number of
candidate pairs the prediction blocking rules generate (Splink's blocking analysis) and exits;
e2e.py runs it in a separate, untimed process.

The configuration mirrors padan's default DTKS preset as closely as Splink's library allows; the
choices are explained in benches/README.md ("Splink configuration"). Everything from reading the
Parquet file to writing the clusters is inside the measured process, preprocessing included.
"""

from __future__ import annotations

import argparse
import json
import os
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

MATCH_THRESHOLD = 0.9
NAME_THRESHOLDS = [0.95, 0.88]
VOWELS = set("AEIOUY")


def name_key(name: str) -> str:
    """Port of padan's `normalize::basic_name_key`.

    Per token, vowels after the first letter and repeated letters are dropped; tokens are sorted.
    """
    tokens = []
    for token in name.split(" "):
        if not token:
            continue
        key = []
        last = ""
        for i, ch in enumerate(token):
            if (i > 0 and ch in VOWELS) or ch == last:
                continue
            key.append(ch)
            last = ch
        tokens.append("".join(key))
    return " ".join(sorted(tokens))


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
    """Padan's `basic_name` in pandas.

    Upper case, apostrophes dropped, other punctuation turned into spaces, spaces collapsed.
    """
    text = text.str.upper().str.replace(r"['`\u2019]", "", regex=True)
    text = text.str.replace(r"[\W_]+", " ", regex=True).str.strip()
    return text.mask(text == "")


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


def name_keys(names: pd.Series) -> pd.Series:
    """`name_key` of each name (null stays null)."""
    return names.map(lambda n: name_key(n) if isinstance(n, str) else pd.NA).astype("string")


SEX = {"1": "1", "L": "1", "LAKI-LAKI": "1", "2": "2", "P": "2", "PEREMPUAN": "2"}
INPUT_COLUMNS = [
    "id_dtks",
    "nik",
    "nama",
    "jenis_kelamin",
    "tanggal_lahir",
    "rt",
    "rw",
    "kelurahan",
    "kecamatan",
    "kabupaten_kota",
    "provinsi",
]


def preprocess(raw: pd.DataFrame) -> pd.DataFrame:
    """The normalisation padan's prepare stage does, given to Splink so both see equal inputs."""
    out = pd.DataFrame({"unique_id": raw["id_dtks"].astype("string")})
    nik = (
        raw["nik"]
        .astype("string")
        .str.strip()
        .str.lstrip("'")
        .str.replace(r"[ .\-]", "", regex=True)
    )
    out["nik"] = nik.where(nik.str.fullmatch(r"\d{16}").fillna(False))
    out["nik_prefix12"] = out["nik"].str.slice(0, 12)
    out["name"] = per_unique(raw["nama"], clean_text)
    out["name_key"] = per_unique(out["name"], name_keys)
    out["birth_date"] = per_unique(raw["tanggal_lahir"], parse_dates)
    out["sex"] = per_unique(
        raw["jenis_kelamin"], lambda s: s.str.strip().str.upper().map(SEX).astype("string")
    )
    out["rt"] = per_unique(raw["rt"], small_int)
    out["rw"] = per_unique(raw["rw"], small_int)
    # Village names repeat across districts: the key is the village inside its parents, as an
    # integer id (padan interns the same key).
    places = pd.DataFrame(
        {
            c: per_unique(raw[c], clean_text)
            for c in ("provinsi", "kabupaten_kota", "kecamatan", "kelurahan")
        }
    )
    village = places.groupby(list(places.columns), dropna=False, sort=False).ngroup()
    out["village_key"] = village.astype("Int64").where(places["kelurahan"].notna())
    return out


# The same rules as padan's default preset, in the same order (see README "Splink configuration").
def prediction_rules():
    """The blocking rules that generate the pairs to score."""
    return [
        block_on("nik"),
        block_on("name_key", "birth_date"),
        block_on("birth_date", "village_key"),
        block_on("nik_prefix12"),
    ]


def settings() -> SettingsCreator:
    """The Splink model settings: comparisons, prediction rules, unique id."""
    address = cl.CustomComparison(
        output_column_name="address",
        comparison_levels=[
            cll.NullLevel("village_key"),
            cll.And(
                cll.ExactMatchLevel("village_key"),
                cll.ExactMatchLevel("rt"),
                cll.ExactMatchLevel("rw"),
            ),
            cll.ExactMatchLevel("village_key"),
            cll.ElseLevel(),
        ],
    )
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=[
            cl.DamerauLevenshteinAtThresholds("nik", [1]),
            cl.JaroWinklerAtThresholds("name", NAME_THRESHOLDS),
            cl.DateOfBirthComparison(
                "birth_date", input_is_string=True, datetime_format="%Y-%m-%d"
            ),
            address,
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
        default=5e5,
        help="pairs sampled for u (padan default u_sample_pairs: 5e5)",
    )
    ap.add_argument(
        "--prior-recall",
        type=float,
        default=0.7,
        help="assumed recall of the deterministic prior rule",
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

    raw = pq.read_table(args.input, columns=INPUT_COLUMNS).to_pandas()
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
    linker = Linker(df, settings(), db_api=db_api, set_up_basic_logging=False)
    lap("setup")
    # Prior from a deterministic rule: same NIK and same birth date. About a third of the injected
    # duplicates (NIK typos, birth-date errors) fail it, hence the assumed recall of 0.7.
    linker.training.estimate_probability_two_random_records_match(
        [block_on("nik", "birth_date")], recall=args.prior_recall
    )
    lap("prior")
    linker.training.estimate_u_using_random_sampling(max_pairs=args.u_max_pairs, seed=args.seed)
    lap("u")
    # EM on two rules that together leave every comparison free at least once.
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("nik"))
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("name_key", "birth_date")
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
