"""``lis run``: execute the evidence notebooks, export the board pack, re-run only what changed.

The flow of one run (:func:`run`):

1. **Parameters** are validated (:class:`~lis_analysis.config.RunParams`, every area code)
   before any data is read or any kernel starts.
2. **Inputs** (:mod:`lis_analysis.pack.plan`): the raw folders are compared with the
   store's ``manifest.json`` using file sizes, modification times and remembered sha256
   (standard library only); only when a file is new, changed or gone is the store
   re-ingested. The areas are checked against the area catalogue, cached as JSON per
   store state. (This and the remembered sha256 of the raw files live in ``.cache/lis/``
   under the project.)
3. **Cache keys** (:func:`lis_analysis.pack.plan.cache_parts`): a notebook whose key
   parts are unchanged and whose outputs exist is skipped. A run that skips everything
   imports nothing heavier than PyYAML and takes well under a second.
4. **Execution** (only when something is stale): an
   :class:`~lis_analysis.pack.jobs.Executor` runs one :class:`~lis_analysis.pack.jobs.Job`
   per (area, notebook) (:mod:`lis_analysis.pack.worker`): papermill's Python API with a
   fresh kernel per notebook, forked from a kernel template that has imported the
   libraries and read the store once (:mod:`lis_analysis.pack.kernels`), then the board
   and analyst pages (:mod:`lis_analysis.pack.export`). Workers are processes that import
   papermill and nbconvert once and stay alive for the whole run, over every area.
5. **Outputs**, all written to a temporary file and moved into place::

       reports/index.html                    the pack (one area) or the list of areas
       reports/<area>/index.html             one card per notebook
       reports/<area>/<name>.html            board page (no code)
       reports/<area>/<name>.analyst.html    analyst page (with code)
       reports/<area>/pack.json              cache keys, statuses and summaries
       reports/_executed/<area>/<name>.ipynb         the executed notebook
       reports/_executed/<area>/<name>.failed.ipynb  the last failed execution, if any
       reports/_runs/<run id>.json           the run record

   A notebook that fails leaves its previous pages in place; the others complete; the
   run exits with code 1 and a summary table says which failed and why.
6. **Lock**: a run holds ``reports/.lock`` for its whole duration. A second run on the
   same reports folder is refused at once (one line, exit code 2) rather than queued:
   runs can take minutes, and a scheduled run that finds another one busy should simply
   try again at its next slot.

The notebook metadata ``lis`` that the page templates read is set here (schema in
:mod:`lis_analysis.pack.export`); notebooks report their headline with
:func:`lis_analysis.notebook.summary`.

Nothing a user passes reaches a notebook as code: parameters are validated, papermill
writes them as Python literals, and the injected cell is checked to hold only literal
assignments before the kernel starts.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import os
import secrets
import shutil
import sys
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .. import __version__
from .._files import (
    CommitIncomplete,
    LockBusy,
    atomic_write_json,
    code_hash,
    commit,
    discard,
    discard_stale_staged,
    git_commit,
    locked,
    read_json,
    recover,
    sha256_file,
    sha256_json,
    stage,
)
from .._procs import deferred_interrupts
from ..config import Paths, RunParams
from ..config import paths as default_paths
from ..errors import ConfigError, LisError, printable
from .catalogue import CATALOGUE_FILE, Catalogue, NotebookSpec, load_catalogue
from .index_pages import area_index, root_index, write_area_index, write_root_index
from .jobs import DEFAULT_RENDERER, DEFAULT_TIMEOUT, Executor, Job, JobResult
from .plan import (
    LOCK_FILE,
    RUNS_DIR,
    STATE_FILE,
    AreaInfo,
    FileHashes,
    InputChange,
    Inputs,
    area_catalogue,
    cache_parts,
    check_area_codes,
    evidence_files,
    evidence_folder,
    input_entry,
    outputs,
    parse_areas,
    resolve_areas,
    resolve_inputs,
    stale_reason,
)

if TYPE_CHECKING:
    from concurrent.futures import Future

# --------------------------------------------------------------------------------------
# The lock on the reports folder
# --------------------------------------------------------------------------------------


class ReportsBusy(LockBusy):
    """Another run is writing the same reports folder."""


@contextlib.contextmanager
def reports_lock(reports: Path) -> Iterator[None]:
    """Hold ``reports/.lock`` for the whole run; refuse at once if another run holds it."""
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(locked(reports, LOCK_FILE, wait=0))
        except LockBusy as exc:
            raise ReportsBusy(
                f"{reports} is being written by another lis run ({exc.holder}); "
                "wait for it to finish, then run again",
                exc.holder,
            ) from None
        yield


# --------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------


@dataclass
class NotebookRun:
    """One row of the summary table."""

    area: str
    name: str
    status: str  # ran | skipped | failed
    seconds: float | None = None
    reason: str = ""
    error: str | None = None


@dataclass
class RunSummary:
    """What :func:`run` did."""

    run_id: str
    reports: Path
    record: Path
    notebooks: list[NotebookRun]
    areas: list[AreaInfo]
    seconds: float
    demo: bool
    changes: tuple[InputChange, ...] = ()

    @property
    def exit_code(self) -> int:
        return 1 if any(n.status == "failed" for n in self.notebooks) else 0

    def count(self, status: str) -> int:
        return sum(n.status == status for n in self.notebooks)

    def ran(self) -> list[NotebookRun]:
        return [n for n in self.notebooks if n.status != "skipped"]

    def table(self, *, all_rows: bool | None = None) -> str:
        """The summary table printed by ``lis run``: every row when there are few; for a
        batch, the rows that ran (up to 30, then only the failures) and counts."""
        rows = self.notebooks
        if all_rows is None:
            all_rows = len(rows) <= 30
        shown = rows if all_rows else [n for n in rows if n.status != "skipped"]
        folded_ran = 0
        if not all_rows and len(shown) > 30:  # hundreds of areas: list what failed
            folded_ran = sum(n.status == "ran" for n in shown)
            shown = [n for n in shown if n.status == "failed"]
        many_areas = len({n.area for n in rows}) > 1
        head = ["notebook", *(["area"] if many_areas else []), "status", "seconds", "note"]
        lines = [head]
        for n in shown:
            note = n.error if n.status == "failed" else n.reason
            secs = f"{n.seconds:.1f}" if n.seconds is not None else "-"
            lines.append(
                [n.name, *([n.area] if many_areas else []), n.status, secs, (note or "")[:100]]
            )
        widths = [max(len(r[i]) for r in lines) for i in range(len(head))]
        out = []
        for i, r in enumerate(lines):
            cells = [
                c.rjust(w) if head[j] == "seconds" else c.ljust(w)
                for j, (c, w) in enumerate(zip(r, widths, strict=True))
            ]
            out.append("  ".join(cells).rstrip())
            if i == 0:
                out.append("  ".join("-" * w for w in widths))
        if folded_ran:
            failed_areas = len({n.area for n in shown})
            out.append(
                f"(and {folded_ran} notebooks that ran, not listed; "
                f"{failed_areas} of {len({n.area for n in rows})} areas had a failure)"
            )
        if not all_rows and self.count("skipped"):
            out.append(f"(and {self.count('skipped')} notebooks up to date, skipped)")
        data = "demonstrator data (synthetic)" if self.demo else "published data"
        out.append("")
        out.append(
            f"{len(rows)} notebooks: {self.count('ran')} ran, {self.count('skipped')} skipped, "
            f"{self.count('failed')} failed in {self.seconds:.1f} s, on {data}; "
            f"pack: {self.reports / 'index.html'}; run record: {self.record}"
        )
        return "\n".join(out)


def new_run_id() -> str:
    return f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(2)}"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def run(
    params: RunParams,
    *,
    areas: str | Sequence[str] | None = None,
    jobs: int | None = None,
    force: bool = False,
    only: Sequence[str] | None = None,
    reports_dir: str | Path | None = None,
    evidence: str | Path | None = None,
    paths: Paths | None = None,
    catalogue: str | Path | Catalogue | None = None,
    executor: Executor | str | None = None,
    scheduler: str | None = None,
    progress: bool | None = None,
    kernel_mode: str | None = None,
    renderer: str = DEFAULT_RENDERER,
    params_file: str | Path | None = None,
    echo: Callable[[str], None] | None = None,
) -> RunSummary:
    """Execute the pack's notebooks for one or many areas; skip what is up to date.

    Parameters
    ----------
    params : validated run parameters (``params.area`` is the area when ``areas`` is None)
    areas : area codes, ``"A,B"``, or ``"all-lsips"``; one pack per area
    jobs : notebooks in parallel (default: the machine's cores)
    force : re-run every selected notebook
    only : notebook names (or unique prefixes) to consider; the others are left alone
    reports_dir : output folder (default ``reports/``)
    evidence : call-for-evidence and consultation folder (default ``params.evidence``,
        else ``data/raw/evidence``)
    paths : project paths (default :func:`lis_analysis.config.paths`)
    catalogue : ``pack.yaml`` path or a :class:`Catalogue` (default ``notebooks/pack.yaml``)
    executor : where jobs run: an :class:`~lis_analysis.pack.jobs.Executor`, ``"local"``
        (the default: a :class:`~lis_analysis.pack.executors.LocalProcessExecutor`, or an
        :class:`~lis_analysis.pack.executors.InlineExecutor` for a single job or
        ``jobs=1``) or ``"dask"`` (a :class:`~lis_analysis.pack.cluster.DaskExecutor`)
    scheduler : with ``executor="dask"``, the scheduler's address; None starts a
        ``LocalCluster`` of ``jobs`` worker processes for the run
    progress : progress bars on stderr (default: when stderr is a terminal)
    kernel_mode : ``fork`` (default where available) or ``spawn``; default
        ``$LIS_KERNEL_MODE`` (see :mod:`lis_analysis.pack.kernels`)
    renderer : ``module:function`` that renders a page, with the signature of
        :func:`lis_analysis.pack.export.render_html`
    params_file : the ``--params`` YAML, passed to notebooks as ``params_file`` (absolute)

    Returns
    -------
    RunSummary
        per notebook: ran, skipped or failed, seconds, why it ran or how it failed.

    Raises
    ------
    ConfigError
        bad parameters, an unknown area or notebook (before any kernel starts).
    ReportsBusy
        another run holds the reports folder.
    """
    t0 = time.perf_counter()
    if executor not in (None, "local", "dask") and isinstance(executor, str):
        raise ConfigError(f"executor must be 'local' or 'dask', not {executor!r}")
    if executor == "dask":
        from .cluster import require_distributed

        require_distributed()  # one line, before the lock or any data
    elif scheduler:
        raise ConfigError("--scheduler is for --executor dask")
    p = paths or default_paths()
    reports = Path(reports_dir).resolve() if reports_dir else p.reports
    requested = parse_areas(areas) or [params.area]
    check_area_codes(requested, params)
    cat = (
        catalogue
        if isinstance(catalogue, Catalogue)
        else load_catalogue(catalogue or p.notebooks / CATALOGUE_FILE)
    )
    selected = cat.select(only)
    if progress is None:
        progress = sys.stderr.isatty()

    with reports_lock(reports):
        # A run that died while putting a page pair in place left its journal: finish
        # that change first, and drop what dead workers staged but never handed over.
        try:
            recovered = recover(reports / COMMIT_JOURNAL)
        except OSError as exc:
            raise LisError(
                f"{printable(reports)}: cannot finish the page change an earlier run left "
                f"({exc.strerror or exc}); free some space and run again"
            ) from None
        discard_stale_staged(reports)
        cache_dir = p.root / ".cache" / "lis"  # survives deleting reports/ or the store
        hashes = FileHashes(cache_dir / "hashes.json")
        inputs = resolve_inputs(params, p, hashes)
        evidence_dir = evidence_folder(evidence or params.evidence, inputs.raw_dirs, p)
        code = code_hash([p.docs])
        area_table = area_catalogue(inputs, params, cache_dir, code)
        area_list = resolve_areas(requested, area_table)
        ev_files = evidence_files(evidence_dir, hashes) if any(s.evidence for s in selected) else []
        hashes.save()
        run_id = new_run_id()
        record_path = reports / RUNS_DIR / f"{run_id}.json"
        commit = git_commit()
        pfile = str(Path(params_file).resolve()) if params_file else None
        sources = {s.name: cat.source(s) for s in selected}
        source_sha = {name: sha256_file(path) for name, path in sources.items()}

        plans: list[tuple[AreaInfo, NotebookSpec, dict[str, Any], dict[str, str], str | None]] = []
        states: dict[str, dict[str, Any]] = {}
        record_nbs: dict[str, Any] = {}
        for area in area_list:
            state_path = reports / area.code / STATE_FILE
            states[area.code] = read_json(state_path) or {}
            # the files with no row for the area: never listed among its pages' inputs
            states[area.code]["files_without_rows"] = list(
                area_table.get(area.code, {}).get("files_without_rows", ())
            )
            # Files by absolute path: the notebooks run in notebooks/, not where the
            # user typed the command (an areas file given as my_areas.yaml reached no
            # notebook, and every page of a user's own area failed).
            area_params = dataclasses.replace(
                params,
                area=area.code,
                raw=tuple(str(d) for d in inputs.raw_dirs),
                evidence=str(evidence_dir),
                areas_file=_absolute(params.areas_file),
                weights_file=_absolute(params.weights_file),
            )
            pdict = area_params.to_dict()
            pdict["params_file"] = pfile
            for spec in selected:
                records = inputs.records_for(
                    spec, area_table.get(area.code, {}).get("files_without_rows", ())
                )
                parts = cache_parts(
                    spec,
                    source_sha=source_sha[spec.name],
                    parameters=pdict,
                    code=code,
                    records=records,
                    evidence=ev_files,
                    demo=inputs.demo,
                )
                old = (states[area.code].get("notebooks") or {}).get(spec.name)
                outs = outputs(reports, area.code, spec.name)
                reason = stale_reason(old, parts, all(o.exists() for o in outs), force)
                plans.append((area, spec, pdict, parts, reason))
                record_nbs[f"{area.code}/{spec.name}"] = {
                    "status": "pending" if reason else "skipped",
                    "reason": reason,
                    "parameters": pdict,
                    "inputs": [
                        {
                            "name": r.get("name"),
                            "sha256": r.get("sha256"),
                            "release": r.get("release", ""),
                        }
                        for r in records
                    ]
                    + (
                        [
                            {"name": f"evidence/{e['name']}", "sha256": e["sha256"], "release": ""}
                            for e in ev_files
                        ]
                        if spec.evidence
                        else []
                    ),
                }

        record: dict[str, Any] = {
            "schema": 1,
            "run_id": run_id,
            "started": _now(),
            "finished": None,
            "status": "running",
            "git_commit": commit,
            "package_version": __version__,
            "code_sha256": code,
            "python": sys.version.split()[0],
            "command": " ".join(["lis", *sys.argv[1:]])
            if Path(sys.argv[0]).name == "lis"
            else None,
            "parameters": params.to_dict(),
            "areas": [dataclasses.asdict(a) for a in area_list],
            "notebooks_selected": [s.name for s in selected],
            "force": force,
            "demo": inputs.demo,
            "raw_dirs": [str(d) for d in inputs.raw_dirs],
            "processed": str(inputs.processed),
            "inputs": [
                {**input_entry(f), "path": f.get("path"), "size": f.get("size")}
                for f in inputs.manifest.get("files", [])
            ],
            "evidence": ev_files,
            "notebooks": record_nbs,
        }

        todo = [pl for pl in plans if pl[4] is not None]
        results: dict[tuple[str, str], NotebookRun] = {
            (a.code, s.name): NotebookRun(a.code, s.name, "skipped", reason="up to date")
            for a, s, _, _, r in plans
            if r is None
        }
        if todo:
            atomic_write_json(record_path, record)
            ship = {
                "files": [pfile, params.areas_file, params.weights_file],
                "folders": [evidence_dir],
                "sources": sources,
            }
            try:
                _execute(
                    todo,
                    cat,
                    inputs,
                    reports,
                    record,
                    record_path,
                    states,
                    results,
                    p,
                    jobs=jobs,
                    executor=executor,
                    scheduler=scheduler,
                    ship=ship,
                    progress=progress,
                    kernel_mode=kernel_mode,
                    renderer=renderer,
                    echo=echo,
                    without_rows={
                        a.code: area_table.get(a.code, {}).get("files_without_rows", ())
                        for a in area_list
                    },
                )
            except BaseException as exc:
                # Ctrl-C, SIGTERM or an error of the run itself: every page pair and
                # index is as its last commit left it; the record says what happened.
                status = "interrupted" if isinstance(exc, KeyboardInterrupt) else "failed"
                _finish_record(record, record_path, plans, results, status, t0, exc)
                raise
        t_index = time.perf_counter()
        try:
            for area in area_list:
                write_area_index(
                    reports, area, cat, states[area.code], inputs, force=bool(todo) or recovered
                )
            write_root_index(reports, cat, rewrite=bool(todo) or recovered)
            record["index_seconds"] = round(time.perf_counter() - t_index, 3)
        except OSError as exc:  # a full disk: the indexes keep their last version
            _finish_record(record, record_path, plans, results, "failed", t0, exc)
            raise LisError(
                f"{printable(exc.filename or reports)}: cannot write the index "
                f"({exc.strerror or exc}); the pages and indexes keep their last complete version"
            ) from None

        ordered = _finish_record(record, record_path, plans, results, None, t0)
        return RunSummary(
            run_id=run_id,
            reports=reports,
            record=record_path,
            notebooks=ordered,
            areas=area_list,
            seconds=time.perf_counter() - t0,
            demo=inputs.demo,
            changes=inputs.changes,
        )


def _absolute(path: str | None) -> str | None:
    return str(Path(path).expanduser().resolve()) if path else None


#: The journal of a page pair being put in place (:func:`lis_analysis._files.commit`).
COMMIT_JOURNAL = ".commit.json"


def _finish_record(
    record: dict[str, Any],
    record_path: Path,
    plans: Sequence[tuple[AreaInfo, NotebookSpec, dict[str, Any], dict[str, str], str | None]],
    results: dict[tuple[str, str], NotebookRun],
    status: str | None,
    t0: float,
    exc: BaseException | None = None,
) -> list[NotebookRun]:
    """Write the run record's final state: ``status`` (``ok`` or ``failed`` from the
    notebooks when None; ``interrupted`` after Ctrl-C or SIGTERM), each notebook's
    outcome (``interrupted`` for one that was not finished) and the time."""
    ordered = [
        results.get((a.code, s.name))
        or NotebookRun(a.code, s.name, "interrupted" if status else "failed", reason=r or "")
        for a, s, _, _, r in plans
    ]
    for n in ordered:
        record["notebooks"][f"{n.area}/{n.name}"].update(
            status=n.status, seconds=n.seconds, error=n.error
        )
    if status is None:
        status = "failed" if any(n.status == "failed" for n in ordered) else "ok"
    record["finished"] = _now()
    record["status"] = status
    if exc is not None:
        what = getattr(exc, "name", None) or type(exc).__name__
        record["error"] = f"{what}: {exc}".splitlines()[0][:300] if str(exc) else what
    record["seconds"] = round(time.perf_counter() - t0, 3)
    with contextlib.suppress(OSError):  # (a full disk: the record keeps its last state)
        atomic_write_json(record_path, record)
    return ordered


def _execute(
    todo: list[tuple[AreaInfo, NotebookSpec, dict[str, Any], dict[str, str], str | None]],
    cat: Catalogue,
    inputs: Inputs,
    reports: Path,
    record: dict[str, Any],
    record_path: Path,
    states: dict[str, dict[str, Any]],
    results: dict[tuple[str, str], NotebookRun],
    p: Paths,
    *,
    jobs: int | None,
    executor: Executor | str | None,
    scheduler: str | None = None,
    ship: dict[str, Any] | None = None,
    progress: bool,
    kernel_mode: str | None,
    renderer: str,
    echo: Callable[[str], None] | None,
    without_rows: Mapping[str, Sequence[str]] | None = None,
) -> None:
    """Submit the stale notebooks, collect results, keep each area's state current.
    ``without_rows``: per area, the observation files with no row for it (not listed in
    its pages' footers)."""
    from .kernels import kernel_environment  # (not on the path of a run with nothing to do)

    env = kernel_environment(p.root)
    # The run's folder for the results its pages share (an area's indicator table and
    # assessment): kernels forked from the template inherit them in memory; spawned
    # kernels find them here. Owned by this run, removed when it ends.
    shared = p.root / ".cache" / "results" / str(record["run_id"])
    env["LIS_RESULT_CACHE"] = str(shared)
    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
    own = executor is None or isinstance(executor, str)
    if executor == "dask":
        from . import cluster

        ship = ship or {}
        executor = cluster.start(
            scheduler=scheduler or os.environ.get(cluster.SCHEDULER_ENV) or None,
            workers=workers,
            raw_dirs=inputs.raw_dirs,
            processed=inputs.processed,
            sources=ship.get("sources") or {},
            files=ship.get("files") or [],
            folders=ship.get("folders") or [],
            warm=list(cat.warm),
            kernel_mode=kernel_mode,
        )
        workers = max(1, getattr(executor, "workers", workers))
    elif executor is None or isinstance(executor, str):
        kwargs = {
            "raw": [str(d) for d in inputs.raw_dirs],
            "areas": sorted({pl[0].code for pl in todo}),
        }
        warm = [(target, kwargs) for target in cat.warm]
        env = {**env, "LIS_HOME": str(p.root)}  # the template's warm-up reads this project
        from .executors import InlineExecutor, LocalProcessExecutor

        executor = (
            InlineExecutor(env, kernel_mode=kernel_mode, warm=warm)
            if workers == 1
            else LocalProcessExecutor(workers, env, kernel_mode=kernel_mode, warm=warm)
        )
    describe = getattr(executor, "describe", None)
    record["executor"] = (
        describe()
        if callable(describe)
        else {
            "kind": "local" if own else type(executor).__name__,
            "workers": workers,
            "inputs": {"how": "read in place", "detail": "this machine's files"},
            "outputs": "written by the worker processes on this machine (atomic)",
        }
    )
    atomic_write_json(record_path, record)
    nav_board = [("Contents", "index.html")] + [(s.title, f"{s.name}.html") for s in cat.notebooks]
    nav_analyst = [("Contents", "index.html")] + [
        (s.title, f"{s.name}.analyst.html") for s in cat.notebooks
    ]
    # Longest first (from the last run's timings) so that parallel workers end together.
    todo = sorted(
        todo,
        key=lambda pl: (
            -float(
                ((states[pl[0].code].get("notebooks") or {}).get(pl[1].name) or {}).get("seconds")
                or 1e9
            )
        ),
    )
    futures: dict[Future[JobResult], tuple[AreaInfo, NotebookSpec, dict[str, str], str]] = {}
    done: set[Future[JobResult]] = set()
    bar = area_bar = None
    # notebooks still to come per area: an area is done when its last one is collected
    pending: dict[str, int] = {}
    for pl in todo:
        pending[pl[0].code] = pending.get(pl[0].code, 0) + 1

    def collect(fut: Future[JobResult]) -> None:
        area, spec, parts, reason = futures[fut]
        done.add(fut)
        try:
            res = fut.result()
        except Exception as exc:  # a worker crashed: the notebook failed, the run goes on
            error = f"{type(exc).__name__}: {exc}".splitlines()[0]
            res = JobResult(area.code, spec.name, "failed", 0.0, error=error)
        res = _commit_result(reports, states, area, spec, parts, res, record, cat, inputs)
        results[(area.code, spec.name)] = NotebookRun(
            area.code, spec.name, res.status, round(res.seconds, 2), reason=reason, error=res.error
        )
        pending[area.code] -= 1
        if bar is not None:
            bar.set_postfix_str(f"{area.code} {spec.name} {res.status}", refresh=False)
            bar.update(1)
        if area_bar is not None and pending[area.code] == 0:
            area_bar.update(1)
        if echo and res.status == "failed":
            echo(f"{area.code} {spec.name} failed: {res.error}")

    try:
        if progress:
            from tqdm import tqdm

            if len(pending) > 1:  # a batch: one bar over the areas, one over the notebooks
                area_bar = tqdm(total=len(pending), unit="area", desc="areas", position=0)
            bar = tqdm(
                total=len(todo),
                unit="notebook",
                desc="notebooks" if area_bar is not None else "lis run",
                position=1 if area_bar is not None else 0,
            )
        for area, spec, pdict, parts, reason in todo:
            board, analyst, executed = outputs(reports, area.code, spec.name)
            nb_record = record["notebooks"][f"{area.code}/{spec.name}"]
            metadata = {
                "schema": 1,
                "notebook": spec.name,
                "title": spec.title,
                "description": spec.description,
                "pack_title": f"{area.name}: {cat.title}",
                "area": {"code": area.code, "name": area.name},
                "demo": inputs.demo,
                "run_id": record["run_id"],
                "generated": record["started"],
                "git_commit": record["git_commit"],
                "package_version": record["package_version"],
                "parameters": pdict,
                "inputs": nb_record["inputs"],
                "index_href": "index.html",
                "data_status": inputs.data_status(spec, (without_rows or {}).get(area.code, ())),
                "cache_key": sha256_json(parts),
            }
            job = Job(
                area=area.code,
                name=spec.name,
                source=str(cat.source(spec)),
                parameters=pdict,
                cwd=str(cat.folder),
                executed=str(executed),
                failed=str(executed.with_name(f"{spec.name}.failed.ipynb")),
                board=str(board),
                analyst=str(analyst),
                env={
                    "LIS_HOME": str(p.root),
                    "LIS_RUN_RECORD": str(record_path),
                    "LIS_NOTEBOOK": spec.name,
                    "LIS_AREA": area.code,
                    "LIS_RESULT_CACHE": str(shared),
                },
                metadata=metadata,
                nav_board=nav_board,
                nav_analyst=nav_analyst,
                timeout=spec.timeout or DEFAULT_TIMEOUT,
                progress=(
                    {"desc": spec.name, "position": 2 if area_bar else 1, "leave": False}
                    if progress and workers == 1 and not callable(describe)
                    else False
                ),
                renderer=renderer,
            )
            fut = executor.submit(job)
            futures[fut] = (area, spec, parts, reason or "")
            if fut.done():  # an in-process executor has already run it
                collect(fut)
        from concurrent.futures import as_completed

        for fut in as_completed([f for f in futures if f not in done]):
            collect(fut)
    except BaseException:
        # Stopped (Ctrl-C, SIGTERM) or broken: end the workers and their kernels now
        # rather than wait for the notebooks they are running, and drop what they
        # staged; what was committed stays, consistent with its index.
        if bar is not None:
            bar.close()
            bar = None
        if own:
            own = False
            getattr(executor, "abort", executor.shutdown)()
        for fut in futures:
            if fut not in done and fut.done() and not fut.cancelled() and not fut.exception():
                discard(fut.result().staged.values())
        # (what a commit cut short still needs stays, for the next run to finish)
        discard_stale_staged(reports, reports / COMMIT_JOURNAL)
        raise
    finally:
        for b in (bar, area_bar):
            if b is not None:
                b.close()
        stats = getattr(executor, "stats", None)
        if callable(stats):
            with contextlib.suppress(Exception):
                record["executor"]["stats"] = stats()
        if own:
            executor.shutdown()
        shutil.rmtree(shared, ignore_errors=True)


def _commit_result(
    reports: Path,
    states: dict[str, dict[str, Any]],
    area: AreaInfo,
    spec: NotebookSpec,
    parts: dict[str, str],
    res: JobResult,
    record: dict[str, Any],
    cat: Catalogue,
    inputs: Inputs,
) -> JobResult:
    """Put a job's staged pages in place together with the area's state and index.

    The board page, the analyst page, the executed notebook, the area's ``pack.json``,
    its ``index.html`` and ``reports/index.html`` change as one (a journal finishes the
    change if the process dies half-way; Ctrl-C and SIGTERM wait for it): a page pair is
    replaced together or not at all, and the index never names a version that is not
    the one shown. When they cannot be written (a full disk), none of them changes and
    the notebook is recorded as failed with the previous pages kept.
    """
    new_state = _updated_state(states[area.code], area, spec, parts, res, record)
    staged: dict[str, str] = dict(res.staged)
    ours: list[str] = []
    try:
        for target, text in _state_and_indexes(reports, area, cat, new_state, states, inputs):
            tmp = str(stage(target, text))
            ours.append(tmp)
            staged[str(target)] = tmp
        with deferred_interrupts():
            commit(
                reports / COMMIT_JOURNAL,
                [(tmp, target) for target, tmp in staged.items()],
                res.remove if res.status == "ran" else (),
            )
    except CommitIncomplete as exc:  # half in place: only the journal can finish it
        raise LisError(
            f"{printable(exc.filename or reports)}: a page could not be put in place "
            f"({exc.strerror}); the next 'lis run' finishes the change"
        ) from None
    except OSError as exc:  # nothing was put in place
        discard([*res.staged.values(), *ours])
        error = f"could not write the pages: {type(exc).__name__}: {exc}".splitlines()[0]
        res = dataclasses.replace(res, status="failed", error=error, staged={}, remove=[])
        new_state = _updated_state(states[area.code], area, spec, parts, res, record)
        with contextlib.suppress(OSError):  # (the disk may still be full)
            atomic_write_json(reports / area.code / STATE_FILE, new_state)
    states[area.code] = new_state
    return res


def _state_and_indexes(
    reports: Path,
    area: AreaInfo,
    cat: Catalogue,
    state: dict[str, Any],
    states: dict[str, dict[str, Any]],
    inputs: Inputs,
) -> list[tuple[Path, str]]:
    """The area's ``pack.json``, ``index.html`` and ``reports/index.html`` as they will
    be once ``state`` is committed."""
    import json

    page = area_index(reports, area, cat, state, inputs)
    out = [
        (reports / area.code / STATE_FILE, json.dumps(state, indent=1, default=str) + "\n"),
        (reports / area.code / "index.html", page),
    ]
    root = root_index(reports, cat, {**states, area.code: state}, area_pages={area.code: page})
    if root is not None:
        out.append((reports / "index.html", root))
    return out


def _updated_state(
    state: dict[str, Any],
    area: AreaInfo,
    spec: NotebookSpec,
    parts: dict[str, str],
    res: JobResult,
    record: dict[str, Any],
) -> dict[str, Any]:
    """A copy of the area's state with ``res`` recorded (the state itself is replaced
    only once the pages it describes are in place)."""
    state = copy.deepcopy(state)
    state.setdefault("schema", 1)
    state["area"] = dataclasses.asdict(area)
    entry = dict((state.setdefault("notebooks", {})).get(spec.name) or {})
    entry.update(
        title=spec.title,
        seconds=round(res.seconds, 2),
        last_run_id=record["run_id"],
        last_run=_now(),
    )
    if res.status == "ran":
        entry.update(
            status="ok",
            parts=parts,
            summary=res.summary,
            error=None,
            run_id=record["run_id"],
            built=_now(),
            failed_parts=None,
        )
    else:
        entry.update(status="failed", error=res.error, failed_parts=parts)
    state["notebooks"][spec.name] = entry
    state["updated"] = _now()
    return state


__all__ = ["NotebookRun", "ReportsBusy", "RunSummary", "reports_lock", "run"]
