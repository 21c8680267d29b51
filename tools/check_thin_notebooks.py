"""pre-commit hook: notebooks stay thin (no def, no class); see tests/test_notebooks_thin.py."""

from __future__ import annotations

import re
import sys
from pathlib import Path

PATTERN = re.compile(r'^[\s"]*(def|class|async def) [A-Za-z_]', re.MULTILINE)


def main(argv: list[str]) -> int:
    bad = [p for p in argv if PATTERN.search(Path(p).read_text(encoding="utf-8"))]
    for p in bad:
        print(f"{p}: defines a function or class; move it into lis_analysis/ and call it")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
