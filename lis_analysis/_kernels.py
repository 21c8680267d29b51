"""Kernels for the pipeline: this virtual environment's Python, started fast by forking.

Every notebook gets a fresh kernel (its own process, empty namespace), always running
``sys.executable`` of the worker, i.e. this ``.venv``'s Python: the kernel spec is built
here, so a user-level ``python3`` kernel spec pointing at another Python is never used.

Two ways to start a kernel (:class:`LisKernelManager`):

``fork`` (default)
    Each pipeline worker keeps one *kernel template*: a small process, started once,
    that imports the heavy libraries (numpy, pandas, matplotlib, statsmodels, ipykernel,
    ``lis_analysis``) and then waits. A kernel is a ``fork()`` of the template that runs
    ipykernel exactly as ``python -m ipykernel_launcher -f CONNECTION_FILE`` would, with the
    kernel manager's environment and working directory, in its own session. The notebook's
    namespace is as empty as in a spawned kernel; what is saved is the ~2 s of imports and
    interpreter start per notebook (TOOLCHAIN.md: kernel start 1 s, imports 1.9 s). The
    template is single-threaded and never creates a ZeroMQ context, so forking it is safe.
    Python's ``random`` is re-seeded after a fork by CPython itself; numpy's global
    generator is re-seeded here so kernels do not share random streams.

``spawn``
    The ordinary ``subprocess`` launch of ``sys.executable -m ipykernel_launcher``
    (set ``LIS_KERNEL_MODE=spawn``, or when the template cannot start).

The template exits when its worker does (end of file on its stdin); kernels exit when
the template does (ipykernel's parent poller, ``JPY_PARENT_PID`` = the template).

Run as ``python -m lis_analysis._kernels MODULE ...`` to serve as a template.
"""

from __future__ import annotations

import contextlib
import gc
import importlib
import json
import os
import select
import signal
import subprocess
import sys
import threading
import uuid
from collections.abc import Sequence
from typing import Any

#: Modules a kernel template imports before forking (missing ones are skipped).
DEFAULT_PRELOAD: tuple[str, ...] = (
    "numpy",
    "pandas",
    "pyarrow.parquet",
    "matplotlib",
    "matplotlib.pyplot",
    "scipy.stats",
    "statsmodels.api",
    "yaml",
    "lis_analysis",
    "lis_analysis.config",
    "lis_analysis.notebook",
    "IPython.display",
)

#: The inline backend, whatever MPLBACKEND the caller had (the Makefile sets Agg for tools).
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


# --------------------------------------------------------------------------------------
# The template (server side): runs in its own process
# --------------------------------------------------------------------------------------


