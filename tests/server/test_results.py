"""serve.py's results endpoints (contract 7, server API): WeCom's answers after a send are
posted for an accepted campaign, reconciled by the engine, stored, and served back; bad
results are refused naming the response, and nothing of them is kept."""
import copy
import json
import os
import shutil
import subprocess
import tempfile
import unittest
import uuid

import test_serve as ts


class ResultsTest(unittest.TestCase):
    maxDiff = 4000

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="reachlens-results-test-")
        cls.server = ts.ServerProcess(os.path.join(cls.tmp, "main")).start()
        cls.demo = os.path.join(cls.server.data, "demo")

    @classmethod
    def tearDownClass(cls):
        cls.server.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def demo_file(self, folder, name):
        with open(os.path.join(self.demo, folder, name), encoding="utf-8") as f:
            return json.load(f)

    def accept(self, name):
        """Submits demo campaign `name` under a fresh id; returns (server id, campaign)."""
        campaign = self.demo_file("campaigns", name)
        campaign["id"] = campaign["id"] + "-" + uuid.uuid4().hex[:8]
        campaign = ts.attach_uploads(self.server, campaign)  # its files uploaded first, as the page does
        body = {"campaign": campaign, "rules": "wecom-2020", "summary": {"format": "reachlens.preview/1"}, "requests": []}
        status, _, data = self.server.post_campaign(body, key=str(uuid.uuid4()))
        self.assertEqual(status, 201, data)
        return json.loads(data)["id"], campaign

    def post_results(self, cid, doc=None, raw=None):
        data = raw if raw is not None else json.dumps(doc, ensure_ascii=False).encode("utf-8")
        return self.server.request("POST", "/api/campaigns/%s/results" % cid, body=data,
                                   headers={"Content-Type": "application/json"})

    def results_for(self, name, campaign):
        doc = self.demo_file("results", name)
        doc["campaign_id"] = campaign["id"]
        return doc

    def cli_reconcile(self, campaign, results):
        """`reachlens reconcile` on the server's dataset (which schedules the accepted campaign)."""
        d = tempfile.mkdtemp(dir=self.tmp)
        status, _, dataset = self.server.get_json("/api/dataset")
        self.assertEqual(status, 200)
        for fname, obj in (("c.json", campaign), ("r.json", results), ("d.json", dataset)):
            with open(os.path.join(d, fname), "w", encoding="utf-8") as f:
                json.dump(obj, f, ensure_ascii=False)
        out = subprocess.run([ts.CLI, "reconcile", "--dataset", os.path.join(d, "d.json"),
                              "--campaign", os.path.join(d, "c.json"), "--results", os.path.join(d, "r.json")],
                             capture_output=True, check=True)
        return json.loads(out.stdout)

    def test_results_posted_are_reconciled_stored_and_read_back(self):
        names = sorted(os.listdir(os.path.join(self.demo, "results")))
        # One results file per demo campaign but the group send (contract 7 reconciles
        # customer campaigns only).
        customer_campaigns = [n for n in os.listdir(os.path.join(self.demo, "campaigns"))
                              if self.demo_file("campaigns", n)["kind"] != "group_send"]
        self.assertEqual(names, sorted(customer_campaigns))
        for name in [n for n in names if "mass-send" in n][:1] + [n for n in names if "moment" in n][:1]:
            with self.subTest(campaign=name):
                cid, campaign = self.accept(name)
                status, _, obj = self.server.get_json("/api/campaigns/%s/results" % cid)
                self.assertEqual(status, 404)
                self.assertEqual(obj["error"]["code"], "no_results")
                results = self.results_for(name, campaign)
                status, _, data = self.post_results(cid, results)
                self.assertEqual(status, 201, data)
                posted = json.loads(data)
                self.assertEqual(posted["id"], cid)
                self.assertEqual(posted["status"], "stored")
                rec = posted["reconcile"]
                self.assertEqual(rec["format"], "reachlens.reconcile/1")
                # The server previews the accepted campaign as it was before it went out (left
                # off the timeline where it is scheduled): the CLI's answer on the same data.
                self.assertEqual(rec, self.cli_reconcile(campaign, results))
                self.assertEqual(sum(n for row in rec["matrix"].values() for n in row.values()), rec["audience"])
                status, _, back = self.server.get_json("/api/campaigns/%s/results" % cid)
                self.assertEqual(status, 200)
                self.assertEqual(back, results)
                status, _, back = self.server.get_json("/api/campaigns/%s/results?reconcile=1" % cid)
                self.assertEqual(status, 200)
                self.assertEqual(back["results"], results)
                self.assertEqual(back["reconcile"], rec)
        # They survive a restart.
        self.server.restart()
        status, _, back = self.server.get_json("/api/campaigns/%s/results?reconcile=1" % cid)
        self.assertEqual(status, 200)
        self.assertEqual(back["reconcile"], rec)

    def test_a_campaign_accepted_under_a_taken_id_is_reconciled_once(self):
        """An accepted campaign whose id a generator campaign already has is scheduled as
        "<id>#<server id>". Its reconciliation leaves that entry off the timeline (not the
        generator campaign of the same id): the same answer as on the dataset without it."""
        name = sorted(n for n in os.listdir(os.path.join(self.demo, "results")) if "mass-send" in n)[0]
        status, _, dataset = self.server.get_json("/api/dataset")
        taken = next(c["id"] for c in dataset["scheduled"] if c["kind"] != "group_send")
        campaign = ts.attach_uploads(self.server, dict(self.demo_file("campaigns", name), id=taken))
        body = {"campaign": campaign, "rules": "wecom-2020", "summary": {"format": "reachlens.preview/1"}, "requests": []}
        status, _, data = self.server.post_campaign(body, key=str(uuid.uuid4()))
        self.assertEqual(status, 201, data)
        cid = json.loads(data)["id"]
        _, _, listed = self.server.get_json("/api/campaigns")
        sid = next(c["scheduled_id"] for c in listed["campaigns"] if c["id"] == cid)
        self.assertEqual(sid, "%s#%s" % (taken, cid))
        results = self.results_for(name, campaign)
        status, _, data = self.post_results(cid, results)
        self.assertEqual(status, 201, data)
        rec = json.loads(data)["reconcile"]
        # Expected: the server's dataset without the accepted entry, the generator campaign
        # kept under another id (so no id of the dataset names the campaign reconciled).
        _, _, dataset = self.server.get_json("/api/dataset")
        ids = [c["id"] for c in dataset["scheduled"]]
        self.assertIn(sid, ids)
        dataset["scheduled"] = [dict(c, id=c["id"] + "~generator") if c["id"] == taken else c
                                for c in dataset["scheduled"] if c["id"] != sid]
        d = tempfile.mkdtemp(dir=self.tmp)
        for fname, obj in (("c.json", campaign), ("r.json", results), ("d.json", dataset)):
            with open(os.path.join(d, fname), "w", encoding="utf-8") as f:
                json.dump(obj, f, ensure_ascii=False)
        out = subprocess.run([ts.CLI, "reconcile", "--dataset", os.path.join(d, "d.json"), "--preset", "wecom-2020",
                              "--campaign", os.path.join(d, "c.json"), "--results", os.path.join(d, "r.json")],
                             capture_output=True, check=True)
        self.assertEqual(rec, json.loads(out.stdout))

    def test_bad_results_are_refused_and_keep_what_was_stored(self):
        name = sorted(n for n in os.listdir(os.path.join(self.demo, "results")) if "mass-send" in n)[0]
        cid, campaign = self.accept(name)
        good = self.results_for(name, campaign)
        self.assertEqual(self.post_results(cid, good)[0], 201)
        _, _, before = self.server.get_json("/api/campaigns/%s/results" % cid)

        bad = copy.deepcopy(good)
        bad["responses"][0]["body"] = {"errcode": 45009, "errmsg": "api freq out of limit"}
        status, _, data = self.post_results(cid, bad)
        self.assertEqual(status, 400)
        err = ts.error_of(data)
        self.assertEqual(err["code"], "invalid_results")
        self.assertIn("/responses/0", err["message"])
        self.assertIn("45009", err["message"])

        bad = copy.deepcopy(good)
        del bad["responses"][0]["body"]["detail_list"][0]["status"]
        status, _, data = self.post_results(cid, bad)
        self.assertEqual(status, 400)
        self.assertIn("/responses/0/body/detail_list/0/status", ts.error_of(data)["message"])

        bad = copy.deepcopy(good)
        bad["campaign_id"] = "another-campaign"
        status, _, data = self.post_results(cid, bad)
        self.assertEqual(status, 400)
        self.assertIn("/campaign_id", ts.error_of(data)["message"])

        for raw in (b"{", b'{"format":"reachlens.results/1"', json.dumps({"format": "reachlens.preview/1"}).encode()):
            status, _, data = self.post_results(cid, raw=raw)
            self.assertEqual(status, 400, raw)

        _, _, after = self.server.get_json("/api/campaigns/%s/results" % cid)
        self.assertEqual(after, before)

        status, _, data = self.post_results("no_such_campaign", good)
        self.assertEqual(status, 404)
        status, _, obj = self.server.get_json("/api/campaigns/no_such_campaign/results")
        self.assertEqual(status, 404)
        self.assertEqual(obj["error"]["code"], "not_found")


if __name__ == "__main__":
    unittest.main()
