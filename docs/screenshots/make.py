"""The README's screenshots, made from the demo workshop at 80x24 and 120x40.

    .venv/bin/python docs/screenshots/make.py

Needs `rsvg-convert` (Debian `librsvg2-bin`). Builds the demo in a temporary folder, drives
the app as a user would (home, a bord, a mål, its QR code, konsolidering, the export, a bord
on the lederdag, the årshjul and a plan's year, a tegn's målinger with its run chart, the
evaluations that fall due) and writes `docs/screenshots/<nn>-<name>-<cols>x<rows>.png`; and a
PDF page with a run chart (`12-seriediagram-pdf.png`, needs `pdftoppm`)."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

SIZES = ((80, 24), (120, 40))
NOW = datetime(2027, 1, 24, 10, 42)


def _demo(folder: Path) -> Path:
    from models import settings
    from models.db import open_database
    from models.demo import build_demo
    from models.store import Store
    from models.workspace import Workspace

    path = folder / "demo.db"
    db = open_database(str(path), device_name="Bord 3 - Jens")
    try:
        build_demo(Store(db))
        Workspace(db).set_setting(settings.DEVICE_NAMED, True)
    finally:
        db.close()
    return path


async def _shots(db: Path, size: tuple[int, int], out: Path) -> list[Path]:
    from tui.app import UdviklingsdagApp

    app = UdviklingsdagApp(str(db), clock=lambda: NOW)
    made: list[Path] = []
    cols, rows = size

    async def settle() -> None:
        for _ in range(3):
            await app.settle()
            await pilot.pause()
        await asyncio.sleep(0.3)
        await pilot.pause()

    def save(name: str) -> None:
        svg = out / f"{name}-{cols}x{rows}.svg"
        app.save_screenshot(filename=svg.name, path=str(out))
        png = svg.with_suffix(".png")
        subprocess.run(["rsvg-convert", "-o", str(png), str(svg)], check=True)
        svg.unlink()
        made.append(png)

    async with app.run_test(size=size) as pilot:
        await settle()
        save("01-forside")
        app.screen.open_bord()  # type: ignore[attr-defined]
        await settle()
        save("02-bordets-maal")
        await pilot.press("enter")
        await settle()
        save("03-maal")
        await pilot.press("ctrl+k")
        await settle()
        save("04-qr-kode")
        await pilot.press("escape")
        await pilot.press("escape")
        await pilot.press("escape")
        await settle()
        app.action_consolidation()
        await settle()
        save("05-konsolidering")
        await pilot.press("escape")
        await settle()
        app.action_export()
        await settle()
        save("06-eksport")
        await pilot.press("escape")
        await settle()
        lederdag_day, lederdag_bord, plan, tegn = _year_ids(db)
        app.open_bord(lederdag_bord, lederdag_day)
        await settle()
        save("07-lederdag")
        await pilot.press("escape")
        await settle()
        app.action_aarshjul()
        await settle()
        save("08-aarshjul")
        app.screen.open_plan(plan)  # type: ignore[attr-defined]
        await settle()
        save("09-planens-aar")
        await pilot.press("escape")
        await pilot.press("escape")
        await settle()
        app.open_maalinger(tegn)
        await settle()
        save("10-maalinger")
        await pilot.press("escape")
        await settle()
        app.action_forfald()
        await settle()
        save("11-forfald")
        await pilot.press("escape")
        await settle()
        app.action_augustrapport()
        await settle()
        save("13-augustrapport")
        await pilot.press("escape")
        await settle()
        app.action_nyt_aar()
        await settle()
        save("14-nyt-aar")
    return made


def _report_page(db: Path, folder: Path) -> Path:
    """The first page of the demo's August status for 2026, as a PNG."""
    from datetime import date

    from exports.status_report_package import ReportOptions, export_report_package
    from models.db import open_database

    database = open_database(str(db))
    try:
        options = ReportOptions(when=date(2027, 1, 24))
        export_report_package(database, folder / "rapport", 2026, options)
    finally:
        database.close()
    pdf = next((folder / "rapport").glob("*/*_Augustrapport_2026.pdf"))
    out = HERE / "16-augustrapport-side-1"
    command = ["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile", "--"]
    subprocess.run([*command, str(pdf), str(out)], check=True)
    return out.with_suffix(".png")


