"""Notes of a mål or a table: after the tovholder merges handoff files from several laptops a
kind (parkeringsplads, ...) can hold several notes. Every one is shown, labelled with the
laptop that wrote it, and can be edited; this laptop can still write its own; emptying another
laptop's note deletes it undoably; the exports carry all of them; and the reused mål screen
does not keep old text areas in memory."""

from __future__ import annotations

import gc
from pathlib import Path
from typing import Any

from tests.tui.helpers import FakeClock, build_small, read, run_async, settle, wait_debounce


def _app(path: Path):
    from tui.app import UdviklingsdagApp

    return UdviklingsdagApp(str(path), clock=FakeClock())


def _laptop_notes(path: Path, ids: dict[str, Any], tmp: Path, notes: list[tuple]) -> None:
    """Each (laptop name, what, type, text) becomes a note written on that laptop (which got
    the day's workshop pack from the tovholder's database at `path`); then the tovholder
    imports every laptop's handoff file into `path`."""
    from exports.bundle import import_bundles, write_handoff, write_pack
    from models.db import open_database
    from models.store import Store

    main = open_database(str(path))
    try:
        pack = tmp / "pakke.udviklingsdag.json"
        write_pack(main, pack, udviklingsdag_id=ids["dag"])
        files = []
        for n, laptop in enumerate(dict.fromkeys(n[0] for n in notes)):
            db = open_database(str(tmp / f"laptop{n}.db"), device_name=laptop)
            try:
                import_bundles(db, [pack])
                store = Store(db)
                for name, where, kind, text in notes:
                    if name == laptop:
                        store.create("note", {**where, "type": kind, "tekst": text})
                files.append(write_handoff(db, tmp / f"laptop{n}.udviklingsdag.json").path)
            finally:
                db.close()
        import_bundles(main, files)
    finally:
        main.close()


def _own_note(path: Path, **values: Any) -> str:
    from models.db import open_database
    from models.store import Store

    db = open_database(str(path))
    try:
        return Store(db).create("note", values)
    finally:
        db.close()


def _merged_world(tmp_path: Path) -> tuple[Path, dict[str, Any]]:
    """The tovholder's database: its own parking-lot note on mål 1 and two more from two
    laptops; one laptop also wrote a læring on mål 2 and a note for the bord."""
    path = tmp_path / "tov.db"
    ids = build_small(path)
    ids["own"] = _own_note(path, maal_id=ids["m1"], type="parkering", tekst="Tovholderens")
    m1, m2 = {"maal_id": ids["m1"]}, {"maal_id": ids["m2"]}
    _laptop_notes(
        path,
        ids,
        tmp_path,
        [
            ("Bord 3 - Jens", m1, "parkering", "Husk kaffe"),
            ("Bord 4 - Sofie", m1, "parkering", "Spørg PPR"),
            ("Bord 3 - Jens", m2, "laering", "Netværk virker"),
            ("Bord 4 - Sofie", {"bord_id": ids["bord"]}, "parkering", "Lokalet er for lille"),
        ],
    )
    return path, ids


def _kind(screen: Any, kind: str) -> list[Any]:
    from screens.maal import NotesPanel

    return screen.query_one(NotesPanel).areas(kind)


def _by_text(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["tekst"]: r for r in rows}


async def _open_notes(app: Any, pilot: Any, maal_id: str) -> Any:
    await settle(app, pilot)
    app.screen.open_bord()
    await settle(app, pilot)
    app.screen.open_maal(maal_id)
    await settle(app, pilot)
    await pilot.press("4")
    await settle(app, pilot)
    return app.screen


def test_notes_with_origin_reads_who_wrote_each_note(tmp_path: Path) -> None:
    from models.db import open_database
    from models.queries import maal_detail, notes_with_origin
    from models.store import Store

    path, ids = _merged_world(tmp_path)
    db = open_database(str(path))
    try:
        Store(db).update("note", ids["own"], tekst="Tovholderens, rettet")
        notes = notes_with_origin(db, maal_id=ids["m1"])
        assert notes[0].tekst == "Tovholderens, rettet"  # oldest first
        by = {n.tekst: n for n in notes}
        assert set(by) == {"Tovholderens, rettet", "Husk kaffe", "Spørg PPR"}
        assert by["Husk kaffe"].written_by == "Bord 3 - Jens" and not by["Husk kaffe"].own
        assert by["Spørg PPR"].written_by == "Bord 4 - Sofie"
        own = by["Tovholderens, rettet"]
        assert own.own and own.written_by == "Testbærbar"
        assert own.edited is not None and own.written is not None and own.edited >= own.written
        detail = maal_detail(db, ids["m1"])
        assert detail is not None and detail.noter == notes
        bord = notes_with_origin(db, bord_id=ids["bord"])
        assert [(n.tekst, n.written_by) for n in bord] == [
            ("Lokalet er for lille", "Bord 4 - Sofie")
        ]
        assert notes_with_origin(db, maal_id="findes-ikke") == ()
    finally:
        db.close()


