"""The fonts the PDFs embed are prepared once per installation (exports/font_cache.py): kept in
the app's data folder, read back only when whole, made again when damaged, and never a reason
for an export to fail."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from exports import font_cache
from exports import pdf as pdf_mod


def _prepare() -> dict[str, bytes]:
    """What a new process prepares (the process's own copy stays as it is)."""
    return pdf_mod._prepared_fonts.__wrapped__()


def _made_here() -> dict[str, bytes]:
    parts = {}
    for style, path in pdf_mod._OWN_FONTS.items():
        parts[f"fast{style}"] = fast = pdf_mod._reduced(path)
        names, parts[f"common{style}"] = pdf_mod._common_cut(fast)
        parts[f"common-names{style}"] = "\n".join(sorted(names)).encode()
    return parts


def _files() -> list[Path]:
    return sorted(font_cache.cache_dir().glob("skrifttyper-*.bin"))


def _cannot_subset(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*_a: object) -> bytes:
        raise AssertionError("the fonts were made again")

    monkeypatch.setattr(pdf_mod, "_reduced", fail)


def test_prepared_once_then_read_from_the_data_folder(monkeypatch: pytest.MonkeyPatch):
    first = _prepare()
    assert first == _made_here()
    (stored,) = _files()
    assert stored.parent == font_cache.cache_dir()
    _cannot_subset(monkeypatch)
    assert _prepare() == first
    # The common copy's glyph names come back as the fonts' own.
    names, data = pdf_mod._common_cut(first["fast"])
    assert first["common"] == data
    assert frozenset(first["common-names"].decode().split("\n")) == names


@pytest.mark.parametrize(
    "damage",
    ["truncated", "flipped", "header", "magic", "trailing", "empty", "huge-length"],
)
def test_a_damaged_file_is_ignored_and_written_again(damage: str, monkeypatch: pytest.MonkeyPatch):
    good = _prepare()
    (stored,) = _files()
    data = stored.read_bytes()
    end = data.index(b"\n", len(font_cache.MAGIC))
    if damage == "truncated":
        data = data[: len(data) // 2]
    elif damage == "flipped":
        data = data[:-100] + bytes([data[-100] ^ 1]) + data[-99:]
    elif damage == "header":
        data = data[: len(font_cache.MAGIC)] + b'{"parts": [["fast", "x"' + data[end:]
    elif damage == "magic":
        data = b"X" + data[1:]
    elif damage == "trailing":
        data += b"more"
    elif damage == "empty":
        data = b""
    elif damage == "huge-length":
        data = data[: len(font_cache.MAGIC)] + b'{"parts": [["fast", -5, "00"]]}' + data[end:]
    stored.write_bytes(data)
    assert font_cache.load(stored.stem.removeprefix("skrifttyper-")) is None
    assert _prepare() == good  # made again
    assert font_cache.load(stored.stem.removeprefix("skrifttyper-")) == good  # and kept whole


def test_a_data_folder_that_cannot_be_written_leaves_the_fonts_made_in_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    blocked = tmp_path / "blocked"
    blocked.write_text("en fil, ikke en mappe")
    monkeypatch.setenv("XDG_DATA_HOME", str(blocked))
    assert _prepare() == _made_here()
    assert blocked.read_text() == "en fil, ikke en mappe"


def test_another_font_or_library_makes_another_file_and_the_old_one_goes(
    monkeypatch: pytest.MonkeyPatch,
):
    _prepare()
    (old,) = _files()
    abandoned = font_cache.cache_dir() / ".skrifttyper-dræbt"
    abandoned.write_bytes(b"halvt")
    os.utime(abandoned, (time.time() - 7200, time.time() - 7200))
    writing = font_cache.cache_dir() / ".skrifttyper-skrives-nu"
    writing.write_bytes(b"halvt")
    monkeypatch.setattr(pdf_mod, "FPDF_VERSION", "99.0")
    _prepare()
    (new,) = _files()
    assert new != old
    assert not abandoned.exists() and writing.exists()


@pytest.mark.parametrize("what", ["not-a-font", "other-letters", "missing-part"])
def test_a_whole_file_that_holds_no_usable_fonts_is_made_again(what: str):
    """A file whose checksums are right (written with the cache's own writer) but whose parts
    are not the fonts: a text instead of a font, a font without the Danish letters, a part
    left out. The fonts are made again; no PDF is made from it."""
    good = _prepare()
    (stored,) = _files()
    name = stored.stem.removeprefix("skrifttyper-")
    bad = dict(good)
    if what == "not-a-font":
        bad["fast"] = b"%PDF-1.7 ikke en skrifttype" * 100
    elif what == "other-letters":
        bad["commonB"] = good["common"][:-10] + b"\x00" * 10  # damaged inside
        bad["common"] = pdf_mod._reduced(pdf_mod.FALLBACK_FONT)  # Symbola: no æ, ø, å
    else:
        del bad["common-namesB"]
    font_cache.store(name, bad)
    assert font_cache.load(name) == bad  # whole, as far as the file goes
    assert _prepare() == good
    assert font_cache.load(name) == good


def _template_content(t: object) -> tuple[object, ...]:
    """A poster template's texts and its zip's parts (its time stamps left out)."""
    import dataclasses
    import io
    import zipfile

    from exports import plan_a_poster as pap

    assert isinstance(t, pap._Template)
    with zipfile.ZipFile(io.BytesIO(t.package)) as z:
        parts = [(i.filename, i.compress_type, z.read(i)) for i in z.infolist()]
    texts = {
        f.name: getattr(t, f.name) for f in dataclasses.fields(t) if f.name in pap._TEMPLATE_TEXTS
    }
    return (texts, parts)


def test_the_posters_fixed_parts_are_kept_and_read_back_as_made(monkeypatch: pytest.MonkeyPatch):
    """The posters' PDF start (fonts, profile, page tree) and Word template are made once per
    installation: a new process reads them from the data folder, and they are what it would
    have made itself."""
    from exports import page_pdf
    from exports import plan_a_poster as pap

    fixed = page_pdf._fixed.__wrapped__()
    template = pap._template.__wrapped__()
    assert fixed == page_pdf._make_fixed()
    assert _template_content(template) == _template_content(pap._make_template())
    kept = sorted(p.name.split("-")[:2] for p in font_cache.cache_dir().glob("plakat-*.bin"))
    assert kept == [["plakat", "docx"], ["plakat", "pdf"]]

    def fail() -> None:
        raise AssertionError("made again instead of read")

    monkeypatch.setattr(page_pdf, "_make_fixed", fail)
    monkeypatch.setattr(pap, "_make_template", fail)
    assert page_pdf._fixed.__wrapped__() == fixed
    assert pap._template.__wrapped__() == template


def _layout_edit(edit: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, bytes]], None]:
    """An edit of the PDF part's layout (JSON), written back."""

    def apply(parts: dict[str, bytes]) -> None:
        layout = json.loads(parts["layout"])
        edit(layout)
        parts["layout"] = json.dumps(layout).encode()

    return apply


