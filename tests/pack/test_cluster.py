"""``lis run --executor dask`` (lis_analysis/pack/cluster.py) on a real Dask cluster.

A ``LocalCluster`` here starts real worker processes, each in its own local directory:
the inputs are shipped to them and the pages come back to be written by the client, as
on a cluster of machines. The pack they build is the local executor's, byte for byte
apart from run ids and times; a worker killed while it runs a job is replaced and the job
runs again; without Dask installed ``--executor dask`` is one line and exit code 2.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from lis_analysis import _files
from lis_analysis.cli import main
from lis_analysis.pack.cluster import make_shipment
from tests.pack.project import make_project, notebook_source, run_pack

REPO = Path(__file__).resolve().parents[2]
AREAS = "E37000021,E06000016"

#: What differs between any two builds of the same pack, local or not: run ids, times,
#: durations and the id papermill gives the injected parameters cell (random per run).
_VOLATILE = [
    (re.compile(r"\d{8}T\d{6}Z-[0-9a-f]{4}"), "RUN-ID"),
    (re.compile(r'(cell-id=|"id": ")[0-9a-f]{8}\b'), r"\1CELL-ID"),
    (re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?"), "TIME"),
    (re.compile(r'"(duration|seconds)": [0-9.e-]+'), r'"\1": N'),
    (re.compile(r"\d+(\.\d+)? s\b"), "N s"),
]


def normalised(text: str) -> str:
    for pattern, repl in _VOLATILE:
        text = pattern.sub(repl, text)
    return text


def pages(reports: Path) -> dict[str, str]:
    """Every page and index of a pack (relative name -> text), the run records aside."""
    return {
        str(f.relative_to(reports)): f.read_text(encoding="utf-8")
        for f in sorted(reports.rglob("*"))
        if f.is_file() and f.suffix == ".html"
    }


def outputs_of(nb_path: Path) -> list:
    """The outputs of an executed notebook's cells (what a page shows)."""
    nb = json.loads(nb_path.read_text(encoding="utf-8"))
    return [c.get("outputs", []) for c in nb["cells"]]


def assert_same_pack(a: Path, b: Path) -> None:
    pa, pb = pages(a), pages(b)
    assert sorted(pa) == sorted(pb)
    for name in pa:
        assert normalised(pa[name]) == normalised(pb[name]), name
    for nb in sorted((a / "_executed").rglob("*.ipynb")):
        rel = nb.relative_to(a)
        assert normalised(json.dumps(outputs_of(nb))) == normalised(
            json.dumps(outputs_of(b / rel))
        ), rel


# --------------------------------------------------------------------------------------
# Fast: the shipped-input map, and the extra absent
# --------------------------------------------------------------------------------------


def test_shipped_inputs_are_read_through_the_map(tmp_path, monkeypatch):
    """A worker's kernels name inputs by the client's paths and read the shipped copies."""
    from lis_analysis import _yaml
    from lis_analysis.workspace import workspace

    local = tmp_path / "worker"
    (local / "store").mkdir(parents=True)
    (local / "store" / "manifest.json").write_text('{"demo": true, "files": []}')
    (local / "params.yaml").write_text("start_year: 2010\n")
    (local / "evidence").mkdir()
    (local / "evidence" / "a.csv").write_text("x\n")
    mapping = {
        "paths": {
            "/client/params.yaml": str(local / "params.yaml"),
            "/client/evidence": str(local / "evidence"),
        },
        "stores": [[["/client/raw"], str(local / "store")]],
    }
    (local / "inputs.json").write_text(json.dumps(mapping))
    assert _files.input_path("/client/params.yaml") == Path("/client/params.yaml")  # no map
    monkeypatch.setenv(_files.INPUTS_ENV, str(local / "inputs.json"))
    assert _files.input_path("/client/params.yaml") == local / "params.yaml"
    assert _files.input_path("/client/evidence/a.csv") == local / "evidence" / "a.csv"
    assert _files.input_path("/client/evidencex/a.csv") == Path("/client/evidencex/a.csv")
    assert _files.input_path("/elsewhere.yaml") == Path("/elsewhere.yaml")
    assert _yaml.load("/client/params.yaml") == {"start_year": 2010}
    ws = workspace(["/client/raw"])
    assert ws.shipped and ws.processed == local / "store" and ws.demo is True
    assert ws.raw_dirs == (Path("/client/raw"),)  # named as on the client
    assert ws.ingest().changed is False  # read only: the client ingested before shipping


