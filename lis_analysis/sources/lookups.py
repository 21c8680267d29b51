"""Geography lookups: districts to ITL, region, combined authority and LSIP; LEP names.

Six published lookups, each returned as relations (:data:`~._base.LOOKUP_COLUMNS`, one
row per child-parent pair), never as observations:

- ONS Open Geography Portal "LAD (December 2024) to LAU1 to ITL3 to ITL2 to ITL1 (January
  2025) Lookup in the UK" (CSV, BOM, CRLF; columns ``ITL125CD, ITL125NM, ITL225CD, ...,
  LAU125CD, LAU125NM, LAD24CD, LAD24NM, ObjectId``): relations ``lad_to_itl3``,
  ``lad_to_itl2``, ``lad_to_itl1``, ``itl3_to_itl2`` and ``itl2_to_itl1``. One row per
  LAU1: North Ayrshire (S12000021) is split by LAU1 between ITL3 TLM20 (Arran and Cumbrae)
  and TLM93 (mainland), so it has two ``lad_to_itl3`` and ``lad_to_itl2`` rows (a warning
  says so); a district with two parents is an error anywhere else.
- ONS "LAD (2023) to Region" lookup (``LAD23CD, LAD23NM, RGN23CD, RGN23NM, ObjectId``):
  ``lad_to_region``.
- ONS "Local Authority District to Combined Authority (May 2025) Lookup in EN"
  (``LAD25CD, LAD25NM, CAUTH25CD, CAUTH25NM, ObjectId``): ``lad_to_ca``. Districts outside
  any combined authority (all of Leicester and Leicestershire) are simply absent.
- ONS "Local Authority District to Local Skills Improvement Plan Areas (October 2025)
  Lookup in EN" (feature service ``LAD25_LSIP25_EN_LU``; ``LAD25CD, LAD25NM, LSIP25CD,
  LSIP25NM, ObjectId``): ``lad_to_lsip``, the LSIP areas in force from 1 October 2025
  (Rutland in "Leicester, Leicestershire and Rutland"). This is what ``lis fetch`` downloads.
- DfE ``LSIP_lookup.xlsx`` (sheet ``LA Districts to LSIPs``: ``LAD23CD, LAD23NM,
  LSIP23CD, LSIP23NM, NEW LSIP GEOGRAPHY (4 london areas)``): ``lad_to_lsip``. LSIP names
  carry leading and trailing spaces (stripped). The last column, added by DfE, names the
  LSIP areas in force from 1 October 2025 (names only, no codes); it is returned in
  ``df.attrs["metadata"]["new_lsip_geography"]`` (district code -> name) and the districts
  whose LSIP changes are listed in a warning (Rutland joins "Leicester, Leicestershire
  and Rutland").
- ONS "Local Enterprise Partnerships (April 2020) Names and Codes in England" (``FID,
  LEP20CD, LEP20NM``; stored as ``279.csv`` in jtrim-ons/ons-lookups): ``lep_names``. This
  is a list of names, not a relation: ``child_code``/``child_name`` are the LEP code and
  name (``child_level`` ``lep``) and the parent columns are empty.

Columns are found by pattern (``LAD24CD``, ``ITL125NM``, ``RGN23CD``, ``CAUTH25CD``,
``LSIP23CD``, ``LEP20CD``: prefix, two-digit year, ``CD``/``NM``), so next year's files
(``LAD25CD``, ``ITL126CD`` ...) parse unchanged. ``release`` is the month in the file name
(``(January_2025)`` -> ``2025-01``) or, failing that, the year of the parent columns
(``RGN23CD`` -> ``2023``). Lookups have no markers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import ClassVar

import pandas as pd

from ..errors import InputError
from ._base import (
    MONTHS,
    Measure,
    Source,
    Workbook,
    check_row_widths,
    clean_text,
    geography_level,
    lookup_frame,
    read_csv_rows,
)
from ._guard import MB

#: Largest lookup read: the real ones are 45 KB at most (LAD to LAU1 to ITL); a lookup of
#: every output area is about 20 MB.
MAX_BYTES = 32 * MB

#: Column prefix (as in ``LAD24CD``) -> geography level of its codes.
PREFIX_LEVELS = {
    "LAD": "lad",
    "LAU1": "lau1",
    "ITL1": "itl1",
    "ITL2": "itl2",
    "ITL3": "itl3",
    "RGN": "region",
    "CAUTH": "ca",
    "LSIP": "lsip",
    "LEP": "lep",
}
_COL_RE = re.compile(r"^(LAD|LAU1|ITL1|ITL2|ITL3|RGN|CAUTH|LSIP|LEP)(\d{2})(CD|NM)$", re.IGNORECASE)


def find_columns(header: Sequence[object]) -> dict[str, dict[str, int | str]]:
    """``{prefix: {"CD": col, "NM": col, "year": "24"}}`` for every ``<prefix><yy>CD/NM``
    column in the header (the first of each, ignoring case and spaces)."""
    out: dict[str, dict[str, int | str]] = {}
    for j, h in enumerate(header):
        m = _COL_RE.match(clean_text(h).replace(" ", ""))
        if m:
            prefix, yy, kind = m.group(1).upper(), m.group(2), m.group(3).upper()
            d = out.setdefault(prefix, {"year": yy})
            d.setdefault(kind, j)
    return out


def _release(path: Path, year: str | None) -> str:
    """'2025-01' from a name like '..._(January_2025)_Lookup...'; else '20yy' from a column."""
    found = re.findall(r"(" + "|".join(MONTHS) + r")[_ ](\d{4})", path.name.lower())
    if found:
        month, yyyy = found[-1]
        return f"{yyyy}-{MONTHS.index(month) + 1:02d}"
    return f"20{year}" if year else ""


def _first_line(path: Path) -> str:
    try:
        with open(path, "rb") as fh:
            return (
                fh.read(2048).decode("utf-8-sig", "ignore").splitlines()[0]
                if path.stat().st_size
                else ""
            )
    except (OSError, IndexError):
        return ""


class _Lookup(Source):
    """Shared reading and validation of a lookup table (header on the first row)."""

    kind = "lookup"
    publisher = "Office for National Statistics"
    measures: ClassVar[dict[str, Measure]] = {}
    #: Column prefixes that must be present (child first).
    required: tuple[str, ...] = ()

    def sniff(self, path: Path) -> bool:
        if path.suffix.lower() != ".csv":
            return True
        cols = find_columns(_first_line(path).split(","))
        return all(p in cols for p in self.required) and self._sniff_extra(cols)

    def _sniff_extra(self, cols: dict) -> bool:
        return True

    # ---------------------------------------------------------------- reading
    def _table(self, path: Path, rows: list[list], sheet: str | None) -> tuple[dict, list[int]]:
        """Column positions of the required prefixes and the data rows (to the first
        blank line; anything after it must be blank)."""
        if not rows or not any(clean_text(c) for c in rows[0]):
            raise InputError(path, "the file has no header row (empty table)", sheet=sheet, row=0)
        cols = find_columns(rows[0])
        for p in self.required:
            if p not in cols or "CD" not in cols[p] or "NM" not in cols[p]:
                found = ", ".join(repr(clean_text(h)) for h in rows[0] if clean_text(h))
                raise InputError(
                    path,
                    f"expected columns {p}yyCD and {p}yyNM (e.g. {p}24CD, {p}24NM) in the header row, found: {found[:300]}",
                    sheet=sheet,
                    row=0,
                )
        data = []
        r = 1
        while r < len(rows) and any(clean_text(c) for c in rows[r]):
            data.append(r)
            r += 1
        for k in range(r, len(rows)):
            if any(clean_text(c) for c in rows[k]):
                raise InputError(
                    path,
                    f"data row after the blank row {r + 1} (the table has a gap)",
                    sheet=sheet,
                    row=k,
                )
        if not data:
            raise InputError(path, "no data rows under the header", sheet=sheet, row=0)
        if sheet is None:  # a CSV: a longer line would shift its later columns
            check_row_widths(rows, data, len(rows[0]), file=path)
        return cols, data

    def _codes(
        self,
        path: Path,
        rows: list[list],
        data: list[int],
        col: dict,
        prefix: str,
        sheet: str | None,
    ) -> tuple[list[str], list[str]]:
        """Codes (validated against the expected level) and names of one prefix."""
        cj, nj = int(col["CD"]), int(col["NM"])
        header = clean_text(rows[0][cj])
        want = PREFIX_LEVELS[prefix]
        codes, names = [], []
        for r in data:
            line = rows[r]
            code = clean_text(line[cj]) if cj < len(line) else ""
            name = clean_text(line[nj]) if nj < len(line) else ""
            level = geography_level(code) if code else "missing"
            ok = level == want or (
                want == "lau1" and (level == "lad" or re.fullmatch(r"[EWSN]\d{8}", code))
            )
            if not ok:
                problem = (
                    "empty code"
                    if not code
                    else f"{code!r} is not a {want.upper()} code (looks like: {level})"
                )
                raise InputError(path, problem, sheet=sheet, row=r, column=cj, header=header)
            if not name:
                raise InputError(
                    path,
                    f"empty name for {code}",
                    sheet=sheet,
                    row=r,
                    column=nj,
                    header=clean_text(rows[0][nj]),
                )
            codes.append(code)
            names.append(name)
        return codes, names

    def _relation(
        self,
        path: Path,
        relation: str,
        child: tuple[list[str], list[str], str],
        parent: tuple[list[str], list[str], str],
        rows: list[int],
        *,
        sheet: str | None,
        allow_split: dict[str, set[str]] | None = None,
    ) -> pd.DataFrame:
        """One relation, identical pairs collapsed; a child with two parents is an error
        unless ``allow_split`` (child -> set of distinct sub-units) says it is published so."""
        seen: dict[str, tuple[str, int]] = {}
        keep: list[int] = []
        pairs: set[tuple[str, str]] = set()
        for i, (c, p) in enumerate(zip(child[0], parent[0], strict=True)):
            if (c, p) in pairs:
                continue
            if (
                c in seen
                and seen[c][0] != p
                and not (allow_split and len(allow_split.get(c, ())) > 1)
            ):
                raise InputError(
                    path,
                    f"{relation}: {c} maps to both {seen[c][0]} (row {seen[c][1] + 1}) and {p}",
                    sheet=sheet,
                    row=rows[i],
                )
            seen.setdefault(c, (p, rows[i]))
            pairs.add((c, p))
            keep.append(i)
        return lookup_frame(
            relation=relation,
            child_code=[child[0][i] for i in keep],
            child_name=[child[1][i] for i in keep],
            child_level=child[2],
            parent_code=[parent[0][i] for i in keep],
            parent_name=[parent[1][i] for i in keep],
            parent_level=parent[2],
            row=[rows[i] for i in keep],
        )

    def _done(
        self, df: pd.DataFrame, path: Path, release: str, warnings: list[str] | None = None
    ) -> pd.DataFrame:
        df["release"] = release
        df["source_file"] = path.name
        df["release"] = df["release"].astype("string")
        df["source_file"] = df["source_file"].astype("string")
        df.attrs["warnings"] = warnings or []
        return df


class LadItlLookup(_Lookup):
    """ONS LAD to LAU1 to ITL3 to ITL2 to ITL1 lookup (UK)."""

    name = "ons_lookup_lad_itl"
    dataset = "ons_lookup_lad_itl"
    title = "LAD to LAU1 to ITL3 to ITL2 to ITL1 Lookup in the UK"
    patterns = ("*lad*itl*.csv",)
    required = ("LAD", "ITL3", "ITL2", "ITL1")

    def parse(self, path: Path) -> pd.DataFrame:
        """Relations lad_to_itl3/itl2/itl1, itl3_to_itl2 and itl2_to_itl1."""
        path = Path(path)
        rows = read_csv_rows(path, max_bytes=MAX_BYTES)
        cols, data = self._table(path, rows, None)
        lad = (*self._codes(path, rows, data, cols["LAD"], "LAD", None), "lad")
        itl = {
            k: (*self._codes(path, rows, data, cols[k], k, None), k.lower())
            for k in ("ITL3", "ITL2", "ITL1")
        }
        # A district split between ITL3s by LAU1 (North Ayrshire) is published that way.
        split: dict[str, set[str]] = {}
        if "LAU1" in cols:
            lau = self._codes(path, rows, data, cols["LAU1"], "LAU1", None)[0]
            for c, u in zip(lad[0], lau, strict=True):
                split.setdefault(c, set()).add(u)
        parts = [
            self._relation(
                path, f"lad_to_{k.lower()}", lad, itl[k], data, sheet=None, allow_split=split
            )
            for k in ("ITL3", "ITL2", "ITL1")
        ]
        parts.append(
            self._relation(path, "itl3_to_itl2", itl["ITL3"], itl["ITL2"], data, sheet=None)
        )
        parts.append(
            self._relation(path, "itl2_to_itl1", itl["ITL2"], itl["ITL1"], data, sheet=None)
        )
        df = pd.concat(parts, ignore_index=True)
        warnings = []
        l3 = df[df["relation"] == "lad_to_itl3"]
        for code, grp in l3[l3["child_code"].duplicated(keep=False)].groupby(
            "child_code", sort=True
        ):
            warnings.append(
                f"{code} {grp['child_name'].iloc[0]} is split by LAU1 between "
                + " and ".join(
                    f"{p} {n}" for p, n in zip(grp["parent_code"], grp["parent_name"], strict=True)
                )
                + "; its district figures cannot be allocated to one ITL3/ITL2"
            )
        return self._done(df, path, _release(path, str(cols["ITL1"]["year"])), warnings)


class LadRegionLookup(_Lookup):
    """ONS LAD to Region lookup (England)."""

    name = "ons_lookup_lad_region"
    dataset = "ons_lookup_lad_region"
    title = "Local Authority District to Region Lookup in England"
    patterns = ("*lad*region*.csv", "*lad*rgn*.csv", "*local_authority_district_to_region*.csv")
    required = ("LAD", "RGN")

    def parse(self, path: Path) -> pd.DataFrame:
        """Relation lad_to_region."""
        path = Path(path)
        rows = read_csv_rows(path, max_bytes=MAX_BYTES)
        cols, data = self._table(path, rows, None)
        lad = (*self._codes(path, rows, data, cols["LAD"], "LAD", None), "lad")
        rgn = (*self._codes(path, rows, data, cols["RGN"], "RGN", None), "region")
        df = self._relation(path, "lad_to_region", lad, rgn, data, sheet=None)
        return self._done(df, path, _release(path, str(cols["RGN"]["year"])))


class LadCombinedAuthorityLookup(_Lookup):
    """ONS Local Authority District to Combined Authority lookup (England)."""

    name = "ons_lookup_lad_ca"
    dataset = "ons_lookup_lad_ca"
    title = "Local Authority District to Combined Authority Lookup in England"
    patterns = ("*local_authority_district_to_combined_authority*.csv", "*lad*cauth*.csv")
    required = ("LAD", "CAUTH")

    def parse(self, path: Path) -> pd.DataFrame:
        """Relation lad_to_ca."""
        path = Path(path)
        rows = read_csv_rows(path, max_bytes=MAX_BYTES)
        cols, data = self._table(path, rows, None)
        lad = (*self._codes(path, rows, data, cols["LAD"], "LAD", None), "lad")
        ca = (*self._codes(path, rows, data, cols["CAUTH"], "CAUTH", None), "ca")
        df = self._relation(path, "lad_to_ca", lad, ca, data, sheet=None)
        return self._done(df, path, _release(path, str(cols["CAUTH"]["year"])))


class LadLsipLookup(_Lookup):
    """ONS Local Authority District to Local Skills Improvement Plan Areas lookup (England)."""

    name = "ons_lookup_lad_lsip"
    dataset = "ons_lookup_lad_lsip"
    title = "Local Authority District to Local Skills Improvement Plan Areas Lookup in England"
    # The portal's CSV is named after the title (Local_Authority_District_to_Local_Skills_
    # Improvement_Plan_Areas_(October_2025)_Lookup_in_EN.csv; 2023: LAD_to_Local_skills_
    # improvement_plan_areas_(August_2023)_Lookup_in_England.csv); the feature service is
    # LAD25_LSIP25_EN_LU. The header sniff (LADyy and LSIPyy columns) keeps other CSVs out.
    patterns = ("*local_skills_improvement_plan*.csv", "*lad*lsip*.csv")
    required = ("LAD", "LSIP")

    def parse(self, path: Path) -> pd.DataFrame:
        """Relation lad_to_lsip."""
        path = Path(path)
        rows = read_csv_rows(path)
        cols, data = self._table(path, rows, None)
        lad = (*self._codes(path, rows, data, cols["LAD"], "LAD", None), "lad")
        lsip = (*self._codes(path, rows, data, cols["LSIP"], "LSIP", None), "lsip")
        df = self._relation(path, "lad_to_lsip", lad, lsip, data, sheet=None)
        return self._done(df, path, _release(path, str(cols["LSIP"]["year"])))


class LepNames(_Lookup):
    """ONS Local Enterprise Partnerships names and codes (England)."""

    name = "ons_lookup_lep_names"
    dataset = "ons_lookup_lep_names"
    title = "Local Enterprise Partnerships Names and Codes in England"
    # '279.csv' is the real file's name in jtrim-ons/ons-lookups (numbered files); the
    # header sniff (LEPyyCD, LEPyyNM and no district column) keeps other CSVs out.
    patterns = ("*local_enterprise_partnership*.csv", "lep*.csv", "[0-9]*.csv")
    required = ("LEP",)

    def _sniff_extra(self, cols: dict) -> bool:
        return "LAD" not in cols

    def parse(self, path: Path) -> pd.DataFrame:
        """Relation lep_names: child = the LEP (code, name); no parent."""
        path = Path(path)
        rows = read_csv_rows(path, max_bytes=MAX_BYTES)
        cols, data = self._table(path, rows, None)
        codes, names = self._codes(path, rows, data, cols["LEP"], "LEP", None)
        first: dict[str, int] = {}
        for code, r in zip(codes, data, strict=True):
            if code in first:
                raise InputError(
                    path,
                    f"duplicate LEP code {code} (first at row {first[code] + 1})",
                    row=r,
                    column=int(cols["LEP"]["CD"]),
                )
            first[code] = r
        df = lookup_frame(
            relation="lep_names", child_code=codes, child_name=names, child_level="lep", row=data
        )
        return self._done(df, path, _release(path, str(cols["LEP"]["year"])))


class LsipLookup(_Lookup):
    """DfE LAD to Local Skills Improvement Plan area lookup (England)."""

    name = "dfe_lookup_lad_lsip"
    dataset = "dfe_lookup_lad_lsip"
    publisher = "Department for Education"
    title = "Local authority districts to Local Skills Improvement Plan areas"
    patterns = ("*lsip*lookup*.xls*", "*lsip*.xlsx")
    required = ("LAD", "LSIP")

    def parse(self, path: Path) -> pd.DataFrame:
        """Relation lad_to_lsip; the 'NEW LSIP GEOGRAPHY' column goes to attrs metadata."""
        path = Path(path)
        book = Workbook(path, max_bytes=MAX_BYTES)
        sheet = book.find_sheet("LA Districts to LSIPs", *book.sheet_names[:1])
        rows = book.rows(sheet)
        cols, data = self._table(path, rows, sheet)
        lad = (*self._codes(path, rows, data, cols["LAD"], "LAD", sheet), "lad")
        lsip = (*self._codes(path, rows, data, cols["LSIP"], "LSIP", sheet), "lsip")
        df = self._relation(path, "lad_to_lsip", lad, lsip, data, sheet=sheet)
        warnings: list[str] = []
        new: dict[str, str] = {}
        header = [clean_text(h).lower() for h in rows[0]]
        j = next((k for k, h in enumerate(header) if h.startswith("new lsip")), None)
        if j is not None:
            for code, r in zip(lad[0], data, strict=True):
                name = clean_text(rows[r][j]) if j < len(rows[r]) else ""
                if name:
                    new[code] = name
            if new:
                warnings.append(
                    f"column {clean_text(rows[0][j])!r} gives the LSIP areas from 1 October 2025 (names only, "
                    "no codes); lad_to_lsip keeps the coded 2023 areas"
                )
            # New areas that join districts of more than one current (coded) LSIP area.
            members: dict[str, list[tuple[str, str, str]]] = {}
            for c, n, cur in zip(lad[0], lad[1], lsip[0], strict=True):
                if c in new:
                    members.setdefault(new[c], []).append((c, n, cur))
            for to, mem in sorted(members.items()):
                counts = Counter(cur for _, _, cur in mem)
                if len(counts) < 2:
                    continue
                main = counts.most_common(1)[0][0]
                others = [(c, n, cur) for c, n, cur in mem if cur != main]
                who = ", ".join(f"{c} {n}" for c, n, _ in others[:3]) + (
                    " ..." if len(others) > 3 else ""
                )
                warnings.append(
                    f"new LSIP area '{to}' = {main} plus {len(others)} district(s) from "
                    f"{', '.join(sorted({cur for *_, cur in others}))} ({who})"
                )
        df = self._done(df, path, _release(path, str(cols["LSIP"]["year"])), warnings)
        df.attrs["metadata"] = {"new_lsip_geography": new}
        return df
