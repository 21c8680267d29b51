"""A page of the demonstrator for the page tests: built directly, no session, no kernel."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def demo_parts(demo_store, tmp_path_factory):
    """(area, params, ctx, manifest) for Leicester and Leicestershire on the demonstrator."""
    from lis_analysis.config import RunParams
    from lis_analysis.indicators.engine import Context
    from lis_analysis.store import ingest, read_manifest

    folder, obs, geo = demo_store
    processed = tmp_path_factory.mktemp("demo_manifest")
    ingest([folder], processed)
    return geo.area("E37000021"), RunParams(), Context(obs, geo), read_manifest(processed)


@pytest.fixture(scope="session")
def shared_results():
    """One cache for every page test: the table and assessment are computed once."""
    from lis_analysis.pages import ResultCache

    return ResultCache()


@pytest.fixture
def shown(monkeypatch):
    """What the page displays, in order (IPython's display replaced by a list)."""
    import IPython.display

    out: list = []
    monkeypatch.setattr(IPython.display, "display", lambda *objs, **kw: out.extend(objs))
    return out


@pytest.fixture
def page(demo_parts, demo_store, shared_results):
    """A fresh page of L&L on the demonstrator (nothing shown yet)."""
    from lis_analysis.pages import Page

    area, params, ctx, manifest = demo_parts
    return Page(
        area,
        params=params,
        ctx=ctx,
        manifest=manifest,
        demo=True,
        cache=shared_results,
        evidence_folder=demo_store[0] / "evidence",
    )
