#!/usr/bin/env python3
"""ReachLens reference server (Python 3 standard library only).

    python3 serve.py [--port 8080] [--host 127.0.0.1] [--data ./data]
                     [--customers 20000] [--no-build] [--max-body 8388608]
                     [--token T] [--allow-origin https://admin.example.com ...]
                     [--allow-embed https://admin.example.com ...] [--public-host NAME ...]
                     [--check-timeout 30] [--cli PATH] [--static-dir DIR ...] [--quiet]

--port 0 picks a free port (the "listening on" line shows it). Tests:
bash tests/server/run.sh.

What it does (see docs/contract.md section 10 for the API contract):

* Builds what is missing: the native CLI (build/native/reachlens) with cmake, and the
  web bundle (build/wasm/web/) with scripts/build_web.sh when that script and emcmake
  exist. --no-build never builds and fails clearly when the CLI is missing.
* Generates the demo tenant once: `reachlens generate --customers N --seed 7
  --out DATA/demo`, and keeps accepted campaigns in DATA/reachlens.sqlite3.
* Serves the app: build/wasm/web/ first, then web/ (embed.js, host-demo.html), with
  gzip, ETags and no directory traversal.
* API:
    GET  /api/dataset    the demo tenant; `scheduled` = the generator's scheduled
                         campaigns followed by the accepted ones (send_time >= now)
    POST /api/campaigns  Idempotency-Key + {campaign, rules, summary, requests};
                         re-checked with one `reachlens preview --payload` run against the
                         dataset GET /api/dataset serves (the tenant's binary snapshot,
                         written once, plus `--scheduled` with the merged scheduled
                         campaigns: no JSON parse of the tenant); 201 {id, status:"accepted"}
    GET  /api/campaigns  {campaigns:[{id, campaign, status, created_at, scheduled_id}]}
    GET  /api/campaigns/<id>  one stored record, with the server's summary and requests
    POST /api/campaigns/<id>/results  reachlens.results/1 (WeCom's answers after the send):
                         reconciled by the engine, stored (replacing earlier ones);
                         201 {id, status: "stored", reconcile}; 400 invalid_results; 404 not_found
    GET  /api/campaigns/<id>/results  the results as posted (?reconcile=1: {campaign_id,
                         results, reconcile, updated_at}); 404 no_results
    POST /api/media      the file's bytes (Content-Type, X-Filename) -> 201 {media:{id, sha256,
                         bytes, content_type, name}}; stored content-addressed in DATA/media
    GET  /api/media/<id> the bytes

Decisions where the contract is open:

* Scheduled ids: an accepted campaign keeps its own `id` in `scheduled` unless that id
  is already taken (by a generator campaign or an earlier accepted one); then it becomes
  "<id>#<server id>" (e.g. "spring-sale#cmp_3f2a9b1c0d4e"). The id used is stored
  (column scheduled_id) and listed by GET /api/campaigns.
* A campaign or rules object without "format" gets the expected one
  ("reachlens.campaign/1" / "reachlens.rules/1"); a wrong format is rejected by the CLI.
* `rules` may be null/absent (preset wecom-2020), a preset name (string) or a
  reachlens.rules/1 object. `summary` and `requests` from the client are optional and
  only kept for audit: the stored summary and requests are the server's own.
* Idempotency: only 201 answers are stored. The same key with the same body (compared
  by sha256 of the canonical JSON) replays the stored answer byte for byte (header
  `Idempotent-Replayed: true`); the same key with another body is 409
  idempotency_key_reused. Submissions are re-checked and inserted under one lock, and
  the key is UNIQUE in SQLite, so concurrent or repeated posts store one row.
* Error codes: 400 invalid_json, invalid_body, missing_idempotency_key,
  invalid_idempotency_key, invalid_campaign, invalid_rules; 401 unauthorized;
  403 origin_not_allowed; 404 not_found; 405 method_not_allowed; 409
  idempotency_key_reused, campaign_exists; 411 length_required; 413 body_too_large,
  media_too_large; 422 not_submittable, media_missing, media_mismatch
  (with an extra `errors` list: the engine's [{code, message}]); 500 internal.
* Media (contract v1.1): the id is the sha256 of the bytes (64 hex digits; the request
  bodies carry "media:<id>"). Kind by declared type: image/*, video/*, anything else is a
  file; limits 10 MiB / 10 MiB / 20 MiB (the presets' *_max_bytes) -> 413 media_too_large
  from the Content-Length before any byte is read. Images and videos must be one of the
  types in MEDIA_SIGNATURES and start with its signature: 400 unsupported_media_type /
  media_type_mismatch. Uploads stream to DATA/media/tmp and are renamed into place
  (metadata, then bytes), so a failed upload leaves nothing. A submission's image, video
  or file attachment needs `media` naming an upload of its kind and size: 422
  media_missing (no id, unknown id) or media_mismatch (other kind, other byte count),
  with `pointer` (JSON pointer into the body) and `attachment` (index).
* A campaign id is accepted once: another key with the same campaign.id is 409
  campaign_exists {id: the first server id}; the same key and body still replay.
* Cross-origin: only --allow-origin origins get CORS headers (and preflights); a
  request carrying an Origin that is neither same-origin nor allowed is refused (403)
  when it is a POST.
* Hardening (issue 10; every limit in docs/limits.md):
  - Requests: a Host header naming 127.0.0.1, localhost, [::1] or a --public-host name
    (else 421 host_not_allowed: DNS rebinding); bodies read by _read_body (plain-digit
    Content-Length, strict chunked framing, --max-body, never both framings) and, for
    JSON endpoints, _read_json_body (415 unless application/json); numbers must be finite.
  - Every error is JSON (_error; send_error for the standard library's own 400/414/431/
    501). Error messages are one line (one_line: control characters escaped, cut at
    2,000 bytes); the access log has no query strings.
  - The re-check runs under --check-timeout (503 check_timeout, nothing stored); a campaign
    the scheduled ones leave no room for (the engine's scheduled-work limit) is 422
    scheduled_work_limit.
  - Static files: realpath containment (no symlink out of a root), regular files only.
  - Embedding: GET /reachlens-embed.json lists the --allow-embed origins (web/host.js takes
    a ?host= only from that list); index.html gets a Content-Security-Policy with
    'wasm-unsafe-eval' and frame-ancestors 'self' + those origins; every answer gets
    X-Content-Type-Options: nosniff; HTML gets X-Frame-Options: SAMEORIGIN unless an
    allowlist names other origins.
"""

import argparse
import hashlib
import hmac
import http.server
import json
import math
import mmap
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import zlib
from urllib.parse import parse_qs, quote, unquote, urlsplit

ROOT = os.path.dirname(os.path.abspath(__file__))
DEMO_SEED = 7
DEFAULT_PRESET = "wecom-2020"
CAMPAIGN_FORMAT = "reachlens.campaign/1"
RULES_FORMAT = "reachlens.rules/1"
ALLOWED_APIS = ("externalcontact/add_moment_task", "externalcontact/add_msg_template")
IDEMPOTENCY_KEY_RE = re.compile(r"^[A-Za-z0-9._:\-]{1,200}$")
PRESET_NAME_RE = re.compile(r"^[A-Za-z0-9._\-]{1,100}$")
CLI_TIMEOUT = 300               # generate / self-check runs
CHECK_TIMEOUT = 30              # default --check-timeout: one submission's re-check
LISTEN_BACKLOG = 1024           # a burst of connections waits instead of being reset
ERROR_LINE_MAX = 2000           # bytes of one error message (core/input_limits.h kErrorLineMaxBytes)
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")
# The module page's policy (web/index.html, --allow-embed adds frame-ancestors and
# connect-src). Emscripten 3.1.6's output needs no eval: 'wasm-unsafe-eval' lets it
# compile the wasm module, nothing more (tests/browser/hardening.test.mjs checks the page
# runs with no violation). worker-src: the dataset worker (web/dataset-worker.js), same origin only.
MODULE_CSP = ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; worker-src 'self'; style-src 'self' 'unsafe-inline'; "
              "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'%(connect)s; "
              "frame-ancestors 'self'%(ancestors)s; object-src 'none'; base-uri 'none'; form-action 'none'")
# The page the server answers for the module's embedding allowlist (web/host.js reads it
# before it accepts a ?host= origin).
EMBED_CONFIG_PATH = "/reachlens-embed.json"

MIME_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".htm": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".csv": "text/csv; charset=utf-8",
    ".map": "application/json; charset=utf-8",
    ".svg": "image/svg+xml",
    ".wasm": "application/wasm",
    ".otf": "font/otf",
    ".ttf": "font/ttf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".ico": "image/x-icon",
    ".webp": "image/webp",
    ".data": "application/octet-stream",
}
# Worth gzipping: text, wasm and uncompressed fonts. (woff2, png, jpg are compressed.)
COMPRESSIBLE = {".html", ".htm", ".js", ".mjs", ".json", ".css", ".txt", ".csv", ".map",
                ".svg", ".wasm", ".otf", ".ttf", ".data", ".ico"}
GZIP_MIN_BYTES = 256
GZIP_CACHE_MAX_FILE = 64 * 1024 * 1024


def say(msg):
    print("[serve] " + msg, flush=True)


def warn(msg):
    print("[serve] warning: " + msg, file=sys.stderr, flush=True)


def die(msg):
    print("[serve] ERROR: " + msg, file=sys.stderr, flush=True)
    sys.exit(1)


def rel(path):
    try:
        r = os.path.relpath(path)
        return r if not r.startswith("..") else path
    except ValueError:
        return path


# --------------------------------------------------------------------------- JSON

class BodyError(Exception):
    """A client error: HTTP status, error code, message."""

    def __init__(self, status, code, message, extra=None):
        super().__init__(message)
        self.status, self.code, self.message, self.extra = status, code, message, extra


def _no_duplicate_keys(pairs):
    obj = {}
    for k, v in pairs:
        if k in obj:
            raise ValueError("duplicate key %s" % json.dumps(k, ensure_ascii=False))
        obj[k] = v
    return obj


def _no_constants(name):
    raise ValueError("%s is not valid JSON" % name)


def _finite_float(text):
    value = float(text)
    if not math.isfinite(value):  # 1e400: JSON allows it, but it is no number we can store
        raise ValueError("the number %s is out of range" % one_line(text, 40))
    return value


