"""Read the files officers keep: call-for-evidence responses, consultation responses and
the consideration log.

The readers follow the conventions of :mod:`lis_analysis.sources`: files are opened with
the helpers of :mod:`lis_analysis.sources._base` (:class:`~lis_analysis.sources._base.Workbook`,
``read_csv_rows``, ``read_text``, ``clean_text``), and every problem is an
:class:`~lis_analysis.errors.InputError` naming file, sheet, row and column, never a
traceback. Unlike a published file, a response file is expected to have bad rows: a reader
does not stop at one but rejects or flags it and goes on, so ingest never drops a row
silently. Each returns an :class:`IngestResult` with the rows kept and one line per problem
(with ``strict=True`` the first problem is raised instead). ``docs/evidence.md`` ("The
files officers keep") lists the layouts.

What they read is respondents' text, so what they return is made safe where it leaves
them: personal data is redacted (:func:`lis_analysis.safetext.redact`) in every text
column and in every message (a message quoting a cell quotes it redacted and cut short),
and a respondent id that is itself personal data (an e-mail address) is replaced by a
stable pseudonym. Submissions' YAML headers are read with the package's safe loader
(:func:`lis_analysis._yaml.load`: no aliases, bounded size and depth), and files above
the size limits of :mod:`lis_analysis._files` are refused (tables) or rejected
(submissions) before they are read.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from .. import _yaml
from .._files import MAX_EVIDENCE_TABLE_BYTES, MAX_SUBMISSION_BYTES, evidence_size_problem
from ..errors import InputError
from ..safetext import redact
from ..sources._base import Workbook, clean_text, read_csv_rows, read_text
from .questions import (
    AGREEMENT_CATEGORIES,
    DONT_KNOW,
    ORGANISATION_TYPES,
    UNKNOWN_TYPE,
    _norm_question_id,
    _priorities,
    load_questions,
)
from .taxonomy import Taxonomy, _taxonomy

log = logging.getLogger(__name__)

#: Columns each tabular input must have (after normalising headers: lower case, spaces
#: and hyphens to underscores).
CFE_COLUMNS = (
    "respondent_id",
    "organisation",
    "organisation_type",
    "sector",
    "location",
    "question_id",
    "text",
)
CONSULTATION_COLUMNS = ("respondent_id", "organisation_type", "comments")
LOG_COLUMNS = (
    "point_id",
    "theme_or_priority",
    "point",
    "response",
    "change_made",
    "officer",
    "date",
)
_HEADER_ALIASES = {
    "organization": "organisation",
    "organization_type": "organisation_type",
    "respondent_type": "organisation_type",
    "question": "question_id",
    "response_text": "text",
    "comment": "comments",
    "theme": "theme_or_priority",
    "priority": "theme_or_priority",
    "change": "change_made",
}

#: How respondents write an organisation type or an agreement value, mapped to ours.
_ORG_SYNONYMS = {
    "public sector": "public",
    "local authority": "public",
    "council": "public",
    "private sector": "private",
    "business": "private",
    "company": "private",
    "employer": "private",
    "voluntary sector": "voluntary",
    "voluntary and community": "voluntary",
    "vcse": "voluntary",
    "charity": "voluntary",
    "third sector": "voluntary",
    "community": "voluntary",
    "university": "education",
    "college": "education",
    "school": "education",
    "education provider": "education",
    "higher education": "education",
    "further education": "education",
    "resident": "individual",
    "member of the public": "individual",
    "private individual": "individual",
}
_AGREEMENT_SYNONYMS = {
    "neither agree or disagree": "Neither agree nor disagree",
    "neither": "Neither agree nor disagree",
    "dont know": DONT_KNOW,
    "do not know": DONT_KNOW,
}

#: What happens to a row with a problem.
REJECTED = "row rejected"
WARNED = "kept with warning"
ISSUE_COLUMNS = [
    "file",
    "sheet",
    "row",
    "column",
    "respondent_id",
    "problem",
    "detail",
    "action",
    "message",
]

#: Files in an evidence folder that are notes, not responses (by name, any extension).
_SKIP_NAMES = {"readme", "provenance", "changelog", "licence", "license", "demonstrator"}
_TABLE_SUFFIXES = {".csv", ".xlsx", ".xlsm", ".xls"}
_TEXT_SUFFIXES = {".md", ".txt", ".markdown"}
_HEADER_SEARCH_ROWS = 10


@dataclass(frozen=True)
class IngestResult:
    """What a reader kept, and every problem it met.

    Attributes
    ----------
    kind : ``"call_for_evidence"``, ``"consultation"`` or ``"consideration_log"``
    data : the rows kept (columns depend on ``kind``; each has ``source_file`` and
        ``source_row``, 1-based as an editor or spreadsheet shows it)
    issues : one row per problem: ``file, sheet, row, column, respondent_id, problem``
        (a short category), ``detail``, ``action`` (``row rejected`` or ``kept with
        warning``) and ``message`` (one line naming file, sheet, row, column)
    n_read : rows (responses) read; always ``n_kept + n_rejected``
    files : the files read
    """

    kind: str
    data: pd.DataFrame
    issues: pd.DataFrame
    n_read: int
    files: tuple[str, ...]

    def __post_init__(self) -> None:
        if self.n_read != self.n_kept + self.n_rejected:  # pragma: no cover - a bug if hit
            raise AssertionError(
                f"{self.kind}: read {self.n_read} rows, kept {self.n_kept}, rejected {self.n_rejected}"
            )

    @property
    def n_kept(self) -> int:
        return len(self.data)

    @property
    def n_rejected(self) -> int:
        return int((self.issues["action"] == REJECTED).sum())

    @property
    def rejected(self) -> pd.DataFrame:
        """The rows rejected, with the reason."""
        return self.issues[self.issues["action"] == REJECTED].reset_index(drop=True)

    @property
    def warnings(self) -> pd.DataFrame:
        """Rows kept with a warning, and file-level warnings (an ignored column)."""
        return self.issues[self.issues["action"] == WARNED].reset_index(drop=True)

    def counts(self) -> pd.DataFrame:
        """Read / kept / rejected, then each problem with its count."""
        head = pd.DataFrame(
            {
                "what": ["rows read", "rows kept", "rows rejected"],
                "action": ["", "", ""],
                "n": [self.n_read, self.n_kept, self.n_rejected],
            }
        )
        if self.issues.empty:
            return head
        per = self.issues.groupby(["problem", "action"], sort=True).size().reset_index(name="n")
        per = per.rename(columns={"problem": "what"})
        return pd.concat([head, per], ignore_index=True)

    def summary(self) -> str:
        """One line: files, read, kept, rejected (by reason) and warnings."""
        rej = self.rejected["problem"].value_counts()
        why = "; ".join(f"{n} {p}" for p, n in rej.items())
        line = (
            f"{self.kind.replace('_', ' ')}: {len(self.files)} file(s), read {self.n_read}, "
            f"kept {self.n_kept}, rejected {self.n_rejected}"
        )
        if why:
            line += f" ({why})"
        return line + f", {len(self.warnings)} warning(s)"


@dataclass(frozen=True)
class EvidenceBundle:
    """Everything :func:`load_evidence` found in a folder."""

    call_for_evidence: IngestResult | None
    consultation: IngestResult | None
    consideration_log: IngestResult | None
    skipped: tuple[str, ...] = ()

    def summary(self) -> pd.DataFrame:
        """One row per kind: files, read, kept, rejected, warnings."""
        rows = []
        for r in (self.call_for_evidence, self.consultation, self.consideration_log):
            if r is not None:
                rows.append(
                    {
                        "kind": r.kind,
                        "files": len(r.files),
                        "read": r.n_read,
                        "kept": r.n_kept,
                        "rejected": r.n_rejected,
                        "warnings": len(r.warnings),
                    }
                )
        return pd.DataFrame(rows, columns=["kind", "files", "read", "kept", "rejected", "warnings"])


class _Issues:
    """Collects problems; in strict mode the first one raises an :class:`InputError`."""

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.rows: list[dict[str, Any]] = []

    def add(
        self,
        file: Path,
        problem: str,
        detail: str,
        action: str,
        *,
        sheet: str | None = None,
        row: int | None = None,
        column: int | None = None,
        header: str | None = None,
        respondent_id: str | None = None,
    ) -> None:
        # Messages reach pages and logs: nothing a respondent wrote appears unredacted.
        detail = redact(detail)
        header = redact(header) if header else header
        err = InputError(
            redact(str(file)),
            f"{problem}: {detail}",
            sheet=redact(sheet) if sheet else sheet,
            row=row,
            column=column,
            header=header,
        )
        if self.strict:
            raise err
        self.rows.append(
            {
                "file": str(file),
                "sheet": sheet,
                "row": None if row is None else row + 1,
                "column": header,
                "respondent_id": _safe_id(respondent_id) if respondent_id else respondent_id,
                "problem": problem,
                "detail": detail,
                "action": action,
                "message": err.message,
            }
        )
        (log.warning if action == REJECTED else log.info)("%s (%s)", err.message, action)

    def frame(self) -> pd.DataFrame:
        out = pd.DataFrame(self.rows, columns=ISSUE_COLUMNS)
        out["row"] = out["row"].astype("Int64")
        return out


@dataclass
class _Table:
    path: Path
    sheet: str | None
    header_row: int  # 0-based
    columns: list[str]  # normalised
    raw_columns: list[str]
    body: list[tuple[int, list[Any]]]  # (0-based row, cells padded to len(columns))

    def col(self, name: str) -> int | None:
        return self.columns.index(name) if name in self.columns else None


def _quoted(value: Any, limit: int = 40) -> str:
    """A cell as a message quotes it: redacted, cut to ``limit`` characters, in quotes."""
    text = redact(clean_text(value))
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + "\u2026"
    return repr(text)


def _safe_id(value: Any) -> str:
    """A respondent or point id as the outputs show it: as written, unless it holds
    personal data (an e-mail address, a phone number), which becomes a stable pseudonym
    (``respondent-1a2b3c4d5e``) so that rows and duplicates still line up."""
    rid = clean_text(value)
    if not rid or redact(rid) == rid:
        return rid
    return "respondent-" + hashlib.sha256(rid.encode("utf-8")).hexdigest()[:10]


def _safe_text(value: Any) -> Any:
    """Free text with personal data redacted (anything else as it is)."""
    return redact(value) if isinstance(value, str) and value else value


def _norm_header(h: Any) -> str:
    s = clean_text(h).lower().replace("\u2019", "'").replace("'", "")
    s = re.sub(r"[\s\-/]+", "_", s).strip("_")
    return _HEADER_ALIASES.get(s, s)


def _text(v: Any) -> str:
    """A free-text cell: line endings normalised, outer whitespace stripped."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).replace("\r\n", "\n").replace("\r", "\n").strip()


