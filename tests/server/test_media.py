"""HTTP tests of serve.py's media store (POST/GET /api/media), the `media_missing`
check of submissions and `campaign_exists` (contract v1.1, embedding.md section 2).

Real serve.py subprocesses on free ports (see test_serve.ServerProcess); stdlib only.
"""

import copy
import hashlib
import http.client
import json
import os
import shutil
import socket
import tempfile
import time
import unittest
import urllib.parse
import uuid

from test_serve import CLI, ServerProcess, attach_uploads, error_of, new_key, sample_media, upload_media

MiB = 1024 * 1024


class MediaTest(unittest.TestCase):
    maxDiff = 4000

    @classmethod
    def setUpClass(cls):
        if not (os.path.isfile(CLI) and os.access(CLI, os.X_OK)):
            raise RuntimeError("the native CLI %s is missing: build it first" % CLI)
        cls.tmp = tempfile.mkdtemp(prefix="reachlens-media-test-")
        cls.server = ServerProcess(os.path.join(cls.tmp, "main")).start()
        cls.strict = ServerProcess(os.path.join(cls.tmp, "strict"), ["--token", "t0ken"]).start()
        demo = os.path.join(cls.server.data, "demo", "campaigns")
        cls.generated = []
        for name in sorted(os.listdir(demo)):
            with open(os.path.join(demo, name), encoding="utf-8") as f:
                cls.generated.append(json.load(f))

    @classmethod
    def tearDownClass(cls):
        for s in (getattr(cls, "server", None), getattr(cls, "strict", None)):
            if s:
                s.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    # ------------------------------------------------------------------ helpers
    def post_media(self, data, ctype, name, server=None, extra=None):
        s = server or self.server
        headers = dict(s.auth_headers())
        if ctype is not None:
            headers["Content-Type"] = ctype
        if name is not None:
            headers["X-Filename"] = urllib.parse.quote(name, safe="")
        headers.update(extra or {})
        status, hdrs, body = s.request("POST", "/api/media", body=data, headers=headers)
        return status, json.loads(body.decode("utf-8"))

    def announce_only(self, length, ctype, server=None):
        """A POST that declares `length` bytes and sends none: the answer must come
        from the headers alone."""
        s = server or self.server
        conn = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
        try:
            conn.putrequest("POST", "/api/media")
            conn.putheader("Content-Type", ctype)
            conn.putheader("X-Filename", "big.bin")
            conn.putheader("Content-Length", str(length))
            conn.endheaders()
            r = conn.getresponse()
            return r.status, error_of(r.read())
        finally:
            conn.close()

    def media_files(self, server=None):
        """Every file under DATA/media (the store and its temporary folder)."""
        root = os.path.join((server or self.server).data, "media")
        out = []
        for dirpath, _, files in os.walk(root):
            out += [os.path.relpath(os.path.join(dirpath, f), root) for f in files]
        return sorted(out)

    def campaign(self, msgtype):
        for c in self.generated:
            kinds = [a["msgtype"] for a in c.get("content", {}).get("attachments", [])]
            if msgtype in kinds:
                c = copy.deepcopy(c)
                c["id"] = "media-test-%s" % uuid.uuid4().hex[:8]
                return c
        self.fail("the generator wrote no campaign with a %s attachment" % msgtype)

    def submit(self, campaign, key=None, server=None):
        s = server or self.server
        body = {"campaign": campaign, "rules": None, "summary": None, "requests": []}
        status, _, data = s.post_campaign(body, key or new_key(), headers=s.auth_headers())
        return status, json.loads(data.decode("utf-8"))

    # ------------------------------------------------------------------ upload and download
    def test_upload_then_download_byte_identical(self):
        for kind, salt in (("image", b"a"), ("video", b"b"), ("file", b"c")):
            ctype, data = sample_media(kind, 300 * 1024, salt + os.urandom(64))
            name = "春季上新 💄 %s.bin" % kind
            status, answer = self.post_media(data, ctype, name)
            self.assertEqual(status, 201, answer)
            media = answer["media"]
            self.assertEqual(media["sha256"], hashlib.sha256(data).hexdigest())
            self.assertEqual(media["bytes"], len(data))
            self.assertEqual(media["content_type"], ctype)
            self.assertEqual(media["name"], name)
            self.assertTrue(media["id"])
            status, hdrs, got = self.server.request("GET", "/api/media/" + media["id"])
            self.assertEqual(status, 200)
            self.assertEqual(got, data)
            self.assertEqual(hdrs["content-type"], ctype)
            self.assertEqual(int(hdrs["content-length"]), len(data))
            # Conditional GET with the ETag.
            status, _, got = self.server.request("GET", "/api/media/" + media["id"],
                                                 headers={"If-None-Match": hdrs["etag"]})
            self.assertEqual((status, got), (304, b""))

    def test_same_bytes_same_id_one_stored_copy(self):
        ctype, data = sample_media("image", 5000, os.urandom(32))
        status, first = self.post_media(data, ctype, "a.png")
        self.assertEqual(status, 201, first)
        files = self.media_files()
        status, second = self.post_media(data, ctype, "b.png")
        self.assertEqual(status, 201, second)
        self.assertEqual(second["media"]["id"], first["media"]["id"])
        self.assertEqual(second["media"]["name"], "b.png")
        self.assertEqual(self.media_files(), files, "the same bytes are stored once")
        status, other = self.post_media(data + b"!", ctype, "a.png")
        self.assertNotEqual(other["media"]["id"], first["media"]["id"])

    def test_size_limits_per_kind(self):
        # Exactly at the limit: accepted (a 10 MB video, like a marketer's clip).
        ctype, data = sample_media("video", 10 * MiB, os.urandom(16))
        status, answer = self.post_media(data, ctype, "clip.mp4")
        self.assertEqual(status, 201, answer)
        self.assertEqual(answer["media"]["bytes"], 10 * MiB)
        # One byte over: refused from the Content-Length, before the bytes are sent.
        for ctype, limit in (("image/png", 10 * MiB), ("video/mp4", 10 * MiB), ("application/pdf", 20 * MiB)):
            status, err = self.announce_only(limit + 1, ctype)
            self.assertEqual(status, 413, err)
            self.assertEqual(err["code"], "media_too_large")
            self.assertIn(str(limit), err["message"])
            self.assertEqual(err["limit"], limit)
        # A file may be bigger than an image.
        ctype, data = sample_media("file", 10 * MiB + 1, os.urandom(16))
        status, answer = self.post_media(data, ctype, "brochure.pdf")
        self.assertEqual(status, 201, answer)

    def test_type_checked_by_leading_bytes(self):
        _, png = sample_media("image", 2000)
        _, mp4 = sample_media("video", 2000)
        jpeg = b"\xff\xd8\xff\xe0" + bytes(2000)
        cases = [(png, "image/jpeg", "media_type_mismatch"), (jpeg, "image/png", "media_type_mismatch"),
                 (png, "video/mp4", "media_type_mismatch"), (b"GIF8", "image/gif", "media_type_mismatch"),
                 (png, "image/tiff", "unsupported_media_type"), (mp4, "video/x-flv", "unsupported_media_type")]
        before = self.media_files()
        for data, ctype, code in cases:
            status, answer = self.post_media(data, ctype, "x")
            self.assertEqual((status, answer["error"]["code"]), (400, code), (ctype, answer))
            self.assertIn(ctype, answer["error"]["message"])
        # The matching declarations pass; a file of any type is not sniffed.
        self.assertEqual(self.post_media(jpeg, "image/jpeg", "x.jpg")[0], 201)
        self.assertEqual(self.post_media(jpeg, "image/jpg", "x.jpg")[1]["media"]["content_type"], "image/jpeg")
        self.assertEqual(self.post_media(png, "application/octet-stream", "x.bin")[0], 201)
        self.assertEqual(len(self.media_files()), len(before) + 2 * 2)  # two new media, bytes + metadata each

    def test_bad_headers_are_400(self):
        _, png = sample_media("image", 100)
        for ctype, name, extra, code in ((None, "x.png", None, "invalid_content_type"),
                                         ("image/png", None, None, "missing_filename"),
                                         ("image/png", "a/b.png", None, "invalid_filename"),
                                         ("image/png", None, {"X-Filename": "%E4%B8"}, "invalid_filename")):
            status, answer = self.post_media(png, ctype, name, extra=extra)
            self.assertEqual((status, answer["error"]["code"]), (400, code), answer)

    def test_no_partial_file_after_a_failure(self):
        before = self.media_files()
        # The client goes away halfway through the body.
        ctype, data = sample_media("image", 2 * MiB)
        sock = socket.create_connection(("127.0.0.1", self.server.port), timeout=30)
        head = ("POST /api/media HTTP/1.1\r\nHost: x\r\nContent-Type: %s\r\nX-Filename: half.png\r\n"
                "Content-Length: %d\r\n\r\n" % (ctype, len(data))).encode()
        sock.sendall(head + data[:MiB])
        sock.close()
        # A wrong type found after the first bytes.
        self.assertEqual(self.post_media(b"\xff\xd8\xff" + bytes(MiB), "image/png", "x.png")[0], 400)
        # Wait until the server has seen the disconnect (a GET is served after it).
        for _ in range(50):
            self.assertEqual(self.server.request("GET", "/api/media/" + "0" * 64)[0], 404)
            if self.media_files() == before:
                break
            time.sleep(0.1)
        self.assertEqual(self.media_files(), before)

    def test_unknown_media_is_404_and_token_required(self):
        for path in ("/api/media/" + "0" * 64, "/api/media/../../reachlens.sqlite3", "/api/media/x"):
            status, _, data = self.server.request("GET", path)
            self.assertEqual(status, 404, path)
            self.assertEqual(error_of(data)["code"], "not_found")
        ctype, data = sample_media("image", 100)
        status, _, body = self.strict.request("POST", "/api/media", body=data,
                                              headers={"Content-Type": ctype, "X-Filename": "x.png"})
        self.assertEqual((status, error_of(body)["code"]), (401, "unauthorized"))
        status, answer = self.post_media(data, ctype, "x.png", server=self.strict)
        self.assertEqual(status, 201, answer)
        self.assertEqual(self.strict.request("GET", "/api/media/" + answer["media"]["id"])[0], 401)
        status, _, got = self.strict.request("GET", "/api/media/" + answer["media"]["id"],
                                             headers=self.strict.auth_headers())
        self.assertEqual((status, got), (200, data))

    # ------------------------------------------------------------------ submissions
    def test_submission_needs_every_medium_uploaded(self):
        for msgtype in ("image", "video", "file"):
            c = self.campaign(msgtype)
            index = [a["msgtype"] for a in c["content"]["attachments"]].index(msgtype)
            # No `media` at all.
            status, answer = self.submit(c)
            self.assertEqual((status, answer["error"]["code"]), (422, "media_missing"), answer)
            first_medium = min(i for i, a in enumerate(c["content"]["attachments"])
                               if a["msgtype"] in ("image", "video", "file"))
            self.assertEqual(answer["error"]["pointer"], "/campaign/content/attachments/%d/%s/media"
                             % (first_medium, c["content"]["attachments"][first_medium]["msgtype"]))
            # Uploaded, except one that names a medium the server does not have.
            attach_uploads(self.server, c)
            c["content"]["attachments"][index][msgtype]["media"] = "f" * 64
            status, answer = self.submit(c)
            self.assertEqual((status, answer["error"]["code"]), (422, "media_missing"), answer)
            self.assertEqual(answer["error"]["pointer"], "/campaign/content/attachments/%d/%s/media" % (index, msgtype))
            self.assertIn(c["content"]["attachments"][index][msgtype]["name"], answer["error"]["message"])
            self.assertNotIn(c["id"], [r["campaign"]["id"] for r in self.rows()], "a refused campaign is not stored")

    def test_submission_size_must_match_the_upload(self):
        c = attach_uploads(self.server, self.campaign("image"))
        index = [a["msgtype"] for a in c["content"]["attachments"]].index("image")
        c["content"]["attachments"][index]["image"]["bytes"] -= 1
        status, answer = self.submit(c)
        self.assertEqual((status, answer["error"]["code"]), (422, "media_mismatch"), answer)
        self.assertEqual(answer["error"]["pointer"], "/campaign/content/attachments/%d/image/bytes" % index)

    def test_uploaded_media_reach_the_request_bodies(self):
        c = attach_uploads(self.server, self.campaign("video"))
        status, answer = self.submit(c)
        self.assertEqual(status, 201, answer)
        status, _, rec = self.server.get_json("/api/campaigns/" + answer["id"])
        self.assertEqual(status, 200)
        wanted = ["media:" + a[a["msgtype"]]["media"] for a in c["content"]["attachments"]
                  if a["msgtype"] in ("image", "video", "file")]
        sent = json.dumps(rec["requests"])
        for ref in wanted:
            self.assertIn('"media_id": "%s"' % ref, sent)
        self.assertNotIn("${upload:", sent)
        self.assertEqual(rec["campaign"]["content"], c["content"], "the stored campaign keeps its media ids")

    # ------------------------------------------------------------------ campaign_exists
    def rows(self, server=None):
        s = server or self.server
        status, _, obj = s.get_json("/api/campaigns", headers=s.auth_headers())
        self.assertEqual(status, 200)
        return obj["campaigns"]

    def test_a_campaign_id_is_accepted_once(self):
        c = attach_uploads(self.server, self.campaign("image"))
        key = new_key()
        status, first = self.submit(c, key)
        self.assertEqual(status, 201, first)
        count = len(self.rows())
        # The same key and body: the same answer (a retry), nothing stored twice.
        self.assertEqual(self.submit(c, key), (201, first))
        # Another key (a reload that lost the key, another tab): refused, naming the first.
        for changed in (False, True):
            again = copy.deepcopy(c)
            if changed:
                again["content"]["text"] = "第二次 " + again["content"].get("text", "")
            status, answer = self.submit(again)
            self.assertEqual((status, answer["error"]["code"]), (409, "campaign_exists"), answer)
            self.assertEqual(answer["error"]["id"], first["id"])
            self.assertIn(c["id"], answer["error"]["message"])
        self.assertEqual(len(self.rows()), count)
        # A new campaign id is a new campaign.
        c2 = dict(c, id=c["id"] + "-2")
        status, second = self.submit(c2)
        self.assertEqual(status, 201, second)
        self.assertNotEqual(second["id"], first["id"])
        # Still refused after a restart (the rule lives in the store, not in memory).
        self.server.restart()
        status, answer = self.submit(c)
        self.assertEqual((status, answer["error"]["code"]), (409, "campaign_exists"), answer)
        self.assertEqual(self.submit(c, key), (201, first))
        self.assertEqual(len(self.rows()), count + 1)


if __name__ == "__main__":
    unittest.main()
