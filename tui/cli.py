"""The command line: `udviklingsdag [--db PATH]` opens the app; subcommands do the rest.

Imports stay lazy so that `udviklingsdag` paints its first screen before the database layer
(sqlmodel, alembic) has finished loading."""

from __future__ import annotations

import argparse
import importlib
import json
import os
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NoReturn

from models.visible import UNSAFE_BEYOND_C0

from . import __version__

if TYPE_CHECKING:
    from models.db import Database

# Modules that add subcommands: each has `register(subparsers, common)`.
PLUGINS = ("tui.cli_bundle", "tui.cli_exports", "tui.cli_nyt_aar")


# argparse's own words (its gettext message ids, Python 3.11-3.14) in Danish. argparse looks
# them up through the module-level `_` and `ngettext`; `_danish_argparse` points those at this
# table while one of our parsers builds, parses or prints, and back afterwards.
ARGPARSE_DANISH = {
    "usage: ": "brug: ",
    "positional arguments": "argumenter",
    "options": "tilvalg",
    "optional arguments": "tilvalg",
    "subcommands": "kommandoer",
    "show this help message and exit": "vis denne hjælp og afslut",
    "show program's version number and exit": "vis programmets version og afslut",
    "%(prog)s: error: %(message)s\n": "%(prog)s: fejl: %(message)s\n",
    "%(prog)s: warning: %(message)s\n": "%(prog)s: advarsel: %(message)s\n",
    "argument %(argument_name)s: %(message)s": "%(argument_name)s: %(message)s",
    "unrecognized arguments: %s": "ukendte argumenter: %s",
    "the following arguments are required: %s": "disse argumenter mangler: %s",
    "one of the arguments %s is required": "et af argumenterne %s skal angives",
    "not allowed with argument %s": "kan ikke bruges sammen med %s",
    "ignored explicit argument %r": "tager ingen værdi (fik %r)",
    "expected one argument": "mangler en værdi",
    "expected at most one argument": "tager højst én værdi",
    "expected at least one argument": "mangler mindst én værdi",
    "expected %s argument": "forventede %s værdi",
    "expected %s arguments": "forventede %s værdier",
    "ambiguous option: %(option)s could match %(matches)s": (
        "tvetydigt tilvalg: %(option)s kan betyde %(matches)s"
    ),
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "ukendt valg: %(value)r (vælg mellem %(choices)s)"
    ),
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        "ukendt kommando %(parser_name)r (vælg mellem %(choices)s)"
    ),
    "invalid %(type)s value: %(value)r": "ugyldig værdi: %(value)r",
    "can't open '%(filename)s': %(error)s": "kan ikke åbne '%(filename)s': %(error)s",
    "unexpected option string: %s": "uventet tilvalg: %s",
    "option '%(option)s' is deprecated": "tilvalget '%(option)s' udgår",
    "command '%(parser_name)s' is deprecated": "kommandoen '%(parser_name)s' udgår",
    "argument '%(argument_name)s' is deprecated": "argumentet '%(argument_name)s' udgår",
    "default": "standard",
}

_argparse_depth = 0


def _danish_text(message: str) -> str:
    return ARGPARSE_DANISH.get(message, message)


def _danish_plural(singular: str, plural: str, n: int) -> str:
    return _danish_text(singular if n == 1 else plural)


@contextmanager
def _danish_argparse() -> Iterator[None]:
    """argparse speaks Danish inside the block (nested blocks are fine): the translation is
    scoped to our parsers, so another argparse user in the same process keeps its words."""
    global _argparse_depth
    module: Any = argparse
    saved = (module._, module.ngettext)
    if _argparse_depth == 0:
        module._, module.ngettext = _danish_text, _danish_plural
    _argparse_depth += 1
    try:
        yield
    finally:
        _argparse_depth -= 1
        if _argparse_depth == 0:
            module._, module.ngettext = saved


