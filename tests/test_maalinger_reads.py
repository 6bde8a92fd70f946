"""The målinger of one tegn as the screen reads them (issue 15): the tegn, its mål's text, its
live målinger newest first, the prøvehandlinger that follow it and its run chart (points in
date order, median, udgangspunkt and forventet niveau read from «45 %» and «60 %», the
periods); and the run chart laid out in cells by `screens.runchart`."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from models.db import open_database
from models.workspace import Workspace
from tests.maalinger_data import VALUES, add_maalinger
from tests.tui.helpers import build_small


@pytest.fixture
def world(tmp_path: Path) -> Any:
    path = tmp_path / "r.db"
    ids = add_maalinger(path, build_small(path))
    db = open_database(str(path))
    yield Workspace(db), ids
    db.close()


def test_reads_one_tegn(world: Any) -> None:
    ws, ids = world
    data = ws.maalinger(ids["tegn_k"])
    assert data is not None
    assert data.tegn.id == ids["tegn_k"] and data.tegn.type == "kvantitativ"
    assert data.maal_tekst == "Alle elever har en voksen, de kan gå til."
    dates = [m.dato for m in data.maalinger]
    assert dates == sorted(dates, reverse=True) and len(dates) == len(VALUES)
    assert data.maalinger[0].vaerdi == VALUES[-1] and data.maalinger[0].hvem == "Anne Holm"
    # Only the prøvehandlinger that follow the tegn, in the mål's order.
    assert [p.id for p in data.proevehandlinger] == [ids["p1"], ids["p2"]]


def test_run_chart_content(world: Any) -> None:
    ws, ids = world
    chart = ws.maalinger(ids["tegn_k"]).chart
    assert [p.vaerdi for p in chart.points] == list(VALUES)  # date order
    assert chart.points[0].dato == date(2026, 1, 5)
    assert chart.median == sorted(VALUES)[5] / 2 + sorted(VALUES)[6] / 2
    assert (chart.baseline, chart.baseline_text) == (45.0, "45 %")
    assert (chart.target, chart.target_text) == (60.0, "60 %")
    periods = {p.proevehandling_id: (p.start, p.slut) for p in chart.periods}
    assert periods == {
        ids["p1"]: (date(2026, 2, 1), date(2026, 3, 31)),
        ids["p2"]: (date(2026, 4, 15), None),
    }


def test_deleted_maaling_and_gone_tegn(world: Any) -> None:
    ws, ids = world
    newest = ws.maalinger(ids["tegn_k"]).maalinger[0]
    ws.delete("maaling", newest.id)
    data = ws.maalinger(ids["tegn_k"])
    assert newest.id not in {m.id for m in data.maalinger}
    assert len(data.chart.points) == len(VALUES) - 1
    ws.delete("tegn", ids["tegn_tom"])
    assert ws.maalinger(ids["tegn_tom"]) is None
    assert ws.maalinger("no-such-tegn") is None


def test_kvalitativ_observation(world: Any) -> None:
    ws, ids = world
    data = ws.maalinger(ids["tegn_q"])
    assert data.tegn.type == "kvalitativ"
    assert data.maalinger[0].observation.startswith("Tre elever fra 4.b")
    assert data.chart.points == ()  # an observation is not a point


def test_layout_draws_lines_labels_and_periods(world: Any) -> None:
    from screens.runchart import POINT, TARGET, layout, time_ticks

    ws, ids = world
    chart = ws.maalinger(ids["tegn_k"]).chart
    drawn = layout(chart, 80, 12)
    assert drawn is not None and len(drawn.rows) == 12
    assert all(len(row) == 80 for row in drawn.rows)
    text = ["".join(c for c, _p in row) for row in drawn.rows]
    assert sum(line.count(POINT) for line in text) == len(VALUES)
    assert any("Forventet 60" in line and TARGET in line for line in text)
    assert any("Udgangspunkt 45" in line for line in text)
    assert any("Median 47,75" in line for line in text)
    assert any("├ 1 Fast voksen" in line for line in text)
    assert any("2 Legepatruljer" in line and line.rstrip().endswith("►") for line in text)
    # Six points rising from the sixth (a trend): drawn as a signal.
    assert chart.trends == ((5, 10),) and chart.shifts == ()
    parts = [p for row in drawn.rows for c, p in row if c == POINT]
    assert parts.count("signal") == 6 and parts.count("point") == len(VALUES) - 6
    # Only characters every Windows console font has (no braille, no quadrant blocks).
    used = {c for line in text for c in line}
    assert not {c for c in used if 0x2800 <= ord(c) <= 0x28FF or 0x2596 <= ord(c) <= 0x259F}
    # Danish months, a year where it starts.
    labels = [label for _d, label in time_ticks(date(2025, 11, 1), date(2026, 6, 1), 60)]
    assert labels == ["nov 25", "dec", "jan 26", "feb", "mar", "apr", "maj", "jun"]


def test_layout_needs_two_points_and_room(world: Any) -> None:
    from screens.runchart import layout

    ws, ids = world
    assert layout(ws.maalinger(ids["tegn_tom"]).chart, 80, 12) is None
    assert layout(ws.maalinger(ids["tegn_k"]).chart, 80, 3) is None  # too low to draw
    assert layout(ws.maalinger(ids["tegn_k"]).chart, 10, 12) is None  # too narrow


def test_layout_shows_hostile_text_as_typed() -> None:
    from models.records import Maaling, Proevehandling, Tegn
    from models.runchart import run_chart
    from screens.runchart import layout

    tegn = Tegn("t", "m", "[bold]x[/]", "kvantitativ", None, "5", "9")
    maalinger = [
        Maaling(f"x{i}", "t", date(2026, 1, 1 + i), float(i), None, None, None) for i in range(5)
    ]
    hostile = Proevehandling(
        "p",
        "m",
        "[red]\x1b[2Jslet[/]",
        None,
        None,
        date(2026, 1, 2),
        date(2026, 1, 4),
        False,
        None,
        None,
        None,
        ("t",),
        0,
    )
    drawn = layout(run_chart(tegn, maalinger, [hostile]), 80, 12)
    assert drawn is not None
    text = "".join(c for row in drawn.rows for c, _p in row)
    assert "\x1b" not in text and "[red]" in text


def test_layout_never_fails_on_odd_data() -> None:
    """Flat values, one day, huge and negative numbers, periods ending before they start,
    many overlapping periods and tiny sizes: a layout (or None), never an error."""
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from models.records import Maaling, Proevehandling, Tegn
    from models.runchart import run_chart
    from screens.runchart import layout

    days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
    values = st.floats(min_value=-1e12, max_value=1e12, allow_nan=False)
    period = st.tuples(st.none() | days, st.none() | days)

    @settings(max_examples=150, deadline=None)
    @given(
        st.lists(st.tuples(days, values), min_size=2, max_size=40),
        st.lists(period, max_size=5),
        st.integers(min_value=1, max_value=160),
        st.integers(min_value=1, max_value=40),
        st.none() | st.sampled_from(["45 %", "-3", "1.000.000", "ingen"]),
    )
    def check(points, periods, width, height, baseline) -> None:
        tegn = Tegn("t", "m", "T", "kvantitativ", None, baseline, "ca. 60")
        maalinger = [
            Maaling(f"x{i}", "t", d, v, None, None, None) for i, (d, v) in enumerate(points)
        ]
        proevehandlinger = [
            Proevehandling(
                f"p{i}", "m", f"P{i}", None, None, s, e, False, None, None, None, ("t",), 0
            )
            for i, (s, e) in enumerate(periods)
        ]
        drawn = layout(run_chart(tegn, maalinger, proevehandlinger), width, height)
        if drawn is not None:
            assert len(drawn.rows) == height
            assert all(len(row) == width for row in drawn.rows)

    check()
