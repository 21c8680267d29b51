"""``lis watch``: poll the raw folders, re-run what a new, changed or removed file affects.

Between polls only ``os.stat`` runs; when something changed, :func:`watch` calls
:func:`lis_analysis.pack.run.run` (which ingests and re-runs only the stale notebooks)
and prints what was refreshed and why (:func:`describe_refresh`).
"""

from __future__ import annotations

import contextlib
import os
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from ..config import Paths, RunParams
from ..config import paths as default_paths
from .catalogue import CATALOGUE_FILE, Catalogue, load_catalogue
from .plan import check_area_codes, evidence_folder, parse_areas, raw_dirs
from .run import ReportsBusy, RunSummary, run


def _snapshot(folders: Sequence[Path]) -> dict[str, tuple[int, int]]:
    out: dict[str, tuple[int, int]] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            for fname in filenames:
                if fname.startswith("."):
                    continue
                fp = os.path.join(dirpath, fname)
                with contextlib.suppress(OSError):
                    st = os.stat(fp)
                    out[fp] = (st.st_size, st.st_mtime_ns)
    return out


def describe_refresh(summary: RunSummary, cat: Catalogue, root: Path | None = None) -> list[str]:
    """Lines saying what was refreshed and why, e.g. ``data/raw/x.xlsx changed
    (ons_gva_industry_lad) → re-ran 00_overview, 13_business_environment``."""
    ran = [n for n in summary.notebooks if n.status != "skipped"]
    specs = {s.name: s for s in cat.notebooks}
    lines: list[str] = []
    explained: set[tuple[str, str]] = set()

    def show(path: str) -> str:
        if root:
            with contextlib.suppress(ValueError):
                return str(Path(path).relative_to(root))
        return path

    for ch in summary.changes:
        hit = [n for n in ran if n.name in specs and specs[n.name].reads(ch.datasets)]
        names = sorted({n.name for n in hit})
        explained |= {(n.area, n.name) for n in hit}
        what = ", ".join(ch.datasets) or "no dataset"
        verb = {"new": "is new", "changed": "changed", "removed": "was removed"}[ch.change]
        target = f"re-ran {', '.join(names)}" if names else "no notebook reads it"
        lines.append(f"{show(ch.path)} {verb} ({what}) \u2192 {target}")
    others = [n for n in ran if (n.area, n.name) not in explained]
    if others:
        by_reason: dict[str, list[str]] = {}
        for n in others:
            by_reason.setdefault(n.reason or "stale", []).append(n.name)
        for reason, names in by_reason.items():
            lines.append(f"{reason} \u2192 re-ran {', '.join(sorted(set(names)))}")
    failed = [n for n in ran if n.status == "failed"]
    for n in failed:
        lines.append(f"{n.area} {n.name} FAILED: {n.error} (previous pages kept)")
    return lines


def watch(
    params: RunParams,
    *,
    areas: str | Sequence[str] | None = None,
    interval: float = 30.0,
    once: bool = False,
    jobs: int | None = None,
    evidence: str | Path | None = None,
    reports_dir: str | Path | None = None,
    paths: Paths | None = None,
    echo: Callable[[str], None] = print,
    max_polls: int | None = None,
    **run_kwargs: Any,
) -> int:
    """Poll the raw folders (and the evidence folder) every ``interval`` seconds; when a
    file is new, changed or gone, ingest and re-run the notebooks it affects, saying
    what was refreshed and why. Between polls only ``os.stat`` runs.

    Returns the exit code of the last run (0, or 1 when a notebook failed).
    """
    p = paths or default_paths()
    cat_path = run_kwargs.pop("catalogue", None) or p.notebooks / CATALOGUE_FILE
    cat = cat_path if isinstance(cat_path, Catalogue) else load_catalogue(cat_path)
    check_area_codes(parse_areas(areas) or [params.area], params)
    dirs = raw_dirs(params, p)
    folders = [*dirs, evidence_folder(evidence or params.evidence, dirs, p)]
    if not once:
        echo(f"watching {', '.join(map(str, folders[:-1]))} every {interval:g} s (Ctrl-C to stop)")
    last: dict[str, tuple[int, int]] | None = None
    code = 0
    polls = 0
    while True:
        snap = _snapshot(folders)
        if snap != last:
            try:
                summary = run(
                    params,
                    areas=areas,
                    jobs=jobs,
                    evidence=evidence,
                    reports_dir=reports_dir,
                    paths=p,
                    catalogue=cat,
                    **run_kwargs,
                )
            except ReportsBusy as exc:
                echo(f"{exc} (will try again)")
            else:
                last = snap
                code = summary.exit_code
                lines = describe_refresh(summary, cat, p.root)
                stamp = datetime.now().strftime("%H:%M:%S")
                for line in lines:
                    echo(f"[{stamp}] {line}")
                if not lines and once:
                    echo("up to date: nothing changed since the last run")
        polls += 1
        if once or (max_polls is not None and polls >= max_polls):
            return code
        time.sleep(interval)


__all__ = ["describe_refresh", "watch"]
