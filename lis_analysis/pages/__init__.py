"""The pages of the board pack: what a notebook shows, and how.

- :mod:`.page`: :class:`Page`, the object a notebook uses (``pg = lis.page(area, ...)``):
  it arranges and displays, and each method returns what it showed;
- :mod:`.prose`: every generated sentence, one function per sentence form;
- :mod:`.tables`: :func:`table`, the one HTML table renderer (escaped, accessible, one
  way of showing a missing value);
- :mod:`.charts`: the house charts, each with an alt text written from its data
  (``lis.charts``);
- :mod:`.cache`: :class:`ResultCache`, the explicit cache of the results a pack's pages
  share;
- :mod:`.reads`: which datasets a notebook reads, from the indicators and analyses it
  shows (the pack re-runs a page when one of them changes).

Submodules are imported on first use, so that the pack can read :mod:`.reads` without
loading pandas and matplotlib.
"""

from __future__ import annotations

import importlib
from typing import Any

_NAMES = {
    "Page": "page",
    "ResultCache": "cache",
    "ENV_FOLDER": "cache",
    "table": "tables",
    "quotes_table": "tables",
    "HTMLTable": "tables",
}

__all__ = [*sorted(_NAMES), "cache", "charts", "page", "prose", "reads", "tables"]


def __getattr__(name: str) -> Any:
    if name in _NAMES:
        return getattr(importlib.import_module(f"{__name__}.{_NAMES[name]}"), name)
    if name in ("cache", "charts", "page", "prose", "reads", "tables"):
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
