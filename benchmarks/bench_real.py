"""The real published files as a user meets them (issue 11): ``lis indicators`` and
``lis run`` on ``../shared/data/public``, each against a floor measured in the same run.

In a temporary project (``LIS_HOME``) holding the pack's notebooks:

- **indicators floor**: a fresh Python that imports pandas, numpy and pyarrow and reads
  the store's parquet files (what any command on the store must do);
- **indicators**: ``lis indicators --area E37000021 --raw PUBLIC --out FILE`` with the
  store built (the whole command, as a user runs it);
- **kernel floor**: per notebook, a fresh kernel importing the scientific stack, two at a
  time (``bench_pipeline._floor``, the floor the pipeline benchmark uses);
- **run**: ``lis run --raw PUBLIC --jobs 2`` with the store built, no reports and no
  cached results;
- **first run**: the same from an empty ``data/processed`` (ingest included).

Floors and measurements alternate (the machine may be shared); the best of each is
compared. Targets: indicators <= 2 s and <= 3 x its floor; run <= 1.3 x the kernel floor;
first run <= run + 12 s.
"""

from __future__ import annotations

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
sys.path.insert(0, str(HERE))

FLOOR_SCRIPT = """
import sys
import pandas, numpy, pyarrow, pyarrow.parquet as pq
for f in sys.argv[1:]:
    pq.read_table(f).to_pandas()
"""


def _wall(cmd: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    res = subprocess.run(cmd, env=env, capture_output=True, text=True)
    took = time.perf_counter() - t0
    if res.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({res.returncode}):\n{res.stderr[-2000:]}")
    return took


def main() -> dict:
    if not PUBLIC.is_dir():
        return {"skipped": f"{PUBLIC} not found", "targets_met": None}
    from bench_pipeline import _floor

    repeats = int(os.environ.get("BENCH_REPEATS") or 5)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="lis-bench-real-") as tmp:
        root = Path(tmp)
        (root / "notebooks").mkdir()
        for f in (REPO / "notebooks").iterdir():
            if f.suffix in (".py", ".yaml"):
                shutil.copy2(f, root / "notebooks" / f.name)
        n_notebooks = len(list((root / "notebooks").glob("*.py")))
        env = {
            **os.environ,
            "LIS_HOME": str(root),
            "MPLCONFIGDIR": str(root / ".cache" / "matplotlib"),
            "IPYTHONDIR": str(root / ".cache" / "ipython"),
            "JUPYTER_CONFIG_DIR": str(root / ".cache" / "jupyter"),
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        }
        os.environ.update({k: env[k] for k in ("MPLCONFIGDIR", "IPYTHONDIR", "JUPYTER_CONFIG_DIR")})
        lis = str(BIN / "lis")
        raw = ["--raw", str(PUBLIC)]
        print("   setting up: ingest the real files into the temporary project", flush=True)
        _wall([lis, "ingest", *raw], env)
        parquet = sorted(str(p) for p in (root / "data" / "processed").rglob("*.parquet")
                         if p.name in ("observations.parquet", "lookups.parquet"))  # fmt: skip
        out = str(root / "ll.csv")
        ind_cmd = [lis, "indicators", "--area", "E37000021", *raw, "--out", out]
        _wall(ind_cmd, env)  # warm-up: bytecode, page cache; not recorded
        floor_ind, indicators = [], []
        for _ in range(repeats):
            floor_ind.append(_wall([sys.executable, "-c", FLOOR_SCRIPT, *parquet], env))
            indicators.append(_wall(ind_cmd, env))
        print(
            f"   indicators: median {statistics.median(indicators):.2f} s "
            f"(floor {statistics.median(floor_ind):.2f} s)",
            flush=True,
        )

        _floor(1, 1)  # warm-up: matplotlib's font cache; not recorded
        floor_run, run, first = [], [], []
        for _ in range(2):
            floor_run.append(_floor(n_notebooks, 2))
            shutil.rmtree(root / "reports", ignore_errors=True)
            for cache in (root / "data" / "processed").rglob("cache"):
                shutil.rmtree(cache, ignore_errors=True)
            run.append(_wall([lis, "run", *raw, "--jobs", "2"], env))
            shutil.rmtree(root / "reports", ignore_errors=True)
            shutil.rmtree(root / "data" / "processed", ignore_errors=True)
            first.append(_wall([lis, "run", *raw, "--jobs", "2"], env))
            print(
                f"   kernel floor {floor_run[-1]:.1f} s, run {run[-1]:.1f} s, "
                f"first run {first[-1]:.1f} s",
                flush=True,
            )

    ind_best, ind_floor = min(indicators), min(floor_ind)
    figures = {
        "cpus": os.cpu_count(),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "indicators_floor_s": [round(x, 3) for x in floor_ind],
        "indicators_s": [round(x, 3) for x in indicators],
        "indicators_median_s": round(statistics.median(indicators), 3),
        "indicators_over_floor": round(ind_best / ind_floor, 2),
        "notebooks": n_notebooks,
        "kernel_floor_s": [round(x, 2) for x in floor_run],
        "run_s": [round(x, 2) for x in run],
        "first_run_s": [round(x, 2) for x in first],
        "run_over_floor": round(min(run) / min(floor_run), 3),
        "first_run_minus_run_s": round(min(first) - min(run), 2),
    }
    figures["targets"] = {
        "indicators <= 2 s": ind_best <= 2.0,
        "indicators <= 3 x floor": figures["indicators_over_floor"] <= 3.0,
        "run <= 1.3 x kernel floor": figures["run_over_floor"] <= 1.3,
        "first run <= run + 12 s": figures["first_run_minus_run_s"] <= 12.0,
    }
    figures["targets_met"] = all(figures["targets"].values())
    for k, v in figures["targets"].items():
        print(f"   {'ok  ' if v else 'MISS'} {k}")
    return figures


if __name__ == "__main__":
    import json

    print(json.dumps(main(), indent=1))
