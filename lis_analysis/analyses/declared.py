"""What each analysis reads and which caveats it cites, as declared in ``data/analyses.yaml``.

An analysis (the productivity gap, shift-share, ...) names the registry indicators it
reads by role, the published measures it reads directly, and the ids of the caveats in
``data/caveats.yaml`` that apply whenever a page shows it. The analysis functions take
their indicator ids and measures from here (none is written into the code), pages gather
their caveats from here, and the pack works out which datasets a notebook reads from it.

"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..config import PACKAGE_DATA
from ..errors import ConfigError
from ..indicators.registry import Ref

ANALYSES_FILE = PACKAGE_DATA / "analyses.yaml"
CAVEATS_FILE = PACKAGE_DATA / "caveats.yaml"

#: ``indicators:`` values that are not a mapping of roles.
GIVEN = "given"  # the ids the notebook passes to the page method
ALL = "all"  # every indicator of the registry

_KEYS = {
    "title",
    "indicators",
    "measures",
    "evidence",
    "datasets",
    "neighbours",
    "trend_charts",
    "caveats",
}
_REF_KEYS = {"dataset", "measure", "industry", "breakdown"}


@dataclass(frozen=True)
class Analysis:
    """One analysis a page can show (see ``data/analyses.yaml``).

    Attributes
    ----------
    name : the analysis, and the page method that shows it
    title : what it shows, in words
    indicators : ``{role: indicator id}``, or ``"given"`` / ``"all"``
    measures : ``{role: Ref}`` read directly from the store
    evidence : it reads the call-for-evidence and consultation folder
    all_datasets : it reads every published file
    neighbours : it compares with statistical neighbours (so it reads their characteristics)
    trend_charts : indicators without a polarity (sizes) that still get a trend chart
    caveats : ids of ``data/caveats.yaml``
    """

    name: str
    title: str
    indicators: dict[str, str] | str = field(default_factory=dict)
    measures: dict[str, Ref] = field(default_factory=dict)
    evidence: bool = False
    all_datasets: bool = False
    neighbours: bool = False
    trend_charts: tuple[str, ...] = ()
    caveats: tuple[str, ...] = ()

    def indicator(self, role: str) -> str:
        """The registry id this analysis reads for ``role``."""
        if not isinstance(self.indicators, dict) or role not in self.indicators:
            raise ConfigError(
                f"{ANALYSES_FILE}: analysis {self.name} declares no indicator {role!r}"
            )
        return self.indicators[role]

    def measure(self, role: str) -> Ref:
        """The published measure this analysis reads for ``role``."""
        if role not in self.measures:
            raise ConfigError(f"{ANALYSES_FILE}: analysis {self.name} declares no measure {role!r}")
        return self.measures[role]


def _load_yaml(path: Path, top: str) -> dict[str, Any]:
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(f"{path}: cannot read it ({str(exc).splitlines()[0]})") from None
    items = (doc or {}).get(top) if isinstance(doc, dict) else None
    if not isinstance(items, dict):
        raise ConfigError(f"{path}: expected a top-level '{top}:' mapping")
    return items


def _ids(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
        raise ConfigError(f"{where}: 'caveats' must be a list of caveat ids")
    return tuple(value)


def _analysis(name: str, body: Any, where: str) -> Analysis:
    if not isinstance(body, dict):
        raise ConfigError(f"{where}: expected a mapping")
    unknown = set(body) - _KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
    ind = body.get("indicators", {}) or {}
    if isinstance(ind, str):
        if ind not in (GIVEN, ALL):
            raise ConfigError(f"{where}: 'indicators' must be a mapping of roles, 'given' or 'all'")
    elif not isinstance(ind, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in ind.items()
    ):
        raise ConfigError(f"{where}: 'indicators' must map roles to indicator ids")
    measures = {}
    for role, ref in (body.get("measures") or {}).items():
        if not isinstance(ref, dict) or not {"dataset", "measure"} <= set(ref) <= _REF_KEYS:
            raise ConfigError(
                f"{where}: measure {role!r} needs 'dataset' and 'measure' "
                "(and optionally 'industry', 'breakdown')"
            )
        measures[str(role)] = Ref(
            dataset=str(ref["dataset"]),
            measure=str(ref["measure"]),
            industry=str(ref.get("industry", "Total")),
            breakdown=str(ref.get("breakdown", "All")),
        )
    datasets = body.get("datasets")
    if datasets not in (None, ALL):
        raise ConfigError(f"{where}: 'datasets' may only be 'all'")
    return Analysis(
        name=name,
        title=str(body.get("title") or name),
        indicators=dict(ind) if isinstance(ind, dict) else ind,
        measures=measures,
        evidence=bool(body.get("evidence", False)),
        all_datasets=datasets == ALL,
        neighbours=bool(body.get("neighbours", False)),
        trend_charts=tuple(str(x) for x in body.get("trend_charts", ()) or ()),
        caveats=_ids(body.get("caveats"), where),
    )


@lru_cache(maxsize=4)
def load_analyses(path: str | None = None) -> dict[str, Analysis]:
    """Every declared analysis, by name (``data/analyses.yaml`` unless ``path`` is given)."""
    p = Path(path) if path else ANALYSES_FILE
    items = _load_yaml(p, "analyses")
    return {str(k): _analysis(str(k), v, f"{p}: analysis {k}") for k, v in items.items()}


def analysis(name: str) -> Analysis:
    """One declared analysis; a clear error naming the known ones otherwise."""
    known = load_analyses()
    if name not in known:
        raise ConfigError(f"unknown analysis {name!r} (declared: {', '.join(known)})")
    return known[name]


@dataclass(frozen=True)
class Caveat:
    """One entry of the assumptions and caveats log (``data/caveats.yaml``)."""

    id: str
    title: str
    text: str
    #: printed on every page made from the demonstrator data
    demonstrator: bool = False


@lru_cache(maxsize=4)
def load_caveats(path: str | None = None) -> dict[str, Caveat]:
    """The assumptions and caveats log, by id, in the order written."""
    p = Path(path) if path else CAVEATS_FILE
    out: dict[str, Caveat] = {}
    for cid, body in _load_yaml(p, "caveats").items():
        if not isinstance(body, dict) or not body.get("title") or not body.get("text"):
            raise ConfigError(f"{p}: caveat {cid} needs a 'title' and a 'text'")
        unknown = set(body) - {"title", "text", "demonstrator"}
        if unknown:
            raise ConfigError(f"{p}: caveat {cid}: unknown key(s) {', '.join(sorted(unknown))}")
        out[str(cid)] = Caveat(
            str(cid),
            " ".join(str(body["title"]).split()),
            " ".join(str(body["text"]).split()),
            demonstrator=bool(body.get("demonstrator", False)),
        )
    return out


#: What docs/assumptions.md says before the entries (it is generated: ``make docs``).
_DOC_HEAD = """# Assumptions and caveats log

