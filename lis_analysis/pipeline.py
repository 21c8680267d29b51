"""``lis run``: execute the evidence notebooks, export the board pack, re-run only what changed.

The flow of one run (:func:`run`):

1. **Parameters** are validated (:class:`~lis_analysis.config.RunParams`, every area code)
   before any data is read or any kernel starts.
2. **Inputs**: the raw folders are compared with the store's ``manifest.json`` using file
   sizes, modification times and remembered sha256 (standard library only); only when a
   file is new, changed or gone is the store re-ingested.
3. **Areas** are checked against the area catalogue (the store's lookups plus the area
   YAML files), cached as JSON per store state so that the check is instant. (This and
   the remembered sha256 of the raw files live in ``.cache/lis/`` under the project.)
4. **Cache keys**: a notebook is re-run when the sha256 of any of these changed: its
   source, its entry in ``notebooks/pack.yaml``, its parameters, the package code (every
   file under ``lis_analysis/`` and ``docs/``), the input files of the datasets it reads
   (every input for ``"*"``; lookup files always, as they define the areas), and the
   evidence files when it reads the evidence folder. Otherwise it is skipped. A run that
   skips everything imports nothing heavier than PyYAML and takes well under a second.
5. **Execution** (only when something is stale): an :class:`Executor` runs one
   :class:`Job` per (area, notebook): papermill's Python API with a fresh kernel per
   notebook, forked from a kernel template that has imported the libraries and read the
   store once (see :mod:`lis_analysis._kernels`), then the board and analyst pages through
   :func:`lis_analysis.report_html.export_html`. Workers are processes that import
   papermill and nbconvert once and stay alive for the whole run, over every area.
6. **Outputs**, all written to a temporary file and moved into place::

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
7. **Lock**: a run holds ``reports/.lock`` for its whole duration. A second run on the
   same reports folder is refused at once (one line, exit code 2) rather than queued:
   runs can take minutes, and a scheduled run that finds another one busy should simply
   try again at its next slot.

The notebook metadata ``lis`` that the HTML templates read is set here (schema in
:mod:`lis_analysis.report_html`); notebooks report their headline with
:func:`lis_analysis.notebook.summary`.

Nothing a user passes reaches a notebook as code: parameters are validated, papermill
writes them as Python literals, and the injected cell is checked to hold only literal
assignments before the kernel starts.

This module imports only the standard library and PyYAML; papermill, nbconvert and pandas
are imported by the workers (:mod:`lis_analysis._worker`) and only when something runs.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import hashlib
import html
import json
import logging
import os
import secrets
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

import yaml

from . import __version__
from .config import PACKAGE_DATA, PACKAGE_DIR, Paths, RunParams
from .config import paths as default_paths
from .demo_marker import DEMO_MARKER as _DEMO_MARKER
from .errors import ConfigError, LisError

log = logging.getLogger(__name__)

#: Bump to invalidate every cache key (a change in what a key means).
KEY_VERSION = 1
CATALOGUE_FILE = "pack.yaml"
EXECUTED_DIR = "_executed"
RUNS_DIR = "_runs"
STATE_FILE = "pack.json"
LOCK_FILE = ".lock"
ALL_LSIPS = "all-lsips"
DEFAULT_EXPORTER = "lis_analysis.report_html:export_html"
DEFAULT_TIMEOUT = 600.0  # seconds per cell

DEMO_STATUS = "Demonstrator data: synthetic, not official statistics"


# --------------------------------------------------------------------------------------
# The notebook catalogue (notebooks/pack.yaml)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NotebookSpec:
    """One notebook of the pack, as declared in ``notebooks/pack.yaml``.

    Attributes
    ----------
    name : file stem (``notebooks/<name>.py``, a jupytext py:percent file)
    title : page title and card title
    description : one sentence for the index card
    datasets : dataset ids it reads (the ``dataset`` column of the store); ``"*"`` = all.
        Derived from the indicators and analyses the notebook shows
        (:mod:`lis_analysis.pages.reads`) unless ``pack.yaml`` gives them
    evidence : whether it reads the call-for-evidence / consultation folder
    timeout : seconds allowed per cell (default 600)
    """

    name: str
    title: str
    description: str = ""
    datasets: tuple[str, ...] = ()
    evidence: bool = False
    timeout: float | None = None

    @property
    def reads_everything(self) -> bool:
        return "*" in self.datasets

    def reads(self, datasets: Iterable[str]) -> bool:
        """Whether this notebook reads any of ``datasets``."""
        return self.reads_everything or bool(set(self.datasets) & set(datasets))


@dataclass(frozen=True)
class Catalogue:
    """The pack: its title and its notebooks in order."""

    path: Path
    title: str
    notebooks: tuple[NotebookSpec, ...]
    warm: tuple[str, ...] = ("lis_analysis.pipeline:warm_data",)

    @property
    def folder(self) -> Path:
        return self.path.parent

    def names(self) -> list[str]:
        return [n.name for n in self.notebooks]

    def source(self, spec: NotebookSpec) -> Path:
        """The notebook's reviewed source: ``<name>.py`` (py:percent), else ``<name>.ipynb``."""
        py = self.folder / f"{spec.name}.py"
        if py.exists():
            return py
        ipynb = self.folder / f"{spec.name}.ipynb"
        if ipynb.exists():
            return ipynb
        raise ConfigError(
            f"{self.path}: notebook '{spec.name}' has no file {py.name} in {self.folder}"
        )

    def select(self, only: Sequence[str] | None) -> list[NotebookSpec]:
        """The notebooks named in ``only`` (exact names or unique prefixes such as
        ``11``), in pack order; all when ``only`` is empty."""
        if not only:
            return list(self.notebooks)
        wanted: set[str] = set()
        for item in only:
            for token in str(item).split(","):
                token = token.strip()
                if not token:
                    continue
                hits = [n for n in self.names() if n == token] or [
                    n for n in self.names() if n.startswith(token)
                ]
                if len(hits) != 1:
                    why = "matches several" if hits else "is not a notebook of the pack"
                    raise ConfigError(
                        f"--only {token}: {why} (notebooks: {', '.join(self.names())})"
                    )
                wanted.add(hits[0])
        return [n for n in self.notebooks if n.name in wanted]


