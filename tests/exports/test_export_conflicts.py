"""Exporting a målplan with open conflicts (a tegn deleted on one laptop and edited on
another, not settled yet): the documents can only show one side, and in SBSYS they look
settled. The export says which plans and which conflicts, on the screen before anything is
written (tests/tui/test_export_screen.py) and in the result after (the command line prints
it); a plan without conflicts says nothing, and nothing is said once they are resolved."""

from __future__ import annotations

from pathlib import Path

from exports.bundle import import_bundles, write_handoff
from models.conflicts import open_conflicts, resolve_conflict
from models.db import Database
from models.store import Store
from models.workspace import Workspace
from tests.test_merge import World, world  # noqa: F401  (the fixture)


def conflicted(world: World, tmp_path: Path) -> tuple[Database, dict[str, str]]:  # noqa: F811
    """The tovholder's database after two laptops' files: tegn «Færre fravær» deleted on one
    and given a baseline on the other; mål 1 on plan «Skole Nord 2027», mål 3 on another."""
    ids = dict(world.ids)
    tov, f1, f2 = (world.db(n, tmp_path) for n in ("tov", "f1", "f2"))
    Store(f1).delete("tegn", ids["t1"])
    Store(f2).update("tegn", ids["t1"], baseline="12 %")
    store = Store(tov)
    import_bundles(
        store,
        [write_handoff(f1, tmp_path / "1.json").path, write_handoff(f2, tmp_path / "2.json").path],
    )
    for n, enhed, titel in ((1, "e1", "Skole Nord 2027"), (3, "e3", "Dagtilbud Syd 2027")):
        ids[f"p{n}"] = store.create("maalplan", enhed_id=ids[enhed], aar=2027, titel=titel)
        store.update("maal", ids[f"m{n}"], maalplan_id=ids[f"p{n}"])
    return tov, ids


def test_the_export_names_the_open_conflicts_of_each_plan(world: World, tmp_path: Path):  # noqa: F811
    from exports.sbsys import export_maalplaner

    tov, ids = conflicted(world, tmp_path)
    ws = Workspace(tov)
    found = ws.conflicts_in([ids["p1"], ids["p3"]])
    assert list(found) == [ids["p1"]]
    (conflict,) = found[ids["p1"]]
    assert conflict.row_id == ids["t1"] and conflict.kind == "sletning"

    result = export_maalplaner(ws, tmp_path / "ud", [ids["p1"], ids["p3"]])
    assert len(result.packages) == 2
    notes = [w for w in result.warnings() if "åben konflikt" in w]
    assert notes == [
        "«Skole Nord 2027» har 1 åben konflikt: tegn «Færre fravær» (slettet og ændret). "
        "Dokumenterne viser kun den ene side. Løs den under Konsolidering → Konflikter, og "
        "eksportér igen."
    ], result.warnings()

    resolve_conflict(Store(tov), open_conflicts(tov)[0], False)
    assert ws.conflicts_in([ids["p1"], ids["p3"]]) == {}
    again = export_maalplaner(ws, tmp_path / "ud2", [ids["p1"]])
    assert not [w for w in again.warnings() if "konflikt" in w]
