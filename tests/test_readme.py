"""The README's JupyterLab block, run as written on the real published files: the session
computes on the folders it was given (never the demonstrator) and gives the publisher's
figures (GVA per hour 2022: Σ GVA / Σ hours of the eight districts in
labourproductivitylocalauthorities.xls = £34.75; UK £39.70; see tests/reference/)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

pytestmark = [pytest.mark.shared, pytest.mark.slow]


def _readme_block() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## In JupyterLab", 1)[1]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    assert blocks, "the README's JupyterLab section has no python block"
    return blocks[0]


@pytest.fixture
def fresh_session():
    """The face's one session, emptied before and after the test."""
    from lis_analysis import api

    api.session().reset()
    yield api.session()
    api.session().reset()


def test_readme_session_block_runs_on_the_real_files(public, fresh_session, monkeypatch, capsys):
    monkeypatch.chdir(REPO)  # "a notebook at the top level"
    assert (REPO / "../shared/data/public").resolve() == public
    ns: dict = {}
    exec(compile(_readme_block(), "README.md", "exec"), ns)
    tab, gva, series = ns["tab"], ns["gva"], ns["series"]
    assert not tab["demo"].any()
    uk = gva[gva.benchmark_code == "K02000001"].iloc[0]
    assert uk.year == 2022
    assert round(uk.value, 2) == 34.75 and round(uk.benchmark_value, 2) == 39.70
    gph = series[series.benchmark_code == "K02000001"].set_index("year")["value"]
    assert gph.index.min() <= 2005 and gph.loc[2022] == pytest.approx(uk.value)
    assert "alt" in ns["chart"].to_html()
    # the notebook face opened afterwards without folders computes on what was loaded
    pg = ns["lis"].page("E37000021")
    assert pg.demo is False and not pg.table["demo"].any()
    assert "synthetic demonstrator" not in capsys.readouterr().err


def test_a_session_without_data_says_it_is_the_demonstrator(fresh_session, monkeypatch, capsys):
    # a later call without raw keeps what was loaded; only a session never given data (and
    # with an empty data/raw) falls back to the demonstrator, and says so once
    from lis_analysis import workspace as ws_mod

    demo_ws = ws_mod.Workspace(
        raw_dirs=(Path("/nowhere"),), processed=Path("/nowhere"), demo=True, paths=None
    )

    class _Report:
        changed = False

    from lis_analysis import api

    monkeypatch.setattr(ws_mod.Workspace, "ingest", lambda self, **kw: _Report())
    monkeypatch.setattr(api, "workspace", lambda raw=None: demo_ws)
    fresh_session.use(None)
    fresh_session.use(None)
    err = capsys.readouterr().err
    assert err.count("synthetic demonstrator data") == 1
