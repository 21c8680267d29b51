"""The explicit cache of the results a pack's pages share (lis_analysis.pages.cache)."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys

import pandas as pd

from lis_analysis.pages.cache import ResultCache, cache_key


def test_a_result_is_built_once_per_key_and_again_for_another_key():
    calls = []
    cache = ResultCache()

    def build():
        calls.append(1)
        return pd.DataFrame({"x": [len(calls)]})

    a = cache.get("table", {"area": "E37000021", "files": ["ab"]}, build)
    b = cache.get("table", {"files": ["ab"], "area": "E37000021"}, build)  # same key
    c = cache.get("table", {"area": "E37000021", "files": ["cd"]}, build)  # a file changed
    assert a is b and len(calls) == 2 and c["x"].iloc[0] == 2
    assert len(cache) == 2 and "memory" in repr(cache)
    cache.clear()
    cache.get("table", {"area": "E37000021", "files": ["ab"]}, build)
    assert len(calls) == 3


def test_the_key_is_stable_and_names_what_it_depends_on():
    assert cache_key({"a": 1, "b": [2, 3]}) == cache_key({"b": [2, 3], "a": 1})
    assert cache_key({"a": 1}) != cache_key({"a": 2}) and len(cache_key({})) == 24


def test_a_folder_shares_results_between_processes(tmp_path):
    """A spawned kernel reads what another built (no memory shared)."""
    cache = ResultCache(tmp_path)
    cache.get("assessment", {"k": 1}, lambda: {"built": "here"})
    (hit,) = tmp_path.glob("assessment-*.pkl")
    code = (
        "from lis_analysis.pages.cache import ResultCache;"
        f"print(ResultCache({str(tmp_path)!r}).get('assessment', {{'k': 1}}, lambda: 'rebuilt'))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "{'built': 'here'}"
    # a partial file is rebuilt, not trusted
    hit.write_bytes(pickle.dumps("ok")[:3])
    assert ResultCache(tmp_path).get("assessment", {"k": 1}, lambda: "rebuilt") == "rebuilt"


def test_a_folder_it_cannot_make_only_costs_the_sharing(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cache = ResultCache(blocker / "results")
    assert cache.get("table", {"k": 1}, lambda: 42) == 42


def test_nothing_is_written_where_pages_must_not_write(tmp_path, monkeypatch):
    """The session's cache is memory only unless the pipeline names a folder."""
    from lis_analysis.api import Session

    monkeypatch.delenv("LIS_RESULT_CACHE", raising=False)
    assert Session().results().folder is None
    monkeypatch.setenv("LIS_RESULT_CACHE", os.fspath(tmp_path / "run"))
    assert Session().results().folder == tmp_path / "run"
