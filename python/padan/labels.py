"""Labelled pairs: pairs a person has checked, to train m and to evaluate a run.

A labels table has the columns ``id_l``, ``id_r`` (record ids, compared as text) and a label
column, ``is_match`` unless ``label_column`` names another: booleans, ``1`` / ``0``, or text
such as ``"M"`` / ``"N"``, ``"match"`` / ``"non_match"``, ``"true"`` / ``"false"``,
``"cocok"`` / ``"tidak cocok"`` (any case). A missing or unknown label raises
:class:`padan.InputError` naming its row; so does an id that is not in the input.

- Training: ``padan.dedupe(data, labels=...)`` or ``padan.Linker().train(data, labels=...)``
  learn m of every level from the labelled *matches* (their levels are computed directly, so
  pairs no blocking rule brings together count too), with one pseudo-match spread like the
  default m so that no level gets m = 0. u still comes from random record pairs, the prior as
  without labels.
- Evaluation: :func:`precision_recall` gives the precision-recall curve of a run against the
  labels, :func:`threshold_for_precision` the lowest threshold that meets a target precision,
  :func:`padan.plots.plot_precision_recall` draws the curve.

Examples:
    >>> import padan
    >>> import pyarrow as pa
    >>> records, truth = padan.synth(rows=2000, seed=3)
    >>> result = padan.dedupe(records)
    >>> pairs = result.pairs.to_pandas()
    >>> entity = dict(zip(*pa.table(truth).select(["id_dtks", "entity_id"]).to_pydict().values()))
    >>> labels = pa.table({
    ...     "id_l": pairs.id_l, "id_r": pairs.id_r,
    ...     "is_match": [entity[a] == entity[b] for a, b in zip(pairs.id_l, pairs.id_r)],
    ... })
    >>> curve = padan.precision_recall(result, labels)
    >>> curve.column_names[:2], curve.column_names[-3:]
    (['match_weight', 'match_probability'], ['precision', 'recall', 'f1'])
    >>> point = padan.threshold_for_precision(result, labels, 0.99)
    >>> point["precision"] >= 0.99
    True
    >>> trained = padan.dedupe(records, labels=labels)
    >>> trained.model.training["labels"]["matches"] == sum(labels["is_match"].to_pylist())
    True
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from padan import _core
from padan.results import DedupeResult, Table

if TYPE_CHECKING:
    from padan import TableLike

__all__ = ["DEFAULT_LABEL_COLUMN", "precision_recall", "threshold_for_precision"]

DEFAULT_LABEL_COLUMN = "is_match"
"""The label column read when none is named."""


def _native(pairs: DedupeResult | Table | TableLike) -> object:
    """The object ``_core.evaluate_labels`` reads: a native result or table, or as given."""
    if isinstance(pairs, DedupeResult | Table):
        return pairs._native
    return pairs


def _evaluate(
    pairs: DedupeResult | Table | TableLike,
    labels: TableLike,
    label_column: str,
    target_precision: float | None,
) -> tuple[Table, dict[str, Any]]:
    if isinstance(labels, Table):
        labels = labels._native  # type: ignore[assignment]
    table, text = _core.evaluate_labels(
        _native(pairs), labels, label_column=label_column, target_precision=target_precision
    )
    return Table(table), json.loads(text)


def precision_recall(
    pairs: DedupeResult | Table | TableLike,
    labels: TableLike,
    label_column: str = DEFAULT_LABEL_COLUMN,
) -> Table:
    """The precision-recall curve of a run's scores against labelled pairs.

    A labelled pair is predicted a match at a threshold when it was scored with a match weight at
    or above it. A labelled pair the run never scored (not blocked together, or missing from a
    pairs table) is a non-match at every threshold, so recall also counts what blocking missed.

    Args:
        pairs: A :class:`padan.DedupeResult` (every candidate pair counts, also those below
            ``pairs_min_probability``, and every labelled id must be in its input), or a pairs
            table (``id_l``, ``id_r``, ``match_weight`` or ``match_probability``) as any Arrow
            table-like object or a path.
        labels: The labels table (``id_l``, ``id_r``, ``label_column``), Arrow table-like or path.
        label_column: The label column.

    Returns:
        One row per distinct match weight of the scored labelled pairs, highest first:
        ``match_weight``, ``match_probability`` (the threshold both ways), ``predicted_pairs``,
        ``true_positives``, ``precision``, ``recall``, ``f1``.

    Raises:
        InputError: A label cannot be read, a labelled id is not in the input, or a pair is
            labelled both ways.
        ColumnNotFoundError: A required column is missing.
    """
    return _evaluate(pairs, labels, label_column, None)[0]


def threshold_for_precision(
    pairs: DedupeResult | Table | TableLike,
    labels: TableLike,
    target_precision: float,
    label_column: str = DEFAULT_LABEL_COLUMN,
) -> dict[str, Any] | None:
    """The lowest threshold whose precision on the labels is at least ``target_precision``.

    The lowest such threshold gives the most recall at that precision. Arguments as in
    :func:`precision_recall`.

    Returns:
        The curve's point there (``match_weight``, ``match_probability``, ``predicted_pairs``,
        ``true_positives``, ``precision``, ``recall``, ``f1``), or None when no threshold
        reaches the target.

    Raises:
        ValueError: ``target_precision`` is outside [0, 1].
    """
    point: dict[str, Any] | None = _evaluate(pairs, labels, label_column, target_precision)[1][
        "at_target_precision"
    ]
    return point
