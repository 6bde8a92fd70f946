"""The export's fast paths write what the slow, obvious paths write: revisions counted for many
plans at once, plans read in batches, PDF text and font subsets, and the workbook writer."""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from datetime import date

import pytest

from exports import pdf as pdf_mod
from exports.qr import reference_qr_png
from exports.reference import reference_for
from exports.seal import unsealed
from exports.xlsx import build_workbook, workbook_bytes
from models.errors import NotFoundError
from models.maalplan_view import iter_maalplaner, load_maalplan, load_maalplaner

BOTH_BACKENDS = True
WHEN = date(2027, 1, 31)


def _revisions(db, ids):
    return {v.id: v.revision for v in load_maalplaner(db, ids)}


def test_revisions_count_every_action_on_what_the_plan_shows(plan_store):
    store, ids = plan_store
    plans = [ids["plan"], ids["empty"]]
    before = _revisions(store.db, plans)
    ev = load_maalplan(store.db, ids["plan"]).maal[0].proevehandlinger[0].evalueringer[0]

    store.update("enhed", ids["partner"], navn="Sundhedsplejen Nord")  # a partner
    store.update("evaluering", ev.id, laering="Gør endnu mere.")
    store.delete("tegn", ids["t2"])
    after = _revisions(store.db, plans)
    assert after[ids["plan"]] == before[ids["plan"]] + 3
    assert after[ids["empty"]] == before[ids["empty"]]

    # A mål moved to the other plan counts for both from then on (the numbers never go down).
    store.update("maal", ids["m2"], maalplan_id=ids["empty"])
    store.update("maal", ids["m2"], tekst="Sygefraværet falder.")
    moved = _revisions(store.db, plans)
    assert moved[ids["plan"]] == after[ids["plan"]] + 2
    assert moved[ids["empty"]] > after[ids["empty"]]

    # Counted together or one by one, each plan gets its own number.
    for pid in plans:
        assert load_maalplan(store.db, pid).revision == moved[pid]


def test_plans_read_in_batches_are_the_plans_read_at_once(demo_store):
    db = demo_store.db
    all_at_once = load_maalplaner(db)
    ids = [v.id for v in all_at_once]
    assert len(ids) >= 4
    batches = list(iter_maalplaner(db, ids, sizes=(1, 2)))
    assert [len(b) for b in batches[:3]] == [1, 2, 2]
    assert [v for b in batches for v in b] == all_at_once

    chunks = iter_maalplaner(db, [*ids, "00000000-0000-0000-0000-000000000000"], sizes=(1,))
    with pytest.raises(NotFoundError):
        next(chunks)  # checked before the first batch


def _pdf_without_dates(data: bytes) -> bytes:
    # The XMP modify date is the moment of writing, and the file id hashes it.
    data = re.sub(rb'xmp:(ModifyDate|MetadataDate)="[^"]*"', b"", data)
    # fpdf2's own output is not sealed (exports.seal): zeros where ours has the seal
    data = unsealed(data)
    return re.sub(rb"/ID \[<[0-9A-F]+><[0-9A-F]+>\]", b"", data)


def _plain_pdf(view, monkeypatch) -> bytes:
    """The PDF through fpdf2's own text(), rect() and font subsetting."""
    import fpdf.syntax

    with monkeypatch.context() as m:
        m.setattr(pdf_mod, "_plain_text_state", lambda _pdf: False)
        m.setattr(pdf_mod, "_output", lambda pdf: bytes(pdf.output()))
        # fpdf2's own writer at the level ours compresses at (`STREAM_LEVEL`).
        m.setattr(fpdf.syntax.PDFContentStream, "_COMPRESSION_LEVEL", pdf_mod.STREAM_LEVEL)
        ref = reference_for(view, None)
        return pdf_mod.maalplan_pdf(view, ref, reference_qr_png(ref), when=WHEN)


