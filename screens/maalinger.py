"""The målinger of one tegn: for a kvantitativ tegn its run chart on top (points, median,
udgangspunkt, forventet niveau and the prøvehandlinger's periods on the time axis), and the
målinger below, newest first (dato, value or observation, kilde, who). Add / edit / delete
like the other lists; Ctrl+Z undoes (the app's key)."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static
from textual.widgets.option_list import Option

from models import enums
from models.records import Maaling, TegnMaalinger
from models.schema import ENTITIES, format_decimal
from screens import texts
from screens.base import host
from screens.runchart import RunChartView, date_label
from screens.widgets import AppFooter, Hanging, ItemList, TopBar, hanging, plain

from .forms import FormSpec, RecordForm, open_with_assessor, show_value

TITLE_CHARS = 60


def _date(value: date | None) -> str:
    return str(show_value(ENTITIES["maaling"].fields["dato"], value) or texts.UNKNOWN)


def maaling_prompt(n: int, m: Maaling, *, kvantitativ: bool) -> Hanging:
    """One måling: date and number (a kvantitativ tegn) in bold with who registered it, the
    observation wrapped below, the source dimmed last."""
    if kvantitativ:
        value = format_decimal(m.vaerdi) if m.vaerdi is not None else texts.MAALINGER_NO_VALUE
        body = Text(texts.MAALINGER_LINE.format(dato=_date(m.dato), vaerdi=value), style="bold")
    else:
        body = Text(_date(m.dato), style="bold")
        if m.vaerdi is not None:
            body.append(" · " + format_decimal(m.vaerdi), style="bold")
    if m.hvem:
        body.append("  ")
        body.append_text(plain(texts.MAALINGER_WHO.format(hvem=m.hvem), style="dim"))
    if m.observation:
        body.append("\n")
        body.append_text(plain(m.observation))
    if m.kilde:
        body.append("\n")
        body.append_text(plain(texts.MAALINGER_SOURCE.format(kilde=m.kilde), style="dim"))
    return hanging(f"{n}.", body)


def _title(tekst: str) -> str:
    line = " ".join(tekst.split())
    if len(line) > TITLE_CHARS:
        line = line[: TITLE_CHARS - 1].rstrip() + "…"
    return texts.MAALINGER_TITLE.format(tekst=line)


def chart_note(data: TegnMaalinger) -> str:
    """What the screen says instead of (or under) the chart: why there is none, or nothing."""
    if data.tegn.type != enums.TegnType.KVANTITATIV.value:
        return texts.MAALINGER_QUALITATIVE
    points = len(data.chart.points)
    if points == 0:
        return texts.MAALINGER_CHART_NONE.format(n=2)
    if points == 1:
        return texts.MAALINGER_CHART_ONE.format(n=1)
    return signal_note(data)


def signal_note(data: TegnMaalinger) -> str:
    """The run chart's signals in words: a shift (points in a row on one side of the median)
    and a trend (points in a row going up or down), each with where it starts; or nothing."""
    chart = data.chart
    median = chart.median
    found = []
    for first, last in chart.shifts:
        side = (
            texts.SIGNAL_OVER if chart.points[first].vaerdi > (median or 0) else texts.SIGNAL_UNDER
        )
        found.append(
            texts.SIGNAL_SHIFT.format(
                n=last - first + 1, side=side, dato=date_label(chart.points[first].dato)
            )
        )
    for first, last in chart.trends:
        way = (
            texts.SIGNAL_UP
            if chart.points[last].vaerdi > chart.points[first].vaerdi
            else texts.SIGNAL_DOWN
        )
        found.append(
            texts.SIGNAL_TREND.format(
                n=last - first + 1, way=way, dato=date_label(chart.points[first].dato)
            )
        )
    return texts.SIGNAL_NOTE.format(signals="; ".join(found)) if found else ""


class MaalingerScreen(Screen[None]):
    """Målinger (and the run chart) of one tegn."""

    HELP_KEY = "maalinger"
    BINDINGS = [
        Binding("escape", "back", texts.B_BACK[0], tooltip=texts.B_BACK[1], id="maalinger.back"),
    ]

    def __init__(self, tegn_id: str) -> None:
        super().__init__()
        self.tegn_id = tegn_id
        self.data: TegnMaalinger | None = None

    def compose(self) -> ComposeResult:
        yield TopBar(texts.MAALINGER_TITLE.format(tekst=""))
        with Vertical(id="maalinger-head"):
            yield Static("", id="maalinger-tegn")
            yield Static("", id="maalinger-meta", classes="muted")
        yield RunChartView(id="maalinger-chart")
        yield Static("", id="maalinger-note", classes="muted")
        yield ItemList(id="maalinger-list", kind="maaling", ask_before_delete=True)
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#maalinger-chart", RunChartView).display = False
        self.query_one("#maalinger-note", Static).display = False
        self.query_one("#maalinger-list", ItemList).focus()
        self.reload()

    def on_screen_resume(self) -> None:
        if self.data is not None:
            self.reload()

    def reload(self) -> None:
        tegn_id = self.tegn_id
        host(self).read(lambda ws: ws.maalinger(tegn_id), done=self._show)

    @property
    def kvantitativ(self) -> bool:
        return self.data is not None and self.data.tegn.type == enums.TegnType.KVANTITATIV.value

    def _show(self, data: TegnMaalinger | None) -> None:
        if data is None:
            self.notify(texts.MAALINGER_NOT_FOUND, severity="warning")
            if self.is_current:
                self.app.pop_screen()
            return
        self.data = data
        tegn = data.tegn
        self.query_one(TopBar).set_title(_title(tegn.tekst))
        self.query_one("#maalinger-tegn", Static).update(plain(tegn.tekst, style="bold"))
        meta = enums.label(enums.TegnType(tegn.type))
        if tegn.baseline:
            meta += " · " + texts.MAALINGER_BASELINE.format(baseline=tegn.baseline)
        if tegn.forventet_niveau:
            meta += " · " + texts.MAALINGER_FORVENTET.format(forventet=tegn.forventet_niveau)
        if tegn.datakilde:
            meta += "\n" + texts.MAALINGER_KILDE.format(kilde=" ".join(tegn.datakilde.split()))
        self.query_one("#maalinger-meta", Static).update(plain(meta))

        chart = self.query_one("#maalinger-chart", RunChartView)
        note = self.query_one("#maalinger-note", Static)
        message = chart_note(data)
        drawable = self.kvantitativ and len(data.chart.points) >= 2
        chart.display = drawable
        chart.show(data.chart if drawable else None)
        note.display = bool(message)
        note.update(Text(message))

        kvantitativ = self.kvantitativ
        options = [
            Option(maaling_prompt(n, m, kvantitativ=kvantitativ), id=m.id)
            for n, m in enumerate(data.maalinger, 1)
        ]
        listing = self.query_one("#maalinger-list", ItemList)
        listing.border_title = texts.MAALINGER_LIST_TITLE.format(n=len(options))
        listing.set_items(options, empty=texts.MAALINGER_EMPTY)

    @on(ItemList.Action, "#maalinger-list")
    def _item_action(self, event: ItemList.Action) -> None:
        if self.data is None:
            return
        item_id = event.item_id
        if event.action == "add":
            self.open_form(None)
        elif event.action == "edit" and item_id:
            self.open_form(item_id)
        elif event.action == "delete" and item_id:

            def deleted(_n: int) -> None:
                self.notify(texts.DELETED_ITEM.format(what=texts.DELETED_MAALING))
                self.reload()

            host(self).write(lambda ws: ws.delete("maaling", item_id), done=deleted)

    def open_form(self, row_id: str | None) -> None:
        """The form of a måling (a new one when `row_id` is None): the number first for a
        kvantitativ tegn, the observation first for a kvalitativ one; a new one dated today and
        registered by whoever works on this laptop (the name last given for a vurdering, else
        the laptop's name), as the vurdering form does."""
        if row_id is not None:
            self._form(row_id, None)
        else:
            open_with_assessor(self, lambda who: self._form(None, who))

    def _form(self, row_id: str | None, who: str | None) -> None:
        today = host(self).clock().date()
        first = ("vaerdi", "dato") if self.kvantitativ else ("observation", "dato")
        spec = FormSpec(
            "maaling",
            fixed={"tegn_id": self.tegn_id},
            defaults={"dato": today, "hvem": who} if row_id is None else {},
            first=first,
            not_after={"dato": today},  # a måling is of what has been measured
        )
        self.app.push_screen(RecordForm(spec, row_id), callback=self._form_closed)

    def _form_closed(self, row_id: str | None) -> None:
        """The form is closed: the list shows the row it made or edited highlighted."""
        self.query_one("#maalinger-list", ItemList).follow(row_id)
        self.reload()

    def action_back(self) -> None:
        self.app.pop_screen()
