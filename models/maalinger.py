"""The målinger of one tegn, as the målinger screen reads them: the tegn, its mål's text, its
live målinger (newest first) and its run chart (`models.runchart`) with the periods of the
mål's prøvehandlinger that follow the tegn."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from .db import Database
from .queries import _live, _proevehandling, _tegn, evaluering_counts, live_rows
from .records import Maaling, TegnMaalinger
from .runchart import run_chart


def maaling_record(r: Mapping[str, Any]) -> Maaling:
    """A måling row as its record."""
    return Maaling(
        r["id"], r["tegn_id"], r["dato"], r["vaerdi"], r["observation"], r["kilde"], r["hvem"]
    )


def newest_first(maalinger: list[Maaling]) -> tuple[Maaling, ...]:
    """Målinger newest first (undated last; one day's målinger in a fixed order)."""
    dated = sorted(
        (m for m in maalinger if m.dato is not None),
        key=lambda m: (m.dato or date.min, m.id),
        reverse=True,
    )
    return (*dated, *(m for m in maalinger if m.dato is None))


def tegn_maalinger(db: Database, tegn_id: str) -> TegnMaalinger | None:
    """A tegn with its mål's text, its live målinger and its run chart. None when the tegn is
    gone."""
    row = _live(db, "tegn", tegn_id)
    if row is None:
        return None
    tegn = _tegn(row)
    maal = _live(db, "maal", tegn.maal_id)
    maalinger = [maaling_record(r) for r in live_rows(db, "maaling", tegn_id=tegn_id)]
    following = [
        p
        for p in live_rows(db, "proevehandling", maal_id=tegn.maal_id)
        if tegn_id in (p["tegn_ids"] or ())
    ]
    counts = evaluering_counts(db, [p["id"] for p in following])
    proevehandlinger = tuple(_proevehandling(p, counts.get(p["id"], 0)) for p in following)
    return TegnMaalinger(
        tegn,
        maal["tekst"] if maal is not None else "",
        newest_first(maalinger),
        proevehandlinger,
        run_chart(tegn, maalinger, proevehandlinger),
    )
