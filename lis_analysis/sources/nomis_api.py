"""Nomis API CSV extracts: BRES employment by industry and population by district.

Nomis (nomisweb.co.uk, run by Durham University for ONS) serves every dataset through
``https://www.nomisweb.co.uk/api/v01/dataset/<id>.data.csv?...``. Unlike the table
downloads read by :mod:`.bres` and :mod:`.population` (title lines, metadata block, one
column per area or year), an API extract is one flat table:

- one header line of upper-case column names, one pair per dimension (``DATE_NAME``,
  ``GEOGRAPHY_NAME``, ``GEOGRAPHY_CODE``, ``INDUSTRY_NAME``, ``INDUSTRY_CODE``,
  ``INDUSTRY_TYPE``, ``EMPLOYMENT_STATUS_NAME``, ``GENDER_NAME``, ``C_AGE_NAME``,
  ``MEASURES_NAME`` ...) and ``OBS_VALUE``, ``OBS_STATUS``, ``OBS_STATUS_NAME``,
  ``RECORD_OFFSET``, ``RECORD_COUNT``; ``select=`` chooses which appear and in what order;
- one line per observation; values quoted as Nomis writes them; ``GEOGRAPHY_CODE`` is the
  GSS code;
- ``OBS_STATUS`` is an SDMX observation-status letter (:data:`OBS_STATUS`): ``A`` normal
  value; a missing value carries ``Q`` (suppressed), ``M``/``L``/``O`` and so on, with
  ``OBS_VALUE`` empty. Anything other than ``A`` is kept in ``status`` exactly as printed
  (value missing or flagged); an empty value is never a zero.

Two datasets are read, each with the ids and measures of the table-download parser so that
the indicator engine sees no difference:

- **NM_189_1**, "Business Register and Employment Survey : open access" -> dataset
  ``nomis_bres``, measure ``employment`` (count, additive), ``industry`` coded as
  :func:`.bres.industry_code` codes labels (``"C : Manufacturing"`` -> ``C``, ``"01 : Crop
  ..."`` -> ``01``, broad industrial groups -> ``BIG03``; ``Total`` for all industries),
  checked against ``INDUSTRY_TYPE`` when the extract has it; ``breakdown`` = the
  employment status as printed (``Employees``, ``Employment``, ``Full-time employees``...).
  Only the ``Count`` measure and the ``Value`` measures are read.
- **NM_2002_1**, "Population estimates - local authority based by single year of age" ->
  dataset ``nomis_population_lad``, measures ``population`` (``All Ages``) and
  ``population_16_64`` (``Aged 16 - 64``), also ``Aged 0 - 15`` and ``Aged 65+``;
  ``breakdown`` from ``GENDER_NAME`` (``Total`` -> ``All``).

Files are recognised by name (``nomis_*.csv``, as ``lis fetch`` saves API results:
``nomis_<dataset>_<what>_<release>.csv``) and then by the header (``OBS_VALUE`` and
``GEOGRAPHY_CODE`` plus ``INDUSTRY_NAME`` or ``C_AGE_NAME``). ``release`` is the date in
the file name that ``lis fetch`` wrote (the HTTP ``Last-Modified`` date, or the download
date when Nomis sent none); the extract itself carries no date.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from ._base import (
    Source,
    check_codes,
    check_row_widths,
    number_from_text,
    number_problem,
    read_csv_rows,
    tidy,
)
from ._guard import MB
from .bres import MEASURES as BRES_MEASURES
from .bres import industry_code
from .population import ALL_MEASURES as POPULATION_MEASURES
from .population import NOMIS_AGES, NOMIS_SEXES

#: SDMX observation status codes (CL_OBS_STATUS), which Nomis prints in OBS_STATUS.
OBS_STATUS: dict[str, str] = {
    "A": "normal value",
    "B": "time series break",
    "D": "definition differs",
    "E": "estimated value",
    "F": "forecast value",
    "G": "experimental value",
    "I": "imputed value",
    "K": "data included in another category",
    "L": "missing value; data exist but were not collected",
    "M": "missing value; data cannot exist",
    "N": "not significant",
    "O": "missing value",
    "P": "provisional value",
    "Q": "missing value; suppressed",
    "S": "strike",
    "U": "low reliability",
    "V": "unvalidated value",
    "W": "includes data from another category",
}
#: Status recorded for an empty OBS_VALUE whose OBS_STATUS says nothing ('A' or absent).
BLANK = "blank"

#: Nomis age labels beyond those of the table download (spaces removed, lower case).
_AGES = {**NOMIS_AGES, "aged16to64": "population_16_64", "aged0to15": "population_0_15"}
_YEAR_RE = re.compile(r"^(?:[A-Za-z]+\s+)?((?:19|20)\d{2})$")
#: Largest extract read. An API extract has one line per observation (about 150 bytes):
#: BRES for every district, 2-digit division, two statuses and six years is about 60 MB
#: (the real fixtures are a few kB), and reading takes about 20 times the file's size.
MAX_BYTES = 96 * MB
_RELEASE_RE = re.compile(r"_(\d{4}-\d{2}-\d{2})\.csv$", re.IGNORECASE)


def _header(path: Path) -> list[str]:
    """The first line's cells, upper-case (cheap: reads 2 kB)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(2048).decode("utf-8-sig", errors="replace")
    except OSError:
        return []
    first = head.splitlines()[0] if head else ""
    return [c.strip().strip('"').upper() for c in first.split(",")]