_CONTROL_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def one_line(text, limit=ERROR_LINE_MAX):
    """An error message as one line: control characters escaped (\\n, \\u001b), cut at
    `limit` UTF-8 bytes with an ellipsis (never inside a character)."""
    out = []
    size = 0
    for ch in str(text):
        if ch in _CONTROL_ESCAPES:
            ch = _CONTROL_ESCAPES[ch]
        elif ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 or ch in "\u2028\u2029":
            ch = "\\u%04X" % ord(ch)
        n = len(ch.encode("utf-8", "surrogatepass"))
        if size + n > limit:
            out.append("\u2026")
            break
        out.append(ch)
        size += n
    return "".join(out)


def parse_json_strict(raw):
    """Parses request bytes: UTF-8 (a leading BOM is skipped), no duplicate keys, no
    NaN/Infinity, no lone surrogates. Raises BodyError(400, invalid_json)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise BodyError(400, "invalid_json", "body is not valid UTF-8 (byte %d)" % e.start)
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        obj = json.loads(text, object_pairs_hook=_no_duplicate_keys, parse_constant=_no_constants,
                         parse_float=_finite_float)
    except RecursionError:
        raise BodyError(400, "invalid_json", "body is nested too deeply")
    except ValueError as e:
        raise BodyError(400, "invalid_json", "body is not valid JSON: %s" % e)
    try:
        json.dumps(obj, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise BodyError(400, "invalid_json", "body contains a lone surrogate escape")
    return obj


def dumps_compact(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def canonical_sha256(obj):
    text = json.dumps(obj, ensure_ascii=True, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("ascii")).hexdigest()


def is_int(v):
    return isinstance(v, int) and not isinstance(v, bool)


# --------------------------------------------------------------------------- build

def ensure_cli(args):
    cli = os.path.abspath(args.cli) if args.cli else os.path.join(ROOT, "build", "native", "reachlens")
    if os.path.isfile(cli) and os.access(cli, os.X_OK):
        say("native CLI: %s" % rel(cli))
        return cli
    if args.cli or args.no_build:
        die("the native CLI %s is missing. Build it with\n"
            "    cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release && "
            "cmake --build build/native -j2 --target reachlens\n"
            "or run serve.py without --no-build." % rel(cli))
    if not shutil.which("cmake"):
        die("the native CLI %s is missing and cmake is not installed (run: bash scripts/setup.sh)" % rel(cli))
    build_dir = os.path.join(ROOT, "build", "native")
    os.makedirs(build_dir, exist_ok=True)
    log_path = os.path.join(build_dir, "serve-build.log")
    steps = [
        ("configure", ["cmake", "-S", ROOT, "-B", build_dir, "-DCMAKE_BUILD_TYPE=Release"]),
        ("build (about 1-2 minutes)", ["cmake", "--build", build_dir, "-j2", "--target", "reachlens"]),
    ]
    with open(log_path, "w") as log:
        for name, cmd in steps:
            say("native CLI missing: %s: %s" % (name, " ".join(cmd)))
            t0 = time.time()
            rc = subprocess.call(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
            log.flush()
            if rc != 0:
                with open(log_path, errors="replace") as f:
                    tail = f.readlines()[-60:]
                sys.stderr.write("".join(tail))
                die("native %s failed (exit %d); full log: %s" % (name, rc, rel(log_path)))
            say("  done in %.0fs" % (time.time() - t0))
    if not os.access(cli, os.X_OK):
        die("the build finished but %s is still missing" % rel(cli))
    return cli


def ensure_web(args):
    web_build = os.path.join(ROOT, "build", "wasm", "web")
    script = os.path.join(ROOT, "scripts", "build_web.sh")
    if os.path.isfile(os.path.join(web_build, "index.html")):
        say("web app: %s (then web/)" % rel(web_build))
        return
    if args.no_build:
        say("web app: no build/wasm/web/index.html (--no-build): serving what exists")
        return
    if not os.path.isfile(script):
        say("web app: no build/wasm/web/ and no scripts/build_web.sh: serving web/ only")
        return
    if not shutil.which("emcmake"):
        say("web app: no build/wasm/web/ and emcmake is not installed: serving web/ only")
        return
    os.makedirs(args.data, exist_ok=True)
    log_path = os.path.join(args.data, "build_web.log")
    say("web app missing: bash scripts/build_web.sh (can take a few minutes; log: %s)" % rel(log_path))
    t0 = time.time()
    with open(log_path, "w") as log:
        rc = subprocess.call(["bash", script], cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    if rc != 0:
        with open(log_path, errors="replace") as f:
            sys.stderr.write("".join(f.readlines()[-40:]))
        warn("scripts/build_web.sh failed (exit %d, log %s): serving what exists" % (rc, rel(log_path)))
    else:
        say("  web app built in %.0fs" % (time.time() - t0))


def ensure_demo(cli, data_dir, customers):
    demo = os.path.join(data_dir, "demo")
    dataset = os.path.join(demo, "dataset.json")
    if os.path.isfile(dataset):
        say("demo tenant: %s (delete %s to regenerate)" % (rel(dataset), rel(demo)))
        return demo
    tmp = demo + ".tmp-%d" % os.getpid()
    shutil.rmtree(tmp, ignore_errors=True)
    cmd = [cli, "generate", "--customers", str(customers), "--seed", str(DEMO_SEED), "--out", tmp]
    say("generating the demo tenant: reachlens generate --customers %d --seed %d --out %s"
        % (customers, DEMO_SEED, rel(demo)))
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        shutil.rmtree(tmp, ignore_errors=True)
        die("reachlens generate failed (exit %d): %s" % (r.returncode, (r.stderr or r.stdout).strip()))
    shutil.rmtree(demo, ignore_errors=True)
    os.replace(tmp, demo)
    for line in (r.stdout + r.stderr).splitlines():
        if line.startswith("wrote "):
            say("  " + line.replace(tmp, demo))
    return demo


# --------------------------------------------------------------------------- storage

SCHEMA = """
CREATE TABLE IF NOT EXISTS campaigns (
    id                   TEXT PRIMARY KEY,
    idempotency_key      TEXT NOT NULL UNIQUE,
    body_sha256          TEXT NOT NULL,
    campaign_json        TEXT NOT NULL,
    rules_json           TEXT NOT NULL,
    summary_json         TEXT NOT NULL,
    requests_json        TEXT NOT NULL,
    client_summary_json  TEXT,
    client_requests_json TEXT,
    scheduled_id         TEXT NOT NULL,
    status               TEXT NOT NULL,
    response_json        TEXT NOT NULL,
    created_at           INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS campaigns_created ON campaigns(created_at);
"""


class Store:
    """One SQLite connection in WAL mode, serialized by a lock."""

    def __init__(self, path):
        self.path = path
        self.lock = threading.Lock()
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
        self.db.row_factory = sqlite3.Row
        with self.lock:
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA busy_timeout=30000")
            self.db.executescript(SCHEMA)

    def by_key(self, key):
        with self.lock:
            return self.db.execute("SELECT * FROM campaigns WHERE idempotency_key = ?", (key,)).fetchone()

    def by_id(self, cid):
        with self.lock:
            return self.db.execute("SELECT * FROM campaigns WHERE id = ?", (cid,)).fetchone()

    def insert(self, row):
        cols = sorted(row)
        sql = "INSERT INTO campaigns (%s) VALUES (%s)" % (", ".join(cols), ", ".join("?" * len(cols)))
        with self.lock:
            self.db.execute(sql, [row[c] for c in cols])

    def accepted_with_campaign_id(self, campaign_id):
        """The accepted row whose campaign has this `id` (contract: a campaign id is accepted once)."""
        with self.lock:
            return self.db.execute(
                "SELECT id FROM campaigns WHERE status = 'accepted' AND json_extract(campaign_json, '$.id') = ? "
                "ORDER BY created_at, rowid LIMIT 1", (campaign_id,)).fetchone()

    def accepted(self):
        with self.lock:
            return self.db.execute(
                "SELECT id, campaign_json, scheduled_id FROM campaigns WHERE status = 'accepted' "
                "ORDER BY created_at, rowid").fetchall()

    def listing(self):
        with self.lock:
            return self.db.execute(
                "SELECT id, campaign_json, status, created_at, scheduled_id FROM campaigns "
                "ORDER BY created_at DESC, rowid DESC").fetchall()

    def count(self):
        with self.lock:
            return self.db.execute("SELECT COUNT(*) FROM campaigns").fetchone()[0]

    def close(self):
        with self.lock:
            self.db.close()


# JSON strings (for counting brackets outside them); the file was checked strictly by
# `reachlens snapshot` before these run, so they only ever see valid JSON.
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"')
_SCAN_CHUNK = 8 * 1024 * 1024


def _bracket_balance(buf, lo, hi):
    """Opening minus closing brackets outside strings in buf[lo:hi] (lo and hi outside
    strings). Cut at newlines (never inside a JSON string) into chunks; a chunk without a
    backslash has no escaped quote, so splitting at '"' keeps its outside parts (fast)."""
    total = 0
    while lo < hi:
        cut = buf.find(b"\n", min(lo + _SCAN_CHUNK, hi), hi)
        cut = hi if cut < 0 else cut + 1
        chunk = buf[lo:cut]
        if b"\\" in chunk:
            outside = _JSON_STRING.sub(b"", chunk)
        else:
            outside = b"".join(chunk.split(b'"')[0::2])
        del chunk
        total += outside.count(b"{") + outside.count(b"[") - outside.count(b"}") - outside.count(b"]")
        lo = cut
    return total


def _value_end(buf, start):
    """(value, end offset) of the JSON value at buf[start:], decoding a window that doubles
    until the value fits in it: the top-level values looked up (`now`, `scheduled`) are small."""
    width = 1 << 16
    decoder = json.JSONDecoder()
    while True:
        text = bytes(buf[start:start + width]).decode("utf-8", "ignore")
        try:
            value, end = decoder.raw_decode(text)
            return value, start + len(text[:end].encode("utf-8"))
        except json.JSONDecodeError:
            if start + width >= len(buf):
                raise
            width *= 4


def top_level_member(buf, key):
    """(key offset, value offset) of the top-level object's member `key` in the valid JSON
    document buf, without building the document, or None. A '"key"' whose quote follows an
    even run of backslashes is a string token (in valid JSON nothing else can be), a key
    when ':' follows; it is the top level's when one bracket is open before it, counted on
    the shorter side of it (the whole document balances): `scheduled` is last in generated
    tenants, so its check reads only its own few bytes."""
    needle = b'"' + key.encode("utf-8") + b'"'
    size = len(buf)
    at = buf.find(needle)
    while at >= 0:
        slashes = 0
        while at - slashes > 0 and buf[at - slashes - 1] == 0x5C:
            slashes += 1
        colon = at + len(needle)
        while colon < size and buf[colon] in b" \t\r\n":
            colon += 1
        if slashes % 2 == 0 and colon < size and buf[colon] == 0x3A:
            if at <= size - at:
                top = _bracket_balance(buf, 0, at) == 1
            else:
                top = _bracket_balance(buf, at, size) == -1
            if top:
                value = colon + 1
                while buf[value] in b" \t\r\n":
                    value += 1
                return at, value
        at = buf.find(needle, at + 1)
    return None


class Snapshot:
    """One version of the merged dataset: the file's bytes with the `scheduled` value
    replaced (head + scheduled + rest: what GET /api/dataset serves; head and rest are views
    of the memory-mapped file), the engine's view of it (the tenant's binary snapshot
    `tenant` plus the scheduled campaigns' file `path`), lazy gzip."""

    def __init__(self, version, parts, etag, path, scheduled_ids, gz_head_of, tenant, scheduled_id_of=None):
        self.version = version
        # server id -> the id the accepted campaign has in `scheduled` (renamed when taken)
        self.scheduled_id_of = scheduled_id_of or {}
        self.parts = parts
        self.path = path
        self.tenant = tenant
        self.scheduled_ids = scheduled_ids
        self.length = sum(len(p) for p in parts)
        self.etag = etag
        self._gz_head_of = gz_head_of
        self._gz = None
        self._gz_lock = threading.Lock()

    def gzipped(self):
        with self._gz_lock:
            if self._gz is None:
                gz_head, state = self._gz_head_of()
                comp = state.copy()
                self._gz = gz_head + b"".join(comp.compress(p) for p in self.parts[1:]) + comp.flush()
            return self._gz


class DatasetStore:
    """The demo tenant with `scheduled` replaced by the generator's scheduled campaigns
    plus the accepted ones. The file stays memory-mapped and is served as it is around
    its `scheduled` value (never held as Python objects: 1M customers are 1.6 GB of JSON);
    the part before it is gzip-compressed once, on the first gzip request; a new accepted
    campaign only rebuilds the small scheduled part."""

    def __init__(self, demo_dataset, cache_dir, store, cli):
        self.store = store
        self.cache_dir = cache_dir
        os.makedirs(cache_dir, exist_ok=True)
        for name in os.listdir(cache_dir):
            if (name.startswith("merged-") or name.startswith("scheduled-")) and name.endswith(".json"):
                try:
                    os.unlink(os.path.join(cache_dir, name))
                except OSError:
                    pass
        # `reachlens snapshot` parses the whole file strictly (format, types, duplicate
        # keys, constants, UTF-8) and refuses it with the JSON pointer of the fault; the
        # byte scans below rely on that and only ever see a valid dataset.
        self.tenant = self._tenant_snapshot(cli, demo_dataset)
        with open(demo_dataset, "rb") as f:
            self.file = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) if os.fstat(f.fileno()).st_size else b""
        data = memoryview(self.file)
        now = top_level_member(self.file, "now")
        self.now = _value_end(data, now[1])[0] if now else None
        if not is_int(self.now):
            die("%s: `now` is not an integer" % rel(demo_dataset))
        member = top_level_member(self.file, "scheduled")
        if member:
            base, end = _value_end(data, member[1])
            self.head, self.rest, self.scheduled_key = data[:member[1]], data[end:], b""
        else:
            close = self.file.rfind(b"}")
            base = None
            self.head, self.rest, self.scheduled_key = data[:close], data[close:], b',"scheduled":'
        base = base if isinstance(base, list) else []
        self.base_scheduled = [c for c in base if isinstance(c, dict)]
        self.base_ids = {c.get("id") for c in self.base_scheduled}
        st = os.stat(demo_dataset)
        self.file_identity = b"%d-%d" % (st.st_size, st.st_mtime_ns)
        self.gz_head = None
        self.gz_lock = threading.Lock()
        self.lock = threading.Lock()
        self.version = 0
        self.snap = None

    def gz_head_of(self):
        """The gzip of the part before `scheduled` and the compressor's state after it,
        computed once (1M customers: a minute of CPU, so not at start)."""
        with self.gz_lock:
            if self.gz_head is None:
                comp = zlib.compressobj(6, zlib.DEFLATED, 31)  # wbits 31 = gzip framing
                out = []
                for at in range(0, len(self.head), _SCAN_CHUNK):
                    out.append(comp.compress(self.head[at:at + _SCAN_CHUNK]))
                self.gz_head = (b"".join(out), comp)
            return self.gz_head

    def _tenant_snapshot(self, cli, demo_dataset):
        """The demo tenant as a binary snapshot (docs/snapshot.md), written once per
        dataset.json: a re-check maps it instead of parsing the JSON (1M customers:
        1.6 GB of JSON). The scheduled campaigns go beside it (--scheduled). Keyed by the
        reachlens build too: a new build may write another snapshot version."""
        st = os.stat(demo_dataset)
        cli_st = os.stat(cli)
        path = os.path.join(self.cache_dir, "tenant-%d-%d-%d.rlsnap" % (st.st_size, st.st_mtime_ns, cli_st.st_mtime_ns))
        if not os.path.exists(path):
            for name in os.listdir(self.cache_dir):
                if name.startswith("tenant-") and name.endswith(".rlsnap"):
                    try:
                        os.unlink(os.path.join(self.cache_dir, name))
                    except OSError:
                        pass
            say("writing the tenant snapshot %s" % rel(path))
            r = subprocess.run([cli, "snapshot", "--dataset", demo_dataset, "--out", path], capture_output=True)
            if r.returncode != 0:
                die("reachlens snapshot failed (exit %d): %s" % (r.returncode, r.stderr.decode("utf-8", "replace").strip()))
        return path

    def invalidate(self):
        with self.lock:
            self.snap = None

    def snapshot(self):
        with self.lock:
            if self.snap is None:
                self.snap = self._build()
            return self.snap

    def _build(self):
        merged = list(self.base_scheduled)
        ids = set(self.base_ids)
        scheduled_id_of = {}
        for row in self.store.accepted():
            c = json.loads(row["campaign_json"])
            c.pop("format", None)
            if not is_int(c.get("send_time")):
                c["send_time"] = self.now
            if c["send_time"] < self.now:
                continue
            sid = row["scheduled_id"]
            if sid in ids:  # e.g. the demo was regenerated with other ids
                sid = "%s#%s" % (sid, row["id"])
            c["id"] = sid
            ids.add(sid)
            scheduled_id_of[row["id"]] = sid
            merged.append(c)
        scheduled = dumps_compact(merged).encode("utf-8")
        self.version += 1
        # Only the scheduled campaigns are written: the engine reads the tenant's snapshot.
        path = os.path.join(self.cache_dir, "scheduled-%d.json" % self.version)
        tmp = path + ".tmp"
        with open(tmp, "wb") as f:
            f.write(scheduled)
        os.replace(tmp, path)
        # A CLI that still reads the previous file keeps its open inode.
        prev = os.path.join(self.cache_dir, "scheduled-%d.json" % (self.version - 1))
        if os.path.exists(prev):
            try:
                os.unlink(prev)
            except OSError:
                pass
        served = self.scheduled_key + scheduled
        etag = '"ds-%s"' % hashlib.sha256(self.file_identity + b"\0" + served).hexdigest()[:16]
        return Snapshot(self.version, [self.head, served, self.rest], etag, path, ids, self.gz_head_of, self.tenant,
                        scheduled_id_of)


