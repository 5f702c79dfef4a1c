#!/usr/bin/env python3
"""serve.py's submission re-check on a big tenant (prints figures; not a test).

    python3 bench/serve_recheck_bench.py --tenant DIR [--runs 5] [--cli build/native/reachlens]
                                         [--http-max-mb 4000]

DIR is a generated tenant (dataset.json, tenant.rlsnap, campaigns/). A POST /api/campaigns
is re-checked by one `reachlens preview --payload` run against the server's tenant snapshot
(serve.py App._check_and_store -> Engine.run). Two measurements of the 6-clause mass send
(campaigns/03-*, text only) under wecom-2025:

* the re-check itself, at any size: serve.py's own Engine.run, called as the POST handler
  calls it, against DIR/tenant.rlsnap (wall time and the CLI's CPU time);
* the whole POST through HTTP, when dataset.json is at most --http-max-mb (4000: not the
  10M tenant's 17 GB, whose snapshot step parses the JSON): serve.py started on a data folder whose demo tenant is DIR's
  (it maps dataset.json and writes its snapshot once: `reachlens snapshot`, timed apart),
  its start's wall and own CPU time, then N posts, each a new campaign id, one plain
  GET /api/dataset, and serve.py's own peak resident memory (VmHWM; the CLI runs apart).

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


def own_cpu_s(pid):
    """CPU seconds of the process itself (utime + stime, not its finished children)."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def vm_hwm(pid):
    """VmHWM counts the mapped dataset.json's pages; RssAnon is serve.py's own memory."""
    fields = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            key, _, value = line.partition(":")
            fields[key] = value.strip()
    return "%s (of it anonymous, RssAnon now: %s; the rest is the mapped file)" % (fields.get("VmHWM", "?"),
                                                                               fields.get("RssAnon", "?"))


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
        snapshot_line = "cached"
        snap_t = None
        for line in proc.stdout:
            if "writing the tenant snapshot" in line:
                snap_t = time.monotonic()
            elif snap_t is not None and snapshot_line == "cached":
                snapshot_line = "%.1f s wall" % (time.monotonic() - snap_t)
            if "listening on http://" in line:
                origin = line.split("listening on ", 1)[1].split("/ ", 1)[0].rstrip("/")
                break
        if origin is None:
            raise SystemExit("serve.py did not start")
        start_wall = time.monotonic() - t0
        print("serve.py started on the tenant in %.1f s wall, %.1f s of its own CPU (snapshot written by the CLI: %s)"
              % (start_wall, own_cpu_s(proc.pid), snapshot_line))
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
        t = time.monotonic()
        size = 0
        with urllib.request.urlopen(origin + "/api/dataset", timeout=600) as r:
            while True:
                block = r.read(1 << 22)
                if not block:
                    break
                size += len(block)
        print("GET /api/dataset (plain): %.0f MB in %.1f s wall" % (size / 1e6, time.monotonic() - t))
        print("serve.py's own CPU %.1f s, peak resident memory (VmHWM) %s" % (own_cpu_s(proc.pid), vm_hwm(proc.pid)))
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
    p.add_argument("--http-max-mb", type=float, default=4000)
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
        print("POST through serve.py skipped: its one-time `reachlens snapshot` would parse the %.0f MB JSON; --http-max-mb %g"
              % (json_mb, a.http_max_mb))
    print("RESULT serve_recheck recheck_ms=%.1f recheck_cpu_ms=%.1f http_ms=%s" % (wall, cpu, http))


if __name__ == "__main__":
    main()
