"""What a run reads and what it must re-run: inputs, areas, cache keys, output layout.

Standard library and PyYAML only: a run that finds nothing to do never imports pandas.

- **Inputs** (:func:`resolve_inputs`): the raw folders are listed with the store's own
  rules (:func:`lis_analysis._files.list_raw_files`) and each file's content hash (with
  its companions: an ELS CSV's JSON metadata counts as part of the CSV) is compared with
  the store's ``manifest.json``; only when a file is new, changed or gone is the store
  re-ingested. Hashes are remembered with sizes and times (:class:`FileHashes`), so an
  unchanged file is not read again.
- **Areas** (:func:`area_catalogue`, :func:`resolve_areas`): checked against the areas
  the store and the area YAML files define, cached as JSON per store state.
- **Cache keys** (:func:`cache_parts`, :func:`stale_reason`): a notebook is re-run when
  the sha256 of any of these changed: its source, its entry in ``pack.yaml``, its
  parameters, the package code (every file under ``lis_analysis/`` and ``docs/``), the
  input files of the datasets it reads (every input for ``"*"``; lookup files always, as
  they define the areas), and the evidence files when it reads the evidence folder.
- **Layout** (:func:`outputs` and the folder names): where a run writes, per area.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .._files import (
    EVIDENCE_TABLE_SUFFIXES,
    atomic_write_json,
    content_hash,
    evidence_size_problem,
    is_demo_folder,
    list_raw_files,
    processed_dir_for,
    read_json,
    read_store_manifest,
    sha256_file,
    sha256_json,
    stat_stamp,
    tables_changed,
)
from ..config import PACKAGE_DATA, Paths, RunParams
from ..errors import ConfigError, InputError, LisError, printable
from .catalogue import NotebookSpec

log = logging.getLogger(__name__)

#: Bump to invalidate every cache key (a change in what a key means).
KEY_VERSION = 1
ALL_LSIPS = "all-lsips"
#: ``--area`` words that select every area of a level the data defines, and that level.
BATCHES: dict[str, tuple[str, str]] = {
    ALL_LSIPS: ("lsip", "LSIP areas"),
    "all-districts": ("lad", "local authority districts"),
    "all-combined-authorities": ("ca", "combined authorities"),
    "all-itl3": ("itl3", "ITL3 regions"),
}
#: Most codes a file of area codes may hold (a guard against reading the wrong file).
MAX_CODES_IN_FILE = 20_000
DEMO_STATUS = "Demonstrator data: synthetic, not official statistics"

# Where a run writes (under the reports folder).
EXECUTED_DIR = "_executed"
RUNS_DIR = "_runs"
STATE_FILE = "pack.json"
LOCK_FILE = ".lock"


def outputs(reports: Path, area: str, name: str) -> tuple[Path, Path, Path]:
    """A notebook's board page, analyst page and executed notebook."""
    return (
        reports / area / f"{name}.html",
        reports / area / f"{name}.analyst.html",
        reports / EXECUTED_DIR / area / f"{name}.ipynb",
    )


# --------------------------------------------------------------------------------------
# Remembered hashes
# --------------------------------------------------------------------------------------


class FileHashes:
    """sha256 of files, remembered in a JSON file with the sizes and modification times
    they were computed from, so that an unchanged file is not read again.

    A run creates one (``.cache/lis/hashes.json`` under the project), passes it to what
    hashes files, and saves it; ``path=None`` remembers nothing between runs.
    """

    def __init__(self, path: Path | None):
        self.path = path
        known = read_json(path) if path else None
        self._known: dict[str, list[str]] = known if isinstance(known, dict) else {}
        self._dirty = False

    def _get(self, kind: str, path: Path, stamp: str, compute: Callable[[Path], str]) -> str:
        key = f"{kind}:{path}"
        hit = self._known.get(key)
        if isinstance(hit, list) and len(hit) == 2 and hit[0] == stamp:
            return str(hit[1])
        sha = compute(path)
        self._known[key] = [stamp, sha]
        self._dirty = True
        return sha

    def sha256(self, path: Path) -> str:
        """The file's own sha256."""
        st = path.stat()
        return self._get("file", path, f"{st.st_size}:{st.st_mtime_ns}", sha256_file)

    def content_sha256(self, path: Path) -> str:
        """A raw file's sha256 with its companions (:func:`lis_analysis._files.content_hash`),
        as the store's manifest records it in ``content_sha256``."""
        return self._get("content", path, stat_stamp(path), content_hash)

    def save(self) -> None:
        if self.path and self._dirty:
            atomic_write_json(self.path, self._known)
            self._dirty = False


