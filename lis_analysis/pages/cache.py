"""The results every page of a pack shares: an explicit cache object, owned by its caller.

An area's indicator table and assessment take seconds to compute and every page of its
pack shows parts of them. A :class:`ResultCache` keeps them, keyed by what they depend
on (the input files' checksums, the area and its districts, the run parameters), so
that a page opened again with the same inputs does not compute them again.

Who owns it:

* the session (:class:`lis_analysis.api.Session`) holds one in memory. Under ``lis run`` the
  kernel template fills it before it forks the notebooks' kernels (the ``warm:`` step of
  ``notebooks/pack.yaml``), so every forked kernel inherits the results;
* when kernels are spawned instead of forked (``LIS_KERNEL_MODE=spawn``, Windows,
  macOS) they share no memory, and the pipeline gives them a folder for the run
  (environment variable :data:`ENV_FOLDER`, under ``.cache/``, removed when the run
  ends): the first kernel that needs a result computes it under a lock and writes it
  there, and the others read it.

Nothing here writes into ``data/processed`` or ``reports/``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import pickle
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

log = logging.getLogger(__name__)

T = TypeVar("T")

#: Environment variable holding the folder the pipeline gives a run's spawned kernels.
ENV_FOLDER = "LIS_RESULT_CACHE"


def cache_key(parts: Mapping[str, Any]) -> str:
    """A short, stable digest of what a result depends on (JSON of ``parts``)."""
    text = json.dumps(parts, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:24]


class ResultCache:
    """Results keyed by what they depend on; in memory, and in ``folder`` when given.

    Parameters
    ----------
    folder : a folder other processes of the same run read and write (None: memory only)

    Examples
    --------
    >>> cache = ResultCache()
    >>> cache.get("answer", {"question": 6 * 7}, lambda: 42)
    42
    >>> cache.get("answer", {"question": 6 * 7}, lambda: 0)  # kept: not computed again
    42
    """

    def __init__(self, folder: str | Path | None = None) -> None:
        self.folder = Path(folder) if folder else None
        self._memory: dict[tuple[str, str], Any] = {}

    def __repr__(self) -> str:
        where = f"memory and {self.folder}" if self.folder else "memory"
        return f"<ResultCache: {len(self._memory)} results in {where}>"

    def __len__(self) -> int:
        return len(self._memory)

    def clear(self) -> None:
        """Forget what is held in memory (files in ``folder`` belong to the run)."""
        self._memory.clear()

    def get(self, name: str, parts: Mapping[str, Any], build: Callable[[], T]) -> T:
        """The result ``name`` for ``parts``: held, else read from the folder, else built
        (under a lock on the folder, so that concurrent kernels build it once)."""
        key = (name, cache_key(parts))
        if key in self._memory:
            return self._memory[key]
        value = build() if self.folder is None else self._shared(name, key[1], build)
        self._memory[key] = value
        return value

    def _shared(self, name: str, digest: str, build: Callable[[], T]) -> T:
        from ..store import atomic_write_bytes, locked

        assert self.folder is not None
        path = self.folder / f"{name}-{digest}.pkl"
        hit = self._read(path)
        if hit is not None:
            return hit
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # a folder this process cannot make: keep it in memory
            log.info("result cache: cannot use %s (%s); computing here", self.folder, exc)
            return build()
        with locked(self.folder, f".{name}.lock", wait=600):
            hit = self._read(path)
            if hit is not None:
                return hit
            value = build()
            try:
                atomic_write_bytes(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
            except OSError as exc:
                log.info("result cache: cannot write %s (%s)", path, exc)
            return value

    @staticmethod
    def _read(path: Path) -> Any:
        if not path.exists():
            return None
        try:
            return pickle.loads(path.read_bytes())  # written by this run's own kernels
        except Exception as exc:  # noqa: BLE001 - a partial or foreign file: rebuild it
            log.info("result cache: %s unreadable (%s); rebuilding", path.name, exc)
            return None


__all__ = ["ENV_FOLDER", "ResultCache", "cache_key"]
