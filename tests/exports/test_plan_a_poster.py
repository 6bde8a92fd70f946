"""The Plan A poster (exports/plan_a_poster.py): an A3 portrait PDF/A and an A3 .docx per
målplan, their content read back as text, the page rendered (pdftoppm, and LibreOffice for
the .docx) and not blank, the QR code decoded to the plan's reference, `verify` on the files,
a 3,000-character text kept on the one page, hostile text shown as typed, the CLI."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from datetime import UTC, date
from pathlib import Path

import docx
import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from exports.atomic import ExportError
from exports.plan_a_poster import CUT, CUT_MAAL, export_posters, poster_stem
from exports.reference import (
    Reference,
    RefKind,
    VerifyStatus,
    parse_reference,
    poster_reference,
    verify_file,
)
from models.db import Database
from models.workspace import Workspace
from tui.cli import main

BOTH_BACKENDS = True
WHEN = date(2026, 12, 6)
FORSKEL_1 = "Hver medarbejder kan forklare, hvordan dagens arbejde hænger sammen med visionen."
FORSKEL_6 = "Færre sygedage, fordi ruterne giver tid til pauser."
MARKUP = "Vi siger [bold]ja[/] og <b>nej</b> =SUM(A1) 🎉"
PDFTOPPM = shutil.which("pdftoppm")
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def _plan(ws: Workspace, enhed: str, aar: int, plan_a: list[int]) -> dict[str, str]:
    ids = {"enhed": ws.create("enhed", {"navn": enhed})}
    ids["ms"] = ws.create("maalsaetning", {"tekst": "Borgerne klarer mere selv"})
    ids["plan"] = ws.create(
        "maalplan",
        {"enhed_id": ids["enhed"], "aar": aar, "titel": f"Målplan {aar}", "plan_a": plan_a},
    )
    ids["maal"] = ws.create(
        "maal",
        {
            "maalsaetning_id": ids["ms"],
            "maalplan_id": ids["plan"],
            "tekst": "Halvdelen af de nye borgere klarer selv badet",
            "ansvarlig": "Hanne Dahl",
            "fra_aar": aar,
            "til_aar": aar + 1,
            "plan_a": [1, 6],
        },
    )
    return ids


@pytest.fixture
def ws(db: Database) -> Workspace:
    return Workspace(db)


@pytest.fixture
def plan(ws: Workspace) -> dict[str, str]:
    ids = _plan(ws, "Hjemmeplejen Øst", 2024, [1, 6])
    ws.set_plan_a_forskel(ids["plan"], 1, FORSKEL_1)
    ws.set_plan_a_forskel(ids["plan"], 6, FORSKEL_6)
    return ids


def _export(ws: Workspace, folder: Path, plan_id: str) -> tuple[Path, Path]:
    result = export_posters(ws.database, folder, when=WHEN, maalplan_ids=(plan_id,))
    pdf, docx_path = result.written
    return pdf, docx_path


def _pdf_text(path: Path) -> str:
    return "\n".join(p.extract_text() or "" for p in PdfReader(str(path)).pages)


def _docx_text(path: Path) -> str:
    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    parts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    parts += [p.text for p in document.sections[0].footer.paragraphs]
    return "\n".join(parts)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _render(pdf: Path, dpi: int) -> Image.Image:
    assert PDFTOPPM is not None
    out = subprocess.run(
        [PDFTOPPM, "-r", str(dpi), "-f", "1", "-l", "1", "-png", str(pdf)],
        capture_output=True,
        check=True,
    ).stdout
    return Image.open(io.BytesIO(out)).convert("L")


def _not_blank(image: Image.Image) -> float:
    """The share of the page that is not white."""
    dark = sum(image.histogram()[:200])
    return dark / (image.width * image.height)


def test_pdf_is_one_a3_page_with_the_plan_a(ws: Workspace, plan: dict[str, str], tmp_path: Path):
    pdf, _docx = _export(ws, tmp_path, plan["plan"])
    assert pdf.name == "2026-12-06_PlanA_2024_Hjemmeplejen-Øst.pdf"
    reader = PdfReader(str(pdf))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 1191)
    text = _flat(_pdf_text(pdf))
    for want in (
        "Plan A 2024",
        "Hjemmeplejen Øst",
        "Opgaver",
        "Adfærd",
        "Struktur",
        "1. Sammenhæng fra vision til indsatser",
        FORSKEL_1,
        FORSKEL_6,
        "Halvdelen af de nye borgere klarer selv badet",
        "Hanne Dahl · 2024–2025",
        "OBLIGATORISK I 2024",
        "2. Gennemskuelig afrapportering af målopfyldelse (ikke valgt i år)",
    ):
        assert want in text, want
    # 8 is required in 2024 but not chosen: small, grey, still marked required.
    assert "8. Tværfagligt samarbejde er en del af strukturen (ikke valgt i år)" in text
    assert text.count("OBLIGATORISK I 2024") == 3
    # The reference in the text and in the metadata: the poster's own, naming its plan.
    ref = _ref(ws, plan["plan"])
    assert (ref.kind, ref.subject) == (RefKind.PLANA, plan["plan"])
    assert ref.text in text.replace(" ", "") or ref.text in _pdf_text(pdf).replace("\n", "")
    assert parse_reference(pdf.read_bytes().decode("latin-1")) == ref


def test_the_title_is_big_and_the_indicators_readable(
    ws: Workspace, plan: dict[str, str], tmp_path: Path
):
    pdf, _docx = _export(ws, tmp_path, plan["plan"])
    sizes: dict[str, float] = {}

    def visit(text: str, cm, tm, _font, size: float) -> None:  # type: ignore[no-untyped-def]
        if text.strip():
            sizes[text.strip()] = size * tm[0]

    PdfReader(str(pdf)).pages[0].extract_text(visitor_text=visit)
    assert sizes["Plan A 2024"] >= 40
    assert sizes["Hjemmeplejen Øst"] >= 40
    assert min(v for k, v in sizes.items() if k.startswith(("1. ", "6. "))) >= 14
    forskel = [v for k, v in sizes.items() if k and k in FORSKEL_6]
    assert forskel and min(forskel) >= 14


@pytest.mark.skipif(PDFTOPPM is None, reason="pdftoppm (poppler-utils) er ikke installeret")
def test_pdf_page_renders_and_its_qr_decodes(ws: Workspace, plan: dict[str, str], tmp_path: Path):
    pdf, _docx = _export(ws, tmp_path, plan["plan"])
    small = _render(pdf, 30)
    assert abs(small.width - 297 / 25.4 * 30) < 1.5 and abs(small.height - 420 / 25.4 * 30) < 1.5
    assert _not_blank(small) > 0.03
    decoded = zxingcpp.read_barcodes(_render(pdf, 150), formats=zxingcpp.BarcodeFormat.QRCode)
    ref = _ref(ws, plan["plan"])
    assert [parse_reference(t) for t in {d.text for d in decoded}] == [ref]


def _objects(pdf: bytes) -> dict[int, bytes]:
    return {
        int(m.group(1)): m.group(2) for m in re.finditer(rb"(?s)(\d+) 0 obj\n(.*?)\nendobj\n", pdf)
    }


def test_our_writer_makes_a_pdf_a_2b_file_saying_the_same_in_both_metadata(
    ws: Workspace, plan: dict[str, str], tmp_path: Path
):
    """A poster in the common letters is written by our own one-page writer: the fonts
    embedded with their widths from the font program, an sRGB output intent, the PDF/A-2b
    identification in the XMP, and an information dictionary that says what the XMP says."""
    from fontTools import ttLib

    from exports.plan_a_poster import PRODUCER

    pdf, _docx = _export(ws, tmp_path, plan["plan"])
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF-1.7\n%") and all(b > 127 for b in data[10:14])
    assert data.endswith(b"%%EOF\n")
    reader = PdfReader(str(pdf), strict=True)
    info = reader.metadata
    assert info is not None and info.producer == PRODUCER
    xmp = reader.xmp_metadata
    assert xmp is not None
    raw = xmp.stream.get_data().decode("utf-8")
    assert 'pdfaid:part="2"' in raw and 'pdfaid:conformance="B"' in raw
    assert xmp.dc_title == {"x-default": info.title}
    assert info.title == "Plan A 2024 · Hjemmeplejen Øst"
    assert xmp.dc_description == {"x-default": info.subject}
    assert xmp.dc_creator == [info.author]
    assert xmp.pdf_keywords == info["/Keywords"] and xmp.pdf_producer == info.producer
    assert xmp.xmp_creator_tool == info.creator
    # The same moment in both, with its time zone (pypdf reads the XMP's in UTC).
    assert info.creation_date.utcoffset() is not None
    assert xmp.xmp_create_date == info.creation_date.astimezone(UTC).replace(tzinfo=None)
    assert xmp.xmp_modify_date == info.modification_date.astimezone(UTC).replace(tzinfo=None)
    assert reader.trailer["/ID"][0] == reader.trailer["/ID"][1]
    intent = reader.trailer["/Root"]["/OutputIntents"][0].get_object()
    assert intent["/S"] == "/GTS_PDFA1"
    assert intent["/DestOutputProfile"].get_object()["/N"] == 3
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert len(fonts) == 2
    for ref in fonts.values():
        font = ref.get_object()
        assert font["/Encoding"] == "/Identity-H" and "/ToUnicode" in font
        cid = font["/DescendantFonts"][0].get_object()
        assert cid["/CIDToGIDMap"] == "/Identity"
        program = cid["/FontDescriptor"]["/FontFile2"].get_object().get_data()
        embedded = ttLib.TTFont(io.BytesIO(program))
        scale = 1000 / embedded["head"].unitsPerEm
        widths = cid["/W"][1]
        order = embedded.getGlyphOrder()
        assert len(widths) == len(order)
        for gid, name in enumerate(order):  # PDF/A: the widths are the font program's
            assert abs(widths[gid] - embedded["hmtx"].metrics[name][0] * scale) <= 1
    # Nothing else but what was drawn: the page's text reads back whole.
    assert "Halvdelen af de nye borgere klarer selv badet" in _flat(_pdf_text(pdf))


@pytest.mark.parametrize(
    "name",
    ["Café (Øst) \\ \"A&B\" <c> 'd'", "Cafe (Ost)) \\( \"A&B\" <c> 'd'"],
    ids=["utf16", "literal"],
)
def test_our_writer_keeps_pdf_and_xml_characters_in_names_as_typed(
    ws: Workspace, tmp_path: Path, name: str
):
    """Parentheses (unbalanced too), a backslash and XML's own characters in a name: the page,
    the information dictionary (UTF-16 for a name with «é», a literal string for an ASCII
    one) and the XMP all say the name as typed, and the file reads strictly."""
    from exports.plan_a_poster import PRODUCER

    ids = _plan(ws, name, 2026, [1])
    pdf, _docx = _export(ws, tmp_path, ids["plan"])
    reader = PdfReader(str(pdf), strict=True)
    info = reader.metadata
    assert info is not None and info.producer == PRODUCER
    assert info.title == f"Plan A 2026 · {name}" and info.subject == f"Plan A-plakat for {name}"
    xmp = reader.xmp_metadata
    assert xmp is not None and xmp.dc_title == {"x-default": info.title}
    assert name in _flat(_pdf_text(pdf))
    assert verify_file(ws.database, pdf).status is VerifyStatus.CURRENT


def test_our_writer_writes_the_same_poster_to_the_same_bytes(
    ws: Workspace, plan: dict[str, str], tmp_path: Path
):
    """No clock in the file: a poster exported again from the same data on the same day is
    the same file (its seal too)."""
    first, _ = _export(ws, tmp_path / "a", plan["plan"])
    again, _ = _export(ws, tmp_path / "b", plan["plan"])
    assert first.read_bytes() == again.read_bytes()


@pytest.mark.skipif(PDFTOPPM is None, reason="pdftoppm (poppler-utils) er ikke installeret")
def test_our_writer_draws_the_page_fpdf2_draws(ws: Workspace, plan: dict[str, str], tmp_path: Path):
    """The same layout drawn by both writers: the pages look the same but for the QR code
    (a picture in fpdf2's, squares in ours), and read the same."""
    from PIL import ImageChops

    from exports import pdf as pdf_fonts
    from exports.plan_a_poster import _facts, poster_pdf
    from exports.plan_a_poster import _render as fpdf_render
    from exports.qr import reference_qr_png

    poster = ws.plan_a(plan["plan"])
    assert poster is not None
    ref = _ref(ws, plan["plan"])
    png = reference_qr_png(ref)
    ours = tmp_path / "ours.pdf"
    ours.write_bytes(poster_pdf(poster, ref, png, when=WHEN))
    fpdf = fpdf_render(poster, ref, png, WHEN, _facts(poster, ref, WHEN, ""), fast=True)
    pdf_fonts._embed_from_common(fpdf, whole=True)  # as `poster_pdf` makes fpdf2's posters
    theirs = tmp_path / "theirs.pdf"
    theirs.write_bytes(pdf_fonts._output(fpdf))
    assert b"udviklingsdag (fpdf2)" in theirs.read_bytes()
    a, b = _render(ours, 60), _render(theirs, 60)
    assert a.size == b.size
    diff = ImageChops.difference(a, b).getbbox()
    assert diff is not None  # the QR codes differ in how they are drawn ...
    qr_left = (297 - 20 - 34) / 25.4 * 60  # ... and nothing else does
    qr_top = (420 - 20 - 34) / 25.4 * 60
    assert diff[0] >= qr_left - 2 and diff[1] >= qr_top - 2, diff
    assert _flat(_pdf_text(ours)) == _flat(_pdf_text(theirs))


def test_docx_is_a3_with_the_same_content_and_a_qr(
    ws: Workspace, plan: dict[str, str], tmp_path: Path
):
    _pdf, path = _export(ws, tmp_path, plan["plan"])
    document = docx.Document(str(path))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (297, 420)
    text = _docx_text(path)
    for want in ("Plan A 2024", "Hjemmeplejen Øst", "Adfærd", FORSKEL_1, FORSKEL_6):
        assert want in text, want
    assert "• \tHalvdelen af de nye borgere klarer selv badet" in text
    assert "OBLIGATORISK I 2024" in text
    # A heading's number and a mål's bullet stand at the margin and the text hangs beside them,
    # its wrapped lines under its first word (as on the PDF): Word wraps them under the number.
    cells = [p for t in document.tables for c in t.rows[1].cells for p in c.paragraphs]
    leads = [p for p in cells if p.text[:4] in ("1. \t", "6. \t") or p.text.startswith("• \t")]
    assert {p.text[:4] for p in leads} >= {"1. \t", "6. \t"} and len(leads) >= 4
    for p in leads:
        pf = p.paragraph_format
        assert pf.left_indent is not None and pf.left_indent > 0, p.text
        assert pf.first_line_indent == -pf.left_indent, p.text
    ref = _ref(ws, plan["plan"])
    assert parse_reference(document.core_properties.identifier) == ref
    assert ";TEKST=" in document.core_properties.identifier  # the digest verify compares
    blobs = [r.target_part.blob for r in section.footer.part.rels.values() if "image" in r.reltype]
    assert len(blobs) == 1
    decoded = zxingcpp.read_barcodes(
        Image.open(io.BytesIO(blobs[0])), formats=zxingcpp.BarcodeFormat.QRCode
    )
    assert [parse_reference(t) for t in {d.text for d in decoded}] == [ref]


@pytest.mark.skipif(
    SOFFICE is None or PDFTOPPM is None, reason="LibreOffice eller pdftoppm er ikke installeret"
)
def test_libreoffice_prints_the_docx_on_a3(ws: Workspace, plan: dict[str, str], tmp_path: Path):
    _pdf, path = _export(ws, tmp_path / "ud", plan["plan"])
    assert SOFFICE is not None
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(path),
        ],
        check=True,
        timeout=180,
        capture_output=True,
    )
    converted = tmp_path / (path.stem + ".pdf")
    reader = PdfReader(str(converted))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (842, 1191)
    assert FORSKEL_6 in _flat(_pdf_text(converted))
    assert _not_blank(_render(converted, 30)) > 0.02


