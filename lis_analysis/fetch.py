"""``lis fetch``: download the published files into the raw folder, never overwriting.

The catalogue (``lis_analysis/data/downloads.yaml``) lists every file: publisher, landing
page, URL, the raw sub-folder and, for zip archives, the members to keep. For each entry
:func:`fetch`

1. requests the URL (standard library ``urllib`` only; Nomis API results larger than one
   page are followed with ``recordOffset=``). An entry with ``discover`` first looks on its
   landing page for the newest edition's link (ONS renames many files every release); one
   with ``item_from`` first reads the ONS Open Geography Portal item id from the lookup's
   ArcGIS feature service. A server that answers HTTP 202 ("Accepted": the geography
   portal while it builds the file) is asked again with exponential back-off
   (:data:`PROCESSING_BACKOFF`); its "Processing" body is never saved;
2. names the file ``<publisher's file stem>_<release>.<ext>``, where the release is the
   date of the HTTP ``Last-Modified`` header, or the download date when there is none;
   when that name already exists the download stops there ("already have");
3. writes the bytes to a hidden temporary folder inside the target folder (the ingest
   ignores hidden paths), skips them if a file with the same sha256 is already recorded
   in ``manifest.csv``, and checks them: an HTML page where a workbook was expected, a
   file no parser recognises, or one its parser rejects is deleted and reported;
4. moves the file into place (never over an existing file) and appends a line to
   ``<raw>/manifest.csv``: url, file, release, downloaded_at, sha256, bytes, and the
   catalogue id, dataset, publisher, parser and rows parsed.

Without a network (connection refused, DNS failure or timeout on the first request) it
raises :class:`~lis_analysis.errors.NetworkError` naming the host (exit code 2). HTTP
errors, a file still being prepared after the last attempt, and rejected files are
collected per entry; :attr:`FetchReport.failed` is true when any entry failed (exit code 1).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import logging
import os
import re
import shutil
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.utils import parsedate_to_datetime
from fnmatch import fnmatch
from pathlib import Path, PurePosixPath
from urllib.error import HTTPError, URLError
from urllib.parse import parse_qs, unquote, urljoin, urlsplit, urlunsplit
from urllib.request import Request, urlopen

from . import __version__
from .errors import ConfigError, LisError, NetworkError, printable

log = logging.getLogger(__name__)

#: The catalogue shipped with the package.
CATALOGUE = Path(__file__).resolve().parent / "data" / "downloads.yaml"
#: Columns of ``<raw>/manifest.csv``: the six the design asks for first, then provenance.
MANIFEST_COLUMNS = [
    "url",
    "file",
    "release",
    "downloaded_at",
    "sha256",
    "bytes",
    "id",
    "dataset",
    "publisher",
    "parser",
    "rows",
]
USER_AGENT = f"lis-evidence-suite/{__version__} (lis fetch; Python urllib)"
_FIELDS = {
    "id",
    "dataset",
    "publisher",
    "title",
    "landing",
    "url",
    "folder",
    "filename",
    "extract",
    "companion",
    "pages",
    "discover",
    "item_from",
    "manual",
    "url_seen",
    "note",
}
_CHUNK = 1 << 16
#: ArcGIS portal item ids: 32 lower-case hex digits.
_ITEM_RE = re.compile(r"^[0-9a-f]{32}$")


@dataclass(frozen=True)
class Backoff:
    """How long to keep asking a server that answers HTTP 202 ("Accepted", body
    ``{"status": "Processing", ...}``): the ONS Open Geography Portal (ArcGIS Hub) does so
    while it builds a CSV, then answers 200 with the file. ``attempts`` requests in all;
    after the n-th 202 fetch waits ``first * 2**(n-1)`` seconds, at most ``cap``."""

    attempts: int = 8
    first: float = 2.0
    cap: float = 60.0

    def __post_init__(self) -> None:
        if self.attempts < 1 or self.first < 0 or self.cap < 0:
            raise ConfigError(f"back-off needs attempts >= 1 and delays >= 0, not {self}")

    def waits(self) -> list[float]:
        """The pauses between the requests (one fewer than ``attempts``)."""
        return [min(self.first * 2**k, self.cap) for k in range(self.attempts - 1)]


#: The default: 8 requests over about three minutes (2+4+8+16+32+60+60 s of waiting).
PROCESSING_BACKOFF = Backoff()


# --------------------------------------------------------------------------------------
# The catalogue
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Download:
    """One catalogue entry: a published file (or Nomis API query) and where it goes."""

    id: str
    dataset: str
    publisher: str
    title: str
    landing: str
    folder: str
    url: str = ""
    filename: str = ""
    extract: tuple[str, ...] = ()
    companion: str = ""
    pages: str = ""
    discover: str = ""
    item_from: str = ""
    manual: bool = False
    url_seen: str = ""
    note: str = ""


def catalogue(path: str | Path | None = None) -> list[Download]:
    """The validated download catalogue (``lis_analysis/data/downloads.yaml`` by default).

    Raises
    ------
    ConfigError
        naming the file and entry when an entry lacks a field, has an unknown one, repeats
        an id or points outside the raw folder.
    """
    import yaml

    from . import _yaml

    path = Path(path) if path else CATALOGUE
    try:
        data = _yaml.load(path)
    except OSError as exc:
        raise ConfigError(
            f"{printable(path)}: cannot read the download catalogue ({exc.strerror or exc})"
        ) from None
    except yaml.YAMLError as exc:
        raise ConfigError(
            f"{printable(path)}: cannot read the download catalogue: {printable(_yaml.describe(exc))}"
        ) from None
    entries = (data or {}).get("entries") if isinstance(data, dict) else None
    if not isinstance(entries, list) or not entries:
        raise ConfigError(f"{path}: no 'entries' list in the download catalogue")
    out: list[Download] = []
    seen: set[str] = set()
    for n, raw in enumerate(entries, start=1):
        where = f"{path}: entry {n}"
        if not isinstance(raw, dict):
            raise ConfigError(f"{where}: not a mapping")
        if raw.get("id"):
            where += f" ({raw['id']})"
        unknown = sorted(set(raw) - _FIELDS)
        if unknown:
            raise ConfigError(f"{where}: unknown field(s) {', '.join(unknown)}")
        for key in ("id", "dataset", "publisher", "title", "landing", "folder"):
            if not str(raw.get(key) or "").strip():
                raise ConfigError(f"{where}: '{key}' is missing")
        manual = bool(raw.get("manual", False))
        if not manual and not raw.get("url"):
            raise ConfigError(f"{where}: 'url' is missing (or set manual: true)")
        folder = PurePosixPath(str(raw["folder"]))
        if folder.is_absolute() or ".." in folder.parts:
            raise ConfigError(f"{where}: folder {raw['folder']!r} must be a sub-folder name")
        if raw["id"] in seen:
            raise ConfigError(f"{where}: id {raw['id']!r} is used twice")
        if raw.get("pages") not in (None, "", "nomis"):
            raise ConfigError(f"{where}: pages must be 'nomis', not {raw['pages']!r}")
        extract = raw.get("extract") or ()
        if isinstance(extract, str) or not all(isinstance(x, str) for x in extract):
            raise ConfigError(f"{where}: extract must be a list of member name patterns")
        item_from = str(raw.get("item_from") or "")
        if bool(item_from) != ("{item}" in str(raw.get("url") or "")):
            raise ConfigError(
                f"{where}: item_from (an ArcGIS feature service) and an url with {{item}} go together"
            )
        if raw.get("discover"):
            try:
                re.compile(raw["discover"])
            except re.error as exc:
                raise ConfigError(f"{where}: discover is not a regular expression: {exc}") from None
        seen.add(raw["id"])
        out.append(
            Download(
                id=str(raw["id"]),
                dataset=str(raw["dataset"]),
                publisher=str(raw["publisher"]),
                title=str(raw["title"]),
                landing=str(raw["landing"]),
                folder=str(folder),
                url=str(raw.get("url") or ""),
                filename=str(raw.get("filename") or ""),
                extract=tuple(extract),
                companion=str(raw.get("companion") or ""),
                pages=str(raw.get("pages") or ""),
                discover=str(raw.get("discover") or ""),
                item_from=item_from,
                manual=manual,
                url_seen=str(raw.get("url_seen") or ""),
                note=str(raw.get("note") or ""),
            )
        )
    return out


def select(entries: Sequence[Download], only: Iterable[str] | None) -> list[Download]:
    """Entries whose id or dataset matches one of ``only`` (exact, or a glob on the id);
    all entries when ``only`` is empty. An unmatched name is an error."""
    names = [n for n in (only or []) if n]
    if not names:
        return list(entries)
    chosen: list[Download] = []
    for name in names:
        hits = [e for e in entries if name in (e.id, e.dataset) or fnmatch(e.id, name)]
        if not hits:
            raise ConfigError(
                f"--only {name}: no catalogue entry has that id or dataset (see 'lis fetch --list')"
            )
        chosen += [e for e in hits if e not in chosen]
    return [e for e in entries if e in chosen]


def listing(entries: Sequence[Download]) -> str:
    """The catalogue as text for ``lis fetch --list``: id, dataset, folder, where the URL
    comes from, then the URL (or the page to download from by hand)."""
    lines = []
    for e in entries:
        kind = "manual" if e.manual else (e.url_seen or "-")
        extra = f"  zip: {', '.join(e.extract)}" if e.extract else ""
        extra += "  + JSON metadata" if e.companion else ""
        extra += "  (Nomis API, paged)" if e.pages else ""
        extra += "  (newest link on the landing page first)" if e.discover else ""
        extra += "  (portal item id from its feature service)" if e.item_from else ""
        lines.append(f"{e.id:<36} {e.dataset:<36} {e.folder:<16} url: {kind}{extra}")
        lines.append(f"    {'download by hand from ' + e.landing if e.manual else e.url}")
        if e.item_from:
            lines.append(f"    {{item}}: serviceItemId of {e.item_from}")
    lines.append(
        f"\n{len(entries)} entries; URL sources: public = seen in public code, pattern = built "
        "from a pattern seen there, none = inferred. None could be verified from this machine."
    )
    return "\n".join(lines)


# --------------------------------------------------------------------------------------
# HTTP
# --------------------------------------------------------------------------------------


class _Failed(Exception):
    """A per-entry failure (HTTP error, network error after the first success, bad file)."""


def rebase(url: str, base_url: str | None) -> str:
    """``url`` with its scheme and host replaced by ``base_url`` (tests: a local server)."""
    if not base_url or not url:
        return url
    u, b = urlsplit(url), urlsplit(base_url)
    return urlunsplit((b.scheme, b.netloc, b.path.rstrip("/") + u.path, u.query, u.fragment))


def _reason(exc: BaseException) -> str:
    reason = exc.reason if isinstance(exc, URLError) else exc
    text = str(reason).strip() or type(reason).__name__
    if isinstance(reason, TimeoutError) or "timed out" in text:
        return "timed out"
    return text


def _processing_status(body: bytes) -> str:
    """What a 202 body says, in a few words: ArcGIS sends JSON ``{"status": "Processing",
    ...}``; anything else is shown as its first line."""
    text = body.decode("utf-8", "replace").strip()
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict) and str(data.get("status") or "").strip():
        return str(data["status"]).strip()[:60]
    first = text.splitlines()[0].strip() if text else ""
    return first[:60] or "no body"


class _Http:
    """GET with one policy: the first request failing for want of a network is fatal
    (:class:`NetworkError`, exit 2); later failures belong to their entry. An HTTP 202
    ("still preparing the file") is asked again after the :class:`Backoff` pauses and,
    if the last answer is still 202, is this entry's failure; a 202 body is never
    returned as the file."""

    def __init__(
        self,
        timeout: float,
        backoff: Backoff | None = None,
        progress: Callable[[str], None] | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.timeout = timeout
        self.reached = False
        self.backoff = backoff or PROCESSING_BACKOFF
        self.progress = progress or (lambda _message: None)
        self.sleep = sleep

    def get(self, url: str):
        waits = self.backoff.waits()
        host = urlsplit(url).netloc
        status = ""
        for attempt in range(len(waits) + 1):
            resp = self._open(url)
            if getattr(resp, "status", 200) != 202:
                return resp
            status = _processing_status(self.read(resp, limit=_CHUNK))
            if attempt < len(waits):
                self.progress(
                    f"{host}: HTTP 202 ({status}): the server is still preparing the file; "
                    f"asking again in {waits[attempt]:g} s (request {attempt + 2} of {len(waits) + 1})"
                )
                self.sleep(waits[attempt])
        raise _Failed(
            f"{host} was still preparing the file after {len(waits) + 1} requests over "
            f"{sum(waits):g} s (HTTP 202, {status}); nothing saved, try again later"
        )

    def _open(self, url: str):
        req = Request(url, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
        host = urlsplit(url).netloc
        try:
            resp = urlopen(req, timeout=self.timeout)  # noqa: S310 - https URLs from the catalogue
        except HTTPError as exc:
            self.reached = True
            raise _Failed(f"HTTP {exc.code} {exc.reason} from {host}") from None
        except (URLError, OSError) as exc:
            if not self.reached:
                raise NetworkError(
                    f"cannot reach {host}: {_reason(exc)} (no network? lis fetch needs internet "
                    "access to ONS, Nomis, GOV.UK, the ONS geography portal and GitHub)"
                ) from None
            raise _Failed(f"network error reaching {host}: {_reason(exc)}") from None
        self.reached = True
        return resp

    def read(self, resp, sink: io.BufferedWriter | None = None, limit: int | None = None) -> bytes:
        """The body (into ``sink`` when given, returning b''; at most ``limit`` bytes when
        given); a dropped connection or a read timeout is this entry's failure."""
        try:
            if sink is None:
                return resp.read() if limit is None else resp.read(limit)
            while True:
                block = resp.read(_CHUNK)
                if not block:
                    return b""
                sink.write(block)
        except (OSError, URLError) as exc:
            raise _Failed(f"download interrupted: {_reason(exc)}") from None
        finally:
            resp.close()