@run_async
async def test_merged_notes_of_one_kind_are_all_shown_and_editable(tmp_path: Path) -> None:
    from screens.maal import NoteArea

    path, ids = _merged_world(tmp_path)
    app = _app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_notes(app, pilot, ids["m1"])
        areas = _kind(screen, "parkering")
        assert [a.text for a in areas] == ["Tovholderens", "Husk kaffe", "Spørg PPR"]
        # The first is this laptop's own note (the one a new word used to go to).
        assert areas[0] is screen.query_one("#note-parkering", NoteArea)
        titles = [str(a.border_title) for a in areas]
        assert "fra Testbærbar (denne bærbare)" in titles[0]
        assert titles[1].startswith("fra Bord 3 - Jens, ")
        assert titles[2].startswith("fra Bord 4 - Sofie, ")
        label = screen.query_one("#notes-parkering").query_one("Label")
        assert "Parkeringsplads (3)" in str(label.render())
        # A kind with one note of this laptop's (or none) looks as before: one unlabelled area.
        assert [(a.text, a.border_title) for a in _kind(screen, "note")] == [("", None)]

        sofie = areas[2]
        sofie.focus()
        await pilot.press("end", "space", "o", "g", " ", "B", "U")
        await pilot.press("tab")  # leaving the field saves it at once
        await settle(app, pilot)
        areas[1].focus()
        await pilot.press("end", "!")
        await wait_debounce(app, pilot)
        assert not [a for a in _kind(screen, "parkering") if a.dirty]
    on_disk = _by_text(read(path, "note", maal_id=ids["m1"]))
    assert set(on_disk) == {"Tovholderens", "Husk kaffe!", "Spørg PPR og BU"}
    assert all(n["type"] == "parkering" for n in on_disk.values())


@run_async
async def test_own_note_next_to_another_laptops_note(tmp_path: Path) -> None:
    path, ids = _merged_world(tmp_path)
    app = _app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_notes(app, pilot, ids["m2"])
        areas = _kind(screen, "laering")
        # Jens's læring, then an empty area for this laptop's own (created on the first word).
        assert [a.text for a in areas] == ["Netværk virker", ""]
        assert str(areas[0].border_title).startswith("fra Bord 3 - Jens")
        assert areas[1].id == "note-laering" and areas[1].note_id is None
        areas[1].focus()
        await pilot.press("M", "e", "r", "e")
        await wait_debounce(app, pilot)
        await pilot.press("t", "i", "d")  # the same note, not a second one
        await wait_debounce(app, pilot)
        assert areas[1].note_id is not None

        # Coming back to the mål shows both, the own one now labelled as this laptop's.
        await pilot.press("escape")
        await settle(app, pilot)
        app.screen.open_maal(ids["m2"])
        await settle(app, pilot)
        await pilot.press("4")
        await settle(app, pilot)
        areas = _kind(app.screen, "laering")
        assert [a.text for a in areas] == ["Netværk virker", "Meretid"]
        assert "(denne bærbare)" in str(areas[1].border_title)
    notes = read(path, "note", maal_id=ids["m2"])
    assert sorted(n["tekst"] for n in notes) == ["Meretid", "Netværk virker"]


@run_async
async def test_emptied_note_from_another_laptop_is_deleted_undoably(tmp_path: Path) -> None:
    path, ids = _merged_world(tmp_path)
    app = _app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open_notes(app, pilot, ids["m1"])
        jens = _kind(screen, "parkering")[1]
        assert jens.text == "Husk kaffe"
        jens.focus()
        jens.select_all()
        await pilot.press("backspace")
        await pilot.press("tab")
        await settle(app, pilot)
        assert "Husk kaffe" not in _by_text(read(path, "note", maal_id=ids["m1"]))
        shown = [str(n.message) for n in app._notifications]
        assert any("Den tomme note fra Bord 3 - Jens er slettet" in m for m in shown)
        screen.reload()
        await settle(app, pilot)
        assert [a.text for a in _kind(screen, "parkering")] == ["Tovholderens", "Spørg PPR"]

        await pilot.press("f2")  # (Ctrl+Z in a text area undoes typing there)
        await settle(app, pilot)
        assert [a.text for a in _kind(screen, "parkering")] == [
            "Tovholderens",
            "Husk kaffe",
            "Spørg PPR",
        ]
    assert "Husk kaffe" in _by_text(read(path, "note", maal_id=ids["m1"]))


@run_async
async def test_table_notes_show_every_laptops_note(tmp_path: Path) -> None:
    from screens.maal import NotesScreen

    path, ids = _merged_world(tmp_path)
    app = _app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.screen.open_bord()
        await settle(app, pilot)
        app.push_screen(NotesScreen(bord_id=ids["bord"], title="Bord 1"))
        await settle(app, pilot)
        screen = app.screen
        areas = _kind(screen, "parkering")
        assert [a.text for a in areas] == ["Lokalet er for lille", ""]
        assert str(areas[0].border_title).startswith("fra Bord 4 - Sofie")
        areas[0].focus()
        await pilot.press("end", "!")
        await pilot.press("escape")  # back before the autosave pause: saved on the way out
        await settle(app, pilot)
    assert [n["tekst"] for n in read(path, "note", bord_id=ids["bord"])] == [
        "Lokalet er for lille!"
    ]


