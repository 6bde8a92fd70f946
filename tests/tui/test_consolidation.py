"""The tovholder's flow on a tiny test app: import three files (one twice), see the ledger,
resolve a conflict, see the gap list and the matrix."""

from __future__ import annotations

import asyncio
import shlex
from pathlib import Path

from rich.text import Text
from textual.widgets import Button, DataTable, Input, Static, TabbedContent

from exports.bundle import write_handoff
from models import consolidation
from models.conflicts import open_conflicts
from models.store import Store
from screens.conflict import ConflictScreen
from screens.consolidation import ConsolidationScreen, _quoted, parse_paths
from tests.test_merge import World, domain
from tests.test_merge import world as world  # the session fixture
from tests.tui.helpers import QueueHost

BOTH_BACKENDS = True


class _App(QueueHost):
    """The screen on a workspace and its one database queue; the mål it asks to open."""

    def on_mount(self) -> None:
        self.opened: list[str] = []
        self.push_screen(ConsolidationScreen())

    def open_maal(self, maal_id: str, *, bord_id: str | None) -> None:
        self.opened.append(maal_id)


def _cells(table: DataTable) -> list[list[str]]:
    return [
        [c.plain if isinstance(c, Text) else str(c) for c in table.get_row_at(i)]
        for i in range(table.row_count)
    ]


async def _settle(pilot) -> None:
    """Wait until the database queue has answered everything asked of it so far (an answer
    may ask for more)."""
    for _ in range(200):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if all(w.is_finished for w in pilot.app.workers):
            return


def test_parse_paths_keeps_quoted_spaces():
    assert parse_paths("a.json  'b c.json' \"d e.json\"") == ["a.json", "b c.json", "d e.json"]
    assert parse_paths("   ") == []
    assert parse_paths("'unterminated x.json") == ["'unterminated", "x.json"]


def test_parse_paths_keeps_a_path_with_spaces_typed_without_quotes(tmp_path: Path):
    """A folder or file whose name has spaces («USB æøå mappe», «OneDrive - Kommune») typed as
    it is stays one path (it was three, each «findes ikke»), also followed by another path;
    a terminal's drag and drop with backslash-escaped spaces too."""
    folder = tmp_path / "USB æøå mappe"
    folder.mkdir()
    (folder / "bord 1.json").write_text("{}", encoding="utf-8")
    assert parse_paths(str(folder)) == [str(folder)]
    assert parse_paths(f"  {folder}/bord 1.json   {tmp_path}/x.json") == [
        str(folder / "bord 1.json"),
        f"{tmp_path}/x.json",
    ]
    assert parse_paths(str(folder).replace(" ", "\\ ")) == [str(folder)]
    # Words that name nothing together stay apart (each is then refused with its reason).
    assert parse_paths(f"{tmp_path}/mangler en.json") == [f"{tmp_path}/mangler", "en.json"]
    # Names too long for the system are words like any other (the check raised before).
    assert parse_paths("x" * 300 + " " + "y" * 300) == ["x" * 300, "y" * 300]


def test_parse_paths_on_windows_keeps_backslashes():
    """On Windows a backslash is part of the path (POSIX splitting dropped every one:
    «C:\\Users\\ida» became «C:Usersida»), and Windows Terminal's quoted drop is one path."""
    typed = '"C:\\Users\\ida\\OneDrive - Kommune\\bord 1.json" D:\\USB\\bord2.json'
    assert parse_paths(typed, windows=True) == [
        "C:\\Users\\ida\\OneDrive - Kommune\\bord 1.json",
        "D:\\USB\\bord2.json",
    ]
    assert parse_paths("C:\\Users\\ida\\x.json", windows=True) == ["C:\\Users\\ida\\x.json"]
    # A folder picked with «Vælg mappe …» is written into the field so that it reads back.
    for path in ("C:\\Users\\ida\\OneDrive - Kommune", "D:\\Bo's USB"):
        assert parse_paths(_quoted(path, windows=True), windows=True) == [path]
    for path in ("/media/ida/USB stik", "/media/ida/Bo's USB"):
        assert parse_paths(_quoted(path, windows=False), windows=False) == [path]


