"""The one writer, lock and hasher (lis_analysis._files): atomic, portable, companions counted."""

from __future__ import annotations

import os
import stat
import subprocess
import threading
import time
from pathlib import Path

import pytest

from lis_analysis import _files
from lis_analysis._files import (
    LockBusy,
    atomic_path,
    atomic_write,
    code_hash,
    companions,
    content_hash,
    git_commit,
    locked,
    sha256_file,
    stat_stamp,
)


def test_atomic_write_replaces_the_file_whole(tmp_path):
    target = tmp_path / "sub" / "page.html"
    atomic_write(target, "caf\u00e9\n")
    assert target.read_bytes() == "caf\u00e9\n".encode()
    atomic_write(target, b"\x00bytes", fsync=True)
    assert target.read_bytes() == b"\x00bytes"
    assert [f.name for f in target.parent.iterdir()] == ["page.html"]
    if os.name == "posix":  # pages are there to be read (mkstemp makes files private)
        assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_atomic_write_leaves_the_old_file_when_interrupted(tmp_path, monkeypatch):
    target = tmp_path / "page.html"
    target.write_text("old")

    def boom(*a, **k):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(KeyboardInterrupt):
        atomic_write(target, "new")
    assert target.read_text() == "old"
    assert [f.name for f in tmp_path.iterdir()] == ["page.html"]


def test_atomic_path_removes_its_temporary_file_on_error(tmp_path):
    target = tmp_path / "table.parquet"
    with pytest.raises(ValueError), atomic_path(target) as tmp:
        tmp.write_bytes(b"half")
        raise ValueError("the writer failed")
    assert list(tmp_path.iterdir()) == []


def test_lock_refuses_a_second_holder_naming_the_first(tmp_path):
    with locked(tmp_path, ".lock"):
        t0 = time.monotonic()
        with (
            pytest.raises(LockBusy, match=r"another lis command is writing here") as err,
            locked(tmp_path, ".lock", wait=0.3),
        ):
            pass  # pragma: no cover - never reached
        assert time.monotonic() - t0 >= 0.3  # it waited
        assert err.value.holder.startswith(f"pid {os.getpid()}, started ")
        assert str(tmp_path) in str(err.value) and err.value.exit_code == 2
        with locked(tmp_path, ".other"):  # another lock in the same folder is free
            pass
    with locked(tmp_path, ".lock", wait=0):  # released
        pass


def test_lock_waits_for_the_holder_to_finish(tmp_path):
    held = threading.Event()

    def hold() -> None:
        with locked(tmp_path):
            held.set()
            time.sleep(0.4)

    thread = threading.Thread(target=hold)
    thread.start()
    held.wait(5)
    t0 = time.monotonic()
    with locked(tmp_path, wait=10):
        waited = time.monotonic() - t0
    thread.join()
    assert 0.1 < waited < 5


def test_an_els_json_is_part_of_its_csv(tmp_path):
    csv = tmp_path / "employment-rate.csv"
    csv.write_text("areacd,observation\nE06000016,65.1\n")
    assert companions(csv) == [] and content_hash(csv) == sha256_file(csv)
    meta = tmp_path / "employment-rate.json"
    meta.write_text('{"release": "2024-04-16"}')
    cw = tmp_path / "employment-rate.csv-metadata.json"
    cw.write_text("{}")
    assert companions(csv) == [cw, meta]
    assert companions(meta) == []  # only a CSV has companions
    first, stamp = content_hash(csv), stat_stamp(csv)
    assert first != sha256_file(csv)
    meta.write_text('{"release": "2025-04-17"}')  # the JSON alone changes
    assert content_hash(csv) != first and stat_stamp(csv) != stamp


def test_code_hash_follows_the_extra_folders(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.md").write_text("one")
    (tmp_path / "docs" / ".hidden").write_text("ignored")
    first = code_hash([tmp_path / "docs"])
    assert first == code_hash([tmp_path / "docs"]) != code_hash()
    (tmp_path / "docs" / ".hidden").write_text("still ignored")
    assert code_hash([tmp_path / "docs"]) == first
    (tmp_path / "docs" / "a.md").write_text("two")
    assert code_hash([tmp_path / "docs"]) != first


def test_git_commit_reads_the_checkout():
    sha = git_commit()
    root = Path(__file__).resolve().parents[1]
    if not (root / ".git").exists():
        pytest.skip("not a git checkout")
    expected = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True
    ).stdout.strip()
    assert sha == expected


def test_files_module_needs_only_the_standard_library():
    """The pack's no-op path imports it: no pandas, numpy or pyarrow behind it."""
    import ast
    import sys

    tree = ast.parse(Path(_files.__file__).read_text(encoding="utf-8"))
    absolute: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            absolute |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            absolute.add(node.module.split(".")[0])
    assert absolute - {"__future__"} <= set(sys.stdlib_module_names), absolute


