"""One mål: its text, målsætning, enhed and ansvarlig on top; tabs with its tegn,
prøvehandlinger and samarbejder (add / edit / delete / reorder) and free notes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from time import monotonic
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widget import AwaitMount, Widget
from textual.widgets import Label, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from exports.takeaway import period
from models import enums
from models.nyt_aar import Forbindelser
from models.records import Choice, MaalDetail, Note, NoteSaved, Proevehandling, Samarbejde, Tegn
from models.visible import visible
from models.words import count
from screens import texts
from screens.base import host
from screens.nyt_aar import link_lines
from screens.widgets import (
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

if TYPE_CHECKING:
    from models.workspace import Workspace

Shown = tuple[MaalDetail | None, tuple[Choice, ...], tuple[Forbindelser, Forbindelser] | None]
"""What the mål screen reads: the mål, the enheder to choose from, and where the mål and its
prøvehandlinger were carried from and to by «nyt år»."""

EMPTY = {
    "tegn": texts.EMPTY_TEGN,
    "proevehandling": texts.EMPTY_PROEVEHANDLING,
    "samarbejde": texts.EMPTY_SAMARBEJDE,
}


def tegn_prompt(n: int, t: Tegn) -> Hanging:
    body = plain(t.tekst)
    meta = texts.TEGN_META.format(
        type=enums.label(enums.TegnType(t.type)), datakilde=t.datakilde or texts.UNKNOWN
    )
    if t.baseline or t.forventet_niveau:
        meta += f" · {t.baseline or '?'} → {t.forventet_niveau or '?'}"
    body.append("\n" + visible(meta), style="dim")
    return hanging(f"{n}.", body)


def proevehandling_prompt(n: int, p: Proevehandling, links: Forbindelser | None = None) -> Hanging:
    body = plain(p.tekst)
    meta = texts.PROEVEHANDLING_META.format(
        ansvarlig=p.ansvarlig or texts.UNKNOWN,
        periode=period(p.start, p.slut) or texts.PROEVEHANDLING_NO_PERIOD,
    )
    if p.tegn_ids:
        meta += texts.PROEVEHANDLING_FOLLOWS.format(n=len(p.tegn_ids))
    if p.evalueringer:
        meta += texts.PROEVEHANDLING_EVALS.format(n=count("evaluering", p.evalueringer))
    body.append("\n" + visible(meta), style="dim")
    for line in link_lines(links, p.id):
        body.append("\n")
        body.append_text(plain(line, style="dim italic"))
    return hanging(f"{n}.", body)


def samarbejde_prompt(n: int, s: Samarbejde) -> Hanging:
    partnere = ", ".join(s.partnere) or texts.NO_PARTNERS
    niveau = enums.label(enums.Niveau(s.niveau))
    body = Text(texts.SAMARBEJDE_META.format(niveau=niveau, partnere=partnere))
    if s.maal_for_samarbejdet:
        body.append("\n")
        body.append_text(plain(s.maal_for_samarbejdet))
        body.stylize("dim", len(body) - len(s.maal_for_samarbejdet))
    return hanging(f"{n}.", body)


def _options(detail: MaalDetail, entity: str, links: Forbindelser | None = None) -> list[Option]:
    """The list items of one tab (`links`: where carried prøvehandlinger came from and went)."""
    if entity == "tegn":
        return [Option(tegn_prompt(n, t), id=t.id) for n, t in enumerate(detail.tegn, 1)]
    if entity == "proevehandling":
        return [
            Option(proevehandling_prompt(n, p, links), id=p.id)
            for n, p in enumerate(detail.proevehandlinger, 1)
        ]
    return [Option(samarbejde_prompt(n, s), id=s.id) for n, s in enumerate(detail.samarbejder, 1)]


SAFE_LIST: dict[str, bool] = {"letters": False, "ask_before_delete": True}
"""The mål screen's lists: no letter commands, and Delete asks first."""

HINT_PAUSE = 8.0
"""Seconds between two hints that letters typed on a list go nowhere."""


def maal_title(tekst: str) -> str:
    """«Mål: <the mål's text>» on one line, cut with «…» (the top bar cuts it further)."""
    line = " ".join(tekst.split())
    if len(line) > TITLE_CHARS:
        line = line[: TITLE_CHARS - 1].rstrip() + "…"
    return texts.MAAL_TITLE.format(tekst=line)


TITLE_CHARS = 70

