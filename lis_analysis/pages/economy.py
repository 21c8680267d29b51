"""The economy sections of a page: the productivity gap, GVA per head in five ratios, the
trend of the gap and convergence, industry structure, shift-share and the sector
decomposition of productivity. The numbers come from :mod:`lis_analysis.analyses`; each
method says them in a sentence (:mod:`.prose`), draws them and tabulates them.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .. import analyses
from ..errors import DataNotAvailable
from ..geography import UK
from ..methods import InsufficientData, MethodError
from . import charts, prose
from .base import PageBase
from .display import _say, _show, shows
from .tables import table


class EconomySections(PageBase):
    """The analyses of the area's economy (part of :class:`~.page.Page`)."""

    @shows("productivity_gap")
    def productivity_gap(self) -> pd.DataFrame | None:
        """The £ per hour gap to the UK and the output a year that closing it would add."""
        try:
            gap = analyses.productivity_gap(self.area, self.ctx)
        except DataNotAvailable as exc:
            self._not_computed("productivity_gap", exc)
            return None
        g = gap.iloc[0]
        _say(
            prose.productivity_gap_sentence(
                year=int(g["year"]),
                area_name=self.area.name,
                benchmark_name=g["benchmark_name"],
                productivity=g["productivity"],
                benchmark_productivity=g["benchmark_productivity"],
                annual_hours=g["annual_hours"],
                output_to_close=g["output_to_close"],
                closed=bool(g["closed"]),
            )
        )
        return gap

    @shows("gva_per_head_decomposition")
    def gva_per_head_decomposition(self) -> pd.DataFrame | None:
        """GVA per head against the UK as productivity × hours per job × jobs per employed
        resident × employment rate × working-age share: a sentence, a waterfall of the
        log contributions and a table of the ratios."""
        try:
            dec = analyses.gva_per_head_decomposition(self.area, self.ctx)
        except DataNotAvailable as exc:
            self._not_computed("gva_per_head_decomposition", exc)
            return None
        y, bname = dec.attrs["year"], dec.attrs["benchmark_name"]
        parts = dec[dec["factor"] != "gva_per_head"]
        total = dec[dec["factor"] == "gva_per_head"].iloc[0]
        _say(
            prose.decomposition_sentence(
                year=y,
                area_name=self.area.name,
                benchmark_name=bname,
                relative=total["relative"],
                largest=parts.loc[parts["log_contribution"].abs().idxmax(), "label"],
            )
        )
        _show(
            charts.waterfall(
                pd.DataFrame(
                    {"component": parts["label"], "contribution": 100 * parts["log_contribution"]}
                ),
                title=f"Gap in GVA per head to {bname}, {y}: contributions",
                unit="log points × 100",
                total_label="GVA per head",
                source="GVA by industry, productivity hours and jobs, APS employment rate, population (approximate where vintages differ)",
            )
        )
        tab = parts[["label", "area", "benchmark", "relative"]].rename(
            columns={
                "label": "Factor",
                "area": self.area.name,
                "benchmark": "UK" if dec.attrs["benchmark_code"] == UK else bname,
                "relative": "Ratio (area ÷ benchmark)",
            }
        )
        jobs = dec[dec["factor"] == "jobs_per_employed_resident"]
        notes = [prose.DECOMPOSITION_NOTE]
        if len(jobs):
            notes.append(
                prose.jobs_per_resident_note(
                    area_name=self.area.name,
                    benchmark_name=bname,
                    area_ratio=float(jobs.iloc[0]["area"]),
                    benchmark_ratio=float(jobs.iloc[0]["benchmark"]),
                )
            )
        _show(table(tab, f"GVA per head decomposition, {y}", decimals=3, notes=notes))
        return dec

    @shows("trend_and_convergence", indicators=("indicator_id",), with_index=True)
    def trend_and_convergence(self, indicator_id: str) -> dict[str, Any]:
        """Is the gap to the UK closing (trend of the index with Newey-West intervals), and
        are the peer areas converging (β and σ convergence)?"""
        ind = self.registry[indicator_id]
        out: dict[str, Any] = {}
        try:
            series, t = analyses.gap_trend(
                self.area,
                self.ctx,
                indicator_id,
                start_year=self.params.start_year,
                end_year=self.params.end_year,
            )
            out["series"], out["trend"] = series, t
            # one story: the direction of travel is the reading's (the Newey-West trend of
            # the gap over its named period), the same words as the finding's
            a = self.reading(indicator_id)
            said = ""
            if a is not None and pd.notna(a["trend_start"]):
                said = prose.trend_sentence(
                    tag=a["trend"] if isinstance(a["trend"], str) else None,
                    benchmark_name=a["benchmark_name"],
                    start=int(a["trend_start"]),
                    end=int(a["trend_end"]),
                    change=a["trend_change"],
                    from_year=None if pd.isna(a["trend_from"]) else int(a["trend_from"]),
                    slope=float(a["trend_slope"]),
                    units=str(a["gap_units"]),
                    significant=a["trend_significant"],
                )
            _say(said or prose.no_trend("fewer than five years against the nation"))
            _show(
                charts.trend(
                    series,
                    area=self.area.name,
                    indicator_name=f"{ind.name} (UK = 100)",
                    unit="UK = 100",
                    source="ONS subregional productivity",
                )
            )
        except InsufficientData as exc:
            _say(prose.no_trend(str(exc)))
        peers = [self.geo.area(c) for c in self.table.attrs.get("peers", [])]
        try:
            conv = analyses.convergence(self.area, self.ctx, indicator_id, peers)
        except InsufficientData as exc:
            _say(prose.no_convergence(str(exc)))
            conv = None
        if conv is not None:
            levels, b, sg = conv
            out["beta"], out["sigma"] = b, sg
            _say(
                prose.convergence_sentence(
                    n_areas=levels.shape[0],
                    peer_word=self.peer_word(),
                    start=int(levels.columns.min()),
                    end=int(levels.columns.max()),
                    interpretation=b.interpretation,
                    indicator_name=ind.name,
                    converging=sg.converging,
                    sd_start=float(sg.by_year["sd_log"].iloc[0]),
                    sd_end=float(sg.by_year["sd_log"].iloc[-1]),
                )
            )
        return out

    @shows("industry_structure")
    def industry_structure(self) -> pd.DataFrame | None:
        """Location quotients of GVA by section against the UK (or England), with sector size."""
        try:
            lq = analyses.industry_structure(self.area, self.ctx)
        except DataNotAvailable as exc:
            self._not_computed("industry_structure", exc)
            return None
        y, b, bname = lq.attrs["year"], lq.attrs["benchmark"], lq.attrs["benchmark_name"]
        if "-complete" in b.code:
            _say(prose.industry_benchmark_note(b.name))
        # the specialisms a strategy builds on: a large LQ on an industry under 1% of the
        # area's GVA is left out of the sentence (the table shows every industry)
        big = lq[lq["area_share"] >= 0.01]
        top = (big if len(big) else lq).sort_values("lq", ascending=False).head(3)
        self._lead_sentence(
            prose.specialisation_sentence(
                year=y,
                area_name=self.area.name,
                benchmark_name=bname,
                top=[(r.industry_name, r.lq, r.area_share) for r in top.itertuples()],
            )
        )
        _show(
            charts.lq_bar(
                lq.assign(industry=lq["industry_name"], area_name=self.area.name, period=y),
                area_name=self.area.name,
                comparator=bname.replace("the ", "").split(" (")[0],
                title=f"Location quotients of GVA by industry, {self.area.name}, {y}",
                source="ONS regional GVA (balanced) by industry, current prices",
            )
        )
        tab = pd.DataFrame(
            {
                "Industry": lq["industry_name"],
                "GVA (£m)": lq["area_value"],
                "Share of area GVA (%)": lq["area_share"] * 100,
                f"Share of {bname} GVA (%)": lq["benchmark_share"] * 100,
                "Location quotient": lq["lq"],
            }
        )
        _show(
            table(
                tab.sort_values("Location quotient", ascending=False),
                f"GVA by industry and location quotients, {self.area.name}, {y}",
                decimals={"GVA (£m)": 0, "Location quotient": 2},
            )
        )
        return lq

    @shows("shift_share")
    def shift_share(self, years: int = 10) -> pd.DataFrame | None:
        """Shift-share of real GVA growth by industry (the finest level published, every
        industry included) over ``years`` years: national growth, industry mix, the area's
        own (competitive) effect, and the published total's change that its industries'
        chained-volume changes do not add up to."""
        try:
            ss = analyses.shift_share(self.area, self.ctx, years=years)
        except (DataNotAvailable, MethodError) as exc:
            self._not_computed("shift_share", exc)
            return None
        tot, bname = ss.loc["Total"], ss.attrs["benchmark_name"]
        start, end = ss.attrs["start"], ss.attrs["end"]
        self._lead_sentence(
            prose.shift_share_sentence(
                area_name=self.area.name,
                start=start,
                end=end,
                benchmark_name=bname,
                actual=tot["actual_change"],
                national=tot["national_share"],
                mix=tot["industry_mix"],
                competitive=tot["competitive"],
                not_additive=tot["not_additive"],
            )
        )
        _show(
            charts.waterfall(
                pd.DataFrame(
                    {
                        "component": [
                            f"{prose.capital(bname)} growth",
                            "Industry mix",
                            "Local (competitive) effect",
                            "Not additive (chained volume)",
                        ],
                        "contribution": [
                            tot["national_share"],
                            tot["industry_mix"],
                            tot["competitive"],
                            tot["not_additive"],
                        ],
                    }
                ),
                title=f"Shift-share of real GVA change, {self.area.name}, {start}-{end}",
                unit="£m",
                total_label="Published change",
                source="ONS regional GVA by industry, chained volume measures",
                decimals=0,
            )
        )
        body = ss.drop(index="Total")
        tab = pd.DataFrame(
            {
                "Industry": body["industry_name"],
                "Actual change (£m)": body["actual_change"],
                f"{prose.capital(bname)} growth (£m)": body["national_share"],
                "Industry mix (£m)": body["industry_mix"],
                "Competitive (£m)": body["competitive"],
            }
        ).reset_index(drop=True)
        tab.loc[len(tab)] = [
            "Total (published)",
            tot["actual_change"],
            tot["national_share"],
            tot["industry_mix"],
            tot["competitive"],
        ]
        _show(
            table(
                tab,
                f"Shift-share by industry, {start}-{end} (chained volume £m)",
                decimals=0,
                notes=prose.SHIFT_SHARE_NOTE,
            )
        )
        return ss

    @shows("sector_productivity")
    def sector_productivity(self) -> pd.DataFrame | None:
        """The productivity gap split into industry mix, within-industry and interaction,
        and the industry-mix-adjusted index, from GVA and BRES employment by section."""
        try:
            dec = analyses.sector_productivity(self.area, self.ctx)
        except (DataNotAvailable, MethodError) as exc:
            self._not_computed("sector_productivity", exc)
            return None
        d = dec.iloc[0]
        bname = d["benchmark_name"]
        self._lead_sentence(
            prose.sector_productivity_sentence(
                area_name=self.area.name,
                year=int(d["year"]),
                benchmark_name=bname,
                gap=d["gap"],
                mix=d["mix"],
                within=d["within"],
                interaction=d["interaction"],
                mix_adjusted_index=d["mix_adjusted_index"],
            )
        )
        _show(
            charts.waterfall(
                pd.DataFrame(
                    {
                        "component": ["Industry mix", "Within industries", "Interaction"],
                        "contribution": [d["mix"], d["within"], d["interaction"]],
                    }
                ),
                title=f"Gap in GVA per job to {bname}, {int(d['year'])}: mix, within and interaction",
                unit="£ per job",
                total_label="Gap",
                source="ONS GVA by industry; BRES employment",
                decimals=0,
            )
        )
        return dec


__all__ = ["EconomySections"]
