"""The tovholder's dialogs and screens on a default 80x24 terminal (and larger): the conflict
dialog, the SBSYS export, Afslut dagen, the QR, the error and loading screens. Every control a
task needs must be drawn or brought into view by the screen's own scrolling, reachable with the
keyboard alone, and not under a toast; and the behaviour the small size broke must work."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from textual.geometry import Region
from textual.widgets import Button, Checkbox, Input, SelectionList, Static

from models.conflicts import KIND_DELETE, KIND_FIELD, Conflict, ConflictSide
from screens.conflict import ConflictChoice, ConflictScreen
from tests.tui.helpers import (
    FakeClock,
    assert_all_reachable,
    assert_reachable,
    build_small,
    run_async,
    settle,
)

SMALL = (80, 24)
TOAST = "En besked, der er lang nok til at fylde et par linjer i hjørnet af skærmen, hvor den står."


def _app(path: Path) -> Any:
    from tui.app import UdviklingsdagApp

    return UdviklingsdagApp(str(path), clock=FakeClock())


def _stylesheet() -> str:
    """The app's own stylesheet, for a bare App hosting one screen (toasts where they are)."""
    import tui.app

    return str(Path(tui.app.__file__).parent / "app.tcss")


async def assert_whole(pilot: Any, widget: Any) -> None:
    """Reachable, and then drawn whole: no row or column of it clipped."""
    await assert_reachable(pilot, widget)
    screen = pilot.app.screen
    geometry = screen.find_widget(widget)
    shown = geometry.region.intersection(geometry.clip).intersection(screen.region)
    assert shown == geometry.region, f"{widget!r} is cut: {geometry.region} shows {shown}"


def drawn_text(widget: Any) -> str:
    """The text the widget draws, its lines joined without the wrap (border glyphs and the
    padding dropped), so a name folded over two lines is found whole."""
    width, height = widget.outer_size
    lines = [strip.text for strip in widget.render_lines(Region(0, 0, width, height))]
    return "".join(line.strip(" ▊▎▔▁") for line in lines)


async def focus_by_tab(pilot: Any, limit: int = 30) -> list[str]:
    """The ids that Tab visits, in order, starting from the focused widget."""
    seen: list[str] = []
    for _ in range(limit):
        await pilot.press("tab")
        focused = pilot.app.screen.focused
        name = (focused.id if focused is not None else None) or "?"
        if name in seen:
            break
        seen.append(name)
    return seen


# --- the conflict dialog ------------------------------------------------------------------------

LONG = (
    "Eleverne i 4.-6. klasse opsøger selv en voksen i frikvarteret, når de oplever "
    "konflikter, og de voksne følger op samme dag med en kort samtale. "
) * 3


def _conflict(kind: str, repeat: int = 1) -> Conflict:
    values = ((LONG * repeat, "Bord 1 - Maria"), (LONG[:120] + " (rettet)", "Bord 2 - Henrik"))
    sides = tuple(
        ConflictSide(
            change_id=f"c{i}",
            field="tekst",
            field_label="Tekst",
            value=value,
            shown=value,
            device_id=f"d{i}",
            device_name=device,
            hlc="",
            time=f"03-12-2026 10:0{i}",
            before="Eleverne opsøger selv en voksen",
        )
        for i, (value, device) in enumerate(values)
    )
    return Conflict(
        kind=kind,
        entity="tegn",
        row_id="r",
        field="tekst",
        title="Eleverne opsøger selv en voksen",
        heads=("c0", "c1"),
        sides=sides,
    )


def _conflict_app(kind: str, repeat: int = 1) -> Any:
    from textual.app import App

    class _Modal(App[Any]):
        CSS_PATH = _stylesheet()

        def on_mount(self) -> None:
            self.push_screen(ConflictScreen(_conflict(kind, repeat)), self.exit)

    return _Modal()


FIELD_CONTROLS = ("#choose-0", "#choose-1", "#new-value", "#write-new", "#cancel")
DELETE_CONTROLS = ("#keep-deleted", "#restore", "#cancel")