_SPEC_KEYS = {"name", "title", "description", "datasets", "evidence", "timeout"}


def load_catalogue(path: str | Path, *, cache_dir: Path | None = None) -> Catalogue:
    """Read and validate ``notebooks/pack.yaml``.

    Schema::

        title: Local Industrial Strategy evidence     # optional pack title
        warm: [lis_analysis.pipeline:warm_data]       # optional, see below
        notebooks:                                    # in pack order
          - name: 00_overview                         # notebooks/00_overview.py
            title: Productivity overview
            description: The headline productivity gap, its parts and its trend.
            datasets: [ons_productivity_lad, ...]     # optional; ["*"] for every input
            evidence: false                           # reads the evidence folder
            timeout: 600                              # optional, seconds per cell

    Without ``datasets``, a notebook's datasets are those of the indicators and analyses
    its page shows (:func:`lis_analysis.pages.reads.notebook_datasets`), worked out once
    per state of the package code and the notebook and kept in ``cache_dir``
    (default ``.cache/lis`` of the project).

    ``warm`` names functions the kernel template calls once per run, before any kernel
    starts, as ``f(raw=[folders], areas=[codes])``: whatever they load into memory (the
    store's tables, the areas) every notebook's kernel inherits. A failing warm-up only
    costs speed. Default: :func:`warm_data`.

    Raises
    ------
    ConfigError
        naming the file, the notebook and the key at fault.
    """
    path = Path(path)
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError:
        raise ConfigError(f"{path}: notebook catalogue not found") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({str(exc).splitlines()[0]})") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("notebooks"), list):
        raise ConfigError(f"{path}: expected a top-level 'notebooks:' list")
    specs: list[NotebookSpec] = []
    derive: list[str] = []
    for i, body in enumerate(doc["notebooks"], start=1):
        where = f"{path}: notebooks[{i}]"
        if not isinstance(body, dict) or "name" not in body:
            raise ConfigError(f"{where}: expected a mapping with at least 'name' and 'title'")
        name = str(body["name"])
        where = f"{path}: notebook {name}"
        unknown = set(body) - _SPEC_KEYS
        if unknown:
            raise ConfigError(
                f"{where}: unknown key(s) {', '.join(sorted(unknown))} (allowed: {', '.join(sorted(_SPEC_KEYS))})"
            )
        if not name.replace("_", "").replace("-", "").isalnum():
            raise ConfigError(f"{where}: a name may hold only letters, digits, '_' and '-'")
        datasets = body.get("datasets")
        if datasets is None:
            derive.append(name)
            datasets = []
        if isinstance(datasets, str):
            datasets = [datasets]
        if not isinstance(datasets, list) or not all(isinstance(d, str) and d for d in datasets):
            raise ConfigError(f"{where}: 'datasets' must be a list of dataset ids (or [\"*\"])")
        evidence = body.get("evidence", False)
        if not isinstance(evidence, bool):
            raise ConfigError(f"{where}: 'evidence' must be true or false")
        timeout = body.get("timeout")
        if timeout is not None and (
            isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0
        ):
            raise ConfigError(f"{where}: 'timeout' must be a number of seconds")
        specs.append(
            NotebookSpec(
                name=name,
                title=str(body.get("title") or name),
                description=str(body.get("description") or "").strip(),
                datasets=tuple(datasets),
                evidence=evidence,
                timeout=float(timeout) if timeout is not None else None,
            )
        )
    names = [s.name for s in specs]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise ConfigError(f"{path}: notebook(s) listed twice: {', '.join(dup)}")
    if not specs:
        raise ConfigError(f"{path}: the pack lists no notebooks")
    title = str(doc.get("title") or "Local Industrial Strategy evidence")
    unknown = set(doc) - {"title", "notebooks", "warm"}
    if unknown:
        raise ConfigError(
            f"{path}: unknown key(s) {', '.join(sorted(unknown))} (allowed: title, notebooks, warm)"
        )
    warm = doc.get("warm", ["lis_analysis.pipeline:warm_data"]) or []
    if isinstance(warm, str):
        warm = [warm]
    if not isinstance(warm, list) or not all(isinstance(w, str) and ":" in w for w in warm):
        raise ConfigError(f"{path}: 'warm' must be a list of module:function names")
    if derive:
        found = derived_datasets(path.parent, derive, cache_dir)
        specs = [
            dataclasses.replace(s, datasets=found[s.name]) if s.name in found else s for s in specs
        ]
    return Catalogue(path=path, title=title, notebooks=tuple(specs), warm=tuple(warm))


def derived_datasets(
    folder: Path, names: Sequence[str], cache_dir: Path | None = None
) -> dict[str, tuple[str, ...]]:
    """``{name: datasets}`` for the notebooks ``folder/<name>.py``, from the indicators and
    analyses their pages show (:func:`lis_analysis.pages.reads.notebook_datasets`).

    Working them out loads the registry and the parsers' declarations (about a second),
    so the result is kept in ``cache_dir`` keyed by the package code and the notebooks'
    sources: a run that changes neither reads it back. A notebook with no ``.py`` file
    is left out (the run reports it)."""
    sources = {n: folder / f"{n}.py" for n in names if (folder / f"{n}.py").is_file()}
    if not sources:
        return {}
    cache = cache_dir or default_paths().root / ".cache" / "lis"
    key = _sha256_json([code_hash(), sorted((n, _sha256_path(f)) for n, f in sources.items())])[:20]
    cached = _read_json(cache / f"reads-{key}.json")
    if isinstance(cached, dict) and set(cached) == set(sources):
        return {n: tuple(v) for n, v in cached.items()}
    from .pages.reads import notebook_datasets

    found = {n: notebook_datasets(f) for n, f in sources.items()}
    with contextlib.suppress(OSError):  # a read-only project only loses the shortcut
        _write_json(cache / f"reads-{key}.json", {n: list(v) for n, v in found.items()})
        for old in sorted(cache.glob("reads-*.json"), key=lambda f: f.stat().st_mtime)[:-8]:
            old.unlink()
    return found


