"""Kernels for ``lis run``: this virtual environment's Python, started fast by forking.

Every notebook gets a fresh kernel (its own process, empty namespace), always running
``sys.executable``, i.e. this ``.venv``'s Python: the kernel spec is built here, so a
user-level ``python3`` kernel spec pointing at another Python is never used.

Two ways to start a kernel (:func:`kernel_manager_class`), chosen per run by
:func:`start_template`:

``fork`` (the default where it is available: Linux)
    A run starts one *kernel template* (:class:`KernelTemplate`): a small process that
    imports the heavy libraries once (numpy, pandas, matplotlib, statsmodels, ipykernel,
    ``lis_analysis``), calls the pack's warm-up functions (:func:`warm_data`: the
    store's tables and the areas) and then waits on a Unix socket. A kernel is a
    ``fork()`` of the template that runs ipykernel exactly as
    ``python -m ipykernel_launcher -f FILE`` would, with the kernel manager's environment
    and working directory, in its own session. The notebook's namespace is as empty as in
    a spawned kernel; what is saved is the interpreter start and ~2 s of imports per
    notebook (TOOLCHAIN.md). The template is single-threaded and never creates a ZeroMQ
    context, so forking it is safe. CPython re-seeds ``random`` after a fork; numpy's
    global generator is re-seeded here so that kernels do not share random streams.

``spawn``
    The ordinary ``subprocess`` launch of ``sys.executable -m ipykernel_launcher``.

**The switch**: ``LIS_KERNEL_MODE=spawn`` in the environment, or ``kernel_mode="spawn"``
for :func:`lis_analysis.pack.run.run`, starts plain kernels; ``fork`` (or nothing) asks
for the template. Fork mode needs ``os.fork``, ``os.pidfd_open`` and Unix sockets, and is
not used on macOS (forking a process that has loaded system frameworks is unsafe there),
so on macOS, Windows and anywhere :func:`fork_available` is false, kernels are spawned
whatever the switch says; a kernel is also spawned when the template has gone. Both
build the same pages (tests/pack/test_run.py); fork is faster.

The template exits when its owner does (end of file on its stdin); kernels exit when the
template does (ipykernel's parent poller: ``JPY_PARENT_PID`` is the template).

``python -m lis_analysis.pack.kernels SOCKET [MODULE ...]`` serves as a template.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import importlib
import json
import os
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from ..errors import ConfigError

#: Modules a kernel template imports before forking (missing ones are skipped): the
#: parts of ipykernel each kernel would otherwise import at start-up (its debugger alone
#: costs 0.25 s), the plotting and data stack, and ``lis_analysis.*``: every module the
#: package lists as public (``lis_analysis._LAZY_MODULES``), which brings in whatever
#: they import (scipy, statsmodels ...). Nothing else: the template's imports delay the
#: first kernel, so a library no notebook uses is not loaded "just in case".
DEFAULT_PRELOAD: tuple[str, ...] = (
    "numpy",
    "pandas",
    "pyarrow.parquet",
    "matplotlib",
    "matplotlib.pyplot",
    "IPython.display",
    "ipykernel.kernelapp",
    "ipykernel.ipkernel",
    "lis_analysis",
    "lis_analysis.api",
    "lis_analysis.workspace",
    "lis_analysis.*",
)
#: Public modules of the package that a notebook never needs in its kernel.
_NOT_PRELOADED = {"pack", "demo", "cli", "fetch"}

#: The environment variable that chooses how kernels start (``fork`` or ``spawn``).
MODE_ENV = "LIS_KERNEL_MODE"
MODES = ("fork", "spawn")

#: Prefix of the temporary folder holding a template's socket and its kernels' sockets.
TEMPLATE_DIR_PREFIX = "lis-kernels-"

#: Environment variable carrying the template's warm-up calls (see :func:`_warm`).
WARM_ENV = "LIS_TEMPLATE_WARM"

#: Kernel options: no IPython history database (concurrent kernels would contend for
#: one SQLite file, and a pipeline run has no use for it).
KERNEL_ARGS: tuple[str, ...] = ("--HistoryManager.enabled=False",)

#: The inline backend, whatever MPLBACKEND the caller had (the Makefile sets Agg for tools).
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"


# --------------------------------------------------------------------------------------
# The template (server side): runs in its own process
# --------------------------------------------------------------------------------------


def _serve(socket_path: str, preload: Sequence[str]) -> int:
    """Listen on ``socket_path``, import ``preload``, then fork one kernel per request.

    A request is one JSON line ``{"args", "env", "cwd", "log"}``; the reply is one JSON
    line ``{"pid": N}``. A request ``{"warm": [["module:function", {kwargs}], ...]}`` runs
    more warm-up calls in the template itself (see :meth:`TemplateClient.warm`) and is
    answered ``{"warmed": true}``. The template exits when its stdin closes (its owner is
    gone).
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is for the run, not for us
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(socket_path)
    listener.listen(64)  # clients may connect while we import; they wait in the backlog
    null = os.open(os.devnull, os.O_RDWR)
    os.dup2(null, 1)  # nothing imported may write to the owner's terminal
    for name in _expand(preload):
        with contextlib.suppress(Exception):  # a missing optional module only costs speed
            importlib.import_module(name)
    import ipykernel.kernelapp  # noqa: F401  (the kernel itself)

    _warm(os.environ.pop(WARM_ENV, ""))
    _forget_inline_backend()
    # Freeze what was imported so that the kernels' garbage collector leaves the
    # template's pages shared (copy-on-write) instead of touching them.
    gc.collect()
    gc.freeze()
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)  # kernels are reaped automatically
    stdin = sys.stdin.fileno()
    kernels: dict[int, int] = {}  # pid -> pidfd of the kernels still running
    while True:
        ready, _, _ = select.select([listener, stdin], [], [], 5.0)
        for pid, fd in list(kernels.items()):  # forget the kernels that have exited
            if select.select([fd], [], [], 0)[0]:
                os.close(fd)
                del kernels[pid]
        if stdin in ready and not os.read(stdin, 4096):
            break  # owner gone
        if listener not in ready:
            continue
        conn, _ = listener.accept()
        with conn:
            try:
                conn.settimeout(10)
                data = b""
                while not data.endswith(b"\n"):
                    chunk = conn.recv(1 << 16)
                    if not chunk:
                        break
                    data += chunk
                req = json.loads(data)
            except (OSError, ValueError):
                continue
            if isinstance(req, dict) and "warm" in req:
                # More warm-up in the template itself (a Dask worker's template, for the
                # area of a job it was given): every later kernel inherits it.
                _warm(json.dumps(req["warm"]))
                _forget_inline_backend()
                gc.collect()
                gc.freeze()
                with contextlib.suppress(OSError):
                    conn.sendall(b'{"warmed": true}\n')
                continue
            pid = os.fork()
            if pid == 0:  # pragma: no cover - runs in the kernel process
                listener.close()
                conn.close()
                for fd in kernels.values():
                    os.close(fd)
                _child(req)
            with contextlib.suppress(OSError):
                kernels[pid] = os.pidfd_open(pid)
            with contextlib.suppress(OSError):
                conn.sendall(json.dumps({"pid": pid}).encode() + b"\n")
    # The owner is gone: so are its kernels (a pidfd never signals a recycled pid).
    for fd in kernels.values():
        with contextlib.suppress(OSError):
            signal.pidfd_send_signal(fd, signal.SIGKILL)
    folder = os.path.dirname(socket_path)
    if os.path.basename(folder).startswith(TEMPLATE_DIR_PREFIX):
        shutil.rmtree(folder, ignore_errors=True)  # the socket and the kernels' sockets
    else:
        with contextlib.suppress(OSError):
            os.unlink(socket_path)
    return 0


