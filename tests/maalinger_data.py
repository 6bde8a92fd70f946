"""A small workshop with målinger on a kvantitativ and a kvalitativ tegn, for the målinger
tests and snapshots (fixed data: the same chart every time)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

# Fixed values between udgangspunkt and forventet niveau, with one trend (six rising from
# 16 March; no randomness: snapshots must not move).
VALUES = (44.0, 46.5, 43.0, 47.5, 48.0, 46.0, 47.0, 49.0, 50.5, 52.0, 53.5, 52.0)


def add_maalinger(path: Path, ids: dict[str, Any], *, points: int = len(VALUES)) -> dict[str, Any]:
    """On mål m1 of `tests.tui.helpers.build_small`: a kvantitativ tegn «Andel elever, der
    trives» (udgangspunkt «45 %», forventet niveau «60 %») with `points` målinger two weeks
    apart from 5 January 2026, a second kvantitativ tegn with no målinger, and two
    prøvehandlinger following the first (one ended, one open-ended); one observation on the
    kvalitativ tegn that `build_small` made. Returns `ids` with tegn_k, tegn_tom, tegn_q, p1,
    p2 added."""
    from models.db import open_database
    from models.queries import live_rows
    from models.store import Store

    db = open_database(str(path))
    try:
        s = Store(db)
        ids["tegn_q"] = live_rows(db, "tegn", maal_id=ids["m1"])[0]["id"]
        with s.action() as tx:
            ids["tegn_k"] = s.create(
                "tegn",
                maal_id=ids["m1"],
                tekst="Andel elever, der trives i frikvarteret",
                type="kvantitativ",
                datakilde="Trivselsmåling hver 14. dag",
                baseline="45 %",
                forventet_niveau="60 %",
                tx=tx,
            )
            ids["tegn_tom"] = s.create(
                "tegn", maal_id=ids["m1"], tekst="Fravær i procent", type="kvantitativ", tx=tx
            )
            ids["p1"] = s.create(
                "proevehandling",
                maal_id=ids["m1"],
                tekst="Fast voksen i frikvarteret",
                start=date(2026, 2, 1),
                slut=date(2026, 3, 31),
                tegn_ids=[ids["tegn_k"]],
                tx=tx,
            )
            ids["p2"] = s.create(
                "proevehandling",
                maal_id=ids["m1"],
                tekst="Legepatruljer i alle klasser",
                start=date(2026, 4, 15),
                tegn_ids=[ids["tegn_k"]],
                tx=tx,
            )
            # A prøvehandling that does not follow the tegn: not on its chart.
            s.create(
                "proevehandling",
                maal_id=ids["m1"],
                tekst="Forældremøde om trivsel",
                start=date(2026, 3, 1),
                slut=date(2026, 3, 2),
                tx=tx,
            )
            for i in range(points):
                s.create(
                    "maaling",
                    tegn_id=ids["tegn_k"],
                    dato=date(2026, 1, 5) + timedelta(days=14 * i),
                    vaerdi=VALUES[i % len(VALUES)] + (i // len(VALUES)) * 0.5,
                    kilde="Trivselsmåling",
                    hvem="Anne Holm",
                    tx=tx,
                )
            s.create(
                "maaling",
                tegn_id=ids["tegn_q"],
                dato=date(2026, 3, 10),
                observation=(
                    "Tre elever fra 4.b gik selv hen til gårdvagten, da der var uro ved "
                    "boldbanen; det skete ikke i efteråret."
                ),
                kilde="Gårdvagternes noter",
                hvem="Jonas Krogh",
                tx=tx,
            )
    finally:
        db.close()
    return ids
