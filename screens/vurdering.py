"""The August status (issue 16): the year's mål under their politik and målsætning, each with
the data beside it (the latest måling against baseline and expected level, the prøvehandlinger'
statuses and effects, the newest læring) and its assessment; the roll-up under each
målsætning and the first page's sentences on top. Enter on a mål opens `VurderingForm` to set
its målopfyldelse and begrundelse (dated today and signed with the laptop's name by the
workspace); Ctrl+Z undoes; F4 changes the year."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option, OptionDoesNotExist

from models import enums, settings
from models.errors import ValidationError
from models.schema import LINE_MAX, format_decimal, validate_value
from models.status_report import (
    MaalsaetningStatus,
    MaalStatus,
    StatusReport,
    TegnStatus,
    default_year,
)
from models.visible import visible
from models.words import count
from screens import texts
from screens.base import host
from screens.widgets import AppFooter, Hanging, PagedOptionList, TopBar, hanging, plain

if TYPE_CHECKING:
    from models.workspace import Workspace

SUMMARY = "summary"
POLITIK = "politik:"
MAALSAETNING = "maalsaetning:"
WIDE = 110  # from this width on, the detail pane stands beside the list


def short(value: date | None) -> str:
    """«18.8.2026» (as the årshjul writes a date)."""
    if value is None:
        return texts.VURDERING_UNKNOWN
    return f"{value.day}.{value.month}.{value.year}"


def _line(out: Text, text: str | Text, *, style: str = "", indent: str = "  ") -> None:
    out.append("\n" + indent)
    out.append_text(text if isinstance(text, Text) else plain(text, style=style))


def tegn_line(t: TegnStatus, width: int | None = None) -> str:
    """«Tegn: … · seneste 23 (28.11.2026) · udgangspunkt 31 dage · forventet 21 dage»; the
    tegn's and an observation's text cut after `width` characters when given."""
    tekst = shorten(t.tekst, width) if width else t.tekst
    if t.seneste_vaerdi is not None:
        line = texts.VURDERING_TEGN_LATEST.format(
            tekst=tekst, vaerdi=format_decimal(t.seneste_vaerdi), dato=short(t.seneste_dato)
        )
    elif t.seneste_observation:
        observation = t.seneste_observation
        line = texts.VURDERING_TEGN_OBSERVATION.format(
            tekst=tekst,
            dato=short(t.seneste_dato),
            observation=shorten(observation, width) if width else observation,
        )
    else:
        line = texts.VURDERING_TEGN_NONE.format(tekst=tekst)
    if t.baseline or t.forventet_niveau:
        line += texts.VURDERING_TEGN_LEVELS.format(
            baseline=t.baseline or texts.VURDERING_UNKNOWN,
            forventet=t.forventet_niveau or texts.VURDERING_UNKNOWN,
        )
    return line


def maal_lines(m: MaalStatus, *, with_assessment: bool = True) -> Text:
    """A mål's data, one line a thing: the tegn, the prøvehandlinger and their effects, the
    newest læring and (unless left out) its assessment."""
    out = Text()
    if with_assessment:
        out.append_text(assessment_text(m))
        if m.vurdering is not None and m.vurdering.begrundelse:
            _line(out, m.vurdering.begrundelse, indent="  ")
    for t in m.tegn:
        _line(out, tegn_line(t), indent="\u2022 ")
    for p in m.proevehandlinger:
        line = texts.VURDERING_PH.format(tekst=p.tekst, status=enums.label(p.status))
        if p.status_dato:
            line += texts.VURDERING_PH_SINCE.format(dato=short(p.status_dato))
        _line(out, line, indent="\u2022 ")
        for e in p.effekter:
            effekt = texts.VURDERING_EFFEKT.format(
                type=enums.label(e.type).lower(), effekt=e.effekt
            )
            _line(out, effekt, style="dim", indent="    ")
    for lv in m.laering:
        line = texts.VURDERING_LAERING.format(dato=short(lv.dato), tekst=lv.tekst)
        _line(out, line, style="dim", indent="\u2022 ")
    for lv in m.plan_laering:  # the same for every mål of the plan: said to be the plan's
        line = texts.VURDERING_PLAN_LAERING.format(dato=short(lv.dato), tekst=lv.tekst)
        _line(out, line, style="dim", indent="\u2022 ")
    if not m.tegn and not m.proevehandlinger:
        _line(out, texts.VURDERING_NO_DATA, style="dim", indent="\u2022 ")
    if out.plain.startswith("\n"):
        out = out[1:]
    return out


def shorten(text: str, width: int) -> str:
    """`text` on one line, cut with «…» after `width` characters."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "\u2026"


