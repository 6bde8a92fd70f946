"""The workspace service: the one door between the screens and the data.

A screen never touches the database, a session or a file itself. It asks the App to run a call
on the `Workspace` in the one ordered database queue (`tui.jobs.DbQueue`), off the UI thread,
and gets the typed result back on the UI thread:

    host(self).read(lambda ws: ws.bord(bord_id), done=self._show)
    host(self).write(lambda ws: ws.save_field("tegn", tegn_id, "tekst", text), done=...)

Reads return frozen dataclasses (`models.records`), never dicts; writes are intents
(`save_field`, `add`, `delete`, `move`, `undo`, `resolve`, ...) that validate, write the row and
append the change log in one transaction through `models.store.Store`.

This module is imported by the screens only for typing; it loads SQLAlchemy lazily, when the
App opens the database, so the home screen can draw before SQLAlchemy has loaded."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .db import Database
    from .store import Store


class Workspace:
    """One open database, as this laptop's device: every read and write the screens need."""

    def __init__(self, db: Database) -> None:
        from .store import Store

        self._db = db
        self._store: Store = Store(db)

    @property
    def device_name(self) -> str:
        return self._db.device_name

    def close(self) -> None:
        self._db.close()
