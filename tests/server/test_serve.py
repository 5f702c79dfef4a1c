"""End-to-end tests of serve.py (the ReachLens reference server), stdlib only.

Each test talks HTTP to real serve.py subprocesses started on free ports with temp
--data folders and a small demo tenant (--customers 300). They need the native CLI
(build/native/reachlens, or $REACHLENS_CLI); the servers run with --no-build.

    python3 -m unittest discover -s tests/server -v      (from the repo root)
"""

import concurrent.futures
import copy
import gzip
import http.client
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse
import uuid

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SERVE = os.path.join(ROOT, "serve.py")
CLI = os.environ.get("REACHLENS_CLI") or os.path.join(ROOT, "build", "native", "reachlens")
CUSTOMERS = 300
START_TIMEOUT = 60


class ServerProcess:
    """serve.py in a subprocess; its output goes to DATA/server-N.log."""

    def __init__(self, data, extra=(), python=None):
        self.data = data
        self.extra = list(extra)
        self.python = python or sys.executable
        self.proc = None
        self.port = None
        self.starts = 0

    def start(self):
        self.starts += 1
        os.makedirs(self.data, exist_ok=True)
        self.log_path = os.path.join(self.data, "server-%d.log" % self.starts)
        self.log = open(self.log_path, "wb")
        cmd = [self.python, SERVE, "--port", "0", "--data", self.data, "--customers", str(CUSTOMERS),
               "--no-build", "--cli", CLI] + self.extra
        self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.time() + START_TIMEOUT
        self.port = None
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError("serve.py exited with %s:\n%s" % (self.proc.returncode, self.output()))
            if self.port is None:
                for line in self.output().splitlines():
                    if "listening on http://" in line:
                        hostport = line.split("http://", 1)[1].split("/", 1)[0]
                        self.port = int(hostport.rsplit(":", 1)[1])
            if self.port is not None:
                try:
                    status, _, _ = self.request("GET", "/api/dataset", headers=self.auth_headers())
                    if status == 200:
                        return self
                except OSError:
                    pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("serve.py not ready after %ds:\n%s" % (START_TIMEOUT, self.output()))

    def auth_headers(self):
        if "--token" in self.extra:
            return {"Authorization": "Bearer " + self.extra[self.extra.index("--token") + 1]}
        return {}

    def output(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
        self.proc = None
        if getattr(self, "log", None):
            self.log.close()

    def restart(self):
        self.stop()
        return self.start()

    def request(self, method, path, body=None, headers=None, timeout=60):
        """Raw HTTP (the path is sent as is). Returns (status, headers, body bytes)."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request(method, path, body=body, headers=headers or {})
            r = conn.getresponse()
            data = r.read()
            return r.status, {k.lower(): v for k, v in r.getheaders()}, data
        finally:
            conn.close()

    def get_json(self, path, headers=None):
        status, hdrs, data = self.request("GET", path, headers=headers)
        return status, hdrs, json.loads(data.decode("utf-8"))

    def post_campaign(self, body, key=None, raw=None, headers=None):
        h = {"Content-Type": "application/json"}
        if key is not None:
            h["Idempotency-Key"] = key
        h.update(headers or {})
        data = raw if raw is not None else json.dumps(body, ensure_ascii=False).encode("utf-8")
        return self.request("POST", "/api/campaigns", body=data, headers=h)


def new_key():
    return str(uuid.uuid4())


# Leading bytes serve.py accepts for each attachment kind (it checks images and videos).
MEDIA_SAMPLES = {"image": ("image/png", b"\x89PNG\r\n\x1a\n"),
                 "video": ("video/mp4", b"\x00\x00\x00\x18ftypmp42"),
                 "file": ("application/pdf", b"%PDF-1.4\n")}


def sample_media(kind, nbytes, salt=b""):
    """Bytes of `nbytes` that start like a `kind` file; (content_type, bytes)."""
    ctype, head = MEDIA_SAMPLES[kind]
    body = head + salt
    return ctype, body + bytes(max(0, nbytes - len(body)))


def upload_media(server, kind, nbytes, name="sample", salt=b""):
    """POST /api/media; returns (status, parsed answer)."""
    ctype, data = sample_media(kind, nbytes, salt)
    headers = dict(server.auth_headers(), **{"Content-Type": ctype,
                                             "X-Filename": urllib.parse.quote(name, safe="")})
    status, _, body = server.request("POST", "/api/media", body=data, headers=headers)
    return status, json.loads(body.decode("utf-8"))


def attach_uploads(server, campaign):
    """Uploads a stand-in for every image, video and file attachment of `campaign` (of
    its declared size) and records the `media` id, as the page does before submitting."""
    for att in campaign.get("content", {}).get("attachments", []):
        kind = att.get("msgtype")
        if kind in MEDIA_SAMPLES and isinstance(att.get(kind), dict):
            body = att[kind]
            status, answer = upload_media(server, kind, body.get("bytes", 0), body.get("name", kind))
            assert status == 201, answer
            body["media"] = answer["media"]["id"]
    return campaign


def error_of(data):
    obj = json.loads(data.decode("utf-8"))
    assert isinstance(obj, dict) and isinstance(obj.get("error"), dict), obj
    return obj["error"]


class ServeTest(unittest.TestCase):
    maxDiff = 4000

    @classmethod
    def setUpClass(cls):
        if not (os.path.isfile(CLI) and os.access(CLI, os.X_OK)):
            raise RuntimeError("the native CLI %s is missing: build it first (cmake -S . -B build/native "
                               "-DCMAKE_BUILD_TYPE=Release && cmake --build build/native --target reachlens)" % CLI)
        cls.tmp = tempfile.mkdtemp(prefix="reachlens-serve-test-")
        # A static folder served before build/wasm/web and web/ (--static-dir).
        cls.static = os.path.join(cls.tmp, "static")
        os.makedirs(os.path.join(cls.static, "fonts"))
        with open(os.path.join(cls.static, "app.wasm"), "wb") as f:
            f.write(b"\x00asm\x01\x00\x00\x00" + bytes(4096))
        with open(os.path.join(cls.static, "app.js"), "w") as f:
            f.write("// test bundle\n" + "console.log('reachlens');\n" * 400)
        with open(os.path.join(cls.static, "fonts", "ui.otf"), "wb") as f:
            f.write(b"OTTO" + bytes(100))
        with open(os.path.join(cls.static, "style.css"), "w") as f:
            f.write("body{margin:0}\n")
        cls.server = ServerProcess(os.path.join(cls.tmp, "main"), ["--static-dir", cls.static]).start()
        # The second server: tiny body limit, a token and a CORS allowlist. It runs
        # under Debian's /usr/bin/python3 when there is one (serve.py must work there).
        py = "/usr/bin/python3" if os.access("/usr/bin/python3", os.X_OK) else None
        cls.strict = ServerProcess(os.path.join(cls.tmp, "strict"),
                                   ["--max-body", "10000", "--token", "s3cret-token",
                                    "--allow-origin", "https://admin.example.com"], python=py).start()
        demo = os.path.join(cls.server.data, "demo")
        with open(os.path.join(demo, "dataset.json"), encoding="utf-8") as f:
            cls.demo = json.load(f)
        cls.campaigns = {}
        for name in sorted(os.listdir(os.path.join(demo, "campaigns"))):
            with open(os.path.join(demo, "campaigns", name), encoding="utf-8") as f:
                cls.campaigns[name] = json.load(f)

    @classmethod
    def tearDownClass(cls):
        for s in (getattr(cls, "server", None), getattr(cls, "strict", None)):
            if s:
                s.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    # ------------------------------------------------------------------ helpers
    def campaign(self, kind, origin=None, server=None):
        """A generator campaign of this kind with a campaign id of its own (serve.py
        accepts a campaign id once) and its media uploaded to `server` (default main)."""
        for c in self.campaigns.values():
            if c["kind"] == kind and (origin is None or c["origin"] == origin):
                c = copy.deepcopy(c)
                self.assertGreaterEqual(c.get("send_time", self.demo["now"]), self.demo["now"])
                c["id"] = "%s-%s" % (c["id"], uuid.uuid4().hex[:8])
                return attach_uploads(server or self.server, c)
        self.fail("the generator wrote no %s %s campaign" % (kind, origin or ""))

    def body(self, campaign, rules=None):
        return {"campaign": campaign, "rules": rules, "summary": {"format": "reachlens.preview/1"},
                "requests": []}

    def campaign_rows(self, server=None):
        s = server or self.server
        status, hdrs, obj = s.get_json("/api/campaigns", headers=s.auth_headers())
        self.assertEqual(status, 200)
        self.assertTrue(hdrs["content-type"].startswith("application/json"))
        self.assertIsInstance(obj.get("campaigns"), list)
        return obj["campaigns"]

    def dataset(self, server=None):
        s = server or self.server
        status, hdrs, obj = s.get_json("/api/dataset", headers=s.auth_headers())
        self.assertEqual(status, 200)
        return obj

    def assert_dataset_loads(self, doc):
        """The served document must load in the engine (no duplicate scheduled ids...)."""
        d = tempfile.mkdtemp(dir=self.tmp)
        probe = {"format": "reachlens.campaign/1", "id": "probe", "kind": "mass_send", "origin": "enterprise",
                 "audience": {"filter": {"customers": []}}, "content": {"text": "probe"}}
        with open(os.path.join(d, "dataset.json"), "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False)
        with open(os.path.join(d, "campaign.json"), "w", encoding="utf-8") as f:
            json.dump(probe, f)
        r = subprocess.run([CLI, "preview", "--dataset", os.path.join(d, "dataset.json"),
                            "--campaign", os.path.join(d, "campaign.json")], capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)

    def assert_error(self, status, data, want_status, want_code):
        self.assertEqual(status, want_status, data[:500])
        err = error_of(data)
        self.assertEqual(err.get("code"), want_code, err)
        self.assertIsInstance(err.get("message"), str)
        self.assertTrue(err["message"])
        return err

    # ------------------------------------------------------------------ dataset
    def test_dataset_is_a_reachlens_dataset(self):
        status, hdrs, data = self.server.request("GET", "/api/dataset")
        self.assertEqual(status, 200)
        self.assertEqual(hdrs["content-type"], "application/json; charset=utf-8")
        plain_len = len(data)
        doc = json.loads(data.decode("utf-8"))
        self.assertEqual(doc["format"], "reachlens.dataset/1")
        self.assertEqual(doc["now"], self.demo["now"])
        self.assertEqual(len(doc["customers"]), CUSTOMERS)
        self.assertIsInstance(doc["scheduled"], list)
        base_ids = [c["id"] for c in self.demo["scheduled"]]
        self.assertEqual([c["id"] for c in doc["scheduled"][:len(base_ids)]], base_ids)
        for c in doc["scheduled"]:
            self.assertNotIn("format", c)
            self.assertIsInstance(c["send_time"], int)
        # The gzip variant is the same document.
        status, hdrs, gz = self.server.request("GET", "/api/dataset", headers={"Accept-Encoding": "gzip"})
        self.assertEqual(status, 200)
        self.assertEqual(hdrs.get("content-encoding"), "gzip")
        self.assertLess(len(gz), len(data))
        self.assertEqual(json.loads(gzip.decompress(gz).decode("utf-8")), json.loads(self.server.request(
            "GET", "/api/dataset")[2].decode("utf-8")))
        self.assert_dataset_loads(doc)
        # Revalidation and HEAD.
        status, _, data = self.server.request("GET", "/api/dataset", headers={"If-None-Match": hdrs["etag"]})
        self.assertEqual((status, data), (304, b""))
        status, hdrs2, data = self.server.request("HEAD", "/api/dataset")
        self.assertEqual((status, data), (200, b""))
        self.assertEqual(int(hdrs2["content-length"]), plain_len)

    # ------------------------------------------------------------------ submit
    def test_campaign_without_send_time_is_scheduled_at_now(self):
        c = self.campaign("moment")
        c.pop("send_time", None)
        c["id"] = "test-no-send-time-%s" % uuid.uuid4().hex[:6]
        status, _, data = self.server.post_campaign(self.body(c), new_key())
        self.assertEqual(status, 201, data)
        doc = self.dataset()
        mine = [s for s in doc["scheduled"] if s["id"] == c["id"]]
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine[0]["send_time"], doc["now"])
        # Without a campaign id the engine refuses it.
        c.pop("id")
        status, _, data = self.server.post_campaign(self.body(c), new_key())
        self.assertEqual(self.assert_error(status, data, 400, "invalid_campaign")["message"],
                         "error: campaign.json: /id: required field is missing")

    def test_recheck_reads_the_tenant_snapshot_not_a_json_copy(self):
        # The server keeps its tenant as a binary snapshot and writes only the scheduled
        # campaigns per version: no 1.6 GB merged JSON per accepted campaign at 1M customers.
        c = self.campaign("mass_send", "enterprise")
        c["id"] = "test-snapshot-%s" % uuid.uuid4().hex[:6]
        status, _, body = self.server.post_campaign(self.body(c), new_key())
        self.assertEqual(status, 201, body)
        doc = self.dataset()  # builds the version with the new campaign
        cache = os.path.join(self.server.data, "cache")
        names = os.listdir(cache)
        snaps = [n for n in names if n.endswith(".rlsnap")]
        self.assertEqual(len(snaps), 1, names)
        with open(os.path.join(cache, snaps[0]), "rb") as f:
            self.assertEqual(f.read(8), b"RLSNAP\r\n")
        self.assertFalse([n for n in names if n.startswith("merged-")], names)
        # The snapshot plus the newest scheduled file is the dataset the page is served.
        sched = [n for n in names if n.startswith("scheduled-") and n.endswith(".json")]
        self.assertTrue(sched, names)
        newest = max(sched, key=lambda n: int(n[len("scheduled-"):-len(".json")]))
        with open(os.path.join(cache, newest), encoding="utf-8") as f:
            self.assertEqual(json.load(f), doc["scheduled"])
        self.assertIn(c["id"], [x["id"] for x in doc["scheduled"]])

    def test_submit_accepts_then_replays_the_same_answer(self):
        before = len(self.campaign_rows())
        c = self.campaign("mass_send", "enterprise")
        c["id"] = "test-accept-%s" % uuid.uuid4().hex[:6]
        key = new_key()
        status, hdrs, first = self.server.post_campaign(self.body(c), key)
        self.assertEqual(status, 201, first)
        self.assertEqual(hdrs["content-type"], "application/json; charset=utf-8")
        answer = json.loads(first)
        self.assertEqual(set(answer), {"id", "status"})
        self.assertEqual(answer["status"], "accepted")
        self.assertTrue(answer["id"])

        status2, _, second = self.server.post_campaign(self.body(c), key)
        self.assertEqual(status2, 201)
        self.assertEqual(second, first)

        rows = self.campaign_rows()
        self.assertEqual(len(rows), before + 1)
        self.assertEqual([r["id"] for r in rows].count(answer["id"]), 1)
        self.assertEqual(rows[0]["id"], answer["id"], "newest first")
        self.assertEqual(rows[0]["status"], "accepted")
        self.assertEqual(rows[0]["campaign"]["id"], c["id"])
        self.assertIsInstance(rows[0]["created_at"], int)

        doc = self.dataset()
        ids = [s["id"] for s in doc["scheduled"]]
        self.assertIn(c["id"], ids)
        self.assertEqual(len(ids), len(set(ids)))
        mine = doc["scheduled"][ids.index(c["id"])]
        self.assertEqual(mine["send_time"], c["send_time"])
        self.assertEqual(mine["content"], c["content"])
        self.assertNotIn("format", mine)

        # The same key with another body is refused and stores nothing.
        other = copy.deepcopy(c)
        other["content"]["text"] += "!"
        status3, _, data3 = self.server.post_campaign(self.body(other), key)
        self.assert_error(status3, data3, 409, "idempotency_key_reused")
        self.assertEqual(len(self.campaign_rows()), before + 1)

        # The server kept its own re-check (summary and requests).
        status, _, rec = self.server.get_json("/api/campaigns/" + answer["id"])
        self.assertEqual(status, 200)
        self.assertEqual(rec["summary"]["format"], "reachlens.preview/1")
        self.assertTrue(rec["summary"]["submittable"])
        self.assertIsInstance(rec["requests"], list)
        if rec["summary"]["reached"] > 0:  # other tests may have used the quota up
            self.assertTrue(rec["requests"])
            self.assertEqual(rec["requests"][0]["api"], "externalcontact/add_msg_template")

    def test_rules_as_preset_name_object_or_null(self):
        c = self.campaign("moment")
        for rules in ("wecom-2025", None):
            c["id"] = "test-rules-%s" % uuid.uuid4().hex[:8]
            status, _, data = self.server.post_campaign(self.body(c, rules), new_key())
            self.assertEqual(status, 201, data)
        rules = {"format": "reachlens.rules/1", "quotas": [], "policies": [], "not_interested_hours": 168,
                 "multi_sender": {"moment": "each", "mass_send": "each"},
                 "moments_excluded_industries": [], "moments_require_verified": False}
        c["id"] = "test-rules-%s" % uuid.uuid4().hex[:8]
        status, _, data = self.server.post_campaign(self.body(c, rules), new_key())
        self.assertEqual(status, 201, data)
        c["id"] = "test-rules-%s" % uuid.uuid4().hex[:8]
        status, _, data = self.server.post_campaign(self.body(c, "no-such-preset"), new_key())
        self.assert_error(status, data, 400, "invalid_rules")
        self.assert_dataset_loads(self.dataset())

    def test_idempotency_survives_a_restart(self):
        c = self.campaign("moment", "enterprise")
        key = new_key()
        status, _, first = self.server.post_campaign(self.body(c), key)
        self.assertEqual(status, 201, first)
        rows = len(self.campaign_rows())
        self.server.restart()
        status, _, again = self.server.post_campaign(self.body(c), key)
        self.assertEqual(status, 201)
        self.assertEqual(again, first)
        self.assertEqual(len(self.campaign_rows()), rows)
        self.assertEqual([r["id"] for r in self.campaign_rows()].count(json.loads(first)["id"]), 1)
        self.assert_dataset_loads(self.dataset())

    def test_concurrent_distinct_keys_all_stored(self):
        before = len(self.campaign_rows())
        c = self.campaign("mass_send")

        def post(i):
            mine = dict(c, id="%s-%d" % (c["id"], i))
            return self.server.post_campaign(self.body(mine), new_key())
        with concurrent.futures.ThreadPoolExecutor(10) as pool:
            results = list(pool.map(post, range(10)))
        self.assertEqual([r[0] for r in results], [201] * 10, [r[2] for r in results])
        ids = {json.loads(r[2])["id"] for r in results}
        self.assertEqual(len(ids), 10)
        rows = self.campaign_rows()
        self.assertEqual(len(rows), before + 10)
        self.assertTrue(ids <= {r["id"] for r in rows})
        doc = self.dataset()
        sched = [s["id"] for s in doc["scheduled"]]
        self.assertEqual(len(sched), len(set(sched)), "scheduled ids must stay unique")
        self.assertTrue({r["scheduled_id"] for r in rows if r["id"] in ids} <= set(sched))
        self.assert_dataset_loads(doc)

    def test_concurrent_same_key_stores_once(self):
        before = len(self.campaign_rows())
        c = self.campaign("moment")
        key = new_key()
        with concurrent.futures.ThreadPoolExecutor(6) as pool:
            results = list(pool.map(lambda i: self.server.post_campaign(self.body(c), key), range(6)))
        self.assertEqual([r[0] for r in results], [201] * 6)
        self.assertEqual(len({r[2] for r in results}), 1)
        self.assertEqual(len(self.campaign_rows()), before + 1)

    # ------------------------------------------------------------------ rejections
    def test_malformed_json_is_400(self):
        before = len(self.campaign_rows())
        for raw in (b'{"campaign": {', b"not json", b'{"campaign": {"a": 1, "a": 2}}', b'{"campaign": NaN}',
                    b"\xff\xfe{}", b""):
            status, _, data = self.server.post_campaign(None, new_key(), raw=raw)
            self.assert_error(status, data, 400, "invalid_json")
        self.assertEqual(len(self.campaign_rows()), before)

    def test_wrong_schema_is_400(self):
        c = self.campaign("moment")
        bad = [
            [c],
            {"rules": None},
            {"campaign": "moment"},
            {"campaign": [c]},
            {"campaign": c, "requests": {"api": "x"}},
            {"campaign": c, "requests": [{"api": "externalcontact/unknown", "body": {}}]},
            {"campaign": c, "summary": "fine"},
            {"campaign": c, "rules": 42},
        ]
        before = len(self.campaign_rows())
        for body in bad:
            status, _, data = self.server.post_campaign(body, new_key())
            self.assert_error(status, data, 400, "invalid_body")
        self.assertEqual(len(self.campaign_rows()), before)

    def test_invalid_campaign_is_400(self):
        c = self.campaign("moment")
        c["kind"] = "tweet"
        status, _, data = self.server.post_campaign(self.body(c), new_key())
        err = self.assert_error(status, data, 400, "invalid_campaign")
        self.assertIn("/kind", err["message"])
        self.assertNotIn(self.tmp, err["message"])
        c = self.campaign("moment")
        c["content"]["attachments"] = [{"msgtype": "hologram", "hologram": {}}]
        status, _, data = self.server.post_campaign(self.body(c), new_key())
        self.assert_error(status, data, 400, "invalid_campaign")

    def test_unsubmittable_campaign_is_422(self):
        before = len(self.campaign_rows())
        c = self.campaign("moment")
        c["content"] = {"text": "长" * 3000, "attachments": []}
        status, _, data = self.server.post_campaign(self.body(c), new_key())
        err = self.assert_error(status, data, 422, "not_submittable")
        self.assertIn("content.text_too_long", err["message"])

        c = self.campaign("mass_send")
        c["origin"] = "employee"
        c["senders"] = {"user_list": [e["userid"] for e in self.demo["employees"][:2]], "department_list": []}
        status, _, data = self.server.post_campaign(self.body(c), new_key())
        err = self.assert_error(status, data, 422, "not_submittable")
        self.assertIn("senders.employee_origin_needs_one", err["message"])

        c = self.campaign("mass_send")
        c["send_time"] = self.demo["now"] - 3600
        status, _, data = self.server.post_campaign(self.body(c), new_key())
        err = self.assert_error(status, data, 422, "not_submittable")
        self.assertIn("campaign.send_time_past", err["message"])
        self.assertEqual(len(self.campaign_rows()), before)

    def test_idempotency_key_required_and_checked(self):
        c = self.campaign("moment")
        status, _, data = self.server.post_campaign(self.body(c), None)
        self.assert_error(status, data, 400, "missing_idempotency_key")
        for bad in ("has space", "x" * 201, "ключ", "a/b"):
            status, _, data = self.server.request(
                "POST", "/api/campaigns", body=json.dumps(self.body(c)).encode(),
                headers={"Content-Type": "application/json", "Idempotency-Key": bad.encode("utf-8").decode("latin-1")})
            self.assert_error(status, data, 400, "invalid_idempotency_key")

    def test_oversized_body_is_413(self):
        s = self.strict
        auth = s.auth_headers()
        c = self.campaign("moment", server=s)
        # Refused from Content-Length alone, before the body is sent.
        conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
        conn.putrequest("POST", "/api/campaigns")
        for k, v in dict(auth, **{"Content-Type": "application/json", "Idempotency-Key": new_key(),
                                  "Content-Length": "10001"}).items():
            conn.putheader(k, v)
        conn.endheaders()
        r = conn.getresponse()
        self.assert_error(r.status, r.read(), 413, "body_too_large")
        conn.close()
        # A real body over the limit.
        big = self.body(copy.deepcopy(c))
        big["campaign"]["content"]["text"] = "x" * 20000
        status, _, data = s.post_campaign(big, new_key(), headers=auth)
        self.assert_error(status, data, 413, "body_too_large")
        # Chunked, no Content-Length (http.client chunks an iterator body).
        chunks = (b"x" * 4000 for _ in range(5))
        status, _, data = s.request("POST", "/api/campaigns", body=chunks,
                                    headers=dict(auth, **{"Idempotency-Key": new_key()}))
        self.assert_error(status, data, 413, "body_too_large")
        # The main server's default limit (8 MiB).
        conn = http.client.HTTPConnection("127.0.0.1", self.server.port, timeout=30)
        conn.putrequest("POST", "/api/campaigns")
        conn.putheader("Idempotency-Key", new_key())
        conn.putheader("Content-Length", str(8 * 1024 * 1024 + 1))
        conn.endheaders()
        r = conn.getresponse()
        self.assert_error(r.status, r.read(), 413, "body_too_large")
        conn.close()
        # Under the limit, chunked: accepted.
        raw = json.dumps(self.body(c)).encode()
        self.assertLess(len(raw), 10000)
        status, _, data = s.request("POST", "/api/campaigns", body=iter([raw[:100], raw[100:]]),
                                    headers=dict(auth, **{"Idempotency-Key": new_key(),
                                                          "Content-Type": "application/json"}))
        self.assertEqual(status, 201, data)

    # ------------------------------------------------------------------ auth, CORS, 404
    def test_token_and_cors(self):
        s = self.strict
        status, _, data = s.request("GET", "/api/dataset")
        self.assert_error(status, data, 401, "unauthorized")
        status, _, data = s.request("GET", "/api/campaigns", headers={"Authorization": "Bearer wrong"})
        self.assert_error(status, data, 401, "unauthorized")
        status, _, data = s.post_campaign(self.body(self.campaign("moment")), new_key())
        self.assert_error(status, data, 401, "unauthorized")
        status, hdrs, _ = s.request("GET", "/api/campaigns", headers=s.auth_headers())
        self.assertEqual(status, 200)
        self.assertNotIn("access-control-allow-origin", hdrs)
        # Preflight from the allowed origin (no token needed), and from another one.
        pre = {"Origin": "https://admin.example.com", "Access-Control-Request-Method": "POST",
               "Access-Control-Request-Headers": "authorization, content-type, idempotency-key"}
        status, hdrs, _ = s.request("OPTIONS", "/api/campaigns", headers=pre)
        self.assertIn(status, (200, 204))
        self.assertEqual(hdrs.get("access-control-allow-origin"), "https://admin.example.com")
        allowed = hdrs.get("access-control-allow-headers", "").lower()
        for h in ("authorization", "content-type", "idempotency-key"):
            self.assertIn(h, allowed)
        self.assertIn("POST", hdrs.get("access-control-allow-methods", ""))
        status, hdrs, _ = s.request("OPTIONS", "/api/campaigns", headers=dict(pre, Origin="https://evil.example"))
        self.assertNotIn("access-control-allow-origin", hdrs)
        self.assertEqual(status, 403)
        status, hdrs, _ = s.request("GET", "/api/dataset",
                                    headers=dict(s.auth_headers(), Origin="https://admin.example.com"))
        self.assertEqual(status, 200)
        self.assertEqual(hdrs.get("access-control-allow-origin"), "https://admin.example.com")
        status, _, data = s.post_campaign(self.body(self.campaign("moment")), new_key(),
                                          headers=dict(s.auth_headers(), Origin="https://evil.example"))
        self.assert_error(status, data, 403, "origin_not_allowed")
        # The default server allows no cross-origin calls.
        status, hdrs, _ = self.server.request("OPTIONS", "/api/dataset", headers=pre)
        self.assertNotIn("access-control-allow-origin", hdrs)

    def test_unknown_api_path_is_404_json(self):
        for method, path in (("GET", "/api/nope"), ("GET", "/api/campaigns/cmp_doesnotexist"), ("POST", "/api/dataset2")):
            status, hdrs, data = self.server.request(method, path, body=b"{}" if method == "POST" else None,
                                                     headers={"Idempotency-Key": new_key()})
            self.assert_error(status, data, 404, "not_found")
            self.assertEqual(hdrs["content-type"], "application/json; charset=utf-8")
        status, _, data = self.server.request("DELETE", "/api/campaigns")
        self.assertEqual(status, 405)

    # ------------------------------------------------------------------ static
    def test_static_files_types_and_gzip(self):
        s = self.server
        status, hdrs, data = s.request("GET", "/app.wasm")
        self.assertEqual(status, 200)
        self.assertEqual(hdrs["content-type"], "application/wasm")
        self.assertTrue(data.startswith(b"\x00asm"))
        status, hdrs, gz = s.request("GET", "/app.wasm", headers={"Accept-Encoding": "gzip, deflate"})
        self.assertEqual(hdrs.get("content-encoding"), "gzip")
        self.assertEqual(gzip.decompress(gz), data)
        status, hdrs, js = s.request("GET", "/app.js", headers={"Accept-Encoding": "gzip"})
        self.assertEqual(status, 200)
        self.assertTrue(hdrs["content-type"].startswith("text/javascript"))
        self.assertEqual(hdrs.get("content-encoding"), "gzip")
        self.assertIn(b"reachlens", gzip.decompress(js))
        status, hdrs, _ = s.request("GET", "/app.js", headers={"If-None-Match": hdrs["etag"]})
        self.assertEqual(status, 304)
        status, hdrs, _ = s.request("GET", "/fonts/ui.otf")
        self.assertEqual((status, hdrs["content-type"]), (200, "font/otf"))
        status, hdrs, _ = s.request("GET", "/style.css")
        self.assertEqual(status, 200)
        self.assertTrue(hdrs["content-type"].startswith("text/css"))
        self.assertNotIn("content-encoding", hdrs)  # too small to be worth it
        status, _, _ = s.request("GET", "/no-such-file.js")
        self.assertEqual(status, 404)

    def test_path_traversal_refused(self):
        with open(SERVE, "rb") as f:
            source_marker = f.read(200)
        for path in ("/../serve.py", "/%2e%2e/serve.py", "/..%2fserve.py", "/fonts/../../serve.py",
                     "/%2e%2e%2f%2e%2e%2fetc/passwd", "/..\\serve.py", "/.git/config", "//etc/passwd"):
            status, _, data = self.server.request("GET", path)
            self.assertIn(status, (400, 403, 404), path)
            self.assertNotIn(source_marker[:60], data, path)
            self.assertNotIn(b"root:", data, path)

    def test_built_app_served_when_present(self):
        web_build = os.path.join(ROOT, "build", "wasm", "web")
        index = [p for p in (os.path.join(web_build, "index.html"), os.path.join(ROOT, "web", "index.html"))
                 if os.path.isfile(p)]
        if not index and not os.path.isfile(os.path.join(ROOT, "web", "embed.js")):
            self.skipTest("no build/wasm/web/index.html, web/index.html or web/embed.js")
        if index:
            status, hdrs, data = self.server.request("GET", "/")
            self.assertEqual(status, 200)
            self.assertTrue(hdrs["content-type"].startswith("text/html"))
            self.assertEqual(hdrs.get("cache-control"), "no-cache")
            self.assertIn(b"<", data)
        wasm = sorted(n for n in (os.listdir(web_build) if os.path.isdir(web_build) else []) if n.endswith(".wasm"))
        if wasm:
            status, hdrs, _ = self.server.request("GET", "/" + urllib.parse.quote(wasm[0]))
            self.assertEqual((status, hdrs["content-type"]), (200, "application/wasm"))
        for name in ("embed.js", "host-demo.html"):
            if os.path.isfile(os.path.join(ROOT, "web", name)):
                status, hdrs, _ = self.server.request("GET", "/" + name)
                self.assertEqual(status, 200, name)


if __name__ == "__main__":
    unittest.main(verbosity=2)
