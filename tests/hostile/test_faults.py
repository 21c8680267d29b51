"""Faults: signals, a full disk and a damaged store, through ``lis`` as a user meets them.

- **Signals**: SIGTERM (a scheduler stopping a job) or Ctrl-C to ``lis ingest --jobs 2``
  or ``lis run --jobs 2`` stops the command in one line (exit 143 or 130), ends every
  process it started (workers, kernel templates, kernels), releases its lock (the next
  command runs at once), leaves the run record saying ``interrupted`` and every page pair
  and index consistent. The signal tests poll for process state with generous deadlines
  (a loaded two-core machine) and kill what they started if a check fails.
- **A full disk** while a page pair is written (a writer raising ``OSError(ENOSPC)``
  half-way): the pair is replaced together or not at all, and the index never names a
  version that is not the one shown.
- **A damaged store** (a truncated table or part, a malformed manifest) is found from its
  checksums and rebuilt, with a message.
"""

from __future__ import annotations

import errno
import json
import os
import re
import signal
import tempfile
from pathlib import Path

import pytest

from lis_analysis.errors import LisError
from tests.hostile.helpers import (
    alive,
    children,
    kill_all,
    lis,
    needs_proc,
    processes_of,
    snapshot,
    start_lis,
    wait_until,
)
from tests.pack.project import make_project, run_pack

pytestmark = pytest.mark.skipif(not needs_proc, reason="process checks read Linux /proc")

# --------------------------------------------------------------------------------------
# What "consistent" means for a reports folder
# --------------------------------------------------------------------------------------

_PAGE_RUN = re.compile(r"<dt>Run</dt><dd><code>([^<]+)</code>")


def page_run(path: Path) -> str | None:
    """The run id a page's footer names (None when the page does not exist)."""
    if not path.exists():
        return None
    text = path.read_text(encoding="utf-8")
    assert text.rstrip().endswith("</html>"), f"half-written page {path}"
    m = _PAGE_RUN.search(text)
    assert m, f"no run id in {path}"
    return m.group(1)


def index_runs(index: Path) -> dict[str, str | None]:
    """``{notebook: the run id its card says is shown}`` from an area's index page."""
    text = index.read_text(encoding="utf-8")
    out = {}
    for card in text.split('<li class="lis-card lis-card--')[1:]:
        name = re.search(r'id="card-([^"]+)"', card).group(1)
        m = re.search(r"\. Run ([^ <]+)\.</p>", card)
        out[name] = m.group(1) if m else None
    return out


def assert_consistent(reports: Path, area: str = "E37000021") -> dict[str, str | None]:
    """Every page pair is from one run, the one the area's index and state name; no
    temporary or staged file is left. Returns ``{notebook: run id shown}``."""
    for f in reports.rglob("*"):
        assert not f.name.endswith((".tmp", ".staged")), f"left behind: {f}"
    assert not (reports / ".commit.json").exists(), "an unfinished commit"
    index = reports / area / "index.html"
    cards = index_runs(index) if index.exists() else {}
    state = json.loads((reports / area / "pack.json").read_text()) if cards else {}
    shown = {}
    for name, card_run in cards.items():
        board = page_run(reports / area / f"{name}.html")
        analyst = page_run(reports / area / f"{name}.analyst.html")
        assert board == analyst, f"{name}: board page from {board}, analyst page from {analyst}"
        assert card_run == board, f"{name}: the index names {card_run}, the pages are {board}"
        entry = (state.get("notebooks") or {}).get(name) or {}
        assert entry.get("run_id") == board, f"{name}: pack.json names {entry.get('run_id')}"
        shown[name] = board
    return shown


# --------------------------------------------------------------------------------------
# Signals to `lis ingest --jobs 2`
# --------------------------------------------------------------------------------------

NOMIS_HEAD = (
    '"DATE_NAME","GEOGRAPHY_NAME","GEOGRAPHY_CODE","GENDER_NAME","C_AGE_NAME",'
    '"MEASURES_NAME","OBS_VALUE","OBS_STATUS","OBS_STATUS_NAME","RECORD_OFFSET","RECORD_COUNT"\n'
)


