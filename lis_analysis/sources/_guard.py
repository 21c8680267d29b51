"""What a raw file must satisfy before any of its cells is read: sizes and sheet extents.

python-calamine, which reads the workbooks, aborts the whole process (a Rust allocation
failure, exit 134: no Python ``except`` can catch it) when a sheet's cells span a huge
rectangle: it allocates 32 bytes for every cell of the rectangle from the first to the
last cell, so one value in A1 and one in XFD1048576 of a 15 KB file ask for 550 GB. A
sheet whose XML unpacks to gigabytes, or a shared-strings part of that size, exhausts
memory the same way. Large CSVs are read whole (about 20 times their size in memory).
So, before calamine or the CSV reader sees a file, this module checks:

- the file's size against the parser's limit (:data:`MAX_WORKBOOK_BYTES`,
  :data:`MAX_CSV_BYTES`; parsers may set their own);
- for an .xlsx (a zip), the number of members and each member's declared uncompressed
  size and their total (calamine's zip reader refuses to read past a declared size, so
  the declared sizes bound what it can unpack);
- for each sheet when it is first read, the ``<dimension>`` it declares and the rectangle
  its cells actually span, against :data:`MAX_SHEET_CELLS`.

An .xls (BIFF) workbook is checked for size only: its cells sit in an OLE2 container
whose records this package does not parse. The BIFF8 format itself caps a sheet at
65,536 rows and 256 columns, and :data:`MAX_XLS_BYTES` is kept small.

Every limit is set far above the largest real published file (measured on the files in
``../shared/data/public`` and ``../shared/data/els``, December 2026; see each constant),
and a refusal is an :class:`~lis_analysis.errors.InputError` naming the file, the sheet
where there is one, and the limit.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from typing import BinaryIO

from ..errors import InputError

MB = 1 << 20

#: Largest workbook file read (bytes). The largest real ones are 2.8 MB
#: (ukpopestimatesmid2020on2021geography.xls) and 2.2 MB (the South East GVA .xlsx):
#: a margin of more than 20 times.
MAX_WORKBOOK_BYTES = 64 * MB
#: Largest legacy .xls read. Only its size can be checked (see the module docstring);
#: the largest real one is 2.8 MB, a margin of more than 10 times.
MAX_XLS_BYTES = 32 * MB
#: Largest uncompressed member of an .xlsx (a sheet's XML, the shared strings). The
#: largest real one is 3.8 MB (sheet7.xml of the South East GVA workbook): 33 times.
MAX_XML_MEMBER_BYTES = 128 * MB
#: Largest total uncompressed size of an .xlsx. The largest real one is 14.8 MB (the
#: South East GVA workbook): 34 times.
MAX_XML_TOTAL_BYTES = 512 * MB
#: Most members in an .xlsx. The largest real count is 189 (subnatindicators.xlsx).
MAX_ZIP_MEMBERS = 10_000
#: Largest rectangle of cells (rows x columns, from the first to the last cell) a sheet
#: may span. The largest real sheet spans 97,278 cells (3,138 rows x 31 columns, the
#: South East GVA tables): 100 times. calamine holds 32 bytes per cell of the rectangle,
#: so this caps one sheet at about 320 MB.
MAX_SHEET_CELLS = 10_000_000
#: Largest CSV read (bytes). The largest real ones are 3.6 MB
#: (personal-wellbeing-estimates.csv) and 2.1 MB (business-demography.csv): 17 times.
#: Reading takes about 20 times the file's size in memory (a 32 MB ELS CSV peaked at
#: 0.63 GB), so this keeps a file under about 1.3 GB.
MAX_CSV_BYTES = 64 * MB
#: Largest JSON metadata file read (an ELS CSV's companion). The largest real one is
#: 11 KB (business-demography.json).
MAX_JSON_BYTES = 4 * MB

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _mb(n: int) -> str:
    return f"{n / MB:,.1f} MB" if n < 10 * MB else f"{n / MB:,.0f} MB"


def check_size(path: Path, limit: int, what: str) -> int:
    """The file's size in bytes; an :class:`InputError` when it is above ``limit``."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(path, f"cannot read the file ({exc.strerror or exc})") from None
    if size > limit:
        raise InputError(
            path,
            f"the file is {_mb(size)}, above the limit of {_mb(limit)} for {what} "
            "(a safety limit far above the largest published file; is this the right file?)",
        )
    return size


