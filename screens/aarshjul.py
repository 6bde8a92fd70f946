"""The årshjul: the plan year's fixed points as a band on top (passed ones ticked, today and the
next one marked), and below it every målplan with its phase, what is due next and how much it
holds. Typing filters the table, F4 changes the order, Enter shows one plan's year
(`AarshjulPlanScreen`) with its prøvehandlinger and tegn and the ways on to the follow-up
screens (evalueringer, målinger, læring, the overdue overview)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.coordinate import Coordinate
from textual.screen import Screen
from textual.widgets import Button, DataTable, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from models import enums
from models.nyt_aar import Forbindelser
from models.records import (
    Aarshjul,
    AarshjulPlan,
    AarshjulPlanDetail,
    Due,
    FixedPoint,
    PlanTask,
    PlanYear,
    ProevehandlingYear,
    TegnYear,
)
from models.schema import format_decimal
from models.words import count
from screens import texts
from screens.base import host
from screens.nyt_aar import link_lines
from screens.widgets import AppFooter, PagedOptionList, StyledOnce, TopBar, plain, type_ahead

if TYPE_CHECKING:
    from models.workspace import Workspace

PHASE_ORDER = {key: n for n, key in enumerate(texts.AARSHJUL_PHASES)}
SORTS = tuple(texts.AARSHJUL_SORTS)
GROUP = "group:"  # row keys of the afdeling headings
MAX_WIDTH = {"enhed": 24, "naeste": 36, "afdeling": 30}  # cells beyond are cut


def short_date(value: date) -> str:
    """«3. dec.» (the band)."""
    return f"{value.day}. {texts.AARSHJUL_MONTHS[value.month - 1]}"


def full_date(value: date | None) -> str:
    """«3.12.2026» (as the home screen writes a day's date)."""
    if value is None:
        return texts.NO_DATE
    return f"{value.day}.{value.month}.{value.year}"


def today_of(node: Any) -> date:
    """Today by the App's clock (a fixed one in tests)."""
    return host(node).clock().date()


# --- the band of fixed points ---------------------------------------------------------------


def band_items(year: PlanYear, today: date) -> list[Text]:
    """The band's pieces in order: each fixed point, and today where it falls."""
    items: list[Text] = []
    today_shown = False
    for point in year.points:
        if not today_shown and not point.passed:
            items.append(Text(texts.AARSHJUL_TODAY.format(dato=short_date(today)), style="bold"))
            today_shown = True
        items.append(point_text(point, is_next=point.key == year.next_key))
    if not today_shown:
        items.append(Text(texts.AARSHJUL_TODAY.format(dato=short_date(today)), style="bold"))
    return items


def point_text(point: FixedPoint, *, is_next: bool) -> Text:
    """«✓ 28. nov. Lederdag», «▶ ca. 1. mar. Start»."""
    mark = "✓ " if point.passed else ("▶ " if is_next else "")
    when = short_date(point.dato)
    if point.slut != point.dato:
        when = f"{point.dato.day}.-{short_date(point.slut)}"
    if not point.from_data:
        when = f"{texts.AARSHJUL_USUAL} {when}"
    style = "dim" if point.passed else ("bold reverse" if is_next else "")
    return Text(f"{mark}{when} {texts.AARSHJUL_POINTS[point.key][0]}", style=style)


def pack(items: list[Text], width: int, gap: str = "  ") -> Text:
    """The items on lines of at most `width` cells, never breaking inside an item."""
    out = Text()
    line = 0
    for item in items:
        size = item.cell_len
        if line and line + len(gap) + size > width:
            out.append("\n")
            line = 0
        elif line:
            out.append(gap)
            line += len(gap)
        out.append_text(item)
        line += size
    return out


# --- the table --------------------------------------------------------------------------------


def due_text(due: Due | None) -> str:
    """What is due next, in words."""
    if due is None:
        return texts.AARSHJUL_NOTHING_DUE
    if due.key == "evaluering" and due.overdue:
        if due.count == 1:
            return texts.AARSHJUL_TASKS["evaluering_forfalden_1"]
        return texts.AARSHJUL_TASKS["evaluering_forfalden"].format(n=due.count)
    return texts.AARSHJUL_TASKS[due.key].format(n=due.count)


def due_date(due: Due | None) -> Text:
    if due is None:
        return Text("")
    shown = full_date(due.dato)
    if due.overdue:
        return Text(f"! {shown}", style="bold red")
    return Text(shown)


def sheets_done(plan: AarshjulPlan) -> int:
    states = (plan.status_foer, plan.status_del1, plan.status_del2, plan.status_efter)
    return sum(1 for s in states if s in ("udfyldt", "godkendt"))


def plan_cells(plan: AarshjulPlan) -> tuple[Text, ...]:
    """One plan's row, in the order of `texts.AARSHJUL_COLUMNS`."""
    ph = plan.proevehandlinger
    evals = Text("")
    if plan.evalueringer_forfaldne:
        n = plan.evalueringer_forfaldne
        evals = Text(
            texts.AARSHJUL_EVAL_OVERDUE_1 if n == 1 else texts.AARSHJUL_EVAL_OVERDUE.format(n=n),
            style="bold red",
        )
    elif plan.evalueringer_snart:
        evals = Text(texts.AARSHJUL_EVAL_SOON.format(n=plan.evalueringer_snart), style="yellow")
    maalinger = str(plan.maalinger)
    if plan.seneste_maaling is not None:
        maalinger = texts.AARSHJUL_MAALINGER_CELL.format(
            n=plan.maalinger, dato=full_date(plan.seneste_maaling)
        )
    return (
        plain(plan.enhed_navn or plan.titel),
        Text(texts.AARSHJUL_PHASES[plan.phase]),
        Text(
            due_text(plan.naeste),
            style="bold red" if plan.naeste is not None and plan.naeste.overdue else "",
        ),
        due_date(plan.naeste),
        Text(str(plan.maal), justify="right"),
        Text(str(plan.tegn), justify="right"),
        Text(
            texts.AARSHJUL_PH_CELL.format(total=ph.total, i_gang=ph.i_gang, afsluttet=ph.afsluttet)
            if ph.total
            else "0"
        ),
        Text(maalinger),
        evals,
        Text(str(plan.laeringer), justify="right"),
        Text(texts.AARSHJUL_SHEETS_CELL.format(n=sheets_done(plan))),
        plain(plan.afdeling_navn),
        Text(str(plan.aar or "")),
    )


def matches(plan: AarshjulPlan, words: list[str]) -> bool:
    """Whether every typed word is in the plan's enhed, afdeling, title, phase or next task."""
    hay = " ".join(
        [
            plan.enhed_navn,
            plan.afdeling_navn,
            plan.titel,
            str(plan.aar or ""),
            texts.AARSHJUL_PHASES[plan.phase],
            due_text(plan.naeste),
        ]
    ).casefold()
    return all(w in hay for w in words)


def sort_key(sort: str) -> Callable[[AarshjulPlan], tuple[Any, ...]]:
    """The order of the table for each choice of `texts.AARSHJUL_SORTS`."""
    far = date.max
    if sort == "naeste":
        return lambda p: (
            p.naeste.dato if p.naeste else far,
            p.enhed_navn.casefold(),
            p.id,
        )
    if sort == "fase":
        return lambda p: (PHASE_ORDER[p.phase], p.enhed_navn.casefold(), p.id)
    return lambda p: (-(p.aar or 0), p.afdeling_navn.casefold(), p.enhed_navn.casefold(), p.id)


class AarshjulScreen(StyledOnce, Screen[None]):
    """Every målplan in its year."""

    HELP_KEY = "aarshjul"
    BINDINGS = [
        Binding("escape", "back", texts.B_BACK[0], tooltip=texts.B_BACK[1], id="aarshjul.back"),
        Binding(
            "f4",
            "sort",
            texts.B_AARSHJUL_SORT[0],
            tooltip=texts.B_AARSHJUL_SORT[1],
            id="aarshjul.sort",
        ),
        Binding(
            "slash",
            "filter",
            texts.B_FILTER[0],
            tooltip=texts.B_FILTER[1],
            id="aarshjul.filter",
            show=False,
        ),
        # The year's documents and next year (issue 16): function keys, as letters filter.
        Binding(
            "f7",
            "app.nyt_aar",
            texts.B_AARSHJUL_NYT_AAR[0],
            tooltip=texts.B_AARSHJUL_NYT_AAR[1],
            id="aarshjul.nyt_aar",
        ),
        Binding(
            "f8",
            "app.augustrapport",
            texts.B_AARSHJUL_AUGUST[0],
            tooltip=texts.B_AARSHJUL_AUGUST[1],
            id="aarshjul.augustrapport",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: Aarshjul | None = None
        self.sort = SORTS[0]
        self._cells: dict[str, tuple[Text, ...]] = {}
        self._shown: list[str] = []
        self._resumed = False
        self._reopened = False
        self._ready = False  # mounted: the widgets are there to show the data in
        self._widths: dict[str, int] | None = None  # the columns' widths now

    def compose(self) -> ComposeResult:
        # The read starts now, so the database works while the screen is built and styled.
        self._waiting: Aarshjul | None = None
        self.reload()
        yield TopBar(texts.AARSHJUL_TITLE)
        yield Static(Text(texts.AARSHJUL_LOADING, style="italic"), id="aarshjul-band")
        yield Static(texts.AARSHJUL_LEGEND, id="aarshjul-legend", classes="muted", markup=False)
        with Horizontal(id="aarshjul-tools"):
            yield Input(
                placeholder=texts.AARSHJUL_FILTER_PLACEHOLDER,
                id="aarshjul-filter",
                select_on_focus=False,
            )
            yield Button(texts.AARSHJUL_SORTS[self.sort], id="aarshjul-sort")
        table: DataTable[Text] = DataTable(
            id="aarshjul-table", cursor_type="row", zebra_stripes=True, fixed_columns=1
        )
        yield table
        yield Static("", id="aarshjul-count", classes="muted")
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#aarshjul-table", DataTable).focus()  # its columns come with the data
        self._ready = True
        if self._waiting is not None:
            self._show(self._waiting)

    def on_screen_resume(self) -> None:
        # The first resume comes with the push (the read is under way), as does the one after
        # `reopen`; the others are returns from a plan's year: read again.
        if self._resumed and not self._reopened:
            self.reload()
        self._resumed = True
        self._reopened = False

    def reopen(self) -> None:
        """Opened again (the app keeps this screen): read the year again; `data` is None
        until the new read is shown (what is on screen until then is the older one)."""
        self.data = None
        self._reopened = True
        self.reload()

    def reload(self) -> None:
        today = today_of(self)
        host(self).read(lambda ws: ws.aarshjul(today), done=self._show)

    def _show(self, data: Aarshjul) -> None:
        if not self._ready:
            self._waiting = data  # shown by on_mount
            return
        self._waiting = None
        self.data = data
        self._cells = {p.id: plan_cells(p) for p in data.plans}
        self._shown = []
        widths: dict[str, int] = {}
        for cells in self._cells.values():
            for (key, _label), cell in zip(texts.AARSHJUL_COLUMNS, cells, strict=True):
                widths[key] = max(widths.get(key, 0), cell.cell_len)
        headings = [len(p.afdeling_navn) for p in data.plans]
        widths["enhed"] = max([widths.get("enhed", 0), *headings])
        if widths != self._widths:
            self._widths = widths
            self._columns(widths)
        self.show_band()
        self.render_table()

    def _columns(self, widths: dict[str, int]) -> None:
        """(Re)make the table's columns as wide as their widest cell (of every plan, so they
        keep their width while the filter narrows the rows): set here, not measured by the
        table after the frame, so the first frame is already the right one."""
        table = self.query_one("#aarshjul-table", DataTable)
        table.clear(columns=True)
        for key, label in texts.AARSHJUL_COLUMNS:
            width = max(len(label), widths.get(key, 0))
            table.add_column(label, key=key, width=min(width, MAX_WIDTH.get(key, width)))

    # --- the band -------------------------------------------------------------------------

    def show_band(self) -> None:
        band = self.query_one("#aarshjul-band", Static)
        if self.data is None:
            return
        year = self.data.year(self.data.shown_year)
        if year is None:  # pragma: no cover - the read always includes the shown year
            return
        self.query_one(TopBar).set_title(texts.AARSHJUL_TITLE_YEAR.format(aar=year.aar))
        width = max(20, band.size.width or self.size.width - 2)
        band.update(pack(band_items(year, self.data.today), width))

    def on_resize(self, _event: events.Resize) -> None:
        self.call_after_refresh(self.show_band)

    # --- the table ------------------------------------------------------------------------

    def render_table(self) -> None:
        """Fill the table with the plans that pass the filter, in the chosen order."""
        if self.data is None:
            return
        table = self.query_one("#aarshjul-table", DataTable)
        query = self.query_one("#aarshjul-filter", Input).value
        words = query.casefold().split()
        plans = sorted(
            (p for p in self.data.plans if not words or matches(p, words)),
            key=sort_key(self.sort),
        )
        rows: list[tuple[str, tuple[Text, ...]]] = []
        several_years = len({p.aar for p in self.data.plans}) > 1
        group: str | None = None
        year: int | None = None
        blank = tuple(Text("") for _ in texts.AARSHJUL_COLUMNS[1:])
        for plan in plans:
            if self.sort == "afdeling":
                # The year on a heading of its own (the afdeling's name fills the column
                # alone: «2027 · Familie og Forebyggelse» was cut in its middle).
                if several_years and plan.aar != year:
                    year, group = plan.aar, None
                    head = texts.AARSHJUL_YEAR_HEADING.format(aar=plan.aar or "")
                    rows.append((f"{GROUP}{plan.aar}", (Text(head, style="bold"), *blank)))
                head = plan.afdeling_navn or texts.UNKNOWN
                if head != group:
                    group = head
                    key = f"{GROUP}{plan.aar}:{head}"
                    rows.append((key, (plain(head, style="bold underline"), *blank)))
            rows.append((plan.id, self._cells[plan.id]))
        total = len(self.data.plans)
        counter = self.query_one("#aarshjul-count", Static)
        if not total:
            counter.update(texts.AARSHJUL_EMPTY)
        elif not plans:
            counter.update(plain(texts.AARSHJUL_NO_MATCH.format(query=query)))
        else:
            counter.update(texts.AARSHJUL_COUNT.format(shown=len(plans), total=total))
        keys = [key for key, _cells in rows]
        if keys == self._shown and table.row_count == len(keys):
            return
        keep = self.highlighted_plan()
        self._shown = keys
        table.clear()
        for key, cells in rows:
            table.add_row(*cells, key=key)
        target = next((n for n, k in enumerate(keys) if k == keep), None)
        if target is None:
            target = next((n for n, k in enumerate(keys) if not k.startswith(GROUP)), None)
        if target is not None:
            table.move_cursor(row=target, animate=False)

    def highlighted_plan(self) -> str | None:
        """The id of the plan under the cursor (None on a heading or an empty table)."""
        table = self.query_one("#aarshjul-table", DataTable)
        if not table.row_count or table.cursor_row < 0:
            return None
        key = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
        return None if key is None or key.startswith(GROUP) else key

    @on(DataTable.RowHighlighted, "#aarshjul-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        """The cursor never rests on an afdeling's heading: it goes on to the plan beyond it,
        in the direction it moved (back the other way at the table's ends), so Enter always
        opens a plan."""
        table = event.data_table
        row = event.cursor_row
        key = event.row_key.value
        previous, self._cursor_row = self._cursor_row, row
        if not key or not key.startswith(GROUP):
            return
        step = -1 if row < previous and row > 0 else 1
        target = row + step
        if not 0 <= target < table.row_count:
            target = row - step
        if 0 <= target < table.row_count and target != row:
            table.move_cursor(row=target, animate=False)

    _cursor_row = 0

    @on(DataTable.RowSelected, "#aarshjul-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        if key and not key.startswith(GROUP):
            self.open_plan(key)

    def open_plan(self, plan_id: str) -> None:
        self.app.push_screen(AarshjulPlanScreen(plan_id))

    # --- filter and order -----------------------------------------------------------------

    @on(Input.Changed, "#aarshjul-filter")
    def _filter_changed(self) -> None:
        self.render_table()

    @on(Input.Submitted, "#aarshjul-filter")
    def _filter_submitted(self) -> None:
        self.query_one("#aarshjul-table", DataTable).focus()

    def on_key(self, event: events.Key) -> None:
        # Type-ahead as on a bord (Space is the table's own too).
        table = self.query_one("#aarshjul-table", DataTable)
        filt = self.query_one("#aarshjul-filter", Input)
        type_ahead(event, self.focused, table, filt, stays="/ ")

    def action_filter(self) -> None:
        self.query_one("#aarshjul-filter", Input).focus()

    def action_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.query_one("#aarshjul-sort", Button).label = texts.AARSHJUL_SORTS[self.sort]
        self._shown = []
        self.render_table()

    @on(Button.Pressed, "#aarshjul-sort")
    def _sort_pressed(self) -> None:
        self.action_sort()

    def action_back(self) -> None:
        filt = self.query_one("#aarshjul-filter", Input)
        if filt.value:
            filt.value = ""
            self.query_one("#aarshjul-table", DataTable).focus()
            return
        self.app.pop_screen()


# --- one plan's year --------------------------------------------------------------------------


def evaluation_state(planned: date | None, done: bool, state: str | None) -> str:
    """An evaluering of a prøvehandling: written, overdue, planned or not planned."""
    if done:
        return texts.AARSHJUL_EVAL_DONE
    if planned is None:
        return texts.AARSHJUL_EVAL_NONE
    if state == "forfalden":
        return texts.AARSHJUL_EVAL_LATE.format(dato=full_date(planned))
    if state is None:
        return texts.AARSHJUL_EVAL_NOT_DUE.format(dato=full_date(planned))
    return texts.AARSHJUL_EVAL_PLANNED.format(dato=full_date(planned))


def proevehandling_prompt(p: ProevehandlingYear, links: Forbindelser | None = None) -> Text:
    late = "forfalden" in (p.undervejs_state, p.afslutning_state)
    prompt = plain(p.tekst, style="bold")
    since = texts.AARSHJUL_PH_SINCE.format(dato=full_date(p.status_dato)) if p.status_dato else ""
    meta = texts.AARSHJUL_PH_META.format(
        status=enums.choice_label(enums.ProevehandlingStatus, p.status),
        since=since,
        undervejs=evaluation_state(p.evaluering_undervejs, p.undervejs_done, p.undervejs_state),
        afslutning=evaluation_state(p.evaluering_afslutning, p.afslutning_done, p.afslutning_state),
    )
    if p.laeringer:
        meta += " · " + count("laering", p.laeringer)
    prompt.append("\n")
    prompt.append_text(plain(meta, style="bold red" if late else "dim"))
    for line in link_lines(links, p.id):
        prompt.append("\n")
        prompt.append_text(plain(line, style="dim italic"))
    return prompt


def tegn_prompt(t: TegnYear) -> Text:
    prompt = plain(t.tekst, style="bold")
    meta = texts.AARSHJUL_TEGN_META.format(
        type=enums.choice_label(enums.TegnType, t.type), maalinger=count("maaling", t.maalinger)
    )
    if t.seneste_dato is not None:
        value = format_decimal(t.seneste_vaerdi) if t.seneste_vaerdi is not None else ""
        if t.seneste_observation:
            value = f"{value} {t.seneste_observation}".strip()
        meta += texts.AARSHJUL_TEGN_LATEST.format(dato=full_date(t.seneste_dato), vaerdi=value)
    prompt.append("\n")
    prompt.append_text(plain(meta, style="dim"))
    return prompt


def tasks_table(detail: AarshjulPlanDetail) -> Table:
    """The plan's fixed points, each with what the plan had to do there (ticked when done)."""
    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)  # the mark
    grid.add_column(no_wrap=True)  # the date
    grid.add_column()  # the point, or the task
    by_point: dict[str, list[PlanTask]] = {}
    for task in detail.tasks:
        by_point.setdefault(task.point, []).append(task)
    # The next evaluering, dated by its prøvehandling: among the points by its date.
    undated = list(by_point.get("", []))

    def evalueringer_before(day: date | None) -> None:
        while undated and (day is None or undated[0].dato < day):
            task = undated.pop(0)
            grid.add_row(
                Text(texts.AARSHJUL_TASK_OVERDUE if task.overdue else ""),
                Text(full_date(task.dato)),
                task_text(task),
            )

    for point in detail.year.points:
        evalueringer_before(point.dato)
        usual = "" if point.from_data else f"{texts.AARSHJUL_USUAL} "
        is_next = point.key == detail.year.next_key
        # "not bold": a style that shows nothing, but keeps the line's leading cells (a line
        # without any style loses them when drawn).
        style = "dim" if point.passed else ("bold" if is_next else "not bold")
        grid.add_row(
            Text("✓" if point.passed else ("▶" if is_next else ""), style=style),
            Text(usual + full_date(point.dato), style=style),
            Text(texts.AARSHJUL_POINTS[point.key][1], style=style),
        )
        for task in by_point.get(point.key, []):
            if task.key in ("august", "naeste_lederdag"):
                continue  # the point itself says it
            grid.add_row("", "", task_text(task))
    evalueringer_before(None)
    return grid


def task_text(task: PlanTask) -> Text:
    """«✓ Arket FØR udfyldt», «! Tegn mangler for 2 mål», «· Arket EFTER skal udfyldes»."""
    if task.key == "evaluering":
        words = due_text(Due(task.key, task.dato, task.overdue, task.count))
    else:
        words = (texts.AARSHJUL_TASKS_DONE if task.done else texts.AARSHJUL_TASKS)[task.key]
        words = words.format(n=task.count)
    if task.done:
        return Text(f"{texts.AARSHJUL_TASK_DONE} {words}", style="green")
    if task.overdue:
        return Text(f"{texts.AARSHJUL_TASK_OVERDUE} {words}", style="bold red")
    return Text(f"{texts.AARSHJUL_TASK_OPEN} {words}", style="not bold")


class AarshjulPlanScreen(Screen[None]):
    """One målplan's year: fixed points and tasks, prøvehandlinger, tegn, and the way on."""

    # Narrow (an 80-column terminal): the four buttons in two rows, none cut.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    HELP_KEY = "aarshjul_plan"
    BINDINGS = [
        Binding(
            "escape", "back", texts.B_BACK[0], tooltip=texts.B_BACK[1], id="aarshjul_plan.back"
        ),
        Binding(
            "f7",
            "plan_a",
            texts.B_PLAN_A_OPEN[0],
            tooltip=texts.B_PLAN_A_OPEN[1],
            id="aarshjul_plan.plan_a",
        ),
    ]

    def __init__(self, maalplan_id: str) -> None:
        super().__init__()
        self.maalplan_id = maalplan_id
        self.data: AarshjulPlanDetail | None = None
        self._resumed = False

    def compose(self) -> ComposeResult:
        yield TopBar(texts.AARSHJUL_TITLE)
        with VerticalScroll(id="aarshjul-plan-body"):
            yield Static("", id="aarshjul-plan-head")
            yield Static("", id="aarshjul-plan-sheets", classes="muted")
            with Horizontal(id="aarshjul-plan-buttons"):
                yield Button(texts.AARSHJUL_BUTTON_LAERING, id="aarshjul-laering")
                yield Button(texts.AARSHJUL_BUTTON_FORFALD, id="aarshjul-forfald")
                yield Button(texts.AARSHJUL_BUTTON_MAALINGER, id="aarshjul-maalinger")
                yield Button(texts.B_PLAN_A_OPEN[0], id="aarshjul-plan-a")
            yield Label(texts.AARSHJUL_POINTS_TITLE, classes="panel-title")
            yield Static("", id="aarshjul-plan-points")
            yield Static(texts.AARSHJUL_WHERE_DATES, classes="muted")
            yield Label(texts.AARSHJUL_PH_TITLE, classes="panel-title")
            yield PagedOptionList(id="aarshjul-plan-ph")
            yield Label(texts.AARSHJUL_TEGN_TITLE_OPEN, classes="panel-title")
            yield PagedOptionList(id="aarshjul-plan-tegn")
        yield AppFooter()

    def on_mount(self) -> None:
        # The plan's head first: the body scrolls with the arrows, Tab goes on to the buttons
        # and the lists.
        self.query_one("#aarshjul-plan-body", VerticalScroll).focus()
        self.reload()

    def on_screen_resume(self) -> None:
        if self._resumed:  # back from evalueringer, målinger or læring: read again
            self.reload()
        self._resumed = True

    def reload(self) -> None:
        plan_id, today = self.maalplan_id, today_of(self)

        def read(ws: Workspace) -> tuple[AarshjulPlanDetail | None, Forbindelser | None]:
            data = ws.aarshjul_plan(plan_id, today)
            if data is None:
                return None, None
            ids = [p.id for p in data.proevehandlinger]
            return data, ws.nyt_aar_links("proevehandling", ids)

        host(self).read(read, done=self._show)

    def _show(self, result: tuple[AarshjulPlanDetail | None, Forbindelser | None]) -> None:
        if not self.is_attached:
            return
        data, links = result
        if data is None:
            self.notify(texts.AARSHJUL_PLAN_GONE, severity="warning")
            if self.is_current:
                self.app.pop_screen()
            return
        self.data = data
        plan = data.plan
        self.query_one(TopBar).set_title(
            texts.AARSHJUL_PLAN_TITLE.format(enhed=plan.enhed_navn or plan.titel)
        )
        head = plain(
            texts.AARSHJUL_PLAN_HEAD.format(
                titel=plan.titel,
                aar=plan.aar or data.year.aar,
                afdeling=plan.afdeling_navn or texts.UNKNOWN,
            ),
            style="bold",
        )
        head.append("\n" + texts.AARSHJUL_PLAN_PHASE.format(fase=texts.AARSHJUL_PHASES[plan.phase]))
        naeste = due_text(plan.naeste)
        if plan.naeste is not None:
            naeste += f" ({due_date(plan.naeste).plain})"
        head.append(
            "\n" + texts.AARSHJUL_PLAN_NEXT.format(naeste=naeste),
            style="bold red" if plan.naeste is not None and plan.naeste.overdue else "",
        )
        self.query_one("#aarshjul-plan-head", Static).update(head)
        self.query_one("#aarshjul-plan-sheets", Static).update(
            texts.AARSHJUL_SHEETS.format(
                foer=enums.choice_label(enums.ArkStatus, plan.status_foer),
                del1=enums.choice_label(enums.ArkStatus, plan.status_del1),
                del2=enums.choice_label(enums.ArkStatus, plan.status_del2),
                efter=enums.choice_label(enums.ArkStatus, plan.status_efter),
            )
        )
        self.query_one("#aarshjul-plan-points", Static).update(tasks_table(data))
        self._fill(
            "#aarshjul-plan-ph",
            [Option(proevehandling_prompt(p, links), id=p.id) for p in data.proevehandlinger],
            texts.AARSHJUL_PH_EMPTY,
        )
        self._fill(
            "#aarshjul-plan-tegn",
            [Option(tegn_prompt(t), id=t.id) for t in data.tegn],
            texts.AARSHJUL_TEGN_EMPTY,
        )

    def _fill(self, selector: str, options: list[Option], empty: str) -> None:
        listing = self.query_one(selector, OptionList)
        keep = listing.highlighted
        listing.clear_options()
        if not options:
            options = [Option(Text(empty, style="italic"), disabled=True)]
        listing.add_options(options)
        if options and not options[0].disabled:
            listing.highlighted = min(keep or 0, len(options) - 1)

    @on(OptionList.OptionSelected, "#aarshjul-plan-ph")
    def _proevehandling_selected(self, event: OptionList.OptionSelected) -> None:
        from screens.evalueringer import EvalueringerScreen

        if event.option.id:
            self.app.push_screen(EvalueringerScreen(event.option.id))

    @on(OptionList.OptionSelected, "#aarshjul-plan-tegn")
    def _tegn_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.open_maalinger(event.option.id)

    def open_maalinger(self, tegn_id: str | None) -> None:
        if tegn_id is not None:
            host(self).open_maalinger(tegn_id)
        else:  # a plan without tegn (or no tegn picked): say so rather than nothing
            self.notify(texts.AARSHJUL_PICK_TEGN, severity="warning")

    @on(Button.Pressed, "#aarshjul-maalinger")
    def _maalinger_pressed(self) -> None:
        listing = self.query_one("#aarshjul-plan-tegn", OptionList)
        option = (
            listing.get_option_at_index(listing.highlighted)
            if listing.highlighted is not None
            else None
        )
        self.open_maalinger(None if option is None or option.disabled else option.id)

    @on(Button.Pressed, "#aarshjul-laering")
    def _laering_pressed(self) -> None:
        host(self).open_laering(maalplan_id=self.maalplan_id)

    @on(Button.Pressed, "#aarshjul-forfald")
    def _forfald_pressed(self) -> None:
        host(self).action_forfald()

    @on(Button.Pressed, "#aarshjul-plan-a")
    def action_plan_a(self) -> None:
        host(self).open_plan_a(self.maalplan_id)

    def action_back(self) -> None:
        self.app.pop_screen()
