"""Run parameters and area definitions, validated; every path comes from here.

User parameters (area, years, benchmarks, raw folders) live in :class:`RunParams`, a
frozen dataclass loaded from YAML and validated before any data is read. Developer
constants (paths, the default area) are module-level and never change at run time.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from . import _yaml
from .errors import ConfigError, printable

PACKAGE_DIR = Path(__file__).resolve().parent
PACKAGE_DATA = PACKAGE_DIR / "data"
#: The indicator registry (parsed by ``lis_analysis.indicators.registry``).
INDICATORS_FILE = PACKAGE_DATA / "indicators.yaml"


def project_root() -> Path:
    """The folder that holds ``data/``, ``notebooks/`` and ``reports/``.

    ``LIS_HOME`` wins; otherwise the checkout this package was installed from (editable
    install); otherwise the current directory.
    """
    env = os.environ.get("LIS_HOME")
    if env:
        return Path(env).resolve()
    candidate = PACKAGE_DIR.parent
    if (candidate / "pyproject.toml").exists() and (candidate / "notebooks").is_dir():
        return candidate
    return Path.cwd().resolve()


@dataclass(frozen=True)
class Paths:
    """Where things live. Build with :func:`paths`; override pieces with ``dataclasses.replace``."""

    root: Path
    raw: Path
    demo_raw: Path
    processed: Path
    reports: Path
    notebooks: Path
    docs: Path
    evidence: Path

    @classmethod
    def under(cls, root: Path) -> Paths:
        root = Path(root)
        return cls(
            root=root,
            raw=root / "data" / "raw",
            demo_raw=root / "data" / "demo",
            processed=root / "data" / "processed",
            reports=root / "reports",
            notebooks=root / "notebooks",
            docs=root / "docs",
            evidence=root / "data" / "raw" / "evidence",
        )


def paths() -> Paths:
    """The project's paths (see :func:`project_root`)."""
    return Paths.under(project_root())


# --------------------------------------------------------------------------------------
# Areas declared by the package (and by users, in their own YAML)
# --------------------------------------------------------------------------------------

GSS_CODE = re.compile(r"^[EWSNK]\d{8}$")
ITL_CODE = re.compile(r"^(TL[B-NV-Y][0-9A-Z]{0,3}|UKX|UK)$")

DEFAULT_AREA = "E37000021"  # Leicester and Leicestershire LEP


@dataclass(frozen=True)
class AreaSpec:
    """An area as declared in YAML: a code, a name, a level and its member districts."""

    code: str
    name: str
    level: str
    members: tuple[str, ...]
    region: str | None = None
    aliases: tuple[str, ...] = ()
    note: str = ""
    #: the file says on purpose that this area replaces a published one of the same code
    redefine: bool = False


def _area_from_yaml(code: str, body: Any, origin: str) -> AreaSpec:
    origin = printable(origin)
    code = printable(code)
    if not isinstance(body, dict):
        raise ConfigError(f"{origin}: area {code}: expected a mapping with name, level, members")
    allowed = {"name", "level", "members", "region", "aliases", "note", "redefine"}
    unknown = set(body) - allowed
    if unknown:
        raise ConfigError(
            f"{origin}: area {code}: unknown key(s) {', '.join(sorted(unknown))} "
            f"(allowed: {', '.join(sorted(allowed))})"
        )
    for key in ("name", "level", "members"):
        if key not in body:
            raise ConfigError(f"{origin}: area {code}: missing '{key}'")
    if not isinstance(body["members"], list | tuple | type(None)):
        raise ConfigError(f"{origin}: area {code}: 'members' must be a list of district codes")
    redefine = body.get("redefine", False)
    if not isinstance(redefine, bool):
        raise ConfigError(f"{origin}: area {code}: 'redefine' must be true or false")
    members = tuple(str(m).strip() for m in body["members"] or ())
    if not members:
        raise ConfigError(f"{origin}: area {code}: 'members' is empty")
    bad = [m for m in members if not GSS_CODE.match(m)]
    if bad:
        raise ConfigError(
            f"{origin}: area {code}: member code(s) {', '.join(map(printable, bad))} are not GSS codes"
        )
    if len(set(members)) != len(members):
        raise ConfigError(f"{origin}: area {code}: a member district is listed twice")
    return AreaSpec(
        code=str(code),
        name=str(body["name"]),
        level=str(body["level"]),
        members=members,
        region=body.get("region"),
        aliases=tuple(str(a) for a in body.get("aliases") or ()),
        note=str(body.get("note") or ""),
        redefine=redefine,
    )


