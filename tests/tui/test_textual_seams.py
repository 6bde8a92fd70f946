"""The places where screens/widgets.py leans on Textual internals, each checked against the
Textual installed: when an upgrade moves or changes one of them, a test here fails and says
which patch to look at (the version pin alone would not say).

- `_content` and `Hanging` reach the running app through `textual._context.active_app`.
- `AppFooter` reads `Footer._bindings_ready` and recognises keys as
  `textual.widgets._footer.FooterKey`; it must show exactly what the stock footer shows.
- `AutoTextArea.on_unmount` drops its theme watcher from the app's `"__watchers"`.
- `StyledOnce._on_screen_resume` runs before `Screen._on_screen_resume` and clears
  `ScreenResume.refresh_styles`."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widgets import Footer, Label

from screens.widgets import AppFooter, AutoTextArea, StyledOnce, _content
from tests.tui.helpers import run_async


class _Host(App[None]):
    """Just what the self-saving fields ask of the App."""

    def input_pending(self, widget: Any) -> None:
        pass

    def input_settled(self, widget: Any) -> None:
        pass


# --- textual._context.active_app ------------------------------------------------------------


@run_async
async def test_active_app_is_where_textual_keeps_the_running_app() -> None:
    from textual._context import active_app

    app = _Host()
    async with app.run_test():
        assert active_app.get() is app


@run_async
async def test_content_conversion_matches_textuals_own() -> None:
    """`_content` caches the ANSI theme but must convert as `Content.from_rich_text` does."""
    text = Text("Mål ", style="bold")
    text.append("med farve", style="green")
    text.append(" og dim", style="dim italic")
    app = _Host()
    async with app.run_test():
        ours, theirs = _content(text), Content.from_rich_text(text)
        assert ours.plain == theirs.plain
        assert [(s.start, s.end, str(s.style)) for s in ours.spans] == [
            (s.start, s.end, str(s.style)) for s in theirs.spans
        ]


# --- the footer: Footer._bindings_ready and textual.widgets._footer.FooterKey -----------------


def test_footer_internals_are_where_app_footer_expects_them() -> None:
    from textual.widgets._footer import FooterKey

    assert isinstance(vars(Footer)["_bindings_ready"], Reactive)
    assert isinstance(vars(FooterKey)["compact"], Reactive)


class _Keys(Screen[None]):
    BINDINGS = [
        Binding("a", "noop('a')", "Tilføj", id="seam.add"),
        Binding("e", "noop('e')", "Ret", id="seam.edit"),
        Binding("x", "noop('x')", "Skjult", id="seam.hidden", show=False),
    ]

    def __init__(self, footer: type[Footer]) -> None:
        super().__init__()
        self.footer = footer

    def compose(self) -> ComposeResult:
        yield Label("x")
        yield self.footer()

    def action_noop(self, key: str) -> None:
        pass


async def _footer_keys(footer: type[Footer]) -> list[tuple[str, str, bool, bool]]:
    from textual.widgets._footer import FooterKey

    app = _Host()
    # 120 columns: below 100 the app's footer is compact on purpose (tests/tui/test_small_items.py).
    async with app.run_test(size=(120, 10)) as pilot:
        app.push_screen(_Keys(footer))
        await pilot.pause()
        await pilot.pause()
        return [
            (k.key, k.description, k.compact, k.has_class("-compact"))
            for k in app.screen.query(FooterKey)
        ]


@run_async
async def test_app_footer_shows_what_the_stock_footer_shows() -> None:
    stock = await _footer_keys(Footer)
    assert [k[1] for k in stock][:2] == ["Tilføj", "Ret"]
    assert await _footer_keys(AppFooter) == stock


# --- the app's "__watchers" -----------------------------------------------------------------


@run_async
async def test_a_removed_text_area_leaves_no_theme_watcher_behind() -> None:
    app = _Host()
    async with app.run_test() as pilot:
        area = AutoTextArea("tekst", "Hej")
        await app.screen.mount(area)
        await pilot.pause()
        watchers = getattr(app, "__watchers")["theme"]  # where Textual keeps them
        assert any(node is area for node, _callback in watchers)
        await area.remove()
        await pilot.pause()
        assert not any(node is area for node, _callback in getattr(app, "__watchers")["theme"])


# --- Screen._on_screen_resume and ScreenResume.refresh_styles ------------------------------------


def test_screen_resume_is_handled_where_styled_once_expects() -> None:
    assert callable(vars(Screen)["_on_screen_resume"])
    assert events.ScreenResume().refresh_styles is True


class _Counting(Screen[None]):
    def __init__(self) -> None:
        super().__init__()
        self.restyled = 0

    def compose(self) -> ComposeResult:
        yield Label("x")

    def update_node_styles(self, animate: bool = True) -> None:
        self.restyled += 1
        super().update_node_styles(animate)


class _CountingOnce(StyledOnce, _Counting):
    pass


async def _restyles_when_shown_again(screen: _Counting) -> int:
    """How often a kept (installed) screen is restyled when it is shown a second time, as
    the app shows its one bord screen and its one mål screen again."""
    app = _Host()
    async with app.run_test() as pilot:
        app.install_screen(screen, "kept")
        app.push_screen("kept")
        await pilot.pause()
        app.pop_screen()
        await pilot.pause()
        before = screen.restyled
        app.push_screen("kept")
        await pilot.pause()
        return screen.restyled - before


@run_async
async def test_styled_once_skips_the_restyle_textual_does_on_resume() -> None:
    assert await _restyles_when_shown_again(_Counting()) > 0  # what the patch saves
    assert await _restyles_when_shown_again(_CountingOnce()) == 0