@pytest.mark.sqlite_only
def test_pdf_fast_paths_write_what_fpdf_writes(plan_store, monkeypatch):
    store, ids = plan_store
    view = load_maalplan(store.db, ids["plan"])
    ref = reference_for(view, None)
    png = reference_qr_png(ref)
    fast = [pdf_mod.maalplan_pdf(view, ref, png, when=WHEN) for _ in range(2)]  # 2nd: cached
    plain = _plain_pdf(view, monkeypatch)
    assert _pdf_without_dates(fast[0]) == _pdf_without_dates(plain)
    assert _pdf_without_dates(fast[1]) == _pdf_without_dates(plain)


@pytest.mark.sqlite_only
def test_pdf_streams_are_compressed_at_the_stream_level_and_fpdf_is_left_as_it_was(plan_store):
    """Every compressed stream of a målplan's PDF is what zlib makes of its content at
    `STREAM_LEVEL` (1: a large report's pages in a third of the time), and fpdf2's own
    default is back when the PDF is written."""
    import fpdf.syntax

    store, ids = plan_store
    view = load_maalplan(store.db, ids["plan"])
    ref = reference_for(view, None)
    before = fpdf.syntax.PDFContentStream._COMPRESSION_LEVEL
    pdf = pdf_mod.maalplan_pdf(view, ref, reference_qr_png(ref), when=WHEN)
    assert fpdf.syntax.PDFContentStream._COMPRESSION_LEVEL == before == -1
    streams = re.findall(rb"/Filter /FlateDecode.*?stream\n(.*?)\nendstream", pdf, re.S)
    assert len(streams) >= 4  # the pages, the fonts, the colour profile
    for stream in streams:
        assert zlib.compress(zlib.decompress(stream), pdf_mod.STREAM_LEVEL) == stream
    # Not zlib's default level: that makes other bytes of the larger streams.
    assert any(zlib.compress(zlib.decompress(s)) != s for s in streams)


@pytest.mark.sqlite_only
def test_pdf_fast_paths_with_glyphs_outside_the_reduced_font(plan_store, monkeypatch):
    store, ids = plan_store
    store.update("tegn", ids["t1"], tekst="Smil 😀, 中文 og (parentes) \\ med\ttab")
    view = load_maalplan(store.db, ids["plan"])
    ref = reference_for(view, None)
    fast = pdf_mod.maalplan_pdf(view, ref, reference_qr_png(ref), when=WHEN)
    assert _pdf_without_dates(fast) == _pdf_without_dates(_plain_pdf(view, monkeypatch))


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        out = {i.filename: zf.read(i) for i in zf.infolist()}
    # openpyxl stamps the moment of saving, and the moment the Workbook was made: the two
    # workbooks compared are built one after the other and may fall in different seconds.
    out["docProps/core.xml"] = re.sub(
        rb"<dcterms:(modified|created)[^<]*</dcterms:(modified|created)>",
        b"",
        out["docProps/core.xml"],
    )
    return out


@pytest.mark.sqlite_only
def test_workbook_writer_writes_what_openpyxl_writes(plan_store):
    store, ids = plan_store
    view = load_maalplan(store.db, ids["plan"])
    ours = workbook_bytes(build_workbook(view, when=WHEN, reference_text="R"))
    theirs = io.BytesIO()
    build_workbook(view, when=WHEN, reference_text="R").save(theirs)
    a, b = _members(ours), _members(theirs.getvalue())
    assert list(a) == list(b)
    assert a == b


