"""Who sits at the bord: deltagere with name, enhed (picked from the organisation) and rolle,
and the bord's switch to run it anonymously (then names are neither asked for nor shown)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static
from textual.widgets.option_list import Option

from models import enums, rules
from models.records import BordDeltagere, Choice, Deltager
from models.schema import new_values
from models.visible import visible
from models.words import count
from screens import texts
from screens.base import host
from screens.widgets import AppFooter, AutoSave, Hanging, ItemList, TopBar, hanging, plain

from .forms import AutoCheckbox, FormSpec, RecordForm


def deltager_prompt(n: int, d: Deltager, *, anonym: bool) -> Hanging:
    """One deltager as a list item; an anonymous bord shows a number instead of the name."""
    head = Text(texts.DELTAGER_NUMBER.format(n=n)) if anonym else plain(d.navn)
    head.stylize("bold")
    meta = texts.DELTAGER_META.format(
        enhed=d.enhed_navn or texts.DELTAGER_NO_ENHED,
        rolle=enums.label(enums.DeltagerRolle(d.rolle)),
    )
    head.append("\n" + visible(meta), style="dim")
    return hanging(f"{n}.", head)


def summary_text(deltagere: Sequence[Deltager]) -> str:
    """«5 deltagere: 2 ledere, 3 medarbejdere» in the order of the roles."""
    if not deltagere:
        return texts.DELTAGERE_SUMMARY_NONE
    counts = Counter(d.rolle for d in deltagere)
    parts = []
    for rolle in enums.DeltagerRolle:
        n = counts[rolle.value]
        if n:
            one, many = texts.DELTAGER_ROLLE_COUNT[rolle.value]
            parts.append(f"{n} {one if n == 1 else many}")
    return texts.DELTAGERE_SUMMARY.format(
        n=count("deltager", len(deltagere)), fordeling=", ".join(parts)
    )


class DeltagereScreen(Screen[None]):
    """The bord's deltagere list with add / edit / delete and the anonymous switch."""

    HELP_KEY = "deltagere"
    BINDINGS = [
        Binding("escape", "back", texts.B_BACK[0], tooltip=texts.B_BACK[1], id="deltagere.back"),
        Binding(
            "n,N",
            "toggle_anonym",
            texts.B_ANONYM[0],
            tooltip=texts.B_ANONYM[1],
            id="deltagere.anonym",
        ),
    ]

    def __init__(self, bord_id: str) -> None:
        super().__init__()
        self.bord_id = bord_id
        self.data: BordDeltagere | None = None
        self.enheder: tuple[Choice, ...] = ()

    @property
    def anonym(self) -> bool:
        return self.data is not None and self.data.bord.anonym

    def compose(self) -> ComposeResult:
        yield TopBar("")
        with Vertical(id="deltagere-body"):
            yield AutoCheckbox("anonym", texts.DELTAGER_ANONYM_SWITCH, False)
            yield Static("", id="deltagere-hint", classes="muted")
            yield Static("", id="deltagere-summary")
            yield ItemList(id="deltagere-list", kind="deltager", ask_before_delete=True)
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#deltagere-list", ItemList).focus()
        self.reload()

    def on_screen_resume(self) -> None:
        if self.data is not None:
            self.reload()

    def reload(self) -> None:
        bord_id = self.bord_id
        host(self).read(lambda ws: (ws.deltagere(bord_id), ws.enhed_choices()), done=self._show)

    def _show(self, result: tuple[BordDeltagere | None, tuple[Choice, ...]]) -> None:
        data, self.enheder = result
        if data is None:
            self.notify(texts.BORD_NOT_FOUND, severity="warning")
            self.app.pop_screen()
            return
        self.data = data
        bord = data.bord
        self.query_one(TopBar).set_title(texts.DELTAGERE_TITLE.format(bord=bord.navn))
        switch = self.query_one(AutoCheckbox)
        if not switch.dirty:
            switch.load(bord.anonym)
        self.query_one("#deltagere-hint", Static).update(
            Text(texts.DELTAGER_ANONYM_ON if bord.anonym else texts.DELTAGER_ANONYM_OFF)
        )
        self.query_one("#deltagere-summary", Static).update(plain(summary_text(data.deltagere)))
        deltagere = rules.anonymous_order(data.deltagere) if bord.anonym else data.deltagere
        options = [
            Option(deltager_prompt(n, d, anonym=bord.anonym), id=d.id)
            for n, d in enumerate(deltagere, 1)
        ]
        self.query_one("#deltagere-list", ItemList).set_items(options, empty=texts.DELTAGERE_EMPTY)

    # --- the anonymous switch ---------------------------------------------------------------

    def handle_commit(self, widget: AutoSave, field: str, value: Any) -> None:
        """The switch changed: save it on the bord."""
        bord_id = self.bord_id

        def saved(_n: int) -> None:
            widget.mark_saved(value)
            self.notify(texts.DELTAGERE_NOW_ANONYM if value else texts.DELTAGERE_NOW_NAMED)
            self.reload()

        host(self).write(lambda ws: ws.save_field("bord", bord_id, field, value), done=saved)

    def action_toggle_anonym(self) -> None:
        switch = self.query_one(AutoCheckbox)
        switch.value = not switch.value  # its Changed event saves it

    # --- list actions -----------------------------------------------------------------------

    @on(ItemList.Action, "#deltagere-list")
    def _item_action(self, event: ItemList.Action) -> None:
        if self.data is None:
            return
        item_id = event.item_id
        if event.action == "add":
            self._add()
        elif event.action == "edit" and item_id:
            self.open_form(item_id)
        elif event.action == "delete" and item_id:

            def deleted(_n: int) -> None:
                self.notify(texts.DELETED_ITEM.format(what=texts.DELETED_DELTAGER))
                self.reload()

            host(self).write(lambda ws: ws.delete("deltager", item_id), done=deleted)

    def _add(self) -> None:
        if not self.anonym:
            self.open_form(None)
            return
        # Nothing to type for an anonymous deltager: create it at once (undoable), then let the
        # facilitator set enhed and rolle.
        values = {
            **new_values("deltager"),
            "bord_id": self.bord_id,
            "navn": texts.DELTAGER_ANONYM_NAVN,
        }
        host(self).write(lambda ws: ws.create("deltager", values), done=self.open_form)

    def _form_closed(self, row_id: str | None) -> None:
        self.query_one("#deltagere-list", ItemList).follow(row_id)
        self.reload()

    def open_form(self, row_id: str | None) -> None:
        """The deltager form: name, enhed and rolle (no name on an anonymous bord)."""
        spec = FormSpec(
            "deltager",
            fixed={"bord_id": self.bord_id},
            hidden=("navn",) if self.anonym else (),
            choices={"enhed_id": list(self.enheder)},
        )
        self.app.push_screen(RecordForm(spec, row_id), callback=self._form_closed)

    def action_back(self) -> None:
        self.app.pop_screen()
