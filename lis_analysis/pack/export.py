"""Board-pack pages: an executed notebook to one offline, accessible HTML page (nbconvert).

:func:`render_html` / :func:`export_html` turn an executed notebook into a page with the
templates in ``lis_analysis/pack/templates/`` (``board``: no code; ``analyst``: with
code), through nbconvert's :class:`~nbconvert.HTMLExporter` in this process;
``export_html`` writes it atomically. Pages make no network request: the templates drop
require.js, MathJax, mermaid and the widget loader that nbconvert's ``lab`` template
fetches from CDNs, and images are embedded as data URIs. :func:`external_references`
finds anything that would fetch. (The tables on the pages come from
:func:`lis_analysis.pages.tables.table`, which notebooks call.)

Notebook metadata the templates read (``nb.metadata["lis"]``, set by the run; every
key optional; :func:`page_metadata` validates it and ``export_html`` keyword arguments
override it)::

    {
      "schema": 1,
      "demo": true,                       # demonstrator data: banner on the page
      "title": "Productivity overview",   # page title (else the first # heading)
      "pack_title": "Leicester and Leicestershire: Local Industrial Strategy evidence",
      "area": {"code": "E37000021", "name": "Leicester and Leicestershire"},
      "run_id": "20261124T181500Z-3f2a",
      "generated": "2026-11-24T18:15:00Z",  # ISO 8601
      "git_commit": "bf7ee79",
      "package_version": "0.1.0",
      "parameters": {"area": "E37000021", "years": [2012, 2022]},
      "inputs": [{"name": "productivity/labourproductivityitls.xls",
                  "sha256": "9f1c...", "release": "2024-06-19"}],
      "nav": [{"title": "Overview", "href": "index.html"}, ...],
      "index_href": "index.html",
      "data_status": "Demonstrator data (synthetic)"   # free text shown in the footer
    }

Cells tagged ``remove-cell`` are left out of both pages; ``remove-input`` hides a cell's
code and ``remove-output`` its outputs; ``analyst-only`` cells are left out of the board
page; ``board-only`` cells are left out of the analyst page.
"""

from __future__ import annotations

import html
import logging
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from .._files import atomic_write
from ..errors import ConfigError

log = logging.getLogger(__name__)

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
VARIANTS = ("board", "analyst")
DEMO_BANNER = "DEMONSTRATOR DATA \u2014 synthetic, not official statistics"

# --------------------------------------------------------------------------------------
# Page metadata
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NavItem:
    title: str
    href: str


def _nav_items(nav: Any, where: str) -> list[NavItem]:
    items: list[NavItem] = []
    for i, it in enumerate(nav or []):
        if isinstance(it, NavItem):
            items.append(it)
        elif isinstance(it, Mapping) and "title" in it and "href" in it:
            items.append(NavItem(str(it["title"]), str(it["href"])))
        elif isinstance(it, Sequence) and not isinstance(it, str) and len(it) == 2:
            items.append(NavItem(str(it[0]), str(it[1])))
        else:
            raise ConfigError(f"{where}: navigation item {i + 1} must be (title, href), got {it!r}")
        href = items[-1].href
        if re.match(r"^\s*(https?:|//|javascript:)", href, re.IGNORECASE):
            raise ConfigError(
                f"{where}: navigation link {href!r} must be a relative link within the pack"
            )
    return items


