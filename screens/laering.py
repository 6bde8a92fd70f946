"""Læring, dated: what was learnt from one prøvehandling, or in a målplan (its own læring and
that of its prøvehandlinger, each marked with the prøvehandling). Newest first; add / edit /
delete like the other lists, Ctrl+Z undoes."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static
from textual.widgets.option_list import Option

from models.records import LaeringItem, LaeringList
from screens import texts
from screens.base import host
from screens.widgets import AppFooter, Hanging, ItemList, TopBar, hanging, plain

from .forfald import date_text
from .forms import FormSpec, RecordForm, open_with_assessor


def laering_prompt(item: LaeringItem, *, with_place: bool) -> Hanging:
    """One læring: the date as the mark; the text, then (dimmed) who wrote it and, in a
    målplan's list, the prøvehandling it is about."""
    laering = item.laering
    body = plain(laering.tekst)
    meta = Text(style="dim")
    if with_place:
        if item.proevehandling is None:
            meta.append(texts.LAERING_ON_MAALPLAN)
        else:
            meta.append(texts.LAERING_ON_PROEVEHANDLING.format(nr=item.proevehandling_nr or ""))
            meta.append_text(plain(" ".join(item.proevehandling.split())))
    if laering.hvem:
        if not meta.plain:
            meta.append_text(plain(laering.hvem))
        else:
            meta.append(texts.LAERING_BY.format(hvem=""))
            meta.append_text(plain(laering.hvem))
    if meta.plain:
        body.append("\n")
        body.append_text(meta)
    return hanging(date_text(laering.dato), body)


class LaeringScreen(Screen[None]):
    """The læring of a prøvehandling (`proevehandling_id`) or of a målplan (`maalplan_id`)."""

    HELP_KEY = "laering"
    BINDINGS = [
        Binding("escape", "back", texts.B_BACK[0], tooltip=texts.B_BACK[1], id="laering.back"),
    ]

    def __init__(
        self, *, maalplan_id: str | None = None, proevehandling_id: str | None = None
    ) -> None:
        super().__init__()
        self.maalplan_id = maalplan_id
        self.proevehandling_id = proevehandling_id
        self.data: LaeringList | None = None

    def compose(self) -> ComposeResult:
        yield TopBar(texts.LAERING_TITLE)
        with Vertical(id="laering-head"):
            yield Static("", id="laering-title")
        yield ItemList(id="laering-list", kind="laering", ask_before_delete=True)
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#laering-list", ItemList).focus()
        self.reload()

    def on_screen_resume(self) -> None:
        if self.data is not None:
            self.reload()

    def reload(self) -> None:
        maalplan_id, proevehandling_id = self.maalplan_id, self.proevehandling_id
        host(self).read(
            lambda ws: ws.laering(maalplan_id=maalplan_id, proevehandling_id=proevehandling_id),
            done=self._show,
        )

    def _show(self, data: LaeringList | None) -> None:
        if data is None:
            self.notify(texts.LAERING_NOT_FOUND, severity="warning")
            self.app.pop_screen()
            return
        self.data = data
        template = (
            texts.LAERING_OF_PROEVEHANDLING
            if data.proevehandling_id is not None
            else texts.LAERING_OF_MAALPLAN
        )
        title = " ".join(data.title.split())
        self.query_one("#laering-title", Static).update(
            Text(template.format(title=title), style="bold")
        )
        with_place = data.proevehandling_id is None
        options = [
            Option(laering_prompt(i, with_place=with_place), id=i.laering.id) for i in data.items
        ]
        self.query_one("#laering-list", ItemList).set_items(options, empty=texts.LAERING_EMPTY)

    @on(ItemList.Action, "#laering-list")
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
                self.notify(texts.DELETED_ITEM.format(what=texts.DELETED_LAERING))
                self.reload()

            host(self).write(lambda ws: ws.delete("laering", item_id), done=deleted)

    def open_form(self, row_id: str | None) -> None:
        """The læring's form; a new one is placed where the list is (the prøvehandling, else
        the målplan), dated today and written by whoever works on this laptop (the name last
        given for a vurdering, else the laptop's name)."""
        if row_id is not None:
            self._form(row_id, None)
        else:
            open_with_assessor(self, lambda who: self._form(None, who))

    def _form(self, row_id: str | None, who: str | None) -> None:
        fixed: dict[str, object] = {}
        if row_id is None and self.proevehandling_id is not None:
            fixed = {"proevehandling_id": self.proevehandling_id}
        elif row_id is None:
            fixed = {"maalplan_id": self.maalplan_id}
        spec = FormSpec(
            "laering",
            fixed=fixed,
            hidden=("maalplan_id", "proevehandling_id"),  # an existing one keeps its place
            defaults={"dato": host(self).clock().date(), "hvem": who} if row_id is None else {},
            first=("tekst",),  # what was learnt is what is typed; the date starts as today
            not_after={"dato": host(self).clock().date()},  # learnt, so not ahead of today
        )
        self.app.push_screen(RecordForm(spec, row_id), callback=self._form_closed)

    def _form_closed(self, row_id: str | None) -> None:
        """The form is closed: the list shows the row it made or edited highlighted."""
        self.query_one("#laering-list", ItemList).follow(row_id)
        self.reload()

    def action_back(self) -> None:
        self.app.pop_screen()