def test_shipment_holds_the_store_sources_and_files_once(tmp_path):
    processed = tmp_path / "processed"
    processed.mkdir()
    for name in ("observations.parquet", "lookups.parquet", "manifest.json"):
        (processed / name).write_bytes(name.encode())
    (processed / "parts").mkdir()  # the parser's cache: never shipped
    (processed / "parts" / "x.parquet").write_bytes(b"x" * 1000)
    src = tmp_path / "nb" / "a.py"
    src.parent.mkdir()
    src.write_text("# %%\n")
    params = tmp_path / "params.yaml"
    params.write_text("neighbours: 3\n")
    ev = tmp_path / "evidence"
    (ev / "sub").mkdir(parents=True)
    (ev / "sub" / "r.csv").write_text("id\n")
    ship = make_shipment(
        mode="shipped",
        raw_dirs=[tmp_path / "raw"],
        processed=processed,
        sources={"a": src},
        files=[params, None, tmp_path / "missing.yaml"],
        folders=[ev, tmp_path / "no-docs"],
    )
    assert sorted(ship.files) == [
        "files/0/params.yaml",
        "folders/0/sub/r.csv",
        "notebooks/a.py",
        "store/lookups.parquet",
        "store/manifest.json",
        "store/observations.parquet",
    ]
    assert ship.paths[str(params)] == "files/0/params.yaml"
    assert ship.paths[str(ev)] == "folders/0"
    assert ship.describe()["how"] == "shipped" and ship.describe()["files"] == 6
    assert (
        make_shipment(
            mode="shipped", raw_dirs=[tmp_path / "raw"], processed=processed, sources={"a": src}
        ).sha256
        != ship.sha256
    )
    shared = make_shipment(mode="shared", raw_dirs=[], processed=processed, sources={"a": src})
    assert shared.files == {} and shared.describe()["how"] == "shared"


def test_without_the_extra_dask_is_one_line_and_exit_2(tmp_path):
    """Dask distributed hidden from the interpreter, as if not installed."""
    code = (
        "import sys\n"
        "class Hide:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('distributed', 'dask'):\n"
        "            raise ModuleNotFoundError(f'No module named {name!r}', name=name)\n"
        "sys.meta_path.insert(0, Hide())\n"
        "from lis_analysis.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, "run", "--executor", "dask", "--area", "E37000021"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "LIS_HOME": str(tmp_path)},
        timeout=120,
    )
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    assert "pip install 'lis-analysis[cluster]'" in lines[0]
    assert lines[0].startswith("lis run: error: --executor dask needs Dask distributed")
    assert not (tmp_path / "reports").exists()  # refused before any lock or data