TABS = ("tab-tegn", "tab-proevehandling", "tab-samarbejde", "tab-noter")
"""The mål screen's tabs, in the order they are shown (and keys 1-4 choose)."""


def first_tab(dagdel: str | None) -> str:
    """The tab a mål opens on: what the day is about (del 2: prøvehandlinger). A lederdag
    writes the mål itself in its form (with the mulige partnere); when its mål screen opens
    (from the checklist) it opens on the samarbejder, where those partners lead."""
    if dagdel == enums.Del.LEDERDAG.value:
        return TABS[2]
    return TABS[1] if dagdel == enums.Del.DEL2.value else TABS[0]


class MaalScreen(StyledOnce, Screen[None]):
    """Everything the bord writes about one mål."""

    HELP_KEY = "maal"
    BINDINGS = [
        Binding("escape", "back", texts.B_BACK[0], tooltip=texts.B_BACK[1], id="maal.back"),
        # No letters here: the lists sit next to the group's text, and a facilitator who thinks
        # the cursor is in a field types on (see ItemList's `letters`).
        Binding("ctrl+k", "qr", texts.B_QR[0], tooltip=texts.B_QR[1], id="maal.qr"),
        Binding(
            "ctrl+e",
            "evalueringer",
            texts.B_EVALUERINGER[0],
            tooltip=texts.B_EVALUERINGER[1],
            id="maal.evalueringer",
        ),
        # The same «follow up» key on the tegn tab: the chosen tegn's målinger.
        Binding(
            "ctrl+e",
            "maalinger",
            texts.B_MAALINGER[0],
            tooltip=texts.B_MAALINGER[1],
            id="maal.maalinger",
        ),
        # 1-4: the tabs, in the order they are shown.
        *(
            Binding(str(n), f"tab('{tab}')", label, tooltip=tip, show=False, id=f"maal.tab{n}")
            for n, (tab, (label, tip)) in enumerate(zip(TABS, texts.B_MAAL_TABS, strict=True), 1)
        ),
    ]

    def __init__(self, maal_id: str, *, bord_id: str | None = None) -> None:
        super().__init__()
        self.maal_id = maal_id
        self.bord_id = bord_id
        self.detail: MaalDetail | None = None
        self.enheder: tuple[Choice, ...] = ()
        self.notes: NotesPanel | None = None
        self._hinted = -HINT_PAUSE  # when the hint about letters was last shown

    def compose(self) -> ComposeResult:
        yield TopBar(texts.MAAL_TITLE_EMPTY)
        with Vertical(id="maal-head"):
            yield Static("", id="maal-tekst")
            yield Static("", id="maal-maalsaetning", classes="muted")
            yield Static("", id="maal-meta", classes="muted")
        with TabbedContent(id="maal-tabs", initial=first_tab(self._dagdel())):
            with TabPane(texts.TAB_TEGN.format(n=0), id="tab-tegn"):
                yield ItemList(id="list-tegn", kind="tegn", **SAFE_LIST)
            with TabPane(texts.TAB_PROEVEHANDLING.format(n=0), id="tab-proevehandling"):
                yield ItemList(id="list-proevehandling", kind="proevehandling", **SAFE_LIST)
            with TabPane(texts.TAB_SAMARBEJDE.format(n=0), id="tab-samarbejde"):
                yield ItemList(id="list-samarbejde", kind="samarbejde", **SAFE_LIST)
            # The notes panel is mounted when its tab is first shown: its three text areas
            # are the costliest part of the screen to build and style, and most visits to a
            # mål never open the notes.
            yield TabPane(texts.TAB_NOTES, id="tab-noter")
        yield AppFooter()

    def on_mount(self) -> None:
        self._open_first_tab()
        self.reload()

    def _dagdel(self) -> str | None:
        """The day's part of the bord the mål was opened from (its screen lies below)."""
        from screens.bord import BordScreen

        for screen in reversed(self.app.screen_stack):
            if isinstance(screen, BordScreen) and screen.bord_id == self.bord_id:
                return screen.dagdel if screen.data is not None else None
        return None

    def _open_first_tab(self) -> None:
        tab = first_tab(self._dagdel())
        self.query_one("#maal-tabs", TabbedContent).active = tab
        self.query_one(f"#list-{tab.removeprefix('tab-')}", ItemList).focus()

    def on_key(self, event: events.Key) -> None:
        # A letter typed on a list goes nowhere (no letter is a command here); say once in a
        # while where the text can go, so the facilitator is not left wondering.
        if not isinstance(self.focused, ItemList) or not event.is_printable:
            return
        if not event.character or event.character.isdigit() or event.character == " ":
            return
        now = monotonic()
        if now - self._hinted >= HINT_PAUSE:
            self._hinted = now
            self.notify(texts.MAAL_LETTER_HINT, timeout=6)

    def on_screen_resume(self) -> None:
        if self.detail is not None:
            self.reload()

    def show_maal(self, maal_id: str, *, bord_id: str | None = None) -> None:
        """Show another mål in this (reused) screen: building the screen is most of the cost
        of opening a mål, so the app keeps one and fills it again."""
        if self.notes is not None:
            # The panel stays (its text areas are costly to build, and removed ones were kept
            # in memory); anything typed in the previous mål's notes is saved to that mål.
            self.notes.show_maal(maal_id)
        self.maal_id = maal_id
        self.bord_id = bord_id
        self.detail = None
        for widget_id in ("#maal-tekst", "#maal-maalsaetning", "#maal-meta"):
            self.query_one(widget_id, Static).update("")
        for item_list in self.query(ItemList):
            item_list.clear_options()
        self.query_one(TopBar).set_title(texts.MAAL_TITLE_EMPTY)
        self._open_first_tab()
        self.reload()

    def reload(self) -> None:
        maal_id = self.maal_id

        def done(result: Shown) -> None:
            if maal_id == self.maal_id:  # not a read for a mål shown before this one
                self._show(result)

        def read(ws: Workspace) -> Shown:
            detail = ws.maal(maal_id)
            if detail is None:
                return None, (), None
            ids = [maal_id, *(p.id for p in detail.proevehandlinger)]
            # A mål and its prøvehandlinger are read apart (their ids are of two tables).
            links = ws.nyt_aar_links("maal", ids[:1]), ws.nyt_aar_links("proevehandling", ids[1:])
            return detail, ws.enhed_choices(), links

        host(self).read(read, done=done)

    def _show(self, result: Shown) -> None:
        detail, self.enheder, links = result
        if detail is None:
            self.notify(texts.MAAL_NOT_FOUND, severity="warning")
            if self.is_current:
                self.app.pop_screen()
            return
        self.detail = detail
        maal = detail.maal
        self.query_one(TopBar).set_title(maal_title(maal.tekst))
        self.query_one("#maal-tekst", Static).update(plain(maal.tekst, style="bold"))
        self.query_one("#maal-maalsaetning", Static).update(
            plain(texts.MAAL_MAALSAETNING.format(tekst=detail.maalsaetning or texts.UNKNOWN))
        )
        meta = texts.MAAL_META.format(
            enhed=detail.enhed_navn or texts.UNKNOWN,
            ansvarlig=maal.ansvarlig or texts.UNKNOWN,
        )
        if maal.plan_a:
            meta += " · " + texts.PLAN_A_SHORT.format(numre=", ".join(map(str, maal.plan_a)))
        mulige = [n.strip() for n in (maal.mulige_partnere or "").splitlines() if n.strip()]
        if mulige:
            meta += "\n" + texts.MULIGE_PARTNERE_SHORT.format(navne=", ".join(mulige))
        for line in link_lines(links[0] if links else None, maal.id):
            meta += "\n" + line
        self.query_one("#maal-meta", Static).update(plain(meta))
        self.refresh_bindings()
        tabs = self.query_one("#maal-tabs", TabbedContent)
        for entity, template in (
            ("tegn", texts.TAB_TEGN),
            ("proevehandling", texts.TAB_PROEVEHANDLING),
            ("samarbejde", texts.TAB_SAMARBEJDE),
        ):
            options = _options(detail, entity, links[1] if links else None)
            tabs.get_tab(f"tab-{entity}").label = template.format(n=len(options))
            self.query_one(f"#list-{entity}", ItemList).set_items(options, empty=EMPTY[entity])
        if self.notes is not None and self.notes.is_mounted:
            self.notes.show_notes(detail.noter)  # (a panel still mounting reads them itself)

    # --- list actions -----------------------------------------------------------------------

    @on(ItemList.Action)
    def _item_action(self, event: ItemList.Action) -> None:
        entity = event.item_list.kind
        if entity not in EMPTY or self.detail is None:
            return
        item_id = event.item_id
        if event.action in ("add", "edit"):
            self.open_form(entity, item_id if event.action == "edit" else None)
        elif event.action == "delete" and item_id:
            label = _label(entity)

            def deleted(_n: int) -> None:
                self.notify(texts.DELETED_ITEM.format(what=label.capitalize()))
                self.reload()

            host(self).write(lambda ws: ws.delete(entity, item_id), done=deleted)
        elif event.action in ("up", "down") and item_id:
            delta = -1 if event.action == "up" else 1

            def moved(ok: bool) -> None:
                if not ok:
                    self.notify(texts.MOVED_EDGE)
                self.reload()

            host(self).write(lambda ws: ws.move(entity, item_id, delta), done=moved)

    def open_form(self, entity: str, row_id: str | None) -> None:
        assert self.detail is not None
        choices: dict[str, list[Choice]] = {}
        if entity == "proevehandling":
            choices["tegn_ids"] = [
                (f"{n}. {t.tekst}", t.id) for n, t in enumerate(self.detail.tegn, 1)
            ]
        if entity == "samarbejde":
            own = self.detail.maal.enhed_id
            choices["partner_ids"] = [(name, eid) for name, eid in self.enheder if eid != own]
        spec = FormSpec(entity, fixed={"maal_id": self.maal_id}, choices=choices)
        self.app.push_screen(
            RecordForm(spec, row_id), callback=lambda rid: self._form_closed(entity, rid)
        )

    def _form_closed(self, entity: str, row_id: str | None) -> None:
        """The form is closed: its tab's list shows the row it made or edited highlighted."""
        found = self.query(f"#list-{entity}")
        if found:
            found.first(ItemList).follow(row_id)
        self.reload()

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
        lists = list(pane.query(ItemList))
        if lists and self.focused not in lists:
            lists[0].focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "evalueringer":
            # Only where it means something: on the prøvehandlinger tab.
            tabs = self.query("#maal-tabs")
            return bool(tabs) and tabs.first(TabbedContent).active == "tab-proevehandling"
        if action == "maalinger":
            tabs = self.query("#maal-tabs")
            return bool(tabs) and tabs.first(TabbedContent).active == "tab-tegn"
        return True

    def action_maalinger(self) -> None:
        from screens.maalinger import MaalingerScreen

        tegn_id = self.query_one("#list-tegn", ItemList).highlighted_id
        if tegn_id is None:
            self.notify(texts.MAALINGER_NEED_TEGN, severity="warning")
            return
        self.app.push_screen(MaalingerScreen(tegn_id))

    def action_evalueringer(self) -> None:
        from screens.evalueringer import EvalueringerScreen

        listing = self.query_one("#list-proevehandling", ItemList)
        proevehandling_id = listing.highlighted_id
        if proevehandling_id is None:
            self.notify(texts.EVAL_NEED_PROEVEHANDLING, severity="warning")
            return
        self.app.push_screen(EvalueringerScreen(proevehandling_id))

    def action_qr(self) -> None:
        from screens.takeaway import TakeawayScreen

        if self.detail is not None:
            self.app.push_screen(TakeawayScreen(self.detail))


