"""The indicator registry: every indicator declared once, as data (``data/indicators.yaml``).

An indicator names its group (one of the five Foundations of Productivity, or headline
productivity, the outcome they drive), unit, polarity, how it is computed (``kind``) and
the published measures it is computed from, in order of preference. Generic functions in
:mod:`.engine` compute all of them; notebooks name indicators by id.

Kinds
-----
measure
    a published measure, aggregated to the area by its own rule (``sources``: alternatives)
ratio
    Σ numerator / Σ denominator × ``scale`` (both additive; e.g. GVA per head)
share
    the ``industries`` (or ``breakdowns``) of the numerator as a percentage of its total
difference
    indicator ``of`` minus indicator ``minus`` (same year)
index
    indicator ``of`` relative to the UK (UK = 100); the publisher's index where printed
growth
    compound annual growth of indicator or measure ``of`` over ``years`` years, %
spread
    ratio of the highest to the lowest district value of indicator ``of`` in the area
specialisation
    Krugman specialisation index of the area's industry shares of ``of`` against the UK

Parts
-----
An area with no figure for an indicator (a median, a ratio of medians, a rank, a rate its
districts cannot give) is shown from its parts: the fewest published areas that exactly
make it up (:mod:`.parts`). ``parts: true`` shows them beside the area's own figure too
(the IMD average score beside its most deprived part).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from .. import _yaml
from ..config import INDICATORS_FILE
from ..errors import ConfigError, printable

if TYPE_CHECKING:
    import pandas as pd

#: The five Foundations of Productivity (the 2017 Industrial Strategy), in the pages' order.
FOUNDATIONS = ("Ideas", "People", "Infrastructure", "Business Environment", "Places")
#: Headline productivity: the outcome the foundations drive, not a foundation itself.
HEADLINE = "Productivity"
#: The groups indicators are shown and scored in, in the pages' order: the headline first.
GROUPS = (HEADLINE, *FOUNDATIONS)
KINDS = ("measure", "ratio", "share", "difference", "index", "growth", "spread", "specialisation")
POLARITIES = ("higher", "lower", "neutral")


@dataclass(frozen=True)
class Ref:
    """A published measure: dataset, measure id, and the industry/breakdown slice."""

    dataset: str
    measure: str
    industry: str = "Total"
    breakdown: str = "All"
    scale: float = 1.0

    @property
    def label(self) -> str:
        return f"{self.dataset}:{self.measure}"


@dataclass(frozen=True)
class Indicator:
    """One indicator, as declared in the registry (see module docstring for ``kind``)."""

    id: str
    name: str
    #: one of GROUPS: headline productivity or the indicator's foundation
    group: str
    kind: str
    unit: str
    polarity: str
    description: str = ""
    sources: tuple[Ref, ...] = ()
    numerator: tuple[Ref, ...] = ()
    denominator: tuple[Ref, ...] = ()
    scale: float = 1.0
    industries: tuple[str, ...] = ()
    breakdowns: tuple[str, ...] = ()
    of: str | None = None
    minus: str | None = None
    years: int = 5
    price_basis: str = ""
    decimals: int = 1
    caveat: str = ""
    #: ids of the assumptions and caveats log (data/caveats.yaml) that apply to it
    caveats: tuple[str, ...] = ()
    origin: str = "real"
    aggregation: str = ""
    neighbour_characteristic: bool = False
    #: the publisher calls it "official statistics in development" (ELS JSON
    #: ``experimentalStatistic``): methods may still change, so pages say so
    in_development: bool = False
    #: show the area's published parts beside its own figure (IMD: the most deprived
    #: part beside the area's average); an area with no figure always shows its parts
    parts: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def foundation(self) -> str | None:
        """The Foundation of Productivity the indicator belongs to (None for headline
        productivity, which is the outcome the foundations drive)."""
        return self.group if self.group in FOUNDATIONS else None

    @property
    def higher_is_better(self) -> bool | None:
        return {"higher": True, "lower": False}.get(self.polarity)

    @property
    def datasets(self) -> tuple[str, ...]:
        """Every dataset this indicator reads (directly)."""
        refs = (*self.sources, *self.numerator, *self.denominator)
        return tuple(dict.fromkeys(r.dataset for r in refs))


def _refs(raw: Any, where: str) -> tuple[Ref, ...]:
    if raw is None:
        return ()
    if isinstance(raw, dict):
        raw = [raw]
    out = []
    for r in raw:
        if not isinstance(r, dict) or "dataset" not in r or "measure" not in r:
            raise ConfigError(f"{where}: each source needs 'dataset' and 'measure'")
        unknown = set(r) - {"dataset", "measure", "industry", "breakdown", "scale"}
        if unknown:
            raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
        out.append(
            Ref(
                dataset=str(r["dataset"]),
                measure=str(r["measure"]),
                industry=str(r.get("industry", "Total")),
                breakdown=str(r.get("breakdown", "All")),
                scale=float(r.get("scale", 1.0)),
            )
        )
    return tuple(out)


_KEYS = ({f for f in Indicator.__dataclass_fields__} - {"id", "extra"}) | {"foundation"}


def parse_registry(doc: dict[str, Any], origin: str) -> dict[str, Indicator]:
    """Validate a registry document (``indicators: {id: {...}}``)."""
    items = doc.get("indicators")
    if not isinstance(items, dict):
        raise ConfigError(f"{origin}: expected a top-level 'indicators:' mapping")
    out: dict[str, Indicator] = {}
    for iid, body in items.items():
        where = f"{origin}: indicator {iid}"
        if not isinstance(body, dict):
            raise ConfigError(f"{where}: expected a mapping")
        unknown = set(body) - _KEYS
        if unknown:
            raise ConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
        for key in ("name", "kind", "unit", "polarity"):
            if key not in body:
                raise ConfigError(f"{where}: missing '{key}'")
        group = _group(body, where)
        if body["kind"] not in KINDS:
            raise ConfigError(f"{where}: kind must be one of {', '.join(KINDS)}")
        if body["polarity"] not in POLARITIES:
            raise ConfigError(f"{where}: polarity must be one of {', '.join(POLARITIES)}")
        ind = Indicator(
            id=str(iid),
            name=str(body["name"]),
            group=group,
            kind=body["kind"],
            unit=str(body["unit"]),
            polarity=body["polarity"],
            description=str(body.get("description", "")),
            sources=_refs(body.get("sources"), where),
            numerator=_refs(body.get("numerator"), where),
            denominator=_refs(body.get("denominator"), where),
            scale=float(body.get("scale", 1.0)),
            industries=tuple(str(x) for x in body.get("industries", ()) or ()),
            breakdowns=tuple(str(x) for x in body.get("breakdowns", ()) or ()),
            of=body.get("of"),
            minus=body.get("minus"),
            years=int(body.get("years", 5)),
            price_basis=str(body.get("price_basis", "")),
            decimals=int(body.get("decimals", 1)),
            caveat=" ".join(str(body.get("caveat", "")).split()),
            caveats=tuple(str(x) for x in body.get("caveats", ()) or ()),
            origin=str(body.get("origin", "real")),
            aggregation=" ".join(str(body.get("aggregation", "")).split()),
            neighbour_characteristic=bool(body.get("neighbour_characteristic", False)),
            in_development=_flag(body.get("in_development", False), "in_development", where),
            parts=bool(body.get("parts", False)),
        )
        _check_kind(ind, where)
        out[ind.id] = ind
    for ind in out.values():
        for ref in (ind.of, ind.minus):
            if ref and ref not in out and ind.kind not in ("growth",):
                raise ConfigError(
                    f"{origin}: indicator {ind.id} refers to unknown indicator {ref!r}"
                )
    return out


def _flag(value: Any, key: str, where: str) -> bool:
    """A yes/no key: YAML ``true``/``false`` only (a quoted "false" is not silently true)."""
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: '{key}' must be true or false, not {value!r}")
    return value


def _group(body: dict[str, Any], where: str) -> str:
    """An indicator's group: ``foundation:`` (one of the five) or ``group: Productivity``."""
    foundation, group = body.get("foundation"), body.get("group")
    if foundation is None and group is None:
        raise ConfigError(
            f"{where}: missing 'foundation' (one of {', '.join(FOUNDATIONS)}; "
            f"headline productivity indicators say 'group: {HEADLINE}' instead)"
        )
    if foundation is not None and foundation not in FOUNDATIONS:
        hint = f" ({HEADLINE} is not a foundation: say 'group: {HEADLINE}')"
        raise ConfigError(
            f"{where}: foundation must be one of {', '.join(FOUNDATIONS)}"
            + (hint if foundation == HEADLINE else "")
        )
    if group is not None and group not in GROUPS:
        raise ConfigError(f"{where}: group must be one of {', '.join(GROUPS)}")
    if foundation is not None and group is not None and group != foundation:
        raise ConfigError(f"{where}: foundation {foundation} and group {group} disagree")
    return str(foundation or group)