def _truthy(v: Any) -> bool:
    return clean_text(v).lower() in ("yes", "y", "true", "1", "synthetic")


def _read_tables(path: Path, keys: Sequence[str]) -> list[_Table]:
    """Every sheet (or the CSV) with a header row, in the first rows, holding one of
    ``keys``. An :class:`InputError` when none has."""
    suffix = path.suffix.lower()
    with contextlib.suppress(OSError):  # (an unreadable file is named by the reader below)
        problem = evidence_size_problem(path, path.stat().st_size)
        if problem:
            raise InputError(path, problem)
    if suffix == ".csv":
        sheets: list[tuple[str | None, list[list[Any]]]] = [
            (None, read_csv_rows(path, max_bytes=MAX_EVIDENCE_TABLE_BYTES))
        ]
    elif suffix in (".xlsx", ".xlsm", ".xls"):
        book = Workbook(path, max_bytes=MAX_EVIDENCE_TABLE_BYTES)
        sheets = [(s, book.rows(s)) for s in book.sheet_names]
    else:
        raise InputError(
            path, f"not a table: expected .csv or .xlsx, got {suffix or 'no extension'}"
        )
    tables = []
    for sheet, rows in sheets:
        for i, row in enumerate(rows[:_HEADER_SEARCH_ROWS]):
            normed = [_norm_header(h) for h in row]
            if any(k in normed for k in keys):
                width = len(normed)
                body = []
                for j in range(i + 1, len(rows)):
                    cells = list(rows[j]) + [""] * (width - len(rows[j]))
                    if all(_text(c) == "" for c in cells):
                        continue  # a blank line is not a response
                    body.append((j, cells[:width]))
                tables.append(_Table(path, sheet, i, normed, [clean_text(h) for h in row], body))
                break
    if not tables:
        where = (
            "" if suffix == ".csv" else f" on any sheet ({', '.join(str(s) for s, _ in sheets)})"
        )
        raise InputError(
            path,
            f"no header row with a {' or '.join(repr(k) for k in keys)} column in the first "
            f"{_HEADER_SEARCH_ROWS} rows{where}",
        )
    return tables


