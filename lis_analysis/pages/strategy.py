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
from ..errors import LisError
from . import charts, prose
from .base import PageBase
from .display import _md, _say, _show, shows
from .tables import quotes_table, table


class StrategySections(PageBase):
    """Priorities and the voice of respondents (part of :class:`~.page.Page`)."""

    @shows("foundation_priorities")
    def foundation_priorities(self) -> pd.DataFrame:
        """Foundations ranked by need (weighted mean z of their indicators) and how stable
        that ranking is under redraws of the weights."""
        from ..priorities import foundation_scores, foundation_sensitivity, load_weights

        w = load_weights(self.params.weights_file)
        fs = foundation_scores(self.assessment, w)
        sens = foundation_sensitivity(self.assessment, w)
        merged = fs.merge(sens.summary, left_on="group", right_on="item")
        top = merged.iloc[0]
        said = {
            "foundation": top["group"],
            "score": top["score"],
            "weakest": self.registry[top["weakest"]].name,
            "stability": top["stability"],
            "draws": sens.draws,
        }
        self._lead = self._lead or prose.foundation_priorities_sentence(**said)
        _show(_md(prose.foundation_priorities_sentence(**said, markdown=True)))
        draws = sens.ranks.melt(
            var_name="priority", value_name="rank", ignore_index=False
        ).reset_index(names="draw")
        _show(
            charts.rank_distribution(
                draws,
                title=f"Foundations ranked by need, {self.area.name}: {sens.draws:,} weight draws",
                source=f"Weights: {Path(w.source).name}; Dirichlet concentration {w.concentration:g}",
            )
        )
        tab = merged[
            [
                "priority_rank",
                "group",
                "score",
                "n_indicators",
                "median_rank",
                "p05_rank",
                "p95_rank",
                "stability",
            ]
        ].copy()
        tab["stability"] *= 100
        tab.columns = [
            "Rank",
            "Foundation",
            "Score (z)",
            "Indicators",
            "Median rank",
            "5th percentile rank",
            "95th percentile rank",
            "Rank stable in (% of draws)",
        ]
        _show(
            table(
                tab,
                "Foundations by need: declared weights and sensitivity",
                decimals={"Score (z)": 2, "Rank stable in (% of draws)": 0, "Median rank": 1},
            )
        )
        return merged

    @shows("sector_priorities")
    def sector_priorities(self) -> pd.DataFrame | None:
        """Sectors scored as opportunities (LQ × growth × productivity) with sensitivity."""
        from ..priorities import load_weights, sector_inputs, sector_scores, sensitivity

        w = load_weights(self.params.weights_file)
        try:
            inputs = sector_inputs(self.area, obs=self.ctx.obs, geo=self.geo, ctx=self.ctx)
            sc = sector_scores(inputs, w)
        except LisError as exc:
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
        self._lead_sentence(
            prose.sector_priorities_sentence(
                area_name=self.area.name,
                criteria=crit,
                top=[(r.name, r.lq, r.growth) for r in sc.head(3).itertuples()],
                draws=sens.draws,
                kendall_tau=sens.kendall_tau_median,
            )
        )
        draws = sens.ranks.melt(
            var_name="priority", value_name="rank", ignore_index=False
        ).reset_index(names="draw")
        _show(
            charts.rank_distribution(
                draws,
                title=f"Sector opportunities, {self.area.name}: rank across {sens.draws:,} weight draws",
                source="LQ, real GVA growth and relative productivity by section",
            )
        )
        tab = sc[["rank", "name", "share", "lq", "growth", "productivity", "score"]].copy()
        tab.columns = [
            "Rank",
            "Industry",
            "Share of GVA (%)",
            "Location quotient",
            "Real growth (% a year)",
            "Productivity (UK = 100)",
            "Score",
        ]
        _show(
            table(
                tab,
                f"Sector opportunity scores, {self.area.name}",
                decimals={"Location quotient": 2, "Score": 2},
            )
        )
        return sc

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