# --------------------------------------------------------------------------------------
# Raw folders and their store
# --------------------------------------------------------------------------------------


def raw_dirs(params: RunParams, p: Paths) -> tuple[Path, ...]:
    """The raw folders of a run, as :func:`lis_analysis.workspace.workspace` resolves
    them: the given ones, else ``data/raw`` if it holds data, else the demonstrator
    (written on first use)."""
    if params.raw:
        dirs = tuple(Path(d).expanduser().resolve() for d in params.raw)
        for d in dirs:
            if not d.is_dir():
                raise ConfigError(f"{d}: raw data folder not found")
        return dirs
    if p.raw.is_dir() and list_raw_files([p.raw]):
        return (p.raw.resolve(),)
    from ..demo_marker import is_current  # light: no generator import

    if not is_current(p.demo_raw):
        from ..workspace import ensure_demo

        ensure_demo(p)
    return (p.demo_raw.resolve(),)


@dataclass(frozen=True)
class InputChange:
    """A raw file that is new, changed or gone since the store was last built."""

    path: str
    change: str  # new | changed | removed
    datasets: tuple[str, ...]


def record_sha(record: Mapping[str, Any]) -> str:
    """What a manifest record's content is known by: the hash of the file with its
    companions (``content_sha256``; the file's own ``sha256`` for older manifests)."""
    return str(record.get("content_sha256") or record.get("sha256") or "")


@dataclass(frozen=True)
class Inputs:
    """The raw folders of a run, their store and its manifest."""

    raw_dirs: tuple[Path, ...]
    processed: Path
    demo: bool
    manifest: dict[str, Any]
    manifest_sha: str
    changes: tuple[InputChange, ...] = ()

    def records_for(self, spec: NotebookSpec, without: Sequence[str] = ()) -> list[dict[str, Any]]:
        """Manifest records of the files a notebook reads: the files of its datasets,
        every file for ``"*"``, and the lookup files (they define the areas) always;
        less the observation files named in ``without`` (those with no row for the
        page's area: ``files_without_rows`` of the area catalogue)."""
        skip = {Path(str(n)).name for n in without}
        out = []
        for f in self.manifest.get("files", []):
            area_file = f.get("kind", "observations") != "observations"  # lookups define the areas
            if not area_file and Path(str(f.get("name", ""))).name in skip:
                continue
            if spec.reads_everything or area_file or spec.reads(f.get("datasets") or []):
                out.append(f)
        return out

    def data_status(self, spec: NotebookSpec, without: Sequence[str] = ()) -> str:
        """The footer's line about the data: demonstrator, or the releases read."""
        if self.demo:
            return DEMO_STATUS
        records = self.records_for(spec, without)
        return "Published data: " + "; ".join(releases(records)) if records else "Published data"