def read_area_specs(path: Path) -> dict[str, AreaSpec]:
    """Read an areas YAML file (``areas: {CODE: {name, level, members, ...}}``)."""
    try:
        doc = _yaml.load(path) or {}
    except OSError as exc:
        raise ConfigError(
            f"{printable(path)}: cannot read areas file ({exc.strerror or exc})"
        ) from None
    except yaml.YAMLError as exc:
        raise ConfigError(
            f"{printable(path)}: cannot read areas file: {printable(_yaml.describe(exc))}"
        ) from None
    if not isinstance(doc, dict) or not isinstance(doc.get("areas"), dict):
        raise ConfigError(f"{printable(path)}: expected a top-level 'areas:' mapping")
    return {str(c): _area_from_yaml(str(c), b, str(path)) for c, b in doc["areas"].items()}


@lru_cache(maxsize=1)
def package_areas() -> dict[str, AreaSpec]:
    """Areas shipped with the package (the Leicester and Leicestershire default)."""
    return read_area_specs(PACKAGE_DATA / "areas.yaml")


def refuse_redefinitions(
    specs: dict[str, AreaSpec], published: Iterable[str], origin: str | Path
) -> None:
    """Refuse a user area whose code (or alias) is already a published area's, unless
    its entry says ``redefine: true``: an areas file must not silently change what a
    code such as E37000021 means on every page. ``published`` holds the codes of the
    lookups and of the package's own areas (and their aliases)."""
    known = set(published)
    for pkg in package_areas().values():
        known |= {pkg.code, *pkg.aliases}
    for spec in specs.values():
        clash = [c for c in (spec.code, *spec.aliases) if c in known]
        if clash and not spec.redefine:
            raise ConfigError(
                f"{printable(origin)}: area {printable(spec.code)}: {printable(clash[0])} is already "
                "a published area code; use a code of your own, or add 'redefine: true' to the "
                "entry to replace the published definition on purpose (docs/areas.md)"
            )


# --------------------------------------------------------------------------------------
# Run parameters
# --------------------------------------------------------------------------------------

BENCHMARK_KINDS = ("uk", "england", "region", "peers", "neighbours")
PRICE_BASES = ("current", "cvm")