def test_streams_compressed_once_are_what_zlib_makes():
    """`_CompressedOnce` hands out what zlib makes of the same bytes at the same level; it
    keeps the larger streams it sees a second time (at most `_KEPT`), not those seen once
    (a page's own stream), which therefore never push out the repeated ones."""
    import random
    import zlib

    once = pdf_mod._CompressedOnce(zlib)
    rng = random.Random(3)
    font = bytes(rng.randrange(40) for _ in range(30_000))
    pages = [bytes(rng.randrange(40) for _ in range(5000 + i)) for i in range(100)]
    assert once.compress(font, level=6) == zlib.compress(font, 6)
    assert not once._made  # seen once: not kept
    assert once.compress(font, level=6) == zlib.compress(font, 6)
    assert list(once._made) == [(font, 6)]
    for page in pages:  # every page once, between the documents' fonts
        assert once.compress(page, level=6) == zlib.compress(page, 6)
    assert list(once._made) == [(font, 6)]
    assert once.compress(font) == zlib.compress(font)  # another level: another stream
    assert once.compress(font, level=6) is once._made[(font, 6)]
    for page in pages[:40] * 2:
        assert once.compress(page, level=6) == zlib.compress(page, 6)
    assert len(once._made) == once._KEPT
    small = b"BT /F1 12 Tf ET" * 10
    assert once.compress(small, level=9) == zlib.compress(small, 9)
    assert all(len(key[0]) >= once._LARGE for key in once._made)
    assert once.decompress(zlib.compress(small)) == small  # the rest is zlib's own


@pytest.mark.sqlite_only
def test_a_poster_pdf_is_the_same_with_and_without_the_compressed_streams(plan_store, monkeypatch):
    """A poster with letters outside the common font is written by fpdf2, whose fonts and
    colour profile repeat from poster to poster and are compressed once: the second poster's
    bytes are the ones plain zlib gives."""
    import zlib

    from exports.plan_a_poster import PRODUCER, poster_pdf
    from exports.reference import poster_reference
    from models.plan_a import plan_a_poster

    store, ids = plan_store
    store.update("enhed", ids["home"], navn="Børnehuset Ωmega")  # Ω: not in the common font
    poster = plan_a_poster(store.db, ids["plan"])
    assert poster is not None
    ref = poster_reference(poster)
    png = reference_qr_png(ref)
    twice = [poster_pdf(poster, ref, png, when=WHEN) for _ in range(2)]
    monkeypatch.setattr(pdf_mod, "_COMPRESSED_ONCE", zlib)
    plain = poster_pdf(poster, ref, png, when=WHEN)
    # fpdf2 dates the XMP metadata with the clock (and the file id hashes it): two posters made
    # a second apart differ there and only there.
    import re

    def unclocked(pdf: bytes) -> bytes:
        # (and the seal, a digest of the whole file with its clock)
        pdf = re.sub(rb'xmp:(ModifyDate|MetadataDate)="[^"]*"', rb'xmp:\1=""', unsealed(pdf))
        return re.sub(rb"/ID \[<[0-9A-F]+><[0-9A-F]+>\]", b"/ID []", pdf)

    assert unclocked(twice[0]) == unclocked(twice[1]) == unclocked(plain)
    assert b"/ID [<" in plain and b"xmp:MetadataDate=" in plain
    assert b"udviklingsdag (fpdf2)" in plain and PRODUCER.encode() not in plain


@pytest.mark.sqlite_only
def test_pooled_calls_are_made_here_until_the_workers_are_ready(monkeypatch):
    """`render_pooled` makes the calls in this process while the workers start, hands the rest
    to them once they are ready, and gives every result in the order of the calls."""
    import os
    import threading

    import exports.sbsys as sbsys

    ready = threading.Event()
    real_start = sbsys._start_pool

    def slow_start(workers: int):  # type: ignore[no-untyped-def]
        ready.wait(60)
        return real_start(workers)

    monkeypatch.setattr(sbsys, "_start_pool", slow_start)
    monkeypatch.setattr(sbsys._PoolStarter, "ready", lambda self: not self._thread.is_alive())
    calls = [(os.getpid, ())] * 6
    pids = []
    for pid in sbsys.render_pooled(calls, True):
        pids.append(pid)
        if len(pids) == 2:
            ready.set()
            # The next call waits for the workers (as if they were ready now).
            monkeypatch.setattr(sbsys._PoolStarter, "ready", lambda self: True)
    here = os.getpid()
    assert pids[:2] == [here, here]
    assert len(pids) == 6 and here not in pids[2:]
