"""The evalueringer of one prøvehandling (undervejs and afslutning): when, what effect and value
it had, and what was learnt. Add / edit / delete like the other lists."""

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

from models import enums, rules
from models.records import Evaluering, ProevehandlingEvalueringer
from models.schema import ENTITIES
from screens import texts
from screens.base import host
from screens.widgets import AppFooter, Hanging, ItemList, TopBar, hanging, plain

from .forms import FormSpec, RecordForm, show_value


def _date(value: date | None) -> str:
    return str(show_value(ENTITIES["evaluering"].fields["dato"], value) or texts.UNKNOWN)


def evaluering_prompt(n: int, e: Evaluering) -> Hanging:
    """One evaluering: type and date on top, effect below, læring dimmed."""
    head = Text(
        texts.EVAL_LINE.format(type=enums.label(enums.EvalueringType(e.type)), dato=_date(e.dato)),
        style="bold",
    )
    if e.effekt:
        head.append("\n")
        head.append_text(plain(e.effekt))
    if e.laering:
        head.append("\n" + texts.EVAL_LAERING, style="dim")
        head.append_text(plain(e.laering, style="dim"))
    return hanging(f"{n}.", head)


class EvalueringerScreen(Screen[None]):
    """Evalueringer of one prøvehandling."""

    HELP_KEY = "evalueringer"
    BINDINGS = [
        Binding("escape", "back", texts.B_BACK[0], tooltip=texts.B_BACK[1], id="evalueringer.back"),
    ]

    def __init__(self, proevehandling_id: str) -> None:
        super().__init__()
        self.proevehandling_id = proevehandling_id
        self.data: ProevehandlingEvalueringer | None = None

    def compose(self) -> ComposeResult:
        yield TopBar(texts.EVAL_TITLE)
        with Vertical(id="eval-head"):
            yield Static("", id="eval-proevehandling")
            yield Static("", id="eval-planned", classes="muted")
        yield ItemList(id="eval-list", kind="evaluering", ask_before_delete=True)
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#eval-list", ItemList).focus()
        self.reload()

    def on_screen_resume(self) -> None:
        if self.data is not None:
            self.reload()

    def reload(self) -> None:
        proevehandling_id = self.proevehandling_id
        host(self).read(lambda ws: ws.evalueringer(proevehandling_id), done=self._show)

    def _show(self, data: ProevehandlingEvalueringer | None) -> None:
        if data is None:
            self.notify(texts.EVAL_NOT_FOUND, severity="warning")
            self.app.pop_screen()
            return
        self.data = data
        proevehandling = data.proevehandling
        self.query_one("#eval-proevehandling", Static).update(
            plain(proevehandling.tekst, style="bold")
        )
        self.query_one("#eval-planned", Static).update(
            Text(
                texts.EVAL_PLANNED.format(
                    undervejs=_date(proevehandling.evaluering_undervejs),
                    afslutning=_date(proevehandling.evaluering_afslutning),
                )
            )
        )
        options = [
            Option(evaluering_prompt(n, e), id=e.id) for n, e in enumerate(data.evalueringer, 1)
        ]
        self.query_one("#eval-list", ItemList).set_items(options, empty=texts.EVAL_EMPTY)

    @on(ItemList.Action, "#eval-list")
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
                self.notify(texts.DELETED_ITEM.format(what=texts.DELETED_EVALUERING))
                self.reload()

            host(self).write(lambda ws: ws.delete("evaluering", item_id), done=deleted)

    def open_form(self, row_id: str | None) -> None:
        defaults: dict[str, object] = {}
        if row_id is None and self.data is not None:
            defaults = rules.new_evaluering(self.data.proevehandling, self.data.evalueringer)
        spec = FormSpec(
            "evaluering", fixed={"proevehandling_id": self.proevehandling_id}, defaults=defaults
        )
        self.app.push_screen(RecordForm(spec, row_id), callback=lambda _rid: self.reload())

    def action_back(self) -> None:
        self.app.pop_screen()
