"""padan: find the same person recorded more than once in a social-welfare registry.

*Pemadanan data* is the Indonesian term for data matching. padan reads a DTKS / DTSEN-like
table (pandas, polars, pyarrow, CSV, Parquet or Arrow IPC), finds candidate pairs, scores them
with a Fellegi–Sunter model and groups matching records into clusters. The work is done in
Rust, in parallel, without copying Arrow data.

To train a model once and score later extracts with it, in a notebook with charts, see
:class:`Linker`, :class:`Model` and :mod:`padan.plots`.

For cleaning without deduplicating, :func:`normalize_name`, :func:`parse_nik`, :func:`parse_kk`
and :func:`parse_address` take one value or a whole column (see :mod:`padan.clean`).

Examples:
    >>> import padan
    >>> records, truth = padan.synth(rows=1000, seed=7)
    >>> result = padan.dedupe(records)
    >>> report = padan.evaluate(result, truth)
    >>> report["overall"]["f1"] > 0.9
    True
"""

from __future__ import annotations

import os
from typing import Any, Protocol, TypeAlias

from padan import _core
from padan.clean import (
    ArrowArrayExportable,
    ColumnLike,
    NormalizedName,
    ParsedAddress,
    ParsedKk,
    ParsedNik,
    normalize_name,
    parse_address,
    parse_kk,
    parse_nik,
)
from padan.exceptions import (
    ColumnNotFoundError,
    ConfigError,
    ConfigIssue,
    InputError,
    InternalError,
    LayerSkippedError,
    ModelError,
    PadanError,
    SchemaError,
)
from padan.labels import precision_recall, threshold_for_precision
from padan.linker import Linker
from padan.model import MODEL_FORMAT_VERSION, Model
from padan.results import DedupeResult, Explanation, ExplanationItem, SnapshotDiff, Table

__version__: str = _core.__version__

__all__ = [
    "MODEL_FORMAT_VERSION",
    "ArrowArrayExportable",
    "ArrowStreamExportable",
    "ColumnLike",
    "ColumnNotFoundError",
    "ConfigError",
    "ConfigIssue",
    "DedupeResult",
    "Explanation",
    "ExplanationItem",
    "InputError",
    "InternalError",
    "LayerSkippedError",
    "Linker",
    "Model",
    "ModelError",
    "NormalizedName",
    "PadanError",
    "ParsedAddress",
    "ParsedKk",
    "ParsedNik",
    "SchemaError",
    "SnapshotDiff",
    "Table",
    "TableLike",
    "__version__",
    "compare_snapshots",
    "dedupe",
    "evaluate",
    "evaluate_households",
    "normalize_name",
    "parse_address",
    "parse_kk",
    "parse_nik",
    "precision_recall",
    "synth",
    "threshold_for_precision",
]


class ArrowStreamExportable(Protocol):
    """Anything that exports an Arrow C stream: pyarrow, polars and pandas >= 2.2 tables."""

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        """Export as an Arrow C stream PyCapsule."""
        ...


TableLike: TypeAlias = "ArrowStreamExportable | str | os.PathLike[str]"
"""What padan accepts as a table: an Arrow stream producer or a file path."""


