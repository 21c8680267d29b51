"""Run parameters and area definitions, validated; every path comes from here.

User parameters (area, years, benchmarks, raw folders) live in :class:`RunParams`, a
frozen dataclass loaded from YAML and validated before any data is read. Developer
constants (paths, the default area) are module-level and never change at run time.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Sequence
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


def _area_from_yaml(code: str, body: Any, origin: str) -> AreaSpec:
    if not isinstance(body, dict):
        raise ConfigError(f"{origin}: area {code}: expected a mapping with name, level, members")
    allowed = {"name", "level", "members", "region", "aliases", "note"}
    unknown = set(body) - allowed
    if unknown:
        raise ConfigError(
            f"{origin}: area {code}: unknown key(s) {', '.join(sorted(unknown))} "
            f"(allowed: {', '.join(sorted(allowed))})"
        )
    for key in ("name", "level", "members"):
        if key not in body:
            raise ConfigError(f"{origin}: area {code}: missing '{key}'")
    members = tuple(str(m).strip() for m in body["members"] or ())
    if not members:
        raise ConfigError(f"{origin}: area {code}: 'members' is empty")
    bad = [m for m in members if not GSS_CODE.match(m)]
    if bad:
        raise ConfigError(
            f"{origin}: area {code}: member code(s) {', '.join(bad)} are not GSS codes"
        )
    if len(set(members)) != len(members):
        raise ConfigError(f"{origin}: area {code}: a member district is listed twice")
    return AreaSpec(
        code=str(code),
        name=str(body["name"]),
        level=str(body["level"]),
        members=members,
        region=body.get("region"),
        aliases=tuple(body.get("aliases") or ()),
        note=str(body.get("note") or ""),
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
        raise ConfigError(f"{path}: expected a top-level 'areas:' mapping")
    return {str(c): _area_from_yaml(str(c), b, str(path)) for c, b in doc["areas"].items()}


@lru_cache(maxsize=1)
def package_areas() -> dict[str, AreaSpec]:
    """Areas shipped with the package (the Leicester and Leicestershire default)."""
    return read_area_specs(PACKAGE_DATA / "areas.yaml")


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
                raise ConfigError(f"{origin}: '{key}' must be a list")
            value = tuple(str(v) for v in value)
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
        raise ConfigError(f"{origin}: {exc.message}") from None


def load_params(path: str | Path | None = None, **overrides: Any) -> RunParams:
    """Read run parameters from YAML (if given), apply ``overrides``, validate.

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
            raise ConfigError(f"{path}: expected a mapping of parameter: value")
        values.update(doc)
    values.update({k: v for k, v in overrides.items() if v is not None})
    return make_params(values, origin)


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