def _expand(preload: Sequence[str]) -> list[str]:
    """``pkg.*`` stands for the public modules of ``pkg`` (its ``_LAZY_MODULES``)."""
    out: list[str] = []
    for name in preload:
        if name.endswith(".*"):
            with contextlib.suppress(Exception):
                pkg = importlib.import_module(name[:-2])
                subs = sorted(set(getattr(pkg, "_LAZY_MODULES", ())) - _NOT_PRELOADED)
                out.extend(f"{name[:-2]}.{sub}" for sub in subs)
        else:
            out.append(name)
    return out


def _warm(spec: str) -> None:
    """Call the owner's warm-up functions (``[["module:function", {kwargs}], ...]`` as
    JSON): whatever they load (the store's tables, the areas) every kernel inherits."""
    try:
        calls = json.loads(spec) if spec else []
    except ValueError:
        return
    for target, kwargs in calls:
        with contextlib.suppress(Exception):  # a warm-up that fails only costs speed
            module, _, attr = str(target).partition(":")
            getattr(importlib.import_module(module), attr)(**(kwargs or {}))


def _forget_inline_backend() -> None:
    """Undo anything a preloaded module did to select matplotlib's inline backend.

    The inline backend hooks itself into the IPython shell when its module is first
    imported; imported here, before any shell exists, it would never show a figure. So the
    kernels must import it themselves: drop it and pyplot's resolved backend.
    """
    for name in [
        m for m in sys.modules if m == "matplotlib_inline" or m.startswith("matplotlib_inline.")
    ]:
        del sys.modules[name]
    pyplot = sys.modules.get("matplotlib.pyplot")
    if pyplot is not None and getattr(pyplot, "_backend_mod", None) is not None:
        with contextlib.suppress(Exception):
            pyplot.close("all")
        pyplot._backend_mod = None  # type: ignore[attr-defined]


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
        # ipykernel read JPY_PARENT_PID when the template imported it: name the parent
        # explicitly, so that the kernel exits if the template (its parent) dies.
        sys.argv = [
            "ipykernel_launcher",
            *req["args"],
            f"--IPKernelApp.parent_handle={os.getppid()}",
        ]
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
# The owner's side: start and stop the template; clients in the workers
# --------------------------------------------------------------------------------------