# --------------------------------------------------------------------------------------
# Files and hashes (standard library only)
# --------------------------------------------------------------------------------------


def _sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _sha256_json(obj: Any) -> str:
    return _sha256_bytes(json.dumps(obj, sort_keys=True, default=str).encode())


def _sha256_path(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _atomic_write(path: Path, data: str | bytes) -> None:
    """Write via a temporary file in the same folder and ``os.replace``."""
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _write_json(path: Path, obj: Any) -> None:
    _atomic_write(path, json.dumps(obj, indent=1, sort_keys=False, default=str) + "\n")


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


class FileHashes:
    """sha256 of files, remembered with their size and modification time in a JSON
    file, so that an unchanged file is not read again."""

    def __init__(self, path: Path | None):
        self.path = path
        self._known: dict[str, list[Any]] = (_read_json(path) or {}) if path else {}
        self._dirty = False

    def sha256(self, path: Path) -> str:
        st = path.stat()
        key = str(path)
        hit = self._known.get(key)
        if hit and hit[0] == st.st_size and hit[1] == st.st_mtime_ns:
            return str(hit[2])
        sha = _sha256_path(path)
        self._known[key] = [st.st_size, st.st_mtime_ns, sha]
        self._dirty = True
        return sha

    def save(self) -> None:
        if self.path and self._dirty:
            _write_json(self.path, self._known)
            self._dirty = False


def code_hash(extra: Sequence[Path] = ()) -> str:
    """sha256 over every file of the package (code, YAML, templates) and of ``extra``
    folders (``docs/``), by relative path and content."""
    h = hashlib.sha256()
    for base in (PACKAGE_DIR, *extra):
        base = Path(base)
        if not base.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "__pycache__")))
            for fname in sorted(filenames):
                if fname.startswith(".") or fname.endswith((".pyc", ".pyo")):
                    continue
                fp = Path(dirpath) / fname
                h.update(str(fp.relative_to(base.parent)).encode() + b"\0")
                h.update(fp.read_bytes())
                h.update(b"\0")
    return h.hexdigest()


def git_commit(start: Path | None = None) -> str | None:
    """The commit checked out in the repository holding ``start`` (default: this
    package), read from ``.git`` without running git; None outside a repository."""
    here = Path(start or PACKAGE_DIR).resolve()
    for folder in (here, *here.parents):
        dotgit = folder / ".git"
        if dotgit.is_file():  # a worktree: "gitdir: PATH"
            text = dotgit.read_text(encoding="utf-8").strip()
            if text.startswith("gitdir:"):
                dotgit = (folder / text.split(":", 1)[1].strip()).resolve()
        if not dotgit.is_dir():
            continue
        try:
            head = (dotgit / "HEAD").read_text(encoding="utf-8").strip()
        except OSError:
            return None
        if not head.startswith("ref:"):
            return head or None
        ref = head.split(":", 1)[1].strip()
        common = dotgit
        with contextlib.suppress(OSError):
            common = (dotgit / (dotgit / "commondir").read_text().strip()).resolve()
        for base in (dotgit, common):
            with contextlib.suppress(OSError):
                return (base / ref).read_text(encoding="utf-8").strip()
        for base in (dotgit, common):
            with contextlib.suppress(OSError):
                for line in (base / "packed-refs").read_text(encoding="utf-8").splitlines():
                    if line.endswith(" " + ref):
                        return line.split()[0]
        return None
    return None


# --------------------------------------------------------------------------------------
# Raw folders and the store, read with the standard library
# --------------------------------------------------------------------------------------
# These mirror lis_analysis.store (list_raw_files, is_demo_folder, processed_dir_for),
# which imports pandas at module level; tests/test_pipeline.py checks that the two agree.

_IGNORED = {
    "readme.md",
    "readme.txt",
    "manifest.json",
    "manifest.csv",
    _DEMO_MARKER.lower(),
    ".gitkeep",
    "sha256sums",
    "provenance.md",
}
_IGNORED_DIRS = {"evidence", "_tmp", ".git"}


def raw_files(raw_dirs: Sequence[Path]) -> list[Path]:
    """Every data file under the raw folders, as ``lis_analysis.store.list_raw_files``."""
    out: list[Path] = []
    for d in raw_dirs:
        d = Path(d)
        if not d.is_dir():
            raise LisError(f"{d}: raw data folder not found")
        for p in sorted(d.rglob("*")):
            rel = p.relative_to(d)
            if any(part.startswith(".") or part.lower() in _IGNORED_DIRS for part in rel.parts):
                continue
            if not p.is_file() or p.name.lower() in _IGNORED or p.name.startswith("~$"):
                continue
            if p.suffix.lower() == ".json" and p.with_suffix(".csv").exists():
                continue
            out.append(p)
    return out


def _is_demo_folder(folder: Path) -> bool:
    return (Path(folder) / _DEMO_MARKER).exists()


def _processed_dir(raw_dirs: Sequence[Path], p: Paths) -> Path:
    dirs = [Path(d).resolve() for d in raw_dirs]
    if dirs == [p.raw.resolve()]:
        return p.processed
    h = hashlib.sha256("\n".join(str(d) for d in dirs).encode()).hexdigest()[:10]
    demo = all(_is_demo_folder(d) for d in dirs)
    return p.processed / "sets" / f"{'demo' if demo else 'raw'}-{h}"


def _raw_dirs(params: RunParams, p: Paths) -> tuple[Path, ...]:
    """The raw folders of a run, as :func:`lis_analysis.workspace.workspace` resolves them."""
    if params.raw:
        dirs = tuple(Path(d).expanduser().resolve() for d in params.raw)
        for d in dirs:
            if not d.is_dir():
                raise ConfigError(f"{d}: raw data folder not found")
        return dirs
    if p.raw.is_dir() and raw_files([p.raw]):
        return (p.raw.resolve(),)
    from .demo_marker import is_current  # light: no generator import

    if not is_current(p.demo_raw):
        from .workspace import ensure_demo

        ensure_demo(p)
    return (p.demo_raw.resolve(),)


