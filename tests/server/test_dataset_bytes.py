"""serve.py serves its tenant from the file's bytes (memory-mapped) with only the
top-level `scheduled` value replaced, found without building the document: these tests
check the served document against the old behaviour (the whole file parsed and
re-serialized), datasets whose `scheduled` is first / absent / imitated inside strings,
and a broken dataset refused at start.

    python3 -m unittest discover -s tests/server -p 'test_dataset_bytes.py' -v
"""

import gzip
import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import test_serve as ts  # noqa: E402  (ServerProcess, CLI)

_spec = importlib.util.spec_from_file_location("reachlens_serve", ts.SERVE)
serve = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(serve)


def compact(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def member(text, key):
    buf = text.encode("utf-8")
    found = serve.top_level_member(buf, key)
    if found is None:
        return None
    return serve._value_end(memoryview(buf), found[1])[0]


class TopLevelMemberScan(unittest.TestCase):
    def test_finds_the_top_level_member_only(self):
        doc = ('{"a":{"scheduled":[1]},"s":"\\"scheduled\\":[2]","t":"x\\\\",'
               '"u":["scheduled",{"scheduled":3}],"scheduled":[{"id":"m\\"}"}],"z":{}}')
        self.assertEqual(member(doc, "scheduled"), [{"id": 'm"}'}])

    def test_absent_member_is_none_even_when_nested_or_in_strings(self):
        doc = '{"a":{"scheduled":[1]},\n"b":"{\\"scheduled\\": [9]}","c":["scheduled"]}'
        self.assertIsNone(member(doc, "scheduled"))

    def test_bracket_inside_a_string_does_not_move_the_level(self):
        # Strings full of brackets before the member, with and without escapes, across the
        # newline-cut chunks of the scan.
        body = ",\n".join('"k%d":"%s"' % (i, "[{" * 5 + ("\\\\" if i % 2 else "")) for i in range(50))
        doc = "{%s,\n\"scheduled\" :\n [7],\"now\":5}" % body
        self.assertEqual(member(doc, "scheduled"), [7])
        self.assertEqual(member(doc, "now"), 5)

    def test_value_longer_than_the_first_window(self):
        big = [{"id": "c%d" % i, "text": "💄👍🏻 𠀋" * 50} for i in range(400)]
        doc = compact({"scheduled": big, "now": 1})
        self.assertEqual(member(doc, "scheduled"), big)


class ServedDataset(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="reachlens-dataset-bytes-test-")
        gen = os.path.join(cls.tmp, "gen")
        subprocess.run([ts.CLI, "generate", "--customers", "40", "--seed", "7", "--out", gen],
                       check=True, capture_output=True)
        with open(os.path.join(gen, "dataset.json"), encoding="utf-8") as f:
            cls.doc = json.load(f)
        cls.servers = []

    @classmethod
    def tearDownClass(cls):
        for s in cls.servers:
            s.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def serve_text(self, name, text):
        data = os.path.join(self.tmp, name)
        os.makedirs(os.path.join(data, "demo"))
        with open(os.path.join(data, "demo", "dataset.json"), "w", encoding="utf-8") as f:
            f.write(text)
        server = ts.ServerProcess(data)
        self.servers.append(server)
        server.start()
        return server

    def fetch(self, server):
        status, hdrs, plain = server.request("GET", "/api/dataset", headers=server.auth_headers())
        self.assertEqual(status, 200)
        status, zhdrs, zipped = server.request("GET", "/api/dataset",
                                               headers=dict(server.auth_headers(), **{"Accept-Encoding": "gzip"}))
        self.assertEqual(status, 200)
        self.assertEqual(zhdrs.get("content-encoding"), "gzip")
        self.assertEqual(gzip.decompress(zipped), plain)
        self.assertEqual(hdrs.get("etag"), zhdrs.get("etag"))
        return plain

    def old_behaviour(self, doc):
        """What serve.py served before: the document without `scheduled`, compact, then
        `scheduled` (its dict entries) last."""
        rest = dict(doc)
        base = rest.pop("scheduled", None) or []
        body = compact(rest).encode("utf-8")
        return body[:-1] + b',"scheduled":' + compact([c for c in base if isinstance(c, dict)]).encode("utf-8") + b"}"

    def test_compact_tenant_is_served_byte_for_byte_as_before(self):
        server = self.serve_text("compact", compact(self.doc))
        self.assertEqual(self.fetch(server), self.old_behaviour(self.doc))

    def test_generated_tenant_is_the_same_document_as_before(self):
        server = self.serve_text("generated", json.dumps(self.doc, ensure_ascii=False, indent=1))
        self.assertEqual(json.loads(self.fetch(server)), json.loads(self.old_behaviour(self.doc)))

    def test_scheduled_first_or_absent_or_imitated_in_strings(self):
        first = {"scheduled": self.doc["scheduled"]}
        first.update((k, v) for k, v in self.doc.items() if k != "scheduled")
        absent = {k: v for k, v in self.doc.items() if k != "scheduled"}
        tricky = json.loads(json.dumps(self.doc))
        tricky["enterprise"]["corp_name"] = '禾木 "scheduled":[{"id":"fake"}] \\ }]'
        for name, doc in (("first", first), ("absent", absent), ("tricky", tricky)):
            with self.subTest(name):
                server = self.serve_text(name, json.dumps(doc, ensure_ascii=False))
                served = json.loads(self.fetch(server))
                self.assertEqual(served, json.loads(self.old_behaviour(doc)))
                self.assertEqual(served["scheduled"], doc.get("scheduled", []))
                server.stop()

    def test_broken_dataset_is_refused_at_start_with_the_place(self):
        text = compact(self.doc)
        for name, broken in (("truncated", text[:len(text) // 2]),
                             ("duplicate", text[:-1] + ',"now":1}')):
            with self.subTest(name):
                with self.assertRaises(RuntimeError) as ctx:
                    self.serve_text(name, broken)
                self.assertIn("reachlens snapshot failed", str(ctx.exception))


if __name__ == "__main__":
    unittest.main()
