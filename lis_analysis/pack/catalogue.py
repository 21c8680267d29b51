"""The pack's catalogue: ``notebooks/pack.yaml``, the notebooks ``lis run`` executes, in order.

:func:`load_catalogue` reads and validates it (standard library and PyYAML only) into a
:class:`Catalogue` of :class:`NotebookSpec`: each notebook's name, title, description,
the datasets it reads (what makes it stale, see :mod:`lis_analysis.pack.plan`), whether
it reads the evidence folder, and its per-cell timeout.
"""

from __future__ import annotations

import contextlib
import dataclasses
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from .. import _yaml
from ..errors import ConfigError, printable

CATALOGUE_FILE = "pack.yaml"
#: The kernel template's default warm-up (see :func:`load_catalogue`).
DEFAULT_WARM = "lis_analysis.pack.kernels:warm_data"


@dataclass(frozen=True)
class NotebookSpec:
    """One notebook of the pack, as declared in ``notebooks/pack.yaml``.

    Attributes
    ----------
    name : file stem (``notebooks/<name>.py``, a jupytext py:percent file)
    title : page title and card title
    description : one sentence for the index card
    datasets : dataset ids it reads (the ``dataset`` column of the store); ``"*"`` = all
    evidence : whether it reads the call-for-evidence / consultation folder
    timeout : seconds allowed per cell (default 600)
    """

    name: str
    title: str
    description: str = ""
    datasets: tuple[str, ...] = ()
    evidence: bool = False
    timeout: float | None = None

    @property
    def reads_everything(self) -> bool:
        return "*" in self.datasets

    def reads(self, datasets: Iterable[str]) -> bool:
        """Whether this notebook reads any of ``datasets``."""
        return self.reads_everything or bool(set(self.datasets) & set(datasets))


@dataclass(frozen=True)
class Catalogue:
    """The pack: its title and its notebooks in order."""

    path: Path
    title: str
    notebooks: tuple[NotebookSpec, ...]
    warm: tuple[str, ...] = (DEFAULT_WARM,)

    @property
    def folder(self) -> Path:
        return self.path.parent

    def names(self) -> list[str]:
        return [n.name for n in self.notebooks]

    def source(self, spec: NotebookSpec) -> Path:
        """The notebook's reviewed source: ``<name>.py`` (py:percent), else ``<name>.ipynb``."""
        py = self.folder / f"{spec.name}.py"
        if py.exists():
            return py
        ipynb = self.folder / f"{spec.name}.ipynb"
        if ipynb.exists():
            return ipynb
        raise ConfigError(
            f"{self.path}: notebook '{spec.name}' has no file {py.name} in {self.folder}"
        )

    def select(self, only: Sequence[str] | None) -> list[NotebookSpec]:
        """The notebooks named in ``only`` (exact names or unique prefixes such as
        ``11``), in pack order; all when ``only`` is empty."""
        if not only:
            return list(self.notebooks)
        wanted: set[str] = set()
        for item in only:
            for token in str(item).split(","):
                token = token.strip()
                if not token:
                    continue
                hits = [n for n in self.names() if n == token] or [
                    n for n in self.names() if n.startswith(token)
                ]
                if len(hits) != 1:
                    why = "matches several" if hits else "is not a notebook of the pack"
                    raise ConfigError(
                        f"--only {token}: {why} (notebooks: {', '.join(self.names())})"
                    )
                wanted.add(hits[0])
        return [n for n in self.notebooks if n.name in wanted]


_SPEC_KEYS = {"name", "title", "description", "datasets", "evidence", "timeout"}