@dataclass(frozen=True)
class InputChange:
    """A raw file that is new, changed or gone since the store was last built."""

    path: str
    change: str  # new | changed | removed
    datasets: tuple[str, ...]


@dataclass(frozen=True)
class Inputs:
    """The raw folders of a run, their store and its manifest."""

    raw_dirs: tuple[Path, ...]
    processed: Path
    demo: bool
    manifest: dict[str, Any]
    manifest_sha: str
    changes: tuple[InputChange, ...] = ()

    def records_for(self, spec: NotebookSpec) -> list[dict[str, Any]]:
        """Manifest records of the files a notebook reads: the files of its datasets,
        every file for ``"*"``, and the lookup files (they define the areas) always."""
        out = []
        for f in self.manifest.get("files", []):
            area_file = f.get("kind", "observations") != "observations"  # lookups define the areas
            if spec.reads_everything or area_file or spec.reads(f.get("datasets") or []):
                out.append(f)
        return out


def resolve_inputs(
    params: RunParams, p: Paths, hashes: FileHashes, *, ingest: bool = True
) -> Inputs:
    """Find the raw folders and bring their store up to date: ingest (pandas) only when
    a raw file is new, changed or gone, judged from sizes, times and sha256 alone."""
    dirs = _raw_dirs(params, p)
    processed = _processed_dir(dirs, p)
    manifest_path = processed / "manifest.json"
    manifest = _read_json(manifest_path) or {}
    files = raw_files(list(dirs))
    if not files:
        raise LisError(f"no data files found in {', '.join(map(str, dirs))}")
    before = {f["path"]: f for f in manifest.get("files", [])}
    current = {str(f): hashes.sha256(f) for f in files}
    changed = [
        (path, "new" if path not in before else "changed")
        for path, sha in current.items()
        if path not in before or before[path].get("sha256") != sha
    ]
    removed = [path for path in before if path not in current]
    stale = bool(changed or removed) or not (processed / "observations.parquet").exists()
    if stale and ingest:
        from .workspace import workspace

        log.info(
            "store out of date (%d new or changed, %d removed): ingesting",
            len(changed),
            len(removed),
        )
        workspace(list(dirs), p=p).ingest()
        manifest = _read_json(manifest_path) or {}
    after = {f["path"]: f for f in manifest.get("files", [])}
    changes = [
        InputChange(path, how, tuple((after.get(path) or {}).get("datasets") or ()))
        for path, how in changed
    ]
    changes += [
        InputChange(path, "removed", tuple(before[path].get("datasets") or ())) for path in removed
    ]
    hashes.save()
    try:
        manifest_sha = _sha256_path(manifest_path)
    except OSError:
        manifest_sha = ""
    demo = bool(manifest.get("demo")) if manifest else all(_is_demo_folder(d) for d in dirs)
    return Inputs(dirs, processed, demo, manifest, manifest_sha, tuple(changes))


def evidence_folder(given: str | Path | None, raw_dirs: Sequence[Path], p: Paths) -> Path:
    """The call-for-evidence and consultation folder, as the page finds it
    (:func:`lis_analysis.config.evidence_folder`)."""
    from .config import evidence_folder as find

    return find(given, raw_dirs, p)


def evidence_files(folder: Path | None, hashes: FileHashes) -> list[dict[str, str]]:
    """``{name, sha256}`` of every file in the evidence folder (empty when absent)."""
    if folder is None or not folder.is_dir():
        return []
    out = []
    for f in sorted(folder.rglob("*")):
        if f.is_file() and not any(part.startswith(".") for part in f.relative_to(folder).parts):
            out.append({"name": str(f.relative_to(folder)), "sha256": hashes.sha256(f)})
    return out


# --------------------------------------------------------------------------------------
# Areas
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaInfo:
    code: str
    name: str
    level: str


def parse_areas(value: str | Sequence[str] | None) -> list[str]:
    """``"A,B"``, ``["A", "B,C"]`` or ``"all-lsips"`` -> a list of codes (order kept)."""
    if value is None:
        return []
    items = [value] if isinstance(value, str) else list(value)
    out: list[str] = []
    for item in items:
        for token in str(item).split(","):
            token = token.strip()
            if token and token not in out:
                out.append(token)
    return out


def check_area_codes(codes: Sequence[str], params: RunParams) -> None:
    """Validate the form of every area code (before any data is read)."""
    for code in codes:
        if code != ALL_LSIPS:
            dataclasses.replace(params, area=code)


def area_catalogue(
    inputs: Inputs, params: RunParams, cache_dir: Path, code: str
) -> dict[str, dict[str, Any]]:
    """``{code: {name, level, members, aliases}}`` for every area the store and the
    area YAML files define; built with :class:`~lis_analysis.geography.Geography` once
    per store state and cached as JSON."""
    parts = [inputs.manifest_sha, code, str(inputs.processed)]
    for f in (PACKAGE_DATA / "areas.yaml", params.areas_file):
        if f:
            fp = Path(f).expanduser()
            if not fp.exists():
                raise ConfigError(f"{fp}: areas file not found")
            parts.append(_sha256_path(fp))
    key = _sha256_json(parts)[:20]
    path = cache_dir / f"areas-{key}.json"
    cached = _read_json(path)
    if isinstance(cached, dict):
        return cached
    from . import store
    from .geography import Geography

    geo = Geography.build(
        store.read_lookups(inputs.processed),
        store.read_observations(inputs.processed),
        areas_file=params.areas_file,
    )
    table = {
        a.code: {
            "name": a.name,
            "level": a.level,
            "members": list(a.members),
            "aliases": list(a.aliases),
        }
        for a in geo.areas()
    }
    _write_json(path, table)
    for old in sorted(cache_dir.glob("areas-*.json"), key=lambda f: f.stat().st_mtime)[:-8]:
        with contextlib.suppress(OSError):
            old.unlink()  # keep the catalogues of the last few stores
    return table


