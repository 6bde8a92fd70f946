"""The evalueringer that fall due across every plan: each planned evaluering (undervejs, ved
afslutning) not written yet, by date with the overdue first, filtered by state and enhed.
Enter opens the prøvehandling's evalueringer, where the evaluering is written; coming back
reads the list again (the written one is gone). The rules: `models.followup`."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Label, OptionList, Select, Static
from textual.widgets.option_list import Option

from models import enums
from models.records import DueEvaluering, Forfald
from models.schema import ENTITIES
from models.words import antal
from screens import texts
from screens.base import host
from screens.widgets import AppFooter, Hanging, PagedOptionList, TopBar, hanging, plain

from .forms import show_value

WHERE_CUT = 60  # the enhed and mål line is cut to one line at 80 columns

_STYLE = {"forfalden": "bold red", "snart": "bold yellow", "senere": "bold"}


def date_text(value: date | None) -> str:
    """A date as the forms show it (dd-mm-åååå)."""
    return str(show_value(ENTITIES["evaluering"].fields["dato"], value) or texts.UNKNOWN)


def when_text(days: int) -> str:
    """«Forfalden for 3 dage siden», «Forfalder i dag», «Om 5 dage»."""
    if days < 0:
        return texts.FORFALD_OVERDUE.format(days=antal(-days, texts.FORFALD_DAYS))
    if days == 0:
        return texts.FORFALD_TODAY
    return texts.FORFALD_SOON.format(days=antal(days, texts.FORFALD_DAYS))


def due_prompt(item: DueEvaluering) -> Hanging:
    """One planned evaluering: the date as the mark; when, kind and status on top (coloured by
    how urgent it is); the prøvehandling; then (dimmed, on one line) the enhed and the mål."""
    kind = enums.label(enums.EvalueringType(item.kind))
    status = enums.label(item.status)
    head = Text()
    head.append(
        texts.FORFALD_LINE.format(when=when_text(item.days), kind=kind, status=status),
        style=_STYLE.get(item.state, "bold"),
    )
    place = texts.FORFALD_PLACE.format(
        enhed=item.enhed or texts.FORFALD_NO_ENHED, aar=item.aar or ""
    ).strip()
    head.append("\n" + texts.FORFALD_PROEVEHANDLING.format(nr=item.nr))
    head.append_text(plain(item.proevehandling))
    where = f"{place} · {texts.FORFALD_MAAL}{' '.join(item.maal.split())}"
    if len(where) > WHERE_CUT:
        where = where[: WHERE_CUT - 1].rstrip() + "…"
    head.append("\n")
    head.append_text(plain(where, style="dim"))
    return hanging(date_text(item.dato), head)


def summary_text(data: Forfald) -> str:
    """«I dag 06-12-2026: 3 forfaldne · 1 snart · 12 senere»."""
    return texts.FORFALD_SUMMARY.format(
        today=date_text(data.today),
        forfaldne=antal(data.forfaldne, texts.FORFALD_COUNT_FORFALDNE),
        snart=antal(data.snart, texts.FORFALD_COUNT_SNART),
        senere=antal(data.senere, texts.FORFALD_COUNT_SENERE),
    )


class DueList(PagedOptionList):
    """The list of planned evalueringer; Enter (shown in the footer) opens the highlighted
    one's evalueringer."""

    BINDINGS = [
        Binding(
            "enter",
            "select",
            texts.B_FORFALD_OPEN[0],
            tooltip=texts.B_FORFALD_OPEN[1],
            id="forfald.open",
        ),
    ]


