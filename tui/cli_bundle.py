"""`udviklingsdag bundle ...`: workshop packs and handoff files on the command line.

    udviklingsdag bundle export [--db STI] [--pack] [--dag ID] FIL
    udviklingsdag bundle import [--db STI] [--dry-run] [--json] [--fremmed] FIL...
    udviklingsdag bundle show [--json] FIL

Errors are raised as `UdviklingsdagError` subclasses; `tui.cli.main` prints them in Danish on
stderr and exits with code 1. Anything else a file provokes while it is read (a failure the
reader did not put into words) becomes a `BundleError` about the file, not «uventet fejl».
Everything printed that came from a file (device names, file names, refusal messages) goes
through `models.visible`.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from .cli import DanishParser, dump_json, open_db, say

if TYPE_CHECKING:
    from exports.bundle import BundleInfo


def register(sub: argparse._SubParsersAction[DanishParser], common: DanishParser) -> None:
    """Add the `bundle` command and its subcommands."""
    bundle = sub.add_parser(
        "bundle",
        help="workshop-pakker og overleveringsfiler: eksportér og importér",
        description="Flyt data mellem bærbare: workshop-pakker ud til facilitatorerne og "
        "overleveringsfiler tilbage til tovholderen.",
    )
    bundle.set_defaults(func=lambda _args: _usage(bundle))
    actions = bundle.add_subparsers(
        title="handlinger", metavar="HANDLING", parser_class=DanishParser
    )

    p = actions.add_parser(
        "export",
        parents=[common],
        help="skriv en overleveringsfil (eller en workshop-pakke med --pack)",
        description="Skriv denne bærbars egne ændringer til en overleveringsfil, eller med "
        "--pack en workshop-pakke til facilitatorernes bærbare.",
    )
    p.add_argument(
        "--pack",
        action="store_true",
        help="skriv en workshop-pakke (dagen, programmet, bordene, organisationen, "
        "målsætninger og mål)",
    )
    p.add_argument("--dag", metavar="ID", help="kun denne udviklingsdag i pakken (med --pack)")
    p.add_argument("--json", action="store_true", help="skriv resultatet som ét JSON-objekt")
    p.add_argument(
        "file", metavar="FIL", help="filen der skal skrives (.gz giver en komprimeret fil)"
    )
    p.set_defaults(func=cmd_export)

    p = actions.add_parser(
        "import",
        parents=[common],
        help="importér workshop-pakker og overleveringsfiler",
        description="Flet en eller flere filer ind i databasen. Den samme fil to gange, eller "
        "filerne i en anden rækkefølge, giver det samme resultat. Konflikter løses aldrig "
        "i stilhed: de vises i konsolideringen.",
    )
    p.add_argument(
        "--dry-run", action="store_true", help="vis kun hvad der ville ske; intet gemmes"
    )
    p.add_argument(
        "--json",
        action="store_true",
        help="skriv ét JSON-objekt med received, new, known og conflicts",
    )
    p.add_argument(
        "--fremmed",
        action="store_true",
        help="importér også filer fra en anden database (ingen fælles workshop-pakke eller "
        "oprindelse, fx fra en anden kommune). Uden --fremmed afvises de. En fremmed fil kan "
        "ikke tages ud igen: brug det kun, når du ved, at filen hører til her",
    )
    p.add_argument("files", metavar="FIL", nargs="+", help="filer der skal importeres")
    p.set_defaults(func=cmd_import)

    p = actions.add_parser("show", help="vis hvad en fil indeholder (uden at importere)")
    p.add_argument("--json", action="store_true", help="skriv ét JSON-objekt")
    p.add_argument("file", metavar="FIL")
    p.set_defaults(func=cmd_show)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


@contextmanager
def _file_errors(paths: list[str]) -> Iterator[None]:
    """Turn any failure the reader did not put into words into a Danish message about the
    file(s). The app's own errors, file system errors (named by `main`), database errors and
    Ctrl+C pass unchanged."""
    from exports.bundle import BundleError
    from models.errors import UdviklingsdagError
    from models.visible import visible

    try:
        yield
    except (UdviklingsdagError, OSError):
        raise
    except Exception as exc:
        if type(exc).__module__.startswith(("sqlalchemy", "psycopg")):
            # A value from the file the database driver could not take (SQLAlchemy wraps the
            # TypeError) is the file's fault; anything else is the database's.
            orig = getattr(exc, "orig", None)
            if not isinstance(orig, (TypeError, ValueError)):
                raise
            exc = orig
        text = str(exc).splitlines()[0][:200] if str(exc) else ""
        which = (
            f"Filen {visible(paths[0])} kunne ikke læses"
            if len(paths) == 1
            else "En af filerne kunne ikke læses"
        )
        raise BundleError(
            f"{which} ({type(exc).__name__}: {visible(text)}). Intet er ændret i databasen. "
            "Tjek, at det er en overleveringsfil eller workshop-pakke fra programmet, og bed "
            "afsenderen om en ny"
            + ("." if len(paths) == 1 else "; importér filerne én ad gangen for at finde den.")
        ) from None


def _info_json(info: BundleInfo) -> dict[str, Any]:
    return {
        "file": str(info.path),
        "kind": info.kind,
        "sha256": info.sha256,
        "device_id": info.device_id,
        "device_name": info.device_name,
        "created_at": info.created_at,
        "entries": info.entries,
        "counts": info.counts,
        "format_version": info.format_version,
    }


def cmd_export(args: argparse.Namespace) -> int:
    """Write a handoff file, or a workshop pack with --pack."""
    from exports.bundle import BundleError, write_handoff, write_pack

    if args.dag and not args.pack:
        raise BundleError("--dag kan kun bruges sammen med --pack.")
    db = open_db(args)
    try:
        if args.pack:
            info = write_pack(db, args.file, udviklingsdag_id=args.dag)
        else:
            info = write_handoff(db, args.file)
    finally:
        db.close()
    if args.json:
        print(dump_json(_info_json(info)))
    else:
        say(*info.summary_lines())
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Import files; with --dry-run only show what would happen."""
    from exports.bundle import import_bundles
    from models.store import Store

    db = open_db(args)
    try:
        with _file_errors(args.files):
            report = import_bundles(
                Store(db), args.files, dry_run=args.dry_run, allow_foreign=args.fremmed
            )
    finally:
        db.close()
    if args.json:
        print(dump_json(report.to_json()))
    else:
        say(*report.summary_lines())  # with each file's clock warning
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    """Describe a file without importing it."""
    from exports.bundle import read_bundle

    with _file_errors([args.file]):
        info = read_bundle(args.file).info
    warning = _file_clock_warning(info)
    if args.json:
        print(dump_json({**_info_json(info), "clock_warning": warning}))
    else:
        say(*info.summary_lines(), *([f"Bemærk: {warning}."] if warning else []))
    return 0


def _file_clock_warning(info: BundleInfo) -> str | None:
    """The warning the ledger will show for the writer's clock if the file is imported now
    (its `created_at` against this computer's clock), or None."""
    from models.consolidation import clock_offset, clock_warning

    return clock_warning(info.device_name, clock_offset(info.created_at))
