"""What every part of a page starts from: the area, its data, its indicator table and
assessment (kept in the explicit :class:`~.cache.ResultCache`), and the page's record of
what it has shown.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path
from typing import Any

import pandas as pd

from ..analyses.declared import analysis
from ..config import RunParams
from ..geography import LEVEL_LABELS, Area, Geography
from ..indicators.engine import Context
from ..indicators.registry import Indicator
from . import prose
from .cache import ResultCache
from .display import _md, _say, _show

#: Set by the pipeline in every kernel it runs (see lis_analysis.notebook).
_ENV_RUN_RECORD = "LIS_RUN_RECORD"


class PageBase:
    """The state of an evidence page: the area, its data, indicator table and assessment,
    and what the page has shown (the page's parts build on it; see :class:`~.page.Page`).

    Open it with ``lis.page(area, ...)``; build one directly for tests or other data.

    Parameters
    ----------
    area : the area
    params : the validated run parameters
    ctx : the indicator context (observations and geography)
    manifest : the store's manifest (the files read, their publishers and releases)
    demo : whether the data is the synthetic demonstrator
    cache : where the indicator table and assessment are kept (default: this page only)
    evidence_folder : the call-for-evidence and consultation folder
    """

    def __init__(
        self,
        area: Area,
        *,
        params: RunParams,
        ctx: Context,
        manifest: Mapping[str, Any] | None = None,
        demo: bool = False,
        cache: ResultCache | None = None,
        evidence_folder: str | Path | None = None,
    ) -> None:
        self.area = area
        self.params = params
        self.ctx = ctx
        self.manifest = dict(manifest or {})
        self.demo = demo
        self.cache = cache if cache is not None else ResultCache()
        self.evidence_folder = Path(evidence_folder) if evidence_folder else None
        #: indicator ids shown as findings, in order (their caveats are the page's)
        self.indicators_shown: list[str] = []
        #: analyses shown (names in data/analyses.yaml), in order
        self.analyses_shown: list[str] = []
        #: what each method showed, by method name (for analysts)
        self.results: dict[str, Any] = {}
        #: indicator ids whose strengths and weaknesses the page showed
        self.indicators_assessed: list[str] = []
        self._lead: str | None = None

    @classmethod
    def open(cls, area: Area, **kwargs: Any) -> Any:
        """A :class:`Page`; in JupyterLab on demonstrator data it shows the warning first."""
        page = cls(area, **kwargs)
        if page.demo and not os.environ.get(_ENV_RUN_RECORD):
            # under lis run the exported pages carry their own banner, on every page
            _show(_md(prose.demo_banner_md()))
        return page

    def __repr__(self) -> str:
        return f"<Page {self.area.code} {self.area.name}{' (demonstrator)' if self.demo else ''}>"

    # ------------------------------------------------------------------ computed once
    @property
    def geo(self) -> Geography:
        return self.ctx.geo

    @property
    def registry(self) -> dict[str, Indicator]:
        return self.ctx.registry

    def _cache_parts(self) -> dict[str, Any]:
        """What the table and assessment depend on: the input files, the area, the
        parameters (not the evidence folder)."""
        files = sorted(
            str(f.get("content_sha256") or f.get("sha256", ""))
            for f in self.manifest.get("files", [])
        )
        return {
            "files": files,
            "area": [self.area.code, list(self.area.members)],
            "params": {k: v for k, v in self.params.to_dict().items() if k != "evidence"},
        }

    @property
    def table(self) -> pd.DataFrame:
        """The indicator table (DESIGN.md columns) against UK, England, region, peers and
        statistical neighbours."""
        from ..indicators.engine import table

        return self.cache.get(
            "table",
            self._cache_parts(),
            lambda: table(
                self.area,
                obs=self.ctx.obs,
                geo=self.geo,
                benchmarks=self.params.benchmarks,
                year=self.params.end_year,
                neighbours_k=self.params.neighbours,
                characteristics=self.params.neighbour_characteristics,
                ctx=self.ctx,
            ),
        )

    @property
    def assessment(self) -> pd.DataFrame:
        """Strength / weakness / neutral for each indicator (:func:`lis_analysis.priorities.assess`)."""
        from ..priorities import assess

        return self.cache.get(
            "assessment",
            self._cache_parts(),
            lambda: assess(
                self.area, obs=self.ctx.obs, geo=self.geo, table=self.table, ctx=self.ctx
            ),
        )

    @cached_property
    def region(self) -> Area | None:
        r = self.area.region
        return self.geo.area(r) if r and r in self.geo else None

    def indicators_of(self, foundation: str) -> list[str]:
        """Indicator ids of a foundation, in registry order."""
        return [i.id for i in self.registry.values() if i.group == foundation]

    def peer_word(self) -> str:
        """What the peers are called: 'LSIP areas', 'ITL3 regions' ..."""
        peers = self.table.attrs.get("peers", [])
        if not peers:
            return "areas"
        level = self.geo.area(peers[0]).level
        label = LEVEL_LABELS.get(level, level)
        return label if label.endswith("s") else label + "s"

    def _rows(self, indicator_id: str) -> pd.DataFrame:
        return self.table[self.table["indicator_id"] == indicator_id]

    def _lead_sentence(self, text: str) -> None:
        """Show an analysis's first sentence and keep the page's first as its headline."""
        if self._lead is None:
            self._lead = text
        _say(text)

    def _not_computed(self, name: str, exc: Exception) -> None:
        _say(prose.not_computed(analysis(name).title, str(exc)))


__all__ = ["PageBase"]
