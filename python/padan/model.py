"""The model file: a trained Fellegi–Sunter model that scores later extracts without retraining.

One file for Rust, Python and the CLI: versioned JSON holding the prior and the m and u of every
level of every comparison. A model estimated on one quarter's extract scores the next quarter's
with ``padan.dedupe(next_quarter, model=model)`` (or :meth:`padan.Linker.predict`).
"""

from __future__ import annotations

import html
import json
import math
import os
from typing import TYPE_CHECKING, Any

from padan import _core
from padan.exceptions import InputError, ModelError
from padan.results import Table

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["MODEL_FORMAT_VERSION", "Model"]

MODEL_FORMAT_VERSION: int = _core.MODEL_FORMAT_VERSION
"""The model file format version this build reads and writes."""


class Model:
    """A trained Fellegi–Sunter model, exactly as stored in its JSON file.

    The JSON text is kept as it was read, so saving a loaded model gives back the same bytes.
    A model pickles (through its JSON text), and compares equal to another with the same content
    (whatever the JSON's spacing).

    Construct one with :meth:`load` (a file), :meth:`from_json` (text), or from a run with
    :attr:`padan.DedupeResult.model` or :meth:`padan.Linker.train`. Pass it back to
    :func:`padan.dedupe` as ``model=`` to score new data without retraining. The weight of a level
    is ``log2(m / u)``: positive evidence for a match, negative against.

    In Jupyter the model shows as a table of its levels; :meth:`plot` draws the weights.

    Args:
        json_text: The model file's text (same as :meth:`from_json`).

    Raises:
        ModelError: The text is not a model this build reads: malformed JSON, missing fields,
            another ``format_version``, or a prior outside (0, 1).

    Examples:
        >>> import padan
        >>> records, truth = padan.synth(rows=1000, seed=5)
        >>> model = padan.dedupe(records).model
        >>> model.comparisons
        ['nik', 'name', 'birth_date', 'address', 'sex', 'mother_name', 'household']
        >>> 0 < model.prior < 1
        True
        >>> model.save("model.json")
        >>> padan.Model.load("model.json") == model
        True
        >>> levels = model.levels_table().to_pandas()
        >>> levels.columns.tolist()[:6]
        ['comparison', 'level', 'label', 'm', 'u', 'weight']
        >>> exact_nik = levels[(levels.comparison == "nik") & (levels.label == "exact")]
        >>> bool(exact_nik.weight.iloc[0] > 10)
        True
    """

    __slots__ = ("_data", "_json")

    def __init__(self, json_text: str) -> None:
        if not isinstance(json_text, str):
            raise TypeError(f"model JSON must be str, got {type(json_text).__name__}")
        _core.check_model(json_text)  # the Rust reader: raises ModelError
        self._json = json_text
        self._data: dict[str, Any] = json.loads(json_text)

    @classmethod
    def from_json(cls, text: str) -> Model:
        """A model from the text of a model file (or :attr:`padan.DedupeResult.model_json`).

        Raises:
            ModelError: The text is not a model this build reads.
        """
        return cls(text)

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Model:
        """Read a model file written by :meth:`save`, ``padan dedupe`` or the Rust library.

        Raises:
            InputError: The file cannot be read.
            ModelError: The file is not a model this build reads.
        """
        try:
            # newline="" keeps the bytes as they are, so that save(load(p)) writes p again.
            with open(path, encoding="utf-8", newline="") as f:
                text = f.read()
        except (OSError, UnicodeDecodeError) as err:
            message = f"cannot read model file {os.fspath(path)}: {err}"
            raise InputError(message, os.fspath(path)) from err
        try:
            return cls(text)
        except ModelError as err:
            raise ModelError(f"{os.fspath(path)}: {err}") from err

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the model file: the same bytes it was read from or produced as."""
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write(self._json)

    def to_json(self) -> str:
        """The model file's text."""
        return self._json

    @property
    def format_version(self) -> int:
        """Model file format version."""
        return int(self._data["format_version"])

    @property
    def padan_version(self) -> str:
        """The padan version that wrote the model."""
        return str(self._data["padan_version"])

    @property
    def prior(self) -> float:
        """Probability that two random records are the same person (λ)."""
        return float(self._data["prior"])

    @property
    def prior_weight(self) -> float:
        """``log2(λ / (1 - λ))``: where every pair's match weight starts."""
        return math.log2(self.prior / (1.0 - self.prior))

    @property
    def comparisons(self) -> list[str]:
        """The comparisons, in the order of the ``gamma_<comparison>`` columns."""
        return [c["kind"] for c in self._data["comparisons"]]

    @property
    def training(self) -> dict[str, Any]:
        """How the model was estimated (sample sizes, EM sessions and their convergence)."""
        training: dict[str, Any] = json.loads(self._json).get("training", {})
        return training

    def labels(self, comparison: str) -> list[str]:
        """Level labels of one comparison; index = level (``gamma_<comparison>`` value).

        Raises:
            KeyError: The model has no such comparison.
        """
        for c in self._data["comparisons"]:
            if c["kind"] == comparison:
                return [level["label"] for level in c["levels"]]
        raise KeyError(f"the model has no comparison {comparison!r}; it has {self.comparisons}")

    def levels_table(self) -> Table:
        """One row per level of every comparison, level 0 (null) included.

        Columns: ``comparison``, ``level``, ``label``, ``m``, ``u``, ``weight`` (``log2(m / u)``
        as scoring uses it; 0 for the null level), ``m_fixed``, ``u_fixed`` (set by design, not
        estimated), ``tf_adjusted`` (agreement adjusted by value frequency) and ``review_only``
        (never linked automatically). Convert with ``.to_pandas()`` / ``.to_polars()``.
        """
        return Table(_core.model_levels(self._json))

    def plot(self, kind: str = "weight", ax: Axes | None = None) -> Axes:
        """Chart the levels: their weights (``kind="weight"``) or m and u (``kind="m_u"``).

        Needs matplotlib (``pip install 'padan[plot]'``). See :func:`padan.plots.plot_m_u`.
        """
        from padan.plots import plot_m_u

        return plot_m_u(self, kind=kind, ax=ax)

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self._json,))

    def __eq__(self, other: object) -> bool:
        # The same model, whatever the JSON's spacing or key order.
        if not isinstance(other, Model):
            return NotImplemented
        return self._data == other._data

    def __hash__(self) -> int:
        return hash(json.dumps(self._data, sort_keys=True))

    def _summary_line(self) -> str:
        levels = ", ".join(
            f"{c['kind']} ({len(c['levels']) - 1} levels)" for c in self._data["comparisons"]
        )
        return (
            f"padan.Model (format {self.format_version}, padan {self.padan_version}): "
            f"prior {self.prior:.3g} (weight {self.prior_weight:+.2f}); {levels}"
        )

    def __repr__(self) -> str:
        return f"<{self._summary_line()}>"

    def _repr_html_(self) -> str:
        esc = html.escape
        rows = []
        for c in self._data["comparisons"]:
            levels = c["levels"]
            for i, level in enumerate(levels):
                weight = _level_weight(level) if i else 0.0
                flags = [
                    name
                    for name in ("m_fixed", "u_fixed", "tf_adjusted", "review_only")
                    if level.get(name)
                ]
                kind = f'<th rowspan="{len(levels)}">{esc(c["kind"])}</th>' if i == 0 else ""
                colour = "#2a7" if weight > 0 else "#c33" if weight < 0 else "inherit"
                rows.append(
                    f"<tr>{kind}<td>{i}</td><td>{esc(level['label'])}</td>"
                    f"<td>{level['m']:.4g}</td><td>{level['u']:.4g}</td>"
                    f'<td style="color:{colour}">{weight:+.2f}</td>'
                    f"<td><small>{esc(' '.join(flags))}</small></td></tr>"
                )
        head = "".join(
            f"<th>{h}</th>" for h in ("comparison", "level", "label", "m", "u", "weight", "flags")
        )
        return (
            f"<div><p>{esc(self._summary_line())}</p><table><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table></div>"
        )


_MIN_PROBABILITY = 1e-9  # as in src/model.rs: no level gets an infinite weight


def _level_weight(level: dict[str, Any]) -> float:
    """``log2(m / u)`` of one non-null level, clamped as the Rust scorer does."""
    m = max(float(level["m"]), _MIN_PROBABILITY)
    u = max(float(level["u"]), _MIN_PROBABILITY)
    return math.log2(m / u)
