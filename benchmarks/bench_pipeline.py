"""Benchmark of ``lis run`` against the naive loop and the floor (issue 5).

In a temporary project holding the pack's notebooks (``notebooks/``) and the
demonstrator data (written into ``data/raw`` and ingested before any timing):

- **floor**: per notebook, a fresh kernel (jupyter_client, this environment's Python)
  that imports pandas, numpy, matplotlib and statsmodels, ``jobs`` at a time;
- **cold**: ``lis run --jobs N`` with no ``reports/``: every notebook executed, both
  pages exported, the index written; the store is already built (the results the pages
  share live in memory and in a folder of the run that the run removes);
- **nothing changed**: ``lis run`` again (median of several);
- **one raw file changed**: one number of one raw file edited, then ``lis run``;
- **naive**: per notebook, ``papermill`` CLI then ``jupyter nbconvert --to html`` CLI,
  one after another.

Every figure is the wall time of the whole command, as a user would see it. Floor and
cold are run alternately (the machine may be shared) and the best of each is compared.
Targets: cold <= 1.3 x floor; nothing changed <= 1 s; naive / cold >= 4.
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
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
FLOOR_IMPORTS = "import pandas, numpy, matplotlib, statsmodels.api"


def _wall(cmd: list[str], env: dict[str, str], *, check: bool = True) -> float:
    t0 = time.perf_counter()
    res = subprocess.run(cmd, env=env, capture_output=True, text=True)
    took = time.perf_counter() - t0
    if check and res.returncode != 0:
        raise RuntimeError(
            f"{' '.join(cmd)} failed ({res.returncode}):\n{res.stdout[-2000:]}\n{res.stderr[-2000:]}"
        )
    return took


def _floor(n: int, jobs: int) -> float:
    """n fresh kernels that import the scientific stack, ``jobs`` at a time."""
    from jupyter_client.manager import KernelManager

    def one(_: int) -> None:
        # Unix-socket transport, as the pipeline uses: concurrent TCP kernels can race for
        # the same port (jupyter_client picks ports before the kernel binds them).
        ip = os.path.join(tempfile.gettempdir(), f"lis-floor-{uuid.uuid4().hex[:12]}")
        km = KernelManager(kernel_name="python3", transport="ipc", ip=ip)
        km.start_kernel(stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        kc = km.client()
        kc.start_channels()
        try:
            kc.wait_for_ready(timeout=120)
            reply = kc.execute_interactive(FLOOR_IMPORTS, timeout=120)
            assert reply["content"]["status"] == "ok", reply["content"]
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=False)

    t0 = time.perf_counter()
    with ThreadPoolExecutor(jobs) as ex:
        list(ex.map(one, range(n)))
    return time.perf_counter() - t0


def _cell_seconds(executed: Path) -> float:
    """Seconds the notebooks' own cells took (papermill's per-cell timings), summed."""
    total = 0.0
    for f in executed.rglob("*.ipynb"):
        nb = json.loads(f.read_text(encoding="utf-8"))
        total += sum(
            (c.get("metadata", {}).get("papermill", {}).get("duration") or 0) for c in nb["cells"]
        )
    return total


def _latest_record(reports: Path) -> dict:
    runs = sorted((reports / "_runs").glob("*.json"), key=lambda f: f.stat().st_mtime)
    return json.loads(runs[-1].read_text(encoding="utf-8"))


def _edit_one_raw_file(raw: Path) -> Path:
    """Change one number of one CSV (a dataset that only some notebooks read)."""
    candidates = sorted(raw.rglob("gigabit-capable-broadband*.csv")) or sorted(raw.rglob("*.csv"))
    path = candidates[0]
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    for i, line in enumerate(lines[1:], start=1):
        cells = line.split(",")
        for j, c in enumerate(cells):
            try:
                v = float(c)
            except ValueError:
                continue
            if j > 3 and v > 1:
                cells[j] = f"{v + 0.1:.1f}"
                lines[i] = ",".join(cells)
                path.write_text("".join(lines), encoding="utf-8")
                return path
    raise RuntimeError(f"no number to edit in {path}")


def main() -> dict:
    jobs = int(os.environ.get("BENCH_JOBS") or os.cpu_count() or 1)
    repeats = int(os.environ.get("BENCH_REPEATS") or 2)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="lis-bench-") as tmp:
        root = Path(tmp)
        (root / "notebooks").mkdir()
        for f in (REPO / "notebooks").iterdir():
            if f.suffix in (".py", ".yaml"):
                shutil.copy2(f, root / "notebooks" / f.name)
        notebooks = sorted(f.stem for f in (root / "notebooks").glob("*.py"))
        env = {
            **os.environ,
            "LIS_HOME": str(root),
            "MPLCONFIGDIR": str(root / ".cache" / "matplotlib"),
            "IPYTHONDIR": str(root / ".cache" / "ipython"),
            "JUPYTER_CONFIG_DIR": str(root / ".cache" / "jupyter"),
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        }
        os.environ.update({k: env[k] for k in ("MPLCONFIGDIR", "IPYTHONDIR", "JUPYTER_CONFIG_DIR")})
        for k in ("MPLCONFIGDIR", "IPYTHONDIR", "JUPYTER_CONFIG_DIR"):
            Path(env[k]).mkdir(parents=True, exist_ok=True)
        lis = [str(BIN / "lis")]
        print(
            f"   setting up: demonstrator data, ingest ({len(notebooks)} notebooks, jobs={jobs})",
            flush=True,
        )
        _wall([*lis, "demo", "--out", str(root / "data" / "raw")], env)
        _wall([*lis, "ingest"], env)
        _floor(1, 1)  # warm-up: matplotlib's font cache, bytecode; not recorded

        floor, cold = [], []
        for _ in range(repeats):
            floor.append(_floor(len(notebooks), jobs))
            shutil.rmtree(root / "reports", ignore_errors=True)
            cold.append(_wall([*lis, "run", "--jobs", str(jobs)], env))
            print(f"   floor {floor[-1]:.1f} s, cold {cold[-1]:.1f} s", flush=True)
        print(
            f"   the notebooks' cells took {_cell_seconds(root / 'reports' / '_executed'):.1f} s in all",
            flush=True,
        )
        record = _latest_record(root / "reports")
        ran_cold = sum(1 for n in record["notebooks"].values() if n["status"] == "ran")
        cells = _cell_seconds(root / "reports" / "_executed")

        nothing = [_wall([*lis, "run", "--jobs", str(jobs)], env) for _ in range(5)]
        print(f"   nothing changed: median {statistics.median(nothing):.2f} s", flush=True)

        edited = _edit_one_raw_file(root / "data" / "raw")
        one_changed = _wall([*lis, "run", "--jobs", str(jobs)], env)
        record = _latest_record(root / "reports")
        reran = sorted(
            k.split("/", 1)[1] for k, n in record["notebooks"].items() if n["status"] == "ran"
        )
        print(
            f"   {edited.name} changed: {one_changed:.1f} s, re-ran {', '.join(reran)}", flush=True
        )

        import jupytext

        naive_dir = root / "naive"
        naive_dir.mkdir()
        for name in notebooks:
            nb = jupytext.read(root / "notebooks" / f"{name}.py")
            nb.metadata["kernelspec"] = {
                "name": "python3",
                "display_name": "Python 3",
                "language": "python",
            }
            jupytext.write(nb, naive_dir / f"{name}.ipynb")
        t0 = time.perf_counter()
        for name in notebooks:
            out = naive_dir / f"{name}.out.ipynb"
            _wall(
                [
                    str(BIN / "papermill"),
                    str(naive_dir / f"{name}.ipynb"),
                    str(out),
                    "-k",
                    "python3",
                    "-p",
                    "area",
                    "E37000021",
                    "--cwd",
                    str(root / "notebooks"),
                ],
                env,
            )
            _wall([str(BIN / "jupyter"), "nbconvert", "--to", "html", str(out)], env)
        naive = time.perf_counter() - t0
        print(f"   naive loop: {naive:.1f} s", flush=True)

    best_cold, best_floor = min(cold), min(floor)
    figures = {
        "jobs": jobs,
        "cpus": os.cpu_count(),
        "notebooks": len(notebooks),
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in os.getloadavg()],
        "floor_s": [round(x, 2) for x in floor],
        "cold_s": [round(x, 2) for x in cold],
        "cold_notebooks_run": ran_cold,
        # what the notebooks' own cells cost (last cold run), and that spread over the jobs:
        # the part of "cold" that is the notebooks' work rather than the pipeline's
        "cold_cells_s": round(cells, 2),
        "cold_cells_per_job_s": round(cells / jobs, 2),
        "nothing_changed_s": [round(x, 3) for x in nothing],
        "nothing_changed_median_s": round(statistics.median(nothing), 3),
        "one_file_changed_s": round(one_changed, 2),
        "one_file_changed": edited.name,
        "one_file_changed_reran": reran,
        "naive_s": round(naive, 2),
        "cold_over_floor": round(best_cold / best_floor, 3),
        "naive_over_cold": round(naive / best_cold, 2),
    }
    figures["targets"] = {
        "cold <= 1.3 x floor": figures["cold_over_floor"] <= 1.3,
        "nothing changed <= 1 s": figures["nothing_changed_median_s"] <= 1.0,
        "naive / cold >= 4": figures["naive_over_cold"] >= 4,
    }
    figures["targets_met"] = all(figures["targets"].values())
    for k, v in figures["targets"].items():
        print(f"   {'ok  ' if v else 'MISS'} {k}")
    return figures


if __name__ == "__main__":
    print(json.dumps(main(), indent=1))
