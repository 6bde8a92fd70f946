"""A bord's mål: grouped by målsætning, with what each has and a completeness mark that follows
the day's rule (`models.rules`: del 1 a tegn, del 2 a prøvehandling, a lederdag a mål for every
målsætning), the bord's progress, and a filter that takes whatever you type.

On a lederdag the bord writes the mål itself: Insert (or Enter on a målsætning) opens a new
mål's form for the highlighted målsætning, Enter on a mål edits it, Delete asks and deletes,
Ctrl+Z undoes. A new mål is put on the bord and on its enhed's målplan in the action that
created it (`Workspace.place_lederdag_maal`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from models import enums
from models.records import BordOverview, Choice, MaalGroup, MaalProgress
from models.rules import (
    group_complete,
    is_complete,
    lederdag_year,
    new_lederdag_maal,
    progress,
)
from models.visible import visible
from models.words import count, counted
from screens import texts
from screens.base import host
from screens.widgets import (
    AppFooter,
    Hanging,
    PagedOptionList,
    StyledOnce,
    TopBar,
    confirm_delete,
    hanging,
    plain,
    type_ahead,
)

if TYPE_CHECKING:
    from screens.forms import FormSpec, RecordForm

MAALSAETNING_PREFIX = "maalsaetning:"  # option ids of a lederdag's målsætninger

Entry = tuple[MaalGroup, MaalProgress | None]
"""A line of the list: a målsætning's heading (mål None) or one of its mål."""


# «· del 1» (or «Del 2», «- lederdag») at the end of a day's title, by the day's own part:
# said first instead.
_DAGDEL_WORDS = {"del1": r"del\s*1", "del2": r"del\s*2", "lederdag": r"lederdag"}


def bord_title(bord: str, dag: str, dagdel: str) -> str:
    """The bord screen's title: which day first («Del 1», «Del 2», «Lederdag»), since del 1
    and del 2 share their borde and mål and the end of a long title is cut at 80 columns,
    then the bord and the day's title (without the day's part repeated at its end)."""
    words = _DAGDEL_WORDS.get(dagdel)
    at_end = rf"[\s·,:–-]*\b({words})\s*$" if words else None
    shown = re.sub(at_end, "", dag, flags=re.IGNORECASE) if at_end else dag
    return " · ".join(x for x in (texts.DAGDEL_SHORT.get(dagdel, ""), bord, shown) if x)


def progress_text(groups: tuple[MaalGroup, ...], dagdel: str) -> str:
    """«3 af 5 mål har tegn» (or prøvehandlinger, on del 2; «2 af 3 målsætninger har et mål»
    on a lederdag)."""
    done, total = progress(groups, dagdel)
    if dagdel == enums.Del.LEDERDAG:
        return texts.LEDERDAG_PROGRESS.format(done=done, total=count("maalsaetning", total))
    template = texts.BORD_PROGRESS_DEL2 if dagdel == enums.Del.DEL2 else texts.BORD_PROGRESS_DEL1
    return template.format(done=done, total=total)


def filter_groups(groups: tuple[MaalGroup, ...], query: str) -> tuple[MaalGroup, ...]:
    """The groups and mål whose text, målsætning, enhed or ansvarlig contains every word of
    the query (case and accents as typed, case-insensitive)."""
    words = query.casefold().split()
    if not words:
        return groups
    out = []
    for g in groups:
        head = g.tekst.casefold()
        if _has_all(head, words):
            out.append(g)  # the målsætning itself matches (on a lederdag: also without mål)
            continue
        kept = tuple(
            m
            for m in g.maal
            if _has_all(" ".join([head, m.tekst, m.enhed_navn, m.ansvarlig or ""]), words)
        )
        if kept:
            out.append(replace(g, maal=kept))
    return tuple(out)


def _has_all(text: str, words: list[str]) -> bool:
    hay = text.casefold()
    return all(w in hay for w in words)


def maal_prompt(m: MaalProgress, dagdel: str) -> Hanging:
    done = is_complete(m, dagdel)
    mark = Text(
        texts.MARK_DONE if done else texts.MARK_MISSING,
        style="bold green" if done else "bold yellow",
    )
    body = plain(m.tekst)
    meta = texts.BORD_COUNTS.format(
        **counted(
            {"tegn": m.tegn, "proevehandlinger": m.proevehandlinger, "samarbejder": m.samarbejder}
        )
    )
    if m.enhed_navn:
        meta += " · " + m.enhed_navn
    body.append("\n" + visible(meta), style="dim")
    return hanging(mark, body)


