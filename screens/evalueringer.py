"""The evalueringer of one prøvehandling (undervejs and afslutning): when, what effect and value
it had, and what was learnt. Add / edit / delete like the other lists."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Label, Select, Static
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
        Binding(
            "s,S", "status", texts.B_STATUS[0], tooltip=texts.B_STATUS[1], id="evalueringer.status"
        ),
        Binding(
            "l,L",
            "laering",
            texts.B_LAERING[0],
            tooltip=texts.B_LAERING[1],
            id="evalueringer.laering",
        ),
    ]

    def __init__(self, proevehandling_id: str) -> None:
        super().__init__()
        self.proevehandling_id = proevehandling_id
        self.data: ProevehandlingEvalueringer | None = None
        self._announce = False  # a status was just changed: say so once it is read back

    def compose(self) -> ComposeResult:
        yield TopBar(texts.EVAL_TITLE)
        with Vertical(id="eval-head"):
            yield Static("", id="eval-proevehandling")
            yield Static("", id="eval-planned", classes="muted")
        with Horizontal(id="eval-status-row"):
            yield Label(texts.STATUS_LABEL, id="eval-status-label")
            yield Select(
                [(enums.label(s), s.value) for s in enums.ProevehandlingStatus],
                allow_blank=False,
                id="eval-status",
            )
            yield Static("", id="eval-status-since", classes="muted")
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
        self._show_status(proevehandling.status, proevehandling.status_dato)
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
        self.app.push_screen(RecordForm(spec, row_id), callback=self._form_closed)

    def _form_closed(self, row_id: str | None) -> None:
        """The form is closed: the list shows the row it made or edited highlighted."""
        self.query_one("#eval-list", ItemList).follow(row_id)
        self.reload()

    def _show_status(self, status: str, since: date | None) -> None:
        picker = self.query_one("#eval-status", Select)
        known = {s.value for s in enums.ProevehandlingStatus}
        if picker.value != status and status in known:
            with picker.prevent(Select.Changed):
                picker.value = status
        when = texts.STATUS_SINCE.format(dato=_date(since)) if since else texts.STATUS_NO_DATE
        self.query_one("#eval-status-since", Static).update(when)
        if self._announce:
            self._announce = False
            label = enums.label(status)
            self.notify(texts.STATUS_CHANGED.format(status=label, dato=_date(since)))

    @on(Select.Changed, "#eval-status")
    def _status_changed(self, event: Select.Changed) -> None:
        """A new status: saved at once, dated today by the workspace (one undoable action)."""
        if self.data is None or event.value == self.data.proevehandling.status:
            return
        proevehandling_id, status = self.proevehandling_id, str(event.value)

        def saved(_n: int) -> None:
            self._announce = True
            self.reload()

        def failed(exc: Exception) -> None:
            host(self).report_error(exc)
            self.reload()

        host(self).write(
            lambda ws: ws.save_field("proevehandling", proevehandling_id, "status", status),
            done=saved,
            error=failed,
        )

    def action_status(self) -> None:
        picker = self.query_one("#eval-status", Select)
        picker.focus()
        picker.action_show_overlay()

    def action_laering(self) -> None:
        from .laering import LaeringScreen

        self.app.push_screen(LaeringScreen(proevehandling_id=self.proevehandling_id))

    def action_back(self) -> None:
        self.app.pop_screen()
