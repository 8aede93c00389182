"""Result objects: Arrow tables that convert to pyarrow, pandas and polars, and run results."""

from __future__ import annotations

import html
import importlib
import json
import os
import re
from types import ModuleType
from typing import TYPE_CHECKING, Any

from padan import _core

if TYPE_CHECKING:
    import pandas
    import polars
    import pyarrow
    from matplotlib.axes import Axes

    from padan.model import Model

__all__ = ["DedupeResult", "Table"]

_PREVIEW_ROWS = 10
_MAX_CELL = 40


def _require(module: str, needed_for: str, extra: str | None = None) -> ModuleType:
    """Import an optional dependency, or say exactly how to install it.

    ``extra`` is the padan extra that brings it (``pip install 'padan[extra]'``); by default the
    extra named after the module.
    """
    try:
        return importlib.import_module(module)
    except ImportError as err:
        package = module.split(".", 1)[0]
        raise ImportError(
            f"{needed_for} needs the `{package}` package, which is not installed. "
            f"Install it with `pip install 'padan[{extra or package}]'` "
            f"(or `pip install {package}`)."
        ) from err


_SIXTEEN_DIGITS = re.compile(r"\d{16}")


def _cell(text: str) -> str:
    """A cell for display: NIK / KK-like 16-digit numbers masked, long text clipped."""
    if _SIXTEEN_DIGITS.fullmatch(text):
        # Private by default: keep the region code (first 6 digits) only.
        return text[:6] + "*" * 10
    return text if len(text) <= _MAX_CELL else text[: _MAX_CELL - 1] + "…"


