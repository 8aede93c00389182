#!/usr/bin/env bash
# Run every check and test of padan: Rust (fmt, clippy, docs, unit, integration, doc tests) and Python
# (wheel built into a virtual environment, ruff, pytest). Installs what it needs into .venv.
set -euo pipefail
cd "$(dirname "$0")/.."

venv="${PADAN_VENV:-.venv}"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
# maturin needs the environment's absolute path; PADAN_VENV may be relative or absolute.
venv="$(cd "$venv" && pwd)"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt

# Incremental caches only help repeated local builds; in a fresh checkout (CI) they are gigabytes of
# disk for nothing. Set CARGO_INCREMENTAL=1 to keep them.
export CARGO_INCREMENTAL="${CARGO_INCREMENTAL:-0}"

echo "== cargo fmt"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --all-targets --all-features --quiet -- -D warnings
echo "== cargo doc (broken doc links fail)"
RUSTDOCFLAGS="-D warnings" cargo doc --no-deps --all-features --quiet
echo "== cargo test"
cargo test --quiet
echo "== build the wheel into $venv"
VIRTUAL_ENV="$venv" "$venv/bin/maturin" develop --release --quiet
echo "== ruff"
"$venv/bin/ruff" check python tests/python benches
"$venv/bin/ruff" format --check python tests/python benches
echo "== pytest"
"$venv/bin/python" -m pytest -q
