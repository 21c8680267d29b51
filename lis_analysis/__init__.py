"""LIS Evidence Suite: published UK statistics into the evidence base of a local growth strategy.

One import gives an economist what every notebook uses::

    import lis_analysis as lis
    obs = lis.load(raw=["../shared/data/public"])   # tidy observations; ingests what changed
    ll = lis.area("E37000021")                      # an Area: code, name, member districts
    tab = lis.indicators(ll)                        # the indicator table against benchmarks
    lis.methods.shift_share(...)                    # analytical methods
    lis.charts.benchmark_bar(tab, "gva_per_hour")   # a figure that carries its own alt text
    pg = lis.page("E37000021")                       # the page object a notebook uses

Heavy modules (methods, charts, pipeline) are imported on first use so that the ``lis``
command starts quickly.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

_LAZY_MODULES = {
    "methods",
    "analyses",
    "pages",
    "indicators",
    "priorities",
    "consultation",
    "pipeline",
    "geography",
    "store",
    "sources",
    "config",
    "demo",
    "report_html",
    "notebook",
    "industries",
}
#: Modules the face offers under a shorter name (``lis.charts`` is lis_analysis.pages.charts).
_MOVED_MODULES = {"charts": "pages.charts"}
_LAZY_ATTRS = {
    "load": ("session", "load"),
    "workspace": ("workspace", "workspace"),
    "area": ("session", "area"),
    "areas": ("session", "areas"),
    "geography_for": ("session", "geography"),
    "use": ("session", "use"),
    "observations": ("session", "observations"),
    "indicator_table": ("session", "indicator_table"),
    "indicators_for": ("session", "indicator_table"),
    "Area": ("geography", "Area"),
    "RunParams": ("config", "RunParams"),
    "load_params": ("config", "load_params"),
    "LisError": ("errors", "LisError"),
    "page": ("session", "page"),
}

__all__ = sorted([*_LAZY_MODULES, *_MOVED_MODULES, *_LAZY_ATTRS, "__version__"])


def __getattr__(name: str) -> Any:
    if name in _LAZY_MODULES:
        return importlib.import_module(f"{__name__}.{name}")
    if name in _MOVED_MODULES:
        return importlib.import_module(f"{__name__}.{_MOVED_MODULES[name]}")
    if name in _LAZY_ATTRS:
        mod, attr = _LAZY_ATTRS[name]
        return getattr(importlib.import_module(f"{__name__}.{mod}"), attr)
    raise AttributeError(f"module 'lis_analysis' has no attribute {name!r}")


def __dir__() -> list[str]:
    return __all__