def test_a_3000_character_text_stays_on_the_page(ws: Workspace, tmp_path: Path):
    ids = _plan(ws, "Jobcenteret", 2026, [1, 6, 8])
    sentence = "Vi vil gøre en forskel for borgerne ved at arbejde sammen på tværs af faggrupper. "
    long = (sentence * 40)[:3000].strip()
    ws.set_plan_a_forskel(ids["plan"], 6, long)
    ws.set_plan_a_forskel(ids["plan"], 1, "Kort tekst om sammenhæng.")
    pdf, path = _export(ws, tmp_path, ids["plan"])
    reader = PdfReader(str(pdf))
    assert len(reader.pages) == 1
    page = reader.pages[0]
    height = float(page.mediabox.height)
    ys: list[float] = []

    def visit(text: str, cm, tm, _font, _size) -> None:  # type: ignore[no-untyped-def]
        if text.strip():
            ys.append(tm[5])

    text = _flat(page.extract_text(visitor_text=visit))
    # Every line inside the page's margins (20 mm = 56.7 pt), none under the page.
    assert ys and min(ys) > 50 and max(ys) < height - 50
    # The start of the text is there; what did not fit says where the rest is (here the
    # box's one mål, pushed out by the long text).
    assert sentence.strip() in text
    assert CUT_MAAL.format(n=1) in text
    # The other columns keep their size: the short text is whole.
    assert "Kort tekst om sammenhæng." in text
    # The docx keeps every word.
    assert _flat(long) in _flat(_docx_text(path))


