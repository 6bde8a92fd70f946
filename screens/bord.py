"""A bord's mål: grouped by målsætning, with what each has and a completeness mark that follows
the day's rule (`models.rules`: del 1 a tegn, del 2 a prøvehandling), the bord's progress, and
a filter that takes whatever you type."""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input, OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from models import enums
from models.records import BordOverview, MaalGroup, MaalProgress
from models.rules import is_complete, progress
from models.visible import visible
from models.words import counted
from screens import texts
from screens.base import host
from screens.widgets import AppFooter, Hanging, StyledOnce, TopBar, hanging, plain

Entry = tuple[MaalGroup, MaalProgress | None]
"""A line of the list: a målsætning's heading (mål None) or one of its mål."""


def progress_text(groups: tuple[MaalGroup, ...], dagdel: str) -> str:
    """«3 af 5 mål har tegn» (or prøvehandlinger, on del 2)."""
    done, total = progress(groups, dagdel)
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


FIRST_CHUNK = 80  # options shown at once: more than a 120x40 screen holds
NEXT_CHUNK = 50  # options added per step after that (a few ms of work, so keys wait little)
CHUNK_PAUSE = 0.01  # seconds between the steps (1,000 mål are all there in about 0.4 s)


class BordScreen(StyledOnce, Screen[None]):
    """The facilitator's main screen for one bord."""

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
            yield OptionList(id="bord-maal")
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
        self.dagdel = data.dagdel
        self.query_one(TopBar).set_title(
            texts.BORD_TITLE.format(bord=bord.navn, dag=dag.titel if dag is not None else "")
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
            listing.add_option(Option(Text(empty, style="italic"), disabled=True))
            return
        ids = [m.id if m is not None else None for _g, m in entries]
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

    def _option(self, entry: Entry) -> Option:
        key = self._entry_key(entry)
        option = self._option_cache.get(key)
        if option is None:
            group, maal = entry
            if maal is None:
                head = plain(group.tekst)
                head.stylize("bold")
                option = Option(head, disabled=True)
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
                self.open_maal(option.id)

    def on_key(self, event: events.Key) -> None:
        listing = self.query_one("#bord-maal", OptionList)
        filt = self.query_one("#bord-filter", Input)
        if self.focused is listing:
            # Type-ahead: letters typed on the list go to the filter, and the list keeps the
            # focus, so ↑↓ and Enter go on working on what is left. (Moving the focus would
            # also restyle the screen on the first key.) `/` edits the filter itself.
            if event.is_printable and event.character and event.character != "/":
                change = filt.value + event.character
            elif event.key == "backspace" and filt.value:
                change = filt.value[:-1]
            else:
                return
            event.stop()
            event.prevent_default()
            filt.value = change
            filt.cursor_position = len(change)
        elif self.focused is filt and event.key == "down":
            event.stop()
            listing.focus()

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
            self.open_maal(event.option.id)

    def open_maal(self, maal_id: str) -> None:
        host(self).open_maal(maal_id, bord_id=self.bord_id)

    def action_notes(self) -> None:
        from screens.maal import NotesScreen

        if self.data is not None:
            self.app.push_screen(NotesScreen(bord_id=self.bord_id, title=self.data.bord.navn))

    def action_deltagere(self) -> None:
        from screens.deltagere import DeltagereScreen

        self.app.push_screen(DeltagereScreen(self.bord_id))
