"""The pipeline behind ``lis run``: cache hits and misses, selective re-runs, failures,
the lock, atomic outputs, parameter safety, batches, and what the pages carry.

Every test builds its own project under ``tmp_path`` (``Paths.under``): two hand-made
Explore Local Statistics CSV files in the published layout (two datasets), a three-
notebook pack, and tiny py:percent notebooks. Tests that execute notebooks are ``slow``.
"""

from __future__ import annotations

import ast
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from lis_analysis import cli, pipeline
from lis_analysis.config import Paths, RunParams, load_params
from lis_analysis.errors import ConfigError
from tests.helpers import write_text

HEAD = (
    "areacd,areanm,geography,indicator,period,observation,measure,unit,lci_95,uci_95,status,notes\n"
)


def els_row(code, name, indicator, period, value, lci="", uci=""):
    geo = "County or Unitary Authority" if code.startswith("E06") else "Local Authority District"
    return f"{code},{name},{geo},{indicator},{period},{value},Percentage,%,{lci},{uci},,\n"


def els_meta(label, date):
    return json.dumps(
        {
            "ess-beta-metadata": {
                "shared": {"sourceDate": date, "sourceOrg": "Office for National Statistics"},
                label: {"label": label},
            }
        }
    )


def write_raw(folder: Path, *, leicester_rate: str = "65.1") -> None:
    """employment-rate.csv (els_employment_rate) and gigabit-capable-broadband.csv
    (els_gigabit_capable_broadband), as Explore Local Statistics publishes them."""
    write_text(
        folder / "employment-rate.csv",
        HEAD
        + els_row(
            "E06000016",
            "Leicester",
            "Employment rate",
            "2023-01-01/P1Y",
            leicester_rate,
            "61.0",
            "69.2",
        )
        + els_row(
            "E07000129", "Blaby", "Employment rate", "2023-01-01/P1Y", "78.0", "74.0", "82.0"
        ),
        bom=True,
        crlf=True,
    )
    write_text(folder / "employment-rate.json", els_meta("Employment rate", "16/04/2024"))
    write_text(
        folder / "gigabit-capable-broadband.csv",
        HEAD
        + els_row("E06000016", "Leicester", "Gigabit capable broadband", "2026-01", "91.2")
        + els_row("E07000129", "Blaby", "Gigabit capable broadband", "2026-01", "80.5"),
    )
    write_text(
        folder / "gigabit-capable-broadband.json",
        els_meta("Gigabit capable broadband", "01/02/2026"),
    )


PARAMS_CELL = """# %% tags=["parameters"]
area: str = "E37000021"  # area code
raw: list[str] = []  # raw folders
params_file: str | None = None  # run parameters YAML
evidence: str | None = None  # evidence folder
neighbour_characteristics: list[str] = []  # indicator ids
"""


def notebook_source(title: str, body: str = "", *, strengths=(), weaknesses=()) -> str:
    return f'''# %% [markdown]
# # {title}

{PARAMS_CELL}
# %%
import sys

import lis_analysis as lis

print("AREA", area)
print("RAW", raw)
print("PYTHON", sys.executable)
print("RUN", lis.notebook.provenance()["run_id"])
{body}
# %%
lis.notebook.summary(
    headline="{title}: headline from the numbers.",
    strengths={list(strengths)!r},
    weaknesses={list(weaknesses)!r},
)
'''


PACK = """title: Test evidence
notebooks:
  - name: a_jobs
    title: Jobs
    description: Employment.
    datasets: [els_employment_rate]
  - name: b_broadband
    title: Broadband
    description: Gigabit coverage.
    datasets: [els_gigabit_capable_broadband]
  - name: c_all
    title: Sources
    description: Everything.
    datasets: ["*"]
    evidence: true
"""


def make_project(root: Path) -> Paths:
    p = Paths.under(root)
    write_raw(p.raw)
    p.notebooks.mkdir(parents=True)
    (p.notebooks / "pack.yaml").write_text(PACK, encoding="utf-8")
    (p.notebooks / "a_jobs.py").write_text(
        notebook_source("Jobs", strengths=["Employment is high."], weaknesses=["Pay is low."]),
        encoding="utf-8",
    )
    (p.notebooks / "b_broadband.py").write_text(notebook_source("Broadband"), encoding="utf-8")
    (p.notebooks / "c_all.py").write_text(
        notebook_source(
            "Sources",
            "import matplotlib.pyplot as plt\nplt.plot([1, 2, 3])\nplt.title('a chart')\n",
        ),
        encoding="utf-8",
    )
    return p