def test_a_box_with_more_maal_than_room_says_how_many_are_left_out(ws: Workspace, tmp_path: Path):
    """80 mål on indicator 1: the box ends with «… og N mål mere, som står i målplanen», N
    being the mål the page does not show (it said «resten står i udviklingsdag», which a
    reader at the wall does not know)."""
    ids = _plan(ws, "Rådhuset", 2026, [1, 6, 8])
    texts = [
        f"Mål nummer {n:02d}: borgerne får mere hjælp til at klare hverdagen selv, også om "
        "aftenen og i weekenden, når hjemmeplejen har færre hænder"
        for n in range(80)
    ]
    for text in texts:
        ws.create(
            "maal",
            {
                "maalsaetning_id": ids["ms"],
                "maalplan_id": ids["plan"],
                "tekst": text,
                "plan_a": [1],
            },
        )
    pdf, _path = _export(ws, tmp_path, ids["plan"])
    shown = _flat(_pdf_text(pdf))
    missing = [t for t in texts if t not in shown]
    assert 0 < len(missing) < len(texts)
    import re

    said = re.findall(r"… og (\d+) mål mere, som står i målplanen", shown)
    assert said, shown[-400:]
    assert said == [str(len(missing))], (said, len(missing), shown[shown.find("…") - 300 :])
    assert "udviklingsdag)" not in shown