def _texts_edit(key: str, value: object) -> Callable[[dict[str, bytes]], None]:
    """An edit of one of the Word template's texts (JSON), written back."""

    def apply(parts: dict[str, bytes]) -> None:
        parts["texts"] = json.dumps({**json.loads(parts["texts"]), key: value}).encode()

    return apply


def _zip_of(
    files: dict[str, bytes], count: int | None = None
) -> Callable[[dict[str, bytes]], None]:
    """The template's zip replaced by one of `files` (its end record claiming `count`)."""

    def apply(parts: dict[str, bytes]) -> None:
        import io
        import zipfile

        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            for name, data in files.items():
                z.writestr(name, data)
        blob = buf.getvalue()
        if count is not None:
            blob = blob[:-12] + count.to_bytes(2, "little") * 2 + blob[-8:]
        parts["package"] = blob

    return apply


def _set(key: str, value: bytes) -> Callable[[dict[str, bytes]], None]:
    def apply(parts: dict[str, bytes]) -> None:
        parts[key] = value

    return apply


def _first_font(edit: Callable[[dict[str, Any]], None]) -> Callable[[dict[str, Any]], None]:
    return lambda layout: edit(layout["fonts"][""])


_HOSTILE_PDF = {
    "not JSON": _set("layout", b"{not json"),
    "not a PDF": _set("head", b"not a pdf"),
    "no fonts": _layout_edit(lambda lay: lay.update(fonts={})),
    "no widths": _layout_edit(_first_font(lambda f: f.update(widths=[], codes=[]))),
    "an endless offset": _layout_edit(lambda lay: lay["offsets"][0].__setitem__(1, 1e400)),
    "a character past Unicode": _layout_edit(
        _first_font(lambda f: (f["widths"].append([2**64, 5]), f["codes"].append([2**64, "0001"])))
    ),
    "a glyph code not in hex": _layout_edit(
        _first_font(lambda f: f["codes"].__setitem__(0, [f["codes"][0][0], "ZZ"]))
    ),
    "an offset off its object": _layout_edit(lambda lay: lay["offsets"][1].__setitem__(1, 9)),
    "another resource": _layout_edit(_first_font(lambda f: f.update(resource="F9"))),
    "nothing": lambda parts: parts.clear(),
}

