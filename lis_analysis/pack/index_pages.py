"""The pack's index pages: one per area (a card per notebook), and ``reports/index.html``.

An area's ``index.html`` shows each notebook's card: its title and description, the
headline and the strengths and weaknesses it reported (:func:`lis_analysis.notebook.summary`,
kept in the area's ``pack.json``), links to its board and analyst pages, its status and
the releases it read. ``reports/index.html`` is that page when the folder holds one area,
else a list of the areas. Both use ``templates/pack_index.html.j2`` and the pages'
stylesheet, and are written atomically.
"""

from __future__ import annotations

import dataclasses
import functools
import html
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from .. import __version__
from .._files import atomic_write, atomic_write_json, read_json
from .catalogue import Catalogue, NotebookSpec
from .plan import DEMO_STATUS, STATE_FILE, AreaInfo, Inputs, releases


@functools.cache
def _index_env():
    import jinja2

    from .export import TEMPLATES_DIR

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES_DIR)),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _card(
    spec: NotebookSpec,
    entry: Mapping[str, Any] | None,
    prefix: str,
    inputs: Inputs,
    without: Sequence[str] = (),
) -> dict[str, Any]:
    entry = entry or {}
    summary = entry.get("summary") or {}
    built = entry.get("run_id") is not None
    return {
        "name": spec.name,
        "title": spec.title,
        "description": spec.description,
        "status": entry.get("status") or "not built",
        "built": built,
        "error": entry.get("error"),
        "headline": summary.get("headline"),
        "strengths": summary.get("strengths") or [],
        "weaknesses": summary.get("weaknesses") or [],
        "neutral": summary.get("neutral") or [],
        "not_assessed": summary.get("not_assessed") or [],
        "board_href": f"{prefix}{spec.name}.html",
        "analyst_href": f"{prefix}{spec.name}.analyst.html",
        "releases": [] if inputs.demo else releases(inputs.records_for(spec, without)),
        "run_id": entry.get("run_id"),
        "built_at": entry.get("built"),
    }


def _area_page(
    reports: Path,
    area: AreaInfo,
    cat: Catalogue,
    state: Mapping[str, Any],
    inputs: Inputs,
    prefix: str,
) -> str:
    entries = state.get("notebooks") or {}
    without = state.get("files_without_rows") or ()
    cards = [_card(s, entries.get(s.name), prefix, inputs, without) for s in cat.notebooks]
    run_ids = sorted({c["run_id"] for c in cards if c["run_id"]})
    return (
        _index_env()
        .get_template("pack_index.html.j2")
        .render(
            kind="pack",
            title=f"{area.name}: {cat.title}",
            area=area,
            cards=cards,
            demo=inputs.demo,
            demo_status=DEMO_STATUS,
            releases=[]
            if inputs.demo
            else releases(
                [
                    f
                    for f in inputs.manifest.get("files", [])
                    if Path(str(f.get("name", ""))).name not in {Path(str(n)).name for n in without}
                ]
            ),
            run_ids=run_ids,
            updated=state.get("updated"),
            package_version=__version__,
            css=_css(),
        )
    )


def _css() -> str:
    from .export import house_css

    try:
        return house_css("board")
    except OSError:
        return ""


def area_index(
    reports: Path, area: AreaInfo, cat: Catalogue, state: dict[str, Any], inputs: Inputs
) -> str:
    """An area's ``index.html`` from its ``state`` (which gains the area, the data
    status and the pack title)."""
    state.setdefault("area", dataclasses.asdict(area))
    state["demo"] = inputs.demo
    state["pack_title"] = f"{area.name}: {cat.title}"
    return _area_page(reports, area, cat, state, inputs, "")


def write_area_index(
    reports: Path,
    area: AreaInfo,
    cat: Catalogue,
    state: dict[str, Any],
    inputs: Inputs,
    *,
    force: bool,
) -> None:
    path = reports / area.code / "index.html"
    if force or not path.exists():
        atomic_write(path, area_index(reports, area, cat, state, inputs))
        state_path = reports / area.code / STATE_FILE
        if state.get("notebooks") or not state_path.exists():
            atomic_write_json(state_path, state)


def root_index(
    reports: Path,
    cat: Catalogue,
    states: Mapping[str, Mapping[str, Any]] | None = None,
    area_pages: Mapping[str, str] | None = None,
) -> str | None:
    """``reports/index.html``: the pack itself when the folder holds one area, else a
    list of the areas (each with its data status and a link to its pack); None when
    the folder holds no pack yet.

    ``states`` and ``area_pages`` (by area code) stand in for the ``pack.json`` and
    ``index.html`` on disk: a run renders the root index from what it is about to
    commit, so that the index never describes pages that are not in place.
    """
    states = dict(states or {})
    area_pages = dict(area_pages or {})
    found: dict[str, Mapping[str, Any]] = {}
    for state_path in sorted(reports.glob(f"*/{STATE_FILE}")):
        state = read_json(state_path) or {}
        if isinstance(state, dict) and state.get("area"):
            found[state_path.parent.name] = state
    found.update({code: st for code, st in states.items() if st.get("area")})
    packs = [found[code] for code in sorted(found)]
    if not packs:
        return None
    if len(packs) == 1:
        code = packs[0]["area"]["code"]
        page = area_pages.get(code)
        if page is None:
            page = (reports / code / "index.html").read_text(encoding="utf-8")
        return _rebase_links(page, f"{code}/")
    areas = []
    for st in packs:
        nbs = st.get("notebooks") or {}
        areas.append(
            {
                "code": st["area"]["code"],
                "name": st["area"]["name"],
                "level": st["area"].get("level", ""),
                "href": f"{st['area']['code']}/index.html",
                "demo": bool(st.get("demo")),
                "built": sum(1 for e in nbs.values() if e.get("run_id")),
                "failed": sum(1 for e in nbs.values() if e.get("status") == "failed"),
                "total": len(cat.notebooks),
                "updated": st.get("updated"),
            }
        )
    page = (
        _index_env()
        .get_template("pack_index.html.j2")
        .render(
            kind="areas",
            title=cat.title,
            areas=areas,
            demo=any(a["demo"] for a in areas),
            demo_status=DEMO_STATUS,
            package_version=__version__,
            css=_css(),
        )
    )
    return page


def write_root_index(reports: Path, cat: Catalogue, *, rewrite: bool) -> None:
    """Write ``reports/index.html`` (:func:`root_index`) if missing or ``rewrite``."""
    path = reports / "index.html"
    if path.exists() and not rewrite:
        return
    page = root_index(reports, cat)
    if page is not None:
        atomic_write(path, page)


def _rebase_links(page: str, prefix: str) -> str:
    """Prefix the pack-relative links of an area index so it works from ``reports/``."""
    return re.sub(
        r'href="(?!https?:|#|/|mailto:)([^"]+)"',
        lambda m: f'href="{html.escape(prefix, quote=True)}{m.group(1)}"',
        page,
    )


__all__ = ["area_index", "root_index", "write_area_index", "write_root_index"]