def test_hostile_text_is_shown_as_typed(ws: Workspace, tmp_path: Path):
    ids = _plan(ws, "Kulturhuset <script>", 2026, [1])
    ws.set_plan_a_forskel(ids["plan"], 1, MARKUP)
    pdf, path = _export(ws, tmp_path, ids["plan"])
    assert pdf.name.startswith("2026-12-06_PlanA_2026_Kulturhuset")
    assert "<" not in pdf.name and ">" not in pdf.name
    pdf_text = _flat(_pdf_text(pdf))
    assert "Vi siger [bold]ja[/] og <b>nej</b> =SUM(A1)" in pdf_text
    assert "Kulturhuset <script>" in pdf_text
    assert MARKUP in _docx_text(path)


def _embedded_fonts(path: Path) -> list[bytes]:
    reader = PdfReader(str(path))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    out = []
    for ref in fonts.values():
        descendant = ref.get_object()["/DescendantFonts"][0].get_object()
        out.append(descendant["/FontDescriptor"]["/FontFile2"].get_object().get_data())
    return out


def test_posters_in_danish_letters_embed_the_same_font_whatever_their_text(
    ws: Workspace, tmp_path: Path
):
    """A poster embeds the whole common font (ASCII, Latin-1, the usual punctuation), so every
    poster's font is the one subset made once per process; a poster with other letters gets
    a subset of its own, and every text is still there to read."""
    a = _plan(ws, "Hjemmeplejen Øst", 2024, [1, 6])
    b = _plan(ws, "Zoneterapi & Æblehaven", 2024, [1])
    c = _plan(ws, "Ωmega-huset", 2024, [1])
    ws.set_plan_a_forskel(a["plan"], 1, FORSKEL_1)
    first, _ = _export(ws, tmp_path / "a", a["plan"])
    second, _ = _export(ws, tmp_path / "b", b["plan"])
    other, _ = _export(ws, tmp_path / "c", c["plan"])
    assert _embedded_fonts(first) == _embedded_fonts(second)
    assert _embedded_fonts(other) != _embedded_fonts(first)
    assert "Hjemmeplejen Øst" in _flat(_pdf_text(first))
    assert "Zoneterapi & Æblehaven" in _flat(_pdf_text(second))
    assert "Ωmega-huset" in _flat(_pdf_text(other))


def _ref(ws: Workspace, maalplan_id: str) -> Reference:
    poster = ws.plan_a(maalplan_id)
    assert poster is not None
    return poster_reference(poster)


def test_verify_finds_the_posters_reference_and_sees_what_it_shows_change(
    ws: Workspace, plan: dict[str, str], tmp_path: Path
):
    pdf, path = _export(ws, tmp_path, plan["plan"])
    # The .docx's text is compared with the digest stamped in it; the PDF (never in a
    # package) with the seal of its own bytes (the user test was told to put it beside a
    # journalisering.json the Plan A export never writes).
    result = verify_file(ws.database, path)
    assert result.status is VerifyStatus.CURRENT, result.message
    assert "Plan A-plakaten for Hjemmeplejen Øst" in result.message
    result = verify_file(ws.database, pdf)
    assert result.status is VerifyStatus.CURRENT, result.message
    assert "journalisering" not in result.message
    assert result.reference is not None and result.reference.subject == plan["plan"]
    # One byte of a page changed, the seal kept: «Ændret».
    data = pdf.read_bytes()
    page = data.index(b"stream\n", data.index(b"/Contents")) + 20
    tampered = tmp_path / "rettet.pdf"
    tampered.write_bytes(data[:page] + bytes([data[page] ^ 1]) + data[page + 1 :])
    assert verify_file(ws.database, tampered).status is VerifyStatus.CHANGED
    # A change the poster does not show (the plan's case number) leaves it current.
    ws.save_field("maalplan", plan["plan"], "sagsnummer", "00.01.00-G01-1-26")
    assert verify_file(ws.database, path).status is VerifyStatus.CURRENT
    # The forskel text is on the poster: changing it makes the poster outdated.
    poster = ws.plan_a(plan["plan"])
    assert poster is not None and poster.valgte[0].forskel
    ws.set_plan_a_forskel(plan["plan"], poster.valgte[0].nummer, "En helt anden forskel")
    result = verify_file(ws.database, path)
    assert result.status is VerifyStatus.OUTDATED, result.message
    assert "Plan A-plakaten for Hjemmeplejen Øst er ændret" in result.message
    # So does a mål's text.
    pdf, path = _export(ws, tmp_path / "ny", plan["plan"])
    assert verify_file(ws.database, path).status is VerifyStatus.CURRENT
    ws.save_field("maal", plan["maal"], "tekst", "Et andet mål")
    assert verify_file(ws.database, pdf).status is VerifyStatus.OUTDATED
    # A hand-edited copy of the docx is seen as changed.
    edited = tmp_path / "rettet.docx"
    document = docx.Document(str(path))
    document.paragraphs[0].add_run(" rettet i hånden")
    document.save(str(edited))
    assert verify_file(ws.database, edited).status is VerifyStatus.CHANGED