def test_import_ledger_resolve_and_gaps(world: World, tmp_path: Path):
    ids = world.ids
    tov, f1, f2, f3 = (world.db(n, tmp_path) for n in ("tov", "f1", "f2", "f3"))
    # A tegn whose text looks like markup must show as typed.
    Store(f1).create("tegn", maal_id=ids["m1"], tekst="Tegn med [bold]fed[/] tekst")
    Store(f1).update("maal", ids["m2"], tekst="[/] Mål 2 fra bord 1")
    Store(f2).update("maal", ids["m2"], tekst="Mål 2 fra bord 2")
    Store(f3).create("samarbejde", maal_id=ids["m3"], partner_ids=[ids["e2"]], niveau="samskabelse")
    files = [
        write_handoff(db, tmp_path / f"bord {n}.udviklingsdag.json").path
        for n, db in ((1, f1), (2, f2), (3, f3))
    ]

    async def run() -> None:
        app = _App(tov)
        async with app.run_test(size=(140, 45)) as pilot:
            await _settle(pilot)
            screen = app.screen
            assert isinstance(screen, ConsolidationScreen)
            assert screen.query_one("#apply", Button).disabled

            typed = " ".join(shlex.quote(str(p)) for p in [*files, files[0]])
            screen.query_one("#paths", Input).value = typed
            await pilot.click("#preview")
            await _settle(pilot)
            preview = _cells(screen.query_one("#preview-table", DataTable))
            kinds = {row[0] for row in preview}
            assert {"Ny", "Konflikt"} <= kinds
            # A new row: nothing before, its text after (shown as typed, not as markup).
            assert ["Ny", "Tegn", "", "", "Tegn med [bold]fed[/] tekst"] in preview
            # Each file is a heading row above its changes: its laptop, then its name.
            assert preview[0][:2] == ["Fil", "Bord 1 - laptop"]
            assert preview[0][3] == "bord 1.udviklingsdag.json"
            summary = str(screen.query_one("#import-summary", Static).render())
            assert "Prøveimport" in summary
            assert consolidation.ledger(tov) == []  # the preview saved nothing

            assert not screen.query_one("#apply", Button).disabled
            await pilot.click("#apply")
            await _settle(pilot)
            # A file typed twice is listed (and imported) once.
            assert len(consolidation.ledger(tov)) == 3
            # The same file again later does no harm: it is recorded, nothing changes.
            screen.query_one("#paths", Input).value = shlex.quote(str(files[0]))
            await pilot.click("#preview")
            await _settle(pilot)
            await pilot.click("#apply")
            await _settle(pilot)
            assert len(consolidation.ledger(tov)) == 4

            await pilot.click("#--content-tab-tab-devices")
            assert screen.query_one("#tabs", TabbedContent).active == "tab-devices"
            await pilot.pause()
            devices = {row[0]: row for row in _cells(screen.query_one("#devices", DataTable))}
            bord1 = devices["Bord 1 - laptop"]
            assert bord1[2] == "2"  # two files from bord 1 (one imported twice)
            assert bord1[8] == "Alt modtaget"
            assert devices["Bord 3 - laptop"][8] == "Alt modtaget"
            # «Borde»: where each laptop worked, from the change log (a tegn on mål 1 is
            # bord 1's, a samarbejde on mål 3 is bord 2's).
            assert bord1[1] == "Bord 1"
            assert devices["Bord 3 - laptop"][1] == "Bord 2"
            ledger_rows = _cells(screen.query_one("#ledger", DataTable))
            assert [r[1] for r in ledger_rows].count("bord 1.udviklingsdag.json") == 2

            await pilot.click("#--content-tab-tab-conflicts")
            await pilot.pause()
            table = screen.query_one("#conflicts", DataTable)
            assert table.row_count == 1
            assert "[/] Mål 2 fra bord 1" in _cells(table)[0][4]
            table.focus()
            await pilot.press("enter")
            await pilot.pause()
            modal = app.screen
            assert isinstance(modal, ConflictScreen)
            devices_shown = [str(s.render()) for s in modal.query(".meta")]
            assert any("Bord 2 - laptop" in d for d in devices_shown)
            assert any("Før: Mål 2" in d for d in devices_shown)
            chosen = next(
                i for i, s in enumerate(modal.conflict.sides) if s.shown == "Mål 2 fra bord 2"
            )
            await pilot.click(f"#choose-{chosen}")
            await _settle(pilot)
            assert app.screen is screen
            assert screen.query_one("#conflicts", DataTable).row_count == 0
            assert open_conflicts(tov) == []
            # Settled, not «uden uenigheder»: the import found one.
            settled = str(screen.query_one("#conflicts-summary", Static).render())
            assert "afgjort" in settled and "uden uenigheder" not in settled

            await pilot.click("#--content-tab-tab-gaps")
            await pilot.pause()
            gaps = screen.query_one("#gaps-tegn", DataTable)
            no_tegn = [r[0] for r in _cells(gaps)]
            assert no_tegn == ["Mål 2 fra bord 2", "Mål 3"]
            # The enhed and the borde beside the mål (they were past the edge of the table).
            assert [r[1] for r in _cells(gaps)] == ["Jobcenter", "Dagtilbud Syd"]
            # Enter on a gap opens its mål, to write what it lacks.
            gaps.focus()
            gaps.move_cursor(row=1)
            await pilot.press("enter")
            await pilot.pause()
            assert app.opened == [ids["m3"]]
            no_ph = [r[0] for r in _cells(screen.query_one("#gaps-proevehandlinger", DataTable))]
            assert len(no_ph) == 3
            matrix = {r[0]: r for r in _cells(screen.query_one("#matrix", DataTable))}
            assert matrix["Jobcenter"][3] == "1" and matrix["Dagtilbud Syd"][4] == "1"

            await pilot.press("escape")
            await pilot.pause()
            assert not isinstance(app.screen, ConsolidationScreen)
            assert app.errors == []  # every answer reached the screen

    asyncio.run(run())
    maal2 = next(r for r in domain(tov)["maal"] if r["id"] == ids["m2"])
    assert maal2["tekst"] == "Mål 2 fra bord 2"


