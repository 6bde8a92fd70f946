"""The merge's bulk writes and look-ups: every kind of field an edit can change arrives with
the value the laptop wrote, whether the row is new or already in the database and whether
the files come in one import or one at a time; on PostgreSQL these go through COPY and one
UPDATE per group of fields instead of a statement per row."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from exports.bundle import import_bundles, write_handoff
from models import changes, consolidation, merge_stage
from models.conflicts import conflict_keys
from models.db import id_filters
from models.store import Store
from models.tables import Device
from tests.test_merge import World, domain, dump
from tests.test_merge import world as world  # the fixture

BOTH_BACKENDS = True


def _edits(world: World, tmp_path: Path) -> tuple[list[Path], dict[str, str]]:
    """Two laptops edit lists, dates, times, numbers and flags of the pack's rows, make new
    rows with such fields, and clash: the same list differently, a delete against an edit."""
    ids = dict(world.ids)
    f1, f2 = world.db("f1", tmp_path), world.db("f2", tmp_path)
    s1, s2 = Store(f1), Store(f2)
    s1.update("bord", ids["b1"], maal_ids=[ids["m3"], ids["m1"]], anonym=True, position=4)
    s1.update("udviklingsdag", ids["dag"], dato=date(2026, 3, 12), starttid="08:30")
    s1.update("maal", ids["m1"], plan_a=[1, 3], fra_aar=2026, til_aar=2027)
    s1.update("programblok", ids["blok"], minutter=25)
    ids["ph"] = s1.create(
        "proevehandling",
        maal_id=ids["m1"],
        tekst="Lektiecafé",
        start=date(2026, 4, 1),
        slut=date(2026, 6, 30),
        borgerinddragelse=True,
        tegn_ids=[ids["t1"]],
    )
    s1.update("proevehandling", ids["ph"], slut=date(2026, 8, 1), tegn_ids=[])
    s2.update("bord", ids["b1"], maal_ids=[ids["m2"]])
    s2.update("bord", ids["b2"], anonym=True)
    s2.update("maal", ids["m2"], plan_a=[2])
    s2.delete("tegn", ids["t1"])
    s1.update("tegn", ids["t1"], baseline="12 %")
    ids["sam"] = s2.create(
        "samarbejde", maal_id=ids["m2"], partner_ids=[ids["e1"], ids["e3"]], niveau="koordination"
    )
    s2.update("samarbejde", ids["sam"], partner_ids=[ids["e3"]])
    paths = [write_handoff(db, tmp_path / f"{n}.json").path for n, db in ((1, f1), (2, f2))]
    f1.close()
    f2.close()
    return paths, ids


def test_every_kind_of_field_arrives_as_written_in_one_import_or_file_by_file(
    world: World, tmp_path: Path
):
    paths, ids = _edits(world, tmp_path)
    # The reference: a laptop (always SQLite) that imports both files.
    laptop = world.db("f3", tmp_path)
    import_bundles(laptop, paths)
    expected = domain(laptop)

    together = world.db("empty", tmp_path)
    report = import_bundles(together, [world.pack, *paths])
    one_by_one = world.db("tov", tmp_path)
    first, second = (import_bundles(one_by_one, [path]) for path in paths)
    assert domain(together) == expected
    assert domain(one_by_one) == expected
    assert dump(together)["heads"] == dump(one_by_one)["heads"]
    assert conflict_keys(together) == conflict_keys(one_by_one)
    assert conflict_keys(together) == {
        ("bord", ids["b1"], "maal_ids"),
        ("tegn", ids["t1"], "deleted"),
    }
    assert report.conflicts == 2

    rows = {(name, r["id"]): r for name, rs in expected.items() for r in rs}
    assert rows[("udviklingsdag", ids["dag"])]["dato"] == date(2026, 3, 12)
    assert rows[("udviklingsdag", ids["dag"])]["starttid"] == "08:30"
    assert rows[("maal", ids["m1"])]["plan_a"] == [1, 3]
    assert rows[("maal", ids["m1"])]["fra_aar"] == 2026
    assert rows[("maal", ids["m2"])]["plan_a"] == [2]
    assert rows[("bord", ids["b1"])]["anonym"] is True
    assert rows[("bord", ids["b2"])]["anonym"] is True
    assert rows[("programblok", ids["blok"])]["minutter"] == 25
    ph = rows[("proevehandling", ids["ph"])]
    assert (ph["start"], ph["slut"], ph["tegn_ids"]) == (date(2026, 4, 1), date(2026, 8, 1), [])
    assert ph["borgerinddragelse"] is True
    assert rows[("samarbejde", ids["sam"])]["partner_ids"] == [ids["e3"]]
    # The preview of the delete-against-edit conflict names the edit, as the view does, also
    # when the edit was imported before and the delete comes now (the row's other heads are
    # looked up then).
    assert (first.conflicts, second.conflicts) == (0, 2)
    for r in (report, second):
        (shown,) = {
            i.after
            for f in r.files
            for i in f.items
            if i.kind == "konflikt" and i.row_id == ids["t1"]
        }
        assert "12 %" in shown and "slettet" in shown
    for db in (laptop, together, one_by_one):
        db.close()


def test_id_look_ups_find_ids_with_a_newline(world: World, tmp_path: Path):
    """PostgreSQL sends the ids of a look-up as one newline-separated text; an id holding a
    newline (never one this app writes) goes as an array instead, with the same answer."""
    db = world.db("empty", tmp_path)
    odd = ["bærbar\nto", "bærbar 3"]
    with db.engine.begin() as conn:
        conn.execute(
            Device.__table__.insert(), [{"id": i, "navn": i, "is_local": False} for i in odd]
        )
    with db.engine.connect() as conn:
        column = consolidation.DEVICE.c.id
        assert changes.existing(conn, column, [*odd, "ukendt", "x\ny"]) == set(odd)
        assert changes.existing(conn, column, ["bærbar 3", "ukendt"]) == {"bærbar 3"}
        assert changes.existing(conn, column, []) == set()
        found = set()
        for where in id_filters(conn, column, odd):
            found.update(conn.execute(select(column).where(where)).scalars())
        assert found == set(odd)
    db.close()


def test_a_failure_while_the_change_log_is_written_changes_nothing(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """The change log and its heads are written in a few statements from the staging tables
    (`merge_stage.append`); a failure once they are written (a full disk) reaches the caller,
    and the import's transaction is rolled back: no change, head or staging table is left."""
    paths, _ = _edits(world, tmp_path)
    db = world.db("tov", tmp_path)
    before = dump(db)
    plain = merge_stage.append

    def failing(conn: Any) -> None:
        plain(conn)
        raise OSError("disken er fuld")

    monkeypatch.setattr(merge_stage, "append", failing)
    with pytest.raises(OSError, match="disken er fuld"):
        import_bundles(db, paths)
    assert dump(db) == before
    monkeypatch.setattr(merge_stage, "append", plain)
    assert import_bundles(db, paths).new > 0
    db.close()