class _NomisApi(Source):
    """What the two API parsers share: reading the table, periods, values and statuses."""

    publisher = "Office for National Statistics (via the Nomis API)"
    patterns = ("nomis_*.csv",)
    #: the column that tells this dataset apart (INDUSTRY_NAME or C_AGE_NAME)
    marker_column: str
    required: tuple[str, ...]

    def sniff(self, path: Path) -> bool:
        cols = set(_header(path))
        return {"OBS_VALUE", "GEOGRAPHY_CODE", self.marker_column} <= cols

    def release(self, path: Path) -> str:
        m = _RELEASE_RE.search(path.name)
        return m.group(1) if m else ""

    def _table(self, path: Path) -> tuple[list[str], dict[str, int], list[list[str]], list[int]]:
        """Header (upper case), column positions, rows and the 0-based line of each data row."""
        rows = read_csv_rows(path, max_bytes=MAX_BYTES)
        if not rows or not any(c.strip() for c in rows[0]):
            raise InputError(path, "the file is empty (no header line)")
        header = [c.strip().upper() for c in rows[0]]
        missing = [c for c in self.required if c not in header]
        if missing:
            shown = ", ".join(repr(h) for h in header if h)[:300]
            raise InputError(
                path,
                f"expected column {missing[0]!r} in the Nomis API header line, found: {shown}",
                row=0,
            )
        col = {h: j for j, h in enumerate(header) if h}
        end = len(rows)
        while end > 1 and not any(c.strip() for c in rows[end - 1]):
            end -= 1  # blank lines at the end are harmless
        if end == 1:
            raise InputError(path, "no data lines under the header line", row=0)
        width = len(header)
        for i in range(1, end):
            if not any(c.strip() for c in rows[i]):
                raise InputError(path, "blank line inside the data", row=i)
        lines = list(range(1, end))
        # A longer line would shift its later fields (the value read as its status ...).
        check_row_widths(rows, lines, width, file=path)
        return header, col, rows, lines

    def _check_measures(
        self, path: Path, rows: list[list[str]], lines: list[int], col: dict[str, int]
    ) -> None:
        """Lines of the count/value measures only; any other measure is an error (a rate or
        a percentage would be read as a count otherwise)."""
        for name, wanted in (("MEASURES_NAME", ("value",)), ("MEASURE_NAME", ("count",))):
            if name not in col:
                continue
            j = col[name]
            for i in lines:
                got = rows[i][j].strip()
                if got.lower() not in wanted:
                    raise InputError(
                        path,
                        f"{name} {got!r} is not read (download measures=20100 'Value'"
                        + (" and measure=1 'Count')" if name == "MEASURE_NAME" else ")"),
                        row=i,
                        column=j,
                        header=name,
                    )

    def _common(
        self, path: Path, rows: list[list[str]], lines: list[int], col: dict[str, int]
    ) -> dict[str, np.ndarray]:
        """Geography, period, value and status columns of the data lines."""
        jc, jn, jv, jd = (
            col["GEOGRAPHY_CODE"],
            col["GEOGRAPHY_NAME"],
            col["OBS_VALUE"],
            col["DATE_NAME"],
        )
        js = col.get("OBS_STATUS")
        codes = [rows[i][jc].strip() for i in lines]
        for i, c in zip(lines, codes, strict=True):
            if not c:
                raise InputError(
                    path,
                    "empty geography code",
                    row=i,
                    column=jc,
                    header="GEOGRAPHY_CODE",
                )
        check_codes(codes, lines, file=path, sheet=None, col=jc, header="GEOGRAPHY_CODE")
        years: dict[str, int] = {}
        periods, year_of = [], []
        for i in lines:
            text = rows[i][jd].strip()
            if text not in years:
                m = _YEAR_RE.match(text)
                if not m:
                    raise InputError(
                        path,
                        f"date {text!r} is not a year (expected e.g. '2024')",
                        row=i,
                        column=jd,
                        header="DATE_NAME",
                    )
                years[text] = int(m.group(1))
            periods.append(str(years[text]))
            year_of.append(years[text])
        values = np.full(len(lines), np.nan)
        status = np.full(len(lines), None, dtype=object)
        for k, i in enumerate(lines):
            flag = rows[i][js].strip().upper() if js is not None else ""
            if flag and flag not in OBS_STATUS:
                raise InputError(
                    path,
                    f"OBS_STATUS {flag!r} is not a known observation status "
                    f"(known: {', '.join(OBS_STATUS)})",
                    row=i,
                    column=js,
                    header="OBS_STATUS",
                )
            raw = rows[i][jv]
            if raw.strip() == "":
                # An empty value is missing: the status says why (never a zero).
                values[k], status[k] = np.nan, flag if flag and flag != "A" else BLANK
                continue
            number = number_from_text(raw.strip())
            if number is None:
                why = number_problem(raw)
                raise InputError(
                    path,
                    f"OBS_VALUE is not a number: {why}"
                    if why
                    else f"OBS_VALUE {raw.strip()[:40]!r} is not a number",
                    row=i,
                    column=jv,
                    header="OBS_VALUE",
                )
            values[k] = number
            status[k] = flag if flag and flag != "A" else None
        return {
            "geography_code": np.array(codes, dtype=object),
            "geography_name": np.array([rows[i][jn].strip() for i in lines], dtype=object),
            "period": np.array(periods, dtype=object),
            "year": np.array(year_of),
            "value": values,
            "status": status,
            "row": np.array(lines),
            "col": np.full(len(lines), jv),
        }

    def _warnings(self, df: pd.DataFrame, path: Path) -> list[str]:
        out = []
        flagged = df["status"].dropna()
        for code, n in flagged.value_counts().items():
            meaning = OBS_STATUS.get(str(code), "empty value cell")
            noun = "observation" if n == 1 else "observations"
            out.append(f"{n:,} {noun} with Nomis status {code!r} ({meaning})")
        if not self.release(path):
            out.append(
                "no release date in the file name (lis fetch writes nomis_<what>_<YYYY-MM-DD>.csv)"
            )
        return out


