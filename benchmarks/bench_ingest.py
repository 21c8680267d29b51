"""Ingest of every file in ../shared/data/public: cold, then with nothing changed, and peak
memory. Targets (issue 3): ≤ 10 s cold, ≤ 1 s unchanged, peak memory ≤ 1.5 GB.

Each measurement runs ``lis ingest`` in a fresh process (as a user would), so imports
count; the peak resident memory is the largest of the process and its workers.
"""

from __future__ import annotations

import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PUBLIC = REPO.parent / "shared" / "data" / "public"
LIS = [sys.executable, "-m", "lis_analysis.cli"]


def _run(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of ``lis <args>`` in a new process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t0 = time.perf_counter()
    subprocess.run([*LIS, *args], check=True, env=env, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) / 1024


def main() -> dict:
    if not PUBLIC.is_dir():
        return {"skipped": f"{PUBLIC} not found", "targets_met": None}
    home = Path(tempfile.mkdtemp(prefix="lis-bench-ingest-"))
    env = {**os.environ, "LIS_HOME": str(home)}
    processed = home / "processed"
    cold, unchanged = [], []
    peak = 0.0
    try:
        for _ in range(3):
            shutil.rmtree(processed, ignore_errors=True)
            wall, rss = _run(
                ["ingest", "--raw", str(PUBLIC), "--processed", str(processed), "--jobs", "2"], env
            )
            cold.append(wall)
            peak = max(peak, rss)
            for _ in range(3):
                wall, rss = _run(
                    ["ingest", "--raw", str(PUBLIC), "--processed", str(processed)], env
                )
                unchanged.append(wall)
        # in-process time of the unchanged check itself (what `lis run` pays)
        from lis_analysis.store import ingest

        t0 = time.perf_counter()
        ingest([PUBLIC], processed, parts_root=home / "data" / "processed")  # the CLI's parts cache
        in_process = time.perf_counter() - t0
    finally:
        shutil.rmtree(home, ignore_errors=True)
    figures = {
        "files": sum(1 for p in PUBLIC.rglob("*") if p.is_file()),
        "cold_seconds_median": round(statistics.median(cold), 2),
        "cold_seconds_all": [round(x, 2) for x in cold],
        "unchanged_seconds_median": round(statistics.median(unchanged), 2),
        "unchanged_in_process_seconds": round(in_process, 3),
        "peak_rss_mb": round(peak, 0),
        "targets": {"cold_seconds": 10, "unchanged_seconds": 1, "peak_rss_mb": 1536},
    }
    figures["targets_met"] = (
        figures["cold_seconds_median"] <= 10
        and figures["unchanged_seconds_median"] <= 1
        and figures["peak_rss_mb"] <= 1536
    )
    for k, v in figures.items():
        print(f"   {k}: {v}")
    return figures


if __name__ == "__main__":
    main()