def _release(resp, today: date) -> str:
    """YYYY-MM-DD of the Last-Modified header, else today."""
    header = resp.headers.get("Last-Modified")
    if header:
        try:
            return parsedate_to_datetime(header).date().isoformat()
        except (TypeError, ValueError, IndexError):
            log.warning("unreadable Last-Modified header %r; using the download date", header)
    return today.isoformat()


def publisher_name(entry: Download, url: str) -> str:
    """The publisher's file name: the catalogue's ``filename``, else the last part of the
    URL (of the ``uri=`` parameter for ONS ``/file?uri=`` links)."""
    if entry.filename:
        return entry.filename
    parts = urlsplit(url)
    query = parse_qs(parts.query)
    path = query["uri"][0] if "uri" in query else parts.path
    name = PurePosixPath(unquote(path)).name
    if not name or "." not in name:
        raise _Failed(f"cannot tell a file name from {url} (add 'filename' to the catalogue)")
    return name


def released_name(name: str, release: str) -> str:
    """``ladproductivity.xlsx`` + ``2024-06-20`` -> ``ladproductivity_2024-06-20.xlsx``."""
    p = PurePosixPath(name)
    return f"{p.stem}_{release}{p.suffix}"


# --------------------------------------------------------------------------------------
# The manifest
# --------------------------------------------------------------------------------------