def _require(
    table: _Table, required: Iterable[str], what: str, labels: Mapping[str, str] | None = None
) -> None:
    missing = [c for c in required if c not in table.columns]
    if missing:
        found = ", ".join(repr(c) for c in table.raw_columns if c)
        names = ", ".join(repr((labels or {}).get(c, c)) for c in missing)
        raise InputError(
            table.path,
            f"not a {what} table: missing column(s) {names} (found {found})",
            sheet=table.sheet,
            row=table.header_row,
        )


def _org_type(value: Any) -> str | None:
    s = clean_text(value).lower()
    if s in ORGANISATION_TYPES:
        return s
    return _ORG_SYNONYMS.get(s)


def _check_org_type(
    value: Any,
    issues: _Issues,
    file: Path,
    *,
    sheet: str | None,
    row: int,
    column: int | None,
    rid: str,
) -> str:
    t = _org_type(value)
    if t is not None:
        return t
    raw = clean_text(value)
    detail = (
        f"{_quoted(raw)} is not one of {', '.join(ORGANISATION_TYPES)}; counted as '{UNKNOWN_TYPE}'"
        if raw
        else f"no organisation type; counted as '{UNKNOWN_TYPE}'"
    )
    issues.add(
        file,
        "unknown organisation type",
        detail,
        WARNED,
        sheet=sheet,
        row=row,
        column=column,
        header="organisation_type",
        respondent_id=rid,
    )
    return UNKNOWN_TYPE


# ---- call for evidence ---------------------------------------------------------------


