"""Fixtures shared by the hostile-input tests."""

from __future__ import annotations

import pytest

from tests.hostile.helpers import lis

# the pack's fixtures (a small project, an in-process executor), for the fault tests
from tests.pack.conftest import executor, kernel_env, project  # noqa: F401


@pytest.fixture(scope="session")
def demo_home(tmp_path_factory):
    """A project whose data is the demonstrator (published formats, lookups included),
    written and ingested once for the session. Tests read it; what they write goes
    elsewhere (or into a copy)."""
    home = tmp_path_factory.mktemp("hostile_demo") / "home"
    proc = lis("ingest", home=home, timeout=600)  # writes data/demo and stores it
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return home
