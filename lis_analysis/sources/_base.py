"""What every source parser shares: the tidy contract, markers, cell parsing, validation.

A source module reads one published dataset *as published* and returns tidy
observations (one row per published number, columns :data:`TIDY_COLUMNS`). It knows its
file names, header quirks and markers, and nothing else: indicator logic lives in
``lis_analysis.indicators``.

Row and column numbers carried in observations and errors are 0-based internally and
printed 1-based (rows) or as letters (workbook columns), as a spreadsheet shows them.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from fnmatch import fnmatch
from pathlib import Path
from typing import Any, ClassVar, Literal, NamedTuple

import numpy as np
import pandas as pd

from ..errors import InputError
from . import _guard

# --------------------------------------------------------------------------------------
# The tidy contract (DESIGN.md) plus the columns that make every number traceable
# --------------------------------------------------------------------------------------

#: Columns of the DESIGN.md contract, in order.
CONTRACT_COLUMNS = [
    "dataset",
    "measure",
    "geography_code",
    "geography_name",
    "geography_level",
    "industry",
    "period",
    "value",
    "unit",
    "status",
    "ci_lower",
    "ci_upper",
    "release",
    "source_file",
]
#: Extra columns: a breakdown (sex, size band, employment status...), the year the period
#: ends in, where in the file the number was printed, and whether it is demonstrator data.
EXTRA_COLUMNS = ["breakdown", "year", "sheet", "row", "col", "demo"]
TIDY_COLUMNS = CONTRACT_COLUMNS + EXTRA_COLUMNS
#: Lookup parsers (district -> ITL, region, combined authority, LSIP; LEP names) return
#: relations instead of observations: one row per (child, parent) pair.
LOOKUP_COLUMNS = [
    "relation",  # e.g. "lad_to_itl3", "lad_to_region", "lad_to_ca", "lad_to_lsip", "lep_names"
    "child_code",
    "child_name",
    "child_level",
    "parent_code",
    "parent_name",
    "parent_level",
    "release",
    "source_file",
    "row",
]
#: The key that must be unique within one release of a dataset.
KEY_COLUMNS = ["dataset", "measure", "geography_code", "industry", "breakdown", "period"]

STRING_COLUMNS = [
    "dataset",
    "measure",
    "geography_code",
    "geography_name",
    "geography_level",
    "industry",
    "breakdown",
    "period",
    "unit",
    "status",
    "release",
    "source_file",
    "sheet",
]

#: Publishers' markers and what they mean. A marker is kept in ``status`` with ``value``
#: missing; it is never turned into a zero.
MARKERS: dict[str, str] = {
    "x": "not available or suppressed (unreliable, or not collected)",
    "c": "confidential (suppressed to avoid disclosure)",
    "u": "low reliability",
    "..": "disclosive or not available",
    ":": "not applicable",
    "-": "nil, negligible or missing (as the publisher defines it)",
    "*": "estimate unreliable (sample too small)",
    "!": "estimate not shown (sample too small)",
    "#": "estimate suppressed",
    "~": "rounds to zero",
    "[c]": "confidential (suppressed to avoid disclosure)",
    "[x]": "not available",
    "[u]": "low reliability (suppressed)",
    "[z]": "not applicable",
    "[low]": "low figure, rounds to zero",
    "na": "not available",
    "n/a": "not available",
    "blank": "empty cell: the publisher printed no figure (recorded by parsers whose format allows it)",
    # Given by a year header (``2023 (p)``, ``2023 revised``) to the numbers under it;
    # a header's note reference is kept as printed (``[note 5]``).
    "[note 13]": "flagged by the publisher (ONS business demography: more than 500 businesses at a single postcode)",
    "p": "provisional (the year's header says so)",
    "r": "revised (the year's header says so)",
    # Nomis API OBS_STATUS codes (kept as printed; see lis_analysis/sources/nomis_api.py)
    "Q": "Nomis: value suppressed (confidentiality or reliability)",
    "P": "Nomis: provisional",
    "M": "Nomis: missing",
    "L": "Nomis: low reliability",
    "O": "Nomis: other flag (see the dataset's notes)",
}

#: Earliest and latest plausible reference year of any published number.
MIN_YEAR = 1970


def max_year() -> int:
    """The latest reference year a published number can have (next year, for forecasts)."""
    return date.today().year + 1


Aggregation = Literal["additive", "ratio", "survey_rate", "not_aggregable"]


@dataclass(frozen=True)
class Measure:
    """How one published measure behaves: its unit and how it aggregates to an area.

    Attributes
    ----------
    id : measure id used in observations (``gva_current``, ``gva_per_hour`` ...)
    unit : unit as printed (``GBP million``, ``GBP``, ``index``, ``percent``, ``count`` ...)
    aggregation : ``additive`` (summed), ``ratio`` (recomputed from summed numerator and
        ``denominator``), ``survey_rate`` (pooled with ``denominator`` as the base,
        intervals approximate) or ``not_aggregable`` (medians, published indices, ranks)
    denominator : for ``ratio``/``survey_rate``: the measure that weights it, as
        ``measure`` (same dataset) or ``dataset:measure``. The area value is
        ``Σ(value·denominator) / Σ denominator``: the ratio of summed numerator and
        denominator, never the mean of the districts' ratios.
    nonnegative : a negative value is an input error
    description : one line for humans
    approximate : for ``ratio``/``survey_rate``: the ``denominator`` stands in for the
        publisher's own base (another age band, vintage or population), so an area's
        figure built with it is approximate and must be labelled so
    base : the publisher's own base (or coverage), in words, for pages to cite
    why : why the measure aggregates the way it does, in one line, for pages to cite
    """

    id: str
    unit: str
    aggregation: Aggregation
    description: str = ""
    denominator: str | None = None
    nonnegative: bool = True
    approximate: bool = False
    base: str = ""
    why: str = ""

    def __post_init__(self) -> None:
        if self.aggregation in ("ratio", "survey_rate") and not self.denominator:
            raise ValueError(f"measure {self.id}: a {self.aggregation} needs a denominator")


# --------------------------------------------------------------------------------------
# Geography codes
# --------------------------------------------------------------------------------------

_LEVEL_BY_PREFIX = {
    "K02": "uk",
    "K03": "gb",
    "K04": "ew",
    "E92": "country",
    "W92": "country",
    "S92": "country",
    "N92": "country",
    "E12": "region",
    "E10": "county",
    "E11": "county",  # metropolitan county
    "E13": "county",  # inner/outer London
    "E06": "lad",
    "E07": "lad",
    "E08": "lad",
    "E09": "lad",
    "W06": "lad",
    "S12": "lad",
    "N09": "lad",
    "E47": "ca",
    "E69": "lsip",
    "E37": "lep",
    "W07": "other",  # Welsh economic regions
}
GSS_RE = re.compile(r"^[EWSNK]\d{8}$")
#: ITL codes: TLC..TLN are ONS's; TLV..TLY are reserved for the synthetic demonstrator
#: regions (no ONS code uses them), so demonstrator geography can never pass for real.
ITL_RE = re.compile(r"^TL[C-NV-Y][0-9A-Z]{0,3}$")


def geography_level(code: str) -> str:
    """The level of a geography code: ``uk``, ``country``, ``region``, ``itl1``..``itl3``,
    ``county``, ``lad``, ``ca``, ``lsip``, ``lep``, ``other``; ``unknown`` if not a code."""
    code = code.strip()
    if code in ("UKX", "UK", "K02000001"):
        return "uk"
    if code == "TLB":  # ONS labels England 'TLB' (ITL level 'Other') in ITL tables
        return "country"
    if ITL_RE.match(code):
        return f"itl{len(code) - 2}" if len(code) <= 5 else "itl3"
    if GSS_RE.match(code):
        return _LEVEL_BY_PREFIX.get(code[:3], "other")
    return "unknown"


def is_geography_code(code: str) -> bool:
    """True for a GSS code (``E06000016``), an ITL code (``TLF22``, ``TLB``) or ``UKX``."""
    return geography_level(code) != "unknown"


# --------------------------------------------------------------------------------------
# Reading files as published
# --------------------------------------------------------------------------------------


def _check_readable(path: Path) -> None:
    if not path.exists():
        raise InputError(path, "file not found")
    if not path.is_file():
        raise InputError(path, "not a regular file (a folder, device or pipe)")
    if path.stat().st_size == 0:
        raise InputError(path, "the file is empty (0 bytes)")


def _read_bytes(path: Path) -> bytes:
    """The whole file, opened read-only (raw files are never modified)."""
    try:
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as exc:
        raise InputError(path, f"cannot read the file ({exc.strerror or exc})") from None


class Workbook:
    """A published .xls/.xlsx workbook opened read-only with python-calamine.

    Sheets are read once and cached as lists of rows (Python values; empty cells are
    ``""``). Before calamine sees the file, its size, its zip parts and (when a sheet is
    first read) the sheet's extent are checked against the limits in :mod:`._guard`:
    calamine aborts the whole process on a sheet spanning a huge range, which no
    ``except`` can catch. Any failure to open (truncated, not a workbook, encrypted, over a
    limit) is an :class:`InputError` naming the file.

    Parameters
    ----------
    path : the workbook
    max_bytes : the largest file accepted (a parser's own limit; default
        :data:`._guard.MAX_WORKBOOK_BYTES`)
    """

    def __init__(self, path: str | Path, *, max_bytes: int = _guard.MAX_WORKBOOK_BYTES) -> None:
        from python_calamine import CalamineWorkbook

        self.path = Path(path)
        _check_readable(self.path)
        _guard.check_size(self.path, max_bytes, "a workbook")
        data = _read_bytes(self.path)
        kind = _guard.workbook_kind(data[:8])
        self._guard: _guard.XlsxGuard | None = None
        if kind == "xlsx":
            self._guard = _guard.XlsxGuard(self.path, io.BytesIO(data))
        elif kind == "xls":
            _guard.check_size(self.path, _guard.MAX_XLS_BYTES, "a legacy .xls workbook")
        else:
            raise InputError(
                self.path, "not an Excel workbook (neither an .xlsx zip nor a legacy .xls file)"
            )
        try:
            self._book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        except Exception as exc:  # calamine raises several error types
            detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise InputError(
                self.path, f"cannot read the workbook (truncated or not an Excel file): {detail}"
            ) from None
        self.sheet_names: list[str] = list(self._book.sheet_names)
        self._cache: dict[str, list[list[Any]]] = {}

    def has(self, sheet: str) -> bool:
        return sheet in self.sheet_names

    def find_sheet(self, *names: str) -> str:
        """The first sheet whose name matches one of ``names`` (ignoring case and
        surrounding spaces); an :class:`InputError` listing the sheets otherwise."""
        norm = {s.strip().lower(): s for s in self.sheet_names}
        for n in names:
            if n.strip().lower() in norm:
                return norm[n.strip().lower()]
        raise InputError(
            self.path,
            f"sheet {names[0]!r} not found (sheets: {', '.join(self.sheet_names)})",
        )

    def require_sheets(self, names: Iterable[str], what: str = "") -> dict[str, str]:
        """Each expected sheet name -> the sheet as named in the file (ignoring case and
        surrounding spaces); an :class:`InputError` naming every missing one otherwise
        (a renamed sheet must not silently drop its table)."""
        norm = {s.strip().lower(): s for s in self.sheet_names}
        names = list(names)
        missing = [n for n in names if n.strip().lower() not in norm]
        if missing:
            shown = ", ".join(repr(m) for m in missing)
            raise InputError(
                self.path,
                f"expected sheet(s) {shown}{' ' + what if what else ''} not found "
                f"(sheets: {', '.join(self.sheet_names)})"[:600],
            )
        return {n: norm[n.strip().lower()] for n in names}

    def refuse_unknown_sheets(
        self, known: Iterable[str] | Callable[[str], bool], expected: str
    ) -> None:
        """An :class:`InputError` naming the first sheet that is not one of ``known`` (names,
        ignoring case and surrounding spaces, or a test): the publisher's workbook holds
        these sheets only, so another name is a renamed table (``Tabel 3``) whose figures
        would otherwise be left out without a word. ``expected`` says what is read."""
        if callable(known):
            test = known
        else:
            names = {n.strip().lower() for n in known}

            def test(s: str) -> bool:
                return s.strip().lower() in names

        for s in self.sheet_names:
            if not test(s):
                raise InputError(
                    self.path,
                    f"sheet {s!r} is not one this parser reads (a renamed sheet? expected {expected}; "
                    f"sheets: {', '.join(self.sheet_names)})"[:600],
                )

    def listed_in_contents(self, names: Iterable[str]) -> list[str]:
        """Those of ``names`` that the workbook's own ``Contents`` sheet lists in its first
        column (ignoring case and spaces); none when it has no such sheet. A sheet the
        publisher lists must then be present (:meth:`require_sheets`), while a workbook
        that never had it (an edition without that table) still reads."""
        sheet = next((s for s in self.sheet_names if s.strip().lower() == "contents"), None)
        if sheet is None:
            return []
        listed = {re.sub(r"\s+", "", clean_text(r[0])).lower() for r in self.rows(sheet) if r}
        return [n for n in names if re.sub(r"\s+", "", n).lower() in listed]

    def rows(self, sheet: str) -> list[list[Any]]:
        if sheet not in self._cache:
            if sheet not in self.sheet_names:
                raise InputError(
                    self.path, f"sheet {sheet!r} not found (sheets: {', '.join(self.sheet_names)})"
                )
            if self._guard is not None:
                self._guard.check_sheet(sheet)  # before calamine allocates the sheet
            try:
                self._cache[sheet] = self._book.get_sheet_by_name(sheet).to_python()
            except Exception as exc:
                detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise InputError(
                    self.path, f"cannot read the sheet: {detail}", sheet=sheet
                ) from None
        return self._cache[sheet]


def read_text(path: str | Path, *, max_bytes: int = _guard.MAX_CSV_BYTES) -> str:
    """A text file's content, BOM removed, any line endings; a clear error if not UTF-8
    or Windows-1252, or above ``max_bytes`` (checked before reading)."""
    path = Path(path)
    _check_readable(path)
    _guard.check_size(path, max_bytes, "a text file of this kind")
    data = _read_bytes(path)
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise InputError(path, "not a text file (cannot decode as UTF-8 or Windows-1252)")


def read_csv_rows(path: str | Path, *, max_bytes: int = _guard.MAX_CSV_BYTES) -> list[list[str]]:
    """All rows of a CSV file as lists of strings (BOM, CRLF and quoting handled); files
    above ``max_bytes`` are refused before they are read."""
    text = read_text(path, max_bytes=max_bytes)
    if "\x00" in text[:4096]:
        raise InputError(path, "not a CSV text file (binary content)")
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise InputError(path, f"malformed CSV: {exc}") from None


def check_row_widths(
    rows: Sequence[Sequence[Any]],
    data_rows: Iterable[int],
    width: int,
    *,
    file: str | Path,
    allow_short: bool = False,
) -> None:
    """Every data row has the header's ``width`` fields: a longer row would shift every
    later column (each year's value read as the previous year's), a shorter one is
    truncated. ``allow_short`` accepts rows that stop early (Nomis omits trailing empty
    flag cells). The error names the file, the row and the first extra column."""
    for r in data_rows:
        n = len(rows[r])
        if n > width:
            raise InputError(
                file,
                f"row has {n} fields, the header {width}: one cell too many shifts every later "
                "column (an extra comma or a broken quote?)",
                row=r,
                column=width,
            )
        if n < width and not allow_short:
            raise InputError(
                file,
                f"row has {n} fields, the header {width} (truncated or malformed line)",
                row=r,
            )


# --------------------------------------------------------------------------------------
# Cells
# --------------------------------------------------------------------------------------

#: A number as the publishers print it, and nothing else: digits with an optional decimal
#: part (``1234``, ``1234.5``, ``.5``, ``5.``) and exponent (``1.2E-05``), or with
#: thousands separators in their proper place only (``12,345``, ``1,234,567.8``: groups
#: of three after a first group of one to three digits that does not start with 0, and
#: no exponent). ``12,5`` (a decimal comma), ``1,2,3`` or ``0,500`` are not numbers.
#: ``inf``, ``nan`` and the like are not numbers either.
#: ASCII digits only: a digit of another script (Arabic-Indic, full-width) is not read.
_PLAIN_NUMBER = r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_GROUPED_NUMBER = r"[+-]?[1-9][0-9]{0,2}(?:,[0-9]{3})+(?:\.[0-9]+)?"
_NUM_RE = re.compile(rf"^(?:{_PLAIN_NUMBER}|{_GROUPED_NUMBER})$")
_HAS_DIGIT_RE = re.compile(r"\d")


def clean_text(v: Any) -> str:
    """A header or label cell as text: stripped, inner whitespace runs collapsed; floats
    that are whole numbers lose their ``.0`` (``1998.0`` -> ``'1998'``)."""
    if v is None:
        return ""
    if isinstance(v, float):
        if np.isnan(v):
            return ""
        if v.is_integer():
            return str(int(v))
    return re.sub(r"\s+", " ", str(v)).strip()


def number_from_text(s: str) -> float | None:
    """The value of a number printed as text (see :data:`_NUM_RE`), or None when the text
    is not a finite number as the publishers print one. The one place where text becomes
    a number: every parser's cells, CSV fields and confidence limits come through here or
    through :func:`numbers_from_texts`, which follows the same rule.

    Examples
    --------
    >>> number_from_text("1,234,567.8"), number_from_text("12,5"), number_from_text("1e400")
    (1234567.8, None, None)
    """
    if not _NUM_RE.match(s):
        return None
    f = float(s.replace(",", ""))
    return f if np.isfinite(f) else None


def number_problem(s: str) -> str:
    """Why a non-empty text that is not a marker is not a number, in words (for errors)."""
    t = s.strip()
    if "," in t and _NUM_RE.match(t.replace(",", "")):
        return (
            f"{t[:40]!r} has a comma out of place (thousands separators are read only as "
            "12,345 or 1,234,567.8; a decimal comma or a list is not a number)"
        )
    if _NUM_RE.match(t):
        return f"{t[:40]!r} is too large: it is not a finite number"
    low = t.lower().lstrip("+-")
    if low in ("inf", "infinity", "nan"):
        return f"{t[:40]!r} is not a finite number"
    return ""


def parse_number(
    v: Any,
    *,
    file: str | Path,
    sheet: str | None,
    row: int,
    col: int,
    header: str | None = None,
    markers: Iterable[str] = MARKERS,
    blank: str | None = None,
) -> tuple[float, str | None]:
    """One published cell as ``(value, status)``.

    Numbers give ``(number, None)``; a known marker gives ``(nan, marker)``; a blank cell
    gives ``(nan, blank)`` when ``blank`` is a status to record (e.g. ``"blank"``) or raises
    when ``blank`` is None. Anything else raises :class:`InputError` naming the cell: text
    that is not a number as the publishers print one (``12,5``, ``1,2,3``), and values
    that are not finite (``inf``, ``nan``, ``1e400``, or a workbook cell holding one).
    """
    where: dict[str, Any] = {"sheet": sheet, "row": row, "column": col, "header": header}
    if isinstance(v, bool):
        raise InputError(file, f"unexpected boolean {v!r}", **where)
    if isinstance(v, (int, float, np.integer, np.floating)):
        f = float(v)
        if not np.isfinite(f):
            # A workbook cell holding NaN or infinity (an empty cell is read as ""):
            # never a published number.
            raise InputError(file, f"the cell holds {f!r}, not a finite number", **where)
        return f, None
    s = clean_text(v)
    if s == "":
        if blank is None:
            raise InputError(file, "empty cell where a number was expected", **where)
        return np.nan, blank
    number = number_from_text(s)
    if number is not None:
        return number, None
    markers = set(markers)
    if s in markers or s.lower() in markers:
        return np.nan, s if s in markers else s.lower()
    why = number_problem(s)
    if why:
        raise InputError(file, f"not a number: {why}", **where)
    known = ", ".join(sorted(markers))
    raise InputError(
        file, f"non-numeric value {s[:60]!r} is not a known marker (known: {known})", **where
    )


def numbers_from_texts(texts: Any) -> np.ndarray:
    """:func:`number_from_text` over an array of strings at once: the value of each text
    that is a finite number as the publishers print one, NaN for any other text (blank,
    a marker, ``12,5``, ``inf``: the caller sends those through :func:`parse_number`,
    which says why). Vectorised with pyarrow's regular expressions for large CSVs."""
    import pyarrow as pa
    import pyarrow.compute as pc

    arr = pa.array(np.asarray(texts, dtype=object).reshape(-1), type=pa.large_string())
    arr = pc.utf8_trim_whitespace(arr)
    ok = pc.match_substring_regex(arr, _NUM_RE.pattern)
    plain = pc.if_else(ok, pc.replace_substring(arr, ",", ""), pa.scalar(None, pa.large_string()))
    values = pc.cast(plain, pa.float64(), safe=False).to_numpy(zero_copy_only=False)
    values = np.where(np.isfinite(values), values, np.nan)
    return values.reshape(np.shape(texts))