class _CfeReader:
    def __init__(self, questions: pd.DataFrame, strict: bool) -> None:
        self.valid = list(questions["question_id"])
        self.issues = _Issues(strict)
        self.rows: list[dict[str, Any]] = []
        self.seen: dict[tuple[str, str], str] = {}
        self.n_read = 0
        self.files: list[str] = []

    def _accept(
        self,
        file: Path,
        *,
        sheet: str | None,
        row: int,
        rid: str,
        qid: str,
        text: str,
        fields: dict[str, Any],
        cols: Mapping[str, int | None],
    ) -> None:
        """Check one response; keep it or record why not."""
        self.n_read += 1

        def reject(problem: str, detail: str, col: str) -> None:
            self.issues.add(
                file,
                problem,
                detail,
                REJECTED,
                sheet=sheet,
                row=row,
                column=cols.get(col),
                header=col,
                respondent_id=rid,
            )

        if not rid:
            return reject("missing respondent id", "the respondent_id is blank", "respondent_id")
        if not qid:
            return reject("missing question id", "the question_id is blank", "question_id")
        if qid not in self.valid:
            return reject(
                "unknown question id",
                f"{_quoted(qid)} is not a call-for-evidence question (expected {self.valid[0]}..{self.valid[-1]})",
                "question_id",
            )
        if not text:
            return reject("empty text", f"the response of {rid} to {qid} has no text", "text")
        where = f"{file.name}" + (f" sheet '{sheet}'" if sheet else "") + f" row {row + 1}"
        first = self.seen.get((rid, qid))
        if first is not None:
            return reject("duplicate", f"{rid} already answered {qid} ({first})", "question_id")
        self.seen[(rid, qid)] = where
        otype = _check_org_type(
            fields.get("organisation_type"),
            self.issues,
            file,
            sheet=sheet,
            row=row,
            column=cols.get("organisation_type"),
            rid=rid,
        )
        self.rows.append(
            {
                **{
                    k: _safe_text(v)
                    for k, v in fields.items()
                    if k not in CFE_COLUMNS and k != "synthetic"
                },
                "response_id": f"{rid}:{qid}",
                "respondent_id": rid,
                "organisation": redact(clean_text(fields.get("organisation"))),
                "organisation_type": otype,
                "sector": redact(clean_text(fields.get("sector"))),
                "location": redact(clean_text(fields.get("location"))),
                "question_id": qid,
                "text": redact(text),
                "synthetic": _truthy(fields.get("synthetic")),
                "source_file": str(file),
                "source_row": row + 1,
            }
        )

    def table(self, t: _Table) -> None:
        _require(t, CFE_COLUMNS, "call-for-evidence")
        self.files.append(str(t.path))
        cols = {c: t.col(c) for c in t.columns}
        for r, cells in t.body:
            fields = dict(zip(t.columns, cells, strict=False))
            self._accept(
                t.path,
                sheet=t.sheet,
                row=r,
                rid=_safe_id(fields.get("respondent_id")),
                qid=_norm_question_id(fields.get("question_id")),
                text=_text(fields.get("text")),
                fields={
                    k: (_text(v) if k not in ("organisation_type",) else v)
                    for k, v in fields.items()
                    if k
                },
                cols=cols,
            )

    def submission(self, path: Path) -> None:
        self.files.append(str(path))

        def reject_file(problem: str, detail: str, row: int | None = 0) -> None:
            self.n_read += 1
            self.issues.add(path, problem, detail, REJECTED, row=row)

        # A respondent's file is untrusted: too large, unreadable or not text, it is a
        # rejected submission with the reason, never the end of the whole reading.
        try:
            size = path.stat().st_size
        except OSError as exc:
            return reject_file("unreadable", f"cannot read the file ({exc.strerror or exc})", None)
        too_big = evidence_size_problem(path, size)
        if too_big:
            return reject_file("too large", too_big, None)
        try:
            raw = read_text(path, max_bytes=MAX_SUBMISSION_BYTES)
        except InputError as exc:
            return reject_file("unreadable", exc.problem, None)
        if "\x00" in raw:
            return reject_file("unreadable", "not a text file (binary content)", None)
        raw = raw.replace("\r\n", "\n").replace("\r", "\n")
        lines = raw.split("\n")

        start = 0
        while start < len(lines) and not lines[start].strip():
            start += 1
        if start >= len(lines) or lines[start].strip() != "---":
            return reject_file(
                "no YAML header",
                "a submission starts with a '---' line, the header fields "
                "(respondent, organisation_type, question_id ...), and a closing '---' line",
                start,
            )
        end = next(
            (i for i in range(start + 1, len(lines)) if lines[i].strip() in ("---", "...")), None
        )
        if end is None:
            return reject_file("no YAML header", "the header has no closing '---' line", start)
        try:
            # the safe loader: an alias bomb in a header took minutes and all the memory
            head = _yaml.load(path, text="\n".join(lines[start + 1 : end])) or {}
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            problem = getattr(exc, "problem", None) or "cannot parse"
            return reject_file(
                "bad YAML header", str(problem), start + 1 + (mark.line if mark else 0)
            )
        if not isinstance(head, dict):
            return reject_file(
                "bad YAML header", "the header must be 'field: value' lines", start + 1
            )
        head = {_norm_header(k): v for k, v in head.items()}
        if "respondent" in head and "respondent_id" not in head:
            head["respondent_id"] = head.pop("respondent")
        rid = _safe_id(head.get("respondent_id"))
        if not rid:
            return reject_file(
                "missing respondent id", "the header has no 'respondent' field", start + 1
            )
        raw_q = head.get("questions", head.get("question_id"))
        if raw_q is None:
            raw_q = []
        elif isinstance(raw_q, str):
            raw_q = [s for s in re.split(r"[,;\s]+", raw_q) if s]
        elif not isinstance(raw_q, list):
            raw_q = [raw_q]
        listed = [_norm_question_id(q) for q in raw_q]
        fields = {
            k: (v if k == "organisation_type" else ("" if v is None else _text(v)))
            for k, v in head.items()
            if k not in ("questions", "question_id", "respondent_id")
        }
        body_start = end + 1
        heading = re.compile(r"^ {0,3}#{1,6}[ \t]+(?:Q|Question[ \t]*)(\d+)\b.*$", re.IGNORECASE)
        sections: list[tuple[str, int, list[str]]] = []
        preamble: list[str] = []
        for i in range(body_start, len(lines)):
            m = heading.match(lines[i])
            if m:
                sections.append((f"Q{int(m.group(1))}", i, []))
            elif sections:
                sections[-1][2].append(lines[i])
            else:
                preamble.append(lines[i])
        if sections:
            pre = "\n".join(preamble).strip()
            if pre:
                q, i, body = sections[0]
                sections[0] = (q, i, [pre, "", *body])
                self.issues.add(
                    path,
                    "text before first question heading",
                    f"filed under {q}, the first question heading",
                    WARNED,
                    row=body_start,
                    respondent_id=rid,
                )
            found = [q for q, _, _ in sections]
            if listed and sorted(set(listed)) != sorted(set(found)):
                self.issues.add(
                    path,
                    "questions header differs from headings",
                    f"header lists {', '.join(listed)}; headings give {', '.join(found)} (headings used)",
                    WARNED,
                    row=start + 1,
                    respondent_id=rid,
                )
        else:
            whole = "\n".join(lines[body_start:]).strip()
            if len(listed) > 1:
                return reject_file(
                    "several questions, no headings",
                    f"the header lists {', '.join(listed)} but the text has no '## Q<n>' headings "
                    "to say which text answers which question",
                    body_start,
                )
            sections = [(listed[0] if listed else "", body_start, [whole])]
        for qid, line, body in sections:
            self._accept(
                path,
                sheet=None,
                row=line,
                rid=rid,
                qid=qid,
                text="\n".join(body).strip(),
                fields=fields,
                cols={},
            )

    def result(self) -> IngestResult:
        cols = [
            "response_id",
            "respondent_id",
            "organisation",
            "organisation_type",
            "sector",
            "location",
            "question_id",
            "text",
            "synthetic",
            "source_file",
            "source_row",
        ]
        data = pd.DataFrame(self.rows)
        extra = [c for c in data.columns if c not in cols]
        data = pd.DataFrame(self.rows, columns=cols + extra)
        data["synthetic"] = data["synthetic"].astype(bool)
        data["source_row"] = data["source_row"].astype("int64")
        res = IngestResult(
            "call_for_evidence", data, self.issues.frame(), self.n_read, tuple(self.files)
        )
        log.info(res.summary())
        return res


