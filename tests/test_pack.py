"""The whole board pack built on the demonstrator, as `make reports` builds it: every
notebook executed (no errors, the skeleton's headings, parameters in its metadata) and
exported (offline, demo banner, specific alt text, provenance footer)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from lis_analysis.cli import main
from lis_analysis.pack.export import external_references

pytestmark = pytest.mark.slow

NAMES = [
    "00_overview", "10_ideas", "11_people", "12_infrastructure", "13_business_environment",
    "14_places", "20_call_for_evidence", "30_priorities", "40_consultation", "90_sources_and_methods",
]  # fmt: skip


@pytest.fixture(scope="module")
def pack(tmp_path_factory, demo_store):
    folder, _, _ = demo_store
    reports = tmp_path_factory.mktemp("reports")
    code = main(["run", "--raw", str(folder), "--reports", str(reports), "--jobs", "2"])
    assert code == 0
    return reports


def _executed(pack: Path, name: str):
    return nbformat.read(pack / "_executed" / "E37000021" / f"{name}.ipynb", as_version=4)


@pytest.mark.parametrize("name", NAMES)
def test_notebook_executed_cleanly(pack, name):
    nb = _executed(pack, name)
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, errors[:1]
    stderr = [
        o.get("text", "")
        for c in nb.cells
        for o in c.get("outputs", [])
        if o.get("name") == "stderr"
    ]
    assert not any("Traceback" in t or "Warning" in t for t in stderr), stderr
    headings = [
        line
        for c in nb.cells
        if c.cell_type == "markdown"
        for line in c.source.splitlines()
        if line.startswith("## ")
    ]
    for section in ("## The question", "## Caveats", "## Provenance"):
        assert section in headings
    params = nb.metadata["papermill"]["parameters"]
    assert params["area"] == "E37000021"
    assert nb.metadata["lis"]["demo"] is True


@pytest.mark.parametrize("name", NAMES)
def test_board_page(pack, name):
    page = (pack / "E37000021" / f"{name}.html").read_text(encoding="utf-8")
    assert external_references(page) == []
    assert "DEMONSTRATOR DATA" in page
    assert '<html lang="en' in page
    assert "In&nbsp;[" not in page and "jp-InputPrompt" not in page  # no code on the board version
    alts = re.findall(r'<img[^>]*\balt="([^"]*)"', page)
    for alt in alts:
        assert (
            len(alt) > 40 and "No description" not in alt and alt.lower() not in ("image", "chart")
        )
    assert "sha256" in page or "checksum" in page.lower()  # provenance footer / table


def test_findings_sentences_written_from_numbers(pack):
    page = (pack / "E37000021" / "00_overview.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", " ", page)
    assert re.search(
        r"GVA per hour worked in Leicester and Leicestershire was £\d+\.\d\d in 20\d\d, \d+\.\d% below the UK",
        text,
    )


def test_index_links_every_page_both_versions(pack):
    index = (pack / "E37000021" / "index.html").read_text(encoding="utf-8")
    for name in NAMES:
        assert f'href="{name}.html"' in index and f'href="{name}.analyst.html"' in index
    assert "DEMONSTRATOR" in index.upper()


def test_second_run_skips_everything(pack, demo_store, capsys):
    folder, _, _ = demo_store
    assert main(["run", "--raw", str(folder), "--reports", str(pack)]) == 0
    assert "0 ran, 10 skipped" in capsys.readouterr().out


@pytest.mark.parametrize("name", ["20_call_for_evidence", "40_consultation"])
@pytest.mark.parametrize("variant", ["", ".analyst"])
def test_respondent_text_is_inert_and_redacted(pack, name, variant):
    """The demonstrator's hostile responses (a <script>, an <img onerror>, javascript:
    links, an email and a phone number) must reach the page as text, never as markup."""
    page = (pack / "E37000021" / f"{name}{variant}.html").read_text(encoding="utf-8")
    body = page.split("<body", 1)[1]
    assert not re.search(r"<script[^>]*>[^<]*(alert|document\.)", body, re.I)
    assert not re.search(r"<img[^>]*onerror", body, re.I)
    assert not re.search(r"""href\s*=\s*["']?\s*javascript:""", body, re.I)
    assert not re.search(r"<b[^>]*onmouseover", body, re.I)
    if not variant:  # board pages: personal data removed
        assert "sam.synthetic@example.org" not in page and "07700 900123" not in page
    if name == "20_call_for_evidence":  # the page does show respondents' words
        assert "Representative quotes" in page and "(synthetic)" in page