def parse_block(
    rows: Sequence[Sequence[Any]],
    row_indices: Sequence[int],
    col_indices: Sequence[int],
    *,
    file: str | Path,
    sheet: str | None,
    headers: Sequence[str] | None = None,
    markers: Iterable[str] = MARKERS,
    blank: str | None = None,
    col_status: Sequence[str | None] | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Parse a rectangular block of cells to ``(values, status)`` arrays of shape
    (len(row_indices), len(col_indices)). Fast path for plain numbers; every other cell
    goes through :func:`parse_number` (so a bad cell names its row and column).

    ``col_status`` gives a status for the numbers of each column that carry no marker of
    their own: a year header printed ``2023 (p)`` makes its numbers ``p`` (provisional).
    """
    n, m = len(row_indices), len(col_indices)
    values = np.full((n, m), np.nan)
    status = np.full((n, m), None, dtype=object)
    markers = tuple(markers)
    for i, r in enumerate(row_indices):
        line = rows[r]
        width = len(line)
        for j, c in enumerate(col_indices):
            v = line[c] if c < width else ""
            if type(v) is float and v == v:
                values[i, j] = v
            elif type(v) is int:
                values[i, j] = float(v)
            else:
                values[i, j], status[i, j] = parse_number(
                    v,
                    file=file,
                    sheet=sheet,
                    row=r,
                    col=c,
                    header=headers[j] if headers is not None else None,
                    markers=markers,
                    blank=blank,
                )
    check_finite(values, row_indices, col_indices, file=file, sheet=sheet, headers=headers)
    if col_status is not None and any(col_status):
        for j, st in enumerate(col_status):
            if st:
                plain = status[:, j] == None  # noqa: E711 (elementwise on an object array)
                status[plain & ~np.isnan(values[:, j]), j] = st
    return values, status


def check_finite(
    values: np.ndarray,
    row_indices: Sequence[int],
    col_indices: Sequence[int],
    *,
    file: str | Path,
    sheet: str | None,
    headers: Sequence[str] | None = None,
) -> None:
    """Raise on the first infinite value of a parsed block (a workbook cell holding
    1e400 or inf, which the fast paths take as a float), naming its cell."""
    bad = np.isinf(values)
    if bad.any():
        i, j = (int(k[0]) for k in np.nonzero(bad))
        raise InputError(
            file,
            f"the cell holds {float(values[i, j])!r}, not a finite number",
            sheet=sheet,
            row=int(row_indices[i]),
            column=int(col_indices[j]),
            header=headers[j] if headers is not None else None,
        )


def find_row(
    rows: Sequence[Sequence[Any]],
    predicate: Callable[[list[str]], bool],
    *,
    file: str | Path,
    sheet: str | None,
    what: str,
    start: int = 0,
    limit: int = 40,
) -> int:
    """Index of the first row (from ``start``, within ``limit`` rows) whose cleaned cells
    satisfy ``predicate``; an :class:`InputError` saying ``what`` was expected otherwise."""
    for i in range(start, min(len(rows), start + limit)):
        if predicate([clean_text(c) for c in rows[i]]):
            return i
    raise InputError(
        file, f"{what} not found in the first {limit} rows (header moved or renamed?)", sheet=sheet
    )


def require_columns(
    header: Sequence[Any],
    required: Sequence[str],
    *,
    file: str | Path,
    sheet: str | None,
    row: int,
) -> dict[str, int]:
    """Map each required header text (case-insensitive, spaces collapsed) to its column
    index; an :class:`InputError` naming the first missing column otherwise."""
    cleaned = [clean_text(h).lower() for h in header]
    out: dict[str, int] = {}
    for name in required:
        key = clean_text(name).lower()
        if key not in cleaned:
            raise InputError(
                file,
                f"expected column {name!r} in the header row, found: "
                + ", ".join(repr(clean_text(h)) for h in header if clean_text(h))[:300],
                sheet=sheet,
                row=row,
            )
        out[name] = cleaned.index(key)
    return out


class YearCol(NamedTuple):
    """A year column of a wide table: its index, its year and the status its header gives
    the column's numbers (``p`` for ``2023 (p)``, ``[note 5]`` for ``2023 [note 5]``)."""

    col: int
    year: int
    marker: str | None = None


#: What may follow the year in a year header, and the status it gives (``p`` provisional,
#: ``r`` revised; a note reference is kept as printed). Matched at the start of what is
#: left, one after another: ``2023 (p) [note 5]`` -> ``p [note 5]``.
_YEAR_SUFFIXES = (
    (re.compile(r"^[(\[]?\s*(?:p|prov|provisional)\s*[)\]]?(?![a-z])", re.I), "p"),
    (re.compile(r"^[(\[]?\s*(?:r|rev|revised)\s*[)\]]?(?![a-z])", re.I), "r"),
    (re.compile(r"^[(\[]\s*notes?\s*([0-9]+[a-z]?)\s*[)\]]", re.I), "[note {0}]"),
)


def year_header(text: Any, prefix: str = "") -> tuple[int, str | None] | None:
    """``(year, marker)`` of a year header: ``2023``, ``2023.0``, ``Index_2023`` (with
    ``prefix``), ``2023 [note 5]``, ``2023 (p)``, ``2023 (provisional)``, ``2023p``,
    ``2023 revised``; None when the cell is not a year header at all.

    Raises
    ------
    ValueError
        when the cell starts with a year but what follows is not a marker this function
        reads (``2023 (e)``): such a column must not be silently left out.

    Examples
    --------
    >>> year_header("2023 (p)"), year_header("2023 [note 5]"), year_header("LA code")
    ((2023, 'p'), (2023, '[note 5]'), None)
    """
    t = clean_text(text)
    m = re.match(rf"^{re.escape(prefix)}((?:19|20)[0-9]{{2}})(?:\.0+)?(?![0-9.])", t, re.IGNORECASE)
    if not m:
        return None
    rest = t[m.end() :].strip()
    markers: list[str] = []
    while rest:
        for pat, out in _YEAR_SUFFIXES:
            mm = pat.match(rest)
            if mm:
                markers.append(out.format(*(g.lower() for g in mm.groups())))
                rest = rest[mm.end() :].strip(" ,;")
                break
        else:
            raise ValueError(t)
    return int(m.group(1)), (" ".join(dict.fromkeys(markers)) or None)


def year_columns(
    header: Sequence[Any],
    *,
    prefix: str = "",
    file: str | Path,
    sheet: str | None,
    row: int,
    after: int | None = None,
) -> list[YearCol]:
    """The year columns of a header row (:class:`YearCol`: index, year, marker), with
    years printed as numbers (``1998.0``), text (``'1998'``), with a prefix
    (``Index_2004``) or with a note or provisional marker (``2023 (p)``; see
    :func:`year_header`).

    ``after`` is the first column after the label columns: from there on, every non-empty
    header cell must be a year, so that a misprinted or renamed year (``2O23``) is an
    error naming the cell rather than a year silently left out. A year printed twice is
    an error too.
    """
    out: list[YearCol] = []
    for j, h in enumerate(header):
        if after is not None and j < after:
            continue  # a label column
        try:
            found = year_header(h, prefix)
        except ValueError:
            raise InputError(
                file,
                f"year header {clean_text(h)[:40]!r} carries a marker this parser does not read "
                "(read: (p), (provisional), (r), (revised), [note N])",
                sheet=sheet,
                row=row,
                column=j,
            ) from None
        if found is not None:
            out.append(YearCol(j, *found))
        elif after is not None and j >= after and clean_text(h):
            raise InputError(
                file,
                f"unexpected column header {clean_text(h)[:40]!r} among the year columns "
                f"(expected {prefix}YYYY)",
                sheet=sheet,
                row=row,
                column=j,
                header=clean_text(h)[:40],
            )
    if not out:
        raise InputError(
            file, f"no year columns ({prefix}YYYY) in the header row", sheet=sheet, row=row
        )
    seen: dict[int, int] = {}
    for y in out:
        if y.year in seen:
            raise InputError(
                file,
                f"year {y.year} is printed twice in the header row (columns "
                f"{_col_name(seen[y.year], sheet)} and {_col_name(y.col, sheet)})",
                sheet=sheet,
                row=row,
                column=y.col,
            )
        seen[y.year] = y.col
    return out


def _col_name(j: int, sheet: str | None) -> str:
    from ..errors import column_letter

    return column_letter(j) if sheet is not None else str(j + 1)


def check_unlabelled_columns(
    rows: Sequence[Sequence[Any]],
    header_row: int,
    data: Sequence[int],
    used: Iterable[int],
    *,
    first: int,
    file: str | Path,
    sheet: str | None,
) -> None:
    """No numbers in a column (from ``first`` on) that the parser does not read because
    its header cell is empty: that is a merged or missing header (two years under one
    merged cell), and its numbers would be silently left out."""
    used = set(used)
    header = rows[header_row]
    width = max((len(rows[r]) for r in data), default=0)
    for j in range(first, width):
        if j in used or (j < len(header) and clean_text(header[j])):
            continue
        for r in data:
            line = rows[r]
            v = line[j] if j < len(line) else ""
            if (isinstance(v, (int, float)) and not isinstance(v, bool) and v == v) or (
                isinstance(v, str) and v.strip() and number_from_text(clean_text(v)) is not None
            ):
                raise InputError(
                    file,
                    "numbers under an empty header cell (a merged or missing year header?): "
                    "every column of figures needs its own header",
                    sheet=sheet,
                    row=r,
                    column=j,
                )


def data_rows(
    rows: Sequence[Sequence[Any]], start: int, code_col: int, *, file: str | Path, sheet: str | None
) -> list[int]:
    """Rows from ``start`` up to the first blank code cell; what follows must be blank or
    footnotes (a geography code further down means a gap in the table, not its end)."""
    out: list[int] = []
    r = start
    while r < len(rows):
        code = clean_text(rows[r][code_col]) if code_col < len(rows[r]) else ""
        if not code:
            break
        out.append(r)
        r += 1
    for k in range(r + 1, len(rows)):
        code = clean_text(rows[k][code_col]) if code_col < len(rows[k]) else ""
        if code and is_geography_code(code):
            raise InputError(
                file,
                f"data row after the blank row {r + 1} (the table has a gap; expected footnotes only)",
                sheet=sheet,
                row=k,
                column=code_col,
            )
    return out


#: Month names, for releases printed as "June 2024".
MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip


def date_in_text(text: str, lead: str = "") -> str:
    """'2025-11-20' from the first '20th November 2025' in ``text`` (preceded by the
    regular expression ``lead`` when given: ``r"published on "``); '' when absent."""
    m = re.search(
        lead + r"(\d{1,2})(?:st|nd|rd|th)?\s+(" + "|".join(MONTHS) + r")\s+(\d{4})",
        text,
        re.IGNORECASE,
    )
    if not m:
        return ""
    return f"{m.group(3)}-{MONTHS.index(m.group(2).lower()) + 1:02d}-{int(m.group(1)):02d}"


# --------------------------------------------------------------------------------------
# Building and validating tidy observations
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Coded:
    """A text column given as integer codes into its distinct values (``None`` = missing):
    how a wide table's labels repeat, built without a Python string per row."""

    codes: np.ndarray
    uniques: Sequence[Any]

    @classmethod
    def repeat(cls, values: Sequence[Any], times: int) -> Coded:
        """Each value repeated ``times`` times (a row label over a block's columns)."""
        codes, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=True)
        return cls(np.repeat(codes, times), list(uniques))

    @classmethod
    def tile(cls, values: Sequence[Any], times: int) -> Coded:
        """The sequence repeated ``times`` times (a column label down a block's rows)."""
        codes, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=True)
        return cls(np.tile(codes, times), list(uniques))

    def __len__(self) -> int:
        return len(self.codes)

    def series(self) -> pd.Series:
        """As a pandas ``string`` column (via an Arrow dictionary: no per-row work)."""
        import pyarrow as pa

        mask = self.codes < 0
        texts = pa.array(
            [None if u is None else str(u) for u in self.uniques] or [""], type=pa.large_string()
        )
        indices = pa.array(np.where(mask, 0, self.codes).astype(np.int32), mask=mask)
        arr = pa.DictionaryArray.from_arrays(indices, texts).cast(pa.large_string())
        return pd.Series(pd.arrays.ArrowStringArray(pa.chunked_array([arr]))).astype("string")


