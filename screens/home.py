"""The home screen: which udviklingsdag and which bord (remembered), this laptop's name, what
the database holds, and the way to preparation, consolidation and the SBSYS export."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from models import enums
from models.errors import ValidationError
from models.paths import shown_address
from models.records_home import HomeSnapshot, UdviklingsdagOverview
from models.settings import DEVICE_NAMED
from models.visible import visible
from models.words import count, counted
from screens import texts
from screens.base import host
from screens.chrome import AppFooter, StyledOnce, TopBar, plain
from screens.paged import PagedOptionList

COUNTS_PENDING = "…"
"""The counts line until the counts are read (the database is still opening)."""


def day_date(value: date | None) -> str:
    """An udviklingsdag's date as shown («3.12.2026»)."""
    if not value:
        return texts.NO_DATE
    return f"{value.day}.{value.month}.{value.year}"


def _prompt(title: str, meta: str) -> Content:
    """An option of the home screen's lists: the title in bold over a dim line. Textual's own
    Content (never parsed as markup) rather than a Rich Text, which the list would convert
    for every option (a large municipality's day has 400 borde)."""
    return Content.assemble((title, "bold"), "\n", (meta, "dim"))


class HomeScreen(StyledOnce, Screen[None]):
    """Choose the day and the bord; Enter on a bord opens its mål."""

    HELP_KEY = "home"
    BINDINGS = [
        Binding(
            "f,F", "app.prepare", texts.B_PREPARE[0], tooltip=texts.B_PREPARE[1], id="home.prepare"
        ),
        Binding(
            "k,K",
            "app.consolidation",
            texts.B_CONSOLIDATION[0],
            tooltip=texts.B_CONSOLIDATION[1],
            id="home.consolidation",
        ),
        Binding(
            "x,X",
            "app.export",
            texts.B_EXPORT[0],
            tooltip=texts.B_EXPORT[1],
            id="home.export",
        ),
        Binding(
            "a,A",
            "app.aarshjul",
            texts.B_AARSHJUL[0],
            tooltip=texts.B_AARSHJUL[1],
            id="home.aarshjul",
        ),
        Binding(
            "e,E",
            "app.forfald",
            texts.B_FORFALD[0],
            tooltip=texts.B_FORFALD[1],
            id="home.forfald",
            show=False,
        ),
        Binding(
            "n,N",
            "app.rename",
            texts.B_RENAME[0],
            tooltip=texts.B_RENAME[1],
            id="home.rename",
            show=False,
        ),
    ]

    def __init__(self, snapshot: HomeSnapshot | None = None) -> None:
        """`snapshot`: the data read before the database layer loaded (`overview.quick_home`);
        without it the screen reads through the workspace."""
        super().__init__()
        self.snapshot = snapshot
        self.days: tuple[UdviklingsdagOverview, ...] = ()
        self.chosen_day: str | None = None
        self.chosen_bord: str | None = None
        self._first_load = True
        self._resumed = False

    def compose(self) -> ComposeResult:
        yield TopBar(texts.APP_TITLE)
        with Vertical(id="home-body"):
            yield Label(texts.HOME_TITLE, id="home-title")
            yield Static("", id="home-device")
            yield Static("", id="home-counts", classes="muted")
            with Horizontal(id="home-lists"):
                with Vertical(classes="panel"):
                    yield Label(texts.HOME_DAYS, classes="panel-title")
                    yield PagedOptionList(id="home-days")
                with Vertical(classes="panel"):
                    yield Label(texts.HOME_BORDE, classes="panel-title")
                    yield PagedOptionList(id="home-borde")
            with Horizontal(id="home-buttons"):
                yield Button(texts.HOME_BUTTON_OPEN, id="open", variant="primary")
                yield Button(texts.HOME_BUTTON_PREPARE, id="prepare")
                yield Button(texts.HOME_BUTTON_CONSOLIDATION, id="consolidation")
                yield Button(texts.HOME_BUTTON_EXPORT, id="export")
            with Horizontal(id="home-year"):
                yield Label(texts.HOME_YEAR_LABEL, id="home-year-label")
                yield Button(texts.HOME_BUTTON_AARSHJUL, id="aarshjul")
                yield Button(texts.HOME_BUTTON_FORFALD, id="forfald")
        yield AppFooter()

    def on_mount(self) -> None:
        if self.snapshot is not None:
            self._show(self.snapshot)
            self.snapshot = None
        else:
            self.reload()

    def on_screen_resume(self) -> None:
        # The first resume comes with the first push; later ones are returns to this screen.
        if self._resumed:
            self.reload()
        self._resumed = True

    def reload(self) -> None:
        app = host(self)
        app.when_open(lambda: app.read(lambda ws: ws.home(), done=self._show))

    def _show(self, data: HomeSnapshot) -> None:
        self.days = data.days
        self.query_one("#home-device", Static).update(
            plain(
                texts.HOME_DEVICE.format(name=data.device)
                + "   "
                + texts.HOME_DB.format(target=shown_address(data.target))
            )
        )
        if data.counts is None:
            # The first frame's quick read leaves the counts out (on a large municipality
            # they are most of its time): they follow once the database is open.
            self.query_one("#home-counts", Static).update(COUNTS_PENDING)
            app = host(self)
            app.when_open(lambda: app.read(lambda ws: ws.home(), done=self._show_counts))
        else:
            self._show_counts(data)
        if self._first_load:
            self.chosen_day = data.chosen_udviklingsdag
            self.chosen_bord = data.chosen_bord
        days = self.query_one("#home-days", OptionList)
        options = []
        if not self.days:
            options.append(Option(Text(texts.HOME_NO_DAYS, style="italic"), disabled=True))
        for day in self.days:
            title = visible(day.dag.titel or "", multiline=True)
            meta = texts.HOME_DAY_META.format(
                **{
                    "del": enums.label(enums.Del(day.dag.dagdel)),
                    "dato": day_date(day.dag.dato),
                    "borde": count("bord", len(day.borde)),
                }
            )
            options.append(Option(_prompt(title, visible(meta)), id=day.id))
        # All at once: one option at a time measures and refreshes the list once per option.
        days.set_options(options)
        ids = [d.id for d in self.days]
        if self.chosen_day not in ids:
            self.chosen_day = ids[0] if ids else None
        if self.chosen_day is not None:
            days.highlighted = ids.index(self.chosen_day)
        self._show_borde()
        if self._first_load:
            self._first_load = False
            self.call_after_refresh(host(self).home_painted.set)
            borde = self.query_one("#home-borde", OptionList)
            (borde if self.chosen_bord and borde.option_count else days).focus()
            if not data.device_named:
                self.app.push_screen(NameDeviceScreen(data.device, first=True))

    def _show_counts(self, data: HomeSnapshot) -> None:
        if data.counts is not None and self.is_attached:
            self.query_one("#home-counts", Static).update(
                Text(texts.HOME_COUNTS.format(**counted(data.counts.as_dict())))
            )

    def _show_borde(self) -> None:
        borde = self.query_one("#home-borde", OptionList)
        day = next((d for d in self.days if d.id == self.chosen_day), None)
        if day is None:
            borde.clear_options()
            return
        if not day.borde:
            borde.set_options([Option(Text(texts.HOME_NO_BORDE, style="italic"), disabled=True)])
            return
        lederdag = day.dag.dagdel == enums.Del.LEDERDAG
        options = []
        for bord in day.borde:
            name = visible(bord.navn or "", multiline=True)
            facilitator = bord.facilitator or texts.HOME_NO_FACILITATOR
            if lederdag:  # a lederdag bord works on målsætninger and writes their mål
                meta = texts.PREP_BORD_META_LEDERDAG.format(
                    facilitator=facilitator,
                    maalsaetninger=count("maalsaetning", len(bord.maalsaetning_ids)),
                    maal=count("maal", len(bord.maal_ids)),
                )
            else:
                meta = texts.HOME_BORD_META.format(facilitator=facilitator, maal=len(bord.maal_ids))
            options.append(Option(_prompt(name, visible(meta)), id=bord.id))
        # All at once (400 borde on a large municipality's day: 0.1 s one at a time).
        borde.set_options(options)
        ids = [b.id for b in day.borde]
        borde.highlighted = ids.index(self.chosen_bord) if self.chosen_bord in ids else 0

    @on(OptionList.OptionHighlighted, "#home-days")
    def _day_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id and event.option.id != self.chosen_day:
            self.chosen_day = event.option.id
            self._show_borde()

    @on(OptionList.OptionSelected, "#home-days")
    def _day_selected(self) -> None:
        self.query_one("#home-borde", OptionList).focus()

    @on(OptionList.OptionSelected, "#home-borde")
    def _bord_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.open_bord(event.option.id)

    def open_bord(self, bord_id: str | None = None) -> None:
        """Open the highlighted bord (or `bord_id`), once the database is open."""
        host(self).when_open(lambda: self._open_bord(bord_id), key="open-screen")

    def _open_bord(self, bord_id: str | None) -> None:
        borde = self.query_one("#home-borde", OptionList)
        if bord_id is None and borde.highlighted is not None:
            bord_id = borde.get_option_at_index(borde.highlighted).id
        if bord_id is None or self.chosen_day is None:
            self.notify(texts.HOME_PICK_BORD)
            return
        self.chosen_bord = bord_id
        day, bord = self.chosen_day, bord_id
        app = host(self)
        app.remember(lambda ws: ws.remember_bord(day, bord))
        app.open_bord(bord_id, day)

    @on(Button.Pressed)
    def _button(self, event: Button.Pressed) -> None:
        app = host(self)
        if event.button.id == "open":
            self.open_bord()
        elif event.button.id == "prepare":
            app.action_prepare()
        elif event.button.id == "consolidation":
            app.action_consolidation()
        elif event.button.id == "export":
            app.action_export()
        elif event.button.id == "aarshjul":
            app.action_aarshjul()
        elif event.button.id == "forfald":
            app.action_forfald()