def test_the_docx_digest_is_of_the_text_its_file_holds(ws: Workspace, tmp_path: Path):
    """The .docx's text digest is taken from the paragraphs as they are built, not from the
    XML parsed back: a text with line breaks, tabs, spaces at its ends and XML's own
    characters still gives the digest of what `verify` reads from the saved file."""
    from exports.reference import TEXT_DIGEST_RE, _core_xml, _docx_text, text_digest

    ids = _plan(ws, "Værested Nord & <Syd>", 2026, [1, 6])
    ws.set_plan_a_forskel(ids["plan"], 1, "Første linje\nanden\tlinje  \n\n  & «tredje» <b>")
    ws.save_field("maal", ids["maal"], "tekst", "Mål med   mellemrum & <tegn>")
    _pdf, path = _export(ws, tmp_path, ids["plan"])
    stamped = TEXT_DIGEST_RE.search(_core_xml(path))
    assert stamped is not None
    with zipfile.ZipFile(path) as zf:
        read_back = _docx_text(zf, path.name)
    assert "anden" in read_back and "& «tredje» <b>" in read_back
    assert stamped.group(1) == text_digest(read_back).upper()
    assert verify_file(ws.database, path).status is VerifyStatus.CURRENT


def test_export_all_of_a_year_and_refuse_to_overwrite_a_foreign_file(ws: Workspace, tmp_path: Path):
    a = _plan(ws, "Biblioteket", 2026, [1])
    _plan(ws, "Aktivitetscentret", 2026, [6])
    _plan(ws, "Biblioteket", 2027, [8])
    result = export_posters(ws.database, tmp_path, when=WHEN, aar=2026)
    assert result.posters == 2
    assert [p.name for p in result.written] == [
        "2026-12-06_PlanA_2026_Aktivitetscentret.pdf",
        "2026-12-06_PlanA_2026_Aktivitetscentret.docx",
        "2026-12-06_PlanA_2026_Biblioteket.pdf",
        "2026-12-06_PlanA_2026_Biblioteket.docx",
    ]
    assert "2 Plan A-plakater" in result.summary
    # Again: our own files are replaced.
    assert export_posters(ws.database, tmp_path, when=WHEN, aar=2026).posters == 2
    foreign = tmp_path / "other"
    foreign.mkdir()
    poster = ws.plan_a(a["plan"])
    assert poster is not None
    (foreign / f"{poster_stem(poster, WHEN)}.pdf").write_text("min egen fil")
    import gc

    assert gc.isenabled()
    with pytest.raises(ExportError, match="ikke en PDF"):
        export_posters(ws.database, foreign, when=WHEN, maalplan_ids=(a["plan"],))
    assert gc.isenabled()  # the export pauses the collector and resumes it, also on an error
    assert (foreign / f"{poster_stem(poster, WHEN)}.pdf").read_text() == "min egen fil"
    assert list(foreign.iterdir()) == [foreign / f"{poster_stem(poster, WHEN)}.pdf"]


def test_cli_export_plan_a(ws: Workspace, db_target: str, tmp_path: Path, capsys):
    ids = _plan(ws, "Biblioteket", 2026, [1])
    out = tmp_path / "plakater"
    argv = ["export", "plan-a", "--db", db_target, str(out)]
    assert main([*argv, "--aar", "2026"]) == 0
    said = capsys.readouterr().out
    assert "1 Plan A-plakat skrevet" in said
    assert sorted(p.suffix for p in out.iterdir()) == [".docx", ".pdf"]
    assert main([*argv, "--maalplan", ids["plan"], "--json"]) == 0
    assert main([*argv, "--aar", "1999"]) == 1
    assert "ingen målplaner for 1999" in capsys.readouterr().err
    assert main([*argv, "--maalplan", "findes-ikke"]) == 1
    assert "findes ikke" in capsys.readouterr().err


def test_cli_export_plan_a_defaults_to_the_plan_year_being_prepared(
    ws: Workspace, db_target: str, tmp_path: Path, capsys, monkeypatch: pytest.MonkeyPatch
):
    """Without --aar, in December 2026 the posters are 2027's (the plan year the årshjul is
    at), not the calendar year's; in March 2027 still 2027's."""
    from datetime import datetime

    _plan(ws, "Biblioteket", 2026, [1])
    _plan(ws, "Rådhuset", 2027, [6])
    for now in (datetime(2026, 12, 7, 10), datetime(2027, 3, 1, 10)):
        monkeypatch.setattr(Workspace, "clock", staticmethod(lambda now=now: now))
        out = tmp_path / f"plakater-{now.month}"
        assert main(["export", "plan-a", "--db", db_target, str(out)]) == 0
        capsys.readouterr()
        assert [p.name for p in out.iterdir() if p.suffix == ".pdf"] == [
            next(p.name for p in out.iterdir() if "Rådhuset" in p.name and p.suffix == ".pdf")
        ]


