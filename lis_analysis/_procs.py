"""Processes and signals, the one way the package handles them (standard library only).

A ``lis`` command that starts worker processes (``lis ingest --jobs N``, ``lis run``) must
not leave them behind when it is stopped, however it is stopped, and must stop the same
way whether the signal was Ctrl-C (SIGINT) or SIGTERM (a scheduler, ``kill``, a closing
terminal's SIGHUP):

- :func:`termination_raises` turns SIGTERM and SIGHUP into :class:`Terminated`, a
  :class:`KeyboardInterrupt`, for the time the command runs: every ``finally`` and
  ``with`` block (the locks, the temporary files, the run record) then runs as it does
  for Ctrl-C, and the command exits with 128 + the signal's number in one line;
- :func:`die_with_parent` (a process pool's initializer) makes a worker end when the
  process that started it ends, even by SIGKILL: on Linux the kernel sends it SIGKILL
  (``prctl(PR_SET_PDEATHSIG)``); everywhere, a thread waits on multiprocessing's
  parent sentinel (a pipe, or a process handle on Windows, that closes when the parent
  dies) and exits. The worker ignores SIGINT: Ctrl-C reaches the whole process group,
  and it is the parent's to handle (a worker that took it printed a traceback); SIGTERM
  ends it quietly (a forked child never keeps the parent's "raise" handler);
- :func:`stop_pool` ends a process pool's workers at once (a pool's own shutdown waits
  for the tasks already running, which is minutes for a notebook);
- :func:`deferred_interrupts` holds SIGINT and SIGTERM back for the few milliseconds of a
  section that must not be cut in two (replacing a page pair and its index), then
  delivers them.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator
from typing import Any


class Terminated(KeyboardInterrupt):
    """The command was asked to stop by a signal other than Ctrl-C (SIGTERM, SIGHUP).

    A :class:`KeyboardInterrupt`, so that whatever cleans up after Ctrl-C cleans up after
    it; ``signum`` says which signal (the exit code is ``128 + signum``).
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def name(self) -> str:
        with contextlib.suppress(ValueError):
            return signal.Signals(self.signum).name
        return f"signal {self.signum}"


#: The signals a command treats as "stop now, cleanly" besides SIGINT (those this
#: platform has: Windows has SIGTERM but no SIGHUP).
TERMINATING = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)


def _raise_terminated(signum: int, frame: Any) -> None:
    raise Terminated(signum)


def _default_in_forked_child() -> None:
    """A forked child (a worker) does not inherit the "raise Terminated" handler: SIGTERM
    ends it quietly, as it would any process, rather than with a traceback."""
    for sig in TERMINATING:
        with contextlib.suppress(OSError, ValueError):
            if signal.getsignal(sig) is _raise_terminated:
                signal.signal(sig, signal.SIG_DFL)


if hasattr(os, "register_at_fork"):  # POSIX
    os.register_at_fork(after_in_child=_default_in_forked_child)


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


@contextlib.contextmanager
def termination_raises() -> Iterator[None]:
    """For the block, SIGTERM and SIGHUP raise :class:`Terminated` in the main thread
    (outside the main thread, where Python cannot install handlers, nothing changes)."""
    if not _in_main_thread():
        yield
        return
    previous = {}
    for sig in TERMINATING:
        with contextlib.suppress(OSError, ValueError):
            previous[sig] = signal.signal(sig, _raise_terminated)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            with contextlib.suppress(OSError, ValueError, TypeError):
                signal.signal(sig, handler)


@contextlib.contextmanager
def deferred_interrupts() -> Iterator[None]:
    """Hold SIGINT and the terminating signals back until the block ends, then raise
    what arrived (:class:`KeyboardInterrupt` or :class:`Terminated`), so that the block
    runs to its end. Only in the main thread (elsewhere a no-op). Keep the block short:
    the user waits for it."""
    if not _in_main_thread():
        yield
        return
    arrived: list[int] = []

    def hold(signum: int, frame: Any) -> None:
        arrived.append(signum)

    previous = {}
    for sig in (signal.SIGINT, *TERMINATING):
        with contextlib.suppress(OSError, ValueError):
            previous[sig] = signal.signal(sig, hold)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            with contextlib.suppress(OSError, ValueError, TypeError):
                signal.signal(sig, handler)
    if arrived:
        sig = arrived[0]
        handler = previous.get(sig)
        if callable(handler):
            handler(sig, None)  # what would have happened, now that the block is done
        elif sig == signal.SIGINT and handler != signal.SIG_IGN:
            raise KeyboardInterrupt
        elif handler != signal.SIG_IGN:
            raise Terminated(sig)


# --------------------------------------------------------------------------------------
# Workers that end with their parent
# --------------------------------------------------------------------------------------

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _parent_death_signal(sig: int) -> bool:
    """Ask Linux to send ``sig`` to this process when its parent ends (False elsewhere,
    or when it cannot be set)."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_PDEATHSIG, int(sig), 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch_parent() -> None:
    """Wait (in a daemon thread) for the parent process to end, then end this one."""
    import multiprocessing

    parent = multiprocessing.parent_process()
    if parent is None:  # not started by multiprocessing: nothing to watch
        return

    def wait() -> None:
        parent.join()  # returns when the parent's end of the sentinel pipe closes
        os._exit(1)

    threading.Thread(target=wait, name="lis-parent-watch", daemon=True).start()


def die_with_parent() -> None:
    """Initializer of a worker process: end when the parent ends, leave Ctrl-C to it.

    Linux: ``prctl(PR_SET_PDEATHSIG, SIGKILL)``, the kernel's own guarantee (it holds even
    while the worker is busy in C code). Everywhere: a thread that waits on
    multiprocessing's parent sentinel and exits the process (portable: a pipe on POSIX, a
    process handle on Windows). A parent that died before the worker got here is caught
    by the sentinel, which is already closed.
    """
    with contextlib.suppress(OSError, ValueError):
        signal.signal(signal.SIGINT, signal.SIG_IGN)
    for sig in TERMINATING:  # (a forked worker inherits the parent's "raise" handler)
        with contextlib.suppress(OSError, ValueError):
            signal.signal(sig, signal.SIG_DFL)
    _parent_death_signal(signal.SIGKILL)
    _watch_parent()


def stop_pool(pool: Any) -> None:
    """End a ``concurrent.futures.ProcessPoolExecutor``'s workers now (SIGTERM, then
    SIGKILL after a second) and shut it down without waiting for its tasks.

    ``ProcessPoolExecutor.shutdown`` waits for the tasks already running; there is no
    public way to end them before Python 3.14 (``terminate_workers``), so the pool's
    processes are read from its ``_processes`` (a documented-by-use attribute since 3.2).
    """
    processes = list((getattr(pool, "_processes", None) or {}).values())
    with contextlib.suppress(Exception):
        pool.shutdown(wait=False, cancel_futures=True)
    for p in processes:
        with contextlib.suppress(Exception):
            p.terminate()
    for p in processes:
        with contextlib.suppress(Exception):
            p.join(1.0)
            if p.is_alive():
                p.kill()
                p.join(1.0)


__all__ = [
    "TERMINATING",
    "Terminated",
    "deferred_interrupts",
    "die_with_parent",
    "stop_pool",
    "termination_raises",
]
