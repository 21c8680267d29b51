"""The worker side of ``lis run``: execute one notebook with papermill, export its pages.

A worker process calls :func:`init` once (papermill, nbformat, jupytext and the exporter
are imported then, and stay imported for every notebook it runs) and :func:`execute` per
:class:`~lis_analysis.pipeline.Job`. :func:`execute` never raises for a notebook's own
failure: it returns a :class:`~lis_analysis.pipeline.JobResult` saying what happened and
leaves the previous pages in place.

Import cost: with JupyterLab installed, ``import nbformat`` spends ~1.3 s building the
grammar of ``rfc3987_syntax``, which jsonschema loads only to offer the optional "iri"
format check that notebook validation never uses (TOOLCHAIN.md). A worker marks that
module as absent before importing nbformat, so jsonschema skips it.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import logging
import os
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .pipeline import Job, JobResult

_STATE: dict[str, Any] = {}

KERNEL_NAME = "python3"
KERNELSPEC = {"name": KERNEL_NAME, "display_name": "Python 3 (ipykernel)", "language": "python"}


def start_template(
    env: Mapping[str, str],
    kernel_mode: str | None = None,
    warm: Sequence[tuple[str, dict[str, Any]]] = (),
):
    """Start the run's kernel template (``fork`` mode), or return None (``spawn``).
    ``warm``: calls the template makes before forking (see ``_kernels._warm``)."""
    from .errors import ConfigError

    mode = (kernel_mode or os.environ.get("LIS_KERNEL_MODE") or "fork").strip().lower()
    if mode not in ("fork", "spawn"):
        raise ConfigError(f"kernel mode must be 'fork' or 'spawn', not {mode!r}")
    if mode == "spawn" or not hasattr(os, "fork") or sys.platform == "darwin":
        return None
    from ._kernels import KernelTemplate

    return KernelTemplate({**os.environ, **env}, warm=warm)


def load_libraries() -> None:
    """Import papermill, nbformat and jupytext once per process."""
    if _STATE.get("loaded"):
        return
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
    import jupytext  # noqa: F401
    import nbformat  # noqa: F401
    import papermill  # noqa: F401

    # papermill warns about annotated parameters it cannot parse (``raw: list[str] = []``)
    # and so about "unknown" parameters; declared_parameters() reads them with ast instead.
    logging.getLogger("papermill").setLevel(logging.ERROR)
    _STATE["loaded"] = True


def _start_exporter_warmup(**_: Any) -> None:
    """Build the exporters in a background thread once the first kernel is running: the
    worker only waits on its kernel then, and at start-up the CPU is better spent on the
    kernel template that every worker is waiting for. The first export waits for it."""
    if "warmer" not in _STATE:
        warmer = threading.Thread(target=_warm_exporter, name="lis-warm-exporter", daemon=True)
        _STATE["warmer"] = warmer
        warmer.start()


def _warm_exporter() -> None:
    """Render a one-cell page in both variants, so that the first real page does not pay
    for building the exporters and compiling their templates (about a second)."""
    with contextlib.suppress(Exception):
        import nbformat

        from .report_html import render_html

        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Warm-up")])
        for variant in ("board", "analyst"):
            render_html(nb, variant=variant)


def template_client(template_socket: str | None):
    """A client for the run's kernel template (None: spawn kernels)."""
    if not template_socket:
        return None
    from ._kernels import TemplateClient

    return TemplateClient(template_socket)


def init(env: Mapping[str, str], template_socket: str | None) -> None:
    """Worker-process initializer: import the libraries once and remember the kernels'
    environment and the run's kernel template."""
    if template_socket:
        # Yield the CPU to the kernel template while both start up: every worker waits
        # for it, and later the kernels (forked from it) are the work that matters.
        with contextlib.suppress(OSError):
            os.nice(3)
    load_libraries()
    _STATE["env"] = dict(env)
    _STATE["client"] = template_client(template_socket)


def _exporter(spec: str):
    cache = _STATE.setdefault("exporters", {})
    if spec not in cache:
        module, _, attr = spec.partition(":")
        cache[spec] = getattr(importlib.import_module(module), attr or "export_html")
    return cache[spec]


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


