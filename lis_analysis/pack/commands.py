"""What each ``lis`` verb does (argument parsing is in :mod:`lis_analysis.cli`).

The commands live with the pack because ``run`` and ``watch`` are the pack; the others
(demo, fetch, ingest, areas, indicators) call the layers below it. Each returns the
command's exit code; a :class:`~lis_analysis.errors.LisError` is turned into one line and
exit code 2 by the cli.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from .._files import is_inside
from ..config import Paths, RunParams, check_files, load_params, parse_years, paths
from ..errors import ConfigError, LisError, printable

#: Longest accepted ``lis watch --interval`` (a day); a poll less often is a cron job.
MAX_INTERVAL = 86_400.0
#: Most processes ``--jobs`` may ask for.
MAX_JOBS = 256


def _params(args: argparse.Namespace) -> RunParams:
    """Validated run parameters from --params and the command-line flags, every file
    they name checked (before any data is read)."""
    over = {}
    if getattr(args, "area", None):
        over["area"] = args.area.split(",")[0]
    if getattr(args, "raw", None):
        over["raw"] = list(args.raw)
    if getattr(args, "areas_file", None):
        over["areas_file"] = args.areas_file
    if getattr(args, "evidence", None):
        over["evidence"] = args.evidence
    params = load_params(getattr(args, "params", None), **over)
    check_files(params, evidence=True)
    if params.weights_file:
        from ..priorities import load_weights

        load_weights(params.weights_file)  # its content too: a bad key is found now, not in a page
    return params


def _jobs(value: int | None, flag: str = "--jobs") -> None:
    if value is not None and not 1 <= value <= MAX_JOBS:
        raise ConfigError(f"{flag} must be a whole number from 1 to {MAX_JOBS}, not {value}")


def _input_folders(raw: Sequence[str] | None, p: Paths) -> list[Path]:
    """Every folder a command may read published files or responses from: the raw
    folders given, the default raw folder and the demonstrator's (an output must never
    be written into any of them)."""
    return [*(Path(d) for d in raw or ()), p.raw, p.demo_raw]


def _refuse_output_inside_inputs(
    out: str | Path, flag: str, folders: Sequence[Path], files: Sequence[str | Path | None] = ()
) -> None:
    """An output path may not be, or lie inside, an input folder, nor be an input file."""
    for folder in folders:
        if is_inside(out, folder):
            raise ConfigError(
                f"{flag} {printable(out)}: is {'' if is_inside(folder, out) else 'inside '}"
                f"the input folder {printable(folder)}; outputs are never written among "
                "the published files: choose another place"
            )
    for f in files:
        if f is not None and is_inside(out, f):
            raise ConfigError(
                f"{flag} {printable(out)}: is the input file {printable(f)}; choose another name"
            )


def _check_out_file(out: str, params: RunParams, p: Paths, params_file: str | None = None) -> Path:
    """``--out FILE``: a file name, in a folder that can be written, never an input (a
    published file, the evidence, the parameters, areas or weights file)."""
    path = Path(out).expanduser()
    if not out.strip() or out.endswith(("/", os.sep)) or path.is_dir():
        raise ConfigError(f"--out {printable(out)}: is a folder; give the name of a file to write")
    folders = _input_folders(params.raw, p)
    if params.evidence:
        folders.append(Path(params.evidence))
    files = [params_file, params.areas_file, params.weights_file]
    _refuse_output_inside_inputs(path, "--out", folders, files)
    if path.exists() and not path.is_file():
        raise ConfigError(f"--out {printable(out)}: not a regular file; give the name of a file")
    parent = path.absolute().parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise ConfigError(f"--out {printable(out)}: {printable(parent)} is not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ConfigError(
            f"--out {printable(out)}: cannot write in {printable(parent)} (permission denied)"
        )
    return path


def _csv_safe(frame):
    """``frame`` with every text cell that a spreadsheet would run as a formula (an area
    name beginning ``=``, ``+``, ``-`` or ``@``, from an areas file or a lookup) prefixed
    with ``'`` (:func:`lis_analysis.safetext.csv_cell`); numeric columns as they are. A
    carriage return inside a text becomes a line feed: the CSV writer quotes a cell
    holding a line feed, but not one holding a lone carriage return, which a reader then
    takes for the end of the row (a name could forge rows)."""
    import pandas as pd

    from ..safetext import csv_cell

    def cell(value):
        value = csv_cell(value)
        if isinstance(value, str) and "\r" in value:
            value = value.replace("\r\n", "\n").replace("\r", "\n")
        return value

    out = frame.copy()
    for col in out.columns:
        s = out[col]
        text = isinstance(s.dtype, pd.CategoricalDtype) or pd.api.types.is_string_dtype(s)
        if text or s.dtype == object:
            out[col] = s.astype(object).map(cell)
    return out


def cmd_demo(args: argparse.Namespace) -> int:
    from ..demo import write_demo

    out = Path(args.out) if args.out else paths().demo_raw
    written = write_demo(out)
    print(f"wrote {len(written)} synthetic demonstrator files to {out} (not official statistics)")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from .. import store
    from ..workspace import workspace

    _jobs(args.jobs)
    p = paths()
    processed = Path(args.processed) if args.processed else p.processed
    flag = "--processed" if args.processed else "the store folder"
    _refuse_output_inside_inputs(processed, flag, _input_folders(args.raw, p))
    ws = workspace(args.raw)
    if args.processed:
        from dataclasses import replace

        ws = replace(ws, processed=Path(args.processed))
    # `lis ingest` reads every stored table and part to check its sha256 (a run checks
    # only their sizes and times); a damaged store is rebuilt and the report says so.
    report = store.ingest(
        ws.raw_dirs,
        ws.processed,
        parts_root=ws.paths.processed,
        jobs=max(1, args.jobs),
        force=args.force,
        verify=True,
    )
    print(report.table())
    return 0


def cmd_areas(args: argparse.Namespace) -> int:
    import pandas as pd

    from ..geography import Geography
    from ..workspace import workspace

    _refuse_output_inside_inputs(
        paths().processed, "the store folder", _input_folders(args.raw, paths())
    )

    if args.areas_file:  # read and checked before any data
        check_files(RunParams(areas_file=args.areas_file))
    ws = workspace(args.raw)
    ws.ingest()
    geo = Geography.build(ws.lookups(), ws.observations(), areas_file=args.areas_file)
    tab = geo.table(args.level)
    if tab.empty:
        raise LisError(
            f"no areas of level '{printable(args.level)}' "
            f"(levels: {', '.join(sorted(set(geo.table().level)))})"
        )
    if args.format == "csv":
        _csv_safe(tab).to_csv(sys.stdout, index=False)
    elif args.format == "json":
        json.dump(tab.to_dict(orient="records"), sys.stdout, indent=1)
        print()
    else:
        show = tab[["code", "name", "level", "districts", "members"]].copy()
        show["members"] = show["members"].str.slice(0, 60)
        with pd.option_context(
            "display.max_rows", None, "display.width", 200, "display.max_colwidth", 62
        ):
            print(show.to_string(index=False))
        if ws.demo:
            print("\n(demonstrator data: synthetic areas and figures, not official statistics)")
    for w in geo.warnings:
        print(f"warning: {printable(w)}", file=sys.stderr)
    return 0


def cmd_indicators(args: argparse.Namespace) -> int:
    """The indicator table for an area (DESIGN.md columns); why any indicator is missing."""
    params = _params(args)  # validated before any data is read
    years = parse_years(args.years) if getattr(args, "years", None) else None
    _refuse_output_inside_inputs(
        paths().processed, "the store folder", _input_folders(params.raw, paths())
    )
    out_path = _check_out_file(args.out, params, paths(), args.params) if args.out else None
    import pandas as pd

    from ..api import session
    from ..indicators.engine import TABLE_COLUMNS, TABLE_EXTRA
    from ..indicators.engine import table as indicator_table

    s = session()
    ws = s.use(list(params.raw) or None, areas_file=params.areas_file)
    geo = s.geography
    area = geo.area(params.area)
    tab = indicator_table(
        area,
        obs=s.observations(),
        geo=geo,
        ctx=s.context(),
        benchmarks=params.benchmarks,
        year=years[1] if years else params.end_year,
        start_year=years[0] if years else (params.start_year if params.end_year else None),
        neighbours_k=params.neighbours,
        characteristics=params.neighbour_characteristics or None,
        series=years is not None,
    )
    missing = tab.attrs.get("missing", {})
    if tab.empty:
        raise LisError(
            f"no indicator could be computed for {area.name} ({area.code})"
            + (f": {next(iter(missing.values()))}" if missing else "")
        )
    out = tab[TABLE_COLUMNS + TABLE_EXTRA]
    fmt = args.format or {".csv": "csv", ".json": "json"}.get(
        Path(args.out).suffix.lower() if args.out else "", "table"
    )
    if fmt == "csv":
        text = _csv_safe(out).to_csv(index=False)
    elif fmt == "json":
        text = out.to_json(orient="records", indent=1, force_ascii=False)
    else:
        show = out[
            [
                "indicator_id",
                "period",
                "value",
                "unit",
                "benchmark_name",
                "benchmark_value",
                "index",
                "significant",
                "rank",
                "n_peers",
                "basis",
            ]
        ]
        with pd.option_context(
            "display.max_rows",
            None,
            "display.width",
            220,
            "display.max_colwidth",
            40,
            "display.float_format",
            "{:,.2f}".format,
        ):
            text = show.to_string(index=False)
        text = (
            f"{area.name} ({area.code}), {len(area.members)} districts"
            + (" - DEMONSTRATOR DATA (synthetic)" if ws.demo else "")
            + "\n\n"
            + text
        )
    if out_path is not None:
        from .._files import atomic_write_text

        try:
            atomic_write_text(out_path, text if text.endswith("\n") else text + "\n")
        except OSError as exc:
            raise LisError(
                f"--out {printable(args.out)}: cannot write the file ({exc.strerror or exc})"
            ) from None
        print(
            f"wrote {len(out)} rows ({out['indicator_id'].nunique()} indicators) to "
            f"{printable(args.out)}"
        )
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    shown_parts = tab.attrs.get("parts", {})
    for iid, why in missing.items():
        p = shown_parts.get(iid)
        if p is not None:
            listed = ", ".join(f"{printable(r.name)} {r.value:,.2f}" for r in p.parts.itertuples())
            bracket = (
                f"; median between {p.bracket[0]:,.2f} and {p.bracket[1]:,.2f}" if p.bracket else ""
            )
            print(
                f"note: {iid}: no single figure; for its parts ({p.period}): {listed}{bracket}",
                file=sys.stderr,
            )
        else:
            print(f"note: {iid}: {printable(why)}", file=sys.stderr)
    for iid, text in tab.attrs.get("vintage", {}).items():
        print(f"note: {iid}: {printable(text)}", file=sys.stderr)
    return 0


def cmd_fetch(args: argparse.Namespace) -> int:
    """Download the catalogue's files into the raw folder (see lis_analysis/fetch.py):
    exit 0 when everything was saved or already there, 1 when a file failed or was
    rejected, 2 without a network (NetworkError) or with a bad --only/catalogue."""
    from .. import fetch as fetch_mod

    if args.list:
        print(fetch_mod.listing(fetch_mod.select(fetch_mod.catalogue(), args.only)))
        return 0
    if args.timeout is not None and not (math.isfinite(args.timeout) and args.timeout > 0):
        raise LisError(f"--timeout must be a positive number of seconds, not {args.timeout}")
    raw = Path(args.raw) if args.raw else paths().raw
    report = fetch_mod.fetch(raw, only=args.only, base_url=args.base_url, timeout=args.timeout)
    print(report.table())
    return 1 if report.failed else 0


def _run_params(args: argparse.Namespace):
    """Run parameters for run/watch: --area may name several areas (A,B or all-lsips), so
    it is validated code by code by the run rather than as the parameters' area."""
    _jobs(args.jobs)
    p = paths()
    # the reports and the store, given or not, never among the inputs (`--raw .` would
    # otherwise put both inside a raw folder)
    outputs = [
        (
            Path(args.reports) if args.reports else p.reports,
            "--reports" if args.reports else "the reports folder",
        ),
        (p.processed, "the store folder"),
    ]
    for out, flag in outputs:
        _refuse_output_inside_inputs(out, flag, _input_folders(args.raw, p))
    params = _params(argparse.Namespace(**{**vars(args), "area": None}))
    evidence = [Path(params.evidence)] if params.evidence else []
    for out, flag in outputs:
        _refuse_output_inside_inputs(out, flag, [*_input_folders(params.raw, p), *evidence])
    return params


