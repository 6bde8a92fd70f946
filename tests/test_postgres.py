"""The shared consolidation database on PostgreSQL: several tovholdere at once (two processes
importing overlapping handoff files, two resolving the same conflict), workshop packs cut from
the shared database, and passwords that never show.

The facilitator laptops are SQLite files (from the world of tests/test_merge.py); the shared
database is a PostgreSQL database from the test pool (tests/conftest.py)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, text

from exports.bundle import import_bundles, read_bundle, write_handoff
from models import consolidation
from models.conflicts import conflict_keys, open_conflicts, resolve_conflict
from models.db import bytewise, open_database
from models.errors import ConflictAlreadyResolved
from models.schema import ENTITIES
from models.store import Store
from models.tables import Change, Device, FieldHead, ImportLedger, Superseded
from tests.test_merge import World, build_tovholder, domain, dump
from tests.test_merge import world as world  # the fixture
from tui.cli import main

ROOT = Path(__file__).resolve().parent.parent
SECRET = "Hemmelig-Kode-4711"


def with_password(url: str) -> str:
    """The same URL with a password (trust authentication ignores it, so it reaches every
    place it could leak)."""
    return url.replace("postgresql://postgres@", f"postgresql://postgres:{SECRET}@")


def state_of(db: Any) -> dict[str, str]:
    """Per table, a SHA-256 over its rows: every domain row, the change log (all columns),
    heads and superseded; the whole state a merge decides, independent of the backend."""
    state = dump(db)
    with db.engine.connect() as conn:
        table = Change.__table__
        state["change_rows"] = [
            dict(r) for r in conn.execute(select(table).order_by(bytewise(table.c.id))).mappings()
        ]
    return {
        name: hashlib.sha256(json.dumps(rows, sort_keys=True, default=str).encode()).hexdigest()
        for name, rows in state.items()
    }


def _laptop_files(world: World, folder: Path) -> list[Path]:
    """Three handoff files from three laptops, with a conflict, a delete and a few dozen new
    rows each, so that two imports running at once really overlap in time."""
    ids = world.ids
    f1, f2, f3 = (world.db(n, folder) for n in ("f1", "f2", "f3"))
    s1, s2, s3 = Store(f1), Store(f2), Store(f3)
    s1.update("maal", ids["m1"], tekst="Mål 1 fra bord 1")
    s2.update("maal", ids["m1"], tekst="Mål 1 fra bord 2")
    s3.delete("tegn", ids["t1"])
    s2.create("samarbejde", maal_id=ids["m3"], partner_ids=[ids["e1"]], niveau="koordination")
    for n in range(25):
        for s, m in ((s1, "m1"), (s2, "m2"), (s3, "m3")):
            tid = s.create("tegn", maal_id=ids[m], tekst=f"Tegn {n} ved {m} æøå")
            if n % 5 == 0:
                s.update("tegn", tid, baseline=f"{n} %")
    files = [
        write_handoff(db, folder / f"bord{i}.udviklingsdag.json").path
        for i, db in enumerate((f1, f2, f3), start=1)
    ]
    for db in (f1, f2, f3):
        db.close()
    return files


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "tui.cli", *args],
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _check_ledger(db: Any, reports: list[dict[str, Any]], all_ids: set[str]) -> None:
    """received = new + known per file; every entry new exactly once over all imports."""
    new_total = 0
    for report in reports:
        for f in report["files"]:
            assert f["status"] != "afvist", f
            assert f["received"] == f["new"] + f["known"], f
            new_total += f["new"]
    assert new_total == len(all_ids)
    with db.engine.connect() as conn:
        change = Change.__table__
        ids = list(conn.execute(select(change.c.id)).scalars())
        ledger = ImportLedger.__table__
        rows = conn.execute(select(ledger.c.received, ledger.c.new, ledger.c.known)).all()
        locals_ = conn.execute(
            select(func.count()).select_from(Device.__table__).where(Device.__table__.c.is_local)
        ).scalar()
    assert len(ids) == len(set(ids)) == len(all_ids)
    assert set(ids) == all_ids
    assert sum(r.new for r in rows) == len(all_ids)
    assert all(r.received == r.new + r.known for r in rows)
    assert len(rows) == sum(len(r["files"]) for r in reports)
    assert locals_ == 1


@pytest.mark.parametrize("isolation", ["read committed", "repeatable read"])
def test_two_processes_import_overlapping_files_at_once(
    world: World, pg_databases, tmp_path: Path, isolation: str
):
    """Two tovholdere import at the same moment into a brand-new shared database; each has
    the pack and one handoff file the other also has. Nothing is lost or doubled, the ledger
    adds up, and the result equals importing the same files one by one into a SQLite file.
    The server's default isolation level must not matter (a stricter one is common)."""
    files = _laptop_files(world, tmp_path)
    url = pg_databases.new()
    if isolation != "read committed":
        admin = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
        with admin.begin() as conn:
            name = conn.execute(text("SELECT current_database()")).scalar()
            conn.execute(
                text(f"ALTER DATABASE \"{name}\" SET default_transaction_isolation = '{isolation}'")
            )
        admin.dispose()
    first = [world.pack, files[0], files[1]]
    second = [world.pack, files[1], files[2], files[0]]
    procs = [
        _cli("bundle", "import", "--db", url, "--json", *map(str, batch))
        for batch in (first, second)
    ]
    reports = []
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        reports.append(json.loads(out))

    all_ids = {e["id"] for path in (world.pack, *files) for e in read_bundle(path).entries}
    shared = open_database(url)
    _check_ledger(shared, reports, all_ids)
    # Exactly one conflict (mål 1's text), seen once, whatever the interleaving.
    assert [c.key for c in open_conflicts(shared)] == [("maal", world.ids["m1"], "tekst")]

    sequential = open_database(str(tmp_path / "sekventiel.db"), device_name="Sekventiel")
    for path in (world.pack, *files):
        import_bundles(sequential, [path])
    assert state_of(shared) == state_of(sequential)
    assert conflict_keys(shared) == conflict_keys(sequential)
    shared.close()
    sequential.close()