# --------------------------------------------------------------------------------------
# Several files as one change: stage, commit, recover (issue 13)
# --------------------------------------------------------------------------------------


def test_stage_leaves_the_target_until_commit(tmp_path):
    target = tmp_path / "a" / "page.html"
    target.parent.mkdir()
    target.write_text("old")
    tmp = _files.stage(target, "new")
    assert target.read_text() == "old" and tmp.read_text() == "new"
    assert tmp.name.startswith(".page.html.") and tmp.name.endswith(_files.STAGED_SUFFIX)
    journal = tmp_path / ".commit.json"
    _files.commit(journal, [(tmp, target)])
    assert target.read_text() == "new" and not tmp.exists() and not journal.exists()


def test_a_commit_cut_short_is_finished_by_recover(tmp_path, monkeypatch):
    pair = [tmp_path / "board.html", tmp_path / "analyst.html"]
    for f in pair:
        f.write_text("old")
    staged = [_files.stage(f, "new") for f in pair]
    journal = tmp_path / ".commit.json"
    real = os.replace
    done = []

    def replace(src, dst):
        if str(dst) == str(pair[1]) and not done:  # die after the first page
            done.append(dst)
            raise SystemExit("killed")
        return real(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(SystemExit):
        _files.commit(journal, list(zip(staged, pair, strict=True)))
    monkeypatch.setattr(os, "replace", real)
    assert [f.read_text() for f in pair] == ["new", "old"] and journal.exists()
    # what a dead run staged is removed, except what the journal still needs
    stray = _files.stage(tmp_path / "other.html", "x")
    assert _files.discard_stale_staged(tmp_path, journal) == 1 and not stray.exists()
    assert _files.recover(journal) is True
    assert [f.read_text() for f in pair] == ["new", "new"] and not journal.exists()
    assert _files.recover(journal) is False


def test_a_commit_whose_journal_cannot_be_written_changes_nothing(tmp_path, monkeypatch):
    target = tmp_path / "page.html"
    target.write_text("old")
    tmp = _files.stage(target, "new")
    real = _files.atomic_write

    def full(path, data, **kw):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(_files, "atomic_write", full)
    with pytest.raises(OSError):
        _files.commit(tmp_path / ".commit.json", [(tmp, target)])
    monkeypatch.setattr(_files, "atomic_write", real)
    assert target.read_text() == "old" and not (tmp_path / ".commit.json").exists()


def test_stage_on_a_full_disk_leaves_nothing(tmp_path, monkeypatch):
    import tempfile

    def mkstemp(*a, **kw):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    with pytest.raises(OSError):
        _files.stage(tmp_path / "page.html", "new")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("path", "folder", "inside"),
    [
        ("raw", "raw", True),
        ("raw/x/y.csv", "raw", True),
        ("raw/../raw/x", "raw", True),
        ("raw2", "raw", False),
        ("other/raw", "raw", False),
        ("link/x.csv", "raw", True),  # through a link to the folder
    ],
)
def test_is_inside(tmp_path, path, folder, inside):
    (tmp_path / "raw").mkdir()
    try:
        (tmp_path / "link").symlink_to(tmp_path / "raw", target_is_directory=True)
    except (OSError, NotImplementedError):
        if path.startswith("link"):
            pytest.skip("this system cannot make a symbolic link")
    assert _files.is_inside(tmp_path / path, tmp_path / folder) is inside


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
def test_a_forked_child_does_not_keep_the_lock(tmp_path):
    """A worker forked while the store's lock is held (ingest --jobs 2) must not hold it
    for as long as it lives: the parent's release releases it."""
    folder = tmp_path / "store"
    r, w = os.pipe()
    with _files.locked(folder):
        pid = os.fork()
        if pid == 0:  # the child: wait until told to stop (an orphaned worker, say)
            os.close(w)
            os.read(r, 1)
            os._exit(0)
    os.close(r)
    try:
        with _files.locked(folder, wait=2):  # taken while the child is alive
            pass
    finally:
        os.close(w)
        os.waitpid(pid, 0)


def test_store_manifest_problems(tmp_path):
    assert _files.read_store_manifest(tmp_path) == (None, "")
    (tmp_path / "manifest.json").write_text('{"files": [')
    doc, problem = _files.read_store_manifest(tmp_path)
    assert doc is None and problem.startswith("is not valid JSON")
    for text, why in [
        ("[]", "not a JSON object"),
        ('{"files": 5}', "no list of files"),
        ('{"files": [{"name": "x"}]}', "a file record without a path"),
        ('{"files": [], "tables": {"a": 1}}', "a malformed table of checksums"),
    ]:
        (tmp_path / "manifest.json").write_text(text)
        assert _files.read_store_manifest(tmp_path) == (None, f"is malformed ({why})")
