"""serve.py and customer-group sends (客户群群发, contract section 8), end to end.

The server re-checks a submitted group send with the CLI like any campaign: it accepts a
submittable one, stores its own summary (groups, members_reached) and the group request
bodies, and puts it on the timeline of later submissions; it refuses unknown chat ids,
a filter on a group send and malformed chat lists. Uses test_serve's ServerProcess.

    python3 -m unittest discover -s tests/server -v      (from the repo root)
"""

import copy
import json
import os
import shutil
import subprocess
import tempfile
import unittest
import uuid

from test_serve import CLI, ServerProcess, attach_uploads, error_of, new_key


class GroupSendServeTest(unittest.TestCase):
    maxDiff = 4000

    @classmethod
    def setUpClass(cls):
        if not (os.path.isfile(CLI) and os.access(CLI, os.X_OK)):
            raise RuntimeError("the native CLI %s is missing: build it first" % CLI)
        cls.tmp = tempfile.mkdtemp(prefix="reachlens-group-serve-test-")
        cls.server = ServerProcess(os.path.join(cls.tmp, "main")).start()
        demo = os.path.join(cls.server.data, "demo")
        with open(os.path.join(demo, "dataset.json"), encoding="utf-8") as f:
            cls.demo = json.load(f)
        with open(os.path.join(demo, "campaigns", "07-group-send.json"), encoding="utf-8") as f:
            cls.group_draft = json.load(f)
        cls.groups = {g["chat_id"]: g for g in cls.demo["groupchats"]}

    @classmethod
    def tearDownClass(cls):
        if getattr(cls, "server", None):
            cls.server.stop()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    # ------------------------------------------------------------------ helpers
    def draft(self):
        c = copy.deepcopy(self.group_draft)
        c["id"] = "test-group-%s" % uuid.uuid4().hex[:6]
        return c

    def submit(self, campaign, rules=None):
        # Its image, video and file attachments uploaded first, as the page does.
        campaign = attach_uploads(self.server, copy.deepcopy(campaign))
        body = {"campaign": campaign, "rules": rules, "summary": None, "requests": None}
        return self.server.post_campaign(body, new_key())

    def record(self, server_id):
        status, _, rec = self.server.get_json("/api/campaigns/" + server_id)
        self.assertEqual(status, 200)
        return rec

    def postable_group(self):
        """A chat id whose owner is active and whose status lets the owner post."""
        active = {e["userid"] for e in self.demo["employees"] if e["status"] == "active"}
        for chat_id in sorted(self.groups):
            g = self.groups[chat_id]
            if g["status"] in (0, 3) and g["owner"] in active:
                return g
        self.fail("the demo tenant has no group an owner can post into")

    # ------------------------------------------------------------------ tests
    def test_demo_tenant_has_groups_history_and_a_scheduled_group_send(self):
        self.assertGreater(len(self.groups), 0)
        self.assertTrue(any(g["status"] in (1, 2) for g in self.groups.values()), "no group awaiting a new owner")
        kinds = [d["kind"] for d in self.demo["deliveries"]]
        self.assertIn("group_send", kinds)
        for d in self.demo["deliveries"]:
            if d["kind"] == "group_send":
                self.assertIn(d["chat_id"], self.groups)
                self.assertNotIn("external_userid", d)
        self.assertIn("group_send", [c["kind"] for c in self.demo["scheduled"]])
        self.assertEqual(self.group_draft["kind"], "group_send")

    def test_group_send_accepted_with_the_servers_group_bodies(self):
        c = self.draft()
        status, _, data = self.submit(c, "wecom-2025")
        self.assertEqual(status, 201, data)
        answer = json.loads(data)
        rec = self.record(answer["id"])
        summary = rec["summary"]
        self.assertTrue(summary["submittable"])
        self.assertIn("members_reached", summary)
        self.assertIn("members_multi", summary)
        self.assertLessEqual(summary["members_multi"], summary["members_reached"])
        self.assertLessEqual(summary["reached"], len(self.groups))
        # One add_msg_template per owner, chat_type group, listing that owner's groups only.
        listed = []
        senders = []
        for r in rec["requests"]:
            self.assertEqual(r["api"], "externalcontact/add_msg_template")
            body = r["body"]
            self.assertEqual(body["chat_type"], "group")
            self.assertNotIn("external_userid", body)
            self.assertLessEqual(len(body["chat_id_list"]), 2000)
            self.assertEqual(body["chat_id_list"], sorted(body["chat_id_list"]))
            for chat_id in body["chat_id_list"]:
                g = self.groups[chat_id]
                self.assertEqual(g["owner"], body["sender"])
                self.assertIn(g["status"], (0, 3), "a group awaiting a new owner is not sent to")
            self.assertEqual(body["text"]["content"], c["content"]["text"])
            listed += body["chat_id_list"]
            senders.append(body["sender"])
        self.assertEqual(len(listed), summary["reached"])
        self.assertEqual(senders, sorted(set(senders)))
        # It is on the timeline now: the served dataset lists it and loads in the engine.
        status, _, doc = self.server.get_json("/api/dataset")
        self.assertEqual(status, 200)
        mine = [s for s in doc["scheduled"] if s["id"] == c["id"]]
        self.assertEqual(len(mine), 1)
        self.assertEqual(mine[0]["kind"], "group_send")
        d = tempfile.mkdtemp(dir=self.tmp)
        with open(os.path.join(d, "dataset.json"), "w", encoding="utf-8") as f:
            json.dump(doc, f, ensure_ascii=False)
        r = subprocess.run([CLI, "preview", "--dataset", os.path.join(d, "dataset.json"),
                            "--campaign", os.path.join(self.server.data, "demo", "campaigns", "07-group-send.json")],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        impact = {e["campaign_id"]: e for e in json.loads(r.stdout)["impact"]}
        self.assertIn(c["id"], impact)

    def test_accepted_group_send_takes_the_slot_a_later_one_wanted(self):
        # Custom rules: one group send a day per group. The second send into the same group
        # the same day is still submittable, and the server's re-check finds it blocked.
        rules = {"format": "reachlens.rules/1", "quotas": [
            {"id": "group_day", "kind": "group_send", "origin": "any", "count": 1, "window": "day", "per": "group"}],
            "policies": [], "not_interested_hours": 168, "multi_sender": {"moment": "first_added", "mass_send": "each"},
            "moments_excluded_industries": [], "moments_require_verified": False}
        g = self.postable_group()
        first = self.draft()
        first["senders"] = {"user_list": [g["owner"]], "department_list": []}
        first["audience"] = {"chat_list": [g["chat_id"]]}
        first["send_time"] = self.demo["now"] + 30 * 86400 + 3600  # a day no other test uses
        status, _, data = self.submit(first, rules)
        self.assertEqual(status, 201, data)
        self.assertEqual(self.record(json.loads(data)["id"])["summary"]["reached"], 1)
        second = copy.deepcopy(first)
        second["id"] = first["id"] + "-again"
        second["send_time"] = first["send_time"] + 3600
        status, _, data = self.submit(second, rules)
        self.assertEqual(status, 201, data)
        rec = self.record(json.loads(data)["id"])
        self.assertEqual(rec["summary"]["reached"], 0)
        self.assertEqual(rec["summary"]["blocked"], {"quota:group_day": 1})
        self.assertEqual(rec["requests"], [])

    def test_unknown_chat_filter_and_employee_origin_are_refused(self):
        before = len(self.server.get_json("/api/campaigns")[2]["campaigns"])
        c = self.draft()
        c["audience"] = {"chat_list": [self.postable_group()["chat_id"], "wrNoSuchGroup"]}
        status, _, data = self.submit(c)
        self.assertEqual(status, 422, data)
        err = error_of(data)
        self.assertEqual(err["code"], "not_submittable")
        self.assertEqual([e["code"] for e in err["errors"]], ["campaign.unknown_chat"])
        self.assertIn("wrNoSuchGroup", err["errors"][0]["message"])

        c = self.draft()
        c["audience"] = {"filter": {"gender": 2}}
        status, _, data = self.submit(c)
        self.assertEqual(status, 422, data)
        self.assertEqual([e["code"] for e in error_of(data)["errors"]], ["audience.filter_not_supported"])

        c = self.draft()
        c["origin"] = "employee"
        c["senders"] = {"user_list": [], "department_list": [1]}
        status, _, data = self.submit(c)
        self.assertEqual(status, 422, data)
        self.assertIn("senders.employee_origin_needs_one", [e["code"] for e in error_of(data)["errors"]])
        self.assertEqual(len(self.server.get_json("/api/campaigns")[2]["campaigns"]), before, "nothing refused is stored")

    def test_malformed_chat_list_is_400_with_its_pointer(self):
        c = self.draft()
        c["audience"] = {"chat_list": ["wrA", 7]}
        status, _, data = self.submit(c)
        self.assertEqual(status, 400, data)
        err = error_of(data)
        self.assertEqual(err["code"], "invalid_campaign")
        self.assertIn("/audience/chat_list/1", err["message"])


if __name__ == "__main__":
    unittest.main()
