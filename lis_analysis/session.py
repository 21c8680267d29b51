"""Transitional: the session now lives in the face (:mod:`lis_analysis.api`), which alone
holds session state.

Kept only so that modules other branches are moving (``review.py`` into ``pages/``;
``commands.py``, ``pipeline.py`` and ``notebook.py`` into ``pack/``) still import while
those branches merge. Each function forwards to ``lis_analysis.api.session()``; once
nothing imports this module, delete it.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from .api import session

if TYPE_CHECKING:
    import pandas as pd

    from .geography import Geography
    from .workspace import Workspace

__all__ = ["current", "geography", "observations", "use"]


def use(
    raw: Sequence[str | Path] | str | Path | None = None, *, areas_file: str | Path | None = None
) -> Workspace:
    """``lis_analysis.api.session().use``."""
    return session().use(raw, areas_file=areas_file)


def current() -> Workspace:
    """``lis_analysis.api.session().workspace``."""
    return session().workspace


def observations() -> pd.DataFrame:
    """``lis_analysis.api.session().observations()``."""
    return session().observations()


def geography() -> Geography:
    """``lis_analysis.api.session().geography``."""
    return session().geography