def big_raw(folder: Path) -> Path:
    """Three valid Nomis API population files of a few MB each, which take the parsers
    seconds: long enough to stop an ingest while its workers are busy."""
    folder.mkdir(parents=True)
    for k, date in enumerate(["2026-05-29", "2026-06-29", "2026-07-29"]):
        rows, n = [], 0
        for year in range(1998, 2024):
            for g in range(1500):
                code = f"E0{6 + (k % 2)}{g + 3000 * k:06d}"
                for age in ("All Ages", "Aged 16 - 64"):
                    rows.append(
                        f'"{year}","Area {g}","{code}","Total","{age}","Value","{1000 + g}","A",'
                        f'"Normal Value","{n}","{26 * 1500 * 2}"\n'
                    )
                    n += 1
        (folder / f"nomis_population_lad_{date}.csv").write_text(NOMIS_HEAD + "".join(rows))
    return folder


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    return big_raw(tmp_path_factory.mktemp("faults_raw") / "raw")


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["sigterm", "sigint"])
def test_signal_to_ingest_ends_its_workers_and_releases_the_lock(sig, big, tmp_path):
    home, processed = tmp_path / "home", tmp_path / "processed"
    raw_before = snapshot(big)
    proc = start_lis("ingest", "--raw", big, "--processed", processed, "--jobs", "2", home=home)
    workers: list[int] = []
    try:
        workers = wait_until(lambda: len(children(proc.pid)) >= 2 and children(proc.pid), 240)
        assert workers, "the ingest did not start its workers"
        if sig == signal.SIGINT:
            os.killpg(proc.pid, sig)  # Ctrl-C reaches the whole foreground group
        else:
            os.kill(proc.pid, sig)  # a scheduler signals the command only
        out, err = proc.communicate(timeout=120)
        code = 128 + sig
        assert proc.returncode == code, f"exit {proc.returncode}: {err[-2000:]}"
        assert "Traceback" not in err, err[-2000:]
        how = "stopped by SIGTERM" if sig == signal.SIGTERM else "interrupted"
        assert err.splitlines() == [
            f"lis ingest: {how}; finished outputs are kept, unfinished ones left as they were"
        ], err
        gone = wait_until(lambda: not any(alive(w) for w in workers), 60)
        assert gone, f"workers outlived the ingest: {[w for w in workers if alive(w)]}"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
        kill_all(workers)
    assert wait_until(lambda: not processes_of(home), 60), "a process of the ingest remains"
    assert snapshot(big) == raw_before
    # the lock was released: the next ingest starts at once and completes
    again = lis("ingest", "--raw", big, "--processed", processed, home=home, timeout=600)
    assert again.returncode == 0, again.stderr[-2000:]
    assert "another lis command is writing here" not in again.stderr
    assert json.loads((processed / "manifest.json").read_text())["rows"] > 0


# --------------------------------------------------------------------------------------
# Signals to `lis run --jobs 2`
# --------------------------------------------------------------------------------------

SLOW_CELL = (
    "\n# %%\nimport pathlib, time\n"
    "pathlib.Path(r'{marker}').write_text('started')\ntime.sleep(300)\n"
)


@pytest.mark.slow
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["sigterm", "sigint"])
def test_signal_to_run_ends_everything_and_records_interrupted(sig, tmp_path):
    home = tmp_path / "home"
    p = make_project(home)
    markers = tmp_path / "markers"
    markers.mkdir()
    for name in ("b_broadband", "c_all"):  # two notebooks that never finish by themselves
        src = p.notebooks / f"{name}.py"
        src.write_text(src.read_text() + SLOW_CELL.format(marker=markers / name))
    proc = start_lis("run", "--jobs", "2", home=home)
    started: list[int] = []
    try:
        ok = wait_until(lambda: len(list(markers.iterdir())) == 2, 300, step=0.25)
        assert ok, f"the notebooks did not start: {proc.poll()} {markers}"
        started = processes_of(home)
        if sig == signal.SIGINT:
            os.killpg(proc.pid, sig)  # Ctrl-C: the whole foreground group
        else:
            os.kill(proc.pid, sig)
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 128 + sig, f"exit {proc.returncode}: {err[-3000:]}"
        assert "Traceback" not in err, err[-3000:]
        how = "stopped by SIGTERM" if sig == signal.SIGTERM else "interrupted"
        assert err.splitlines() == [
            f"lis run: {how}; finished outputs are kept, unfinished ones left as they were"
        ], err
        gone = wait_until(lambda: not processes_of(home), 60)
        assert gone, f"processes outlived the run: {processes_of(home)}"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
        kill_all(started + processes_of(home))
    records = list((p.reports / "_runs").glob("*.json"))
    assert len(records) == 1
    record = json.loads(records[0].read_text())
    assert record["status"] == "interrupted" and record["finished"]
    statuses = {k.split("/")[1]: v["status"] for k, v in record["notebooks"].items()}
    assert statuses["b_broadband"] == statuses["c_all"] == "interrupted"
    shown = assert_consistent(p.reports)
    assert shown.get("b_broadband") is None and shown.get("c_all") is None
    # the lock died with the run: the next one runs at once (the slow cells removed)
    for name in ("b_broadband", "c_all"):
        src = p.notebooks / f"{name}.py"
        src.write_text(src.read_text().replace("time.sleep(300)", "pass"))
    again = lis("run", "--jobs", "2", home=home, timeout=900)
    assert again.returncode == 0, again.stdout[-2000:] + again.stderr[-2000:]
    shown = assert_consistent(p.reports)
    assert set(shown) == {"a_jobs", "b_broadband", "c_all"} and len(set(shown.values())) <= 2


