"""The exports hold about the same memory whatever the size of the database (issue 17): the
SQLite export copies rows in batches, the SBSYS export lets go of each plan's view and bytes once
its package is on disk, and the plans are read in batches bounded by their content. Proved
without timing: Python's allocation peak, weak references, and the same output either way."""

from __future__ import annotations

import functools
import gc
import sqlite3
import tracemalloc
import weakref
from datetime import date
from pathlib import Path

import pytest

import exports.sbsys as sbsys
import exports.sqlite_export as sqlite_export
from bench.generate import make_municipality_db
from models.db import open_database
from models.maalplan_view import _revisions, iter_maalplaner, load_maalplaner

WHEN = date(2027, 3, 1)


@pytest.fixture(scope="module")
def municipalities(tmp_path_factory: pytest.TempPathFactory) -> dict[int, Path]:
    """Two generated municipalities, the second with four times the rows of the first."""
    folder = tmp_path_factory.mktemp("kommuner")
    out = {}
    for factor in (1, 4):
        path = folder / f"kommune-{factor}.db"
        make_municipality_db(path, scale=0.02 * factor, n_borde=4, n_maalplaner=6)
        out[factor] = path
    return out


def _export_peak(db_path: Path, target: Path) -> tuple[int, dict[str, int]]:
    db = open_database(str(db_path))
    try:
        sqlite_export.export_sqlite(db, target)  # once for SQLAlchemy's caches and imports
        target.unlink()
        gc.collect()
        tracemalloc.start()
        try:
            counts = sqlite_export.export_sqlite(db, target)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    finally:
        db.close()
    return peak, counts


def test_sqlite_export_peak_does_not_grow_with_the_rows(municipalities, tmp_path, monkeypatch):
    # Small batches, so the small test databases hold many of them.
    monkeypatch.setattr(sqlite_export, "BATCH_ROWS", 50)
    small, small_counts = _export_peak(municipalities[1], tmp_path / "lille.sqlite")
    large, large_counts = _export_peak(municipalities[4], tmp_path / "stor.sqlite")
    assert sum(large_counts.values()) > 3 * sum(small_counts.values())
    # Holding the rows would grow the peak about fourfold; batches keep it where it was.
    assert large < 1.5 * small, (small, large)
    conn = sqlite3.connect(tmp_path / "stor.sqlite")
    try:
        for entity, n in large_counts.items():
            assert conn.execute(f"SELECT count(*) FROM {entity}").fetchone() == (n,)
    finally:
        conn.close()


def test_sqlite_export_in_batches_writes_what_one_batch_writes(
    municipalities, tmp_path, monkeypatch
):
    """The rows, their order and the link tables do not depend on the batch size."""

    def dump(path: Path) -> list[object]:
        conn = sqlite3.connect(path)
        try:
            out: list[object] = []
            for name, sql in conn.execute("SELECT name, sql FROM sqlite_master ORDER BY name"):
                out.append((name, sql))
                if sql and sql.startswith("CREATE TABLE") and name != "om_eksporten":
                    out.append(conn.execute(f"SELECT * FROM {name} ORDER BY rowid").fetchall())
            return out
        finally:
            conn.close()

    db = open_database(str(municipalities[1]))
    try:
        monkeypatch.setattr(sqlite_export, "BATCH_ROWS", 7)
        sqlite_export.export_sqlite(db, tmp_path / "smaa.sqlite")
        monkeypatch.setattr(sqlite_export, "BATCH_ROWS", 1_000_000)
        sqlite_export.export_sqlite(db, tmp_path / "hele.sqlite")
    finally:
        db.close()
    small, whole = dump(tmp_path / "smaa.sqlite"), dump(tmp_path / "hele.sqlite")
    assert small == whole
    links = [r for r in whole if isinstance(r, list)]
    assert any(links)


def test_links_without_sqlite_json_functions_are_the_same(plan_store, tmp_path, monkeypatch):
    """Where SQLite lacks json_each, the link tables are filled in Python, with the same rows."""
    store, _ids = plan_store
    with_json = tmp_path / "json.sqlite"
    sqlite_export.export_sqlite(store.db, with_json)
    real = sqlite_export._fill_links

    class WithoutJson:
        """A connection whose SQLite has no json_each (the error SQLite gives then)."""

        def __init__(self, conn: sqlite3.Connection) -> None:
            self.conn = conn

        def execute(self, sql: str, *args: object) -> sqlite3.Cursor:
            if "json_each" in sql:
                raise sqlite3.OperationalError("no such table: json_each")
            return self.conn.execute(sql, *args)

        def executemany(self, sql: str, rows: object) -> sqlite3.Cursor:
            return self.conn.executemany(sql, rows)  # type: ignore[arg-type]

    def without_json(conn: sqlite3.Connection) -> None:
        real(WithoutJson(conn))  # type: ignore[arg-type]

    monkeypatch.setattr(sqlite_export, "_fill_links", without_json)
    in_python = tmp_path / "python.sqlite"
    sqlite_export.export_sqlite(store.db, in_python)
    monkeypatch.setattr(sqlite_export, "_fill_links", real)
    for link in ("samarbejde_partner", "proevehandling_tegn", "bord_maal", "bord_maalsaetning"):
        query = f"SELECT * FROM {link} ORDER BY rowid"
        a, b = sqlite3.connect(with_json), sqlite3.connect(in_python)
        try:
            assert a.execute(query).fetchall() == b.execute(query).fetchall()
        finally:
            a.close()
            b.close()
    a = sqlite3.connect(with_json)
    try:
        assert a.execute("SELECT count(*) FROM proevehandling_tegn").fetchone() == (2,)
    finally:
        a.close()