def _as_paths(paths: str | Path | Iterable[str | Path]) -> list[Path]:
    """The paths given, checked to exist (a missing folder is named as such, not taken for
    a table without an extension)."""
    out = [Path(paths)] if isinstance(paths, str | Path) else [Path(p) for p in paths]
    for p in out:
        if not p.exists():
            raise InputError(p, "file or folder not found")
    return out


def _skip(path: Path) -> bool:
    return (
        path.name.startswith((".", "~$"))
        or path.stem.lower() in _SKIP_NAMES
        or any(part.startswith(".") for part in path.parts[-3:-1])
    )


def read_call_for_evidence(
    paths: str | Path | Iterable[str | Path],
    *,
    questions: pd.DataFrame | str | Path | None = None,
    strict: bool = False,
) -> IngestResult:
    """Read call-for-evidence responses.

    Parameters
    ----------
    paths : CSV/XLSX tables (one row per respondent per question, columns
        ``respondent_id, organisation, organisation_type, sector, location, question_id,
        text``; other columns are carried through), ``.md``/``.txt`` submissions with a
        YAML header (``respondent, organisation, organisation_type, sector, location`` and
        ``question_id``, or ``questions`` with ``## Q3`` headings splitting the text), or
        folders of submissions (read recursively; README files are skipped)
    questions : the valid questions (default :func:`load_questions`)
    strict : raise an :class:`InputError` at the first problem instead of reporting it

    Returns
    -------
    IngestResult with ``data`` columns ``response_id`` (``respondent:question``),
    ``respondent_id, organisation, organisation_type, sector, location, question_id,
    text, synthetic, source_file, source_row`` (+ extra columns of the tables).

    Rows are rejected (and reported) for a blank respondent id, a blank or unknown
    question id, empty text, or a duplicate (same respondent and question: the first is
    kept). An unknown organisation type is kept as ``unknown`` with a warning. A table
    missing a required column is an :class:`InputError`.
    """
    qs = questions if isinstance(questions, pd.DataFrame) else load_questions(questions)
    reader = _CfeReader(qs, strict)
    for p in _as_paths(paths):
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix.lower() in _TEXT_SUFFIXES and not _skip(f):
                    reader.submission(f)
        elif p.suffix.lower() in _TEXT_SUFFIXES:
            reader.submission(p)
        else:
            for t in _read_tables(p, ["respondent_id"]):
                reader.table(t)
    return reader.result()