def tidy(**columns: Any) -> pd.DataFrame:
    """A tidy frame from arrays, :class:`Coded` columns and scalars (scalars are
    broadcast). Columns not given are filled with missing values; dtypes are fixed;
    column order is TIDY_COLUMNS."""
    n = None
    for v in columns.values():
        if not np.isscalar(v) and v is not None:
            n = len(v)
            break
    if n is None:
        n = 1 if columns else 0
    data: dict[str, Any] = {}
    for col in TIDY_COLUMNS:
        v = columns.get(col)
        if col in STRING_COLUMNS and (v is None or isinstance(v, (str, Coded))):
            # constants and coded labels: built directly, no Python string per row
            coded = (
                v
                if isinstance(v, Coded)
                else Coded(np.full(n, -1 if v is None else 0), [v] if v is not None else [])
            )
            data[col] = coded.series()
            continue
        if v is None or (np.isscalar(v) and not isinstance(v, (str, bool)) and pd.isna(v)):
            v = np.full(n, None, dtype=object)
        elif np.isscalar(v):
            v = np.full(n, v, dtype=object)
        # object Series: pandas would otherwise infer a string dtype for every column
        # (slow), only for coerce() to convert it again
        if isinstance(v, pd.Series):
            data[col] = v.reset_index(drop=True)
        elif isinstance(v, np.ndarray) and v.dtype.kind in "biuf":
            data[col] = pd.Series(v)
        else:
            data[col] = pd.Series(v, dtype=object)
    df = pd.DataFrame(data)
    return coerce(df)


