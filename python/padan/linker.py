"""A linker object for notebooks: train once, predict on later extracts, evaluate, chart."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from padan.exceptions import ModelError
from padan.labels import DEFAULT_LABEL_COLUMN, precision_recall, threshold_for_precision
from padan.model import Model
from padan.results import DedupeResult, Table

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from padan import TableLike

__all__ = ["Linker"]


class Linker:
    """Deduplicate registry extracts with one model: train it once, then score each new extract.

    A ``Linker`` holds a configuration, a thread count, the model (once trained or loaded) and
    the last result. :meth:`train` estimates the model from an extract; :meth:`predict` scores an
    extract with it (training first when there is no model yet); :meth:`evaluate` scores a
    result against a truth table, :meth:`precision_recall` and :meth:`threshold_for_precision`
    against labelled pairs (which :meth:`train` can also learn m from); :meth:`save` and
    :meth:`load` keep the model in a model file, the same file ``padan dedupe --model`` and the
    Rust library read.

    Args:
        config: As in :func:`padan.dedupe`: ``None`` for the defaults, a dict, or a TOML path.
            A model fits the configuration's comparisons; a model trained under another
            comparison set raises :class:`padan.ModelError` when used.
        threads: Worker threads, as in :func:`padan.dedupe`.
        model: A model to start from: a :class:`padan.Model`, or the path of a model file.

    Examples:
        Train on this quarter's extract, score next quarter's without retraining:

        >>> import padan
        >>> this_quarter, _ = padan.synth(rows=1000, seed=1)
        >>> next_quarter, truth = padan.synth(rows=1000, seed=2)
        >>> linker = padan.Linker()
        >>> model = linker.train(this_quarter)
        >>> result = linker.predict(next_quarter)
        >>> result.model == model
        True
        >>> linker.evaluate(truth)["overall"]["f1"] > 0.9
        True
        >>> linker.save("model.json")
        >>> padan.Linker.load("model.json").model == model
        True
    """

    def __init__(
        self,
        config: dict[str, Any] | str | os.PathLike[str] | None = None,
        threads: int | None = None,
        model: Model | str | os.PathLike[str] | None = None,
    ) -> None:
        self.config = config
        self.threads = threads
        if model is not None and not isinstance(model, Model):
            model = Model.load(model)
        self._model: Model | None = model
        self._result: DedupeResult | None = None

    @classmethod
    def load(
        cls,
        path: str | os.PathLike[str],
        config: dict[str, Any] | str | os.PathLike[str] | None = None,
        threads: int | None = None,
    ) -> Linker:
        """A linker with the model of a model file (see :meth:`save`).

        Raises:
            InputError: The file cannot be read.
            ModelError: The file is not a model this build reads.
        """
        return cls(config=config, threads=threads, model=Model.load(path))

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the model to a model file.

        Raises:
            ModelError: There is no model yet (call :meth:`train` or :meth:`predict` first).
        """
        self._require_model().save(path)

    @property
    def model(self) -> Model | None:
        """The model, once trained, predicted with or loaded; else None."""
        return self._model

    @property
    def result(self) -> DedupeResult | None:
        """The result of the last :meth:`train` or :meth:`predict`, or None."""
        return self._result

    def _run(
        self,
        data: TableLike,
        model: Model | None,
        labels: TableLike | None = None,
        label_column: str = DEFAULT_LABEL_COLUMN,
    ) -> DedupeResult:
        from padan import dedupe

        self._result = dedupe(
            data,
            config=self.config,
            model=model,
            threads=self.threads,
            labels=labels,
            label_column=label_column,
        )
        return self._result

    def train(
        self,
        data: TableLike,
        labels: TableLike | None = None,
        label_column: str = DEFAULT_LABEL_COLUMN,
    ) -> Model:
        """Estimate the model from ``data`` and keep it (replacing any model held).

        Training runs the whole pipeline (a model is estimated from the candidate pairs), so
        :attr:`result` holds the scored pairs of ``data`` afterwards.

        Args:
            data: The records, as in :func:`padan.dedupe`.
            labels: Labelled pairs of ``data`` to learn m from instead of by EM (see
                :mod:`padan.labels`); u and the prior are estimated as without labels.
            label_column: The label column of ``labels``.

        Returns:
            The new model.

        Raises:
            InputError: A label cannot be read or a labelled id is not in ``data``.
        """
        self._model = self._run(data, None, labels, label_column).model
        return self._model

    def predict(self, data: TableLike) -> DedupeResult:
        """Score and cluster ``data`` with the model held; train on ``data`` first if none.

        Args:
            data: The records, as in :func:`padan.dedupe`.

        Returns:
            The pairs, clusters, diagnostics and summary (also kept as :attr:`result`).

        Raises:
            ModelError: The model does not fit the configuration's comparisons.
        """
        result = self._run(data, self._model)
        if self._model is None:
            self._model = result.model
        return result

    def cluster(self, data: TableLike) -> Table:
        """The clusters of ``data``: :meth:`predict`, then its ``clusters`` table.

        Records are linked at or above the configuration's ``match_threshold``; one row per
        input record with ``id``, ``cluster_id`` and ``cluster_size``.
        """
        return self.predict(data).clusters

    def evaluate(
        self,
        truth: TableLike,
        result: DedupeResult | None = None,
        id_column: str = "id_dtks",
    ) -> dict[str, Any]:
        """Pairwise precision, recall and F1 of a result's clusters against the truth.

        Args:
            truth: The truth table, as in :func:`padan.evaluate`.
            result: The result to score; the last :meth:`train` / :meth:`predict` result if None.
            id_column: The record id column of ``truth``.

        Returns:
            The report of :func:`padan.evaluate`.

        Raises:
            ValueError: No result was given and none was produced yet.
        """
        from padan import evaluate

        return evaluate(self._require_result(result), truth, id_column=id_column)

    def precision_recall(
        self,
        labels: TableLike,
        result: DedupeResult | None = None,
        label_column: str = DEFAULT_LABEL_COLUMN,
    ) -> Table:
        """The precision-recall curve of a result (the last one if None) against labels.

        See :func:`padan.precision_recall`.
        """
        return precision_recall(self._require_result(result), labels, label_column=label_column)

    def threshold_for_precision(
        self,
        labels: TableLike,
        target_precision: float,
        result: DedupeResult | None = None,
        label_column: str = DEFAULT_LABEL_COLUMN,
    ) -> dict[str, Any] | None:
        """The lowest threshold meeting ``target_precision`` on the labels, with its recall.

        See :func:`padan.threshold_for_precision`; the last result if ``result`` is None.
        """
        return threshold_for_precision(
            self._require_result(result), labels, target_precision, label_column=label_column
        )

    def plot_precision_recall(
        self,
        labels: TableLike,
        result: DedupeResult | None = None,
        target_precision: float | None = None,
        label_column: str = DEFAULT_LABEL_COLUMN,
        ax: Axes | None = None,
    ) -> Axes:
        """The precision-recall curve against labels (last result if None).

        Needs ``padan[plot]``. See :func:`padan.plots.plot_precision_recall`.
        """
        from padan.plots import plot_precision_recall

        curve = self.precision_recall(labels, result=result, label_column=label_column)
        return plot_precision_recall(curve, target_precision=target_precision, ax=ax)

    def plot_match_weights(
        self, result: DedupeResult | None = None, bins: int = 50, ax: Axes | None = None
    ) -> Axes:
        """Match-weight histogram of a result (the last one if None). Needs ``padan[plot]``."""
        from padan.plots import plot_match_weights

        return plot_match_weights(self._require_result(result), bins=bins, ax=ax)

    def plot_m_u(self, kind: str = "weight", ax: Axes | None = None) -> Axes:
        """Weights (or m and u) of the model's levels. Needs ``padan[plot]``."""
        from padan.plots import plot_m_u

        return plot_m_u(self._require_model(), kind=kind, ax=ax)

    def plot_waterfall(
        self,
        id_l: object,
        id_r: object,
        result: DedupeResult | None = None,
        ax: Axes | None = None,
    ) -> Axes:
        """One pair's match weight, comparison by comparison (last result if None).

        Needs ``padan[plot]``.
        """
        from padan.plots import plot_waterfall

        return plot_waterfall(self._require_result(result), id_l, id_r, ax=ax)

    def _require_model(self) -> Model:
        if self._model is None:
            raise ModelError("this Linker has no model yet: call train() or predict() first")
        return self._model

    def _require_result(self, result: DedupeResult | None) -> DedupeResult:
        if result is not None:
            return result
        if self._result is None:
            raise ValueError("no result yet: call train() or predict() first, or pass result=")
        return self._result

    def __repr__(self) -> str:
        model = "none" if self._model is None else f"prior {self._model.prior:.3g}"
        last = "none" if self._result is None else repr(self._result)
        return f"<padan.Linker: model {model}; last result {last}>"