def _check_kind(ind: Indicator, where: str) -> None:
    need = {
        "measure": ind.sources,
        "ratio": ind.numerator and ind.denominator,
        "share": ind.numerator and (ind.industries or ind.breakdowns),
        "difference": ind.of and ind.minus,
        "index": ind.of,
        "growth": ind.of or ind.sources,
        "spread": ind.of,
        "specialisation": ind.numerator,
    }[ind.kind]
    if not need:
        raise ConfigError(f"{where}: kind '{ind.kind}' is missing what it is computed from")


@lru_cache(maxsize=4)
def load_registry(path: str | None = None) -> dict[str, Indicator]:
    """The registry (the package's ``data/indicators.yaml`` unless ``path`` is given)."""
    p = Path(path) if path else INDICATORS_FILE
    try:
        doc = _yaml.load(p)
    except OSError as exc:
        raise ConfigError(
            f"{printable(p)}: cannot read the indicator registry ({exc.strerror or exc})"
        ) from None
    except yaml.YAMLError as exc:
        raise ConfigError(
            f"{printable(p)}: cannot read the indicator registry ({printable(_yaml.describe(exc))})"
        ) from None
    return parse_registry(doc or {}, str(p))


def get(indicator_id: str) -> Indicator:
    """One indicator by id; a clear error listing the ids otherwise."""
    reg = load_registry()
    try:
        return reg[indicator_id]
    except KeyError:
        raise ConfigError(f"unknown indicator '{indicator_id}' (known: {', '.join(reg)})") from None


def registry_table(path: str | None = None) -> pd.DataFrame:
    """The registry as a table: one row per indicator (``id, name, group, foundation,
    kind, unit, polarity, datasets, aggregation, caveat, origin, in_development``), in the registry's
    order. Returns a pandas DataFrame."""
    import pandas as pd

    rows = [
        {
            "id": ind.id,
            "name": ind.name,
            "group": ind.group,
            "foundation": ind.foundation,
            "kind": ind.kind,
            "unit": ind.unit,
            "polarity": ind.polarity,
            "datasets": ", ".join(ind.datasets),
            "aggregation": ind.aggregation,
            "caveat": ind.caveat,
            "origin": ind.origin,
            "in_development": ind.in_development,
        }
        for ind in load_registry(path).values()
    ]
    return pd.DataFrame(rows)
