"""The lederdag: the day before del 1 where each bord writes mål for its målsætninger (with
enhed, ansvarlig, period and possible partners). A mål written at a bord is a normal mål row;
this module puts it on the bord (`bord.maal_ids`) and on its enhed's målplan for the year (so
that it fills the plan's FØR sheet), as part of the action that created the mål: one Ctrl+Z
takes the mål away again, from the bord too.

The day's completeness rule and a new mål's years are in `models.rules` (`group_complete`,
`new_lederdag_maal`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import select

from .changes import CHANGE
from .db import bytewise, write_begin
from .schema import DELETED, ENTITIES, encode_value
from .store import Action, Store
from .tables import sql_table


def maalplan_for(store: Store, enhed_id: str | None, year: int | None) -> str | None:
    """The id of the enhed's målplan for `year` (the first by title when there are more), or
    None when it has none."""
    if not enhed_id or year is None:
        return None
    table = sql_table(ENTITIES["maalplan"].table)
    query = (
        select(table.c.id)
        .where(~table.c.deleted, table.c.enhed_id == enhed_id, table.c.aar == year)
        .order_by(bytewise(table.c.titel), bytewise(table.c.id))
        .limit(1)
    )
    with store.engine.connect() as conn:
        found = conn.execute(query).scalar()
    return str(found) if found is not None else None


def _creating_action(store: Store, maal_id: str) -> str | None:
    """The action of this laptop that created the mål, while it is not undone."""
    created = select(CHANGE.c.action_id).where(
        CHANGE.c.entity == "maal",
        CHANGE.c.row_id == maal_id,
        CHANGE.c.field == DELETED,
        CHANGE.c.value == encode_value(False),
        CHANGE.c.replaces.is_(None),
        CHANGE.c.undo_of.is_(None),
        CHANGE.c.device_id == store.device_id,
    )
    with store.engine.connect() as conn:
        action_id = conn.execute(created.limit(1)).scalar()
        if action_id is None:
            return None
        undone = conn.execute(
            select(CHANGE.c.id)
            .where(CHANGE.c.undo_of == action_id, CHANGE.c.device_id == store.device_id)
            .limit(1)
        ).first()
    return None if undone is not None else str(action_id)


@contextmanager
def _joining(store: Store, action_id: str | None) -> Iterator[Action]:
    """A write transaction in the action `action_id` (a new one when None): changes written
    in it are undone together with that action's."""
    if action_id is None:
        with store.action() as tx:
            yield tx
        return
    with store.lock, write_begin(store.engine) as conn:
        tx = Action(conn, action_id)
        yield tx
    if tx.written:
        store.last_saved = datetime.now()


def place_maal(store: Store, bord_id: str, maal_id: str, *, year: int) -> bool:
    """Put a mål written at a lederdag bord on the bord (appended to `maal_ids`) and on its
    enhed's målplan for its first year (`year` when it has none) when it is on no målplan or
    on another enhed's. A mål newly put on the bord joins the action that created it, so one
    undo removes both. Returns whether anything changed."""
    bord = _row(store, "bord", bord_id)
    maal = _row(store, "maal", maal_id)
    if bord is None or maal is None:
        return False
    values: dict[str, Any] = {}
    plan_id = maal["maalplan_id"]
    plan = _row(store, "maalplan", plan_id) if plan_id else None
    if plan is None or plan["enhed_id"] != maal["enhed_id"]:
        found = maalplan_for(store, maal["enhed_id"], maal["fra_aar"] or year)
        if found != plan_id:
            values["maalplan_id"] = found
    ids = list(bord["maal_ids"] or [])
    on_bord = maal_id in ids
    if on_bord and not values:
        return False
    join = None if on_bord else _creating_action(store, maal_id)
    with _joining(store, join) as tx:
        if not on_bord:
            store.update("bord", bord_id, {"maal_ids": [*ids, maal_id]}, tx=tx)
        if values:
            store.update("maal", maal_id, values, tx=tx)
    return True


def _row(store: Store, entity: str, row_id: str) -> dict[str, Any] | None:
    table = sql_table(ENTITIES[entity].table)
    with store.engine.connect() as conn:
        row = conn.execute(select(table).where(table.c.id == row_id)).mappings().first()
    return dict(row) if row is not None and not row["deleted"] else None