def _poster(db: Path, folder: Path) -> Path:
    """Hjemmeplejen's Plan A poster for 2026 (A3), as a PNG."""
    from datetime import date

    from exports.plan_a_poster import export_posters
    from models.db import open_database

    database = open_database(str(db))
    try:
        export_posters(database, folder / "plakater", aar=2026, when=date(2027, 1, 24))
    finally:
        database.close()
    pdf = next((folder / "plakater").glob("*_PlanA_2026_Hjemmeplejen.pdf"))
    out = HERE / "15-plan-a-plakat"
    command = ["pdftoppm", "-png", "-r", "50", "-singlefile", "--", str(pdf), str(out)]
    subprocess.run(command, check=True)
    return out.with_suffix(".png")


def _year_ids(db: Path) -> tuple[str, str, str, str]:
    """The demo's lederdag and its first bord, Jobcenteret's 2026 plan (followed through the
    year) and its kvantitativ tegn with the most målinger."""
    import sqlite3

    con = sqlite3.connect(db)
    try:
        day, bord = con.execute(
            "SELECT d.id, b.id FROM udviklingsdag d JOIN bord b ON b.udviklingsdag_id = d.id"
            " WHERE d.dagdel = 'lederdag' AND NOT b.deleted ORDER BY b.position LIMIT 1"
        ).fetchone()
        (plan,) = con.execute(
            "SELECT p.id FROM maalplan p JOIN enhed e ON e.id = p.enhed_id"
            " WHERE e.navn LIKE 'Jobcenter%' AND p.aar = 2026"
        ).fetchone()
        (tegn,) = con.execute(
            "SELECT t.id FROM tegn t JOIN maaling m ON m.tegn_id = t.id JOIN maal ON maal.id ="
            " t.maal_id WHERE maal.maalplan_id = ? AND t.type = 'kvantitativ' AND NOT m.deleted"
            " GROUP BY t.id ORDER BY count(*) DESC, t.id LIMIT 1",
            (plan,),
        ).fetchone()
    finally:
        con.close()
    return day, bord, plan, tegn


def _chart_page(db: Path, folder: Path) -> Path:
    """The PDF page of Jobcenteret's 2026 plan that shows its first run chart, as a PNG."""
    from pypdf import PdfReader

    from exports.pdf import maalplan_pdf
    from exports.qr import reference_qr_png
    from exports.reference import reference_for
    from models.db import open_database
    from models.maalplan_view import load_maalplan

    _day, _bord, plan, _tegn = _year_ids(db)
    database = open_database(str(db))
    try:
        view = load_maalplan(database, plan)
        ref = reference_for(view)
        data = maalplan_pdf(view, ref, reference_qr_png(ref), when=NOW.date())
    finally:
        database.close()
    pdf = folder / "plan.pdf"
    pdf.write_bytes(data)
    pages = PdfReader(str(pdf)).pages
    page = next(i for i, p in enumerate(pages, 1) if "Forventet niveau" in p.extract_text())
    out = HERE / "12-seriediagram-pdf"
    pages_wanted = ["-f", str(page), "-l", str(page)]
    command = [
        "pdftoppm",
        "-png",
        "-r",
        "80",
        *pages_wanted,
        "-singlefile",
        "--",
        str(pdf),
        str(out),
    ]
    subprocess.run(command, check=True)
    return out.with_suffix(".png")


def main() -> int:
    if shutil.which("rsvg-convert") is None:
        print("rsvg-convert mangler (Debian: apt-get install librsvg2-bin)", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory() as tmp:
        # The user's own keymap.toml and settings stay out of the pictures.
        os.environ["XDG_CONFIG_HOME"] = str(Path(tmp) / "config")
        os.environ["XDG_DATA_HOME"] = str(Path(tmp) / "data")
        db = _demo(Path(tmp))
        for size in SIZES:
            for png in asyncio.run(_shots(db, size, HERE)):
                print(png.relative_to(HERE.parent.parent))
        if shutil.which("pdftoppm") is not None:
            print(_chart_page(db, Path(tmp)).relative_to(HERE.parent.parent))
            print(_poster(db, Path(tmp)).relative_to(HERE.parent.parent))
            print(_report_page(db, Path(tmp)).relative_to(HERE.parent.parent))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