@pytest.fixture(scope="module")
def kernel_env(tmp_path_factory):
    """matplotlib, IPython and Jupyter state in a temporary folder."""
    cfg = tmp_path_factory.mktemp("kernel-cfg")
    env = {
        "MPLCONFIGDIR": str(cfg / "mpl"),
        "IPYTHONDIR": str(cfg / "ipython"),
        "JUPYTER_CONFIG_DIR": str(cfg / "jupyter"),
    }
    with pytest.MonkeyPatch.context() as mp:
        for k, v in env.items():
            mp.setenv(k, v)
        yield env


@pytest.fixture(scope="module")
def executor(kernel_env):
    """One in-process executor (and kernel template) shared by the module's tests."""
    env = {**kernel_env, "PYDEVD_DISABLE_FILE_VALIDATION": "1", "JUPYTER_PLATFORM_DIRS": "1"}
    ex = pipeline.InlineExecutor(env)
    yield ex
    ex.shutdown()


@pytest.fixture
def project(tmp_path, kernel_env, monkeypatch) -> Paths:
    monkeypatch.setenv("LIS_HOME", str(tmp_path))
    return make_project(tmp_path)


def run(p: Paths, executor=None, **kw) -> pipeline.RunSummary:
    kw.setdefault("progress", False)
    return pipeline.run(kw.pop("params", RunParams()), paths=p, executor=executor, **kw)


def statuses(summary: pipeline.RunSummary) -> dict[str, str]:
    return {n.name: n.status for n in summary.notebooks}


def executed(p: Paths, name: str, area: str = "E37000021") -> dict:
    return json.loads(
        (p.reports / "_executed" / area / f"{name}.ipynb").read_text(encoding="utf-8")
    )


def stream_text(nb: dict) -> str:
    return "".join(
        "".join(o.get("text", ""))
        for c in nb["cells"]
        for o in c.get("outputs", [])
        if o.get("output_type") == "stream"
    )


# --------------------------------------------------------------------------------------
# Fast tests: catalogue, parameters, mirrors of the store, the lock
# --------------------------------------------------------------------------------------


def test_catalogue_of_the_repository_lists_ten_notebooks_with_files():
    root = Path(__file__).resolve().parents[1]
    cat = pipeline.load_catalogue(root / "notebooks" / "pack.yaml")
    assert [n.name for n in cat.notebooks] == [
        "00_overview",
        "10_ideas",
        "11_people",
        "12_infrastructure",
        "13_business_environment",
        "14_places",
        "20_call_for_evidence",
        "30_priorities",
        "40_consultation",
        "90_sources_and_methods",
    ]
    for spec in cat.notebooks:
        assert cat.source(spec).exists()
        assert spec.title and spec.description
    assert cat.select(["11"])[0].name == "11_people"
    with pytest.raises(ConfigError, match="not a notebook of the pack"):
        cat.select(["99_nothing"])
    with pytest.raises(ConfigError, match="matches several"):
        cat.select(["1"])


@pytest.mark.parametrize(
    "body, message",
    [
        ("notebooks: [{name: a, title: A, colour: red}]", "unknown key"),
        ("notebooks: [{name: a, datasets: 3}]", "'datasets' must be a list"),
        ("notebooks: [{name: a}, {name: a}]", "listed twice"),
        ("notebooks: [{name: 'a b'}]", "only letters"),
        ("nothing: here", "'notebooks:' list"),
    ],
)
def test_catalogue_errors_name_the_problem(tmp_path, body, message):
    path = tmp_path / "pack.yaml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        pipeline.load_catalogue(path)


def test_raw_files_and_store_folder_mirror_the_store(tmp_path):
    """pipeline reads the raw folders without pandas; it must agree with store."""
    from lis_analysis import store

    p = Paths.under(tmp_path)
    write_raw(p.raw)
    (p.raw / "README.md").write_text("notes")
    (p.raw / "evidence").mkdir()
    (p.raw / "evidence" / "x.csv").write_text("a")
    (p.raw / ".hidden.csv").write_text("a")
    (p.raw / "sub").mkdir()
    (p.raw / "sub" / "lookup.csv").write_text("a,b\n")
    other = tmp_path / "other"
    write_raw(other)
    (other / store.DEMO_MARKER).write_text("demo")
    assert pipeline.raw_files([p.raw, other]) == [
        f for _, f in store.list_raw_files([p.raw, other])
    ]
    for dirs in ([p.raw], [other], [p.raw, other]):
        assert pipeline._processed_dir(dirs, p) == store.processed_dir_for(dirs, p.processed, p.raw)
    assert pipeline._IGNORED == store.IGNORED and pipeline._IGNORED_DIRS == store.IGNORED_DIRS


