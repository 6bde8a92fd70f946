"""A conflict side by side: the field, every value with its laptop, time and the value before.
The tovholder chooses one value or writes a new one; the modal only returns the choice, the
consolidation screen writes it (as a new change) through the workspace (`Workspace.resolve`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from models.conflicts import KIND_DELETE
from models.visible import visible
from screens import texts

if TYPE_CHECKING:
    from models.conflicts import Conflict

# A value is shown whole (the tovholder compares the two), up to this many characters; names and
# labels up to a line's worth.
VALUE_LIMIT = 5000
NAME_LIMIT = 120


def _value(text: Any) -> str:
    # Values and names came from other laptops' files: every control character (ESC, C1,
    # bidi overrides) is shown as a placeholder, so a file cannot clear or repaint this
    # screen; a value keeps its own line breaks.
    return visible("" if text is None else text, VALUE_LIMIT, multiline=True)


def _name(text: Any) -> str:
    return visible("" if text is None else text, NAME_LIMIT)


@dataclass(frozen=True)
class ConflictChoice:
    """The value the tovholder chose or wrote (True/False for keep/restore a deleted row)."""

    value: Any


class ConflictScreen(ModalScreen[ConflictChoice | None]):
    """Shows one conflict; dismisses with the choice, or None when cancelled."""

    HELP_KEY = "consolidation"
    AUTO_FOCUS = ""  # see on_mount
    # The title and the buttons that close the dialog stay put; everything between them (the
    # field, the explanation, the value cards with «Vælg denne», a new value) scrolls, with a
    # visible scrollbar, inside whatever height the terminal has. Below 40 rows the dialog
    # takes the whole height; below 100 columns the whole width.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    VERTICAL_BREAKPOINTS = [(0, "-short"), (40, "-tall")]
    DEFAULT_CSS = """
    ConflictScreen { align: center middle; }
    ConflictScreen #dialog {
        width: 90%; max-width: 130; height: auto; max-height: 90%;
        border: thick $primary; background: $surface; padding: 1 2;
    }
    ConflictScreen.-narrow #dialog { width: 100%; padding: 0 1; }
    ConflictScreen.-short #dialog { height: 100%; max-height: 100%; padding: 0 1; }
    ConflictScreen #conflict-body {
        height: auto; max-height: 65vh; scrollbar-size-vertical: 1; scrollbar-gutter: stable;
    }
    ConflictScreen.-short #conflict-body { height: 1fr; max-height: 100%; }
    ConflictScreen #conflict-body:focus { background-tint: $foreground 5%; }
    ConflictScreen #sides { height: auto; }
    ConflictScreen .side {
        width: 1fr; height: auto; border: round $secondary; padding: 0 1; margin: 0 1 1 0;
    }
    ConflictScreen .side:focus-within { border: round $accent; }
    ConflictScreen .value { text-style: bold; margin-bottom: 1; }
    ConflictScreen .meta { color: $text-muted; }
    ConflictScreen #title { text-style: bold; }
    ConflictScreen #hint { color: $text-muted; margin-bottom: 1; }
    ConflictScreen #new-row, ConflictScreen #buttons { height: auto; }
    ConflictScreen #new-value { width: 1fr; }
    ConflictScreen Button { margin-right: 1; }
    ConflictScreen #scroll-hint { color: $text-muted; height: 1; }
    """

    BINDINGS = [
        Binding(
            "escape",
            "cancel",
            texts.CONFLICT_CANCEL,
            tooltip=texts.CONFLICT_B_CANCEL_TIP,
            id="conflict.cancel",
        ),
    ]

    def __init__(self, conflict: Conflict) -> None:
        super().__init__()
        self.conflict = conflict

    def compose(self) -> ComposeResult:
        c = self.conflict
        title = (
            texts.CONFLICT_TITLE.format(entity=_name(c.entity_label), title=_name(c.title))
            if c.title
            else texts.CONFLICT_TITLE_NO_NAME.format(entity=_name(c.entity_label))
        )
        with Vertical(id="dialog"):
            yield Static(Text(title), id="title")
            with VerticalScroll(id="conflict-body"):
                if c.kind == KIND_DELETE:
                    yield Static(Text(texts.CONFLICT_FIELD_DELETE))
                else:
                    yield Static(Text(texts.CONFLICT_FIELD.format(field=_name(c.field_label))))
                yield Static(Text(texts.CONFLICT_HINT), id="hint")
                with Horizontal(id="sides"):
                    for i, side in enumerate(c.sides):
                        with Vertical(classes="side", id=f"side-{i}"):
                            yield Static(
                                Text(
                                    texts.CONFLICT_VALUE.format(
                                        field=_name(side.field_label), value=_value(side.shown)
                                    )
                                ),
                                classes="value",
                            )
                            meta = [
                                texts.CONFLICT_FROM.format(device=_name(side.device_name)),
                                texts.CONFLICT_TIME.format(time=_name(side.time)),
                            ]
                            if side.before:
                                meta.append(
                                    texts.CONFLICT_BEFORE.format(before=_value(side.before))
                                )
                            yield Static(Text("\n".join(meta)), classes="meta")
                            if c.kind != KIND_DELETE:
                                yield Button(
                                    texts.CONFLICT_CHOOSE, id=f"choose-{i}", variant="primary"
                                )
                if c.kind != KIND_DELETE and c.can_write_new:
                    with Horizontal(id="new-row"):
                        yield Input(placeholder=texts.CONFLICT_NEW_PLACEHOLDER, id="new-value")
                        yield Button(texts.CONFLICT_WRITE_NEW, id="write-new")
            yield Static(texts.CONFLICT_SCROLL_HINT, id="scroll-hint")
            with Horizontal(id="buttons"):
                if c.kind == KIND_DELETE:
                    yield Button(texts.CONFLICT_KEEP_DELETED, id="keep-deleted", variant="error")
                    yield Button(texts.CONFLICT_RESTORE, id="restore", variant="primary")
                yield Button(texts.CONFLICT_CANCEL, id="cancel")

    def on_mount(self) -> None:
        # The cursor starts in the part that scrolls: the arrow keys and PgDn read it, Tab goes
        # on to the choices, and an Enter pressed at once chooses nothing.
        self.query_one("#conflict-body", VerticalScroll).focus()
        self.query_one("#scroll-hint").display = False
        self.call_after_refresh(self._fit)

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit)

    def _fit(self) -> None:
        """Say so when the dialog holds more than it shows (the scrollbar alone is easy to
        miss)."""
        body = self.query_one("#conflict-body", VerticalScroll)
        self.query_one("#scroll-hint").display = body.max_scroll_y > 0

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        button = event.button.id or ""
        event.stop()
        if button.startswith("choose-"):
            side = self.conflict.sides[int(button.removeprefix("choose-"))]
            self.dismiss(ConflictChoice(side.value))
        elif button == "keep-deleted":
            self.dismiss(ConflictChoice(True))
        elif button == "restore":
            self.dismiss(ConflictChoice(False))
        elif button == "write-new":
            self._write_new()
        else:
            self.dismiss(None)

    @on(Input.Submitted, "#new-value")
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._write_new()

    def _write_new(self) -> None:
        value = self.query_one("#new-value", Input).value
        # The screen validates through the Store and tells the user if the value is refused.
        self.dismiss(ConflictChoice(value))

    def action_cancel(self) -> None:
        self.dismiss(None)
