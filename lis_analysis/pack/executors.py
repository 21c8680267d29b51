"""Where jobs run on this machine: in this process, or in a pool of worker processes.

Both are :class:`~lis_analysis.pack.jobs.Executor` implementations that start the run's
kernel template first (:func:`lis_analysis.pack.kernels.start_template`: fork mode where
available, see :mod:`lis_analysis.pack.kernels`) and share it between their workers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from typing import Any

from .._procs import stop_pool
from . import worker
from .jobs import Job, JobResult
from .kernels import start_template


class InlineExecutor:
    """Runs jobs one after another in this process (one job, or ``--jobs 1``)."""

    def __init__(
        self,
        env: Mapping[str, str],
        *,
        kernel_mode: str | None = None,
        warm: Sequence[tuple[str, dict[str, Any]]] = (),
    ):
        self._template = start_template(env, kernel_mode, warm)
        self._worker = worker.Worker(env, self._template.socket_path if self._template else None)

    def submit(self, job: Job) -> Future[JobResult]:
        fut: Future[JobResult] = Future()
        try:
            fut.set_result(self._worker.execute(job))
        except Exception as exc:  # handed to the caller through the future
            fut.set_exception(exc)
        return fut

    def shutdown(self) -> None:
        if self._template:
            self._template.close()

    def abort(self) -> None:
        """Stop at once (Ctrl-C, SIGTERM): here that is :meth:`shutdown`."""
        self.shutdown()


class LocalProcessExecutor:
    """A pool of worker processes on this machine that import papermill and nbconvert
    once and execute jobs until the run ends, sharing one kernel template."""

    def __init__(
        self,
        workers: int,
        env: Mapping[str, str],
        *,
        kernel_mode: str | None = None,
        warm: Sequence[tuple[str, dict[str, Any]]] = (),
    ):
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        self._template = start_template(env, kernel_mode, warm)
        sock = self._template.socket_path if self._template else None
        self._pool = ProcessPoolExecutor(
            max_workers=max(1, workers),
            mp_context=multiprocessing.get_context("spawn"),
            initializer=worker.init,
            initargs=(dict(env), sock),
        )

    def submit(self, job: Job) -> Future[JobResult]:
        return self._pool.submit(worker.execute, job)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        if self._template:
            self._template.close()

    def abort(self) -> None:
        """Stop at once (Ctrl-C, SIGTERM): end the workers and their kernels instead of
        waiting for the notebooks they are running (:meth:`shutdown` waits)."""
        stop_pool(self._pool)
        if self._template:
            self._template.close()


__all__ = ["InlineExecutor", "LocalProcessExecutor"]
