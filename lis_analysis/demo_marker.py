"""The demonstrator folder's marker, kept light (standard library only) so that ``lis run``
can check the demonstrator without importing the generator.

``DEMONSTRATOR.txt`` says the folder is synthetic, which generator wrote it (a fingerprint
of ``lis_analysis/demo``'s code) and which files it holds; a folder written by another
version, or missing a file, is not current and is rebuilt on next use.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

DEMO_MARKER = "DEMONSTRATOR.txt"
_GENERATOR = Path(__file__).resolve().parent / "demo"
#: Data the generator writes from: the ELS declarations (measure ids, printed units).
_GENERATOR_DATA = (Path(__file__).resolve().parent / "data" / "els_measures.yaml",)


def fingerprint() -> str:
    """A hash of the demonstrator's generator code and the data it writes from: it
    changes when the data would."""
    h = hashlib.sha256()
    for f in [*sorted(_GENERATOR.glob("*.py")), *_GENERATOR_DATA]:
        h.update(f.name.encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def marker_tail(files: list[str]) -> str:
    """The lines the marker ends with: the generator and the files (folder-relative)."""
    listing = "".join(f"  - {rel}\n" for rel in sorted(files))
    return f"generator: {fingerprint()}\nfiles:\n{listing}"


def is_current(folder: str | Path) -> bool:
    """Whether ``folder`` holds a complete demonstrator written by this version."""
    marker = Path(folder) / DEMO_MARKER
    if not marker.exists():
        return False
    lines = marker.read_text(encoding="utf-8").splitlines()
    if f"generator: {fingerprint()}" not in lines:
        return False
    listed = [ln[4:] for ln in lines if ln.startswith("  - ")]
    return bool(listed) and all((Path(folder) / rel).is_file() for rel in listed)