def resolve_areas(
    requested: Sequence[str], catalogue: Mapping[str, Mapping[str, Any]]
) -> list[AreaInfo]:
    """The areas of a run, checked against the catalogue (``all-lsips`` expanded)."""
    out: list[AreaInfo] = []
    for code in requested:
        if code == ALL_LSIPS:
            lsips = sorted(c for c, a in catalogue.items() if a.get("level") == "lsip")
            if not lsips:
                raise ConfigError(
                    "--area all-lsips: the data defines no LSIP areas (a lookup file with "
                    "LSIP areas is needed; 'lis areas --level lsip' lists them)"
                )
            found = [AreaInfo(c, str(catalogue[c]["name"]), "lsip") for c in lsips]
        else:
            hit = catalogue.get(code)
            canonical = code
            if hit is None:
                for c, a in catalogue.items():
                    if code in (a.get("aliases") or []):
                        hit, canonical = a, c
                        break
            if hit is None:
                raise ConfigError(
                    f"unknown area '{code}' (run 'lis areas' to list the areas and their codes)"
                )
            found = [AreaInfo(canonical, str(hit["name"]), str(hit["level"]))]
        out.extend(a for a in found if a.code not in {x.code for x in out})
    return out


# --------------------------------------------------------------------------------------
# Jobs and executors
# --------------------------------------------------------------------------------------


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
    exporter: str = DEFAULT_EXPORTER


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


class Executor(Protocol):
    """Runs jobs somewhere and hands back ``concurrent.futures.Future`` objects.

    :class:`LocalProcessExecutor` runs them in worker processes on this machine and
    :class:`InlineExecutor` in this process. A distributed engine slots in by
    implementing the same two methods around :func:`lis_analysis._worker.execute`, which
    takes a picklable :class:`Job` and returns a :class:`JobResult`. For Dask::

        class DaskExecutor:
            def __init__(self, client, env):      # a distributed.Client
                self.client = client
                client.run(_worker.init, env, None)   # import papermill once per worker;
                                                      # None: kernels are spawned there
            def submit(self, job):
                out = concurrent.futures.Future()
                fut = self.client.submit(_worker.execute, job, pure=False)
                fut.add_done_callback(lambda f: out.set_exception(f.exception())
                                      if f.status == "error" else out.set_result(f.result()))
                return out
            def shutdown(self):
                pass

    and pass ``executor=DaskExecutor(client, kernel_environment(paths))`` to :func:`run`.
    Ray is shorter still: ``ray.remote(_worker.execute).remote(job).future()`` already is
    a concurrent future. Jobs carry absolute paths and write their pages themselves, so
    the workers must see the project folder (a shared file system); the lock, the cache
    state, the index and the run record stay with the process that calls :func:`run`.
    """

    def submit(self, job: Job) -> Future[JobResult]: ...

    def shutdown(self) -> None: ...


class InlineExecutor:
    """Runs jobs one after another in this process (one job, or ``--jobs 1``)."""

    def __init__(
        self,
        env: Mapping[str, str],
        *,
        kernel_mode: str | None = None,
        warm: Sequence[tuple[str, dict[str, Any]]] = (),
    ):
        from . import _worker

        self._worker = _worker
        self._env = dict(env)
        self._template = _worker.start_template(env, kernel_mode, warm)
        _worker.load_libraries()
        self._client = _worker.template_client(
            self._template.socket_path if self._template else None
        )

    def submit(self, job: Job) -> Future[JobResult]:
        fut: Future[JobResult] = Future()
        try:
            fut.set_result(self._worker.execute(job, env=self._env, client=self._client))
        except Exception as exc:  # handed to the caller through the future
            fut.set_exception(exc)
        return fut

    def shutdown(self) -> None:
        if self._template:
            self._template.close()


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

        from . import _worker

        self._worker = _worker
        self._template = _worker.start_template(env, kernel_mode, warm)
        sock = self._template.socket_path if self._template else None
        self._pool = ProcessPoolExecutor(
            max_workers=max(1, workers),
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_worker.init,
            initargs=(dict(env), sock),
        )

    def submit(self, job: Job) -> Future[JobResult]:
        return self._pool.submit(self._worker.execute, job)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)
        if self._template:
            self._template.close()


# --------------------------------------------------------------------------------------
# The lock on the reports folder
# --------------------------------------------------------------------------------------


class ReportsBusy(LisError):
    """Another run is writing the same reports folder."""


