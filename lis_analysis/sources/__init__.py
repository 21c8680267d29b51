"""One parser per published dataset, found automatically.

Every module in this package that defines :class:`~._base.Source` subclasses with a
``name`` contributes parsers; :func:`parsers` lists them and :func:`detect` picks the
one that reads a file (by name pattern, then content). Adding a data source is adding a
module here (see README, "Adding a data source").
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache
from pathlib import Path

from ..errors import InputError
from ._base import MARKERS, TIDY_COLUMNS, Measure, Source

__all__ = [
    "MARKERS",
    "TIDY_COLUMNS",
    "Measure",
    "Source",
    "parsers",
    "detect",
    "measure",
    "all_measures",
]


@lru_cache(maxsize=1)
def parsers() -> tuple[Source, ...]:
    """Every parser, one instance each, in a stable order (by name)."""
    found: dict[str, Source] = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        for obj in vars(module).values():
            if (
                isinstance(obj, type)
                and issubclass(obj, Source)
                and obj is not Source
                and getattr(obj, "name", None)
                and obj.__module__ == module.__name__
            ):
                if obj.name in found:
                    raise RuntimeError(f"two parsers are named {obj.name!r}")
                found[obj.name] = obj()
    return tuple(found[k] for k in sorted(found))


def detect(path: Path) -> Source:
    """The parser that reads ``path``.

    Raises
    ------
    InputError
        When no parser recognises the file (the message lists the parsers tried), or
        when two do (an ambiguous file name).
    """
    path = Path(path)
    hits = [p for p in parsers() if p.matches(path)]
    if not hits:
        tried = ", ".join(p.name for p in parsers())
        raise InputError(path, f"no parser recognises this file (tried: {tried})")
    if len(hits) > 1:
        raise InputError(
            path, f"more than one parser claims this file: {', '.join(p.name for p in hits)}"
        )
    return hits[0]


@lru_cache(maxsize=1)
def all_measures() -> dict[tuple[str, str], Measure]:
    """Every declared measure, keyed by (dataset, measure id)."""
    out: dict[tuple[str, str], Measure] = {}
    for p in parsers():
        for ds, measures in p.declared().items():
            for mid, m in measures.items():
                out[(ds, mid)] = m
    return out


def measure(dataset: str, measure_id: str) -> Measure:
    """The declaration of one measure (how it aggregates, its unit)."""
    try:
        return all_measures()[(dataset, measure_id)]
    except KeyError:
        hint = (
            " (an Explore Local Statistics indicator is declared in "
            "lis_analysis/data/els_measures.yaml)"
            if dataset.startswith("els_")
            else ""
        )
        raise KeyError(
            f"measure {measure_id!r} of dataset {dataset!r} is not declared by any parser{hint}"
        ) from None