def cmd_run(args: argparse.Namespace) -> int:
    from .plan import parse_areas
    from .run import run

    executor = getattr(args, "executor", None) or "local"
    if executor == "dask":
        from .cluster import require_distributed

        require_distributed()  # before the parameters or any data are read
    elif getattr(args, "scheduler", None):
        raise LisError("--scheduler needs --executor dask")
    params = _run_params(args)
    summary = run(
        params,
        areas=parse_areas(args.area) or None,
        executor=executor,
        scheduler=getattr(args, "scheduler", None),
        jobs=args.jobs,
        force=args.force,
        only=args.only,
        reports_dir=args.reports,
        evidence=args.evidence,
        params_file=args.params,
    )
    print(summary.table())
    return summary.exit_code


def cmd_watch(args: argparse.Namespace) -> int:
    from .plan import parse_areas
    from .watch import watch

    if not (math.isfinite(args.interval) and 0 < args.interval <= MAX_INTERVAL):
        raise ConfigError(
            f"--interval must be a number of seconds above 0 and at most {MAX_INTERVAL:,.0f} "
            f"(a day), not {args.interval:g}"
        )
    params = _run_params(args)
    return watch(
        params,
        areas=parse_areas(args.area) or None,
        interval=args.interval,
        once=args.once,
        jobs=args.jobs,
        evidence=args.evidence,
        reports_dir=args.reports,
        params_file=args.params,
        echo=lambda line: print(line, flush=True),
    )