def _as_string(s: pd.Series) -> pd.Series:
    """A column as pandas' ``string`` dtype. Columns repeat a few values many times, so
    object columns are factorised and built from a pyarrow dictionary (much faster than
    converting each Python string)."""
    if isinstance(s.dtype, pd.StringDtype) and s.dtype.na_value is pd.NA:
        return s
    if s.dtype != object or len(s) < 1000:
        return s.astype("string")
    import pyarrow as pa

    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    texts = pa.array([str(u) for u in uniques], type=pa.large_string())
    mask = codes < 0
    indices = pa.array(np.where(mask, 0, codes).astype(np.int32), mask=mask)
    arr = pa.DictionaryArray.from_arrays(
        indices, texts if len(texts) else pa.array([""], type=pa.large_string())
    )
    out = pd.arrays.ArrowStringArray(pa.chunked_array([arr.cast(pa.large_string())]))
    return pd.Series(out, index=s.index, name=s.name).astype("string")


def coerce(df: pd.DataFrame) -> pd.DataFrame:
    """Give a tidy frame its canonical dtypes."""
    df = df.copy()
    for col in STRING_COLUMNS:
        df[col] = _as_string(df[col])
    for col in ("value", "ci_lower", "ci_upper"):
        df[col] = pd.to_numeric(df[col], errors="coerce").astype("float64")
    df["year"] = pd.to_numeric(df["year"], errors="coerce").astype("Int16")
    df["row"] = pd.to_numeric(df["row"], errors="coerce").astype("Int32")
    df["col"] = pd.to_numeric(df["col"], errors="coerce").astype("Int16")
    df["demo"] = df["demo"].fillna(False).astype(bool)
    return df[TIDY_COLUMNS]