def test_parse_areas():
    assert pipeline.parse_areas("E37000021, E06000016,E37000021") == ["E37000021", "E06000016"]
    assert pipeline.parse_areas(["A1", "B2,C3"]) == ["A1", "B2", "C3"]
    assert pipeline.parse_areas(None) == []


@pytest.mark.parametrize(
    "area",
    [
        'E37000021"; __import__("os").system("touch PWNED"); "',
        "E37000021\nimport os",
        "x' or '1",
    ],
)
def test_hostile_area_codes_are_refused_before_anything_runs(project, area):
    with pytest.raises(ConfigError, match="not an area code"):
        run(project, areas=area)
    assert not (project.reports / "_executed").exists()
    assert not (project.processed / "manifest.json").exists()


def test_check_injected_accepts_literals_and_refuses_code():
    import nbformat

    from lis_analysis._worker import UnsafeParameters, check_injected

    def nb(source):
        cell = nbformat.v4.new_code_cell(source)
        cell.metadata["tags"] = ["injected-parameters"]
        return nbformat.v4.new_notebook(cells=[cell])

    check_injected(nb('# Parameters\narea = "E37000021"\nraw = ["a\\"b", "c\\nd"]\nn = None\n'))
    for bad in ('area = __import__("os").system("true")', "import os", "x = [f(1)]", "a, b = 1, 2"):
        with pytest.raises(UnsafeParameters):
            check_injected(nb(bad))


def test_declared_parameters_reads_annotated_cells():
    import nbformat

    from lis_analysis._worker import declared_parameters

    cell = nbformat.v4.new_code_cell(PARAMS_CELL.split("\n", 1)[1])
    cell.metadata["tags"] = ["parameters"]
    assert declared_parameters(nbformat.v4.new_notebook(cells=[cell])) == {
        "area",
        "raw",
        "params_file",
        "evidence",
        "neighbour_characteristics",
    }
    assert declared_parameters(nbformat.v4.new_notebook()) is None


def test_lock_refuses_a_second_run_with_one_line(project, capsys):
    with pipeline.reports_lock(project.reports):
        with pytest.raises(pipeline.ReportsBusy, match="being written by another lis run"):
            run(project)
        code = cli.main(["run", "--jobs", "1"])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1 and "another lis run" in err and f"pid {os.getpid()}" in err


def test_atomic_write_leaves_the_old_file_when_interrupted(tmp_path, monkeypatch):
    target = tmp_path / "page.html"
    target.write_text("old")

    def boom(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        pipeline._atomic_write(target, "new")
    assert target.read_text() == "old"
    assert [f.name for f in tmp_path.iterdir()] == ["page.html"]


def test_git_commit_reads_the_checkout():
    sha = pipeline.git_commit()
    root = Path(__file__).resolve().parents[1]
    if not (root / ".git").exists():
        pytest.skip("not a git checkout")
    expected = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True
    ).stdout.strip()
    assert sha == expected


# --------------------------------------------------------------------------------------
# Slow tests: notebooks executed
# --------------------------------------------------------------------------------------


@pytest.mark.slow
def test_first_run_builds_the_pack_and_second_run_skips_everything(project, executor):
    first = run(project, executor)
    assert statuses(first) == {"a_jobs": "ran", "b_broadband": "ran", "c_all": "ran"}
    assert first.exit_code == 0
    area = project.reports / "E37000021"
    for name in ("a_jobs", "b_broadband", "c_all"):
        assert (area / f"{name}.html").exists() and (area / f"{name}.analyst.html").exists()
    # the kernel ran this virtual environment's Python, with the run's record
    out = stream_text(executed(project, "a_jobs"))
    python = Path(out.split("PYTHON ", 1)[1].splitlines()[0])
    assert python.resolve() == Path(sys.executable).resolve()
    assert str(python).startswith(sys.prefix)
    assert f"RUN {first.run_id}" in out

    pages = {f: (f.read_bytes(), f.stat().st_mtime_ns) for f in area.glob("*.html")}
    t0 = time.perf_counter()
    second = run(project, executor)
    assert set(statuses(second).values()) == {"skipped"}
    assert time.perf_counter() - t0 < 3  # loosely; the 1 s figure is the benchmark's
    assert second.record.exists() and second.record != first.record
    assert {f: (f.read_bytes(), f.stat().st_mtime_ns) for f in area.glob("*.html")} == pages