@dataclass(frozen=True)
class RunParams:
    """Parameters of one run, validated on construction.

    Attributes
    ----------
    area : area code (an LEP, LSIP, combined authority, ITL, LAD or a user-defined code)
    benchmarks : which benchmark kinds to compare against (subset of BENCHMARK_KINDS)
    start_year, end_year : the years of interest; ``end_year=None`` means the latest available
    price_basis : ``current`` (current prices) or ``cvm`` (chained volume measures)
    raw : raw data folders, read in order; empty means ``data/raw`` or the demonstrator
    neighbours : how many statistical neighbours to find
    neighbour_characteristics : indicator ids used to find statistical neighbours
    evidence : folder of call-for-evidence and consultation responses
    areas_file : an extra areas YAML with user-defined areas
    weights_file : the priority weights YAML (default: the package's ``data/weights.yaml``)

    Examples
    --------
    >>> p = RunParams(area="E37000021", start_year=2010, benchmarks=("uk", "region"))
    >>> p.area, p.end_year, p.to_dict()["benchmarks"]
    ('E37000021', None, ['uk', 'region'])
    >>> RunParams(start_year=2020, end_year=2010)
    Traceback (most recent call last):
    ...
    lis_analysis.errors.ConfigError: start_year 2020 is after end_year 2010
    """

    area: str = DEFAULT_AREA
    benchmarks: tuple[str, ...] = BENCHMARK_KINDS
    start_year: int = 2004
    end_year: int | None = None
    price_basis: str = "current"
    raw: tuple[str, ...] = ()
    neighbours: int = 5
    #: indicator ids; empty = those the registry flags ``neighbour_characteristic``
    #: (population, GVA per head, knowledge-intensive share)
    neighbour_characteristics: tuple[str, ...] = ()
    evidence: str | None = None
    areas_file: str | None = None
    weights_file: str | None = None

    def __post_init__(self) -> None:
        area = str(self.area).strip()
        if not (
            GSS_CODE.match(area)
            or ITL_CODE.match(area)
            or re.match(r"^[A-Z][A-Z0-9_-]{1,30}$", area)
        ):
            raise ConfigError(f"area '{self.area}' is not an area code (e.g. {DEFAULT_AREA})")
        object.__setattr__(self, "area", area)
        bad = [b for b in self.benchmarks if b not in BENCHMARK_KINDS]
        if bad:
            raise ConfigError(
                f"unknown benchmark(s) {', '.join(map(str, bad))} (choose from {', '.join(BENCHMARK_KINDS)})"
            )
        for name in ("start_year", "end_year"):
            v = getattr(self, name)
            if v is None and name == "end_year":
                continue
            if isinstance(v, bool) or not isinstance(v, int) or not 1990 <= v <= 2100:
                raise ConfigError(f"{name} must be a year between 1990 and 2100, not {v!r}")
        if self.end_year is not None and self.start_year > self.end_year:
            raise ConfigError(f"start_year {self.start_year} is after end_year {self.end_year}")
        if self.price_basis not in PRICE_BASES:
            raise ConfigError(
                f"price_basis must be one of {', '.join(PRICE_BASES)}, not {self.price_basis!r}"
            )
        if self.neighbour_characteristics:
            bad_ids = [c for c in self.neighbour_characteristics if c not in indicator_ids()]
            if bad_ids:
                raise ConfigError(
                    f"unknown neighbour characteristic(s) {', '.join(bad_ids)} (use indicator ids, e.g. gva_per_head)"
                )
        if (
            isinstance(self.neighbours, bool)
            or not isinstance(self.neighbours, int)
            or not 1 <= self.neighbours <= 50
        ):
            raise ConfigError(
                f"neighbours must be a whole number from 1 to 50, not {self.neighbours!r}"
            )
        for name in PATH_FIELDS:
            value = getattr(self, name)
            if isinstance(value, os.PathLike):
                value = os.fspath(value)
                object.__setattr__(self, name, value)
            if value is not None and not _is_path_text(value):
                raise ConfigError(f"{name} must be a file or folder name, not {_shown(value)}")
        for d in self.raw:
            if not _is_path_text(d):
                raise ConfigError(f"raw must be a list of folder names, not {_shown(d)}")

    def to_dict(self) -> dict[str, Any]:
        """Plain types only (lists, str, int, None), as papermill and YAML want them."""
        out = dataclasses.asdict(self)
        return {k: list(v) if isinstance(v, tuple) else v for k, v in out.items()}


