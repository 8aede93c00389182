"""Result objects: Arrow tables that convert to pyarrow, pandas and polars, and run results."""

from __future__ import annotations

import html
import importlib
import json
import os
import re
from dataclasses import dataclass, field
from types import ModuleType
from typing import TYPE_CHECKING, Any

from padan import _core

if TYPE_CHECKING:
    import pandas
    import polars
    import pyarrow
    from matplotlib.axes import Axes

    from padan.model import Model

__all__ = ["DedupeResult", "Explanation", "ExplanationItem", "Table"]

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


_LANGUAGES = ("id", "en")


def _language(lang: str) -> str:
    if lang not in _LANGUAGES:
        raise ValueError(f"`lang` must be 'id' (Bahasa Indonesia) or 'en' (English), got {lang!r}")
    return lang


def _bits(weight: float) -> str:
    """A weight in bits with its sign, one decimal, as the text explanation shows it."""
    return "0.0" if abs(weight) < 0.05 else f"{weight:+.1f}"


@dataclass(frozen=True)
class ExplanationItem:
    """What one comparison added to a pair's match weight (see :class:`Explanation`).

    Attributes:
        comparison: ``nik``, ``name``, ``birth_date``, ``address``, ``sex``, ``mother_name`` or
            ``household``.
        level: The pair's level (0: the value is missing in one record).
        label: The level's label, e.g. ``one_substitution``.
        description: A short phrase in the explanation's language, e.g. ``NIK beda 1 digit``.
        level_weight: ``log2(m / u)`` of the level (0 for a missing value or when absorbed).
        tf_adjustment: Term-frequency part: positive for a rare agreeing value (a rare name),
            negative for a common one.
        tf_by_parts: The name's tokens, not the whole name, set ``tf_adjustment`` (a name made of
            common tokens, such as MUHAMMAD RIZKI, is common by its parts however rare it is whole).
        absorbed: Another comparison's level already counts this one, so it adds 0.
        absorbed_by: The comparison that absorbed it, e.g. ``nik``.
        weight: What the comparison added: ``level_weight + tf_adjustment``.
    """

    comparison: str
    level: int
    label: str
    description: str
    level_weight: float
    tf_adjustment: float
    tf_by_parts: bool
    absorbed: bool
    absorbed_by: str | None
    weight: float