# ---- consultation --------------------------------------------------------------------


def _agreement_value(v: Any) -> str | None:
    """The canonical scale label, ``"Don't know"``, ``""`` for blank, or None if invalid."""
    s = clean_text(v).replace("\u2019", "'")
    if not s:
        return ""
    low = " ".join(s.lower().replace("'", "").split())
    for label in AGREEMENT_CATEGORIES:
        if low == label.lower().replace("'", ""):
            return label
    return _AGREEMENT_SYNONYMS.get(low)


def _consultation_tables(tables: Sequence[_Table], pri: pd.DataFrame, strict: bool) -> IngestResult:
    issues = _Issues(strict)
    pids = list(pri["priority_id"])
    required = [*CONSULTATION_COLUMNS, *(p.lower() for p in pids)]
    rows: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    n_read = 0
    for t in tables:
        _require(t, required, "consultation", {p.lower(): p for p in pids})
        known = {*required, "organisation", "synthetic"}
        for c, raw in zip(t.columns, t.raw_columns, strict=True):
            if re.fullmatch(r"p\d+", c) and c not in known:
                issues.add(
                    t.path,
                    "column ignored",
                    f"{_quoted(raw)} looks like a draft priority but is not in consultation.yaml",
                    WARNED,
                    sheet=t.sheet,
                    row=t.header_row,
                    column=t.col(c),
                    header=raw,
                )
        for r, cells in t.body:
            n_read += 1
            f = dict(zip(t.columns, cells, strict=False))
            rid = _safe_id(f.get("respondent_id"))
            if not rid:
                issues.add(
                    t.path,
                    "missing respondent id",
                    "the respondent_id is blank",
                    REJECTED,
                    sheet=t.sheet,
                    row=r,
                    column=t.col("respondent_id"),
                    header="respondent_id",
                )
                continue
            where = f"{t.path.name}" + (f" sheet '{t.sheet}'" if t.sheet else "") + f" row {r + 1}"
            if rid in seen:
                issues.add(
                    t.path,
                    "duplicate",
                    f"respondent {rid} already responded ({seen[rid]})",
                    REJECTED,
                    sheet=t.sheet,
                    row=r,
                    column=t.col("respondent_id"),
                    header="respondent_id",
                    respondent_id=rid,
                )
                continue
            seen[rid] = where
            otype = _check_org_type(
                f.get("organisation_type"),
                issues,
                t.path,
                sheet=t.sheet,
                row=r,
                column=t.col("organisation_type"),
                rid=rid,
            )
            rec: dict[str, Any] = {
                "response_id": rid,
                "respondent_id": rid,
                "organisation": redact(clean_text(f.get("organisation"))),
                "organisation_type": otype,
            }
            for pid in pids:
                cell = f.get(pid.lower())
                val = _agreement_value(cell)
                if val is None:
                    issues.add(
                        t.path,
                        "bad agreement value",
                        f"{_quoted(cell)} is not one of {', '.join(AGREEMENT_CATEGORIES)}; "
                        f"counted as no answer to {pid}",
                        WARNED,
                        sheet=t.sheet,
                        row=r,
                        column=t.col(pid.lower()),
                        header=pid,
                        respondent_id=rid,
                    )
                    val = ""
                rec[pid] = val or None
            rec["comments"] = redact(_text(f.get("comments")))
            rec["synthetic"] = _truthy(f.get("synthetic"))
            rec["source_file"] = str(t.path)
            rec["source_row"] = r + 1
            rows.append(rec)
    cols = [
        "response_id",
        "respondent_id",
        "organisation",
        "organisation_type",
        *pids,
        "comments",
        "synthetic",
        "source_file",
        "source_row",
    ]
    data = pd.DataFrame(rows, columns=cols)
    for pid in pids:
        data[pid] = pd.Categorical(
            data[pid].astype("object"), categories=list(AGREEMENT_CATEGORIES), ordered=False
        )
    data["synthetic"] = data["synthetic"].astype(bool)
    data["source_row"] = data["source_row"].astype("int64")
    res = IngestResult(
        "consultation",
        data,
        issues.frame(),
        n_read,
        tuple(dict.fromkeys(str(t.path) for t in tables)),
    )
    log.info(res.summary())
    return res


