"""bench/dask_shards.py: one preview as shards on a local Dask cluster of 2 worker
processes, over a snapshot, merges into exactly the whole preview's summary."""
import glob
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLI = os.environ.get("REACHLENS_CLI") or os.path.join(ROOT, "build", "native", "reachlens")


def python_with_dask():
    """This interpreter, or Debian's (python3-distributed, installed by scripts/setup.sh)."""
    for py in (sys.executable, "/usr/bin/python3"):
        if os.access(py, os.X_OK) and subprocess.run([py, "-c", "import dask.distributed"], capture_output=True).returncode == 0:
            return py
    raise RuntimeError("dask.distributed is missing: run scripts/setup.sh (Debian package python3-distributed)")


class DaskShardsTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="reachlens-dask-test-")

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def run_ok(self, cmd):
        r = subprocess.run(cmd, capture_output=True, timeout=300)
        self.assertEqual(r.returncode, 0, r.stderr.decode("utf-8", "replace"))
        return r

    def test_shards_on_two_workers_merge_into_the_whole_preview(self):
        tenant = os.path.join(self.tmp, "tenant")
        self.run_ok([CLI, "generate", "--customers", "3000", "--seed", "5", "--out", tenant])
        snap = os.path.join(self.tmp, "t.rlsnap")
        self.run_ok([CLI, "snapshot", "--dataset", os.path.join(tenant, "dataset.json"), "--out", snap])
        campaigns = sorted(glob.glob(os.path.join(tenant, "campaigns", "*.json")))
        campaign = next(c for c in campaigns if "mass-send" in os.path.basename(c))
        whole = self.run_ok([CLI, "preview", "--dataset", snap, "--campaign", campaign, "--preset", "wecom-2025"]).stdout
        r = self.run_ok([python_with_dask(), os.path.join(ROOT, "bench", "dask_shards.py"), "--dataset", snap,
                         "--campaign", campaign, "--preset", "wecom-2025", "--shards", "5", "--local-workers", "2",
                         "--cli", CLI])
        self.assertEqual(r.stdout, whole)
        self.assertIn(b"merged 5 shards computed on 2 Dask workers", r.stderr)


if __name__ == "__main__":
    unittest.main()