Each entry is written once, in `lis_analysis/data/caveats.yaml`, and cited by id: the
indicators cite the entries that apply to them (`caveats:` in
`lis_analysis/data/indicators.yaml`) and so do the analyses a page can show
(`lis_analysis/data/analyses.yaml`); every page prints, under "Caveats", the entries of
the indicators and analyses it shows. This file is generated from the YAML (`make docs`)
and a test fails when it is out of date: edit the YAML, not this file. Add new entries at
the end; never renumber.
"""


def caveats_markdown(path: str | None = None) -> str:
    """docs/assumptions.md, written from the caveats log (``make docs``)."""
    import textwrap

    parts = [_DOC_HEAD]
    for c in load_caveats(path).values():
        body = "\n".join(textwrap.wrap(c.text, 95, break_on_hyphens=False))
        parts.append(f"## {c.id} {c.title}\n{body}\n")
    return "\n".join(parts)


def caveat_ids_sorted(ids: set[str] | list[str] | tuple[str, ...]) -> list[str]:
    """Caveat ids in the log's order (A2 before A10); unknown ids raise ``ConfigError``."""
    log = load_caveats()
    order = {cid: i for i, cid in enumerate(log)}
    unknown = sorted(set(ids) - set(order))
    if unknown:
        raise ConfigError(
            f"caveat(s) {', '.join(unknown)} are not in {CAVEATS_FILE.name} "
            f"(known: {', '.join(log)})"
        )
    return sorted(set(ids), key=order.__getitem__)


# --------------------------------------------------------------------------------------
# What the declared indicators and analyses read
# --------------------------------------------------------------------------------------

#: The datasets of something that reads every published file.
EVERYTHING = "*"


def _measure_datasets(dataset: str, measure: str) -> set[str]:
    """The dataset of a published measure and of the measure it is pooled with (a rate's
    population weights, a ratio's denominator), as its parser declares them."""
    from ..sources import measure as declared

    out = {dataset}
    try:
        den = declared(dataset, measure).denominator
    except KeyError:
        return out
    if den:
        out.add(den.split(":", 1)[0] if ":" in den else dataset)
    return out


def indicator_datasets(ids: Iterable[str]) -> set[str]:
    """Every dataset the indicators read: their measures, the measures those are pooled
    with, and the same for the indicators they are built from (``of``, ``minus``)."""
    from ..indicators.registry import load_registry

    registry = load_registry()
    out: set[str] = set()
    seen: set[str] = set()
    todo = list(ids)
    while todo:
        iid = todo.pop()
        if iid in seen or iid not in registry:
            continue
        seen.add(iid)
        ind = registry[iid]
        for ref in (*ind.sources, *ind.numerator, *ind.denominator):
            out |= _measure_datasets(ref.dataset, ref.measure)
        todo += [i for i in (ind.of, ind.minus) if i]
    return out


def datasets_of(
    indicators: Iterable[str],
    analyses: Iterable[str] = (),
    *,
    neighbour_characteristics: Iterable[str] = (),
) -> tuple[str, ...]:
    """The datasets behind some indicators and analyses, sorted; ``("*",)`` for every
    dataset.

    Parameters
    ----------
    indicators : registry ids (``"*"`` among them: every indicator)
    analyses : names of ``data/analyses.yaml``: their declared indicators and measures
        count, and their statistical neighbours' characteristics where they compare
        with neighbours
    neighbour_characteristics : indicator ids the neighbours are found on (default: those
        the registry flags ``neighbour_characteristic``)
    """
    from ..indicators.registry import load_registry

    ids = set(indicators)
    if EVERYTHING in ids:
        return (EVERYTHING,)
    declared = load_analyses()
    datasets: set[str] = set()
    for name in analyses:
        a = declared[name]
        if a.all_datasets or a.indicators == ALL:
            return (EVERYTHING,)
        if isinstance(a.indicators, dict):
            ids |= set(a.indicators.values())
        for ref in a.measures.values():
            datasets |= _measure_datasets(ref.dataset, ref.measure)
        if a.neighbours:
            chars = list(neighbour_characteristics) or [
                i.id for i in load_registry().values() if i.neighbour_characteristic
            ]
            ids |= set(chars)
    return tuple(sorted(datasets | indicator_datasets(ids)))


__all__ = [
    "ALL",
    "EVERYTHING",
    "GIVEN",
    "Analysis",
    "Caveat",
    "analysis",
    "caveat_ids_sorted",
    "caveats_markdown",
    "datasets_of",
    "indicator_datasets",
    "load_analyses",
    "load_caveats",
]
