"""Keys that cannot destroy work (issue 13): text typed on the mål screen opens and deletes
nothing, Delete asks (Enter deletes, Esc keeps) and undo brings it back, Shift+letter does
what the letter does, the user's keymap file remaps by binding id (a bad file: a Danish notice
and the default keys), Esc on an incomplete new record keeps an udkast, a del 2 day opens a mål
on Prøvehandlinger, a long tegn can be read by keyboard, and the header names the mål."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from screens.keys import (
    all_bindings,
    declared_bindings,
    keymap_path,
    parse_keymap,
    unknown_names,
    with_shift,
)
from tests.tui.helpers import (
    FakeClock,
    assert_all_reachable,
    assert_reachable,
    build_small,
    prompt_text,
    read,
    run_async,
    settle,
)

SIZE = (80, 24)


def _app(path: Path):
    from tui.app import UdviklingsdagApp

    return UdviklingsdagApp(str(path), clock=FakeClock())


async def _open_maal(app, pilot) -> None:
    from screens.maal import MaalScreen

    await settle(app, pilot)
    app.screen.open_bord()
    await settle(app, pilot)
    await pilot.press("enter")
    await settle(app, pilot)
    assert isinstance(app.screen, MaalScreen)


def _prompts(option_list) -> list[str]:
    return [
        prompt_text(option_list.get_option_at_index(i).prompt)
        for i in range(option_list.option_count)
    ]


def _notices(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


# --- the bindings themselves --------------------------------------------------------------------


def test_every_binding_has_a_stable_unique_id_and_shift_letters() -> None:
    from tui.app import UdviklingsdagApp

    declared = declared_bindings(UdviklingsdagApp.BINDINGS)
    missing = [(where, b.key) for where, b in declared if not b.id]
    assert missing == []
    # F1's list of keys says what each does (its tooltip).
    assert [(where, b.id) for where, b in declared if not b.tooltip] == []
    ids = [b.id for _where, b in declared]
    assert len(ids) == len(set(ids)), sorted(i for i in ids if ids.count(i) > 1)
    bindings = all_bindings(UdviklingsdagApp.BINDINGS)
    assert {"maal.qr", "item.add", "item.delete", "home.prepare", "app.undo"} <= set(ids)
    for binding in bindings:
        keys = binding.key.split(",")
        for key in keys:
            if len(key) == 1 and key.isalpha() and key.islower():
                assert key.upper() in keys, (binding.id, binding.key)


def test_the_maal_screen_has_no_letter_commands() -> None:
    from screens.maal import SAFE_LIST, MaalScreen

    for binding in MaalScreen.BINDINGS:
        assert not any(len(k) == 1 and k.isalpha() for k in binding.key.split(","))
    assert SAFE_LIST == {"letters": False, "ask_before_delete": True}


def test_with_shift() -> None:
    assert with_shift("k") == "k,K"
    assert with_shift("f8, ctrl+k,x") == "f8,ctrl+k,x,X"
    assert with_shift("n,N") == "n,N"


# --- typing on the mål screen -------------------------------------------------------------------


@run_async
async def test_text_typed_on_the_maal_screen_deletes_and_opens_nothing(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    ids = build_small(path)
    before = read(path, "tegn", maal_id=ids["m1"])
    app = _app(path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_maal(app, pilot)
        screen = app.screen
        assert screen.query_one("#list-tegn").highlighted_id == before[0]["id"]
        await pilot.press("left_square_bracket", "b", "o", "l", "d")
        await settle(app, pilot)
        # Said once, not per key: the facilitator learns where the text did not go.
        hints = [n for n in _notices(app) if "ikke i et tekstfelt" in n]
        assert len(hints) == 1
        typed = " d a e k x v q f n A E D K V X"
        for char in typed:
            await pilot.press(char if char != " " else "space")
            if char == " ":
                # Space reads the item: a view that Esc closes and nothing else (no form).
                from screens.forms import ReadScreen

                if isinstance(app.screen, ReadScreen):
                    await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen
        assert len(app.screen_stack) == 3  # home, bord, mål: no form, QR or dialog
        assert len([n for n in _notices(app) if "ikke i et tekstfelt" in n]) <= 1
    assert read(path, "tegn", maal_id=ids["m1"]) == before != []


@run_async
async def test_delete_asks_esc_keeps_enter_deletes_undo_restores(tmp_path: Path) -> None:
    from screens.forms import ConfirmScreen

    path = tmp_path / "d.db"
    ids = build_small(path)
    app = _app(path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_maal(app, pilot)
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        question = str(app.screen.query_one("#confirm-question").render())
        assert "Eleverne opsøger selv en voksen" in question
        await assert_all_reachable(pilot, "#confirm-question", "#confirm-keys", "#yes", "#no")
        await pilot.press("j", "y", "J", "Y")  # typing on: no letter answers «yes» here
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmScreen)
        assert len(read(path, "tegn", maal_id=ids["m1"])) == 1
        await pilot.press("escape")
        await settle(app, pilot)
        assert len(read(path, "tegn", maal_id=ids["m1"])) == 1

        await pilot.press("delete")
        await pilot.pause()
        await pilot.press("enter")
        await settle(app, pilot)
        assert read(path, "tegn", maal_id=ids["m1"]) == []
        assert "Ingen tegn endnu" in _prompts(app.screen.query_one("#list-tegn"))[0]

        await pilot.press("ctrl+z")
        await settle(app, pilot)
        assert len(read(path, "tegn", maal_id=ids["m1"])) == 1
        assert "Eleverne opsøger" in _prompts(app.screen.query_one("#list-tegn"))[0]


@run_async
async def test_safe_keys_add_edit_qr_evalueringer(tmp_path: Path) -> None:
    from screens.evalueringer import EvalueringerScreen
    from screens.forms import RecordForm
    from screens.takeaway import TakeawayScreen

    path = tmp_path / "s.db"
    ids = build_small(path)
    app = _app(path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_maal(app, pilot)
        await pilot.press("insert")
        await settle(app, pilot)
        assert isinstance(app.screen, RecordForm) and app.screen.row_id is None
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("ctrl+a")
        await settle(app, pilot)
        assert isinstance(app.screen, RecordForm)
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, RecordForm) and app.screen.row_id is not None
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("ctrl+k")
        await settle(app, pilot)
        assert isinstance(app.screen, TakeawayScreen)
        await pilot.press("K")  # Shift+K closes it as k does
        await settle(app, pilot)
        await pilot.press("2")
        await pilot.pause()
        from models.db import open_database
        from models.store import Store

        db = open_database(str(path))
        Store(db).create("proevehandling", maal_id=ids["m1"], tekst="Fast voksen i frikvarteret")
        db.close()
        app.screen.reload()
        await settle(app, pilot)
        await pilot.press("ctrl+e")
        await settle(app, pilot)
        assert isinstance(app.screen, EvalueringerScreen)


# --- Shift+letter -------------------------------------------------------------------------------


@run_async
async def test_shift_letter_does_what_the_letter_does(tmp_path: Path) -> None:
    from screens.forms import RecordForm
    from screens.help import HelpScreen
    from screens.home import HomeScreen
    from screens.prepare import PrepareScreen

    path = tmp_path / "s.db"
    build_small(path)
    app = _app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("F")  # Shift+F (Caps Lock gives the same key)
        await settle(app, pilot)
        assert isinstance(app.screen, PrepareScreen)
        await pilot.press("A")  # the lists of Forbered keep their letters, with Shift too
        await settle(app, pilot)
        assert isinstance(app.screen, RecordForm) and app.screen.spec.entity == "udviklingsdag"
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("M")  # a new målsætning
        await settle(app, pilot)
        assert isinstance(app.screen, RecordForm) and app.screen.spec.entity == "maalsaetning"
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("Q")
        await pilot.pause()
        assert isinstance(app.screen, PrepareScreen)


@run_async
async def test_forbered_footer_shows_m_and_o_on_their_tabs(tmp_path: Path) -> None:
    """M (ny målsætning) is in the footer on the mål tab and O (ny enhed øverst) on the
    organisation tab; elsewhere they are left out of the footer but still work."""
    from textual.widgets import TabbedContent
    from textual.widgets._footer import FooterKey

    from screens import texts
    from screens.forms import RecordForm
    from screens.prepare import PrepareScreen
    from screens.widgets import ItemList

    path = tmp_path / "s.db"
    build_small(path)
    app = _app(path)

    def shown() -> set[str]:
        return {k.description for k in app.screen.query(FooterKey) if k.display}

    async with app.run_test(size=(160, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("f")
        await settle(app, pilot)
        assert isinstance(app.screen, PrepareScreen)
        maalsaetning, top = texts.B_NEW_MAALSAETNING[0], texts.B_NEW_TOP[0]
        assert maalsaetning not in shown() and top not in shown()
        tabs = app.screen.query_one("#prep-tabs", TabbedContent)
        for _ in range(4):
            await pilot.press("right")
            await settle(app, pilot)
            if tabs.active == "tab-maal":
                break
        assert tabs.active == "tab-maal"
        assert maalsaetning in shown() and top not in shown()
        await pilot.press("left", "left")
        await settle(app, pilot)
        assert tabs.active == "tab-org"
        assert top in shown() and maalsaetning not in shown()
        await pilot.press("m")  # works from the organisation tab, not shown there
        await settle(app, pilot)
        assert isinstance(app.screen, RecordForm) and app.screen.spec.entity == "maalsaetning"
        # Closed, the form leaves the mål list focused on the new row (it left the focus on the
        # tabs, where ↑, ↓ and Delete did nothing).
        await pilot.press(*"Børn [bold]trives[/]", "escape")
        await settle(app, pilot)
        assert isinstance(app.screen, PrepareScreen) and tabs.active == "tab-maal"
        listing = app.screen.query_one("#prep-maal", ItemList)
        assert app.focused is listing
        (made,) = [r for r in read(path, "maalsaetning") if r["tekst"] == "Børn [bold]trives[/]"]
        assert listing.highlighted_id is not None
        assert listing.highlighted_id.endswith(made["id"])


# --- the keymap file ----------------------------------------------------------------------------


def _write_keymap(text: str) -> Path:
    path = keymap_path()
    assert str(path).startswith(os.environ["XDG_CONFIG_HOME"])  # never the user's own
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_help_names_keys_as_printed_on_the_keyboard() -> None:
    """F1's key table writes a key as it is printed («?», «Esc», «Mellemrum», «Ctrl+Z»), with
    the keymap file's word beside it only where that is another («question_mark»): the table
    showed «question_mark», «slash», «escape», «space» and «enter» alone."""
    from screens.keys import key_label, keymap_help

    assert [key_label(k) for k in ("question_mark", "slash", "escape", "space", "enter")] == [
        "?",
        "/",
        "Esc",
        "Mellemrum",
        "Enter",
    ]
    assert [key_label(k) for k in ("ctrl+z", "f1", "shift+up", "a", "pagedown")] == [
        "Ctrl+Z",
        "F1",
        "Shift+↑",
        "A",
        "PgDn",
    ]
    from tui.app import UdviklingsdagApp

    table = keymap_help(UdviklingsdagApp.BINDINGS)
    row = next(line for line in table.splitlines() if line.startswith("| app.help |"))
    assert "F1, Ctrl+G, ? (`question_mark`)" in row
    assert "| escape" not in table and ", escape" not in table  # always with its label


def test_parse_keymap_spellings() -> None:
    known = ["maal.qr", "item.add", "app.undo"]
    read_ = parse_keymap(
        '[keymap]\n"maal.qr" = "F8"\nitem.add = ["insert", "ctrl+n"]\napp.undo = "u"\n', known
    )
    assert read_.problem is None and read_.unknown == ()
    assert read_.keymap == {"maal.qr": "f8", "item.add": "insert,ctrl+n", "app.undo": "u,U"}
    # Without the [keymap] heading, and an unknown name: reported, the rest applies.
    read_ = parse_keymap('"maal.qr" = "f8"\n"maal.nope" = "f9"\n', known)
    assert read_.keymap == {"maal.qr": "f8"} and read_.unknown == ("maal.nope",)
    # Read before the screens are imported: every name is kept, checked later.
    assert parse_keymap('"maal.nope" = "f9"\n').keymap == {"maal.nope": "f9"}
    assert unknown_names({"maal.nope": "f9", "maal.qr": "f8"}) == ("maal.nope",)
    # The palette's key is the App's own binding: known, and in F1's list.
    from tui.app import UdviklingsdagApp

    assert unknown_names({"app.command_palette": "f9"}, UdviklingsdagApp.BINDINGS) == ()
    for bad in ('"maal.qr" = 5', '"maal.qr" = ""', '"maal.qr" = "ctrl k"', "maal.qr = [", "x=1"):
        read_ = parse_keymap(bad, known)
        assert read_.keymap == {} and read_.problem, bad


@run_async
async def test_keymap_file_remaps_a_binding_by_id(tmp_path: Path) -> None:
    from screens.help import HelpScreen
    from screens.takeaway import TakeawayScreen

    _write_keymap('[keymap]\n"maal.qr" = "f8"\n')
    path = tmp_path / "k.db"
    build_small(path)
    app = _app(path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_maal(app, pilot)
        await pilot.press("ctrl+k")  # the default key no longer does it
        await settle(app, pilot)
        assert not isinstance(app.screen, TakeawayScreen)
        await pilot.press("f8")
        await settle(app, pilot)
        assert isinstance(app.screen, TakeawayScreen)
        await pilot.press("escape")
        await settle(app, pilot)
        assert not any("Tastaturfilen" in n for n in _notices(app))
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = " ".join(str(m._markdown) for m in app.screen.query("Markdown"))
        assert "keymap.toml" in shown and "| maal.qr | F8 |" in shown
        assert "| item.delete | Delete |" in shown


@pytest.mark.parametrize(
    "text",
    ['[keymap]\n"maal.qr" = ["f8", 3]\n', "[keymap\n", b"\xff\xfe\x00".decode("latin-1")],
)
@run_async
async def test_bad_keymap_file_gives_a_notice_and_the_defaults(tmp_path: Path, text: str) -> None:
    from screens.takeaway import TakeawayScreen

    _write_keymap(text)
    path = tmp_path / "b.db"
    build_small(path)
    app = _app(path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_maal(app, pilot)
        notices = [n for n in _notices(app) if "Tastaturfilen" in n]
        assert len(notices) == 1 and "normale taster" in notices[0]
        assert "Traceback" not in notices[0]
        await pilot.press("ctrl+k")  # the default key works
        await settle(app, pilot)
        assert isinstance(app.screen, TakeawayScreen)


@run_async
async def test_keymap_unknown_name_is_reported_rest_applies(tmp_path: Path) -> None:
    from screens.prepare import PrepareScreen

    _write_keymap('[keymap]\n"home.prepare" = "ctrl+y"\n"home.nothing" = "f8"\n')
    path = tmp_path / "u.db"
    build_small(path)
    app = _app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert any("«home.nothing»" in n for n in _notices(app))
        await pilot.press("f")
        await settle(app, pilot)
        assert not isinstance(app.screen, PrepareScreen)
        await pilot.press("ctrl+y")
        await settle(app, pilot)
        assert isinstance(app.screen, PrepareScreen)


def test_no_keymap_file_reads_nothing_writes_nothing(tmp_path: Path) -> None:
    from tui.app import UdviklingsdagApp

    app = UdviklingsdagApp(str(tmp_path / "n.db"))
    app.load_keymap()
    assert dict(app.user_keymap) == {} and not keymap_path().exists()
    assert not keymap_path().parent.exists()


# --- Esc on an incomplete new record ------------------------------------------------------------


async def _new_tegn_with_only_datakilde(app, pilot, text: str) -> None:
    from screens.forms import RecordForm

    await pilot.press("insert")
    await settle(app, pilot)
    form = app.screen
    assert isinstance(form, RecordForm)
    form.query_one("#f-datakilde").focus()
    await pilot.pause()
    for char in text:
        await pilot.press(char if char != " " else "space")
    await pilot.press("tab")
    await settle(app, pilot)


@run_async
async def test_esc_on_incomplete_new_tegn_keeps_a_draft(tmp_path: Path) -> None:
    from screens.forms import DraftScreen, RecordForm
    from screens.maal import MaalScreen

    path = tmp_path / "e.db"
    ids = build_small(path)
    app = _app(path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_maal(app, pilot)
        await _new_tegn_with_only_datakilde(app, pilot, "Trivselsmaaling")
        needs = app.screen.query_one("#form-needs")
        assert needs.display and "Udfyld «Hvad kigger vi efter» først." in str(needs.render())
        await assert_reachable(pilot, needs)
        assert app.save_status[0] != "failed"  # said in the form, not in the app's status

        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, DraftScreen)
        await assert_all_reachable(pilot, "#draft-question", "#keep", "#discard", "#continue")
        await pilot.press("escape")  # «Fortsæt»: back to the form, the text still there
        await pilot.pause()
        assert isinstance(app.screen, RecordForm)
        assert app.screen.query_one("#f-datakilde").text == "Trivselsmaaling"

        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("enter")  # «Gem udkast»
        await settle(app, pilot)
        assert isinstance(app.screen, MaalScreen)
        assert app.save_status[0] != "failed"  # no warning left behind
        assert len(read(path, "tegn", maal_id=ids["m1"])) == 1  # nothing half-saved

        # Ctrl+Q warns first: the udkast lives in memory only.
        await pilot.press("ctrl+q")
        await settle(app, pilot)
        assert app.is_running and isinstance(app.screen, MaalScreen)
        assert any("1 udkast er ikke gemt" in str(n.message) for n in app._notifications)

        await pilot.press("insert")  # the udkast comes back
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, RecordForm)
        assert form.query_one("#f-datakilde").text == "Trivselsmaaling"
        assert "Udkastet" in str(form.query_one("#form-needs").render())
        form.query_one("#f-tekst").focus()
        await pilot.pause()
        for char in "Flere hilser":
            await pilot.press(char if char != " " else "space")
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.pause(0.2)
        await settle(app, pilot)
        assert isinstance(app.screen, MaalScreen)
    rows = read(path, "tegn", maal_id=ids["m1"])
    assert {(r["tekst"], r["datakilde"]) for r in rows} >= {("Flere hilser", "Trivselsmaaling")}


@run_async
async def test_esc_draft_discard_forgets(tmp_path: Path) -> None:
    from screens.forms import RecordForm

    path = tmp_path / "x.db"
    build_small(path)
    app = _app(path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_maal(app, pilot)
        await _new_tegn_with_only_datakilde(app, pilot, "Noget")
        await pilot.press("escape")
        await pilot.pause()
        await pilot.click("#discard")
        await settle(app, pilot)
        await pilot.press("insert")
        await settle(app, pilot)
        assert isinstance(app.screen, RecordForm)
        assert app.screen.query_one("#f-datakilde").text == ""
        await pilot.press("escape")  # nothing typed: closes at once
        await settle(app, pilot)
        assert not isinstance(app.screen, RecordForm)


# --- del 2, long tegn, the header ---------------------------------------------------------------


@run_async
async def test_del2_opens_a_maal_on_proevehandlinger(tmp_path: Path) -> None:
    from textual.widgets import TabbedContent

    path = tmp_path / "p.db"
    build_small(path, dagdel="del2")
    app = _app(path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_maal(app, pilot)
        assert app.screen.query_one("#maal-tabs", TabbedContent).active == "tab-proevehandling"
        assert app.focused is app.screen.query_one("#list-proevehandling")
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("down", "enter")  # the reused screen, the next mål: the same
        await settle(app, pilot)
        assert app.screen.query_one("#maal-tabs", TabbedContent).active == "tab-proevehandling"


@run_async
async def test_del1_opens_a_maal_on_tegn(tmp_path: Path) -> None:
    from textual.widgets import TabbedContent

    path = tmp_path / "p1.db"
    build_small(path)
    app = _app(path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_maal(app, pilot)
        assert app.screen.query_one("#maal-tabs", TabbedContent).active == "tab-tegn"


@run_async
async def test_a_3000_character_tegn_is_readable_by_keyboard(tmp_path: Path) -> None:
    from models.db import open_database
    from models.store import Store
    from screens.forms import ReadScreen

    path = tmp_path / "l.db"
    ids = build_small(path)
    words = [f"ord{n:04d}" for n in range(375)]
    long_text = " ".join(words)[:2990] + " SLUTORD"
    assert len(long_text) >= 2990
    db = open_database(str(path))
    Store(db).create("tegn", maal_id=ids["m1"], tekst=long_text, type="kvalitativ")
    db.close()
    app = _app(path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_maal(app, pilot)
        await pilot.press("down")  # the long tegn
        await pilot.press("space")
        await pilot.pause()
        assert isinstance(app.screen, ReadScreen)
        assert "SLUTORD" in app.screen.query_one("#read-text").render().plain
        scroll = app.screen.query_one("#read-scroll")
        assert scroll.max_scroll_y > 0  # longer than the screen: it scrolls
        await pilot.press("end")
        await pilot.pause()
        assert scroll.scroll_y == scroll.max_scroll_y
        await assert_reachable(pilot, app.screen.query_one("#read-close"))
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ReadScreen)


@run_async
async def test_the_header_names_the_maal(tmp_path: Path) -> None:
    from textual.widgets import Label

    path = tmp_path / "h.db"
    build_small(path)
    app = _app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.screen.open_bord()
        await settle(app, pilot)
        bord_title = str(app.screen.query_one("#topbar-title", Label).render())
        await pilot.press("enter")
        await settle(app, pilot)
        title = str(app.screen.query_one("#topbar-title", Label).render())
        assert title.startswith("Mål: Alle elever") and title != bord_title
        assert "Bordets mål" not in title


@run_async
async def test_maalplan_form_opens_at_its_top(tmp_path: Path) -> None:
    from textual.containers import VerticalScroll
    from textual.widgets import TabbedContent

    from models.db import open_database
    from models.store import Store
    from screens.forms import RecordForm

    path = tmp_path / "mp.db"
    ids = build_small(path)
    db = open_database(str(path))
    Store(db).create("maalplan", titel="Målplan 2027 for skolen", enhed_id=ids["skole"], aar=2027)
    db.close()
    app = _app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("F")
        await settle(app, pilot)
        app.screen.query_one("#prep-tabs", TabbedContent).active = "tab-plans"
        await pilot.pause()
        app.screen.query_one("#prep-maalplan").focus()
        await settle(app, pilot)
        for key in ("enter", "insert"):  # an existing målplan, and a new one
            await pilot.press(key)
            await settle(app, pilot)
            await pilot.pause(0.1)
            form = app.screen
            assert isinstance(form, RecordForm) and form.spec.entity == "maalplan"
            assert form.query_one("#form-fields", VerticalScroll).scroll_y == 0
            assert not form.query_one("#form-needs").display  # nothing typed, nothing said
            await assert_reachable(pilot, form.query_one("#f-titel"))
            await pilot.press("escape")
            await settle(app, pilot)


@run_async
async def test_typing_on_the_bord_screen_only_filters(tmp_path: Path) -> None:
    """The bord screen: letters filter (type-ahead); nothing typed there, Delete included,
    changes the bord's data or leaves the screen."""
    from screens.bord import BordScreen

    path = tmp_path / "b.db"
    ids = build_small(path)
    before = {entity: read(path, entity) for entity in ("maal", "tegn", "bord", "maalsaetning")}
    app = _app(path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.screen.open_bord()
        await settle(app, pilot)
        bord = app.screen
        assert isinstance(bord, BordScreen)
        for key in ("left_square_bracket", "b", "o", "l", "d", "space", "d", "a", "e", "k"):
            await pilot.press(key)
        await pilot.press("delete", "D", "K", "X", "backspace")
        await settle(app, pilot)
        assert app.screen is bord and len(app.screen_stack) == 2
        assert bord.query_one("#bord-filter").value == "[bold daekDKX"[:-1]
        await pilot.press("escape")  # clears the filter, stays
        await settle(app, pilot)
        assert app.screen is bord and bord.query_one("#bord-filter").value == ""
    for entity, rows in before.items():
        assert read(path, entity) == rows, entity
    assert ids["bord"]


def test_read_keymap_problems_in_danish(tmp_path: Path) -> None:
    from screens.keys import read_keymap

    assert read_keymap(tmp_path / "none.toml") is None
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    not_utf8 = tmp_path / "latin1.toml"
    not_utf8.write_bytes('"maal.qr" = "æ"'.encode("latin-1"))
    broken = tmp_path / "broken.toml"
    broken.write_text("[keymap\n", encoding="utf-8")
    for path, words in (
        (folder, "mappe"),
        (not_utf8, "UTF-8"),
        (broken, "linje 1, position 8"),
    ):
        result = read_keymap(path)
        assert result is not None and result.keymap == {} and result.problem
        assert words in result.problem
        (severity, message), *_ = result.messages(path)
        assert severity == "error" and "normale taster" in message and "Expected" not in message