def resolve_inputs(
    params: RunParams, p: Paths, hashes: FileHashes, *, ingest: bool = True
) -> Inputs:
    """Find the raw folders and bring their store up to date: ingest (pandas) only when
    a raw file is new, changed or gone, judged from sizes, times and sha256 alone."""
    dirs = raw_dirs(params, p)
    processed = processed_dir_for(dirs, p.processed, p.raw)
    manifest_path = processed / "manifest.json"
    manifest, problem = read_store_manifest(processed)
    manifest = manifest or {}
    files = [f for _, f in list_raw_files(dirs)]
    if not files:
        raise LisError(f"no data files found in {', '.join(printable(d) for d in dirs)}")
    before = {f["path"]: f for f in manifest.get("files", [])}
    current = {str(f): hashes.content_sha256(f) for f in files}
    changed = [
        (path, "new" if path not in before else "changed")
        for path, sha in current.items()
        if path not in before or record_sha(before[path]) != sha
    ]
    removed = [path for path in before if path not in current]
    # A damaged store (a manifest that does not read, a table whose size or time is not
    # the one recorded with its sha256) is re-ingested, which checks and rebuilds it;
    # two stat calls, so a run with nothing to do stays fast.
    damaged = bool(problem) or bool(manifest and tables_changed(processed, manifest))
    stale = bool(changed or removed) or damaged or not (processed / "observations.parquet").exists()
    if stale and ingest:
        from ..workspace import workspace

        log.info(
            "store out of date (%d new or changed, %d removed): ingesting",
            len(changed),
            len(removed),
        )
        workspace(list(dirs), p=p).ingest()
        manifest = read_store_manifest(processed)[0] or {}
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
        manifest_sha = sha256_file(manifest_path)
    except OSError:
        manifest_sha = ""
    demo = bool(manifest.get("demo")) if manifest else all(is_demo_folder(d) for d in dirs)
    return Inputs(dirs, processed, demo, manifest, manifest_sha, tuple(changes))


def evidence_folder(given: str | Path | None, raw_dirs: Sequence[Path], p: Paths) -> Path:
    """The call-for-evidence and consultation folder, as the page finds it
    (:func:`lis_analysis.config.evidence_folder`)."""
    from ..config import evidence_folder as find

    return find(given, raw_dirs, p)


def evidence_files(folder: Path | None, hashes: FileHashes) -> list[dict[str, str]]:
    """``{name, sha256}`` of every file in the evidence folder (empty when absent).

    Raises
    ------
    InputError
        for a table above its size limit (:func:`lis_analysis._files.evidence_size_problem`):
        refused before any notebook starts, rather than read into gigabytes of memory
        by the pages that show the evidence.
    """
    if folder is None or not folder.is_dir():
        return []
    out = []
    for f in sorted(folder.rglob("*")):
        if f.is_file() and not any(part.startswith(".") for part in f.relative_to(folder).parts):
            if f.suffix.lower() in EVIDENCE_TABLE_SUFFIXES:
                problem = evidence_size_problem(f, f.stat().st_size)
                if problem:
                    raise InputError(f, problem)
            out.append({"name": str(f.relative_to(folder)), "sha256": hashes.sha256(f)})
    return out


def input_entry(rec: Mapping[str, Any]) -> dict[str, Any]:
    """A manifest record as the run record lists it."""
    return {
        "name": rec.get("name") or Path(str(rec.get("path", ""))).name,
        "sha256": rec.get("sha256", ""),
        "release": rec.get("release", ""),
        "publisher": rec.get("publisher", ""),
        "title": rec.get("title", ""),
        "datasets": list(rec.get("datasets") or []),
    }


def releases(records: Sequence[Mapping[str, Any]]) -> list[str]:
    """``publisher, title (release)`` of each record, once each, in order."""
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


# --------------------------------------------------------------------------------------
# Areas
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaInfo:
    code: str
    name: str
    level: str


def parse_areas(value: str | Sequence[str] | None) -> list[str]:
    """``"A,B"``, ``["A", "B,C"]``, a batch word (``"all-lsips"``, ``"all-districts"``,
    ``"all-combined-authorities"``, ``"all-itl3"``) or ``"@FILE"`` -> a list of codes and
    batch words (order kept, each once).

    ``@FILE`` reads a text file of area codes: one or more per line, separated by commas
    or spaces; ``#`` starts a comment; batch words are allowed too.

    Raises
    ------
    ConfigError
        when a file of codes cannot be read, is not text, or holds more than
        :data:`MAX_CODES_IN_FILE` codes.
    """
    if value is None:
        return []
    items = [value] if isinstance(value, str) else list(value)
    out: list[str] = []
    for item in items:
        for token in str(item).split(","):
            token = token.strip()
            codes = _codes_file(token[1:]) if token.startswith("@") else [token] if token else []
            out.extend(c for c in codes if c not in out)
    return out


