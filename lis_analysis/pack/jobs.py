"""What a run hands to its executor, and gets back: :class:`Job`, :class:`JobResult`, :class:`Executor`.

A :class:`Job` is one notebook for one area: everything a worker needs, picklable, with
absolute paths. A :class:`~lis_analysis.pack.worker.Worker` turns it into a
:class:`JobResult` in two steps that an executor may run in different places:

- :meth:`Worker.build <lis_analysis.pack.worker.Worker.build>` executes the notebook and
  renders its pages in memory, returning :class:`~lis_analysis.pack.worker.JobOutputs`
  (the executed notebook, the board and analyst pages and the summary, or the failed
  notebook);
- :func:`~lis_analysis.pack.worker.write` stages them beside their places in the
  reports folder (:func:`lis_analysis._files.stage`); the run then puts a job's staged
  files in place together with the area's state and index, as one change
  (:func:`lis_analysis._files.commit`), in the process that holds the reports lock.

The local executors (:mod:`lis_analysis.pack.executors`) do both in the worker process,
so pages never travel between processes. An executor whose workers cannot see the
project folder (a Dask cluster) runs ``build`` remotely and ``write`` on the client.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from concurrent.futures import Future

#: ``module:function`` that renders a page: the signature of
#: :func:`lis_analysis.pack.export.render_html`.
DEFAULT_RENDERER = "lis_analysis.pack.export:render_html"
DEFAULT_TIMEOUT = 600.0  # seconds per cell


@dataclass(frozen=True)
class Job:
    """Everything a worker needs to execute one notebook for one area and export it."""

    area: str
    name: str
    source: str
    parameters: dict[str, Any]
    cwd: str
    executed: str
    failed: str
    board: str
    analyst: str
    env: dict[str, str]
    metadata: dict[str, Any]
    nav_board: list[tuple[str, str]]
    nav_analyst: list[tuple[str, str]]
    timeout: float | None = DEFAULT_TIMEOUT
    progress: bool | dict[str, Any] = False
    renderer: str = DEFAULT_RENDERER


@dataclass
class JobResult:
    """What a worker did with a :class:`Job`."""

    area: str
    name: str
    status: str  # ran | failed
    seconds: float
    error: str | None = None
    summary: dict[str, Any] | None = None
    failed_notebook: str | None = None
    #: target -> staged file (:func:`lis_analysis._files.stage`): the pages and notebook
    #: written beside their targets, which the run puts in place together with the
    #: area's state and index (a page pair is replaced together or not at all)
    staged: dict[str, str] = field(default_factory=dict)
    #: files the run removes when it commits them (a stale failed notebook)
    remove: list[str] = field(default_factory=list)


class Executor(Protocol):
    """Runs jobs somewhere and hands back ``concurrent.futures.Future`` objects.

    That is the whole contract: :func:`lis_analysis.pack.run.run` submits one
    :class:`Job` per stale notebook, collects the :class:`JobResult` of each future
    (a future that raises counts as that notebook failing) and calls :meth:`shutdown`
    at the end. The lock, the cache state, the index pages and the run record stay with
    the process that calls ``run``.

    :class:`~lis_analysis.pack.executors.LocalProcessExecutor` runs jobs in worker
    processes on this machine and :class:`~lis_analysis.pack.executors.InlineExecutor`
    in this process; both call ``Worker.execute`` (build, then write), which writes the
    pages where the job says. :class:`~lis_analysis.pack.cluster.DaskExecutor`, whose
    workers do not share the project folder, has each of its workers hold a ``Worker``
    (with a kernel template of its own) and run ``Worker.build`` there; when the
    :class:`~lis_analysis.pack.worker.JobOutputs` come back, it calls
    :func:`lis_analysis.pack.worker.write` on this side and sets the future's result to
    what that returns. An executor may also offer ``describe()`` and ``stats()`` (dicts
    for the run record's ``executor`` entry).
    """

    def submit(self, job: Job) -> Future[JobResult]: ...

    def shutdown(self) -> None: ...


__all__ = ["DEFAULT_RENDERER", "DEFAULT_TIMEOUT", "Executor", "Job", "JobResult"]