@contextlib.contextmanager
def reports_lock(reports: Path) -> Iterator[None]:
    """Hold ``reports/.lock`` for the whole run; refuse at once if another run holds it."""
    reports.mkdir(parents=True, exist_ok=True)
    path = reports / LOCK_FILE
    fh = open(path, "a+")  # noqa: SIM115 - held for the duration of the context
    try:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            who = fh.read().strip() or "another process"
            raise ReportsBusy(
                f"{reports} is being written by another lis run ({who}); "
                "wait for it to finish, then run again"
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(f"pid {os.getpid()}, started {datetime.now().strftime('%H:%M:%S')}")
        fh.flush()
        yield
    finally:
        with contextlib.suppress(OSError):
            fcntl.flock(fh, fcntl.LOCK_UN)
        fh.close()


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
        """The summary table printed by ``lis run`` (skipped rows folded when many)."""
        rows = self.notebooks
        if all_rows is None:
            all_rows = len(rows) <= 30
        shown = rows if all_rows else [n for n in rows if n.status != "skipped"]
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


# --------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------


def warm_data(raw: Sequence[str], areas: Sequence[str] = ()) -> None:
    """The default warm-up of the kernel template (see :func:`load_catalogue`): load the
    store's observations and lookups for ``raw`` into memory, so that every notebook's
    ``lis.use(raw)`` / ``lis.page`` finds them already read."""
    from . import session

    ws = session.use(list(raw) or None)
    ws.observations()
    ws.lookups()
    session.geography()


def new_run_id() -> str:
    return f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{secrets.token_hex(2)}"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def kernel_environment(p: Paths) -> dict[str, str]:
    """Environment for workers and kernels: matplotlib, IPython and Jupyter state inside
    the project (as the Makefile sets) unless already set. (Each job adds ``LIS_HOME``,
    the project root, so that an executor can serve several projects.)"""
    env = {"PYDEVD_DISABLE_FILE_VALIDATION": "1", "JUPYTER_PLATFORM_DIRS": "1"}
    for var, sub in (
        ("MPLCONFIGDIR", "matplotlib"),
        ("IPYTHONDIR", "ipython"),
        ("JUPYTER_CONFIG_DIR", "jupyter"),
    ):
        env[var] = os.environ.get(var) or str(p.root / ".cache" / sub)
    return env


def _input_entry(rec: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "name": rec.get("name") or Path(str(rec.get("path", ""))).name,
        "sha256": rec.get("sha256", ""),
        "release": rec.get("release", ""),
        "publisher": rec.get("publisher", ""),
        "title": rec.get("title", ""),
        "datasets": list(rec.get("datasets") or []),
    }


def _releases(records: Sequence[Mapping[str, Any]]) -> list[str]:
    out: list[str] = []
    for r in records:
        label = ", ".join(
            x for x in (str(r.get("publisher") or ""), str(r.get("title") or r.get("name"))) if x
        )
        if r.get("release"):
            label += f" ({r['release']})"
        if label not in out:
            out.append(label)
    return out


def _reason(
    old: Mapping[str, Any] | None, parts: Mapping[str, str], outputs_exist: bool, force: bool
) -> str | None:
    """Why a notebook must run (None: it is up to date)."""
    if force:
        return "--force"
    if not old:
        return "first run"
    if old.get("status") == "failed" and old.get("failed_parts") == dict(parts):
        return "failed last time"
    if old.get("status") != "ok" and not old.get("parts"):
        return "first run"
    prev = old.get("parts") or {}
    labels = {
        "inputs": "inputs changed",
        "source": "notebook changed",
        "parameters": "parameters changed",
        "code": "package code changed",
        "evidence": "evidence changed",
        "entry": "pack.yaml entry changed",
        "demo": "data changed",
        "version": "cache format changed",
    }
    why = [
        labels.get(k, f"{k} changed")
        for k in sorted(set(prev) | set(parts))
        if prev.get(k) != parts.get(k)
    ]
    if why:
        return ", ".join(why)
    if old.get("status") == "failed":
        return "failed last time"
    if not outputs_exist:
        return "outputs missing"
    return None


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
    executor: Executor | None = None,
    progress: bool | None = None,
    kernel_mode: str | None = None,
    exporter: str = DEFAULT_EXPORTER,
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
    executor : where jobs run (default :class:`LocalProcessExecutor`, or
        :class:`InlineExecutor` for a single job or ``jobs=1``)
    progress : progress bars on stderr (default: when stderr is a terminal)
    kernel_mode : ``fork`` (default) or ``spawn`` (see :mod:`lis_analysis._kernels`)
    exporter : ``module:function`` with the signature of ``report_html.export_html``
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
        source_sha = {name: _sha256_path(path) for name, path in sources.items()}

        plans: list[tuple[AreaInfo, NotebookSpec, dict[str, Any], dict[str, str], str | None]] = []
        states: dict[str, dict[str, Any]] = {}
        record_nbs: dict[str, Any] = {}
        for area in area_list:
            state_path = reports / area.code / STATE_FILE
            states[area.code] = _read_json(state_path) or {}
            area_params = dataclasses.replace(
                params,
                area=area.code,
                raw=tuple(str(d) for d in inputs.raw_dirs),
                evidence=str(evidence_dir),
            )
            pdict = area_params.to_dict()
            pdict["params_file"] = pfile
            for spec in selected:
                records = inputs.records_for(spec)
                parts = {
                    "version": str(KEY_VERSION),
                    "source": source_sha[spec.name],
                    "entry": _sha256_json(dataclasses.asdict(spec)),
                    "parameters": _sha256_json(pdict),
                    "code": code,
                    "inputs": _sha256_json(
                        sorted((r.get("name", ""), r.get("sha256", "")) for r in records)
                    ),
                    "evidence": _sha256_json(ev_files if spec.evidence else []),
                    "demo": str(inputs.demo),
                }
                old = (states[area.code].get("notebooks") or {}).get(spec.name)
                outs = _outputs(reports, area.code, spec.name)
                reason = _reason(old, parts, all(o.exists() for o in outs), force)
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
                {**_input_entry(f), "path": f.get("path"), "size": f.get("size")}
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
            _write_json(record_path, record)
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
                progress=progress,
                kernel_mode=kernel_mode,
                exporter=exporter,
                echo=echo,
            )
        for area in area_list:
            _write_area_index(reports, area, cat, states[area.code], inputs, force=bool(todo))
        _write_root_index(reports, cat, rewrite=bool(todo))

        ordered = [results[(a.code, s.name)] for a, s, _, _, _ in plans]
        for n in ordered:
            entry = record_nbs[f"{n.area}/{n.name}"]
            entry.update(status=n.status, seconds=n.seconds, error=n.error)
        record["finished"] = _now()
        record["status"] = "failed" if any(n.status == "failed" for n in ordered) else "ok"
        record["seconds"] = round(time.perf_counter() - t0, 3)
        _write_json(record_path, record)
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


