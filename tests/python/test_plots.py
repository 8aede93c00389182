"""Notebook charts: what is drawn matches the result and the model."""

from __future__ import annotations

import itertools
import math
import sys

import matplotlib
import pyarrow as pa
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.axes import Axes

import padan
from padan import plots


@pytest.fixture(scope="module")
def result() -> padan.DedupeResult:
    records, _ = padan.synth(rows=1500, seed=41)
    # Every scored pair in the pairs table, so that it holds non-matches to draw as well.
    return padan.dedupe(records, config={"pairs_min_probability": 0.0})


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _logit2(p: float) -> float:
    return math.log2(p / (1 - p))


def test_match_weight_histogram(result):
    pairs = pa.table(result.pairs)
    ax = result.plot_match_weights(bins=20)
    assert isinstance(ax, Axes)
    decisions = set(pairs["decision"].to_pylist())
    assert {"match", "non_match"} <= decisions
    # Stacked: one set of bins per decision present; every pair is counted once.
    assert len(ax.patches) == 20 * len(decisions)
    heights = sum(p.get_height() for p in ax.patches)
    # Stacked bars are drawn from their bottom; the top set alone adds up to every pair.
    tops = [p.get_y() + p.get_height() for p in ax.patches[-20:]]
    assert sum(tops) == pytest.approx(pairs.num_rows)
    assert heights == pytest.approx(pairs.num_rows)
    lines = {round(line.get_xdata()[0], 6) for line in ax.get_lines()}
    summary = result.summary
    assert round(_logit2(summary["match_threshold"]), 6) in lines
    assert round(_logit2(summary["review_threshold"]), 6) in lines
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    matched = sum(d == "match" for d in pairs["decision"].to_pylist())
    assert f"match ({matched})" in labels


def test_histogram_on_given_axes(result):
    _, ax = plt.subplots()
    assert plots.plot_match_weights(result, ax=ax) is ax


def test_level_weights_chart(result):
    model = result.model
    levels = [r for r in pa.table(model.levels_table()).to_pylist() if r["level"] != 0]
    ax = model.plot()
    assert isinstance(ax, Axes)
    assert len(ax.patches) == len(levels)
    # Top to bottom in the model's order: the first level has the highest y.
    bars = sorted(ax.patches, key=lambda p: -p.get_y())
    assert [b.get_width() for b in bars] == pytest.approx([r["weight"] for r in levels])
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert "nik: exact" in ticks


def test_m_u_chart(result):
    model = result.model
    levels = [r for r in pa.table(model.levels_table()).to_pylist() if r["level"] != 0]
    ax = plots.plot_m_u(model, kind="m_u")
    assert len(ax.patches) == 2 * len(levels)
    assert ax.get_xscale() == "log"
    widths = {round(p.get_width(), 12) for p in ax.patches}
    for r in levels:
        assert round(r["m"], 12) in widths
        assert round(r["u"], 12) in widths
    with pytest.raises(ValueError, match="kind"):
        plots.plot_m_u(model, kind="pie")


def test_waterfall(result):
    pairs = pa.table(result.pairs)
    model = result.model
    # A pair where most comparisons agree, and one that is not a match.
    for decision in ("match", "non_match"):
        index = pairs["decision"].to_pylist().index(decision)
        pair = pairs.slice(index, 1).to_pylist()[0]
        ax = result.plot_waterfall(pair["id_l"], pair["id_r"])
        bars = ax.patches
        assert len(bars) == len(model.comparisons) + 2
        assert bars[0].get_height() == pytest.approx(model.prior_weight)
        for bar, comparison in zip(bars[1:-1], model.comparisons, strict=True):
            assert bar.get_height() == pytest.approx(pair[f"weight_{comparison}"])
        # Each step starts where the previous ended, and the total is the match weight.
        for before, bar in itertools.pairwise(bars[:-1]):
            assert bar.get_y() == pytest.approx(before.get_y() + before.get_height())
        assert bars[-1].get_y() == 0
        assert bars[-1].get_height() == pytest.approx(pair["match_weight"])
        last_step = bars[-2]
        assert last_step.get_y() + last_step.get_height() == pytest.approx(pair["match_weight"])
        ticks = [t.get_text() for t in ax.get_xticklabels()]
        nik_label = model.labels("nik")[pair["gamma_nik"]]
        assert ticks[1].startswith(f"nik\n{nik_label}")
        assert ticks[0] == "prior"
        assert ticks[-1] == "match weight"
        # Either order of the ids finds the pair.
        swapped = result.plot_waterfall(pair["id_r"], pair["id_l"])
        assert swapped.patches[-1].get_height() == pytest.approx(pair["match_weight"])


def test_waterfall_of_an_unknown_pair(result):
    with pytest.raises(KeyError, match=r"not in result\.pairs"):
        result.plot_waterfall("no-such-id", "another")
    with pytest.raises(KeyError):
        result.plot_waterfall(1, 2)  # ids of another type


def test_linker_charts(result):
    linker = padan.Linker()
    records, _ = padan.synth(rows=800, seed=3)
    with pytest.raises(padan.ModelError):
        linker.plot_m_u()
    linker.predict(records)
    assert isinstance(linker.plot_match_weights(), Axes)
    assert len(linker.plot_m_u().patches) > 0
    pair = pa.table(linker.result.pairs).slice(0, 1).to_pylist()[0]
    ax = linker.plot_waterfall(pair["id_l"], pair["id_r"])
    assert ax.patches[-1].get_height() == pytest.approx(pair["match_weight"])
    # Another result can be charted through the same linker.
    ax = linker.plot_waterfall(*_first_pair(result), result=result)
    assert len(ax.patches) == len(result.model.comparisons) + 2


def _first_pair(result):
    first = pa.table(result.pairs).slice(0, 1).to_pylist()[0]
    return first["id_l"], first["id_r"]


def test_missing_matplotlib_says_how_to_install(result, monkeypatch):
    # A None entry in sys.modules makes `import matplotlib` fail as if it were not installed.
    for module in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.setitem(sys.modules, module, None)
    with pytest.raises(ImportError):
        import matplotlib.pyplot  # noqa: F401
    for draw in (
        result.plot_match_weights,
        result.model.plot,
        lambda: result.plot_waterfall(*_first_pair(result)),
        lambda: plots.plot_m_u(result.model, ax=object()),
    ):
        with pytest.raises(ImportError, match=r"pip install 'padan\[plot\]'"):
            draw()
