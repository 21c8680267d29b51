"""Files, the one way the package handles them: standard library only, on every platform.

Everything that writes, locks, hashes or lists files goes through here, so there is one
implementation of each and the pack's "nothing changed" path can use them without
importing pandas:

- **writing**: :func:`atomic_write` (bytes or text), :func:`atomic_write_json`, and
  :func:`atomic_path` for writers that need a file name (parquet): the data goes to a
  temporary file in the same folder, which then replaces the target (``os.replace``), so
  a reader never sees half a file and an interrupted write leaves the old one; files
  that must change together (a board page, its analyst page and the index that lists
  them) are :func:`stage` d, then :func:`commit` ted as one change through a journal
  that :func:`recover` finishes if the process died half-way;
- **locking**: :func:`locked`, an exclusive lock on a file in a folder (``fcntl.flock`` on
  POSIX, ``msvcrt.locking`` on Windows, imported when first needed), which waits up to a
  timeout and then fails with a clear :class:`LockBusy` naming the holder;
- **hashing**: :func:`sha256_file`; :func:`content_hash`, the hash of a raw file *with its
  companions* (an Explore Local Statistics CSV's JSON metadata is part of the CSV: a
  change to the JSON alone is a change to the file); :func:`stat_stamp`, sizes and times
  that say whether a remembered hash still holds; :func:`sha256_json` for cache keys;
  :func:`code_hash` for the package's own code; :func:`git_commit`;
- **the raw folders**, as the store reads them: :func:`list_raw_files` (which files are
  data: not READMEs, manifests, hidden files, the evidence folder, or the metadata of a
  CSV), :func:`is_demo_folder` and :func:`processed_dir_for` (where their store lives);
- **inputs shipped to another machine** (``lis run --executor dask``): :func:`input_path`
  and :func:`shipped_store` say where this process reads an input that the run names by
  the client's path (unchanged unless ``$LIS_INPUTS`` names a map of shipped inputs).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from .demo_marker import DEMO_MARKER
from .errors import LisError, printable

log = logging.getLogger(__name__)

#: The package folder: what :func:`code_hash` covers and where :func:`git_commit` starts.
PACKAGE_DIR = Path(__file__).resolve().parent

# --------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[Path]:
    """A temporary file beside ``path`` for a writer that needs a file name; when the
    block ends without an error it replaces ``path``, otherwise it is removed.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
    >>> with atomic_path(target) as tmp:
    ...     _ = tmp.write_text("done")
    >>> target.read_text()
    'done'
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; outputs are there to be read
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def atomic_write(path: str | os.PathLike[str], data: bytes | str, *, fsync: bool = False) -> Path:
    """Write ``data`` (text is written as UTF-8, newlines as given) to ``path`` atomically.

    ``fsync=True`` also flushes the data to disk before the rename (the store's manifest);
    pages and records, which a run rebuilds, do without.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    with atomic_path(path) as tmp, open(tmp, "wb") as fh:
        fh.write(raw)
        if fsync:
            fh.flush()
            os.fsync(fh.fileno())
    return Path(path)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """:func:`atomic_write` for bytes, flushed to disk (the store's and caches' files)."""
    return atomic_write(path, data, fsync=True)


def atomic_write_text(path: str | os.PathLike[str], text: str) -> Path:
    """:func:`atomic_write` for text (UTF-8), flushed to disk."""
    return atomic_write(path, text, fsync=True)


def atomic_write_json(path: str | os.PathLike[str], obj: Any) -> Path:
    """``obj`` as indented JSON (anything unusual as its ``str``), written atomically."""
    return atomic_write(path, json.dumps(obj, indent=1, default=str) + "\n")


# --------------------------------------------------------------------------------------
# Writing several files as one: staged, then committed together
# --------------------------------------------------------------------------------------

#: Suffix of a file written beside its target and waiting for :func:`commit`.
STAGED_SUFFIX = ".staged"


def stage(path: str | os.PathLike[str], data: bytes | str) -> Path:
    """Write ``data`` to a new file beside ``path`` (``.NAME.XXXX.staged``) and return it;
    ``path`` is untouched until :func:`commit` puts it in place.

    Staging every file of a set first means that a failure while writing (a full disk:
    ``OSError(ENOSPC)``) happens before any target changes; the caller then
    :func:`discard` s what it staged and every target keeps its old version.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=STAGED_SUFFIX, dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(raw)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; outputs are there to be read
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    return Path(tmp)


