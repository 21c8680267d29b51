"""LSIP packs on the real files: ``--executor local --jobs 2`` against ``--executor dask``
with a two-worker ``LocalCluster``, in the same run (issue 16).

In a temporary project (``LIS_HOME``) holding the pack's notebooks, with the store of
``../shared/data/public`` built first:

- **local**: ``lis run --raw PUBLIC --area AREAS --jobs 2`` (fresh reports, no cached
  area results);
- **dask**: the same with ``--executor dask`` (a ``LocalCluster`` of two worker processes
  started by the run, inputs shipped to them, pages written by the client);
- **scheduler overhead**: on a two-worker ``LocalCluster``, 400 tasks that do nothing and
  20 that return 1.5 MB (a job's pages), one after another: the seconds the scheduler
  and the wire add to a job, with no notebook in it.

Local and dask runs alternate (the machine is shared: the load average is recorded before
and after). ``BENCH_LSIPS`` chooses the areas: ``all`` for every LSIP (``--area
all-lsips``, 380 notebooks: about half an hour per run on two shared cores), or a number
N (default 6) for the first N LSIPs in code order, a representative subset of the same
notebooks on the same data; the figures say which. ``BENCH_REPEATS`` (default 2) runs of
each.

Target: the dask run takes at most 1.10 x the local run (best of each).
"""

from __future__ import annotations

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
PUBLIC = REPO.parent / "shared" / "data" / "public"
BIN = Path(sys.executable).parent


