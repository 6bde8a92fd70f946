"""Child process of the cold-start row: `python -m bench._coldstart minimal|app [DB]`.

Prints one JSON line with wall-clock times (time.time(), comparable with the parent's):
`ready` when the first screen is ready (Textual's ready callback, the moment the auto-pilot
starts); for the app also `home` when the home screen has drawn its data, `key` when a key
pressed right then has been answered and drawn (the first screen is ready for input), and
`db` when the database layer behind it is open. Runs headless, so no terminal is needed."""

from __future__ import annotations

import json
import sys
import time


async def _refreshed(app) -> None:  # type: ignore[no-untyped-def]
    """Wait until the screen has been drawn with everything asked for so far."""
    import asyncio

    done: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def drawn() -> None:
        if not done.done():
            done.set_result(None)

    app.call_after_refresh(drawn)
    await done


async def _key_answered(app, widget, attribute: str) -> None:  # type: ignore[no-untyped-def]
    """Press ↓ and wait until `widget.attribute` has moved and the screen shows it."""
    import asyncio

    before = getattr(widget, attribute, None)
    app.simulate_key("down")
    deadline = time.monotonic() + 60
    while getattr(widget, attribute, None) == before and time.monotonic() < deadline:
        await asyncio.sleep(0.001)
    await _refreshed(app)


def _minimal() -> None:
    from textual.app import App, ComposeResult
    from textual.widgets import DataTable, Footer, Header

    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield DataTable()
            yield Footer()

        def on_mount(self) -> None:
            table = self.query_one(DataTable)
            table.add_columns("nr", "tekst", "enhed")
            for n in range(50):
                table.add_row(n, f"Mål nummer {n}", "Egeskolen")

    marks: dict[str, float] = {}

    async def pilot(p) -> None:  # type: ignore[no-untyped-def]
        marks["ready"] = time.time()
        await _refreshed(p.app)
        marks["home"] = time.time()
        # The same test of «ready for input» as for the app: a key is answered and drawn.
        await _key_answered(p.app, p.app.query_one(DataTable), "cursor_row")
        marks["key"] = time.time()
        p.app.exit()

    Minimal().run(headless=True, size=(120, 40), auto_pilot=pilot)
    print(json.dumps(marks))


def _app(db: str) -> None:
    import asyncio

    from tui.app import UdviklingsdagApp

    marks: dict[str, float] = {}

    async def pilot(p) -> None:  # type: ignore[no-untyped-def]
        marks["ready"] = time.time()
        app = p.app
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            screen = app.screen
            if type(screen).__name__ == "HomeScreen" and screen.days and app.home_painted.is_set():
                break
            if type(screen).__name__ == "ErrorScreen":
                marks["error"] = 1
                break
            await asyncio.sleep(0.001)
        marks["home"] = time.time()
        # Ready for input: a key pressed now is answered and drawn (the focused list moves),
        # whatever is still loading in the background.
        await _key_answered(app, app.focused, "highlighted")
        marks["key"] = time.time()
        while app.workspace is None and time.monotonic() < deadline:
            await asyncio.sleep(0.002)
        marks["db"] = time.time()
        await app.settle()
        app.exit()

    UdviklingsdagApp(db_target=db).run(headless=True, size=(120, 40), auto_pilot=pilot)
    print(json.dumps(marks))


if __name__ == "__main__":
    if sys.argv[1] == "minimal":
        _minimal()
    else:
        _app(sys.argv[2])
