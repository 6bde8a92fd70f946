"""The evalueringer of one prøvehandling (undervejs and afslutning): when, what effect and value
it had, and what was learnt. Add / edit / delete like the other lists."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static
from textual.widgets.option_list import Option

from models import enums
from models.queries import proevehandling_evalueringer
from models.schema import ENTITIES
from screens import texts
from screens.widgets import AppFooter, ItemList, TopBar, hanging, plain

from .forms import FormSpec, RecordForm, show_value

FIELDS = ["type", "dato", "effekt", "laering"]


def _date(value: Any) -> str:
    return show_value(ENTITIES["evaluering"].fields["dato"], value) or texts.UNKNOWN


def evaluering_prompt(n: int, e: dict[str, Any]) -> Any:
    """One evaluering: type and date on top, effect below, læring dimmed."""
    head = Text(
        texts.EVAL_LINE.format(
            type=enums.label(enums.EvalueringType(e["type"])), dato=_date(e["dato"])
        ),
        style="bold",
    )
    if e.get("effekt"):
        head.append("\n")
        head.append_text(plain(e["effekt"]))
    if e.get("laering"):
        head.append("\n" + texts.EVAL_LAERING, style="dim")
        head.append_text(plain(e["laering"], style="dim"))
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
        self.data: dict[str, Any] | None = None

    def compose(self) -> ComposeResult:
        yield TopBar(texts.EVAL_TITLE)
        with Vertical(id="eval-head"):
            yield Static("", id="eval-proeve")
            yield Static("", id="eval-planned", classes="muted")
        yield ItemList(id="eval-list", kind="evaluering")
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#eval-list", ItemList).focus()
        self.reload()

    def on_screen_resume(self) -> None:
        if self.data is not None:
            self.reload()

    def reload(self) -> None:
        self.app.submit(
            proevehandling_evalueringer,
            self.app.store.db,
            self.proevehandling_id,
            done=self._show,
        )

    def _show(self, data: dict[str, Any] | None) -> None:
        if data is None:
            self.notify(texts.EVAL_NOT_FOUND, severity="warning")
            self.app.pop_screen()
            return
        self.data = data
        ph = data["proevehandling"]
        self.query_one("#eval-proeve", Static).update(plain(ph["tekst"], style="bold"))
        self.query_one("#eval-planned", Static).update(
            Text(
                texts.EVAL_PLANNED.format(
                    undervejs=_date(ph["evaluering_undervejs"]),
                    afslutning=_date(ph["evaluering_afslutning"]),
                )
            )
        )
        options = [
            Option(evaluering_prompt(n, e), id=e["id"])
            for n, e in enumerate(data["evalueringer"], 1)
        ]
        self.query_one("#eval-list", ItemList).set_items(options, empty=texts.EVAL_EMPTY)

    @on(ItemList.Action, "#eval-list")
    def _item_action(self, event: ItemList.Action) -> None:
        if self.data is None:
            return
        if event.action == "add":
            self.open_form(None)
        elif event.action == "edit" and event.item_id:
            self.open_form(event.item_id)
        elif event.action == "delete" and event.item_id:
            self.app.save(
                self.app.store.delete,
                "evaluering",
                event.item_id,
                done=lambda _n: (
                    self.notify(texts.DELETED_ITEM.format(what="Evalueringen")),
                    self.reload(),
                ),
            )

    def _defaults(self) -> dict[str, Any]:
        """A new evaluering: undervejs first, afslutning once there is an undervejs; the date
        planned on the prøvehandling for that kind, if any."""
        assert self.data is not None
        ph = self.data["proevehandling"]
        kinds = {e["type"] for e in self.data["evalueringer"]}
        kind = (
            enums.EvalueringType.AFSLUTNING
            if enums.EvalueringType.UNDERVEJS.value in kinds
            else enums.EvalueringType.UNDERVEJS
        )
        planned = ph[f"evaluering_{kind.value}"]
        defaults: dict[str, Any] = {"type": kind.value}
        if planned:
            defaults["dato"] = planned
        return defaults

    def open_form(self, row_id: str | None) -> None:
        spec = FormSpec(
            "evaluering",
            FIELDS,
            fixed={"proevehandling_id": self.proevehandling_id},
            defaults=self._defaults() if row_id is None else {},
        )
        self.app.push_screen(RecordForm(spec, row_id), callback=lambda _rid: self.reload())

    def action_back(self) -> None:
        self.app.pop_screen()
