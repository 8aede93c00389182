"""Docstring examples are tests too."""

from __future__ import annotations

import doctest
import os
import re
from pathlib import Path

import pytest

import padan
import padan.clean
import padan.exceptions
import padan.labels
import padan.linker
import padan.model
import padan.plots
import padan.results

README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.mark.parametrize(
    "module",
    [
        padan,
        padan.clean,
        padan.results,
        padan.exceptions,
        padan.model,
        padan.linker,
        padan.labels,
        padan.plots,
    ],
)
def test_docstring_examples(module, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # examples that name files resolve them here
    failures, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert tried > 0
    assert failures == 0


def test_public_surface():
    assert sorted(padan.__all__) == sorted(set(padan.__all__))
    for name in padan.__all__:
        assert hasattr(padan, name), name
    functions = (padan.normalize_name, padan.parse_nik, padan.parse_kk, padan.parse_address)
    for fn in (padan.dedupe, padan.synth, padan.evaluate, *functions):
        assert "Examples:" in (fn.__doc__ or "")
    assert padan.__version__ == padan._core.__version__
    assert os.path.exists(os.path.join(os.path.dirname(padan.__file__), "py.typed"))


def test_readme_cleaning_snippet_runs(capsys):
    """The Python example of the README's "Cleaning without deduplicating" section."""
    section = README.read_text(encoding="utf-8").split("## Cleaning without deduplicating", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert code is not None
    namespace: dict[str, object] = {}
    exec(compile(code.group(1), "README.md", "exec"), namespace)
    nik = namespace["nik"]
    assert nik.valid
    assert nik.warnings == ("regency_retired",)
    assert "9101 **** **** 0009" in capsys.readouterr().out
    clean = namespace["clean"]
    assert clean.columns == ["nik", "alamat", "valid", "birth_date", "rt", "rw"]
    assert clean["valid"].to_list() == [True, False, None]
    assert clean["rt"].to_list() == [3, 2, None]


def test_readme_notebook_snippet_runs(tmp_path, monkeypatch, capsys):
    """The example of the README's "In a notebook" section, charts drawn off screen."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    monkeypatch.chdir(tmp_path)
    section = README.read_text(encoding="utf-8").split("## In a notebook", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert code is not None
    namespace: dict[str, object] = {}
    plt.close("all")
    try:
        exec(compile(code.group(1), "README.md", "exec"), namespace)
        assert len(plt.get_fignums()) == 3  # the three charts
    finally:
        plt.close("all")
    assert namespace["f1"] > 0.9
    assert "F1 on next quarter: " in capsys.readouterr().out
    linker = namespace["linker"]
    assert linker.model == namespace["model"]
    assert (tmp_path / "model.json").read_text(encoding="utf-8") == linker.model.to_json()