def _serve(preload: Sequence[str]) -> int:
    """Import ``preload``, then fork one kernel per request line on stdin."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the run, not for us
    out = os.fdopen(os.dup(1), "wb", buffering=0)
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 1)  # nothing imported may write into the reply pipe
    for name in preload:
        try:
            importlib.import_module(name)
        except Exception:  # a missing optional module only costs speed
            pass
    import ipykernel.kernelapp  # noqa: F401  (the kernel itself)

    # Freeze what was imported so that the kernels' garbage collector does not touch
    # (and so copy) the template's pages.
    gc.collect()
    gc.freeze()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # kernels are reaped automatically
    out.write(b'{"ready": true}\n')
    for line in sys.stdin.buffer:
        try:
            req = json.loads(line)
        except ValueError:
            continue
        pid = os.fork()
        if pid == 0:  # pragma: no cover - runs in the kernel process
            _child(req)
        out.write(json.dumps({"pid": pid}).encode() + b"\n")
    return 0


def _child(req: dict[str, Any]) -> None:  # pragma: no cover - runs in the kernel process
    code = 1
    try:
        os.setsid()
        for sig in (signal.SIGCHLD, signal.SIGPIPE, signal.SIGTERM):
            signal.signal(sig, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        log = req.get("log") or os.devnull
        fd_out = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        fd_in = os.open(os.devnull, os.O_RDONLY)
        os.dup2(fd_in, 0)
        os.dup2(fd_out, 1)
        os.dup2(fd_out, 2)
        os.close(fd_in)
        os.close(fd_out)
        os.chdir(req.get("cwd") or os.getcwd())
        env = dict(req.get("env") or {})
        env["JPY_PARENT_PID"] = str(os.getppid())
        os.environ.clear()
        os.environ.update(env)
        gc.unfreeze()
        if "numpy" in sys.modules:
            sys.modules["numpy"].random.seed()
        sys.argv = ["ipykernel_launcher", *req["args"]]
        from ipykernel import kernelapp

        kernelapp.launch_new_instance()
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    except BaseException:
        import traceback

        traceback.print_exc()
    finally:
        with contextlib.suppress(Exception):
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)


# --------------------------------------------------------------------------------------
# The worker side: a client for the template, a provisioner and a kernel manager
# --------------------------------------------------------------------------------------


class KernelTemplate:
    """A running kernel template (see module docstring); thread-safe ``spawn``."""

    def __init__(self, preload: Sequence[str] = DEFAULT_PRELOAD, env: dict[str, str] | None = None):
        env = dict(os.environ if env is None else env)
        env["MPLBACKEND"] = INLINE_BACKEND
        self._lock = threading.Lock()
        self._ready = False
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "lis_analysis._kernels", *preload],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            start_new_session=True,  # Ctrl-C reaches the run, which then closes our stdin
        )

    def _readline(self, timeout: float) -> dict[str, Any]:
        assert self.proc.stdout is not None
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not ready:
            raise RuntimeError(f"kernel template did not answer within {timeout:.0f} s")
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError(f"kernel template exited (code {self.proc.poll()})")
        return json.loads(line)

    def alive(self) -> bool:
        return self.proc.poll() is None

    def wait_ready(self, timeout: float = 120.0) -> None:
        with self._lock:
            if not self._ready:
                self._readline(timeout)
                self._ready = True

    def spawn(self, args: Sequence[str], env: dict[str, str], cwd: str | None, log: str | None = None) -> int:
        """Fork a kernel running ``ipykernel_launcher ARGS``; returns its pid."""
        self.wait_ready()
        req = {"args": list(args), "env": dict(env), "cwd": cwd, "log": log}
        with self._lock:
            assert self.proc.stdin is not None
            self.proc.stdin.write(json.dumps(req).encode() + b"\n")
            self.proc.stdin.flush()
            return int(self._readline(30.0)["pid"])

    def close(self) -> None:
        with contextlib.suppress(Exception):
            if self.proc.stdin:
                self.proc.stdin.close()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()


class _ForkedProcess:
    """Enough of ``subprocess.Popen`` for jupyter_client, for a process that is not our
    child (a child of the template): watched through a pidfd, signalled by pid."""

    stdin = stdout = stderr = None

    def __init__(self, pid: int):
        self.pid = pid
        self.returncode: int | None = None
        self._killed_with: int | None = None
        try:
            self._fd: int | None = os.pidfd_open(pid)
        except (OSError, AttributeError):
            self._fd = None

    def poll(self) -> int | None:
        return self.wait(0)

    def wait(self, timeout: float | None = None) -> int | None:
        if self.returncode is not None:
            return self.returncode
        if self._fd is None:  # no pidfd: fall back to probing the pid
            try:
                os.kill(self.pid, 0)
                return None
            except ProcessLookupError:
                self.returncode = -(self._killed_with or 0)
                return self.returncode
        ready, _, _ = select.select([self._fd], [], [], timeout)
        if not ready:
            return None
        os.close(self._fd)
        self._fd = None
        self.returncode = -(self._killed_with or 0)
        return self.returncode

    def send_signal(self, sig: int) -> None:
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.pid, sig)
                if sig in (signal.SIGKILL, signal.SIGTERM):
                    self._killed_with = sig

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)

    def terminate(self) -> None:
        self.send_signal(signal.SIGTERM)


def _provisioner_class():
    from jupyter_client.provisioning import LocalProvisioner

    class ForkProvisioner(LocalProvisioner):  # type: ignore[misc, valid-type]
        """Launches the kernel by forking the worker's :class:`KernelTemplate`."""

        template: KernelTemplate | None = None
        log_path: str | None = None

        async def launch_kernel(self, cmd: list[str], **kwargs: Any):
            template = type(self).template
            assert template is not None
            # cmd is [python, -m, ipykernel_launcher, -f, FILE, ...]: keep what follows the module
            args = cmd[cmd.index("ipykernel_launcher") + 1 :]
            env = dict(kwargs.get("env") or os.environ)
            env["MPLBACKEND"] = INLINE_BACKEND
            cwd = str(kwargs.get("cwd") or os.getcwd())
            pid = template.spawn(args, env, cwd, type(self).log_path)
            self.process = _ForkedProcess(pid)  # type: ignore[assignment]
            self.pid = pid
            self.pgid = pid  # the kernel called setsid()
            self.cwd = cwd
            return self.connection_info

    return ForkProvisioner


_FORK_PROVISIONER: Any = None


def kernel_manager_class(template: KernelTemplate | None, log_path: str | None = None) -> type:
    """The ``AsyncKernelManager`` subclass that nbclient/papermill should use: this
    environment's Python, forked from ``template`` when given, spawned otherwise."""
    global _FORK_PROVISIONER
    from jupyter_client.kernelspec import KernelSpec
    from jupyter_client.manager import AsyncKernelManager

    spec = KernelSpec(
        argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        display_name="LIS Evidence Suite (.venv)",
        language="python",
        env={"MPLBACKEND": INLINE_BACKEND},
        metadata={"debugger": False},
    )
    if template is not None and _FORK_PROVISIONER is None:
        _FORK_PROVISIONER = _provisioner_class()
    provisioner = _FORK_PROVISIONER

    class LisKernelManager(AsyncKernelManager):  # type: ignore[misc, valid-type]
        @property
        def kernel_spec(self):  # type: ignore[override]
            return spec

        async def _async_pre_start_kernel(self, **kw: Any):  # type: ignore[override]
            if template is not None and self.provisioner is None:
                provisioner.template = template
                provisioner.log_path = log_path
                self.kernel_id = self.kernel_id or str(uuid.uuid4())
                self.provisioner = provisioner(kernel_id=self.kernel_id, kernel_spec=spec, parent=self)
            elif log_path is None:
                # spawned kernels: keep ipykernel's start-up chatter off the terminal
                kw.setdefault("stdout", subprocess.DEVNULL)
                kw.setdefault("stderr", subprocess.DEVNULL)
            return await super()._async_pre_start_kernel(**kw)

    return LisKernelManager


def main(argv: Sequence[str]) -> int:
    return _serve(argv or DEFAULT_PRELOAD)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
