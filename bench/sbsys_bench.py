"""The export rows of the benchmark: SBSYS packages against the bare library calls, and the
SQLite export against SQLite's own backup API.

The bare reference writes the same content (every mål, tegn, prøvehandling and samarbejde of
each målplan) with openpyxl, python-docx and fpdf2 directly, in the same number of processes as
the export, with none of the export's layout, validation lists, QR code, PDF/A metadata,
journalisering or atomic writing. The ratio is what the app's care costs on top."""

from __future__ import annotations

import io
import os
import shutil
import sqlite3
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

FONTS = Path(__file__).resolve().parent.parent / "exports" / "fonts"


def _content(view: Any) -> list[tuple[str, list[list[str]]]]:
    """(section, rows) of the plain content of one målplan."""
    maal, tegn, proevehandlinger, samarbejder = [], [], [], []
    for m in view.maal:
        maal.append([m.nr, m.tekst, m.maalsaetning_tekst, m.ansvarlig or ""])
        for t in m.tegn:
            tegn.append([t.nr, t.tekst, t.type, t.datakilde or "", t.baseline or ""])
        for p in m.proevehandlinger:
            proevehandlinger.append(
                [
                    p.nr,
                    p.tekst,
                    p.forventning or "",
                    p.ansvarlig or "",
                    str(p.start or ""),
                    str(p.slut or ""),
                ]
            )
        for s in m.samarbejder:
            samarbejder.append(
                [m.nr, ", ".join(s.partner_navne), s.niveau, s.maal_for_samarbejdet or ""]
            )
    return [
        ("Mål", maal),
        ("Tegn", tegn),
        ("Prøvehandlinger", proevehandlinger),
        ("Samarbejder", samarbejder),
    ]


def _bare_one(args: tuple[str, str, list[tuple[str, list[list[str]]]]]) -> int:
    """Write one målplan's xlsx, docx and pdf with the libraries' plainest calls."""
    from docx import Document
    from fpdf import FPDF
    from openpyxl import Workbook

    folder, title, sections = args
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sections:
        ws = wb.create_sheet(name[:31])
        for r in rows:
            ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    (out / "plan.xlsx").write_bytes(buf.getvalue())
    doc = Document()
    doc.add_heading(title, 0)
    for name, rows in sections:
        doc.add_heading(name, 1)
        if rows:
            table = doc.add_table(rows=len(rows), cols=len(rows[0]))
            for row, values in zip(table.rows, rows, strict=True):
                for cell, v in zip(row.cells, values, strict=True):
                    cell.text = v
    buf = io.BytesIO()
    doc.save(buf)
    (out / "plan.docx").write_bytes(buf.getvalue())
    pdf = FPDF()
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.set_font("DejaVu", size=9)
    pdf.add_page()
    pdf.multi_cell(0, 6, title, new_x="LMARGIN", new_y="NEXT")
    for name, rows in sections:
        pdf.multi_cell(0, 6, name, new_x="LMARGIN", new_y="NEXT")
        for r in rows:
            pdf.multi_cell(0, 5, " | ".join(r), new_x="LMARGIN", new_y="NEXT")
    (out / "plan.pdf").write_bytes(bytes(pdf.output()))
    return 3


def typical_rows(folder: Path, count: int) -> list[Any]:
    """The SBSYS row for plans of a typical size: a municipality with a quarter of the mål
    (about 4 mål, 21 tegn and 21 prøvehandlinger per målplan instead of 17, 83 and 83)."""
    from bench.generate import make_municipality_db

    path = folder / "typisk.db"
    if not path.exists():
        make_municipality_db(path, scale=0.25, seed=2)
    out = rows(path, folder, count, key="sbsys_typical", label="typiske")
    return out


def rows(
    db_path: Path, folder: Path, count: int, *, key: str = "sbsys", label: str = "store"
) -> list[Any]:
    """The SBSYS row: `count` målplaner exported with `exports.sbsys.export_sbsys`."""
    from bench.run import Row, median
    from exports.sbsys import ExportOptions, export_sbsys
    from models.db import open_database
    from models.maalplan_view import load_maalplaner
    from models.queries import maalplaner_overview

    db = open_database(str(db_path))
    try:
        ids = [p.id for p in maalplaner_overview(db)][:count]
        views = load_maalplaner(db, ids)
        sections = [(v.titel, _content(v)) for v in views]
        n_tegn = sum(len(m.tegn) for v in views for m in v.maal)
        ours, bare = [], []
        for run in range(2):
            out = folder / f"sbsys-{run}"
            t0 = time.perf_counter()
            export_sbsys(db, out, ids, ExportOptions())
            ours.append(time.perf_counter() - t0)
            shutil.rmtree(out, ignore_errors=True)
            out = folder / f"bare-{run}"
            t0 = time.perf_counter()
            with ProcessPoolExecutor(max_workers=min(2, os.cpu_count() or 1)) as pool:
                list(
                    pool.map(
                        _bare_one, [(str(out / str(i)), t, s) for i, (t, s) in enumerate(sections)]
                    )
                )
            bare.append(time.perf_counter() - t0)
            shutil.rmtree(out, ignore_errors=True)
    finally:
        db.close()
    r = Row(
        key,
        f"SBSYS-pakker for {len(ids)} {label} målplaner (xlsx+docx+PDF/A+metadata)",
        median(ours),
        "s",
        "rene biblioteks-kald (openpyxl, python-docx, fpdf2), 2 processer",
        median(bare),
        "højst 12 s, begge kerner",
        runs=len(ours),
        note=f"{n_tegn:,} tegn i alt".replace(",", "."),
    )
    # The target is for 100 plans; with fewer plans in the database it is scaled down.
    r.ok = median(ours) <= 12 * min(len(ids), count) / 100
    if len(ids) < count:
        r.note += f"; kun {len(ids)} målplaner i databasen"
    return [r]


def sqlite_rows(db_path: Path, folder: Path, runs: int) -> list[Any]:
    """The SQLite export row: `exports.sqlite_export.export_sqlite` of the whole database."""
    from bench.run import Row, median
    from exports.sqlite_export import export_sqlite
    from models.db import open_database

    db = open_database(str(db_path))
    ours, ref = [], []
    try:
        for i in range(runs):
            out = folder / f"eksport-{i}.sqlite"
            t0 = time.perf_counter()
            export_sqlite(db, out)
            ours.append(time.perf_counter() - t0)
            out.unlink(missing_ok=True)
            copy = folder / f"kopi-{i}.sqlite"
            t0 = time.perf_counter()
            src = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
            dst = sqlite3.connect(copy)
            src.backup(dst)
            dst.close()
            src.close()
            ref.append(time.perf_counter() - t0)
            copy.unlink(missing_ok=True)
    finally:
        db.close()
    r = Row(
        "sqlite_export",
        "SQLite-eksport af den store kommune",
        median(ours),
        "s",
        "SQLite's backup-API (kopi af hele filen)",
        median(ref),
        "højst 2 s",
        runs=runs,
    )
    r.ok = median(ours) <= 2
    return [r]
