"""The worker side of ``lis run``: execute one notebook with papermill, render its pages.

A :class:`Worker` holds what lasts between jobs in one process: the kernels' base
environment, the client of the run's kernel template, the renderers loaded and the
background warm-up of the page exporter. Its :meth:`Worker.execute` runs one
:class:`~lis_analysis.pack.jobs.Job` in two steps:

- :meth:`Worker.build` executes the notebook in a fresh kernel and renders the board and
  analyst pages, all in memory (:class:`JobOutputs`); it never touches the reports folder;
- :func:`write` stages them beside their places (the pages, the executed notebook with
  ``metadata["lis"]``, the removal of a stale ``.failed.ipynb``; after a failure only the
  failed notebook), and the run puts them in place together with the area's state and
  index; until then the previous pages stay.

Neither raises for a notebook's own failure: the :class:`~lis_analysis.pack.jobs.JobResult`
says what happened.

A process-pool worker calls :func:`init` once (the pool's initializer: papermill, nbformat
and jupytext are imported then, and stay imported for every notebook it runs) and then
:func:`execute` per job, which uses that process's :class:`Worker`; the in-process
executor holds its own :class:`Worker`.

Import cost: with JupyterLab installed, ``import nbformat`` spends ~1.3 s building the
grammar of ``rfc3987_syntax``, which jsonschema loads only to offer the optional "iri"
format check that notebook validation never uses (TOOLCHAIN.md). A worker marks that
module as absent before importing nbformat, so jsonschema skips it.
"""

from __future__ import annotations

import ast
import contextlib
import dataclasses
import importlib
import logging
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._files import discard, stage
from .._procs import die_with_parent
from .jobs import Job, JobResult
from .kernels import TemplateClient, kernel_manager_class, template_client

log = logging.getLogger(__name__)

KERNEL_NAME = "python3"
KERNELSPEC = {"name": KERNEL_NAME, "display_name": "Python 3 (ipykernel)", "language": "python"}


def load_libraries() -> None:
    """Import papermill, nbformat and jupytext (once per process: later calls are free)."""
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    import jupytext  # noqa: F401
    import nbformat  # noqa: F401
    import papermill  # noqa: F401

    # papermill warns about annotated parameters it cannot parse (``raw: list[str] = []``)
    # and so about "unknown" parameters; declared_parameters() reads them with ast instead.
    logging.getLogger("papermill").setLevel(logging.ERROR)


def _warm_exporter() -> None:
    """Render a one-cell page in both variants, so that the first real page does not pay
    for building the exporters and compiling their templates (about a second)."""
    with contextlib.suppress(Exception):
        import nbformat

        from .export import render_html

        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Warm-up")])
        for variant in ("board", "analyst"):
            render_html(nb, variant=variant)


# --------------------------------------------------------------------------------------
# Parameters
# --------------------------------------------------------------------------------------


def _cells_tagged(nb: Any, tag: str) -> list[Any]:
    return [c for c in nb.cells if c.cell_type == "code" and tag in (c.metadata.get("tags") or [])]


def declared_parameters(nb: Any) -> set[str] | None:
    """Names assigned in the notebook's ``parameters`` cell (None when it has none)."""
    cells = _cells_tagged(nb, "parameters")
    if not cells:
        return None
    names: set[str] = set()
    try:
        tree = ast.parse(cells[0].source)
    except SyntaxError:
        return names
    for node in tree.body:
        targets = (
            node.targets
            if isinstance(node, ast.Assign)
            else [node.target]
            if isinstance(node, ast.AnnAssign)
            else []
        )
        names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


class UnsafeParameters(ValueError):
    """The injected parameters cell holds something other than literal assignments."""


def check_injected(nb: Any) -> None:
    """Refuse a parameters cell that is anything but ``name = <Python literal>`` lines."""
    for cell in _cells_tagged(nb, "injected-parameters"):
        try:
            tree = ast.parse(cell.source)
        except SyntaxError as exc:
            raise UnsafeParameters(f"injected parameters do not parse: {exc.msg}") from None
        for node in tree.body:
            if not (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
            ):
                raise UnsafeParameters(
                    f"injected parameters hold a statement: {ast.dump(node)[:80]}"
                )
            try:
                ast.literal_eval(node.value)
            except (ValueError, SyntaxError, TypeError):
                raise UnsafeParameters(
                    f"injected parameter '{node.targets[0].id}' is not a literal value"
                ) from None