class DanishParser(argparse.ArgumentParser):
    """argparse in Danish (its help, usage and error words, see `ARGPARSE_DANISH`), with
    Danish error text and exit code 2 for usage errors."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        with _danish_argparse():
            super().__init__(*args, **kwargs)

    def add_argument(self, *args: Any, **kwargs: Any) -> argparse.Action:
        with _danish_argparse():
            return super().add_argument(*args, **kwargs)

    def add_subparsers(self, **kwargs: Any) -> Any:
        with _danish_argparse():
            return super().add_subparsers(**kwargs)

    def parse_known_args(self, *args: Any, **kwargs: Any) -> Any:
        with _danish_argparse():
            return super().parse_known_args(*args, **kwargs)

    def parse_args(self, *args: Any, **kwargs: Any) -> Any:
        with _danish_argparse():
            return super().parse_args(*args, **kwargs)

    def format_usage(self) -> str:
        with _danish_argparse():
            return super().format_usage()

    def format_help(self) -> str:
        with _danish_argparse():
            return super().format_help()

    def error(self, message: str) -> NoReturn:
        from models.visible import visible

        self.print_usage(sys.stderr)
        self.exit(2, f"udviklingsdag: fejl i kommandoen: {visible(message)}\n")


# Characters `json.dumps(ensure_ascii=False)` leaves as they are but a terminal may obey: DEL,
# the C1 controls (0x9B is CSI on some terminals) and the bidi, line-separator and BOM code
# points `models.visible` shows as placeholders. JSON output escapes them as \\uXXXX instead, so
# it stays exact JSON (C0 controls are escaped by `json.dumps` itself).
_JSON_UNSAFE = re.compile(f"[{UNSAFE_BEYOND_C0}]")


def dump_json(value: Any) -> str:
    """`value` as indented JSON (UTF-8 letters as they are) that is safe to print in a
    terminal: no control character of a file's text reaches it raw."""
    return safe_json_text(json.dumps(value, ensure_ascii=False, indent=2))


def safe_json_text(text: str) -> str:
    """JSON text with the characters of `_JSON_UNSAFE` written as \\uXXXX escapes (they can
    only occur inside strings, so the JSON means the same)."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def say(*lines: Any, file: Any = None) -> None:
    """Print lines of text that may hold data or text from files, each through
    `models.visible.visible`: control characters, and new lines inside a line (a device name
    cannot add a line of its own to a report), are shown as placeholders."""
    from models.visible import visible

    for line in lines:
        print(visible(line), file=file or sys.stdout)


def common_db(*, main: bool = False) -> DanishParser:
    """Parent parser with --db, shared by every subcommand. `--db` may come before or after the
    subcommand: a subcommand leaves the value given before it alone unless given again."""
    parent = DanishParser(add_help=False)
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
    parser.add_argument(
        "--version",
        action="version",
        version=f"udviklingsdag {__version__}",
        help="vis programmets version og afslut",
    )
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


def open_db(args: argparse.Namespace) -> Database:
    """The database named by `--db` (or the environment, or the default file), opened."""
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

    db = open_db(args)
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

    db = open_db(args)
    try:
        info = database_info(db)
        clocks = _clock_warnings(db)
    finally:
        db.close()
    if args.json:
        print(dump_json({**info, "clock_warnings": clocks}))
        return 0
    say(f"Database:     {info['database']}")  # display_target: no password in any form
    print(f"Skemaversion: {info['schema_revision']}")
    say(f"Bærbar:       {info['device']['navn']} ({info['device']['id']})")
    print(f"Ændringer:    {info['changes']}")
    for key, label in COUNT_LABELS.items():
        print(f"{label + ':':<22}{info['counts'][key]:>6}")
    say(*(f"Bemærk: {w}." for w in clocks))
    return 0


def _clock_warnings(db: Database) -> list[str]:
    """The clock warnings of the laptops whose files were imported («uret på Bord 3 går 73 år
    for hurtigt»), as the consolidation's Bærbare tab shows them."""
    from models.consolidation import device_summary

    return list(dict.fromkeys(s.clock_warning for s in device_summary(db) if s.clock_warning))


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