def test_many_posters_are_rendered_in_two_processes_with_the_same_result(
    ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    import exports.plan_a_poster as module
    import exports.sbsys as sbsys
    from exports.reference import office_text, pdf_text

    for n in range(3):
        _plan(ws, f"Enhed {n}", 2026, [1, 6])
    alone = export_posters(ws.database, tmp_path / "alene", when=WHEN, aar=2026)
    started: list[int] = []
    real_start = sbsys._start_pool

    def counted(workers: int) -> object:
        started.append(workers)
        return real_start(workers)

    monkeypatch.setattr(sbsys, "_start_pool", counted)
    monkeypatch.setattr(module, "PARALLEL_POSTERS", 1)
    together = export_posters(ws.database, tmp_path / "sammen", when=WHEN, aar=2026)
    assert started == [2]
    assert [p.name for p in together.written] == [p.name for p in alone.written]
    for a, b in zip(alone.written, together.written, strict=True):
        if a.suffix == ".pdf":
            assert pdf_text(a.read_bytes()) == pdf_text(b.read_bytes())
        else:
            assert office_text(a.read_bytes(), ".docx") == office_text(b.read_bytes(), ".docx")
            assert verify_file(ws.database, b).status is VerifyStatus.CURRENT


def _python_docx_poster(
    poster, ref: Reference, qr_png: bytes, when: date, *, hanging: bool = True
) -> bytes:  # type: ignore[no-untyped-def]
    """The poster built through python-docx's API, call by call, as `poster_docx` built it
    before it wrote its XML itself: the reference the fast writer is held to. Without
    `hanging`, as the posters were written before their headings and bullets hung (7 December):
    the number or bullet and the text in one run, no indent."""
    from docx.enum.section import WD_ORIENT
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor

    import exports.plan_a_poster as pap
    from exports.docx import docx_bytes, set_properties
    from exports.reference import stamp_docx
    from exports.xlsx import clean_cell_text

    def run(para, text, size, *, bold=False, colour=(0, 0, 0), space_before=0.0, indent=0, lead=""):  # type: ignore[no-untyped-def]
        para.paragraph_format.space_before = Pt(space_before)
        para.paragraph_format.space_after = Pt(2)
        if indent and hanging:
            para.paragraph_format.left_indent = Pt(indent)
            if lead:  # the lead at the margin, the text after its tab hanging at the indent
                para.paragraph_format.first_line_indent = Pt(-indent)
        text = clean_cell_text(text)
        r = para.add_run((f"{lead}\t{text}" if hanging else lead + text) if lead else text)
        r.font.size = Pt(size)
        r.bold = bold
        r.font.color.rgb = RGBColor(*colour)

    doc = docx.Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(pap.PAGE_W), Mm(pap.PAGE_H)
    section.left_margin = section.right_margin = Mm(pap.MARGIN)
    section.top_margin = Mm(pap.MARGIN)
    section.bottom_margin = Mm(pap.MARGIN + 10)
    section.footer_distance = Mm(8)
    doc.styles["Normal"].font.name = "Arial"
    doc.styles["Normal"].font.size = Pt(14)
    opgaver = pap.COLOURS["Opgaver"]
    run(doc.add_paragraph(), pap.title(poster), pap.TITLE_PT, bold=True, colour=opgaver)
    run(doc.add_paragraph(), poster.enhed, pap.ENHED_PT, bold=True)
    run(doc.add_paragraph(), pap.INTRO, 16, colour=pap.GREY, space_before=4)
    table = doc.add_table(rows=2, cols=3)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        mar = OxmlElement(f"w:{side}")
        mar.set(qn("w:w"), "200")
        mar.set(qn("w:type"), "dxa")
        margins.append(mar)
    table._tbl.tblPr.append(margins)
    col_w = Mm((pap.PAGE_W - 2 * pap.MARGIN) / 3)
    for i in range(3):
        table.rows[0].cells[i].width = table.rows[1].cells[i].width = col_w
    for i, perspektiv in enumerate(poster.perspektiver):
        head, body = table.rows[0].cells[i], table.rows[1].cells[i]
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), "".join(f"{c:02X}" for c in pap.COLOURS[perspektiv.navn]))
        head._tc.get_or_add_tcPr().append(shd)
        run(head.paragraphs[0], perspektiv.navn, 24, bold=True, colour=(255, 255, 255))
        fresh = [body.paragraphs[0]]

        def para(cell=body, fresh=fresh):  # type: ignore[no-untyped-def]
            return fresh.pop() if fresh else cell.add_paragraph()

        for ind in perspektiv.indikatorer:
            if ind.valgt:
                number = f"{ind.nummer}. "
                run(
                    para(),
                    ind.label,
                    pap.LABEL_PT,
                    bold=True,
                    space_before=10,
                    indent=24,
                    lead=number,
                )
                if ind.obligatorisk:
                    run(para(), pap.OBLIGATORISK.upper(), 10, bold=True, colour=pap.GREY)
                forskel = ind.forskel.strip()
                run(
                    para(),
                    forskel or pap.INGEN_FORSKEL,
                    pap.FORSKEL_PT,
                    colour=(0, 0, 0) if forskel else pap.GREY,
                    space_before=4,
                )
                run(para(), pap.MAAL_HEADING, pap.MAAL_PT, bold=True, space_before=6)
                if not ind.maal:
                    run(para(), pap.INGEN_MAAL, pap.MAAL_PT, colour=pap.GREY)
                for m in ind.maal:
                    run(para(), m.tekst, pap.MAAL_PT, space_before=2, indent=10, lead="• ")
                    if facts := pap.maal_facts(m):
                        run(para(), facts, pap.MAAL_PT * 0.8, colour=pap.GREY, indent=10)
            else:
                head_text = f"{ind.label} ({pap.IKKE_VALGT})"
                number = f"{ind.nummer}. "
                run(
                    para(),
                    head_text,
                    11,
                    colour=pap.LIGHT_GREY,
                    space_before=6,
                    indent=14,
                    lead=number,
                )
                if ind.obligatorisk:
                    run(para(), pap.OBLIGATORISK.upper(), 9, bold=True, colour=pap.GREY)
    footer = section.footer
    footer.paragraphs[0].add_run().add_picture(io.BytesIO(qr_png), width=Mm(28))
    made = f"{poster.titel} · Lavet med udviklingsdag {when.strftime('%d-%m-%Y')}"
    run(footer.add_paragraph(), made, 9, colour=pap.GREY)
    run(footer.add_paragraph(), f"Reference: {ref.text}", 9, colour=pap.GREY)
    enhed = clean_cell_text(poster.enhed)
    set_properties(
        doc,
        title=f"{pap.title(poster)} · {enhed}",
        subject=f"Plan A-plakat for {enhed}",
        author="udviklingsdag",
        keywords=f"plan a; {ref.text}",
        comments="Lavet af udviklingsdag. Referencen (identifier) kan tjekkes med "
        "«udviklingsdag verify».",
        category="Plan A-plakat",
        ref=ref,
        when=when,
        app_version="9.9",
    )
    stamp_docx(doc)
    return docx_bytes(doc)


