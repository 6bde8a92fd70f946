"""One mål: its text, målsætning, enhed and ansvarlig on top; tabs with its tegn,
prøvehandlinger and samarbejder (add / edit / delete / reorder) and free notes."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import AwaitMount
from textual.widgets import Label, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from exports.takeaway import period
from models import enums
from models.queries import enhed_choices, evaluering_counts, live_rows, maal_detail
from tui import texts
from tui.widgets import (
    AppFooter,
    AutoSave,
    AutoTextArea,
    Hanging,
    ItemList,
    StyledOnce,
    TopBar,
    hanging,
    plain,
)

from .forms import FormSpec, RecordForm

FIELDS = {
    "tegn": ["tekst", "type", "datakilde", "baseline", "forventet_niveau"],
    "proevehandling": [
        "tekst",
        "forventning",
        "ansvarlig",
        "start",
        "slut",
        "borgerinddragelse",
        "borgerinddragelse_hvordan",
        "evaluering_undervejs",
        "evaluering_afslutning",
        "tegn_ids",
    ],
    "samarbejde": [
        "partner_ids",
        "niveau",
        "forventningsafstemning",
        "rollefordeling",
        "maal_for_samarbejdet",
    ],
}
DEFAULTS = {"tegn": {"type": "kvalitativ"}, "samarbejde": {"niveau": "viden"}}
EMPTY = {
    "tegn": texts.EMPTY_TEGN,
    "proevehandling": texts.EMPTY_PROEVE,
    "samarbejde": texts.EMPTY_SAMARB,
}


def tegn_prompt(n: int, t: dict[str, Any]) -> Hanging:
    body = plain(t["tekst"])
    meta = texts.TEGN_META.format(
        type=enums.label(enums.TegnType(t["type"])), datakilde=t["datakilde"] or texts.UNKNOWN
    )
    if t.get("baseline") or t.get("forventet_niveau"):
        meta += f" · {t.get('baseline') or '?'} → {t.get('forventet_niveau') or '?'}"
    body.append("\n" + meta, style="dim")
    return hanging(f"{n}.", body)


def proeve_prompt(n: int, p: dict[str, Any]) -> Hanging:
    body = plain(p["tekst"])
    meta = texts.PROEVE_META.format(
        ansvarlig=p["ansvarlig"] or texts.UNKNOWN,
        periode=period(p["start"], p["slut"]) or texts.UNKNOWN,
    )
    if p.get("tegn_ids"):
        meta += texts.PROEVE_FOLLOWS.format(n=len(p["tegn_ids"]))
    evals = p.get("evalueringer", 0)
    if evals:
        meta += texts.PROEVE_EVAL_ONE if evals == 1 else texts.PROEVE_EVALS.format(n=evals)
    body.append("\n" + meta, style="dim")
    return hanging(f"{n}.", body)


def samarb_prompt(n: int, s: dict[str, Any]) -> Hanging:
    partnere = ", ".join(s.get("partnere") or []) or texts.NO_PARTNERS
    body = Text(
        texts.SAMARB_META.format(niveau=enums.label(enums.Niveau(s["niveau"])), partnere=partnere)
    )
    if s.get("maal_for_samarbejdet"):
        body.append("\n")
        body.append_text(plain(s["maal_for_samarbejdet"]))
        body.stylize("dim", len(body) - len(s["maal_for_samarbejdet"]))
    return hanging(f"{n}.", body)


PROMPTS = {"tegn": tegn_prompt, "proevehandling": proeve_prompt, "samarbejde": samarb_prompt}
KEYS = {"tegn": "tegn", "proevehandling": "proevehandlinger", "samarbejde": "samarbejder"}


class MaalScreen(StyledOnce, Screen[None]):
    """Everything the table writes about one mål."""

    HELP_KEY = "maal"
    BINDINGS = [
        Binding("escape", "back", texts.B_BACK[0], tooltip=texts.B_BACK[1], id="maal.back"),
        Binding("k", "qr", texts.B_QR[0], tooltip=texts.B_QR[1], id="maal.qr"),
        Binding(
            "v",
            "evalueringer",
            texts.B_EVALUERINGER[0],
            tooltip=texts.B_EVALUERINGER[1],
            id="maal.evalueringer",
        ),
        Binding("1", "tab('tab-tegn')", show=False, id="maal.tab1"),
        Binding("2", "tab('tab-proevehandling')", show=False, id="maal.tab2"),
        Binding("3", "tab('tab-samarbejde')", show=False, id="maal.tab3"),
        Binding("4", "tab('tab-noter')", show=False, id="maal.tab4"),
    ]

    def __init__(self, maal_id: str, *, bord_id: str | None = None) -> None:
        super().__init__()
        self.maal_id = maal_id
        self.bord_id = bord_id
        self.detail: dict[str, Any] | None = None
        self.enheder: list[tuple[str, str]] = []
        self.notes: NotesPanel | None = None

    def compose(self) -> ComposeResult:
        yield TopBar(texts.CMD["table"][0])
        with Vertical(id="maal-head"):
            yield Static("", id="maal-tekst")
            yield Static("", id="maal-maalsaetning", classes="muted")
            yield Static("", id="maal-meta", classes="muted")
        with TabbedContent(id="maal-tabs"):
            with TabPane(texts.TAB_TEGN.format(n=0), id="tab-tegn"):
                yield ItemList(id="list-tegn", kind="tegn")
            with TabPane(texts.TAB_PROEVE.format(n=0), id="tab-proevehandling"):
                yield ItemList(id="list-proevehandling", kind="proevehandling")
            with TabPane(texts.TAB_SAMARB.format(n=0), id="tab-samarbejde"):
                yield ItemList(id="list-samarbejde", kind="samarbejde")
            # The notes panel is mounted when its tab is first shown: its three text areas
            # are the costliest part of the screen to build and style, and most visits to a
            # mål never open the notes.
            yield TabPane(texts.TAB_NOTES, id="tab-noter")
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#list-tegn", ItemList).focus()
        self.reload()

    def on_screen_resume(self) -> None:
        if self.detail is not None:
            self.reload()

    def show_maal(self, maal_id: str, *, bord_id: str | None = None) -> None:
        """Show another mål in this (reused) screen: building the screen is most of the cost
        of opening a mål, so the table keeps one and fills it again."""
        if self.notes is not None:
            # Anything typed in the previous mål's notes is saved to that mål first.
            for area in self.notes.query(AutoTextArea):
                area.commit_now()
            self.notes.remove()
            self.notes = None
        self.maal_id = maal_id
        self.bord_id = bord_id
        self.detail = None
        for widget_id in ("#maal-tekst", "#maal-maalsaetning", "#maal-meta"):
            self.query_one(widget_id, Static).update("")
        for item_list in self.query(ItemList):
            item_list.clear_options()
        self.query_one("#maal-tabs", TabbedContent).active = "tab-tegn"
        self.query_one("#list-tegn", ItemList).focus()
        self.reload()

    def reload(self) -> None:
        db = self.app.store.db
        maal_id = self.maal_id

        def read() -> tuple[dict[str, Any] | None, list[tuple[str, str]]]:
            detail = maal_detail(db, maal_id)
            if detail is not None:
                counts = evaluering_counts(db, [p["id"] for p in detail["proevehandlinger"]])
                for p in detail["proevehandlinger"]:
                    p["evalueringer"] = counts.get(p["id"], 0)
            return detail, enhed_choices(db)

        def done(result: tuple[dict[str, Any] | None, list[tuple[str, str]]]) -> None:
            if maal_id == self.maal_id:  # not a read for a mål shown before this one
                self._show(result)

        self.app.submit(read, done=done)

    def _show(self, result: tuple[dict[str, Any] | None, list[tuple[str, str]]]) -> None:
        detail, self.enheder = result
        if detail is None:
            self.notify(texts.MAAL_NOT_FOUND, severity="warning")
            if self.is_current:
                self.app.pop_screen()
            return
        self.detail = detail
        maal = detail["maal"]
        self.query_one("#maal-tekst", Static).update(Text(maal["tekst"], style="bold"))
        self.query_one("#maal-maalsaetning", Static).update(
            Text(texts.MAAL_MAALSAETNING.format(tekst=detail["maalsaetning"] or texts.UNKNOWN))
        )
        meta = texts.MAAL_META.format(
            enhed=detail["enhed_navn"] or texts.UNKNOWN,
            ansvarlig=maal["ansvarlig"] or texts.UNKNOWN,
        )
        if maal.get("plan_a"):
            meta += " · " + texts.PLAN_A_SHORT.format(numre=", ".join(map(str, maal["plan_a"])))
        self.query_one("#maal-meta", Static).update(Text(meta))
        self.refresh_bindings()
        tabs = self.query_one("#maal-tabs", TabbedContent)
        for entity, template in (
            ("tegn", texts.TAB_TEGN),
            ("proevehandling", texts.TAB_PROEVE),
            ("samarbejde", texts.TAB_SAMARB),
        ):
            rows = detail[KEYS[entity]]
            tabs.get_tab(f"tab-{entity}").label = template.format(n=len(rows))
            options = [Option(PROMPTS[entity](n, r), id=r["id"]) for n, r in enumerate(rows, 1)]
            self.query_one(f"#list-{entity}", ItemList).set_items(options, empty=EMPTY[entity])
        if self.notes is not None and self.notes.is_mounted:
            self.notes.show_notes(detail["noter"])  # (a panel still mounting reads them itself)

    # --- list actions -----------------------------------------------------------------------

    @on(ItemList.Action)
    def _item_action(self, event: ItemList.Action) -> None:
        entity = event.item_list.kind
        if entity not in FIELDS or self.detail is None:
            return
        store = self.app.store
        if event.action in ("add", "edit"):
            self.open_form(entity, event.item_id if event.action == "edit" else None)
        elif event.action == "delete" and event.item_id:
            label = _label(entity)
            self.app.save(
                store.delete,
                entity,
                event.item_id,
                done=lambda _n: (
                    self.notify(texts.DELETED_ITEM.format(what=label.capitalize())),
                    self.reload(),
                ),
            )
        elif event.action in ("up", "down") and event.item_id:
            delta = -1 if event.action == "up" else 1

            def moved(ok: bool) -> None:
                if not ok:
                    self.notify(texts.MOVED_EDGE)
                self.reload()

            self.app.save(store.move, entity, event.item_id, delta, done=moved)

    def open_form(self, entity: str, row_id: str | None) -> None:
        assert self.detail is not None
        choices: dict[str, list[tuple[str, str]]] = {}
        if entity == "proevehandling":
            choices["tegn_ids"] = [
                (f"{n}. {t['tekst']}", t["id"]) for n, t in enumerate(self.detail["tegn"], 1)
            ]
        if entity == "samarbejde":
            own = self.detail["maal"]["enhed_id"]
            choices["partner_ids"] = [(name, eid) for name, eid in self.enheder if eid != own]
        spec = FormSpec(
            entity,
            FIELDS[entity],
            fixed={"maal_id": self.maal_id},
            defaults=DEFAULTS.get(entity, {}),
            choices=choices,
        )
        self.app.push_screen(RecordForm(spec, row_id), callback=lambda _rid: self.reload())

    def action_back(self) -> None:
        self.app.pop_screen()

    def _ensure_notes(self) -> AwaitMount | None:
        """Mount the notes panel the first time it is needed (None: it is there already)."""
        if self.notes is not None:
            return None
        self.notes = NotesPanel(maal_id=self.maal_id)
        return self.query_one("#tab-noter", TabPane).mount(self.notes)

    async def action_tab(self, tab: str) -> None:
        if tab == "tab-noter" and (mounting := self._ensure_notes()) is not None:
            await mounting
        self.query_one("#maal-tabs", TabbedContent).active = tab
        pane = self.query_one(f"#{tab}", TabPane)
        # The first field or list, not the notes' scroll container (typing there went nowhere).
        focusable = [w for w in pane.query("*") if w.can_focus and not isinstance(w, NotesPanel)]
        if focusable:
            focusable[0].focus()

    @on(TabbedContent.TabActivated, "#maal-tabs")
    def _tab_activated(self, event: TabbedContent.TabActivated) -> None:
        self.refresh_bindings()
        pane = event.pane
        if pane.id == "tab-noter":
            self._ensure_notes()  # clicked: the panel appears as soon as it is mounted
        lists = pane.query(ItemList)
        if lists and self.focused not in lists:
            lists.first().focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "evalueringer":
            # Only where it means something: on the prøvehandlinger tab.
            tabs = self.query("#maal-tabs")
            return bool(tabs) and tabs.first(TabbedContent).active == "tab-proevehandling"
        return True

    def action_evalueringer(self) -> None:
        from screens.evalueringer import EvalueringerScreen

        listing = self.query_one("#list-proevehandling", ItemList)
        proeve_id = listing.highlighted_id
        if proeve_id is None:
            self.notify(texts.EVAL_NEED_PROEVE, severity="warning")
            return
        self.app.push_screen(EvalueringerScreen(proeve_id))

    def action_qr(self) -> None:
        from screens.takeaway import TakeawayScreen

        if self.detail is not None:
            self.app.push_screen(TakeawayScreen(self.detail))


def _label(entity: str) -> str:
    from models.schema import ENTITIES

    return ENTITIES[entity].label


# --- notes --------------------------------------------------------------------------------------


class NotesPanel(VerticalScroll):
    """Free notes for a mål or a table: notes, parking lot and læring, each one text that saves
    itself (one note row per kind, created when the first word is written)."""

    DEFAULT_CSS = """
    NotesPanel AutoTextArea { min-height: 4; max-height: 10; }
    """

    def __init__(self, *, maal_id: str | None = None, bord_id: str | None = None) -> None:
        super().__init__()
        self.maal_id = maal_id
        self.bord_id = bord_id
        self.note_ids: dict[str, str] = {}

    def on_mount(self) -> None:
        # Mounted when a mål's notes tab is first shown: show the notes it has already read.
        detail = getattr(self.screen, "detail", None)
        if detail is not None:
            self.show_notes(detail["noter"])

    def compose(self) -> ComposeResult:
        for kind in enums.NoteType:
            yield Label(texts.NOTE_TYPES[kind.value], classes="field-label")
            yield AutoTextArea(kind.value, "", id=f"note-{kind.value}")

    def show_notes(self, notes: list[dict[str, Any]]) -> None:
        self.note_ids = {}
        texts_by_kind: dict[str, str] = {}
        for note in notes:
            if note["type"] not in self.note_ids:
                self.note_ids[note["type"]] = note["id"]
                texts_by_kind[note["type"]] = note["tekst"]
        for kind in enums.NoteType:
            area = self.query_one(f"#note-{kind.value}", AutoTextArea)
            if not area.dirty:
                area.load(texts_by_kind.get(kind.value, ""))

    def handle_commit(self, widget: AutoSave, kind: str, value: str) -> None:
        store = self.app.store
        note_ids = self.note_ids
        where = {"maal_id": self.maal_id} if self.maal_id else {"bord_id": self.bord_id}

        def save() -> None:
            note_id = note_ids.get(kind)
            if note_id is None and value.strip():
                note_ids[kind] = store.create("note", {**where, "type": kind, "tekst": value})
            elif note_id is not None and not value.strip():
                store.delete("note", note_id)
                note_ids.pop(kind, None)
            elif note_id is not None:
                store.update("note", note_id, {"tekst": value})

        self.app.save(save, done=lambda _r: widget.mark_saved(value))


class NotesScreen(Screen[None]):
    """The table's own notes (parking lot, læring)."""

    HELP_KEY = "table"
    BINDINGS = [
        Binding("escape", "back", texts.B_BACK[0], tooltip=texts.B_BACK[1], id="notes.back")
    ]

    def __init__(self, *, bord_id: str, title: str) -> None:
        super().__init__()
        self.bord_id = bord_id
        self.title_text = title

    def compose(self) -> ComposeResult:
        yield TopBar(f"{texts.TABLE_NOTES} · {self.title_text}")
        yield NotesPanel(bord_id=self.bord_id)
        yield AppFooter()

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#note-note").focus()

    def reload(self) -> None:
        self.app.submit(
            live_rows,
            self.app.store.db,
            "note",
            bord_id=self.bord_id,
            done=self.query_one(NotesPanel).show_notes,
        )

    def action_back(self) -> None:
        for area in self.query(AutoTextArea):
            area.commit_now()
        self.app.pop_screen()
