"""Cell fill colours of an .xlsx workbook, read straight from its XML (no openpyxl).

python-calamine reads values only. Some publishers carry information in cell colour (ASHE
shades estimates by their coefficient of variation). Opening the workbook with openpyxl
costs about a second per file; reading ``styles.xml`` and scanning each sheet's XML for
the style index of every cell costs a few tens of milliseconds, so that is what this
module does. It only *reads*: the file is opened read-only and never modified.

The answer is deliberately forgiving: anything unexpected in the XML (a legacy .xls, a
missing part, an odd attribute order) gives "no fills known" rather than an error, and
callers treat an unknown fill as "no information" (never as a data error).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

_NS = {
    "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
#: ``<c r="D12" s="56" ...>``: Excel and xlsxwriter both write ``r`` then ``s``.
_CELL_RE = re.compile(rb'<c r="([A-Z]{1,3})(\d+)" s="(\d+)"')
#: Fills that mean "no fill" (Excel's two mandatory defaults).
_NO_FILL = {"none", "gray125"}


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n - 1


def _fill_key(fill: ET.Element) -> str:
    """A canonical text for one ``<fill>``: pattern type plus foreground/background colour
    attributes, so that two identical-looking fills with different ids compare equal."""
    pf = fill.find("m:patternFill", _NS)
    if pf is None:  # gradient fills: keep their XML as the key
        return ET.tostring(fill, encoding="unicode")
    parts = [pf.get("patternType", "none")]
    for tag in ("fgColor", "bgColor"):
        c = pf.find(f"m:{tag}", _NS)
        if c is not None:
            parts.append(tag + ":" + ",".join(f"{k}={v}" for k, v in sorted(c.attrib.items())))
    return "|".join(parts)


def _sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> path of its XML part inside the package."""
    book = ET.fromstring(z.read("xl/workbook.xml"))
    rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    target = {r.get("Id"): r.get("Target", "") for r in rels.findall("rel:Relationship", _NS)}
    out = {}
    for s in book.findall("m:sheets/m:sheet", _NS):
        t = target.get(s.get(f"{{{_NS['r']}}}id"), "")
        t = t.lstrip("/")
        out[s.get("name", "")] = t if t.startswith("xl/") else "xl/" + t
    return out


def cell_fills(path: str | Path, sheets: list[str]) -> dict[str, dict[tuple[int, int], str]]:
    """For each named sheet, ``{(row, col): fill key}`` (0-based) of every cell that has a
    fill other than "none". Sheets that cannot be read are absent from the answer."""
    out: dict[str, dict[tuple[int, int], str]] = {}
    try:
        with zipfile.ZipFile(path) as z:
            styles = ET.fromstring(z.read("xl/styles.xml"))
            fills = [_fill_key(f) for f in styles.findall("m:fills/m:fill", _NS)]
            xf_fill: list[str | None] = []
            for xf in styles.findall("m:cellXfs/m:xf", _NS):
                i = int(xf.get("fillId", "0"))
                key = fills[i] if i < len(fills) else None
                xf_fill.append(None if key is None or key.split("|")[0] in _NO_FILL else key)
            parts = _sheet_parts(z)
            for name in sheets:
                part = parts.get(name)
                if part is None or part not in z.namelist():
                    continue
                found: dict[tuple[int, int], str] = {}
                for col, row, s in _CELL_RE.findall(z.read(part)):
                    si = int(s)
                    key = xf_fill[si] if si < len(xf_fill) else None
                    if key is not None:
                        found[(int(row) - 1, _col_index(col))] = key
                out[name] = found
    except (zipfile.BadZipFile, KeyError, ET.ParseError, ValueError, OSError):
        return {}
    return out