def discard(staged: Iterable[str | os.PathLike[str]]) -> None:
    """Remove staged files (a set that will not be committed)."""
    for tmp in staged:
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def commit(
    journal: str | os.PathLike[str],
    replace: Sequence[tuple[str | os.PathLike[str], str | os.PathLike[str]]],
    remove: Sequence[str | os.PathLike[str]] = (),
) -> None:
    """Put staged files in place as one change: ``replace`` is ``(staged, target)``
    pairs, ``remove`` files to delete afterwards.

    The pairs are first written to ``journal`` (atomically), then each staged file
    replaces its target (``os.replace``: no copying, nothing that can fill a disk), then
    the journal is removed. If the process dies in between, :func:`recover` (called
    before the next change to the same files, under the same lock) finishes the job from
    the journal: every staged file was complete before the journal was written, so the
    set ends up all new. Run it inside
    :func:`lis_analysis._procs.deferred_interrupts` so that Ctrl-C or SIGTERM waits for
    the few renames.
    """
    entry = {
        "replace": [[str(a), str(b)] for a, b in replace],
        "remove": [str(r) for r in remove],
    }
    atomic_write(journal, json.dumps(entry), fsync=True)  # (fails: nothing has changed)
    try:
        _apply(entry)
    except OSError:
        try:
            _apply(entry)  # once more: each step is done at most once
        except OSError as exc:
            raise CommitIncomplete(journal, exc) from None
    with contextlib.suppress(FileNotFoundError):
        os.unlink(journal)


class CommitIncomplete(OSError):
    """Some files of a :func:`commit` are in place and some are not, and finishing it
    failed too; its journal stays, for :func:`recover` to finish the change later."""

    def __init__(self, journal: str | os.PathLike[str], cause: OSError) -> None:
        super().__init__(cause.errno, cause.strerror or str(cause), str(journal))
        self.journal = Path(journal)


def _apply(entry: dict[str, Any]) -> None:
    for tmp, target in entry.get("replace") or []:
        if os.path.exists(tmp):  # (already moved, if an earlier attempt got this far)
            os.replace(tmp, target)
    for path in entry.get("remove") or []:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


def recover(journal: str | os.PathLike[str]) -> bool:
    """Finish a :func:`commit` that was cut short (its journal is still there); True
    when there was one. A journal that cannot be read is removed (it was being written,
    so no target had changed yet)."""
    if not os.path.exists(journal):
        return False
    entry = read_json(journal)
    if isinstance(entry, dict):
        _apply(entry)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(journal)
    return True


def discard_stale_staged(
    folder: str | os.PathLike[str], journal: str | os.PathLike[str] | None = None
) -> int:
    """Remove staged files left under ``folder`` by a process that died before it
    committed them (call it under the folder's lock), except those a pending
    ``journal`` still needs; returns how many were removed."""
    keep: set[str] = set()
    entry = read_json(journal) if journal else None
    if isinstance(entry, dict):
        keep = {str(tmp) for tmp, _ in entry.get("replace") or []}
    n = 0
    for dirpath, _, filenames in os.walk(folder):
        for fname in filenames:
            path = os.path.join(dirpath, fname)
            if fname.startswith(".") and fname.endswith(STAGED_SUFFIX) and path not in keep:
                with contextlib.suppress(OSError):
                    os.unlink(path)
                    n += 1
    return n