def read_consultation(
    paths: str | Path | Iterable[str | Path],
    *,
    priorities: pd.DataFrame | str | Path | None = None,
    strict: bool = False,
) -> IngestResult:
    """Read consultation responses.

    Parameters
    ----------
    paths : CSV/XLSX tables with ``respondent_id, organisation_type``, one column per
        draft priority headed by its id (``P1`` ...) holding ``Strongly agree``, ``Agree``,
        ``Neither agree nor disagree``, ``Disagree``, ``Strongly disagree``, ``Don't know``
        or blank, and ``comments``; optional ``organisation`` and ``synthetic``
    priorities : as :func:`load_priorities` (default: the package's)
    strict : raise at the first problem instead of reporting it

    Returns
    -------
    IngestResult whose ``data`` has one row per respondent: ``response_id`` (= respondent
    id), ``respondent_id, organisation, organisation_type``, a categorical column per
    priority (missing = no answer), ``comments, synthetic, source_file, source_row``.

    A blank respondent id or a repeated one is a rejected row; an agreement value off the
    scale is reported and counted as no answer; a missing column is an
    :class:`InputError`; a ``P<n>`` column not among the priorities is reported and
    ignored.
    """
    pri = _priorities(priorities)
    tables = [t for p in _as_paths(paths) for t in _read_tables(p, ["respondent_id"])]
    return _consultation_tables(tables, pri, strict)


# ---- consideration log ---------------------------------------------------------------


def _parse_date(v: Any) -> date | None | str:
    """A date, None for blank, or the text back when it is not a date."""
    if isinstance(v, datetime):
        return v.date()
    if isinstance(v, date):
        return v
    s = clean_text(v)
    if not s:
        return None
    try:
        return date.fromisoformat(s[:10])
    except ValueError:
        pass
    for fmt in ("%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d %B %Y", "%d %b %Y"):
        try:
            return datetime.strptime(s, fmt).date()
        except ValueError:
            continue
    return s


def read_consideration_log(
    paths: str | Path | Iterable[str | Path],
    *,
    taxonomy: Taxonomy | str | Path | None = None,
    priorities: pd.DataFrame | str | Path | None = None,
    strict: bool = False,
) -> IngestResult:
    """Read the "how each point was considered" log officers fill in.

    Parameters
    ----------
    paths : CSV/XLSX with ``point_id, theme_or_priority`` (a taxonomy theme id or label,
        or a draft priority id), ``point, response, change_made, officer, date``
        (``theme`` or ``priority`` are accepted as the second header)

    Returns
    -------
    IngestResult whose ``data`` has those columns (``theme_or_priority`` normalised to
    the id, ``date`` a date or missing) plus ``source_file, source_row``.

    A blank or repeated point id is a rejected row; an unknown theme or priority, a date
    that is not a date (dd/mm/yyyy or yyyy-mm-dd), or a response with no officer or date
    is a warning.
    """
    tax = _taxonomy(taxonomy)
    pri = _priorities(priorities)
    tables = [t for p in _as_paths(paths) for t in _read_tables(p, ["point_id"])]
    return _log_tables(tables, tax, pri, strict)