def read_manifest(raw: Path) -> list[dict[str, str]]:
    """Lines of ``<raw>/manifest.csv`` (empty when there is none)."""
    path = Path(raw) / "manifest.csv"
    if not path.exists():
        return []
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _append_manifest(raw: Path, rows: list[dict[str, str]]) -> None:
    path = Path(raw) / "manifest.csv"
    new = not path.exists()
    header = MANIFEST_COLUMNS
    if not new:
        with open(path, newline="", encoding="utf-8") as fh:
            header = next(csv.reader(fh), []) or MANIFEST_COLUMNS
    with open(path, "a", newline="", encoding="utf-8") as fh:
        w = csv.DictWriter(fh, fieldnames=header, extrasaction="ignore")
        if new:
            w.writeheader()
        w.writerows(rows)
        fh.flush()
        os.fsync(fh.fileno())


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# --------------------------------------------------------------------------------------
# Fetching
# --------------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What happened to one catalogue entry."""

    id: str
    result: str  # saved, skipped, failed, rejected, manual
    files: list[str] = field(default_factory=list)
    detail: str = ""


@dataclass
class FetchReport:
    """Every entry's outcome; :meth:`table` is what ``lis fetch`` prints."""

    raw: Path
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def failed(self) -> bool:
        return any(o.result in ("failed", "rejected") for o in self.outcomes)

    def table(self) -> str:
        head = ("id", "result", "file", "detail")
        rows = [(o.id, o.result, ", ".join(o.files) or "-", o.detail or "") for o in self.outcomes]
        widths = [
            max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(head)
        ]
        widths[2] = min(widths[2], 70)
        fmt = "  ".join(f"{{:<{w}}}" for w in widths[:3]) + "  {}"
        lines = [fmt.format(*head), fmt.format(*("-" * w for w in widths[:3]), "-" * 6)]
        lines += [fmt.format(*r) for r in rows]
        counts: dict[str, int] = {}
        for o in self.outcomes:
            counts[o.result] = counts.get(o.result, 0) + 1
        lines.append(
            f"\n{', '.join(f'{n} {k}' for k, n in counts.items())}; raw folder {self.raw} "
            f"(manifest: {self.raw / 'manifest.csv'})"
        )
        return "\n".join(lines)