@pytest.mark.slow
def test_all_cached_run_imports_nothing_heavy(project, executor):
    run(project, executor)
    code = (
        "import sys\nfrom lis_analysis import cli\n"
        "rc = cli.main(['run'])\n"
        "heavy = [m for m in ('pandas', 'numpy', 'papermill', 'nbconvert', 'nbformat', 'matplotlib', 'jinja2') "
        "if m in sys.modules]\n"
        "print('HEAVY', heavy, rc)\n"
    )
    res = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "LIS_HOME": str(project.root)},
        timeout=60,
    )
    assert "HEAVY [] 0" in res.stdout, res.stdout + res.stderr
    assert "0 ran, 3 skipped" in res.stdout


@pytest.mark.slow
def test_pages_metadata_record_and_index(project, executor):
    from lis_analysis.report_html import external_references

    summary = run(project, executor)
    nb = executed(project, "a_jobs")
    lis = nb["metadata"]["lis"]
    manifest = json.loads((project.processed / "manifest.json").read_text())
    emp = next(f for f in manifest["files"] if f["name"] == "employment-rate.csv")
    assert lis["run_id"] == summary.run_id and lis["demo"] is False
    assert lis["area"] == {"code": "E37000021", "name": "Leicester and Leicestershire"}
    assert lis["parameters"]["area"] == "E37000021"
    assert [i["sha256"] for i in lis["inputs"]] == [emp["sha256"]]  # only what it reads
    assert lis["summary"]["strengths"] == ["Employment is high."]
    assert nb["metadata"]["papermill"]["parameters"]["area"] == "E37000021"
    record = json.loads(summary.record.read_text())
    assert record["status"] == "ok" and record["package_version"]
    assert "git_commit" in record and record["parameters"]["area"] == "E37000021"
    assert {i["sha256"] for i in record["inputs"]} == {f["sha256"] for f in manifest["files"]}
    assert record["notebooks"]["E37000021/a_jobs"]["status"] == "ran"

    board = (project.reports / "E37000021" / "a_jobs.html").read_text()
    analyst = (project.reports / "E37000021" / "a_jobs.analyst.html").read_text()
    assert summary.run_id in board and emp["sha256"] in board
    assert 'print("AREA", area)' not in board and "print" in analyst
    chart = (project.reports / "E37000021" / "c_all.html").read_text()
    assert "data:image/png;base64," in chart  # figures reach the page, embedded
    index = (project.reports / "index.html").read_text()
    assert "Jobs: headline from the numbers." in index
    assert "Strength" in index and "Employment is high." in index and "Weakness" in index
    assert (
        'href="E37000021/a_jobs.html"' in index and 'href="E37000021/a_jobs.analyst.html"' in index
    )
    assert "DEMONSTRATOR" not in index and "DEMONSTRATOR" not in board
    assert "Office for National Statistics" in index and "2024-04-16" in index
    for page in (index, board, analyst):
        assert external_references(page) == []


@pytest.mark.slow
def test_notebook_edit_reruns_only_that_notebook(project, executor):
    run(project, executor)
    src = project.notebooks / "b_broadband.py"
    src.write_text(src.read_text() + "\n# %% [markdown]\n# One more sentence.\n")
    summary = run(project, executor)
    assert statuses(summary) == {"a_jobs": "skipped", "b_broadband": "ran", "c_all": "skipped"}
    assert summary.notebooks[1].reason == "notebook changed"


@pytest.mark.slow
def test_parameter_change_reruns_every_notebook(project, executor):
    run(project, executor)
    summary = run(project, executor, params=RunParams(start_year=2010))
    assert set(statuses(summary).values()) == {"ran"}
    assert {n.reason for n in summary.notebooks} == {"parameters changed"}


