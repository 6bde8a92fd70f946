"""Child process of the document rows (issue 16): `python -m bench._documents KIND DB OUT`.

KIND is one of
- `augustrapport`: the August report package of the newest year of DB (PDF/A, .docx, .xlsx,
  journalisering) into the folder OUT, with the time of the bare data read (`status_report`)
  measured first, in the same process;
- `plan-a`: the Plan A posters of every målplan of DB (PDF and .docx) into OUT;
- `sbsys`: SBSYS packages for the first N målplaner of DB into OUT (`sbsys:N`), for the time a
  PDF page costs there.

Prints one JSON line: the seconds, the peak resident memory (as `bench._merge` reads it), and
how many PDF pages were written (pypdf), so the rows can compare time per page."""

from __future__ import annotations

import json
import sys
import time
from datetime import date
from pathlib import Path

from bench._merge import peak_rss_mb

WHEN = date(2027, 8, 16)  # the report is made in August


def _pdf_pages(folder: Path) -> int:
    from pypdf import PdfReader

    return sum(len(PdfReader(str(p)).pages) for p in folder.rglob("*.pdf"))


def run(kind: str, db_path: str, out: str) -> dict[str, object]:
    from models.db import open_database

    db = open_database(db_path)
    target = Path(out)
    what: dict[str, object] = {}
    try:
        if kind == "augustrapport":
            from exports.status_report_package import ReportOptions, export_report_package
            from models.status_report import report_years, status_report

            aar = max(report_years(db))
            t0 = time.perf_counter()
            report = status_report(db, aar, WHEN)
            what["data_seconds"] = time.perf_counter() - t0
            what["maal"] = len(report.maal)
            what["charts"] = sum(1 for m in report.maal for t in m.tegn if t.maalinger)
            t0 = time.perf_counter()
            export_report_package(db, target, aar, ReportOptions(when=WHEN))
            seconds = time.perf_counter() - t0
        elif kind == "plan-a":
            from exports.plan_a_poster import export_posters

            t0 = time.perf_counter()
            result = export_posters(db, target, when=WHEN)
            seconds = time.perf_counter() - t0
            what["posters"] = result.posters
        elif kind.startswith("sbsys:"):
            from exports.sbsys import ExportOptions, export_sbsys
            from models.queries import maalplaner_overview

            ids = [p.id for p in maalplaner_overview(db)][: int(kind.split(":")[1])]
            t0 = time.perf_counter()
            export_sbsys(db, target, ids, ExportOptions(when=WHEN))
            seconds = time.perf_counter() - t0
            what["maalplaner"] = len(ids)
        else:
            raise SystemExit(f"ukendt slags: {kind}")
    finally:
        db.close()
    return {"seconds": seconds, "peak_rss_mb": peak_rss_mb(), "pages": _pdf_pages(target), **what}


def main(argv: list[str]) -> int:
    kind, db_path, out = argv
    print(json.dumps(run(kind, db_path, out)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