class NomisApiBRES(_NomisApi):
    """BRES open access (NM_189_1) as a Nomis API CSV: employment by industry and district."""

    name = "nomis_api_bres"
    dataset = "nomis_bres"
    title = "Business Register and Employment Survey : open access (Nomis API, NM_189_1)"
    measures = BRES_MEASURES
    marker_column = "INDUSTRY_NAME"
    required = (
        "DATE_NAME",
        "GEOGRAPHY_NAME",
        "GEOGRAPHY_CODE",
        "INDUSTRY_NAME",
        "EMPLOYMENT_STATUS_NAME",
        "OBS_VALUE",
    )

    def parse(self, path: Path) -> pd.DataFrame:
        """Tidy ``employment`` observations, one per district x industry x status x year."""
        path = Path(path)
        header, col, rows, lines = self._table(path)
        self._check_measures(path, rows, lines, col)
        cols = self._common(path, rows, lines, col)
        ji, jt = col["INDUSTRY_NAME"], col.get("INDUSTRY_TYPE")
        jcode = col.get("INDUSTRY_CODE")
        cache: dict[tuple[str, str, str], str] = {}
        industries: dict[str, str] = {}
        inds = []
        for i in lines:
            key = (
                rows[i][ji].strip(),
                rows[i][jt].strip() if jt is not None else "",
                rows[i][jcode].strip() if jcode is not None else "",
            )
            if key not in cache:
                cache[key] = self._industry(path, key, i, ji)
                prev = industries.setdefault(cache[key], key[0])
                if prev != key[0]:
                    raise InputError(
                        path,
                        f"industry code {cache[key]} is printed with two labels: {prev!r} and {key[0]!r}",
                        row=i,
                        column=ji,
                        header="INDUSTRY_NAME",
                    )
            inds.append(cache[key])
        je = col["EMPLOYMENT_STATUS_NAME"]
        statuses = [rows[i][je].strip() for i in lines]
        for i, s in zip(lines, statuses, strict=True):
            if not s:
                raise InputError(
                    path,
                    "empty employment status",
                    row=i,
                    column=je,
                    header="EMPLOYMENT_STATUS_NAME",
                )
        df = tidy(
            measure="employment",
            industry=np.array(inds, dtype=object),
            breakdown=np.array(statuses, dtype=object),
            **cols,
        )
        df = self.finish(df, path)
        df.attrs["warnings"] = self._warnings(df, path)
        df.attrs["metadata"] = {self.dataset: {"api_extract": path.name, "industries": industries}}
        return df

    @staticmethod
    def _industry(path: Path, key: tuple[str, str, str], row: int, col: int) -> str:
        """The industry code bres.py would give the label; INDUSTRY_TYPE, when present,
        must agree (a division '10' is not broad industrial group 10)."""
        label, kind, code_cell = key
        if label.lower() in ("total", "total : all industries", "all industries"):
            return "Total"
        code = industry_code(label)
        if code is None and re.fullmatch(r"[A-U]|\d{2}", code_cell):
            code = code_cell
        if code is None:
            raise InputError(
                path,
                f"industry {label[:60]!r} is not a SIC section, division or broad industrial group label ('C : ...')",
                row=row,
                column=col,
                header="INDUSTRY_NAME",
            )
        kind_l = kind.lower()
        if kind_l:
            expect = (
                "section"
                if "section" in kind_l
                else "division"
                if "2 digit" in kind_l or "division" in kind_l
                else "broad"
                if "broad" in kind_l
                else None
            )
            if expect is None:
                raise InputError(
                    path,
                    f"industry type {kind!r} is not read (download SIC 2007 sections, 2-digit divisions or broad industrial groups)",
                    row=row,
                    header="INDUSTRY_TYPE",
                )
            got = (
                "section"
                if re.fullmatch(r"[A-U]", code)
                else "broad"
                if code.startswith("BIG")
                else "division"
            )
            if expect == "division" and got == "broad":
                code, got = f"{int(code[3:]):02d}", "division"
            if got != expect:
                raise InputError(
                    path,
                    f"industry {label[:60]!r} is coded {code} but INDUSTRY_TYPE says {kind!r}",
                    row=row,
                    column=col,
                    header="INDUSTRY_NAME",
                )
        return code


