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
