"""The command line: `udviklingsdag [--db PATH]` opens the app; subcommands do the rest.

Imports stay lazy so that `udviklingsdag` paints its first screen before the database layer
(sqlmodel, alembic) has finished loading."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from collections.abc import Callable, Sequence

from . import __version__

# Modules that add subcommands: each has `register(subparsers, common)`.
PLUGINS = ("tui.cli_bundle", "tui.cli_exports")


class DanishParser(argparse.ArgumentParser):
    """argparse with Danish error text and exit code 2 for usage errors."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"udviklingsdag: fejl i kommandoen: {message}\n")


def common_db(*, main: bool = False) -> argparse.ArgumentParser:
    """Parent parser with --db, shared by every subcommand. `--db` may come before or after the
    subcommand: a subcommand leaves the value given before it alone unless given again."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--db",
        metavar="STI",
        default=None if main else argparse.SUPPRESS,
        help="databasefil eller postgresql://-adresse (ellers $UDVIKLINGSDAG_DB "
        "eller standardfilen i din datamappe)",
    )
    return parent


def build_parser() -> argparse.ArgumentParser:
    common = common_db()
    parser = DanishParser(
        prog="udviklingsdag",
        description="Udviklingsdage og målplaner: facilitering uden net, konsolidering og "
        "SBSYS-klar eksport.",
        parents=[common_db(main=True)],
    )
    parser.add_argument("--version", action="version", version=f"udviklingsdag {__version__}")
    parser.set_defaults(func=cmd_open)
    sub = parser.add_subparsers(title="kommandoer", metavar="KOMMANDO", parser_class=DanishParser)

    p = sub.add_parser("demo", parents=[common], help="opret en demo-udviklingsdag og åbn den")
    p.add_argument("--no-open", action="store_true", help="skriv kun demodata, åbn ikke appen")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser(
        "info", parents=[common], help="vis hvor databasen er, skemaversion og antal"
    )
    p.add_argument("--json", action="store_true", help="skriv ét JSON-objekt")
    p.set_defaults(func=cmd_info)

    for name in PLUGINS:
        importlib.import_module(name).register(sub, common)
    return parser


def _open(args: argparse.Namespace):
    from models.db import open_database
    from models.paths import resolve_db

    return open_database(resolve_db(args.db))


def cmd_open(args: argparse.Namespace) -> int:
    from models.paths import resolve_db

    from .app import UdviklingsdagApp

    app = UdviklingsdagApp(db_target=resolve_db(args.db))
    app.run()
    return app.return_code or 0


def cmd_demo(args: argparse.Namespace) -> int:
    from models.demo import build_demo
    from models.queries import has_data
    from models.store import Store

    db = _open(args)
    try:
        store = Store(db)
        if has_data(db):
            print(
                f"Databasen {db.display_target} har allerede data; demoen er ikke tilføjet igen.",
                file=sys.stderr,
            )
        else:
            build_demo(store)
            print(f"Demo-udviklingsdagen er skrevet til {db.display_target}.")
        target = db.target
    finally:
        db.close()
    if args.no_open:
        return 0
    from .app import UdviklingsdagApp

    app = UdviklingsdagApp(db_target=target)
    app.run()
    return app.return_code or 0


def cmd_info(args: argparse.Namespace) -> int:
    from models.queries import database_info

    db = _open(args)
    try:
        info = database_info(db)
    finally:
        db.close()
    if args.json:
        print(json.dumps(info, ensure_ascii=False, indent=2))
        return 0
    print(f"Database:     {info['database']}")
    print(f"Skemaversion: {info['schema_revision']}")
    print(f"Bærbar:       {info['device']['navn']} ({info['device']['id']})")
    print(f"Ændringer:    {info['changes']}")
    for key, label in COUNT_LABELS.items():
        print(f"{label + ':':<22}{info['counts'][key]:>6}")
    return 0


COUNT_LABELS = {
    "direktoeromraader": "Direktørområder",
    "afdelinger": "Afdelinger",
    "enheder": "Enheder",
    "maalsaetninger": "Målsætninger",
    "maal": "Mål",
    "tegn": "Tegn",
    "proevehandlinger": "Prøvehandlinger",
    "samarbejder": "Samarbejder",
    "maalplaner": "Målplaner",
    "udviklingsdage": "Udviklingsdage",
    "borde": "Borde",
}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `udviklingsdag` command."""
    from models.errors import UdviklingsdagError

    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except UdviklingsdagError as exc:
        print(f"udviklingsdag: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("udviklingsdag: afbrudt.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`udviklingsdag ... | head`): nothing to report.
        sys.stderr.close()
        return 141
    except OSError as exc:
        print(
            f"udviklingsdag: filfejl: {exc.strerror or exc} ({exc.filename or ''})", file=sys.stderr
        )
        return 1
    except Exception as exc:
        # Never a traceback for the user (set UDVIKLINGSDAG_DEBUG=1 to see one), and never a
        # password: a lost database connection can quote the URL.
        if os.environ.get("UDVIKLINGSDAG_DEBUG"):
            raise
        print(f"udviklingsdag: {_unexpected(exc, getattr(args, 'db', None))}", file=sys.stderr)
        return 1


def _unexpected(exc: Exception, target: str | None) -> str:
    from models.db import _without_secret
    from models.paths import resolve_db

    text = _without_secret(str(exc).splitlines()[0] if str(exc) else "", resolve_db(target))
    if type(exc).__module__.startswith(("sqlalchemy", "psycopg")):
        return (
            "databasen svarede med en fejl, eller forbindelsen gik tabt. Intet halvt arbejde er "
            f"gemt; prøv igen. ({text[:200]})"
        )
    return (
        f"uventet fejl ({type(exc).__name__}: {text[:200]}). Intet halvt arbejde er gemt; "
        "prøv igen, og meld fejlen, hvis den kommer igen."
    )


if __name__ == "__main__":
    sys.exit(main())