class NameDeviceScreen(ModalScreen[str | None]):
    """Name this laptop (once, at first start; again from the command palette)."""

    HELP_KEY = "home"
    BINDINGS = [
        Binding("escape", "cancel", texts.B_BACK[0], tooltip=texts.B_BACK[1], id="name.cancel")
    ]

    def __init__(self, current: str, *, first: bool = False) -> None:
        super().__init__()
        self.current = current
        self.first = first
        self._refused = ""  # the last name refused (its message)

    def compose(self) -> ComposeResult:
        with Vertical(id="name-box"):
            yield Label(texts.NAME_DEVICE_TITLE, id="name-title")
            yield Static(texts.NAME_DEVICE_TEXT)
            # At the first start the name is still the computer's own (often an image name
            # such as DESKTOP-4F2K9 on every laptop): not prefilled, only named as a hint.
            yield Input(
                "" if self.first else self.current,
                placeholder=texts.NAME_DEVICE_PLACEHOLDER,
                id="name-input",
            )
            if self.first and self.current:
                yield Static(
                    plain(texts.NAME_DEVICE_HOST_HINT.format(host=self.current)), id="name-host"
                )
            yield Label("", id="name-error", classes="field-error")
            yield Button(texts.NAME_DEVICE_OK, id="name-ok", variant="primary")

    def on_mount(self) -> None:
        self.query_one("#name-input", Input).focus()

    @on(Input.Submitted, "#name-input")
    @on(Button.Pressed, "#name-ok")
    def _save(self) -> None:
        # The name as typed now: the save may wait for the database to open.
        name = self.query_one("#name-input", Input).value
        app = host(self)
        app.when_open(
            lambda: app.write(
                lambda ws: ws.rename_device(name), done=self._renamed, error=self._failed
            )
        )

    def _renamed(self, name: str) -> None:
        self.app.notify(texts.DEVICE_RENAMED.format(name=name))
        if self.is_attached and self.is_current:
            self.dismiss(name)
        host(self).reload_screens()

    def _failed(self, exc: Exception) -> None:
        if isinstance(exc, ValidationError) and self.is_attached:
            self.query_one("#name-error", Label).update(plain(str(exc)))
            self._refused = str(exc)  # the app's «Ikke gemt» says it too, until we close
        else:
            host(self).report_error(exc)

    def action_cancel(self) -> None:
        if self._refused:
            # The name the dialog refused is left behind on purpose: the top bar says again
            # what it said before (it kept «Ikke gemt: Giv bærbaren et navn» on every screen).
            host(self).refusal_dropped(self._refused)
        if self.first:
            # Asked once: keep the computer's own name and do not ask again.
            app = host(self)
            app.when_open(lambda: app.remember(lambda ws: ws.set_setting(DEVICE_NAMED, True)))
        self.dismiss(None)