def melt_wide(
    *,
    codes: Sequence[str],
    names: Sequence[str],
    rows: Sequence[int],
    years: Sequence[int],
    cols: Sequence[int],
    values: np.ndarray,
    status: np.ndarray,
    period_format: str = "{year}",
    **constants: Any,
) -> pd.DataFrame:
    """Tidy rows from a wide block: one row per (geography row, year column).

    ``values`` and ``status`` have shape (len(codes), len(years)). Extra keyword arguments
    are constants or arrays of length len(codes) (repeated across the years).
    """
    n, m = len(codes), len(years)
    extra = {
        k: (v if np.isscalar(v) or v is None else Coded.repeat(v, m)) for k, v in constants.items()
    }
    return tidy(
        geography_code=Coded.repeat(codes, m),
        geography_name=Coded.repeat(names, m),
        row=np.repeat(np.asarray(rows), m),
        col=np.tile(np.asarray(cols), n),
        year=np.tile(np.asarray(years), n),
        period=Coded.tile([period_format.format(year=y) for y in years], n),
        value=values.reshape(-1),
        status=status.reshape(-1),
        **extra,
    )


def check_codes(
    codes: Sequence[str],
    rows: Sequence[int],
    *,
    file: str | Path,
    sheet: str | None,
    col: int,
    header: str | None = None,
    allow: Callable[[str], bool] | None = None,
) -> None:
    """Raise on the first code that is not a GSS/ITL geography code (``allow`` may accept
    publisher-specific codes such as ``UK``)."""
    for code, r in zip(codes, rows, strict=True):
        if not is_geography_code(code) and not (allow and allow(code)):
            raise InputError(
                file,
                f"unknown geography code {code!r}",
                sheet=sheet,
                row=r,
                column=col,
                header=header,
            )


