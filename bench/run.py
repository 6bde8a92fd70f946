"""The benchmark: `python -m bench.run [--quick] [--only ROW,...]`.

Every row is a median over repeated runs, printed beside a reference measured in the same run
(so the ratio holds on a noisy machine), with the target from issue 6. The results are also
written to bench/results.json. `--quick` uses a tenth of the data and fewer repetitions: a
smoke test of the script, not figures to compare with the targets.

Rows that need a part of the app that is not there yet print «mangler: <why>».

The year's follow-up (issue 15) has rows of its own on a municipality with 12 målinger per
kvantitativ tegn (`bench.generate --maalinger 12`, its own cache folder): `maalinger`, the
merge with a leader's laptop's handoff file of målinger beside the 40 workshop files, and
`followup`, the årshjul and the overview of evalueringer that fall due opened in the real
screens, and a run chart of 100 målinger drawn. On the same municipality, `documents` (issue
16): the August report package of its year (target 10 s), and the Plan A posters of every
målplan per PDF page against the SBSYS export's time per PDF page.

`python -m bench.run --scale N` is the growth run (issue 17), not part of the default run: the
merge (many files and big files), the SQLite export and the SBSYS export's main process at 1x
and at N times the data, each in its own process, with time, peak memory and each row's ratio
to 1x; written to bench/growth.json (docs/benchmark.md's table is left alone)."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bench.generate import Workshop

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
GROWTH = ROOT / "bench" / "growth.json"
DOC = ROOT / "docs" / "benchmark.md"
START, END = "<!-- tal:start -->", "<!-- tal:slut -->"
PY = sys.executable


@dataclass
class Row:
    """One line of the result table."""

    key: str
    what: str
    value: float | None
    unit: str
    reference: str = ""
    ref_value: float | None = None
    target: str = ""
    ok: bool | None = None
    note: str = ""
    runs: int = 0

    @property
    def ratio(self) -> float | None:
        if self.value is None or not self.ref_value:
            return None
        return self.value / self.ref_value


def median(xs: list[float]) -> float:
    return statistics.median(xs)


def p95(xs: list[float]) -> float:
    s = sorted(xs)
    return s[min(len(s) - 1, round(0.95 * (len(s) - 1)))]


def _fmt(v: float | None, unit: str) -> str:
    if v is None:
        return "-"
    if unit == "ms":
        return f"{v * 1000:.1f} ms"
    if unit == "s":
        return f"{v:.2f} s"
    if unit == "MB":
        return f"{v:.0f} MB"
    return f"{v:.3g} {unit}"


def machine() -> dict[str, Any]:
    """The machine the figures come from."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = 0.0
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                ram = int(line.split()[1]) / 1024 / 1024
    except OSError:
        pass
    import sqlalchemy
    import textual

    return {
        "nproc": os.cpu_count(),
        "cpu": cpu or platform.processor(),
        "ram_gib": round(ram, 1),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "textual": getattr(textual, "__version__", ""),
        "sqlalchemy": sqlalchemy.__version__,
        "platform": platform.platform(),
    }


# --- data -----------------------------------------------------------------------------------


def cache_dir(scale: float) -> Path:
    base = os.environ.get("UDVIKLINGSDAG_BENCH_CACHE") or str(
        Path(tempfile.gettempdir()) / "udviklingsdag-bench"
    )
    return Path(base) / f"scale-{scale}"


def demo_db(folder: Path) -> Path:
    """A fresh demo database (the one `udviklingsdag demo` writes), named already so the
    first-start naming dialog does not open."""
    from models import settings
    from models.db import open_database
    from models.demo import build_demo
    from models.workspace import Workspace

    path = folder / "demo.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    ws = Workspace(open_database(str(path), device_name="Bord 1"))
    try:
        build_demo(ws.store)
        ws.set_setting(settings.DEVICE_NAMED, True)
    finally:
        ws.close()
    return path


# --- rows -------------------------------------------------------------------------------------


def row_cold_start(demo: Path, runs: int) -> list[Row]:
    """Process start to the first screen ready for input (the home screen with the demo
    database's data, answering a key), against a minimal Textual app's first screen."""
    marks: dict[str, list[float]] = {k: [] for k in ("ready", "home", "key", "db")}
    ref: list[float] = []
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "0"}
    for i in range(runs + 1):
        for mode in ("minimal", "app"):
            start = time.time()
            out = subprocess.run(
                [PY, "-m", "bench._coldstart", mode, str(demo)],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                timeout=120,
            )
            if out.returncode != 0:
                raise RuntimeError(out.stderr[-2000:])
            got = json.loads(out.stdout.strip().splitlines()[-1])
            if "error" in got:
                raise RuntimeError("appen viste en fejlskærm ved start")
            if i == 0:
                continue  # the first round warms the disk cache and the .pyc files
            if mode == "minimal":
                ref.append(got["key"] - start)
            else:
                for key in marks:
                    marks[key].append(got[key] - start)
    row = Row(
        "cold_start",
        "Kold start til forsiden med data, klar til taster (demo-databasen)",
        median(marks["key"]),
        "s",
        "minimal Textual-app (Header, Footer, DataTable 50 rækker), til den svarer på en tast",
        median(ref),
        "højst 1,1 x reference",
        runs=runs,
    )
    row.ok = row.ratio is not None and row.ratio <= 1.1
    row.note = (
        f"første skærm {median(marks['ready']):.2f} s, forsiden tegnet "
        f"{median(marks['home']):.2f} s, databaselaget åbent bag den {median(marks['db']):.2f} s"
    )
    return [row]


