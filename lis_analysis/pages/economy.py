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
        _show(
            table(
                tab,
                f"GVA per head decomposition, {y}",
                decimals=3,
                notes=prose.DECOMPOSITION_NOTE,
            )
        )
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
            own = series[series["area_code"] == self.area.code]
            out["series"], out["trend"] = series, t
            _say(
                prose.gap_trend_sentence(
                    start=int(own["year"].min()),
                    end=int(own["year"].max()),
                    area_name=self.area.name,
                    indicator_name=ind.name,
                    slope=t.slope,
                    ci_lower=t.ci_lower,
                    ci_upper=t.ci_upper,
                    significant=t.significant,
                )
            )
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
        if b.code.endswith("-complete"):
            _say(prose.industry_benchmark_note(b.name))
        top = lq.sort_values("lq", ascending=False).head(3)
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
        """Shift-share of real GVA growth by section over ``years`` years: national growth,
        industry mix and the area's own (competitive) effect."""
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
            )
        )
        _show(
            charts.waterfall(
                pd.DataFrame(
                    {
                        "component": [
                            f"{bname.capitalize()} growth",
                            "Industry mix",
                            "Local (competitive) effect",
                        ],
                        "contribution": [
                            tot["national_share"],
                            tot["industry_mix"],
                            tot["competitive"],
                        ],
                    }
                ),
                title=f"Shift-share of real GVA change, {self.area.name}, {start}-{end}",
                unit="£m",
                total_label="Actual change",
                source="ONS regional GVA by industry, chained volume measures",
                decimals=0,
            )
        )
        body = ss.drop(index="Total")
        tab = pd.DataFrame(
            {
                "Industry": body["industry_name"],
                "Actual change (£m)": body["actual_change"],
                f"{bname.capitalize()} growth (£m)": body["national_share"],
                "Industry mix (£m)": body["industry_mix"],
                "Competitive (£m)": body["competitive"],
            }
        ).reset_index(drop=True)
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
