"""A full disk, a read-only target or a pulled USB stick: a Danish error and nothing left
behind (simulated by making the one write function fail)."""

from __future__ import annotations

import errno
import time
from datetime import date

import pytest

from exports import atomic, sbsys
from exports.atomic import ExportError, atomic_write
from exports.sbsys import ExportOptions, export_sbsys


def _failing_after(n: int, code: int):
    calls = {"n": 0}
    real = atomic.write_bytes

    def write(path, data):
        calls["n"] += 1
        if calls["n"] > n:
            raise OSError(code, "simulated")
        real(path, data)

    return write


@pytest.mark.parametrize("after", [0, 4, 9])
def test_full_disk_leaves_nothing_behind(plan_store, tmp_path, monkeypatch, after):
    store, ids = plan_store
    out = tmp_path / "usb"
    monkeypatch.setattr(sbsys, "write_bytes", _failing_after(after, errno.ENOSPC))
    with pytest.raises(ExportError) as err:
        export_sbsys(
            store.db,
            out,
            [ids["plan"], ids["empty"]],
            ExportOptions(when=date(2027, 1, 31), zip=True),
        )
    assert "ikke plads nok" in str(err.value)
    assert "Intet er gemt" in str(err.value)
    assert not out.exists()  # the folder we created is gone too


def test_existing_folder_keeps_its_old_content(plan_store, tmp_path, monkeypatch):
    store, ids = plan_store
    out = tmp_path / "ud"
    first = export_sbsys(store.db, out, [ids["plan"]], ExportOptions(when=date(2027, 1, 31)))
    before = {p: p.read_bytes() for p in first.packages[0].folder.iterdir()}
    store.update("maalplan", ids["plan"], ansvarlig="En anden")
    monkeypatch.setattr(sbsys, "write_bytes", _failing_after(3, errno.ENOSPC))
    with pytest.raises(ExportError):
        export_sbsys(store.db, out, [ids["plan"]], ExportOptions(when=date(2027, 1, 31)))
    assert sorted(p.name for p in out.iterdir()) == [first.packages[0].folder.name]
    assert {p: p.read_bytes() for p in first.packages[0].folder.iterdir()} == before


@pytest.mark.parametrize(
    "code, words",
    [
        (errno.EROFS, "skrivebeskyttet"),
        (errno.EACCES, "skrivebeskyttet"),
        (errno.EIO, "forsvandt"),
        (errno.EEXIST, "er en fil, ikke en mappe"),
    ],
)
def test_other_write_errors_in_danish(plan_store, tmp_path, monkeypatch, code, words):
    store, ids = plan_store
    monkeypatch.setattr(sbsys, "write_bytes", _failing_after(1, code))
    with pytest.raises(ExportError, match=words):
        export_sbsys(store.db, tmp_path / "ud", [ids["plan"]])
    assert not (tmp_path / "ud").exists()


def test_failed_rename_rolls_back_finished_packages(plan_store, tmp_path, monkeypatch):
    store, ids = plan_store
    out = tmp_path / "ud"
    out.mkdir()
    real = sbsys.move_into_place
    calls = {"n": 0}

    def move(src, dest):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(errno.EIO, "simulated")
        real(src, dest)

    monkeypatch.setattr(sbsys, "move_into_place", move)
    with pytest.raises(ExportError):
        export_sbsys(store.db, out, [ids["plan"], ids["empty"]])
    assert list(out.iterdir()) == []  # the existing folder stays, empty as it was


def test_a_folder_under_a_file_or_nowhere_in_danish(plan_store, tmp_path):
    """The export's folder below a file (ENOTDIR) and where no folder can be made (ENOENT, a
    missing drive): each says what is wrong and what to do, in Danish, with nothing written
    (before: «Not a directory» in English, and a missing folder called a vanished drive)."""
    from exports.atomic import write_error
    from exports.status_report_package import ReportOptions, export_report_package
    from models.status_report import report_years

    store, ids = plan_store
    (tmp_path / "fil").write_text("x")
    under_file = tmp_path / "fil" / "ud"
    with pytest.raises(ExportError) as err:
        export_sbsys(store.db, under_file, [ids["plan"]])
    assert "er en fil, ikke en mappe" in str(err.value) and "Intet er gemt" in str(err.value)
    with pytest.raises(ExportError) as err:
        export_report_package(
            store.db, under_file, max(report_years(store.db)), ReportOptions(when=date(2027, 8, 1))
        )
    assert "er en fil, ikke en mappe" in str(err.value)
    missing = write_error(FileNotFoundError(errno.ENOENT, "No such file"), tmp_path / "X:")
    assert "findes ikke og kan ikke laves" in str(missing) and "Vælg en anden mappe" in str(missing)
    other = write_error(OSError(errno.ELOOP, "Too many levels"), tmp_path)
    assert "fejlkode ELOOP" in str(other) and "Too many" not in str(other)


def test_target_is_a_file(plan_store, tmp_path):
    store, ids = plan_store
    (tmp_path / "fil").write_text("x")
    with pytest.raises(ExportError, match="er en fil"):
        export_sbsys(store.db, tmp_path / "fil", [ids["plan"]])


def test_atomic_write_cleans_up(tmp_path, monkeypatch):
    target = tmp_path / "a.xlsx"
    target.write_bytes(b"old")
    monkeypatch.setattr(atomic, "write_bytes", _failing_after(0, errno.ENOSPC))
    with pytest.raises(ExportError, match="ikke plads nok"):
        atomic_write(target, b"new")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["a.xlsx"]


