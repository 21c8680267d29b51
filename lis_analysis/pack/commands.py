"""What each ``lis`` verb does (argument parsing is in :mod:`lis_analysis.cli`).

The commands live with the pack because ``run`` and ``watch`` are the pack; the others
(demo, fetch, ingest, areas, indicators) call the layers below it. Each returns the
command's exit code; a :class:`~lis_analysis.errors.LisError` is turned into one line and
exit code 2 by the cli.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ..config import load_params, parse_years, paths
from ..errors import LisError


def _params(args: argparse.Namespace):
    """Validated run parameters from --params and the command-line flags (before any data)."""
    over = {}
    if getattr(args, "area", None):
        over["area"] = args.area.split(",")[0]
    if getattr(args, "raw", None):
        over["raw"] = list(args.raw)
    if getattr(args, "areas_file", None):
        over["areas_file"] = args.areas_file
    if getattr(args, "evidence", None):
        over["evidence"] = args.evidence
    return load_params(getattr(args, "params", None), **over)


def cmd_demo(args: argparse.Namespace) -> int:
    from ..demo import write_demo

    out = Path(args.out) if args.out else paths().demo_raw
    written = write_demo(out)
    print(f"wrote {len(written)} synthetic demonstrator files to {out} (not official statistics)")
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    from ..workspace import workspace

    ws = workspace(args.raw)
    if args.processed:
        from dataclasses import replace

        ws = replace(ws, processed=Path(args.processed))
    report = ws.ingest(jobs=max(1, args.jobs), force=args.force)
    print(report.table())
    return 0


def cmd_areas(args: argparse.Namespace) -> int:
    import pandas as pd

    from ..geography import Geography
    from ..workspace import workspace

    ws = workspace(args.raw)
    ws.ingest()
    geo = Geography.build(ws.lookups(), ws.observations(), areas_file=args.areas_file)
    tab = geo.table(args.level)
    if tab.empty:
        raise LisError(
            f"no areas of level '{args.level}' (levels: {', '.join(sorted(set(geo.table().level)))})"
        )
    if args.format == "csv":
        tab.to_csv(sys.stdout, index=False)
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
        print(f"warning: {w}", file=sys.stderr)
    return 0


def cmd_indicators(args: argparse.Namespace) -> int:
    """The indicator table for an area (DESIGN.md columns); why any indicator is missing."""
    params = _params(args)  # validated before any data is read
    years = parse_years(args.years) if getattr(args, "years", None) else None
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
        text = out.to_csv(index=False)
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
    if args.out:
        from .._files import atomic_write_text

        atomic_write_text(Path(args.out), text if text.endswith("\n") else text + "\n")
        print(f"wrote {len(out)} rows ({out['indicator_id'].nunique()} indicators) to {args.out}")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    shown_parts = tab.attrs.get("parts", {})
    for iid, why in missing.items():
        p = shown_parts.get(iid)
        if p is not None:
            listed = ", ".join(f"{r.name} {r.value:,.2f}" for r in p.parts.itertuples())
            bracket = (
                f"; median between {p.bracket[0]:,.2f} and {p.bracket[1]:,.2f}" if p.bracket else ""
            )
            print(
                f"note: {iid}: no single figure; for its parts ({p.period}): {listed}{bracket}",
                file=sys.stderr,
            )
        else:
            print(f"note: {iid}: {why}", file=sys.stderr)
    for iid, text in tab.attrs.get("vintage", {}).items():
        print(f"note: {iid}: {text}", file=sys.stderr)
    return 0


def cmd_fetch(args: argparse.Namespace) -> int:
    """Download the catalogue's files into the raw folder (see lis_analysis/fetch.py):
    exit 0 when everything was saved or already there, 1 when a file failed or was
    rejected, 2 without a network (NetworkError) or with a bad --only/catalogue."""
    from .. import fetch as fetch_mod

    if args.list:
        print(fetch_mod.listing(fetch_mod.select(fetch_mod.catalogue(), args.only)))
        return 0
    if args.timeout is not None and args.timeout <= 0:
        raise LisError(f"--timeout must be a positive number of seconds, not {args.timeout}")
    raw = Path(args.raw) if args.raw else paths().raw
    report = fetch_mod.fetch(raw, only=args.only, base_url=args.base_url, timeout=args.timeout)
    print(report.table())
    return 1 if report.failed else 0


def _run_params(args: argparse.Namespace):
    """Run parameters for run/watch: --area may name several areas (A,B or all-lsips), so
    it is validated code by code by the run rather than as the parameters' area."""
    params = _params(argparse.Namespace(**{**vars(args), "area": None}))
    if args.jobs is not None and args.jobs < 1:
        raise LisError(f"--jobs must be 1 or more, not {args.jobs}")
    return params


def cmd_run(args: argparse.Namespace) -> int:
    from .plan import parse_areas
    from .run import run

    params = _run_params(args)
    summary = run(
        params,
        areas=parse_areas(args.area) or None,
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

    params = _run_params(args)
    if args.interval <= 0:
        raise LisError(f"--interval must be a positive number of seconds, not {args.interval:g}")
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