@dataclass(frozen=True)
class Explanation:
    """Why a pair got its score: the prior weight plus what each comparison added (a waterfall).

    ``prior_weight + sum(item.weight for item in items) == match_weight``. Printing it (``str``)
    gives the text in its language; in a notebook it shows as a table. The text never shows a
    NIK or KK, and an id that is a 16-digit number is masked.

    Attributes:
        id_l: Id of the pair's left record, as text.
        id_r: Id of the pair's right record, as text.
        blocking_rule: The first blocking rule that found the pair.
        prior_weight: The weight every pair starts from, ``log2(λ / (1 - λ))``.
        items: One :class:`ExplanationItem` per comparison.
        match_weight: The pair's match weight, in bits.
        match_probability: ``1 / (1 + 2 ** -match_weight)``.
        decision: ``match``, ``review`` or ``non_match``.
        deterministic_rule: The deterministic ``link`` rule that decided the pair a match
            whatever its score, or None (see ``deterministic_rules`` in the configuration).
        possible_second_nik: The pair may be one person holding two NIKs: the NIKs differ, but the
            name, birth date and mother's name agree. It is reviewed whatever its probability
            (configuration ``review_possible_second_nik``), and the text says why.
        lang: Language of :meth:`to_text` and the items' descriptions: ``id`` or ``en``.

    Examples:
        >>> import padan
        >>> import pyarrow as pa
        >>> records = pa.table({
        ...     "id_dtks": ["A1", "A2"],
        ...     "nik": ["3273015208850002", "3273015209850002"],
        ...     "nama": ["Dewi Lestari", "DEWI  LESTARI"],
        ...     "tanggal_lahir": ["1985-08-12", "12-08-1985"],
        ... })
        >>> e = padan.dedupe(records).explain("A1", "A2")
        >>> [item.description for item in e.items][:2]
        ['NIK beda 1 digit', 'nama sama setelah normalisasi']
        >>> abs(e.prior_weight + sum(i.weight for i in e.items) - e.match_weight) < 1e-9
        True
        >>> "NIK differs in 1 digit" in e.to_text("en")
        True
    """

    id_l: str
    id_r: str
    blocking_rule: str
    prior_weight: float
    items: list[ExplanationItem]
    match_weight: float
    match_probability: float
    decision: str
    deterministic_rule: str | None = None
    possible_second_nik: bool = False
    lang: str = "id"
    _texts: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def _from_json(cls, text: str, lang: str) -> Explanation:
        data = json.loads(text)
        e = data["explanation"]
        phrases = data["phrases"][lang]
        items = [
            ExplanationItem(
                comparison=item["comparison"],
                level=item["level"],
                label=item["label"],
                description=phrase,
                level_weight=item["level_weight"],
                tf_adjustment=item["tf_adjustment"],
                tf_by_parts=item.get("tf_by_parts", False),
                absorbed=item["absorbed"],
                absorbed_by=item["absorbed_by"],
                weight=item["weight"],
            )
            for item, phrase in zip(e["items"], phrases, strict=True)
        ]
        return cls(
            id_l=e["id_l"],
            id_r=e["id_r"],
            blocking_rule=e["blocking_rule"],
            prior_weight=e["prior_weight"],
            items=items,
            match_weight=e["match_weight"],
            match_probability=e["match_probability"],
            decision=e["decision"],
            deterministic_rule=e.get("deterministic_rule"),
            possible_second_nik=e["possible_second_nik"],
            lang=lang,
            _texts=dict(data["text"]),
        )

    def to_text(self, lang: str | None = None) -> str:
        """The explanation as text, one line per comparison.

        Args:
            lang: ``"id"`` (Bahasa Indonesia) or ``"en"`` (English); by default the
                explanation's own :attr:`lang`.
        """
        return self._texts[_language(lang or self.lang)]

    def to_dict(self) -> dict[str, Any]:
        """The explanation as plain dicts and lists (JSON-ready), text included."""
        return {
            "id_l": self.id_l,
            "id_r": self.id_r,
            "blocking_rule": self.blocking_rule,
            "prior_weight": self.prior_weight,
            "items": [dict(vars(item)) for item in self.items],
            "match_weight": self.match_weight,
            "match_probability": self.match_probability,
            "decision": self.decision,
            "deterministic_rule": self.deterministic_rule,
            "possible_second_nik": self.possible_second_nik,
            "lang": self.lang,
            "text": self.to_text(),
        }

    def __str__(self) -> str:
        return self.to_text()

    def _repr_html_(self) -> str:
        esc = html.escape
        english = self.lang == "en"
        scale = max([abs(self.prior_weight), *(abs(i.weight) for i in self.items), 1.0])

        def row(label: str, weight: float, note: str = "", strong: bool = False) -> str:
            colour = "#2a8a5a" if weight > 0 else "#c8423c"
            width = round(100 * abs(weight) / scale)
            bar = (
                f'<div style="background:{colour};height:0.8em;width:{width}%"></div>'
                if width
                else ""
            )
            cell = f"<b>{esc(label)}</b>" if strong else esc(label)
            return (
                f"<tr><td>{cell}</td><td style='text-align:right'>{esc(_bits(weight))}</td>"
                f"<td style='min-width:8em'>{bar}</td><td><small>{esc(note)}</small></td></tr>"
            )

        rows = [row("prior weight" if english else "bobot awal (prior)", self.prior_weight)]
        by_parts = "by its parts" if english else "menurut kata-katanya"
        for item in self.items:
            note = f"TF {_bits(item.tf_adjustment)}" if abs(item.tf_adjustment) >= 0.05 else ""
            if note and item.tf_by_parts:
                note += f" ({by_parts})"
            rows.append(row(item.description, item.weight, note))
        rows.append(row("total weight" if english else "jumlah bobot", self.match_weight, "", True))
        header = self.to_text().splitlines()[0]
        footer = self.to_text().splitlines()[-1].strip()
        return (
            f"<div><p>{esc(header)}</p><table><tbody>{''.join(rows)}</tbody></table>"
            f"<p>{esc(footer)}</p></div>"
        )