def test_many_small_imports_interleave_without_loss(world: World, pg_databases, tmp_path: Path):
    """Threads in two «processes» (own engines) import one file per transaction in opposite
    orders, each file several times: the same state as one import of everything."""
    files = _laptop_files(world, tmp_path)
    url = pg_databases.new()
    open_database(url, device_name="Fælles").close()
    import_bundles(open_database(url), [world.pack])
    errors: list[BaseException] = []
    barrier = threading.Barrier(2)

    def tovholder(order: list[Path]) -> None:
        db = open_database(url)
        try:
            store = Store(db)
            barrier.wait()
            for path in order:
                import_bundles(store, [path])
        except BaseException as exc:  # reported below: a thread must not swallow it
            errors.append(exc)
        finally:
            db.close()

    threads = [
        threading.Thread(target=tovholder, args=(order,))
        for order in (files + files[:1], files[::-1] + files[1:2])
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    shared = open_database(url)
    reference = open_database(str(tmp_path / "ref.db"))
    import_bundles(reference, [world.pack, *files])
    assert state_of(shared) == state_of(reference)
    ledger = consolidation.ledger(shared)
    assert len(ledger) == 1 + len(files) * 2 + 2
    assert all(r.received == r.new + r.known for r in ledger)
    assert sum(r.new for r in ledger) == len(dump(reference)["changes"])
    shared.close()
    reference.close()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_two_tovholdere_resolve_the_same_conflict(world: World, tmp_path: Path, backend: str):
    """Both see the conflict; both choose at the same moment. One wins, the other is told
    it was already resolved (and writes nothing). Then a stale view is refused too."""
    ids = world.ids
    tov = world.db("tov", tmp_path)
    f1, f2 = world.db("f1", tmp_path), world.db("f2", tmp_path)
    Store(f1).update("tegn", ids["t1"], tekst="Fravær under 5 %")
    Store(f2).update("tegn", ids["t1"], tekst="Fravær under 8 %")
    paths = [write_handoff(f, tmp_path / f"{n}.json").path for n, f in (("a", f1), ("b", f2))]
    import_bundles(tov, paths)
    # Two tovholdere: two connections (two engines) to the same database.
    second = open_database(tov.target)
    stores = [Store(tov), Store(second)]
    (seen,) = open_conflicts(tov)
    assert open_conflicts(second) == [seen]
    before = len(dump(tov)["changes"])
    barrier = threading.Barrier(2)
    outcome: list[str] = []

    def choose(store: Store, side: int) -> None:
        barrier.wait()
        try:
            resolve_conflict(store, seen, seen.sides[side].value)
            outcome.append("løst")
        except ConflictAlreadyResolved as exc:
            outcome.append(f"allerede: {exc}")

    threads = [threading.Thread(target=choose, args=(s, i)) for i, s in enumerate(stores)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(o.split(":")[0] for o in outcome) == ["allerede", "løst"]
    assert "allerede løst" in next(o for o in outcome if o.startswith("allerede"))
    assert open_conflicts(tov) == [] and open_conflicts(second) == []
    assert len(dump(tov)["changes"]) == before + 1
    with pytest.raises(ConflictAlreadyResolved):
        resolve_conflict(stores[1], seen, seen.sides[0].value)
    assert len(dump(second)["changes"]) == before + 1
    second.close()


def test_pack_cut_from_the_shared_database_gives_the_same_ids(
    pg_databases, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    """`bundle export --pack` from PostgreSQL, imported by a facilitator laptop (SQLite):
    the same rows, ids, values and heads."""
    url = pg_databases.new()
    shared = open_database(url, device_name="Fælles database")
    ids = build_tovholder(Store(shared))
    Store(shared).update("maal", ids["m2"], tekst="Mål 2, rettet på serveren", plan_a=[1, 8])
    pack = tmp_path / "pakke.udviklingsdag.json.gz"
    assert main(["bundle", "export", "--db", url, "--pack", "--json", str(pack)]) == 0
    info = json.loads(capsys.readouterr().out)
    assert info["kind"] == "pack" and info["device_name"] == "Fælles database"

    laptop = str(tmp_path / "bord.db")
    assert main(["bundle", "import", "--db", laptop, "--json", str(pack)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["new"] == result["received"] == info["entries"]
    fac = open_database(laptop)
    assert domain(fac) == domain(shared)
    assert dump(fac)["heads"] == dump(shared)["heads"]
    assert fac.device_id != shared.device_id
    # The laptop's edits come back and replace exactly what the server has.
    Store(fac).update("maal", ids["m2"], tekst="Mål 2 fra bordet")
    handoff = write_handoff(fac, tmp_path / "tilbage.udviklingsdag.json").path
    assert main(["bundle", "import", "--db", url, "--json", str(handoff)]) == 0
    assert json.loads(capsys.readouterr().out)["conflicts"] == 0
    assert open_conflicts(shared) == []
    assert next(r for r in domain(shared)["maal"] if r["id"] == ids["m2"])["tekst"] == (
        "Mål 2 fra bordet"
    )
    fac.close()
    shared.close()


def test_no_password_in_bundle_output_or_errors(
    world: World, pg_databases, tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    url = with_password(pg_databases.new())
    bad = tmp_path / "referat.txt"
    bad.write_text("ikke en pakke", encoding="utf-8")
    runs = [
        ["bundle", "import", "--db", url, "--json", str(world.pack)],
        ["bundle", "import", "--db", url, str(world.pack), str(bad)],
        ["bundle", "import", "--db", url, "--dry-run", str(tmp_path / "findes-ikke.json")],
        ["bundle", "export", "--db", url, "--pack", str(tmp_path / "mangler" / "p.json")],
        ["bundle", "export", "--db", url, str(tmp_path / "h.json")],
        ["info", "--db", url],
        # A database that does not exist, and a server that does not answer.
        ["bundle", "import", "--db", url.replace("/udv_t", "/findes_ikke_"), str(world.pack)],
        ["bundle", "export", "--db", url.replace("host=/", "host=/findes/ikke/"), "x.json"],
    ]
    codes = []
    for argv in runs:
        codes.append(main(argv))
        out = capsys.readouterr()
        assert SECRET not in out.out + out.err, argv
        assert "Traceback" not in out.err
    assert codes == [0, 1, 1, 1, 0, 0, 1, 1]
    # The same through a real process, with the URL in the environment instead of --db.
    p = _cli("bundle", "import", str(bad), env={"UDVIKLINGSDAG_DB": url})
    out, err = p.communicate(timeout=60)
    assert p.returncode == 1 and "ikke en fil fra udviklingsdag" in err
    assert SECRET not in out + err and "Traceback" not in err


def test_consolidation_reads_are_the_same_on_both_backends(world: World, pg_databases, tmp_path):
    """Gaps, matrix, device summary and conflicts read from PostgreSQL equal those read from
    SQLite after the same imports (order included: the server sorts text by its own locale)."""
    files = _laptop_files(world, tmp_path)
    lite = world.db("tov", tmp_path)
    pg = pg_databases.copy_of(world.folder / "tov.db")
    for db in (lite, pg):
        import_bundles(db, files)

    def reads(db: Any) -> Any:
        return (
            consolidation.gaps(db),
            consolidation.samarbejde_matrix(db),
            # The PostgreSQL copy is opened by this test's user, a device of its own (it wrote
            # nothing, so it has nothing to compare).
            [
                (s.navn, s.files, s.received, s.in_log, s.borde)
                for s in consolidation.device_summary(db)
                if s.files or s.in_log
            ],
            [(c.key, c.heads, [s.shown for s in c.sides]) for c in open_conflicts(db)],
        )

    assert reads(pg) == reads(lite)
    for entity in ENTITIES:
        assert _order(pg, entity) == _order(lite, entity), entity


def _order(db: Any, entity: str) -> list[str]:
    from models.queries import live_rows

    return [r["id"] for r in live_rows(db, entity)]


def test_heads_and_superseded_have_no_duplicates_after_reimport(
    world: World, pg_databases, tmp_path: Path
):
    files = _laptop_files(world, tmp_path)
    db = pg_databases.copy_of(world.folder / "tov.db")
    for _ in range(2):
        import_bundles(db, [*files, *files])
    with db.engine.connect() as conn:
        heads = conn.execute(select(FieldHead.__table__)).all()
        sup = conn.execute(select(Superseded.__table__.c.change_id)).scalars().all()
    assert len(heads) == len(set(heads)) and len(sup) == len(set(sup))


def test_two_processes_open_a_new_empty_database_at_once(pg_databases, tmp_path: Path):
    """The first day of a shared database: two tovholdere start at the same moment on an
    empty database. It is migrated once and gets one device of its own."""
    from sqlalchemy import text as sql

    from models.migrations import HEAD_REVISION

    name = f"udv_ny_{os.getpid()}_{threading.get_ident() % 10_000}"
    admin = pg_databases.pool.admin
    with admin.connect() as conn:
        conn.execute(sql(f'CREATE DATABASE "{name}"'))
    url = pg_databases.pool.url(name)
    try:
        procs = [_cli("info", "--json", "--db", url) for _ in range(3)]
        results = [(p.wait(120), p.communicate()) for p in procs]
        for code, (out, err) in results:
            assert code == 0, err
            assert json.loads(out)["schema_revision"] == HEAD_REVISION
        devices = {json.loads(out)["device"]["id"] for _, (out, _) in results}
        assert len(devices) == 1
        db = open_database(url)
        with db.engine.connect() as conn:
            table = Device.__table__
            assert conn.execute(select(func.count()).where(table.c.is_local)).scalar() == 1
        db.close()
    finally:
        with admin.connect() as conn:
            conn.execute(sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def test_each_tovholder_on_a_shared_database_has_an_own_device(monkeypatch, tmp_path, request):
    """Undo takes this device's last action: on a shared server each user must be a device."""
    from models.db import open_database
    from models.store import Store
    from tests.conftest import pg_url

    if pg_url() is None:
        pytest.skip("ingen PostgreSQL-server")
    url = request.getfixturevalue("pg_databases").new()
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "anne"))
    anne = Store(open_database(url))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "bo"))
    bo = Store(open_database(url))
    try:
        assert anne.device_id != bo.device_id
        enhed = anne.create("enhed", navn="Egeskolen", type="enhed")
        bo.update("enhed", enhed, navn="Ege Skolen")
        # Anne's undo takes back Anne's own action, never Bo's edit.
        assert anne.undo().description == "ny enhed"
        assert bo.undo().description.startswith("ændring af «Navn»")
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "anne"))
        again = open_database(url)
        assert again.device_id == anne.device_id
        again.close()
    finally:
        anne.db.close()
        bo.db.close()