@dataclass
class _Saved:
    """A checked file in the temporary folder, ready to move into place."""

    tmp: Path
    name: str
    url: str
    release: str
    sha256: str
    size: int
    parser: str = ""
    rows: int | None = None


def _stderr(message: str) -> None:
    print(f"fetch: {message}", file=sys.stderr, flush=True)


def fetch(
    raw: str | Path,
    *,
    only: Iterable[str] | None = None,
    base_url: str | None = None,
    timeout: float = 60.0,
    progress: Callable[[str], None] = _stderr,
    catalogue_path: str | Path | None = None,
    today: date | None = None,
    backoff: Backoff | None = None,
) -> FetchReport:
    """Download the catalogue's files (or those named by ``only``) into ``raw``.

    Parameters
    ----------
    raw : the raw folder (``data/raw``); sub-folders are created as needed
    only : catalogue ids or dataset ids (globs on the id allowed); all when empty
    base_url : replaces ``https://<host>`` of every URL (tests point it at 127.0.0.1)
    timeout : seconds allowed to each request
    progress : called with one line per step (default: stderr)
    today : the download date used when a response has no Last-Modified header
    backoff : how often and how long to ask again after HTTP 202 (default
        :data:`PROCESSING_BACKOFF`, read when fetch is called)

    Returns
    -------
    FetchReport
        one :class:`Outcome` per entry.

    Raises
    ------
    NetworkError
        when the first request cannot reach its host (no network).
    """
    raw = Path(raw)
    entries = select(catalogue(catalogue_path), only)
    today = today or date.today()
    http = _Http(timeout, backoff or PROCESSING_BACKOFF, progress)
    raw.mkdir(parents=True, exist_ok=True)
    report = FetchReport(raw=raw)
    for entry in entries:
        if entry.manual:
            progress(f"{entry.id}: no direct link known; download by hand from {entry.landing}")
            report.outcomes.append(
                Outcome(entry.id, "manual", detail=f"download by hand from {entry.landing}")
            )
            continue
        folder = raw / entry.folder
        created = not folder.exists()
        folder.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=f".fetch-{entry.id}-", dir=folder))
        try:
            outcome = _one(entry, folder, tmp, raw, http, base_url, today, progress)
        except _Failed as exc:
            progress(f"{entry.id}: FAILED: {exc}")
            outcome = Outcome(entry.id, "failed", detail=str(exc))
        except _Rejected as exc:
            progress(f"{entry.id}: REJECTED (file deleted): {exc}")
            outcome = Outcome(entry.id, "rejected", detail=str(exc))
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
            if created and not any(folder.iterdir()):
                folder.rmdir()  # leave no empty folder behind a failed download
        report.outcomes.append(outcome)
    return report


