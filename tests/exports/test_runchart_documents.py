"""The run chart of a tegn's målinger in the målplan documents: vector graphics in the PDF (no
image), a 300 dpi PNG in the Word document, both rendered to pixels to see that something is
drawn; the digest changes with målinger and stays as it was without them; hostile values never
crash the drawing."""

from __future__ import annotations

import io
import pickle
import re
import shutil
import struct
import subprocess
import zipfile
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from exports import charts, emf
from exports import document_rows as content
from exports.docx import maalplan_docx
from exports.pdf import maalplan_pdf
from exports.qr import reference_qr_png
from exports.reference import reference_for
from models.maalplan_view import content_digest, load_maalplan
from models.runchart import Period, Point, RunChart, date_ticks, value_ticks

# The view and its digest on both databases; the documents (the same bytes from the same view)
# on SQLite only.
BOTH_BACKENDS = True
WHEN = date(2027, 12, 31)
LEGEND = ("Målt", "Median", "Udgangspunkt", "Forventet niveau")


def _values(n: int) -> list[float]:
    # A measure that rises with some noise: a shift and a trend for the chart to mark.
    return [
        round(40 + i * 0.9 + (3.5 if i % 3 == 0 else -2.0 if i % 3 == 1 else 0.5), 1)
        for i in range(n)
    ]


@pytest.fixture
def measured(plan_store):
    """The rich plan of `plan_store` with 24 målinger on its kvantitativ tegn (1.1) and two
    observations on its kvalitativ tegn (1.2). Returns (store, ids, digest before)."""
    store, ids = plan_store
    before = load_maalplan(store.db, ids["plan"]).digest
    with store.action() as tx:
        for i, value in enumerate(_values(24)):
            store.create(
                "maaling",
                tx=tx,
                tegn_id=ids["t1"],
                dato=date(2027, 1, 4) + timedelta(days=14 * i),
                vaerdi=value,
                kilde="Trivselsmåling",
            )
        store.create(
            "maaling",
            tx=tx,
            tegn_id=ids["t2"],
            dato=date(2027, 3, 1),
            observation="Børnene hilser på den faste voksne.",
            kilde="Pædagogmøde",
        )
        store.create(
            "maaling",
            tx=tx,
            tegn_id=ids["t2"],
            dato=date(2027, 5, 3),
            observation="Forældre fortæller om roligere morgener.",
            kilde="Forældresamtaler",
        )
    return store, ids, before


def _fmt(value: object) -> str:
    return content.document_text(value, str)


def _render(view, kind: str) -> bytes:
    ref = reference_for(view)
    png = reference_qr_png(ref)
    make = maalplan_pdf if kind == "pdf" else maalplan_docx
    return make(view, ref, png, when=WHEN)


def _chart_page(reader: PdfReader) -> int:
    for i, page in enumerate(reader.pages):
        if "Målinger: Tegn 1.1" in page.extract_text():
            return i
    raise AssertionError("no page with the chart's heading")


# --- the view and its digest -------------------------------------------------------------------


def test_the_view_holds_the_maalinger_and_the_chart(measured):
    store, ids, _ = measured
    view = load_maalplan(store.db, ids["plan"])
    t1, t2 = view.maal[0].tegn
    assert len(t1.maalinger) == 24 and len(t2.maalinger) == 2
    assert t1.chart is not None and len(t1.chart.points) == 24
    assert [p.dato for p in t1.chart.points] == sorted(p.dato for p in t1.chart.points)
    assert (t1.chart.baseline, t1.chart.target) == (70.0, 90.0)
    # The prøvehandling follows both tegn: its period is on the chart.
    assert [(p.start, p.slut) for p in t1.chart.periods] == [(date(2027, 2, 1), date(2027, 4, 30))]
    # The view goes to the render workers as it is.
    assert pickle.loads(pickle.dumps(view)) == view


