#!/usr/bin/env python3
"""serve.py's submission re-check on a big tenant (prints figures; not a test).

    python3 bench/serve_recheck_bench.py --tenant DIR [--runs 5] [--cli build/native/reachlens]
                                         [--http-max-mb 400]

DIR is a generated tenant (dataset.json, tenant.rlsnap, campaigns/). A POST /api/campaigns
is re-checked by one `reachlens preview --payload` run against the server's tenant snapshot
(serve.py App._check_and_store -> Engine.run). Two measurements of the 6-clause mass send
(campaigns/03-*, text only) under wecom-2025:

* the re-check itself, at any size: serve.py's own Engine.run, called as the POST handler
  calls it, against DIR/tenant.rlsnap (wall time and the CLI's CPU time);
* the whole POST through HTTP, when dataset.json is at most --http-max-mb: serve.py started
  on a data folder whose demo tenant is DIR's (it parses the whole JSON document into
  Python objects at start, to serve GET /api/dataset: ~8 bytes of memory per byte of JSON,
  so a 1M tenant's 1.6 GB would take ~13 GB), then N posts, each a new campaign id.

Prints a RESULT line for bench/run.sh: recheck_ms (median wall), recheck_cpu_ms, http_ms.
"""
import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, ROOT)
import serve  # noqa: E402  (the server's own Engine: the re-check measured is the server's)

PRESET = "wecom-2025"


def median(xs):
    return sorted(xs)[len(xs) // 2]


def children_cpu_ms():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (r.ru_utime + r.ru_stime) * 1000


def mass_send(tenant):
    """The tenant's 6-clause mass send, its attachments left out: a media attachment needs an
    upload first (422 media_missing), and uploads are not what is measured."""
    folder = os.path.join(tenant, "campaigns")
    name = sorted(f for f in os.listdir(folder) if f.startswith("03-"))[0]
    with open(os.path.join(folder, name), encoding="utf-8") as f:
        campaign = json.load(f)
    campaign["content"] = {k: v for k, v in campaign["content"].items() if k != "attachments"}
    return campaign


def engine_recheck(cli, tenant, campaign, runs):
    """serve.py's Engine.run as App._check_and_store calls it. Returns [(wall_ms, cpu_ms)]."""
    tmp = tempfile.mkdtemp(prefix="recheck-bench-")
    try:
        engine = serve.Engine(cli, tmp)
        times = []
        for _ in range(runs):
            c0, t0 = children_cpu_ms(), time.monotonic()
            rc, out, err, requests = engine.run("preview", os.path.join(tenant, "tenant.rlsnap"), campaign, PRESET,
                                                want_requests=True)
            times.append(((time.monotonic() - t0) * 1000, children_cpu_ms() - c0))
            if rc != 0 or requests is None:
                raise SystemExit("the re-check failed (exit %d): %s" % (rc, err))
        summary = json.loads(out)
        print("re-check (serve.py Engine.run, preview --payload on the snapshot): audience %d, reached %d, submittable %s"
              % (summary["audience"], summary["reached"], summary["submittable"]))
        return times
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def http_recheck(cli, tenant, campaign, runs):
    """The whole POST /api/campaigns against serve.py with DIR as its demo tenant. Returns [wall_ms]."""
    data = tempfile.mkdtemp(prefix="recheck-bench-data-")
    proc = None
    try:
        os.makedirs(os.path.join(data, "demo"))
        os.symlink(os.path.abspath(os.path.join(tenant, "dataset.json")), os.path.join(data, "demo", "dataset.json"))
        t0 = time.monotonic()
        proc = subprocess.Popen([sys.executable, os.path.join(ROOT, "serve.py"), "--port", "0", "--data", data, "--no-build",
                                 "--cli", cli, "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        origin = None
        for line in proc.stdout:
            if "listening on http://" in line:
                origin = line.split("listening on ", 1)[1].split("/ ", 1)[0].rstrip("/")
                break
        if origin is None:
            raise SystemExit("serve.py did not start")
        print("serve.py started on the tenant in %.1f s (JSON parsed, snapshot written)" % (time.monotonic() - t0))
        times = []
        for i in range(runs):
            doc = dict(campaign, id="recheck-bench-%d-%d" % (os.getpid(), i))
            body = json.dumps({"campaign": doc, "rules": PRESET}).encode("utf-8")
            req = urllib.request.Request(origin + "/api/campaigns", data=body, method="POST", headers={
                "Content-Type": "application/json", "Idempotency-Key": "recheck-bench-%d-%d" % (os.getpid(), i)})
            t = time.monotonic()
            try:
                with urllib.request.urlopen(req, timeout=600) as r:
                    answer = json.loads(r.read())
            except urllib.error.HTTPError as e:
                raise SystemExit("the submission was refused: %d %s" % (e.code, e.read().decode("utf-8", "replace")[:400]))
            times.append((time.monotonic() - t) * 1000)
            if answer.get("status") != "accepted":
                raise SystemExit("the submission was not accepted: %s" % answer)
        return times
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=30)
        shutil.rmtree(data, ignore_errors=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--tenant", required=True)
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--cli", default=os.path.join(ROOT, "build/native/reachlens"))
    p.add_argument("--http-max-mb", type=float, default=400)
    a = p.parse_args()
    cli = os.path.abspath(a.cli)
    campaign = mass_send(a.tenant)
    times = engine_recheck(cli, a.tenant, campaign, a.runs)
    wall, cpu = median([t[0] for t in times]), median([t[1] for t in times])
    print("re-check: median %.0f ms wall, %.0f ms CPU of %d runs [%s]" % (wall, cpu, a.runs, ", ".join("%.0f" % t[0] for t in times)))
    http = "-"
    json_mb = os.path.getsize(os.path.join(a.tenant, "dataset.json")) / 1e6
    if json_mb <= a.http_max_mb:
        posts = http_recheck(cli, a.tenant, campaign, a.runs)
        http = "%.1f" % median(posts)
        print("POST /api/campaigns through serve.py: median %s ms of %d [%s]" % (http, a.runs, ", ".join("%.0f" % t for t in posts)))
    else:
        print("POST through serve.py skipped: its start parses the %.0f MB JSON into Python (~%.0f GB); --http-max-mb %g"
              % (json_mb, json_mb * 8 / 1000, a.http_max_mb))
    print("RESULT serve_recheck recheck_ms=%.1f recheck_cpu_ms=%.1f http_ms=%s" % (wall, cpu, http))


if __name__ == "__main__":
    main()