def assessment_text(m: MaalStatus) -> Text:
    """«Vurdering: Delvist opfyldt, 18.8.2026 af Hanne Dahl» or «Ikke vurderet endnu»."""
    v = m.vurdering
    if v is None:
        return Text(texts.VURDERING_NOT_ASSESSED, style="italic")
    head = texts.VURDERING_ASSESSED.format(
        label=enums.label(v.maalopfyldelse),
        dato=short(v.dato),
        hvem=v.hvem or texts.VURDERING_UNKNOWN,
    )
    if v.andre:
        head += texts.VURDERING_OTHERS.format(antal=count("vurdering", v.andre))
    return plain(head, style="bold")


def maal_prompt(m: MaalStatus) -> Hanging:
    """A mål in the list, compact: enhed and text, the assessment, one line a tegn (latest
    måling beside baseline and expected level) and a prøvehandling (status, latest effect).
    The whole data stands in the detail pane (wide terminals) and in the form."""
    body = plain(f"{m.enhed_navn} · {m.tekst}", style="bold")
    body.append("\n")
    body.append_text(assessment_text(m))
    for t in m.tegn:
        body.append("\n")
        body.append_text(plain(tegn_line(t, 40)))
    for p in m.proevehandlinger:
        line = texts.VURDERING_PH.format(tekst=shorten(p.tekst, 40), status=enums.label(p.status))
        if p.status_dato:
            line += texts.VURDERING_PH_SINCE.format(dato=short(p.status_dato))
        body.append("\n")
        body.append_text(plain(line))
        if p.effekter:
            e = p.effekter[-1]
            effekt = texts.VURDERING_EFFEKT.format(
                type=enums.label(e.type).lower(), effekt=shorten(e.effekt, 70)
            )
            body.append("\n  ")
            body.append_text(plain(effekt, style="dim"))
    return hanging("\u25aa", body)


def maalsaetning_prompt(ms: MaalsaetningStatus) -> Text:
    out = Text()
    out.append_text(plain(texts.VURDERING_MAALSAETNING.format(tekst=ms.tekst), style="bold"))
    out.append("\n")
    out.append(texts.VURDERING_ROLLUP.format(rollup=ms.rollup.text()), style="reverse")
    return out


def options(report: StatusReport) -> list[Option | None]:
    """The list: the first page, then each politik, målsætning (with its roll-up) and mål,
    a line (None) between them."""
    first = Text(texts.VURDERING_FIRST_PAGE, style="bold underline")
    for sentence in report.summary.saetninger:
        first.append("\n")
        first.append_text(plain(sentence))
    out: list[Option | None] = [Option(first, id=SUMMARY)]
    for p in report.politikker:
        out.append(None)
        out.append(Option(plain(p.navn.upper(), style="bold"), id=f"{POLITIK}{p.id or p.navn}"))
        for ms in p.maalsaetninger:
            out.append(Option(maalsaetning_prompt(ms), id=f"{MAALSAETNING}{ms.id}"))
            for m in ms.maal:
                out.append(None)
                out.append(Option(maal_prompt(m), id=m.id))
    return out