def read_json(path: str | os.PathLike[str]) -> Any:
    """The JSON in ``path``, or None when it is missing or not JSON."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


# --------------------------------------------------------------------------------------
# Locking
# --------------------------------------------------------------------------------------

#: Where the Windows lock sits: one byte far past the text naming the holder, so that the
#: text stays readable while the byte is locked (``msvcrt`` locks are mandatory).
_WINDOWS_LOCK_OFFSET = 1 << 30


class LockBusy(LisError):
    """Another process holds the lock (its ``holder`` text says who, when it could be read)."""

    def __init__(self, message: str, holder: str = "") -> None:
        super().__init__(message)
        self.holder = holder


def _lock_functions():
    """``(try_lock, unlock)`` for this platform: ``fcntl`` where it exists, else
    ``msvcrt`` (Windows), else None (no locking available: a warning, no lock)."""
    try:
        import fcntl
    except ImportError:
        fcntl = None  # type: ignore[assignment]
    if fcntl is not None:

        def try_lock(fh: Any) -> bool:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return False
            return True

        def unlock(fh: Any) -> None:
            fcntl.flock(fh, fcntl.LOCK_UN)

        return try_lock, unlock
    try:
        import msvcrt
    except ImportError:
        return None

    def try_lock_windows(fh: Any) -> bool:
        fh.seek(_WINDOWS_LOCK_OFFSET)
        try:
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
        except OSError:
            return False
        return True

    def unlock_windows(fh: Any) -> None:
        fh.seek(_WINDOWS_LOCK_OFFSET)
        msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]

    return try_lock_windows, unlock_windows


#: Lock files this process holds open (see :func:`_forget_locks_after_fork`).
_HELD: set[Any] = set()


def _forget_locks_after_fork() -> None:
    """In a forked child, close the inherited descriptors of the parent's lock files.

    An ``flock`` lock belongs to the open file, which a forked child shares: a worker
    forked while the lock was held (``lis ingest --jobs 2``) kept it held for as long as
    it lived, and an orphaned worker held it for ever, so every later ingest waited and
    failed. Closing the child's copy never releases the parent's lock (only the last
    close, or an explicit unlock, does). The descriptor is pointed at the null device
    rather than closed, so that the child's copy of the file object never closes a
    number that has since been reused."""
    if not _HELD:
        return
    try:
        null = os.open(os.devnull, os.O_RDWR)
    except OSError:
        return
    try:
        for fh in list(_HELD):
            with contextlib.suppress(OSError, ValueError):
                os.dup2(null, fh.fileno())
    finally:
        os.close(null)
    _HELD.clear()


if hasattr(os, "register_at_fork"):  # POSIX
    os.register_at_fork(after_in_child=_forget_locks_after_fork)


@contextlib.contextmanager
def locked(
    folder: str | os.PathLike[str], name: str = ".lock", *, wait: float = 60.0
) -> Iterator[None]:
    """Hold an exclusive lock on ``folder/name`` for the block.

    While it holds the lock, the lock file says who does (``pid N, started HH:MM:SS``).

    Parameters
    ----------
    folder : the folder whose outputs the lock protects (created if missing)
    name : the lock file's name
    wait : seconds to wait for another holder to finish; 0 refuses at once

    Raises
    ------
    LockBusy
        when the lock is still held after ``wait`` seconds, naming the folder, the lock
        and its holder.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    functions = _lock_functions()
    fh = open(folder / name, "a+b")  # noqa: SIM115 (held open for the lock's lifetime)
    _HELD.add(fh)
    try:
        if functions is None:
            log.warning("no file locking on this platform: %s is not protected", folder / name)
            yield
            return
        try_lock, unlock = functions
        deadline = time.monotonic() + wait
        while not try_lock(fh):
            if time.monotonic() >= deadline:
                fh.seek(0)
                holder = fh.read(200).decode("utf-8", "replace").strip() or "another process"
                raise LockBusy(
                    f"{folder}: another lis command is writing here (lock {name}, {holder}); "
                    "wait for it to finish and try again",
                    holder,
                )
            time.sleep(0.1)
        try:
            fh.seek(0)
            fh.truncate()
            fh.write(f"pid {os.getpid()}, started {datetime.now():%H:%M:%S}".encode())
            fh.flush()
            yield
        finally:
            with contextlib.suppress(OSError):
                unlock(fh)
    finally:
        _HELD.discard(fh)
        fh.close()


