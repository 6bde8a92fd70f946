"""Emoji and other symbols in the PDF (issue 13): what DejaVu Sans lacks is drawn with the
shipped fallback font; what no font has is printed as a visible «□», and the export says so in
Danish (the CLI's «Bemærk:» lines, the TUI's export result). Nothing is dropped in silence."""

from __future__ import annotations

import io
import json
import logging
import re
from datetime import date

from pypdf import PdfReader

from exports.pdf import FALLBACK_FONT, REPLACEMENT, maalplan_pdf, unprintable
from exports.qr import reference_qr_png
from exports.reference import reference_for
from exports.sbsys import unprintable_notice
from exports.seal import unsealed
from models.maalplan_view import MaalplanView, MaalView, TegnView, content_digest
from tui.cli import main

CJK = "你"  # in neither DejaVu Sans nor Symbola
RARE = "\U0001fae8"  # «shaking face» (Unicode 15): in no font we ship
SYMBOLS = f"Glad 😀 færdig ✓ stjerne ★ kinesisk {CJK} sjælden {RARE} hjerte ❤\ufe0f fest 🎉"


def _view(text: str = SYMBOLS, titel: str = "Plan med 🎉", extra: str = " 👍") -> MaalplanView:
    tegn = [TegnView("t", "1.1", text, "kvalitativ", datakilde=f"Måling{extra}")]
    maal = [MaalView("m", "1", f"Mål med{extra}", "ms", f"Målsætning{extra}", "politik", tegn=tegn)]
    view = MaalplanView(
        "4f0c1b0e-7f44-4c55-9b1d-0c1f5b0a7e11", titel, 2027, "e", "Enhed Ø", maal=maal, revision=1
    )
    return MaalplanView(**{**view.__dict__, "digest": content_digest(view)})


def _pdf_text(view: MaalplanView) -> tuple[str, bytes]:
    ref = reference_for(view)
    data = maalplan_pdf(view, ref, reference_qr_png(ref), when=date(2027, 1, 31))
    reader = PdfReader(io.BytesIO(data))
    return "".join(page.extract_text() for page in reader.pages), data


def test_fallback_font_ships_with_the_package() -> None:
    assert FALLBACK_FONT.is_file() and FALLBACK_FONT.stat().st_size > 100_000
    assert (FALLBACK_FONT.parent / "LICENSE-Symbola.txt").is_file()


def test_symbols_print_or_show_a_visible_replacement(caplog) -> None:
    caplog.set_level(logging.WARNING)
    text, data = _pdf_text(_view())
    for symbol in ("😀", "✓", "★", "🎉", "👍", "❤"):
        assert symbol in text, symbol
    # What no font has is a visible «□», in the place of each character.
    assert CJK not in text and RARE not in text
    assert f"kinesisk {REPLACEMENT} sjælden {REPLACEMENT}" in text.replace("\n", " ")
    # The variation selector after ❤ is not content: no «□» for it.
    assert f"❤{REPLACEMENT}" not in text
    # The fallback font is embedded (PDF/A needs every font in the file).
    assert b"Symbola" in data
    # fpdf2 had nothing to complain about (its English «missing glyphs» warning).
    assert not [r for r in caplog.records if "glyph" in r.getMessage()]


def test_plain_documents_do_not_carry_the_fallback_font() -> None:
    text, data = _pdf_text(_view("Børn siger ja i målingen.", titel="Plan", extra=""))
    assert "Børn siger ja" in text and b"Symbola" not in data


def test_unprintable_names_only_what_no_font_has() -> None:
    assert unprintable([SYMBOLS, "æøå", f"{CJK}{CJK}"]) == [CJK, RARE]
    assert unprintable(["plain", "❤\ufe0f ✓ 😀 \x07"]) == []


def test_notice_names_plan_characters_and_text() -> None:
    notice = unprintable_notice("Målplan 2027", [CJK, RARE], ["kinesisk 你"])
    assert "«Målplan 2027»" in notice and f"{CJK} (U+4F60)" in notice
    assert "U+1FAE8" in notice and "«kinesisk 你»" in notice and REPLACEMENT in notice