class KernelTemplate:
    """A running kernel template, owned by the process that calls :func:`run`.

    Workers reach it through :class:`TemplateClient` and its Unix socket."""

    def __init__(
        self,
        env: dict[str, str] | None = None,
        preload: Sequence[str] = DEFAULT_PRELOAD,
        warm: Sequence[tuple[str, dict[str, Any]]] = (),
    ):
        env = dict(os.environ if env is None else env)
        env["MPLBACKEND"] = INLINE_BACKEND
        env[WARM_ENV] = json.dumps([[t, k] for t, k in warm])
        self._dir = tempfile.mkdtemp(prefix=TEMPLATE_DIR_PREFIX)
        self.socket_path = os.path.join(self._dir, "template.sock")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "lis_analysis.pack.kernels", self.socket_path, *preload],
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
            start_new_session=True,  # Ctrl-C reaches the run, which then closes our stdin
        )

    def alive(self) -> bool:
        return self.proc.poll() is None

    def close(self) -> None:
        with contextlib.suppress(Exception):
            if self.proc.stdin:
                self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self._dir, ignore_errors=True)


class TemplateClient:
    """Asks a :class:`KernelTemplate` to fork a kernel (thread-safe)."""

    def __init__(self, socket_path: str):
        self.socket_path = socket_path
        self._lock = threading.Lock()
        self._gone = False

    def spawn(
        self,
        args: Sequence[str],
        env: dict[str, str],
        cwd: str | None,
        log: str | None = None,
        timeout: float = 120.0,
        listen_timeout: float = 20.0,
    ) -> int:
        """Fork a kernel running ``ipykernel_launcher ARGS``; returns its pid.

        The template listens as soon as its interpreter has started (within
        ``listen_timeout`` seconds), then imports; a request waits in its backlog until
        the imports are done (up to ``timeout`` seconds). A template that never listens,
        or has stopped listening, is gone: this raises at once from then on, and the
        caller starts a kernel process instead.
        """
        if self._gone:
            raise ConnectionError("kernel template is gone")
        req = (
            json.dumps({"args": list(args), "env": dict(env), "cwd": cwd, "log": log}).encode()
            + b"\n"
        )
        now = time.monotonic()
        deadline, listen_deadline = now + timeout, now + min(timeout, listen_timeout)
        with self._lock:
            while True:
                try:
                    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
                        s.settimeout(max(1.0, deadline - time.monotonic()))
                        s.connect(self.socket_path)
                        s.sendall(req)
                        data = b""
                        while not data.endswith(b"\n"):
                            chunk = s.recv(4096)
                            if not chunk:
                                raise ConnectionError("kernel template closed the connection")
                            data += chunk
                        return int(json.loads(data)["pid"])
                except (FileNotFoundError, ConnectionRefusedError):
                    if time.monotonic() > listen_deadline:
                        self._gone = True
                        raise
                    time.sleep(0.05)  # not listening yet

    def warm(self, calls: Sequence[tuple[str, dict[str, Any]]], timeout: float = 900.0) -> None:
        """Make the template call ``calls`` (``[("module:function", {kwargs})]``) in its
        own process, as it did at start-up, so that kernels forked from then on inherit
        what they load; returns when it has (requests queue behind the template's work)."""
        req = json.dumps({"warm": [[t, k] for t, k in calls]}).encode() + b"\n"
        with self._lock, socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
            s.settimeout(timeout)
            s.connect(self.socket_path)
            s.sendall(req)
            data = b""
            while not data.endswith(b"\n"):
                chunk = s.recv(4096)
                if not chunk:
                    raise ConnectionError("kernel template closed the connection")
                data += chunk


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


