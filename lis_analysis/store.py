"""The tidy store: ``data/processed`` written atomically, with a manifest of every input.

``ingest`` walks the raw folders, parses each file with the parser that recognises it and
writes one parquet part per input (content-addressed by sha256, so an unchanged file is
never parsed twice), then the combined ``observations.parquet`` and ``lookups.parquet``
and ``manifest.json`` (sha256, size, parser, release and rows of every input).

- Raw files are opened read-only; nothing here writes to a raw folder.
- Every output is written to a temporary file and moved into place (``os.replace``), so
  an interrupted ingest leaves the previous store intact; a lock stops two ingests
  writing at once.
- A bad file stops the ingest with an :class:`~lis_analysis.errors.InputError` before the
  store changes (all files are parsed first; the store is replaced only if all succeed).
- Re-ingesting skips files whose sha256 did not change; a changed file replaces exactly
  its own rows (its part is rebuilt, the others are reused).

The default raw folder ``data/raw`` is stored in ``data/processed``; any other set of raw
folders (the demonstrator, ``--raw ../shared/data/public``) gets its own store under
``data/processed/sets/<label>`` so that switching between them never mixes or thrashes
data, while the parsed parts are shared.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from . import __version__
from ._files import (
    IGNORED,
    IGNORED_DIRS,
    STORE_TABLES,
    atomic_path,
    atomic_write_bytes,
    atomic_write_text,
    companions,
    content_hash,
    file_stamp,
    is_demo_folder,
    list_raw_files,
    locked,
    processed_dir_for,
    read_store_manifest,
    sha256_file,
    stat_stamp,
)
from .demo_marker import DEMO_MARKER
from .errors import InputError, LisError, printable

log = logging.getLogger(__name__)

#: Parser code version stamp: a part made by an older parser version is rebuilt.
PARSER_EPOCH = 3  # 3: strict numbers, year markers, size and extent limits (issue 13)


# --------------------------------------------------------------------------------------
# Files and hashes: the package's one writer, lock, hasher and raw-folder listing live in
# lis_analysis._files (standard library only, so that `lis run` can use them without
# pandas); they are the store's rules and are importable from here.
# --------------------------------------------------------------------------------------


def atomic_write_parquet(df: pd.DataFrame, path: Path) -> None:
    """Write a DataFrame as parquet atomically."""
    with atomic_path(path) as tmp:
        df.to_parquet(tmp, index=False, compression="zstd")


# --------------------------------------------------------------------------------------
# Manifest
# --------------------------------------------------------------------------------------


@dataclass
class FileRecord:
    """One input file as recorded in the manifest."""

    path: str
    name: str
    sha256: str
    size: int
    parser: str
    kind: str
    datasets: list[str]
    publisher: str
    title: str
    release: str
    rows: int
    demo: bool
    warnings: list[str] = field(default_factory=list)
    metadata: dict[str, Any] = field(default_factory=dict)
    status: str = "parsed"  # parsed | unchanged
    #: sha256 of the file and its companions together (what change detection compares)
    content_sha256: str = ""
    #: metadata files read with this one (name -> sha256), e.g. an ELS CSV's JSON
    companions: dict[str, str] = field(default_factory=dict)
    #: size and modification times (file and companions) when last hashed: if none
    #: changed, the file is not read again to recompute its sha256
    stamp: str = ""
    #: sha256 of the file's stored part (``parts/``) and its ``size:mtime_ns`` when it
    #: was hashed: a part that no longer matches is parsed again
    part_sha256: str = ""
    part_stamp: str = ""


@dataclass
class IngestReport:
    """What an ingest did: one record per file, totals, and where the store is."""

    processed: Path
    files: list[FileRecord]
    rows: int
    seconds: float
    changed: bool
    demo: bool
    #: what was found damaged in the store and rebuilt (one line each)
    repairs: list[str] = field(default_factory=list)

    def table(self) -> str:
        """The file -> parser -> rows -> warnings table printed by ``lis ingest``."""
        head = ("file", "parser", "release", "rows", "status", "warnings")
        lines = [head]
        for f in self.files:
            lines.append(
                (f.name, f.parser, f.release or "-", f"{f.rows:,}", f.status, str(len(f.warnings)))
            )
        widths = [min(60, max(len(str(r[i])) for r in lines)) for i in range(len(head))]
        out = []
        for i, r in enumerate(lines):
            out.append(
                "  ".join(str(c)[:60].ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
            )
            if i == 0:
                out.append("  ".join("-" * w for w in widths))
        warn = [(f.name, w) for f in self.files for w in f.warnings]
        if warn:
            out.append("")
            out.append("warnings:")
            out.extend(f"  {name}: {w}" for name, w in warn)
        if self.repairs:
            out.append("")
            out.append("repaired:")
            out.extend(f"  {r}" for r in self.repairs)
        out.append("")
        what = "demonstrator data (synthetic)" if self.demo else "published data"
        out.append(
            f"{len(self.files)} files, {self.rows:,} observations of {what} in {self.processed} "
            f"({'updated' if self.changed else 'unchanged'}, {self.seconds:.2f} s)"
        )
        return "\n".join(out)


def read_manifest(processed: Path) -> dict[str, Any] | None:
    """The store's manifest, or None when it is missing, unreadable or malformed (the
    next ingest then rebuilds the store and says why)."""
    return read_store_manifest(processed)[0]


# --------------------------------------------------------------------------------------
# Ingest
# --------------------------------------------------------------------------------------


def _parts_dir(processed_root: Path) -> Path:
    return processed_root / "parts"


def _part_path(parts: Path, sha: str, kind: str) -> Path:
    return parts / f"{sha[:20]}.{kind}.v{PARSER_EPOCH}.parquet"


def _parse_one(raw_dir: Path, path: Path, sha: str, parts: Path) -> tuple[FileRecord, pd.DataFrame]:
    from .sources import detect

    source = detect(path)
    df = source.parse(path)
    warnings = [str(w) for w in df.attrs.get("warnings", [])]
    metadata = dict(df.attrs.get("metadata", {}) or {})
    # A parser that reads several publishers' files (ELS: the JSON's source organisation)
    # names this file's publisher and table itself.
    publisher = str(df.attrs.get("publisher") or getattr(source, "publisher", ""))
    title = str(df.attrs.get("title") or getattr(source, "title", ""))
    demo = is_demo_folder(raw_dir)
    if source.kind == "observations":
        df = df.copy()
        df["demo"] = demo
        if demo:
            df["release"] = "demonstrator"
        datasets = sorted(df["dataset"].dropna().unique().tolist())
        release = ", ".join(sorted(set(df["release"].dropna().astype(str)) - {""}))
    else:
        datasets = [source.dataset]
        release = (
            "demonstrator"
            if demo
            else ", ".join(sorted(set(df["release"].dropna().astype(str)) - {""}))
        )
    df.attrs = {}
    comp = {c.name: sha256_file(c) for c in companions(path)}
    rec = FileRecord(
        path=str(path),
        name=path.name,
        sha256=sha256_file(path) if comp else sha,
        content_sha256=sha,
        companions=comp,
        size=path.stat().st_size,
        parser=source.name,
        kind=source.kind,
        datasets=datasets,
        publisher=publisher,
        title=title,
        release=release,
        rows=len(df),
        demo=demo,
        warnings=warnings,
        metadata=metadata,
    )
    return rec, df


def ingest(
    raw_dirs: Sequence[str | Path],
    processed: str | Path,
    *,
    parts_root: str | Path | None = None,
    jobs: int = 1,
    force: bool = False,
    verify: bool = False,
) -> IngestReport:
    """Parse, validate and store every file under ``raw_dirs`` into ``processed``.

    Parameters
    ----------
    raw_dirs : folders of files as published (read only)
    processed : the store folder (``observations.parquet``, ``lookups.parquet``, ``manifest.json``)
    parts_root : where per-file parts are cached (default: ``processed``); shared between stores
    jobs : parse changed files in this many processes
    force : re-parse every file even if its sha256 is unchanged
    verify : recompute the sha256 of every stored table and part and compare it with the
        manifest (``lis ingest`` does); otherwise only those whose size or modification
        time changed since they were hashed are read (fast enough for every ``lis run``)

    Returns
    -------
    IngestReport
        one record per file (parser, release, rows, warnings), totals, whether anything
        changed, and what was found damaged and rebuilt (``repairs``).

    A damaged store is rebuilt, with a message (a warning in the log and a line of the
    report): a manifest that is not valid JSON or not shaped as one, a stored table or
    part whose sha256 is not the one recorded when it was written (truncated, edited,
    overwritten), or one that is missing.

    Raises
    ------
    InputError
        for the first bad file (naming file, sheet, row, column); the store is unchanged.
    """
    t0 = time.perf_counter()
    dirs = [Path(d) for d in raw_dirs]
    processed = Path(processed)
    parts = _parts_dir(Path(parts_root) if parts_root else processed)
    files = list_raw_files(dirs)
    if not files:
        raise LisError(f"no data files found in {', '.join(printable(d) for d in dirs)}")
    repairs: list[str] = []

    with locked(processed):
        previous, problem = read_store_manifest(processed)
        if problem:
            repairs.append(f"manifest.json {problem}: the store was rebuilt from the raw files")
        previous = previous or {}
        prev_by_path = {f["path"]: f for f in previous.get("files", [])}
        # A file whose size and mtime are unchanged since it was hashed keeps its hash
        # (raw files are never modified in place; --force re-reads everything).
        stamps = {p: stat_stamp(p) for _, p in files}
        hashes = {}
        for _, p in files:
            prev = prev_by_path.get(str(p))
            if not force and prev and prev.get("stamp") == stamps[p] and prev.get("content_sha256"):
                hashes[p] = prev["content_sha256"]
            else:
                hashes[p] = content_hash(p)
        seen: dict[str, Path] = {}
        for _, p in files:
            if hashes[p] in seen:
                raise InputError(
                    p, f"the same file as {seen[hashes[p]]} (identical content); keep one of them"
                )
            seen[hashes[p]] = p
        records: list[FileRecord] = []
        todo: list[tuple[Path, Path, str]] = []
        known = {f.name for f in fields(FileRecord)}
        for raw_dir, p in files:
            sha = hashes[p]
            prev = prev_by_path.get(str(p))
            if (
                not force
                and prev
                and prev.get("content_sha256", prev["sha256"]) == sha
                and _part_ok(prev, _part_path(parts, sha, prev["kind"]), verify, repairs)
            ):
                kept = {k: v for k, v in prev.items() if k in known}
                rec = FileRecord(**{**kept, "status": "unchanged", "stamp": stamps[p]})
                records.append(rec)
            else:
                todo.append((raw_dir, p, sha))
                records.append(None)  # type: ignore[arg-type]

        parsed = _parse_all(todo, parts, jobs)
        for rec in parsed:
            rec.stamp = stamps[Path(rec.path)]
        it = iter(parsed)
        records = [r if r is not None else next(it) for r in records]
        stamp_changed = any(
            prev_by_path.get(r.path, {}).get("stamp") != r.stamp
            for r in records
            if r.status == "unchanged"
        )

        same_set = sorted(prev_by_path) == sorted(str(p) for _, p in files)
        changed = bool(todo) or not same_set
        tables = previous.get("tables") or {}
        if not changed:
            damaged = _damaged_tables(processed, tables, verify)
            for name, why in damaged.items():
                repairs.append(f"{name} {why}: rebuilt from the stored parts")
            changed = bool(damaged)
        if changed:
            _combine(records, parts, processed)
            tables = {}
        for r in records:  # record each part's checksum (once: then only its stamp is read)
            part = _part_path(parts, r.content_sha256 or r.sha256, r.kind)
            if not r.part_sha256 or r.status != "unchanged":
                r.part_sha256, r.part_stamp = sha256_file(part), file_stamp(part)
        missing = [t for t in STORE_TABLES if t not in tables]
        tables = {**tables, **{t: _table_entry(processed / t) for t in missing}}
        for repair in repairs:
            log.warning("%s: %s", printable(processed), repair)
        if changed or stamp_changed or missing or repairs or _parts_changed(prev_by_path, records):
            manifest = {
                "generated": datetime.now(UTC).isoformat(timespec="seconds"),
                "package_version": __version__,
                "raw_dirs": [str(d) for d in dirs],
                "demo": all(r.demo for r in records),
                "rows": sum(r.rows for r in records if r.kind == "observations"),
                "files": [asdict(r) for r in records],
                "tables": tables,
            }
            atomic_write_text(
                processed / "manifest.json", json.dumps(manifest, indent=1, default=str)
            )
    rows = sum(r.rows for r in records if r.kind == "observations")
    return IngestReport(
        processed=processed,
        files=records,
        rows=rows,
        seconds=time.perf_counter() - t0,
        changed=changed,
        demo=all(r.demo for r in records),
        repairs=repairs,
    )


def _parts_changed(prev_by_path: dict[str, dict[str, Any]], records: list[FileRecord]) -> bool:
    """Whether any part's recorded checksum differs from the previous manifest's (a
    part re-parsed, or one recorded for the first time)."""
    return any(
        (prev_by_path.get(r.path) or {}).get("part_sha256") != r.part_sha256 for r in records
    )


def _table_entry(path: Path) -> dict[str, str]:
    return {"sha256": sha256_file(path), "stamp": file_stamp(path)}


def _part_ok(prev: dict[str, Any], part: Path, verify: bool, repairs: list[str]) -> bool:
    """Whether the stored part of an unchanged file can be used: it exists and, when its
    sha256 was recorded, still has it (read only when its size or time changed, or when
    ``verify``). A damaged part is noted in ``repairs`` and the file is parsed again."""
    name = prev.get("name") or Path(prev["path"]).name
    try:
        stamp = file_stamp(part)
    except OSError:
        if prev.get("part_sha256"):
            repairs.append(f"the stored part of {printable(name)} is missing: parsed again")
        return False
    want = prev.get("part_sha256")
    if not want or (stamp == prev.get("part_stamp") and not verify):
        return True
    if sha256_file(part) == want:
        return True
    repairs.append(
        f"the stored part of {printable(name)} does not match its checksum (damaged): parsed again"
    )
    return False


def _damaged_tables(processed: Path, tables: dict[str, Any], verify: bool) -> dict[str, str]:
    """The store tables that are missing or no longer have the sha256 recorded when they
    were written (read only when their size or time changed, or when ``verify``)."""
    out = {}
    for name in STORE_TABLES:
        path = processed / name
        entry = tables.get(name)
        try:
            stamp = file_stamp(path)
        except OSError:
            out[name] = "is missing"
            continue
        if not isinstance(entry, dict) or not entry.get("sha256"):
            continue  # recorded by an older version: its checksum is recorded now
        if stamp == entry.get("stamp") and not verify:
            continue
        if sha256_file(path) != entry["sha256"]:
            out[name] = "does not match its checksum (damaged)"
    return out


def _parse_and_store(args: tuple[Path, Path, str, Path]) -> FileRecord:
    raw_dir, path, sha, parts = args
    rec, df = _parse_one(raw_dir, path, sha, parts)
    if rec.kind == "observations":
        from .sources._base import STRING_COLUMNS

        _atomic_write_table(_dictionary_table(df, STRING_COLUMNS), _part_path(parts, sha, rec.kind))
    else:
        atomic_write_parquet(df, _part_path(parts, sha, rec.kind))
    return rec


def _parse_all(todo: list[tuple[Path, Path, str]], parts: Path, jobs: int) -> list[FileRecord]:
    args = [(r, p, s, parts) for r, p, s in todo]
    if jobs > 1 and len(args) > 1:
        from concurrent.futures import ProcessPoolExecutor

        from ._procs import die_with_parent, stop_pool

        # Largest files first so the two workers finish together.
        order = sorted(range(len(args)), key=lambda i: -args[i][1].stat().st_size)
        # The workers end with this process, however it ends (they were orphaned by a
        # SIGTERM and hung); on Ctrl-C, SIGTERM or a bad file they are stopped at once
        # rather than waited for, and the lock is released on the way out.
        ex = ProcessPoolExecutor(max_workers=jobs, initializer=die_with_parent)
        try:
            results = dict(
                zip(order, ex.map(_parse_and_store, [args[i] for i in order]), strict=True)
            )
        except BaseException:
            stop_pool(ex)
            raise
        ex.shutdown(wait=True)
        return [results[i] for i in range(len(args))]
    return [_parse_and_store(a) for a in args]


def _dictionary_table(df: pd.DataFrame, columns: Sequence[str]):
    """An Arrow table of ``df`` whose text columns are dictionary-encoded (a few distinct
    values repeated over many rows: a fraction of the memory; categoricals in pandas)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    t = pa.Table.from_pandas(df, preserve_index=False).replace_schema_metadata(None)
    for name in columns:
        i = t.schema.get_field_index(name)
        if i < 0:
            continue
        typ = t.schema.field(i).type
        if pa.types.is_dictionary(typ):
            continue
        if pa.types.is_null(typ) or pa.types.is_string(typ) or pa.types.is_large_string(typ):
            t = t.set_column(i, name, pc.dictionary_encode(t.column(i).cast(pa.string())))
    return t


