"""Business Register and Employment Survey (BRES) open access, as downloaded from Nomis.

Nomis (dataset NM_189_1, "Business Register and Employment Survey : open access") writes
a CSV of stacked blocks, one per combination of the dimensions not laid out as rows or
columns (here: year x employment status). Each block:

- two title lines: ``"Business Register and Employment Survey : open access"`` and
  ``"ONS Crown Copyright Reserved [from Nomis on 1 July 2026]"``;
- metadata lines ``"Analysis   :","standard"``, ``"Date       :","2015"``,
  ``"Employment status:","Employees"``, ``"measure    :","Count"`` (keys padded with spaces);
- a blank line, the header line, a blank line, the data lines, then footnote lines whose
  first cell is empty (rounding: https://www.nomisweb.co.uk/articles/1103.aspx; the
  2015-2024 Hillingdon/Hounslow misreporting issue).

Two orientations are read:

- **industries as rows** (the stored real file): header ``"Industry","<area>","",...``;
  every area column is followed by an empty-headed *flag* column. Areas are printed by
  **name only**. The 15 combined authorities are mapped to their E47 codes below; any
  other name is an error that asks for the areas-as-rows download.
- **areas as rows** (Nomis's layout when geography is the row dimension, used by the
  demonstrator): header ``"<geography type>","mnemonic","<industry>","",...``; the
  ``mnemonic`` column is the GSS code (Nomis's own way of printing codes), and again a
  flag column follows every value column.

Industry labels come in three families that share numbers, so ``industry`` is coded to
stay unambiguous: SIC 2007 sections as printed (``"C : Manufacturing"`` -> ``C``), 2-digit
divisions as printed (``"01 : Crop and animal production ..."`` -> ``01``, ``"77 : ..."`` ->
``77``), and ONS's 18 *broad industrial groups* (``"3 : Manufacturing (C)"``) as
``BIG03``; their 1-18 would otherwise collide with divisions 10-18. The full labels are
kept in ``df.attrs["metadata"]["nomis_bres"]["industries"]``.

Values are employee/employment counts rounded as the open-access rules say (article
1103); zero is a published value. BRES open access applies rounding, not suppression, so
flag columns are normally empty; a Nomis flag (``!``, ``*``, ``#``, ``~``, ``-``) or a marker
in the value cell becomes ``status`` with no value, and an empty value cell is kept as
status ``blank`` (never zero). ``release`` is the date Nomis stamped on the extract
("from Nomis on 1 July 2026"), the only date the file carries: BRES revises the latest
year (provisional) a year later.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from ._base import (
    MARKERS,
    Measure,
    Source,
    check_codes,
    check_row_widths,
    clean_text,
    date_in_text,
    geography_level,
    numbers_from_texts,
    parse_block,
    read_csv_rows,
    tidy,
)
from ._guard import MB

#: Largest download read: the real one is 0.74 MB; every district by 2-digit division
#: for one year and status is about 3 MB, so this allows some twenty such blocks. Reading
#: takes about 20 times the file's size in memory.
MAX_BYTES = 64 * MB

DATASET = "nomis_bres"
TITLE = "Business Register and Employment Survey"
#: Nomis flags and value markers (all in the shared MARKERS table) and what an empty
#: value cell is recorded as.
NOMIS_MARKERS = ("!", "*", "#", "~", "-", "..")
BLANK = "blank"

#: The 15 combined authorities (May 2025) by the names Nomis prints, with their codes from
#: ONS's "Local Authority District to Combined Authority (May 2025) Lookup in EN"
#: (CAUTH25CD/CAUTH25NM). "East Midlands" is the East Midlands Combined County Authority
#: (E47000013), not the region (E12000004).
COMBINED_AUTHORITIES = {
    "Cambridgeshire and Peterborough": "E47000008",
    "Devon and Torbay": "E47000015",
    "East Midlands": "E47000013",
    "Greater Lincolnshire": "E47000017",
    "Greater Manchester": "E47000001",
    "Hull and East Yorkshire": "E47000016",
    "Lancashire": "E47000018",
    "Liverpool City Region": "E47000004",
    "North East": "E47000014",
    "South Yorkshire": "E47000002",
    "Tees Valley": "E47000006",
    "West Midlands": "E47000007",
    "West Yorkshire": "E47000003",
    "West of England": "E47000009",
    "York and North Yorkshire": "E47000012",
}

MEASURES = {
    "employment": Measure(
        "employment",
        "count",
        "additive",
        "BRES employees or employment (as 'breakdown' says) by workplace, rounded for open access",
    )
}

_LABEL_RE = re.compile(r"^(?P<code>\d{1,2}|[A-U]) : (?P<name>.+)$")
_DOWNLOAD_RE = re.compile(r"from Nomis on (\d{1,2}) (\w+) (\d{4})", re.IGNORECASE)


def industry_code(label: str) -> str | None:
    """The unambiguous industry code of a Nomis BRES label: ``"C : Manufacturing"`` -> ``C``,
    ``"01 : Crop ..."`` -> ``01``, ``"3 : Manufacturing (C)"`` (broad industrial group) ->
    ``BIG03``; None if the label is none of these."""
    m = _LABEL_RE.match(label)
    if not m:
        return None
    code = m["code"]
    # Divisions print two digits ("01"); a one-digit number, or 10-18 with its sections in
    # brackets, is a broad industrial group.
    if code.isdigit() and (len(code) == 1 or (int(code) <= 18 and _is_broad(m["name"]))):
        return f"BIG{int(code):02d}"
    return code


@lru_cache(maxsize=4096)
def _label_code(raw: str) -> tuple[str, str | None]:
    """(cleaned label, industry code); cached because the same labels repeat in every block."""
    label = clean_text(raw)
    return label, industry_code(label)


def _is_broad(name: str) -> bool:
    """Broad industrial group labels end with their SIC sections in brackets:
    "Manufacturing (C)", "Mining, quarrying & utilities (B,D and E)", "Motor trades (Part G)"."""
    return bool(re.search(r"\((Part )?[A-U](,[A-U])*( and [A-U])?\)$", name))


def _parse_cells(
    path: Path, rows: list[list[str]], data: list[int], vcols: list[int], header: list[str]
) -> tuple[np.ndarray, np.ndarray]:
    """Values and statuses of the value cells: numbers converted in one go (strictly, see
    :func:`._base.number_from_text`), anything else through :func:`parse_block` so that a
    bad cell is named by line and column."""
    cells = np.array([[rows[d][j] for j in vcols] for d in data], dtype=object)
    values = numbers_from_texts(cells)
    status = np.full(cells.shape, None, dtype=object)
    for a, b in zip(*np.nonzero(np.isnan(values)), strict=True):
        v, st = parse_block(
            rows,
            [data[a]],
            [vcols[b]],
            file=path,
            sheet=None,
            headers=[header[vcols[b]]],
            markers=NOMIS_MARKERS,
            blank=BLANK,
        )
        values[a, b], status[a, b] = v[0, 0], st[0, 0]
    return values, status


def _is_blank(row: list[str]) -> bool:
    return not any(c.strip() for c in row)


class NomisBRES(Source):
    """BRES open access (Nomis NM_189_1) bulk CSV: employment by industry and area."""

    name = "nomis_bres"
    dataset = DATASET
    publisher = "Office for National Statistics (via Nomis)"
    title = "Business Register and Employment Survey : open access"
    # Nomis names downloads by date (nomis_2026_07_01_101010.csv), so the title line decides.
    patterns = ("*.csv",)
    measures = MEASURES

    def sniff(self, path: Path) -> bool:
        try:
            with open(path, "rb") as fh:
                head = fh.read(600).decode("utf-8-sig", errors="replace")
        except OSError:
            return False
        lines = [ln.strip().strip('"') for ln in head.splitlines() if ln.strip()]
        return bool(lines) and lines[0].startswith(TITLE)

    def parse(self, path: Path) -> pd.DataFrame:
        path = Path(path)
        rows = read_csv_rows(path, max_bytes=MAX_BYTES)
        n = len(rows)
        parts: list[dict[str, np.ndarray]] = []
        industries: dict[str, str] = {}
        footnotes: list[str] = []  # paragraphs, each kept once (every block repeats them)
        para: list[str] = []
        downloaded = ""
        titles: list[str] = []
        meta: dict[str, tuple[str, int]] = {}
        blocks = 0
        i = 0
        while i < n:
            row = rows[i]
            cells = [c.strip() for c in row]
            if para and not (cells and cells[0] == "" and any(cells[1:])):
                text = " ".join(para)  # a footnote paragraph ends
                if text not in footnotes:
                    footnotes.append(text)
                para = []
            if _is_blank(row):
                i += 1
                continue
            first = cells[0]
            if first.startswith(TITLE):
                meta = {}  # a new block starts
                i += 1
                continue
            m = _DOWNLOAD_RE.search(first)
            if m and len([c for c in cells if c]) == 1:
                downloaded = date_in_text(first, r"from Nomis on ") or downloaded
                i += 1
                continue
            if first.endswith(":") and len([c for c in cells if c]) <= 2:
                meta[re.sub(r"\s+", " ", first[:-1]).strip().lower()] = (
                    cells[1] if len(cells) > 1 else "",
                    i,
                )
                i += 1
                continue
            if first == "" and any(cells[1:]):
                # Footnote text sits in the second cell, one line of a paragraph per row.
                para.append(" ".join(c for c in cells[1:] if c))
                i += 1
                continue
            if first.lower() == "industry" or (len(cells) > 1 and cells[1].lower() == "mnemonic"):
                part, i = self._block(path, rows, i, meta, industries)
                parts.append(part)
                blocks += 1
                meta = {}
                continue
            if len([c for c in cells if c]) == 1:
                titles.append(first)  # another title line (the demonstrator says it is synthetic)
                i += 1
                continue
            raise InputError(
                path,
                f"unexpected line {first[:60]!r} outside a table (expected a title, 'Date :' line or header)",
                row=i,
            )
        if para and " ".join(para) not in footnotes:
            footnotes.append(" ".join(para))
        if not parts:
            raise InputError(
                path,
                "no BRES table found (no header line starting 'Industry' or with a 'mnemonic' column)",
            )
        # One tidy() for all blocks: building 40 small frames costs more than parsing.
        cols = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
        # The level per distinct code (finish() would look it up row by row).
        levels = {c: geography_level(c) for c in set(cols["geography_code"])}
        cols["geography_level"] = np.array(
            [levels[c] for c in cols["geography_code"]], dtype=object
        )
        df = tidy(measure="employment", **cols)
        df["release"] = downloaded or np.nan
        df = self.finish(df, path)
        warnings = []
        if not downloaded:
            warnings.append("no 'from Nomis on <date>' line: release unknown")
        # The footnote on ONS's misreporting issue matters for any district figure: warn
        # with its first two sentences (what is affected and what to do).
        for text in footnotes:
            if "misreporting" in text:
                sentences = re.split(r"(?<=\.)\s+", text)
                warnings.append("Nomis footnote: " + " ".join(sentences[:2]))
        df.attrs["warnings"] = warnings
        df.attrs["metadata"] = {
            DATASET: {
                "blocks": blocks,
                "downloaded_from_nomis": downloaded,
                "industries": industries,
                "footnotes": footnotes,
                "titles": list(dict.fromkeys(titles)),
            }
        }
        return df

    # ----------------------------------------------------------------------------------

    def _block(
        self,
        path: Path,
        rows: list[list[str]],
        h: int,
        meta: dict[str, tuple[str, int]],
        industries: dict[str, str],
    ) -> tuple[dict[str, np.ndarray], int]:
        """Parse the table whose header is at line ``h``; return its columns and the next line."""
        for key in ("date", "employment status"):
            if key not in meta or not meta[key][0]:
                raise InputError(
                    path, f"table without a '{key.title()} :' line above its header", row=h
                )
        unit = meta.get("measure", ("Count", h))[0]
        if unit.lower() != "count":
            raise InputError(
                path,
                f"measure {unit!r} is not supported (download the 'Count' measure)",
                row=meta["measure"][1],
                column=1,
            )
        date_text, date_row = meta["date"]
        if not re.fullmatch(r"\d{4}", date_text):
            raise InputError(path, f"Date {date_text!r} is not a year", row=date_row, column=1)
        year = int(date_text)
        status_label = meta["employment status"][0]

        header = [c.strip() for c in rows[h]]
        # Value columns: every non-empty header after the label column(s); the next
        # column is its flag column (empty header).
        by_area = header[1].lower() == "mnemonic" if len(header) > 1 else False
        start = 2 if by_area else 1
        vcols = [j for j in range(start, len(header)) if header[j]]
        if not vcols:
            raise InputError(path, "header line without any column labels", row=h)
        for j in vcols:
            if j + 1 < len(header) and header[j + 1]:
                raise InputError(
                    path,
                    f"column {header[j + 1]!r} where the flag column of {header[j]!r} was expected (not a Nomis layout?)",
                    row=h,
                    column=j + 1,
                    header=header[j + 1],
                )
        # Data lines: from the first non-blank line after the header to the next blank.
        r = h + 1
        while r < len(rows) and _is_blank(rows[r]):
            r += 1
        data = []
        while r < len(rows) and not _is_blank(rows[r]):
            if not rows[r][0].strip():
                break  # footnotes start
            data.append(r)
            r += 1
        if not data:
            raise InputError(path, "no data lines under the header", row=h)
        last = vcols[-1]
        # A longer line would shift every later area's value; a line may stop before its
        # last (empty) flag cells, as Nomis writes them, but not before its last value.
        check_row_widths(rows, data, len(header), file=path, allow_short=True)
        for d in data:
            if len(rows[d]) <= last:
                raise InputError(
                    path,
                    f"{len(rows[d])} fields where the header has {len(header)} (truncated line?)",
                    row=d,
                )
        values, status = _parse_cells(path, rows, data, vcols, header)
        # Flags: a non-empty flag cell turns its value into that marker. A line may stop
        # before the last (empty) flag cell, as Nomis writes them.
        width = len(header)
        grid = np.array(
            [rows[d][:width] + [""] * (width - len(rows[d])) for d in data], dtype=object
        )
        flags = (
            grid[:, [j + 1 for j in vcols if j + 1 < width]]
            if vcols[-1] + 1 < width
            else grid[:, []]
        )
        for a, b in zip(*np.nonzero(flags != ""), strict=True):
            flag = flags[a, b].strip()
            if not flag:
                continue
            if flag not in NOMIS_MARKERS:
                raise InputError(
                    path,
                    f"flag {flag!r} is not a known Nomis marker (known: {', '.join(NOMIS_MARKERS)})",
                    row=data[a],
                    column=vcols[b] + 1,
                )
            values[a, b], status[a, b] = np.nan, flag

        if by_area:
            codes = [rows[d][1].strip() for d in data]
            names = [rows[d][0].strip() for d in data]
            check_codes(codes, data, file=path, sheet=None, col=1, header="mnemonic")
            labels = [header[j] for j in vcols]
            inds = [
                self._industry(path, lab, h, j, industries)
                for lab, j in zip(labels, vcols, strict=True)
            ]
            nr, nc = len(data), len(vcols)
            geo_code = np.repeat(np.array(codes, dtype=object), nc)
            geo_name = np.repeat(np.array(names, dtype=object), nc)
            industry = np.tile(np.array(inds, dtype=object), nr)
            row_idx = np.repeat(np.array(data), nc)
            col_idx = np.tile(np.array(vcols), nr)
        else:
            codes = []
            for j in vcols:
                nm = header[j]
                if nm not in COMBINED_AUTHORITIES:
                    raise InputError(
                        path,
                        f"area {nm!r} has no code: Nomis prints names only when areas are columns; "
                        "download with areas as rows (the 'mnemonic' column gives codes)",
                        row=h,
                        column=j,
                        header=nm,
                    )
                codes.append(COMBINED_AUTHORITIES[nm])
            inds = [self._industry(path, rows[d][0].strip(), d, 0, industries) for d in data]
            nr, nc = len(data), len(vcols)
            geo_code = np.tile(np.array(codes, dtype=object), nr)
            geo_name = np.tile(np.array([header[j] for j in vcols], dtype=object), nr)
            industry = np.repeat(np.array(inds, dtype=object), nc)
            row_idx = np.repeat(np.array(data), nc)
            col_idx = np.tile(np.array(vcols), nr)
        size = nr * nc
        part = {
            "geography_code": geo_code,
            "geography_name": geo_name,
            "industry": industry,
            "breakdown": np.full(size, status_label, dtype=object),
            "period": np.full(size, str(year), dtype=object),
            "year": np.full(size, year),
            "value": values.reshape(-1),
            "status": status.reshape(-1),
            "row": row_idx,
            "col": col_idx,
        }
        return part, r

    @staticmethod
    def _industry(path: Path, label: str, row: int, col: int, industries: dict[str, str]) -> str:
        label, code = _label_code(label)
        if code is None:
            raise InputError(
                path,
                f"industry {label[:60]!r} is not a SIC section, division or broad industrial group label ('C : ...')",
                row=row,
                column=col,
            )
        prev = industries.setdefault(code, label)
        if prev != label:
            raise InputError(
                path,
                f"industry code {code} is printed with two labels: {prev!r} and {label!r}",
                row=row,
                column=col,
            )
        return code


assert all(m in MARKERS for m in NOMIS_MARKERS)