class Source:
    """A parser for one published dataset. Subclasses set the class attributes and
    implement :meth:`parse`; :meth:`matches` recognises files by name and content.

    Attributes
    ----------
    name : the parser's id, shown in ``lis ingest``
    dataset : the dataset id written to observations
    publisher, title : as the publisher names them
    patterns : lower-case glob patterns for file names this parser reads
    measures : every measure the parser can emit
    """

    name: ClassVar[str]
    dataset: ClassVar[str]
    publisher: ClassVar[str]
    title: ClassVar[str]
    patterns: ClassVar[tuple[str, ...]]
    measures: ClassVar[dict[str, Measure]]
    #: Datasets this parser can emit besides ``dataset`` (e.g. one ELS file per indicator).
    extra_datasets: ClassVar[tuple[str, ...]] = ()
    #: ``observations`` (tidy rows, TIDY_COLUMNS) or ``lookup`` (relations, LOOKUP_COLUMNS).
    kind: ClassVar[str] = "observations"

    def matches(self, path: Path) -> bool:
        """Whether this parser reads ``path``: its name matches, then :meth:`sniff`."""
        name = path.name.lower()
        return any(fnmatch(name, p) for p in self.patterns) and self.sniff(path)

    def sniff(self, path: Path) -> bool:
        """A cheap content check (override when file names are ambiguous)."""
        return True

    def parse(self, path: Path) -> pd.DataFrame:  # pragma: no cover - interface
        raise NotImplementedError

    def release(self, path: Path) -> str:
        """The release this file belongs to (override when the file says so)."""
        return ""

    def declared(self) -> dict[str, dict[str, Measure]]:
        """The measures this parser can emit, by dataset id (every dataset it names, with
        :attr:`measures`, unless the parser knows which measure belongs to which)."""
        return {ds: dict(self.measures) for ds in (self.dataset, *self.extra_datasets)}

    def finish(
        self,
        df: pd.DataFrame,
        path: Path,
        *,
        code_col: int | None = None,
        measures: dict[str, Measure] | None = None,
    ) -> pd.DataFrame:
        """Fill the constant columns and validate: empty output, undeclared measures,
        periods out of range, negative values where none is possible, duplicate keys.

        ``measures`` replaces :attr:`measures` for this file (a parser that reads families
        it has no declaration for gives each its own, see :mod:`.els`)."""
        measures = self.measures if measures is None else measures
        if df.empty:
            raise InputError(path, "no data rows found (empty table or footer only)")
        df = df.copy()
        df["dataset"] = df["dataset"].fillna(self.dataset)
        df["source_file"] = path.name
        if df["release"].isna().all():
            df["release"] = self.release(path)
        df["geography_code"] = _map_unique(df["geography_code"], lambda c: c.strip())
        df["geography_name"] = _map_unique(
            df["geography_name"], lambda c: c.strip().rstrip("*").strip()
        )
        missing_level = df["geography_level"].isna()
        if missing_level.any():
            codes = df.loc[missing_level, "geography_code"]
            levels = {c: geography_level(c) for c in codes.unique()}
            df.loc[missing_level, "geography_level"] = codes.map(levels)
        for mid in df["measure"].unique():
            if mid not in measures:
                raise AssertionError(f"parser {self.name} emitted undeclared measure {mid!r}")
        units = _map_unique(df["measure"], lambda m: measures[m].unit if m in measures else None)
        df["unit"] = df["unit"].fillna(units)
        validate(df, path, measures=measures)
        return coerce(df)