def test_bad_file_is_shown_as_refused_and_nothing_is_imported(world: World, tmp_path: Path):
    tov = world.db("tov", tmp_path)
    bad = tmp_path / "referat.txt"
    bad.write_text("ikke en fil fra appen", encoding="utf-8")

    async def run() -> None:
        app = _App(tov)
        async with app.run_test(size=(140, 45)) as pilot:
            await _settle(pilot)
            screen = app.screen
            screen.query_one("#paths", Input).value = str(bad)
            await pilot.press("enter")
            await _settle(pilot)
            summary = str(screen.query_one("#import-summary", Static).render())
            assert "AFVIST referat.txt" in summary and "ikke en fil fra udviklingsdag" in summary
            assert screen.query_one("#apply", Button).disabled

    asyncio.run(run())
    assert consolidation.ledger(tov) == []


def test_a_preview_that_keeps_fewer_lines_says_how_many_more(
    world: World, tmp_path: Path, monkeypatch
):
    """Beyond the lines the preview keeps (`importing.MAX_ITEMS` for all files together), a
    dim row under the file says how many more it brought; the counts are whole."""
    from models import importing

    ids = world.ids
    tov, f1 = world.db("tov", tmp_path), world.db("f1", tmp_path)
    for n in range(5):
        Store(f1).create("tegn", maal_id=ids["m1"], tekst=f"Tegn nummer {n}")
    path = write_handoff(f1, tmp_path / "bord 1.udviklingsdag.json").path
    monkeypatch.setattr(importing, "MAX_ITEMS", 2)
    monkeypatch.setattr(importing, "MIN_ITEMS_PER_FILE", 2)

    async def run() -> None:
        app = _App(tov)
        async with app.run_test(size=(140, 45)) as pilot:
            await _settle(pilot)
            screen = app.screen
            screen.query_one("#paths", Input).value = shlex.quote(str(path))
            await pilot.click("#preview")
            await _settle(pilot)
            preview = _cells(screen.query_one("#preview-table", DataTable))
            assert [row[0] for row in preview] == ["Fil", "Ny", "Ny", ""]
            assert preview[-1][1].startswith("… og 3 ændringer mere fra filen")

    asyncio.run(run())