class _Rejected(Exception):
    """A downloaded file that is not what the catalogue promised (deleted, reported)."""


def _one(
    entry: Download,
    folder: Path,
    tmp: Path,
    raw: Path,
    http: _Http,
    base_url: str | None,
    today: date,
    progress: Callable[[str], None],
) -> Outcome:
    url = rebase(entry.url, base_url)
    if entry.item_from:
        url = _portal_item(entry, url, http, base_url, progress)
    if entry.discover:
        url = _discover(entry, url, http, base_url, progress)
    progress(f"{entry.id}: GET {url}")
    resp = http.get(url)
    release = _release(resp, today)
    known = {r.get("sha256", ""): r.get("file", "") for r in read_manifest(raw)}

    if entry.extract:
        archive = tmp / ".archive.zip"
        with open(archive, "wb") as fh:
            http.read(resp, fh)
        saved, skipped = _from_zip(entry, archive, url, release, folder, tmp, raw, known, progress)
    else:
        name = released_name(publisher_name(entry, url), release)
        if (folder / name).exists():
            resp.close()
            rel = _rel(folder / name, raw)
            progress(f"{entry.id}: already have {rel}; not downloaded again")
            return Outcome(entry.id, "skipped", [rel], "release already in the raw folder")
        target = tmp / name
        if entry.pages == "nomis":
            target.write_bytes(_nomis_pages(http, resp, url, progress, entry.id))
        else:
            with open(target, "wb") as fh:
                http.read(resp, fh)
        files = [_described(target, name, url, release)]
        if entry.companion:
            curl = rebase(entry.companion, base_url)
            # The metadata keeps the data file's stem (and so its release): parsers find
            # it as <stem>.json beside <stem>.csv.
            cname = PurePosixPath(name).stem + PurePosixPath(urlsplit(curl).path).suffix
            progress(f"{entry.id}: GET {curl}")
            cresp = http.get(curl)
            with open(tmp / cname, "wb") as fh:
                http.read(cresp, fh)
            files.append(_described(tmp / cname, cname, curl, release))
        dup = known.get(files[0].sha256)
        if dup and (raw / dup).exists():
            progress(f"{entry.id}: same content as {dup} (sha256 in manifest.csv); not saved again")
            return Outcome(entry.id, "skipped", [dup], "same sha256 as a file already fetched")
        _check(files[0], tmp, entry.folder)
        saved, skipped = files, []
    if not saved:
        return Outcome(entry.id, "skipped", skipped, "every member already fetched")
    lines = _place(entry, saved, folder, raw)
    for s in saved:
        progress(
            f"{entry.id}: saved {_rel(folder / s.name, raw)} ({s.size:,} bytes"
            + (f", {s.parser}: {s.rows:,} rows" if s.parser else "")
            + ")"
        )
    _append_manifest(raw, lines)
    detail = f"release {release}" + (f"; already had {', '.join(skipped)}" if skipped else "")
    return Outcome(entry.id, "saved", [_rel(folder / s.name, raw) for s in saved], detail)