def row_durable_edit(folder: Path, demo: Path, runs: int) -> list[Row]:
    """One edit saved durably through Store.update, against a bare sqlite3 commit with the same
    pragmas (the cost of the fsyncs alone)."""
    from models.db import open_database
    from models.queries import live_rows
    from models.store import Store

    path = folder / "edit.db"
    shutil.copy(demo, path)
    db = open_database(str(path))
    try:
        store = Store(db)
        tegn = [r["id"] for r in live_rows(db, "tegn")][:5]
        times = []
        for i in range(runs):
            tid = tegn[i % len(tegn)]
            t0 = time.perf_counter()
            store.update("tegn", tid, tekst=f"Eleverne siger godmorgen til en voksen ({i})")
            times.append(time.perf_counter() - t0)
    finally:
        db.close()
    raw_path = folder / "raw.db"
    raw_path.unlink(missing_ok=True)
    con = sqlite3.connect(raw_path, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    con.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    ref = []
    for i in range(runs):
        t0 = time.perf_counter()
        con.execute("BEGIN IMMEDIATE")
        con.execute("INSERT INTO t (v) VALUES (?)", (f"tekst {i}",))
        con.execute("COMMIT")
        ref.append(time.perf_counter() - t0)
    con.close()
    a = Row(
        "edit_median",
        "Én ændring gemt sikkert (Store.update), median",
        median(times),
        "ms",
        "rå sqlite3-commit, WAL + synchronous=FULL",
        median(ref),
        "højst 3 ms",
        runs=runs,
    )
    a.ok = median(times) <= 0.003
    b = Row(
        "edit_p95",
        "Én ændring gemt sikkert, p95",
        p95(times),
        "ms",
        "rå sqlite3-commit, p95",
        p95(ref),
        "højst 10 ms",
        runs=runs,
    )
    b.ok = p95(times) <= 0.010
    return [a, b]


async def _until(pilot: Any, cond: Callable[[], bool], timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not cond():
        if time.monotonic() > deadline:
            raise TimeoutError("skærmen blev ikke klar")
        await pilot.pause(0.001)


class FrameSpy:
    """Sees every frame the app paints (wraps `App._display`), to time an action from its
    start to the first frame painted after its effect is in place."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.frames: list[float] = []
        self._display = app._display

        def spy(screen: Any, renderable: Any) -> None:
            self._display(screen, renderable)
            self.frames.append(time.perf_counter())

        app._display = spy

    def close(self) -> None:
        self.app._display = self._display

    async def time(
        self, start: Callable[[], None], ready: Callable[[], bool], timeout: float = 30
    ) -> float:
        """Seconds from `start()` to the first frame after `ready()` turned true."""
        t0 = time.perf_counter()
        start()
        changed = None
        while time.perf_counter() - t0 < timeout:
            if changed is None and ready():
                changed = time.perf_counter()
            if changed is not None and self.frames and self.frames[-1] >= changed:
                return self.frames[-1] - t0
            # A short sleep, not a busy loop: the database worker thread needs the GIL.
            await asyncio.sleep(0.0002)
        raise TimeoutError("skærmen blev ikke opdateret")


def _changed(probe: Callable[[], str], before: str) -> bool:
    return probe() != before


def _grew(counter: dict[str, int], start: int) -> bool:
    return counter["n"] > start


async def _type(
    app: Any, probe: Callable[[], str], keys: str, bursts: int, out: list[float]
) -> None:
    """Type like a person (bursts of keys, then a pause long enough for the autosave) and time
    each key from the moment the driver receives it until the first frame painted after the
    focused widget's value changed."""
    from textual import events

    # Keys go in through Textual's private `_driver`, as a terminal's keys arrive: Pilot's
    # `press` waits for the app to settle after each key, which is what is being timed.
    spy = FrameSpy(app)
    try:
        for _ in range(bursts):
            for ch in keys:
                before = probe()
                key = events.Key("space" if ch == " " else ch, ch)
                out.append(
                    await spy.time(
                        partial(app._driver.send_message, key), partial(_changed, probe, before)
                    )
                )
                await asyncio.sleep(0.03)
            await asyncio.sleep(0.7)
    finally:
        spy.close()


def row_keypress(folder: Path, demo: Path, bursts: int) -> list[Row]:
    """Key press to screen updated while editing a tegn, against a minimal app with an Input."""
    from textual.app import App, ComposeResult
    from textual.widgets import Input

    from models.db import open_database
    from models.queries import live_rows

    class MinimalInput(App[None]):
        def compose(self) -> ComposeResult:
            yield Input()

    ref: list[float] = []
    ours: list[float] = []
    keys = "hverdag "

    async def minimal() -> None:
        app = MinimalInput()
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            await _type(app, lambda: app.query_one(Input).value, keys, bursts, ref)

    path = folder / "keypress.db"
    shutil.copy(demo, path)
    db = open_database(str(path))
    try:
        maal = next(m for m in live_rows(db, "maal") if live_rows(db, "tegn", maal_id=m["id"]))
        tegn_id = live_rows(db, "tegn", maal_id=maal["id"])[0]["id"]
    finally:
        db.close()

    async def app_run() -> None:
        from textual.widgets import TextArea

        from screens.forms import RecordForm
        from screens.maal import MaalScreen
        from tui.app import UdviklingsdagApp

        app = UdviklingsdagApp(db_target=str(path))
        async with app.run_test(size=(120, 40)) as pilot:
            # The home screen comes before the database is open; a screen pushed by hand
            # (not through the app's actions, which wait) needs the database open.
            await _until(pilot, lambda: app.workspace is not None)
            app.push_screen(MaalScreen(maal["id"]))
            await _until(pilot, lambda: getattr(app.screen, "detail", None) is not None)
            screen = app.screen
            assert isinstance(screen, MaalScreen)
            screen.open_form("tegn", tegn_id)
            await _until(
                pilot,
                lambda: (
                    isinstance(app.screen, RecordForm)
                    and app.screen.loaded
                    and app.focused is not None
                    and isinstance(app.focused, TextArea)
                ),
            )
            await pilot.pause()
            field = app.focused
            assert isinstance(field, TextArea)
            await _type(app, lambda: field.text, keys, bursts, ours)
            await app.settle()

    asyncio.run(minimal())
    asyncio.run(app_run())
    diff = median(ours) - median(ref)
    r = Row(
        "keypress",
        "Tastetryk til opdateret skærm, mens et tegn redigeres (median)",
        median(ours),
        "ms",
        "minimal app med et Input",
        median(ref),
        "højst 17 ms over reference",
        runs=len(ours),
    )
    r.ok = diff <= 0.017
    r.note = (
        f"forskel {diff * 1000:.1f} ms; p95 {p95(ours) * 1000:.1f} ms mod {p95(ref) * 1000:.1f} ms"
    )
    return [r]


def _large_ids(db_path: Path) -> dict[str, Any]:
    from models import settings
    from models.db import open_database
    from models.queries import live_rows
    from models.workspace import Workspace

    db = open_database(str(db_path))
    try:
        ws = Workspace(db)
        borde = live_rows(db, "bord")
        dag = borde[0]["udviklingsdag_id"]
        normal = max(borde, key=lambda b: len(b["maal_ids"]))
        big = next((b for b in borde if b["navn"] == "Alle mål (1.000)"), None)
        if big is None:
            maal = [m["id"] for m in live_rows(db, "maal")][:1000]
            big_id = ws.create(
                "bord", {"udviklingsdag_id": dag, "navn": "Alle mål (1.000)", "maal_ids": maal}
            )
        else:
            big_id = big["id"]
        counts: dict[str, int] = {}
        for t in live_rows(db, "tegn"):
            counts[t["maal_id"]] = counts.get(t["maal_id"], 0) + 1
        busiest = max(counts, key=lambda k: counts[k])
        ws.set_setting(settings.DEVICE_NAMED, True)
        return {
            "dag": dag,
            "normal": normal["id"],
            "big": big_id,
            "maal": busiest,
            "normal_n": len(normal["maal_ids"]),
        }
    finally:
        db.close()


def row_large(db_path: Path, runs: int) -> list[Row]:
    """The large municipality in the real screens (Pilot, headless): open a bord's mål list,
    filter by one keystroke, open one mål. Reference: the bare reads the screens call."""
    from models.db import open_database
    from models.queries import bord_overview, enhed_choices, maal_detail

    ids = _large_ids(db_path)
    res: dict[str, list[float]] = {
        k: []
        for k in ("open", "filter1", "filter", "maal", "open_big", "filter1_big", "filter_big")
    }
    refs: dict[str, list[float]] = {k: [] for k in res}

    db = open_database(str(db_path))
    try:
        from screens.bord import filter_groups

        for _ in range(runs):
            for key, bord in (("open", ids["normal"]), ("open_big", ids["big"])):
                t0 = time.perf_counter()
                data = bord_overview(db, bord)
                refs[key].append(time.perf_counter() - t0)
                assert data is not None
                for slot, query in (("filter1", "e"), ("filter", "er")):
                    t0 = time.perf_counter()
                    filter_groups(data.groups, query)
                    refs[slot if key == "open" else f"{slot}_big"].append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            maal_detail(db, ids["maal"])
            enhed_choices(db)
            refs["maal"].append(time.perf_counter() - t0)
    finally:
        db.close()

    async def session() -> None:
        from textual import events

        from screens.bord import BordScreen
        from screens.maal import MaalScreen
        from tui.app import UdviklingsdagApp

        app = UdviklingsdagApp(db_target=str(db_path))
        async with app.run_test(size=(120, 40)) as pilot:
            await _until(pilot, lambda: type(app.screen).__name__ == "HomeScreen")
            await app.settle()
            spy = FrameSpy(app)
            driver = app._driver  # private: keys as a terminal sends them (see `_type`)
            assert driver is not None
            for _ in range(runs):
                for key, bord in (("open", ids["normal"]), ("open_big", ids["big"])):

                    def listed() -> bool:
                        s = app.screen
                        return isinstance(s, BordScreen) and s.data is not None

                    res[key].append(
                        await spy.time(partial(app.open_bord, bord, ids["dag"]), listed)
                    )
                    await pilot.pause()
                    screen = app.screen
                    assert isinstance(screen, BordScreen)
                    renders = {"n": 0}
                    render = screen.render_list

                    def counted(
                        render: Callable[[], None] = render, renders: dict[str, int] = renders
                    ) -> None:
                        render()
                        renders["n"] += 1

                    # Count the list's renders: an instance attribute shadows the method.
                    object.__setattr__(screen, "render_list", counted)
                    # Typed on the list (which keeps the focus): the first key shows the
                    # filter field's first letter, the next one only filters further.
                    for slot, ch in (("filter1", "e"), ("filter", "r")):
                        slot = slot if key == "open" else f"{slot}_big"
                        start = renders["n"]
                        res[slot].append(
                            await spy.time(
                                partial(driver.send_message, events.Key(ch, ch)),
                                partial(_grew, renders, start),
                            )
                        )
                        await pilot.pause()
                    if key == "open":
                        res["maal"].append(
                            await spy.time(
                                partial(screen.open_maal, ids["maal"]),
                                lambda: (
                                    isinstance(app.screen, MaalScreen)
                                    and app.screen.detail is not None
                                ),
                            )
                        )
                        await app.settle()
                        app.pop_screen()
                        await pilot.pause()
                    app.pop_screen()
                    await app.settle()
                    await pilot.pause()
            spy.close()

    asyncio.run(session())
    n = ids["normal_n"]
    spec = [
        ("open", f"Stor kommune: åbn et bords målliste ({n} mål)", 0.300, "bord_overview()"),
        (
            "filter1",
            "Stor kommune: filtrér, første tastetryk",
            0.050,
            "filter_groups()",
        ),
        ("filter", "Stor kommune: filtrér, ét tastetryk mere", 0.050, "filter_groups()"),
        ("maal", "Stor kommune: åbn ét mål (flest tegn)", 0.100, "maal_detail() + enhed_choices()"),
        (
            "open_big",
            "Stor kommune: åbn målliste med 1.000 mål (belastning)",
            0.300,
            "bord_overview()",
        ),
        (
            "filter1_big",
            "Stor kommune: filtrér 1.000 mål, første tastetryk",
            0.050,
            "filter_groups()",
        ),
        (
            "filter_big",
            "Stor kommune: filtrér 1.000 mål, ét tastetryk mere",
            0.050,
            "filter_groups()",
        ),
    ]
    rows = []
    for key, what, target, ref in spec:
        r = Row(
            f"large_{key}",
            what,
            median(res[key]),
            "ms",
            f"de rå læsninger: {ref}",
            median(refs[key]),
            f"højst {target * 1000:.0f} ms",
            runs=len(res[key]),
        )
        r.ok = median(res[key]) <= target
        rows.append(r)
    return rows


def _read_all(files: list[Path]) -> float:
    from exports.bundle import read_bundle

    t0 = time.perf_counter()
    for f in files:
        read_bundle(f)
    return time.perf_counter() - t0


def row_merge(workshop: Workshop, folder: Path, runs: int) -> list[Row]:
    """40 handoff files merged into a copy of the tovholder's database (which holds the
    workshop pack), then the same 40 again; each run in a fresh process, so the peak memory
    (bench._merge: VmHWM) is the merge's own."""
    fresh, repeat, peak, base_rss = [], [], [], []
    last: dict[str, Any] = {}
    for i in range(runs):
        target = folder / f"merge-{i}.db"
        out = subprocess.run(
            [
                PY,
                "-m",
                "bench._merge",
                str(target),
                str(workshop.base_db),
                *map(str, workshop.handoffs),
            ],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=900,
        )
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        if out.returncode != 0:
            raise RuntimeError(out.stderr[-3000:])
        last = json.loads(out.stdout.strip().splitlines()[-1])
        fresh.append(last["fresh"])
        repeat.append(last["repeat"])
        peak.append(last["peak_rss_mb"])
        base_rss.append(last["rss_before_mb"])
    reads = [_read_all(workshop.handoffs) for _ in range(max(1, runs))]
    n = len(workshop.handoffs)
    note = (
        f"{last['received']:,} ændringer modtaget, {last['new']:,} nye, "
        f"{last['open_conflicts']} åbne konflikter".replace(",", ".")
    )
    a = Row(
        "merge_fresh",
        f"Flet {n} overleveringsfiler (første gang)",
        median(fresh),
        "s",
        f"kun læse og kontrollere de {n} filer (read_bundle)",
        median(reads),
        "højst 5 s",
        note=note,
        runs=runs,
    )
    a.ok = median(fresh) <= 5
    b = Row(
        "merge_repeat",
        f"Flet de samme {n} filer igen (alt kendt)",
        median(repeat),
        "s",
        "kun læse og kontrollere filerne",
        median(reads),
        "højst 1 s",
        runs=runs,
    )
    b.ok = median(repeat) <= 1
    c = Row(
        "merge_memory",
        "Flet: højeste hukommelsesforbrug (VmHWM)",
        max(peak),
        "MB",
        "processen før fletningen (Python + biblioteker + database åben)",
        median(base_rss),
        "under 300 MB",
        runs=runs,
    )
    c.ok = max(peak) < 300
    return [a, b, c]


# --- the year's follow-up (issue 15) ---------------------------------------------------------

# The målinger per kvantitativ tegn in the follow-up rows' municipality, and the målinger of
# the one tegn whose run chart is timed.
FOLLOW_UP_MAALINGER = 12
RUN_CHART_POINTS = 100


def followup_cache(scale: float) -> Path:
    """The cache folder of the municipality with a year of målinger (its own folder: a
    workshop folder holds one set of settings)."""
    base = cache_dir(scale)
    return base.with_name(f"{base.name}-maalinger-{FOLLOW_UP_MAALINGER}")


def _dotted(n: int) -> str:
    """A count with Danish thousands separators («80.000»)."""
    return f"{n:,}".replace(",", ".")


def row_merge_maalinger(workshop: Workshop, folder: Path, runs: int) -> list[Row]:
    """The 40 handoff files and a leader's laptop's file with målinger (12 a kvantitativ tegn
    of its enhed) merged into a copy of the municipality that has a year of målinger, in a
    fresh process each run (bench._merge), against the same merge target as `row_merge`."""
    if workshop.leader is None:
        return [Row("merge_maalinger", "Flet med målinger", None, "", note="mangler: ingen leder")]
    files = [*workshop.handoffs, workshop.leader]
    fresh, peak = [], []
    last: dict[str, Any] = {}
    for i in range(runs):
        target = folder / f"merge-maalinger-{i}.db"
        out = subprocess.run(
            [PY, "-m", "bench._merge", str(target), str(workshop.base_db), *map(str, files)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=900,
        )
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        if out.returncode != 0:
            raise RuntimeError(out.stderr[-3000:])
        last = json.loads(out.stdout.strip().splitlines()[-1])
        fresh.append(last["fresh"])
        peak.append(last["peak_rss_mb"])
    reads = [_read_all(files) for _ in range(max(1, runs))]
    from exports.bundle import read_bundle

    leader_entries = len(read_bundle(workshop.leader).entries)
    a = Row(
        "merge_maalinger",
        f"Flet {len(workshop.handoffs)} filer + en leders fil med målinger (første gang)",
        median(fresh),
        "s",
        f"kun læse og kontrollere de {len(files)} filer (read_bundle)",
        median(reads),
        "højst 5 s",
        note=(
            f"{_dotted(last['received'])} ændringer modtaget, heraf {_dotted(leader_entries)} fra"
            f" lederens fil ({FOLLOW_UP_MAALINGER} målinger pr. kvantitativt tegn i enheden); "
            f"{last['open_conflicts']} åbne konflikter; højeste hukommelse {max(peak):.0f} MB"
        ),
        runs=runs,
    )
    a.ok = median(fresh) <= 5
    return [a]


def _documents(kind: str, db_path: Path, out: Path) -> dict[str, Any]:
    """`python -m bench._documents KIND DB OUT` in a new process; its one JSON line."""
    shutil.rmtree(out, ignore_errors=True)
    res = subprocess.run(
        [PY, "-m", "bench._documents", kind, str(db_path), str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    shutil.rmtree(out, ignore_errors=True)
    if res.returncode != 0:
        raise RuntimeError(res.stderr[-3000:])
    result: dict[str, Any] = json.loads(res.stdout.strip().splitlines()[-1])
    return result


# How many målplaner the per-page reference of the posters row exports as SBSYS packages.
SBSYS_PAGE_SAMPLE = 20


def row_documents(db_path: Path, folder: Path, runs: int) -> list[Row]:
    """The municipality with a year of målinger: the August report package of its year (each
    run a new process; reference: the report's data read alone), and the Plan A posters of
    every målplan, per PDF page, against the SBSYS export's time per PDF page (the first
    `SBSYS_PAGE_SAMPLE` plans). Two cores."""
    reports = [_documents("augustrapport", db_path, folder / "rapport") for _ in range(runs)]
    last = reports[-1]
    a = Row(
        "augustrapport",
        "Augustrapporten for den store kommune (PDF/A, Word, Excel, journalisering)",
        median([r["seconds"] for r in reports]),
        "s",
        "kun læse rapportens data (status_report)",
        median([r["data_seconds"] for r in reports]),
        "højst 10 s",
        note=(
            f"{_dotted(last['maal'])} mål, {_dotted(last['charts'])} run charts, "
            f"{_dotted(last['pages'])} PDF-sider; højeste hukommelse "
            f"{max(r['peak_rss_mb'] for r in reports):.0f} MB"
        ),
        runs=runs,
    )
    a.ok = (a.value or 0) <= 10
    posters = [_documents("plan-a", db_path, folder / "plakater") for _ in range(runs)]
    sbsys = [
        _documents(f"sbsys:{SBSYS_PAGE_SAMPLE}", db_path, folder / "sbsys") for _ in range(runs)
    ]
    per_poster = median([r["seconds"] / max(1, r["pages"]) for r in posters])
    per_sbsys = median([r["seconds"] / max(1, r["pages"]) for r in sbsys])
    b = Row(
        "plakater",
        f"Plan A-plakater for alle {posters[-1]['posters']} arbejdspladser, pr. side",
        per_poster,
        "ms",
        f"SBSYS-eksporten pr. PDF-side ({SBSYS_PAGE_SAMPLE} målplaner)",
        per_sbsys,
        "højst som SBSYS pr. side",
        note=(
            f"{median([r['seconds'] for r in posters]):.1f} s for {posters[-1]['pages']} A3-sider "
            f"(og lige så mange .docx); SBSYS {median([r['seconds'] for r in sbsys]):.1f} s for "
            f"{sbsys[-1]['pages']} sider"
        ),
        runs=runs,
    )
    b.ok = per_poster <= per_sbsys
    return [a, b]


def _followup_ids(db_path: Path) -> dict[str, Any]:
    """Prepare the follow-up rows' database: a kvantitativ tegn with RUN_CHART_POINTS monthly
    målinger and a prøvehandling that follows it (made once; found again on a reused copy)."""
    from bench.generate import BulkWriter, maaling_dates
    from models import settings
    from models.db import open_database
    from models.queries import live_rows
    from models.store import Store

    name = f"Run chart med {RUN_CHART_POINTS} målinger"
    db = open_database(str(db_path))
    try:
        store = Store(db)
        found = [t for t in live_rows(db, "tegn") if t["tekst"] == name]
        if found:
            tegn_id = found[0]["id"]
        else:
            maal_id = live_rows(db, "maal")[0]["id"]
            first = date(2019, 1, 28)
            dates = maaling_dates(RUN_CHART_POINTS, first)
            with store.action() as tx:
                w = BulkWriter(store, tx)
                tegn_id = w.create(
                    "tegn",
                    maal_id=maal_id,
                    tekst=name,
                    type="kvantitativ",
                    baseline="40 %",
                    forventet_niveau="60 %",
                )
                for i, dato in enumerate(dates):
                    value = 40 + 20 * i / RUN_CHART_POINTS + (i * 7919 % 11) - 5
                    w.create("maaling", tegn_id=tegn_id, dato=dato, vaerdi=round(value, 1))
                w.create(
                    "proevehandling",
                    maal_id=maal_id,
                    tekst="Prøvehandlingen midt i perioden",
                    start=dates[40],
                    slut=dates[60],
                    tegn_ids=[tegn_id],
                )
                w.flush()
        store.set_setting(settings.DEVICE_NAMED.key, "1")
        return {"tegn": tegn_id}
    finally:
        db.close()


def row_followup(db_path: Path, runs: int) -> list[Row]:
    """The large municipality with a year of målinger in the real screens (Pilot, headless):
    open the årshjul and the overview of evalueringer that fall due (from the action to the
    first frame painted with the screen's data: the workspace read and the screen together),
    and a tegn's målinger with a run chart of 100 points (and how many frames after the
    screen's data the chart is painted). Reference: the bare reads the screens call."""
    from datetime import datetime

    try:
        from screens.aarshjul import AarshjulScreen
        from screens.forfald import ForfaldScreen
        from screens.maalinger import MaalingerScreen
        from screens.runchart import RunChartView
    except ImportError as exc:
        return [Row("followup", "Årshjul, forfald og run chart", None, "", note=f"mangler: {exc}")]
    from bench.generate import FOLLOW_UP_DAY
    from models.db import open_database
    from models.workspace import Workspace

    ids = _followup_ids(db_path)
    now = datetime.combine(FOLLOW_UP_DAY, datetime.min.time()).replace(hour=10)
    keys = ("aarshjul", "forfald", "runchart")
    res: dict[str, list[float]] = {k: [] for k in keys}
    refs: dict[str, list[float]] = {k: [] for k in keys}
    late_frames: list[int] = []
    shown: dict[str, int] = {}

    db = open_database(str(db_path))
    try:
        ws = Workspace(db)
        ws.clock = lambda: now
        for _ in range(runs):
            for key, read in (
                ("aarshjul", lambda: ws.aarshjul(FOLLOW_UP_DAY)),
                ("forfald", lambda: ws.forfald()),
                ("runchart", lambda: ws.maalinger(ids["tegn"])),
            ):
                t0 = time.perf_counter()
                data = read()
                refs[key].append(time.perf_counter() - t0)
                assert data is not None
        shown["plans"] = len(ws.aarshjul(FOLLOW_UP_DAY).plans)
        shown["due"] = ws.forfald().matching
        detail = ws.maalinger(ids["tegn"])
        assert detail is not None
        shown["points"] = len(detail.chart.points)
    finally:
        db.close()

    # When the run chart's widget draws its lines (a class-level wrapper: the screen makes
    # its own widget). The frame painted after that moment is the first one showing it.
    drawn: dict[str, float | None] = {"at": None}
    render_line = RunChartView.render_line

    def spied(self: Any, y: int) -> Any:
        strip = render_line(self, y)
        if drawn["at"] is None and self.display and self.size.height and strip.cell_length:
            drawn["at"] = time.perf_counter()
        return strip

    async def session() -> None:
        from tui.app import UdviklingsdagApp

        app = UdviklingsdagApp(db_target=str(db_path), clock=lambda: now)
        async with app.run_test(size=(120, 40)) as pilot:
            await _until(pilot, lambda: app.workspace is not None)
            await app.settle()
            spy = FrameSpy(app)
            try:
                for _ in range(runs):
                    for key, screen_type, open_screen in (
                        ("aarshjul", AarshjulScreen, app.action_aarshjul),
                        ("forfald", ForfaldScreen, app.action_forfald),
                        ("runchart", MaalingerScreen, partial(app.open_maalinger, ids["tegn"])),
                    ):
                        drawn["at"] = None
                        with_data: dict[str, float] = {}

                        def ready(
                            screen_type: type = screen_type, with_data: dict[str, float] = with_data
                        ) -> bool:
                            screen = app.screen
                            if (
                                isinstance(screen, screen_type)
                                and getattr(screen, "data", None) is not None
                            ):
                                with_data.setdefault("at", time.perf_counter())
                                return True
                            return False

                        started = time.perf_counter()
                        res[key].append(await spy.time(open_screen, ready))
                        if key == "runchart":
                            await _until(pilot, lambda: drawn["at"] is not None, 10)
                            await app.settle()
                            await pilot.pause()
                            first = next(f for f in spy.frames if f >= with_data["at"])
                            chart = next(f for f in spy.frames if f >= (drawn["at"] or 0))
                            late_frames.append(sum(1 for f in spy.frames if first < f <= chart))
                            # Until the frame that shows the chart (the same one, or later).
                            res[key][-1] = chart - started
                        await app.settle()
                        app.pop_screen()
                        await app.settle()
                        await pilot.pause()
            finally:
                spy.close()

    RunChartView.render_line = spied  # type: ignore[method-assign]
    try:
        asyncio.run(session())
    finally:
        RunChartView.render_line = render_line  # type: ignore[method-assign]
    rows = []
    for key, what, ref in (
        (
            "aarshjul",
            f"Stor kommune med målinger: åbn årshjulet ({shown['plans']} målplaner)",
            "Workspace.aarshjul()",
        ),
        (
            "forfald",
            f"Stor kommune med målinger: evalueringer der forfalder ({_dotted(shown['due'])})",
            "Workspace.forfald()",
        ),
    ):
        r = Row(
            f"followup_{key}",
            what,
            median(res[key]),
            "ms",
            f"de rå læsninger: {ref}",
            median(refs[key]),
            "højst 300 ms",
            runs=len(res[key]),
            note=f"{FOLLOW_UP_MAALINGER} målinger pr. kvantitativt tegn; i dag = {FOLLOW_UP_DAY}",
        )
        r.ok = median(res[key]) <= 0.300
        rows.append(r)
    worst = max(late_frames) if late_frames else None
    r = Row(
        "followup_runchart",
        f"Run chart med {shown['points']} målinger: fra åbning til kurven er tegnet",
        median(res["runchart"]),
        "ms",
        "de rå læsninger: Workspace.maalinger()",
        median(refs["runchart"]),
        "kurven i samme eller næste billede som skærmens data",
        runs=len(res["runchart"]),
        note=f"kurven tegnet højst {worst} billede(r) efter skærmens data",
    )
    r.ok = worst is not None and worst <= 1
    rows.append(r)
    return rows


def _pg_url() -> str | None:
    url = os.environ.get("UDVIKLINGSDAG_TEST_PG")
    if url:
        return url
    script = ROOT / "tests" / "pg" / "start-server.sh"
    if not script.exists() or not list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
        return None
    out = subprocess.run(["bash", str(script)], capture_output=True, text=True)
    return out.stdout.strip() if out.returncode == 0 else None


def row_merge_pg(workshop: Workshop) -> list[Row]:
    """The 40-file merge on PostgreSQL: a new database, the workshop pack imported first
    (timed as the reference), then the 40 files."""
    url = _pg_url()
    if not url:
        return [
            Row(
                "merge_pg",
                "Flet 40 filer på PostgreSQL",
                None,
                "s",
                note="mangler: ingen PostgreSQL-server ($UDVIKLINGSDAG_TEST_PG eller "
                "tests/pg/start-server.sh)",
            )
        ]
    from sqlalchemy import create_engine, text

    name = f"udv_bench_{os.getpid()}"
    admin = create_engine(
        url.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    target = url.replace("/postgres?", f"/{name}?")
    try:
        from exports.bundle import import_bundles
        from models.db import open_database

        db = open_database(target)
        try:
            t0 = time.perf_counter()
            import_bundles(db, [workshop.pack])
            pack_s = time.perf_counter() - t0
        finally:
            db.close()
        out = subprocess.run(
            [PY, "-m", "bench._merge", target, "", *map(str, workshop.handoffs)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=1800,
        )
        if out.returncode != 0:
            raise RuntimeError(out.stderr[-3000:])
        res = json.loads(out.stdout.strip().splitlines()[-1])
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
    a = Row(
        "merge_pg",
        f"PostgreSQL: flet {len(workshop.handoffs)} filer (første gang)",
        res["fresh"],
        "s",
        "import af workshop-pakken (hele kommunen) på samme server",
        pack_s,
        "højst 5 s (som SQLite)",
        runs=1,
    )
    a.ok = res["fresh"] <= 5
    a.note = f"igen: {res['repeat']:.2f} s; hukommelse {res['peak_rss_mb']:.0f} MB"
    return [a]


def row_sbsys(db_path: Path, folder: Path, count: int) -> list[Row]:
    """SBSYS packages for `count` målplaner, against the bare library calls."""
    from bench import sbsys_bench

    return sbsys_bench.rows(db_path, folder, count) + sbsys_bench.typical_rows(folder, count)


def row_sqlite_export(db_path: Path, folder: Path, runs: int) -> list[Row]:
    """The SQLite export of the large municipality, against SQLite's own backup API."""
    from bench import sbsys_bench

    return sbsys_bench.sqlite_rows(db_path, folder, runs)


# --- the growth run (issue 17) ------------------------------------------------------------------


@dataclass
class Measure:
    """One row of the growth run at one level (1 = today's data)."""

    key: str
    what: str
    level: float
    seconds: float
    peak_mb: float | None  # the measuring process's own peak (VmHWM); None: not measured
    size: str = ""  # what was merged or written, for the reader


def _child(args: list[str], timeout: float = 7200) -> dict[str, Any]:
    """Run `python -m bench._merge ARGS` in a new process; its one JSON line."""
    out = subprocess.run(
        [PY, "-m", "bench._merge", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-3000:])
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def growth_folder(scale: float, tables: int, laptops: int, entries: int, usual: int) -> Path:
    """Where a growth shape is cached: the default run's folder for its own shape (so 1x
    reuses its data), a folder of its own for every other."""
    from bench.generate import DEFAULT_LAPTOPS, DEFAULT_TABLES

    folder = cache_dir(scale)
    if (tables, laptops, entries) == (DEFAULT_TABLES, DEFAULT_LAPTOPS, usual):
        return folder
    return folder.with_name(f"{folder.name}-borde{tables}-baerbare{laptops}-poster{entries}")


SHAPES = ("many", "big")


def growth_data(
    level: float, base: float, entries: int, log: Any, shapes: Sequence[str] = SHAPES
) -> dict[str, Workshop]:
    """The two workshops of one level: many files (40 x level laptops at as many borde, the
    usual entries each) and big files (40 laptops, entries x level each), both in a
    municipality of `base` x level (with 120 x that many målplaner); only those of `shapes`.
    At level 1 they are the same workshop, the default run's."""
    from bench.generate import DEFAULT_LAPTOPS, DEFAULT_TABLES, make_workshop

    scale = round(base * level, 6)
    tables = round(DEFAULT_TABLES * level)
    big_entries = round(entries * level)
    out: dict[str, Workshop] = {}
    if "many" in shapes:
        log(f"{level:g}x: mange filer ({tables} x {entries}) ...")
        out["many"] = make_workshop(
            growth_folder(scale, tables, tables, entries, entries),
            scale=scale,
            tables=tables,
            laptops=tables,
            entries_per_laptop=entries,
            log=log,
        )
    if "big" in shapes:
        log(f"{level:g}x: store filer ({DEFAULT_LAPTOPS} x {big_entries}) ...")
        out["big"] = make_workshop(
            growth_folder(scale, DEFAULT_TABLES, DEFAULT_LAPTOPS, big_entries, entries),
            scale=scale,
            entries_per_laptop=big_entries,
            log=log,
        )
    return out


def growth_level(
    level: float, data: dict[str, Workshop], folder: Path, runs: int = 3, sbsys: bool = True
) -> list[Measure]:
    """Every growth row at one level for the shapes in `data`, one run each, each in its own
    process (the SBSYS export only with `sbsys`: at 10x it takes over ten minutes)."""
    out: list[Measure] = []
    merged: dict[Path, list[Measure]] = {}
    for shape, label in (("many", "mange filer"), ("big", "store filer")):
        if shape not in data:
            continue
        ws = data[shape]
        if ws.folder in merged:  # at 1x both shapes are the same workshop: measured once
            out += [Measure(**{**asdict(m), "key": m.key.replace("many", shape),
                               "what": m.what.replace("mange filer", label)})
                    for m in merged[ws.folder]]  # fmt: skip
            continue
        target = folder / f"growth-merge-{shape}.db"
        try:
            res = _child([str(target), str(ws.base_db), *map(str, ws.handoffs)])
        finally:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{target}{suffix}").unlink(missing_ok=True)
        received = f"{res['received']:,}".replace(",", ".")
        size = f"{len(ws.handoffs)} filer, {received} ændringer"
        rows = [
            Measure(f"merge_{shape}", f"Flet {label} (første gang)", level, res["fresh"],
                    res["peak_rss_mb"], size),
            Measure(f"merge_{shape}_repeat", f"Flet {label} igen (alt kendt)", level,
                    res["repeat"], None, size),
            Measure(f"merge_{shape}_floor", f"Kun læse og kontrollere {label} (gulvet)", level,
                    _read_all(ws.handoffs), None, size),
        ]  # fmt: skip
        merged[ws.folder] = rows
        out += rows
    db = (data.get("big") or data["many"]).base_db
    export = folder / "growth-eksport.sqlite"
    res = _child(["--export", "sqlite", str(db), str(export)])
    export.unlink(missing_ok=True)
    out.append(
        Measure("sqlite_export", "SQLite-eksport af hele kommunen", level, res["seconds"],
                res["peak_rss_mb"], f"{res['rows']:,} rækker".replace(",", "."))
    )  # fmt: skip
    if sbsys:
        packages = folder / "growth-sbsys"
        res = _child(["--export", "sbsys", str(db), str(packages)])
        shutil.rmtree(packages, ignore_errors=True)
        out.append(
            Measure("sbsys", "SBSYS-pakker for alle målplaner (hovedprocessen)", level,
                    res["seconds"], res["peak_rss_mb"], f"{res['maalplaner']} målplaner")
        )  # fmt: skip
    return out + growth_screens(db, folder, level, runs)


def growth_screens(db: Path, folder: Path, level: float, runs: int = 3) -> list[Measure]:
    """The large municipality's screen rows (`row_large`, in the real screens) and the cold
    start (`row_cold_start`: the app's first screen ready for input beside a minimal Textual
    app, side by side) on a copy of the level's database."""
    from bench.generate import copy_sqlite

    copy = folder / f"growth-skaerme-{level:g}.db"
    copy_sqlite(db, copy)
    try:
        out = [
            Measure(row.key, row.what, level, row.value or 0.0, None, row.reference)
            for row in row_large(copy, runs)
        ]
        cold = row_cold_start(copy, runs)[0]
        ratio = f"{cold.ratio:.2f}" if cold.ratio is not None else "-"
        out.append(
            Measure("cold_start", "Kold start til forsiden, klar til taster", level,
                    cold.value or 0.0, None,
                    f"minimal app {cold.ref_value or 0:.2f} s, forhold {ratio}")
        )  # fmt: skip
        return out
    finally:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{copy}{suffix}").unlink(missing_ok=True)


def _ratio(a: float | None, b: float | None) -> str:
    return f"{b / a:.2f}x" if a and b is not None else "-"


def render_growth(measures: list[Measure], scale: float) -> str:
    """The growth table: each row at 1x and at `scale`, with its ratio to 1x."""
    n = f"{scale:g}x"
    lines = [
        f"{'række':<50} {'1x tid':>9} {n + ' tid':>9} {'forhold':>8} "
        f"{'1x MB':>7} {n + ' MB':>7} {'forhold':>8}  1x → {n}",
        "-" * 140,
    ]
    one = {m.key: m for m in measures if m.level == 1}
    for m in measures:
        if m.level == 1 or m.key not in one:
            continue
        a = one[m.key]
        mb_a = f"{a.peak_mb:.0f}" if a.peak_mb is not None else "-"
        mb_b = f"{m.peak_mb:.0f}" if m.peak_mb is not None else "-"
        lines.append(
            f"{m.what[:50]:<50} {_fmt(a.seconds, 's'):>9} {_fmt(m.seconds, 's'):>9} "
            f"{_ratio(a.seconds, m.seconds):>8} {mb_a:>7} {mb_b:>7} "
            f"{_ratio(a.peak_mb, m.peak_mb):>8}  {a.size} → {m.size}"
        )
    lines += ["", "Tid og hukommelse er hver rækkes egen proces (VmHWM); 1 kørsel pr. række."]
    return "\n".join(lines)


def growth_main(
    scale: float,
    quick: bool,
    write_json: bool,
    *,
    base: float | None = None,
    entries: int | None = None,
    runs: int = 3,
    shapes: Sequence[str] = SHAPES,
    sbsys: bool = True,
) -> int:
    """The growth run: data for 1x and `scale` (made or reused), then every row at both.
    `base` and `entries` (1x's scale and entries per file) and `runs` (of the screen rows and
    the cold start) are for the tests' tiny runs; `shapes` and `sbsys` leave out the big files
    or the SBSYS export (`--shapes`, `--uden-sbsys`: the ten-times data of each shape takes
    most of an hour to make)."""
    from bench.generate import DEFAULT_ENTRIES

    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    if base is None:
        base = 0.1 if quick else 1.0
    if entries is None:
        entries = 200 if quick else DEFAULT_ENTRIES

    def log(*a: Any) -> None:
        print(*a, file=sys.stderr, flush=True)

    measures: list[Measure] = []
    made: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="udviklingsdag-growth-") as tmp:
        for level in (1.0, scale):
            data = growth_data(level, base, entries, log, shapes)
            made[f"{level:g}x"] = {
                shape: {"folder": str(ws.folder), "files": len(ws.handoffs),
                        "entries": ws.entries, "seconds": ws.seconds}
                for shape, ws in data.items()
            }  # fmt: skip
            log(f"måler {level:g}x ...")
            measures += growth_level(level, data, Path(tmp), runs, sbsys)
    print(render_growth(measures, scale))
    command = (
        "python -m bench.run"
        + (" --quick" if quick else "")
        + f" --scale {scale:g}"
        + (f" --shapes {','.join(shapes)}" if tuple(shapes) != SHAPES else "")
        + ("" if sbsys else " --uden-sbsys")
    )
    info = {
        "command": command,
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": machine(),
        "scale": scale,
        "base_scale": base,
        "runs": 1,
        "data": made,
        "rows": [asdict(m) for m in measures],
    }
    if write_json:
        GROWTH.write_text(json.dumps(info, ensure_ascii=False, indent=1) + "\n")
        print(f"\nTallene er skrevet i {GROWTH.relative_to(ROOT)}.")
    return 0


# --- the table --------------------------------------------------------------------------------


def render(rows: list[Row]) -> str:
    lines = [
        f"{'række':<62} {'median':>11} {'reference':>11} {'forhold':>8}  {'mål':<30} ok",
        "-" * 132,
    ]
    for r in rows:
        if r.value is None:
            lines.append(f"{r.what:<62} {r.note}")
            continue
        ratio = f"{r.ratio:.2f}x" if r.ratio is not None else "-"
        ok = {True: "ja", False: "NEJ", None: "?"}[r.ok]
        lines.append(
            f"{r.what[:62]:<62} {_fmt(r.value, r.unit):>11} {_fmt(r.ref_value, r.unit):>11} "
            f"{ratio:>8}  {r.target[:30]:<30} {ok}"
        )
    lines.append("")
    lines.append("Referencer:")
    for r in rows:
        if r.value is not None:
            extra = f"  ({r.note})" if r.note else ""
            lines.append(f"  {r.key}: {r.reference}; {r.runs} kørsler{extra}")
    return "\n".join(lines)


def markdown(rows: list[Row], info: dict[str, Any]) -> str:
    """The figures as a Markdown table, with the machine and the command."""
    m = info["machine"]
    out = [
        f"Målt {info['when']} med `{info['command']}` på {m['nproc']} kerner "
        f"({m['cpu']}), {m['ram_gib']} GiB RAM; Python {m['python']}, SQLite {m['sqlite']}, "
        f"Textual {m['textual']}, SQLAlchemy {m['sqlalchemy']}.",
        "",
        "| række | median | reference | forhold | mål | nået |",
        "|---|---:|---:|---:|---|---|",
    ]
    for r in rows:
        if r.value is None:
            out.append(f"| {r.what} | {r.note} | | | | |")
            continue
        ratio = f"{r.ratio:.2f}x" if r.ratio is not None else "-"
        ok = {True: "ja", False: "**nej**", None: "?"}[r.ok]
        out.append(
            f"| {r.what} | {_fmt(r.value, r.unit)} | {_fmt(r.ref_value, r.unit)} | {ratio} "
            f"| {r.target} | {ok} |"
        )
    out += ["", "Referencerne (målt i samme kørsel):", ""]
    for r in rows:
        if r.value is not None:
            extra = f" ({r.note})" if r.note else ""
            out.append(f"- `{r.key}`: {r.reference}; {r.runs} kørsler{extra}")
    return "\n".join(out)


def update_doc(text: str) -> bool:
    """Put the figures between the markers in docs/benchmark.md (if the file has them)."""
    if not DOC.exists():
        return False
    doc = DOC.read_text("utf-8")
    if START not in doc or END not in doc:
        return False
    head, rest = doc.split(START, 1)
    _old, tail = rest.split(END, 1)
    DOC.write_text(f"{head}{START}\n{text}\n{END}{tail}", "utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Benchmark af udviklingsdag (issue 6).")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="en tiendedel af data og færre gentagelser (kun røgtest)",
    )
    parser.add_argument("--only", default="", help="kommasepareret liste af rækker")
    parser.add_argument("--no-json", action="store_true", help="skriv ikke bench/results.json")
    parser.add_argument(
        "--doc-only",
        action="store_true",
        help="mål intet; skriv tallene fra bench/results.json ind i docs/benchmark.md",
    )
    parser.add_argument(
        "--scale",
        type=float,
        default=None,
        metavar="N",
        help="vækstkørsel: mål fletning og eksport ved 1x og N x data (skriver bench/growth.json)",
    )
    parser.add_argument(
        "--shapes",
        default=",".join(SHAPES),
        help="vækstkørslens filer: many (mange filer), big (store filer) eller begge",
    )
    parser.add_argument(
        "--uden-sbsys", action="store_true", help="vækstkørslen uden SBSYS-eksporten"
    )
    args = parser.parse_args(argv)
    if args.scale is not None:
        if not args.scale > 1:
            parser.error(f"--scale skal være større end 1 (fik {args.scale:g})")
        if args.only or args.doc_only:
            parser.error("--scale kan ikke kombineres med --only eller --doc-only")
        shapes = tuple(x.strip() for x in args.shapes.split(",") if x.strip())
        if not shapes or set(shapes) - set(SHAPES):
            parser.error(f"--shapes skal være many, big eller many,big (fik {args.shapes!r})")
        return growth_main(
            args.scale, args.quick, not args.no_json, shapes=shapes, sbsys=not args.uden_sbsys
        )
    if args.doc_only:
        saved = json.loads(RESULTS.read_text("utf-8"))
        fields = set(Row.__dataclass_fields__)
        kept = [Row(**{k: v for k, v in r.items() if k in fields}) for r in saved["rows"]]
        print(markdown(kept, saved))
        return 0 if update_doc(markdown(kept, saved)) else 1
    os.chdir(ROOT)
    sys.path.insert(0, str(ROOT))
    # The measured processes load the app's modules as an installed app does, from bytecode
    # compiled once (by the first run that imports them), whatever the shell says: with
    # PYTHONDONTWRITEBYTECODE set, as on this project's machines, every run compiled again
    # each module it first imported while it was timed (the exports' own modules, imported
    # when an export starts). "0" turns the setting off for the processes started from here.
    os.environ["PYTHONDONTWRITEBYTECODE"] = "0"
    sys.dont_write_bytecode = False
    quick = args.quick
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    scale = 0.1 if quick else 1.0
    reps = 3 if quick else 7

    def want(name: str) -> bool:
        return not only or name in only

    from bench.generate import make_workshop

    def log(*a: Any) -> None:
        print(*a, file=sys.stderr, flush=True)

    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="udviklingsdag-bench-") as tmp:
        folder = Path(tmp)
        demo = demo_db(folder)
        workshop = None
        if want("merge") or want("large") or want("sbsys") or want("sqlite") or want("pg"):
            log("Laver data (genbruges næste gang) ...")
            workshop = make_workshop(
                cache_dir(scale), scale=scale, entries_per_laptop=200 if quick else 2000, log=log
            )
        steps: list[tuple[str, Callable[[], list[Row]]]] = [
            ("cold", lambda: row_cold_start(demo, reps)),
            ("edit", lambda: row_durable_edit(folder, demo, 100 if quick else 500)),
            ("keypress", lambda: row_keypress(folder, demo, 2 if quick else 5)),
        ]
        if workshop is not None:
            large = folder / "large.db"
            steps += [
                (
                    "large",
                    lambda: (shutil.copy(workshop.base_db, large), row_large(large, reps))[1],
                ),
                ("merge", lambda: row_merge(workshop, folder, 1 if quick else 3)),
                ("pg", lambda: [] if quick else row_merge_pg(workshop)),
                ("sbsys", lambda: row_sbsys(workshop.base_db, folder, 10 if quick else 100)),
                ("sqlite", lambda: row_sqlite_export(workshop.base_db, folder, 2 if quick else 5)),
            ]
        followup = None
        if want("maalinger") or want("followup") or want("documents"):
            log(f"Laver data med {FOLLOW_UP_MAALINGER} målinger pr. tegn (genbruges) ...")
            followup = make_workshop(
                followup_cache(scale),
                scale=scale,
                entries_per_laptop=200 if quick else 2000,
                maalinger=FOLLOW_UP_MAALINGER,
                log=log,
            )
            data = followup
            followup_db = folder / "followup.db"
            steps += [
                ("maalinger", lambda: row_merge_maalinger(data, folder, 1 if quick else 3)),
                (
                    "followup",
                    lambda: (
                        shutil.copy(data.base_db, followup_db),
                        row_followup(followup_db, reps),
                    )[1],
                ),
                ("documents", lambda: row_documents(data.base_db, folder, 1 if quick else 3)),
            ]
        for name, step in steps:
            if not want(name):
                continue
            log(f"måler {name} ...")
            try:
                rows.extend(step())
            except Exception as exc:  # a broken row must not hide the others
                rows.append(Row(name, name, None, "", note=f"mangler: fejl {exc!r}"[:300]))
        if workshop is not None:
            log(f"data lavet på: {workshop.seconds}")
        if followup is not None:
            log(f"data med målinger lavet på: {followup.seconds}")
    table = render(rows)
    print(table)
    info = {
        "command": "python -m bench.run" + (" --quick" if quick else ""),
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": machine(),
        "quick": quick,
        "peak_rss_mb_runner": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "rows": [{**asdict(r), "ratio": r.ratio} for r in rows],
        "data_seconds": workshop.seconds if workshop is not None else {},
    }
    if not args.no_json:
        RESULTS.write_text(json.dumps(info, ensure_ascii=False, indent=1) + "\n")
        if not quick and not only and update_doc(markdown(rows, info)):
            print(f"\nTallene er skrevet i {DOC.relative_to(ROOT)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