# --------------------------------------------------------------------------------------
# Hashing
# --------------------------------------------------------------------------------------


def sha256_file(path: str | os.PathLike[str], chunk: int = 1 << 20) -> str:
    """sha256 of a file, read in chunks (read-only)."""
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


def sha256_json(obj: Any) -> str:
    """sha256 of a JSON-able value (keys sorted): a cache key."""
    return hashlib.sha256(json.dumps(obj, sort_keys=True, default=str).encode()).hexdigest()


#: What a CSV's metadata is called beside it (ONS publishes all three forms).
_METADATA_SUFFIXES = (".csv-metadata.json", ".csvw.json", ".json")


def companions(path: str | os.PathLike[str]) -> list[Path]:
    """Metadata files read together with ``path``: ``x.json``, ``x.csv-metadata.json`` or
    ``x.csvw.json`` beside ``x.csv``. They are part of the file: a change to one of them
    alone is a change to ``x.csv`` (see :func:`content_hash`)."""
    path = Path(path)
    if path.suffix.lower() != ".csv":
        return []
    stem = path.name[:-4]
    return sorted(q for q in (path.with_name(stem + s) for s in _METADATA_SUFFIXES) if q.exists())


def _csv_for_json(p: Path) -> Path | None:
    """The CSV a JSON file describes (the inverse of :func:`companions`), if it exists."""
    name = p.name
    for suffix in _METADATA_SUFFIXES:
        if name.lower().endswith(suffix):
            csv = p.with_name(name[: -len(suffix)] + ".csv")
            return csv if csv.exists() else None
    return None


def content_hash(path: str | os.PathLike[str]) -> str:
    """sha256 of a raw file with its companions: the file's own sha256 when it has none,
    else a hash of its sha256 and each companion's name and sha256."""
    comp = companions(path)
    if not comp:
        return sha256_file(path)
    h = hashlib.sha256(sha256_file(path).encode())
    for c in comp:
        h.update(c.name.encode())
        h.update(sha256_file(c).encode())
    return h.hexdigest()


def stat_stamp(path: str | os.PathLike[str]) -> str:
    """Size and nanosecond modification time of a file and its companions: while it is
    unchanged, a remembered :func:`content_hash` still holds."""
    parts = []
    for q in (Path(path), *companions(path)):
        st = q.stat()
        parts.append(f"{q.name}:{st.st_size}:{st.st_mtime_ns}")
    return "|".join(parts)


def code_hash(extra: Sequence[str | os.PathLike[str]] = ()) -> str:
    """sha256 over every file of the package (code, YAML, templates) and of the ``extra``
    folders (``docs/``), by relative path and content."""
    h = hashlib.sha256()
    for base in (PACKAGE_DIR, *map(Path, extra)):
        if not base.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "__pycache__")))
            for fname in sorted(filenames):
                if fname.startswith(".") or fname.endswith((".pyc", ".pyo")):
                    continue
                fp = Path(dirpath) / fname
                h.update(fp.relative_to(base.parent).as_posix().encode() + b"\0")
                h.update(fp.read_bytes())
                h.update(b"\0")
    return h.hexdigest()


def git_commit(start: str | os.PathLike[str] | None = None) -> str | None:
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
# The raw folders, as the store reads them
# --------------------------------------------------------------------------------------

#: Names in a raw folder that are never data.
IGNORED = {
    "readme.md",
    "readme.txt",
    "manifest.json",
    "manifest.csv",
    DEMO_MARKER.lower(),
    ".gitkeep",
    "sha256sums",
    "provenance.md",
}
#: Sub-folders of a raw folder that hold something other than published statistics.
IGNORED_DIRS = {"evidence", "_tmp", ".git"}