def test_cli_export_gives_a_danish_notice(plan_store, tmp_path, db_target, capfd) -> None:
    store, ids = plan_store
    store.update("tegn", ids["t1"], tekst=f"Trivsel 😀 og {CJK} og {RARE}")
    out = tmp_path / "ud"
    assert main(["export", "sbsys", "--db", db_target, str(out)]) == 0
    captured = capfd.readouterr()
    notes = [line for line in captured.out.splitlines() if "PDF'en for" in line]
    assert len(notes) == 1, captured.out
    assert notes[0].startswith("Bemærk: PDF'en for «Målplan 2027: Trivsel på Ærø»")
    assert "(U+4F60)" in notes[0] and "(U+1FAE8)" in notes[0] and "Trivsel 😀" in notes[0]
    # No English warning from fpdf2 (also not from a worker process: capfd reads fd 2).
    assert "glyph" not in captured.err and "missing" not in captured.err
    folder = next(p for p in out.iterdir() if "Trivsel" in p.name)
    pdf = next(folder.glob("*.pdf"))
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Trivsel 😀 og" in text and REPLACEMENT in text
    # The JSON answer carries the notice as well.
    assert main(["export", "sbsys", "--db", db_target, str(tmp_path / "ud2"), "--json"]) == 0
    data = json.loads(capfd.readouterr().out)
    assert any("U+4F60" in w for w in data["advarsler"])


def test_fast_path_writes_what_fpdf_writes_with_symbols(monkeypatch) -> None:
    # The page content written directly (`_mixed_ops`) is byte for byte what fpdf2's own
    # text() writes with the fonts switched per run (`_text_routed`): headings, cells, notes.
    from exports import pdf as pdf_mod

    view = _view()
    ref = reference_for(view)
    png = reference_qr_png(ref)
    fast = pdf_mod.maalplan_pdf(view, ref, png, when=date(2027, 1, 31))
    import fpdf.syntax

    with monkeypatch.context() as m:
        m.setattr(pdf_mod, "_plain_text_state", lambda _pdf: False)
        m.setattr(pdf_mod, "_output", lambda pdf: bytes(pdf.output()))
        # fpdf2's own writer at the level ours compresses at.
        m.setattr(fpdf.syntax.PDFContentStream, "_COMPRESSION_LEVEL", pdf_mod.STREAM_LEVEL)
        plain = pdf_mod.maalplan_pdf(view, ref, png, when=date(2027, 1, 31))

    def without_dates(data: bytes) -> bytes:
        data = re.sub(rb'xmp:(ModifyDate|MetadataDate)="[^"]*"', b"", data)
        # fpdf2's own output is not sealed (exports.seal): zeros where ours has the seal
        data = unsealed(data)
        return re.sub(rb"/ID \[<[0-9A-F]+><[0-9A-F]+>\]", b"", data)

    assert without_dates(fast) == without_dates(plain)


def test_tui_export_result_names_the_symbols(plan_store, tmp_path) -> None:
    import asyncio

    from textual.widgets import Input, SelectionList, Static

    from screens.export import ExportScreen
    from tests.tui.helpers import QueueHost

    store, ids = plan_store
    store.update("tegn", ids["t1"], tekst=f"Trivsel 😀 og {CJK}")

    class _App(QueueHost):
        def on_mount(self) -> None:
            self.push_screen(ExportScreen())

    async def settle(pilot) -> None:
        for _ in range(200):
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            if all(w.is_finished for w in pilot.app.workers):
                return

    async def run() -> str:
        app = _App(store.db)
        async with app.run_test(size=(120, 40)) as pilot:
            await settle(pilot)
            screen = app.screen
            screen.query_one("#plan-list", SelectionList).deselect(ids["empty"])
            screen.query_one("#outdir", Input).value = str(tmp_path / "ud")
            screen.action_export()
            await settle(pilot)
            return str(screen.query_one("#export-status", Static).render())

    status = asyncio.run(run())
    assert "1 målplan er eksporteret" in status
    assert "PDF'en for «Målplan 2027: Trivsel på Ærø» kan ikke vise 你 (U+4F60)" in status
    assert "«Trivsel 😀 og 你»" in status
