"""The pack: ``lis run`` and ``lis watch``, which execute the evidence notebooks and export
the HTML board pack, re-running only what changed.

Orchestration only: nothing in the analysis or page layers imports it, and nothing that
runs inside a notebook's kernel does (:mod:`lis_analysis.notebook` is the kernel's side).

=====================  ==============================================================
module                 concern
=====================  ==============================================================
``catalogue``          ``notebooks/pack.yaml``: the notebooks, in order
``plan``               inputs (raw folders against the store), areas, cache keys, what
                       to re-run, where outputs go (standard library and PyYAML only)
``run``                one run: lock, plan, execute, record, index (:func:`run`)
``jobs``               the contract with executors: ``Job``, ``JobResult``, ``Executor``
``executors``          local executors: in this process, or a pool of processes
``cluster``            the Dask executor (``--executor dask``): jobs built on workers,
                       inputs shipped once per run, pages written here
``worker``             one job: papermill in a fresh kernel, pages rendered and written
``kernels``            kernels forked from a warm template, or spawned (the switch)
``export``             an executed notebook to an offline, accessible HTML page
``index_pages``        each area's index and ``reports/index.html``
``watch``              ``lis watch``: poll the raw folders, re-run what changed
``commands``           what each ``lis`` verb does (``lis_analysis.cli`` parses them)
=====================  ==============================================================

A run that finds nothing to do imports nothing heavier than PyYAML: papermill, nbconvert
and pandas are imported by the workers, and only when something runs.

The entry points are :func:`lis_analysis.pack.run.run` and
:func:`lis_analysis.pack.watch.watch` (not re-exported here, where they would hide the
modules of the same names).
"""

from __future__ import annotations

from .catalogue import Catalogue, NotebookSpec, load_catalogue
from .jobs import Executor, Job, JobResult
from .plan import ALL_LSIPS, AreaInfo, parse_areas
from .run import NotebookRun, ReportsBusy, RunSummary
from .watch import describe_refresh

__all__ = [
    "ALL_LSIPS",
    "AreaInfo",
    "Catalogue",
    "Executor",
    "Job",
    "JobResult",
    "NotebookRun",
    "NotebookSpec",
    "ReportsBusy",
    "RunSummary",
    "describe_refresh",
    "load_catalogue",
    "parse_areas",
]