@lru_cache(maxsize=1)
def indicator_ids() -> frozenset[str]:
    """The ids the indicator registry declares: enough to check run parameters before any
    data is read, without importing the indicators layer (which depends on this one)."""
    try:
        doc = yaml.safe_load(INDICATORS_FILE.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise ConfigError(
            f"{INDICATORS_FILE}: cannot read the indicator registry ({exc})"
        ) from None
    return frozenset(str(k) for k in (doc.get("indicators") or {}))


#: Parameters that name a file or folder.
PATH_FIELDS = ("evidence", "areas_file", "weights_file")


def _is_path_text(value: Any) -> bool:
    """A non-empty string without NUL: something that can name a file."""
    return isinstance(value, str) and bool(value.strip()) and "\x00" not in value


def _shown(value: Any) -> str:
    """A value for a one-line message: short, escaped, with its YAML type."""
    kinds = {
        dict: "a mapping",
        list: "a list",
        bool: "true/false",
        int: "a number",
        float: "a number",
    }
    text = printable(repr(value))
    text = text if len(text) <= 60 else text[:57] + "..."
    kind = kinds.get(type(value))
    return f"{text} ({kind})" if kind else text


def check_files(params: RunParams, *, evidence: bool = False) -> None:
    """The files a run will read exist and are what they should be, before any data is
    read: ``areas_file`` and ``weights_file`` readable files (the areas file is also read
    and checked against the package's own areas), and with ``evidence`` the evidence
    folder a folder (the default ``data/raw/evidence`` may be absent)."""
    for name in ("areas_file", "weights_file"):
        value = getattr(params, name)
        if value is None:
            continue
        path = Path(value).expanduser()
        if not path.exists():
            raise ConfigError(f"{name} {printable(path)}: file not found")
        if not path.is_file():
            raise ConfigError(f"{name} {printable(path)}: not a file")
        if not os.access(path, os.R_OK):
            raise ConfigError(
                f"{name} {printable(path)}: cannot read this file (permission denied)"
            )
    if params.areas_file:
        refuse_redefinitions(read_area_specs(Path(params.areas_file)), (), params.areas_file)
    if evidence and params.evidence:
        folder = Path(params.evidence).expanduser()
        if folder.exists() and not folder.is_dir():
            raise ConfigError(f"evidence {printable(folder)}: not a folder")


def parse_years(text: str) -> tuple[int | None, int | None]:
    """``--years`` of ``lis indicators``: ``2015-2022``, ``2019`` (that year alone) or
    ``all``. Returns (first year, last year), ``None`` for an open bound.

    >>> parse_years("2015-2022"), parse_years("2019"), parse_years("all")
    ((2015, 2022), (2019, 2019), (None, None))
    """
    t = str(text).strip().lower()
    if t == "all":
        return None, None
    m = re.fullmatch(r"(\d{4})(?:\s*-\s*(\d{4}))?", t)
    if not m:
        raise ConfigError(
            f"--years {text!r}: give FROM-TO (e.g. 2015-2022), one year (e.g. 2022) or 'all'"
        )
    first = int(m.group(1))
    last = int(m.group(2) or m.group(1))
    for y in (first, last):
        if not 1990 <= y <= 2100:
            raise ConfigError(f"--years {text!r}: {y} is not a year between 1990 and 2100")
    if first > last:
        raise ConfigError(f"--years {text!r}: the first year {first} is after the last {last}")
    return first, last


_FIELDS = {f.name: f for f in dataclasses.fields(RunParams)}


def make_params(values: dict[str, Any] | None = None, origin: str = "parameters") -> RunParams:
    """Build :class:`RunParams` from a mapping, refusing unknown keys and wrong types."""
    values = dict(values or {})
    unknown = [k for k in values if k not in _FIELDS]
    if unknown:
        raise ConfigError(
            f"{origin}: unknown parameter(s) {', '.join(map(str, unknown))} "
            f"(known: {', '.join(_FIELDS)})"
        )
    clean: dict[str, Any] = {}
    for key, value in values.items():
        if key in ("benchmarks", "raw", "neighbour_characteristics"):
            if isinstance(value, str):
                value = [v.strip() for v in value.split(",") if v.strip()]
            if not isinstance(value, (list, tuple)):
                raise ConfigError(f"{origin}: '{key}' must be a list, not {_shown(value)}")
            bad = [v for v in value if not isinstance(v, (str, os.PathLike))]
            if bad:
                raise ConfigError(
                    f"{origin}: '{key}' must be a list of names, not one holding {_shown(bad[0])}"
                )
            value = tuple(os.fspath(v) for v in value)
        elif key in PATH_FIELDS and isinstance(value, os.PathLike):
            value = os.fspath(value)
        elif (
            key in ("start_year", "end_year", "neighbours")
            and isinstance(value, str)
            and value.isdigit()
        ):
            value = int(value)
        clean[key] = value
    try:
        return RunParams(**clean)
    except ConfigError as exc:
        raise ConfigError(f"{printable(origin)}: {exc.message}") from None


def _relative_to(folder: Path, doc: dict[str, Any]) -> dict[str, Any]:
    """A parameters file's values with its relative paths (``raw``, ``evidence``,
    ``areas_file``, ``weights_file``) made relative to the file's own folder: the file
    means the same wherever the command is typed, and inside a notebook, which runs in
    ``notebooks/``. Values of the wrong type are left for validation to name."""
    out = dict(doc)

    def fix(value: Any) -> Any:
        if isinstance(value, str) and _is_path_text(value):
            p = Path(value).expanduser()
            return value if p.is_absolute() else str(folder / p)
        return value

    for key in PATH_FIELDS:
        if key in out:
            out[key] = fix(out[key])
    if isinstance(out.get("raw"), list):
        out["raw"] = [fix(v) for v in out["raw"]]
    elif isinstance(out.get("raw"), str):
        out["raw"] = [fix(v.strip()) for v in out["raw"].split(",") if v.strip()]
    return out


def load_params(path: str | Path | None = None, **overrides: Any) -> RunParams:
    """Read run parameters from YAML (if given), apply ``overrides``, validate.

    Relative paths in the file (``raw``, ``evidence``, ``areas_file``,
    ``weights_file``) are read from the file's own folder; those in ``overrides`` (the
    command line's flags) from the current folder. The files named must exist
    (:func:`check_files`).

    Raises
    ------
    ConfigError
        On an unreadable file, an unknown key, or an invalid value (one line).
    """
    values: dict[str, Any] = {}
    origin = "parameters"
    if path is not None:
        origin = str(path)
        try:
            doc = _yaml.load(path)
        except OSError as exc:
            raise ConfigError(
                f"{printable(path)}: cannot read parameters file ({exc.strerror or exc})"
            ) from None
        except _yaml.YamlProblem as exc:
            raise ConfigError(
                f"{printable(path)}: cannot read parameters file: {printable(_yaml.describe(exc))}"
            ) from None
        except yaml.YAMLError as exc:
            raise ConfigError(
                f"{printable(path)}: not valid YAML ({printable(_yaml.describe(exc))})"
            ) from None
        if doc is None:
            doc = {}
        if not isinstance(doc, dict):
            raise ConfigError(f"{printable(path)}: expected a mapping of parameter: value")
        values.update(_relative_to(Path(path).expanduser().absolute().parent, doc))
    values.update({k: v for k, v in overrides.items() if v is not None})
    params = make_params(values, origin)
    try:
        check_files(params)
    except ConfigError as exc:
        raise ConfigError(
            f"{printable(origin)}: {exc.message}" if path is not None else exc.message
        ) from None
    return params


def evidence_folder(
    given: str | Path | None, raw_dirs: Sequence[str | Path], p: Paths | None = None
) -> Path:
    """The call-for-evidence and consultation folder: the one given (unless it is the
    default and missing), else the ``evidence`` folder of a raw folder (the demonstrator
    has one), else ``data/raw/evidence``. The pipeline hashes the folder this returns and
    the page reads it, so the two always agree."""
    default = (p or paths()).evidence.resolve()
    if given:
        path = Path(given).expanduser().resolve()
        if path.is_dir() or path != default:
            return path
    for d in raw_dirs:
        if (Path(d) / "evidence").is_dir():
            return (Path(d) / "evidence").resolve()
    return default
