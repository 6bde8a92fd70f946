"""Child process of the cold-start row: `python -m bench._coldstart minimal|app [DB]`.

Prints one JSON line with wall-clock times (time.time(), comparable with the parent's):
`ready` when the first screen is ready for input (Textual's ready callback, the moment the
auto-pilot starts), and for the app `home` when the home screen has shown its data (the first
screen a user can act on). Runs headless, so no terminal is needed."""

from __future__ import annotations

import json
import sys
import time


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
        p.app.exit()

    Minimal().run(headless=True, size=(120, 40), auto_pilot=pilot)
    print(json.dumps(marks))


def _app(db: str) -> None:
    from tui.app import UdviklingsdagApp

    marks: dict[str, float] = {}

    async def pilot(p) -> None:  # type: ignore[no-untyped-def]
        marks["ready"] = time.time()
        app = p.app
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            screen = app.screen
            if type(screen).__name__ == "HomeScreen" and getattr(screen, "days", None):
                break
            if type(screen).__name__ == "ErrorScreen":
                marks["error"] = 1
                break
            await p.pause(0.002)
        await p.pause()
        marks["home"] = time.time()
        await app.settle()
        app.exit()

    UdviklingsdagApp(db_target=db).run(headless=True, size=(120, 40), auto_pilot=pilot)
    print(json.dumps(marks))


if __name__ == "__main__":
    if sys.argv[1] == "minimal":
        _minimal()
    else:
        _app(sys.argv[2])
