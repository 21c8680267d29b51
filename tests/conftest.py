"""Shared test fixtures: the real published files in ../shared/data/public, temp paths.

Tests that read the real files are marked ``shared``. They run wherever the folder is
present; in CI (``CI`` set) its absence is a failure, elsewhere a skip with the reason.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PUBLIC = (REPO.parent / "shared" / "data" / "public").resolve()
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def _public_or_skip() -> Path:
    if PUBLIC.is_dir():
        return PUBLIC
    reason = f"the published files are not at {PUBLIC} (clone with ../shared beside it)"
    if os.environ.get("CI"):
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def public() -> Path:
    """The folder of real published files (../shared/data/public)."""
    return _public_or_skip()


@pytest.fixture(scope="session")
def public_file():
    """``public_file("productivity/labourproductivityitls.xls")`` -> its path."""

    def get(rel: str) -> Path:
        path = _public_or_skip() / rel
        assert path.exists(), f"expected published file {rel} in {PUBLIC}"
        return path

    return get


@pytest.fixture(scope="session")
def shared_file():
    """``shared_file("els/apprenticeships.csv")`` -> its path in ../shared/data (the
    published files: ``public/``, ``els/``, ``reference/``)."""

    def get(rel: str) -> Path:
        _public_or_skip()
        path = PUBLIC.parent / rel
        if not path.exists():
            reason = f"expected published file {rel} in {PUBLIC.parent}"
            if os.environ.get("CI"):
                pytest.fail(reason)
            pytest.skip(reason)
        return path

    return get


@pytest.fixture(scope="session")
def fixtures() -> Path:
    """The folder of hand-made fixtures in the published formats."""
    return FIXTURES


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Keep matplotlib/IPython/Jupyter state out of the user's home during tests."""
    cfg = tmp_path_factory.getbasetemp() / "cfg"
    cfg.mkdir(exist_ok=True)
    monkeypatch.setenv("MPLCONFIGDIR", str(cfg / "mpl"))
    monkeypatch.setenv("MPLBACKEND", "Agg")


@pytest.fixture(scope="session")
def public_store(tmp_path_factory):
    """The real published files ingested once per test session: (observations, geography)."""
    from lis_analysis.geography import Geography
    from lis_analysis.store import ingest, read_lookups, read_observations

    raw = _public_or_skip()
    processed = tmp_path_factory.mktemp("public_store")
    ingest([raw], processed, jobs=2)
    obs = read_observations(processed)
    return obs, Geography.build(read_lookups(processed), obs)


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory):
    """The demonstrator written and ingested once per session: (folder, observations, geography)."""
    from lis_analysis.demo import write_demo
    from lis_analysis.geography import Geography
    from lis_analysis.store import ingest, read_lookups, read_observations

    folder = tmp_path_factory.mktemp("demo") / "raw"
    write_demo(folder)
    processed = tmp_path_factory.mktemp("demo_store")
    ingest([folder], processed)
    obs = read_observations(processed)
    return folder, obs, Geography.build(read_lookups(processed), obs)