def _parts(blob: bytes) -> dict[str, bytes]:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(blob)) as z:
        return {name: z.read(name) for name in z.namelist()}


def test_the_docx_is_part_for_part_what_python_docx_builds(ws: Workspace, tmp_path: Path):
    """`poster_docx` writes the body, the footer and the properties itself, into a package made
    once per process: every part is the one python-docx's API builds for the same poster, for
    posters one after the other (nothing of one poster stays in the next)."""
    from exports.plan_a_poster import poster_docx
    from exports.qr import reference_qr_png

    full = _plan(ws, "Hjemmeplejen Øst", 2024, [1, 6, 8])
    ws.set_plan_a_forskel(full["plan"], 1, FORSKEL_1)
    ws.set_plan_a_forskel(full["plan"], 6, "Linje et\nlinje to\tmed tabulator  og  mellemrum ")
    hostile = _plan(ws, 'Kulturhuset <script> & "co"', 2026, [1])
    ws.set_plan_a_forskel(hostile["plan"], 1, MARKUP)
    bare = ws.create("maalplan", {"enhed_id": full["enhed"], "aar": 2025, "titel": "Tom"})
    for maalplan_id in (full["plan"], hostile["plan"], bare, full["plan"]):
        poster = ws.plan_a(maalplan_id)
        assert poster is not None
        ref = poster_reference(poster)
        qr = reference_qr_png(ref)
        fast = _parts(poster_docx(poster, ref, qr, when=WHEN, app_version="9.9"))
        want = _parts(_python_docx_poster(poster, ref, qr, WHEN))
        assert sorted(fast) == sorted(want)
        for name in want:
            assert fast[name] == want[name], name
        (tmp_path / "p.docx").write_bytes(poster_docx(poster, ref, qr, when=WHEN))
        assert verify_file(ws.database, tmp_path / "p.docx").status is VerifyStatus.CURRENT


def test_a_word_poster_from_before_the_hanging_indents_still_checks_as_current(
    ws: Workspace, tmp_path: Path
):
    """The hanging headings and bullets changed the layout, not the text `verify` reads: a
    poster filed before (number, bullet and text in one run) is still «Aktuel», not «Ændret»,
    and the text digests of the two are the same."""
    from exports.plan_a_poster import poster_docx
    from exports.qr import reference_qr_png
    from exports.reference import body_text, text_digest

    ids = _plan(ws, "Hjemmeplejen Øst", 2024, [1, 6, 8])
    ws.set_plan_a_forskel(ids["plan"], 1, FORSKEL_1)
    poster = ws.plan_a(ids["plan"])
    assert poster is not None and any(i.maal for p in poster.perspektiver for i in p.indikatorer)
    ref = poster_reference(poster)
    qr = reference_qr_png(ref)
    before = _python_docx_poster(poster, ref, qr, WHEN, hanging=False)
    now = poster_docx(poster, ref, qr, when=WHEN, app_version="9.9")
    texts = [body_text(docx.Document(io.BytesIO(blob)).element) for blob in (before, now)]
    assert "1. " in texts[0] and "• " in texts[0]
    assert text_digest(texts[0]) == text_digest(texts[1])
    for name, blob in (("foer.docx", before), ("nu.docx", now)):
        (tmp_path / name).write_bytes(blob)
        result = verify_file(ws.database, tmp_path / name)
        assert result.status is VerifyStatus.CURRENT, (name, result.message)


def test_cut_text_counts_the_maal_left_out() -> None:
    """A cut in the forskel's text says the rest is in the målplan; a cut before mål counts
    them."""
    from exports.plan_a_poster import _Line, cut_text

    text = _Line("en linje af forskellen", "", 11, (0, 0, 0))
    maal = _Line("• et mål", "", 9, (0, 0, 0), starts_maal=True)
    more = _Line("målets anden linje", "", 9, (0, 0, 0), indent=3.2)
    assert cut_text([text, text]) == CUT
    assert cut_text([text, maal, more, maal]) == CUT_MAAL.format(n=2)


def test_the_scale_search_finds_what_trying_every_scale_finds() -> None:
    """`_fitted` tries two or three scales where the poster used to try them all from the
    largest down, measuring their heights without making the lines: for 250 random columns
    (few or many mål, short or long texts, several room heights) it picks the very boxes the
    old search picked, and every height it measures is the laid-out column's."""
    import random

    from exports import page_pdf
    from exports.plan_a_poster import (
        MAX_SCALE,
        MIN_SCALE,
        SCALES,
        _boxes,
        _column_h,
        _column_height,
        _fitted,
    )
    from models.records import PlanAIndikator, PlanAMaal

    def every_scale(page, inds, width, room):  # the search as it was (e1aa103)
        scale = MAX_SCALE
        boxes = _boxes(page, inds, width, scale)
        while scale > MIN_SCALE and _column_h(boxes) > room:
            scale = round(scale - 0.05, 2)
            boxes = _boxes(page, inds, width, scale)
        return boxes

    rng = random.Random(16)
    words = ["borgerne", "trivsel", "fravær", "samarbejde", "rehabilitering", "hverdagen"]
    words += ["skoleåret", "en", "af", "de", "Æblehaven", "tværfagligt"]

    def text(n: int) -> str:
        return " ".join(rng.choice(words) for _ in range(n))

    page = page_pdf.Page.start()
    assert page is not None
    for case in range(250):
        inds = tuple(
            PlanAIndikator(
                nummer=k,
                label=text(rng.randint(2, 8)),
                valgt=rng.random() < 0.6,
                obligatorisk=rng.random() < 0.3,
                forskel=text(rng.randint(0, 60)),
                forskel_id=None,
                maal=tuple(
                    PlanAMaal(f"m{case}-{k}-{j}", text(rng.randint(4, 40)), "Hanne", 2026, 2027)
                    for j in range(rng.randint(0, 9))
                ),
            )
            for k in range(rng.randint(1, 3))
        )
        room = rng.choice([120.0, 200.0, 260.0, 300.0, 330.0])
        assert _fitted(page, inds, 79.67, room) == every_scale(page, inds, 79.67, room), case
        # The search measures heights without making the lines: to the last bit the same.
        for scale in (SCALES[0], rng.choice(SCALES), SCALES[-1]):
            made = _column_h(_boxes(page, inds, 79.67, scale))
            assert _column_height(page, inds, 79.67, scale) == made, (case, scale)


