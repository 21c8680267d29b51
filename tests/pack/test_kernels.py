"""Kernels: the switch between forked and spawned kernels, and that both build the same pages."""

from __future__ import annotations

import re

import pytest

from lis_analysis.errors import ConfigError
from lis_analysis.pack import kernels
from tests.pack.project import run_pack, statuses


def test_the_switch_chooses_fork_or_spawn(monkeypatch):
    monkeypatch.delenv(kernels.MODE_ENV, raising=False)
    monkeypatch.setattr(kernels, "fork_available", lambda: True)
    assert kernels.kernel_mode() == "fork"
    assert kernels.kernel_mode("spawn") == "spawn"
    monkeypatch.setenv(kernels.MODE_ENV, "spawn")
    assert kernels.kernel_mode() == "spawn"
    assert kernels.kernel_mode("fork") == "fork"  # the argument wins over the environment
    monkeypatch.setenv(kernels.MODE_ENV, "thread")
    with pytest.raises(ConfigError, match="'fork' or 'spawn'"):
        kernels.kernel_mode()


def test_kernels_are_spawned_where_fork_is_unavailable(monkeypatch):
    monkeypatch.delenv(kernels.MODE_ENV, raising=False)
    monkeypatch.setattr(kernels, "fork_available", lambda: False)
    assert kernels.kernel_mode() == "spawn" and kernels.kernel_mode("fork") == "spawn"
    assert kernels.start_template({}, "fork") is None  # no template process is started


def test_fork_is_available_on_linux_only():
    import os
    import sys

    assert kernels.fork_available() == (
        sys.platform.startswith("linux") and hasattr(os, "pidfd_open")
    )


def test_a_template_that_never_listens_is_given_up_quickly(tmp_path):
    """A template that died before listening must not stall every kernel for minutes:
    the client gives up after ``listen_timeout`` and at once from then on (the caller
    then spawns the kernel)."""
    import time

    client = kernels.TemplateClient(str(tmp_path / "template.sock"))
    t0 = time.monotonic()
    with pytest.raises(FileNotFoundError):
        client.spawn(["-f", "x.json"], {}, None, listen_timeout=0.3)
    assert 0.3 <= time.monotonic() - t0 < 5
    t0 = time.monotonic()
    with pytest.raises(ConnectionError, match="gone"):
        client.spawn(["-f", "x.json"], {}, None)
    assert time.monotonic() - t0 < 0.1


def _page_text(page: str, run_id: str) -> str:
    """A page without what differs from run to run: the run id, the times and the cell
    ids (new ones each time a notebook is read)."""
    page = page.replace(run_id, "RUN-ID")
    page = re.sub(r"cell-id=[\w-]+", "cell-id=ID", page)
    return re.sub(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ?", "TIME", page)


@pytest.mark.slow
@pytest.mark.skipif(not kernels.fork_available(), reason="kernels cannot be forked here")
def test_forked_and_spawned_kernels_build_the_same_pages(project):
    area = project.reports / "E37000021"
    forked = run_pack(project, None, jobs=1, kernel_mode="fork")
    assert set(statuses(forked).values()) == {"ran"}
    pages = {f.name: _page_text(f.read_text(), forked.run_id) for f in area.glob("*.html")}
    spawned = run_pack(project, None, jobs=1, kernel_mode="spawn", force=True)
    assert set(statuses(spawned).values()) == {"ran"}
    again = {f.name: _page_text(f.read_text(), spawned.run_id) for f in area.glob("*.html")}
    assert sorted(pages) == sorted(again) and len(pages) == 7  # 3 x 2 pages + the index
    for name in pages:
        assert again[name] == pages[name], name
    assert "data:image/png;base64," in pages["c_all.html"]  # the figure made it, both ways
