"""Docstring examples are tests too."""

from __future__ import annotations

import doctest
import os

import pytest

import padan
import padan.exceptions
import padan.results


@pytest.mark.parametrize("module", [padan, padan.results, padan.exceptions])
def test_docstring_examples(module, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # examples that name files resolve them here
    failures, tried = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert tried > 0
    assert failures == 0


def test_public_surface():
    assert sorted(padan.__all__) == sorted(set(padan.__all__))
    for name in padan.__all__:
        assert hasattr(padan, name), name
    for fn in (padan.dedupe, padan.synth, padan.evaluate):
        assert "Examples:" in (fn.__doc__ or "")
    assert padan.__version__ == padan._core.__version__
    assert os.path.exists(os.path.join(os.path.dirname(padan.__file__), "py.typed"))