def page_metadata(
    nb_meta: Mapping[str, Any] | None, *, where: str = "notebook metadata 'lis'"
) -> dict[str, Any]:
    """Validate and normalise ``nb.metadata["lis"]`` (see the module docstring).

    Raises
    ------
    ConfigError
        naming the key that has the wrong type.
    """
    m = dict(nb_meta or {})
    out: dict[str, Any] = {}

    def text(key: str) -> str | None:
        v = m.get(key)
        if v is None:
            return None
        if not isinstance(v, str | int | float):
            raise ConfigError(f"{where}: '{key}' must be text, got {type(v).__name__}")
        return str(v)

    demo = m.get("demo", False)
    if not isinstance(demo, bool):
        raise ConfigError(f"{where}: 'demo' must be true or false, got {demo!r}")
    out["demo"] = demo
    for key in (
        "title",
        "pack_title",
        "run_id",
        "generated",
        "git_commit",
        "package_version",
        "index_href",
        "data_status",
    ):
        out[key] = text(key)
    area = m.get("area")
    if area is not None and not isinstance(area, Mapping):
        raise ConfigError(f"{where}: 'area' must be a mapping with 'code' and 'name'")
    out["area"] = (
        {"code": str((area or {}).get("code", "")), "name": str((area or {}).get("name", ""))}
        if area
        else None
    )
    params = m.get("parameters", {})
    if not isinstance(params, Mapping):
        raise ConfigError(f"{where}: 'parameters' must be a mapping")
    out["parameters"] = [(str(k), _param_text(v)) for k, v in params.items()]
    inputs = m.get("inputs", [])
    if not isinstance(inputs, list):
        raise ConfigError(f"{where}: 'inputs' must be a list of {{name, sha256, release}}")
    norm_inputs = []
    for i, it in enumerate(inputs):
        if not isinstance(it, Mapping) or "sha256" not in it:
            raise ConfigError(
                f"{where}: inputs[{i}] must be a mapping with at least 'name' and 'sha256'"
            )
        norm_inputs.append(
            {
                "name": str(
                    it.get("name") or it.get("path") or it.get("dataset") or f"input {i + 1}"
                ),
                "sha256": str(it["sha256"]),
                "release": str(it.get("release") or ""),
            }
        )
    out["inputs"] = norm_inputs
    out["nav"] = _nav_items(m.get("nav"), where)
    return out


def _param_text(v: Any) -> str:
    if isinstance(v, list | tuple):
        return ", ".join(map(str, v))
    if isinstance(v, Mapping):
        return "; ".join(f"{k}: {_param_text(x)}" for k, x in v.items())
    return str(v)


# --------------------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------------------

_HEADING_MD = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")


def _markdown_headings(nb: Any) -> list[tuple[int, str]]:
    """(level, text) of the markdown headings in cell order, outside fenced code."""
    found: list[tuple[int, str]] = []
    for cell in nb.cells:
        if cell.get("cell_type") != "markdown":
            continue
        in_fence = False
        for line in str(cell.get("source", "")).splitlines():
            if _FENCE.match(line):
                in_fence = not in_fence
                continue
            if in_fence:
                continue
            m = _HEADING_MD.match(line)
            if m:
                found.append((len(m.group(1)), m.group(2).strip()))
                continue
            h = re.match(r"\s*<h([1-6])[^>]*>(.*?)</h\1>", line, re.IGNORECASE)
            if h:
                found.append((int(h.group(1)), re.sub(r"<[^>]+>", "", h.group(2)).strip()))
    return found


def _strip_md(text: str) -> str:
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"[*_`]", "", text).strip()


@lru_cache(maxsize=4)
def _exporter(variant: str) -> Any:
    """One configured HTMLExporter per variant per process (template loading is not free)."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    c = Config()
    c.TagRemovePreprocessor.enabled = True
    remove_cell = {"remove-cell", "remove_cell", "hide-cell"}
    remove_cell |= {"analyst-only"} if variant == "board" else {"board-only"}
    c.TagRemovePreprocessor.remove_cell_tags = remove_cell
    c.TagRemovePreprocessor.remove_input_tags = {"remove-input", "remove_input", "hide-input"}
    c.TagRemovePreprocessor.remove_all_outputs_tags = {
        "remove-output",
        "remove_output",
        "hide-output",
    }
    board = variant == "board"
    exporter = HTMLExporter(
        config=c,
        template_name=variant,
        extra_template_basedirs=[str(TEMPLATES_DIR)],
        extra_template_paths=[str(TEMPLATES_DIR)],
        exclude_input=board,
        exclude_input_prompt=board,
        exclude_output_prompt=board,
        embed_images=True,
        anchor_link_text="\u00b6",
    )
    return exporter


_H_TAG = re.compile(r"<h([1-6])\b([^>]*)>(.*?)</h\1>", re.IGNORECASE | re.DOTALL)
_ID_ATTR = re.compile(r'\bid="([^"]+)"')


def _contents_html(body: str) -> str:
    """A contents list of the page's level-two headings (links to their ids)."""
    items = []
    for m in _H_TAG.finditer(body):
        if m.group(1) != "2":
            continue
        idm = _ID_ATTR.search(m.group(2))
        if not idm or idm.group(1) == "lis-contents-title":
            continue
        inner = re.sub(r'<a class="anchor-link"[^>]*>.*?</a>', "", m.group(3), flags=re.DOTALL)
        text = html.unescape(re.sub(r"<[^>]+>", "", inner)).strip()
        if text:
            items.append(f'<li><a href="#{idm.group(1)}">{html.escape(text)}</a></li>')
    if len(items) < 2:
        return ""
    return (
        '<nav class="lis-contents" aria-labelledby="lis-contents-title">'
        '<h2 id="lis-contents-title" class="lis-contents__title">Contents</h2>'
        f'<ol class="lis-contents__list">{"".join(items)}</ol></nav>'
    )