def _label(entity: str) -> str:
    from models.schema import ENTITIES

    return ENTITIES[entity].label


# --- notes --------------------------------------------------------------------------------------


class _Slot:
    """Which note row a text area writes to (None: none yet, the first word creates it). An
    area gets a new slot when it is shown for another mål, so a save still queued for the
    previous mål keeps writing to that mål's row."""

    __slots__ = ("note_id",)

    def __init__(self, note_id: str | None = None) -> None:
        self.note_id = note_id


class NoteArea(AutoTextArea):
    """The text of one note row. The area with id `note-<kind>` is this laptop's own note of
    that kind (`mine`); it is there even before the note exists."""

    def __init__(
        self, kind: str, value: str = "", *, mine: bool = False, note_id: str | None = None
    ) -> None:
        super().__init__(kind, value, id=f"note-{kind}" if mine else None)
        self.kind = kind
        self.mine = mine
        self.slot = _Slot(note_id)
        self.note: Note | None = None  # the row as last read (for its label)
        self.retired = False  # removed from the panel (removal finishes later)

    def retire(self) -> None:
        self.retired = True
        self.remove()

    @property
    def note_id(self) -> str | None:
        return self.slot.note_id


def _when(moment: datetime | None, today: date) -> str:
    if moment is None:
        return "?"
    return moment.strftime("%H:%M" if moment.date() == today else "%d-%m-%Y %H:%M")