def _wall(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    res = subprocess.run(cmd, env=env, capture_output=True, text=True)
    took = time.perf_counter() - t0
    if res.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({res.returncode}):\n{res.stderr[-3000:]}")
    return took


def _lsips(root: Path, env: dict[str, str], lis: str) -> list[str]:
    out = subprocess.run(
        [lis, "areas", "--raw", str(PUBLIC), "--level", "lsip", "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return sorted(a["code"] for a in json.loads(out))


def _record(reports: Path) -> dict:
    return json.loads(max((reports / "_runs").glob("*.json")).read_text(encoding="utf-8"))


def _scheduler_overhead() -> dict:
    """Seconds per task of the scheduler and the wire alone, on a two-worker LocalCluster."""
    from distributed import Client, LocalCluster

    def nothing(i: int) -> int:
        return i

    def pages(i: int) -> bytes:
        return bytes(1_500_000)

    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        client.submit(nothing, -1, pure=False).result()  # warm-up
        n = 400
        t0 = time.perf_counter()
        for i in range(n):
            client.submit(nothing, i, pure=False).result()
        one_by_one = (time.perf_counter() - t0) / n
        t0 = time.perf_counter()
        client.gather([client.submit(nothing, i, pure=False) for i in range(n)])
        batch = (time.perf_counter() - t0) / n
        m = 20
        t0 = time.perf_counter()
        for i in range(m):
            client.submit(pages, i, pure=False).result()
        with_pages = (time.perf_counter() - t0) / m
    return {
        "noop_round_trip_s": round(one_by_one, 5),
        "noop_throughput_s_per_task": round(batch, 5),
        "round_trip_with_1_5_MB_result_s": round(with_pages, 5),
    }


def main() -> dict:
    if not PUBLIC.is_dir():
        return {"skipped": f"{PUBLIC} not found", "targets_met": None}
    import distributed

    repeats = int(os.environ.get("BENCH_REPEATS") or 2)
    which = (os.environ.get("BENCH_LSIPS") or "6").strip().lower()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="lis-bench-cluster-") as tmp:
        root = Path(tmp)
        (root / "notebooks").mkdir()
        for f in (REPO / "notebooks").iterdir():
            if f.suffix in (".py", ".yaml"):
                shutil.copy2(f, root / "notebooks" / f.name)
        env = {
            **os.environ,
            "LIS_HOME": str(root),
            "MPLCONFIGDIR": str(root / ".cache" / "matplotlib"),
            "IPYTHONDIR": str(root / ".cache" / "ipython"),
            "JUPYTER_CONFIG_DIR": str(root / ".cache" / "jupyter"),
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        }
        lis = str(BIN / "lis")
        raw = ["--raw", str(PUBLIC)]
        print("   setting up: ingest the real files into the temporary project", flush=True)
        _wall([lis, "ingest", *raw], env)
        lsips = _lsips(root, env, lis)
        if which == "all":
            area_arg, chosen = "all-lsips", lsips
        else:
            chosen = lsips[: int(which)]
            area_arg = ",".join(chosen)
        # warm-up (bytecode, font cache, page cache): one notebook, both executors
        for ex in ("local", "dask"):
            _wall(
                [lis, "run", *raw, "--area", chosen[0], "--only", "90_sources_and_methods",
                 "--reports", str(root / f"warm-{ex}"), "--executor", ex, "--jobs", "2"],
                env,
            )  # fmt: skip
        runs: dict[str, list[dict]] = {"local": [], "dask": []}
        for i in range(repeats):
            for ex in ("local", "dask"):
                reports = root / f"reports-{ex}-{i}"
                for cache in (root / "data" / "processed").rglob("cache"):
                    shutil.rmtree(cache, ignore_errors=True)  # no area results from before
                wall = _wall(
                    [lis, "run", *raw, "--area", area_arg, "--reports", str(reports),
                     "--executor", ex, "--jobs", "2"],
                    env,
                )  # fmt: skip
                rec = _record(reports)
                nbs = list(rec["notebooks"].values())
                runs[ex].append(
                    {
                        "wall_s": round(wall, 2),
                        "notebooks": len(nbs),
                        "failed": sum(n["status"] == "failed" for n in nbs),
                        "sum_notebook_s": round(sum(n.get("seconds") or 0 for n in nbs), 2),
                        "index_s": rec.get("index_seconds"),
                        "executor": rec.get("executor"),
                        "load_average": [round(x, 2) for x in os.getloadavg()],
                    }
                )
                print(
                    f"   {ex:5s} run {i + 1}: {wall:.1f} s for {len(nbs)} notebooks "
                    f"(load {os.getloadavg()[0]:.1f})",
                    flush=True,
                )
                shutil.rmtree(reports, ignore_errors=True)
    overhead = _scheduler_overhead()
    best_local = min(r["wall_s"] for r in runs["local"])
    best_dask = min(r["wall_s"] for r in runs["dask"])
    n = runs["local"][0]["notebooks"]
    dask_stats = [r["executor"].get("stats", {}) for r in runs["dask"]]
    per_job_wire = statistics.median(
        (2 * r["wall_s"] - r["sum_notebook_s"]) / r["notebooks"] for r in runs["dask"]
    )
    figures = {
        "cpus": os.cpu_count(),
        "distributed": distributed.__version__,
        "areas": "every LSIP (all-lsips)"
        if which == "all"
        else f"the first {len(chosen)} of "
        f"{len(lsips)} LSIPs, by code (a subset: see docs/cluster.md for the extrapolation)",
        "area_codes": chosen,
        "lsips_in_data": len(lsips),
        "notebooks_per_run": n,
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "local": runs["local"],
        "dask": runs["dask"],
        "best_local_s": best_local,
        "best_dask_s": best_dask,
        "dask_over_local": round(best_dask / best_local, 3),
        "seconds_per_notebook_local": round(
            statistics.median(r["sum_notebook_s"] / r["notebooks"] for r in runs["local"]), 2
        ),
        "seconds_per_notebook_dask": round(
            statistics.median(r["sum_notebook_s"] / r["notebooks"] for r in runs["dask"]), 2
        ),
        "wall_per_notebook_per_worker_local_s": round(2 * best_local / n, 2),
        "wall_per_notebook_per_worker_dask_s": round(2 * best_dask / n, 2),
        "dask_idle_and_overhead_per_job_s": round(per_job_wire, 3),
        "dask_client_write_per_job_s": round(
            statistics.median(
                s.get("client_seconds_writing", 0) / max(1, s.get("jobs", 1)) for s in dask_stats
            ),
            4,
        ),  # fmt: skip
        "dask_client_fetch_per_job_s": round(
            statistics.median(
                s.get("client_seconds_fetching", 0) / max(1, s.get("jobs", 1)) for s in dask_stats
            ),
            4,
        ),  # fmt: skip
        "dask_bytes_back_per_job": int(
            statistics.median(
                s.get("written_bytes", 0) / max(1, s.get("jobs", 1)) for s in dask_stats
            )
        ),  # fmt: skip
        "dask_start_s": statistics.median(s.get("start_seconds", 0) for s in dask_stats),
        "dask_ship_s": statistics.median(s.get("ship_seconds", 0) for s in dask_stats),
        "shipped_bytes": runs["dask"][0]["executor"]["inputs"].get("bytes"),
        "scheduler": overhead,
    }
    figures["targets"] = {"dask <= 1.10 x local": figures["dask_over_local"] <= 1.10}
    figures["targets_met"] = all(figures["targets"].values())
    for k, v in figures["targets"].items():
        print(f"   {'ok  ' if v else 'MISS'} {k} ({figures['dask_over_local']})")
    return figures


if __name__ == "__main__":
    print(json.dumps(main(), indent=1))