def list_raw_files(raw_dirs: Sequence[str | os.PathLike[str]]) -> list[tuple[Path, Path]]:
    """``(raw folder, file)`` for every data file under the raw folders, sorted; hidden
    files, READMEs, manifests and the evidence folder are left out. A JSON file beside a
    same-stem CSV is that CSV's metadata (:func:`companions`) and is read by its parser,
    not on its own.

    Raises
    ------
    LisError
        when a folder does not exist; when a sub-folder cannot be listed, or an entry is
        not a readable regular file (a broken link, a pipe, a file without read
        permission): a file skipped without a word is data silently missing from every
        page.
    """
    out: list[tuple[Path, Path]] = []
    for d in map(Path, raw_dirs):
        if not d.is_dir():
            raise LisError(f"{printable(d)}: raw data folder not found")
        for p in sorted(_walk_raw(d)):
            if p.name.lower() in IGNORED or p.name.startswith("~$"):
                continue
            if not p.is_file():
                raise LisError(
                    f"{printable(p)}: not a regular file (a broken link, a pipe or a device); "
                    "remove it from the raw folder"
                )
            if not os.access(p, os.R_OK):
                raise LisError(f"{printable(p)}: cannot read this file (permission denied)")
            if p.suffix.lower() == ".json" and _csv_for_json(p) is not None:
                continue
            out.append((d, p))
    return out


def _walk_raw(folder: Path) -> list[Path]:
    """Every entry that is not a folder under ``folder`` (following links to folders),
    leaving out hidden entries and the folders in IGNORED_DIRS; a folder that cannot be
    listed, or a link back to a folder already walked, is an error."""

    def fail(exc: OSError) -> None:
        where = exc.filename if exc.filename is not None else folder
        raise LisError(
            f"{printable(where)}: cannot read this folder ({exc.strerror or exc}); "
            "fix its permissions or move it out of the raw folder"
        )

    found: list[Path] = []
    seen: set[tuple[int, int]] = set()
    for root, dirs, files in os.walk(folder, onerror=fail, followlinks=True):
        st = os.stat(root)
        if (st.st_dev, st.st_ino) in seen:
            raise LisError(f"{printable(root)}: a link back to a folder already read (a loop)")
        seen.add((st.st_dev, st.st_ino))
        dirs[:] = sorted(x for x in dirs if not x.startswith(".") and x.lower() not in IGNORED_DIRS)
        found.extend(Path(root) / f for f in files if not f.startswith("."))
    return found


#: Largest call-for-evidence or consultation table read (CSV or workbook), in bytes. A
#: table is read whole into memory at about 20 times its size, so 16 MB stays under
#: about 0.3 GB; 16 MB of CSV is some 50,000 responses of 300 words (the demonstrator's
#: tables are a few kB, a real consultation a few MB at most).
MAX_EVIDENCE_TABLE_BYTES = 16 << 20
#: Largest single Markdown or text submission, in bytes (about 150,000 words).
MAX_SUBMISSION_BYTES = 1 << 20
#: Evidence files by kind: tables officers keep, and respondents' submissions.
EVIDENCE_TABLE_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".xls")
EVIDENCE_TEXT_SUFFIXES = (".md", ".txt", ".markdown")


def evidence_size_problem(path: str | os.PathLike[str], size: int) -> str | None:
    """Why an evidence file is too large to read (None when it is not): tables above
    :data:`MAX_EVIDENCE_TABLE_BYTES`, submissions above :data:`MAX_SUBMISSION_BYTES`."""
    suffix = Path(path).suffix.lower()
    if suffix in EVIDENCE_TABLE_SUFFIXES:
        limit, what = MAX_EVIDENCE_TABLE_BYTES, "a consultation or call-for-evidence table"
        advice = "; split it into smaller files"
    elif suffix in EVIDENCE_TEXT_SUFFIXES:
        limit, what, advice = MAX_SUBMISSION_BYTES, "one submission", ""
    else:
        return None
    if size <= limit:
        return None
    return (
        f"the file is {size / (1 << 20):,.1f} MB, above the limit of {limit / (1 << 20):,.0f} MB "
        f"for {what}{advice}"
    )