# --------------------------------------------------------------------------------------
# One job
# --------------------------------------------------------------------------------------


def _read_source(path: Path) -> Any:
    import jupytext
    import nbformat

    text = path.read_text(encoding="utf-8")
    nb = (
        nbformat.reads(text, as_version=4)
        if path.suffix == ".ipynb"
        else jupytext.reads(text, fmt="py:percent")
    )
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}
    nb.metadata.pop("jupytext", None)
    return nb


def _error_line(exc: BaseException) -> str:
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        where = f" (cell {exc.exec_count})" if exc.exec_count is not None else ""
        msg = f"{exc.ename}: {exc.evalue}".strip()
        return (msg.splitlines()[0] if msg else exc.ename) + where
    text = f"{type(exc).__name__}: {exc}".strip()
    return text.splitlines()[0][:300]


@dataclass
class JobOutputs:
    """What a job produced, in memory, and where it goes (see :func:`write`)."""

    result: JobResult
    #: absolute path -> content, written in this order
    files: dict[str, str] = field(default_factory=dict)
    #: files to remove once the others are written (a stale failed notebook)
    remove: list[str] = field(default_factory=list)


def write(outputs: JobOutputs) -> JobResult:
    """Stage a job's outputs beside the places its :class:`~lis_analysis.pack.jobs.Job`
    said (:func:`lis_analysis._files.stage`) and return its result, which lists them in
    ``staged``; the run puts them in place together with the area's state and index.

    Every file is staged before any is committed: when one cannot be written (a full
    disk), those already staged are removed and the error raised, and the board page,
    the analyst page and the index all keep their previous version.
    """
    staged: dict[str, str] = {}
    try:
        for path, text in outputs.files.items():
            staged[path] = str(stage(path, text))
            log.info("staged %s (%d kB)", path, len(text) // 1024)
    except BaseException:
        discard(staged.values())
        raise
    return dataclasses.replace(outputs.result, staged=staged, remove=list(outputs.remove))


class Worker:
    """One process's worker: the kernels' base environment ``env`` and the kernel
    template to fork them from (``template_socket``; None: spawn kernels)."""

    def __init__(self, env: Mapping[str, str], template_socket: str | None = None):
        load_libraries()
        self.env = dict(env)
        self.client: TemplateClient | None = template_client(template_socket)
        self._renderers: dict[str, Callable[..., str]] = {}
        self._warmer: threading.Thread | None = None

    def _start_exporter_warmup(self, **_: Any) -> None:
        """Build the exporters in a background thread once the first kernel is running:
        the worker only waits on its kernel then, and at start-up the CPU is better spent
        on the kernel template that every worker is waiting for. The first page waits
        for it."""
        if self._warmer is None:
            self._warmer = threading.Thread(
                target=_warm_exporter, name="lis-warm-exporter", daemon=True
            )
            self._warmer.start()

    def _renderer(self, spec: str) -> Callable[..., str]:
        if spec not in self._renderers:
            module, _, attr = spec.partition(":")
            self._renderers[spec] = getattr(importlib.import_module(module), attr or "render_html")
        return self._renderers[spec]

    def execute(self, job: Job) -> JobResult:
        """:meth:`build` and :func:`write` the job's outputs."""
        outputs = self.build(job)
        try:
            return write(outputs)
        except OSError as exc:  # a full disk, say: nothing was put in place
            return JobResult(
                job.area,
                job.name,
                "failed",
                outputs.result.seconds,
                error=f"could not write the pages: {type(exc).__name__}: {exc}".splitlines()[0],
            )

    def build(self, job: Job) -> JobOutputs:
        """Execute ``job``'s notebook in a fresh kernel and render its board and analyst
        pages, in memory.

        On success the outputs are both pages and the executed notebook (with
        ``metadata["lis"]``), and a stale ``job.failed`` is to be removed; on failure,
        only the failed notebook (when there is one to save) as ``job.failed``.
        """
        import nbformat
        import papermill

        from ..notebook import read_summary

        t0 = time.perf_counter()
        nb = None
        prepared = None

        def fail(error: str, notebook: Any | None) -> JobOutputs:
            files = {}
            if notebook is not None:
                notebook.metadata["lis"] = {**job.metadata, "status": "failed", "error": error}
                with contextlib.suppress(Exception):
                    files[job.failed] = nbformat.writes(notebook)
            result = JobResult(
                job.area,
                job.name,
                "failed",
                time.perf_counter() - t0,
                error=error,
                failed_notebook=job.failed if files else None,
            )
            return JobOutputs(result, files)

        try:
            source = _read_source(Path(job.source))
            declared = declared_parameters(source)
            params = (
                dict(job.parameters)
                if declared is None
                else {k: v for k, v in job.parameters.items() if k in declared}
            )
            prepared = papermill.execute_notebook(
                source,
                None,
                parameters=params,
                prepare_only=True,
                kernel_name=KERNEL_NAME,
                language="python",
                progress_bar=False,
            )
            check_injected(prepared)
            kernel_env = {**os.environ, **self.env, **job.env}
            kmc = kernel_manager_class(
                self.client, env=kernel_env, log_path=os.environ.get("LIS_KERNEL_LOG")
            )
            # papermill saves the notebook here as it goes: what a failure shows
            fd, running = tempfile.mkstemp(prefix=f"lis-{job.name}-", suffix=".running.ipynb")
            os.close(fd)
            try:
                nb = papermill.execute_notebook(
                    prepared,
                    running,
                    parameters=None,
                    kernel_name=KERNEL_NAME,
                    language="python",
                    progress_bar=job.progress,
                    request_save_on_cell_execute=False,
                    cwd=job.cwd,
                    start_timeout=60,
                    execution_timeout=job.timeout,
                    kernel_manager_class=kmc,
                    shutdown_kernel="immediate",
                    on_notebook_start=self._start_exporter_warmup,
                )
            except Exception as exc:
                partial = None
                with contextlib.suppress(Exception):
                    partial = nbformat.read(running, as_version=4)
                return fail(_error_line(exc), partial if partial is not None else prepared)
            finally:
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(running)
            nb.metadata.setdefault("papermill", {})["output_path"] = job.executed
            nb.metadata["lis"] = {**job.metadata, "status": "ok", "summary": read_summary(nb)}
            render = self._renderer(job.renderer)
            if self._warmer is not None:
                self._warmer.join()
            try:
                board = render(
                    nb, variant="board", nav=job.nav_board, current_href=Path(job.board).name
                )
                analyst = render(
                    nb,
                    variant="analyst",
                    nav=job.nav_analyst,
                    current_href=Path(job.analyst).name,
                )
            except Exception as exc:
                return fail(f"export failed: {_error_line(exc)}", nb)
            result = JobResult(
                job.area,
                job.name,
                "ran",
                time.perf_counter() - t0,
                summary=nb.metadata["lis"]["summary"],
            )
            return JobOutputs(
                result,
                {job.board: board, job.analyst: analyst, job.executed: nbformat.writes(nb)},
                remove=[job.failed],
            )
        except UnsafeParameters as exc:
            return fail(f"refused: {exc}", None)
        except Exception as exc:  # unreadable source, bad parameters cell, ...
            return fail(_error_line(exc), nb or prepared)


# --------------------------------------------------------------------------------------
# A process pool's workers
# --------------------------------------------------------------------------------------

#: This process's worker, when it is one of a process pool's (set by :func:`init`).
_PROCESS_WORKER: Worker | None = None


def init(env: Mapping[str, str], template_socket: str | None) -> None:
    """Process-pool initializer: this process becomes a :class:`Worker` (libraries
    imported once, the kernels' environment and the run's kernel template remembered)."""
    global _PROCESS_WORKER
    # End with the run, however it ends (orphaned workers kept taking notebooks and
    # printed tracebacks after a SIGTERM), and leave Ctrl-C to the run, which stops us.
    die_with_parent()
    if template_socket and hasattr(os, "nice"):
        # Yield the CPU to the kernel template while both start up: every worker waits
        # for it, and later the kernels (forked from it) are the work that matters.
        with contextlib.suppress(OSError):
            os.nice(3)
    _PROCESS_WORKER = Worker(env, template_socket)


def execute(job: Job) -> JobResult:
    """Run ``job`` on this process's worker (see :func:`init`)."""
    if _PROCESS_WORKER is None:
        raise RuntimeError("lis_analysis.pack.worker.init() has not run in this process")
    return _PROCESS_WORKER.execute(job)


__all__ = [
    "JobOutputs",
    "UnsafeParameters",
    "Worker",
    "check_injected",
    "declared_parameters",
    "execute",
    "init",
    "load_libraries",
    "write",
]