@pytest.mark.parametrize("repeat", [1, 8], ids=["lang", "meget-lang"])
@pytest.mark.parametrize("size", [SMALL, (120, 40), (200, 50)], ids=lambda s: f"{s[0]}x{s[1]}")
@run_async
async def test_conflict_dialog_every_control_reachable(size: tuple[int, int], repeat: int) -> None:
    app = _conflict_app(KIND_FIELD, repeat)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        app.notify(TOAST, timeout=60)
        await pilot.pause()
        screen = app.screen
        await assert_all_reachable(pilot, "#title", "#hint", *FIELD_CONTROLS)
        for value in screen.query(".value"):
            await assert_reachable(pilot, value)
        for meta in screen.query(".meta"):
            await assert_reachable(pilot, meta)
        for button in ("#cancel", "#write-new", "#choose-0", "#choose-1"):
            await assert_whole(pilot, screen.query_one(button))
        # The keyboard alone visits every control.
        visited = await focus_by_tab(pilot)
        assert {c.removeprefix("#") for c in FIELD_CONTROLS} <= set(visited), visited
        # Said when the dialog holds more than it shows (always on 24 rows here).
        body = screen.query_one("#conflict-body")
        assert screen.query_one("#scroll-hint").display == (body.max_scroll_y > 0)
        assert body.max_scroll_y > 0 or size != SMALL
        if body.max_scroll_y > 0:
            await assert_reachable(pilot, screen.query_one("#scroll-hint"))


@run_async
async def test_conflict_dialog_at_80x24_scrolls_and_writes_a_new_value_by_keyboard() -> None:
    app = _conflict_app(KIND_FIELD)
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        screen = app.screen
        body = screen.query_one("#conflict-body")
        assert body.max_scroll_y > 0 and body.show_vertical_scrollbar
        assert screen.focused is body  # the arrow keys read the part that scrolls
        await pilot.press("pagedown")
        await pilot.pause()
        assert body.scroll_y > 0
        while screen.focused is None or screen.focused.id != "new-value":
            await pilot.press("tab")
        await pilot.press(*"Ny værdi")
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_value == ConflictChoice("Ny værdi")


