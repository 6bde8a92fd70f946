"""The write API: every write appends change-log entries with device and clock; tombstones;
undo; ordering."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from models.errors import NotFoundError, ValidationError
from models.store import CHANGE, HEAD
from models.tables import Maal, Samarbejde, Tegn

BOTH_BACKENDS = True


@pytest.fixture
def maal_id(store):
    enhed = store.create("enhed", navn="Nordlys Skole", type="enhed")
    ms = store.create("maalsaetning", tekst="Flere børn trives", kilde="politik", aar=2027)
    return store.create("maal", maalsaetning_id=ms, enhed_id=enhed, tekst="En voksen til alle")


def _changes(store, row_id: str) -> list:
    with store.engine.connect() as conn:
        return list(
            conn.execute(select(CHANGE).where(CHANGE.c.row_id == row_id).order_by(CHANGE.c.hlc))
        )


def test_create_logs_every_field_with_device_and_clock(store, maal_id):
    tid = store.create(Tegn, maal_id=maal_id, tekst="Færre fraværsdage", type="kvantitativ")
    entries = _changes(store, tid)
    fields = {c.field for c in entries}
    assert {"tekst", "type", "maal_id", "datakilde", "deleted"} <= fields
    assert {c.device_id for c in entries} == {store.device_id}
    assert len({c.action_id for c in entries}) == 1
    assert all(c.replaces is None for c in entries)
    hlcs = [c.hlc for c in entries]
    assert hlcs == sorted(hlcs) and len(set(hlcs)) == len(hlcs)
    assert json.loads(next(c.value for c in entries if c.field == "tekst")) == "Færre fraværsdage"


def test_update_replaces_previous_change_and_skips_unchanged(store, maal_id):
    tid = store.create(Tegn, maal_id=maal_id, tekst="A", type="kvalitativ")
    first = next(c for c in _changes(store, tid) if c.field == "tekst")
    assert store.update(Tegn, tid, tekst="B", type="kvalitativ") == 1
    assert store.update(Tegn, tid, tekst="B") == 0
    texts = [c for c in _changes(store, tid) if c.field == "tekst"]
    assert len(texts) == 2
    assert texts[1].replaces == first.id
    with store.engine.connect() as conn:
        heads = (
            conn.execute(
                select(HEAD.c.change_id).where(HEAD.c.row_id == tid, HEAD.c.field == "tekst")
            )
            .scalars()
            .all()
        )
    assert heads == [texts[1].id]


def test_delete_is_a_tombstone_that_cascades(store, maal_id):
    tid = store.create(Tegn, maal_id=maal_id, tekst="A", type="kvalitativ")
    assert store.delete(Maal, maal_id) == 2
    with store.engine.connect() as conn:
        rows = conn.execute(select(Tegn.__table__).where(Tegn.__table__.c.id == tid)).all()
    assert len(rows) == 1 and rows[0].deleted is True
    tomb = [c for c in _changes(store, tid) if c.field == "deleted"][-1]
    assert tomb.value == "true"
    covered = set(tomb.covers.split())
    assert covered == {c.id for c in _changes(store, tid) if c.field != "deleted"}
    with pytest.raises(NotFoundError):
        store.update(Tegn, tid, tekst="efter sletning")


def test_the_question_before_a_delete_counts_what_the_delete_takes(store, maal_id):
    """`owned_rows` counts what deleting a row takes along (tegn and their målinger, a
    prøvehandling's evalueringer and læring, …), in reading order, leaving out rows already
    deleted: exactly the rows `delete` then tombstones."""
    from datetime import date

    from models.queries import owned_rows

    t1 = store.create(Tegn, maal_id=maal_id, tekst="A", type="kvantitativ")
    store.create(Tegn, maal_id=maal_id, tekst="B", type="kvalitativ")
    for day in (1, 2, 3):
        store.create("maaling", tegn_id=t1, dato=date(2027, 1, day), vaerdi=float(day))
    gone = store.create("maaling", tegn_id=t1, dato=date(2027, 1, 4), vaerdi=4.0)
    store.delete("maaling", gone)
    ph = store.create("proevehandling", maal_id=maal_id, tekst="Prøv det")
    store.create("evaluering", proevehandling_id=ph, type="undervejs", effekt="Godt")
    store.create("laering", proevehandling_id=ph, tekst="Det virker", dato=date(2027, 2, 1))
    owned = owned_rows(store.db, "maal", maal_id)
    assert owned == {"tegn": 2, "maaling": 3, "proevehandling": 1, "evaluering": 1, "laering": 1}
    assert list(owned) == ["tegn", "maaling", "proevehandling", "evaluering", "laering"]
    assert owned_rows(store.db, "tegn", t1) == {"maaling": 3}
    assert owned_rows(store.db, "maaling", gone) == {}
    assert store.delete(Maal, maal_id) == sum(owned.values()) + 1
    assert owned_rows(store.db, "maal", maal_id) == {}


def test_undo_reverts_edits_then_creation(store, maal_id):
    tid = store.create(Tegn, maal_id=maal_id, tekst="Første", type="kvalitativ")
    store.update(Tegn, tid, tekst="Anden")
    result = store.undo()
    assert result is not None and "Hvad kigger vi efter" in result.description
    assert result.description.endswith("» på tegnet")  # the definite form, not «på tegn»
    with store.engine.connect() as conn:
        row = conn.execute(select(Tegn.__table__).where(Tegn.__table__.c.id == tid)).one()
    assert row.tekst == "Første" and not row.deleted
    assert store.undo().description == "nyt tegn"
    with store.engine.connect() as conn:
        row = conn.execute(select(Tegn.__table__).where(Tegn.__table__.c.id == tid)).one()
    assert row.deleted
    # The undo entries are changes themselves, marked with the action they undo.
    assert any(c.undo_of for c in _changes(store, tid))


def test_undo_of_delete_restores_children(store, maal_id):
    tid = store.create(Tegn, maal_id=maal_id, tekst="A", type="kvalitativ")
    store.delete(Maal, maal_id)
    assert store.undo().description == "sletning af mål"
    with store.engine.connect() as conn:
        assert not conn.execute(
            select(Tegn.__table__.c.deleted).where(Tegn.__table__.c.id == tid)
        ).scalar()
        assert not conn.execute(
            select(Maal.__table__.c.deleted).where(Maal.__table__.c.id == maal_id)
        ).scalar()


def test_undo_with_nothing_to_undo(store):
    assert store.undo() is None
    assert not store.can_undo()


def test_undo_stops_at_the_session_and_returns_the_older_action_to_ask_about(store, maal_id):
    """A workspace undoes what was done since it was opened without asking; the action before
    that (the day's preparation, yesterday's edits) comes back undone=False with what and when,
    and is undone only by its id, and only while it is still the last one."""
    from models.workspace import Workspace

    before = store.create(Tegn, maal_id=maal_id, tekst="Fra forberedelsen", type="kvalitativ")
    ws = Workspace(store.db)
    now = ws.create_or_update(
        "tegn", None, {"tekst": "I dag", "type": "kvalitativ"}, fixed={"maal_id": maal_id}
    )
    done = ws.undo(in_session=True)
    assert done is not None and done.done and done.description == "nyt tegn"
    older = ws.undo(in_session=True)
    assert older is not None and not older.done and older.description == "nyt tegn"
    assert older.action_id and older.when is not None
    # Asked twice, nothing was undone: the tegn from before is there.
    assert ws.undo(in_session=True) == older
    with store.engine.connect() as conn:
        rows = dict(conn.execute(select(Tegn.__table__.c.id, Tegn.__table__.c.deleted)).all())
    assert rows == {before: False, now: True}
    # Something new meanwhile: the old action is no longer the last, nothing is undone.
    third = ws.create_or_update(
        "tegn", None, {"tekst": "Senere", "type": "kvalitativ"}, fixed={"maal_id": maal_id}
    )
    assert ws.undo(action_id=older.action_id) is None
    assert ws.undo(in_session=True).done  # the new one, in this session
    confirmed = ws.undo(action_id=older.action_id)
    assert confirmed is not None and confirmed.done
    with store.engine.connect() as conn:
        rows = dict(conn.execute(select(Tegn.__table__.c.id, Tegn.__table__.c.deleted)).all())
    assert rows == {before: True, now: True, third: True}
    # Without `in_session` (the command line, tests) an undo goes on as before.
    assert store.undo() is not None


def test_failed_write_changes_nothing(store, maal_id):
    with store.engine.connect() as conn:
        before = conn.execute(select(CHANGE.c.id)).scalars().all()
    with pytest.raises(ValidationError):
        store.create(Tegn, maal_id=maal_id, tekst="ok", type="forkert")
    with pytest.raises(ValidationError):
        store.create(Tegn, maal_id="00000000-0000-4000-8000-000000000000", tekst="x")
    with store.engine.connect() as conn:
        assert conn.execute(select(CHANGE.c.id)).scalars().all() == before


def test_move_reorders_siblings(store, maal_id):
    a = store.create(Tegn, maal_id=maal_id, tekst="A")
    b = store.create(Tegn, maal_id=maal_id, tekst="B")
    c = store.create(Tegn, maal_id=maal_id, tekst="C")
    assert store.move(Tegn, c, -1)
    assert not store.move(Tegn, a, -1)
    with store.engine.connect() as conn:
        t = Tegn.__table__
        order = (
            conn.execute(select(t.c.id).where(t.c.maal_id == maal_id).order_by(t.c.position))
            .scalars()
            .all()
        )
    assert order == [a, c, b]
    store.undo()
    with store.engine.connect() as conn:
        order = (
            conn.execute(select(t.c.id).where(t.c.maal_id == maal_id).order_by(t.c.position))
            .scalars()
            .all()
        )
    assert order == [a, b, c]


def test_edit_is_durable_in_a_new_process(store, maal_id, db_target):
    import subprocess
    import sys

    store.update(Maal, maal_id, tekst="Gemt før lukning")
    code = (
        "import sys; from sqlalchemy import text; from models.db import open_database;"
        "db = open_database(sys.argv[1]);"
        "print(db.engine.connect().execute(text('select tekst from maal')).scalar())"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, db_target], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "Gemt før lukning"


def test_settings_and_device_name(store):
    store.set_setting("valgt_bord", "abc")
    assert store.get_setting("valgt_bord") == "abc"
    assert store.rename_device("  Bord 3 – Jens ") == "Bord 3 – Jens"
    with pytest.raises(ValidationError):
        store.rename_device("   ")


def test_list_fields_default_to_empty_lists(store, maal_id):
    sid = store.create("samarbejde", maal_id=maal_id, niveau="samskabelse")
    with store.engine.connect() as conn:
        t = Samarbejde.__table__
        assert conn.execute(select(t.c.partner_ids).where(t.c.id == sid)).scalar() == []
    entry = next(c for c in _changes(store, sid) if c.field == "partner_ids")
    assert entry.value == "[]"


def test_new_ids_are_uuid7_in_the_order_they_were_made(store, maal_id, monkeypatch):
    """Row, change and action ids are UUIDs of version 7: the format every reader checks,
    random where it must be, and sorted by the millisecond they were made in (so the indexes
    on them grow at one end)."""
    import re
    import time
    import uuid

    from models import store as store_module
    from models.schema import UUID_PATTERN

    made = [store_module.new_id() for _ in range(20_000)]
    assert len(set(made)) == len(made)
    for text in made[:50]:
        parsed = uuid.UUID(text)
        assert re.fullmatch(UUID_PATTERN, text) and str(parsed) == text
        assert parsed.version == 7 and parsed.variant == uuid.RFC_4122
    # The first 48 bits are the milliseconds since 1970; later milliseconds sort later.
    clock = iter([1_796_630_000_000_000_000 + n * 1_000_000 for n in range(3)])
    monkeypatch.setattr(time, "time_ns", lambda: next(clock))
    first, second, third = (store_module.new_id() for _ in range(3))
    assert first < second < third
    assert int(first.replace("-", "")[:12], 16) == 1_796_630_000_000
    monkeypatch.undo()
    # What the store writes: the row, its changes and their action all carry such ids.
    tid = store.create(Tegn, maal_id=maal_id, tekst="Flere smil", type="kvalitativ")
    entries = _changes(store, tid)
    assert uuid.UUID(tid).version == 7
    assert {uuid.UUID(c.id).version for c in entries} == {7}
    assert {uuid.UUID(c.action_id).version for c in entries} == {7}
    assert min(c.id for c in entries) > maal_id  # made after the mål


def test_definite_labels_of_every_kind() -> None:
    """«ændring af … på målplanen»: every kind of row in its definite form."""
    from models.changes import definite_label

    assert [definite_label(e) for e in ("maalplan", "maal", "samarbejde", "enhed", "note")] == [
        "målplanen",
        "målet",
        "samarbejdet",
        "enheden",
        "noten",
    ]
    assert definite_label("politik") == "politikken"
    assert definite_label("programblok") == "programpunktet"
