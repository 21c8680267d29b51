"""Write lis_analysis/data/counties.yaml from the hierarchy printed in an ASHE table.

No county lookup is among the published files the suite reads, but ASHE's Tables 7 and 8
print every county (E10) and metropolitan county (E11) followed by its districts, indented
by two spaces. This script reads that hierarchy from the "All" sheet of a Table 7 or 8
workbook and writes it as package data; ``tests/test_counties.py`` checks the file still
matches the real workbook. Usage::

    python tools/counties_from_ashe.py "../shared/data/public/earnings/PROV - Work Geography Table 7.1a   Weekly pay - Gross 2024.xlsx"
"""

from __future__ import annotations

import sys
from pathlib import Path

import python_calamine as pc


def counties(path: Path) -> dict[str, tuple[str, list[tuple[str, str]]]]:
    """County code -> (name, [(district code, district name)]) from the sheet's indents."""
    rows = pc.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("All").to_python()
    out: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    cur = None
    for r in rows[5:]:
        name, code = str(r[0]), str(r[1]).strip()
        if not code:
            continue
        if not name.startswith(" "):
            cur = code if code[:3] in ("E10", "E11") else None
            if cur:
                out[cur] = (name.strip(), [])
        elif cur:
            out[cur][1].append((code, name.strip()))
    return out


def main(path: str) -> None:
    found = counties(Path(path))
    lines = [
        "# Counties (E10) and metropolitan counties (E11) of England and their districts, as",
        "# printed in the hierarchy of ONS ASHE Table 7.1a 2024 (provisional), sheet All: each",
        "# county row is followed by its districts, indented. Written by",
        "# tools/counties_from_ashe.py; tests/test_counties.py checks it against that workbook.",
        f"# Source file: {Path(path).name}",
        "counties:",
    ]
    for code, (name, kids) in found.items():
        lines.append(f"  {code}:")
        lines.append(f"    name: {name}")
        lines.append("    members:")
        lines += [f"      - {c}  # {n}" for c, n in kids]
    out = Path(__file__).resolve().parents[1] / "lis_analysis" / "data" / "counties.yaml"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(found)} counties written to {out}")


if __name__ == "__main__":
    main(sys.argv[1])