class NomisApiPopulation(_NomisApi):
    """Population estimates by district (NM_2002_1) as a Nomis API CSV."""

    name = "nomis_api_population"
    dataset = "nomis_population_lad"
    title = (
        "Population estimates - local authority based by single year of age (Nomis API, NM_2002_1)"
    )
    measures = POPULATION_MEASURES
    marker_column = "C_AGE_NAME"
    required = ("DATE_NAME", "GEOGRAPHY_NAME", "GEOGRAPHY_CODE", "C_AGE_NAME", "OBS_VALUE")

    def parse(self, path: Path) -> pd.DataFrame:
        """Tidy ``population`` (all ages) and age-band observations, one per district x year."""
        path = Path(path)
        header, col, rows, lines = self._table(path)
        self._check_measures(path, rows, lines, col)
        ja = col["C_AGE_NAME"]
        jg = col.get("GENDER_NAME", col.get("SEX_NAME", col.get("C_SEX_NAME")))
        measures, sexes = [], []
        for i in lines:
            age = rows[i][ja].strip()
            m = _AGES.get(re.sub(r"\s+", "", age).lower())
            if m is None:
                raise InputError(
                    path,
                    f"age {age!r} is not one this parser reads (known: All Ages, Aged 16 - 64, Aged 0 - 15, Aged 65+)",
                    row=i,
                    column=ja,
                    header="C_AGE_NAME",
                )
            measures.append(m)
            sex = rows[i][jg].strip() if jg is not None else "Total"
            b = NOMIS_SEXES.get(re.sub(r"\s+", "", sex).lower())
            if b is None:
                raise InputError(
                    path,
                    f"gender {sex!r} is not Total, Male or Female",
                    row=i,
                    column=jg,
                    header=header[jg] if jg is not None else None,
                )
            sexes.append(b)
        cols = self._common(path, rows, lines, col)
        df = tidy(
            measure=np.array(measures, dtype=object),
            industry="Total",
            breakdown=np.array(sexes, dtype=object),
            **cols,
        )
        df = self.finish(df, path)
        df.attrs["warnings"] = self._warnings(df, path)
        return df
