"""Indicators of headline productivity and the five Foundations of Productivity: declared
once, as data (:mod:`.registry`), and computed generically for any set of areas
(:mod:`.engine`).

This subpackage is for the package's own use; analysts call the face
(``lis.indicators``, ``lis.indicator_series``, ``lis.registry``), which passes it the
session's data. Names are imported on first use, so that ``import lis_analysis`` (and
the ``lis`` command) does not load pandas.
"""

from __future__ import annotations

import importlib
from typing import Any

#: name -> submodule that defines it
_NAMES = {
    "FOUNDATIONS": "registry",
    "GROUPS": "registry",
    "HEADLINE": "registry",
    "Indicator": "registry",
    "Ref": "registry",
    "get": "registry",
    "load_registry": "registry",
    "registry_table": "registry",
    "SERIES_COLUMNS": "engine",
    "TABLE_COLUMNS": "engine",
    "TABLE_EXTRA": "engine",
    "Benchmarks": "engine",
    "Context": "engine",
    "benchmarks_for": "engine",
    "compute": "engine",
    "neighbours": "engine",
    "panel": "engine",
    "table": "engine",
}

__all__ = sorted(_NAMES)


def __getattr__(name: str) -> Any:
    if name in _NAMES:
        return getattr(importlib.import_module(f"{__name__}.{_NAMES[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