def workbook_kind(head: bytes) -> str:
    """``xlsx`` (a zip), ``xls`` (an OLE2 compound file) or ``other``, from the first bytes."""
    if head.startswith(_ZIP_MAGIC):
        return "xlsx"
    if head.startswith(_OLE_MAGIC):
        return "xls"
    return "other"


# --------------------------------------------------------------------------------------
# .xlsx: the zip container
# --------------------------------------------------------------------------------------

_NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_NS_PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


class XlsxGuard:
    """The zip checks of one .xlsx, and the extent check of each sheet before it is read.

    Parameters
    ----------
    path : the file (named in errors)
    stream : the file's bytes, opened as a binary stream (the same bytes calamine reads)
    """

    def __init__(self, path: Path, stream: BinaryIO) -> None:
        self.path = path
        try:
            self.zip = zipfile.ZipFile(stream)
            infos = self.zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
            raise InputError(
                path, f"cannot read the workbook (truncated or not an Excel file): {exc}"
            ) from None
        if len(infos) > MAX_ZIP_MEMBERS:
            raise InputError(
                path,
                f"the workbook holds {len(infos):,} parts, above the limit of {MAX_ZIP_MEMBERS:,}",
            )
        names: set[str] = set()
        total = 0
        for info in infos:
            if info.filename in names:
                # Two parts of one name: the readers may not pick the same one.
                raise InputError(path, f"the workbook holds two parts named {info.filename!r}")
            names.add(info.filename)
            if info.file_size > MAX_XML_MEMBER_BYTES:
                raise InputError(
                    path,
                    f"part {info.filename!r} unpacks to {_mb(info.file_size)}, above the limit of "
                    f"{_mb(MAX_XML_MEMBER_BYTES)} for one part of a workbook",
                )
            total += info.file_size
        if total > MAX_XML_TOTAL_BYTES:
            raise InputError(
                path,
                f"the workbook unpacks to {_mb(total)}, above the limit of {_mb(MAX_XML_TOTAL_BYTES)}",
            )
        if "xl/workbook.xml" not in names:
            # calamine would try the zip as an .xlsb or an OpenDocument file, whose cell
            # positions this module cannot check.
            raise InputError(
                path, "not an .xlsx workbook (no xl/workbook.xml part; .xlsb and .ods are not read)"
            )
        self._names = names
        self._parts: dict[str, str] | None = None
        self._checked: set[str] = set()

    def _sheet_parts(self) -> dict[str, str]:
        """Sheet name -> the XML part that holds it (as calamine finds it: workbook.xml
        names the sheets, its relationships point at the parts)."""
        if self._parts is None:
            from xml.etree import ElementTree as ET

            out: dict[str, str] = {}
            try:
                book = ET.fromstring(self.zip.read("xl/workbook.xml"))
                rels = ET.fromstring(self.zip.read("xl/_rels/workbook.xml.rels"))
                target = {
                    r.get("Id"): r.get("Target", "")
                    for r in rels.iter(f"{{{_NS_PKG}}}Relationship")
                }
                for s in book.iter(f"{{{_NS_MAIN}}}sheet"):
                    t = target.get(s.get(f"{{{_NS_REL}}}id"), "") or ""
                    # relative to xl/ unless absolute ('/xl/worksheets/sheet1.xml')
                    t = t.lstrip("/") if t.startswith("/") else posixpath.join("xl", t)
                    out[s.get("name", "")] = posixpath.normpath(t)
            except (KeyError, ET.ParseError, zipfile.BadZipFile, OSError):
                out = {}
            self._parts = out
        return self._parts

    def check_sheet(self, sheet: str) -> None:
        """Refuse the sheet if its declared or actual extent is above :data:`MAX_SHEET_CELLS`."""
        parts = self._sheet_parts()
        part = parts.get(sheet)
        if part is None or part not in self._names:
            # Where the sheet lives is not clear: check every XML part that could be one.
            todo = sorted(
                n
                for n in self._names
                if n.lower().endswith(".xml")
                and not n.startswith(("docProps/", "_rels/", "[Content_Types]"))
                and "/_rels/" not in n
            )
        else:
            todo = [part]
        for name in todo:
            if name in self._checked:
                continue
            try:
                data = self.zip.read(name)
            except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as exc:
                raise InputError(
                    self.path, f"cannot read the workbook part {name!r}: {exc}", sheet=sheet
                ) from None
            self._check_xml(data, sheet)
            self._checked.add(name)

    # -- the extent of a sheet ----------------------------------------------------------

    def _check_xml(self, data: bytes, sheet: str) -> None:
        m = _DIMENSION_RE.search(data, 0, 4096)
        if m:
            box = _ref_box(m.group(1))
            if box is not None and box[0] * box[1] > MAX_SHEET_CELLS:
                raise InputError(
                    self.path,
                    f"the sheet declares a used range of {m.group(1).decode('ascii', 'replace')} "
                    f"({box[0]:,} rows x {box[1]:,} columns), above the limit of "
                    f"{MAX_SHEET_CELLS:,} cells",
                    sheet=sheet,
                )
        rows, cols = _cell_extent(data)
        if rows * cols > MAX_SHEET_CELLS:
            raise InputError(
                self.path,
                f"the sheet's cells span {rows:,} rows x {cols:,} columns, above the limit of "
                f"{MAX_SHEET_CELLS:,} cells (a stray value far from the table?)",
                sheet=sheet,
            )