def _discover(
    entry: Download, url: str, http: _Http, base_url: str | None, progress: Callable[[str], None]
) -> str:
    """The newest link on the landing page matching ``entry.discover``, else ``url``."""
    page = rebase(entry.landing, base_url)
    progress(f"{entry.id}: looking for the current edition on {page}")
    try:
        resp = http.get(page)
        html = http.read(resp).decode("utf-8", "replace")
    except _Failed as exc:
        progress(f"{entry.id}: landing page not read ({exc}); using the catalogue URL")
        return url
    found = re.findall(entry.discover, html)
    if not found:
        progress(
            f"{entry.id}: no link matching the pattern on the landing page; using the catalogue URL"
        )
        return url
    # ONS pages list the newest edition first; links are relative and %2F-encoded.
    link = unquote(found[0].replace("&amp;", "&"))
    return rebase(urljoin(page, link), base_url)


def _portal_item(
    entry: Download, url: str, http: _Http, base_url: str | None, progress: Callable[[str], None]
) -> str:
    """``url`` with ``{item}`` replaced by the portal item id of the ArcGIS feature service
    ``entry.item_from`` (its ``serviceItemId``): the ONS Open Geography Portal names its
    lookups by service (``LAD25_LSIP25_EN_LU``) in public code, while the CSV download is
    by item id."""
    service = rebase(entry.item_from, base_url)
    progress(f"{entry.id}: GET {service} (the portal item id)")
    body = http.read(http.get(service))
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except ValueError:
        data = None
    item = data.get("serviceItemId") if isinstance(data, dict) else None
    if not isinstance(item, str) or not _ITEM_RE.match(item):
        said = ""
        if isinstance(data, dict) and isinstance(data.get("error"), dict):
            said = f": {data['error'].get('message') or data['error'].get('code')}"
        raise _Failed(
            f"no portal item id (serviceItemId) in the feature service description {service}{said}"
        )
    return url.replace("{item}", item)