def _log_tables(
    tables: Sequence[_Table], tax: Taxonomy, pri: pd.DataFrame, strict: bool
) -> IngestResult:
    issues = _Issues(strict)
    by_key = {t.id.lower(): t.id for t in tax.themes}
    by_key.update({t.label.lower(): t.id for t in tax.themes})
    by_key.update({p.lower(): p for p in pri["priority_id"]})
    rows = []
    seen: dict[str, str] = {}
    n_read = 0
    for t in tables:
        _require(t, LOG_COLUMNS, "consideration log")
        for r, cells in t.body:
            n_read += 1
            f = dict(zip(t.columns, cells, strict=False))
            pid = _safe_id(f.get("point_id"))

            def add(
                problem: str,
                detail: str,
                action: str,
                col: str,
                pid: str = pid,
                r: int = r,
                t: _Table = t,
            ) -> None:
                issues.add(
                    t.path,
                    problem,
                    detail,
                    action,
                    sheet=t.sheet,
                    row=r,
                    column=t.col(col),
                    header=col,
                    respondent_id=pid or None,
                )

            if not pid:
                add("missing point id", "the point_id is blank", REJECTED, "point_id")
                continue
            if pid in seen:
                add(
                    "duplicate",
                    f"point {pid} is already in the log ({seen[pid]})",
                    REJECTED,
                    "point_id",
                )
                continue
            seen[pid] = f"{t.path.name} row {r + 1}"
            raw_key = clean_text(f.get("theme_or_priority"))
            key = by_key.get(raw_key.lower())
            if key is None:
                add(
                    "unknown theme or priority",
                    f"{_quoted(raw_key)} is not a theme in the taxonomy or a draft priority",
                    WARNED,
                    "theme_or_priority",
                )
                key = raw_key
            when = _parse_date(f.get("date"))
            if isinstance(when, str):
                add(
                    "bad date",
                    f"{_quoted(when)} is not a date (use dd/mm/yyyy or yyyy-mm-dd)",
                    WARNED,
                    "date",
                )
                when = None
            response = _text(f.get("response"))
            officer = clean_text(f.get("officer"))
            if response and (not officer or when is None):
                add(
                    "response not signed off",
                    "a response is recorded without an officer and date",
                    WARNED,
                    "officer",
                )
            rows.append(
                {
                    "point_id": pid,
                    "theme_or_priority": redact(key),
                    "point": redact(_text(f.get("point"))),
                    "response": redact(response),
                    "change_made": redact(_text(f.get("change_made"))),
                    "officer": redact(officer),
                    "date": when,
                    "source_file": str(t.path),
                    "source_row": r + 1,
                }
            )
    data = pd.DataFrame(rows, columns=[*LOG_COLUMNS, "source_file", "source_row"])
    data["source_row"] = data["source_row"].astype("int64")
    res = IngestResult(
        "consideration_log",
        data,
        issues.frame(),
        n_read,
        tuple(dict.fromkeys(str(t.path) for t in tables)),
    )
    log.info(res.summary())
    return res


# ---- a whole folder ------------------------------------------------------------------


def load_evidence(
    folder: str | Path,
    *,
    questions: pd.DataFrame | str | Path | None = None,
    priorities: pd.DataFrame | str | Path | None = None,
    taxonomy: Taxonomy | str | Path | None = None,
    strict: bool = False,
) -> EvidenceBundle:
    """Read every evidence file in a folder (default location: ``data/raw/evidence/``).

    Each CSV/XLSX is recognised by its header: ``point_id`` -> consideration log;
    ``question_id`` -> call-for-evidence responses; ``respondent_id`` with ``comments``
    or a draft-priority column -> consultation responses. ``.md``/``.txt`` files are
    call-for-evidence submissions (README, PROVENANCE, LICENCE and hidden files are
    skipped). Other files are skipped and listed in ``skipped``.

    Returns
    -------
    EvidenceBundle with one :class:`IngestResult` per kind found (None when absent).

    Raises
    ------
    InputError
        when the folder does not exist, or a table is none of the three kinds.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise InputError(folder, "evidence folder not found")
    pri = _priorities(priorities)
    pids = {p.lower() for p in pri["priority_id"]}
    cfe_tables: list[_Table] = []
    con_tables: list[_Table] = []
    log_tables: list[_Table] = []
    texts: list[Path] = []
    skipped: list[str] = []
    for f in sorted(folder.rglob("*")):
        if not f.is_file():
            continue
        if _skip(f):
            skipped.append(str(f))
            continue
        suffix = f.suffix.lower()
        if suffix in _TEXT_SUFFIXES:
            texts.append(f)
        elif suffix in _TABLE_SUFFIXES:
            for t in _read_tables(f, ["respondent_id", "point_id"]):
                cols = set(t.columns)
                if "point_id" in cols:
                    log_tables.append(t)
                elif "question_id" in cols:
                    cfe_tables.append(t)
                elif "comments" in cols or cols & pids:
                    con_tables.append(t)
                else:
                    raise InputError(
                        f,
                        "cannot tell what this table is: a call-for-evidence table has "
                        "'question_id', a consultation table 'comments' and the priority columns, "
                        "a consideration log 'point_id'",
                        sheet=t.sheet,
                        row=t.header_row,
                    )
        else:
            skipped.append(str(f))
            log.warning("%s: not read (only .csv, .xlsx, .md and .txt files are evidence)", f)
    cfe = None
    if cfe_tables or texts:
        qs = questions if isinstance(questions, pd.DataFrame) else load_questions(questions)
        reader = _CfeReader(qs, strict)
        for t in cfe_tables:
            reader.table(t)
        for p in texts:
            reader.submission(p)
        cfe = reader.result()
    con = _consultation_tables(con_tables, pri, strict) if con_tables else None
    clog = _log_tables(log_tables, _taxonomy(taxonomy), pri, strict) if log_tables else None
    return EvidenceBundle(cfe, con, clog, tuple(skipped))