def lookup_frame(**columns: Any) -> pd.DataFrame:
    """A lookup frame (LOOKUP_COLUMNS, string dtypes; ``row`` as Int32) from arrays/scalars."""
    n = next((len(v) for v in columns.values() if not np.isscalar(v) and v is not None), 0)
    data = {}
    for col in LOOKUP_COLUMNS:
        v = columns.get(col)
        data[col] = [v] * n if (v is None or np.isscalar(v)) else v
    df = pd.DataFrame(data)
    for col in LOOKUP_COLUMNS:
        if col == "row":
            df[col] = pd.to_numeric(df[col], errors="coerce").astype("Int32")
        else:
            df[col] = df[col].astype("string").str.strip()
    return df


def _map_unique(s: pd.Series, fn: Callable[[str], str | None]) -> pd.Series:
    """Apply a string function once per distinct value (columns repeat a few values many
    times); missing values stay missing."""
    codes, uniques = pd.factorize(s)
    mapped = np.array([fn(str(u)) for u in uniques] + [None], dtype=object)
    return pd.Series(mapped[codes], index=s.index, dtype="string")


def _where(df: pd.DataFrame, i: int) -> dict[str, Any]:
    r = df.iloc[i]
    return {
        "sheet": None if pd.isna(r["sheet"]) else str(r["sheet"]),
        "row": None if pd.isna(r["row"]) else int(r["row"]),
        "column": None if pd.isna(r["col"]) else int(r["col"]),
    }