# --------------------------------------------------------------------------------------
# A disk that fills while a page pair is written
# --------------------------------------------------------------------------------------


def disk_full_for(monkeypatch, prefix: str, times: int = 1) -> list[str]:
    """Make creating a file whose name starts with ``prefix`` fail with ENOSPC (the
    first ``times`` times), as a full disk does; returns the names refused."""
    real = tempfile.mkstemp
    refused: list[str] = []

    def mkstemp(*args, **kw):
        name = kw.get("prefix") or ""
        if name.startswith(prefix) and len(refused) < times:
            refused.append(name)
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(*args, **kw)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    return refused


@pytest.mark.slow
def test_disk_full_between_the_board_and_analyst_page(project, executor, monkeypatch):
    first = run_pack(project, executor)
    assert first.exit_code == 0
    before = assert_consistent(project.reports)
    pair = [project.reports / "E37000021" / f"b_broadband{v}.html" for v in ("", ".analyst")]
    pages = [f.read_bytes() for f in pair]
    refused = disk_full_for(monkeypatch, ".b_broadband.analyst.html.")
    second = run_pack(project, executor, force=True)
    assert refused, "the analyst page was never written"
    row = next(n for n in second.notebooks if n.name == "b_broadband")
    assert row.status == "failed" and "No space left on device" in (row.error or ""), row
    assert [f.read_bytes() for f in pair] == pages  # the previous pair, whole
    shown = assert_consistent(project.reports)
    assert shown["b_broadband"] == before["b_broadband"]  # and the index says so
    assert shown["a_jobs"] == shown["c_all"] == second.run_id  # the others went ahead
    index = (project.reports / "E37000021" / "index.html").read_text(encoding="utf-8")
    assert "The latest run of this page failed</strong>; the previous version is shown" in index


@pytest.mark.slow
def test_disk_full_when_the_index_is_written(project, executor, monkeypatch):
    first = run_pack(project, executor)
    before = assert_consistent(project.reports)
    refused = disk_full_for(monkeypatch, ".index.html.")  # the area's index, once
    second = run_pack(project, executor, force=True)
    assert refused
    failed = [n for n in second.notebooks if n.status == "failed"]
    assert len(failed) == 1 and "No space left on device" in failed[0].error
    shown = assert_consistent(project.reports)
    assert shown[failed[0].name] == before[failed[0].name] == first.run_id
    assert {shown[n.name] for n in second.notebooks if n.status == "ran"} == {second.run_id}


@pytest.mark.slow
def test_disk_full_for_every_index_is_one_line_and_consistent(project, executor, monkeypatch):
    run_pack(project, executor)
    before = assert_consistent(project.reports)
    disk_full_for(monkeypatch, ".index.html.", times=1000)
    with pytest.raises(LisError, match="cannot write the index .No space left on device."):
        run_pack(project, executor, force=True)
    assert assert_consistent(project.reports) == before  # nothing claims the new pages
    records = [json.loads(f.read_text()) for f in (project.reports / "_runs").glob("*.json")]
    assert sorted(r["status"] for r in records) == ["failed", "ok"]