# --------------------------------------------------------------------------- results

RESULTS_FORMAT = "reachlens.results/1"
RESULTS_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    campaign_id     TEXT PRIMARY KEY,
    results_json    TEXT NOT NULL,
    reconcile_json  TEXT NOT NULL,
    updated_at      INTEGER NOT NULL
);
"""


def results_put(store, cid, results_json, reconcile_json):
    with store.lock:
        store.db.executescript(RESULTS_SCHEMA)
        store.db.execute("INSERT OR REPLACE INTO results (campaign_id, results_json, reconcile_json, updated_at) "
                         "VALUES (?, ?, ?, ?)", (cid, results_json, reconcile_json, int(time.time())))


def results_get(store, cid):
    """{campaign_id, results, reconcile, updated_at} of campaign `cid`, or None."""
    with store.lock:
        store.db.executescript(RESULTS_SCHEMA)
        r = store.db.execute("SELECT * FROM results WHERE campaign_id = ?", (cid,)).fetchone()
    if r is None:
        return None
    return {"campaign_id": cid, "results": json.loads(r["results_json"]),
            "reconcile": json.loads(r["reconcile_json"]), "updated_at": r["updated_at"]}


# --------------------------------------------------------------------------- media

# Contract section 2 (POST /api/media) with the section-3 limits of each kind.
MEDIA_LIMITS = {"image": 10 * 1024 * 1024, "video": 10 * 1024 * 1024, "file": 20 * 1024 * 1024}
MEDIA_ID_RE = re.compile(r"^[0-9a-f]{64}$")
MEDIA_KINDS_OF_ATTACHMENT = ("image", "video", "file")
MEDIA_FILENAME_MAX_BYTES = 255
MEDIA_SNIFF_BYTES = 16


def media_kind(content_type):
    """image / video / file, from the declared Content-Type."""
    major = content_type.split("/", 1)[0]
    return major if major in ("image", "video") else "file"


def _is_iso_bmff(head):  # MP4, MOV, 3GP: a box whose type is ftyp (or an old QuickTime atom)
    return head[4:8] in (b"ftyp", b"moov", b"mdat", b"wide", b"free", b"skip")


# Declared type -> test of the leading bytes. Images and videos of another type are
# refused (WeCom takes JPG/PNG images and MP4 videos; the common browser formats are
# kept so a marketer's GIF or WebM gets the engine's own message rather than ours).
MEDIA_SIGNATURES = {
    "image/jpeg": lambda h: h[:3] == b"\xff\xd8\xff",
    "image/png": lambda h: h[:8] == b"\x89PNG\r\n\x1a\n",
    "image/gif": lambda h: h[:6] in (b"GIF87a", b"GIF89a"),
    "image/webp": lambda h: h[:4] == b"RIFF" and h[8:12] == b"WEBP",
    "image/bmp": lambda h: h[:2] == b"BM",
    "video/mp4": _is_iso_bmff,
    "video/quicktime": _is_iso_bmff,
    "video/x-m4v": _is_iso_bmff,
    "video/3gpp": _is_iso_bmff,
    "video/webm": lambda h: h[:4] == b"\x1aE\xdf\xa3",
    "video/x-matroska": lambda h: h[:4] == b"\x1aE\xdf\xa3",
}
MEDIA_TYPE_ALIASES = {"image/jpg": "image/jpeg", "image/pjpeg": "image/jpeg"}


def media_content_type(header):
    """The declared type, lower-case and without parameters; raises BodyError."""
    ct = (header or "").split(";", 1)[0].strip().lower()
    if not re.match(r"^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$", ct):
        raise BodyError(400, "invalid_content_type",
                        "a Content-Type like image/jpeg, video/mp4 or application/pdf is required")
    return MEDIA_TYPE_ALIASES.get(ct, ct)


def media_filename(header):
    """X-Filename, percent-decoded UTF-8; raises BodyError."""
    if not header:
        raise BodyError(400, "missing_filename", "the X-Filename header (the percent-encoded file name) is required")
    try:
        name = unquote(header, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise BodyError(400, "invalid_filename", "X-Filename is not percent-encoded UTF-8")
    if (not name.strip() or len(name.encode("utf-8")) > MEDIA_FILENAME_MAX_BYTES
            or any(ord(ch) < 32 or ord(ch) == 127 for ch in name) or "/" in name or "\\" in name):
        raise BodyError(400, "invalid_filename",
                        "X-Filename must be a file name of 1-%d UTF-8 bytes without / \\ or control characters"
                        % MEDIA_FILENAME_MAX_BYTES)
    return name


def check_media_signature(content_type, head):
    """Images and videos must start like their declared type (contract: 400 otherwise)."""
    kind = media_kind(content_type)
    if kind == "file":
        return
    test = MEDIA_SIGNATURES.get(content_type)
    if test is None:
        raise BodyError(400, "unsupported_media_type", "%s is not a supported %s type (supported: %s)" % (
            content_type, kind, ", ".join(t for t in MEDIA_SIGNATURES if t.startswith(kind + "/"))))
    if not test(head):
        raise BodyError(400, "media_type_mismatch",
                        "the file's leading bytes are not those of %s" % content_type)


class MediaStore:
    """Uploaded files, content-addressed: DATA/media/<sha256> (the bytes) and
    <sha256>.json (type, size, first name). Both are written to a temporary file and
    renamed, metadata first, so a reader sees a medium whole or not at all; an upload
    that fails leaves nothing behind."""

    def __init__(self, folder):
        self.folder = folder
        self.tmp = os.path.join(folder, "tmp")
        os.makedirs(self.tmp, exist_ok=True)
        for name in os.listdir(self.tmp):  # left by a crash mid-upload
            try:
                os.unlink(os.path.join(self.tmp, name))
            except OSError:
                pass

    def _paths(self, media_id):
        blob = os.path.join(self.folder, media_id)
        return blob, blob + ".json"

    def get(self, media_id):
        """The metadata of an uploaded medium, or None."""
        if not isinstance(media_id, str) or not MEDIA_ID_RE.match(media_id):
            return None
        blob, meta = self._paths(media_id)
        try:
            with open(meta, "rb") as f:
                info = json.loads(f.read().decode("utf-8"))
            if os.path.getsize(blob) != info.get("bytes"):
                return None
        except (OSError, ValueError):
            return None
        return info

    def blob_path(self, media_id):
        return self._paths(media_id)[0]

    def put(self, read_chunk, length, content_type, name):
        """Streams `length` bytes from read_chunk(n) into the store. Returns the
        metadata (with this upload's name). Raises BodyError; never leaves a partial file."""
        fd, tmp_path = tempfile.mkstemp(dir=self.tmp, prefix="upload-")
        try:
            digest = hashlib.sha256()
            got = 0
            head = b""
            with os.fdopen(fd, "wb") as out:
                while got < length:
                    chunk = read_chunk(min(1 << 20, length - got))
                    if not chunk:
                        raise BodyError(400, "invalid_body", "the upload ended after %d of %d bytes" % (got, length))
                    if len(head) < MEDIA_SNIFF_BYTES:
                        head = (head + chunk)[:MEDIA_SNIFF_BYTES]
                        if len(head) == MEDIA_SNIFF_BYTES or got + len(chunk) == length:
                            check_media_signature(content_type, head)
                    digest.update(chunk)
                    out.write(chunk)
                    got += len(chunk)
                if length == 0:
                    check_media_signature(content_type, b"")
                out.flush()
                os.fsync(out.fileno())
            media_id = digest.hexdigest()
            blob, meta = self._paths(media_id)
            info = self.get(media_id)
            if info is None:
                info = {"id": media_id, "sha256": media_id, "bytes": length, "content_type": content_type,
                        "name": name, "created_at": int(time.time())}
                meta_tmp = tmp_path + ".json"
                with open(meta_tmp, "wb") as f:
                    f.write(dumps_compact(info).encode("utf-8"))
                    f.flush()
                    os.fsync(f.fileno())
                os.replace(meta_tmp, meta)
                os.replace(tmp_path, blob)
            return dict(info, name=name)
        finally:
            for leftover in (tmp_path, tmp_path + ".json"):
                try:
                    os.unlink(leftover)
                except OSError:
                    pass


def check_attachments_uploaded(campaign, media):
    """Every image, video and file attachment must name an uploaded medium of its kind
    and size (contract: 422 media_missing naming the attachment). Raises BodyError."""
    content = campaign.get("content")
    atts = content.get("attachments") if isinstance(content, dict) else None
    if not isinstance(atts, list):
        return
    for i, att in enumerate(atts):
        if not isinstance(att, dict):
            continue
        kind = att.get("msgtype")
        body = att.get(kind) if kind in MEDIA_KINDS_OF_ATTACHMENT else None
        if not isinstance(body, dict):
            continue  # not a medium, or malformed: the engine's re-check names it
        pointer = "/campaign/content/attachments/%d/%s" % (i, kind)
        label = "attachment %d (%s %s)" % (i + 1, kind, json.dumps(body.get("name"), ensure_ascii=False))
        media_id = body.get("media")
        if media_id is None:
            raise BodyError(422, "media_missing", "%s was not uploaded: it has no `media` id" % label,
                            {"pointer": pointer + "/media", "attachment": i})
        info = media.get(media_id)
        if info is None:
            raise BodyError(422, "media_missing", "%s names media %s, which this server does not have"
                            % (label, json.dumps(media_id)), {"pointer": pointer + "/media", "attachment": i})
        if kind != "file" and media_kind(info["content_type"]) != kind:
            raise BodyError(422, "media_mismatch", "%s names a %s upload (%s)" % (label, media_kind(info["content_type"]),
                            info["content_type"]), {"pointer": pointer + "/media", "attachment": i})
        if body.get("bytes") != info["bytes"]:
            raise BodyError(422, "media_mismatch", "%s says %s bytes; the upload has %d"
                            % (label, json.dumps(body.get("bytes")), info["bytes"]),
                            {"pointer": pointer + "/bytes", "attachment": i})


# --------------------------------------------------------------------------- engine

class Engine:
    TIMED_OUT = -1000  # rc of a run killed at its time limit

    def __init__(self, cli, tmp_root):
        self.cli = cli
        self.tmp_root = tmp_root
        os.makedirs(tmp_root, exist_ok=True)

    def run(self, verb, dataset_path, campaign, rules, want_requests=False, scheduled_path=None,
            timeout=CLI_TIMEOUT, inputs=None, flags=None):
        """Runs `reachlens <verb>`; returns (rc, stdout, stderr_line, requests_bytes).
        With want_requests, the same run also writes the WeCom request bodies
        (`preview --payload`), so a submission is simulated once, not twice.
        `inputs` maps more flags to bytes, each passed as a file named `<flag>.json`;
        `flags` maps more flags to their text values.
        After `timeout` seconds the CLI is killed and rc is TIMED_OUT."""
        tmp = tempfile.mkdtemp(prefix="check-", dir=self.tmp_root)
        try:
            cpath = os.path.join(tmp, "campaign.json")
            with open(cpath, "w", encoding="ascii") as f:
                json.dump(campaign, f, ensure_ascii=True)
            cmd = [self.cli, verb, "--dataset", dataset_path, "--campaign", cpath]
            if scheduled_path:
                cmd += ["--scheduled", scheduled_path]
            if isinstance(rules, dict):
                rpath = os.path.join(tmp, "rules.json")
                with open(rpath, "w", encoding="ascii") as f:
                    json.dump(rules, f, ensure_ascii=True)
                cmd += ["--rules", rpath]
            else:
                cmd += ["--preset", rules]
            for flag, data in (inputs or {}).items():
                ipath = os.path.join(tmp, flag + ".json")
                with open(ipath, "wb") as f:
                    f.write(data)
                cmd += ["--" + flag, ipath]
            for flag, value in (flags or {}).items():
                cmd += ["--" + flag, value]
            qpath = os.path.join(tmp, "requests.json")
            if want_requests:
                cmd += ["--payload", qpath]
            t0 = time.monotonic()
            try:
                r = subprocess.run(cmd, capture_output=True, timeout=timeout)
            except subprocess.TimeoutExpired:
                r = None
            # Measured from the start: a run that ended before run() began waiting for it
            # (a loaded machine) still took what it took.
            if r is None or time.monotonic() - t0 > timeout:
                return (self.TIMED_OUT, b"", "the engine did not finish within %gs" % timeout, None)
            err = r.stderr.decode("utf-8", "replace").strip()
            first = err.splitlines()[0] if err else ""
            first = one_line(first.replace(tmp + os.sep, ""))
            requests = None
            if want_requests and r.returncode == 0 and os.path.exists(qpath):
                with open(qpath, "rb") as f:
                    requests = f.read()
            return (r.returncode, r.stdout, first, requests)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


def classify_cli_error(line, snap):
    """Maps the CLI's one-line input error to (status, code)."""
    if "units of work" in line and line.startswith("error: campaign.json"):
        # A valid campaign the scheduled ones leave no room for (core/input_limits.h).
        return 422, "scheduled_work_limit"
    if snap.tenant in line or snap.path in line or line.startswith("error: merged-"):
        return 500, "internal"
    if line.startswith("error: rules.json") or "rules preset" in line:
        return 400, "invalid_rules"
    if line.startswith("error: campaign.json"):
        return 400, "invalid_campaign"
    return 400, "invalid_campaign"


# --------------------------------------------------------------------------- app

class App:
    def __init__(self, args, cli, demo_dir):
        self.args = args
        self.data = args.data
        self.store = Store(os.path.join(self.data, "reachlens.sqlite3"))
        self.datasets = DatasetStore(os.path.join(demo_dir, "dataset.json"),
                                     os.path.join(self.data, "cache"), self.store, cli)
        self.engine = Engine(cli, os.path.join(self.data, "tmp"))
        self.media = MediaStore(os.path.join(self.data, "media"))
        self.submit_lock = threading.Lock()
        self.static_roots = [os.path.abspath(d) for d in (args.static_dir or [])] + [
            os.path.join(ROOT, "build", "wasm", "web"), os.path.join(ROOT, "web")]
        self.gz_cache = {}
        self.gz_lock = threading.Lock()
        self.allow_origins = set(o.rstrip("/") for o in (args.allow_origin or []))
        self.allow_embed = sorted(set(o.rstrip("/") for o in (args.allow_embed or [])))
        # The names this server answers to: local ones, --public-host names and the address
        # it listens on when that is a specific one (--host 192.168.1.5).
        self.public_hosts = set(LOCAL_HOSTS) | set(h.lower() for h in (args.public_host or []))
        if args.host not in ("0.0.0.0", "::", ""):
            self.public_hosts.add(args.host.lower().strip("[]"))
        self.token = args.token
        self.module_csp = MODULE_CSP % {
            "connect": "".join(" " + o for o in self.allow_embed),
            "ancestors": "".join(" " + o for o in self.allow_embed)}
        self.embed_config = dumps_compact({"allow_embed": self.allow_embed}).encode("utf-8")

    def host_allowed(self, host_header):
        """DNS rebinding: only requests addressed to a name this server answers to
        (127.0.0.1, localhost, [::1] and --public-host names), with any port."""
        if not host_header:
            return False
        host = host_header.strip().lower()
        if host.startswith("["):
            name = host[1:host.find("]")] if "]" in host else ""
        else:
            name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
        return name in self.public_hosts

    def self_check(self):
        """Checks that the CLI runs and that the merged dataset loads."""
        snap = self.datasets.snapshot()
        probe = {"format": CAMPAIGN_FORMAT, "id": "serve-self-check", "kind": "mass_send",
                 "origin": "enterprise", "audience": {"filter": {"customers": []}},
                 "content": {"text": "self-check"}}
        rc, out, err, _ = self.engine.run("preview", snap.tenant, probe, DEFAULT_PRESET, scheduled_path=snap.path)
        if rc != 0:
            die("self-check failed: reachlens preview on the merged dataset exited %d: %s\n"
                "  If DATA/demo was regenerated, the accepted campaigns in %s may not fit it:"
                " delete %s to start over." % (rc, err, rel(self.store.path), rel(self.data)))
        say("self-check ok: dataset now=%d, %d scheduled campaigns (%d accepted), %.1f MB"
            % (self.datasets.now, len(snap.scheduled_ids), self.store.count(), snap.length / 1e6))

    # ------------------------------------------------------------------ submit
    def submit(self, key, raw):
        """Returns (status, body_bytes, extra_headers)."""
        if key is None or key == "":
            raise BodyError(400, "missing_idempotency_key", "the Idempotency-Key header is required")
        if not IDEMPOTENCY_KEY_RE.match(key):
            raise BodyError(400, "invalid_idempotency_key",
                            "Idempotency-Key must be 1-200 characters of A-Z a-z 0-9 - _ . :")
        body = parse_json_strict(raw)
        if not isinstance(body, dict):
            raise BodyError(400, "invalid_body", "the body must be a JSON object {campaign, rules, summary, requests}")
        campaign = body.get("campaign")
        if not isinstance(campaign, dict):
            raise BodyError(400, "invalid_body", "`campaign` must be an object")
        rules = body.get("rules")
        if rules is None:
            rules = DEFAULT_PRESET
        elif isinstance(rules, str):
            if not PRESET_NAME_RE.match(rules):
                raise BodyError(400, "invalid_rules", "`rules` is not a preset name")
        elif not isinstance(rules, dict):
            raise BodyError(400, "invalid_body", "`rules` must be an object, a preset name or null")
        summary = body.get("summary")
        if summary is not None and not isinstance(summary, dict):
            raise BodyError(400, "invalid_body", "`summary` must be an object or null")
        requests = body.get("requests")
        if requests is not None:
            if not isinstance(requests, list):
                raise BodyError(400, "invalid_body", "`requests` must be a list")
            for i, r in enumerate(requests):
                if not isinstance(r, dict) or not isinstance(r.get("body"), dict) or r.get("api") not in ALLOWED_APIS:
                    raise BodyError(400, "invalid_body",
                                    "`requests[%d]` must be {api: %s, body: object}" % (i, " | ".join(ALLOWED_APIS)))
        digest = canonical_sha256(body)

        replay = self._replay(key, digest)
        if replay:
            return replay
        with self.submit_lock:
            replay = self._replay(key, digest)
            if replay:
                return replay
            self._refuse_accepted_campaign_id(campaign)
            return self._check_and_store(key, digest, campaign, rules, summary, requests)

    def store_results(self, cid, raw):
        """Checks results against accepted campaign `cid` with `reachlens reconcile` and
        stores them with the reconciliation. Returns (status, body)."""
        row = self.store.by_id(cid)
        if row is None:
            raise BodyError(404, "not_found", "no campaign %s" % cid)
        try:
            doc = parse_json_strict(raw)
        except BodyError as e:
            raise BodyError(400, "invalid_results", e.message)
        if not isinstance(doc, dict) or doc.get("format") != RESULTS_FORMAT:
            raise BodyError(400, "invalid_results", "the body must be a %s document" % RESULTS_FORMAT)
        campaign = json.loads(row["campaign_json"])
        campaign.setdefault("format", CAMPAIGN_FORMAT)
        rules = json.loads(row["rules_json"])
        snap = self.datasets.snapshot()
        # The campaign stands in `scheduled` under its scheduled id ("<id>#<server id>" when
        # its id was taken): the engine leaves that entry off, not another campaign's.
        extra = {}
        if cid in snap.scheduled_id_of:
            extra["scheduled-id"] = snap.scheduled_id_of[cid]
        rc, out, err, _ = self.engine.run("reconcile", snap.tenant, campaign, rules, scheduled_path=snap.path,
                                            inputs={"results": raw}, flags=extra)
        if rc == 2:
            if err.startswith("error: results.json"):
                raise BodyError(400, "invalid_results", err)
            raise BodyError(500, "internal", "the stored campaign failed to load: " + err)
        if rc != 0:
            raise BodyError(500, "internal", "reachlens reconcile failed (exit %d): %s" % (rc, err))
        try:
            reconcile = json.loads(out)
        except ValueError:
            raise BodyError(500, "internal", "reachlens reconcile printed no JSON")
        results_put(self.store, cid, raw.decode("utf-8"), dumps_compact(reconcile))
        return 201, {"id": cid, "status": "stored", "reconcile": reconcile}

    def _replay(self, key, digest):
        row = self.store.by_key(key)
        if row is None:
            return None
        if row["body_sha256"] != digest:
            raise BodyError(409, "idempotency_key_reused",
                            "this Idempotency-Key was already used with a different body")
        return 201, row["response_json"].encode("utf-8"), {"Idempotent-Replayed": "true"}

    def _refuse_accepted_campaign_id(self, campaign):
        own = campaign.get("id")
        if not isinstance(own, str) or not own:
            return
        row = self.store.accepted_with_campaign_id(own)
        if row is not None:
            raise BodyError(409, "campaign_exists",
                            "campaign %s was already accepted (server id %s); give a second send a new campaign id"
                            % (json.dumps(own, ensure_ascii=False), row["id"]), {"id": row["id"]})

    def _check_and_store(self, key, digest, campaign, rules, client_summary, client_requests):
        campaign = dict(campaign)
        campaign.setdefault("format", CAMPAIGN_FORMAT)
        if isinstance(rules, dict):
            rules = dict(rules)
            rules.setdefault("format", RULES_FORMAT)
        snap = self.datasets.snapshot()

        rc, out, err, requests_bytes = self.engine.run("preview", snap.tenant, campaign, rules, want_requests=True,
                                                       scheduled_path=snap.path,
                                                       timeout=self.args.check_timeout)
        if rc == Engine.TIMED_OUT:
            raise BodyError(503, "check_timeout",
                            "the server's re-check did not finish within %gs (--check-timeout); nothing was stored"
                            % self.args.check_timeout)
        if rc == 2:
            status, code = classify_cli_error(err, snap)
            if status == 500:
                raise BodyError(500, "internal", "the server's dataset failed to load: " + err)
            raise BodyError(status, code, err or "invalid input")
        if rc != 0:
            raise BodyError(500, "internal", "reachlens preview failed (exit %d): %s" % (rc, err))
        try:
            summary = json.loads(out)
        except ValueError:
            raise BodyError(500, "internal", "reachlens preview printed no JSON")
        if summary.get("submittable") is not True:
            errors = summary.get("errors") or []
            codes = []
            for e in errors:
                c = e.get("code") if isinstance(e, dict) else None
                if c and c not in codes:
                    codes.append(c)
            raise BodyError(422, "not_submittable",
                            "the server's re-check finds the campaign not submittable: "
                            + (", ".join(codes) or "no reason given"),
                            {"errors": errors})
        # After the engine's own checks: a malformed or unsubmittable campaign is told so
        # first; a valid one whose files never reached this server is 422 media_missing.
        check_attachments_uploaded(campaign, self.media)

        try:
            requests = json.loads(requests_bytes)
        except (TypeError, ValueError):
            raise BodyError(500, "internal", "reachlens preview wrote no request bodies")

        if isinstance(client_summary, dict):
            diffs = [k for k in ("audience", "reached", "deliveries", "submittable")
                     if k in client_summary and client_summary.get(k) != summary.get(k)]
            if diffs:
                self.log("note: the client's summary differs from the server's on %s" % ", ".join(diffs))

        server_id = "cmp_" + uuid.uuid4().hex[:12]
        own = campaign.get("id")
        if not isinstance(own, str) or not own:
            scheduled_id = server_id
        elif own in snap.scheduled_ids:
            scheduled_id = "%s#%s" % (own, server_id)
        else:
            scheduled_id = own
        response = dumps_compact({"id": server_id, "status": "accepted"})
        row = {
            "id": server_id,
            "idempotency_key": key,
            "body_sha256": digest,
            "campaign_json": dumps_compact(campaign),
            "rules_json": dumps_compact(rules),
            "summary_json": dumps_compact(summary),
            "requests_json": dumps_compact(requests),
            "client_summary_json": None if client_summary is None else dumps_compact(client_summary),
            "client_requests_json": None if client_requests is None else dumps_compact(client_requests),
            "scheduled_id": scheduled_id,
            "status": "accepted",
            "response_json": response,
            "created_at": int(time.time()),
        }
        try:
            self.store.insert(row)
        except sqlite3.IntegrityError:
            # Another process with the same data dir stored this key first.
            replay = self._replay(key, digest)
            if replay:
                return replay
            raise
        self.datasets.invalidate()
        return 201, response.encode("utf-8"), {}

    def log(self, msg):
        if not self.args.quiet:
            sys.stderr.write("[serve] %s\n" % msg)
            sys.stderr.flush()

    # ------------------------------------------------------------------ static
    def resolve_static(self, url_path):
        """Maps a URL path to a file under the first static root that has it (or
        "redirect" for a folder with an index.html); raises BodyError otherwise."""
        path = unquote(url_path, errors="strict") if "%" in url_path else url_path
        if "\x00" in path or "\\" in path:
            raise BodyError(400, "bad_path", "invalid path")
        parts = path.split("/")
        if any(p in ("..", ".") for p in parts):
            raise BodyError(400, "bad_path", "path traversal is not allowed")
        parts = [p for p in parts if p]
        if any(p.startswith(".") for p in parts):
            raise BodyError(404, "not_found", "not found")
        if not parts or path.endswith("/"):
            parts.append("index.html")
        for root in self.static_roots:
            candidate = os.path.normpath(os.path.join(root, *parts))
            if os.path.commonpath([candidate, root]) != root:
                raise BodyError(400, "bad_path", "path traversal is not allowed")
            # A symlink may point anywhere: serve only what really lies under the root
            # (itself resolved), and only regular files (no FIFOs or devices).
            real, real_root = os.path.realpath(candidate), os.path.realpath(root)
            if os.path.commonpath([real, real_root]) != real_root:
                continue
            if os.path.isfile(real):
                return real
            if os.path.isdir(real) and os.path.isfile(os.path.join(real, "index.html")):
                return "redirect"
        raise BodyError(404, "not_found", "not found")

    def gzip_file(self, path, st):
        key = path
        with self.gz_lock:
            hit = self.gz_cache.get(key)
            if hit and hit[0] == st.st_mtime_ns and hit[1] == st.st_size:
                return hit[2]
        with open(path, "rb") as f:
            raw = f.read()
        comp = zlib.compressobj(6, zlib.DEFLATED, 31)
        gz = comp.compress(raw) + comp.flush()
        with self.gz_lock:
            self.gz_cache[key] = (st.st_mtime_ns, st.st_size, gz)
        return gz


class Handler(http.server.BaseHTTPRequestHandler):
    server_version = "ReachLens/1"
    protocol_version = "HTTP/1.1"
    timeout = 120
    app = None  # set in main()

    def version_string(self):
        return self.server_version

    # ------------------------------------------------------------------ plumbing
    # Codes of the errors the standard library answers itself (send_error below).
    STDLIB_ERROR_CODES = {400: "bad_request", 408: "request_timeout", 413: "body_too_large",
                          414: "uri_too_long", 431: "headers_too_large", 501: "not_implemented",
                          505: "http_version_not_supported"}

    def parse_request(self):
        self._t0 = time.time()
        self._body_read = False
        self._content_type = None
        self._module_page = False
        if not super().parse_request():
            return False
        if not self.app.host_allowed(self.headers.get("Host")):
            # DNS rebinding: a page on evil.example whose name now resolves to us must not
            # reach the API (nor read the app) through the victim's browser.
            self.close_connection = True
            self._error(421, "host_not_allowed",
                        "this server does not answer for Host %s (allowed: 127.0.0.1, localhost, [::1] and --public-host names)"
                        % json.dumps(one_line(self.headers.get("Host") or "", 200), ensure_ascii=False))
            return False
        return True

    def send_error(self, code, message=None, explain=None):
        """The standard library's own errors (a bad request line, 414, 431, 501, ...) as
        JSON like every other error, never its HTML page."""
        self.close_connection = True
        if getattr(self, "request_version", "HTTP/0.9") == "HTTP/0.9":
            # An unparsable request line leaves the stdlib at HTTP/0.9 (a body without a
            # status line): we only speak HTTP/1.x, answer like it.
            self.request_version = "HTTP/1.1"
        err = {"code": self.STDLIB_ERROR_CODES.get(code, "http_%d" % code),
               "message": one_line(message or self.responses.get(code, ("error",))[0], 500)}
        body = dumps_compact({"error": err}).encode("utf-8")
        try:
            self.send_response(code)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Cache-Control", "no-store")
            self.send_header("Connection", "close")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if getattr(self, "command", None) != "HEAD" and code >= 200 and code not in (204, 304):
                self.wfile.write(body)
        except OSError:
            pass
        self._log(code, len(body))

    def send_header(self, keyword, value):
        if keyword.lower() == "content-type":
            self._content_type = value
        super().send_header(keyword, value)

    def end_headers(self):
        """Headers every answer carries: no MIME sniffing; for HTML, who may frame it."""
        super().send_header("X-Content-Type-Options", "nosniff")
        if (getattr(self, "_content_type", None) or "").startswith("text/html"):
            if getattr(self, "_module_page", False):
                super().send_header("Content-Security-Policy", self.app.module_csp)
                embed = self.app.allow_embed
            else:
                super().send_header("Content-Security-Policy",
                                    "frame-ancestors 'self'; object-src 'none'; base-uri 'self'")
                embed = ()
            if not embed:
                # For browsers without frame-ancestors; with an allowlist the CSP decides
                # (X-Frame-Options cannot name other origins).
                super().send_header("X-Frame-Options", "SAMEORIGIN")
        super().end_headers()

    def handle_expect_100(self):
        # `Expect: 100-continue`: refuse an oversized body before the client sends it.
        if self.command == "POST":
            try:
                length = int(self.headers.get("Content-Length", "0"))
            except ValueError:
                length = 0
            limit = (max(MEDIA_LIMITS.values()) if urlsplit(self.path).path == "/api/media"
                     else self.app.args.max_body)
            if length > limit:
                self._body_read = True  # the client waits for us: nothing to drain
                self.close_connection = True
                self._error(413, "body_too_large", "the body is %d bytes; the limit is %d"
                            % (length, limit))
                return False
        return super().handle_expect_100()

    def log_request(self, code="-", size="-"):
        pass  # we log once per request in _log()

    def log_message(self, fmt, *args):
        if not self.app.args.quiet:
            sys.stderr.write("%s - %s\n" % (self.address_string(), one_line(fmt % args, 500)))

    def _logged_path(self):
        """The request path for the log: no query string (it may carry a token or other
        secrets a careless page put in a URL), control characters escaped, cut short."""
        path = getattr(self, "path", "") or ""
        if "?" in path:
            path = path.split("?", 1)[0] + "?…"
        return one_line(path, 300)

    def _log(self, status, nbytes):
        if self.app.args.quiet:
            return
        ms = (time.time() - getattr(self, "_t0", time.time())) * 1000
        sys.stderr.write('%s %s %s %d %dB %.0fms\n' % (
            self.client_address[0], one_line(getattr(self, "command", None) or "-", 20), self._logged_path(),
            status, nbytes, ms))
        sys.stderr.flush()

    def _send(self, status, body, ctype, headers=None, head_only=False):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        if self.close_connection:
            self.send_header("Connection", "close")
        self.end_headers()
        if not head_only and self.command != "HEAD":
            self.wfile.write(body)
        self._log(status, len(body))

    def _json(self, status, obj_or_bytes, headers=None):
        body = obj_or_bytes if isinstance(obj_or_bytes, bytes) else dumps_compact(obj_or_bytes).encode("utf-8")
        h = {"Cache-Control": "no-store"}
        h.update(self._cors_headers())
        h.update(headers or {})
        self._send(status, body, "application/json; charset=utf-8", h)

    def _error(self, status, code, message, extra=None):
        err = {"code": code, "message": message}
        if extra:
            err.update(extra)
        headers = {}
        if status == 401:
            headers["WWW-Authenticate"] = 'Bearer realm="reachlens"'
        if self.command == "POST" and not self._body_read:
            self.close_connection = True
        self._json(status, {"error": err}, headers)
        if self.command == "POST" and not self._body_read:
            self._body_read = True
            self._drain_and_close()

    def _accepts_gzip(self):
        ae = self.headers.get("Accept-Encoding", "")
        for part in ae.split(","):
            bits = part.strip().split(";")
            if bits[0].strip().lower() in ("gzip", "x-gzip"):
                q = [b for b in bits[1:] if b.strip().startswith("q=")]
                if q:
                    try:
                        return float(q[0].strip()[2:]) > 0
                    except ValueError:
                        return False
                return True
        return False

    def _origin(self):
        o = self.headers.get("Origin")
        return o.rstrip("/") if o else None

    def _same_origin(self, origin):
        host = self.headers.get("Host", "")
        try:
            return urlsplit(origin).netloc.lower() == host.lower()
        except ValueError:
            return False

    def _cors_headers(self):
        origin = self._origin()
        if origin and origin in self.app.allow_origins:
            return {"Access-Control-Allow-Origin": origin, "Vary": "Origin",
                    "Access-Control-Expose-Headers": "Idempotent-Replayed"}
        return {}

    def _authorized(self):
        if not self.app.token:
            return True
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Bearer "):
            return False
        return hmac.compare_digest(auth[7:].strip().encode("utf-8"), self.app.token.encode("utf-8"))

    def _drain_and_close(self, limit=1 << 20):
        """After answering early (413, ...), read a little of the unread body so the
        close does not reset the connection before the client reads the answer."""
        self.close_connection = True
        try:
            self.wfile.flush()
            self.connection.settimeout(0.5)
            got = 0
            while got < limit:
                chunk = self.connection.recv(65536)
                if not chunk:
                    break
                got += len(chunk)
        except OSError:
            pass

    def _read_json_body(self):
        """The body of a JSON endpoint: _read_body (its framing and size errors first),
        then Content-Type application/json (UTF-8) required: 415 otherwise. Returns
        bytes, or None after answering."""
        raw = self._read_body()
        if raw is None:
            return None
        ctype = self.headers.get("Content-Type", "")
        fields = [f.strip().lower() for f in ctype.split(";")]
        charset = [f.split("=", 1)[1].strip('"') for f in fields[1:] if f.startswith("charset=")]
        if fields[0] != "application/json" or any(c not in ("utf-8", "utf8") for c in charset):
            self._error(415, "unsupported_media_type",
                        "a JSON body needs Content-Type: application/json (UTF-8); got %s"
                        % (json.dumps(one_line(ctype, 200), ensure_ascii=False) if ctype else "none"))
            return None
        return raw

    def _read_body(self):
        """Reads the request body within --max-body. Returns bytes, or None after
        answering with an error. Content-Length must be plain digits; chunked bodies are
        parsed strictly (see _read_chunked); both at once is refused (request smuggling)."""
        max_body = self.app.args.max_body
        te = self.headers.get("Transfer-Encoding")
        cl = self.headers.get("Content-Length")
        if te is not None:
            if cl is not None:
                self._error(400, "invalid_body", "Content-Length and Transfer-Encoding together are not allowed")
                return None
            if te.strip().lower() != "chunked":
                self._error(501, "not_implemented", "Transfer-Encoding %s is not supported (only chunked)"
                            % json.dumps(one_line(te, 100)))
                return None
            return self._read_chunked(max_body)
        if cl is None:
            self._error(411, "length_required", "a Content-Length (or chunked body) is required")
            return None
        if not re.fullmatch(r"[0-9]{1,18}", cl.strip()):
            self._error(400, "invalid_body", "invalid Content-Length %s" % json.dumps(one_line(cl, 40)))
            return None
        length = int(cl.strip())
        if length > max_body:
            self._error(413, "body_too_large", "the body is %d bytes; the limit is %d" % (length, max_body))
            return None
        data = self.rfile.read(length)
        self._body_read = True
        if len(data) != length:
            self.close_connection = True
            self._error(400, "invalid_body", "the body ended early")
            return None
        return data

    CHUNK_SIZE_RE = re.compile(rb"[0-9A-Fa-f]{1,15}")
    MAX_TRAILER_LINES = 32

    def _read_chunked(self, max_body):
        """RFC 9112 chunked body: each size line is 1-15 hex digits (no sign, no
        spaces inside, optional ;extensions), each chunk ends with CRLF, the running total
        stays within max_body (413 as soon as a size line passes it, before reading it),
        and the trailer is a bounded number of bounded lines."""
        parts, total = [], 0

        def malformed(what):
            self.close_connection = True
            self._body_read = True  # the framing is lost: nothing sensible to drain
            self._error(400, "invalid_body", "malformed chunked body: " + what)
            return None

        try:
            while True:
                line = self.rfile.readline(1024)
                if not line.endswith(b"\n"):
                    return malformed("a chunk size line is missing or too long")
                size_text = line.rstrip(b"\r\n").split(b";", 1)[0].strip(b" \t")
                if not self.CHUNK_SIZE_RE.fullmatch(size_text):
                    return malformed("invalid chunk size %s" % json.dumps(one_line(size_text.decode("latin-1"), 40)))
                size = int(size_text, 16)
                if size == 0:
                    for _ in range(self.MAX_TRAILER_LINES):
                        trailer = self.rfile.readline(8192)
                        if trailer in (b"\r\n", b"\n"):
                            break
                        if not trailer.endswith(b"\n"):
                            return malformed("the trailer is cut or a trailer line is too long")
                    else:
                        return malformed("more than %d trailer lines" % self.MAX_TRAILER_LINES)
                    break
                total += size
                if total > max_body:
                    self.close_connection = True
                    self._error(413, "body_too_large", "the body is over the limit of %d bytes" % max_body)
                    return None
                chunk = self.rfile.read(size)
                if len(chunk) != size:
                    return malformed("the body ended inside a chunk")
                parts.append(chunk)
                if self.rfile.readline(3) not in (b"\r\n", b"\n"):
                    return malformed("a chunk is not followed by CRLF")
        except OSError:
            return malformed("the connection failed while reading it")
        self._body_read = True
        return b"".join(parts)

    # ------------------------------------------------------------------ verbs
    def do_OPTIONS(self):
        path = urlsplit(self.path).path
        if not path.startswith("/api/"):
            self._send(204, b"", "text/plain", {"Allow": "GET, HEAD, OPTIONS"})
            return
        origin = self._origin()
        if not origin or origin not in self.app.allow_origins:
            self._error(403, "origin_not_allowed", "this origin may not call the API (see --allow-origin)")
            return
        self._send(204, b"", "text/plain", {
            "Access-Control-Allow-Origin": origin,
            "Vary": "Origin",
            "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
            "Access-Control-Allow-Headers": "Authorization, Content-Type, Idempotency-Key, X-Filename",
            "Access-Control-Max-Age": "600",
        })

    def do_HEAD(self):
        self.do_GET()

    def do_GET(self):
        try:
            path = urlsplit(self.path).path
            if path.startswith("/api/") or path == "/api":
                self._api("GET", path)
            else:
                self._static(path)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def do_POST(self):
        try:
            path = urlsplit(self.path).path
            if path.startswith("/api/") or path == "/api":
                self._api("POST", path)
            else:
                self.close_connection = True
                self._error(405, "method_not_allowed", "POST is only for /api/campaigns")
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def do_PUT(self):
        self.close_connection = True
        self._error(405, "method_not_allowed", "method not allowed")

    do_DELETE = do_PATCH = do_PUT

    # ------------------------------------------------------------------ API
    def _api(self, method, path):
        app = self.app
        if not self._authorized():
            if method == "POST":
                self.close_connection = True
            self._error(401, "unauthorized", "missing or wrong Authorization: Bearer token")
            return
        origin = self._origin()
        if method == "POST" and origin and origin not in app.allow_origins and not self._same_origin(origin):
            self.close_connection = True
            self._error(403, "origin_not_allowed", "this origin may not call the API (see --allow-origin)")
            return
        try:
            if path == "/api/dataset":
                if method != "GET":
                    return self._method_not_allowed("GET")
                return self._dataset()
            if path == "/api/campaigns":
                if method == "GET":
                    return self._list()
                if method == "POST":
                    return self._post_campaign()
                return self._method_not_allowed("GET, POST")
            m = re.match(r"^/api/campaigns/([A-Za-z0-9_]{1,64})$", path)
            if m and method == "GET":
                return self._one(m.group(1))
            m = re.match(r"^/api/campaigns/([A-Za-z0-9_]{1,64})/results$", path)
            if m:
                return self._results(method, m.group(1))
            if path == "/api/media":
                if method == "POST":
                    return self._post_media()
                return self._method_not_allowed("POST")
            m = re.match(r"^/api/media/([^/]*)$", path)
            if m:
                if method != "GET":
                    return self._method_not_allowed("GET")
                return self._get_media(m.group(1))
            if method == "POST":
                self.close_connection = True
            self._error(404, "not_found", "no such API endpoint: %s %s" % (method, path))
        except BodyError as e:
            self._error(e.status, e.code, e.message, e.extra)
        except Exception as e:  # never leave the client hanging
            import traceback
            traceback.print_exc()
            self.close_connection = True
            self._error(500, "internal", "internal error: %s" % type(e).__name__)

    def _method_not_allowed(self, allow):
        self.close_connection = True
        self._error(405, "method_not_allowed", "use " + allow, None)

    def _send_not_modified(self, headers):
        self.send_response(304)
        for k, v in headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", "0")
        self.end_headers()
        self._log(304, 0)

    def _dataset(self):
        snap = self.app.datasets.snapshot()
        headers = {"Cache-Control": "no-cache", "ETag": snap.etag, "Vary": "Accept-Encoding"}
        headers.update(self._cors_headers())
        if self.headers.get("If-None-Match") == snap.etag:
            self._send_not_modified(headers)
            return
        gz = self._accepts_gzip()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        for k, v in headers.items():
            self.send_header(k, v)
        if gz:
            body = snap.gzipped()
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
            self._log(200, len(body))
        else:
            self.send_header("Content-Length", str(snap.length))
            self.end_headers()
            if self.command != "HEAD":
                for part in snap.parts:
                    self.wfile.write(part)
            self._log(200, snap.length)

    def _list(self):
        out = []
        for r in self.app.store.listing():
            out.append({"id": r["id"], "campaign": json.loads(r["campaign_json"]), "status": r["status"],
                        "created_at": r["created_at"], "scheduled_id": r["scheduled_id"]})
        self._json(200, {"campaigns": out})

    def _one(self, cid):
        r = self.app.store.by_id(cid)
        if r is None:
            self._error(404, "not_found", "no campaign %s" % cid)
            return
        self._json(200, {
            "id": r["id"], "status": r["status"], "created_at": r["created_at"],
            "scheduled_id": r["scheduled_id"],
            "campaign": json.loads(r["campaign_json"]), "rules": json.loads(r["rules_json"]),
            "summary": json.loads(r["summary_json"]), "requests": json.loads(r["requests_json"]),
        })

    def _results(self, method, cid):
        """WeCom's answers after the send (contract 7): POST stores them (replacing earlier
        ones: a host fetches again as more come in) once the engine has reconciled them
        with the accepted campaign; GET gives back both."""
        if method == "GET":
            found = results_get(self.app.store, cid)
            if found is None:
                if self.app.store.by_id(cid) is None:
                    return self._error(404, "not_found", "no campaign %s" % cid)
                return self._error(404, "no_results", "no results stored for campaign %s yet" % cid)
            # ?reconcile=1: the engine's reconciliation stored with them (docs/openapi.yaml
            # has the results document alone as the plain answer).
            if parse_qs(urlsplit(self.path).query).get("reconcile") == ["1"]:
                return self._json(200, found)
            return self._json(200, found["results"])
        if method != "POST":
            return self._method_not_allowed("GET, POST")
        raw = self._read_body()
        if raw is None:
            return
        status, body = self.app.store_results(cid, raw)
        self._json(status, body)

    def _post_campaign(self):
        raw = self._read_json_body()
        if raw is None:
            return
        key = self.headers.get("Idempotency-Key")
        key = key.strip() if key is not None else None
        status, body, headers = self.app.submit(key, raw)
        self._json(status, body, headers)

    # ------------------------------------------------------------------ media
    def _post_media(self):
        """POST /api/media: the body streams into the media store (never whole in memory)."""
        content_type = media_content_type(self.headers.get("Content-Type"))
        name = media_filename(self.headers.get("X-Filename"))
        kind = media_kind(content_type)
        limit = MEDIA_LIMITS[kind]
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower() or self.headers.get("Content-Length") is None:
            raise BodyError(411, "length_required", "a media upload needs a Content-Length")
        try:
            length = int(self.headers.get("Content-Length"))
            if length < 0:
                raise ValueError
        except ValueError:
            raise BodyError(400, "invalid_body", "invalid Content-Length")
        if length > limit:
            raise BodyError(413, "media_too_large", "%s is %d bytes; the limit for a%s %s is %d bytes (%d MB)"
                            % (json.dumps(name, ensure_ascii=False), length, "n" if kind == "image" else "",
                               kind, limit, limit // (1024 * 1024)), {"limit": limit, "kind": kind})
        # A BodyError from here on is answered by _api; the body is then not fully read,
        # so _error drains a little and closes the connection.
        info = self.app.media.put(self.rfile.read, length, content_type, name)
        self._body_read = True
        self.app.log("media %s stored: %s, %d bytes, %s" % (info["id"][:12], content_type, length,
                                                          json.dumps(name, ensure_ascii=False)))
        media = {k: info[k] for k in ("id", "sha256", "bytes", "content_type", "name")}
        self._json(201, {"media": media})

    def _get_media(self, media_id):
        info = self.app.media.get(media_id)
        if info is None:
            self._error(404, "not_found", "no media %s" % json.dumps(media_id))
            return
        etag = '"%s"' % info["id"]
        headers = {"Cache-Control": "private, max-age=31536000, immutable", "ETag": etag,
                   "X-Content-Type-Options": "nosniff",
                   "Content-Disposition": "inline; filename*=UTF-8''%s" % quote(info["name"], safe="")}
        headers.update(self._cors_headers())
        if self.headers.get("If-None-Match") == etag:
            self._send_not_modified(headers)
            return
        try:
            f = open(self.app.media.blob_path(info["id"]), "rb")
        except OSError:
            self._error(404, "not_found", "no media %s" % json.dumps(media_id))
            return
        with f:
            self.send_response(200)
            self.send_header("Content-Type", info["content_type"])
            self.send_header("Content-Length", str(info["bytes"]))
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            if self.command != "HEAD":
                shutil.copyfileobj(f, self.wfile, 1 << 20)
        self._log(200, info["bytes"])

    # ------------------------------------------------------------------ static
    def _static(self, path):
        app = self.app
        if path == EMBED_CONFIG_PATH:
            # Which origins may embed the module (--allow-embed): web/host.js fetches this
            # from its own origin before it accepts a ?host= (none listed: none accepted).
            self._json(200, app.embed_config)
            return
        try:
            fs = app.resolve_static(path)
        except BodyError as e:
            self._error(e.status, e.code, e.message)
            return
        except UnicodeDecodeError:
            self._error(400, "bad_path", "the path is not valid UTF-8")
            return
        if fs == "redirect":
            self._send(301, b"", "text/plain", {"Location": path + "/"})
            return
        try:
            st = os.stat(fs)
        except OSError:
            self._error(404, "not_found", "not found")
            return
        self._module_page = os.path.basename(fs) == "index.html"
        ext = os.path.splitext(fs)[1].lower()
        ctype = MIME_TYPES.get(ext, "application/octet-stream")
        etag = '"%x-%x"' % (st.st_mtime_ns, st.st_size)
        headers = {"Cache-Control": "no-cache", "ETag": etag,
                   "Last-Modified": self.date_time_string(int(st.st_mtime))}
        compressible = ext in COMPRESSIBLE and GZIP_MIN_BYTES <= st.st_size <= GZIP_CACHE_MAX_FILE
        if compressible:
            headers["Vary"] = "Accept-Encoding"
        if self.headers.get("If-None-Match") == etag:
            self._send_not_modified(headers)
            return
        if compressible and self._accepts_gzip():
            body = app.gzip_file(fs, st)
            headers["Content-Encoding"] = "gzip"
            self._send(200, body, ctype, headers)
            return
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(st.st_size))
        for k, v in headers.items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            with open(fs, "rb") as f:
                shutil.copyfileobj(f, self.wfile, 1 << 20)
        self._log(200, st.st_size)


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = LISTEN_BACKLOG


# --------------------------------------------------------------------------- main

def parse_args(argv):
    p = argparse.ArgumentParser(description="ReachLens reference server (stdlib only).")
    p.add_argument("--port", type=int, default=8080, help="port (default 8080; 0 = any free port)")
    p.add_argument("--host", default="127.0.0.1", help="interface (default 127.0.0.1)")
    p.add_argument("--data", default="./data", help="data folder: SQLite + demo tenant (default ./data)")
    p.add_argument("--customers", type=int, default=20000, help="demo tenant size on first start (default 20000)")
    p.add_argument("--no-build", action="store_true", help="never build; fail if the CLI is missing")
    p.add_argument("--max-body", type=int, default=8 * 1024 * 1024, help="POST body limit in bytes (default 8 MiB)")
    p.add_argument("--token", default=None, help="require Authorization: Bearer TOKEN on /api/*")
    p.add_argument("--allow-origin", action="append", default=[], metavar="ORIGIN",
                   help="an origin allowed to call the API cross-origin (repeatable)")
    p.add_argument("--cli", default=None, help="path to the reachlens CLI (default build/native/reachlens)")
    p.add_argument("--static-dir", action="append", default=[], metavar="DIR",
                   help="extra static folder served before build/wasm/web/ and web/ (repeatable)")
    p.add_argument("--allow-embed", action="append", default=[], metavar="ORIGIN",
                   help="an origin whose pages may embed the module (?host=ORIGIN, frame-ancestors; repeatable)")
    p.add_argument("--public-host", action="append", default=[], metavar="NAME",
                   help="a host name this server answers to besides 127.0.0.1, localhost and [::1] (repeatable)")
    p.add_argument("--check-timeout", type=float, default=CHECK_TIMEOUT, metavar="SECONDS",
                   help="time limit of one submission's re-check (default %d s; 503 check_timeout past it)" % CHECK_TIMEOUT)
    p.add_argument("--quiet", action="store_true", help="no per-request log lines")
    args = p.parse_args(argv)
    if args.customers < 1:
        p.error("--customers must be at least 1")
    if args.max_body < 1:
        p.error("--max-body must be positive")
    for flag, origins in (("--allow-origin", args.allow_origin), ("--allow-embed", args.allow_embed)):
        for o in origins:
            u = urlsplit(o)
            if u.scheme not in ("http", "https") or not u.netloc or u.path not in ("", "/") or u.query or u.fragment:
                p.error("%s %r is not an origin like https://admin.example.com" % (flag, o))
    for h in args.public_host:
        if not re.fullmatch(r"[A-Za-z0-9.\-]{1,253}", h):
            p.error("--public-host %r is not a host name" % h)
    if not args.check_timeout > 0:
        p.error("--check-timeout must be positive")
    args.data = os.path.abspath(args.data)
    return args


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    t0 = time.time()
    os.makedirs(args.data, exist_ok=True)
    cli = ensure_cli(args)
    ensure_web(args)
    demo = ensure_demo(cli, args.data, args.customers)
    app = App(args, cli, demo)
    app.self_check()
    Handler.app = app
    if ":" in args.host:
        Server.address_family = socket.AF_INET6
    try:
        httpd = Server((args.host, args.port), Handler)
    except OSError as e:
        die("cannot listen on %s:%d: %s" % (args.host, args.port, e))
    host, port = httpd.server_address[:2]
    shown = "[%s]" % host if ":" in host else host
    if args.token:
        say("API requires Authorization: Bearer <token>")
    if app.allow_origins:
        say("cross-origin API allowed for: %s" % ", ".join(sorted(app.allow_origins)))
    if app.allow_embed:
        say("the module may be embedded by: %s" % ", ".join(app.allow_embed))
    if args.host in ("0.0.0.0", "::", ""):
        say("answering only for Host %s (add the names clients use with --public-host)"
            % ", ".join(sorted(app.public_hosts)))
    say("ready in %.1fs" % (time.time() - t0))
    say("listening on http://%s:%d/  (API: /api/dataset, /api/campaigns; host demo: /host-demo.html)"
        % (shown, port))

    def stop(signum, frame):
        threading.Thread(target=httpd.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    try:
        httpd.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()
        app.store.close()
        say("stopped")


if __name__ == "__main__":
    main()