class Table:
    """An immutable Arrow table produced by padan (pairs, clusters, diagnostics, synthetic data).

    Printing it (``repr`` or the notebook view) shows the first rows, with every 16-digit
    number (NIK, KK) masked to its region code; the data itself is never altered.

    It implements the Arrow PyCapsule interface (``__arrow_c_stream__``), so any Arrow-aware
    library can read it without a copy, and it converts to the usual DataFrame types on demand.
    None of these libraries is needed until you call the matching ``to_*`` method.

    Examples:
        >>> import padan
        >>> records, truth = padan.synth(rows=100, seed=1)
        >>> records.num_rows == len(records)
        True
        >>> "id_dtks" in records.column_names
        True
        >>> df = records.to_pandas()  # or .to_polars(), .to_arrow()
    """

    __slots__ = ("_native",)

    def __init__(self, native: _core.Table) -> None:
        self._native = native

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        """Export the table as an Arrow C stream (the Arrow PyCapsule interface)."""
        return self._native.__arrow_c_stream__(requested_schema)

    def __arrow_c_schema__(self) -> object:
        """Export the schema as an Arrow C schema capsule."""
        return self._native.__arrow_c_schema__()

    def __len__(self) -> int:
        return len(self._native)

    @property
    def num_rows(self) -> int:
        """Number of rows."""
        return self._native.num_rows

    @property
    def num_columns(self) -> int:
        """Number of columns."""
        return self._native.num_columns

    @property
    def column_names(self) -> list[str]:
        """Column names, in order."""
        return self._native.column_names

    def to_arrow(self) -> pyarrow.Table:
        """Convert to a ``pyarrow.Table`` (zero-copy). Needs pyarrow."""
        pa = _require("pyarrow", "Table.to_arrow()")
        return pa.table(self)

    def to_pandas(self) -> pandas.DataFrame:
        """Convert to a ``pandas.DataFrame``. Needs pandas and pyarrow.

        Identifier columns keep their Arrow type's closest pandas equivalent: text ids stay text,
        integer ids stay integers (never floats).
        """
        _require("pandas", "Table.to_pandas()")
        pa = _require("pyarrow", "Table.to_pandas()")
        return pa.table(self).to_pandas()

    def to_polars(self) -> polars.DataFrame:
        """Convert to a ``polars.DataFrame`` (zero-copy). Needs polars."""
        pl = _require("polars", "Table.to_polars()")
        frame: polars.DataFrame = pl.DataFrame(self)
        return frame

    def _summary_line(self) -> str:
        return f"padan.Table: {self.num_rows} rows × {self.num_columns} columns"

    def __repr__(self) -> str:
        names = self.column_names
        rows = [[_cell(c) for c in row] for row in self._native.format_rows(_PREVIEW_ROWS)]
        widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
        lines = [self._summary_line()]
        if names:
            lines.append("  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True)).rstrip())
            lines.extend(
                "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows
            )
        if self.num_rows > len(rows):
            lines.append(f"… {self.num_rows - len(rows)} more rows")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        esc = html.escape
        head = "".join(f"<th>{esc(n)}</th>" for n in self.column_names)
        types = "".join(f"<td><small>{esc(t)}</small></td>" for t in self._native.column_types)
        body = "".join(
            "<tr>" + "".join(f"<td>{esc(_cell(c))}</td>" for c in row) + "</tr>"
            for row in self._native.format_rows(_PREVIEW_ROWS)
        )
        more = self.num_rows - min(self.num_rows, _PREVIEW_ROWS)
        footer = f"<p>… {more} more rows</p>" if more else ""
        return (
            f"<div><p>{esc(self._summary_line())}</p><table><thead><tr>{head}</tr>"
            f"<tr>{types}</tr></thead><tbody>{body}</tbody></table>{footer}</div>"
        )


class DedupeResult:
    """Everything one :func:`padan.dedupe` run produced.

    Attributes:
        pairs: Scored candidate pairs: ``id_l``, ``id_r`` (the input's id type),
            ``blocking_rule``, ``gamma_<comparison>`` levels, ``weight_<comparison>`` (what each
            comparison added), ``match_weight``, ``match_probability`` and ``decision``
            (``match``, ``review`` or ``non_match``). Pairs below ``pairs_min_probability`` are
            left out.
        clusters: One row per input record: ``id``, ``cluster_id``, ``cluster_size``.
            Records in one cluster are the same person.
        diagnostics: Every problem found in a row: ``row`` (1-based), ``field``, ``code``,
            ``message``. Rows with problems are kept in every output and count.

    Examples:
        >>> import padan
        >>> records, truth = padan.synth(rows=200, seed=3)
        >>> result = padan.dedupe(records)
        >>> result.summary["rows_read"]
        200
        >>> result.clusters.column_names
        ['id', 'cluster_id', 'cluster_size']
    """

    __slots__ = ("_model", "_native", "clusters", "diagnostics", "pairs")

    def __init__(self, native: _core.DedupeResult) -> None:
        self._native = native
        self._model: Model | None = None
        self.pairs = Table(native.pairs)
        self.clusters = Table(native.clusters)
        self.diagnostics = Table(native.diagnostics)

    @property
    def summary(self) -> dict[str, Any]:
        """The run summary (counts, blocking statistics, training report) as a new dict."""
        return self._native.summary

    @property
    def summary_json(self) -> str:
        """The summary as the JSON text that ``padan dedupe`` writes to ``summary.json``."""
        return self._native.summary_json

    @property
    def model_json(self) -> str:
        """The model that scored the pairs, as model-file JSON (pass it back as ``model=``)."""
        return self._native.model_json

    @property
    def model(self) -> Model:
        """The model that scored the pairs (pass it back as ``model=`` to score other data)."""
        if self._model is None:
            from padan.model import Model

            # With the final newline, as `padan dedupe` writes model.json: the same bytes.
            self._model = Model(self.model_json + "\n")
        return self._model

    def save_model(self, path: str | os.PathLike[str]) -> None:
        """Write the model to a JSON file that ``padan.dedupe(..., model=path)`` reads back."""
        self.model.save(path)

    def plot_match_weights(self, bins: int = 50, ax: Axes | None = None) -> Axes:
        """Histogram of the pairs' match weights by decision, with the thresholds marked.

        Needs matplotlib (``pip install 'padan[plot]'``). See :mod:`padan.plots`.
        """
        from padan.plots import plot_match_weights

        return plot_match_weights(self, bins=bins, ax=ax)

    def plot_waterfall(self, id_l: object, id_r: object, ax: Axes | None = None) -> Axes:
        """How one pair's match weight adds up: the prior, then what each comparison added.

        Needs matplotlib (``pip install 'padan[plot]'``). See :func:`padan.plots.plot_waterfall`.
        """
        from padan.plots import plot_waterfall

        return plot_waterfall(self, id_l, id_r, ax=ax)

    def _repr_html_(self) -> str:
        s = json.loads(self.summary_json)
        counts = [
            ("rows read", s["rows_read"]),
            ("rows with problems", s["rows_with_problems"]),
            ("scored pairs kept", self.pairs.num_rows),
            ("pairs for review", s.get("pairs_for_review", "")),
            ("clusters of two or more", s["clusters_of_two_or_more"]),
            ("duplicate rows", s["duplicate_rows"]),
        ]
        rows = "".join(
            f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>" for k, v in counts
        )
        return (
            f"<div><p>padan.DedupeResult</p><table><tbody>{rows}</tbody></table>"
            f"<p>pairs</p>{self.pairs._repr_html_()}</div>"
        )

    def __repr__(self) -> str:
        s = json.loads(self.summary_json)
        return (
            f"DedupeResult(rows_read={s['rows_read']}, pairs={self.pairs.num_rows}, "
            f"clusters_of_two_or_more={s['clusters_of_two_or_more']}, "
            f"duplicate_rows={s['duplicate_rows']}, rows_with_problems={s['rows_with_problems']})"
        )
