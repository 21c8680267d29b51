"""``lis run --executor dask``: the notebooks run on a Dask cluster, the pack is written here.

Dask distributed is an optional extra (``pip install 'lis-analysis[cluster]'``);
:func:`require_distributed` turns its absence into one line and exit code 2.

Where things happen
-------------------
**On the client** (the process that runs ``lis run``): the lock on the reports folder,
the plan, every write (pages, executed notebooks, ``pack.json``, the index pages, the run
record). Nothing on a worker's disk is assumed to be shared for outputs: a job returns
its :class:`~lis_analysis.pack.worker.JobOutputs` (executed notebook, board and analyst
pages, summary; or the failed notebook) and :class:`DaskExecutor` writes them here with
:func:`lis_analysis.pack.worker.write` (atomic) before the run sees the result.

**What crosses the wire**, per run and per job:

- the inputs, once per run (:class:`Shipment`, ``client.scatter(..., broadcast=True)``):
  the store the client has just brought up to date (``observations.parquet``,
  ``lookups.parquet``, ``manifest.json``: about 5 MB for every published file in
  ``../shared/data/public``), the notebooks' sources, the parameters, areas and weights
  YAML and the evidence folder. Shipping the *store*, not the raw files, is
  why this works without a shared file system: the raw folders are 29 MB of workbooks
  that would have to be parsed again on every worker, the store is their parsed,
  validated and compressed form. A worker writes the shipment once into its own
  ``local_directory`` and points its kernels at it through ``$LIS_INPUTS``
  (:func:`lis_analysis._files.input_path`), so notebooks and pages still name every input
  by the client's path and the pages are the same as a local run's.
  ``LIS_DASK_INPUTS=shared`` skips the shipping when every worker reads the same paths
  (a shared mount): the client checks that each worker sees the store it has, with the
  same sha256, and refuses with one line otherwise. The run record says which
  (``executor.inputs``);
- per area, nothing but a name: :func:`place_area`, a task each area's jobs depend on,
  warms the area in the kernel template of the worker that runs it (the store, the
  areas, the area's indicator table and assessment in memory, which every kernel forked
  from then on inherits, as a local run's template holds every area of the run); the
  scheduler sends the area's jobs to that worker, unless another is idle and steals them
  (it then warms the area too). So an area is warmed once or a few times, not on every
  worker, and a worker warms only the areas it runs;
- per job: the :class:`~lis_analysis.pack.jobs.Job` (parameters, metadata) out, and its
  outputs (about 1.5 MB of HTML and notebook JSON) back.

**On a worker**, per run: the shipment on disk, a kernel template (as in a local run,
:mod:`lis_analysis.pack.kernels`), the areas it has warmed, a
:class:`~lis_analysis.pack.worker.Worker` (papermill and nbconvert imported once). Each
job is :meth:`Worker.build <lis_analysis.pack.worker.Worker.build>`: papermill in a
kernel forked from the template, pages rendered in memory.
:meth:`DaskExecutor.shutdown` closes the templates and removes the shipment from every
worker.

Retries and lost workers
------------------------
A job has no side effect on any disk the client reads, so running it twice is harmless
and gives the same outputs. When a worker dies (killed, out of memory, its machine lost)
while it runs a job, the scheduler notices the lost connection and runs the job again on
another worker (up to ``distributed.scheduler.allowed-failures`` times, 3 by default,
before the job counts as failed with ``KilledWorker``); the shipment is still held by the
other workers (broadcast), and a worker that has not warmed the job's area warms it
first. An exception raised by the task itself (not a notebook's failure, which is a
result) is retried twice (``retries=2``). A notebook that fails is not retried: it failed
in the same way as it would here, and the run reports it as a local run does.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._files import INPUTS_ENV, atomic_write, atomic_write_json, code_hash, sha256_file
from ..errors import ConfigError, LisError
from .jobs import Job, JobResult

log = logging.getLogger(__name__)

#: Environment variable with the scheduler's address (``--scheduler`` wins).
SCHEDULER_ENV = "LIS_DASK_SCHEDULER"
#: Environment variable choosing how inputs reach the workers: ``shipped`` (default) or
#: ``shared`` (every worker reads the client's paths: a shared mount).
INPUTS_MODE_ENV = "LIS_DASK_INPUTS"
INPUT_MODES = ("shipped", "shared")
INSTALL_HINT = "pip install 'lis-analysis[cluster]'"
#: The store's files that a kernel reads (the rest of the processed folder is the parser's
#: cache of parts, never read by a notebook).
STORE_FILES = ("observations.parquet", "lookups.parquet", "manifest.json")
#: Threads on the client fetching finished jobs' outputs from the workers.
FETCH_THREADS = 4


class ClusterUnavailable(LisError):
    """Dask distributed is not installed, or the scheduler cannot be reached."""

    exit_code = 2


def require_distributed() -> None:
    """Raise :class:`ClusterUnavailable` (one line, exit 2) when Dask distributed cannot
    be imported (not installed, or installed without a dependency it needs)."""
    try:
        import distributed  # noqa: F401
    except ImportError as exc:
        raise ClusterUnavailable(
            f"--executor dask needs Dask distributed, which is not installed "
            f"({type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else exc.name}): "
            f"{INSTALL_HINT}"
        ) from None


def input_mode() -> str:
    """``shipped`` or ``shared``, from ``$LIS_DASK_INPUTS`` (default ``shipped``)."""
    mode = (os.environ.get(INPUTS_MODE_ENV) or "shipped").strip().lower()
    if mode not in INPUT_MODES:
        raise ConfigError(f"{INPUTS_MODE_ENV} must be 'shipped' or 'shared', not {mode!r}")
    return mode


# --------------------------------------------------------------------------------------
# What a run ships to its workers
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shipment:
    """A run's inputs as the workers receive them (once per run).

    ``files`` are the copies (name in the shipment -> bytes); ``paths`` maps each input's
    path on the client to its name in the shipment (a folder maps every file under it);
    ``stores`` says which raw folders the shipped store was built from. With ``mode ==
    "shared"`` there are no files: the workers read the client's paths.
    """

    sha256: str
    mode: str
    files: dict[str, bytes]
    paths: dict[str, str]
    stores: list[tuple[list[str], str]]
    #: the catalogue's warm-up targets (``module:function``), called with the run's raw
    #: folders and one area
    warm: list[str]
    kernel_mode: str | None
    #: the client's store (checked by the workers in shared mode) and its sha256
    store: str
    manifest_sha256: str
    code_sha256: str

    @property
    def size(self) -> int:
        return sum(len(b) for b in self.files.values())

    def describe(self) -> dict[str, Any]:
        """How the inputs reached the workers, for the run record."""
        if self.mode == "shared":
            return {
                "how": "shared",
                "detail": "read by every worker at the client's paths (a shared mount); "
                "each worker was checked to see the same store (manifest sha256)",
                "store": self.store,
                "manifest_sha256": self.manifest_sha256,
            }
        return {
            "how": "shipped",
            "detail": "scattered once from the client to every worker (client.scatter, "
            "broadcast) and written to each worker's local directory",
            "bytes": self.size,
            "files": len(self.files),
            "sha256": self.sha256,
            "store_bytes": sum(len(self.files.get(f"store/{n}", b"")) for n in STORE_FILES),
            "manifest_sha256": self.manifest_sha256,
        }


def make_shipment(
    *,
    mode: str,
    raw_dirs: Sequence[Path],
    processed: Path,
    sources: Mapping[str, Path],
    files: Sequence[str | Path | None] = (),
    folders: Sequence[Path | None] = (),
    warm: Sequence[str] = (),
    kernel_mode: str | None = None,
) -> Shipment:
    """Collect a run's inputs: the store of ``raw_dirs`` (in ``processed``), the notebook
    ``sources``, single ``files`` (parameters, areas, weights YAML: missing ones skipped)
    and whole ``folders`` (the evidence folder; missing ones skipped)."""
    blobs: dict[str, bytes] = {}
    paths: dict[str, str] = {}
    stores: list[tuple[list[str], str]] = []
    manifest = processed / "manifest.json"
    manifest_sha = sha256_file(manifest) if manifest.exists() else ""
    if mode == "shipped":
        for name in STORE_FILES:
            if (processed / name).exists():
                blobs[f"store/{name}"] = (processed / name).read_bytes()
        stores.append(([str(d) for d in raw_dirs], "store"))
        for _name, src in sorted(sources.items()):
            key = f"notebooks/{Path(src).name}"
            blobs[key] = Path(src).read_bytes()
            paths[str(Path(src))] = key
        for i, f in enumerate(files):
            if not f:
                continue
            given = Path(f).expanduser()
            if given.is_file():
                key = f"files/{i}/{given.name}"
                blobs[key] = given.read_bytes()
                paths[str(given)] = key  # as named (relative names stay relative)
                paths[str(given.resolve())] = key
        for i, folder in enumerate(folders):
            if folder is None or not Path(folder).is_dir():
                continue
            base = Path(folder)
            key = f"folders/{i}"
            paths[str(base)] = key
            for sub in sorted(base.rglob("*")):
                if sub.is_file() and not sub.is_symlink():
                    blobs[f"{key}/{sub.relative_to(base).as_posix()}"] = sub.read_bytes()
    h = hashlib.sha256()
    for name in sorted(blobs):
        h.update(name.encode() + b"\0" + hashlib.sha256(blobs[name]).digest())
    h.update(json.dumps([mode, paths, stores, list(warm), manifest_sha]).encode())
    return Shipment(
        sha256=h.hexdigest(),
        mode=mode,
        files=blobs,
        paths=paths,
        stores=stores,
        warm=list(warm),
        kernel_mode=kernel_mode,
        store=str(processed),
        manifest_sha256=manifest_sha,
        code_sha256=code_hash(),
    )


# --------------------------------------------------------------------------------------
# The worker's side (runs in a Dask worker process)
# --------------------------------------------------------------------------------------


class _RunOnWorker:
    """What one worker holds for one run: the shipment on disk, the kernels' environment,
    the kernel template, the areas it has warmed, and the
    :class:`~lis_analysis.pack.worker.Worker`."""

    def __init__(self, shipment: Shipment, local_directory: str):
        from .kernels import kernel_environment

        self.shipment = shipment
        self.base = Path(local_directory) / "lis-runs" / shipment.sha256[:16]
        cache_root = Path(local_directory) / "lis-cache"  # font cache etc., kept across runs
        self.env = kernel_environment(cache_root)
        if shipment.mode == "shipped":
            for name, data in shipment.files.items():
                target = self.base / name
                if not target.exists() or target.stat().st_size != len(data):
                    atomic_write(target, data)
            mapping = {
                "paths": {src: str(self.base / key) for src, key in shipment.paths.items()},
                "stores": [[dirs, str(self.base / key)] for dirs, key in shipment.stores],
            }
            atomic_write_json(self.base / "inputs.json", mapping)
            self.env[INPUTS_ENV] = str(self.base / "inputs.json")
        else:
            self.base.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        self._template: Any = None
        self._warmer: Any = None  # a TemplateClient for warm-up requests
        self._warmed: set[str] = set()
        self._worker: Any = None
        self._worker_ready = threading.Event()
        self._worker_error: BaseException | None = None

    def local(self, path: str) -> str:
        """The worker's copy of a path the client named (itself in shared mode)."""
        key = self.shipment.paths.get(path)
        return str(self.base / key) if key else path

    def _calls(self, raw: Sequence[str], area: str) -> list[tuple[str, dict[str, Any]]]:
        return [(t, {"raw": list(raw), "areas": [area]}) for t in self.shipment.warm]

    def warm_area(self, area: str, raw: Sequence[str], lis_home: str) -> None:
        """Make this worker's kernel template hold ``area`` warm (the store, the areas,
        the area's indicator table and assessment in memory, as a local run's template
        holds every area of the run): started with it on the first call, asked to warm it
        on later ones. Kernels forked afterwards inherit it."""
        with self._lock:
            if area in self._warmed:
                return
            if self._template is None:
                from .kernels import start_template, template_client

                env = {**self.env, "LIS_HOME": lis_home}
                self._template = start_template(
                    env, self.shipment.kernel_mode, self._calls(raw, area)
                )
                sock = self._template.socket_path if self._template else None
                self._warmer = template_client(sock)
                # papermill, nbconvert ... imported while the template starts
                threading.Thread(
                    target=self._make_worker, args=(env, sock), name="lis-worker", daemon=True
                ).start()
            elif self._warmer is not None:
                self._warmer.warm(self._calls(raw, area))
            self._warmed.add(area)

    def _make_worker(self, env: dict[str, str], sock: str | None) -> None:
        try:
            from .worker import Worker

            self._worker = Worker(env, sock)
        except BaseException as exc:  # handed to the job that waits for it
            self._worker_error = exc
        finally:
            self._worker_ready.set()

    def worker(self) -> Any:
        """The run's :class:`Worker` on this process (once :meth:`warm_area` started it)."""
        self._worker_ready.wait()
        if self._worker_error is not None:
            raise self._worker_error
        return self._worker

    def record_for(self, job: Job) -> str:
        """A run record holding what :func:`lis_analysis.notebook.provenance` reads for
        this job (the client's record is an output: it stays on the client)."""
        meta = job.metadata
        record = {
            "run_id": meta.get("run_id"),
            "started": meta.get("generated"),
            "git_commit": meta.get("git_commit"),
            "package_version": meta.get("package_version"),
            "demo": meta.get("demo"),
            "notebooks": {
                f"{job.area}/{job.name}": {
                    "parameters": meta.get("parameters", {}),
                    "inputs": meta.get("inputs", []),
                }
            },
        }
        path = self.base / "records" / job.area / f"{job.name}.json"
        atomic_write_json(path, record)
        return str(path)

    def close(self) -> None:
        with self._lock:
            if self._template is not None:
                self._template.close()
                self._template = None
            self._warmer = None
        shutil.rmtree(self.base, ignore_errors=True)