def note_origin(note: Note, today: date) -> str:
    """«fra Bord 3 - Jens, 14:05», and who changed it last if that was another laptop."""
    device = note.written_by or texts.NOTE_UNKNOWN_DEVICE
    template = texts.NOTE_FROM_HERE if note.own else texts.NOTE_FROM
    text = template.format(device=device, time=_when(note.written, today))
    if note.edited_by_id and note.edited_by_id != note.written_by_id:
        text += texts.NOTE_EDITED.format(
            device=note.edited_by or texts.NOTE_UNKNOWN_DEVICE,
            time=_when(note.edited, today),
        )
    return text


class NotesPanel(VerticalScroll):
    """Free notes for a mål or a bord: notes, parking lot and læring. Each kind shows every
    note of that kind, each a text that saves itself, and this laptop's own note (created
    when the first word is written). Several notes of a kind arrive when the tovholder merges
    handoff files from several laptops; each is then labelled with where it came from."""

    DEFAULT_CSS = """
    NotesPanel AutoTextArea { min-height: 4; max-height: 10; }
    NotesPanel .note-group { height: auto; }
    """

    def __init__(self, *, maal_id: str | None = None, bord_id: str | None = None) -> None:
        super().__init__()
        self.maal_id = maal_id
        self.bord_id = bord_id
        self._pending = 0  # saves handed to the queue whose answer has not come back
        self._stale = False  # a read arrived while saves were pending: read again after them

    def on_mount(self) -> None:
        # Mounted when a mål's notes tab is first shown: show the notes it has already read.
        screen = self.screen
        if isinstance(screen, MaalScreen):
            detail = screen.detail
            if detail is not None and detail.maal.id == self.maal_id:
                self.show_notes(detail.noter)

    def compose(self) -> ComposeResult:
        for kind in enums.NoteType:
            with Vertical(id=f"notes-{kind.value}", classes="note-group"):
                yield Label(texts.NOTE_TYPES[kind.value], classes="field-label")
                yield NoteArea(kind.value, mine=True)

    def _where(self) -> tuple[str | None, str | None]:
        """(maal_id, bord_id): whose notes these are (one of them is None)."""
        return (self.maal_id, None) if self.maal_id else (None, self.bord_id)

    def areas(self, kind: str) -> list[NoteArea]:
        """The text areas of one kind, in the order shown."""
        group = self.query_one(f"#notes-{kind}", Vertical)
        return [w for w in group.children if isinstance(w, NoteArea) and not w.retired]

    def show_maal(self, maal_id: str) -> None:
        """Empty the panel for another mål (the reused mål screen): anything typed is saved
        to the previous mål first; its notes arrive with the new mål's detail."""
        for area in self.query(NoteArea):
            area.commit_now()
        self.maal_id = maal_id
        for kind in enums.NoteType:
            for area in self.areas(kind.value):
                if area.mine:
                    area.slot = _Slot()
                    area.note = None
                    area.load("")
                    area.border_title = None
                else:
                    area.retire()
            self._label(kind.value).update(texts.NOTE_TYPES[kind.value])

    def reload_notes(self) -> None:
        """Read this mål's (or bord's) notes again and show them."""
        where = maal_id, bord_id = self._where()

        def done(notes: tuple[Note, ...]) -> None:
            if self._where() == where:
                self.show_notes(notes)

        host(self).read(lambda ws: ws.notes(maal_id=maal_id, bord_id=bord_id), done=done)

    def _label(self, kind: str) -> Label:
        return self.query_one(f"#notes-{kind}", Vertical).query_one(Label)

    def show_notes(self, notes: Sequence[Note]) -> None:
        """Show the notes read from the database. Text being typed is kept; a read made
        before a save that has not come back is read again after it."""
        if not self.is_attached:
            return
        if self._pending:
            self._stale = True
            return
        by_kind: dict[str, list[Note]] = {k.value: [] for k in enums.NoteType}
        for note in notes:
            by_kind.get(note.type, by_kind[enums.NoteType.NOTE.value]).append(note)
        today = host(self).clock().date()
        for kind, rows in by_kind.items():
            self._show_kind(kind, rows, today)

    def _show_kind(self, kind: str, rows: list[Note], today: date) -> None:
        group = self.query_one(f"#notes-{kind}", Vertical)
        areas = self.areas(kind)
        mine = next(a for a in areas if a.mine)
        live = {r.id: r for r in rows}
        kept: list[NoteArea] = []
        for area in areas:
            gone = area.note_id is not None and area.note_id not in live
            if area.dirty:
                if gone:  # typed into a note that was deleted meanwhile: it becomes a new one
                    area.slot = _Slot()
                kept.append(area)
            elif area.mine:
                if gone:  # (its creation was undone, say)
                    area.slot = _Slot()
                    area.note = None
                    area.load("")
                kept.append(area)
            elif gone or area.note_id is None:
                area.retire()  # an extra note deleted (here or by undo), or emptied
            else:
                kept.append(area)
        by_id = {a.note_id: a for a in kept if a.note_id is not None}
        if mine.note_id is None and not mine.dirty:
            free = next((r for r in rows if r.own and r.id not in by_id), None)
            if free is not None:
                mine.slot = _Slot(free.id)
                by_id[free.id] = mine
        ordered: list[NoteArea] = []
        for row in rows:
            area_of_row = by_id.get(row.id)
            if area_of_row is None:
                area_of_row = NoteArea(kind, row.tekst, note_id=row.id)
            elif not area_of_row.dirty and (
                area_of_row.text != row.tekst or area_of_row.saved_value != row.tekst
            ):
                area_of_row.load(row.tekst)
            area_of_row.note = row
            ordered.append(area_of_row)
        ordered += [a for a in kept if a.note_id is None and not a.mine]
        if mine.note_id is None:
            ordered.append(mine)  # this laptop's next note comes last
        previous: Widget = self._label(kind)
        shown = [w for w in group.children if not (isinstance(w, NoteArea) and w.retired)]
        for n, area in enumerate(ordered, 1):
            if area.parent is None:
                group.mount(area, after=previous)
            elif n >= len(shown) or shown[n] is not area:
                group.move_child(area, after=previous)
            previous = area
        several = len(ordered) > 1
        for area in ordered:
            if not several:
                area.border_title = None
            elif area.note is None:
                area.border_title = texts.NOTE_NEW_HERE
            else:
                # A border title given as a string is read as markup: the laptop's name (from
                # another laptop's file) goes in as Text, never parsed.
                area.border_title = plain(note_origin(area.note, today))
        label = texts.NOTE_TYPES[kind]
        if len(rows) > 1:
            label = texts.NOTE_TYPE_COUNT.format(label=label, n=len(rows))
        self._label(kind).update(label)

    def handle_commit(self, widget: AutoSave, field: str, value: Any) -> None:
        if not isinstance(widget, NoteArea):
            return
        slot = widget.slot
        kind, text = field, str(value)
        maal_id, bord_id = self._where()
        foreign = widget.note is not None and not widget.note.own
        device = (widget.note.written_by if widget.note else "") or texts.NOTE_UNKNOWN_DEVICE

        def save(ws: Workspace) -> NoteSaved:
            # The slot changes here, in the queue, so the next save of this area (queued
            # already, perhaps) writes to the note this one created.
            saved = ws.save_note(
                slot.note_id, kind=kind, text=text, maal_id=maal_id, bord_id=bord_id
            )
            slot.note_id = saved.note_id
            return saved

        def done(saved: NoteSaved) -> None:
            self._pending -= 1
            if widget.slot is slot:
                widget.mark_saved(text)
            if saved.deleted and foreign:
                self.notify(texts.NOTE_DELETED.format(device=device))
            self._after_save()

        def failed(exc: Exception) -> None:
            self._pending -= 1
            if widget.slot is slot:
                widget.mark_error(str(exc))
            host(self).report_error(exc)
            self._after_save()

        self._pending += 1
        host(self).write(save, done=done, error=failed)

    def _after_save(self) -> None:
        if not self._pending and self._stale and self.is_attached:
            self._stale = False
            self.reload_notes()


class NotesScreen(Screen[None]):
    """The bord's own notes (parking lot, læring)."""

    HELP_KEY = "bord"
    BINDINGS = [
        Binding("escape", "back", texts.B_BACK[0], tooltip=texts.B_BACK[1], id="notes.back")
    ]

    def __init__(self, *, bord_id: str, title: str) -> None:
        super().__init__()
        self.bord_id = bord_id
        self.title_text = title

    def compose(self) -> ComposeResult:
        yield TopBar(f"{texts.BORD_NOTES} · {self.title_text}")
        yield NotesPanel(bord_id=self.bord_id)
        yield AppFooter()

    def on_mount(self) -> None:
        self.reload()
        self.query_one("#note-note").focus()

    def reload(self) -> None:
        self.query_one(NotesPanel).reload_notes()

    def action_back(self) -> None:
        for area in self.query(AutoTextArea):
            area.commit_now()
        self.app.pop_screen()
