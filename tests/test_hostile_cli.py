"""Hostile files on the command line (issue 11): `bundle import` and `bundle show` answer every
file of the hostile corpus (`tests/reliability/hostile.py`, valid checksums) with an exit code
and a Danish message: never a traceback, never «uventet fejl», and nothing from the file
reaches the terminal raw (no ESC, C1 control or bidi override in stdout or stderr)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from models.visible import is_clean
from tests.reliability._util import db_digest
from tests.reliability.hostile import (
    EXPECTED,
    FOREIGN,
    LEDGER_WARNINGS,
    PAIRS,
    fresh_copy,
    small_corpus,
)
from tui.cli import dump_json, main

ROOT = Path(__file__).resolve().parents[1]
SINGLE = sorted(set(EXPECTED) - set(PAIRS))
# Words of a message that is not about the file: the catch-all of `tui.cli.main`.
UNEXPECTED = ("uventet fejl", "meld fejlen", "traceback")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Path]]:
    """(a small workshop database, {class: hostile file}), built once for this module."""
    return small_corpus(tmp_path_factory.mktemp("hostile-cli"))


def _fresh(base: Path, tmp_path: Path) -> Path:
    return fresh_copy(base, tmp_path)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _assert_clean(out: str, err: str) -> None:
    for stream in (out, err):
        assert is_clean(stream, multiline=True), repr(stream[:400])
        assert "Traceback" not in stream


@pytest.mark.parametrize("name", SINGLE)
def test_bundle_import_answers_every_hostile_file(
    name: str, corpus, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    base, files = corpus
    db = _fresh(base, tmp_path)
    before = db_digest(db)
    code, out, err = _run(capsys, "bundle", "import", "--db", str(db), str(files[name]))
    _assert_clean(out, err)
    expected = EXPECTED[name]
    if expected is None:
        assert code == 0, err
        assert out.startswith("Import: filer 1") and not err
        return
    assert code == 1, out
    assert err.startswith("udviklingsdag: ") and not out
    message = err.lower()
    assert not any(word in message for word in UNEXPECTED), err
    assert expected.lower() in message, err
    assert files[name].name in err
    assert db_digest(db) == before


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_bundle_import_refuses_the_second_of_a_pair(
    name: str, corpus, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    base, files = corpus
    first, second = (files[n] for n in PAIRS[name])
    db = _fresh(base, tmp_path)
    assert _run(capsys, "bundle", "import", "--db", str(db), str(first))[0] == 0
    before = db_digest(db, skip={"import_ledger"})
    code, out, err = _run(capsys, "bundle", "import", "--db", str(db), str(second))
    _assert_clean(out, err)
    assert code == 1 and EXPECTED[name].lower() in err.lower()
    assert not any(word in err.lower() for word in UNEXPECTED)
    assert db_digest(db, skip={"import_ledger"}) == before


def test_bundle_import_json_and_dry_run_stay_clean(
    corpus, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    """--dry-run --json over the whole corpus at once (refused files make it fail whole):
    whatever the answer, it is clean; and a file with ESC in names never comes out raw."""
    base, files = corpus
    db = _fresh(base, tmp_path)
    before = db_digest(db)
    for name in SINGLE:
        code, out, err = _run(
            capsys, "bundle", "import", "--db", str(db), "--dry-run", "--json", str(files[name])
        )
        _assert_clean(out, err)
        assert code in (0, 1), name
        if code == 0:
            assert json.loads(out)["dry_run"] is True
    assert db_digest(db) == before


@pytest.mark.parametrize("name", SINGLE)
def test_bundle_show_answers_every_hostile_file(
    name: str, corpus, capsys: pytest.CaptureFixture[str]
):
    _, files = corpus
    code, out, err = _run(capsys, "bundle", "show", str(files[name]))
    _assert_clean(out, err)
    assert code in (0, 1)
    if code == 0:
        assert out.startswith(("Overleveringsfil fra «", "Workshop-pakke fra «"))
        assert "Kontrolsum (SHA-256):" in out
    else:
        assert err.startswith("udviklingsdag: ")
        assert not any(word in err.lower() for word in UNEXPECTED), err
    code, out, err = _run(capsys, "bundle", "show", "--json", str(files[name]))
    _assert_clean(out, err)
    if code == 0:
        assert json.loads(out)["file"] == str(files[name])


def test_device_name_with_esc_is_shown_with_placeholders(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    """Also when the reader lets a name through (an older file, a looser reader), `show`
    prints ␛ where the file has ESC; JSON escapes it."""
    from exports.bundle import BundleInfo
    from tui import cli_bundle

    info = BundleInfo(
        path=tmp_path / "x.udviklingsdag.json",
        sha256="0" * 64,
        kind="handoff",
        device_id="d",
        device_name="Bord 3\x1b[2J\x1b[H\x9b31m\u202eevil",
        created_at="2026-12-03T10:00:00+00:00",
        entries=1,
    )
    lines = info.summary_lines()
    cli_bundle.say(*lines)
    out = capsys.readouterr().out
    assert "Bord 3␛[2J␛[H⟨U+009B⟩31m⟨U+202E⟩evil" in out
    assert is_clean(out, multiline=True)
    text = dump_json(cli_bundle._info_json(info))
    assert "\x1b" not in text and "\x9b" not in text and "\u202e" not in text
    assert json.loads(text)["device_name"] == info.device_name


@pytest.mark.parametrize("name", sorted(FOREIGN))
def test_fremmed_confirms_a_file_from_another_database(
    name: str, corpus, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    base, files = corpus
    db = _fresh(base, tmp_path)
    code, _, err = _run(capsys, "bundle", "import", "--db", str(db), str(files[name]))
    assert code == 1 and "anden database" in err and "--fremmed" in err
    code, out, err = _run(
        capsys, "bundle", "import", "--db", str(db), "--fremmed", str(files[name])
    )
    _assert_clean(out, err)
    assert code == 0 and out.startswith("Import: filer 1"), err


def test_fremmed_has_danish_help(capsys: pytest.CaptureFixture[str]):
    with pytest.raises(SystemExit):
        main(["bundle", "import", "--help"])
    out = capsys.readouterr().out
    assert "--fremmed" in out and "anden database" in out


# --- the real command line: bytes on the streams, hooks, broken pipes ----------------------


def _cli(*argv: str, **kw) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("UDVIKLINGSDAG_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "tui.cli", *argv], capture_output=True, env=env, cwd=ROOT, **kw
    )


@pytest.mark.parametrize("name", ["navn-esc-baerbar", "ukendt-felt-esc", "tal-5000-cifre"])
def test_real_command_line_streams_are_clean(name: str, corpus, tmp_path: Path):
    base, files = corpus
    db = _fresh(base, tmp_path)
    for argv in (
        ("bundle", "import", "--db", str(db), str(files[name])),
        ("bundle", "show", str(files[name])),
    ):
        done = _cli(*argv)
        out, err = done.stdout.decode(), done.stderr.decode()
        assert done.returncode in (0, 1), err
        _assert_clean(out, err)
        assert b"\x1b" not in done.stdout + done.stderr


def test_no_traceback_from_a_thread_or_at_shutdown():
    """A failing background thread and an «Exception ignored» at shutdown print one Danish
    line (or nothing), never a traceback."""
    code = (
        "import sys, threading\n"
        "from tui import cli\n"
        "cli._install_hooks()\n"
        "t = threading.Thread(target=lambda: 1 / 0)\n"
        "t.start(); t.join()\n"
        "class Bad:\n"
        "    def __del__(self):\n"
        "        raise OSError(9, 'Bad file descriptor')\n"
        "b = Bad(); del b\n"
        "print('svar')\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("UDVIKLINGSDAG_DEBUG", None)
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, env=env, cwd=ROOT, text=True
    )
    assert done.returncode == 0
    assert done.stdout == "svar\n"
    assert "Traceback" not in done.stderr and "Exception ignored" not in done.stderr
    assert "baggrundsopgave stoppede med en fejl (ZeroDivisionError" in done.stderr


def test_reader_going_away_is_no_traceback(corpus):
    """`udviklingsdag bundle show --json FIL | head -c 0`: the reader is gone before the
    answer is written; the command ends quietly."""
    _, files = corpus
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("UDVIKLINGSDAG_DEBUG", None)
    cmd = [sys.executable, "-m", "tui.cli", "bundle", "show", "--json", str(files["gyldig"])]
    with subprocess.Popen(
        cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=ROOT
    ) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()
        err = proc.stderr.read().decode()
        proc.wait(timeout=30)
    assert "Traceback" not in err and "Exception ignored" not in err


@pytest.mark.parametrize("name", sorted(LEDGER_WARNINGS))
def test_clock_warning_in_show_import_and_info(
    name: str, corpus, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    """A file whose writer's clock runs far off: `show` warns before the import, `import`
    and `info` name the laptop and the offset («uret på Bord 3 går 73 år for hurtigt»)."""
    base, files = corpus
    fragment = LEDGER_WARNINGS[name]
    code, out, _ = _run(capsys, "bundle", "show", str(files[name]))
    assert code == 0 and f"Bemærk: uret på Bord 3 går {fragment}" in out
    code, out, _ = _run(capsys, "bundle", "show", "--json", str(files[name]))
    assert fragment in json.loads(out)["clock_warning"]
    db = _fresh(base, tmp_path)
    code, out, _ = _run(capsys, "bundle", "import", "--db", str(db), str(files[name]))
    assert code == 0 and out.count(fragment) == 1, out
    code, out, _ = _run(capsys, "info", "--db", str(db))
    assert code == 0 and f"Bemærk: uret på Bord 3 går {fragment}." in out
    code, out, _ = _run(capsys, "info", "--db", str(db), "--json")
    assert any(fragment in w for w in json.loads(out)["clock_warnings"])
    # A file from a laptop with a good clock warns nowhere.
    code, out, _ = _run(capsys, "bundle", "show", str(files["gyldig"]))
    assert code == 0 and "Bemærk" not in out


HOSTILE_TEXT = "Rød\x1b[2J\x1b[H\x9b31m\u202e\x07tekst"


def test_workbook_import_and_verify_print_cell_text_visibly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    """Other commands that print text from a file: the workbook import's problems quote
    cells, `verify` quotes the file's reference. Both come out with placeholders, also as
    JSON."""
    import exports.reference as reference
    import exports.template_import as template_import

    issue = template_import.ImportIssue(
        "Mål", 7, "B", HOSTILE_TEXT, f"«{HOSTILE_TEXT}» er for lang"
    )
    report = template_import.ImportReport(str(tmp_path / "x.xlsx"), True, False, [issue])
    monkeypatch.setattr(template_import, "import_workbook", lambda *a, **k: report)
    db = str(tmp_path / "t.db")
    for argv in (["import", "--db", db, "x.xlsx"], ["import", "--db", db, "--json", "x.xlsx"]):
        code, out, err = _run(capsys, *argv)
        _assert_clean(out, err)
        assert code == 1
    code, out, _ = _run(capsys, "import", "--db", db, "x.xlsx")
    assert "FEJL: Ark «Mål», række 7, kolonne B (Rød␛[2J␛[H⟨U+009B⟩31m⟨U+202E⟩␇tekst)" in out
    code, out, _ = _run(capsys, "import", "--db", db, "--json", "x.xlsx")
    assert json.loads(out)["fejl"][0]["overskrift"] == HOSTILE_TEXT

    result = reference.VerifyResult(reference.VerifyStatus.UNKNOWN, f"Ukendt: {HOSTILE_TEXT}", None)
    monkeypatch.setattr(reference, "read_reference", lambda _path: None)
    monkeypatch.setattr(reference, "_compare", lambda *a, **k: result)
    code, out, err = _run(capsys, "verify", "--db", db, "x.docx")
    _assert_clean(out, err)
    assert code == 4 and "Ukendt: Rød␛[2J␛[H" in out
    code, out, err = _run(capsys, "verify", "--db", db, "--json", "x.docx")
    _assert_clean(out, err)
    assert json.loads(out)["besked"] == result.message


def test_error_messages_are_visible(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    """A refusal that quotes a file's text (here: a file name with ESC) is printed with
    placeholders on stderr."""
    bad = tmp_path / "navn\x1b[2J.udviklingsdag.json"
    bad.write_text("{}", encoding="utf-8")
    code, out, err = _run(capsys, "bundle", "show", str(bad))
    _assert_clean(out, err)
    assert code == 1 and "navn␛[2J" in err


def test_markup_in_a_laptop_name_is_printed_as_typed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    """The command line prints with `print`, not a Rich console, so a laptop name with Rich
    markup in it («[/]» raised a MarkupError in the app's toasts) comes out as typed in
    `bundle show` and `bundle import`, not bold and without a traceback."""
    from exports.bundle import write_handoff
    from models.db import open_database
    from models.store import Store

    name = "Bord 3 [b]Jens[/b] [/] [B]x[/B] [/"
    laptop = open_database(str(tmp_path / "bord3.db"), device_name=name)
    try:
        Store(laptop).create("enhed", navn="Skole [/] [b]x[/b]", type="enhed")
        handoff = write_handoff(laptop, tmp_path / "bord3.udviklingsdag.json").path
    finally:
        laptop.close()
    code, out, err = _run(capsys, "bundle", "show", str(handoff))
    _assert_clean(out, err)
    assert code == 0 and f"«{name}»" in out
    code, out, err = _run(capsys, "bundle", "import", "--db", str(tmp_path / "t.db"), str(handoff))
    _assert_clean(out, err)
    assert code == 0 and f"fra «{name}»" in out