@functools.cache
def _provisioner_class():
    """The provisioner that forks kernels (built once: it subclasses jupyter_client's);
    :func:`kernel_manager_class` binds a template and a log file to a subclass of it."""
    from jupyter_client.provisioning import LocalProvisioner

    class ForkProvisioner(LocalProvisioner):  # type: ignore[misc, valid-type]
        """Launches the kernel by forking the worker's :class:`KernelTemplate`."""

        template: TemplateClient | None = None
        log_path: str | None = None

        async def launch_kernel(self, cmd: list[str], **kwargs: Any):
            template = type(self).template
            assert template is not None
            # cmd is [python, -m, ipykernel_launcher, -f, FILE, ...]: keep what follows the module
            args = cmd[cmd.index("ipykernel_launcher") + 1 :]
            env = dict(kwargs.get("env") or os.environ)
            env["MPLBACKEND"] = INLINE_BACKEND
            cwd = str(kwargs.get("cwd") or os.getcwd())
            try:
                pid = template.spawn(args, env, cwd, type(self).log_path)
            except (OSError, ValueError, KeyError) as exc:  # template gone: spawn instead
                self.log.warning("kernel template unavailable (%s); starting a kernel process", exc)
                kwargs["env"] = env
                return await super().launch_kernel(cmd, **kwargs)
            self.process = _ForkedProcess(pid)  # type: ignore[assignment]
            self.pid = pid
            self.pgid = pid  # the kernel called setsid()
            self.cwd = cwd
            return self.connection_info

    return ForkProvisioner


