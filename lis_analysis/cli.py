"""The ``lis`` command: demo, fetch, ingest, areas, indicators, run, watch.

Every user error (bad input file, bad parameter, unknown area) is printed as one line
on stderr with exit code 2; nothing prints a traceback unless ``--debug`` is given.
This module only parses the command line; what each verb does is in
:mod:`lis_analysis.pack.commands`. Heavy imports happen inside the commands so that
``lis --help`` is instant.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from . import __version__
from ._procs import Terminated, termination_raises
from .errors import LisError, printable

log = logging.getLogger("lis_analysis")

VERBS = ("demo", "fetch", "ingest", "areas", "indicators", "run", "watch")


def _add_raw(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--raw",
        action="append",
        metavar="DIR",
        help="folder of published files (repeatable); default data/raw, or the demonstrator when that is empty",
    )


def _add_area(p: argparse.ArgumentParser, *, many: bool = False) -> None:
    help_ = "area code (default E37000021, Leicester and Leicestershire)"
    if many:
        help_ += (
            "; several as CODE,CODE; every area of a level: all-lsips, all-districts, "
            "all-combined-authorities, all-itl3; @FILE: the codes in a text file"
        )
    p.add_argument("--area", metavar="CODE", help=help_)
    p.add_argument(
        "--areas-file", metavar="FILE", help="YAML of your own areas (see docs/areas.md)"
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lis",
        description=(
            "LIS Evidence Suite: turn published ONS, Nomis, MHCLG, DfE and Ofcom statistics into the "
            "evidence base of a local growth strategy, for any area made of local authority districts."
        ),
        epilog="Run 'lis COMMAND --help' for a command's options. Bad input or parameters exit with code 2.",
    )
    parser.add_argument("--version", action="version", version=f"lis {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="say more about what happens")
    parser.add_argument("--debug", action="store_true", help="show tracebacks (for developers)")
    sub = parser.add_subparsers(dest="verb", metavar="COMMAND")

    p = sub.add_parser(
        "demo",
        help="write the synthetic demonstrator files (published formats)",
        description="Write deterministic synthetic demonstrator files in the publishers' formats.",
    )
    p.add_argument("--out", metavar="DIR", help="where to write them (default data/demo)")

    p = sub.add_parser(
        "fetch",
        help="download the published files from ONS, Nomis, MHCLG, DfE",
        description="Download the current releases into the raw folder, never overwriting a release already there.",
    )
    p.add_argument("--raw", metavar="DIR", help="folder to save into (default data/raw)")
    p.add_argument(
        "--only", metavar="NAME", action="append", help="only this dataset (repeatable); see --list"
    )
    p.add_argument(
        "--list", action="store_true", help="list the datasets and their URLs, download nothing"
    )
    p.add_argument("--base-url", metavar="URL", help=argparse.SUPPRESS)
    p.add_argument("--timeout", type=float, default=60.0, help="seconds per request (default 60)")

    p = sub.add_parser(
        "ingest",
        help="parse, validate and store the raw files",
        description="Parse every raw file with its parser, validate it and write data/processed.",
    )
    _add_raw(p)
    p.add_argument("--processed", metavar="DIR", help="store folder (default data/processed)")
    p.add_argument(
        "--jobs", type=int, default=1, metavar="N", help="parse in N processes (default 1)"
    )
    p.add_argument("--force", action="store_true", help="re-parse files even if unchanged")

    p = sub.add_parser(
        "areas",
        help="list the areas known (code, name, level, member districts)",
        description="List the areas the lookups and area YAML files define.",
    )
    _add_raw(p)
    p.add_argument(
        "--level", metavar="LEVEL", help="only this level (lad, itl3, region, lsip, lep, ca ...)"
    )
    p.add_argument("--format", choices=["table", "csv", "json"], default="table")
    p.add_argument("--areas-file", metavar="FILE", help="YAML of your own areas")

    p = sub.add_parser(
        "indicators",
        help="the indicator table for an area against its benchmarks",
        description="Compute every indicator for an area against its benchmarks.",
    )
    _add_area(p)
    _add_raw(p)
    p.add_argument(
        "--params", metavar="FILE", help="run parameters YAML (area, years, benchmarks ...)"
    )
    p.add_argument(
        "--format",
        choices=["table", "csv", "json"],
        help="output format (default: a table on screen; csv when --out ends in .csv, json for .json)",
    )
    p.add_argument(
        "--years",
        metavar="FROM-TO|all",
        help="every year from FROM to TO (e.g. 2015-2022), or 'all': the series behind each "
        "trend, in the same long table (default: each indicator's latest year)",
    )
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of the screen")

    p = sub.add_parser(
        "run",
        help="execute the notebooks and export the HTML board pack",
        description="Execute the evidence notebooks (papermill) and export the HTML reports (nbconvert), re-running only what changed.",
    )
    _add_area(p, many=True)
    _add_raw(p)
    p.add_argument("--params", metavar="FILE", help="run parameters YAML")
    p.add_argument(
        "--jobs", type=int, metavar="N", help="notebooks in parallel (default: number of cores)"
    )
    p.add_argument("--force", action="store_true", help="re-run every notebook, ignoring the cache")
    p.add_argument(
        "--only",
        metavar="NAME",
        action="append",
        help="only this notebook (repeatable), e.g. 11_people",
    )
    p.add_argument(
        "--evidence",
        metavar="DIR",
        help="call-for-evidence and consultation folder (default data/raw/evidence)",
    )
    p.add_argument("--reports", metavar="DIR", help="output folder (default reports)")
    p.add_argument(
        "--executor",
        choices=("local", "dask"),
        default="local",
        help="where notebooks run: processes on this machine (default) or a Dask cluster "
        "(needs: pip install 'lis-analysis[cluster]')",
    )
    p.add_argument(
        "--scheduler",
        metavar="ADDR",
        help="with --executor dask: the scheduler's address, e.g. tcp://10.0.0.5:8786 "
        "(default $LIS_DASK_SCHEDULER; neither: a cluster on this machine for the run)",
    )

    p = sub.add_parser(
        "watch",
        help="re-run what a changed or new raw file affects",
        description="Poll the raw folders; ingest new or changed files and re-run the notebooks they affect.",
    )
    _add_area(p, many=True)
    _add_raw(p)
    p.add_argument("--params", metavar="FILE", help="run parameters YAML")
    p.add_argument(
        "--interval",
        type=float,
        default=30.0,
        metavar="SECONDS",
        help="seconds between polls (default 30)",
    )
    p.add_argument("--once", action="store_true", help="poll once and exit (for cron)")
    p.add_argument("--jobs", type=int, metavar="N", help="notebooks in parallel")
    p.add_argument("--evidence", metavar="DIR", help="call-for-evidence and consultation folder")
    p.add_argument("--reports", metavar="DIR", help="output folder (default reports)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if not args.verb:
        parser.print_help()
        return 0
    try:
        # SIGTERM (and SIGHUP) stop a command the way Ctrl-C does: locks released, worker
        # processes ended, temporary files removed, the run record says "interrupted".
        with termination_raises():
            from .pack import commands

            return int(getattr(commands, f"cmd_{args.verb}")(args) or 0)
    except LisError as exc:
        if args.debug:
            raise
        # escaped once more as a whole: whatever a message quotes (a file name, a cell,
        # a value typed on the command line), it prints as one line without raw control
        # characters (already escaped parts are unchanged)
        print(f"lis {args.verb}: error: {printable(exc)}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt as exc:
        # 130 for Ctrl-C, 128 + the signal's number for SIGTERM (143) or SIGHUP (129)
        signum = exc.signum if isinstance(exc, Terminated) else 2
        how = f"stopped by {exc.name}" if isinstance(exc, Terminated) else "interrupted"
        print(
            f"lis {args.verb}: {how}; finished outputs are kept, unfinished ones left as they were",
            file=sys.stderr,
        )
        return 128 + signum
    except Exception as exc:  # a bug, not a user error: say so in one line
        if args.debug:
            raise
        print(
            f"lis {args.verb}: internal error: {type(exc).__name__}: {printable(exc)} "
            "(please report it; run with --debug for the traceback)",
            file=sys.stderr,
        )
        return 3


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