class ForfaldScreen(Screen[None]):
    """The overview of evalueringer that fall due, with its two filters."""

    HELP_KEY = "forfald"
    BINDINGS = [
        Binding("escape", "back", texts.B_BACK[0], tooltip=texts.B_BACK[1], id="forfald.back"),
        Binding(
            "v,V",
            "choose('#forfald-show')",
            texts.B_FORFALD_SHOW[0],
            tooltip=texts.B_FORFALD_SHOW[1],
            id="forfald.show",
        ),
        Binding(
            "n,N",
            "choose('#forfald-enhed')",
            texts.B_FORFALD_ENHED[0],
            tooltip=texts.B_FORFALD_ENHED[1],
            id="forfald.enhed",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: Forfald | None = None
        self.state: str | None = None
        self.enhed_id: str | None = None
        self._enheder: tuple[tuple[str, str], ...] = ()

    def compose(self) -> ComposeResult:
        yield TopBar(texts.FORFALD_TITLE)
        with Horizontal(id="forfald-filters"):
            yield Label(texts.FORFALD_SHOW_LABEL, classes="forfald-label")
            yield Select(
                [(label, value) for label, value in texts.FORFALD_SHOW],
                value="alle",
                allow_blank=False,
                id="forfald-show",
            )
            yield Label(texts.FORFALD_ENHED_LABEL, classes="forfald-label")
            yield Select(
                [(texts.FORFALD_ALL_ENHEDER, "")],
                value="",
                allow_blank=False,
                id="forfald-enhed",
            )
        with Vertical(id="forfald-head"):
            yield Static("", id="forfald-summary", classes="muted")
        yield DueList(id="forfald-list")
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#forfald-list", OptionList).focus()
        self.reload()

    def on_screen_resume(self) -> None:
        if self.data is not None:
            self.reload()

    def reload(self) -> None:
        state, enhed_id = self.state, self.enhed_id
        host(self).read(lambda ws: ws.forfald(state=state, enhed_id=enhed_id), done=self._show)

    def _show(self, data: Forfald) -> None:
        self.data = data
        summary = summary_text(data)
        if data.matching > len(data.items):
            summary += "\n" + texts.FORFALD_MORE.format(
                shown=len(data.items), matching=data.matching
            )
        self.query_one("#forfald-summary", Static).update(Text(summary))
        self._fill_enheder(data)
        options = [Option(due_prompt(i), id=f"{i.proevehandling_id}:{i.kind}") for i in data.items]
        listed = self.query_one("#forfald-list", OptionList)
        keep = listed.highlighted
        listed.clear_options()
        if options:
            listed.add_options(options)
            listed.highlighted = min(keep or 0, len(options) - 1)
        else:
            filtered = self.state is not None or self.enhed_id is not None
            empty = texts.FORFALD_EMPTY_FILTER if filtered else texts.FORFALD_EMPTY
            listed.add_option(Option(Text(empty, style="italic"), disabled=True))

    def _fill_enheder(self, data: Forfald) -> None:
        if data.enheder == self._enheder:
            return
        self._enheder = data.enheder
        picker = self.query_one("#forfald-enhed", Select)
        with picker.prevent(Select.Changed):
            picker.set_options(
                [(texts.FORFALD_ALL_ENHEDER, ""), *((plain(n or "–"), i) for n, i in data.enheder)]
            )
            known = {i for _n, i in data.enheder}
            picker.value = self.enhed_id if self.enhed_id in known else ""

    @on(Select.Changed, "#forfald-show")
    def _show_changed(self, event: Select.Changed) -> None:
        state = None if str(event.value) == "alle" else str(event.value)
        if state != self.state:  # (a picker also says Changed when it is first set)
            self.state = state
            self.reload()

    @on(Select.Changed, "#forfald-enhed")
    def _enhed_changed(self, event: Select.Changed) -> None:
        enhed_id = str(event.value) or None
        if enhed_id != self.enhed_id:
            self.enhed_id = enhed_id
            self.reload()

    @on(OptionList.OptionSelected, "#forfald-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._open(event.option.id)

    def _open(self, option_id: str | None) -> None:
        """The prøvehandling's evalueringer, where the evaluering is written."""
        if option_id is None:
            return
        from .evalueringer import EvalueringerScreen

        self.app.push_screen(EvalueringerScreen(option_id.split(":", 1)[0]))

    def action_choose(self, selector: str) -> None:
        picker = self.query_one(selector, Select)
        picker.focus()
        picker.action_show_overlay()

    def action_back(self) -> None:
        self.app.pop_screen()