@pytest.mark.slow
def test_changed_raw_file_reruns_only_the_notebooks_reading_its_dataset(project, executor):
    run(project, executor)
    write_raw(project.raw, leicester_rate="66.6")  # employment-rate.csv changes; broadband does not
    summary = run(project, executor)
    assert statuses(summary) == {"a_jobs": "ran", "b_broadband": "skipped", "c_all": "ran"}
    assert [
        (c.path.endswith("employment-rate.csv"), c.change, c.datasets) for c in summary.changes
    ] == [(True, "changed", ("els_employment_rate",))]
    cat = pipeline.load_catalogue(project.notebooks / "pack.yaml")
    lines = pipeline.describe_refresh(summary, cat, project.root)
    assert lines == [
        "data/raw/employment-rate.csv changed (els_employment_rate) \u2192 re-ran a_jobs, c_all"
    ]


@pytest.mark.slow
def test_new_evidence_reruns_only_the_notebooks_reading_evidence(project, executor):
    run(project, executor)
    write_text(project.raw / "evidence" / "responses.csv", "id,response\n1,More lab space\n")
    summary = run(project, executor)  # evidence inside a raw folder, as the demonstrator has it
    assert statuses(summary) == {"a_jobs": "skipped", "b_broadband": "skipped", "c_all": "ran"}
    assert summary.notebooks[2].reason == "evidence changed"
    injected = executed(project, "c_all")["metadata"]["papermill"]["parameters"]
    assert injected["evidence"] == str((project.raw / "evidence").resolve())


@pytest.mark.slow
def test_force_reruns_everything(project, executor):
    run(project, executor)
    summary = run(project, executor, force=True, only=["a_jobs", "b"])
    assert statuses(summary) == {"a_jobs": "ran", "b_broadband": "ran"}
    assert {n.reason for n in summary.notebooks} == {"--force"}


@pytest.mark.slow
def test_failure_keeps_previous_pages_saves_the_failed_notebook_and_others_complete(
    project, capsys
):
    # the process pool this time (two workers), as `lis run --jobs 2` would use
    assert cli.main(["run", "--jobs", "2"]) == 0
    board = project.reports / "E37000021" / "b_broadband.html"
    before = board.read_bytes()
    src = project.notebooks / "b_broadband.py"
    src.write_text(src.read_text() + '\n# %%\nraise ValueError("boom: broadband table missing")\n')
    capsys.readouterr()
    code = cli.main(["run", "--jobs", "2", "--force"])
    out = capsys.readouterr().out
    assert code == 1
    assert board.read_bytes() == before  # the previous good page is still there
    failed = project.reports / "_executed" / "E37000021" / "b_broadband.failed.ipynb"
    nb = json.loads(failed.read_text())
    assert nb["metadata"]["lis"]["status"] == "failed"
    assert any(o.get("ename") == "ValueError" for c in nb["cells"] for o in c.get("outputs", []))
    row = next(line for line in out.splitlines() if line.startswith("b_broadband"))
    assert "failed" in row and "ValueError: boom: broadband table missing" in row
    assert "a_jobs" in out and "2 ran, 0 skipped, 1 failed" in out
    index = (project.reports / "index.html").read_text()
    assert "The latest run of this page failed" in index
    # fixed: the next plain run retries it, and the failed notebook is cleared
    src.write_text(
        src.read_text().replace('raise ValueError("boom: broadband table missing")', "pass")
    )
    assert cli.main(["run", "--jobs", "2"]) == 0
    assert not failed.exists()


def _kernels_of(root: Path) -> list[int]:
    """Kernel and template processes started for the project at ``root`` (Linux /proc)."""
    found = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            cmd = (proc / "cmdline").read_bytes()
            env = (proc / "environ").read_bytes()
        except OSError:
            continue
        ours = f"LIS_HOME={root}".encode() in env.split(b"\0")
        if ours and (b"ipykernel" in cmd or b"lis_analysis._kernels" in cmd):
            found.append(int(proc.name))
    return found