@pytest.mark.slow
def test_a_commit_cut_short_is_finished_by_the_next_run(project, executor, monkeypatch):
    """A run killed between replacing the board page and the analyst page (SIGKILL, a
    power cut) leaves its journal; the next run finishes the change first."""
    run_pack(project, executor)
    real = os.replace
    calls = []

    def replace(src, dst):
        calls.append(dst)
        if str(dst).endswith("b_broadband.html"):  # the board page is in place: die
            real(src, dst)
            raise SystemExit("killed")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(SystemExit):
        run_pack(project, executor, force=True, only=["b_broadband"], jobs=1)
    monkeypatch.setattr(os, "replace", real)
    assert (project.reports / ".commit.json").exists()  # the journal of the cut change
    summary = run_pack(project, executor, only=["a_jobs"])
    assert summary.exit_code == 0
    assert_consistent(project.reports)  # the pair, state and index finished together


# --------------------------------------------------------------------------------------
# A damaged store: found from its checksums, rebuilt, with a message
# --------------------------------------------------------------------------------------


@pytest.fixture
def stored(tmp_path):
    """A raw folder (the small project's two ELS files) and its store, ingested."""
    home = tmp_path / "home"
    p = make_project(home)
    proc = lis("ingest", "--raw", p.raw, "--processed", tmp_path / "store", home=home)
    assert proc.returncode == 0, proc.stderr
    return p, tmp_path / "store", home


def _truncate(path: Path) -> None:
    with open(path, "r+b") as fh:
        fh.truncate(path.stat().st_size // 2)


DAMAGE = {
    # id: (what to do to the store, the line the ingest report must show)
    "table_truncated": (
        lambda store, parts: _truncate(store / "observations.parquet"),
        "observations.parquet does not match its checksum (damaged): rebuilt from the stored parts",
    ),
    "table_deleted": (
        lambda store, parts: (store / "lookups.parquet").unlink(),
        "lookups.parquet is missing: rebuilt from the stored parts",
    ),
    "part_truncated": (
        lambda store, parts: [_truncate(f) for f in sorted(parts.glob("*.parquet"))[:1]],
        "does not match its checksum (damaged): parsed again",
    ),
    "manifest_not_json": (
        lambda store, parts: (store / "manifest.json").write_text('{"files": [{"pa'),
        "manifest.json is not valid JSON",
    ),
    "manifest_wrong_shape": (
        lambda store, parts: (store / "manifest.json").write_text('{"files": 5}'),
        "manifest.json is malformed (no list of files): the store was rebuilt from the raw files",
    ),
    "manifest_a_list": (
        lambda store, parts: (store / "manifest.json").write_text("[1, 2]"),
        "manifest.json is malformed (not a JSON object)",
    ),
}


@pytest.mark.parametrize("case", list(DAMAGE), ids=list(DAMAGE))
def test_damaged_store_is_found_and_rebuilt_with_a_message(case, stored):
    p, store, home = stored
    damage, expected = DAMAGE[case]
    raw_before = snapshot(p.raw)
    damage(store, home / "data" / "processed" / "parts")
    proc = lis("ingest", "--raw", p.raw, "--processed", store, home=home)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    assert expected in proc.stdout, proc.stdout
    assert "(updated," in proc.stdout.splitlines()[-1]
    assert expected in proc.stderr  # also said where a run's log shows it
    assert snapshot(p.raw) == raw_before
    # the store is whole again: readable, and the next ingest finds nothing to repair
    again = lis("ingest", "--raw", p.raw, "--processed", store, home=home)
    assert again.returncode == 0 and "repaired" not in again.stdout, again.stdout
    assert "(unchanged," in again.stdout.splitlines()[-1]
    shown = lis("areas", "--raw", p.raw, "--format", "json", home=home)
    assert shown.returncode == 0, shown.stderr


@pytest.mark.slow
def test_a_run_with_nothing_to_do_notices_a_damaged_store(project, executor):
    assert run_pack(project, executor).exit_code == 0
    _truncate(project.processed / "observations.parquet")
    summary = run_pack(project, executor)  # nothing changed in the raw files
    assert summary.exit_code == 0
    assert summary.count("ran") == 0  # the store was rebuilt; the pages still hold
    from lis_analysis.store import read_observations

    assert len(read_observations(project.processed)) > 0