def _codes_file(name: str) -> list[str]:
    from ..errors import printable

    path = Path(name).expanduser()
    try:
        if path.stat().st_size > 2_000_000:
            raise ConfigError(f"--area @{printable(name)}: file is too large for a list of codes")
        text = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise ConfigError(
            f"--area @{printable(name)}: cannot read the file of area codes ({exc.strerror or exc})"
        ) from None
    except UnicodeDecodeError:
        raise ConfigError(f"--area @{printable(name)}: not a UTF-8 text file") from None
    codes: list[str] = []
    for line in text.splitlines():
        for token in line.split("#", 1)[0].replace(",", " ").split():
            if token not in codes:
                codes.append(token)
    if len(codes) > MAX_CODES_IN_FILE:
        raise ConfigError(
            f"--area @{printable(name)}: more than {MAX_CODES_IN_FILE:,} codes "
            "(is this the right file?)"
        )
    if not codes:
        raise ConfigError(f"--area @{printable(name)}: the file holds no area code")
    return codes


def check_area_codes(codes: Sequence[str], params: RunParams) -> None:
    """Validate the form of every area code (before any data is read)."""
    for code in codes:
        if code not in BATCHES:
            dataclasses.replace(params, area=code)


def area_catalogue(
    inputs: Inputs, params: RunParams, cache_dir: Path, code: str
) -> dict[str, dict[str, Any]]:
    """``{code: {name, level, members, aliases}}`` for every area the store and the
    area YAML files define; built with :class:`~lis_analysis.geography.Geography` once
    per store state and cached as JSON in ``cache_dir``."""
    parts = [inputs.manifest_sha, code, str(inputs.processed)]
    for f in (PACKAGE_DATA / "areas.yaml", params.areas_file):
        if f:
            fp = Path(f).expanduser()
            if not fp.exists():
                raise ConfigError(f"{fp}: areas file not found")
            parts.append(sha256_file(fp))
    key = sha256_json(parts)[:20]
    path = cache_dir / f"areas-{key}.json"
    cached = read_json(path)
    if isinstance(cached, dict):
        return cached
    from .. import store
    from ..geography import Geography

    obs = store.read_observations(inputs.processed)
    geo = Geography.build(store.read_lookups(inputs.processed), obs, areas_file=params.areas_file)
    file_codes = _file_codes(obs)
    table = {
        a.code: {
            "name": a.name,
            "level": a.level,
            "members": list(a.members),
            "aliases": list(a.aliases),
            "files_without_rows": _files_without_rows(a, file_codes),
        }
        for a in geo.areas()
    }
    atomic_write_json(path, table)
    for old in sorted(cache_dir.glob("areas-*.json"), key=lambda f: f.stat().st_mtime)[:-8]:
        with contextlib.suppress(OSError):
            old.unlink()  # keep the catalogues of the last few stores
    return table


def _file_codes(obs: Any) -> dict[str, set[str]]:
    """``{file name: the geography codes it has rows for}`` (on integer codes: the
    observations' text columns are slow to loop over)."""
    import numpy as np
    import pandas as pd

    if obs is None or not len(obs):
        return {}
    f_code, f_u = pd.factorize(obs["source_file"].to_numpy(dtype=object))
    g_code, g_u = pd.factorize(obs["geography_code"].to_numpy(dtype=object))
    pairs = np.unique(np.stack([f_code, g_code], axis=1), axis=0)
    out: dict[str, set[str]] = {}
    for fi, gi in pairs:
        if fi >= 0 and gi >= 0:
            out.setdefault(str(f_u[fi]), set()).add(str(g_u[gi]))
    return out


