"""What every hostile-input test needs: ``lis`` in a fresh process, the one-line error
check, snapshots of folders, and (for the signal tests) the processes a command left.

Every test runs the command as a user would, in a subprocess importing the package from
this checkout, with ``LIS_HOME`` pointing at a temporary project (so nothing is read from
or written to the checkout's ``data/`` and ``reports/``).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "tests" / "fixtures"
MB = 1 << 20


def env_for(home: Path) -> dict[str, str]:
    """The environment of a ``lis`` process working on the project at ``home`` (its
    matplotlib, IPython and Jupyter state inside it, as the Makefile arranges)."""
    cfg = home / ".cache"
    return {
        **os.environ,
        "LIS_HOME": str(home),
        "PYTHONPATH": str(REPO),
        "MPLCONFIGDIR": str(cfg / "matplotlib"),
        "IPYTHONDIR": str(cfg / "ipython"),
        "JUPYTER_CONFIG_DIR": str(cfg / "jupyter"),
        "MPLBACKEND": "Agg",
        "PYDEVD_DISABLE_FILE_VALIDATION": "1",
    }


def lis(
    *args: object, home: Path, timeout: float = 180, cwd: Path | None = None
) -> subprocess.CompletedProcess:
    """``lis ARGS`` in a fresh process, importing the package from this checkout."""
    return subprocess.run(
        [sys.executable, "-m", "lis_analysis.cli", *map(str, args)],
        cwd=cwd or REPO,
        env=env_for(home),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def start_lis(*args: object, home: Path, cwd: Path | None = None) -> subprocess.Popen:
    """``lis ARGS`` started in the background, in a session of its own (so that a signal
    meant for it reaches nothing else), its output captured."""
    return subprocess.Popen(
        [sys.executable, "-m", "lis_analysis.cli", *map(str, args)],
        cwd=cwd or REPO,
        env=env_for(home),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def one_line_error(proc: subprocess.CompletedProcess, verb: str = "ingest") -> str:
    """The single stderr line of a bad-input failure (exit 2, no traceback)."""
    out = proc.stdout + proc.stderr
    assert proc.returncode == 2, f"exit {proc.returncode} (expected 2): {out[-2000:]}"
    assert "Traceback" not in out, out[-2000:]
    lines = proc.stderr.splitlines()
    assert len(lines) == 1, f"expected one line on stderr, got {len(lines)}: {proc.stderr[:2000]}"
    assert lines[0].startswith(f"lis {verb}: error: "), lines[0]
    assert lines[0].isprintable(), f"a raw control character in the message: {lines[0]!r}"
    return lines[0]


def snapshot(folder: Path) -> dict[str, str]:
    """sha256 of every file under ``folder`` (relative path -> digest), lock files left
    out: a command that takes a folder's lock notes in it who holds it (``pid N,
    started ...``), which is not the folder's content."""
    if not folder.exists():
        return {}
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and not p.name.endswith(".lock")
    }


# --------------------------------------------------------------------------------------
# Processes (Linux /proc): what a command started, and whether it is still there
# --------------------------------------------------------------------------------------


def wait_until(check: Callable[[], object], timeout: float, step: float = 0.1) -> object:
    """Poll ``check`` until it returns something true or ``timeout`` seconds pass;
    returns its last value (a loaded machine gets the whole timeout, a quiet one none)."""
    deadline = time.monotonic() + timeout
    value = check()
    while not value and time.monotonic() < deadline:
        time.sleep(step)
        value = check()
    return value


def _state(pid: int) -> str | None:
    """The process's state letter (``R``, ``S``, ``Z`` ...), None when it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[0]


def alive(pid: int) -> bool:
    """Whether ``pid`` is a live process (a zombie awaiting its parent is not)."""
    return _state(pid) not in (None, "Z", "X")


def children(pid: int) -> list[int]:
    """Live child processes of ``pid``."""
    out = []
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            stat = (proc / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid and fields[0] not in ("Z", "X"):
            out.append(int(proc.name))
    return out


def processes_of(home: Path) -> list[int]:
    """Live processes working for the project at ``home`` (``LIS_HOME`` in their
    environment): the command, its workers, kernel templates and kernels."""
    found = []
    mark = f"LIS_HOME={home}".encode()
    for proc in Path("/proc").glob("[0-9]*"):
        try:
            env = (proc / "environ").read_bytes()
        except OSError:
            continue
        if mark in env.split(b"\0") and alive(int(proc.name)):
            found.append(int(proc.name))
    return found


def kill_all(pids: list[int]) -> None:
    """SIGKILL each of ``pids`` still alive (the test's own processes only)."""
    for pid in pids:
        if alive(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)


needs_proc = sys.platform.startswith("linux") and Path("/proc/self/stat").exists()
