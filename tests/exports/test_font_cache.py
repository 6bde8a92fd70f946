"""The fonts the PDFs embed are prepared once per installation (exports/font_cache.py): kept in
the app's data folder, read back only when whole, made again when damaged, and never a reason
for an export to fail."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

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


@pytest.mark.parametrize("part", ["pdf", "docx"])
@pytest.mark.parametrize(
    "hostile",
    [
        {"head": b"%PDF-", "layout": b"{not json"},
        {"head": b"not a pdf", "layout": b"{}"},
        {"head": b"%PDF-1.7", "layout": b'{"offsets": [[1, 0]], "fonts": {}}'},
        {"package": b"PK", "texts": b'{"document_head": 5}'},
        {"package": b"not a zip at all, too short", "texts": b"{}"},
        {"package": b"x" * 40, "texts": b"[]"},
        {"package": b"x" * 40, "texts": b"GOOD"},  # the texts of a good template
        {"package": b"GOOD"[:-1], "texts": b"GOOD"},  # a zip cut short
        {"package": b"GOOD", "texts": b'{"document_head": "<w:body>"}'},
        {"package": b"GOOD", "texts": b"NAME"},  # a part's name not in ASCII
        {"package": b"GOOD", "texts": b"CORE"},  # the properties without their slots
        {},
    ],
)
def test_a_kept_part_with_good_checksums_but_wrong_content_is_made_again(
    part: str, hostile: dict[str, bytes]
):
    """A file in the data folder whose checksums are right but whose content is not what the
    app keeps (written with the app's own writer) is not used: the part is made again, and
    the file replaced."""
    from exports import page_pdf
    from exports import plan_a_poster as pap

    make, name, kind = {
        "pdf": (page_pdf._fixed.__wrapped__, page_pdf._fixed_name(), page_pdf.FIXED_KIND),
        "docx": (pap._template.__wrapped__, pap._template_name(), pap.TEMPLATE_KIND),
    }[part]
    assert name is not None
    good = pap._as_parts(pap._make_template()) if part == "docx" else {}

    # b"GOOD": the part of a good template; b"GOO": the same cut short (for the PDF's kept
    # part, which has no such parts, the bytes as they are).
    def edited(texts: bytes, key: str, value: str) -> bytes:
        return json.dumps({**json.loads(texts), key: value}).encode()

    marks = {
        b"GOOD": lambda b: b,
        b"GOO": lambda b: b[:-1],
        b"NAME": lambda b: edited(b, "core_name", "docProps/kerne-æ.xml"),
        b"CORE": lambda b: edited(b, "core_xml", "<cp:coreProperties/>"),
    }
    hostile = {
        key: marks[value](good[key]) if value in marks and key in good else value
        for key, value in hostile.items()
    }
    font_cache.store(name, hostile, kind)
    assert font_cache.load(name, kind) == hostile
    made = make()
    if part == "pdf":
        assert made == page_pdf._make_fixed()
    else:
        assert _template_content(made) == _template_content(pap._make_template())
    assert font_cache.load(name, kind) != hostile
    assert make() == made  # read back whole
