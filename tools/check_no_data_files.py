"""pre-commit hook: refuse data files outside tests/fixtures/ (raw and processed data are
never committed; published files are read from data/raw or ../shared)."""

from __future__ import annotations

import sys
from pathlib import PurePosixPath

DATA_SUFFIXES = {
    ".csv", ".xls", ".xlsx", ".xlsm", ".ods", ".parquet", ".feather", ".json", ".zip",
    ".gz", ".pkl", ".pickle", ".sav", ".dta", ".rds", ".h5", ".sqlite", ".db",
}
#: Small configuration files that happen to share a suffix with data.
ALLOWED = {"package.json", "package-lock.json", ".vscode/settings.json"}


def offending(paths: list[str]) -> list[str]:
    bad = []
    for p in paths:
        path = PurePosixPath(p)
        if path.suffix.lower() not in DATA_SUFFIXES or path.name in ALLOWED or p in ALLOWED:
            continue
        if path.parts[:2] == ("tests", "fixtures"):
            continue
        if path.parts[:1] == ("benchmarks",) and path.parts[1:2] == ("results",) and path.suffix == ".json":
            continue  # benchmark figures, written by `make bench`
        bad.append(p)
    return bad


def main(argv: list[str]) -> int:
    bad = offending(argv)
    for p in bad:
        print(f"{p}: data files belong in data/raw (not committed) or tests/fixtures/, not in git")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