def _described(path: Path, name: str, url: str, release: str) -> _Saved:
    return _Saved(path, name, url, release, _sha256(path), path.stat().st_size)


def _nomis_pages(http: _Http, resp, url: str, progress: Callable[[str], None], eid: str) -> bytes:
    """The whole result of a Nomis API query: pages of at most 25,000 rows are fetched with
    ``recordOffset=`` until RECORD_COUNT rows are in hand; one header line."""
    first = http.read(resp)
    text = first.decode("utf-8-sig", "replace")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    if not rows:
        raise _Rejected("the Nomis API returned an empty response")
    header = [c.strip().upper() for c in rows[0]]
    data = [r for r in rows[1:] if any(c.strip() for c in r)]
    if "RECORD_COUNT" not in header or not data:
        return first
    total = int(float(data[0][header.index("RECORD_COUNT")] or 0))
    chunks = [first if first.endswith(b"\n") else first + b"\n"]
    got = len(data)
    sep = "&" if urlsplit(url).query else "?"
    while got < total:
        page_url = f"{url}{sep}recordOffset={got}"
        progress(f"{eid}: rows {got:,} of {total:,}; GET next page")
        page = http.read(http.get(page_url)).decode("utf-8-sig", "replace")
        lines = page.splitlines(keepends=True)[1:]  # drop the repeated header line
        more = [ln for ln in lines if ln.strip()]
        if not more:
            raise _Failed(f"Nomis returned no rows at offset {got:,} of {total:,}")
        got += len(list(csv.reader(io.StringIO("".join(more), newline=""))))
        chunks.append("".join(more).encode("utf-8"))
    return b"".join(chunks)