def dedupe(
    data: TableLike,
    config: dict[str, Any] | str | os.PathLike[str] | None = None,
    model: Model | str | os.PathLike[str] | None = None,
    threads: int | None = None,
    labels: TableLike | None = None,
    label_column: str = "is_match",
    registry: TableLike | None = None,
    clusters_only: bool | None = None,
) -> DedupeResult:
    """Find records of the same person in one table.

    Every input row is kept: a row with a malformed cell (a 15-digit NIK, an impossible date, a
    CSV line with too few fields) stays in every output and count, and is reported in
    ``result.diagnostics`` and ``result.summary["rows_with_problems"]``.

    The result is the same, byte for byte, whatever ``threads`` is.

    Args:
        data: The records. Either any Arrow table-like object (a ``pyarrow.Table`` or
            ``RecordBatchReader``, a polars or pandas DataFrame: anything with
            ``__arrow_c_stream__``), or the path of a CSV, Parquet or Arrow IPC file, which is
            read by padan itself (CSV cells are read as text, so NIKs keep their leading zeros).
        config: ``None`` for the defaults (the DTKS export column names), a dict with the same
            keys as the TOML configuration file (``columns``, ``blocking``, ``match_threshold``,
            ``review_threshold``, ``strong_link_threshold``, ``review_possible_second_nik``,
            ``max_block_size``,
            ``name_thresholds``, ``pairs_min_probability``, ``term_frequency_adjustments``,
            ``name_term_frequency``,
            ``indonesian_rules``, ``training``, ``threads``, ``clusters_only``), or the path of
            such a TOML file.
            Keys you leave out keep their default.
        model: ``None`` to estimate the model from ``data``, or a model estimated earlier, used
            as it is (no retraining): a :class:`Model` (:attr:`DedupeResult.model`,
            :meth:`Model.load`), the path of a model JSON file (:meth:`Model.save`), or the JSON
            text itself (:attr:`DedupeResult.model_json`; a ``str`` starting with ``{`` is read
            as JSON text, any other ``str`` as a path).
        threads: Worker threads. ``None`` uses ``config["threads"]``, then the
            ``PADAN_NUM_THREADS`` environment variable, then all cores; ``0`` skips the config.
        labels: Labelled pairs to learn m from instead of by EM (ignored when ``model`` is
            given): a table with ``id_l``, ``id_r`` and ``label_column`` (see
            :mod:`padan.labels`), as any Arrow table-like object or a path.
        label_column: The label column of ``labels``.
        registry: A civil-registry (Dukcapil) extract to check the records against, as any Arrow
            table-like object or a path: columns ``nik``, ``nama``, ``tanggal_lahir``,
            ``jenis_kelamin``, ``status`` (HIDUP / MENINGGAL / PINDAH in the usual spellings)
            and ``tanggal_status`` by default (``config={"registry": {"columns": {...}}}``
            renames them). Adds the ``DECEASED``, ``MOVED`` and ``NOT_FOUND`` flags,
            ``summary["registry"]`` and :meth:`DedupeResult.registry_links`.
        clusters_only: ``True`` for person-level deduplication only: scored pairs and
            clusters, as Splink, dedupe or Zingg produce, without the flags, households and
            review list (faster; the pairs and clusters are the same as in a full run).
            ``summary["clusters_only"]`` is then ``True`` and ``summary["flags"]`` and
            ``summary["households"]`` are ``None``; :meth:`DedupeResult.flags`,
            :meth:`DedupeResult.households` and the other flag tables raise
            :class:`LayerSkippedError`. ``None`` keeps ``config["clusters_only"]`` (default
            ``False``). Cannot be combined with ``registry``.

    Returns:
        The pairs, clusters, diagnostics and summary of the run.

    Raises:
        ConfigError: The configuration is invalid; ``err.issues`` lists every problem,
            including every unknown key.
        ColumnNotFoundError: The id column (``columns.id``, default ``id_dtks``) is missing.
        SchemaError: A mapped column has a type that cannot be read as text.
        InputError: A file cannot be read or has an unknown extension.
        ModelError: The model file is malformed or does not fit the configuration.
        ConfigError: ``registry`` is given for a clusters-only run (the registry adds flags).
        InputError: (with ``labels``) a label cannot be read or a labelled id is not in ``data``.
        TypeError: ``data`` is neither a path nor an Arrow table-like object.

    Examples:
        >>> import pandas as pd
        >>> import padan
        >>> df = pd.DataFrame({
        ...     "id_dtks": ["A1", "A2", "A3"],
        ...     "nik": ["3273015208850002", "3273015208850002", "3578036505900017"],
        ...     "nama": ["Dewi Lestari", "DEWI  LESTARI", "Ratna Sari"],
        ...     "tanggal_lahir": ["1985-08-12", "12-08-1985", "1990-05-25"],
        ... })
        >>> result = padan.dedupe(df, threads=1)
        >>> result.pairs.to_pandas()[["id_l", "id_r", "decision"]].values.tolist()
        [['A1', 'A2', 'review']]

        Three rows are too few to learn how rare a shared NIK is, so the pair is sent to a
        person (``review``) rather than merged; on a real extract it scores as a ``match``.
        Other column names are mapped with ``config``:

        >>> renamed = df.rename(columns={"id_dtks": "row_id", "nama": "full_name"})
        >>> cfg = {"columns": {"id": "row_id", "name": "full_name"}}
        >>> padan.dedupe(renamed, config=cfg).summary["pairs_for_review"]
        1
    """
    if isinstance(model, Model):
        model = model.to_json()
    if isinstance(labels, Table):
        labels = labels._native  # type: ignore[assignment]
    return DedupeResult(
        _core.dedupe(
            data,
            config=config,
            model=model,
            threads=threads,
            labels=labels,
            label_column=label_column,
            registry=registry._native if isinstance(registry, Table) else registry,
            clusters_only=clusters_only,
        )
    )


