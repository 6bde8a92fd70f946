"""The day's programme: the blocks with planned times and the timer for the current block
(start, pause, next). Time left is large enough to read from across the table; running over
changes its colour and counts on, without sound or blinking."""

from __future__ import annotations

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Digits, Label, OptionList, Static
from textual.widgets.option_list import Option

from models.records import Programme
from models.rules import planned_starts
from screens import texts
from screens.base import host
from screens.timer import clock_text
from screens.widgets import AppFooter, TopBar, hanging, plain


class ProgrammeList(OptionList):
    """The day's blocks: Enter on one makes it the current one; a click only moves the
    highlight (OptionList selects on a click, and one stray click moved the programme)."""

    async def _on_click(self, event: events.Click) -> None:
        event.prevent_default()  # not OptionList's own click, which selects
        clicked = event.style.meta.get("option")
        if clicked is not None and not self._options[clicked].disabled:
            self.highlighted = clicked


class ProgramScreen(Screen[None]):
    """Programme and timer of the chosen udviklingsdag."""

    HELP_KEY = "program"
    BINDINGS = [
        Binding("escape", "back", texts.B_BACK[0], tooltip=texts.B_BACK[1], id="program.back"),
        Binding(
            "space,f5",
            "app.timer_toggle",
            texts.B_TIMER[0],
            tooltip=texts.B_TIMER[1],
            id="program.timer",
        ),
        Binding(
            "n,N,f6", "app.timer_next", texts.B_NEXT[0], tooltip=texts.B_NEXT[1], id="program.next"
        ),
        Binding(
            "p,P",
            "app.timer_previous",
            texts.B_PREVIOUS[0],
            tooltip=texts.B_PREVIOUS[1],
            id="program.previous",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.programme: Programme | None = None
        self._rendered: tuple[int, int] | None = None

    def compose(self) -> ComposeResult:
        yield TopBar(texts.PROGRAM_TITLE)
        with Vertical(id="program-body"):
            yield Static("", id="program-title")
            with Horizontal(id="program-clock-row"):
                yield Digits("--:--", id="program-digits")
                yield Static("", id="program-clock")
            with Horizontal(id="program-buttons"):
                yield Button(texts.B_TIMER[0] + " (F5)", id="program-toggle", variant="primary")
                yield Button(texts.B_NEXT[0] + " (F6)", id="program-next")
            yield Label(texts.PROGRAM_TITLE, classes="panel-title")
            yield ProgrammeList(id="program-blocks")
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#program-blocks", OptionList).focus()
        self.set_interval(1.0, self.refresh_programme)
        self.reload()

    def reload(self) -> None:
        day_id = host(self).day_id
        host(self).read(lambda ws: ws.programme(day_id), done=self._loaded)

    def _loaded(self, programme: Programme | None) -> None:
        self.programme = programme
        self._rendered = None
        if programme is None:
            self.query_one("#program-title", Static).update(texts.PROGRAM_NO_DAY)
            return
        app = host(self)
        self.query_one("#program-title", Static).update(plain(programme.dag.titel, style="bold"))
        if app.day_id != programme.dag.id:
            app.load_timer(programme.dag.id)
        else:
            app.timer.set_blocks([(b.titel, b.minutter) for b in programme.blokke])
        self.refresh_programme()

    def refresh_programme(self) -> None:
        timer = host(self).timer
        now = host(self).now_seconds()
        digits = self.query_one("#program-digits", Digits)
        clock = self.query_one("#program-clock", Static)
        over = timer.over(now)
        digits.set_class(over, "-over")
        clock.set_class(over, "-over")
        if not timer.blocks:
            digits.update("--:--")
            clock.update(texts.PROGRAM_NONE)
        elif timer.finished:
            digits.update("00:00")
            clock.update(texts.TIMER_DONE)
        else:
            title, _ = timer.current or ("", 0)
            left = timer.remaining(now)
            digits.update(("+" if left < 0 else "") + clock_text(left))
            if not timer.started:
                status = texts.TIMER_IDLE
            else:
                template = texts.TIMER_OVER if left < 0 else texts.TIMER_LEFT
                status = template.format(title=title, time=clock_text(left))
                if not timer.running:
                    status += texts.TIMER_PAUSED
            clock.update(plain(status))
        self._render_blocks()

    def _render_blocks(self) -> None:
        if self.programme is None:
            return
        timer = host(self).timer
        # Redraw the list only when the current block changes, not every second.
        key = (timer.index, len(self.programme.blokke))
        if key == self._rendered:
            return
        self._rendered = key
        blocks = [(b.titel, b.minutter) for b in self.programme.blokke]
        starts = planned_starts(self.programme.dag.starttid, blocks)
        listing = self.query_one("#program-blocks", OptionList)
        highlighted = listing.highlighted
        listing.clear_options()
        if not blocks:
            listing.add_option(Option(Text(texts.PROGRAM_NONE, style="italic"), disabled=True))
            return
        for n, ((title, minutes), start) in enumerate(zip(blocks, starts, strict=True)):
            mark = Text("▶" if n == timer.index else ("✓" if n < timer.index else " "))
            line = plain(texts.TIMER_BLOCK_LINE.format(start=start, title=title, minutes=minutes))
            if n < timer.index:
                mark.stylize("dim")
                line.stylize("dim")
            else:
                mark.stylize("bold")
                if n == timer.index:
                    line.stylize("bold")
            # A long title wraps under the text, not under the mark.
            listing.add_option(Option(hanging(mark, line), id=f"blok-{n}"))
        listing.highlighted = highlighted if highlighted is not None else timer.index

    @on(OptionList.OptionSelected, "#program-blocks")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        """Enter on a block: it becomes the current one (back after «next» came too soon)."""
        option_id = event.option.id or ""
        if option_id.startswith("blok-"):
            host(self).timer_go_to(int(option_id.removeprefix("blok-")))

    @on(Button.Pressed, "#program-toggle")
    def _toggle(self) -> None:
        host(self).action_timer_toggle()

    @on(Button.Pressed, "#program-next")
    def _next(self) -> None:
        host(self).action_timer_next()

    def action_back(self) -> None:
        self.app.pop_screen()
