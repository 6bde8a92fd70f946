"""The tovholder's evening at 80x24: pick the folder with the handoff files, see each file's
laptop, date and counts (a broken one listed with its reason), choose which to import, preview
and import only those; typed paths still work; the folder is remembered. Also the cheap
«peek» reader of exports.bundle, the dry run's wording and the naming of a new laptop."""

from __future__ import annotations

import gzip
import os
import shlex
import shutil
from pathlib import Path

import pytest
from rich.text import Text
from textual.widgets import Button, DataTable, DirectoryTree, Input, Static

from exports.bundle import handoff_files, peek_bundle, peek_paths, write_handoff
from models import consolidation, settings
from models.store import Store
from screens.consolidation import ConsolidationScreen, FileList, FolderPickerScreen
from tests.test_merge import World
from tests.test_merge import world as world  # the session fixture
from tests.tui.helpers import QueueHost, assert_all_reachable, assert_reachable, run_async


class _App(QueueHost):
    """The consolidation screen on a workspace and its one database queue."""

    def on_mount(self) -> None:
        self.push_screen(ConsolidationScreen())


async def _settle(pilot) -> None:
    """Wait until the database queue has answered everything asked of it so far (an answer
    may ask for more). A DirectoryTree keeps one loader worker running while it is shown, so
    only the queue's own workers are waited for."""
    app = pilot.app
    for _ in range(200):
        await pilot.pause()
        ours = [w for w in app.workers if not isinstance(w.node, DirectoryTree)]
        if ours:  # (an empty list would mean «every worker» to wait_for_complete)
            await app.workers.wait_for_complete(ours)
        await pilot.pause()
        busy = any(not w.is_finished for w in app.workers if not isinstance(w.node, DirectoryTree))
        if not app.jobs.pending and not busy:
            return


def _plain(widget: Static) -> str:
    return str(widget.render())


def _cells(table: DataTable) -> list[list[str]]:
    return [
        [c.plain if isinstance(c, Text) else str(c) for c in table.get_row_at(i)]
        for i in range(table.row_count)
    ]


def _usb(world: World, tmp_path: Path) -> tuple[Path, list[Path], Path]:
    """A folder like a USB stick: three handoff files written by the app's own writer (one
    per laptop), a broken one, a macOS «._» copy and an unrelated file. Returns (folder,
    the three good files, the broken file)."""
    ids = world.ids
    folder = tmp_path / "USB stik"
    folder.mkdir()
    f1, f2, f3 = (world.db(n, tmp_path) for n in ("f1", "f2", "f3"))
    Store(f1).create("tegn", maal_id=ids["m1"], tekst="Tegn fra bord 1")
    Store(f2).create("tegn", maal_id=ids["m2"], tekst="Tegn fra bord 2")
    Store(f3).create("tegn", maal_id=ids["m3"], tekst="Tegn fra bord 3")
    good = [
        write_handoff(db, folder / f"overlevering-bord-{n}.udviklingsdag.json").path
        for n, db in ((1, f1), (2, f2), (3, f3))
    ]
    for db in (f1, f2, f3):
        db.close()
    broken = folder / "overlevering-bord-9.udviklingsdag.json"
    broken.write_bytes(good[0].read_bytes()[:200])  # cut off when the stick was pulled
    (folder / "._overlevering-bord-1.udviklingsdag.json").write_bytes(b"\x00\x05\x16\x07")
    (folder / "billede.jpg").write_bytes(b"\xff\xd8\xff")
    return folder, good, broken


# --- the peek reader --------------------------------------------------------------------------