@pytest.mark.parametrize("only_once", [False, True], ids=["disk-stays-full", "one-failure"])
def test_background_writes_stop_at_a_full_disk_and_leave_no_temp_files(
    tmp_path, monkeypatch, only_once
):
    """The posters' files are written in threads while the next is made: a full disk stops
    the export with the Danish message, the files before it are whole, no temporary file is
    left, and nothing after the failed file appears, even when the disk has room again for
    the next one, which the other thread may be writing already (as a loop of atomic writes
    stops at the file that failed)."""
    import threading

    from exports.atomic import BackgroundWriter

    calls = {"n": 0}
    real = atomic.write_bytes
    failed = threading.Event()

    def write(path, data):
        calls["n"] += 1
        number = int(path.name.split(".")[1].removeprefix("plakat-"))  # .plakat-N.pdf.x.tmp
        if number == 2 or (number > 2 and not only_once):
            failed.set()
            raise OSError(errno.ENOSPC, "simulated")
        real(path, data)

    monkeypatch.setattr(atomic, "write_bytes", write)
    stopped_at = None
    with (
        pytest.raises(ExportError, match="ikke plads nok"),
        BackgroundWriter(tmp_path) as writer,
    ):
        for i in range(50):
            if failed.is_set() and stopped_at is None:
                stopped_at = i
            writer.write(tmp_path / f"plakat-{i}.pdf", b"%PDF-" + bytes([i]) * 1000)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["plakat-0.pdf", "plakat-1.pdf"]
    assert (tmp_path / "plakat-1.pdf").read_bytes() == b"%PDF-" + bytes([1]) * 1000
    # The file after the failed one may have been under way in the other thread; none later.
    assert calls["n"] <= 4
    # The caller heard of it at its next file or soon after, not only when all 50 were made.
    assert stopped_at is None or stopped_at < 50


def test_background_writes_wait_when_the_disk_is_slow(tmp_path, monkeypatch):
    """At most `PENDING` files wait in memory: the caller waits for the oldest beyond that."""
    import threading

    from exports.atomic import BackgroundWriter

    gate = threading.Event()
    real = atomic.write_bytes

    def slow(path, data):
        gate.wait(5)
        real(path, data)

    monkeypatch.setattr(atomic, "write_bytes", slow)
    submitted = []

    def produce(writer):
        for i in range(BackgroundWriter.PENDING + 3):
            writer.write(tmp_path / f"{i}.pdf", b"%PDF-x")
            submitted.append(i)

    with BackgroundWriter(tmp_path) as writer:
        producer = threading.Thread(target=produce, args=(writer,))
        producer.start()
        producer.join(0.5)
        assert len(submitted) == BackgroundWriter.PENDING  # the next one waits for the disk
        gate.set()
        producer.join(5)
    assert len(submitted) == BackgroundWriter.PENDING + 3
    assert len(writer.written) == BackgroundWriter.PENDING + 3


def test_background_writes_all_land_in_order(tmp_path):
    from exports.atomic import BackgroundWriter

    with BackgroundWriter(tmp_path) as writer:
        for i in range(20):
            writer.write(tmp_path / f"{i:02d}.docx", b"PK\x03\x04" + bytes([i]), kind="zip")
    assert [p.name for p in writer.written] == [f"{i:02d}.docx" for i in range(20)]
    assert sorted(p.name for p in tmp_path.iterdir()) == [f"{i:02d}.docx" for i in range(20)]
    assert (tmp_path / "07.docx").read_bytes() == b"PK\x03\x04\x07"


def test_background_writes_appear_in_order_while_an_earlier_file_is_slow(tmp_path, monkeypatch):
    """Two threads write: while the first file waits for the disk, the second is written
    beside it but takes its name only after the first has its own."""
    import threading

    from exports.atomic import BackgroundWriter

    gate, second_written = threading.Event(), threading.Event()
    real = atomic.write_bytes

    def write(path, data):
        if ".0.pdf." in path.name:
            gate.wait(5)  # the first file waits for the disk
        real(path, data)
        if ".1.pdf." in path.name:
            second_written.set()

    monkeypatch.setattr(atomic, "write_bytes", write)
    with BackgroundWriter(tmp_path) as writer:
        writer.write(tmp_path / "0.pdf", b"%PDF-0")
        writer.write(tmp_path / "1.pdf", b"%PDF-1")
        assert second_written.wait(5)  # written by the other thread meanwhile ...
        time.sleep(0.1)
        names = sorted(p.name for p in tmp_path.iterdir())
        assert "1.pdf" not in names and "0.pdf" not in names  # ... but not yet under its name
        assert any(n.startswith(".1.pdf.") for n in names)
        gate.set()
    assert [p.name for p in writer.written] == ["0.pdf", "1.pdf"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0.pdf", "1.pdf"]


def test_a_later_file_refused_first_does_not_drop_an_earlier_one(tmp_path):
    """With two threads, file 1 may be refused (a foreign file under its name) before the
    thread that took file 0 has begun: file 0 is still written, as a loop of atomic writes
    would have written it, and the error is file 1's."""
    from exports.atomic import BackgroundWriter

    class Late(BackgroundWriter):
        def _write(self, number, path, data, kind, before):  # type: ignore[no-untyped-def]
            if number == 0:
                time.sleep(0.2)  # its thread took file 0, then waited its turn for the CPU
            return super()._write(number, path, data, kind, before)

    (tmp_path / "1.docx").write_bytes(b"ikke en zip")
    with pytest.raises(ExportError, match=r"1\.docx"), Late(tmp_path) as writer:
        writer.write(tmp_path / "0.pdf", b"%PDF-0")
        writer.write(tmp_path / "1.docx", b"PK\x03\x04", kind="zip")
    assert [p.name for p in writer.written] == ["0.pdf"]
    assert (tmp_path / "0.pdf").read_bytes() == b"%PDF-0"
    assert (tmp_path / "1.docx").read_bytes() == b"ikke en zip"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["0.pdf", "1.docx"]
