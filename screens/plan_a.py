"""A målplan's Plan A: the indicators chosen for the year, the difference the workplace wants
to make on each (written here, saved as it is typed, Ctrl+Z undoes), the mål tagged with each
indicator, what the poster still lacks, and the A3 poster saved to a folder (Ctrl+E).

At 80 columns everything stands in one column and the body scrolls; from `WIDE` columns the
tagged mål stand beside each text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Button, Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from models import enums, settings
from models.errors import UdviklingsdagError
from models.records import PlanAIndikator, PlanAPoster
from models.visible import visible
from screens import texts
from screens.base import host
from screens.widgets import AppFooter, AutoSave, AutoTextArea, TopBar, plain

from .forms import AutoSelectionList

WIDE = 110
_FORSKEL = "forskel:"


def _default_outdir() -> str:
    from .export import _default_outdir as default

    return default()


def indikator_heading(ind: PlanAIndikator, perspektiv: str) -> str:
    head = texts.PLAN_A_INDIKATOR.format(nummer=ind.nummer, label=ind.label, perspektiv=perspektiv)
    return head + (texts.PLAN_A_REQUIRED if ind.obligatorisk else "")


def missing_lines(poster: PlanAPoster) -> list[str]:
    """What the poster lacks, one Danish sentence each (none: it is ready)."""
    return [
        texts.PLAN_A_LACKS[m.kind].format(nummer=m.indikator, maal=visible(m.maal or "", 60))
        for m in poster.mangler
    ]


def maal_text(ind: PlanAIndikator) -> Text:
    if not ind.maal:
        return Text(texts.PLAN_A_NO_MAAL, style="dim")
    out = Text(texts.PLAN_A_MAAL + "\n", style="bold")
    for m in ind.maal:
        out.append("• ")
        out.append_text(plain(m.tekst))
        facts = " · ".join(
            x
            for x in (
                m.ansvarlig or "",
                f"{m.fra_aar}–{m.til_aar}"
                if m.fra_aar and m.til_aar and m.fra_aar != m.til_aar
                else str(m.fra_aar or m.til_aar or ""),
            )
            if x
        )
        if facts:
            out.append(f"\n  {visible(facts)}", style="dim")
        out.append("\n")
    out.rstrip()
    return out


class PlanAScreen(Screen[None]):
    """One målplan's Plan A and its poster."""

    HELP_KEY = "plan_a"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE, "-wide")]
    BINDINGS = [
        Binding("escape", "back", texts.B_BACK[0], tooltip=texts.B_BACK[1], id="plan_a.back"),
        # Priority: Ctrl+E makes the poster also from inside a text area (where Textual
        # would move to the end of the line; End does that too).
        Binding(
            "f7,ctrl+e",
            "export",
            texts.B_PLAN_A_EXPORT[0],
            tooltip=texts.B_PLAN_A_EXPORT[1],
            id="plan_a.export",
            priority=True,
        ),
    ]

    def __init__(self, maalplan_id: str) -> None:
        super().__init__()
        self.maalplan_id = maalplan_id
        self.data: PlanAPoster | None = None
        self.exporting = False
        self.written: tuple[Path, ...] = ()

    def compose(self) -> ComposeResult:
        yield TopBar("")
        with VerticalScroll(id="plan-a-body"):
            yield Static("", id="plan-a-missing")
            yield Label(texts.PLAN_A_CHOSEN_TITLE, classes="panel-title")
            yield AutoSelectionList(
                "plan_a",
                [
                    (f"{n}. {label} ({perspektiv})", str(n))
                    for n, (perspektiv, label) in enums.PLAN_A_INDIKATORER.items()
                ],
                [],
            )
            yield Label(texts.PLAN_A_FORSKEL_TITLE, classes="panel-title")
            yield Static(texts.PLAN_A_NONE_CHOSEN, id="plan-a-none", classes="muted")
            for n in enums.PLAN_A_INDIKATORER:
                with Vertical(id=f"plan-a-ind-{n}", classes="plan-a-indikator"):
                    yield Label("", id=f"plan-a-label-{n}", classes="plan-a-label")
                    with Horizontal(classes="plan-a-row"):
                        yield AutoTextArea(f"{_FORSKEL}{n}", id=f"plan-a-forskel-{n}")
                        yield Static("", id=f"plan-a-maal-{n}", classes="plan-a-maal")
            yield Label(texts.PLAN_A_OUTDIR, classes="panel-title")
            with Horizontal(id="plan-a-export-row"):
                yield Input(id="plan-a-outdir")
                yield Button(texts.PLAN_A_EXPORT_BUTTON, id="plan-a-export")
            yield Static("", id="plan-a-status")
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one(AutoSelectionList).focus()
        for n in enums.PLAN_A_INDIKATORER:
            self.query_one(f"#plan-a-ind-{n}").display = False
        host(self).read(
            lambda ws: ws.setting(settings.EXPORT_OUTDIR) or _default_outdir(),
            done=self._show_outdir,
        )
        self.reload()

    def _show_outdir(self, outdir: str) -> None:
        field = self.query_one("#plan-a-outdir", Input)
        if not field.value:
            field.value = outdir

    def reload(self) -> None:
        plan_id = self.maalplan_id
        host(self).read(lambda ws: ws.plan_a(plan_id), done=self._show)

    def _show(self, data: PlanAPoster | None) -> None:
        if data is None:
            self.notify(texts.PLAN_A_NOT_FOUND, severity="warning")
            self.app.pop_screen()
            return
        self.data = data
        self.query_one(TopBar).set_title(
            texts.PLAN_A_TITLE.format(aar=data.aar or "", enhed=data.enhed)
        )
        valg = self.query_one(AutoSelectionList)
        if not valg.dirty:
            valg.load([str(i.nummer) for i in data.valgte])
        lines = missing_lines(data)
        if lines:
            missing = Text(texts.PLAN_A_LACKS_TITLE + "\n", style="bold")
            missing.append("\n".join(f"• {visible(line)}" for line in lines))
        else:
            missing = Text(texts.PLAN_A_ALL_THERE, style="green")
        self.query_one("#plan-a-missing", Static).update(missing)
        self.query_one("#plan-a-none").display = not data.valgte
        for perspektiv in data.perspektiver:
            for ind in perspektiv.indikatorer:
                n = ind.nummer
                self.query_one(f"#plan-a-ind-{n}").display = ind.valgt
                self.query_one(f"#plan-a-label-{n}", Label).update(
                    plain(indikator_heading(ind, perspektiv.navn))
                )
                area = self.query_one(f"#plan-a-forskel-{n}", AutoTextArea)
                if area.current_value() == ind.forskel:
                    area.saved_value = ind.forskel  # as shown: keep the area's own undo
                elif not area.dirty:
                    area.load(ind.forskel)
                self.query_one(f"#plan-a-maal-{n}", Static).update(maal_text(ind))

    # --- saving -----------------------------------------------------------------------------

    def handle_commit(self, widget: AutoSave, field: str, value: Any) -> None:
        """The choice of indicators or a difference changed: save it (one undoable action)."""
        plan_id = self.maalplan_id

        def failed(exc: Exception) -> None:
            message = str(exc) if isinstance(exc, UdviklingsdagError) else type(exc).__name__
            widget.mark_error(message)
            host(self).mark_failed(message)

        def saved(_result: object) -> None:
            widget.mark_saved(value)
            self.reload()

        if field == "plan_a":
            chosen = [int(v) for v in value]
            host(self).write(
                lambda ws: ws.set_plan_a_valg(plan_id, chosen), done=saved, error=failed
            )
        elif field.startswith(_FORSKEL):
            n = int(field[len(_FORSKEL) :])
            text = str(value)
            host(self).write(
                lambda ws: ws.set_plan_a_forskel(plan_id, n, text), done=saved, error=failed
            )

    # --- the poster -------------------------------------------------------------------------

    @on(Button.Pressed, "#plan-a-export")
    def _pressed(self) -> None:
        self.action_export()

    @on(Input.Submitted, "#plan-a-outdir")
    def _submitted(self) -> None:
        self.action_export()

    def action_export(self) -> None:
        """Save the poster (PDF and docx) in the folder typed, after the saves before it."""
        if self.exporting:
            return
        outdir = self.query_one("#plan-a-outdir", Input).value.strip()
        if not outdir:
            self._status(texts.PLAN_A_EXPORT_NO_OUTDIR, error=True)
            return
        for field in self.query(AutoTextArea):
            field.commit_now()
        self.exporting = True
        self._status(texts.PLAN_A_EXPORT_RUNNING)
        plan_id, target = self.maalplan_id, Path(outdir).expanduser()

        def export(ws: Any) -> tuple[Path, ...]:
            from exports.plan_a_poster import export_posters
            from exports.sbsys import app_version

            result = export_posters(
                ws.database,
                target,
                when=ws.today(),
                maalplan_ids=(plan_id,),
                link_template=ws.setting(settings.EXPORT_QR_LINK_TEMPLATE),
                app_version=app_version(),
            )
            # Remembered once the files are there (a folder that failed is not offered again).
            ws.set_setting(settings.EXPORT_OUTDIR, outdir)
            return result.written

        host(self).read(export, done=self._exported, error=self._failed)

    def _exported(self, written: tuple[Path, ...]) -> None:
        self.exporting = False
        self.written = written
        if self.is_attached:
            names = " og ".join(p.name for p in written)
            outdir = str(written[0].parent) if written else ""
            self._status(texts.PLAN_A_EXPORT_DONE.format(outdir=outdir, files=names))

    def _failed(self, exc: Exception) -> None:
        self.exporting = False
        if self.is_attached:
            message = str(exc) if isinstance(exc, UdviklingsdagError) else type(exc).__name__
            self._status(texts.PLAN_A_EXPORT_FAILED.format(message=message), error=True)

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#plan-a-status", Static)
        status.update(plain(text))
        status.set_class(error, "-error")
        self.call_after_refresh(status.scroll_visible, animate=False)

    def action_back(self) -> None:
        for field in self.query(AutoTextArea):
            field.commit_now()
        self.app.pop_screen()


