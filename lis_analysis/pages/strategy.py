"""The strategy sections of a page: foundations ranked by need and sector opportunities
(:mod:`lis_analysis.priorities`), and what respondents said in the call for evidence and
the consultation (:mod:`lis_analysis.consultation`).
"""

from __future__ import annotations

from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from .._files import input_path
from ..errors import DataNotAvailable, LisError
from . import charts, prose
from .base import PageBase
from .display import _md, _say, _show, shows
from .tables import quotes_table, table


def _first_district(where: str) -> str | None:
    """The most specialised district of a 'where' cell ('Melton 18.25 (25%); ...')."""
    first = str(where or "").split(";")[0].strip()
    return first.rsplit(" ", 2)[0] if first else None


def _or_none(x: Any) -> float | None:
    return None if x is None or pd.isna(x) else float(x)


class StrategySections(PageBase):
    """Priorities and the voice of respondents (part of :class:`~.page.Page`)."""

    @shows("foundation_priorities")
    def foundation_priorities(self) -> pd.DataFrame:
        """The five Foundations of Productivity ranked by need, from their weaknesses
        (:func:`lis_analysis.priorities.foundation_scores`), with how often each keeps
        its rank when the thresholds, the indicator set and the weights move. Headline
        productivity, the outcome the foundations drive, is read first and not ranked."""
        from ..indicators.registry import HEADLINE
        from ..priorities import (
            ASSESSED,
            foundation_scores,
            foundation_sensitivity,
            load_readings,
            load_weights,
        )

        w = load_weights(self.params.weights_file)
        rd = load_readings()
        a = self.assessment
        head = a[(a["group"] == HEADLINE) & a["classification"].isin(ASSESSED)]
        head = head[[not self.repeats(i) for i in head["indicator_id"]]]
        if len(head):
            _say(
                prose.headline_sentence(
                    [(r.indicator_name, r.classification, list(r.tags)) for r in head.itertuples()]
                )
            )
        fs = foundation_scores(a, w, rd)
        try:
            sens = foundation_sensitivity(a, w, rd)
        except LisError:
            sens = None
        merged = fs.merge(
            sens.summary if sens is not None else pd.DataFrame(columns=["item"]),
            left_on="group",
            right_on="item",
            how="left",
        )
        for c in (
            "stability_weights",
            "stability_thresholds",
            "stability_leave_one_out",
            "stability",
        ):
            if c not in merged.columns:
                merged[c] = float("nan")
        ranked = merged[(merged["status"] == "assessed") & (merged["need"] > 0)]
        if len(ranked):
            top = ranked.iloc[0]
            said = prose.foundation_priorities_sentence(
                foundation=str(top["group"]),
                need=float(top["weighted_need"]),
                weaknesses=list(top["weaknesses"]),
                stability=_or_none(top["stability"]),
                stability_thresholds=_or_none(top["stability_thresholds"]),
                stability_leave_one_out=_or_none(top["stability_leave_one_out"]),
                draws=sens.draws if sens is not None else 0,
                markdown=True,
            )
            self._lead = self._lead or prose.foundation_priorities_sentence(
                foundation=str(top["group"]),
                need=float(top["weighted_need"]),
                weaknesses=list(top["weaknesses"]),
                stability=None,
                stability_thresholds=None,
                stability_leave_one_out=None,
                draws=0,
            )
            _show(_md(said))
        else:
            _say(prose.no_foundation_in_need(self.area.name))
        if sens is not None and len(ranked) > 1:
            draws = (
                sens.ranks[list(ranked["group"])]
                .melt(var_name="priority", value_name="rank", ignore_index=False)
                .reset_index(names="draw")
                .dropna(subset=["rank"])
            )
            _show(
                charts.rank_distribution(
                    draws,
                    title=f"Foundations ranked by need, {self.area.name}: {sens.draws:,} draws of weights, thresholds and indicators",
                    source=f"Weights: {Path(w.source).name}; thresholds: {Path(rd.source).name}",
                )
            )
        ranked_now = (merged["status"] == "assessed") & (merged["need"] > 0)

        def kept(col: str) -> list[str]:
            # how often a ranked foundation keeps its rank; an unranked one (no weakness,
            # or not assessed) has no rank to keep
            return [
                f"{100 * v:.0f}%" if r and pd.notna(v) else "–"
                for r, v in zip(ranked_now, merged[col], strict=True)
            ]

        tab = pd.DataFrame(
            {
                "Rank": [
                    str(int(r.priority_rank)) if ok else "–"
                    for ok, r in zip(ranked_now, merged.itertuples(), strict=True)
                ],
                "Foundation": merged["group"],
                "Reading": [
                    prose.foundation_reading(r.status, int(r.n_assessed), list(r.weaknesses))
                    for r in merged.itertuples()
                ],
                "Need (thresholds)": [
                    f"{v:.2f}" if pd.notna(v) else "–" for v in merged["weighted_need"]
                ],
                "Keeps its rank: weights": kept("stability_weights"),
                "thresholds": kept("stability_thresholds"),
                "leaving one indicator out": kept("stability_leave_one_out"),
                "all together": kept("stability"),
            }
        )
        _show(
            table(
                tab,
                "Foundations by need, and how often each keeps its rank",
                notes=prose.foundation_need_note(
                    draws=sens.draws if sens is not None else 0,
                    factors=rd.materiality_factors,
                ),
            )
        )
        if sens is not None and len(sens.scenarios):
            sc = sens.scenarios.rename(columns={"scenario": "Scenario"})
            _show(
                table(
                    sc,
                    "Rank of each foundation when the thresholds move and when each indicator is left out",
                    decimals=0,
                    notes=(
                        "[x]: the foundation has no indicator left to read in that run. "
                        "Foundations with no weakness share the last rank."
                    ),
                )
            )
        merged.attrs["sensitivity"] = sens
        return merged

    @shows("sector_specialisms")
    def sector_specialisms(self) -> pd.DataFrame | None:
        """The area's specialisms at the finest industry level published (2-digit groups
        where ONS publishes them): location quotient against a named nation, share of the
        area's GVA, real growth against the same industry nationally, productivity where
        employment is loaded, and the districts each sits in."""
        from ..analyses.sectors import sector_profile, specialisms

        try:
            prof = sector_profile(self.area, self.ctx)
        except DataNotAvailable as exc:
            self._not_computed("sector_specialisms", exc)
            return None
        spec = specialisms(prof)
        bname = prof.attrs["benchmark_name"]
        self._lead_sentence(
            prose.specialisms_sentence(
                area_name=self.area.name,
                year=prof.attrs["year"],
                level=prof.attrs["level"],
                benchmark_name=bname,
                top=[
                    (r.name, r.industry, r.lq, r.share, _first_district(r.where))
                    for r in spec.head(4).itertuples()
                ],
            )
        )
        tab = pd.DataFrame(
            {
                "Industry": spec["name"],
                "SIC 2007": spec["industry"],
                "GVA (£m)": spec["gva"],
                "Share of GVA (%)": spec["share"],
                "Location quotient": spec["lq"],
                "Real growth (% a year)": spec["growth"],
                "Same industry nationally (% a year)": spec["national_growth"],
                "Productivity (nation = 100)": spec["productivity"],
                "Where in the area (district LQ, share of the area's GVA in it)": spec["where"],
            }
        )
        if tab["Productivity (nation = 100)"].isna().all():
            tab = tab.drop(columns="Productivity (nation = 100)")
        _show(
            table(
                tab,
                f"Sector specialisms of {self.area.name}, {prof.attrs['year']}: location quotient of "
                f"at least {spec.attrs['min_lq']:g} and at least {spec.attrs['min_share']:g}% of GVA",
                decimals={
                    "GVA (£m)": 0,
                    "Share of GVA (%)": 1,
                    "Location quotient": 2,
                    "Real growth (% a year)": 1,
                    "Same industry nationally (% a year)": 1,
                    "Productivity (nation = 100)": 0,
                },
                notes=prose.specialisms_note(
                    benchmark_name=bname,
                    growth_period=prof.attrs["growth_period"],
                    growth_benchmark=prof.attrs["growth_benchmark_name"],
                    employment=prof.attrs["employment_year"] is not None,
                ),
            )
        )
        return prof

    @shows("sector_priorities")
    def sector_priorities(self) -> pd.DataFrame | None:
        """Industries scored as opportunities (location quotient, real growth, productivity
        where loaded, each shrunk toward its reference by the industry's size) with the
        sensitivity of the ranking to the weights."""
        from ..priorities import load_weights, sector_inputs, sector_scores, sensitivity

        w = load_weights(self.params.weights_file)
        try:
            inputs = sector_inputs(self.area, obs=self.ctx.obs, geo=self.geo, ctx=self.ctx)
            sc = sector_scores(inputs, w)
        except (LisError, DataNotAvailable) as exc:
            _say(prose.not_scored("sector priorities", str(exc)))
            return None
        crit = sc.attrs["criteria"]
        sens = sensitivity(
            sc.set_index("name")[[f"z_{c}" for c in crit]].rename(columns=lambda c: c[2:]),
            {c: w.sectors.get(c, 1.0) for c in crit},
            draws=w.draws,
            concentration=w.concentration,
            seed=w.seed,
        )
        _say(
            prose.sector_priorities_sentence(
                area_name=self.area.name,
                criteria=crit,
                top=[(r.name, r.lq, r.growth) for r in sc.head(3).itertuples()],
                draws=sens.draws,
                kendall_tau=sens.kendall_tau_median,
            )
        )
        top = sc.head(12)
        draws = (
            sens.ranks[list(top["name"])]
            .melt(var_name="priority", value_name="rank", ignore_index=False)
            .reset_index(names="draw")
        )
        _show(
            charts.rank_distribution(
                draws,
                title=f"Sector opportunities, {self.area.name}: rank across {sens.draws:,} weight draws",
                source="Location quotient, real growth and productivity by industry (finest level published)",
            )
        )
        tab = sc[
            ["rank", "name", "industry", "share", "lq", "growth", "national_growth", "score"]
        ].copy()
        tab.columns = [
            "Rank",
            "Industry",
            "SIC 2007",
            "Share of GVA (%)",
            "Location quotient",
            "Real growth (% a year)",
            "Same industry nationally (% a year)",
            "Score",
        ]
        _show(
            table(
                tab,
                f"Sector opportunity scores, {self.area.name}",
                decimals={
                    "Location quotient": 2,
                    "Score": 2,
                    "Share of GVA (%)": 1,
                    "Real growth (% a year)": 1,
                    "Same industry nationally (% a year)": 1,
                },  # fmt: skip
                notes=prose.sector_score_note(
                    min_share=sc.attrs["min_share"], half_share=sc.attrs["half_share"]
                ),
            )
        )
        return sc

    @shows("is8_sectors")
    def is8_sectors(self) -> pd.DataFrame | None:
        """Sector strengths for a Local Growth Plan: the area in the Industrial Strategy's
        eight growth-driving sectors (and the foundational industries) from SIC 2007
        codes, each measured from the finest industry groups loaded, with the
        approximation stated; sectors SIC cannot measure are said to be so, never weak."""
        from ..analyses.sectors import is8_profile

        try:
            prof = is8_profile(self.area, self.ctx)
        except DataNotAvailable as exc:
            self._not_computed("is8_sectors", exc)
            return None
        sectors = prof[prof["tier"] == "growth-driving sector"]
        _say(
            prose.is8_sentence(
                area_name=self.area.name,
                year=prof.attrs["year"],
                measured=[
                    (r.sector, r.reading, r.lq, r.share, bool(r.exact))
                    for r in sectors.itertuples()
                    if r.status == "measured"
                ],
                not_measurable=[r.sector for r in sectors.itertuples() if r.status != "measured"],
            )
        )
        show = pd.DataFrame(
            {
                "Sector": prof["sector"],
                "Tier": prof["tier"],
                "How well SIC captures it (DBT)": prof["coverage"],
                "Reading": prof["reading"],
                "GVA (£m)": prof["gva"],
                "Share of GVA (%)": prof["share"],
                "Location quotient": prof["lq"],
                "Real growth (% a year)": prof["growth"],
                "Same industries nationally (% a year)": prof["national_growth"],
                "Productivity (nation = 100)": prof["productivity"],
                "Measured as": prof["approximation"],
            }
        )
        if show["Productivity (nation = 100)"].isna().all():
            show = show.drop(columns="Productivity (nation = 100)")
        _show(
            table(
                show,
                f"The Industrial Strategy's sectors in {self.area.name}, {prof.attrs['year']} ({prof.attrs['edition']} codes)",
                decimals={
                    "GVA (£m)": 0,
                    "Share of GVA (%)": 1,
                    "Location quotient": 2,
                    "Real growth (% a year)": 1,
                    "Same industries nationally (% a year)": 1,
                    "Productivity (nation = 100)": 0,
                },
                notes=prose.is8_notes(
                    benchmark_name=prof.attrs["benchmark_name"],
                    overlaps=prof.attrs["overlaps"],
                    edition=prof.attrs["edition"],
                    published=prof.attrs["published"],
                    growth_period=prof.attrs["growth_period"],
                ),
            )
        )
        fr = prof.attrs["frontier"]
        if len(fr):
            _show(
                table(
                    fr.rename(columns=lambda c: c[:1].upper() + c[1:]),
                    "Frontier industries of the growth-driving sectors: can SIC data measure them?",
                )
            )
        return prof

    # ------------------------------------------------------------------ evidence
    @cached_property
    def _evidence(self) -> Any:
        from ..consultation import load_evidence

        folder = self.evidence_folder
        if folder is None:
            return None
        local = input_path(folder)  # a Dask worker reads its copy of the folder ...
        if not local.is_dir():
            return None
        if local == folder:
            return load_evidence(folder)
        return _as_named(load_evidence, local, folder)  # ... and names the client's files

    def _evidence_status(self, kind: str) -> Any:
        bundle = self._evidence
        result = getattr(bundle, kind, None) if bundle is not None else None
        if result is None:
            said = (kind, str(self.evidence_folder))
            self._lead = self._lead or prose.no_responses_headline(kind)
            _show(_md(prose.no_responses_sentence(*said, markdown=True)))
            return None
        counts = pd.DataFrame(
            [
                {
                    "Files": len(result.files),
                    "Rows read": result.n_read,
                    "Kept": result.n_kept,
                    "Rejected": result.n_rejected,
                    "Warnings": len(result.warnings),
                }
            ]
        )
        notes = [str(m) for m in result.issues["message"].head(8)] if len(result.issues) else None
        _show(
            table(
                counts,
                f"{kind.replace('_', ' ').capitalize()}: responses read, kept and rejected",
                notes=notes,
            )
        )
        return result

    @shows("call_for_evidence")
    def call_for_evidence(self) -> dict[str, Any] | None:
        """What respondents said, coded to foundations and themes, with representative
        quotes (escaped, personal data removed) and each claim checked against the data."""
        from .. import consultation as ev

        result = self._evidence_status("call_for_evidence")
        if result is None or result.data.empty:
            return None
        coded = ev.code_responses(result)
        counts = ev.counts_by_foundation(coded)
        said = (int(coded["response_id"].nunique()), int(result.data["respondent_id"].nunique()))
        self._lead = self._lead or prose.call_for_evidence_sentence(*said)
        _show(_md(prose.call_for_evidence_sentence(*said, markdown=True)))
        _show(
            table(
                counts.reset_index(),
                "Responses raising each foundation or Grand Challenge, by type of organisation",
                decimals=1,
            )
        )
        themes = ev.theme_counts(coded)
        _show(table(themes.head(15), "The themes raised most often", decimals=1))
        quotes = ev.select_quotes(coded)
        _show(
            quotes_table(
                quotes, caption="Representative quotes by theme (personal details removed)"
            )
        )
        tri = ev.triangulate(coded, self.assessment.assign(area_code=self.area.code))
        verdicts = ev.theme_verdicts(tri)
        _show(
            table(
                verdicts,
                "What respondents claimed, and what the data says",
                columns=["theme_label", "claim", "n_respondents", "indicators", "verdict"],
                decimals=1,
            )
        )
        return {
            "coded": coded,
            "counts": counts,
            "themes": themes,
            "quotes": quotes,
            "triangulation": tri,
            "verdicts": verdicts,
        }

    @shows("consultation")
    def consultation(self) -> dict[str, Any] | None:
        """Agreement with each draft priority (Wilson intervals, net agreement), by type of
        respondent; the themes of the comments; how each point was considered."""
        from .. import consultation as ev

        result = self._evidence_status("consultation")
        if result is None or result.data.empty:
            return None
        agree = ev.agreement(result)
        by = ev.agreement(result, by="organisation_type")
        said = {
            "n_respondents": int(agree["n_respondents"].max()),
            "lead": agree.sort_values("net_agreement", ascending=False).iloc[0],
            "low": agree.sort_values("net_agreement").iloc[0],
        }
        self._lead = self._lead or prose.consultation_sentence(**said)
        _show(_md(prose.consultation_sentence(**said, markdown=True)))
        show = agree[
            [
                "priority",
                "n_view",
                "agree_pct",
                "agree_lower_pct",
                "agree_upper_pct",
                "net_agreement",
                "dont_know",
            ]
        ]
        show.columns = [
            "Draft priority",
            "Expressed a view",
            "Agree (%)",
            "95% interval: lower",
            "95% interval: upper",
            "Net agreement",
            "Don't know",
        ]
        _show(
            table(
                show,
                "Agreement with the draft priorities (Wilson 95% intervals)",
                decimals={
                    "Agree (%)": 0,
                    "95% interval: lower": 0,
                    "95% interval: upper": 0,
                    "Net agreement": 0,
                },
                notes=prose.AGREEMENT_NOTE,
            )
        )
        pivot = by[by["group"] != "All respondents"].pivot_table(
            index="priority", columns="group", values="net_agreement"
        )
        _show(
            table(
                pivot.reset_index().rename(columns={"priority": "Draft priority"}),
                "Net agreement by type of respondent",
                decimals=0,
            )
        )
        comments = ev.code_comments(result)
        themes = ev.theme_counts(comments)
        _show(table(themes.head(12), "Themes of the consultation comments", decimals=1))
        out: dict[str, Any] = {"agreement": agree, "by_type": by, "comments": comments}
        log_result = getattr(self._evidence, "consideration_log", None)
        if log_result is not None:
            rep = ev.consideration_report(log_result, comments)
            _show(
                _md(
                    prose.consideration_sentence(
                        len(rep) - int((rep["status"] == "not in the log").sum()),
                        int(rep["needs_attention"].sum()),
                        markdown=True,
                    )
                )
            )
            _show(
                table(
                    rep,
                    "How each point raised was considered",
                    columns=["point_id", "label", "n_comments", "status", "change_made"],
                    redact_personal=True,
                )
            )
            out["consideration"] = rep
        else:
            _say(prose.no_consideration_log())
        return out


