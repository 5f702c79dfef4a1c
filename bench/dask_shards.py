#!/usr/bin/env python3
"""Runs one preview as N shards on a Dask distributed cluster and merges them.

    python3 bench/dask_shards.py --dataset T.rlsnap --campaign C.json --shards N
        [--preset NAME | --rules R.json] [--scheduler tcp://HOST:8786 | --local-workers 2]
        [--cli build/native/reachlens] [--out summary.json]

Customers are independent in the simulation, so `reachlens preview --shard i/N` computes
the partial summary of shard i's customers (a contiguous range of customer indices) and
`reachlens merge` adds the parts into exactly the summary of the whole (docs/shards.md).
Each Dask task runs the native CLI on a worker over the same snapshot: the snapshot, the
campaign and the CLI must be at the same paths on every worker (a shared file system),
which is what lets one preview span tenants past what one browser or one machine holds.
Without --scheduler, a LocalCluster of --local-workers single-threaded worker processes
runs on this machine. Prints the merged summary (reachlens.preview/1) on stdout.
"""
import argparse
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_shard(cli, dataset, campaign, rules_args, index, count):
    """One task: the partial summary of shard index/count, as text (runs on a worker)."""
    cmd = [cli, "preview", "--dataset", dataset, "--campaign", campaign, "--shard", "%d/%d" % (index, count)] + rules_args
    r = subprocess.run(cmd, capture_output=True)
    if r.returncode != 0:
        raise RuntimeError("shard %d/%d: %s" % (index, count, r.stderr.decode("utf-8", "replace").strip()))
    return r.stdout.decode("utf-8")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dataset", required=True, help="a snapshot (or JSON dataset) every worker can read")
    ap.add_argument("--campaign", required=True)
    ap.add_argument("--shards", type=int, required=True)
    group = ap.add_mutually_exclusive_group()
    group.add_argument("--preset")
    group.add_argument("--rules")
    ap.add_argument("--scheduler", help="address of a running Dask scheduler")
    ap.add_argument("--local-workers", type=int, default=2)
    ap.add_argument("--cli", default=os.path.join(ROOT, "build", "native", "reachlens"))
    ap.add_argument("--out", help="write the merged summary here instead of stdout")
    args = ap.parse_args()
    if args.shards < 1:
        ap.error("--shards must be at least 1")

    from dask.distributed import Client, LocalCluster  # python3-distributed (Debian)

    cli, dataset, campaign = (os.path.abspath(p) for p in (args.cli, args.dataset, args.campaign))
    rules_args = ["--rules", os.path.abspath(args.rules)] if args.rules else ["--preset", args.preset] if args.preset else []
    cluster = None
    if args.scheduler:
        client = Client(args.scheduler)
    else:
        cluster = LocalCluster(n_workers=args.local_workers, threads_per_worker=1, processes=True,
                               dashboard_address=None, silence_logs=40)
        client = Client(cluster)
    try:
        futures = [client.submit(run_shard, cli, dataset, campaign, rules_args, i, args.shards, pure=False)
                   for i in range(args.shards)]
        parts = client.gather(futures)
        workers = len(client.scheduler_info()["workers"])
    finally:
        client.close()
        if cluster is not None:
            cluster.close()

    with tempfile.TemporaryDirectory(prefix="reachlens-shards-") as tmp:
        paths = []
        for i, text in enumerate(parts):
            p = os.path.join(tmp, "part-%d.json" % i)
            with open(p, "w", encoding="utf-8") as f:
                f.write(text)
            paths.append(p)
        r = subprocess.run([cli, "merge"] + paths, capture_output=True)
    if r.returncode != 0:
        sys.stderr.write(r.stderr.decode("utf-8", "replace"))
        return r.returncode
    if args.out:
        with open(args.out, "wb") as f:
            f.write(r.stdout)
    else:
        sys.stdout.buffer.write(r.stdout)
    sys.stderr.write("merged %d shards computed on %d Dask workers\n" % (args.shards, workers))
    return 0


if __name__ == "__main__":
    sys.exit(main())
