"""Subcommands for files other programs read: SBSYS packages, SQLite, the målplanskabelon in
and out, and `verify` for printed or filed copies.

`udviklingsdag verify FIL` answers with its exit code: 0 aktuel, 3 forældet, 4 ukendt,
5 ændret, 6 ikke sammenlignet (1 is any other error, 2 a mistake in the command)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .cli import DanishParser, dump_json, open_db, safe_json_text, say

VERIFY_EPILOG = (
    "Svaret står også i afslutningskoden: 0 = aktuel (filen svarer til databasen), "
    "3 = forældet (målplanen er ændret siden), 4 = ukendt (ingen reference, eller målplanen "
    "findes ikke i databasen), 5 = ændret (filens indhold er rettet efter eksporten), "
    "6 = ikke sammenlignet (referencen er aktuel, men indholdet kan ikke tjekkes, fx en PDF "
    "som et andet program har lavet); 1 = fejl, fx en fil der ikke kan læses."
)


def register(sub: argparse._SubParsersAction[DanishParser], common: DanishParser) -> None:
    """Add `export sbsys|sqlite`, `template`, `import` and `verify`."""
    p = sub.add_parser("export", parents=[common], help="eksportér til SBSYS-pakker eller SQLite")
    esub = p.add_subparsers(title="eksporter", metavar="FORMAT", parser_class=type(p))
    esub.required = True

    e = esub.add_parser(
        "sbsys",
        parents=[common],
        help="én SBSYS-klar mappe pr. målplan (xlsx, docx, PDF/A, metadata)",
    )
    e.add_argument("outdir", metavar="MAPPE", help="mappen, pakkerne skrives i")
    e.add_argument(
        "--maalplan",
        metavar="ID",
        action="append",
        default=None,
        help="kun denne målplan (kan gentages); ellers alle",
    )
    _package_arguments(e, "lav også en zip-fil pr. målplan")
    e.add_argument(
        "--qr-link",
        metavar="SKABELON",
        help="link i QR-koden, fx https://sbsys.kommune.dk/sag/{sagsnummer} (pladsholdere: "
        "{id}, {rev}, {digest}, {sagsnummer}); gemmes til næste gang",
    )
    e.add_argument("--json", action="store_true", help="skriv resultatet som JSON")
    e.set_defaults(func=cmd_export_sbsys)

    e = esub.add_parser(
        "plan-a",
        parents=[common],
        help="Plan A-plakater i A3 (PDF og Word), én pr. målplan",
    )
    e.add_argument("outdir", metavar="MAPPE", help="mappen, plakaterne skrives i")
    e.add_argument(
        "--aar",
        metavar="ÅR",
        type=int,
        default=None,
        help="målplanerne for dette år (ellers det planår, der forberedes: fra juli det næste)",
    )
    e.add_argument(
        "--maalplan",
        metavar="ID",
        action="append",
        default=None,
        help="kun denne målplan (kan gentages)",
    )
    e.add_argument("--json", action="store_true", help="skriv resultatet som JSON")
    e.set_defaults(func=cmd_export_plan_a)

    e = esub.add_parser(
        "augustrapport",
        parents=[common],
        help="augustrapporten til Kommunalbestyrelsen for et år: en SBSYS-klar mappe (PDF/A, "
        "Word, Excel, metadata)",
    )
    e.add_argument("outdir", metavar="MAPPE", help="mappen, rapportens pakke skrives i")
    e.add_argument(
        "--aar", metavar="ÅR", type=int, default=None, help="rapporten for dette år (ellers i år)"
    )
    e.add_argument(
        "--sagsnummer",
        metavar="NR",
        help="sagen i SBSYS, rapporten journaliseres på, fx 00.01.00-G01-12-26",
    )
    _package_arguments(e, "lav også en zip-fil af pakken")
    e.add_argument("--json", action="store_true", help="skriv resultatet som JSON")
    e.set_defaults(func=cmd_export_augustrapport)

    e = esub.add_parser(
        "sqlite",
        parents=[common],
        help="en selvstændig SQLite-fil med den aktuelle tilstand og visninger",
    )
    e.add_argument(
        "file",
        metavar="FIL",
        help="SQLite-filen, der skal skrives (en mappe: udviklingsdag-ÅÅÅÅ-MM-DD.sqlite i den)",
    )
    e.set_defaults(func=cmd_export_sqlite)

    p = sub.add_parser(
        "template", parents=[common], help="skriv en tom, selvforklarende målplanskabelon (.xlsx)"
    )
    p.add_argument("file", metavar="FIL.xlsx")
    p.set_defaults(func=cmd_template)

    p = sub.add_parser(
        "import",
        parents=[common],
        help="indlæs en udfyldt målplanskabelon eller en redigeret kladde (.xlsx)",
    )
    p.add_argument("file", metavar="FIL.xlsx")
    p.add_argument(
        "--dry-run", action="store_true", help="tjek kun filen og vis, hvad der ville blive indlæst"
    )
    p.add_argument(
        "--good-rows",
        action="store_true",
        help="indlæs de gode rækker, selv om andre rækker har fejl",
    )
    p.add_argument(
        "--ja",
        action="store_true",
        help="indlæs ændringerne fra en redigeret kladde (uden --ja vises kun, hvad der er ændret)",
    )
    p.add_argument(
        "--slet",
        action="store_true",
        help="slet også de rækker, der er fjernet fra arket i en redigeret kladde",
    )
    p.add_argument(
        "--fra",
        metavar="NAVN",
        help="hvem der har sendt filen (skrives i en note sammen med filnavnet)",
    )
    p.add_argument(
        "--plan",
        metavar="ID_ELLER_TITEL",
        help="målplanen, en udfyldt skabelon uden reference skal opdatere (dens id eller titel)",
    )
    p.add_argument("--json", action="store_true", help="skriv rapporten som JSON")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser(
        "verify",
        parents=[common],
        epilog=VERIFY_EPILOG,
        help="tjek om en .docx/.xlsx/.pdf fra programmet stadig er aktuel",
    )
    p.add_argument("file", metavar="FIL", nargs="?", default=None)
    p.add_argument(
        "--reference",
        metavar="TEKST",
        default=None,
        help="teksten fra QR-koden på et papir (eller fra sidefoden) i stedet for en fil",
    )
    p.add_argument("--json", action="store_true", help="skriv svaret som JSON")
    p.set_defaults(func=cmd_verify)


def _progress(done: int, total: int, text: str) -> None:
    if sys.stderr.isatty():
        from models.visible import visible

        shown = visible(text, 60)
        print(f"\r[{done}/{total}] {shown:<60}", end="", file=sys.stderr, flush=True)


def _package_arguments(e: argparse.ArgumentParser, zip_help: str) -> None:
    """The options every SBSYS package export takes: a zip, the drop file, DokumentArt."""
    e.add_argument("--zip", action="store_true", help=zip_help)
    e.add_argument(
        "--dropfil", action="store_true", help="skriv også SbsysDropFile.xml til SBSYS' drop-mappe"
    )
    e.add_argument(
        "--dokumentart",
        metavar="NAVN",
        help="DokumentArt i SBSYS (ellers den gemte, ellers «Internt»)",
    )


def cmd_export_sbsys(args: argparse.Namespace) -> int:
    from exports.sbsys import export_maalplaner
    from models import settings
    from models.workspace import Workspace

    ws = Workspace(open_db(args))
    try:
        ids = args.maalplan or [s.id for s in ws.maalplaner()]
        if not ids:
            from models.errors import UdviklingsdagError

            raise UdviklingsdagError("Databasen har ingen målplaner at eksportere.")
        if args.qr_link is not None:
            from exports.reference import check_link_template

            ws.set_setting(settings.EXPORT_QR_LINK_TEMPLATE, check_link_template(args.qr_link))
        result = export_maalplaner(
            ws,
            args.outdir,
            ids,
            zip=args.zip,
            drop_file=args.dropfil,
            dokument_art=args.dokumentart or None,
            progress=_progress,
        )
    finally:
        ws.close()
    if sys.stderr.isatty():
        print(file=sys.stderr)
    if args.json:
        print(
            dump_json(
                {
                    "mappe": str(result.outdir),
                    "sekunder": round(result.seconds, 2),
                    "pakker": [
                        {
                            "maalplan_id": p.maalplan_id,
                            "titel": p.titel,
                            "mappe": str(p.folder),
                            "zip": str(p.zip_path) if p.zip_path else None,
                            "reference": p.reference.text,
                            "erstattet": p.replaced,
                            "qr_uden_link": p.link_missing,
                        }
                        for p in result.packages
                    ],
                    "advarsler": result.warnings(),
                }
            )
        )
        return 0
    say(result.summary())
    for p in result.packages:
        say(f"  {p.folder}" + (f"  (+ {p.zip_path.name})" if p.zip_path else ""))
    for warning in result.warnings():
        say(f"Bemærk: {warning}")
    return 0


def cmd_export_plan_a(args: argparse.Namespace) -> int:
    from exports.plan_a_poster import export_posters
    from exports.sbsys import app_version
    from models import settings
    from models.errors import UdviklingsdagError
    from models.workspace import Workspace

    ws = Workspace(open_db(args))
    try:
        ids = tuple(args.maalplan) if args.maalplan else None
        from models.rules import season_year

        # The plan year being prepared, as the årshjul counts it (December 2026: 2027).
        aar = args.aar if args.aar is not None or ids else season_year(ws.today())
        if ids:
            found = {p.maalplan_id for p in ws.plan_a_posters(None, ids)}
            if unknown := [i for i in ids if i not in found]:
                raise UdviklingsdagError(
                    f"Målplanen {unknown[0]} findes ikke i databasen (eller er slettet). Tjek "
                    "id'et, eller lav plakaterne for et helt år med --aar ÅR."
                )
        result = export_posters(
            ws.database,
            args.outdir,
            when=ws.today(),
            aar=aar,
            maalplan_ids=ids,
            link_template=ws.setting(settings.EXPORT_QR_LINK_TEMPLATE),
            app_version=app_version(),
        )
    finally:
        ws.close()
    if not result.posters:
        raise UdviklingsdagError(
            f"Der er ingen målplaner for {aar}. Angiv et andet år med --aar ÅR."
            if aar is not None
            else "Der er ingen målplaner at lave plakater af."
        )
    if args.json:
        print(dump_json({"plakater": result.posters, "filer": [str(p) for p in result.written]}))
        return 0
    say(result.summary)
    for path in result.written:
        say(f"  {path}")
    return 0


def cmd_export_augustrapport(args: argparse.Namespace) -> int:
    from exports.status_report_package import export_status_report
    from models.workspace import Workspace

    ws = Workspace(open_db(args))
    try:
        aar = args.aar if args.aar is not None else ws.today().year
        package = export_status_report(
            ws,
            args.outdir,
            aar,
            sagsnummer=args.sagsnummer,
            dokument_art=args.dokumentart,
            drop_file=args.dropfil,
            zip=args.zip,
        )
    finally:
        ws.close()
    if args.json:
        print(
            dump_json(
                {
                    "mappe": str(package.folder),
                    "filer": [str(p) for p in package.files],
                    "zip": str(package.zip_path) if package.zip_path else None,
                    "reference": package.reference.text,
                    "erstattet": package.replaced,
                }
            )
        )
        return 0
    say(package.summary)
    for path in package.files:
        say(f"  {path.name}")
    if package.zip_path:
        say(f"  (+ {package.zip_path})")
    return 0


def cmd_export_sqlite(args: argparse.Namespace) -> int:
    from exports.sbsys import app_version
    from exports.sqlite_export import export_sqlite

    target = Path(args.file).expanduser()
    if target.is_dir():  # a folder: the file the app's «SQLite-fil» button writes there
        from datetime import date

        target = target / f"udviklingsdag-{date.today().isoformat()}.sqlite"
    db = open_db(args)
    try:
        counts = export_sqlite(db, target, app_version=app_version())
    finally:
        db.close()
    from models.words import count

    total = sum(counts.values())
    say(
        f"SQLite-filen er skrevet: {target} ({count('raekke', total)}). Se "
        "tabellen «dokumentation» og visningerne v_maal, v_samarbejde, v_maalplan og "
        "v_proevehandling."
    )
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    from datetime import date

    from exports.atomic import atomic_write
    from exports.sbsys import app_version
    from exports.xlsx import template_xlsx
    from models.errors import UdviklingsdagError

    target = Path(args.file).expanduser()
    if target.suffix.lower() != ".xlsx":
        raise UdviklingsdagError("Skabelonen skal have endelsen .xlsx, fx maalplan.xlsx.")
    if target.is_dir():
        raise UdviklingsdagError(f"{target} er en mappe. Angiv et filnavn, fx maalplan.xlsx.")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        from exports.atomic import write_error

        raise write_error(exc, target.parent) from None
    atomic_write(target, template_xlsx(when=date.today(), app_version=app_version()), kind="xlsx")
    say(
        f"En tom målplanskabelon er skrevet til {target}. Udfyld den, og indlæs den med: "
        f"udviklingsdag import {target}"
    )
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from exports.template_import import import_workbook
    from models.store import Store

    source = Path(args.file).name + (f" (sendt af {args.fra.strip()})" if args.fra else "")
    db = open_db(args)
    try:
        store = Store(db)
        # An edited kladde of a plan that is here is only previewed unless --ja is given.
        report = import_workbook(
            store,
            args.file,
            dry_run=True,
            good_rows=args.good_rows,
            delete=args.slet,
            source=source,
            plan=args.plan,
        )
        if not args.dry_run and (report.update_of is None or args.ja):
            report = import_workbook(
                store,
                args.file,
                good_rows=args.good_rows,
                delete=args.slet,
                source=source,
                plan=args.plan,
            )
    finally:
        db.close()
    if args.json:
        print(safe_json_text(report.to_json()))
    else:
        for issue in report.errors[:200]:
            say(f"FEJL: {issue.text()}")
        for issue in report.warnings[:200]:
            say(f"Advarsel: {issue.text()}")
        hidden = max(0, len(report.errors) - 200) + max(0, len(report.warnings) - 200)
        if hidden:
            print(f"... og {hidden} flere (se alle med --json).")
        for change in report.kladde[:500]:
            say(("  " if change.kind != "konflikt" else "! ") + change.text())
        say(report.summary())
        if report.update_of and report.kladde and not report.imported and not args.dry_run:
            say(
                "Intet er gemt endnu. Indlæs ændringerne med: udviklingsdag import FIL --ja "
                "(tilføj --slet for også at slette de fjernede rækker, --fra NAVN for afsenderen)."
            )
    if report.errors and not (report.good_rows and (report.imported or report.dry_run)):
        return 1
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    from exports.reference import (
        EXIT_CODES,
        read_reference,
        verify_file,
        verify_reference_text,
    )

    if (args.file is None) == (args.reference is None):
        say(
            "Angiv enten en fil (udviklingsdag verify FIL) eller teksten fra en QR-kode "
            "(udviklingsdag verify --reference TEKST), ikke begge.",
            file=sys.stderr,
        )
        return 2
    if args.file is not None:
        read_reference(args.file)  # read the file before opening (maybe creating) a database
    db = open_db(args)
    try:
        if args.file is not None:
            result = verify_file(db, args.file)
        else:
            result = verify_reference_text(db, args.reference)
    finally:
        db.close()
    if args.json:
        print(
            dump_json(
                {
                    "svar": result.status.value,
                    "besked": result.message,
                    "reference": result.reference.text if result.reference else None,
                    "aktuel_reference": result.current.text if result.current else None,
                }
            )
        )
    else:
        say(result.message)
    return EXIT_CODES[result.status]