def _write_nb(nb: Any, path: Path) -> None:
    import nbformat

    from .pipeline import _atomic_write

    _atomic_write(path, nbformat.writes(nb))


def _error_line(exc: BaseException) -> str:
    from papermill.exceptions import PapermillExecutionError

    if isinstance(exc, PapermillExecutionError):
        where = f" (cell {exc.exec_count})" if exc.exec_count is not None else ""
        msg = f"{exc.ename}: {exc.evalue}".strip()
        return (msg.splitlines()[0] if msg else exc.ename) + where
    text = f"{type(exc).__name__}: {exc}".strip()
    return text.splitlines()[0][:300]


def execute(job: Job, *, env: Mapping[str, str] | None = None, client: Any = None) -> JobResult:
    """Execute ``job``'s notebook in a fresh kernel and export its board and analyst pages.

    On success: the executed notebook (with ``metadata["lis"]``) replaces
    ``job.executed``, the pages replace ``job.board`` and ``job.analyst``, and a stale
    ``job.failed`` is removed. On failure: the pages and the executed notebook are left
    as they were and the failed notebook is saved as ``job.failed``.

    ``env`` (the kernels' base environment) and ``client`` (a template client) default
    to what :func:`init` set up in this worker process.
    """
    load_libraries()
    if env is None:
        env = _STATE.get("env", {})
    if client is None:
        client = _STATE.get("client")
    import papermill

    from ._kernels import kernel_manager_class
    from .notebook import read_summary

    t0 = time.perf_counter()
    executed, failed = Path(job.executed), Path(job.failed)
    executed.parent.mkdir(parents=True, exist_ok=True)
    running = executed.with_name(f".{executed.stem}.{os.getpid()}.running.ipynb")
    nb = None
    prepared = None

    def fail(error: str, notebook: Any | None) -> JobResult:
        if notebook is not None:
            notebook.metadata["lis"] = {**job.metadata, "status": "failed", "error": error}
            with contextlib.suppress(Exception):
                _write_nb(notebook, failed)
        return JobResult(
            job.area,
            job.name,
            "failed",
            time.perf_counter() - t0,
            error=error,
            failed_notebook=str(failed) if notebook is not None else None,
        )

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
        kernel_env = {**os.environ, **env, **job.env}
        kmc = kernel_manager_class(
            client, env=kernel_env, log_path=os.environ.get("LIS_KERNEL_LOG")
        )
        try:
            nb = papermill.execute_notebook(
                prepared,
                str(running),
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
                on_notebook_start=_start_exporter_warmup,
            )
        except Exception as exc:
            import nbformat

            partial = None
            if running.exists():
                with contextlib.suppress(Exception):
                    partial = nbformat.read(str(running), as_version=4)
            return fail(_error_line(exc), partial if partial is not None else prepared)
        finally:
            with contextlib.suppress(FileNotFoundError):
                running.unlink()
        nb.metadata.setdefault("papermill", {})["output_path"] = str(executed)
        nb.metadata["lis"] = {**job.metadata, "status": "ok", "summary": read_summary(nb)}
        export = _exporter(job.exporter)
        warmer = _STATE.get("warmer")
        if warmer is not None:
            warmer.join()
        try:
            export(nb, job.board, variant="board", nav=job.nav_board)
            export(nb, job.analyst, variant="analyst", nav=job.nav_analyst)
        except Exception as exc:
            return fail(f"export failed: {_error_line(exc)}", nb)
        _write_nb(nb, executed)
        with contextlib.suppress(FileNotFoundError):
            failed.unlink()
        return JobResult(
            job.area,
            job.name,
            "ran",
            time.perf_counter() - t0,
            summary=nb.metadata["lis"]["summary"],
        )
    except UnsafeParameters as exc:
        return fail(f"refused: {exc}", None)
    except Exception as exc:  # unreadable source, bad parameters cell, ...
        return fail(_error_line(exc), nb or prepared)