_RUNS: dict[str, _RunOnWorker] = {}
_RUNS_LOCK = threading.Lock()


def _run_on_worker(shipment: Shipment) -> _RunOnWorker:
    from distributed import get_worker

    with _RUNS_LOCK:
        state = _RUNS.get(shipment.sha256)
        if state is None:
            state = _RUNS[shipment.sha256] = _RunOnWorker(shipment, get_worker().local_directory)
        return state


def place_area(shipment: Shipment, area: str, raw: Sequence[str], lis_home: str) -> str:
    """A Dask task, once per area, that the area's jobs depend on: it warms the area in
    this worker's kernel template, and the scheduler then sends the area's jobs to the
    worker holding its result (this one) unless another is idle and steals them. So an
    area is warmed on one worker, or a few, rather than on every worker."""
    _run_on_worker(shipment).warm_area(area, raw, lis_home)
    return area


def build(job: Job, shipment: Shipment, placed: str | None = None) -> Any:
    """A Dask task, once per (area, notebook): execute the notebook and render its pages
    on this worker, in memory; return the :class:`~lis_analysis.pack.worker.JobOutputs`
    (the client writes them)."""
    state = _run_on_worker(shipment)
    state.warm_area(job.area, list(job.parameters.get("raw") or []), job.env.get("LIS_HOME", ""))
    local = dataclasses.replace(
        job,
        source=state.local(job.source),
        cwd=str(Path(state.local(job.source)).parent) if shipment.mode == "shipped" else job.cwd,
        env={**job.env, "LIS_RUN_RECORD": state.record_for(job)},
    )
    return state.worker().build(local)


