#!/usr/bin/env bash
# Runs the reference server's end-to-end tests (tests/server/test_serve.py) from the
# repo root. Needs build/native/reachlens (or $REACHLENS_CLI). Exits non-zero on failure.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
export PYTHONDONTWRITEBYTECODE=1
exec python3 -m unittest discover -s tests/server -p 'test_*.py' -v