_HOSTILE_DOCX = {
    "texts not JSON": _set("texts", b"{not json"),
    "texts a list": _set("texts", b"[]"),
    "a text not a string": _texts_edit("document_head", 5),
    "not a zip": _set("package", b"x" * 40),
    "a zip cut short": lambda parts: parts.update(package=parts["package"][:-1]),
    "a part's name not in ASCII": _texts_edit("core_name", "docProps/kerne-æ.xml"),
    "two parts of one name": _texts_edit("image_name", "word/document.xml"),
    "properties without their slots": _texts_edit("core_xml", "<cp:coreProperties/>"),
    "a body that is not XML": _texts_edit("document_head", "<w:document><w:body>"),
    "a footer that is not XML": _texts_edit("footer_head", "<w:ftr><w:p>"),
    "a zip without its content types": _zip_of({"word/styles.xml": b"<w:styles/>"}),
    "a zip claiming 65,533 parts": _zip_of({"[Content_Types].xml": b"<Types/>"}, 65533),
    "nothing": lambda parts: parts.clear(),
}


@pytest.mark.parametrize(
    ("part", "damage"),
    [("pdf", d) for d in _HOSTILE_PDF] + [("docx", d) for d in _HOSTILE_DOCX],
)
def test_a_kept_part_with_good_checksums_but_wrong_content_is_made_again(part: str, damage: str):
    """A file in the data folder whose checksums are right but whose content is not what the
    app keeps (a good kept part edited, written with the app's own writer) is not used: the
    part is made again, and the file replaced; a poster made after it is whole."""
    import io
    import zipfile

    from exports import page_pdf
    from exports import plan_a_poster as pap

    if part == "pdf":
        make, name, kind = page_pdf._fixed.__wrapped__, page_pdf._fixed_name(), page_pdf.FIXED_KIND
        hostile = page_pdf._as_parts(page_pdf._make_fixed())
        _HOSTILE_PDF[damage](hostile)
    else:
        make, name, kind = pap._template.__wrapped__, pap._template_name(), pap.TEMPLATE_KIND
        hostile = pap._as_parts(pap._make_template())
        _HOSTILE_DOCX[damage](hostile)
    assert name is not None
    font_cache.store(name, hostile, kind)
    assert font_cache.load(name, kind) == hostile
    made = make()
    if part == "pdf":
        assert made == page_pdf._make_fixed()
    else:
        assert _template_content(made) == _template_content(pap._make_template())
        parts = [(n, b"<x/>") for n in (made.document_name, made.footer_name, made.core_name)]
        with zipfile.ZipFile(io.BytesIO(pap._poster_zip(made, parts))) as z:
            assert z.testzip() is None
    assert font_cache.load(name, kind) != hostile
    assert make() == made  # read back whole


def test_a_clock_outside_what_a_zip_can_say_gives_the_nearest_time() -> None:
    import io
    import zipfile
    from datetime import datetime

    from exports import plan_a_poster as pap

    t = pap._template()
    for clock, stamp in (
        (datetime(1970, 1, 1, 0, 0, 1), (1980, 1, 1, 0, 0, 0)),
        (datetime(2200, 5, 5), (2107, 12, 31, 23, 59, 58)),
    ):
        made = pap._poster_zip(t, [(t.document_name, b"<w:document/>")], clock)
        with zipfile.ZipFile(io.BytesIO(made)) as z:
            assert z.getinfo(t.document_name).date_time == stamp
            assert z.read(t.document_name) == b"<w:document/>"
