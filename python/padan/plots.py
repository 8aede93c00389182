"""Charts for notebooks: match weights, level weights (m / u), waterfalls, precision-recall.

The precision-recall curve is drawn against labelled pairs (see :mod:`padan.labels`).

They need matplotlib and pyarrow, the ``plot`` extra: ``pip install 'padan[plot]'``. Each
function draws on ``ax`` when given (else on a new figure) and returns the matplotlib ``Axes``.
The same charts are methods: :meth:`padan.DedupeResult.plot_match_weights`,
:meth:`padan.DedupeResult.plot_waterfall`, :meth:`padan.Model.plot` and the
:class:`padan.Linker` ``plot_*`` methods.

Examples:
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import padan
    >>> from padan.plots import plot_m_u, plot_match_weights, plot_waterfall
    >>> records, truth = padan.synth(rows=1000, seed=2)
    >>> result = padan.dedupe(records)
    >>> ax = plot_match_weights(result)
    >>> ax = plot_m_u(result.model)
    >>> pair = result.pairs.to_pandas().iloc[0]
    >>> ax = plot_waterfall(result, pair.id_l, pair.id_r)
    >>> len(ax.patches) == len(result.model.comparisons) + 2  # prior, comparisons, total
    True
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from padan.results import DedupeResult, Table, _cell, _require

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from padan.model import Model

__all__ = ["plot_m_u", "plot_match_weights", "plot_precision_recall", "plot_waterfall"]

# Colours of the decisions, and of evidence for / against a match.
_DECISION_COLOURS = {"non_match": "#9aa5b1", "review": "#f0a030", "match": "#2a8a5a"}
_FOR, _AGAINST, _NEUTRAL = "#2a8a5a", "#c8423c", "#5b6b7b"


def _axes(ax: Axes | None, needed_for: str) -> Axes:
    """``ax``, or the axes of a new figure; matplotlib must be installed either way."""
    _require("matplotlib", needed_for, extra="plot")
    if ax is not None:
        return ax
    plt = _require("matplotlib.pyplot", needed_for, extra="plot")
    _, new_ax = plt.subplots()
    return new_ax  # type: ignore[no-any-return]


def _pairs(result: DedupeResult, needed_for: str) -> Any:
    """The pairs as a ``pyarrow.Table``."""
    pa = _require("pyarrow", needed_for, extra="plot")
    return pa.table(result.pairs)


def _logit2(probability: float) -> float | None:
    """The match weight of a probability (``log2(p / (1 - p))``), None at 0 or 1."""
    if not 0.0 < probability < 1.0:
        return None
    return math.log2(probability / (1.0 - probability))


def plot_match_weights(result: DedupeResult, bins: int = 50, ax: Axes | None = None) -> Axes:
    """Histogram of the pairs' match weights, stacked by decision, with the thresholds marked.

    The dashed lines are the match and review thresholds (``summary["match_threshold"]`` and
    ``summary["review_threshold"]``) turned into match weights. Pairs below
    ``pairs_min_probability`` are not in ``result.pairs`` and so not in the chart.

    Args:
        result: A :func:`padan.dedupe` result.
        bins: Number of bins.
        ax: Axes to draw on; a new figure when None.

    Returns:
        The matplotlib Axes.
    """
    needed_for = "plot_match_weights()"
    ax = _axes(ax, needed_for)
    pairs = _pairs(result, needed_for)
    weights = pairs["match_weight"].to_pylist()
    decisions = pairs["decision"].to_pylist()
    order = [d for d in _DECISION_COLOURS if d in set(decisions)]
    if weights:
        low, high = min(weights), max(weights)
        if low == high:
            low, high = low - 0.5, high + 0.5
        groups = [[w for w, d in zip(weights, decisions, strict=True) if d == k] for k in order]
        ax.hist(
            groups,
            bins=bins,
            range=(low, high),  # the same bins for every decision; the largest weight included
            stacked=True,
            color=[_DECISION_COLOURS[k] for k in order],
            label=[f"{k.replace('_', '-')} ({len(g)})" for k, g in zip(order, groups, strict=True)],
        )
    summary = result.summary
    for key, name in (("review_threshold", "review"), ("match_threshold", "match")):
        probability = summary.get(key)
        weight = _logit2(probability) if probability is not None else None
        if weight is not None:
            ax.axvline(
                weight,
                color=_DECISION_COLOURS[name],
                linestyle="--",
                label=f"{name} threshold (p = {probability:g}, weight {weight:.1f})",
            )
    ax.set_xlabel("match weight (log2 of the odds of a match)")
    ax.set_ylabel("pairs")
    ax.set_title(f"Match weights of {len(weights)} candidate pairs")
    if weights:
        ax.legend(fontsize="small")
    return ax


def plot_precision_recall(
    curve: Table, target_precision: float | None = None, ax: Axes | None = None
) -> Axes:
    """The precision-recall curve of a run against labelled pairs.

    Recall on x, precision on y, one point per threshold of the curve; with ``target_precision``
    a dashed line at that precision and the lowest threshold that meets it marked.

    Args:
        curve: The table of :func:`padan.precision_recall`.
        target_precision: A precision to mark, if any.
        ax: Axes to draw on; a new figure when None.

    Returns:
        The matplotlib Axes.

    Examples:
        >>> import matplotlib
        >>> matplotlib.use("Agg")
        >>> import pyarrow as pa
        >>> import padan
        >>> from padan.plots import plot_precision_recall
        >>> ids = {"id_l": ["a", "c", "e"], "id_r": ["b", "d", "f"]}
        >>> labels = pa.table(ids | {"is_match": [1, 0, 1]})
        >>> pairs = pa.table(ids | {"match_weight": [9.0, 2.0, 1.0]})
        >>> ax = plot_precision_recall(padan.precision_recall(pairs, labels), target_precision=0.9)
        >>> [round(float(y), 3) for y in ax.lines[0].get_ydata()]
        [1.0, 0.5, 0.667]
    """
    needed_for = "plot_precision_recall()"
    ax = _axes(ax, needed_for)
    pa = _require("pyarrow", needed_for, extra="plot")
    points = pa.table(curve)
    recall = points["recall"].to_pylist()
    precision = points["precision"].to_pylist()
    probability = points["match_probability"].to_pylist()
    ax.plot(recall, precision, marker=".", color=_NEUTRAL, label="precision-recall curve")
    if target_precision is not None:
        ax.axhline(
            target_precision,
            color=_AGAINST,
            linestyle="--",
            label=f"target precision {target_precision:g}",
        )
        meeting = [k for k, p in enumerate(precision) if p >= target_precision]
        if meeting:
            k = meeting[-1]  # the lowest threshold that meets the target: the most recall
            ax.plot(
                [recall[k]],
                [precision[k]],
                marker="o",
                color=_FOR,
                linestyle="none",
                label=f"p ≥ {probability[k]:.4g}: precision {precision[k]:.3f}, "
                f"recall {recall[k]:.3f}",
            )
    ax.set_xlabel("recall")
    ax.set_ylabel("precision")
    ax.set_title(f"Precision and recall at {len(recall)} thresholds")
    ax.legend(fontsize="small")
    return ax


def plot_m_u(model: Model, kind: str = "weight", ax: Axes | None = None) -> Axes:
    """The levels of every comparison: their weights, or their m and u.

    One horizontal bar per level (the null level, which adds nothing, is left out), grouped by
    comparison, top to bottom in the model's order.

    Args:
        model: A :class:`padan.Model`.
        kind: ``"weight"``: ``log2(m / u)``, green for evidence of a match, red against.
            ``"m_u"``: two bars per level, m (share of matches at the level) and u (share of
            non-matches), on a log scale.
        ax: Axes to draw on; a new figure when None.

    Returns:
        The matplotlib Axes.

    Raises:
        ValueError: ``kind`` is neither ``"weight"`` nor ``"m_u"``.
    """
    if kind not in ("weight", "m_u"):
        raise ValueError(f'kind must be "weight" or "m_u", got {kind!r}')
    needed_for = "plot_m_u()"
    ax = _axes(ax, needed_for)
    pa = _require("pyarrow", needed_for, extra="plot")
    levels = pa.table(model.levels_table()).to_pylist()
    rows = [r for r in levels if r["level"] != 0]
    names = [f"{r['comparison']}: {r['label']}" for r in rows]
    positions = list(range(len(rows)))[::-1]  # first comparison on top
    if kind == "weight":
        weights = [r["weight"] for r in rows]
        colours = [_FOR if w > 0 else _AGAINST for w in weights]
        ax.barh(positions, weights, color=colours)
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_xlabel("weight: log2(m / u)")
        ax.set_title("Weight of each comparison level")
    else:
        height = 0.4
        ax.barh([p + height / 2 for p in positions], [r["m"] for r in rows], height, label="m")
        ax.barh([p - height / 2 for p in positions], [r["u"] for r in rows], height, label="u")
        ax.set_xscale("log")
        ax.set_xlabel("probability of the level (log scale)")
        ax.set_title("m (among matches) and u (among non-matches) per level")
        ax.legend(fontsize="small")
    # A thin line between comparisons.
    for i in range(1, len(rows)):
        if rows[i]["comparison"] != rows[i - 1]["comparison"]:
            ax.axhline(positions[i] + 0.5, color="#cccccc", linewidth=0.8)
    ax.set_yticks(positions, names, fontsize="small")
    return ax


def _find_pair(pairs: Any, id_l: object, id_r: object) -> int | None:
    """Row of the pair ``(id_l, id_r)`` in either order, or None."""
    pa = _require("pyarrow", "plot_waterfall()", extra="plot")
    pc = _require("pyarrow.compute", "plot_waterfall()", extra="plot")
    for a, b in ((id_l, id_r), (id_r, id_l)):
        try:
            left = pa.scalar(a).cast(pairs["id_l"].type)
            right = pa.scalar(b).cast(pairs["id_r"].type)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
            return None
        hits = pc.and_(pc.equal(pairs["id_l"], left), pc.equal(pairs["id_r"], right))
        index = pc.index(hits, True).as_py()
        if index >= 0:
            return int(index)
    return None


def plot_waterfall(
    result: DedupeResult, id_l: object, id_r: object, ax: Axes | None = None
) -> Axes:
    """How one pair's match weight adds up: the prior, each comparison, then the total.

    Bars: the prior weight, one bar per comparison starting where the previous one ended (its
    ``weight_<comparison>`` column: the level's weight plus any term-frequency adjustment; 0
    when another comparison's level already counts it), and the final match weight from 0.
    Each comparison bar is labelled with the pair's level.

    Args:
        result: A :func:`padan.dedupe` result.
        id_l: One record id of the pair.
        id_r: The other record id (the order does not matter).
        ax: Axes to draw on; a new figure when None.

    Returns:
        The matplotlib Axes.

    Raises:
        KeyError: The pair is not in ``result.pairs`` (it was never a candidate, or scored
            below ``pairs_min_probability``).
    """
    needed_for = "plot_waterfall()"
    ax = _axes(ax, needed_for)
    pairs = _pairs(result, needed_for)
    row = _find_pair(pairs, id_l, id_r)
    if row is None:
        raise KeyError(
            f"the pair ({_cell(str(id_l))}, {_cell(str(id_r))}) is not in result.pairs: it was "
            "not a candidate, or scored below pairs_min_probability"
        )
    pair = pairs.slice(row, 1).to_pylist()[0]
    model = result.model
    names = ["prior"]
    starts, heights, colours = [0.0], [model.prior_weight], [_NEUTRAL]
    total = model.prior_weight
    for comparison in model.comparisons:
        level = pair[f"gamma_{comparison}"]
        weight = pair[f"weight_{comparison}"]
        label = model.labels(comparison)[level]
        if weight == 0.0 and level != 0:
            label += " (counted elsewhere)"
        names.append(f"{comparison}\n{label}")
        starts.append(total)
        heights.append(weight)
        colours.append(_FOR if weight > 0 else _AGAINST if weight < 0 else _NEUTRAL)
        total += weight
    names.append("match weight")
    starts.append(0.0)
    heights.append(pair["match_weight"])
    colours.append(_DECISION_COLOURS.get(pair["decision"], _NEUTRAL))
    positions = list(range(len(names)))
    bars = ax.bar(positions, heights, bottom=starts, color=colours)
    ax.bar_label(bars, labels=[f"{h:+.2f}" for h in heights], fontsize="small")
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_xticks(positions, names, rotation=45, ha="right", fontsize="small")
    ax.set_ylabel("match weight")
    # Room for the value labels (bar bottoms are sticky edges, so margins alone do not give it).
    ends = [*starts, *(b + h for b, h in zip(starts, heights, strict=True))]
    low, high = min(ends), max(ends)
    pad = 0.12 * ((high - low) or 1.0)
    ax.set_ylim(low - pad, high + pad)
    ax.set_title(
        f"{_cell(str(pair['id_l']))} – {_cell(str(pair['id_r']))}\n"
        f"weight {pair['match_weight']:.2f}, probability {pair['match_probability']:.4f}: "
        f"{pair['decision'].replace('_', '-')}"
    )
    return ax