def _outputs(reports: Path, area: str, name: str) -> tuple[Path, Path, Path]:
    return (
        reports / area / f"{name}.html",
        reports / area / f"{name}.analyst.html",
        reports / EXECUTED_DIR / area / f"{name}.ipynb",
    )


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
    executor: Executor | None,
    progress: bool,
    kernel_mode: str | None,
    exporter: str,
    echo: Callable[[str], None] | None,
) -> None:
    """Submit the stale notebooks, collect results, keep each area's state current."""
    env = kernel_environment(p)
    # The run's folder for the results its pages share (an area's indicator table and
    # assessment): kernels forked from the template inherit them in memory; spawned
    # kernels find them here. Owned by this run, removed when it ends.
    shared = p.root / ".cache" / "results" / str(record["run_id"])
    env["LIS_RESULT_CACHE"] = str(shared)
    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
    own = executor is None
    if executor is None:
        kwargs = {
            "raw": [str(d) for d in inputs.raw_dirs],
            "areas": sorted({pl[0].code for pl in todo}),
        }
        warm = [(target, kwargs) for target in cat.warm]
        env = {**env, "LIS_HOME": str(p.root)}  # the template's warm-up reads this project
        executor = (
            InlineExecutor(env, kernel_mode=kernel_mode, warm=warm)
            if workers == 1
            else LocalProcessExecutor(workers, env, kernel_mode=kernel_mode, warm=warm)
        )
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
    bar = None

    def collect(fut: Future[JobResult]) -> None:
        area, spec, parts, reason = futures[fut]
        done.add(fut)
        try:
            res = fut.result()
        except Exception as exc:  # a worker crashed: the notebook failed, the run goes on
            error = f"{type(exc).__name__}: {exc}".splitlines()[0]
            res = JobResult(area.code, spec.name, "failed", 0.0, error=error)
        _record_result(reports, states, area, spec, parts, res, record)
        results[(area.code, spec.name)] = NotebookRun(
            area.code, spec.name, res.status, round(res.seconds, 2), reason=reason, error=res.error
        )
        if bar is not None:
            bar.set_postfix_str(f"{spec.name} {res.status}", refresh=False)
            bar.update(1)
        if echo and res.status == "failed":
            echo(f"{area.code} {spec.name} failed: {res.error}")

    try:
        if progress:
            from tqdm import tqdm

            bar = tqdm(total=len(todo), unit="notebook", desc="lis run", position=0)
        for area, spec, pdict, parts, reason in todo:
            records = inputs.records_for(spec)
            board, analyst, executed = _outputs(reports, area.code, spec.name)
            data_status = (
                DEMO_STATUS
                if inputs.demo
                else (
                    "Published data: " + "; ".join(_releases(records))
                    if records
                    else "Published data"
                )
            )
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
                "data_status": data_status,
                "cache_key": _sha256_json(parts),
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
                    {"desc": spec.name, "position": 1, "leave": False}
                    if progress and workers == 1
                    else False
                ),
                exporter=exporter,
            )
            fut = executor.submit(job)
            futures[fut] = (area, spec, parts, reason or "")
            if fut.done():  # an in-process executor has already run it
                collect(fut)
        from concurrent.futures import as_completed

        for fut in as_completed([f for f in futures if f not in done]):
            collect(fut)
    finally:
        if bar is not None:
            bar.close()
        if own:
            executor.shutdown()
        shutil.rmtree(shared, ignore_errors=True)


def _record_result(
    reports: Path,
    states: dict[str, dict[str, Any]],
    area: AreaInfo,
    spec: NotebookSpec,
    parts: dict[str, str],
    res: JobResult,
    record: dict[str, Any],
) -> None:
    state = states[area.code]
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
    _write_json(reports / area.code / STATE_FILE, state)


# --------------------------------------------------------------------------------------
# Index pages
# --------------------------------------------------------------------------------------


def _index_env():
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(PACKAGE_DIR / "templates")),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _card(
    spec: NotebookSpec, entry: Mapping[str, Any] | None, prefix: str, inputs: Inputs
) -> dict[str, Any]:
    entry = entry or {}
    summary = entry.get("summary") or {}
    built = entry.get("run_id") is not None
    return {
        "name": spec.name,
        "title": spec.title,
        "description": spec.description,
        "status": entry.get("status") or "not built",
        "built": built,
        "error": entry.get("error"),
        "headline": summary.get("headline"),
        "strengths": summary.get("strengths") or [],
        "weaknesses": summary.get("weaknesses") or [],
        "neutral": summary.get("neutral") or [],
        "board_href": f"{prefix}{spec.name}.html",
        "analyst_href": f"{prefix}{spec.name}.analyst.html",
        "releases": [] if inputs.demo else _releases(inputs.records_for(spec)),
        "run_id": entry.get("run_id"),
        "built_at": entry.get("built"),
    }


def _area_page(
    reports: Path,
    area: AreaInfo,
    cat: Catalogue,
    state: Mapping[str, Any],
    inputs: Inputs,
    prefix: str,
) -> str:
    entries = state.get("notebooks") or {}
    cards = [_card(s, entries.get(s.name), prefix, inputs) for s in cat.notebooks]
    run_ids = sorted({c["run_id"] for c in cards if c["run_id"]})
    return (
        _index_env()
        .get_template("pack_index.html.j2")
        .render(
            kind="pack",
            title=f"{area.name}: {cat.title}",
            area=area,
            cards=cards,
            demo=inputs.demo,
            demo_status=DEMO_STATUS,
            releases=[] if inputs.demo else _releases(inputs.manifest.get("files", [])),
            run_ids=run_ids,
            updated=state.get("updated"),
            package_version=__version__,
            css=_css(),
        )
    )


def _css() -> str:
    try:
        return (PACKAGE_DIR / "templates" / "board" / "lis.css").read_text(encoding="utf-8")
    except OSError:
        return ""


def _write_area_index(
    reports: Path,
    area: AreaInfo,
    cat: Catalogue,
    state: dict[str, Any],
    inputs: Inputs,
    *,
    force: bool,
) -> None:
    path = reports / area.code / "index.html"
    if force or not path.exists():
        state.setdefault("area", dataclasses.asdict(area))
        state["demo"] = inputs.demo
        state["pack_title"] = f"{area.name}: {cat.title}"
        _atomic_write(path, _area_page(reports, area, cat, state, inputs, ""))
        state_path = reports / area.code / STATE_FILE
        if state.get("notebooks") or not state_path.exists():
            _write_json(state_path, state)