def _read_part(path: Path, columns: Sequence[str]):
    """A part as an Arrow table with its text columns dictionary-encoded."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    t = pq.read_table(path, read_dictionary=list(columns)).replace_schema_metadata(None)
    for name in columns:  # parts written by an older version: encode here
        i = t.schema.get_field_index(name)
        if i >= 0 and not pa.types.is_dictionary(t.schema.field(i).type):
            t = t.set_column(i, name, pc.dictionary_encode(t.column(i).cast(pa.string())))
    return t


def _combine(records: list[FileRecord], parts: Path, processed: Path) -> None:
    """Concatenate the parts into the store, resolving releases of the same dataset:
    where two files give the same key, the later release wins (a warning says so); two
    files of the same release giving the same key is an error. Done in Arrow with
    dictionary-encoded text (2 million rows take a few hundred MB, not gigabytes)."""
    import pyarrow as pa

    from .sources._base import LOOKUP_COLUMNS, STRING_COLUMNS, TIDY_COLUMNS

    obs_tables, lk_frames = [], []
    for r in records:
        path = _part_path(parts, r.content_sha256 or r.sha256, r.kind)
        if r.kind == "observations":
            obs_tables.append(_read_part(path, STRING_COLUMNS))
        else:
            lk_frames.append(pd.read_parquet(path))
    if obs_tables:
        schema = obs_tables[0].schema
        table = (
            pa.concat_tables([t.cast(schema) for t in obs_tables])
            .unify_dictionaries()
            .combine_chunks()
        )
        if len(obs_tables) > 1:
            table = _resolve_releases(table, records)
    else:
        table = pa.Table.from_pandas(pd.DataFrame(columns=TIDY_COLUMNS), preserve_index=False)
    lookups = (
        pd.concat(lk_frames, ignore_index=True)
        if lk_frames
        else pd.DataFrame(columns=LOOKUP_COLUMNS)
    )
    _atomic_write_table(table, processed / "observations.parquet")
    atomic_write_parquet(lookups, processed / "lookups.parquet")


def _atomic_write_table(table, path: Path) -> None:
    import pyarrow.parquet as pq

    with atomic_path(path) as tmp:
        pq.write_table(table, tmp, compression="zstd")


def _key_codes(table, columns: Sequence[str]):
    """One int64 per row identifying its key (the columns' dictionary indices combined)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    key = np.zeros(table.num_rows, dtype=np.int64)
    for name in columns:
        col = table.column(name)
        if pa.types.is_dictionary(col.type):
            idx = col.combine_chunks().indices.to_numpy(zero_copy_only=False)
            arr = (
                np.where(np.isnan(idx.astype(float)), -1, idx).astype(np.int64)
                if idx.dtype.kind == "f"
                else idx.astype(np.int64)
            )
            null = col.combine_chunks().is_null().to_numpy(zero_copy_only=False)
            arr = np.where(null, -1, arr)
            n = len(col.combine_chunks().dictionary) + 1
        else:
            codes, uniques = pd.factorize(
                pc.cast(col, pa.string()).to_pandas(), use_na_sentinel=True
            )
            arr, n = codes.astype(np.int64), len(uniques) + 1
        key = key * n + (arr + 1)
    return key


def _resolve_releases(table, records: list[FileRecord]):
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from .sources._base import KEY_COLUMNS

    key = _key_codes(table, KEY_COLUMNS)
    uniq, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
    dup = counts[inverse] > 1
    if not dup.any():
        return table
    clash = (
        table.filter(pa.array(dup))
        .select(["dataset", "geography_code", "measure", "period", "source_file", "release"])
        .to_pandas()
    )
    files = clash.groupby("source_file", observed=True)["release"].first()
    if files.nunique() < len(files):
        names = ", ".join(sorted(map(str, files.index)))
        raise InputError(
            names.split(", ")[0],
            f"the same numbers ({clash['dataset'].iloc[0]}, e.g. {clash['geography_code'].iloc[0]} "
            f"{clash['measure'].iloc[0]} {clash['period'].iloc[0]}) come from more than one file of the "
            f"same release: {names}; keep one of them",
        )
    # Later release wins: among rows with the same key keep the one with the latest release.
    rel = (
        pc.cast(table.column("release"), pa.string()).to_pandas().fillna("").to_numpy(dtype=object)
    )
    order = np.lexsort((np.arange(len(key)), rel.astype(str), key))
    last = np.ones(len(order), dtype=bool)
    last[:-1] = key[order][1:] != key[order][:-1]
    keep = np.zeros(len(key), dtype=bool)
    keep[order[last]] = True
    dropped = int((~keep).sum())
    newest = max(map(str, files))
    for r in records:
        if r.name in set(map(str, files.index)) and r.release != newest:
            r.warnings.append(
                f"{dropped:,} observations superseded by a later release of {clash['dataset'].iloc[0]}"
            )
    return table.filter(pa.array(keep))


# --------------------------------------------------------------------------------------
# Reading the store
# --------------------------------------------------------------------------------------

_cache: dict[tuple[str, str], tuple[float, pd.DataFrame]] = {}


def read_observations(processed: str | Path) -> pd.DataFrame:
    """The stored observations (cached in memory until the store changes)."""
    return _read(Path(processed), "observations.parquet")


def read_lookups(processed: str | Path) -> pd.DataFrame:
    """The stored lookups (district -> ITL, region, combined authority, LSIP; LEP names)."""
    return _read(Path(processed), "lookups.parquet")


def _read(processed: Path, name: str) -> pd.DataFrame:
    path = processed / name
    if not path.exists():
        raise LisError(f"{processed}: no {name}; run 'lis ingest' first")
    mtime = path.stat().st_mtime
    key = (str(path.resolve()), name)
    hit = _cache.get(key)
    if hit and hit[0] == mtime:
        return hit[1]
    import pyarrow as pa
    import pyarrow.parquet as pq

    # Dictionary-encoded text comes back as pandas categoricals (small and fast to filter).
    try:
        df = pq.read_table(path).to_pandas()
    except (OSError, pa.ArrowException) as exc:  # damaged since the last ingest checked it
        raise LisError(
            f"{printable(path)}: the store is damaged ({str(exc).splitlines()[0][:200]}); "
            "run 'lis ingest' to rebuild it"
        ) from None
    _cache[key] = (mtime, df)
    return df


__all__ = [
    # the store
    "PARSER_EPOCH",
    "FileRecord",
    "IngestReport",
    "atomic_write_parquet",
    "ingest",
    "read_lookups",
    "read_manifest",
    "read_observations",
    # its file rules (defined in lis_analysis._files)
    "DEMO_MARKER",
    "IGNORED",
    "IGNORED_DIRS",
    "atomic_write_bytes",
    "atomic_write_text",
    "companions",
    "content_hash",
    "is_demo_folder",
    "list_raw_files",
    "locked",
    "processed_dir_for",
    "sha256_file",
    "stat_stamp",
]