__all__ = ["StrategySections"]


def _as_named(load: Any, local: Path, folder: Path) -> Any:
    """``load(local)`` for a copy of ``folder`` (shipped to a Dask worker by ``lis run
    --executor dask``), with every file name it reports and logs given as under
    ``folder``: the pages name the files as the client has them, whichever machine read
    them."""
    import dataclasses
    import logging

    src, dst = str(local), str(folder)

    def fix(value: Any) -> Any:
        return value.replace(src, dst) if isinstance(value, str) else value

    class _Rename(logging.Filter):
        def filter(self, record: logging.LogRecord) -> bool:
            record.msg, record.args = fix(record.getMessage()), ()
            return True

    logger = logging.getLogger("lis_analysis.consultation.readers")
    rename = _Rename()
    logger.addFilter(rename)
    try:
        bundle = load(local)
    finally:
        logger.removeFilter(rename)

    def frame(df: pd.DataFrame) -> pd.DataFrame:
        df = df.copy()
        for col in ("file", "message", "source_file"):
            if col in df.columns:
                df[col] = df[col].map(fix).astype(df[col].dtype)
        return df

    def result(r: Any) -> Any:
        if r is None:
            return None
        return dataclasses.replace(
            r, data=frame(r.data), issues=frame(r.issues), files=tuple(map(fix, r.files))
        )

    return dataclasses.replace(
        bundle,
        call_for_evidence=result(bundle.call_for_evidence),
        consultation=result(bundle.consultation),
        consideration_log=result(bundle.consideration_log),
        skipped=tuple(map(fix, bundle.skipped)),
    )
