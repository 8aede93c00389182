"""The ``padan`` command line: ``python -m padan --help`` (the same as the ``padan`` command)."""

from __future__ import annotations

import contextlib
import signal
import sys

from padan import _core


def main() -> None:
    """Run the command-line tool with ``sys.argv`` and exit with its exit code."""
    # The CLI runs in Rust without the interpreter's attention, so Python's own SIGINT handler
    # would only fire after it returns. Restore the default so Ctrl-C stops it at once, as it
    # stops the native binary.
    with contextlib.suppress(ValueError):  # ValueError: not the main thread; leave signals be
        signal.signal(signal.SIGINT, signal.SIG_DFL)
    sys.stdout.flush()
    sys.exit(_core.run_cli(["padan", *sys.argv[1:]]))


if __name__ == "__main__":
    main()
