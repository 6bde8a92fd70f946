"""Benchmark: N målplaner (3 mål, 9 tegn, 6 prøvehandlinger, 6 evalueringer, 3 samarbejder
each) exported as SBSYS packages. Not a test; run it by hand:

    .venv/bin/python -m tests.exports.bench_export 100 --workers 2
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path


def build(store, n: int) -> None:
    """Write n målplaner through the Store."""
    with store.action() as tx:
        ms = [
            store.create(
                "maalsaetning",
                tx=tx,
                kilde="politik",
                tekst=f"Målsætning {i}: flere børn og unge trives i fællesskaber.",
            )
            for i in range(3)
        ]
        en = [
            store.create("enhed", tx=tx, navn=f"Enhed nr. {i} Ærø", type="enhed") for i in range(n)
        ]
    long = "Inden sommeren 2028 siger mindst 9 ud af 10 elever, at der er en voksen, de kan gå til."
    for i in range(n):
        with store.action() as tx:
            p = store.create(
                "maalplan",
                tx=tx,
                enhed_id=en[i],
                aar=2027,
                ansvarlig="Åse Øster",
                titel=f"Målplan 2027 for Enhed nr. {i} Ærø",
            )
            for k in range(3):
                m = store.create(
                    "maal",
                    tx=tx,
                    maalsaetning_id=ms[k],
                    maalplan_id=p,
                    enhed_id=en[i],
                    tekst=long,
                    fra_aar=2027,
                    til_aar=2028,
                    ansvarlig="Leder Bø",
                    plan_a=[1, 8],
                )
                ts = [
                    store.create(
                        "tegn",
                        tx=tx,
                        maal_id=m,
                        type="kvantitativ",
                        tekst="Flere elever svarer ja i trivselsmålingen.",
                        datakilde="Trivselsmålingen",
                        baseline="72 %",
                        forventet_niveau="90 %",
                    )
                    for _ in range(3)
                ]
                for _ in range(2):
                    ph = store.create(
                        "proevehandling",
                        tx=tx,
                        maal_id=m,
                        tekst=long,
                        ansvarlig="Anne",
                        start=date(2027, 2, 1),
                        slut=date(2027, 4, 30),
                        borgerinddragelse=True,
                        tegn_ids=ts[:2],
                    )
                    store.create(
                        "evaluering",
                        tx=tx,
                        proevehandling_id=ph,
                        type="undervejs",
                        dato=date(2027, 3, 15),
                        effekt="Godt",
                        laering="Mere af det",
                    )
                store.create(
                    "samarbejde",
                    tx=tx,
                    maal_id=m,
                    partner_ids=[en[(i + 1) % n]],
                    niveau="koordination",
                    forventningsafstemning="Vi mødes hver måned.",
                )


def main() -> None:
    from exports.sbsys import ExportOptions, export_sbsys
    from models.db import open_database
    from models.store import Store

    parser = argparse.ArgumentParser()
    parser.add_argument("n", type=int, nargs="?", default=100)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(str(Path(tmp) / "bench.db"))
        build(Store(db), args.n)
        started = time.perf_counter()
        cpu = time.process_time()
        result = export_sbsys(db, Path(tmp) / "ud", options=ExportOptions(workers=args.workers))
        wall = time.perf_counter() - started
        print(
            f"{len(result.packages)} pakker med {args.workers} processer: {wall:.2f} s "
            f"(hovedprocessens CPU {time.process_time() - cpu:.2f} s)"
        )
        db.close()


if __name__ == "__main__":
    main()