def test_an_indicators_number_never_stands_alone_and_no_name_is_broken_in_a_word() -> None:
    """At the largest type (a short Plan A) each of the eight names wraps beside its number
    with a hanging indent, its words whole: «1.» above «Sammenhæng» and «Borgerinddragel-
    se» split inside the word were what a third of an A3 page at 22 pt gave."""
    from exports import page_pdf
    from exports.plan_a_poster import GAP, LABEL_FLOOR_PT, MARGIN, MAX_SCALE, PAGE_W, _boxes
    from models import enums
    from models.records import PlanAIndikator

    page = page_pdf.Page.start()
    assert page is not None
    width = (PAGE_W - 2 * MARGIN - 2 * GAP) / 3
    for n, (_perspektiv, label) in enums.PLAN_A_INDIKATORER.items():
        for valgt in (True, False):
            ind = PlanAIndikator(n, label, valgt, False, "", None, ())
            (box,) = _boxes(page, (ind,), width, MAX_SCALE)
            first = box.lines[0]
            heading = [first]  # and the lines hanging under it
            for line in box.lines[1:]:
                if line.indent == 0:
                    break
                heading.append(line)
            assert first.text.startswith(f"{n}. ") and len(first.text) > len(f"{n}. "), first
            assert {line.size for line in heading} == {first.size}
            words = " ".join(line.text for line in heading)[len(f"{n}. ") :].split()
            shown = label if valgt else f"{label} (ikke valgt i år)"
            assert words == shown.split(), (n, words)
            if valgt:
                assert first.size >= LABEL_FLOOR_PT


def test_our_writer_wraps_as_the_documents_wrap() -> None:
    """The poster's writer measures a text's words once and wraps them at each size with the
    same sums as `exports.pdf.wrap_units` (which every other document uses): the same lines
    for 5,000 random texts with empty words, tabs, line breaks, words wider than the column,
    dates and Danish letters, at several widths and sizes in both styles."""
    import random

    from exports import page_pdf
    from exports.pdf import wrap_units

    page = page_pdf.Page.start()
    assert page is not None
    rng = random.Random(7)
    vocab = ["", "a", "og", "Borgerinddragelse", "samarbejdsrelationerne", "Ærø", "æøå"]
    vocab += ["www.eksempel.dk/side/under", "12-05-2026", "x" * 80, "tekst,", "—", "kl."]
    for case in range(5_000):
        text = " " if rng.random() < 0.3 else ""
        for _ in range(rng.randint(0, 30)):
            text += rng.choice(vocab) + rng.choice([" ", " ", " ", "  ", "\n", "\t"])
        width = rng.choice([10.0, 25.3, 60.0, 81.1, 200.0])
        size = rng.choice([9.0, 10.4, 13.0, 16.0, 22.0])
        style = rng.choice(["", "B"])
        widths = page._font(style).widths
        want = wrap_units(page_pdf.clean(text), width, widths, size, page_pdf.MM, {})
        assert page.wrap(text, width, style, size) == want, (case, text, width, size, style)


def test_a_posters_zip_is_the_one_zipfile_appends_to_the_template() -> None:
    """The poster's parts are added to the template's zip as `zipfile` adds them (append mode,
    deflated at level 1), byte for byte: headers, directory and all."""
    from datetime import datetime

    import exports.plan_a_poster as pap

    t = pap._template()
    when = datetime(2027, 8, 16, 13, 45, 31)
    parts = [
        (t.document_name, "<w:document>Æble & ø</w:document>".encode() * 200),
        (t.footer_name, b"<w:ftr/>"),
        (t.image_name, bytes(range(256)) * 7),
        (t.core_name, b""),
    ]
    want = io.BytesIO(t.package)
    with zipfile.ZipFile(want, "a") as z:
        for name, data in parts:
            info = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
            info.external_attr = 0o600 << 16  # as writestr gives a part named by a string
            z.writestr(info, data, zipfile.ZIP_DEFLATED, 1)
    made = pap._poster_zip(t, parts, when)
    assert made == want.getvalue()
    with zipfile.ZipFile(io.BytesIO(made)) as z:
        assert z.testzip() is None
        assert z.read(t.document_name) == parts[0][1]


def test_a_posters_properties_filled_in_are_those_python_docx_sets(ws: Workspace) -> None:
    """The properties are filled into the template's core.xml; set with python-docx instead
    (as when a value would be written otherwise, or python-docx wrote its properties
    differently) they are the same bytes, for markup and Danish letters in the names."""
    import dataclasses

    import exports.plan_a_poster as pap

    t = pap._template()
    assert t.core_xml  # python-docx writes the properties as the template expects
    for enhed in ('Kulturhuset <script> & "co" > alle', "Ærø Børnehus", "x" * 300):
        made = _plan(ws, enhed, 2026, [1, 6])
        poster = ws.plan_a(made["plan"])
        assert poster is not None
        ref = poster_reference(poster)
        filled = pap._core_xml(t, poster, ref, "Tekst på plakaten", WHEN, "9.9")
        slow = pap._core_xml(
            dataclasses.replace(t, core_xml=""), poster, ref, "Tekst på plakaten", WHEN, "9.9"
        )
        assert filled == slow
        assert b"Plan A-plakat for " in filled