def load_catalogue(path: str | Path, *, cache_dir: Path | None = None) -> Catalogue:
    """Read and validate ``notebooks/pack.yaml``.

    Schema::

        title: Local Industrial Strategy evidence     # optional pack title
        warm: [lis_analysis.pack.kernels:warm_data]   # optional, see below
        notebooks:                                    # in pack order
          - name: 00_overview                         # notebooks/00_overview.py
            title: Productivity overview
            description: The headline productivity gap, its parts and its trend.
            datasets: [ons_productivity_lad, ...]     # optional; ["*"] for every input
            evidence: false                           # reads the evidence folder
            timeout: 600                              # optional, seconds per cell

    Without ``datasets``, a notebook's datasets are those of the indicators and analyses
    its page shows (:func:`lis_analysis.pages.reads.notebook_datasets`), worked out once
    per state of the package code and the notebook and kept in ``cache_dir``
    (default ``.cache/lis`` of the project).

    ``warm`` names functions the kernel template calls once per run, before any kernel
    starts, as ``f(raw=[folders], areas=[codes])``: whatever they load into memory (the
    store's tables, the areas) every notebook's kernel inherits. A failing warm-up only
    costs speed. Default: :func:`lis_analysis.pack.kernels.warm_data`.

    Raises
    ------
    ConfigError
        naming the file, the notebook and the key at fault.
    """
    path = Path(path)
    try:
        doc = _yaml.load(path)
    except OSError:
        raise ConfigError(f"{printable(path)}: notebook catalogue not found") from None
    except yaml.YAMLError as exc:
        raise ConfigError(
            f"{printable(path)}: not valid YAML ({printable(_yaml.describe(exc))})"
        ) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("notebooks"), list):
        raise ConfigError(f"{path}: expected a top-level 'notebooks:' list")
    specs: list[NotebookSpec] = []
    derive: list[str] = []
    for i, body in enumerate(doc["notebooks"], start=1):
        where = f"{path}: notebooks[{i}]"
        if not isinstance(body, dict) or "name" not in body:
            raise ConfigError(f"{where}: expected a mapping with at least 'name' and 'title'")
        name = str(body["name"])
        where = f"{path}: notebook {name}"
        unknown = set(body) - _SPEC_KEYS
        if unknown:
            raise ConfigError(
                f"{where}: unknown key(s) {', '.join(sorted(unknown))} (allowed: {', '.join(sorted(_SPEC_KEYS))})"
            )
        if not name.replace("_", "").replace("-", "").isalnum():
            raise ConfigError(f"{where}: a name may hold only letters, digits, '_' and '-'")
        datasets = body.get("datasets")
        if datasets is None:
            derive.append(name)
            datasets = []
        if isinstance(datasets, str):
            datasets = [datasets]
        if not isinstance(datasets, list) or not all(isinstance(d, str) and d for d in datasets):
            raise ConfigError(f"{where}: 'datasets' must be a list of dataset ids (or [\"*\"])")
        evidence = body.get("evidence", False)
        if not isinstance(evidence, bool):
            raise ConfigError(f"{where}: 'evidence' must be true or false")
        timeout = body.get("timeout")
        if timeout is not None and (
            isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0
        ):
            raise ConfigError(f"{where}: 'timeout' must be a number of seconds")
        specs.append(
            NotebookSpec(
                name=name,
                title=str(body.get("title") or name),
                description=str(body.get("description") or "").strip(),
                datasets=tuple(datasets),
                evidence=evidence,
                timeout=float(timeout) if timeout is not None else None,
            )
        )
    names = [s.name for s in specs]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise ConfigError(f"{path}: notebook(s) listed twice: {', '.join(dup)}")
    if not specs:
        raise ConfigError(f"{path}: the pack lists no notebooks")
    title = str(doc.get("title") or "Local Industrial Strategy evidence")
    unknown = set(doc) - {"title", "notebooks", "warm"}
    if unknown:
        raise ConfigError(
            f"{path}: unknown key(s) {', '.join(sorted(unknown))} (allowed: title, notebooks, warm)"
        )
    warm = doc.get("warm", [DEFAULT_WARM]) or []
    if isinstance(warm, str):
        warm = [warm]
    if not isinstance(warm, list) or not all(isinstance(w, str) and ":" in w for w in warm):
        raise ConfigError(f"{path}: 'warm' must be a list of module:function names")
    if derive:
        found = derived_datasets(path.parent, derive, cache_dir)
        specs = [
            dataclasses.replace(s, datasets=found[s.name]) if s.name in found else s for s in specs
        ]
    return Catalogue(path=path, title=title, notebooks=tuple(specs), warm=tuple(warm))


def derived_datasets(
    folder: Path, names: Sequence[str], cache_dir: Path | None = None
) -> dict[str, tuple[str, ...]]:
    """``{name: datasets}`` for the notebooks ``folder/<name>.py``, from the indicators and
    analyses their pages show (:func:`lis_analysis.pages.reads.notebook_datasets`).

    Working them out loads the registry and the parsers' declarations (about a second),
    so the result is kept in ``cache_dir`` keyed by the package code and the notebooks'
    sources: a run that changes neither reads it back. A notebook with no ``.py`` file
    is left out (the run reports it)."""
    from .._files import atomic_write_json, code_hash, read_json, sha256_file, sha256_json

    sources = {n: folder / f"{n}.py" for n in names if (folder / f"{n}.py").is_file()}
    if not sources:
        return {}
    if cache_dir is None:
        from ..config import paths

        cache_dir = paths().root / ".cache" / "lis"
    key = sha256_json([code_hash(), sorted((n, sha256_file(f)) for n, f in sources.items())])[:20]
    cached = read_json(cache_dir / f"reads-{key}.json")
    if isinstance(cached, dict) and set(cached) == set(sources):
        return {n: tuple(v) for n, v in cached.items()}
    from ..pages.reads import notebook_datasets

    found = {n: notebook_datasets(f) for n, f in sources.items()}
    with contextlib.suppress(OSError):  # a read-only project only loses the shortcut
        atomic_write_json(cache_dir / f"reads-{key}.json", {n: list(v) for n, v in found.items()})
        for old in sorted(cache_dir.glob("reads-*.json"), key=lambda f: f.stat().st_mtime)[:-8]:
            old.unlink()
    return found


__all__ = [
    "CATALOGUE_FILE",
    "DEFAULT_WARM",
    "Catalogue",
    "NotebookSpec",
    "derived_datasets",
    "load_catalogue",
]