def is_demo_folder(folder: str | os.PathLike[str]) -> bool:
    """Whether ``folder`` holds the demonstrator's marker file (synthetic data)."""
    return (Path(folder) / DEMO_MARKER).exists()


def is_inside(path: str | os.PathLike[str], folder: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is ``folder`` or lies inside it, links and ``..`` resolved (for
    paths that do not exist yet, as far as they exist)."""
    p = os.path.normcase(os.path.realpath(os.path.abspath(os.path.expanduser(os.fspath(path)))))
    f = os.path.normcase(os.path.realpath(os.path.abspath(os.path.expanduser(os.fspath(folder)))))
    return p == f or p.startswith(f.rstrip(os.sep) + os.sep)


#: The tables of a store, each recorded in its manifest with its sha256, size and time.
STORE_TABLES = ("observations.parquet", "lookups.parquet")


def file_stamp(path: str | os.PathLike[str]) -> str:
    """``size:mtime_ns`` of one file: while it is unchanged, a recorded sha256 holds."""
    st = os.stat(path)
    return f"{st.st_size}:{st.st_mtime_ns}"


def manifest_problem(doc: Any) -> str | None:
    """What is wrong with a store's manifest (None when it has the expected shape):
    a mapping whose ``files`` is a list of records, each with a ``path`` and hashes."""
    if not isinstance(doc, dict):
        return "not a JSON object"
    files = doc.get("files")
    if not isinstance(files, list):
        return "no list of files"
    for rec in files:
        if not isinstance(rec, dict) or not isinstance(rec.get("path"), str):
            return "a file record without a path"
        if not isinstance(rec.get("sha256"), str) or not isinstance(rec.get("kind"), str):
            return f"the record of {printable(rec.get('path'))} has no sha256 or kind"
    tables = doc.get("tables", {})
    if not isinstance(tables, dict) or any(not isinstance(v, dict) for v in tables.values()):
        return "a malformed table of checksums"
    return None


def read_store_manifest(processed: str | os.PathLike[str]) -> tuple[dict[str, Any] | None, str]:
    """A store's ``manifest.json`` and, when it cannot be used, why: ``(None, "")`` when
    there is none, ``(None, problem)`` when it is unreadable, not JSON or malformed."""
    path = Path(processed) / "manifest.json"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None, ""
    except (OSError, UnicodeDecodeError) as exc:
        return None, f"cannot be read ({getattr(exc, 'strerror', None) or exc})"
    try:
        doc = json.loads(text)
    except ValueError as exc:
        return None, f"is not valid JSON ({exc})"
    problem = manifest_problem(doc)
    if problem:
        return None, f"is malformed ({problem})"
    return doc, ""


def tables_changed(processed: str | os.PathLike[str], manifest: dict[str, Any]) -> list[str]:
    """The store tables whose size or modification time differ from those the manifest
    recorded with their sha256 (or that are missing): cheap (two ``stat`` calls), so
    that a run with nothing to do can tell that the store was damaged since it was
    written without reading it. A manifest from before tables were recorded names
    none (the next ingest records them)."""
    tables = manifest.get("tables")
    if not isinstance(tables, dict):
        return []
    out = []
    for name in STORE_TABLES:
        entry = tables.get(name)
        try:
            stamp = file_stamp(Path(processed) / name)
        except OSError:
            out.append(name)
            continue
        if isinstance(entry, dict) and entry.get("stamp") != stamp:
            out.append(name)
    return out


def processed_dir_for(
    raw_dirs: Sequence[str | os.PathLike[str]],
    processed_root: str | os.PathLike[str],
    default_raw: str | os.PathLike[str],
) -> Path:
    """Where the store of this set of raw folders lives: ``processed_root`` itself for
    the default raw folder, else ``processed_root/sets/<demo|raw>-<hash of the folders>``,
    so that switching between sets of raw folders never mixes or thrashes their data."""
    dirs = [Path(d).resolve() for d in raw_dirs]
    if dirs == [Path(default_raw).resolve()]:
        return Path(processed_root)
    h = hashlib.sha256("\n".join(str(d) for d in dirs).encode()).hexdigest()[:10]
    kind = "demo" if all(is_demo_folder(d) for d in dirs) else "raw"
    return Path(processed_root) / "sets" / f"{kind}-{h}"


# --------------------------------------------------------------------------------------
# Inputs shipped to another machine
# --------------------------------------------------------------------------------------

#: Environment variable naming the JSON map of a run's shipped inputs (set by a Dask
#: worker for its kernels; see :mod:`lis_analysis.pack.cluster`).
INPUTS_ENV = "LIS_INPUTS"


def _input_map() -> dict[str, Any]:
    spec = os.environ.get(INPUTS_ENV)
    if not spec:
        return {}
    stamp = (spec, os.stat(spec).st_mtime_ns)
    if _INPUT_MAP.get("stamp") != stamp:
        doc = json.loads(Path(spec).read_text(encoding="utf-8"))
        _INPUT_MAP.clear()
        _INPUT_MAP.update(stamp=stamp, doc=doc)
    return _INPUT_MAP["doc"]


_INPUT_MAP: dict[str, Any] = {}


def input_path(path: str | os.PathLike[str]) -> Path:
    """Where this process reads an input that the run names by ``path``.

    ``lis run`` names every input (parameters, areas and weights YAML, the evidence
    folder) by its path on the machine that runs ``lis run``, and pages show
    those names. A Dask worker on another machine receives copies of them and sets
    ``$LIS_INPUTS`` to a JSON map ``{"paths": {client path: local copy}, "stores":
    [[raw folders, local store]]}``; this returns the copy of ``path`` (or of the file
    under a mapped folder), and ``path`` itself when nothing maps it (always, outside such
    a worker).

    Examples
    --------
    >>> str(input_path("/no/map/here.yaml")) == str(Path("/no/map/here.yaml"))
    True
    """
    p = Path(path)
    mapping = _input_map().get("paths") or {}
    if not mapping:
        return p
    text = str(p)
    for src in sorted(mapping, key=len, reverse=True):
        if text == src:
            return Path(mapping[src])
        if text.startswith(src.rstrip("/\\") + os.sep):
            return Path(mapping[src]) / text[len(src.rstrip("/\\")) + 1 :]
    return p


def shipped_store(raw_dirs: Sequence[str | os.PathLike[str]]) -> Path | None:
    """The local copy of the store built from ``raw_dirs`` on the client, when this
    process is a worker that was shipped one (see :func:`input_path`); else None."""
    stores = _input_map().get("stores") or []
    want = [str(Path(d)) for d in raw_dirs]
    for dirs, local in stores:
        if [str(Path(d)) for d in dirs] == want:
            return Path(local)
    return None


__all__ = [
    "EVIDENCE_TABLE_SUFFIXES",
    "EVIDENCE_TEXT_SUFFIXES",
    "INPUTS_ENV",
    "IGNORED",
    "IGNORED_DIRS",
    "MAX_EVIDENCE_TABLE_BYTES",
    "MAX_SUBMISSION_BYTES",
    "STAGED_SUFFIX",
    "STORE_TABLES",
    "CommitIncomplete",
    "LockBusy",
    "atomic_path",
    "atomic_write",
    "atomic_write_bytes",
    "atomic_write_json",
    "atomic_write_text",
    "code_hash",
    "commit",
    "companions",
    "content_hash",
    "discard",
    "discard_stale_staged",
    "evidence_size_problem",
    "file_stamp",
    "git_commit",
    "input_path",
    "is_demo_folder",
    "is_inside",
    "list_raw_files",
    "locked",
    "manifest_problem",
    "processed_dir_for",
    "read_json",
    "read_store_manifest",
    "recover",
    "sha256_file",
    "sha256_json",
    "stage",
    "shipped_store",
    "stat_stamp",
    "tables_changed",
]
