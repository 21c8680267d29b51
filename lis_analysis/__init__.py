"""LIS Evidence Suite: published UK statistics into the evidence base of a local growth strategy.

One import gives an economist what every notebook uses (documented in
:mod:`lis_analysis.api`, which alone holds the session's state)::

    import lis_analysis as lis
    obs = lis.load(raw=["../shared/data/public"])   # these folders are now the session's data
    ll = lis.area("E37000021")                      # an Area: code, name, member districts
    tab = lis.indicators(ll)                        # the indicator table against benchmarks
    lis.methods.shift_share(...)                    # analytical methods
    lis.charts.benchmark_bar(tab, "gva_per_hour")   # a figure that carries its own alt text
    pg = lis.page("E37000021")                       # the page object a notebook uses

``dir(lis)`` lists that face and nothing else. The package's modules stay importable as
``lis_analysis.<module>`` for its own use (the pipeline, the command, tests); they are not
the face. Names are imported on first use so that the ``lis`` command starts quickly.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

#: The face: every name an analyst uses (see lis_analysis.api).
__all__ = [
    "Area",
    "RunParams",
    "aggregate",
    "analyses",
    "area",
    "areas",
    "charts",
    "indicator_series",
    "indicators",
    "load",
    "methods",
    "page",
    "registry",
]

# ``lis.indicators`` is the face's function, while ``lis_analysis.indicators`` is also the
# subpackage the package computes with. Python binds a subpackage's name on its parent once,
# when the subpackage is first imported; importing it here, first (it loads nothing heavy),
# and unbinding the name leaves ``lis.indicators`` to ``__getattr__`` below for good.
# Inside the package, import from it by its full name (``from .indicators import table``),
# never ``from . import indicators``.
importlib.import_module(f"{__name__}.indicators")
del globals()["indicators"]


#: Modules of the face, by the name analysts use (``lis.charts`` is lis_analysis.pages.charts).
_MODULES = {"methods": "methods", "charts": "pages.charts", "analyses": "analyses"}


def __getattr__(name: str) -> Any:
    if name in __all__:
        if name in _MODULES:
            value = importlib.import_module(f"{__name__}.{_MODULES[name]}")
        else:
            value = getattr(importlib.import_module(f"{__name__}.api"), name)
        globals()[name] = value  # later look-ups skip this function
        return value
    try:  # lis_analysis.<module>, as Python would give it after an import
        return importlib.import_module(f"{__name__}.{name}")
    except ModuleNotFoundError as exc:
        if exc.name != f"{__name__}.{name}":
            raise
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return list(__all__)
