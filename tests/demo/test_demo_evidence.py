"""Tests for lis_analysis.demo.evidence: the synthetic call-for-evidence and consultation
files are deterministic, marked synthetic, carry flawed and hostile rows on purpose, and go
through the consultation analysis quickly."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

import pandas as pd
import pytest

from lis_analysis import consultation
from lis_analysis.demo.evidence import write_demo_evidence
from lis_analysis.pages.tables import quotes_table, table
from lis_analysis.safetext import quote_markdown
from tests.inert_html import assert_inert


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("evidence_demo")
    write_demo_evidence(out)
    return out


def test_demo_is_deterministic_fast_and_marked(tmp_path, demo_dir):
    t0 = time.perf_counter()
    files = write_demo_evidence(tmp_path / "again")
    elapsed = time.perf_counter() - t0
    assert elapsed < 1.5, f"demo evidence took {elapsed:.2f} s"
    names = sorted(p.relative_to(tmp_path / "again").as_posix() for p in files)
    assert names == sorted(
        p.relative_to(demo_dir).as_posix() for p in demo_dir.rglob("*") if p.is_file()
    )
    for p in files:
        twin = demo_dir / p.relative_to(tmp_path / "again")
        assert (
            hashlib.sha256(p.read_bytes()).digest() == hashlib.sha256(twin.read_bytes()).digest()
        ), p.name
        if p.suffix in (".csv", ".md"):
            assert "synthetic" in p.read_text(encoding="utf-8").lower(), p.name
    other = write_demo_evidence(tmp_path / "other", seed=1)
    assert other[1].read_bytes() != files[1].read_bytes()


def test_demo_volumes_and_ingest_report(demo_dir):
    bundle = consultation.load_evidence(demo_dir)
    cfe, con, log = bundle.call_for_evidence, bundle.consultation, bundle.consideration_log
    assert cfe.data["respondent_id"].nunique() >= 60
    assert cfe.data["source_file"].str.endswith(".md").any()
    assert con.n_kept >= 300
    assert cfe.data["synthetic"].all() and con.data["synthetic"].all()
    orgs = pd.concat([cfe.data["organisation"], con.data["organisation"]])
    assert orgs[orgs != ""].str.endswith("(synthetic)").all()
    # flawed rows are reported, never dropped silently
    assert sorted(cfe.rejected["problem"]) == ["duplicate", "empty text", "unknown question id"]
    assert sorted(con.warnings["problem"]) == ["bad agreement value", "unknown organisation type"]
    rep = consultation.consideration_report(log, consultation.code_comments(con))
    assert (rep["status"] == "no response yet").any() and rep["status"].str.startswith(
        "considered"
    ).any()


def test_demo_hostile_texts_are_escaped_and_redacted(demo_dir):
    bundle = consultation.load_evidence(demo_dir)
    texts = pd.concat([bundle.call_for_evidence.data["text"], bundle.consultation.data["comments"]])
    joined = "\n".join(texts)
    for needle in ("<script>", "onerror=", "javascript:", "@example.", "0116 496 0123", "LE1 9ZZ"):
        assert needle in joined  # the demo carries each hostile case
    frame = pd.DataFrame({"text": texts})
    html = table(frame, "All demo responses", redact_personal=True).to_html()
    p = assert_inert(
        html,
        {"div", "table", "caption", "thead", "tbody", "tr", "th", "td", "p"},
        {"class", "scope"},
    )
    shown = "".join(p.text)
    assert "<script>" in shown  # as text
    assert "@example." not in shown and "0116 496 0123" not in shown and "LE1 9ZZ" not in shown
    for t in texts:
        assert "<" not in quote_markdown(t)


def test_demo_end_to_end_is_quick(demo_dir):
    t0 = time.perf_counter()
    bundle = consultation.load_evidence(demo_dir)
    coded = consultation.code_responses(bundle.call_for_evidence)
    consultation.counts_by_foundation(coded)
    quotes = consultation.select_quotes(coded)
    quotes_table(quotes)
    consultation.agreement(bundle.consultation, by="organisation_type")
    assert time.perf_counter() - t0 < 5
    assert (
        len(quotes)
        == len(consultation.load_taxonomy().themes)
        - (consultation.theme_counts(coded)["n_responses"] == 0).sum()
    )
