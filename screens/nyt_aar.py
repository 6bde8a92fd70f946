"""«Nyt år»: start next year's målplaner from this year's (`models.nyt_aar`).

One list of ticks, grouped per målplan: each running mål with its tegn, open prøvehandlinger
and samarbejder, and (greyed, without a tick) what is not carried and why. Running mål, their
tegn and open prøvehandlinger start ticked; samarbejder and Plan A indicators do not. Unticking
a mål unticks what hangs under it (ticked again, they get their ticks back); ticking a tegn or
prøvehandling ticks its mål. It opens on the newest year before today's plan year with
something to carry (else the nearest later one). From a year that is not over it says so, and
the question waits on Enter. «Start ÅR» asks first (Enter starts, Esc keeps), writes it all as
one action and shows what was written; Ctrl+Z undoes it all."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Label, Select, SelectionList, Static
from textual.widgets.selection_list import Selection

from models.aarshjul import season
from models.enums import label
from models.nyt_aar import (
    Forbindelser,
    ForTidligt,
    NytAarForslag,
    NytAarResultat,
    NytAarValg,
    Udeladt,
)
from screens import texts
from screens.base import host
from screens.forms import ConfirmScreen
from screens.widgets import AppFooter, StateSelectionList, TopBar, plain

if TYPE_CHECKING:
    from models.workspace import Workspace

MAAL, TEGN, HANDLING, SAMARBEJDE, PLAN_A = "maal", "tegn", "proevehandling", "samarbejde", "plan_a"
INFO = "info"
"""Lines without a tick: a plan's heading and what is not carried."""


def years_text(fra: int | None, til: int | None) -> str:
    """«(2026-2027)», «(fra 2026, uden slutår)», «(til 2027)» or «(uden slutår)»."""
    if fra and til:
        return f"({fra}-{til})"
    if til:
        return texts.NYT_AAR_YEARS_TIL.format(til=til)
    if fra:
        return texts.NYT_AAR_YEARS_FRA.format(fra=fra)
    return texts.NYT_AAR_YEARS_NONE


def link_lines(links: Forbindelser | None, row_id: str) -> list[str]:
    """«Videreført fra 2027: Målplan for Nordlys Skole» and «Videreført til 2028» for a mål or
    prøvehandling carried by «nyt år» (none for one that was not)."""
    if links is None:
        return []
    lines: list[str] = []
    came = links.fra.get(row_id)
    if came is not None:
        lines.append(texts.CARRIED_FROM.format(aar=came.aar, titel=came.titel))
    for went in links.til.get(row_id, ()):
        lines.append(texts.CARRIED_TO.format(aar=went.aar))
    return lines


def early_text(early: ForTidligt) -> str:
    """Why starting `early.til_aar` now is early."""
    from screens.aarshjul import full_date  # (the årshjul screen shows the carried links)

    if early.begyndt:
        return texts.NYT_AAR_EARLY_RUNNING.format(fra=early.fra_aar, til=early.til_aar)
    return texts.NYT_AAR_EARLY_NOT_BEGUN.format(
        fra=early.fra_aar, til=early.til_aar, start=full_date(early.start), aktuelt=early.aktuelt
    )


def first_to_carry(ws: Workspace, years: tuple[int, ...]) -> NytAarForslag | None:
    """The year the screen opens on: the newest year before today's plan year (the usual
    «nyt år») that has something to carry, else the nearest later one that has, else that
    newest earlier year (or the newest year) to say that nothing can go on."""
    now = season(ws.today())
    earlier = [y for y in years if y < now]
    later = sorted(y for y in years if y >= now)
    for year in (*earlier, *later):
        offer = ws.nyt_aar(year)
        if offer.has_choice():
            return offer
    fallback = earlier[0] if earlier else (years[0] if years else None)
    return ws.nyt_aar(fallback) if fallback is not None else None


class NytAarList(StateSelectionList[str]):
    """The ticks; heading and «ikke med» lines (value «info:…») draw no tick box."""

    def _tickless(self, option: Selection[str]) -> bool:
        return str(option.value).startswith(INFO)