def validate(df: pd.DataFrame, path: Path, *, measures: dict[str, Measure]) -> None:
    """The checks every parser's output passes (see :meth:`Source.finish`)."""
    years = pd.to_numeric(df["year"], errors="coerce")
    bad = years.isna() | (years < MIN_YEAR) | (years > max_year())
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise InputError(
            path,
            f"period {df['period'].iloc[i]!r} is out of range ({MIN_YEAR}-{max_year()})",
            **_where(df, i),
        )
    values = df["value"].to_numpy(dtype=float, na_value=np.nan)
    for name, col in (("value", values), ("ci_lower", None), ("ci_upper", None)):
        col = col if col is not None else df[name].to_numpy(dtype=float, na_value=np.nan)
        inf = np.isinf(col)
        if inf.any():  # every parser reads numbers strictly; this is the backstop
            i = int(np.flatnonzero(inf)[0])
            raise InputError(path, f"{name} {col[i]!r} is not a finite number", **_where(df, i))
    codes, uniques = pd.factorize(df["measure"])
    nonneg = pd.Series(
        np.array([measures[u].nonnegative if u in measures else True for u in uniques] + [True])[
            codes
        ]
    )
    neg = nonneg.to_numpy() & (df["value"].to_numpy(dtype=float, na_value=np.nan) < 0)
    if neg.any():
        i = int(np.flatnonzero(neg)[0])
        raise InputError(
            path,
            f"negative value {df['value'].iloc[i]:g} for {df['measure'].iloc[i]}, which cannot be negative",
            **_where(df, i),
        )
    # Factorise each key column to integers first: duplicated() on ints is fast.
    key = pd.DataFrame({c: pd.factorize(df[c], use_na_sentinel=False)[0] for c in KEY_COLUMNS})
    dup = key.duplicated(keep=False)
    if dup.any():
        idx = np.flatnonzero(dup.to_numpy())
        first = idx[0]
        same = idx[(key.iloc[idx] == key.iloc[first]).all(axis=1).to_numpy()]
        other = _where(df, int(same[1]))
        raise InputError(
            path,
            f"duplicate entry for {df['geography_code'].iloc[first]} {df['measure'].iloc[first]} "
            f"{df['period'].iloc[first]} (again at row {other['row'] + 1 if other['row'] is not None else '?'})",
            **_where(df, int(first)),
        )
