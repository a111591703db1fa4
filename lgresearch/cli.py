"""Command line: ``lgresearch report | reproduce | processed | designations build PATH... | export TABLE OUT``.

Examples
--------
>>> build_parser().parse_args(["report", "--only", "01"]).only
['01']
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from lgresearch import designations
from lgresearch.errors import InputError, MissingExternalData
from lgresearch.export import export
from lgresearch.runner import rebuild_processed, run_reports


def build_parser() -> argparse.ArgumentParser:
    """Return the argument parser (sub-commands: report, reproduce, processed, designations).

    Returns
    -------
    argparse.ArgumentParser
        The parser with its sub-commands.

    Examples
    --------
    >>> build_parser().parse_args(["processed"]).command
    'processed'
    """
    parser = argparse.ArgumentParser(prog="lgresearch", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    rep = sub.add_parser("report", help="execute the notebooks in order and write HTML reports")
    rep.add_argument("--only", nargs="*", default=None, help="notebook name prefixes to run (default: all)")
    rep.add_argument("--timeout", type=int, default=1200, help="per-notebook timeout in seconds (whole notebook)")
    rep.add_argument("--no-api", action="store_true", help="skip the HTML API reference")
    rep.add_argument("--force", action="store_true", help="re-execute every notebook (ignore the cache)")
    rep.add_argument("--workers", type=int, default=2, help="notebooks executed at once (default 2)")

    repro = sub.add_parser("reproduce", help="rebuild data/processed, then every report and the site")
    repro.add_argument("--timeout", type=int, default=1200)
    repro.add_argument("--force", action="store_true",
                       help="rebuild data/processed and re-execute every notebook (ignore the caches)")
    repro.add_argument("--workers", type=int, default=2, help="notebooks executed at once (default 2)")

    sub.add_parser("processed", help="rebuild data/processed from data/raw and the third-party directory")

    des = sub.add_parser("designations", help="designation lists")
    des_sub = des.add_subparsers(dest="action", required=True)
    build = des_sub.add_parser("build", help="read list files, write the panel, the ledger and the check")
    build.add_argument("paths", nargs="+", help="list files or folders (xlsx, xls, csv, html, pdf, docx)")
    build.add_argument("--aliases", default=None, help="CSV of renamed firms (old_name,new_name)")
    build.add_argument("--out", default=None, help="output folder (default: data/processed)")

    exp = sub.add_parser("export", help="write the designation panel, deal events or step-ups to dta, csv or parquet")
    exp.add_argument("table", choices=["panel", "events", "step_ups"], help="what to export")
    exp.add_argument("out", help="output file; .dta (Stata 118, labelled), .csv or .parquet")
    exp.add_argument("--format", choices=["dta", "csv", "parquet"], default=None, help="default: from the suffix")
    exp.add_argument("--lists", nargs="*", default=[], help="designation list files or folders (panel, step_ups)")
    exp.add_argument("--aliases", default=None, help="CSV of renamed firms (old_name,new_name)")
    exp.add_argument("--deals", default=None, help="a 清科 (Zero2IPO) export (default: the third-party one)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``lgresearch`` console script.

    Parameters
    ----------
    argv : sequence of str, optional
        Command-line arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit status (0 on success).

    Examples
    --------
    >>> main(["processed"])  # doctest: +SKIP
    0
    """
    args = build_parser().parse_args(argv)
    if args.command == "report":
        return run_reports(only=args.only, timeout=args.timeout, api=not args.no_api, force=args.force,
                           workers=args.workers)
    if args.command == "reproduce":
        rebuild_processed(force=args.force, workers=args.workers)
        return run_reports(timeout=args.timeout, force=args.force, workers=args.workers)
    if args.command == "processed":
        rebuild_processed()
        return 0
    if args.command == "designations" and args.action == "build":
        return designations.cli_build(args.paths, aliases=args.aliases, out=args.out)
    if args.command == "export":
        return _export(args)
    return 2


def _export(args: argparse.Namespace) -> int:
    try:
        out = export(args.table, args.out, format=args.format, lists=args.lists, aliases=args.aliases,
                     deals_file=args.deals)
    except (InputError, MissingExternalData) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(f"{args.table} -> {out}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


#: Every public name of this module (issue 11, item 7).
__all__ = [
    "build_parser", "main"
]