class NytAarScreen(Screen[None]):
    """Choose what of `fra_aar`'s målplaner goes on to the year after, and start it. Without
    `fra_aar`: this year's (by the app's clock) when it has målplaner, else the newest year's."""

    HELP_KEY = "nyt_aar"
    BINDINGS = [
        Binding("escape", "back", texts.B_BACK[0], tooltip=texts.B_BACK[1], id="nyt_aar.back"),
        Binding(
            "f7",
            "start",
            texts.NYT_AAR_B_START[0],
            tooltip=texts.NYT_AAR_B_START[1],
            id="nyt_aar.start",
        ),
    ]

    def __init__(self, fra_aar: int | None = None) -> None:
        super().__init__()
        self.fra_aar = fra_aar
        self.offer: NytAarForslag | None = None
        self.early: ForTidligt | None = None
        self._remembered: dict[str, set[str]] = {}  # an unticked mål -> the children it had
        self.result: NytAarResultat | None = None
        self._parents: dict[str, str] = {}  # child value -> its mål's value
        self._children: dict[str, list[str]] = {}
        self._selected: set[str] = set()
        self._years: tuple[int, ...] = ()
        self._keep_result = False
        self._after_start = False  # the list was filled again after a start: nothing ticked
        self._can_choose = False  # the list offers something to tick

    def compose(self) -> ComposeResult:
        yield TopBar(texts.NYT_AAR_TITLE)
        with Vertical(id="nyt-aar-body"):
            with Horizontal(id="nyt-aar-head"):
                yield Label(texts.NYT_AAR_YEAR, id="nyt-aar-year-label")
                # Blank only while the years are read (a Select without a blank needs options).
                yield Select[int](
                    [], id="nyt-aar-year", allow_blank=True, compact=True, prompt=texts.NYT_AAR_PICK
                )
                yield Static("", id="nyt-aar-intro")
            yield Static("", id="nyt-aar-warning")
            yield NytAarList(id="nyt-aar-list")
            yield Static("", id="nyt-aar-summary")
            with Horizontal(id="nyt-aar-actions"):
                yield Button(
                    texts.NYT_AAR_START.format(aar=""), id="nyt-aar-start", variant="primary"
                )
                yield Button(texts.B_BACK[0], id="nyt-aar-back")
            yield Static("", id="nyt-aar-result")
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#nyt-aar-list", NytAarList).focus()
        self.reload()

    # --- reading ------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the years and the proposal again (on opening, after a start, after undo: then
        the line saying what was written goes)."""
        if not self._keep_result:
            self.query_one("#nyt-aar-result", Static).update("")
        # Right after a start nothing is ticked again: what was left out stays out unless it
        # is ticked on purpose (a second start would otherwise carry it).
        self._after_start = self._keep_result
        self._keep_result = False
        wanted = self.fra_aar

        def read(ws: Workspace) -> tuple[tuple[int, ...], NytAarForslag | None, ForTidligt | None]:
            years = ws.nyt_aar_years()
            offer = ws.nyt_aar(wanted) if wanted is not None else first_to_carry(ws, years)
            early = ws.nyt_aar_too_early(offer.fra_aar) if offer is not None else None
            return years, offer, early

        host(self).read(read, done=self._loaded)

    def _loaded(
        self, result: tuple[tuple[int, ...], NytAarForslag | None, ForTidligt | None]
    ) -> None:
        years, offer, self.early = result
        warning = self.query_one("#nyt-aar-warning", Static)
        warning.update(early_text(self.early) if self.early is not None else "")
        warning.display = self.early is not None
        select = self.query_one("#nyt-aar-year", Select)
        if years != self._years:
            self._years = years
            with self.prevent(Select.Changed):
                select.set_options([(str(y), y) for y in years])
        if offer is None:
            self.offer = None
            self._fill(None)
            return
        self.fra_aar = offer.fra_aar
        if select.value != offer.fra_aar and offer.fra_aar in years:
            with self.prevent(Select.Changed):
                select.value = offer.fra_aar
        self.offer = offer
        self._fill(offer)

    def _fill(self, offer: NytAarForslag | None) -> None:
        sel = self.query_one("#nyt-aar-list", NytAarList)
        start = self.query_one("#nyt-aar-start", Button)
        intro = self.query_one("#nyt-aar-intro", Static)
        self._parents.clear()
        self._children.clear()
        self._remembered.clear()
        with self.prevent(SelectionList.SelectedChanged):
            sel.clear_options()
        if offer is None:
            intro.update(texts.NYT_AAR_NO_PLANS)
            start.disabled = True
            self._selected = set()
            self._show_summary()
            return
        intro.update(texts.NYT_AAR_INTRO.format(til=offer.til_aar))
        start.label = texts.NYT_AAR_START.format(aar=offer.til_aar)
        choice = offer.default_choice() if not self._after_start else NytAarValg(offer.fra_aar)
        options: list[Selection[str]] = []

        def info(key: str, line: Text) -> None:
            options.append(Selection(line, f"{INFO}:{key}:{len(options)}", False, disabled=True))

        def tick(kind: str, row_id: str, line: Text, on: bool, parent: str | None) -> None:
            value = f"{kind}:{row_id}"
            options.append(Selection(line, value, on))
            if parent is not None:
                self._parents[value] = parent
                self._children.setdefault(parent, []).append(value)

        for plan in offer.planer:
            if not plan.maal:
                where = texts.NYT_AAR_NOTHING_RUNS
            elif plan.target_id:
                where = texts.NYT_AAR_INTO_EXISTING.format(aar=offer.til_aar)
            else:
                where = texts.NYT_AAR_NEW_PLAN.format(titel=plan.ny_titel)
            head = plain(plan.titel, style="bold")
            head.append(f"  {where}", style="dim")
            info(plan.id, head)
            numbers = ", ".join(str(n) for n in plan.plan_a)
            if plan.plan_a_offered:
                template = (
                    texts.NYT_AAR_PLAN_A
                    if plan.target_id is None
                    else (texts.NYT_AAR_PLAN_A_EXISTING)
                )
                line = plain(template.format(numbers=numbers, aar=offer.til_aar))
                tick(PLAN_A, plan.id, line, False, None)
            elif plan.plan_a_differs:
                own = ", ".join(str(n) for n in plan.target_plan_a)
                text = texts.NYT_AAR_PLAN_A_OWN.format(aar=offer.til_aar, numbers=own)
                info(f"plan_a:{plan.id}", Text(text, style="dim"))
            for m in plan.maal:
                years = years_text(m.fra_aar, m.til_aar)
                line = plain(texts.NYT_AAR_MAAL_MARK + " ".join(m.tekst.split()))
                line.append(f" {years}", style="dim")
                parent: str | None = None
                if m.carried:
                    line.append(f"  {texts.NYT_AAR_CARRIED}", style="dim")
                    info(m.id, line)
                else:
                    tick(MAAL, m.id, line, m.id in choice.maal_ids, None)
                    parent = f"{MAAL}:{m.id}"
                for t in m.tegn:
                    line = plain(texts.NYT_AAR_TEGN_MARK + t.tekst)
                    detail = texts.NYT_AAR_TEGN_DETAIL.format(
                        baseline=t.baseline or "-", forventet=t.forventet_niveau or "-"
                    )
                    if t.seneste_maaling:
                        detail += texts.NYT_AAR_LATEST.format(maaling=t.seneste_maaling)
                    line.append(f" ({detail})", style="dim")
                    tick(TEGN, t.id, line, t.id in choice.tegn_ids, parent)
                for p in m.proevehandlinger:
                    line = plain(texts.NYT_AAR_HANDLING_MARK + p.tekst)
                    line.append(f" ({label(p.status).lower()})", style="dim")
                    tick(HANDLING, p.id, line, p.id in choice.proevehandling_ids, parent)
                for s in m.samarbejder:
                    line = plain(texts.NYT_AAR_SAMARBEJDE_MARK + s.tekst)
                    tick(SAMARBEJDE, s.id, line, False, parent)
                for u in m.udeladt:
                    info(u.id, self._left(u, texts.NYT_AAR_CHILD_INDENT))
            for u in plan.udeladt:
                info(u.id, self._left(u, ""))
        if not offer.planer:
            info("none", Text(texts.NYT_AAR_NO_PLANS_YEAR.format(aar=offer.fra_aar), style="dim"))
        # Nothing that can be ticked (every mål ended this year, or is carried already): say
        # so at the top instead of «Mellemrum: til/fra», and the start waits.
        self._can_choose = any(not o.disabled for o in options)
        if not self._can_choose:
            intro.update(self._nothing_to_choose(offer))
        with self.prevent(SelectionList.SelectedChanged):
            sel.add_options(options)
        self._selected = set(sel.selected)
        self._show_summary()

    @staticmethod
    def _nothing_to_choose(offer: NytAarForslag) -> str:
        return texts.NYT_AAR_NOTHING_TO_CHOOSE.format(fra=offer.fra_aar, til=offer.til_aar)

    @staticmethod
    def _left(u: Udeladt, indent: str) -> Text:
        # What it is first (a narrow list cuts the end of a line), then why it stays.
        line = Text(indent)
        line.append_text(plain(u.tekst, style="dim"))
        line.append(" – ", style="dim")
        line.append(texts.NYT_AAR_LEFT.format(grund=u.grund), style="dim italic")
        return line

    # --- choosing ----------------------------------------------------------------------------

    def choice(self) -> NytAarValg | None:
        """The ticks as a choice of last year's rows."""
        if self.offer is None:
            return None
        chosen: dict[str, set[str]] = {k: set() for k in (MAAL, TEGN, HANDLING, SAMARBEJDE, PLAN_A)}
        for value in self.query_one("#nyt-aar-list", NytAarList).selected:
            kind, _, row_id = value.partition(":")
            if kind in chosen:
                chosen[kind].add(row_id)
        return NytAarValg(
            self.offer.fra_aar,
            frozenset(chosen[MAAL]),
            frozenset(chosen[TEGN]),
            frozenset(chosen[HANDLING]),
            frozenset(chosen[SAMARBEJDE]),
            frozenset(chosen[PLAN_A]),
        )

    @on(SelectionList.SelectedChanged, "#nyt-aar-list")
    def _changed(self, _event: SelectionList.SelectedChanged[str]) -> None:
        sel = self.query_one("#nyt-aar-list", NytAarList)
        now = set(sel.selected)
        added, removed = now - self._selected, self._selected - now
        with self.prevent(SelectionList.SelectedChanged):
            for value in removed:
                children = self._children.get(value, ())
                if children:
                    self._remembered[value] = {c for c in children if c in now}
                for child in children:
                    sel.deselect(child)  # without its mål a tegn or prøvehandling cannot go
            for value in added:
                parent = self._parents.get(value)
                if parent is not None:
                    sel.select(parent)
                    self._remembered.pop(parent, None)
                elif value in self._children:
                    # A mål ticked again gets back the ticks its children had; one never
                    # ticked before gets the usual ones (tegn and prøvehandlinger).
                    back = self._remembered.pop(value, None)
                    if back is None:
                        back = {
                            c
                            for c in self._children[value]
                            if c.startswith((f"{TEGN}:", f"{HANDLING}:"))
                        }
                    for child in back:
                        sel.select(child)
        self._selected = set(sel.selected)
        self._show_summary()

    def _show_summary(self) -> None:
        choice = self.choice()
        start = self.query_one("#nyt-aar-start", Button)
        summary = self.query_one("#nyt-aar-summary", Static)
        if self.offer is None or choice is None:
            summary.update("")
            start.disabled = True
            return
        summary.update(Text(self.offer.summary(choice), style="bold"))
        start.disabled = not self.offer.counts(choice).any

    @on(Select.Changed, "#nyt-aar-year")
    def _year_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, int) and event.value != self.fra_aar:
            self.fra_aar = event.value
            self.reload()
        elif not isinstance(event.value, int) and self.fra_aar in self._years:
            # The blank line picked: the year shown stays the one the list is about.
            with self.prevent(Select.Changed):
                self.query_one("#nyt-aar-year", Select).value = self.fra_aar

    # --- starting ----------------------------------------------------------------------------

    @on(Button.Pressed, "#nyt-aar-start")
    def _start_pressed(self) -> None:
        self.action_start()

    @on(Button.Pressed, "#nyt-aar-back")
    def _back_pressed(self) -> None:
        self.action_back()

    def action_start(self) -> None:
        """Ask, then write the chosen rows as one action."""
        offer, choice = self.offer, self.choice()
        if offer is None or choice is None:
            return
        if not offer.counts(choice).any:
            message = (
                texts.NYT_AAR_NOTHING_CHOSEN if self._can_choose else self._nothing_to_choose(offer)
            )
            self.notify(message, severity="warning")
            return
        question = texts.NYT_AAR_CONFIRM.format(summary=offer.summary(choice))
        early = (
            self.early if self.early is not None and self.early.fra_aar == offer.fra_aar else None
        )
        if early is not None:
            question = texts.NYT_AAR_EARLY_CONFIRM.format(
                warning=early_text(early), til=offer.til_aar, question=question
            )
        start = texts.NYT_AAR_START.format(aar=offer.til_aar)

        def answered(yes: bool | None) -> None:
            if yes:
                host(self).write(lambda ws: ws.carry_nyt_aar(choice), done=self._written)

        self.app.push_screen(
            # Early, Enter waits: starting a year ahead of time is a choice, not a slip.
            ConfirmScreen(question, yes=start, no=texts.NYT_AAR_KEEP, default_yes=early is None),
            callback=answered,
        )

    def _written(self, result: NytAarResultat) -> None:
        self.result = result
        self.query_one("#nyt-aar-result", Static).update(Text(result.text()))
        self.notify(result.text())
        self._keep_result = True
        self.reload()

    def action_back(self) -> None:
        self.app.pop_screen()