def _from_zip(
    entry: Download,
    archive: Path,
    url: str,
    release: str,
    folder: Path,
    tmp: Path,
    raw: Path,
    known: dict[str, str],
    progress: Callable[[str], None],
) -> tuple[list[_Saved], list[str]]:
    """Members of the archive matching the catalogue's patterns, each checked."""
    with open(archive, "rb") as fh:
        _not_html(fh.read(1024), "a zip archive")
    try:
        book = zipfile.ZipFile(archive)
    except zipfile.BadZipFile:
        raise _Rejected(
            "the download is not a zip archive (truncated, or an error page?)"
        ) from None
    with book:
        members = [m for m in book.infolist() if not m.is_dir()]
        saved: list[_Saved] = []
        skipped: list[str] = []
        for pattern in entry.extract:
            hits = [
                m
                for m in members
                if fnmatch(PurePosixPath(m.filename).name.lower(), pattern.lower())
            ]
            if not hits:
                names = ", ".join(PurePosixPath(m.filename).name for m in members)[:300]
                raise _Rejected(f"no member of the archive matches {pattern!r} (members: {names})")
            for m in hits:
                name = released_name(PurePosixPath(m.filename).name, release)
                if (folder / name).exists():
                    skipped.append(_rel(folder / name, raw))
                    progress(f"{entry.id}: already have {_rel(folder / name, raw)}")
                    continue
                target = tmp / name
                with book.open(m) as src, open(target, "wb") as dst:
                    shutil.copyfileobj(src, dst)
                s = _described(target, name, f"{url}#{m.filename}", release)
                dup = known.get(s.sha256)
                if dup and (raw / dup).exists():
                    skipped.append(dup)
                    progress(f"{entry.id}: {m.filename}: same content as {dup}; not saved again")
                    continue
                _check(s, tmp, entry.folder)
                saved.append(s)
    return saved, skipped


def _not_html(head: bytes, what: str) -> None:
    """Publishers answer a moved or missing file with an HTML page and status 200."""
    low = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if low.startswith(b"<") and (b"<html" in low or b"<!doctype html" in low):
        raise _Rejected(f"the server sent an HTML page, not {what} (an error or sign-in page?)")


def _check(s: _Saved, tmp: Path, shown: str) -> None:
    """Recognised by exactly one parser and parsed once, or rejected (file deleted)."""
    from .sources import detect

    with open(s.tmp, "rb") as fh:
        head = fh.read(1024)
    if not s.name.lower().endswith((".htm", ".html")):
        _not_html(head, f"the published file ({PurePosixPath(s.name).suffix or 'no extension'})")
    try:
        parser = detect(s.tmp)
        df = parser.parse(s.tmp)
    except LisError as exc:
        # Name the file as it would have been saved, not by its temporary folder.
        raise _Rejected(str(exc).replace(str(tmp), shown)) from None
    except Exception as exc:  # a parser bug must not leave an unchecked file behind
        raise _Rejected(f"{s.name}: the parser failed: {type(exc).__name__}: {exc}") from None
    s.parser, s.rows = parser.name, len(df)


def _place(entry: Download, saved: list[_Saved], folder: Path, raw: Path) -> list[dict[str, str]]:
    """Move the checked files into the folder (never over a file) and return their
    manifest lines."""
    for s in saved:
        if (folder / s.name).exists():
            raise _Failed(
                f"{_rel(folder / s.name, raw)} appeared while downloading; not overwritten"
            )
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    lines = []
    for s in saved:
        os.rename(s.tmp, folder / s.name)  # same filesystem: atomic
        lines.append(
            {
                "url": s.url,
                "file": _rel(folder / s.name, raw),
                "release": s.release,
                "downloaded_at": stamp,
                "sha256": s.sha256,
                "bytes": str(s.size),
                "id": entry.id,
                "dataset": entry.dataset,
                "publisher": entry.publisher,
                "parser": s.parser,
                "rows": "" if s.rows is None else str(s.rows),
            }
        )
    return lines


def _rel(path: Path, raw: Path) -> str:
    try:
        return path.relative_to(raw).as_posix()
    except ValueError:
        return str(path)