def compare_snapshots(
    earlier: TableLike,
    later: TableLike,
    config: dict[str, Any] | str | os.PathLike[str] | None = None,
    model: Model | str | os.PathLike[str] | None = None,
    threads: int | None = None,
) -> SnapshotDiff:
    """Compare two snapshots of a registry: quarter N (``earlier``) and quarter N+1 (``later``).

    Tells who is unchanged, changed, added or removed, and which households gained or lost
    members, with entity ids carried from the earlier snapshot (stable ids).

    Each later row continues at most one earlier row and each earlier row is continued at
    most once: pairs scored ``match`` are taken best probability first (ties by row order,
    so the result is the same whatever ``threads`` is). A continued person carries the
    earlier row's entity id, read from the earlier table's ``entity_id`` column (renamed with
    ``config={"snapshot": {"entity_id_column": ...}}``) or, without one, its row id. A new
    person gets ``N-<later id>`` (prefix: ``snapshot.new_entity_prefix``), with ``-2``, ``-3``
    appended should that id already be in use. The ``persons`` table of one comparison, with
    its ``entity_id`` column, can be joined back onto quarter N+1 to serve as the next
    comparison's earlier table.

    Args:
        earlier: The earlier snapshot, as :func:`dedupe` accepts it (an Arrow table-like
            object or a CSV, Parquet or Arrow IPC path).
        later: The later snapshot, with the same columns.
        config: As for :func:`dedupe`; ``snapshot`` holds ``entity_id_column`` and
            ``new_entity_prefix``.
        model: As for :func:`dedupe`: a model to score with instead of estimating one from the
            two snapshots (advisable when they are small).
        threads: As for :func:`dedupe`.

    Returns:
        The :class:`SnapshotDiff`: :meth:`~SnapshotDiff.persons`,
        :meth:`~SnapshotDiff.households` and :attr:`~SnapshotDiff.summary`.

    Raises:
        ConfigError, ColumnNotFoundError, SchemaError, InputError, ModelError: As for
            :func:`dedupe`.
    """
    if isinstance(model, Model):
        model = model.to_json()
    return SnapshotDiff(
        _core.compare_snapshots(
            earlier._native if isinstance(earlier, Table) else earlier,
            later._native if isinstance(later, Table) else later,
            config=config,
            model=model,
            threads=threads,
        )
    )


