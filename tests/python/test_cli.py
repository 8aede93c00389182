"""The command line through the Python entry points."""

from __future__ import annotations

import subprocess
import sys

import padan
from padan import _core


def test_python_m_padan_help_exits_zero():
    done = subprocess.run(
        [sys.executable, "-m", "padan", "--help"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert "padan" in done.stdout
    assert "dedupe" in done.stdout


def test_version_matches():
    done = subprocess.run(
        [sys.executable, "-m", "padan", "--version"], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert padan.__version__ in done.stdout


def test_usage_error_exit_code():
    assert _core.run_cli(["padan", "no-such-command"]) == 2
