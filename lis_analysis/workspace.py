"""Which raw folders a command or notebook uses, and the store that holds them.

With no ``--raw``, commands use ``data/raw`` and, where that holds no data file, the
demonstrator data (written to ``data/demo`` on first use). Economists and notebooks reach
this through the face (``lis.load``, :mod:`lis_analysis.api`), which holds the session.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from . import store
from ._files import shipped_store
from .config import Paths, paths

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Workspace:
    """A resolved set of raw folders and the store built from them."""

    raw_dirs: tuple[Path, ...]
    processed: Path
    demo: bool
    paths: Paths
    #: the store is a copy shipped by ``lis run --executor dask`` (read only: the raw
    #: folders are on the client's machine, which ingested them before shipping)
    shipped: bool = False

    def ingest(self, *, jobs: int = 1, force: bool = False) -> store.IngestReport:
        """Bring the store up to date with the raw folders (fast when nothing changed)."""
        if self.shipped:
            return store.IngestReport(self.processed, [], 0, 0.0, changed=False, demo=self.demo)
        return store.ingest(
            self.raw_dirs, self.processed, parts_root=self.paths.processed, jobs=jobs, force=force
        )

    def observations(self) -> pd.DataFrame:
        return store.read_observations(self.processed)

    def lookups(self) -> pd.DataFrame:
        return store.read_lookups(self.processed)

    def manifest(self) -> dict:
        return store.read_manifest(self.processed) or {}


def _has_data(folder: Path) -> bool:
    return folder.is_dir() and bool(store.list_raw_files([folder]))


def ensure_demo(p: Paths | None = None) -> Path:
    """The demonstrator folder, generated on first use (deterministic, a few seconds) and
    rebuilt when it was written by another version of the generator or lost a file."""
    from .demo import write_demo
    from .demo_marker import is_current

    p = p or paths()
    if not is_current(p.demo_raw):
        log.info("writing the demonstrator data to %s", p.demo_raw)
        write_demo(p.demo_raw)
    return p.demo_raw


def workspace(
    raw: Sequence[str | Path] | str | Path | None = None, *, p: Paths | None = None
) -> Workspace:
    """Resolve raw folders: the given ones, else ``data/raw`` if it holds data, else the
    demonstrator (generated if missing)."""
    p = p or paths()
    if isinstance(raw, (str, Path)):
        raw = [raw]
    if raw:
        dirs = tuple(Path(d).resolve() for d in raw)
    elif _has_data(p.raw):
        dirs = (p.raw.resolve(),)
    else:
        dirs = (ensure_demo(p).resolve(),)
    shipped = shipped_store(dirs)
    if shipped is not None:  # a Dask worker: the client's store, shipped with the run
        demo = bool((store.read_manifest(shipped) or {}).get("demo"))
        return Workspace(raw_dirs=dirs, processed=shipped, demo=demo, paths=p, shipped=True)
    demo = all(store.is_demo_folder(d) for d in dirs)
    processed = store.processed_dir_for(dirs, p.processed, p.raw)
    return Workspace(raw_dirs=dirs, processed=processed, demo=demo, paths=p)
