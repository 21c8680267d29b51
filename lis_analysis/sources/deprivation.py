"""MHCLG English Indices of Deprivation: File 10, local authority district summaries.

The Indices rank the ~33,000 small areas (LSOAs) of England; File 10 summarises them for
each lower-tier local authority district. Two editions are read by the same parser:

* ``File_10_-_IoD2019_Local_Authority_District_Summaries__lower-tier__.xlsx``: IoD2019,
  317 districts on 2019 codes (period ``2019``);
* ``File_10_-_IoD2025_Local_Authority_District_Summaries__lower-tier__v2.xlsx``: IoD2025,
  296 districts on 2024 codes (period ``2025``). Files 10, 11 and 14 were reissued as v2
  on 17 November 2025 after a correction to the LSOA-to-district lookup.

Sheets: ``Notes`` (empty to a value reader: a text box), ``IMD`` and one per domain
(``Income``, ``Employment``, ``Education``, ``Health``, ``Crime``, ``Barriers``,
``Living``) and supplementary index (``IDACI``, ``IDAOPI``). Each sheet has its header
on row 0 (``Local Authority District code (2019)``, ``... name (2019)``, then
``<Domain> - Average rank ``, ``<Domain> - Rank of average rank ``, ...; the header
strings end with a space) and one row per district below, nothing else.

Measures (``<domain>_<summary>``; domains ``imd``, ``income``, ``employment``,
``education``, ``health``, ``crime``, ``barriers``, ``living_environment``, ``idaci``,
``idaopi``):

* ``average_rank``, ``average_score``: population-weighted averages of the district's
  LSOA ranks / scores;
* ``most_deprived_10pc_share``: proportion of the district's LSOAs in the most deprived
  10% nationally (0-1); ``extent`` (IMD only): proportion of the population in the most
  deprived 30% of LSOAs, weighted; ``local_concentration`` (IMD only): population-weighted
  average rank of the district's most deprived LSOAs containing 10% of its population;
* ``rank_of_<summary>``: the district's rank on that summary, **1 = most deprived**, out
  of 317 districts (IoD2019) or 296 (IoD2025);
* ``income_scale`` / ``employment_scale``: numbers of income- / employment-deprived
  people, with their ranks.

Everything is ``not_aggregable`` (ranks, scores and averages of LSOA ranks; the 10% share
could be pooled with LSOA counts, which File 10 does not give) except the two scales,
which are counts of people and add up across districts. Ranks and scores are relative
to one edition: a change of rank between 2019 and 2025 mixes real change with changes in
indicators, methods and district boundaries (MHCLG advises against comparing them).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputError
from ._base import (
    Measure,
    Source,
    Workbook,
    check_codes,
    check_unlabelled_columns,
    clean_text,
    parse_block,
    tidy,
)
from ._guard import MB

#: Largest workbook read: the real File 10 workbooks are 0.23-0.26 MB.
MAX_BYTES = 16 * MB

#: Sheet -> (measure prefix, the header prefix printed before " - ", what it is)
DOMAINS: dict[str, tuple[str, str, str]] = {
    "IMD": ("imd", "IMD", "Index of Multiple Deprivation"),
    "Income": ("income", "Income", "Income deprivation"),
    "Employment": ("employment", "Employment", "Employment deprivation"),
    "Education": (
        "education",
        "Education, Skills and Training",
        "Education, skills and training deprivation",
    ),
    "Health": ("health", "Health Deprivation and Disability", "Health deprivation and disability"),
    "Crime": ("crime", "Crime", "Crime"),
    "Barriers": (
        "barriers",
        "Barriers to Housing and Services",
        "Barriers to housing and services",
    ),
    "Living": ("living_environment", "Living Environment", "Living environment deprivation"),
    "IDACI": ("idaci", "IDACI", "Income deprivation affecting children (IDACI)"),
    "IDAOPI": ("idaopi", "IDAOPI", "Income deprivation affecting older people (IDAOPI)"),
}
#: Summary printed after " - " -> (measure suffix, unit, description)
SUMMARIES: dict[str, tuple[str, str, str]] = {
    "average rank": (
        "average_rank",
        "rank",
        "population-weighted average of the district's LSOA ranks (1 = most deprived LSOA)",
    ),
    "rank of average rank": ("rank_of_average_rank", "rank", "district rank on the average rank"),
    "average score": (
        "average_score",
        "score",
        "population-weighted average of the district's LSOA scores",
    ),
    "rank of average score": (
        "rank_of_average_score",
        "rank",
        "district rank on the average score",
    ),
    "proportion of lsoas in most deprived 10% nationally": (
        "most_deprived_10pc_share",
        "proportion",
        "proportion of the district's LSOAs in the most deprived 10% nationally (0-1)",
    ),
    "rank of proportion of lsoas in most deprived 10% nationally": (
        "rank_of_most_deprived_10pc_share",
        "rank",
        "district rank on the proportion of LSOAs in the most deprived 10%",
    ),
    "extent": (
        "extent",
        "proportion",
        "extent: population-weighted proportion of the district living in the most deprived 30% of LSOAs (0-1)",
    ),
    "rank of extent": ("rank_of_extent", "rank", "district rank on extent"),
    "local concentration": (
        "local_concentration",
        "rank",
        "local concentration: population-weighted average rank of the most deprived LSOAs holding 10% of the district's population",
    ),
    "rank of local concentration": (
        "rank_of_local_concentration",
        "rank",
        "district rank on local concentration",
    ),
}
#: Income and employment sheets end with the numbers of deprived people and their rank.
SCALES = {
    "income scale": ("income_scale", "income"),
    "rank of income scale": ("income_rank_of_scale", "income"),
    "employment scale": ("employment_scale", "employment"),
    "rank of employment scale": ("employment_rank_of_scale", "employment"),
}
#: The population that weights districts' average scores into an area's (the rebased
#: ONS mid-year estimates by local authority, 1998 onwards; the nearest year is used).
SCORE_WEIGHTS = "ons_population_la:population"
#: Domains whose scores are standardised (and can be negative).
SIGNED_SCORES = {"health", "crime"}
RANK_NOTE = "1 = most deprived; of 317 districts in IoD2019, 296 in IoD2025"
#: Publication dates (gov.uk statistics pages); File 10 of IoD2025 was reissued as v2.
RELEASES = {2019: "2019-09-26", 2025: "2025-10-30"}
RELEASE_V2 = {2025: "2025-11-17"}


def _measures() -> dict[str, Measure]:
    out: list[Measure] = []
    for prefix, _, what in DOMAINS.values():
        for suffix, unit, desc in SUMMARIES.values():
            if suffix.endswith(("extent", "local_concentration")) and prefix != "imd":
                continue
            text = f"{what}: {desc}"
            if unit == "rank" and suffix.startswith("rank_of"):
                text += f" ({RANK_NOTE})"
            if suffix == "average_score":
                # a district's average score is the population-weighted mean of its LSOAs'
                # scores, so an area's is the population-weighted mean of its districts'
                # (exact with MHCLG's own LSOA populations; the ONS mid-year estimates
                # stand in for them, so the figure is labelled approximate)
                out.append(
                    Measure(
                        f"{prefix}_{suffix}",
                        unit,
                        "ratio",
                        text,
                        denominator=SCORE_WEIGHTS,
                        nonnegative=prefix not in SIGNED_SCORES,
                        approximate=True,
                        base="the LSOA populations MHCLG weighted each district's score by",
                        why="a population-weighted mean of LSOA scores",
                    )
                )
                continue
            out.append(Measure(f"{prefix}_{suffix}", unit, "not_aggregable", text))
    out += [
        Measure(
            "income_scale",
            "people",
            "additive",
            "Income deprivation: number of people income deprived (income scale)",
        ),
        Measure(
            "income_rank_of_scale",
            "rank",
            "not_aggregable",
            f"Income deprivation: district rank on the income scale ({RANK_NOTE})",
        ),
        Measure(
            "employment_scale",
            "people",
            "additive",
            "Employment deprivation: number of people employment deprived (employment scale)",
        ),
        Measure(
            "employment_rank_of_scale",
            "rank",
            "not_aggregable",
            f"Employment deprivation: district rank on the employment scale ({RANK_NOTE})",
        ),
    ]
    return {m.id: m for m in out}


MEASURES = _measures()


class Deprivation(Source):
    """English Indices of Deprivation, File 10: local authority district summaries."""

    name = "mhclg_imd"
    dataset = "mhclg_imd"
    publisher = "Ministry of Housing, Communities and Local Government"
    title = "English Indices of Deprivation: local authority district summaries (File 10)"
    patterns = (
        "file_10_*iod20*local_authority_district_summar*.xls*",
        "*iod20*_local_authority_district_summar*lower*.xls*",
    )
    measures = MEASURES

    def _edition(self, path: Path, book: Workbook) -> int:
        m = re.search(r"iod(\d{4})", path.name.lower())
        if m:
            return int(m.group(1))
        # Fallback: the IMD sheet's extent header names the edition ("IMD 2019 -" / "IMD25 -").
        header = " ".join(clean_text(c) for c in book.rows(book.find_sheet("IMD"))[0])
        m = re.search(r"IMD\s*(\d{4}|\d{2}) - Extent", header)
        if not m:
            raise InputError(
                path,
                "cannot tell the edition (IoD2019, IoD2025...) from the file name or the IMD header",
                sheet="IMD",
                row=0,
            )
        y = m.group(1)
        return int(y) if len(y) == 4 else 2000 + int(y)

    def parse(self, path: Path) -> pd.DataFrame:
        path = Path(path)
        book = Workbook(path, max_bytes=MAX_BYTES)
        # File 10 holds 'Notes' and one sheet per index and domain only: any other sheet is
        # a renamed domain, whose figures must not be left out without a word.
        book.refuse_unknown_sheets(("Notes", *DOMAINS), "Notes and " + ", ".join(DOMAINS))
        imd_sheet = book.find_sheet("IMD")
        year = self._edition(path, book)
        parts = [self._sheet(book, imd_sheet, "IMD")]
        for sheet in book.sheet_names:
            key = sheet.strip()
            if key in DOMAINS and key != "IMD":
                parts.append(self._sheet(book, sheet, key))
        release = (
            RELEASE_V2
            if re.search(r"v2(?:_\d{4}-\d{2}-\d{2})?\.xlsx?$", path.name.lower())
            else RELEASES
        ).get(year)
        df = tidy(
            **{k: np.concatenate([p[k] for p in parts]) for k in parts[0]},
            period=str(year),
            year=year,
            industry="Total",
            breakdown="All",
            release=release,
        )
        out = self.finish(df, path)
        n = out.loc[out["measure"] == "imd_rank_of_average_score", "geography_code"].nunique()
        out.attrs["warnings"] = [
            f"IoD{year}: ranks are out of {n} districts (1 = most deprived) and are not comparable across editions"
        ]
        return out

    def _sheet(self, book: Workbook, sheet: str, key: str) -> dict[str, np.ndarray]:
        path = book.path
        prefix, printed, _ = DOMAINS[key]
        rows = book.rows(sheet)
        if not rows:
            raise InputError(path, "the sheet is empty", sheet=sheet)
        header = [clean_text(c) for c in rows[0]]
        if not (
            len(header) > 2
            and header[0].lower().startswith("local authority district code")
            and header[1].lower().startswith("local authority district name")
        ):
            raise InputError(
                path,
                "expected 'Local Authority District code (<year>)' and '... name (<year>)' in columns A-B of row 1, found "
                + ", ".join(repr(h) for h in header[:2]),
                sheet=sheet,
                row=0,
            )
        cols: list[int] = []
        measures: list[str] = []
        for j in range(2, len(header)):
            h = header[j]
            if not h:
                continue
            low = h.lower()
            if low in SCALES and SCALES[low][1] == prefix:
                cols.append(j)
                measures.append(SCALES[low][0])
                continue
            head, sep, tail = h.partition(" - ")
            # 'IMD - ...', 'IMD 2019 - Extent', 'IMD25 - Extent' all belong to the IMD sheet.
            same = head.lower() == printed.lower() or (
                prefix == "imd" and re.fullmatch(r"imd\s*(\d{2}|\d{4})", head.lower())
            )
            if not sep or not same or tail.lower() not in SUMMARIES:
                raise InputError(
                    path, f"unexpected column header {h!r}", sheet=sheet, row=0, column=j, header=h
                )
            mid = f"{prefix}_{SUMMARIES[tail.lower()][0]}"
            if mid not in MEASURES:
                raise InputError(
                    path,
                    f"column {h!r} is not expected on the {key} sheet",
                    sheet=sheet,
                    row=0,
                    column=j,
                    header=h,
                )
            cols.append(j)
            measures.append(mid)
        if (
            f"{prefix}_average_score" not in measures
            or f"{prefix}_rank_of_average_score" not in measures
        ):
            raise InputError(
                path,
                f"expected columns '{printed} - Average score' and '{printed} - Rank of average score'",
                sheet=sheet,
                row=0,
            )
        if len(set(measures)) != len(measures):
            raise InputError(
                path, "a summary column appears twice in the header", sheet=sheet, row=0
            )
        data_rows = []
        for r in range(1, len(rows)):
            if not clean_text(rows[r][0] if rows[r] else ""):
                break
            data_rows.append(r)
        for k in range(data_rows[-1] + 1 if data_rows else 1, len(rows)):
            line = rows[k]
            if any(isinstance(line[c], (int, float)) for c in cols if c < len(line)):
                raise InputError(
                    path, "numbers in a row without a district code", sheet=sheet, row=k, column=0
                )
        if not data_rows:
            raise InputError(path, "no district rows under the header", sheet=sheet, row=0)
        check_unlabelled_columns(rows, 0, data_rows, cols, first=2, file=path, sheet=sheet)
        codes = [clean_text(rows[r][0]) for r in data_rows]
        names = [clean_text(rows[r][1]) for r in data_rows]
        check_codes(codes, data_rows, file=path, sheet=sheet, col=0, header=header[0])
        values, status = parse_block(
            rows, data_rows, cols, file=path, sheet=sheet, headers=[header[c] for c in cols]
        )
        n, m = len(data_rows), len(cols)
        return {
            "geography_code": np.repeat(np.asarray(codes, dtype=object), m),
            "geography_name": np.repeat(np.asarray(names, dtype=object), m),
            "measure": np.tile(np.asarray(measures, dtype=object), n),
            "value": values.reshape(-1),
            "status": status.reshape(-1),
            "row": np.repeat(np.asarray(data_rows), m),
            "col": np.tile(np.asarray(cols), n),
            "sheet": np.full(n * m, sheet, dtype=object),
        }