class PlanAPickScreen(ModalScreen[str | None]):
    """Pick the målplan whose Plan A to open (newest year first)."""

    HELP_KEY = "plan_a_pick"
    BINDINGS = [
        Binding(
            "escape", "cancel", texts.B_BACK[0], tooltip=texts.B_BACK[1], id="plan_a_pick.back"
        ),
    ]

    def compose(self) -> ComposeResult:
        with Vertical(id="plan-a-pick"):
            yield Label(texts.PLAN_A_PICK_TITLE, classes="panel-title")
            yield OptionList(id="plan-a-pick-list")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()
        host(self).read(lambda ws: ws.maalplaner(), done=self._show)

    def _show(self, plans: Any) -> None:
        ordered = sorted(plans, key=lambda p: (-(p.aar or 0), p.enhed_navn or "", p.id))
        options = [
            Option(plain(f"{p.aar or '–'} · {p.enhed_navn or p.titel}"), id=p.id) for p in ordered
        ]
        picker = self.query_one(OptionList)
        picker.clear_options()
        if options:
            picker.add_options(options)
            picker.highlighted = 0
        else:
            picker.add_option(Option(texts.PLAN_A_PICK_EMPTY, disabled=True))

    @on(OptionList.OptionSelected, "#plan-a-pick-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