def test_peek_reads_the_manifest_and_never_raises(world: World, tmp_path: Path):
    folder, good, broken = _usb(world, tmp_path)
    # Only bundle files, the hidden macOS copy and the picture left out.
    assert handoff_files(folder) == sorted([*good, broken])

    peek = peek_bundle(good[0])
    assert peek.ok and peek.info is not None
    assert peek.info.device_name == "Bord 1 - laptop"
    assert peek.info.kind == "handoff"
    assert peek.info.entries > 0
    assert peek.info.counts.get("tegn") == 1

    # A gzip-compressed copy peeks the same.
    packed = tmp_path / "kopi.udviklingsdag.json.gz"
    packed.write_bytes(gzip.compress(good[0].read_bytes()))
    zipped = peek_bundle(packed).info
    assert zipped is not None
    assert (zipped.device_name, zipped.entries, zipped.sha256) == (
        peek.info.device_name,
        peek.info.entries,
        peek.info.sha256,
    )

    hostile = {
        "cut.udviklingsdag.json": good[0].read_bytes()[:200],
        "empty.udviklingsdag.json": b"",
        "text.udviklingsdag.json": b"ikke en fil fra appen",
        "binary.udviklingsdag.json": os.urandom(4096),
        "gzip-garbage.udviklingsdag.json.gz": b"\x1f\x8b" + os.urandom(300),
        "latin1.udviklingsdag.json": b'{"format": "udviklingsdag-bundle", "x": "\xe6\xf8"',
        "huge-number.udviklingsdag.json": good[0]
        .read_bytes()
        .replace(b'"format_version": 1', b'"format_version": ' + b"9" * 5000),
        "newer.udviklingsdag.json": good[0]
        .read_bytes()
        .replace(b'"format_version": 1', b'"format_version": 99'),
        "bad-name.udviklingsdag.json": good[0]
        .read_bytes()
        .replace(b'"device_name": "Bord 1 - laptop"', b'"device_name": "Bord\\u001b[2J"'),
    }
    for name, data in hostile.items():
        (tmp_path / name).write_bytes(data)
        found = peek_bundle(tmp_path / name)
        assert not found.ok and found.problem, name
        assert "\x1b" not in found.problem and "Traceback" not in found.problem, name
    assert "nyere version" in peek_bundle(tmp_path / "newer.udviklingsdag.json").problem
    # A folder named like a file, and a file that is gone: a reason, no exception.
    (tmp_path / "mappe.udviklingsdag.json").mkdir()
    assert not peek_bundle(tmp_path / "mappe.udviklingsdag.json").ok
    assert "findes ikke" in (peek_bundle(tmp_path / "væk.udviklingsdag.json").problem or "")
    # A typed folder gives its files; a missing one is listed with a reason.
    assert [p.path for p in peek_paths([folder])] == sorted([*good, broken])
    (gone,) = peek_paths([tmp_path / "ingen mappe"])
    assert not gone.ok


