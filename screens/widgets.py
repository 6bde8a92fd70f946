"""Shared widgets: the top bar with timer and save state, fields that save themselves, the list
with add/edit/delete/move keys, checkboxes and choice lists that say their state in text
(«[x]»/«[ ]»), and the QR code drawn black on white.

No widget here touches the database: a field hands its value to the nearest ancestor that is
a `Saver`, which saves through the workspace (in the database queue).

The top bar, the footer, `StyledOnce` and `plain` are in `screens.chrome` (the home screen
needs only those, and the cold start does not wait for the rest); they are re-exported here.

Five things here and in `screens.chrome` lean on Textual internals, each for a measured cost
or a leak (see their comments); tests/tui/test_textual_seams.py fails when a Textual upgrade
moves one of them: `textual._context.active_app` (`_content`, `Hanging`),
`textual.widgets._footer.FooterKey` and `Footer._bindings_ready` (`AppFooter`), the app's
`"__watchers"` attribute (`AutoTextArea.on_unmount`) and `Screen._on_screen_resume`
(`StyledOnce`).

Two more change how Textual draws a toggle, for the user's sake (state in text, not colour
alone): `ToggleButton._button` (`StateCheckbox`) and the segments of
`SelectionList.render_line` (`StateSelectionList`); tests/tui/test_small_items.py fails when
a Textual upgrade moves them."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Protocol, runtime_checkable

from rich.console import Console, ConsoleOptions, RenderResult
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from rich.text import Text
from textual import events
from textual._context import active_app
from textual.app import App
from textual.binding import Binding
from textual.content import Content
from textual.content import Span as ContentSpan
from textual.css.styles import RulesMap
from textual.message import Message
from textual.screen import Screen
from textual.strip import Strip
from textual.style import Style as VisualStyle
from textual.timer import Timer
from textual.visual import RenderOptions, Visual
from textual.widget import Widget
from textual.widgets import (
    Checkbox,
    Input,
    OptionList,
    SelectionList,
    TextArea,
)
from textual.widgets.option_list import Option
from textual.widgets.selection_list import Selection, SelectionType

from models.visible import visible
from models.words import count, listed

from . import texts
from .base import Host, host
from .chrome import AppFooter as AppFooter
from .chrome import SaveIndicator as SaveIndicator
from .chrome import StyledOnce as StyledOnce
from .chrome import TimerLabel as TimerLabel
from .chrome import TopBar as TopBar
from .chrome import plain as plain
from .paged import PagedOptionList as PagedOptionList

DEBOUNCE_SECONDS = 0.6


def visible_markup(value: Any, limit: int | None = None, *, multiline: bool = False) -> str:
    """`models.visible.visible`, escaped for Textual's content markup: for a place that takes
    only a markup string (a widget that takes a Text or a Content gets `plain` instead). Every
    «[» gets a backslash; Rich's `escape` leaves «[B]», «[$x]» and an unclosed «[/» to
    Textual's parser, which hid the first two and raised while drawing on the last."""
    return visible(value, limit, multiline=multiline).replace("[", "\\[")


_ANSI_THEMES: dict[tuple[int, str], Any] = {}


def type_ahead(
    event: events.Key, focused: object, listing: Widget, filt: Input, *, stays: str = "/"
) -> None:
    """Type-ahead on a filtered list (a bord's mål, the årshjul's plans): letters typed while
    `listing` has the focus go to the filter `filt`, and the list keeps the focus, so ↑↓ and
    Enter go on working on what is left (moving the focus would also restyle the screen on
    the first key); Backspace takes one back. The characters of `stays` are the list's own
    (`/` moves to the filter). ↓ in the filter goes back to the list."""
    if focused is listing:
        if event.is_printable and event.character and event.character not in stays:
            change = filt.value + event.character
        elif event.key == "backspace" and filt.value:
            change = filt.value[:-1]
        else:
            return
        event.stop()
        event.prevent_default()
        filt.value = change
        filt.cursor_position = len(change)
    elif focused is filt and event.key == "down":
        event.stop()
        listing.focus()


def _content(text: Text) -> Content:
    """`Content.from_rich_text` with the app's ANSI theme looked up once per theme instead of
    once per text (the lookup costs about 0.4 ms; a list of 1,000 mål made 1,000 of them).
    A Visual has no `app`: Textual's private `active_app` context variable is the only way
    to the running app from here (Textual's own `Content.from_rich_text` uses it too)."""
    try:
        app = active_app.get()
    except LookupError:
        return Content.from_rich_text(text)
    key = (id(app), str(app.theme))
    if key not in _ANSI_THEMES:
        _ANSI_THEMES[key] = app.ansi_theme
    ansi_theme = _ANSI_THEMES[key]
    get_style = app.console.get_style
    spans = [
        ContentSpan(
            start,
            end,
            VisualStyle.from_rich_style(
                get_style(style) if isinstance(style, str) else style, ansi_theme
            ),
        )
        for start, end, style in text.spans
    ]
    content = Content(text.plain, spans)
    if text.style:
        base = get_style(text.style) if isinstance(text.style, str) else text.style
        content = content.stylize_before(VisualStyle.from_rich_style(base, ansi_theme))
    return content


class Hanging(Visual):
    """A list item whose wrapped lines stay indented under the text, not under the mark.

    A Textual Visual rather than a Rich grid: an OptionList measures the height of every
    option whenever the list changes, and a Rich `Table` renders the whole item to count its
    lines (about 1 ms each; a table with 1,000 mål took a second per keystroke). Here the
    body is a `Content`, which wraps once per width and caches the height."""

    def __init__(self, mark: Text, body: Text) -> None:
        # The mark goes through Rich when drawn (one line, visible items only), so its
        # colours stay the terminal's own ANSI colours as before.
        self.mark = mark
        self.body_text = body
        self.body = _content(body)
        # A fixed mark column plus a one-cell gap.
        self.mark_width = mark.cell_len + 1

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        # Printed outside a Textual widget (tests, logs): the same layout as a Rich grid.
        grid = Table.grid()
        grid.add_column(no_wrap=True, width=self.mark_width)
        grid.add_column(ratio=1)
        grid.add_row(self.mark, self.body_text)
        yield grid

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        body = self.body.get_optimal_width(rules, max(1, container_width - self.mark_width))
        return self.mark_width + body

    def get_height(self, rules: RulesMap, width: int) -> int:
        return self.body.get_height(rules, max(1, width - self.mark_width))

    def render_strips(
        self, width: int, height: int | None, style: VisualStyle, options: RenderOptions
    ) -> list[Strip]:
        if not width:
            return []
        mark_width = min(self.mark_width, width)
        body_width = max(1, width - mark_width)
        body = self.body.render_strips(body_width, height, style, options)
        rich_style = style.rich_style
        app = active_app.get()
        segments = app.console.render(self.mark, app.console_options.update_width(mark_width))
        first = next(
            iter(Segment.split_and_crop_lines(segments, mark_width, include_new_lines=False)), []
        )
        head = Strip(Segment.apply_style(first, rich_style)).crop(0, mark_width)
        head = head.extend_cell_length(mark_width, rich_style)
        gap = Strip.blank(mark_width, rich_style)
        return [Strip.join([head if n == 0 else gap, line]) for n, line in enumerate(body)]


def hanging(mark: Text | str, body: Text) -> Hanging:
    """A list item whose wrapped lines stay indented under the text, not under the mark."""
    return Hanging(mark if isinstance(mark, Text) else Text(mark), body)


# --- a checkbox that says its state in text ---------------------------------------------------


class StateCheckbox(Checkbox):
    """A Checkbox that shows «[x]» when ticked and «[ ]» when not.

    Textual's own draws the same «▐X▌» in both states and tells them apart by colour only,
    which a projector, a colour-blind user or a monochrome terminal loses. The brackets and the
    cross are plain ASCII, so every terminal font (Windows Terminal's Cascadia Mono too) has
    them. The colour stays as an extra hint."""

    DEFAULT_CSS = """
    StateCheckbox > .toggle--button { color: $text; background: $panel; }
    StateCheckbox.-on > .toggle--button { color: $text-success; text-style: bold; }
    """

    TICKED = texts.CHECK_ON
    UNTICKED = texts.CHECK_OFF

    @property
    def _button(self) -> Content:
        style = self.get_visual_style("toggle--button")
        return Content.styled(self.TICKED if self.value else self.UNTICKED, style)


class StateSelectionList(SelectionList[SelectionType]):
    """A SelectionList whose options show «[x]» when chosen and «[ ]» when not (Textual's own
    draws «▐X▌» for both, in two colours), and whose long options wrap onto more lines instead
    of being cut with «…» at 80 columns (a tegn, a mål or a plan's title is often a sentence).

    Textual's own SelectionList draws one line per option: it finds the option of a line as
    «first line shown + y» and sets `text-wrap: nowrap`. Here the option of a line comes from
    the OptionList's own line map (`_lines`: option index and line within it), the tick is
    drawn on an option's first line and the lines under it are indented to the text. An option
    `_tickless` says so (a heading, a line that only informs) has no tick at all."""

    DEFAULT_CSS = """
    StateSelectionList { text-wrap: wrap; text-overflow: fold; }
    StateSelectionList > .selection-list--button,
    StateSelectionList > .selection-list--button-highlighted { color: $text; }
    StateSelectionList > .selection-list--button-selected,
    StateSelectionList > .selection-list--button-selected-highlighted {
        color: $text-success; text-style: bold;
    }
    """

    def _tickless(self, option: Selection[SelectionType]) -> bool:
        """Whether `option` is drawn without a tick box (none here; see `NytAarList`)."""
        return False

    def render_line(self, y: int) -> Strip:
        line = OptionList.render_line(self, y)  # the prompt's line, without Textual's button
        try:
            index, offset = self._lines[self.scroll_offset.y + y]
        except IndexError:  # below the last option
            return line
        option = self.get_option_at_index(index)
        segments = list(line)
        underlying = (segments[0].style if segments else None) or self.rich_style
        gutter = self._get_left_gutter_width()
        if offset or self._tickless(option):
            return Strip([Segment(" " * gutter, underlying), *segments], gutter + line.cell_length)
        component = "selection-list--button"
        if option.value in self._selected:
            component += "-selected"
        if self.highlighted == index:
            component += "-highlighted"
        button = self.get_component_rich_style(component) + Style(meta={"option": index})
        mark = StateCheckbox.TICKED if option.value in self._selected else StateCheckbox.UNTICKED
        pad = Segment(" " * (gutter - len(mark)), underlying + Style(meta={"option": index}))
        return Strip([Segment(mark, button), pad, *segments], gutter + line.cell_length)


# --- fields that save themselves --------------------------------------------------------------


@runtime_checkable
class Saver(Protocol):
    """A screen or container that saves the fields inside it (a form, the notes panel)."""

    def handle_commit(self, widget: AutoSave, field: str, value: Any) -> None:
        """Save `value` of `widget`'s `field`; call `widget.mark_saved` or `mark_error` when
        the write has come back."""


def _saver(field: AutoSave) -> Saver | None:
    if isinstance(field, Widget):
        for node in field.ancestors_with_self:
            if isinstance(node, Saver):
                return node
    return None


def _host_of(field: AutoSave) -> Host | None:
    if not isinstance(field, Widget):
        return None
    try:
        return host(field)
    except Exception:  # not mounted (no active app)
        return None


class AutoSave:
    """Mixin for a field that saves when the user leaves it or pauses typing.

    `saved_value` is the value known to be on disk; `commit_now()` hands a changed value to
    the nearest `Saver`, which calls `mark_saved` or `mark_error` when it is done."""

    field_name: str
    saved_value: Any
    _debounce: Timer | None = None

    def current_value(self) -> Any:
        raise NotImplementedError

    def load(self, value: Any) -> None:
        """Show a value read from the database (not a user edit)."""
        raise NotImplementedError

    @property
    def dirty(self) -> bool:
        return bool(self.current_value() != self.saved_value)

    def schedule_commit(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
        if isinstance(self, Widget):
            self._debounce = self.set_timer(DEBOUNCE_SECONDS, self.commit_now)
        # From this key until the write is confirmed the status says «Gemmer …», not «Gemt».
        app = _host_of(self)
        if app is not None and self.dirty:
            app.input_pending(self)

    def commit_now(self) -> None:
        if self._debounce is not None:
            self._debounce.stop()
            self._debounce = None
        try:
            if not self.dirty:
                return
            saver = _saver(self)
            if saver is not None:
                saver.handle_commit(self, self.field_name, self.current_value())
        finally:
            app = _host_of(self)
            if app is not None:
                app.input_settled(self)

    def mark_saved(self, value: Any) -> None:
        self.saved_value = value
        _show_invalid(self, None)

    def mark_error(self, message: str) -> None:
        # The message can quote what was typed or merged: as plain text (a «[/]» in it must
        # not be read as markup) with control characters visible.
        _show_invalid(self, plain(message))


def _show_invalid(field: AutoSave, message: Text | None) -> None:
    """Mark a field as refused (with why, as its tooltip), or as fine again."""
    if isinstance(field, Widget):
        field.set_class(message is not None, "-invalid")
        field.tooltip = message


class AutoInput(AutoSave, Input):
    """A one-line field that saves itself."""

    def __init__(self, field_name: str, value: str = "", **kw: Any) -> None:
        super().__init__(value=value, **kw)
        self.field_name = field_name
        self.saved_value = value

    def current_value(self) -> str:
        return self.value

    def load(self, value: str) -> None:
        """Show a value read from the database (not a user edit)."""
        self.saved_value = value
        with self.prevent(Input.Changed):
            self.value = value

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input is self:
            self.schedule_commit()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input is self:
            self.commit_now()

    def on_blur(self, _event: events.Blur) -> None:
        self.commit_now()


class AutoTextArea(AutoSave, TextArea):
    """A multi-line field that saves itself. Tab moves on (does not insert a tab)."""

    DEFAULT_CSS = """
    AutoTextArea { height: auto; min-height: 3; max-height: 8; }
    """

    def __init__(self, field_name: str, value: str = "", **kw: Any) -> None:
        kw.setdefault("soft_wrap", True)
        kw.setdefault("tab_behavior", "focus")
        kw.setdefault("show_line_numbers", False)
        super().__init__(value, **kw)
        self.field_name = field_name
        self.saved_value = value

    def current_value(self) -> str:
        return self.text

    def load(self, value: str) -> None:
        self.saved_value = value
        with self.prevent(TextArea.Changed):
            self.text = value

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        if event.text_area is self:
            self.schedule_commit()

    def on_blur(self, _event: events.Blur) -> None:
        self.commit_now()

    def on_unmount(self) -> None:
        # Textual keeps a TextArea reachable after it is removed: its watcher of the app's
        # theme stays in the app's list and its selection callback in the screen's signal,
        # until the theme changes or a text selection starts. Screens and forms open and
        # close all day, so every removed area would stay in memory. Textual keeps the
        # watchers in an attribute literally named "__watchers" (textual.reactive._watch) and
        # offers no way to drop one.
        watchers = getattr(self.app, "__watchers", {}).get("theme")
        if watchers:
            watchers[:] = [w for w in watchers if w[0] is not self]
        for node in self.ancestors:
            if isinstance(node, Screen):
                node.text_selection_started_signal.unsubscribe(self)


def dirty_fields(app: App[Any]) -> list[AutoSave]:
    """Every self-saving field of every open screen that holds unsaved text."""
    found: list[AutoSave] = []
    for screen in app.screen_stack:
        for widget in screen.query("*"):
            if isinstance(widget, AutoSave) and widget.dirty:
                found.append(widget)
    return found


# --- a list with add / edit / delete / move keys ------------------------------------------------


DELETE_QUOTE = 60
"""Characters of an item's first line quoted in «Slet …?»."""


def also_deleted(owned: Mapping[str, int]) -> str:
    """What goes with a deleted row, for the question before it («Det sletter også 3 tegn og
    36 målinger.» after a blank line); "" when nothing does."""
    if not owned:
        return ""
    return texts.CONFIRM_DELETE_ALSO.format(rows=listed([count(e, n) for e, n in owned.items()]))


def confirm_delete(
    node: Widget,
    entity: str,
    row_id: str,
    question: Callable[[str], str],
    delete: Callable[[], object],
) -> None:
    """Ask before deleting a row, saying what goes with it (`Workspace.owned_rows`, read
    first): `question(also)` is the question with `also_deleted`'s sentence put in, `delete`
    runs on «Slet» (Enter; Esc keeps; Ctrl+Z undoes). When the count cannot be read, the
    question is asked without it."""
    from .forms import ConfirmScreen

    def ask(owned: Mapping[str, int] | None) -> None:
        if not node.is_attached:
            return

        def answered(yes: bool | None) -> None:
            if yes:
                delete()

        node.app.push_screen(
            ConfirmScreen(
                question(also_deleted(owned or {})),
                yes=texts.CONFIRM_DELETE_YES,
                no=texts.CONFIRM_KEEP,
                default_yes=True,
            ),
            callback=answered,
        )

    host(node).read(
        lambda ws: ws.owned_rows(entity, row_id), done=ask, error=lambda _exc: ask(None)
    )


class ItemList(PagedOptionList):
    """An OptionList whose keys ask the screen to add, edit, delete or move the highlighted
    item (option id = row id). The screen decides what that means.

    `letters`: whether the letters A (add) and E (edit) work too. A list next to text that a
    group writes (the mål screen) turns them off: a facilitator who thinks the cursor is in
    a text field must not open forms by typing. Insert / Ctrl+A, Enter and Delete always work.
    `ask_before_delete`: Delete asks first (Enter deletes, Esc keeps)."""

    BINDINGS = [
        Binding(
            "insert,ctrl+a", "item('add')", texts.B_ADD[0], tooltip=texts.B_ADD[1], id="item.add"
        ),
        Binding(
            "a,A",
            "letter('add')",
            texts.B_ADD[0],
            tooltip=texts.B_ADD[1],
            id="item.add_letter",
            show=False,
        ),
        Binding(
            "e,E",
            "letter('edit')",
            texts.B_EDIT[0],
            tooltip=texts.B_EDIT[1],
            id="item.edit",
            show=False,
        ),
        Binding(
            "space",
            "read",
            texts.B_READ[0],
            tooltip=texts.B_READ[1],
            id="item.read",
            show=False,
        ),
        Binding(
            # The Delete key only: a letter typed by someone who thinks the cursor is in a text
            # field (d as in «[bold», «dejlig») must never delete what the group wrote.
            "delete",
            "item('delete')",
            texts.B_DELETE[0],
            tooltip=texts.B_DELETE[1],
            id="item.delete",
        ),
        Binding(
            "shift+up,ctrl+up",
            "item('up')",
            texts.B_UP[0],
            tooltip=texts.B_UP[1],
            id="item.up",
            show=False,
        ),
        Binding(
            "shift+down,ctrl+down",
            "item('down')",
            texts.B_DOWN[0],
            tooltip=texts.B_DOWN[1],
            id="item.down",
            show=False,
        ),
    ]

    class Action(Message):
        """The user asked for `action` on the item with `item_id` (None: nothing highlighted)."""

        def __init__(self, item_list: ItemList, action: str, item_id: str | None) -> None:
            super().__init__()
            self.item_list = item_list
            self.action = action
            self.item_id = item_id

        @property
        def control(self) -> ItemList:
            return self.item_list

    def __init__(
        self,
        *args: Any,
        kind: str = "",
        letters: bool = True,
        ask_before_delete: bool = False,
        **kw: Any,
    ) -> None:
        super().__init__(*args, **kw)
        self.kind = kind
        self.letters = letters
        self.ask_before_delete = ask_before_delete
        self._follow: str | None = None

    def follow(self, item_id: str | None) -> None:
        """Highlight `item_id` when the next `set_items` lists it: the row a form has just
        made or edited (without this the highlight stayed on the row it was on, and Enter then
        opened that one: a new måling sorted first, the old first one was edited instead)."""
        self._follow = item_id

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "letter":
            return self.letters
        return True

    def on_focus(self) -> None:
        # A list filled while its tab was hidden may come without a highlight.
        if self.highlighted is None:
            first = next((n for n, o in enumerate(self.options) if not o.disabled), None)
            if first is not None:
                self.highlighted = first

    @property
    def highlighted_id(self) -> str | None:
        if self.highlighted is None:
            return None
        option = self.get_option_at_index(self.highlighted)
        return None if option.disabled else option.id

    def action_item(self, action: str) -> None:
        self.on_focus()
        item_id = self.highlighted_id
        if action != "add" and item_id is None:
            return
        if action == "delete" and self.ask_before_delete and item_id is not None:
            self._ask_delete(item_id)
            return
        self.post_message(self.Action(self, action, item_id))

    def action_letter(self, action: str) -> None:
        self.action_item(action)

    def _highlighted_text(self) -> Text | None:
        """The highlighted item's text (without its number or mark)."""
        if self.highlighted is None:
            return None
        option = self.get_option_at_index(self.highlighted)
        if option.disabled:
            return None
        prompt = option.prompt
        if isinstance(prompt, Hanging):
            return prompt.body_text.copy()
        return prompt.copy() if isinstance(prompt, Text) else Text(str(prompt))

    def _ask_delete(self, item_id: str) -> None:
        shown = self._highlighted_text() or Text()
        first = shown.plain.split("\n", 1)[0]
        if len(first) > DELETE_QUOTE:
            first = first[: DELETE_QUOTE - 1].rstrip() + "…"

        def delete() -> None:
            if self.is_attached:
                self.post_message(self.Action(self, "delete", item_id))

        confirm_delete(
            self,
            self.kind,
            item_id,
            lambda also: texts.CONFIRM_DELETE_ITEM.format(text=first, also=also),
            delete,
        )

    def action_read(self) -> None:
        """The whole text of the highlighted item in a view of its own (a long tegn is
        taller than the list)."""
        from .forms import ReadScreen

        self.on_focus()
        shown = self._highlighted_text()
        if shown is not None:
            self.app.push_screen(ReadScreen(shown))

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option_list is self:
            event.stop()
            if event.option.id is not None and not event.option.disabled:
                self.post_message(self.Action(self, "edit", event.option.id))

    def set_items(
        self, options: list[Option], keep: str | None = None, empty: str | None = None
    ) -> None:
        """Replace the items, keeping the highlight on the row to follow (`follow`), on `keep`
        or on the same row, the first of them that is present."""
        follow, self._follow = self._follow, None
        if follow is not None and any(o.id == follow for o in options):
            keep = follow
        keep = keep or self.highlighted_id
        self.clear_options()
        if not options and empty:
            options = [Option(Text(empty, style="italic"), disabled=True)]
        self.add_options(options)
        index = None
        for n, option in enumerate(options):
            if option.id is not None and option.id == keep:
                index = n
        if index is None:
            index = next((n for n, o in enumerate(options) if not o.disabled), None)
        if index is not None:
            self.highlighted = index


# --- the QR code ------------------------------------------------------------------------------

QR_STYLE = Style(color="#000000", bgcolor="#ffffff")


class QRCode(Widget):
    """A QR matrix drawn with half blocks (two modules per character row), black on white
    whatever the theme, so a phone camera sees the contrast it expects."""

    DEFAULT_CSS = """
    QRCode { width: auto; height: auto; }
    """

    def __init__(self, matrix: list[list[bool]] | None = None, **kw: Any) -> None:
        super().__init__(**kw)
        self.matrix = matrix or []

    def set_matrix(self, matrix: list[list[bool]]) -> None:
        self.matrix = matrix
        self.refresh(layout=True)

    def get_content_width(self, container: Any, viewport: Any) -> int:
        return len(self.matrix[0]) if self.matrix else 0

    def get_content_height(self, container: Any, viewport: Any, width: int) -> int:
        return (len(self.matrix) + 1) // 2

    def render(self) -> Text:
        rows = self.matrix
        text = Text(no_wrap=True, overflow="crop")
        for y in range(0, len(rows), 2):
            top = rows[y]
            bottom = rows[y + 1] if y + 1 < len(rows) else [False] * len(top)
            line = "".join(
                "█" if a and b else "▀" if a else "▄" if b else " "
                for a, b in zip(top, bottom, strict=True)
            )
            text.append(line, QR_STYLE)
            if y + 2 < len(rows):
                text.append("\n")
        return text
