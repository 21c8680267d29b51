"""How a page shows its parts: displayed once, returned for reuse, declared what it reads.

:func:`shows` marks a page method: the method displays its part of the page (sentences,
charts, tables) and returns what it showed; the wrapper records the result and the
analysis shown (for the page's caveats) and returns it marked as shown, so that in
JupyterLab it does not display a second time as the value of the cell that made it
(:class:`ShownFrame`, :class:`ShownDict`). The decorator's arguments say what the
method reads, in terms of its own parameters (:class:`MethodReads`): the pack
derives a notebook's datasets from them.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

import pandas as pd

from ..safetext import escape_markdown

if TYPE_CHECKING:
    from .base import PageBase

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class MethodReads:
    """What a page method reads, in terms of its own parameters (set by ``@shows``).

    Attributes
    ----------
    analysis : the ``data/analyses.yaml`` entry it shows (None: it reads no data)
    indicators : parameters holding indicator ids (one id or a list), always read
    given : a parameter holding a list of ids that replaces the foundation's
    foundation : a parameter holding a foundation: its indicators are read
    all_when_none : with neither ids nor a foundation, it reads every indicator
    with_index : it also reads each indicator's index against the UK (kind ``index``)
    """

    analysis: str | None = None
    indicators: tuple[str, ...] = ()
    given: str | None = None
    foundation: str | None = None
    all_when_none: bool = False
    with_index: bool = False


# --------------------------------------------------------------------------------------
# What a method returns: shown once
# --------------------------------------------------------------------------------------


def _execution_count() -> int | None:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency
        return None
    ip = get_ipython()
    return None if ip is None else int(ip.execution_count)


class ShownFrame(pd.DataFrame):
    """A DataFrame a page method has already displayed: it does not display again as the
    value of the cell that made it; anything derived from it is a plain DataFrame."""

    _metadata = ["_lis_cell"]

    @property
    def _constructor(self) -> type[pd.DataFrame]:
        return pd.DataFrame

    def _ipython_display_(self) -> None:
        if getattr(self, "_lis_cell", None) == _execution_count():
            return  # the page has just shown it
        from IPython.display import display

        display(pd.DataFrame(self))


class ShownDict(dict):
    """A dict a page method has already displayed (see :class:`ShownFrame`)."""

    _lis_cell: int | None = None

    def _ipython_display_(self) -> None:
        if self._lis_cell == _execution_count():
            return
        from IPython.display import display

        display(dict(self))


def _shown(value: Any) -> Any:
    """``value`` marked as shown in this cell (DataFrames and dicts; others as they are)."""
    if isinstance(value, pd.DataFrame) and not isinstance(value, ShownFrame):
        out = ShownFrame(value)
        out.attrs = dict(value.attrs)
        object.__setattr__(out, "_lis_cell", _execution_count())
        return out
    if isinstance(value, dict) and not isinstance(value, ShownDict):
        d = ShownDict(value)
        d._lis_cell = _execution_count()
        return d
    return value


def shows(
    analysis: str | None = None,
    *,
    indicators: Sequence[str] = (),
    given: str | None = None,
    foundation: str | None = None,
    all_when_none: bool = False,
    with_index: bool = False,
) -> Callable[[F], F]:
    """Mark a method that displays part of the page.

    The wrapped method records what it showed (``page.results[<method>]``, the analysis
    for the caveats) and returns it marked as shown. The arguments say what it reads, in
    terms of its own parameters (:class:`~lis_analysis.pages.reads.MethodReads`).
    """
    spec = MethodReads(
        analysis=analysis,
        indicators=tuple(indicators),
        given=given,
        foundation=foundation,
        all_when_none=all_when_none,
        with_index=with_index,
    )

    def decorate(method: F) -> F:
        @functools.wraps(method)
        def wrapper(self: PageBase, *args: Any, **kwargs: Any) -> Any:
            if spec.analysis:
                self.analyses_shown.append(spec.analysis)
            result = method(self, *args, **kwargs)
            self.results[method.__name__] = result
            return _shown(result)

        wrapper.reads = spec  # type: ignore[attr-defined]
        return wrapper  # type: ignore[return-value]

    return decorate


def _show(*objs: Any) -> None:
    from IPython.display import display

    for o in objs:
        if o is not None:
            display(o)


def _md(text: str) -> Any:
    from IPython.display import Markdown

    return Markdown(text)


def _say(sentence: str) -> None:
    """Display a plain-text sentence exactly as written (Markdown punctuation escaped)."""
    _show(_md(escape_markdown(sentence)))


__all__ = ["MethodReads", "ShownDict", "ShownFrame", "shows"]