class DedupeResult:
    """Everything one :func:`padan.dedupe` run produced.

    Attributes:
        pairs: Scored candidate pairs: ``id_l``, ``id_r`` (the input's id type),
            ``blocking_rule``, ``gamma_<comparison>`` levels, ``weight_<comparison>`` (what each
            comparison added), ``match_weight``, ``match_probability`` and ``decision``
            (``match``, ``review`` or ``non_match``). Pairs below ``pairs_min_probability`` are
            left out, unless they are for review.
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

    def explain(self, id_l: object, id_r: object, lang: str = "id") -> Explanation | None:
        """Why two records got their score: what each comparison added to the match weight.

        Any candidate pair can be explained, also one below ``pairs_min_probability`` that the
        ``pairs`` table leaves out.

        Args:
            id_l: Id of one record (compared as text, so ``17`` and ``"17"`` are the same).
            id_r: Id of the other record; the order does not matter (the explanation keeps the
                pair's own order).
            lang: ``"id"`` (Bahasa Indonesia) or ``"en"`` (English), for the text and the items'
                descriptions.

        Returns:
            The :class:`Explanation`, or ``None`` when the two records were never blocked
            together (so never compared), or an id is not in the input.

        Raises:
            ValueError: ``lang`` is neither ``"id"`` nor ``"en"``.

        Examples:
            >>> import padan
            >>> records, truth = padan.synth(rows=500, seed=1)
            >>> result = padan.dedupe(records)
            >>> pair = result.pairs.to_arrow().to_pylist()[0]
            >>> e = result.explain(pair["id_l"], pair["id_r"], lang="en")
            >>> e.match_weight == pair["match_weight"]
            True
            >>> print(e)  # doctest: +ELLIPSIS
            Pair DTKS... – DTKS... (blocking rule: ...)
              prior weight ...
            >>> result.explain("no such id", pair["id_r"]) is None
            True
        """
        lang = _language(lang)
        text = self._native.explain(str(id_l), str(id_r))
        return None if text is None else Explanation._from_json(text, lang)

    def explanations(self, lang: str = "id") -> Table:
        """The explanation text of every pair in :attr:`pairs`, same rows and order, for review.

        Args:
            lang: ``"id"`` (Bahasa Indonesia) or ``"en"`` (English).

        Returns:
            A table with ``id_l``, ``id_r``, ``match_probability``, ``decision`` and
            ``explanation`` (the text of :meth:`Explanation.to_text`).

        Raises:
            ValueError: ``lang`` is neither ``"id"`` nor ``"en"``.

        Examples:
            >>> import padan
            >>> records, truth = padan.synth(rows=500, seed=1)
            >>> result = padan.dedupe(records)
            >>> table = result.explanations(lang="en")
            >>> table.num_rows == result.pairs.num_rows
            True
            >>> table.column_names
            ['id_l', 'id_r', 'match_probability', 'decision', 'explanation']
        """
        return Table(self._native.explanations(_language(lang)))

    def flags(self) -> Table:
        """Every flag a reviewer should look at, one row per flag, ordered by row then code.

        Codes: ``INVALID_NIK``, ``NIK_MISMATCH``, ``IMPLAUSIBLE_AGE``, ``DECEASED_MARKER``,
        ``HOUSEHOLD_INCONSISTENT``, ``DUPLICATE`` (a copy to drop; the copy with a valid NIK,
        then the most complete, then the first stays), ``DOUBLE_RECIPIENT`` (a copy receiving a
        programme another copy of the same person receives), ``SECOND_HOUSEHOLD`` (a copy under
        another KK) and ``NIK_SHARED`` (NIK ganda); with ``registry=`` also ``DECEASED``,
        ``MOVED`` (the civil registry's confident match is MENINGGAL / PINDAH) and ``NOT_FOUND``
        (no confident match). Ages are computed at
        ``config={"flags": {"reference_date": "YYYY-MM-DD"}}``, by default the latest birth
        date in the data that is not after today; ``summary["flags"]`` has the counts.

        Returns:
            A table with ``row`` (1-based, as in :attr:`diagnostics`), ``id``, ``code``,
            ``priority`` (1 first to 5: 1 for money that may be paid twice or to someone who
            died, one more when the row receives no programme), ``confidence`` (0 to 1),
            ``programs`` (``PKH;BPNT``), ``related_rows`` (``"1;4"``), ``cluster_id``,
            ``evidence_id`` (Bahasa Indonesia) and ``evidence_en`` (English), NIK / KK masked in
            the evidence.

        Raises:
            LayerSkippedError: The run was clusters only (``clusters_only=True``), which skips
                the flags; so do :meth:`review_list`, :meth:`flag_counts`,
                :meth:`double_recipients` and :meth:`households`.

        Examples:
            >>> import padan
            >>> import pyarrow as pa
            >>> records = pa.table({
            ...     "id_dtks": ["A1", "A2"],
            ...     "nik": ["3273015208850000", "3374011403620003"],
            ...     "nama": ["Dewi Lestari", "Alm. Sukarno Hadi"],
            ...     "program": ["PKH", "pkh, sembako"],
            ... })
            >>> flags = padan.dedupe(records).flags().to_arrow()
            >>> rows = flags.select(["id", "code", "priority"]).to_pylist()
            >>> rows  # doctest: +NORMALIZE_WHITESPACE
            [{'id': 'A1', 'code': 'INVALID_NIK', 'priority': 3},
             {'id': 'A2', 'code': 'DECEASED_MARKER', 'priority': 1}]
            >>> flags["programs"].to_pylist()
            ['PKH', 'PKH;BPNT']
        """
        return Table(self._native.flags())

    def review_list(self) -> Table:
        """The flags in review order, ready to hand to an officer (``review.csv`` of the CLI).

        Sorted by ``priority``, then ``confidence`` (highest first), then row and code.
        Columns: ``priority``, ``code``, ``confidence``, ``row``, ``id``, ``nik`` and ``kk``
        (masked: ``3273 **** **** 0002``), ``name`` (normalised), ``province``, ``regency``,
        ``district``, ``programs``, ``related_rows``, ``alasan`` (the evidence in Bahasa
        Indonesia) and ``evidence`` (English). Raises :class:`LayerSkippedError` for a
        clusters-only run.
        """
        return Table(self._native.review_list())

    def flag_counts(self) -> Table:
        """Flags per region and code, for a map or a report by area.

        Columns: ``province``, ``regency``, ``district`` (as given, upper case; null when
        missing), ``code``, ``flags`` (they add up to the number of flags) and ``rows``.
        Raises :class:`LayerSkippedError` for a clusters-only run.
        """
        return Table(self._native.flag_counts())

    def double_recipients(self) -> Table:
        """One row per person and programme received on two or more rows.

        Columns: ``programme``, ``cluster_id``, ``copies``, ``rows`` and ``ids``
        (``;``-joined), ``kept_row`` (the payment that stays) and ``extra_payments``.
        Raises :class:`LayerSkippedError` for a clusters-only run.
        """
        return Table(self._native.double_recipients())

    def households(self) -> Table:
        """KK pairs that share a person, scored as one family registered twice.

        Every pair of KK numbers with at least one person under both is scored:
        ``score = head_factor * sum(match probability of each shared person) /
        max(persons under either KK)``, where ``head_factor`` is 1 when one person heads both
        KK numbers or the head and spouse swapped roles, 0.8 when each head is a member of the
        other KK, 0.75 when a KK has no head recorded, 0.5 for different heads, and 0 for a KK
        split after a marriage (the head of one is a child of the other, whose head stayed).
        A pair scoring at least ``config={"households": {"threshold": 0.5}}`` is a
        ``duplicate`` and the registration to drop gets a ``DUPLICATE_HOUSEHOLD`` flag;
        ``summary["households"]`` has the counts.

        Returns:
            A table with ``kk_l``, ``kk_r`` (full KK numbers), ``score``, ``decision``
            (``duplicate``, ``review``, ``split`` or ``distinct``), ``head_agreement``
            (``same_head``, ``head_spouse_swapped``, ``head_changed``, ``split``, ``no_head``,
            ``other_head``), ``members_l``, ``members_r``, ``matched_members``,
            ``matched_for_review`` (persons joined only by a pair for review),
            ``mean_probability``, ``rows_l``, ``rows_r`` (1-based, ``;``-joined),
            ``programs_l``, ``programs_r``, ``programs_both``, ``dropped_kk`` and the
            explanation in Bahasa Indonesia (``explanation_id``) and English
            (``explanation_en``), KK masked in the explanations. Highest score first.

        Raises:
            LayerSkippedError: The run was clusters only (``clusters_only=True``), which skips
                the households.

        Examples:
            >>> import padan
            >>> records, truth = padan.synth(rows=3000, seed=5)
            >>> households = padan.dedupe(records).households().to_arrow()
            >>> households.column_names[:5]
            ['kk_l', 'kk_r', 'score', 'decision', 'head_agreement']
        """
        return Table(self._native.households())

    def registry_links(self) -> Table | None:
        """The link to the reference registry, one row per record; ``None`` without one.

        Only a run given ``registry=`` (see :func:`padan.dedupe`) has it. Columns: ``id``,
        ``row`` (1-based), ``registry_row`` (1-based, null without a confident match),
        ``registry_id``, ``registry_nik`` (in full: this is data you asked for),
        ``match_probability`` (of the best candidate), ``confident``, ``status`` (``HIDUP``,
        ``MENINGGAL``, ``PINDAH``) and ``status_date``.
        """
        native = self._native.registry_links()
        return None if native is None else Table(native)

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


class SnapshotDiff:
    """Two snapshots compared by :func:`padan.compare_snapshots`.

    ``unchanged + changed + added`` is the number of later rows and
    ``unchanged + changed + removed`` the number of earlier rows (see :attr:`summary`).

    Examples:
        >>> import pandas as pd
        >>> import padan
        >>> q1 = pd.DataFrame({
        ...     "id_dtks": ["a1", "a2"],
        ...     "nik": ["3273015208850002", "3578036505900017"],
        ...     "nama": ["Dewi Lestari", "Ratna Sari"],
        ...     "tanggal_lahir": ["1985-08-12", "1990-05-25"],
        ... })
        >>> q2 = pd.DataFrame({
        ...     "id_dtks": ["b1", "b2"],
        ...     "nik": ["3578036505900017", "3174051010200001"],
        ...     "nama": ["RATNA SARI", "Budi Santoso"],
        ...     "tanggal_lahir": ["25-05-1990", "2020-10-10"],
        ... })
        >>> diff = padan.compare_snapshots(q1, q2)
        >>> persons = diff.persons().to_arrow().to_pylist()
        >>> [(p["later_id"], p["entity_id"], p["status"]) for p in persons]
        [('b1', 'a2', 'unchanged'), ('b2', 'N-b2', 'added'), (None, 'a1', 'removed')]
        >>> diff.summary["removed"]
        1
    """

    __slots__ = ("_households", "_persons", "_summary_json")

    def __init__(self, native: tuple[_core.Table, _core.Table, str]) -> None:
        persons, households, summary_json = native
        self._persons = Table(persons)
        self._households = Table(households)
        self._summary_json = summary_json

    def persons(self) -> Table:
        """One row per person: the later rows in order, then the removed earlier rows.

        Columns: ``later_id``, ``earlier_id`` (ids as text, null on the side a person is
        missing from), ``later_row``, ``earlier_row`` (1-based), ``entity_id`` (the stable id:
        carried from the earlier table's entity-id column or row id; ``N-<later id>`` for a new
        person), ``status`` (``unchanged``, ``changed``, ``added``, ``removed``),
        ``changed_fields`` (``;``-separated among ``nik``, ``kk``, ``name``, ``birth_date``,
        ``address``) and ``match_probability``.
        """
        return self._persons

    def households(self) -> Table:
        """One row per KK number: the later ones in order, then the removed earlier ones.

        Columns: ``later_kk``, ``earlier_kk`` (the KK most of its members came from),
        ``status``, ``kk_changed``, ``later_members``, ``earlier_members``, ``joined``,
        ``left`` (counts), ``joined_ids`` and ``left_ids`` (``;``-separated ids).
        """
        return self._households

    @property
    def summary(self) -> dict[str, Any]:
        """Counts of persons and households per status, as a new dict."""
        return json.loads(self._summary_json)

    @property
    def summary_json(self) -> str:
        """The summary as the JSON text ``padan snapshot`` writes to ``summary.json``."""
        return self._summary_json

    def __repr__(self) -> str:
        s = self.summary
        return (
            f"<padan.SnapshotDiff: {s['unchanged']} unchanged, {s['changed']} changed, "
            f"{s['added']} added, {s['removed']} removed>"
        )