def worker_info() -> dict[str, Any]:
    """What the client checks on each worker before it submits anything."""
    import sys

    from .. import __version__

    return {"version": __version__, "code_sha256": code_hash(), "python": sys.version.split()[0]}


def sees_store(store: str, manifest_sha256: str) -> bool:
    """Shared mode: whether this worker reads the client's store, with the same content."""
    try:
        return sha256_file(Path(store) / "manifest.json") == manifest_sha256
    except OSError:
        return False


def release(sha256: str) -> bool:
    """End of a run: close this worker's kernel template and remove its copy of the inputs."""
    with _RUNS_LOCK:
        state = _RUNS.pop(sha256, None)
    if state is not None:
        state.close()
    return state is not None


# --------------------------------------------------------------------------------------
# The client's side
# --------------------------------------------------------------------------------------


@dataclass
class _Counts:
    submitted: int = 0
    areas_prepared: int = 0
    seconds_in_jobs: float = 0.0
    seconds_round_trip: float = 0.0
    seconds_fetching: float = 0.0
    seconds_writing: float = 0.0
    written_bytes: int = 0
    started: dict[str, float] = field(default_factory=dict)


class DaskExecutor:
    """Runs :class:`~lis_analysis.pack.jobs.Job` objects on a Dask cluster (an
    :class:`~lis_analysis.pack.jobs.Executor`): ``scheduler`` is its address
    (``tcp://host:8786``); None starts a ``LocalCluster`` of ``workers`` processes (one
    thread each) for the run, closed by :meth:`shutdown`.

    Each :meth:`submit` returns a ``concurrent.futures.Future`` that completes once the
    job's outputs are written on this side (:func:`lis_analysis.pack.worker.write`).
    """

    def __init__(
        self,
        shipment: Shipment,
        *,
        scheduler: str | None = None,
        workers: int | None = None,
        connect_timeout: float = 30.0,
    ):
        require_distributed()
        from distributed import Client, LocalCluster

        self.shipment = shipment
        self.scheduler = scheduler
        self._cluster = None
        self._scratch: str | None = None
        self._counts = _Counts()
        self._write_lock = threading.Lock()
        self._areas: dict[str, Any] = {}
        self._futures: list[Any] = []
        # Dask runs done-callbacks in one thread: fetching each job's 1.5 MB there would
        # make the client a queue (about 0.2 s a job on a busy machine). Fetch in a few
        # threads; only the writes take turns (a lock), and they take about 10 ms a job.
        from concurrent.futures import ThreadPoolExecutor

        self._fetchers = ThreadPoolExecutor(FETCH_THREADS, thread_name_prefix="lis-fetch")
        t0 = time.perf_counter()
        if scheduler:
            try:
                self.client = Client(scheduler, timeout=f"{connect_timeout}s")
            except (OSError, TimeoutError) as exc:
                raise ClusterUnavailable(
                    f"cannot reach the Dask scheduler at {scheduler} ({type(exc).__name__}: "
                    f"{str(exc).splitlines()[0] if str(exc) else 'no answer'})"
                ) from None
        else:
            import dask

            self._scratch = tempfile.mkdtemp(prefix="lis-dask-")
            # Quiet (a CLI: the run reports what failed), and no statistical profiler
            # sampling the workers' threads every 10 ms while they wait on kernels.
            logging.getLogger("distributed").setLevel(logging.CRITICAL)
            with dask.config.set({"distributed.worker.profile.enabled": False}):
                self._cluster = LocalCluster(
                    n_workers=max(1, workers or os.cpu_count() or 1),
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    local_directory=self._scratch,
                    silence_logs=logging.CRITICAL,
                )
            self.client = Client(self._cluster)
        try:
            self._check_workers(connect_timeout)
            t1 = time.perf_counter()
            self._shipped = self.client.scatter(shipment, broadcast=True, hash=False)
            self.ship_seconds = time.perf_counter() - t1
        except BaseException:
            self._close_client()
            raise
        self.start_seconds = time.perf_counter() - t0

    def _check_workers(self, timeout: float) -> None:
        try:
            self.client.wait_for_workers(1, timeout=timeout)
        except TimeoutError:
            raise ClusterUnavailable(
                f"the Dask scheduler {self.scheduler or ''} has no worker (start one with "
                f"'dask worker {self.scheduler or 'ADDRESS'} --nthreads 1')"
            ) from None
        info = self.client.run(worker_info)
        self.workers = len(info)
        wrong = {a: i for a, i in info.items() if i["code_sha256"] != self.shipment.code_sha256}
        if wrong:
            addr, i = next(iter(wrong.items()))
            raise ClusterUnavailable(
                f"{len(wrong)} Dask worker(s) run other lis_analysis code than this client "
                f"(e.g. {addr}: version {i['version']}, code {i['code_sha256'][:12]} against "
                f"{self.shipment.code_sha256[:12]} here): install the same version on every "
                "worker, so that every page is built by the same code"
            )
        if self.shipment.mode == "shared":
            seen = self.client.run(sees_store, self.shipment.store, self.shipment.manifest_sha256)
            blind = [a for a, ok in seen.items() if not ok]
            if blind:
                raise ClusterUnavailable(
                    f"{INPUTS_MODE_ENV}=shared, but {len(blind)} worker(s) (e.g. {blind[0]}) "
                    f"do not read the store at {self.shipment.store} as this client does; "
                    f"mount it at the same path, or unset {INPUTS_MODE_ENV} to ship it"
                )

    def submit(self, job: Job) -> Future[JobResult]:
        import uuid

        token = uuid.uuid4().hex[:8]
        placed = self._areas.get(job.area)
        if placed is None:
            placed = self._areas[job.area] = self.client.submit(
                place_area,
                self._shipped,
                job.area,
                list(job.parameters.get("raw") or []),
                job.env.get("LIS_HOME", ""),
                key=f"lis-area-{job.area}-{token}",
                pure=False,
                retries=2,
            )
        fut: Future[JobResult] = Future()
        fut.set_running_or_notify_cancel()
        self._counts.started[job.area + "/" + job.name] = time.perf_counter()
        dfut = self.client.submit(
            build,
            job,
            self._shipped,
            placed,
            key=f"lis-job-{job.area}-{job.name}-{token}",
            pure=False,
            retries=2,
        )
        self._futures.append(dfut)
        self._counts.submitted += 1
        dfut.add_done_callback(lambda d: self._fetchers.submit(self._collect, job, d, fut))
        return fut

    def _collect(self, job: Job, dfut: Any, fut: Future[JobResult]) -> None:
        """Fetch a finished job's outputs and write them here (atomic), then complete
        the run's future. Runs in one of the executor's fetching threads."""
        from .worker import write

        try:
            t0 = time.perf_counter()
            outputs = dfut.result()
            with self._write_lock:
                t1 = time.perf_counter()
                self._counts.seconds_fetching += t1 - t0
                try:
                    res = write(outputs)
                except OSError as exc:
                    res = JobResult(
                        job.area,
                        job.name,
                        "failed",
                        outputs.result.seconds,
                        error=f"could not write the pages: {type(exc).__name__}: {exc}".splitlines()[
                            0
                        ],
                    )
                self._counts.seconds_writing += time.perf_counter() - t1
                self._counts.seconds_in_jobs += outputs.result.seconds
                self._counts.written_bytes += sum(len(t) for t in outputs.files.values())
                self._counts.seconds_round_trip += time.perf_counter() - self._counts.started.get(
                    f"{job.area}/{job.name}", time.perf_counter()
                )
            fut.set_result(res)
        except BaseException as exc:  # a lost job (KilledWorker, cancelled): it failed
            with contextlib.suppress(Exception):
                fut.set_exception(exc if isinstance(exc, Exception) else RuntimeError(str(exc)))

    def describe(self) -> dict[str, Any]:
        """The executor's part of the run record."""
        return {
            "kind": "dask",
            "scheduler": self.scheduler or "LocalCluster started for the run",
            "workers": self.workers,
            "inputs": self.shipment.describe(),
            "outputs": "returned to the client by each job and written there (atomic)",
        }

    def stats(self) -> dict[str, Any]:
        """Timings for the run record (and the benchmark): start-up, shipping, seconds in
        jobs on the workers, and the client's seconds fetching and writing outputs."""
        c = self._counts
        return {
            "start_seconds": round(self.start_seconds, 3),
            "ship_seconds": round(self.ship_seconds, 3),
            "jobs": c.submitted,
            "areas_prepared": len(self._areas),
            "seconds_in_jobs": round(c.seconds_in_jobs, 3),
            "seconds_submit_to_written": round(c.seconds_round_trip, 3),
            "client_seconds_fetching": round(c.seconds_fetching, 3),
            "client_seconds_writing": round(c.seconds_writing, 3),
            "written_bytes": c.written_bytes,
        }

    def _close_client(self) -> None:
        self._fetchers.shutdown(wait=True, cancel_futures=False)
        with contextlib.suppress(Exception):
            self.client.close(timeout=10)
        if self._cluster is not None:
            with contextlib.suppress(Exception):
                self._cluster.close(timeout=20)
        if self._scratch:
            shutil.rmtree(self._scratch, ignore_errors=True)

    def shutdown(self) -> None:
        with contextlib.suppress(Exception):
            self.client.cancel([f for f in self._futures if not f.done()])
        with contextlib.suppress(Exception):
            self.client.run(release, self.shipment.sha256)
        self._close_client()


def start(
    *,
    scheduler: str | None,
    workers: int | None,
    raw_dirs: Sequence[Path],
    processed: Path,
    sources: Mapping[str, Path],
    files: Sequence[str | Path | None],
    folders: Sequence[Path | None],
    warm: Sequence[str],
    kernel_mode: str | None,
) -> DaskExecutor:
    """The run's :class:`DaskExecutor`: its inputs collected (:func:`make_shipment`)
    and shipped, its workers checked."""
    shipment = make_shipment(
        mode=input_mode(),
        raw_dirs=raw_dirs,
        processed=processed,
        sources=sources,
        files=files,
        folders=folders,
        warm=warm,
        kernel_mode=kernel_mode,
    )
    return DaskExecutor(shipment, scheduler=scheduler, workers=workers)


__all__ = [
    "INPUTS_MODE_ENV",
    "SCHEDULER_ENV",
    "ClusterUnavailable",
    "DaskExecutor",
    "Shipment",
    "build",
    "make_shipment",
    "place_area",
    "release",
    "require_distributed",
    "start",
]
