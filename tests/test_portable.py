"""The package where POSIX-only modules are missing, as on Windows: ``fcntl`` hidden and
``os.fork`` absent, in a fresh interpreter.

Each test runs a script in a subprocess that first hides ``fcntl`` (``sys.modules["fcntl"]
= None``, so ``import fcntl`` fails as it does on Windows), deletes ``os.fork`` and
``os.pidfd_open``, and installs a stand-in ``msvcrt`` whose ``locking()`` behaves as
Windows' does (a byte-range lock from the file's position, ``OSError`` when another
process holds it; implemented with POSIX record locks). Then ``import lis_analysis``,
``lis.load`` and the pack must work, through the Windows code paths: the lock through
``msvcrt``, kernels spawned rather than forked.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.pack.project import make_project, write_raw

REPO = Path(__file__).resolve().parents[1]

WINDOWS_LIKE = textwrap.dedent(
    """
    import os, sys, types
    import subprocess  # before the msvcrt stand-in: subprocess takes msvcrt to mean Windows
    import fcntl as _posix  # kept only to build the msvcrt stand-in below
    sys.modules["fcntl"] = None  # "import fcntl" now fails, as on Windows
    for _name in ("fork", "pidfd_open", "forkpty"):
        if hasattr(os, _name):
            delattr(os, _name)
    msvcrt = types.ModuleType("msvcrt")
    msvcrt.LK_UNLCK, msvcrt.LK_LOCK, msvcrt.LK_NBLCK, msvcrt.LK_RLCK, msvcrt.LK_NBRLCK = range(5)
    msvcrt.calls = []
    def _locking(fd, mode, nbytes):
        msvcrt.calls.append(mode)
        if mode == msvcrt.LK_UNLCK:
            _posix.lockf(fd, _posix.LOCK_UN, nbytes, 0, os.SEEK_CUR)
        else:  # raises OSError (BlockingIOError) when held elsewhere, as msvcrt does
            _posix.lockf(fd, _posix.LOCK_EX | _posix.LOCK_NB, nbytes, 0, os.SEEK_CUR)
    msvcrt.locking = _locking
    sys.modules["msvcrt"] = msvcrt
    """
)


def _run(script: str, *args: str, env: dict[str, str] | None = None, timeout: float = 300):
    res = subprocess.run(
        [sys.executable, "-c", WINDOWS_LIKE + textwrap.dedent(script), *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={**os.environ, **(env or {}), "PYTHONPATH": str(REPO)},
        timeout=timeout,
    )
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    return res.stdout


def test_import_and_load_work_without_fcntl_or_fork(tmp_path):
    raw = tmp_path / "raw"
    write_raw(raw)
    out = _run(
        """
        import importlib, pkgutil, subprocess
        import lis_analysis as lis
        import lis_analysis.store, lis_analysis.pack
        for m in pkgutil.walk_packages(lis_analysis.pack.__path__, "lis_analysis.pack."):
            importlib.import_module(m.name)
        from lis_analysis import _files, cli
        from lis_analysis.pack import kernels
        assert "fcntl" not in {k for k, v in sys.modules.items() if v is not None}

        obs = lis.load(raw=[sys.argv[1]])  # ingests: the store's lock, through msvcrt
        assert len(obs) == 4, obs
        assert msvcrt.LK_NBLCK in msvcrt.calls and msvcrt.LK_UNLCK in msvcrt.calls
        area = lis.area("E37000021")
        assert area.code == "E37000021" and len(area.members) == 8

        # a second process finds the lock held, and who holds it
        with _files.locked(sys.argv[2]):
            probe = subprocess.run(
                [sys.executable, "-c", sys.argv[3], sys.argv[2]], capture_output=True, text=True
            )
        assert probe.returncode == 0, probe.stderr
        assert f"busy: pid {os.getpid()}, started" in probe.stdout, probe.stdout

        assert not kernels.fork_available() and kernels.kernel_mode("fork") == "spawn"
        assert kernels.start_template({}, "fork") is None
        print("PORTABLE OK")
        """,
        str(raw),
        str(tmp_path / "locks"),
        WINDOWS_LIKE
        + textwrap.dedent(
            """
            from lis_analysis._files import LockBusy, locked
            try:
                with locked(sys.argv[1], wait=0):
                    print("not busy")
            except LockBusy as exc:
                print("busy:", exc.holder)
            """
        ),
        env={"LIS_HOME": str(tmp_path)},
    )
    assert "PORTABLE OK" in out


@pytest.mark.slow
def test_the_pack_runs_with_spawned_kernels_without_fcntl_or_fork(tmp_path):
    make_project(tmp_path)
    cfg = tmp_path / ".cache"
    out = _run(
        """
        from lis_analysis.config import Paths, RunParams
        from lis_analysis.pack.run import run
        summary = run(RunParams(), paths=Paths.under(sys.argv[1]), jobs=1, progress=False,
                      only=["a_jobs", "c_all"])
        print(summary.table())
        assert summary.exit_code == 0
        assert msvcrt.LK_NBLCK in msvcrt.calls  # the reports folder's lock
        print("PACK OK")
        """,
        str(tmp_path),
        env={
            "LIS_HOME": str(tmp_path),
            "MPLCONFIGDIR": str(cfg / "mpl"),
            "IPYTHONDIR": str(cfg / "ipython"),
            "JUPYTER_CONFIG_DIR": str(cfg / "jupyter"),
        },
    )
    assert "PACK OK" in out and "2 ran" in out
    page = (tmp_path / "reports" / "E37000021" / "c_all.html").read_text()
    assert "data:image/png;base64," in page