@functools.cache
def _client_class():
    """An ``AsyncKernelClient`` that notices a new kernel is ready without idling.

    jupyter_client waits for the kernel_info reply and then gives IOPub 0.2 s to show a
    message, repeating the round when IOPub had not connected yet (the usual case for a
    kernel that has just started). Here the IOPub check polls every 20 ms and re-asks
    the kernel while it waits, which makes a kernel ready in about half the time. Stray
    kernel_info replies and status messages are ignored by nbclient (it matches replies
    by message id).
    """
    from queue import Empty

    from jupyter_client.asynchronous import AsyncKernelClient

    class LisKernelClient(AsyncKernelClient):  # type: ignore[misc, valid-type]
        async def wait_for_ready(self, timeout: float | None = None) -> None:
            deadline = time.monotonic() + (timeout if timeout is not None else float("inf"))

            def check() -> None:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")

            while True:  # the kernel is up when it answers on the shell channel
                self.kernel_info()
                try:
                    msg = await self.shell_channel.get_msg(timeout=1)
                except Empty:
                    if not await self.is_alive():
                        raise RuntimeError("Kernel died before replying to kernel_info") from None
                    check()
                    continue
                if msg["msg_type"] == "kernel_info_reply":
                    self._handle_kernel_info_reply(msg)
                    break
            for i in range(1, 1_000_000):  # ... and IOPub is connected when a message arrives
                try:
                    await self.iopub_channel.get_msg(timeout=0.02)
                    return
                except Empty:
                    check()
                    if i % 5 == 0:
                        self.kernel_info()  # makes the kernel publish its status again

    return LisKernelClient


def kernel_manager_class(
    template: TemplateClient | None,
    env: dict[str, str] | None = None,
    log_path: str | None = None,
) -> type:
    """The ``AsyncKernelManager`` subclass that nbclient/papermill should use: this
    environment's Python, forked from ``template`` when given, spawned otherwise, with
    ``env`` as the kernel's whole environment (default: this process's)."""
    from jupyter_client.kernelspec import KernelSpec
    from jupyter_client.manager import AsyncKernelManager

    spec = KernelSpec(
        argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}", *KERNEL_ARGS],
        display_name="LIS Evidence Suite (.venv)",
        language="python",
        env={"MPLBACKEND": INLINE_BACKEND},
        metadata={"debugger": False},
    )
    provisioner = (
        type(
            "BoundForkProvisioner",
            (_provisioner_class(),),
            {"template": template, "log_path": log_path},
        )
        if template is not None
        else None
    )
    client = _client_class()

    class LisKernelManager(AsyncKernelManager):  # type: ignore[misc, valid-type]
        def __init__(self, **kw: Any):
            # Unix sockets, not TCP: no port can be taken by a kernel another worker starts
            # at the same moment (jupyter_client picks TCP ports before the kernel binds
            # them), and nothing listens on the network. Each kernel gets its own prefix.
            if "transport" not in kw and os.name == "posix":  # (Windows: TCP, the default)
                kw["transport"] = "ipc"
                # (in the template's folder, removed with it, when there is one)
                base = os.path.dirname(template.socket_path) if template else tempfile.gettempdir()
                kw["ip"] = os.path.join(base, f"lis-kernel-{uuid.uuid4().hex[:12]}")
            super().__init__(**kw)
            self.client_factory = client

        async def _async_wait(self, pollinterval: float = 0.1) -> None:
            # a killed kernel is gone within milliseconds; do not sleep 0.1 s to notice
            await super()._async_wait(pollinterval=min(pollinterval, 0.01))

        @property
        def kernel_spec(self):  # type: ignore[override]
            return spec

        async def _async_pre_start_kernel(self, **kw: Any):  # type: ignore[override]
            kw["env"] = {**(env if env is not None else os.environ), "MPLBACKEND": INLINE_BACKEND}
            if provisioner is not None and self.provisioner is None:
                self.kernel_id = self.kernel_id or str(uuid.uuid4())
                self.provisioner = provisioner(
                    kernel_id=self.kernel_id, kernel_spec=spec, parent=self
                )
            elif log_path is None:
                # spawned kernels: keep ipykernel's start-up chatter off the terminal
                kw.setdefault("stdout", subprocess.DEVNULL)
                kw.setdefault("stderr", subprocess.DEVNULL)
            return await super()._async_pre_start_kernel(**kw)

    return LisKernelManager