_DIMENSION_RE = re.compile(rb'<(?:\w+:)?dimension\s+ref\s*=\s*["\']([^"\']{1,40})["\']')
_REF_RE = re.compile(rb"\$?([A-Za-z]{1,4})\$?([0-9]{1,8})$")
#: The fast path: is there any cell tag that is not exactly ``<c r="`` followed by one or
#: two letters and a row number below 10,000? Such sheets span at most 702 columns x
#: 9,999 rows (7 million cells, under the limit) and need nothing more. xlsxwriter, Excel
#: and the ONS files all write cells this way, so one scan decides for them.
_UNUSUAL_CELL_RE = re.compile(rb'<c(?=[\s/>])(?! r="[A-Z]{1,2}[1-9][0-9]{0,3}")')
#: A cell tag with a namespace prefix (``<x:c r=...>``), which calamine reads as a cell.
_PREFIXED_CELL_RE = re.compile(rb":c[\s/>]")
#: Every row or cell start tag, with or without a namespace prefix (the slow, exact path).
_TAG_RE = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?(row|c)(?=[\s/>])([^>]*)>")
_R_ATTR_RE = re.compile(rb"""(?:^|\s)r\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + (ch - 64)
    return n


def _ref_box(ref: bytes) -> tuple[int, int] | None:
    """(rows, columns) of a range reference ``A1:XFD1048576`` (or one cell ``B2``)."""
    ends = ref.split(b":")
    cells = []
    for e in ends[:2]:
        m = _REF_RE.match(e.strip())
        if not m:
            return None
        cells.append((int(m.group(2)), _column_number(m.group(1))))
    if len(cells) == 1:
        cells.append(cells[0])
    (r0, c0), (r1, c1) = cells
    return abs(r1 - r0) + 1, abs(c1 - c0) + 1


def _cell_extent(data: bytes) -> tuple[int, int]:
    """An upper bound of the (rows, columns) the sheet's cells span from A1, as calamine
    places them: a cell's ``r`` attribute, else the next column of its row; a row's ``r``,
    else the next row."""
    if not _PREFIXED_CELL_RE.search(data) and not _UNUSUAL_CELL_RE.search(data):
        return 1, 1  # every cell is within A1:ZZ9999 (under the limit; see above)
    max_row = max_col = 0
    row = 0
    col = 0
    for m in _TAG_RE.finditer(data):
        attrs = m.group(2)
        r = _R_ATTR_RE.search(attrs)
        ref = (r.group(1) if r.group(1) is not None else r.group(2)) if r else None
        if m.group(1) == b"row":
            row = int(ref) if ref is not None and ref.strip().isdigit() else row + 1
            col = 0
        elif ref is not None:
            cm = _REF_RE.match(ref.strip())
            if cm is None:
                # calamine cannot place it either; count it as far as its text could reach
                col += 1
            else:
                row = max(row, 1)
                col = _column_number(cm.group(1))
                max_row = max(max_row, int(cm.group(2)))
        else:
            col += 1
        max_row = max(max_row, row)
        max_col = max(max_col, col)
    return max(max_row, 1), max(max_col, 1)