@run_async
async def test_reused_maal_screen_keeps_no_old_text_areas(tmp_path: Path) -> None:
    """Reopening mål (and the bord's notes) again and again does not pile up text areas:
    Textual keeps a removed TextArea reachable through the app's theme watchers."""
    from screens.maal import NoteArea, NotesScreen

    path, ids = _merged_world(tmp_path)
    app = _app(path)
    alive: list[int] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.screen.open_bord()
        await settle(app, pilot)
        bord = app.screen
        for n in range(6):
            bord.open_maal(ids["m1"] if n % 2 == 0 else ids["m2"])
            await settle(app, pilot)
            await pilot.press("4")
            await settle(app, pilot)
            expected = ["Tovholderens", "Husk kaffe", "Spørg PPR"] if n % 2 == 0 else [""]
            assert [a.text for a in _kind(app.screen, "parkering")] == expected
            assert len(app.screen.query(NoteArea)) == (5 if n % 2 == 0 else 4)
            await pilot.press("escape")
            await settle(app, pilot)
            app.push_screen(NotesScreen(bord_id=ids["bord"], title="Bord 1"))
            await settle(app, pilot)
            await pilot.press("escape")
            await settle(app, pilot)
            gc.collect()
            alive.append(sum(1 for o in gc.get_objects() if isinstance(o, NoteArea)))
    assert alive[2] == alive[4] and alive[3] == alive[5]  # (was growing by 3 to 6 a visit)


def test_exports_carry_every_note_of_a_kind(tmp_path: Path) -> None:
    import sqlite3

    from exports.bundle import read_bundle, write_pack
    from exports.sqlite_export import export_sqlite
    from models.db import open_database

    path, ids = _merged_world(tmp_path)
    db = open_database(str(path))
    try:
        export_sqlite(db, tmp_path / "data.sqlite")
        write_pack(db, tmp_path / "videre.udviklingsdag.json")
    finally:
        db.close()
    conn = sqlite3.connect(tmp_path / "data.sqlite")
    rows = conn.execute(
        "SELECT tekst FROM note WHERE maal_id = ? AND type = 'parkering' ORDER BY tekst",
        (ids["m1"],),
    ).fetchall()
    conn.close()
    assert [r[0] for r in rows] == ["Husk kaffe", "Spørg PPR", "Tovholderens"]
    bundle = read_bundle(tmp_path / "videre.udviklingsdag.json")
    texts = {e["value"] for e in bundle.entries if e["entity"] == "note" and e["field"] == "tekst"}
    assert {"Husk kaffe", "Spørg PPR", "Tovholderens", "Lokalet er for lille"} <= texts


def test_note_label_says_who_wrote_and_who_changed_it() -> None:
    from dataclasses import replace
    from datetime import date, datetime

    from models.records import Note
    from screens.maal import note_origin

    today = date(2026, 12, 3)
    note = Note(
        id="n",
        type="note",
        tekst="",
        maal_id=None,
        bord_id=None,
        written_by_id="a",
        written_by="Bord 3 - Jens",
        own=False,
        written=datetime(2026, 12, 3, 14, 5),
        edited_by_id="b",
        edited_by="Tovholder",
        edited=datetime(2027, 1, 14, 9, 30),
    )
    assert note_origin(note, today) == (
        "fra Bord 3 - Jens, 14:05 · rettet af Tovholder, 14-01-2027 09:30"
    )
    same = replace(note, edited_by="Bord 3 - Jens", edited_by_id="a", own=True)
    assert note_origin(same, today) == "fra Bord 3 - Jens (denne bærbare), 14:05"
    unknown = replace(note, written_by="", written_by_id=None, written=None, edited_by_id=None)
    assert note_origin(unknown, today) == "fra ukendt bærbar, ?"


@run_async
async def test_forms_opened_all_day_leave_no_text_areas_behind(tmp_path: Path) -> None:
    """Every form with a multi-line field (a tegn, a prøvehandling) is a new screen; closing
    it must free its text areas, or a day of forms piles them up in memory."""
    from screens.forms import RecordForm
    from screens.widgets import AutoTextArea

    path = tmp_path / "dag.db"
    ids = build_small(path)
    app = _app(path)
    alive: list[int] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.screen.open_bord()
        await settle(app, pilot)
        app.screen.open_maal(ids["m1"])
        await settle(app, pilot)
        for _ in range(5):
            await pilot.press("insert")
            await settle(app, pilot)
            assert isinstance(app.screen, RecordForm)
            assert app.screen.query(AutoTextArea)
            await pilot.press("escape")
            await settle(app, pilot)
            gc.collect()
            alive.append(sum(1 for o in gc.get_objects() if isinstance(o, AutoTextArea)))
    # At most the last form's areas may still be on their way out; before, every form's two
    # areas stayed (4, 6, ... 10 after five forms).
    assert max(alive) <= 2, alive