def test_a_file_cut_short_after_its_manifest_and_a_foreign_json_are_listed_as_bad(
    world: World, tmp_path: Path
):
    """A handoff file cut off in the middle of its changes (the copy to the stick was
    interrupted) has a whole manifest: it was listed as importable («[x] … 2 ændringer»)
    until the preview failed. And a .json in the folder that is not ours was left out of the
    list without a word. Both are listed now, each with why."""
    folder, good, _broken = _usb(world, tmp_path)
    data = good[1].read_bytes()
    cut = folder / "overlevering-bord-2-kopi.udviklingsdag.json"
    cut.write_bytes(data[: len(data) * 2 // 3])
    notes = folder / "noter.json"
    notes.write_text('{"husk": "kaffe"}', encoding="utf-8")
    found = {p.path: p for p in peek_paths([folder])}
    assert cut in found and notes in found
    assert not found[cut].ok and "ufuldstændig" in (found[cut].problem or "")
    assert not found[notes].ok
    assert "ikke en fil fra udviklingsdag" in (found[notes].problem or "")
    assert all(found[p].ok for p in good)
    # A whole file with spaces or a Windows line end after its last brace is whole.
    spaced = folder / "overlevering-bord-3-kopi.udviklingsdag.json"
    spaced.write_bytes(good[2].read_bytes() + b"\r\n  \n")
    assert peek_bundle(spaced).ok


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_peek_does_not_wait_on_a_pipe(tmp_path: Path):
    pipe = tmp_path / "rør.udviklingsdag.json"
    os.mkfifo(pipe)
    found = peek_bundle(pipe)
    assert not found.ok and "almindelig fil" in (found.problem or "")
    assert handoff_files(tmp_path) == [pipe]  # listed (with its reason), never read


# --- the import tab at 80x24 -----------------------------------------------------------------


@run_async
async def test_pick_folder_choose_two_of_three_and_import_only_those(world: World, tmp_path: Path):
    folder, good, broken = _usb(world, tmp_path)
    tov = world.db("tov", tmp_path)
    app = _App(tov)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        screen = app.screen
        assert isinstance(screen, ConsolidationScreen)
        await assert_all_reachable(pilot, "#paths", "#browse", "#preview", "#apply")
        await assert_all_reachable(pilot, "#chosen-count", "#apply-state")
        assert "prøveimport" in _plain(screen.query_one("#apply-state", Static)).lower()
        assert screen.query_one("#apply", Button).disabled

        # The picker: a folder tree, a field for a typed folder and the buttons, all at 80x24.
        screen.query_one("#browse", Button).press()
        await _settle(pilot)
        picker = app.screen
        assert isinstance(picker, FolderPickerScreen)
        await assert_all_reachable(
            pilot, "#picker-tree", "#picker-path", "#picker-choose", "#picker-cancel"
        )
        picker.query_one("#picker-path", Input).value = str(folder)
        picker.query_one("#picker-path", Input).focus()
        await pilot.press("enter")
        await _settle(pilot)
        assert picker.query_one("#picker-tree", DirectoryTree).path == folder
        assert str(folder) in _plain(picker.query_one("#picker-chosen", Static))
        picker.query_one("#picker-choose", Button).press()
        await _settle(pilot)
        assert app.screen is screen
        assert shlex.split(screen.query_one("#paths", Input).value) == [str(folder)]

        # Every handoff file with its laptop, date and counts; the broken one with a reason.
        files = screen.query_one("#files", FileList)
        assert [p.path for p in files.peeks] == sorted([*good, broken])
        prompts = [str(files.get_option_at_index(i).prompt) for i in range(files.option_count)]
        assert prompts[0].startswith("[x] Bord 1 - laptop · ")
        assert "tegn 1" in prompts[0] and "ændringer" in prompts[0]
        assert prompts[3].startswith("[!] overlevering-bord-9")
        assert "Kan ikke importeres" in prompts[3] and "ufuldstændig" in prompts[3]
        chosen = _plain(screen.query_one("#chosen-count", Static))
        assert "Valgt: 3 af 3 filer" in chosen and "1 kan ikke importeres" in chosen
        await assert_reachable(pilot, files)
        await assert_all_reachable(pilot, "#chosen-count", "#preview", "#apply", "#apply-state")

        # Untick the second file with space: two of three chosen.
        files.focus()
        files.highlighted = 1
        await pilot.press("space")
        await pilot.pause()
        assert str(files.get_option_at_index(1).prompt).startswith("[ ] Bord 2 - laptop")
        assert "Valgt: 2 af 3 filer" in _plain(screen.query_one("#chosen-count", Static))
        # The broken file cannot be ticked.
        files.highlighted = 3
        await pilot.press("space")
        assert "Valgt: 2 af 3 filer" in _plain(screen.query_one("#chosen-count", Static))

        screen.query_one("#preview", Button).press()
        await _settle(pilot)
        summary = _plain(screen.query_one("#import-summary", Static))
        assert summary.startswith("Prøveimport (intet er gemt endnu)")
        assert "overlevering-bord-1" in summary and "overlevering-bord-3" in summary
        assert "overlevering-bord-2" not in summary
        assert "AFVIST overlevering-bord-9" in summary  # says why it is left out
        assert consolidation.ledger(tov) == []
        apply = screen.query_one("#apply", Button)
        assert not apply.disabled
        state = screen.query_one("#apply-state", Static)
        assert "Klar" in _plain(state) and "2 filer" in _plain(state)
        assert state.has_class("ready")

        # The preview's Felt, Før and Efter columns are on screen at 80 columns.
        table = screen.query_one("#preview-table", DataTable)
        await assert_reachable(pilot, table)
        labels = [str(c.label) for c in table.ordered_columns]
        assert labels == ["Hvad", "Række", "Felt", "Før", "Efter"]
        used = sum(c.get_render_width(table) for c in table.ordered_columns)
        assert used <= table.scrollable_content_region.width, (used, table.size)
        rows = _cells(table)
        assert rows[0][:2] == ["Fil", "Bord 1 - laptop"]  # the file as a heading row
        assert ["Ny", "Tegn", "", "", "Tegn fra bord 1"] in rows
        await assert_all_reachable(pilot, "#import-summary", "#preview-detail")
        await assert_reachable(pilot, apply)

        apply.press()
        await _settle(pilot)
        assert sorted(r.filnavn for r in consolidation.ledger(tov)) == [
            "overlevering-bord-1.udviklingsdag.json",
            "overlevering-bord-3.udviklingsdag.json",
        ]
        summary = _plain(screen.query_one("#import-summary", Static))
        assert summary.startswith("Import:")
        await assert_reachable(pilot, screen.query_one("#import-summary", Static))
        assert apply.disabled and "Importeret" in _plain(state)
        # The list now says which files are in the database.
        assert "allerede importeret" in str(files.get_option_at_index(0).prompt)
        assert "allerede importeret" not in str(files.get_option_at_index(1).prompt)
        assert app.errors == []
    tov.close()


@run_async
async def test_folder_is_remembered_and_listed_at_the_next_visit(world: World, tmp_path: Path):
    folder, _good, _broken = _usb(world, tmp_path)
    tov = world.db("tov", tmp_path)
    app = _App(tov)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        screen = app.screen
        paths = screen.query_one("#paths", Input)
        assert paths.value == ""  # nothing remembered yet
        paths.value = shlex.quote(str(folder))
        paths.focus()
        await pilot.press("enter")  # lists the folder and previews every file in it
        await _settle(pilot)
        assert app.workspace.setting(settings.IMPORT_FOLDER) == str(folder.resolve())
        assert "Prøveimport" in _plain(screen.query_one("#import-summary", Static))

        await pilot.press("escape")
        await pilot.pause()
        app.push_screen(ConsolidationScreen())
        await _settle(pilot)
        again = app.screen
        assert isinstance(again, ConsolidationScreen) and again is not screen
        assert shlex.split(again.query_one("#paths", Input).value) == [str(folder.resolve())]
        files = again.query_one("#files", FileList)
        assert len(files.peeks) == 4 and len(files.chosen_peeks()) == 3
        await assert_reachable(pilot, files)
    tov.close()


@run_async
async def test_typed_paths_still_work_at_80x24(world: World, tmp_path: Path):
    folder, good, _broken = _usb(world, tmp_path)
    tov = world.db("tov", tmp_path)
    app = _App(tov)
    async with app.run_test(size=(80, 24)) as pilot:
        await _settle(pilot)
        screen = app.screen
        paths = screen.query_one("#paths", Input)
        # Two files typed by hand, quoted because the folder's name has a space.
        paths.value = " ".join(shlex.quote(str(p)) for p in good[:2])
        paths.focus()
        await pilot.press("enter")
        await _settle(pilot)
        files = screen.query_one("#files", FileList)
        assert [p.path for p in files.peeks] == good[:2]
        summary = _plain(screen.query_one("#import-summary", Static))
        assert summary.startswith("Prøveimport") and "filer 2" in summary
        await assert_all_reachable(pilot, "#apply", "#import-summary")
        screen.query_one("#apply", Button).press()
        await _settle(pilot)
        assert len(consolidation.ledger(tov)) == 2
        # A folder with no handoff files says so.
        empty = tmp_path / "tom"
        empty.mkdir()
        paths.value = str(empty)
        await pilot.press("enter")
        await _settle(pilot)
        assert "ingen overleveringsfiler" in _plain(screen.query_one("#import-summary", Static))
        # The USB stick's file copied there now: Enter on the same folder looks again (it
        # answered «choose a file» on a list that was not there before).
        shutil.copy(good[2], empty / good[2].name)
        await pilot.press("enter")
        await _settle(pilot)
        assert [p.path.name for p in files.peeks] == [good[2].name]
        assert _plain(screen.query_one("#import-summary", Static)).startswith("Prøveimport")
        # And Ctrl+R reads the folder again: a second file appears.
        shutil.copy(good[0], empty / "anden.udviklingsdag.json")
        await pilot.press("ctrl+r")
        await _settle(pilot)
        assert sorted(p.path.name for p in files.peeks) == sorted(
            [good[2].name, "anden.udviklingsdag.json"]
        )
        # Nothing chosen: a Danish hint, no preview.
        paths.value = shlex.quote(str(folder))
        await pilot.press("enter")
        await _settle(pilot)
        files.focus()
        await pilot.press("a")  # all off
        assert files.chosen_peeks() == []
        screen.query_one("#preview", Button).press()
        await _settle(pilot)
        assert screen.query_one("#apply", Button).disabled
        assert any("mindst én fil" in n.message for n in app._notifications)
    tov.close()


# --- wording of the dry run and of the conflicts ---------------------------------------------


def test_dry_run_says_what_the_import_would_do(world: World, tmp_path: Path):
    from exports.bundle import import_bundles

    ids = world.ids
    tov, f1, f2 = (world.db(n, tmp_path) for n in ("tov", "f1", "f2"))
    Store(f1).update("maal", ids["m2"], tekst="Fra bord 1")
    Store(f2).update("maal", ids["m2"], tekst="Fra bord 2")
    files = [
        write_handoff(db, tmp_path / f"b{n}.udviklingsdag.json").path
        for n, db in ((1, f1), (2, f2))
    ]
    dry = "\n".join(import_bundles(Store(tov), files, dry_run=True).summary_lines())
    assert dry.startswith("Prøveimport (intet er gemt endnu)")
    assert "ville" in dry and "Efter importen ville databasen have åbne konflikter: 1." in dry
    assert "Åbne konflikter i databasen nu" not in dry and "modtaget" not in dry
    done = "\n".join(import_bundles(Store(tov), files).summary_lines())
    assert done.startswith("Import:") and "Åbne konflikter i databasen nu: 1." in done
    assert "ville" not in done
    for db in (tov, f1, f2):
        db.close()


# --- naming a new laptop ---------------------------------------------------------------------


class _NameApp(QueueHost):
    def __init__(self, db, *, first: bool) -> None:
        super().__init__(db)
        self.first = first

    def when_open(self, call) -> None:
        call()

    def remember(self, call) -> None:
        self.write(call)

    def reload_screens(self) -> None:
        pass

    def on_mount(self) -> None:
        from screens.home import NameDeviceScreen

        self.push_screen(NameDeviceScreen("DESKTOP-4F2K9", first=self.first))


@run_async
async def test_first_start_does_not_prefill_the_host_name(world: World, tmp_path: Path):
    tov = world.db("tov", tmp_path)
    app = _NameApp(tov, first=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        field = app.screen.query_one("#name-input", Input)
        assert field.value == ""
        assert field.placeholder == "fx Bord 3"
        hint = app.screen.query_one("#name-host", Static)
        assert "DESKTOP-4F2K9" in _plain(hint)
        await assert_all_reachable(pilot, "#name-input", "#name-host", "#name-ok")
    async with _NameApp(tov, first=False).run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # Renaming later starts from the name the laptop has.
        assert pilot.app.screen.query_one("#name-input", Input).value == "DESKTOP-4F2K9"
        assert not pilot.app.screen.query("#name-host")
    tov.close()