def _cut(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def period(m: MaalProgress) -> str:
    """«2027», «2027-2029» or «» for a mål's years."""
    years = [str(y) for y in (m.fra_aar, m.til_aar) if y]
    if len(years) == 2 and years[0] == years[1]:
        return years[0]
    return "-".join(years)


def lederdag_maal_prompt(m: MaalProgress) -> Hanging:
    """A mål written on a lederdag: its text; enhed, ansvarlig and period; mulige partnere."""
    body = plain(m.tekst or "…")
    meta = texts.LEDERDAG_MAAL_META.format(
        enhed=m.enhed_navn or texts.LEDERDAG_NO_ENHED,
        ansvarlig=m.ansvarlig or texts.UNKNOWN,
        periode=period(m) or texts.UNKNOWN,
    )
    body.append("\n" + visible(meta), style="dim")
    partnere = ", ".join(line.strip() for line in (m.mulige_partnere or "").splitlines() if line)
    if partnere.strip():
        body.append("\n" + visible(texts.LEDERDAG_PARTNERE.format(partnere=partnere)), style="dim")
    return hanging("  •", body)


def lederdag_group_prompt(group: MaalGroup) -> Hanging:
    """A målsætning of a lederdag bord: ✓ once it has a mål, ✗ (and how to write one) until."""
    done = group_complete(group)
    mark = Text(
        texts.MARK_DONE if done else texts.MARK_MISSING,
        style="bold green" if done else "bold yellow",
    )
    body = plain(group.tekst)
    body.stylize("bold")
    hint = (
        texts.LEDERDAG_GROUP_COUNT.format(maal=count("maal", len(group.maal)))
        if done
        else texts.LEDERDAG_GROUP_EMPTY
    )
    body.append("\n" + hint, style="dim")
    return hanging(mark, body)


def lederdag_maal_form(spec: FormSpec, maal_id: str | None) -> RecordForm:
    """The mål form of a lederdag: the målsætning shown at the top (as chosen where the form
    was opened) and the cursor in the mål's text, where the leaders start writing."""
    from screens.forms import RecordForm

    class LederdagMaalForm(RecordForm):
        def _build(self, values: Mapping[str, object]) -> None:
            super()._build(values)
            # After the form has put the focus on its first field (the målsætning).
            self.call_after_refresh(self._focus_text)

        def _focus_text(self) -> None:
            for field in self.query("#f-tekst"):
                field.focus(scroll_visible=False)

    return LederdagMaalForm(spec, maal_id)


FIRST_CHUNK = 80  # options shown at once: more than a 120x40 screen holds
NEXT_CHUNK = 50  # options added per step after that (a few ms of work, so keys wait little)
CHUNK_PAUSE = 0.01  # seconds between the steps (1,000 mål are all there in about 0.4 s)


class BordScreen(StyledOnce, Screen[None]):
    """The facilitator's main screen for one bord."""

    # Narrow (an 80-column terminal): the progress bar gives its line to the words and the
    # facilitator's name, which say the same and more.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    HELP_KEY = "bord"
    BINDINGS = [
        Binding("escape", "back", texts.B_BACK[0], tooltip=texts.B_BACK[1], id="bord.back"),
        Binding(
            "slash",
            "filter",
            texts.B_FILTER[0],
            tooltip=texts.B_FILTER[1],
            id="bord.filter",
            show=False,
        ),
        Binding(
            "f3,ctrl+o",
            "app.program",
            texts.B_PROGRAM[0],
            tooltip=texts.B_PROGRAM[1],
            id="bord.program",
        ),
        Binding("f4,ctrl+b", "notes", texts.B_NOTES[0], tooltip=texts.B_NOTES[1], id="bord.notes"),
        Binding(
            "f7,ctrl+l",
            "deltagere",
            texts.B_DELTAGERE[0],
            tooltip=texts.B_DELTAGERE[1],
            id="bord.deltagere",
        ),
        Binding(
            "f9,ctrl+f",
            "app.close_day",
            texts.B_CLOSE_DAY[0],
            tooltip=texts.B_CLOSE_DAY[1],
            id="bord.close_day",
        ),
        # The lederdag's own keys (only there: on del 1 and del 2 the mål are prepared).
        Binding(
            "insert,ctrl+a",
            "new_maal",
            texts.B_LEDERDAG_ADD[0],
            tooltip=texts.B_LEDERDAG_ADD[1],
            id="bord.new_maal",
        ),
        Binding(
            "delete",
            "delete_maal",
            texts.B_LEDERDAG_DELETE[0],
            tooltip=texts.B_LEDERDAG_DELETE[1],
            id="bord.delete_maal",
            show=False,
        ),
    ]

    def __init__(self, bord_id: str) -> None:
        super().__init__()
        self.bord_id = bord_id
        self.data: BordOverview | None = None
        self.dagdel = enums.Del.DEL1.value
        # Options built once per read and reused by every keystroke of the filter: building
        # and measuring a prompt is the expensive part of showing the list.
        self._option_cache: dict[tuple[str, str], Option] = {}
        self._shown: list[tuple[str, str]] = []
        # Long lists are shown a screenful first and the rest after the first frame;
        # a newer render makes an older one's remaining chunks stale.
        self._generation = 0

    def compose(self) -> ComposeResult:
        yield TopBar("")
        with Vertical(id="bord-body"):
            with Horizontal(id="bord-head"):
                yield Static("", id="bord-progress-text")
                yield ProgressBar(id="bord-progress", show_eta=False, show_percentage=False)
                yield Static("", id="bord-facilitator", classes="muted")
            yield Input(
                placeholder=texts.BORD_FILTER_PLACEHOLDER, id="bord-filter", select_on_focus=False
            )
            yield PagedOptionList(id="bord-maal")
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#bord-maal", OptionList).focus()
        self.reload()

    def on_screen_resume(self) -> None:
        if self.data is not None:
            self.reload()

    def show_bord(self, bord_id: str) -> None:
        """Show another bord in this (reused) screen: building the screen is a large part
        of opening a bord, so the app keeps one and fills it again."""
        self.bord_id = bord_id
        self.data = None
        self._option_cache = {}
        self._shown = []
        self._generation += 1
        self.query_one(TopBar).set_title("")
        for widget_id in ("#bord-progress-text", "#bord-facilitator"):
            self.query_one(widget_id, Static).update("")
        self.query_one("#bord-progress", ProgressBar).update(total=None, progress=0)
        self.query_one("#bord-filter", Input).value = ""
        listing = self.query_one("#bord-maal", OptionList)
        listing.clear_options()
        listing.focus()
        self.reload()

    def reload(self) -> None:
        bord_id = self.bord_id

        def done(data: BordOverview | None) -> None:
            if bord_id == self.bord_id:  # not a read for a bord shown before this one
                self._show(data)

        host(self).read(lambda ws: ws.bord(bord_id), done=done)

    def _show(self, data: BordOverview | None) -> None:
        if data is None:
            self.notify(texts.BORD_NOT_FOUND, severity="warning")
            if self.is_current:
                self.app.pop_screen()
            return
        self.data = data
        bord, dag = data.bord, data.dag
        if self.dagdel != data.dagdel:
            self.dagdel = data.dagdel
            self.refresh_bindings()  # the lederdag's keys show (or hide) in the footer
        self.query_one(TopBar).set_title(
            bord_title(bord.navn, dag.titel if dag else "", data.dagdel)
        )
        self.query_one("#bord-facilitator", Static).update(
            plain(texts.BORD_FACILITATOR.format(name=bord.facilitator or texts.UNKNOWN))
        )
        done, total = progress(data.groups, self.dagdel)
        self.query_one("#bord-progress-text", Static).update(
            Text(progress_text(data.groups, self.dagdel), style="bold")
        )
        self.query_one("#bord-progress", ProgressBar).update(total=max(total, 1), progress=done)
        self._option_cache = {}
        self._shown = []  # a new read: the texts and marks may have changed, not only the ids
        self.render_list()

    def render_list(self) -> None:
        """Show the mål that pass the filter (only what changed since the last keystroke)."""
        if self.data is None:
            return
        listing = self.query_one("#bord-maal", OptionList)
        query = self.query_one("#bord-filter", Input).value
        groups = filter_groups(self.data.groups, query)
        keep = None
        if listing.highlighted is not None and listing.option_count:
            keep = listing.get_option_at_index(listing.highlighted).id
        # What to show, as (group, mål) pairs; the options themselves are built (and cached
        # for the next keystroke) only when they are added to the list.
        entries: list[Entry] = []
        for g in groups:
            entries.append((g, None))
            entries.extend((g, m) for m in g.maal)
        shown = [self._entry_key(e) for e in entries]
        if entries and shown == self._shown and listing.option_count == len(entries):
            return  # the same mål as before the keystroke: nothing to redraw
        self._shown = shown
        self._generation += 1
        listing.clear_options()
        if not entries:
            empty = texts.BORD_NO_MATCH.format(query=query) if query.strip() else texts.BORD_NO_MAAL
            if self.lederdag and not query.strip():
                empty = texts.LEDERDAG_NO_MAALSAETNINGER
            listing.add_option(Option(Text(empty, style="italic"), disabled=True))
            return
        ids = [self._option_id(e) for e in entries]
        target = ids.index(keep) if keep is not None and keep in ids else None
        if target is None:
            target = next((n for n, i in enumerate(ids) if i is not None), None)
        # Measuring an option (wrapping its text) is the cost of a long list: add what fills
        # the screen now, with the highlighted mål, and the rest after the frame is painted.
        first = max(FIRST_CHUNK, (target or 0) + 1)
        listing.add_options([self._option(e) for e in entries[:first]])
        if target is not None:
            listing.highlighted = target
        if first < len(entries):
            self._later(self._generation, entries, first)

    def _later(
        self,
        generation: int,
        entries: list[Entry],
        start: int,
    ) -> None:
        # After the frame is painted, and with a pause so keys typed meanwhile come first.
        self.call_after_refresh(
            self.set_timer, CHUNK_PAUSE, lambda: self._add_rest(generation, entries, start)
        )

    def _add_rest(
        self,
        generation: int,
        entries: list[Entry],
        start: int,
    ) -> None:
        if generation != self._generation or not self.is_mounted:
            return  # a newer keystroke or read has replaced this list
        listing = self.query_one("#bord-maal", OptionList)
        end = start + NEXT_CHUNK
        listing.add_options([self._option(e) for e in entries[start:end]])
        if end < len(entries):
            self._later(generation, entries, end)

    @staticmethod
    def _entry_key(entry: Entry) -> tuple[str, str]:
        group, maal = entry
        return ("m", maal.id) if maal is not None else ("g", group.id)

    @property
    def lederdag(self) -> bool:
        """Whether the bord's day is a lederdag (the bord writes its mål itself)."""
        return self.dagdel == enums.Del.LEDERDAG

    def _option_id(self, entry: Entry) -> str | None:
        """A mål's id; a målsætning's (prefixed) on a lederdag, where it can be chosen."""
        group, maal = entry
        if maal is not None:
            return maal.id
        return MAALSAETNING_PREFIX + group.id if self.lederdag and group.id else None

    def _option(self, entry: Entry) -> Option:
        key = self._entry_key(entry)
        option = self._option_cache.get(key)
        if option is None:
            group, maal = entry
            if maal is None and self.lederdag and group.id:
                option = Option(lederdag_group_prompt(group), id=self._option_id(entry))
            elif maal is None:
                head = plain(group.tekst)
                head.stylize("bold")
                option = Option(head, disabled=True)
            elif self.lederdag:
                option = Option(lederdag_maal_prompt(maal), id=maal.id)
            else:
                option = Option(maal_prompt(maal, self.dagdel), id=maal.id)
            self._option_cache[key] = option
        return option

    # --- filter as you type -----------------------------------------------------------------

    @on(Input.Changed, "#bord-filter")
    def _filter_changed(self) -> None:
        self.render_list()

    @on(Input.Submitted, "#bord-filter")
    def _filter_submitted(self) -> None:
        listing = self.query_one("#bord-maal", OptionList)
        listing.focus()
        if listing.highlighted is not None:
            option = listing.get_option_at_index(listing.highlighted)
            if option.id:
                self.open_option(option.id)

    def on_key(self, event: events.Key) -> None:
        listing = self.query_one("#bord-maal", OptionList)
        type_ahead(event, self.focused, listing, self.query_one("#bord-filter", Input))

    def action_filter(self) -> None:
        self.query_one("#bord-filter", Input).focus()

    def action_back(self) -> None:
        filt = self.query_one("#bord-filter", Input)
        if filt.value:
            filt.value = ""
            self.query_one("#bord-maal", OptionList).focus()
            return
        self.app.pop_screen()

    # --- opening ----------------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#bord-maal")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.open_option(event.option.id)

    def open_option(self, option_id: str) -> None:
        """Enter on the list: a målsætning (lederdag) gets a new mål, a mål opens."""
        if option_id.startswith(MAALSAETNING_PREFIX):
            self.new_maal(option_id.removeprefix(MAALSAETNING_PREFIX))
        else:
            self.open_maal(option_id)

    def open_maal(self, maal_id: str) -> None:
        """Open a mål: on a lederdag its form (the mål, its enhed, period and partners are
        the day's work), on del 1 and del 2 the mål screen with its tegn and prøvehandlinger."""
        if self.lederdag:
            self._open_form(maal_id, None)
        else:
            host(self).open_maal(maal_id, bord_id=self.bord_id)

    # --- the lederdag: writing mål ----------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("new_maal", "delete_maal"):
            return self.lederdag
        return True

    def _highlighted(self) -> tuple[str | None, MaalGroup | None]:
        """The highlighted mål's id (None on a målsætning) and its målsætning's group."""
        listing = self.query_one("#bord-maal", OptionList)
        if self.data is None or listing.highlighted is None or not listing.option_count:
            return None, None
        option_id = listing.get_option_at_index(listing.highlighted).id or ""
        for group in self.data.groups:
            if option_id == MAALSAETNING_PREFIX + group.id:
                return None, group
            if any(m.id == option_id for m in group.maal):
                return option_id, group
        return None, None

    def action_new_maal(self) -> None:
        _maal_id, group = self._highlighted()
        if group is None or not group.id:
            self.notify(texts.LEDERDAG_PICK_MAALSAETNING, severity="warning")
            return
        self.new_maal(group.id)

    def new_maal(self, maalsaetning_id: str) -> None:
        """Open a new mål's form for a målsætning of this (lederdag) bord."""
        if not self.lederdag:
            self.notify(texts.LEDERDAG_ONLY, severity="warning")
            return
        self._open_form(None, maalsaetning_id)

    def _year(self) -> int:
        dag = self.data.dag if self.data is not None else None
        return lederdag_year(dag.dato if dag is not None else None, host(self).clock().date())

    def _open_form(self, maal_id: str | None, maalsaetning_id: str | None) -> None:
        host(self).read(
            lambda ws: ws.enhed_choices(),
            done=lambda choices: self._push_form(maal_id, maalsaetning_id, choices),
        )

    def _push_form(
        self, maal_id: str | None, maalsaetning_id: str | None, enheder: tuple[Choice, ...]
    ) -> None:
        from screens.forms import FormSpec

        year = self._year()
        # The målsætning starts as the one the mål was asked for, shown at the top (so the
        # leaders see what they write for) and chosen among the bord's; the målplan follows
        # the enhed (set when the form closes); Plan A is the tovholder's, on the målplan.
        groups = self.data.groups if self.data is not None else ()
        defaults = new_lederdag_maal(year) if maal_id is None else {}
        if maalsaetning_id:
            defaults["maalsaetning_id"] = maalsaetning_id
        bord_id = self.bord_id
        spec = FormSpec(
            "maal",
            hidden=("maalplan_id", "plan_a"),
            defaults=defaults,
            choices={
                "enhed_id": list(enheder),
                "maalsaetning_id": [(_cut(g.tekst, 66), g.id) for g in groups if g.id],
            },
            # On the bord as soon as it exists (in the same database job as its creation and
            # undone with it), not only when the form closes: a laptop that dies with the form
            # open keeps the mål on its bord.
            on_create=lambda ws, row_id: ws.place_lederdag_maal(bord_id, row_id, year=year),
        )

        def closed(row_id: str | None) -> None:
            if row_id is None:
                self.reload()
                return
            host(self).write(
                lambda ws: ws.place_lederdag_maal(bord_id, row_id, year=year),
                done=lambda _changed: self.reload(),
            )

        self.app.push_screen(lederdag_maal_form(spec, maal_id), callback=closed)

    def action_delete_maal(self) -> None:
        maal_id, group = self._highlighted()
        if group is None:
            return
        if maal_id is None:
            self.notify(texts.LEDERDAG_DELETE_MAALSAETNING)
            return
        tekst = next((m.tekst for m in group.maal if m.id == maal_id), "")

        def deleted(_n: int) -> None:
            self.notify(texts.DELETED_ITEM.format(what="Målet"))
            self.reload()

        def delete() -> None:
            host(self).write(lambda ws: ws.delete("maal", maal_id), done=deleted)

        # As every list asks: Enter deletes, Esc keeps (Ctrl+Z undoes).
        confirm_delete(
            self,
            "maal",
            maal_id,
            lambda also: texts.CONFIRM_DELETE_ITEM.format(text=tekst, also=also),
            delete,
        )

    def action_notes(self) -> None:
        from screens.maal import NotesScreen

        if self.data is not None:
            self.app.push_screen(NotesScreen(bord_id=self.bord_id, title=self.data.bord.navn))

    def action_deltagere(self) -> None:
        from screens.deltagere import DeltagereScreen

        self.app.push_screen(DeltagereScreen(self.bord_id))