# --------------------------------------------------------------------------------------
# The run's choice, the kernels' environment and the default warm-up
# --------------------------------------------------------------------------------------


def fork_available() -> bool:
    """Whether kernels can be forked from a template here (Linux: ``os.fork``,
    ``os.pidfd_open`` and Unix sockets; never macOS or Windows)."""
    return (
        hasattr(os, "fork")
        and hasattr(os, "pidfd_open")
        and hasattr(socket, "AF_UNIX")
        and sys.platform.startswith("linux")
    )


def kernel_mode(requested: str | None = None) -> str:
    """``fork`` or ``spawn``: ``requested``, else ``$LIS_KERNEL_MODE``, else ``fork``;
    ``spawn`` wherever :func:`fork_available` is false.

    Raises
    ------
    ConfigError
        for anything but ``fork`` or ``spawn``.
    """
    mode = (requested or os.environ.get(MODE_ENV) or "fork").strip().lower()
    if mode not in MODES:
        raise ConfigError(f"kernel mode must be 'fork' or 'spawn', not {mode!r}")
    return mode if fork_available() else "spawn"


def start_template(
    env: Mapping[str, str],
    mode: str | None = None,
    warm: Sequence[tuple[str, dict[str, Any]]] = (),
) -> KernelTemplate | None:
    """Start the run's kernel template in ``fork`` mode (see :func:`kernel_mode`), or
    return None (kernels are spawned). ``warm``: calls the template makes before it
    forks (``[("module:function", {kwargs}), ...]``, see :func:`_warm`)."""
    if kernel_mode(mode) != "fork":
        return None
    return KernelTemplate({**os.environ, **env}, warm=warm)


def template_client(template_socket: str | None) -> TemplateClient | None:
    """A client for the run's kernel template (None: spawn kernels)."""
    return TemplateClient(template_socket) if template_socket else None


def kernel_environment(root: os.PathLike[str] | str) -> dict[str, str]:
    """Environment for workers and kernels of the project at ``root``: matplotlib,
    IPython and Jupyter state inside the project (as the Makefile sets) unless already
    set. (Each job adds ``LIS_HOME``, so that an executor can serve several projects.)"""
    env = {"PYDEVD_DISABLE_FILE_VALIDATION": "1", "JUPYTER_PLATFORM_DIRS": "1"}
    for var, sub in (
        ("MPLCONFIGDIR", "matplotlib"),
        ("IPYTHONDIR", "ipython"),
        ("JUPYTER_CONFIG_DIR", "jupyter"),
    ):
        env[var] = os.environ.get(var) or os.path.join(root, ".cache", sub)
    return env


def warm_data(raw: Sequence[str], areas: Sequence[str] = ()) -> None:
    """The default warm-up of the kernel template (``warm:`` in ``pack.yaml``): load the
    store's observations and lookups for ``raw`` into memory, so that every notebook's
    ``lis.page`` finds them already read."""
    from ..api import session

    s = session()
    s.use(list(raw) or None)
    s.observations()
    s.workspace.lookups()
    _ = s.aggregator  # the areas, and the observations split by measure and indexed


def warm_pages(raw: Sequence[str] = (), areas: Sequence[str] = ()) -> None:
    """The pages' warm-up (``warm:`` in ``pack.yaml``): compute each area's indicator
    table and assessment in the kernel template, before it forks the notebooks' kernels,
    so that every kernel inherits them in the session's result cache."""
    from ..api import page
    from ..config import DEFAULT_AREA
    from ..errors import LisError

    for code in list(areas) or [DEFAULT_AREA]:
        try:
            pg = page(code, raw=list(raw) or None, banner=False)
        except LisError:
            continue  # the notebook reports it
        _ = (pg.table, pg.assessment)


def main(argv: Sequence[str]) -> int:
    """``python -m lis_analysis.pack.kernels SOCKET [MODULE ...]``: serve as a template."""
    return _serve(argv[0], argv[1:] or DEFAULT_PRELOAD)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
