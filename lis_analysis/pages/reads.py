"""Which datasets a notebook's page reads, derived from the indicators and analyses it shows.

A notebook names what its page shows (``pg.findings("People")``, ``pg.finding(
"gva_per_hour")``, ``pg.shift_share()`` ...); nothing else declares it again. This module
reads those calls from the notebook's source (``ast``: nothing is executed) and turns
them into datasets: each indicator's published measures (and the indicators it is built
from, and the measures a published figure is pooled with), each analysis's declared
indicators and measures (``data/analyses.yaml``), and the statistical neighbours'
characteristics wherever an indicator is set against its neighbours. The pack uses the
result to decide which pages a changed file re-runs.

A call it cannot read (an argument that is not a literal, a method it does not know)
makes the notebook read every dataset: a page is re-run too often, never too rarely.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..analyses.declared import EVERYTHING, datasets_of, indicator_datasets
from .display import MethodReads

#: The face function a notebook opens its page with (``pg = lis.page(area, ...)``).
OPENERS = {"page"}


@dataclass(frozen=True)
class Reads:
    """What a page shows, as its notebook names it.

    Attributes
    ----------
    indicators : registry ids (foundations already expanded), or ``{"*"}`` for all
    analyses : names of ``data/analyses.yaml`` the page shows
    unreadable : calls the derivation could not read (the page then reads everything)
    """

    indicators: frozenset[str] = frozenset()
    analyses: frozenset[str] = frozenset()
    unreadable: tuple[str, ...] = field(default_factory=tuple)

    @property
    def everything(self) -> bool:
        return EVERYTHING in self.indicators or bool(self.unreadable)


def _literal(node: ast.AST) -> Any:
    return ast.literal_eval(node)


def _page_names(tree: ast.AST) -> set[str]:
    """Names bound to ``lis.page(...)`` (or ``page(...)``) in the notebook."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Call):
            f = node.value.func
            called = f.attr if isinstance(f, ast.Attribute) else getattr(f, "id", None)
            if called in OPENERS:
                names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def notebook_reads(source: str | Path) -> Reads:
    """The indicators and analyses a notebook's page shows.

    Parameters
    ----------
    source : the notebook (a jupytext ``py:percent`` file) or its text

    Returns
    -------
    Reads
    """
    from ..indicators.registry import load_registry
    from .page import Page

    text = Path(source).read_text(encoding="utf-8") if isinstance(source, Path) else source
    tree = ast.parse(text)
    pages = _page_names(tree)
    registry = load_registry()
    indicators: set[str] = set()
    analyses: set[str] = set()
    unreadable: list[str] = []
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id in pages
        ):
            continue
        name = node.func.attr
        method = getattr(Page, name, None)
        spec = getattr(method, "reads", None)
        if method is None or not isinstance(spec, MethodReads):
            unreadable.append(f"{name}: not a page method that says what it reads")
            continue
        try:
            args = [_literal(a) for a in node.args]
            kwargs = {k.arg: _literal(k.value) for k in node.keywords if k.arg}
            bound = inspect.signature(method).bind(None, *args, **kwargs)
        except (ValueError, TypeError, SyntaxError) as exc:
            unreadable.append(f"{name}: {exc}")
            continue
        bound.apply_defaults()
        values = bound.arguments
        if spec.analysis:
            analyses.add(spec.analysis)
        ids: list[str] = []
        for param in spec.indicators:
            v = values.get(param)
            ids += [v] if isinstance(v, str) else list(v or [])
        chosen = list(values.get(spec.given) or []) if spec.given else []
        foundation = values.get(spec.foundation) if spec.foundation else None
        if chosen:
            ids += chosen
        elif foundation is not None:
            ids += [i.id for i in registry.values() if i.group == foundation]
        elif spec.all_when_none and not ids:
            indicators.add(EVERYTHING)
        if spec.with_index:
            ids += [i.id for i in registry.values() if i.kind == "index" and i.of in set(ids)]
        unknown = [i for i in ids if i not in registry]
        if unknown:
            unreadable.append(f"{name}: unknown indicator(s) {', '.join(unknown)}")
        indicators |= set(ids)
    return Reads(frozenset(indicators), frozenset(analyses), tuple(unreadable))


def datasets_read(
    reads: Reads, *, neighbour_characteristics: Iterable[str] = ()
) -> tuple[str, ...]:
    """The datasets behind what a page shows, sorted; ``("*",)`` for every dataset
    (:func:`lis_analysis.analyses.declared.datasets_of` of the page's indicators and
    analyses; a call the derivation could not read means every dataset)."""
    if reads.everything:
        return (EVERYTHING,)
    return datasets_of(
        reads.indicators, reads.analyses, neighbour_characteristics=neighbour_characteristics
    )


def notebook_datasets(source: str | Path) -> tuple[str, ...]:
    """The datasets a notebook reads (:func:`notebook_reads` then :func:`datasets_read`)."""
    return datasets_read(notebook_reads(source))


__all__ = [
    "EVERYTHING",
    "MethodReads",
    "Reads",
    "datasets_read",
    "indicator_datasets",
    "notebook_datasets",
    "notebook_reads",
]