def _files_without_rows(area: Any, file_codes: Mapping[str, set[str]]) -> list[str]:
    """The observation files with no row for the area, its districts, its region or the
    nations (UK, England): files a page of that area reads nothing from (the combined
    authorities' BRES file, for an area that is not one), so its footer does not list
    them as inputs."""
    from ..geography import ENGLAND, UK

    reach = {area.code, *area.members, *area.aliases, UK, ENGLAND, "UKX"}
    if getattr(area, "region", None):
        reach.add(area.region)
    return sorted(f for f, codes in file_codes.items() if not codes & reach)


def resolve_areas(
    requested: Sequence[str], catalogue: Mapping[str, Mapping[str, Any]]
) -> list[AreaInfo]:
    """The areas of a run, checked against the catalogue (batch words expanded)."""
    out: list[AreaInfo] = []
    seen: set[str] = set()
    for code in requested:
        if code in BATCHES:
            level, label = BATCHES[code]
            codes = sorted(c for c, a in catalogue.items() if a.get("level") == level)
            if not codes:
                raise ConfigError(
                    f"--area {code}: the data defines no {label} (a lookup file that names "
                    f"them is needed; 'lis areas --level {level}' lists them)"
                )
            found = [AreaInfo(c, str(catalogue[c]["name"]), level) for c in codes]
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
        for info in found:
            if info.code not in seen:
                seen.add(info.code)
                out.append(info)
    return out


# --------------------------------------------------------------------------------------
# Cache keys: what to re-run
# --------------------------------------------------------------------------------------


def cache_parts(
    spec: NotebookSpec,
    *,
    source_sha: str,
    parameters: Mapping[str, Any],
    code: str,
    records: Sequence[Mapping[str, Any]],
    evidence: Sequence[Mapping[str, str]],
    demo: bool,
) -> dict[str, str]:
    """The parts of a notebook's cache key, each a sha256 (see the module docstring).
    The inputs are known by their content with companions (:func:`record_sha`)."""
    return {
        "version": str(KEY_VERSION),
        "source": source_sha,
        "entry": sha256_json(dataclasses.asdict(spec)),
        "parameters": sha256_json(parameters),
        "code": code,
        "inputs": sha256_json(sorted((r.get("name", ""), record_sha(r)) for r in records)),
        "evidence": sha256_json(list(evidence) if spec.evidence else []),
        "demo": str(demo),
    }


_REASONS = {
    "inputs": "inputs changed",
    "source": "notebook changed",
    "parameters": "parameters changed",
    "code": "package code changed",
    "evidence": "evidence changed",
    "entry": "pack.yaml entry changed",
    "demo": "data changed",
    "version": "cache format changed",
}


def stale_reason(
    old: Mapping[str, Any] | None, parts: Mapping[str, str], outputs_exist: bool, force: bool
) -> str | None:
    """Why a notebook must run, given its entry in the area's ``pack.json`` (``old``)
    and its cache key ``parts``; None when it is up to date."""
    if force:
        return "--force"
    if not old:
        return "first run"
    if old.get("status") == "failed" and old.get("failed_parts") == dict(parts):
        return "failed last time"
    if old.get("status") != "ok" and not old.get("parts"):
        return "first run"
    prev = old.get("parts") or {}
    why = [
        _REASONS.get(k, f"{k} changed")
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


__all__ = [
    "ALL_LSIPS",
    "BATCHES",
    "AreaInfo",
    "FileHashes",
    "InputChange",
    "Inputs",
    "area_catalogue",
    "cache_parts",
    "check_area_codes",
    "evidence_files",
    "evidence_folder",
    "outputs",
    "parse_areas",
    "raw_dirs",
    "releases",
    "resolve_areas",
    "resolve_inputs",
    "stale_reason",
]
