# Stubs for the native module `padan._core` (src/python/). Parameter names match the Rust
# signatures exactly; user documentation lives in the `padan` facade.

import os
from typing import Any, final

__all__ = [
    "MODEL_FORMAT_VERSION",
    "DedupeResult",
    "Table",
    "__version__",
    "check_model",
    "dedupe",
    "evaluate",
    "evaluate_labels",
    "model_levels",
    "normalize_name_one",
    "normalize_names",
    "parse_address_one",
    "parse_addresses",
    "parse_kk_one",
    "parse_kks",
    "parse_nik_one",
    "parse_niks",
    "run_cli",
    "synth",
]
__version__: str
MODEL_FORMAT_VERSION: int

@final
class Table:
    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object: ...
    def __arrow_c_schema__(self) -> object: ...
    def __len__(self) -> int: ...
    @property
    def num_rows(self) -> int: ...
    @property
    def num_columns(self) -> int: ...
    @property
    def column_names(self) -> list[str]: ...
    @property
    def column_types(self) -> list[str]: ...
    def format_rows(self, limit: int = 10) -> list[list[str]]: ...

@final
class DedupeResult:
    @property
    def pairs(self) -> Table: ...
    @property
    def clusters(self) -> Table: ...
    @property
    def diagnostics(self) -> Table: ...
    @property
    def summary(self) -> dict[str, Any]: ...
    @property
    def summary_json(self) -> str: ...
    @property
    def model_json(self) -> str: ...
    # JSON {"explanation": {...}, "phrases": {"id": [...], "en": [...]}, "text": {"id", "en"}},
    # or None when the two records were never blocked together.
    def explain(self, id_l: str, id_r: str) -> str | None: ...
    def explanations(self, lang: str = "id") -> Table: ...

def dedupe(
    data: object,
    config: dict[str, Any] | str | os.PathLike[str] | None = None,
    model: str | os.PathLike[str] | None = None,
    threads: int | None = None,
    labels: object | None = None,
    label_column: str = "is_match",
) -> DedupeResult: ...
def synth(
    rows: int = 10000, seed: int = 42, duplicate_rate: float = 0.1
) -> tuple[Table, Table]: ...
def evaluate(clusters: object, truth: object, id_column: str = "id_dtks") -> dict[str, Any]: ...
def run_cli(argv: list[str]) -> int: ...

# `pairs`: a native DedupeResult or any table; returns (curve table, JSON with labelled_pairs,
# labelled_matches, not_scored_pairs, not_scored_matches, best_f1 and, with target_precision,
# target_precision and at_target_precision).
def evaluate_labels(
    pairs: object,
    labels: object,
    label_column: str = "is_match",
    target_precision: float | None = None,
) -> tuple[Table, str]: ...

# Model files (see `padan.Model`): both read the JSON as `dedupe(model=...)` does and raise
# `padan.ModelError` when they cannot. `model_levels` has one row per level: comparison, level,
# label, m, u, weight, m_fixed, u_fixed, tf_adjusted, review_only.
def check_model(text: str) -> None: ...
def model_levels(text: str) -> Table: ...

# Cleaning (src/python/clean.rs). `*_one` return the fields of the `padan.clean` dataclasses as a
# dict (dates as (year, month, day) tuples, codes as tuples); the others take a list of
# str | None or an Arrow array / stream producer and return one row per input row.
def normalize_name_one(value: str) -> dict[str, Any]: ...
def parse_nik_one(value: str) -> dict[str, Any]: ...
def parse_kk_one(value: str) -> dict[str, Any]: ...
def parse_address_one(value: str) -> dict[str, Any]: ...
def normalize_names(values: object, threads: int | None = None) -> Table: ...
def parse_niks(values: object, threads: int | None = None) -> Table: ...
def parse_kks(values: object, threads: int | None = None) -> Table: ...
def parse_addresses(values: object, threads: int | None = None) -> Table: ...