def render_html(
    notebook: Any,
    *,
    variant: Literal["board", "analyst"] = "board",
    nav: Iterable[tuple[str, str]] | None = None,
    current_href: str | None = None,
    title: str | None = None,
    pack_title: str | None = None,
    demo: bool | None = None,
    metadata: Mapping[str, Any] | None = None,
) -> str:
    """The HTML page for ``notebook`` as a string (see :func:`export_html`)."""
    import nbformat

    if variant not in VARIANTS:
        raise ConfigError(f"variant must be one of {', '.join(VARIANTS)}, got {variant!r}")
    if isinstance(notebook, str | os.PathLike):
        path = Path(notebook)
        nb = nbformat.read(path, as_version=4)
        name = path.stem
        folder = str(path.resolve().parent)  # markdown images are embedded from here
    else:
        nb = nbformat.from_dict(notebook) if isinstance(notebook, dict) else notebook
        name = str(nb.metadata.get("lis", {}).get("title") or "notebook")
        folder = os.getcwd()
    meta_in = dict(nb.metadata.get("lis", {}) or {})
    if metadata:
        meta_in.update(metadata)
    lis = page_metadata(meta_in)
    if nav is not None:
        lis["nav"] = _nav_items(nav, "export_html(nav=...)")
    if demo is not None:
        lis["demo"] = bool(demo)
    if pack_title is not None:
        lis["pack_title"] = pack_title
    headings = _markdown_headings(nb)
    first_h1 = next((_strip_md(t) for lvl, t in headings if lvl == 1), None)
    lis["title"] = (
        title
        or lis["title"]
        or first_h1
        or name.replace("_", " ").replace("-", " ").strip().capitalize()
    )
    # The template prints the page's <h1> unless the notebook starts with its own.
    lis["needs_h1"] = not (headings and headings[0][0] == 1)
    lis["variant"] = variant
    lis["current_href"] = current_href
    lis["demo_banner"] = DEMO_BANNER
    resources = {"lis": lis, "metadata": {"name": name, "path": folder}}
    body, _ = _exporter(variant).from_notebook_node(nb, resources=resources)
    return _insert_contents(body, after_first_h1=not lis["needs_h1"])


_MARKER = "<!--lis:contents-->"
_CELL_DIV = re.compile(r'<div\b[^>]*\bclass="jp-Cell\b')


def _insert_contents(body: str, *, after_first_h1: bool) -> str:
    """Put the contents list where the template left its marker, or, when the notebook
    brings its own ``<h1>``, after the cell that holds it (the title comes first)."""
    start = body.find('id="main-content"')
    end = body.find("</main>", start)
    if start == -1 or end == -1 or _MARKER not in body:
        return body
    contents = _contents_html(body[start:end])
    if not after_first_h1:
        return body.replace(_MARKER, contents, 1)
    body = body.replace(_MARKER, "", 1)
    start = body.find('id="main-content"')
    h1_end = body.find("</h1>", start)
    if h1_end == -1:
        return body
    main_end = body.find("</main>", h1_end)
    nxt = _CELL_DIV.search(body, h1_end, main_end)
    at = nxt.start() if nxt else main_end
    return body[:at] + contents + "\n" + body[at:]


