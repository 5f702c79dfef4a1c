#!/usr/bin/env bash
# ReachLens demo: builds the browser dashboard (scripts/build_web.sh: native CLI, demo
# tenant of 20,000 customers with seed 7, UI font, wasm app) and serves it on
# http://127.0.0.1:8080/ until Ctrl+C.
#
#   PORT=8081 bash scripts/demo.sh      another port
#   HOST=0.0.0.0 bash scripts/demo.sh   listen on every interface (PUBLIC_HOST=name: the
#                                       name other machines use, for serve.py's Host check)
#
# Uses serve.py (the reference server: the app plus the server API) when it exists
# and takes --port/--host/--data; otherwise a plain static server for build/wasm/web.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PORT="${PORT:-8080}"
HOST="${HOST:-127.0.0.1}"
WEB=build/wasm/web

say() { echo "[demo] $*"; }

bash scripts/build_web.sh

URL="http://$HOST:$PORT/"
[ "$HOST" = "0.0.0.0" ] && URL="http://127.0.0.1:$PORT/"

serve_py_ok=0
if [ -f serve.py ]; then
    help="$(python3 serve.py --help 2>/dev/null || true)"
    if grep -q -- '--port' <<<"$help" && grep -q -- '--host' <<<"$help" && grep -q -- '--data' <<<"$help"; then
        serve_py_ok=1
    fi
fi

say "ReachLens dashboard: $URL   (Ctrl+C stops the server)"
if command -v xdg-open >/dev/null 2>&1 && { [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; }; then
    ( sleep 1.5; xdg-open "$URL" >/dev/null 2>&1 || true ) &
fi

if [ "$serve_py_ok" -eq 1 ]; then
    # PUBLIC_HOST=name: a host name clients use besides the local ones (serve.py's Host check).
    say "python3 serve.py --host $HOST --port $PORT --data build/serve-data${PUBLIC_HOST:+ --public-host $PUBLIC_HOST}"
    exec python3 serve.py --host "$HOST" --port "$PORT" --data build/serve-data ${PUBLIC_HOST:+--public-host "$PUBLIC_HOST"}
fi
say "python3 -m http.server --bind $HOST --directory $WEB $PORT"
exec python3 -m http.server --bind "$HOST" --directory "$WEB" "$PORT"