def test_plans_are_read_in_batches_bounded_by_their_mal(municipalities):
    db = open_database(str(municipalities[4]))
    try:
        whole = load_maalplaner(db)
        counts = {v.id: len(v.maal) for v in whole}
        budget = max(counts.values())  # at most the largest plan a batch
        batches = list(iter_maalplaner(db, sizes=(32,), maal_per_batch=budget))
        assert len(batches) > 1
        for batch in batches:
            assert len(batch) == 1 or sum(counts[v.id] for v in batch) <= budget
        assert [v for b in batches for v in b] == whole
    finally:
        db.close()


def test_revisions_with_the_moved_mal_read_once_are_the_same(plan_store):
    store, ids = plan_store
    store.update("maal", ids["m2"], maalplan_id=ids["empty"])  # moved: counts for both
    store.update("maal", ids["m2"], tekst="Flyttet og rettet.")
    plans = [ids["plan"], ids["empty"]]
    together = {v.id: v.revision for v in load_maalplaner(store.db, plans)}
    with store.db.engine.connect() as conn:
        apart = {pid: _revisions(conn, [pid])[pid] for pid in plans}
    assert together == apart
    assert together[ids["plan"]] > 0 and together[ids["empty"]] > 0


class _Watch:
    """Records a weak reference to every plan's view as its package is rendered, and checks at
    each file written that the views of the packages written before are gone."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.views: dict[str, weakref.ref[object]] = {}  # package stem -> its view
        self.written: list[str] = []
        self.alive_after_writing: list[str] = []
        render, write = sbsys.render_package, sbsys.write_bytes

        def render_package(job: sbsys._Job) -> sbsys.RenderedPackage:
            self.views[job.stem] = weakref.ref(job.view)
            return render(job)

        def write_bytes(path: Path, content: bytes) -> None:
            stem = path.parent.name
            if stem not in self.written:
                self.alive_after_writing += [s for s in self.written if self.views[s]() is not None]
                self.written.append(stem)
            write(path, content)

        monkeypatch.setattr(sbsys, "render_package", render_package)
        monkeypatch.setattr(sbsys, "write_bytes", write_bytes)


def test_sbsys_export_lets_go_of_each_view_once_written(demo_store, tmp_path, monkeypatch):
    watch = _Watch(monkeypatch)
    result = sbsys.export_sbsys(
        demo_store.db, tmp_path / "ud", None, sbsys.ExportOptions(when=WHEN, workers=1)
    )
    assert len(watch.written) == len(result.packages) >= 8
    assert watch.alive_after_writing == []


def test_sbsys_export_with_workers_keeps_a_window_of_plans(tmp_path, monkeypatch):
    """In the worker path the views go to other processes; the main process holds those
    waiting or being rendered (the window) and the batch being read, not every plan read so
    far. The packages are those the one-process path writes."""
    path = tmp_path / "mange.db"
    make_municipality_db(path, scale=0.02, n_borde=4, n_maalplaner=30)
    monkeypatch.setattr(sbsys, "iter_maalplaner", functools.partial(iter_maalplaner, sizes=(2,)))
    # The smallest window: three plans a worker.
    monkeypatch.setattr(sbsys, "WINDOW_PLANS", 1)
    monkeypatch.setattr(sbsys, "WINDOW_WEIGHT", 1)
    held: list[int] = []
    real = sbsys._weight

    def weight(view: sbsys.MaalplanView) -> int:
        held.append(sum(1 for o in gc.get_objects() if type(o) is sbsys.MaalplanView))
        return real(view)

    monkeypatch.setattr(sbsys, "_weight", weight)
    db = open_database(str(path))
    try:
        ids = [v.id for v in load_maalplaner(db)]
        assert len(ids) == 30
        options = sbsys.ExportOptions(when=WHEN, workers=2)
        parallel = sbsys.export_sbsys(db, tmp_path / "to", ids, options)
        # The window and one batch of two, not the 30 plans.
        assert held and max(held) <= 3 * 2 + 2, held
        serial = sbsys.export_sbsys(
            db, tmp_path / "en", ids, sbsys.ExportOptions(when=WHEN, workers=1)
        )
    finally:
        db.close()
    assert [p.reference.text for p in parallel.packages] == [
        p.reference.text for p in serial.packages
    ]
    assert [p.folder.name for p in parallel.packages] == [p.folder.name for p in serial.packages]
    for a, b in zip(parallel.packages, serial.packages, strict=True):
        assert [f.name for f in a.files] == [f.name for f in b.files]
        # journalisering.txt up to the files' sizes and digests (the documents carry the
        # moment they were written)
        assert (
            a.files[-1].read_bytes().split(b"Filer")[0]
            == (b.files[-1].read_bytes().split(b"Filer")[0])
        )