def test_scheduler_without_dask_executor_is_refused(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("LIS_HOME", str(tmp_path))
    assert main(["run", "--scheduler", "tcp://127.0.0.1:1"]) == 2
    assert "--scheduler needs --executor dask" in capsys.readouterr().err


# --------------------------------------------------------------------------------------
# Slow: whole packs on a LocalCluster of two worker processes
# --------------------------------------------------------------------------------------


@pytest.mark.slow
def test_dask_builds_the_same_pack_as_local_for_two_areas(tmp_path, demo_store):
    """The ten evidence notebooks for two areas on the demonstrator: --executor local
    --jobs 2 against a two-worker LocalCluster (shipped inputs); every page, index and
    notebook output the same, apart from run ids and times."""
    folder, _, _ = demo_store
    local, dask = tmp_path / "local", tmp_path / "dask"
    common = ["run", "--raw", str(folder), "--area", AREAS, "--jobs", "2"]
    assert main([*common, "--reports", str(local)]) == 0
    assert main([*common, "--reports", str(dask), "--executor", "dask"]) == 0
    assert_same_pack(local, dask)
    assert len(pages(dask)) == 2 * 21 + 1  # 10 notebooks x 2 variants + index, per area
    record = json.loads(next((dask / "_runs").glob("*.json")).read_text())
    assert record["executor"]["kind"] == "dask"
    assert record["executor"]["workers"] == 2
    assert record["executor"]["inputs"]["how"] == "shipped"
    assert record["executor"]["inputs"]["store_bytes"] > 100_000
    local_record = json.loads(next((local / "_runs").glob("*.json")).read_text())
    assert local_record["executor"]["kind"] == "local"
    # the second dask run finds everything up to date, without starting a cluster
    t0 = time.perf_counter()
    assert main([*common, "--reports", str(dask), "--executor", "dask"]) == 0
    assert time.perf_counter() - t0 < 10


@pytest.mark.slow
def test_a_worker_killed_mid_job_is_replaced_and_the_job_runs_again(tmp_path, monkeypatch):
    """SIGKILL the worker process running a (slow) notebook: the scheduler runs the job
    again on a worker, the run completes, and its pages are a clean run's."""
    from distributed import Client, LocalCluster

    root = tmp_path / "project"
    monkeypatch.setenv("LIS_HOME", str(root))
    project = make_project(root)
    (project.notebooks / "a_jobs.py").write_text(
        notebook_source("Jobs", "import time\ntime.sleep(8)\n", strengths=["Employment is high."]),
        encoding="utf-8",
    )
    clean = run_pack(project, jobs=2, reports_dir=tmp_path / "clean")
    assert clean.exit_code == 0

    cluster = LocalCluster(
        n_workers=2,
        threads_per_worker=1,
        processes=True,
        dashboard_address=None,
        local_directory=str(tmp_path / "workers"),
    )
    killed: list[int] = []
    try:
        with Client(cluster) as client:

            def kill_the_worker_running_a_jobs() -> None:
                deadline = time.monotonic() + 240
                while time.monotonic() < deadline:
                    for addr, keys in client.processing().items():
                        if any("a_jobs" in str(k) for k in keys):
                            time.sleep(3)  # its kernel is running the notebook by now
                            pid = client.run(os.getpid, workers=[addr])[addr]
                            os.kill(pid, signal.SIGKILL)
                            killed.append(pid)
                            return
                    time.sleep(0.1)

            killer = threading.Thread(target=kill_the_worker_running_a_jobs, daemon=True)
            killer.start()
            summary = run_pack(
                project,
                executor="dask",
                scheduler=cluster.scheduler_address,
                reports_dir=tmp_path / "dask",
            )
            killer.join(timeout=5)
            assert killed, "the test did not find the job running to kill its worker"
            assert summary.exit_code == 0, summary.table()
            assert {n.status for n in summary.notebooks} == {"ran"}
            assert len(client.scheduler_info()["workers"]) >= 1
    finally:
        cluster.close()
    assert_same_pack(tmp_path / "clean", tmp_path / "dask")


@pytest.mark.slow
def test_a_failing_notebook_fails_alone_on_the_cluster(tmp_path, monkeypatch):
    """Per-notebook isolation as locally: the failure keeps the previous pages, the other
    notebooks and areas complete, the summary lists it."""
    root = tmp_path / "project"
    monkeypatch.setenv("LIS_HOME", str(root))
    project = make_project(root)
    first = run_pack(project, areas=AREAS, jobs=2)
    assert first.exit_code == 0
    before = (project.reports / "E06000016" / "b_broadband.html").read_text()
    (project.notebooks / "b_broadband.py").write_text(
        notebook_source("Broadband", "raise ValueError('no broadband today')\n"),
        encoding="utf-8",
    )
    summary = run_pack(project, areas=AREAS, executor="dask", jobs=2)
    assert summary.exit_code == 1
    failed = [(n.area, n.name) for n in summary.notebooks if n.status == "failed"]
    assert sorted(failed) == [("E06000016", "b_broadband"), ("E37000021", "b_broadband")]
    assert "ValueError: no broadband today" in summary.table()
    assert (project.reports / "E06000016" / "b_broadband.html").read_text() == before
    assert (project.reports / "_executed" / "E06000016" / "b_broadband.failed.ipynb").exists()


def test_the_scheduler_comes_from_the_flag_else_lis_dask_scheduler(project, monkeypatch):
    """--scheduler wins; LIS_DASK_SCHEDULER stands for it; neither: a LocalCluster."""
    from lis_analysis.pack import cluster

    asked: list[str | None] = []

    class Stop(Exception):
        pass

    def start(**kw):
        asked.append(kw["scheduler"])
        raise Stop

    monkeypatch.setattr(cluster, "start", start)
    for env, flag in ((None, None), ("tcp://10.0.0.5:8786", None), ("tcp://env:1", "tcp://flag:2")):
        if env:
            monkeypatch.setenv(cluster.SCHEDULER_ENV, env)
        with pytest.raises(Stop):
            run_pack(project, executor="dask", scheduler=flag)
    assert asked == [None, "tcp://10.0.0.5:8786", "tcp://flag:2"]
    assert not (project.reports / "index.html").exists()  # nothing written without executor
