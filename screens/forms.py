"""The edit form for any record (tegn, prøvehandling, samarbejde, mål, udviklingsdag, ...).

Built from the field registry in `models.schema`, so labels and validation are the same
everywhere. Every field saves itself as the user leaves it or pauses typing; a new record is
created the moment its required fields hold text. Esc closes; nothing needs a «Gem» press."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar
from weakref import WeakKeyDictionary

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    Label,
    OptionList,
    Select,
    SelectionList,
    Static,
)
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection

from models import enums, rules
from models.errors import NotFoundError, UdviklingsdagError, ValidationError, disk_full_kind
from models.records import Choice, Row
from models.schema import (
    ENTITIES,
    FieldSpec,
    form_fields,
    format_decimal,
    new_values,
    validate_value,
)
from screens import texts
from screens.base import host
from screens.widgets import (
    AppFooter,
    AutoInput,
    AutoSave,
    AutoTextArea,
    PagedOptionList,
    SaveIndicator,
    StateCheckbox,
    StateSelectionList,
    TimerLabel,
    plain,
)

if TYPE_CHECKING:
    from models.workspace import Workspace

Choices = list[Choice]
T = TypeVar("T")


def show_value(spec: FieldSpec, value: Any) -> Any:
    """A stored value in the form a field widget shows."""
    if spec.kind in ("line", "text", "time", "sagsnummer", "kle"):
        return value or ""
    if spec.kind == "int":
        return "" if value is None else str(value)
    if spec.kind == "decimal":
        return format_decimal(value)
    if spec.kind == "date":
        if not value:
            return ""
        d = value if isinstance(value, date) else date.fromisoformat(str(value))
        return f"{d.day:02d}-{d.month:02d}-{d.year}"
    if spec.kind in ("reflist", "intlist"):
        return list(value or [])
    if spec.kind == "bool":
        return bool(value)
    return value


def plan_a_options() -> list[tuple[str, int]]:
    """The eight Plan A indicators as picker choices; the ones mandatory in 2024 say so."""
    out = []
    for n, (perspektiv, tekst) in enums.PLAN_A_INDIKATORER.items():
        label = texts.PLAN_A_OPTION.format(n=n, perspektiv=perspektiv, tekst=tekst)
        if n in enums.PLAN_A_OBLIGATORISKE_2024:
            label += texts.PLAN_A_MANDATORY
        out.append((label, n))
    return out


# --- field widgets beyond Input / TextArea ----------------------------------------------------


class AutoCheckbox(AutoSave, StateCheckbox):
    def __init__(self, field_name: str, label: str, value: bool) -> None:
        super().__init__(label, value)
        self.field_name = field_name
        self.saved_value = value

    def current_value(self) -> bool:
        return self.value

    def load(self, value: bool) -> None:
        self.saved_value = value
        with self.prevent(Checkbox.Changed):
            self.value = value

    def on_checkbox_changed(self, event: Checkbox.Changed) -> None:
        if event.checkbox is self:
            self.commit_now()


class AutoSelect(AutoSave, Select[str]):
    def __init__(
        self,
        field_name: str,
        options: Choices,
        value: str | None,
        *,
        allow_blank: bool,
        id: str | None = None,
    ) -> None:
        known = {v for _, v in options}
        super().__init__(
            [(plain(label), v) for label, v in options],
            prompt=texts.NO_CHOICE,
            allow_blank=allow_blank,
            value=value if value in known else Select.NULL,
            id=id,
        )
        self.field_name = field_name
        self.saved_value = value if value in known else None
        # Without a blank choice the list settles on its first choice once mounted (later than
        # the form's first frame on a busy machine).
        self.first_value = options[0][1] if options and not allow_blank else None

    def current_value(self) -> str | None:
        return None if self.value is Select.NULL else str(self.value)

    def settled_value(self) -> str | None:
        """The value it shows once mounted: its own (the one it was made with, until Textual
        has applied it), else the first choice it settles on."""
        value = self.current_value()
        if value is None:
            value = self.saved_value
        return self.first_value if value is None else value

    def load(self, value: str | None) -> None:
        self.saved_value = value
        with self.prevent(Select.Changed):
            self.value = value if value is not None else Select.NULL

    def on_select_changed(self, event: Select.Changed) -> None:
        if event.select is self:
            self.commit_now()


class AutoSelectionList(AutoSave, StateSelectionList[str]):
    def __init__(self, field_name: str, options: Choices, value: list[str]) -> None:
        super().__init__(*[(plain(label), v, v in value) for label, v in options])
        self.field_name = field_name
        self.saved_value = list(value)

    def current_value(self) -> list[Any]:
        # The list's order, not the order of the clicks.
        order = [o.value for o in self.options if isinstance(o, Selection)]
        chosen = set(self.selected)
        return [v for v in order if v in chosen]

    def load(self, value: list[str]) -> None:
        self.saved_value = list(value)
        with self.prevent(SelectionList.SelectedChanged):
            self.deselect_all()
            for v in value:
                try:
                    self.select(v)
                except Exception:
                    continue

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged[str]) -> None:
        if event.selection_list is self:
            self.commit_now()


class NiveauPicker(AutoSave, OptionList):
    """The three niveauer of a samarbejde, each with its one-line explanation on screen."""

    DEFAULT_CSS = "NiveauPicker { height: auto; max-height: 9; }"

    def __init__(self, field_name: str, value: str) -> None:
        super().__init__()
        self.field_name = field_name
        self.value = value or enums.Niveau.VIDEN.value
        self.saved_value = self.value

    def on_mount(self) -> None:
        self._render_options()

    def _render_options(self) -> None:
        highlighted = self.highlighted
        self.clear_options()
        for niveau in enums.Niveau:
            mark = "◉ " if niveau.value == self.value else "○ "
            prompt = Text(mark + enums.label(niveau), style="bold")
            prompt.append("\n   " + enums.NIVEAU_FORKLARING[niveau], style="")
            self.add_option(Option(prompt, id=niveau.value))
        self.highlighted = (
            highlighted
            if highlighted is not None
            else [n.value for n in enums.Niveau].index(self.value)
        )

    def current_value(self) -> str:
        return self.value

    def load(self, value: str) -> None:
        self.value = self.saved_value = value
        self._render_options()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list is self and event.option.id:
            event.stop()
            self.value = event.option.id
            self._render_options()
            self.commit_now()


class PartnerPicker(AutoSave, Vertical):
    """Partner enheder: type a name (suggestions complete it), Enter adds it; the chosen ones
    are listed below, Delete removes the highlighted one."""

    DEFAULT_CSS = """
    PartnerPicker { height: auto; }
    PartnerPicker OptionList { height: auto; max-height: 6; }
    """
    BINDINGS = [
        Binding(
            "delete", "remove", texts.B_DELETE[0], tooltip=texts.B_DELETE[1], id="partner.remove"
        )
    ]

    def __init__(self, field_name: str, choices: Choices, value: list[str]) -> None:
        super().__init__()
        self.field_name = field_name
        self.choices = choices
        self.names = {v: label for label, v in choices}
        self.value = list(value)
        self.saved_value = list(value)
        # Every enhed of the organisation, to tell a name left out of `choices` (the mål's
        # own enhed) from a name that is no enhed at all.
        self.all_names: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder=texts.PARTNER_PLACEHOLDER,
            suggester=SuggestFromList([label for label, _ in self.choices], case_sensitive=False),
            id="partner-input",
        )
        yield Label(texts.PARTNER_HINT, classes="muted")
        yield PagedOptionList(id="partner-list")
        yield Label("", id="partner-error", classes="field-error")

    def on_mount(self) -> None:
        self._render_list()
        host(self).read(lambda ws: ws.enhed_choices(), done=self._know_enheder)

    def _know_enheder(self, enheder: tuple[Choice, ...]) -> None:
        self.all_names = {label.casefold(): label for label, _ in enheder}

    @on(Input.Changed, "#partner-input")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        if not event.value.strip():
            # The refused name is gone from the field: so is the message about it.
            self.query_one("#partner-error", Label).update("")

    def _render_list(self) -> None:
        chosen = self.query_one("#partner-list", OptionList)
        chosen.clear_options()
        for pid in self.value:
            chosen.add_option(Option(plain(self.names.get(pid, texts.PARTNER_GONE)), id=pid))
        if not self.value:
            chosen.add_option(Option(Text(texts.NO_PARTNERS, style="italic"), disabled=True))

    def current_value(self) -> list[str]:
        return list(self.value)

    def load(self, value: list[str]) -> None:
        self.value = list(value)
        self.saved_value = list(value)
        self._render_list()

    @on(Input.Submitted, "#partner-input")
    def _add(self, event: Input.Submitted) -> None:
        event.stop()
        name = event.value.strip()
        if not name:
            return
        key = name.casefold()
        match = next((v for label, v in self.choices if label.casefold() == key), None)
        if match is None:
            # Enter takes what the suggestion shows: the first name that starts with the text.
            match = next((v for label, v in self.choices if label.casefold().startswith(key)), None)
        error = self.query_one("#partner-error", Label)
        if match is None:
            own = self.all_names.get(key) or next(
                (label for folded, label in self.all_names.items() if folded.startswith(key)),
                None,
            )
            if own is not None:
                error.update(plain(texts.PARTNER_OWN_ENHED.format(name=own)))
            else:
                error.update(plain(texts.PARTNER_UNKNOWN.format(name=name)))
            return
        error.update("")
        event.input.value = ""
        if match not in self.value:
            self.value.append(match)
            self._render_list()
            self.commit_now()

    def action_remove(self) -> None:
        chosen = self.query_one("#partner-list", OptionList)
        if chosen.highlighted is None:
            return
        option = chosen.get_option_at_index(chosen.highlighted)
        if option.id in self.value:
            self.value.remove(option.id)
            self._render_list()
            self.commit_now()


# --- the form -----------------------------------------------------------------------------------


@dataclass
class FormSpec:
    """What a form edits: the entity, values fixed by where it was opened (the mål of a new
    tegn), fields not asked for (`hidden`), starting values for a new row beyond the
    declared defaults, and choices for pickers. The fields and their order are the
    entity's declaration's (`models.schema.form_fields`)."""

    entity: str
    fixed: Mapping[str, object] = field(default_factory=dict)
    hidden: Collection[str] = ()
    defaults: Mapping[str, object] = field(default_factory=dict)
    choices: Mapping[str, Choices] = field(default_factory=dict)
    first: Sequence[str] = ()
    """Fields shown first, in this order (a måling's number or observation), then the rest."""
    on_create: Callable[[Workspace, str], object] | None = None
    """Run in the same database job right after a new row is created (so it is on disk when
    the form says «Gemt»): a mål written at a lederdag bord is put on the bord at once."""
    follows: Mapping[str, tuple[str, Mapping[str, Choices]]] = field(default_factory=dict)
    """Pickers whose choices follow another field's value: field -> (the field it follows,
    the choices for each of its values). A mål's målplan lists its enhed's plans; with no
    value (or one not in the mapping) the picker offers its whole `choices`."""
    not_after: Mapping[str, date] = field(default_factory=dict)
    """Date fields whose value after the given day is worth a word under the field (a måling
    is of something measured, so a date ahead is likely a slip of the keys): saved all the
    same, the form says so."""

    @property
    def fields(self) -> list[str]:
        """The fields the form shows, in order."""
        names = [f.name for f in form_fields(self.entity, fixed=(*self.fixed, *self.hidden))]
        return [n for n in self.first if n in names] + [n for n in names if n not in self.first]

    def new_row(self) -> dict[str, object]:
        """The values a new row's form starts with: the declared defaults, then this form's."""
        return {**new_values(self.entity), **self.defaults}


# A field whose save makes the workspace write others too (`Workspace.dated_status`).
_WRITES_ALSO: dict[str, tuple[str, ...]] = {"status": ("status_dato",)}


class RecordForm(ModalScreen[str | None]):
    """Edit one row (or create it). Dismisses with the row id (None if nothing was created)."""

    DEFAULT_CSS = """
    RecordForm #form-needs { padding: 0 1; height: auto; }
    """

    HELP_KEY = "form"
    BINDINGS = [
        Binding("escape,ctrl+s", "done", texts.B_DONE[0], tooltip=texts.B_DONE[1], id="form.done"),
    ]

    def __init__(self, spec: FormSpec, row_id: str | None = None) -> None:
        super().__init__()
        self.spec = spec
        self.entity = ENTITIES[spec.entity]
        self.row_id = row_id
        self.loaded = row_id is None
        self._in_flight = 0  # saves handed to the queue whose answer has not come back
        self._followed: dict[str, object] = {}  # see `_build` and `_follow`
        self._leaving = False  # Esc was pressed: close once the last save is confirmed
        self._failure: str | None = None  # why a save failed since Esc was pressed
        self._start: dict[str, Any] = {}  # the fields' values when the form was built
        # Text the fields refused at this Esc, and at the Esc before: (field, message). The
        # form closes without it only when Esc is pressed again on nothing new.
        self._refused_now: set[tuple[str, str]] = set()
        self._refused_before: set[tuple[str, str]] = set()
        # What this form's fields refused into the app's «Ikke gemt»: said again no more once
        # the form is closed without that text (`_drop_refusals`).
        self._marked: set[str] = set()
        self._gone = False  # dismissed after Esc: a late commit (a blur) marks nothing

    # --- building ---------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        if self.row_id is None:
            title = self.entity.new_label.capitalize()
        else:
            title = texts.FORM_EDIT.format(what=self.entity.label)
        with Vertical(id="form-box"):
            with Horizontal(id="form-head"):
                yield Label(title, id="form-title")
                yield TimerLabel()
                yield SaveIndicator()
            yield VerticalScroll(id="form-fields")
            failure = Label("", id="form-save-error", classes="field-error")
            failure.display = False
            yield failure
            needs = Label("", id="form-needs", classes="field-error")
            needs.display = False
            yield needs
            with Horizontal(id="form-foot"):
                yield Static(texts.FORM_HINT, id="form-hint", classes="muted")
                yield Button(texts.FORM_DONE, id="form-done", variant="primary")
        yield AppFooter()

    def on_mount(self) -> None:
        if self.row_id is None:
            # The kladde stays stored until the row is created or the kladde is discarded.
            draft = _drafts(self).get(self._draft_key())
            self._build({**self.spec.new_row(), **(draft or {})})
            if draft:
                missing = self._missing(draft)
                label = self.entity.fields[missing[0]].label if missing else ""
                self._show_needs(texts.FORM_DRAFT_RESTORED.format(field=label))
        else:
            self.reload()

    def _remember_start(self) -> None:
        self._start = {
            n: w.settled_value() if isinstance(w, AutoSelect) else w.current_value()
            for n, w in self._field_widgets().items()
        }

    def _draft_key(self) -> tuple[str, str, tuple[tuple[str, str], ...]]:
        """Where a kladde of a new row belongs: the database, the entity and what the form
        was opened for (the mål of a new tegn)."""
        fixed = tuple(sorted((k, str(v)) for k, v in self.spec.fixed.items()))
        return (host(self).db_target, self.spec.entity, fixed)

    def _missing(self, values: Mapping[str, object]) -> list[str]:
        """The required fields (of those the form asks for) that are empty."""
        return [
            n
            for n, s in self.entity.fields.items()
            # A record rule's field counts as required (a samarbejde needs a partner).
            if (s.required or rules.needs_value(self.spec.entity, n))
            and n not in self.spec.fixed
            and not _filled(values.get(n))
        ]

    def _show_needs(self, message: str) -> None:
        """Why a new row is not saved yet, inside the form (it wraps; it leaves with it)."""
        found = self.query("#form-needs")
        if found:
            label = found.first(Label)
            label.update(Text(message))
            label.display = bool(message)

    def reload(self) -> None:
        """Read the row again (first load, or after undo)."""
        if self.row_id is None:
            return
        entity, row_id = self.spec.entity, self.row_id
        host(self).read(lambda ws: ws.row(entity, row_id), done=self._loaded)

    def _loaded(self, row: Row | None) -> None:
        if row is None:
            self.notify(texts.FORM_ROW_GONE, severity="warning")
            self.dismiss(None)
            return
        if not self.loaded:
            self.loaded = True
            self._build(row.values)
            return
        for widget in self.query("*"):
            if isinstance(widget, AutoSave) and widget.field_name in row.values:
                spec = self.entity.fields[widget.field_name]
                widget.load(show_value(spec, row.values[widget.field_name]))

    def _build(self, values: Mapping[str, object]) -> None:
        # The followed fields' values as built: only a change from these narrows a follower.
        self._followed = {
            source: values.get(source) for source, _choices in self.spec.follows.values()
        }
        box = self.query_one("#form-fields", VerticalScroll)
        widgets = []
        for name in self.spec.fields:
            spec = self.entity.fields[name]
            required = spec.required or rules.needs_value(self.spec.entity, name)
            label = spec.label + (" *" if required else "")
            widgets.append(Label(label, classes="field-label"))
            if name == "niveau":
                widgets.append(Label(texts.NIVEAU_PICK, classes="muted"))
            if spec.kind == "intlist":
                widgets.append(Label(texts.PLAN_A_HINT, classes="muted"))
            if name == "mulige_partnere":
                widgets.append(Label(texts.MULIGE_PARTNERE_HINT, classes="muted"))
            value = show_value(spec, values.get(name))
            widget = self._widget_for(name, spec, value, self._choices(name, values, value))
            widgets.append(widget)
            error = Label("", id=f"err-{name}", classes="field-error")
            error.display = False
            widgets.append(error)
        box.mount_all(widgets)
        # What the fields hold before anything is typed, once mounted (a Select settles on its
        # first choice then): Esc asks about a kladde only if that changed.
        self.call_after_refresh(self._remember_start)
        first = next((w for w in widgets if w.can_focus or isinstance(w, PartnerPicker)), None)
        # The form opens at its top, with the first field's label: focusing the field while
        # the form is still being laid out scrolled it down (it was measured in a box of no
        # height), so the focus does not scroll, and the form goes to its top after it.
        if isinstance(first, PartnerPicker):
            self.call_after_refresh(lambda: first.query_one(Input).focus(scroll_visible=False))
        elif first is not None:
            self.call_after_refresh(lambda: first.focus(scroll_visible=False))
        self.call_after_refresh(lambda: self.call_after_refresh(self._to_top))

    def _to_top(self) -> None:
        self.query_one("#form-fields", VerticalScroll).scroll_home(animate=False, immediate=True)

    def _choices(self, name: str, values: Mapping[str, object], value: object) -> Choices:
        """The picker `name`'s choices: all of them, or those for the value of the field it
        follows (`FormSpec.follows`), with its own value kept when that is another's."""
        every = list(self.spec.choices.get(name, []))
        follow = self.spec.follows.get(name)
        if follow is None:
            return every
        source, by_value = follow
        narrowed = by_value.get(str(values.get(source)))
        if narrowed is None:
            return every
        narrowed = list(narrowed)
        if value is not None and value not in {v for _, v in narrowed}:
            narrowed += [c for c in every if c[1] == value]
        return narrowed

    @on(Select.Changed)
    def _follow(self, event: Select.Changed) -> None:
        """The followed field changed: its followers offer the choices for the new value. A
        follower keeps its value when that is among them, takes the only one there is, or
        is left empty to pick (and saved so: a mål is not left on another enhed's plan)."""
        source = getattr(event.select, "field_name", None)
        value = event.value if event.value is not Select.NULL else None
        if source is None or self._followed.get(source, value) == value:
            # Textual says «changed» when a picker mounts with its value: not a change of the
            # user's (it moved a mål that sat on another enhed's plan as the form opened).
            return
        self._followed[source] = value
        for name, (follows, _by_value) in self.spec.follows.items():
            found = self.query(f"#f-{name}")
            if follows != source or not found:
                continue
            picker = found.first(AutoSelect)
            choices = self._choices(name, {follows: value}, None)
            current = picker.current_value()
            keep = {v for _, v in choices}
            with picker.prevent(Select.Changed):
                picker.set_options([(plain(label), v) for label, v in choices])
                picker.value = current if current in keep else Select.NULL
            if current not in keep:
                if len(choices) == 1:
                    picker.value = choices[0][1]  # saved by its own Changed
                else:
                    picker.commit_now()

    def _widget_for(self, name: str, spec: FieldSpec, value: Any, choices: Choices) -> Any:
        wid = f"f-{name}"
        if spec.kind == "text":
            return AutoTextArea(name, value, id=wid)
        if spec.kind == "bool":
            return AutoCheckbox(name, spec.label, value)
        if spec.kind == "enum" and name == "niveau":
            return NiveauPicker(name, value)
        if spec.kind == "enum":
            assert spec.enum is not None
            options = [(enums.label(m), m.value) for m in spec.enum]
            return AutoSelect(name, options, value, allow_blank=False)
        if spec.kind == "ref":
            return AutoSelect(name, choices, value, allow_blank=not spec.required, id=wid)
        if spec.kind == "reflist" and spec.ref == "enhed":
            return PartnerPicker(name, choices, value)
        if spec.kind == "reflist":
            if not choices and name == "tegn_ids":
                return Label(texts.TEGN_NONE, classes="muted")
            return AutoSelectionList(name, choices, value)
        if spec.kind == "intlist":
            return AutoSelectionList(name, plan_a_options(), value)  # type: ignore[arg-type]
        placeholder = {"date": texts.DATE_PLACEHOLDER, "time": texts.TIME_PLACEHOLDER}.get(
            spec.kind, ""
        )
        return AutoInput(name, value, id=wid, placeholder=placeholder)

    # --- saving -----------------------------------------------------------------------------

    def _error_label(self, name: str) -> Label | None:
        found = self.query(f"#err-{name}")
        return found.first(Label) if found else None

    def _show_error(self, name: str, message: str, *, warning: bool = False) -> None:
        label = self._error_label(name)
        if label is not None:
            label.update(Text(message))
            label.display = bool(message)
            label.set_class(warning, "-warning")

    def _date_note(self, name: str, value: Any) -> str:
        """The word a saved date gets under its field ('' for none): see `FormSpec.not_after`."""
        last = self.spec.not_after.get(name)
        if last is None or not isinstance(value, date) or value <= last:
            return ""
        return texts.FORM_DATE_AHEAD.format(dato=show_value(self.entity.fields[name], value))

    def _field_widgets(self) -> dict[str, AutoSave]:
        return {w.field_name: w for w in self.query("*") if isinstance(w, AutoSave)}

    def handle_commit(self, widget: AutoSave, name: str, value: Any) -> None:
        """A field changed: validate at once, then create or update in the worker queue."""
        try:
            clean = validate_value(self.spec.entity, name, value)
        except ValidationError as exc:
            message = str(exc)
            widget.mark_error(message)
            self._show_error(name, message)
            if not self._gone:  # (not the blur of a field left behind as the form goes)
                host(self).mark_failed(message)
                self._marked.add(message)
            if self._leaving:
                # Esc with text a field refuses (a date that does not exist): noted here, and
                # the form stays open and says so (`_close_when_saved`).
                self._refused_now.add((name, message))
            return
        # Saved: what this field refused before no longer counts as seen.
        self._refused_before = {r for r in self._refused_before if r[0] != name}
        note = self._date_note(name, clean)
        self._show_error(name, note, warning=bool(note))
        entity = self.spec.entity
        if self.row_id is None:
            widgets = self._field_widgets()
            values = {n: w.current_value() for n, w in widgets.items()}
            missing = self._missing(values)
            if missing:
                # Said in the form, not in the app's save state: that line outlived the form
                # and was cut off at 80 columns. Only once something is typed (a picker that
                # settles on its first choice while the form opens is not the user).
                if self._start and any(v != self._start.get(n) for n, v in values.items()):
                    label = self.entity.fields[missing[0]].label
                    needs = texts.NEEDS_FIELD.format(label=label)
                    self._show_needs(needs[:1].upper() + needs[1:] + ".")
                return
            self._show_needs("")
            clean = {n: v for n, v in values.items() if _filled(v)}
            try:
                for n, v in clean.items():
                    validate_value(entity, n, v)
            except ValidationError:
                return  # the other field shows its own error
            snapshot = {n: (widgets[n], v) for n, v in clean.items()}
            fixed = self.spec.fixed

            on_create = self.spec.on_create

            def create_or_update(ws: Workspace) -> str:
                # The id is set here, in the queue: a second field's save queued before this
                # one's answer came back changes the row instead of creating another.
                new = self.row_id is None
                self.row_id = ws.create_or_update(entity, self.row_id, clean, fixed=fixed)
                if new and on_create is not None:
                    on_create(ws, self.row_id)
                return self.row_id

            def created(_row_id: str) -> None:
                _mark_all(snapshot)
                _drafts(self).pop(self._draft_key(), None)  # the udkast is a row now

            self._save(create_or_update, done=created)
            return

        if self._rule_refuses({name: value}):
            return
        row_id: str = self.row_id

        def saved(_n: int) -> None:
            widget.mark_saved(value)
            if name in _WRITES_ALSO:
                self._reload_fields(row_id, _WRITES_ALSO[name])

        self._save(lambda ws: ws.save_field(entity, row_id, name, value), done=saved)

    def _reload_fields(self, row_id: str, names: Collection[str]) -> None:
        """Show again what `names` hold on disk (a field the workspace wrote beside the one
        typed: a status change dates itself)."""

        def loaded(row: Row | None) -> None:
            if row is None or row_id != self.row_id:
                return
            for widget in self.query("*"):
                if isinstance(widget, AutoSave) and widget.field_name in names:
                    spec = self.entity.fields[widget.field_name]
                    widget.load(show_value(spec, row.values.get(widget.field_name)))

        entity = self.spec.entity
        host(self).read(lambda ws: ws.row(entity, row_id), done=loaded)

    _refused: str | None = None  # the rule that kept the form open at the last Esc

    def _rule_refuses(self, values: Mapping[str, Any]) -> bool:
        """A rule of the whole record (`rules.record_problem`: a samarbejde needs a partner)
        refuses this change of a saved row: say why at the field, send nothing, and keep the
        form open on the first Esc (Esc again closes; the row keeps what it had). The
        workspace checks the same rule when it writes. (A new row's rule fields count as
        required: `_missing`.)"""
        problem = rules.record_problem(self.spec.entity, values, new=False)
        if problem is None:
            self._refused = None
            return False
        name, message = problem
        self._show_error(name, message)
        host(self).mark_failed(texts.NEEDS_FIELD.format(label=self.entity.fields[name].label))
        if self._leaving and self._refused != message:
            self._refused = message
            self._failure = f"{message} {texts.FORM_CLOSE_ANYWAY}"
        elif not self._leaving:
            self._refused = None
        return True

    def _save(self, call: Callable[[Workspace], T], *, done: Callable[[T], object]) -> None:
        """Save through the app's queue, counting the saves whose answer is still to come (Esc
        closes the form only when the last one is confirmed on disk)."""
        self._in_flight += 1

        def ok(result: T) -> None:
            self._in_flight -= 1
            done(result)
            self._close_when_saved()

        def failed(exc: Exception) -> None:
            self._in_flight -= 1
            self._save_failed(exc)
            self._close_when_saved()

        host(self).write(call, done=ok, error=failed)

    def _save_failed(self, exc: Exception) -> None:
        if isinstance(exc, ValidationError):
            for name, spec in self.entity.fields.items():
                if spec.label == exc.field:
                    self._show_error(name, str(exc))
                    break
            self.notify(str(exc), severity="error")
            self._failure = str(exc)
        elif isinstance(exc, NotFoundError):
            self.notify(str(exc), severity="error")
        else:
            # The text is valid but could not be written (a full disk, a read-only or damaged
            # database): say so, and keep the form and its text until it is saved.
            target = host(self).db_target
            message, short = save_failure_text(exc, None if "://" in target else target)
            host(self).mark_failed(short)
            self.notify(message, severity="error", timeout=12)
            self._failure = message
            self._show_failure(message)

    # --- closing ----------------------------------------------------------------------------

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        if isinstance(event.input, AutoInput):
            self.focus_next()

    @on(Button.Pressed, "#form-done")
    def _done_pressed(self) -> None:
        self.action_done()

    def action_done(self) -> None:
        """Save what is typed and close once it is on disk. A save that fails keeps the form
        open with its text and says why (Esc again tries again). A new row whose required
        field is empty is not saved: if anything else is typed, ask what to do with it."""
        if self.row_id is None and not self._in_flight and self.loaded:
            values = {n: w.current_value() for n, w in self._field_widgets().items()}
            missing = self._missing(values)
            changed = any(v != self._start.get(n) for n, v in values.items())
            if missing and changed and any(_filled(v) for v in values.values()):
                self._ask_draft(missing[0], {n: v for n, v in values.items() if _filled(v)})
                return
        self._leaving = True
        self._failure = None
        self._refused_now = set()
        for widget in self._field_widgets().values():
            widget.commit_now()
        self._close_when_saved()

    def _close_when_saved(self) -> None:
        if not self._leaving or self._in_flight or not self.is_attached:
            return
        self._leaving = False
        refused, self._refused_now = self._refused_now, set()
        if self._failure is None and refused and not refused <= self._refused_before:
            # Text a field refuses, not seen at the Esc before: stay and say so; Esc again
            # (with nothing new refused) closes without it.
            self._refused_before = refused
            _name, message = sorted(refused)[0]
            self._failure = f"{message} {texts.FORM_CLOSE_ANYWAY}"
        if self._failure is not None:
            self._show_failure(self._failure)
            return
        self._show_failure("")
        self._drop_refusals()  # left behind on purpose: not «Ikke gemt» any more
        self._gone = True
        self.dismiss(self.row_id)

    def _drop_refusals(self) -> None:
        """The form closes without the text its fields refused: the app's save state says
        again what it said before (unless something else failed since)."""
        for message in sorted(self._marked):
            host(self).refusal_dropped(message)
        self._marked.clear()

    def _ask_draft(self, missing: str, typed: dict[str, Any]) -> None:
        label = self.entity.fields[missing].label

        def answered(choice: str | None) -> None:
            if choice == "keep":
                _drafts(self)[self._draft_key()] = typed
                self.notify(texts.FORM_DRAFT_KEPT)
                self._gone = True  # (a field refusing as it settles says so no more)
                self._settle_fields()
                self._drop_refusals()  # the udkast's own notice says what was kept
                self.dismiss(None)
            elif choice == "discard":
                _drafts(self).pop(self._draft_key(), None)
                self._gone = True
                self._settle_fields()
                self._drop_refusals()
                self.dismiss(None)
            # «Fortsæt» (or Esc): back to the form, the text still there.

        question = texts.FORM_DRAFT_QUESTION.format(field=label)
        self.app.push_screen(DraftScreen(question), callback=answered)

    def _settle_fields(self) -> None:
        """Nothing of the unsaved text is pending any more (the save state stops «Gemmer …»)."""
        for widget in self._field_widgets().values():
            widget.commit_now()

    def _show_failure(self, message: str) -> None:
        found = self.query("#form-save-error")
        if found:
            label = found.first(Label)
            label.update(Text(message))
            label.display = bool(message)


def save_failure_text(exc: BaseException, near: str | None = None) -> tuple[str, str]:
    """A Danish message for a save that failed (what is wrong and what to do) and a short
    form of it for the status line. `near`: the database file, so that SQLite's «disk I/O
    error» on a drive with no space left is named as a full disk (as `report_error` does)."""
    kind = disk_full_kind(exc, near)
    if kind is not None:
        server = kind == "server"
        message = texts.FORM_NOT_SAVED.format(
            reason=texts.FORM_SERVER_DISK_FULL if server else texts.FORM_DISK_FULL,
            todo=texts.FORM_SERVER_DISK_FULL_TODO if server else texts.FORM_DISK_FULL_TODO,
        )
        return message, texts.SAVE_DISK_FULL
    if isinstance(exc, UdviklingsdagError):
        reason = str(exc).strip()
        todo = texts.FORM_SAVE_RETRY_TODO
    else:
        reason = texts.FORM_SAVE_FAILED.format(kind=type(exc).__name__)
        todo = texts.FORM_SAVE_FAILED_TODO
    if reason and reason[-1] not in ".!?":
        reason += "."
    message = texts.FORM_NOT_SAVED.format(reason=reason, todo=todo)
    return message, reason.rstrip(".")


def _filled(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    return value is not None and value != []


def _mark_all(snapshot: dict[str, tuple[AutoSave, Any]]) -> None:
    for widget, value in snapshot.values():
        widget.mark_saved(value)


# --- confirmation -----------------------------------------------------------------------------


_READING_NAME = WeakKeyDictionary[Any, bool]()


def open_with_assessor(screen: Any, push: Callable[[str], object]) -> None:
    """Open a new row's form on `screen` with who works on this laptop (`Workspace.assessor`:
    the name last given for a vurdering, else the laptop's name), read first. A second ask
    while the name is read opens no second form, and a screen left meanwhile opens none."""
    if _READING_NAME.get(screen):
        return

    def named(who: str) -> None:
        _READING_NAME.pop(screen, None)
        if screen.is_current:
            push(who)

    def failed(exc: Exception) -> None:
        _READING_NAME.pop(screen, None)
        host(screen).report_error(exc)

    _READING_NAME[screen] = True
    host(screen).read(lambda ws: ws.assessor(), done=named, error=failed)


class ConfirmScreen(ModalScreen[bool]):
    """Yes/no question; the text is shown literally (it may hold user text). Enter presses
    the focused button: «Nej» unless `default_yes` (a delete that can be undone: Enter
    deletes, Esc keeps). `yes`, `no`: the buttons' labels («Slet», «Behold»)."""

    DEFAULT_CSS = """
    ConfirmScreen #confirm-scroll { height: auto; max-height: 14; }
    """
    BINDINGS = [
        Binding(
            "y,j,Y,J",
            "answer(True)",
            texts.B_CONFIRM[0],
            tooltip=texts.B_CONFIRM[1],
            id="confirm.yes",
        ),
        Binding(
            "n,escape,N",
            "answer(False)",
            texts.B_CANCEL[0],
            tooltip=texts.B_CANCEL[1],
            id="confirm.no",
        ),
    ]

    def __init__(
        self,
        question: str,
        *,
        yes: str | None = None,
        no: str | None = None,
        default_yes: bool = False,
        letters: bool = True,
        gone: Callable[[], object] | None = None,
    ) -> None:
        super().__init__()
        self.question = question
        self.yes_label = yes or texts.B_CONFIRM[0]
        self.no_label = no or texts.B_CANCEL[0]
        self.default_yes = default_yes
        self.letters = letters  # J/Y answer yes (never where Enter does: `check_action`)
        self._gone = gone  # called when the question goes without an answer
        self._answered = False

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            with VerticalScroll(id="confirm-scroll"):
                yield Static(Text(self.question), id="confirm-question")
            if self.default_yes:
                yield Static(
                    texts.CONFIRM_ENTER_ESC.format(yes=self.yes_label, no=self.no_label),
                    id="confirm-keys",
                    classes="muted",
                    markup=False,
                )
            with Horizontal(id="confirm-buttons"):
                yield Button(self.yes_label, id="yes", variant="error")
                yield Button(self.no_label, id="no")

    def on_mount(self) -> None:
        self.query_one("#yes" if self.default_yes else "#no", Button).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Where Enter confirms (a delete), a letter does not: someone who pressed Delete
        # while typing and types on («dejlig») must not answer «j».
        yes_by_letter = action == "answer" and parameters == (True,)
        return not (yes_by_letter and (self.default_yes or not self.letters))

    def action_answer(self, answer: bool) -> None:
        self._answered = True
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self._answered = True
        self.dismiss(event.button.id == "yes")

    def on_unmount(self) -> None:
        if not self._answered and self._gone is not None:
            self._gone()  # closed another way (the palette's «Hjem»): not answered


class DraftScreen(ModalScreen[str]):
    """Esc on a new row that cannot be saved yet: «Gem udkast» (Enter), «Kassér» or
    «Fortsæt» (Esc). Dismisses with «keep», «discard» or «continue»."""

    DEFAULT_CSS = """
    DraftScreen { align: center middle; }
    DraftScreen #confirm-scroll { height: auto; max-height: 12; margin-bottom: 1; }
    DraftScreen #confirm-buttons Button { margin-right: 1; min-width: 10; }
    """
    BINDINGS = [
        Binding(
            "escape",
            "answer('continue')",
            texts.FORM_DRAFT_CONTINUE,
            tooltip=texts.FORM_DRAFT_KEYS,
            id="draft.continue",
        ),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box"):
            with VerticalScroll(id="confirm-scroll"):
                yield Static(Text(self.question), id="draft-question")
            yield Static(texts.FORM_DRAFT_KEYS, classes="muted", markup=False)
            with Horizontal(id="confirm-buttons"):
                yield Button(texts.FORM_DRAFT_KEEP, id="keep", variant="primary")
                yield Button(texts.FORM_DRAFT_DISCARD, id="discard", variant="error")
                yield Button(texts.FORM_DRAFT_CONTINUE, id="continue")

    def on_mount(self) -> None:
        self.query_one("#keep", Button).focus()

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "continue")


DraftKey = tuple[str, str, tuple[tuple[str, str], ...]]
_DRAFT_STORE: WeakKeyDictionary[object, dict[DraftKey, dict[str, Any]]] = WeakKeyDictionary()


def _drafts(node: Any) -> dict[DraftKey, dict[str, Any]]:
    """The udkast of new rows kept while the app runs (one store per App)."""
    return _DRAFT_STORE.setdefault(node.app, {})


def kept_drafts(app: object) -> int:
    """How many udkast of new rows `app` holds (they live in memory: quitting loses them)."""
    return len(_DRAFT_STORE.get(app, {}))


class ReadScreen(ModalScreen[None]):
    """A long text to read with the keyboard (↑↓, PgUp/PgDn), shown literally. Esc closes."""

    DEFAULT_CSS = """
    ReadScreen { align: center middle; }
    ReadScreen #read-box { width: 96%; max-width: 110; height: 90%;
                           border: thick $primary; background: $surface; padding: 0 1; }
    ReadScreen #read-scroll { height: 1fr; }
    ReadScreen #read-close { height: 1; }
    """
    BINDINGS = [
        Binding(
            "escape,space,enter",
            "dismiss",
            texts.B_BACK[0],
            tooltip=texts.B_BACK[1],
            id="read.close",
        ),
    ]

    def __init__(self, text: Text) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        with Vertical(id="read-box"):
            with VerticalScroll(id="read-scroll"):
                yield Static(self.text, id="read-text")
            yield Static(texts.READ_CLOSE, id="read-close", classes="muted", markup=False)
        yield AppFooter()

    def on_mount(self) -> None:
        self.query_one("#read-scroll").focus()
        self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        # A text shorter than the box: the box as tall as the text, not 90 % of the screen.
        scroll = self.query_one("#read-scroll", VerticalScroll)
        if scroll.max_scroll_y == 0:
            scroll.styles.height = "auto"
            self.query_one("#read-box").styles.height = "auto"