@pytest.mark.parametrize("size", [SMALL, (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
@run_async
async def test_conflict_dialog_deleted_row_keyboard_restores(size: tuple[int, int]) -> None:
    app = _conflict_app(KIND_DELETE)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        screen = app.screen
        # An Enter pressed at once chooses nothing (the cursor is in the text, not on
        # «Behold sletningen»).
        assert screen.focused is screen.query_one("#conflict-body")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        app.notify(TOAST, timeout=60)
        await pilot.pause()
        await assert_all_reachable(pilot, "#title", "#hint", *DELETE_CONTROLS)
        for control in DELETE_CONTROLS:
            await assert_whole(pilot, screen.query_one(control))
        for value in screen.query(".value"):
            await assert_reachable(pilot, value)
        visited = await focus_by_tab(pilot)
        assert {c.removeprefix("#") for c in DELETE_CONTROLS} <= set(visited), visited
        while screen.focused is None or screen.focused.id != "restore":
            await pilot.press("tab")
        await pilot.press("enter")
        await pilot.pause()
    assert app.return_value == ConflictChoice(False)


# --- the export to SBSYS ------------------------------------------------------------------------

_DEMO: list[Path] = []


def _demo_db(tmp_path: Path) -> Path:
    """A copy of the demo workshop (fifteen målplaner: twelve for 2027, three for 2026), built
    once for the module."""
    if not _DEMO:
        from models import settings
        from models.db import open_database
        from models.demo import build_demo
        from models.store import Store

        folder = Path(tempfile.mkdtemp(prefix="udviklingsdag-h1-"))
        path = folder / "demo.db"
        db = open_database(str(path), device_name="Tovholder")
        try:
            store = Store(db)
            build_demo(store)
            store.set_setting(settings.DEVICE_NAMED.key, "1")
        finally:
            db.close()
        _DEMO.append(path)
    copy = tmp_path / "demo.db"
    shutil.copy(_DEMO[0], copy)
    return copy


async def _open_export(app: Any, pilot: Any) -> Any:
    from screens.export import ExportScreen

    await settle(app, pilot)
    app.action_export()
    await settle(app, pilot, rounds=5)
    screen = app.screen
    assert isinstance(screen, ExportScreen)
    return screen


EXPORT_CONTROLS = (
    "#plan-list",
    "#meta-plan",
    "#meta-sagsnummer",
    "#meta-dokumentart",
    "#meta-ansvarlig",
    "#meta-preview",
    "#outdir",
    "#opt-zip",
    "#opt-drop",
    "#run-export",
    "#back",
)


@pytest.mark.parametrize(
    "size", [SMALL, (100, 30), (120, 40), (200, 50)], ids=lambda s: f"{s[0]}x{s[1]}"
)
@run_async
async def test_export_screen_every_control_reachable(tmp_path: Path, size: tuple[int, int]) -> None:
    app = _app(_demo_db(tmp_path))
    async with app.run_test(size=size) as pilot:
        screen = await _open_export(app, pilot)
        app.notify(TOAST, timeout=60)
        await pilot.pause()
        plans = screen.query_one("#plan-list", SelectionList)
        assert plans.option_count == 15
        await assert_all_reachable(pilot, *EXPORT_CONTROLS)
        # The list has real height: several plans at once.
        await assert_reachable(pilot, plans)
        assert plans.region.height >= 6, plans.region
        # Field labels, checkbox labels and buttons whole, not cut.
        from textual.widgets import Label

        for label in screen.query(".field-label").results(Label):
            await assert_reachable(pilot, label)
            assert str(label.render()) in drawn_text(label), label
        for box in screen.query(Checkbox):
            await assert_whole(pilot, box)
            assert str(box.label) in drawn_text(box)
        for button in ("#run-export", "#back"):
            await assert_whole(pilot, screen.query_one(button))
        visited = await focus_by_tab(pilot)
        wanted = {c.removeprefix("#") for c in EXPORT_CONTROLS} - {"meta-plan", "meta-preview"}
        assert wanted <= set(visited), visited


@run_async
async def test_export_from_the_folder_field_keeps_the_list(tmp_path: Path) -> None:
    out = tmp_path / "eksport"
    app = _app(_demo_db(tmp_path))
    async with app.run_test(size=SMALL) as pilot:
        screen = await _open_export(app, pilot)
        plans = screen.query_one("#plan-list", SelectionList)
        for value in list(plans.selected)[2:]:
            plans.deselect(value)
        folder = screen.query_one("#outdir", Input)
        folder.focus()
        await pilot.press("ctrl+u", *str(out))
        # ctrl+e is «end of line» in a field; here it exports.
        await pilot.press("ctrl+e")
        await settle(app, pilot, rounds=10)
        for _ in range(50):
            if not screen.exporting:
                break
            await settle(app, pilot)
        status = screen.query_one("#export-status", Static)
        assert screen.result is not None, str(status.render())
        assert len([p for p in out.iterdir() if p.is_dir()]) == 2
        await assert_reachable(pilot, status)
        assert str(out) in drawn_text(status)
        # After the export the list still shows the plans, with several rows.
        assert plans.option_count == 15
        await assert_reachable(pilot, plans)
        assert plans.region.height >= 6
        await assert_whole(pilot, screen.query_one("#run-export", Button))


# --- Afslut dagen -------------------------------------------------------------------------------


async def _open_close_day(app: Any, pilot: Any) -> Any:
    from screens.close_day import CloseDayScreen

    await settle(app, pilot)
    app.screen.open_bord()
    await settle(app, pilot)
    await pilot.press("f9")
    await settle(app, pilot, rounds=5)
    screen = app.screen
    assert isinstance(screen, CloseDayScreen)
    return screen


@pytest.mark.parametrize("size", [SMALL, (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
@run_async
async def test_close_day_typed_path_writes_and_shows_the_whole_result(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    from models import settings
    from models.db import open_database
    from models.store import Store

    path = tmp_path / "d.db"
    build_small(path)
    usb = tmp_path / "usb stik" / "E"
    usb.mkdir(parents=True)
    app = _app(path)
    async with app.run_test(size=size) as pilot:
        screen = await _open_close_day(app, pilot)
        app.notify(TOAST, timeout=60)
        await pilot.pause()
        field = screen.query_one("#close-folder", Input)
        # A mål lacks its tegn: the cursor starts on it (Enter opens it, not writes the
        # file); Tab goes on to the folder, where typing replaces the offered path.
        assert screen.focused is screen.query_one("#close-checklist")
        await pilot.press("tab")
        await pilot.pause()
        assert screen.focused is field
        assert field.value  # a folder is offered
        await assert_all_reachable(
            pilot, "#close-rule", "#close-status", "#close-checklist", "#close-folder"
        )
        await assert_whole(pilot, screen.query_one("#close-write", Button))
        await assert_reachable(pilot, screen.query_one("#close-tree"))
        # The offered folder is selected: what is typed replaces it.
        await pilot.press(*str(usb), "enter")
        await settle(app, pilot, rounds=8)
        written = list(usb.iterdir())
        assert len(written) == 1
        summary = screen.query_one("#close-summary", Static)
        await assert_whole(pilot, summary)
        shown = drawn_text(summary)
        assert written[0].name in shown
        from exports.bundle import read_bundle

        digest = read_bundle(written[0]).info.sha256
        assert digest in shown
        await assert_whole(pilot, screen.query_one("#close-write", Button))

        # The folder is remembered and offered the next time.
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("f9")
        await settle(app, pilot, rounds=5)
        again = app.screen
        assert again is not screen
        assert again.query_one("#close-folder", Input).value == str(usb)
    db = open_database(str(path))
    try:
        assert Store(db).get_setting(settings.HANDOFF_OUTDIR.key) == str(usb)
    finally:
        db.close()


@run_async
async def test_close_day_missing_folder_is_a_danish_message(tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    build_small(path)
    app = _app(path)
    async with app.run_test(size=SMALL) as pilot:
        screen = await _open_close_day(app, pilot)
        field = screen.query_one("#close-folder", Input)
        field.focus()
        field.value = str(tmp_path / "findes ikke")
        await pilot.press("enter")
        await settle(app, pilot, rounds=5)
        assert not screen.query_one("#close-summary").display
        messages = [str(n.message) for n in app._notifications]
        assert any("findes ikke" in m for m in messages), messages
        assert not screen.query_one("#close-write", Button).disabled


# --- the QR, the error and the loading screens --------------------------------------------------


@pytest.mark.parametrize("size", [SMALL, (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
@run_async
async def test_qr_screen_is_whole(tmp_path: Path, size: tuple[int, int]) -> None:
    from screens.takeaway import TakeawayScreen

    path = tmp_path / "d.db"
    build_small(path)
    app = _app(path)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        app.screen.open_bord()
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        app.push_screen(TakeawayScreen(app.screen.detail))
        await settle(app, pilot)
        await pilot.pause(0.3)
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, TakeawayScreen)
        assert screen.result is not None  # a code that fits this terminal
        await assert_whole(pilot, screen.query_one("#qr-code"))
        await assert_all_reachable(pilot, "#qr-note", "#qr-text")
        title = screen.query_one("#topbar-title")
        assert "QR-kode til målet" in drawn_text(title)
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, TakeawayScreen)


@run_async
async def test_error_screen_long_message_scrolls(tmp_path: Path) -> None:
    from textual.app import App

    from screens.error import ErrorScreen

    message = "Databasen «" + "/meget/lang/sti" * 20 + "» kan ikke åbnes. " * 8

    class _Host(App[None]):
        CSS_PATH = _stylesheet()

        def on_mount(self) -> None:
            self.push_screen(ErrorScreen(message))

    app = _Host()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await assert_all_reachable(pilot, "#error-title", "#error-message", "#error-hint")
        box = app.screen.query_one("#error-box")
        assert box.region.bottom <= 23  # above the footer


@run_async
async def test_loading_screen_fits(tmp_path: Path) -> None:
    from textual.app import App

    from screens.loading import LoadingScreen

    class _Host(App[None]):
        CSS_PATH = _stylesheet()

        def on_mount(self) -> None:
            self.push_screen(LoadingScreen(str(tmp_path / ("mappe-" * 12) / "data.db")))

    app = _Host()
    async with app.run_test(size=SMALL) as pilot:
        await pilot.pause()
        await assert_all_reachable(pilot, "#loading-title", "#loading-where")
        assert "data.db" in drawn_text(app.screen.query_one("#loading-where"))


@run_async
async def test_close_day_starts_in_the_folder_when_nothing_is_missing(tmp_path: Path) -> None:
    """Every mål has its tegn: the cursor starts in the folder field (Enter writes the file);
    with one missing it starts on that mål (the test above). One mål is said as one («Målet
    opfylder dagens regel», not «Alle 1 mål …»)."""
    from models.db import open_database
    from models.store import Store

    path = tmp_path / "d.db"
    ids = build_small(path)
    db = open_database(str(path))
    try:
        Store(db).delete("maal", ids["m2"])  # the bord's other mål (it lacks its tegn)
    finally:
        db.close()
    app = _app(path)
    async with app.run_test(size=SMALL) as pilot:
        screen = await _open_close_day(app, pilot)
        assert not screen.query_one("#close-checklist").display
        assert screen.focused is screen.query_one("#close-folder", Input)
        status = drawn_text(screen.query_one("#close-status", Static))
        assert "Målet opfylder dagens regel." in status and "Alle" not in status


@run_async
async def test_form_hints_wrap_at_80_columns(tmp_path: Path) -> None:
    """A form's hint longer than the form (the lederdag mål's «Mulige samarbejdspartnere»)
    is drawn whole over more lines, not cut at the form's edge."""
    from textual.widgets import Label

    from screens import texts
    from screens.forms import RecordForm

    path = tmp_path / "l.db"
    build_small(path, dagdel="lederdag")
    app = _app(path)
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        app.screen.open_bord()
        await settle(app, pilot)
        await pilot.press("insert")
        await settle(app, pilot)
        assert isinstance(app.screen, RecordForm) and app.screen.spec.entity == "maal"
        hints = list(app.screen.query("#form-fields Label.muted").results(Label))
        wanted = texts.MULIGE_PARTNERE_HINT
        assert len(wanted) > 80 and any(str(h.content) == wanted for h in hints)
        for hint in hints:
            await assert_reachable(pilot, hint)
            whole = "".join(str(hint.content).split())
            assert "".join(drawn_text(hint).split()) == whole, f"{hint.content!r} is cut"
            assert hint.region.right <= SMALL[0]