class VurderingScreen(Screen[None]):
    """The year's mål with their data and assessment (the August status)."""

    HELP_KEY = "vurdering"
    BINDINGS = [
        Binding("escape", "back", texts.B_BACK[0], tooltip=texts.B_BACK[1], id="vurdering.back"),
        Binding(
            "f4",
            "year",
            texts.B_VURDERING_YEAR[0],
            tooltip=texts.B_VURDERING_YEAR[1],
            id="vurdering.year",
        ),
        Binding(
            "ctrl+e",
            "export",
            texts.B_VURDERING_EXPORT[0],
            tooltip=texts.B_VURDERING_EXPORT[1],
            id="vurdering.export",
        ),
    ]

    def __init__(self, aar: int | None = None) -> None:
        super().__init__()
        self.aar = aar
        self.report: StatusReport | None = None
        self.years: tuple[int, ...] = ()

    def compose(self) -> ComposeResult:
        yield TopBar(texts.VURDERING_TITLE)
        with Horizontal(id="vurdering-tools"):
            yield Label(texts.VURDERING_YEAR_LABEL, id="vurdering-aar-label")
            yield Select[int]([], allow_blank=True, id="vurdering-aar", prompt="")
            yield Static(texts.VURDERING_HINT, id="vurdering-hint", classes="muted")
        with Horizontal(id="vurdering-main"):
            yield PagedOptionList(id="vurdering-list")
            with VerticalScroll(id="vurdering-detail"):
                yield Static("", id="vurdering-detail-text")
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#vurdering-list", OptionList).focus()
        self.query_one("#vurdering-list", OptionList).add_option(
            Option(Text(texts.VURDERING_LOADING, style="italic"), id=SUMMARY)
        )
        self.reload()

    def reload(self) -> None:
        """Read the years, then the chosen year's report (after undo, too)."""
        today = host(self).clock().date()
        wanted = self.aar

        def read(ws: Workspace) -> tuple[tuple[int, ...], StatusReport | None]:
            years = ws.report_years()
            aar = wanted if wanted in years else default_year(years, today)
            return years, (ws.status_report(aar) if aar is not None else None)

        host(self).read(read, done=self._show)

    def _show(self, result: tuple[tuple[int, ...], StatusReport | None]) -> None:
        years, report = result
        self.years, self.report = years, report
        picker: Select[int] = self.query_one("#vurdering-aar", Select)
        with picker.prevent(Select.Changed):
            picker.set_options([(str(y), y) for y in reversed(years)])
            if report is not None:
                picker.value = report.aar
        listing = self.query_one("#vurdering-list", OptionList)
        if report is None:
            self.query_one(TopBar).set_title(texts.VURDERING_TITLE)
            listing.set_options([Option(texts.VURDERING_NO_YEARS, id=SUMMARY)])
            return
        self.aar = report.aar
        self.query_one(TopBar).set_title(texts.VURDERING_TITLE_YEAR.format(aar=report.aar))
        highlighted = listing.highlighted_option.id if listing.highlighted_option else None
        listing.set_options(options(report))
        if highlighted is not None:
            try:
                listing.highlighted = listing.get_option_index(highlighted)
            except OptionDoesNotExist:  # the option is gone: start from the top
                listing.highlighted = 0
        elif listing.option_count:
            listing.highlighted = 0

    def on_resize(self) -> None:
        # A wide terminal shows the highlighted mål's whole data beside the list.
        self.set_class(self.size.width >= WIDE, "-wide")

    @on(OptionList.OptionHighlighted, "#vurdering-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self.query_one("#vurdering-detail-text", Static).update(self.detail(event.option.id))

    def detail(self, option_id: str | None) -> Text:
        """The detail pane's text for an option of the list."""
        if self.report is None:
            return Text("")
        if option_id is not None and option_id.startswith(MAALSAETNING):
            ms_id = option_id.removeprefix(MAALSAETNING)
            ms = next((x for x in self.report.maalsaetninger if x.id == ms_id), None)
            if ms is not None:
                return maalsaetning_prompt(ms)
        m = self.maal(option_id) if option_id else None
        if m is None:
            return Text("\n").join(plain(x) for x in self.report.summary.saetninger)
        out = plain(f"{m.enhed_navn} · {m.tekst}", style="bold")
        out.append("\n")
        out.append_text(maal_lines(m))
        return out

    def maal(self, maal_id: str) -> MaalStatus | None:
        if self.report is None:
            return None
        return next((m for m in self.report.maal if m.id == maal_id), None)

    @on(OptionList.OptionSelected, "#vurdering-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        option_id = event.option.id
        if option_id is None or option_id == SUMMARY or ":" in option_id:
            return  # a heading: nothing to assess
        self.assess(option_id)

    def assess(self, maal_id: str) -> None:
        """Open the form for a mål's assessment; save what it gives."""
        m = self.maal(maal_id)
        if m is None or self.report is None:
            self.notify(texts.VURDERING_NOT_FOUND, severity="warning")
            return
        aar = self.report.aar

        def chosen(answer: tuple[str, str, str] | None) -> None:
            if answer is None:
                return
            value, begrundelse, hvem = answer

            def saved(_id: str) -> None:
                self.notify(texts.VURDERING_SAVED.format(label=enums.label(value)))
                self.reload()

            host(self).write(
                lambda ws: ws.set_vurdering(maal_id, aar, value, begrundelse, hvem),
                done=saved,
                error=lambda exc: host(self).report_error(exc),
            )

        self.app.push_screen(VurderingForm(m, aar), callback=chosen)

    @on(Select.Changed, "#vurdering-aar")
    def _year_changed(self, event: Select.Changed) -> None:
        if isinstance(event.value, int) and event.value != self.aar:
            self.aar = event.value
            self.reload()

    def action_year(self) -> None:
        picker = self.query_one("#vurdering-aar", Select)
        picker.focus()
        picker.action_show_overlay()

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_export(self) -> None:
        """Ask for a folder (and the case number), then write the year's report package."""
        if self.report is None:
            self.notify(texts.VURDERING_EXPORT_NO_YEAR, severity="warning")
            return
        aar = self.report.aar

        def chosen(answer: tuple[str, str] | None) -> None:
            if not answer:
                return
            outdir, sagsnummer = answer

            def export(ws: Any) -> Any:
                from exports.status_report_package import export_status_report

                package = export_status_report(
                    ws, Path(outdir).expanduser(), aar, sagsnummer=sagsnummer
                )
                ws.set_setting(settings.EXPORT_OUTDIR, outdir)
                return package

            def done(package: Any) -> None:
                # Long enough to read the folder's name (and to copy it).
                self.notify(visible(package.summary, limit=500), timeout=20)

            def failed(exc: Exception) -> None:
                from exports.atomic import ExportError

                if isinstance(exc, ExportError) and self.is_attached:
                    # The folder could not be used: ask again with what was typed and why.
                    self.app.push_screen(
                        ReportFolderScreen(outdir, aar, sagsnummer, error=str(exc)),
                        callback=chosen,
                    )
                else:
                    host(self).report_error(exc)

            self.notify(texts.VURDERING_EXPORT_RUNNING)
            host(self).read(export, done=done, error=failed)

        def ask(current: tuple[str | None, str | None]) -> None:
            from .export import _default_outdir

            outdir, sagsnummer = current
            self.app.push_screen(
                ReportFolderScreen(outdir or _default_outdir(), aar, sagsnummer or ""),
                callback=chosen,
            )

        def current(ws: Any) -> tuple[str | None, str | None]:
            return (
                ws.setting(settings.EXPORT_OUTDIR),
                ws.setting(settings.REPORT_SAGSNUMMER.of(str(aar))),
            )

        host(self).read(current, done=ask)


class ReportFolderScreen(ModalScreen[tuple[str, str] | None]):
    """Ask for the folder the August report's package is written to (prefilled with the last
    one) and the SBSYS case it is filed on (prefilled with the one saved for the year).
    Dismisses with (folder, sagsnummer) or None."""

    HELP_KEY = "vurdering"
    BINDINGS = [
        Binding(
            "escape",
            "cancel",
            texts.B_CANCEL[0],
            tooltip=texts.B_CANCEL[1],
            id="vurdering_folder.cancel",
        ),
    ]

    def __init__(self, outdir: str, aar: int, sagsnummer: str = "", error: str = "") -> None:
        super().__init__()
        self.outdir = outdir
        self.aar = aar
        self.sagsnummer = sagsnummer
        self.error = error  # why the folder asked for last time could not be used

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="vurdering-box"):
            yield Static(
                texts.VURDERING_EXPORT_TITLE.format(aar=self.aar), id="vurdering-form-title"
            )
            yield Label(texts.VURDERING_EXPORT_FOLDER)
            yield Input(self.outdir, id="vurdering-outdir")
            yield Label(plain(self.error), id="vurdering-outdir-error", classes="field-error")
            yield Label(texts.VURDERING_EXPORT_SAGSNUMMER)
            yield Input(
                self.sagsnummer,
                placeholder=texts.VURDERING_EXPORT_SAGSNUMMER_HINT,
                id="vurdering-sagsnummer",
            )
            yield Label("", id="vurdering-sagsnummer-error", classes="field-error")
            with Horizontal(id="vurdering-buttons"):
                yield Button(texts.VURDERING_EXPORT_OK, id="vurdering-export-ok", variant="primary")
                yield Button(texts.VURDERING_FORM_CANCEL, id="vurdering-export-cancel")

    def on_mount(self) -> None:
        self.query_one("#vurdering-outdir", Input).focus()

    @on(Input.Submitted, "#vurdering-outdir")
    @on(Input.Submitted, "#vurdering-sagsnummer")
    @on(Button.Pressed, "#vurdering-export-ok")
    def _ok(self) -> None:
        from models.errors import ValidationError
        from models.schema import validate_value

        outdir = self.query_one("#vurdering-outdir", Input).value.strip()
        if not outdir:
            self.query_one("#vurdering-outdir-error", Label).update(
                texts.VURDERING_EXPORT_NO_OUTDIR
            )
            return
        sagsnummer = self.query_one("#vurdering-sagsnummer", Input).value
        try:
            validate_value("maalplan", "sagsnummer", sagsnummer)
        except ValidationError as exc:
            self.query_one("#vurdering-sagsnummer-error", Label).update(plain(str(exc)))
            self.query_one("#vurdering-sagsnummer", Input).focus()
            return
        self.dismiss((outdir, sagsnummer.strip()))

    @on(Button.Pressed, "#vurdering-export-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)


class VurderingForm(ModalScreen[tuple[str, str, str] | None]):
    """Set a mål's målopfyldelse, begrundelse and who assessed, with its data beside.
    Dismisses with (målopfyldelse, begrundelse, vurderet af), or None when closed without
    saving."""

    # Tall (50 rows): the data and the fields without scrolling; short (24 rows): they scroll.
    VERTICAL_BREAKPOINTS = [(0, "-short"), (36, "-tall")]
    HELP_KEY = "vurdering_form"
    BINDINGS = [
        Binding(
            "ctrl+s",
            "save",
            texts.B_VURDERING_SAVE[0],
            tooltip=texts.B_VURDERING_SAVE[1],
            id="vurdering_form.save",
        ),
        Binding(
            "escape",
            "cancel",
            texts.B_CANCEL[0],
            tooltip=texts.B_CANCEL[1],
            id="vurdering_form.cancel",
        ),
    ]

    def __init__(self, maal: MaalStatus, aar: int) -> None:
        super().__init__()
        self.maal = maal
        self.aar = aar

    def compose(self) -> ComposeResult:
        m = self.maal
        current = m.vurdering
        with Vertical(id="vurdering-box"):
            yield Static(texts.VURDERING_FORM_TITLE.format(aar=self.aar), id="vurdering-form-title")
            # Which mål, always in sight (the data below scrolls to the choice when the form
            # opens).
            yield Static(
                plain(f"{m.enhed_navn} · {m.tekst}", style="bold"), id="vurdering-form-maal"
            )
            with VerticalScroll(id="vurdering-form-scroll"):
                yield Static(maal_lines(m, with_assessment=False), id="vurdering-form-data")
                yield Label(texts.VURDERING_FORM_CHOICE)
                # A mål not assessed yet starts with no choice: Ctrl+S without one asks for
                # it (a preselected «For tidligt at sige» was saved as an assessment no one
                # had made).
                yield Select(
                    [(enums.label(v), v.value) for v in enums.Maalopfyldelse],
                    prompt=texts.VURDERING_FORM_PICK,
                    allow_blank=current is None,
                    value=current.maalopfyldelse if current else Select.NULL,
                    id="vurdering-valg",
                )
                error = Label("", id="vurdering-valg-error", classes="field-error")
                error.display = False
                yield error
                yield Label(texts.VURDERING_FORM_REASON)
                yield TextArea(
                    (current.begrundelse or "") if current else "",
                    id="vurdering-begrundelse",
                    soft_wrap=True,
                    show_line_numbers=False,
                )
                yield Label(texts.VURDERING_FORM_WHO)
                # As long as the field may be (a longer name would be refused after the form
                # had closed, with the begrundelse typed in it).
                yield Input(
                    (current.hvem or "") if current else "",
                    id="vurdering-hvem",
                    placeholder=texts.VURDERING_FORM_WHO_HINT,
                    max_length=LINE_MAX,
                )
                yield Static("", id="vurdering-auto", classes="muted")
            with Horizontal(id="vurdering-buttons"):
                yield Button(texts.VURDERING_FORM_SAVE, id="vurdering-save", variant="primary")
                yield Button(texts.VURDERING_FORM_CANCEL, id="vurdering-cancel")

    def on_mount(self) -> None:
        self.query_one("#vurdering-valg", Select).focus()
        today = short(host(self).clock().date())
        current = self.maal.vurdering
        if current is not None:
            # An assessment that is there keeps its own date and assessor unless it changes.
            auto = texts.VURDERING_FORM_AUTO_KEPT.format(
                dato=short(current.dato) if current.dato else "–",
                hvem=current.hvem or texts.VURDERING_UNKNOWN,
                today=today,
            )
        else:
            auto = texts.VURDERING_FORM_AUTO.format(dato=today)
        self.query_one("#vurdering-auto", Static).update(Text(auto))
        if current is not None and current.hvem:
            return

        def named(name: str) -> None:
            field = self.query_one("#vurdering-hvem", Input)
            if not field.value:  # not while someone types
                field.value = name

        host(self).read(lambda ws: ws.assessor(), done=named)

    @on(Select.Changed, "#vurdering-valg")
    def _chosen(self) -> None:
        self.query_one("#vurdering-valg-error", Label).display = False

    def action_save(self) -> None:
        picker = self.query_one("#vurdering-valg", Select)
        value = picker.value
        if value is Select.NULL:
            error = self.query_one("#vurdering-valg-error", Label)
            error.update(texts.VURDERING_FORM_PICK_FIRST)
            error.display = True
            picker.focus()
            return
        text = self.query_one("#vurdering-begrundelse", TextArea).text
        who = self.query_one("#vurdering-hvem", Input).value
        # Checked here, while the form is open: refused after it closed, the text typed in it
        # would be gone.
        try:
            stored = (
                validate_value("vurdering", "begrundelse", text),
                validate_value("vurdering", "hvem", who),
            )
        except ValidationError as exc:
            self.notify(str(exc), severity="error")
            return
        current = self.maal.vurdering
        if current is not None and (str(value), *stored) == (
            current.maalopfyldelse,
            current.begrundelse or None,
            current.hvem or None,
        ):
            # Nothing changed: no new date, no new assessor, nothing to undo.
            self.notify(texts.VURDERING_UNCHANGED)
            self.dismiss(None)
            return
        self.dismiss((str(value), text, who))

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#vurdering-save")
    def _save(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#vurdering-cancel")
    def _cancel(self) -> None:
        self.action_cancel()
