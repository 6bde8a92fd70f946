"""What one Plan A poster costs, part by part: `python -m bench.poster_parts DB`.

Reads the posters of every målplan of DB (the benchmark's large municipality:
`UDVIKLINGSDAG_BENCH_CACHE/scale-1.0-maalinger-12/kommune.db`), makes one poster first (the
fonts, the docx template and the caches each process builds once), then the QR code, the PDF
and the .docx of every poster in turn, and prints the CPU time (`time.process_time`) of each
part per poster in ms. Nothing is written to disk."""

from __future__ import annotations

import sys
import time
from datetime import date

WHEN = date(2027, 8, 16)


def main(argv: list[str]) -> int:
    from exports.plan_a_poster import poster_docx, poster_pdf, render_poster
    from exports.qr import reference_qr_png
    from exports.reference import poster_reference
    from models.db import open_database
    from models.plan_a import plan_a_posters

    db = open_database(argv[0])
    try:
        posters = plan_a_posters(db, None, None)
    finally:
        db.close()
    jobs = [(p, poster_reference(p)) for p in posters]
    first, ref = jobs[0]
    t0 = time.process_time()
    render_poster(first, ref, "x", WHEN, "")
    setup = time.process_time() - t0
    jobs = jobs[1:]
    t0 = time.process_time()
    pngs = [reference_qr_png(r) for _p, r in jobs]
    qr = time.process_time() - t0
    t0 = time.process_time()
    for (p, r), png in zip(jobs, pngs, strict=True):
        poster_pdf(p, r, png, when=WHEN)
    pdf = time.process_time() - t0
    t0 = time.process_time()
    for (p, r), png in zip(jobs, pngs, strict=True):
        poster_docx(p, r, png, when=WHEN)
    docx = time.process_time() - t0
    n = len(jobs)
    print(f"{n + 1} plakater; den første (med det, en proces bygger én gang): ", end="")
    print(f"{setup * 1000:.0f} ms")
    print(f"pr. plakat: QR-kode {qr / n * 1000:.2f} ms, PDF {pdf / n * 1000:.2f} ms, ", end="")
    print(f".docx {docx / n * 1000:.2f} ms, i alt {(qr + pdf + docx) / n * 1000:.2f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