@pytest.mark.slow
def test_interrupted_run_leaves_no_half_written_page_and_releases_the_lock(project):
    run_env = {**os.environ, "LIS_HOME": str(project.root)}
    src = project.notebooks / "c_all.py"
    src.write_text(src.read_text() + "\n# %%\nimport time\ntime.sleep(60)\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "lis_analysis.cli", "run", "--jobs", "1"],
        env=run_env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        page = project.reports / "E37000021" / "b_broadband.analyst.html"
        while not page.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert page.exists(), "the run did not get going"
        time.sleep(0.5)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    deadline = time.monotonic() + 15
    while _kernels_of(project.root) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _kernels_of(project.root), "kernels outlived their run"
    for f in project.reports.rglob("*"):
        assert not f.name.endswith(".tmp"), f"temporary file left behind: {f}"
        if f.suffix == ".html":
            assert f.read_text().rstrip().endswith("</html>"), f"half-written page {f}"
    src.write_text(src.read_text().replace("time.sleep(60)", "pass"))
    summary = pipeline.run(
        RunParams(), paths=project, progress=False, jobs=1
    )  # the lock died with it
    assert summary.exit_code == 0


@pytest.mark.slow
def test_hostile_values_arrive_as_inert_strings(tmp_path, kernel_env, monkeypatch, executor):
    """Free-text parameters (folder names) reach the notebook as the same strings;
    parameters with a vocabulary refuse anything else before a kernel starts."""
    monkeypatch.setenv("LIS_HOME", str(tmp_path))
    p = make_project(tmp_path)
    attack = "\"quoted\"\n');__import__('os').system('touch PWNED');('"
    hostile = tmp_path / f"raw {attack}"
    write_raw(hostile)
    evidence = tmp_path / f"evidence {attack}"
    evidence.mkdir()
    yaml_file = tmp_path / "params.yaml"
    yaml_file.write_text(json.dumps({"raw": [str(hostile)], "evidence": str(evidence)}))
    params = load_params(yaml_file)
    summary = run(p, executor, params=params, params_file=yaml_file, only=["a_jobs", "c_all"])
    assert summary.exit_code == 0, summary.table()
    for name in ("a_jobs", "c_all"):
        nb = executed(p, name)
        injected = next(
            c for c in nb["cells"] if "injected-parameters" in c["metadata"].get("tags", [])
        )
        values = {
            node.targets[0].id: ast.literal_eval(node.value)
            for node in ast.parse("".join(injected["source"])).body
        }
        assert values["raw"] == [str(hostile)]
        assert values["evidence"] == str(evidence)
        assert values["params_file"] == str(yaml_file)
        assert f"RAW {[str(hostile)]!r}" in stream_text(nb)
    assert not list(tmp_path.rglob("PWNED*")) and not Path("PWNED").exists()
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        json.dumps(
            {"neighbour_characteristics": ["x\"); __import__('os').system('touch PWNED2'); (\""]}
        )
    )
    with pytest.raises(ConfigError):
        load_params(bad)


@pytest.mark.slow
def test_unknown_area_is_one_line_and_exit_2_before_any_kernel(project, capsys):
    code = cli.main(["run", "--area", "E06999999"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and "unknown area 'E06999999'" in err
    assert not (project.reports / "_executed").exists()


@pytest.mark.slow
def test_batch_over_two_areas(project):
    summary = pipeline.run(
        RunParams(), areas="E37000021,E06000016", paths=project, jobs=2, progress=False
    )
    assert summary.exit_code == 0
    assert {(n.area, n.status) for n in summary.notebooks} == {
        ("E37000021", "ran"),
        ("E06000016", "ran"),
    }
    for area in ("E37000021", "E06000016"):
        assert (project.reports / area / "index.html").exists()
        assert executed(project, "a_jobs", area)["metadata"]["lis"]["parameters"]["area"] == area
    index = (project.reports / "index.html").read_text()
    assert 'href="E37000021/index.html"' in index and 'href="E06000016/index.html"' in index
    assert "Leicester and Leicestershire" in index and "packs by area" in index
    again = pipeline.run(
        RunParams(), areas="E37000021,E06000016", paths=project, jobs=2, progress=False
    )
    assert {n.status for n in again.notebooks} == {"skipped"}


@pytest.mark.slow
def test_watch_once_says_what_was_refreshed_and_why(project, executor):
    run(project, executor)
    write_raw(project.raw, leicester_rate="70.0")
    lines: list[str] = []
    code = pipeline.watch(
        RunParams(), once=True, paths=project, echo=lines.append, executor=executor, progress=False
    )
    assert code == 0
    assert len(lines) == 1 and lines[0].endswith(
        "data/raw/employment-rate.csv changed (els_employment_rate) \u2192 re-ran a_jobs, c_all"
    )
    lines.clear()
    pipeline.watch(
        RunParams(), once=True, paths=project, echo=lines.append, executor=executor, progress=False
    )
    assert lines == ["up to date: nothing changed since the last run"]


@pytest.mark.slow
def test_spawned_kernels_work_too(project):
    summary = run(project, None, jobs=1, only=["c_all"], kernel_mode="spawn")
    assert statuses(summary) == {"c_all": "ran"}
    assert "data:image/png;base64," in (project.reports / "E37000021" / "c_all.html").read_text()
