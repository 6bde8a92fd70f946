"""Take-away QR for one mål: the code is drawn black on white in the terminal and holds a short
plain-text summary (the mål, its prøvehandlinger with ansvarlig and dates) that a participant
scans with a phone, no network needed. Shortened, and said so, when the terminal is small."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static

from exports.takeaway import Takeaway, build_takeaway, max_version_for
from models.records import MaalDetail
from screens import texts
from screens.base import host
from screens.widgets import QRCode, TopBar, plain

TEXT_COLUMN = 34  # room kept for the readable text beside the code
CHROME_ROWS = 1  # the top bar (no footer here: the code gets every row)


class TakeawayScreen(Screen[None]):
    """The QR code and, beside it, exactly the text it holds."""

    HELP_KEY = "takeaway"
    BINDINGS = [
        Binding(
            "escape,ctrl+k,k,K", "back", texts.B_BACK[0], tooltip=texts.B_BACK[1], id="qr.back"
        ),
    ]

    def __init__(self, detail: MaalDetail) -> None:
        super().__init__()
        self.detail = detail
        self.result: Takeaway | None = None
        self._resize_timer: Timer | None = None
        self._built_for: tuple[int, int] = (0, 0)

    def compose(self) -> ComposeResult:
        yield TopBar(texts.QR_TITLE)
        with Horizontal(id="qr-body"):
            yield QRCode(id="qr-code")
            with VerticalScroll(id="qr-text-box"):
                yield Static("", id="qr-note")
                yield Static("", id="qr-text")
                yield Static(texts.QR_CLOSE, classes="muted")

    def on_mount(self) -> None:
        self._build()

    def on_resize(self, _event: events.Resize) -> None:
        if self._resize_timer is not None:
            self._resize_timer.stop()
        self._resize_timer = self.set_timer(0.2, self._build)

    def _build(self) -> None:
        width, height = self.size.width, self.size.height
        if (width, height) == self._built_for:
            return
        self._built_for = (width, height)
        version = max_version_for(width - TEXT_COLUMN, height - CHROME_ROWS)
        maal = self.detail.maal.tekst
        items = [
            {"tekst": p.tekst, "ansvarlig": p.ansvarlig, "start": p.start, "slut": p.slut}
            for p in self.detail.proevehandlinger
        ]
        # Building the code takes a moment: off the UI thread, in the queue like the reads.
        host(self).read(lambda _ws: build_takeaway(maal, items, version), done=self._show)

    def _show(self, result: Takeaway | None) -> None:
        self.result = result
        note = self.query_one("#qr-note", Static)
        code = self.query_one("#qr-code", QRCode)
        if result is None:
            code.set_matrix([])
            note.update(texts.QR_TOO_SMALL)
            self.query_one("#qr-text", Static).update("")
            return
        code.set_matrix(result.matrix)
        note.update(texts.QR_SHORTENED if result.shortened else texts.QR_FULL)
        note.set_class(result.shortened, "-warning")
        self.query_one("#qr-text", Static).update(plain(result.text))

    def action_back(self) -> None:
        self.app.pop_screen()