def _error(text: str) -> None:
    """One Danish error on stderr (control characters from files shown as placeholders); a
    stderr that is gone is no reason for a traceback."""
    from models.visible import visible

    try:
        print(f"udviklingsdag: {visible(text, 4000, multiline=True)}", file=sys.stderr)
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def _first_line(exc: BaseException) -> str:
    text = str(exc)
    return text.splitlines()[0][:200] if text else ""


def _install_hooks() -> None:
    """No traceback after any command, ever, also not from a thread or at shutdown: an error in
    a background thread is one Danish line on stderr, an «Exception ignored» during shutdown
    (a closed pipe, a finaliser) is dropped. UDVIKLINGSDAG_DEBUG=1 keeps Python's own."""
    import threading

    if os.environ.get("UDVIKLINGSDAG_DEBUG"):
        return

    def thread_hook(hook: threading.ExceptHookArgs) -> None:
        if hook.exc_type is SystemExit:
            return
        _error(
            f"en baggrundsopgave stoppede med en fejl ({hook.exc_type.__name__}: "
            f"{_first_line(hook.exc_value) if hook.exc_value else ''}). Tjek svaret ovenfor; "
            "sker det igen, så kør kommandoen igen med UDVIKLINGSDAG_DEBUG=1 og meld fejlen."
        )

    def except_hook(kind: type[BaseException], value: BaseException, _tb: object) -> None:
        if issubclass(kind, KeyboardInterrupt):
            _error("afbrudt.")
            return
        _error(
            f"uventet fejl ({kind.__name__}: {_first_line(value)}). Sker det igen, så kør "
            "kommandoen igen med UDVIKLINGSDAG_DEBUG=1 og meld fejlen."
        )

    threading.excepthook = thread_hook
    sys.excepthook = except_hook
    sys.unraisablehook = lambda _unraisable: None
    for stream in (sys.stdout, sys.stderr):
        # A terminal or pipe that cannot show a letter gets a \\xNN escape, not an error.
        try:
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            pass


def _stdout_gone() -> None:
    # The reader went away (`udviklingsdag ... | head`): point stdout at /dev/null so the
    # flush at shutdown does not report the broken pipe (the recipe in Python's signal docs).
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `udviklingsdag` command."""
    from models.errors import UdviklingsdagError

    if argv is None:  # the real command line, not a test calling `main([...])`
        _install_hooks()
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        code = func(args)
        sys.stdout.flush()
        return code
    except UdviklingsdagError as exc:
        _error(str(exc))
        return 1
    except KeyboardInterrupt:
        _error("afbrudt.")
        return 130
    except BrokenPipeError:
        _stdout_gone()
        return 141
    except OSError as exc:
        _error(
            _disk_full(exc, getattr(args, "db", None))
            or f"filfejl: {exc.strerror or exc} ({exc.filename or ''})"
        )
        return 1
    except Exception as exc:
        # Never a traceback for the user (set UDVIKLINGSDAG_DEBUG=1 to see one), and never a
        # password: a lost database connection can quote the URL.
        if os.environ.get("UDVIKLINGSDAG_DEBUG"):
            raise
        target = getattr(args, "db", None)
        _error(_disk_full(exc, target) or _unexpected(exc, target))
        return 1


def _disk_full(exc: BaseException, target: str | None) -> str | None:
    """The one Danish full-disk message (models.errors) when `exc` means a full disk (also
    SQLite's «disk I/O error» when the database's drive has no space left)."""
    from models.errors import disk_full_error
    from models.paths import is_url, resolve_db

    try:
        address: str | None = resolve_db(target)
    except Exception:
        address = None
    near = address if address and not is_url(address) else None
    full = disk_full_error(exc, near=near)
    return str(full) if full is not None else None


def _unexpected(exc: Exception, target: str | None) -> str:
    from models.db import redact_message
    from models.paths import resolve_db

    try:
        address: str | None = resolve_db(target)
    except Exception:
        address = target
    text = redact_message(str(exc).splitlines()[0] if str(exc) else "", address)
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
