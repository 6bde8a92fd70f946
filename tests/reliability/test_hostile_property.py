"""Issue 11: a property test of the door where bundle files come in.

Hypothesis builds bundle files with valid checksums (the app's own writer) from random hostile
entries on top of a small real workshop: wrong types, huge numbers, control characters, nulls,
unknown references, extreme clocks, this laptop's or a foreign device id, duplicated change ids
with other content, odd entity and field names and device names. Oracle: the file is refused
with a Danish message (`UdviklingsdagError`) and the database is unchanged, or it is accepted
and then every stored value equals its canonical form, the SBSYS export of every målplan
succeeds, and a handoff file and a pack written afterwards are accepted by a fresh database.
Never another exception."""

from __future__ import annotations

import copy
import json
import shutil
import tempfile
import uuid
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from exports.bundle import digest, import_bundles, render, write_handoff, write_pack
from models.clock import MAX_MILLIS, MIN_MILLIS
from models.db import open_database
from models.errors import UdviklingsdagError
from models.store import Store

from ._util import db_digest
from .hostile import assert_all_canonical

PROPERTY = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    derandomize=True,
    database=None,
)


class Workshop:
    """A tovholder's database (one enhed, målsætning, målplan, mål, tegn and prøvehandling),
    its pack, and a facilitator laptop's handoff file that adds and edits rows."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        tov = open_database(str(folder / "tov.db"), device_name="Tovholder")
        store = Store(tov)
        with store.action() as tx:
            e = store.create("enhed", navn="Skole Nord", type="enhed", tx=tx)
            ms = store.create("maalsaetning", tekst="Flere børn trives.", tx=tx)
            plan = store.create("maalplan", enhed_id=e, aar=2027, titel="Skoleplan", tx=tx)
            m = store.create(
                "maal", maalsaetning_id=ms, enhed_id=e, maalplan_id=plan, tekst="Ven", tx=tx
            )
            t = store.create("tegn", maal_id=m, tekst="Børnene hilser.", tx=tx)
            store.create("proevehandling", maal_id=m, tekst="Velkomst", tegn_ids=[t], tx=tx)
        self.own_device = tov.device_id
        self.pack = write_pack(tov, folder / "pack.json").path
        tov.close()
        self.pack_doc = json.loads(self.pack.read_text("utf-8"))
        lap = open_database(str(folder / "bord.db"), device_name="Bord 2")
        lstore = Store(lap)
        import_bundles(lstore, [self.pack])
        with lstore.action() as tx:
            plan2 = lstore.create("maalplan", enhed_id=e, aar=2028, titel="Ny plan", tx=tx)
            m2 = lstore.create(
                "maal", maalsaetning_id=ms, enhed_id=e, maalplan_id=plan2, tekst="Nyt", tx=tx
            )
            t2 = lstore.create("tegn", maal_id=m2, tekst="Et nyt tegn", tx=tx)
            lstore.create(
                "proevehandling",
                maal_id=m2,
                tekst="Prøv",
                start="2027-01-05",
                tegn_ids=[t2],
                tx=tx,
            )
        lstore.update("tegn", t, tekst="Børnene hilser hver morgen.")
        self.handoff_doc = json.loads(write_handoff(lap, folder / "h.json").path.read_text())
        lap.close()
        self.row_ids = sorted({e["row_id"] for e in self.pack_doc["entries"]})


@pytest.fixture(scope="module")
def workshop(tmp_path_factory: pytest.TempPathFactory) -> Workshop:
    return Workshop(tmp_path_factory.mktemp("egenskab"))


TEXTS = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "Hej\x1c",
            "Jens\x0b",
            "Plan\x85",
            "\x1b[2J\x1b[H",
            "a\u202eb",
            "x" * 600,
            "Ord" + " " * 30_000,
            "24-01-2024",
            "2024-01-24",
            "ja",
            "5",
            "",
            "  ",
            "kvalitativ",
            "09:00",
            "00.01",
            "00.01.00-G01-12-24",
        ]
    ),
)
VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**40), 10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    TEXTS,
    st.lists(st.one_of(st.integers(-3, 12), TEXTS), max_size=5),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.just([1, 1, 3, 2]),
)
HLC_MILLIS = st.one_of(
    st.sampled_from([0, MIN_MILLIS - 1, MIN_MILLIS, MAX_MILLIS - 1, MAX_MILLIS, 10**13 - 1]),
    st.integers(MIN_MILLIS, MAX_MILLIS + 10**11),
)


@st.composite
def mutation(draw: st.DrawFn, n_entries: int, row_ids: list[str]) -> tuple[str, Any]:
    kind = draw(
        st.sampled_from(
            [
                "value",
                "value",
                "value",
                "hlc",
                "device",
                "duplicate",
                "forge_known",
                "reference",
                "name",
                "entity",
                "drop",
                "soft",
                "soft",
                "soft",
            ]
        )
    )
    index = draw(st.integers(0, n_entries - 1))
    if kind == "value":
        return kind, (index, draw(VALUES))
    if kind == "hlc":
        return kind, (index, draw(HLC_MILLIS), draw(st.integers(0, 99_999)))
    if kind == "device":
        return kind, (index, draw(st.sampled_from(["own", "foreign"])))
    if kind == "duplicate":
        return kind, (index, draw(VALUES))
    if kind == "forge_known":
        return kind, (draw(st.integers(0, 10_000)), draw(VALUES))
    if kind == "reference":
        target = draw(st.one_of(st.sampled_from(row_ids), st.just(str(uuid.uuid4()))))
        return kind, (index, target)
    if kind == "name":
        return kind, draw(TEXTS)
    if kind == "entity":
        return kind, (index, draw(st.text(max_size=8)), draw(st.booleans()))
    if kind == "soft":
        return kind, draw(st.integers(0, 10 * n_entries))
    return kind, index


def _apply(ws: Workshop, doc: dict[str, Any], changes: list[tuple[str, Any]]) -> None:
    entries = doc["entries"]
    for kind, arg in changes:
        if kind == "value":
            entries[arg[0] % len(entries)]["value"] = arg[1]
        elif kind == "hlc":
            e = entries[arg[0] % len(entries)]
            dev = e["hlc"].split("-", 2)[2]
            e["hlc"] = f"{arg[1]:013d}-{arg[2]:05d}-{dev}"
        elif kind == "device":
            e = entries[arg[0] % len(entries)]
            e["device_id"] = ws.own_device if arg[1] == "own" else str(uuid.uuid4())
        elif kind == "duplicate":
            e = copy.deepcopy(entries[arg[0] % len(entries)])
            e["value"] = arg[1]
            entries.append(e)
        elif kind == "forge_known":
            known = ws.pack_doc["entries"]
            e = copy.deepcopy(known[arg[0] % len(known)])
            e["value"] = arg[1]
            entries.append(e)
        elif kind == "reference":
            e = entries[arg[0] % len(entries)]
            if e["field"].endswith("_id"):
                e["value"] = arg[1]
            else:
                e["row_id"] = arg[1]
        elif kind == "name":
            doc["manifest"]["device_name"] = arg
        elif kind == "entity":
            e = entries[arg[0] % len(entries)]
            e["entity" if arg[2] else "field"] = arg[1]
        elif kind == "drop" and len(entries) > 1:
            entries.pop(arg % len(entries))
        elif kind == "soft":
            # A value the app would write differently but that has a canonical form: white
            # space around a text, a list with duplicates.
            e = entries[arg % len(entries)]
            if isinstance(e["value"], str) and e["field"] not in ("type", "kilde", "niveau"):
                e["value"] = f"  {e['value']}\n"
            elif isinstance(e["value"], list):
                e["value"] = e["value"] + e["value"][::-1]


def _write(path: Path, doc: dict[str, Any]) -> Path:
    doc["manifest"]["entries"] = len(doc["entries"])
    doc["manifest"]["sha256"] = digest(doc["entries"])
    path.write_bytes(render(doc["manifest"], doc["entries"]))
    return path


def _accepted_afterwards(db_path: Path, tmp: Path) -> None:
    """Stored values canonical; SBSYS export of every plan; the files it writes accepted."""
    from exports.sbsys import ExportOptions, export_sbsys

    assert_all_canonical(db_path)
    db = open_database(str(db_path))
    try:
        result = export_sbsys(db, tmp / "sbsys", None, ExportOptions(workers=1))
        assert result.packages
        handoff = write_handoff(db, tmp / "ud-h.json").path
        pack = write_pack(db, tmp / "ud-p.json").path
    finally:
        db.close()
    fresh = open_database(str(tmp / "fresh.db"))
    try:
        import_bundles(Store(fresh), [pack, handoff])
    finally:
        fresh.close()
    assert_all_canonical(tmp / "fresh.db")


@PROPERTY
@given(data=st.data())
def test_hostile_entries_are_refused_cleanly_or_stored_canonical(workshop: Workshop, data) -> None:
    ws = workshop
    n = len(ws.handoff_doc["entries"])
    changes = data.draw(st.lists(mutation(n, ws.row_ids), min_size=0, max_size=4))
    doc = copy.deepcopy(ws.handoff_doc)
    _apply(ws, doc, changes)
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        target = tmp / "tov.db"
        shutil.copy(ws.folder / "tov.db", target)
        path = _write(tmp / "fil.udviklingsdag.json", doc)
        before = db_digest(target)
        db = open_database(str(target))
        refused: UdviklingsdagError | None = None
        try:
            import_bundles(Store(db), [path])
        except UdviklingsdagError as exc:  # anything else fails the test
            refused = exc
        finally:
            db.close()
        event("refused" if refused is not None else "accepted")
        if refused is not None:
            text = str(refused)
            assert "Intet er ændret" in text, text
            assert "\x1b" not in text
            assert db_digest(target) == before
            return
        _accepted_afterwards(target, tmp)