def _write_root_index(reports: Path, cat: Catalogue, *, rewrite: bool) -> None:
    """``reports/index.html``: the pack itself when the folder holds one area, else a
    list of the areas (each with its data status and a link to its pack)."""
    path = reports / "index.html"
    if path.exists() and not rewrite:
        return
    packs = []
    for state_path in sorted(reports.glob(f"*/{STATE_FILE}")):
        state = _read_json(state_path) or {}
        if state.get("area"):
            packs.append(state)
    if not packs:
        return
    if len(packs) == 1:
        area_dir = reports / packs[0]["area"]["code"]
        page = (area_dir / "index.html").read_text(encoding="utf-8")
        code = packs[0]["area"]["code"]
        _atomic_write(path, _rebase_links(page, f"{code}/"))
        return
    areas = []
    for st in packs:
        nbs = st.get("notebooks") or {}
        areas.append(
            {
                "code": st["area"]["code"],
                "name": st["area"]["name"],
                "level": st["area"].get("level", ""),
                "href": f"{st['area']['code']}/index.html",
                "demo": bool(st.get("demo")),
                "built": sum(1 for e in nbs.values() if e.get("run_id")),
                "failed": sum(1 for e in nbs.values() if e.get("status") == "failed"),
                "total": len(cat.notebooks),
                "updated": st.get("updated"),
            }
        )
    page = (
        _index_env()
        .get_template("pack_index.html.j2")
        .render(
            kind="areas",
            title=cat.title,
            areas=areas,
            demo=any(a["demo"] for a in areas),
            demo_status=DEMO_STATUS,
            package_version=__version__,
            css=_css(),
        )
    )
    _atomic_write(path, page)


def _rebase_links(page: str, prefix: str) -> str:
    """Prefix the pack-relative links of an area index so it works from ``reports/``."""
    import re

    return re.sub(
        r'href="(?!https?:|#|/|mailto:)([^"]+)"',
        lambda m: f'href="{html.escape(prefix, quote=True)}{m.group(1)}"',
        page,
    )


# --------------------------------------------------------------------------------------
# Watch
# --------------------------------------------------------------------------------------


def _snapshot(folders: Sequence[Path]) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for fname in filenames:
                if fname.startswith("."):
                    continue
                fp = os.path.join(dirpath, fname)
                with contextlib.suppress(OSError):
                    st = os.stat(fp)
                    out[fp] = (st.st_size, st.st_mtime_ns)
    return out


def describe_refresh(summary: RunSummary, cat: Catalogue, root: Path | None = None) -> list[str]:
    """Lines saying what was refreshed and why, e.g. ``data/raw/x.xlsx changed
    (ons_gva_industry_lad) → re-ran 00_overview, 13_business_environment``."""
    ran = [n for n in summary.notebooks if n.status != "skipped"]
    specs = {s.name: s for s in cat.notebooks}
    lines: list[str] = []
    explained: set[tuple[str, str]] = set()

    def show(path: str) -> str:
        if root:
            with contextlib.suppress(ValueError):
                return str(Path(path).relative_to(root))
        return path

    for ch in summary.changes:
        hit = [n for n in ran if n.name in specs and specs[n.name].reads(ch.datasets)]
        names = sorted({n.name for n in hit})
        explained |= {(n.area, n.name) for n in hit}
        what = ", ".join(ch.datasets) or "no dataset"
        verb = {"new": "is new", "changed": "changed", "removed": "was removed"}[ch.change]
        target = f"re-ran {', '.join(names)}" if names else "no notebook reads it"
        lines.append(f"{show(ch.path)} {verb} ({what}) \u2192 {target}")
    others = [n for n in ran if (n.area, n.name) not in explained]
    if others:
        by_reason: dict[str, list[str]] = {}
        for n in others:
            by_reason.setdefault(n.reason or "stale", []).append(n.name)
        for reason, names in by_reason.items():
            lines.append(f"{reason} \u2192 re-ran {', '.join(sorted(set(names)))}")
    failed = [n for n in ran if n.status == "failed"]
    for n in failed:
        lines.append(f"{n.area} {n.name} FAILED: {n.error} (previous pages kept)")
    return lines


def watch(
    params: RunParams,
    *,
    areas: str | Sequence[str] | None = None,
    interval: float = 30.0,
    once: bool = False,
    jobs: int | None = None,
    evidence: str | Path | None = None,
    reports_dir: str | Path | None = None,
    paths: Paths | None = None,
    echo: Callable[[str], None] = print,
    max_polls: int | None = None,
    **run_kwargs: Any,
) -> int:
    """Poll the raw folders (and the evidence folder) every ``interval`` seconds; when a
    file is new, changed or gone, ingest and re-run the notebooks it affects, saying
    what was refreshed and why. Between polls only ``os.stat`` runs.

    Returns the exit code of the last run (0, or 1 when a notebook failed).
    """
    p = paths or default_paths()
    cat_path = run_kwargs.pop("catalogue", None) or p.notebooks / CATALOGUE_FILE
    cat = cat_path if isinstance(cat_path, Catalogue) else load_catalogue(cat_path)
    check_area_codes(parse_areas(areas) or [params.area], params)
    raw_dirs = _raw_dirs(params, p)
    folders = [*raw_dirs, evidence_folder(evidence or params.evidence, raw_dirs, p)]
    if not once:
        echo(f"watching {', '.join(map(str, folders[:-1]))} every {interval:g} s (Ctrl-C to stop)")
    last: dict[str, tuple[int, int]] | None = None
    code = 0
    polls = 0
    while True:
        snap = _snapshot(folders)
        if snap != last:
            try:
                summary = run(
                    params,
                    areas=areas,
                    jobs=jobs,
                    evidence=evidence,
                    reports_dir=reports_dir,
                    paths=p,
                    catalogue=cat,
                    **run_kwargs,
                )
            except ReportsBusy as exc:
                echo(f"{exc} (will try again)")
            else:
                last = snap
                code = summary.exit_code
                lines = describe_refresh(summary, cat, p.root)
                stamp = datetime.now().strftime("%H:%M:%S")
                for line in lines:
                    echo(f"[{stamp}] {line}")
                if not lines and once:
                    echo("up to date: nothing changed since the last run")
        polls += 1
        if once or (max_polls is not None and polls >= max_polls):
            return code
        time.sleep(interval)


__all__ = [
    "ALL_LSIPS",
    "AreaInfo",
    "Catalogue",
    "Executor",
    "InlineExecutor",
    "Inputs",
    "Job",
    "JobResult",
    "LocalProcessExecutor",
    "NotebookRun",
    "NotebookSpec",
    "ReportsBusy",
    "RunSummary",
    "code_hash",
    "describe_refresh",
    "git_commit",
    "derived_datasets",
    "load_catalogue",
    "parse_areas",
    "raw_files",
    "resolve_inputs",
    "run",
    "watch",
]