def test_maalinger_change_the_digest_and_a_plan_without_keeps_it(measured):
    store, ids, before = measured
    view = load_maalplan(store.db, ids["plan"])
    assert view.digest != before
    # The digest is the content without målinger exactly as before them.
    bare = replace(
        view,
        maal=[
            replace(m, tegn=[replace(t, maalinger=[], chart=None) for t in m.tegn])
            for m in view.maal
        ],
    )
    assert content_digest(bare) == before
    # A changed måling is a changed document.
    first = view.maal[0].tegn[0].maalinger[0]
    store.update("maaling", first.id, vaerdi=41.5)
    changed = load_maalplan(store.db, ids["plan"])
    assert changed.digest not in (view.digest, before)
    # The revision counts the plan's own rows, not the year's målinger (as `models.kladde`
    # counts it); the digest is what tells the two documents apart.
    assert changed.revision == view.revision
    # Deleting them all gives back the digest of the plan without målinger.
    with store.action() as tx:
        for t in view.maal[0].tegn:
            for m in t.maalinger:
                store.delete("maaling", m.id, tx=tx)
    assert load_maalplan(store.db, ids["plan"]).digest == before


def test_a_plan_without_maalinger_has_no_chart(plan_store):
    store, ids = plan_store
    view = load_maalplan(store.db, ids["plan"])
    assert all(t.chart is None and not t.maalinger for m in view.maal for t in m.tegn)
    assert content.maaling_blocks(view.maal[0], str) == []
    reader = PdfReader(io.BytesIO(_render(view, "pdf")))
    text = "".join(p.extract_text() for p in reader.pages)
    assert "Målinger:" not in text and "Median" not in text
    with zipfile.ZipFile(io.BytesIO(_render(view, "docx"))) as zf:
        media = [n for n in zf.namelist() if n.startswith("word/media/")]
    assert len(media) == 1  # the QR code only


# --- the PDF -----------------------------------------------------------------------------------


@pytest.mark.sqlite_only
def test_the_pdf_draws_the_chart_as_vector_graphics(measured, tmp_path):
    store, ids, _ = measured
    view = load_maalplan(store.db, ids["plan"])
    data = _render(view, "pdf")
    reader = PdfReader(io.BytesIO(data))
    index = _chart_page(reader)
    page = reader.pages[index]
    text = page.extract_text()
    for word in (*LEGEND, "Prøvehandling 1.1", "24 målinger fra 04-01-2027"):
        assert word in text, word
    # The observations of the kvalitativ tegn, in a table under their heading.
    all_text = "".join(p.extract_text() for p in reader.pages)
    assert "Målinger: Tegn 1.2" in all_text and "roligere morgener" in all_text
    # Vector: the chart's line is a path of many segments and its points are curves; the
    # page has no image of it.
    ops = page.get_contents().get_data().decode("latin-1")
    assert len(re.findall(r" l\b", ops)) >= 23 and len(re.findall(r" c\b", ops)) >= 24
    assert len(page.images) == (1 if index == 0 else 0)  # the QR code on page 1 only
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm is not installed")
    (tmp_path / "plan.pdf").write_bytes(data)
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            "50",
            "-png",
            "-f",
            str(index + 1),
            "-l",
            str(index + 1),
            str(tmp_path / "plan.pdf"),
            str(tmp_path / "page"),
        ],
        check=True,
        timeout=60,
    )
    (png,) = tmp_path.glob("page*.png")
    image = Image.open(png).convert("RGB")
    # The measured line's blue is drawn, and the chart has the baseline's and target's colours.
    colours = image.getcolors(1 << 20) or []

    def near(c, target):
        return all(abs(a - b) < 40 for a, b in zip(c, target, strict=True))

    assert sum(n for n, c in colours if near(c, charts.MEASURED)) > 30
    assert sum(n for n, c in colours if near(c, charts.TARGET)) > 10
    assert sum(n for n, c in colours if near(c, charts.BASELINE)) > 10


@pytest.mark.sqlite_only
def test_the_chart_is_never_split_over_two_pages(measured):
    store, ids, _ = measured
    view = load_maalplan(store.db, ids["plan"])
    # Long text in the tegn table pushes the chart down the first page.
    long = " ".join(["Meget lang beskrivelse af tegnet."] * 120)
    t1 = replace(view.maal[0].tegn[0], datakilde=long)
    view = replace(
        view, maal=[replace(view.maal[0], tegn=[t1, view.maal[0].tegn[1]]), *view.maal[1:]]
    )
    reader = PdfReader(io.BytesIO(_render(view, "pdf")))
    index = _chart_page(reader)
    assert index >= 1  # pushed off the first page
    # The heading and, below the chart, its axis and legend on the same page.
    below = reader.pages[index].extract_text().split("Målinger: Tegn 1.1")[1]
    assert all(word in below for word in (*LEGEND, "Prøvehandling (nr.)", "jan 27", "nov"))
    # And the page before does not end in the heading alone.
    assert "Målinger: Tegn 1.1" not in reader.pages[index - 1].extract_text()