def export_html(
    notebook: str | os.PathLike[str] | Any,
    out_path: str | os.PathLike[str],
    *,
    variant: Literal["board", "analyst"] = "board",
    nav: Iterable[tuple[str, str]] | None = None,
    title: str | None = None,
    pack_title: str | None = None,
    demo: bool | None = None,
    metadata: Mapping[str, Any] | None = None,
    current: str | None = None,
) -> Path:
    """Export an executed notebook to one offline, accessible HTML page.

    Parameters
    ----------
    notebook : path of an ``.ipynb`` file, or a notebook node (``nbformat``)
    out_path : where to write the page; written to a temporary file in the same
        folder then moved into place (``os.replace``), so a reader never sees half a page
    variant : ``"board"`` (no code, no prompts, no warnings) or ``"analyst"`` (with code)
    nav : ``[(title, href), ...]`` the pack's pages for the navigation bar; the entry
        whose href is ``out_path``'s file name is marked as the current page.
        Default: ``metadata["lis"]["nav"]``, else no navigation bar
    title, pack_title, demo : override ``metadata["lis"]`` (see the module docstring)
    metadata : extra ``lis`` metadata merged over the notebook's
    current : the ``nav`` href to mark as the current page (default: ``out_path``'s
        file name; give the board page's href when writing its analyst version)

    Returns
    -------
    Path
        ``out_path``.
    """
    out = Path(out_path)
    page = render_html(
        notebook,
        variant=variant,
        nav=nav,
        current_href=current or out.name,
        title=title,
        pack_title=pack_title,
        demo=demo,
        metadata=metadata,
    )
    atomic_write(out, page)
    log.info("wrote %s (%s, %d kB)", out, variant, len(page) // 1024)
    return out


def house_css(variant: Literal["board", "analyst"] = "board") -> str:
    """The pages' stylesheet (for other pages of the pack, e.g. an index, to match)."""
    css = (TEMPLATES_DIR / "board" / "lis.css").read_text(encoding="utf-8")
    if variant == "analyst":
        css += "\n" + (TEMPLATES_DIR / "analyst" / "analyst.css").read_text(encoding="utf-8")
    return css


# --------------------------------------------------------------------------------------
# Offline check
# --------------------------------------------------------------------------------------

_FETCHING = [
    re.compile(
        r"""\b(?:src|data|poster|action|formaction)\s*=\s*["']?\s*((?:https?:)?//[^"'\s>]+)""",
        re.IGNORECASE,
    ),
    re.compile(r"""\bsrcset\s*=\s*["'][^"']*?((?:https?:)?//[^\s"',]+)""", re.IGNORECASE),
    re.compile(r"""<link\b[^>]*\bhref\s*=\s*["']?\s*((?:https?:)?//[^"'\s>]+)""", re.IGNORECASE),
    re.compile(r"""@import\s+(?:url\()?\s*["']?((?:https?:)?//[^"')\s;]+)""", re.IGNORECASE),
    re.compile(r"""url\(\s*["']?((?:https?:)?//[^"')\s]+)""", re.IGNORECASE),
    re.compile(
        r"""\b(?:import|fetch|importScripts)\s*\(\s*["']((?:https?:)?//[^"']+)""", re.IGNORECASE
    ),
]
_LINK = re.compile(r"""<a\b[^>]*\bhref\s*=\s*["']?\s*((?:https?:)?//[^"'\s>]+)""", re.IGNORECASE)


def external_references(page: str, *, include_links: bool = False) -> list[str]:
    """URLs in an HTML page that a browser would fetch from the network.

    Finds ``src``/``srcset``/``data`` attributes, ``<link href>``, CSS ``@import`` and
    ``url(...)``, and script ``import()``/``fetch()`` pointing at ``http(s)://`` or
    protocol-relative ``//`` addresses. Ordinary ``<a href>`` links to publishers' pages
    fetch nothing until clicked; they are listed only with ``include_links=True``.
    """
    found: list[str] = []
    for rx in _FETCHING:
        found += [m.group(1) for m in rx.finditer(page)]
    if include_links:
        found += [m.group(1) for m in _LINK.finditer(page)]
    return sorted(set(found))


__all__ = [
    "DEMO_BANNER",
    "NavItem",
    "TEMPLATES_DIR",
    "export_html",
    "external_references",
    "house_css",
    "page_metadata",
    "render_html",
]