def synth(rows: int = 10000, seed: int = 42, duplicate_rate: float = 0.1) -> tuple[Table, Table]:
    """Generate a synthetic DTKS-like table with known duplicates, for trying padan out.

    The same ``seed`` gives the same tables. No real person's data is involved.

    Args:
        rows: Number of records to generate, duplicates included.
        seed: Random seed.
        duplicate_rate: Share of records that are injected duplicates (0 to 1).

    Returns:
        ``(records, truth)``: the records in the DTKS export layout, and the truth table with
        ``id_dtks``, ``entity_id`` (one per real person), ``household_id``, ``duplicate_kind``
        (how the copy was damaged, null for originals), ``variation`` (what differs from the
        original, e.g. ``"old_spelling;rt_rw_notation"``, null for originals), ``no_kk`` and
        ``kk_household_id`` (the real family the row's KK registers: two KK numbers with one
        ``kk_household_id`` are one family registered twice; see :func:`evaluate_households`).

    Raises:
        ValueError: ``duplicate_rate`` is outside [0, 1].

    Examples:
        >>> import padan
        >>> records, truth = padan.synth(rows=500, seed=1)
        >>> records.num_rows == truth.num_rows
        True
    """
    records, truth = _core.synth(rows=rows, seed=seed, duplicate_rate=duplicate_rate)
    return Table(records), Table(truth)


def evaluate(
    clusters: DedupeResult | TableLike,
    truth: TableLike,
    id_column: str = "id_dtks",
) -> dict[str, Any]:
    """Score a clustering against the truth: pairwise precision, recall and F1.

    A true pair is two rows of one real person; a predicted pair is two rows of one cluster.

    Args:
        clusters: A :class:`DedupeResult`, or its ``clusters`` table (columns ``id`` and
            ``cluster_id``), as any Arrow table-like object or a file path.
        truth: The truth table (columns ``id_column``, ``entity_id`` and optionally
            ``duplicate_kind`` and ``variation``), as any Arrow table-like object or a file path.
        id_column: The record id column of ``truth``.

    Returns:
        ``{"overall": {"precision", "recall", "f1", "true_positives", "predicted_pairs",
        "true_pairs"}, "by_kind": {kind: {"true_pairs", "found", "recall"}},
        "rows_missing_from_predictions": int}``, plus ``"by_variation"`` (same shape as
        ``"by_kind"``) when the truth has a ``variation`` column.

    Raises:
        ColumnNotFoundError: A required column is missing from either table.

    Examples:
        >>> import padan
        >>> records, truth = padan.synth(rows=2000, seed=11)
        >>> report = padan.evaluate(padan.dedupe(records), truth)
        >>> sorted(report["overall"])
        ['f1', 'precision', 'predicted_pairs', 'recall', 'true_pairs', 'true_positives']
    """
    if isinstance(clusters, DedupeResult):
        clusters = clusters.clusters
    return _core.evaluate(clusters, truth, id_column=id_column)


def evaluate_households(
    households: DedupeResult | TableLike,
    truth: TableLike,
) -> dict[str, Any]:
    """Score duplicate households against the truth: precision, recall and F1 over KK pairs.

    A true pair is two KK numbers registering one real family (one ``kk_household_id`` in the
    truth); a predicted pair is a row of :meth:`DedupeResult.households` decided
    ``duplicate``.

    Args:
        households: A :class:`DedupeResult`, or its households table (columns ``kk_l``,
            ``kk_r``, ``decision``), as any Arrow table-like object or a file path.
        truth: The truth table with ``no_kk`` and ``kk_household_id`` per row, as
            :func:`synth` writes it, as any Arrow table-like object or a file path.

    Returns:
        ``{"overall": {"precision", "recall", "f1", "true_positives", "predicted_pairs",
        "true_pairs"}, "by_head_agreement": {kind: {"predicted", "true_positives"}},
        "kk_missing_from_truth": int}``.

    Raises:
        ColumnNotFoundError: A required column is missing from either table.

    Examples:
        >>> import padan
        >>> records, truth = padan.synth(rows=3000, seed=5)
        >>> report = padan.evaluate_households(padan.dedupe(records), truth)
        >>> report["overall"]["true_pairs"] > 0
        True
    """
    if isinstance(households, DedupeResult):
        households = households.households()
    return _core.evaluate_households(households, truth)