# --- the Word document -------------------------------------------------------------------------


@pytest.mark.sqlite_only
def test_the_docx_holds_a_vector_chart_as_wide_as_the_text(measured, tmp_path):
    store, ids, _ = measured
    view = load_maalplan(store.db, ids["plan"])
    data = _render(view, "docx")
    import docx

    document = docx.Document(io.BytesIO(data))
    shapes = document.inline_shapes
    assert len(shapes) == 2  # the QR code and the chart
    chart = shapes[1]
    assert abs(chart.width.mm - 170) < 1 and abs(chart.height.mm - charts.CHART_HEIGHT_MM) < 1
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        (emf_name,) = [n for n in names if n.startswith("word/media/") and n.endswith(".emf")]
        picture = zf.read(emf_name)
        content_types = zf.read("[Content_Types].xml").decode()
    assert 'Extension="emf" ContentType="image/x-emf"' in content_types
    # An Enhanced Metafile whose frame is the chart's size (0.01 mm), with its labels as text.
    kind, header_size = struct.unpack_from("<II", picture)
    assert kind == 1 and header_size == 108
    assert struct.unpack_from("<I", picture, 40)[0] == 0x464D4520
    frame = struct.unpack_from("<4i", picture, 24)
    assert frame[2] == 17000 and abs(frame[3] - round(charts.CHART_HEIGHT_MM * 100)) <= 1
    assert struct.unpack_from("<I", picture, 48)[0] == len(picture)  # nBytes
    assert "Målt".encode("utf-16-le") in picture and "Median".encode("utf-16-le") in picture
    texts = [p.text for p in document.paragraphs]
    assert "Målinger: Tegn 1.1" in texts and "Målinger: Tegn 1.2" in texts
    # Unique drawing ids (Word refuses a document with two pictures of one id).
    xml = document.element.xml
    ids_ = re.findall(r'<wp:docPr id="(\d+)"', xml)
    assert len(ids_) == len(set(ids_)) == 2

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    pdftoppm = shutil.which("pdftoppm")
    if soffice is None or pdftoppm is None:
        pytest.skip("LibreOffice or pdftoppm is not installed")
    path = tmp_path / "plan.docx"
    path.write_bytes(data)
    subprocess.run(
        [
            soffice,
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
    converted = tmp_path / "plan.pdf"
    reader = PdfReader(str(converted))
    index = _chart_page(reader)
    subprocess.run(
        [
            pdftoppm,
            "-r",
            "50",
            "-png",
            "-f",
            str(index + 1),
            "-l",
            str(index + 1),
            str(converted),
            str(tmp_path / "lo"),
        ],
        check=True,
        timeout=60,
    )
    page = next(tmp_path.glob("lo*.png"))
    colours = Image.open(page).convert("RGB").getcolors(1 << 20) or []
    blue = sum(
        n
        for n, c in colours
        if all(abs(a - b) < 40 for a, b in zip(c, charts.MEASURED, strict=True))
    )
    assert blue > 30
    # Drawn as vectors: sharp at any resolution, so the picture is not a raster in the PDF.
    page_resources = reader.pages[index]["/Resources"]
    xobjects = page_resources.get("/XObject", {})
    sizes = [
        (xobjects[k].get_object().get("/Width", 0) or 0)
        for k in xobjects
        if xobjects[k].get_object().get("/Subtype") == "/Image"
    ]
    assert all(width < 1500 for width in sizes)  # at most the QR code, never the chart


# --- few, no or hostile målinger ---------------------------------------------------------------


def test_one_maaling_and_only_observations(plan_store):
    store, ids = plan_store
    with store.action() as tx:
        store.create("maaling", tx=tx, tegn_id=ids["t1"], dato=date(2027, 3, 1), vaerdi=72)
        store.create(
            "maaling",
            tx=tx,
            tegn_id=ids["t2"],
            dato=date(2027, 3, 2),
            observation="Ro i garderoben.",
        )
    view = load_maalplan(store.db, ids["plan"])
    one, observed = content.maaling_blocks(view.maal[0], _fmt)
    assert one.chart is not None and len(one.chart.points) == 1
    assert one.summary == "1 måling den 01-03-2027; median 72."
    assert observed.chart is None and observed.table is not None
    assert observed.table.rows == [["02-03-2027", "Ro i garderoben.", ""]]
    reader = PdfReader(io.BytesIO(_render(view, "pdf")))
    text = "".join(p.extract_text() for p in reader.pages)
    assert "Ro i garderoben." in text and "Målt" in text
    assert _render(view, "docx")


@pytest.mark.sqlite_only
def test_a_kvantitativ_tegn_with_only_observations_has_a_table_not_a_chart(plan_store):
    store, ids = plan_store
    store.create("maaling", tegn_id=ids["t1"], dato=date(2027, 3, 1), observation="Ingen tal.")
    view = load_maalplan(store.db, ids["plan"])
    (block,) = content.maaling_blocks(view.maal[0], str)
    assert block.chart is None and block.table is not None
    assert _render(view, "pdf") and _render(view, "docx")


def _chart(
    values: list[float],
    start: date,
    step: int,
    baseline: str | None = "ca. lavt",
    periods: tuple[Period, ...] = (),
) -> RunChart:
    points = tuple(Point(start + timedelta(days=step * i), v, str(i)) for i, v in enumerate(values))
    return RunChart("t", "Tegn", points, None, baseline, 1e12 if values else None, "1e12", periods)


HOSTILE = {
    "huge": _chart([-1e12, 1e12, 0.5, -1e12], date(2027, 1, 1), 30),
    "equal": _chart([7.0] * 40, date(2027, 1, 1), 7),
    "many": _chart([float(i % 17) for i in range(500)], date(2027, 1, 1), 1),
    "ten_years": _chart([1.0, 5.0, 3.0, 9.0], date(2020, 1, 1), 900),
    "one_day": _chart([3.0, 4.0, 5.0], date(2027, 1, 1), 0),
    "no_number_baseline": replace(_chart([1.0, 2.0], date(2027, 1, 1), 30), target=None),
    "open_periods": _chart(
        [1.0, 2.0, 3.0],
        date(2027, 1, 1),
        30,
        periods=tuple(
            Period(
                f"p{i}",
                "x",
                date(2027, 1, 1) if i % 2 else None,
                None if i % 3 else date(2027, 2, 1),
                "planlagt",
            )
            for i in range(7)
        ),
    ),
    "ends_of_calendar": _chart([1.0, 2.0], date(1, 1, 1), 3_000_000),
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_values_draw_sensibly(name):
    chart = HOSTILE[name]
    layout = charts.layout(chart, 170.0, numbers={f"p{i}": f"1.{i}" for i in range(7)})
    assert layout.shapes
    # Everything lies inside the box.
    for shape in layout.shapes:
        xs = (
            [p[0] for p in shape.points]
            if isinstance(shape, charts.Polyline)
            else [getattr(shape, "x", getattr(shape, "x1", 0.0))]
        )
        ys = (
            [p[1] for p in shape.points]
            if isinstance(shape, charts.Polyline)
            else [getattr(shape, "y", getattr(shape, "y1", 0.0))]
        )
        assert all(-0.01 <= x <= 170.01 for x in xs), (name, shape)
        assert all(-0.01 <= y <= charts.CHART_HEIGHT_MM + 0.01 for y in ys), (name, shape)
    # Every label lies inside the box too.
    for label in (s for s in layout.shapes if isinstance(s, charts.Label)):
        w = charts.text_width(label.text, label.size)
        x = label.x - {"l": 0, "c": w / 2, "r": w}[label.anchor]
        assert x >= -0.01 and x + w <= 170.01, (name, label)
    # The baseline without a number is not drawn (and not in the legend).
    labels = [s.text for s in layout.shapes if isinstance(s, charts.Label)]
    assert "Udgangspunkt" not in labels
    assert "Målt" in labels
    _check_emf(emf.render_emf(layout), layout)


def test_the_emf_writer_never_fails_on_what_a_layout_could_hold():
    """Numbers no file can hold (NaN, infinity, beyond 32 bits) and text outside the Basic
    Multilingual Plane are written as something, never an exception."""
    nan, inf = float("nan"), float("inf")
    layout = charts.Layout(
        170.0,
        66.0,
        (
            charts.Line(nan, 1.0, inf, 2.0, charts.AXIS, 0.2, (1.0, 1.0)),
            charts.Line(0.0, 1.0, 1e40, 1.0, charts.AXIS, nan),
            charts.Polyline(((0.0, 0.0), (nan, -inf), (1e30, 5.0)), charts.MEASURED, 0.4),
            charts.Dot(inf, 3.0, 0.75, charts.SIGNAL),
            charts.Box(1.0, 1.0, nan, 2.0, charts.PERIOD_FILL),
            charts.Label(10.0, 10.0, "Mål 😀 ✓", 7.0, charts.TEXT, "c"),
            charts.Label(nan, 10.0, "", 7.0, charts.TEXT, "r"),
        ),
    )
    picture = emf.render_emf(layout)
    n_bytes = struct.unpack_from("<I", picture, 48)[0]
    assert n_bytes == len(picture) and picture.endswith(struct.pack("<IIIII", 14, 20, 0, 16, 20))
    assert "Mål 😀 ✓".encode("utf-16-le") in picture


def _check_emf(picture: bytes, layout: charts.Layout) -> None:
    """The EMF's records add up as its header says, each object selected was made first (or
    is a stock object), it ends with EOF, and every point lies inside its frame."""
    n_bytes, n_records, n_handles = struct.unpack_from("<IIH", picture, 48)
    assert n_bytes == len(picture)
    frame = struct.unpack_from("<4i", picture, 24)
    at, kinds, made = 0, [], set()
    while at < len(picture):
        kind, size = struct.unpack_from("<II", picture, at)
        assert size >= 8 and size % 4 == 0
        kinds.append(kind)
        if kind in (39, 82, 95):  # brush, font, pen: made under a handle
            handle = struct.unpack_from("<I", picture, at + 8)[0]
            assert 0 < handle < n_handles
            made.add(handle)
        elif kind == 37:  # select
            handle = struct.unpack_from("<I", picture, at + 8)[0]
            assert handle in made or handle & 0x80000000
        elif kind in (4, 7):  # polyline, polypolyline: bounds inside the frame
            left, top, right, bottom = struct.unpack_from("<4i", picture, at + 8)
            assert frame[0] - 1 <= left <= right <= frame[2] + 1
            assert frame[1] - 1 <= top <= bottom <= frame[3] + 1
        at += size
    assert at == len(picture) and len(kinds) == n_records and kinds[0] == 1 and kinds[-1] == 14
    labels = [s for s in layout.shapes if isinstance(s, charts.Label)]
    assert kinds.count(84) == len([label for label in labels if label.text])


def test_ticks():
    assert value_ticks(3, 97) == (0, 20, 40, 60, 80, 100)
    flat = value_ticks(7, 7)
    assert flat[0] < 7 < flat[-1]
    assert len(value_ticks(-1e12, 1e12)) <= 8
    assert [t for _, t in date_ticks(date(2027, 1, 5), date(2027, 12, 20))][:2] == ["mar 27", "maj"]
    assert date_ticks(date(2020, 1, 5), date(2030, 2, 20))[0][1] == "2022"
    assert date_ticks(date(2027, 1, 5), date(2027, 1, 20))[0][1] == "05-01"


def test_the_chart_module_keeps_away_from_heavy_libraries():
    source = Path(charts.__file__).read_text(encoding="utf-8")
    assert "matplotlib" not in source.split('"""', 2)[2]


@pytest.mark.sqlite_only
def test_hostile_maalinger_in_both_documents(plan_store):
    """500 målinger over ten years of ±1e12 and many equal values, on a tegn whose baseline
    has no number: both documents are written, the chart drawn without the baseline."""
    store, ids = plan_store
    store.update("tegn", ids["t1"], baseline="lavt", forventet_niveau="højt")
    with store.action() as tx:
        for i in range(500):
            value = (1e12, -1e12, 5.0, 5.0, 5.0)[i % 5]
            day = date(2020, 1, 1) + timedelta(days=7 * i)
            store.create("maaling", tx=tx, tegn_id=ids["t1"], dato=day, vaerdi=value)
    view = load_maalplan(store.db, ids["plan"])
    chart = view.maal[0].tegn[0].chart
    assert chart is not None and len(chart.points) == 500
    assert chart.baseline is None and chart.target is None
    reader = PdfReader(io.BytesIO(_render(view, "pdf")))
    text = reader.pages[_chart_page(reader)].extract_text().split("Målinger: Tegn 1.1")[1]
    assert "Målt" in text and "1.000 mia." in text
    assert "Udgangspunkt" not in text and "Forventet niveau" not in text
    assert "2022" in text and "2028" in text
    assert _render(view, "docx")


def test_a_stopped_or_finished_proevehandling_ends_on_the_chart_where_it_ended():
    """A prøvehandling stopped (or finished) before its planned end is drawn to the day it
    ended, in the documents' chart and on the screen; the planned end is still what the
    report's digest counts (a printed report's reference stays the same)."""
    from models.records import Maaling, Proevehandling, Tegn
    from models.runchart import run_chart
    from models.status_report import report_content
    from screens.runchart import layout as screen_layout

    tegn = Tegn("t", "m", "Tegn", "kvantitativ", None, "10", None)
    maalinger = [
        Maaling(str(i), "t", date(2026, 1 + i, 1), 10.0 + i, None, None, None) for i in range(8)
    ]

    def handling(pid: str, status: str, when: date | None) -> Proevehandling:
        return Proevehandling(
            pid,
            "m",
            pid,
            None,
            None,
            date(2026, 2, 1),
            date(2026, 7, 31),
            False,
            None,
            None,
            None,
            ("t",),
            (),
            status=status,
            status_dato=when,
        )

    chart = run_chart(
        tegn,
        maalinger,
        [
            handling("stoppet", "stoppet", date(2026, 4, 20)),
            handling("afsluttet", "afsluttet", date(2026, 6, 19)),
            handling("i_gang", "i_gang", date(2026, 2, 1)),
        ],
    )
    ends = {p.proevehandling_id: (p.slut, p.end) for p in chart.periods}
    assert ends == {
        "stoppet": (date(2026, 7, 31), date(2026, 4, 20)),
        "afsluttet": (date(2026, 7, 31), date(2026, 6, 19)),
        "i_gang": (date(2026, 7, 31), date(2026, 7, 31)),
    }
    assert report_content(chart)[1] == [
        [pid, "2026-02-01", "2026-07-31"] for pid in ("stoppet", "afsluttet", "i_gang")
    ]
    drawn = charts.layout(chart, 170.0, numbers={"stoppet": "1", "afsluttet": "2", "i_gang": "3"})
    bars = [  # the bars in the strip above the plot (not the legend's sample)
        s
        for s in drawn.shapes
        if isinstance(s, charts.Box) and s.color == charts.PERIOD_FILL and s.y < 15
    ]
    ends_x = sorted(round(b.x + b.w, 1) for b in bars)
    # Three bars from the same start: the stopped one shortest, the running one longest.
    assert len(bars) == 3 and len({round(b.x, 1) for b in bars}) == 1
    assert ends_x[0] < ends_x[1] < ends_x[2]
    # On the screen (two lanes at most): each bar's row («├» where it starts, «┤» where it
    # ends; the value axis has «┤» too, so only the rows with a bar count), the stopped one
    # ending first.
    two = run_chart(
        tegn,
        maalinger,
        [handling("stoppet", "stoppet", date(2026, 4, 20)), handling("i_gang", "i_gang", None)],
    )
    rows = ["".join(c for c, _p in row) for row in screen_layout(two, 80, 20).rows]
    bars = {row.split()[2]: row.index("┤", row.index("├")) for row in rows if "├" in row}
    assert bars.keys() == {"stoppet", "i_gang"} and bars["stoppet"] < bars["i_gang"], rows

    # Stopped before it started (cancelled while planned): a mark at its start, never a bar
    # backwards from the stop to the start.
    early = run_chart(tegn, maalinger, [handling("aflyst", "stoppet", date(2026, 1, 15))])
    (period,) = early.periods
    assert period.end == period.start == date(2026, 2, 1)
    (bar,) = [
        s
        for s in charts.layout(early, 170.0).shapes
        if isinstance(s, charts.Box) and s.color == charts.PERIOD_FILL and s.y < 15
    ]
    assert bar.w < 1.0
