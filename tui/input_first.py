"""Input first: the thread that loads the database layer behind the first screen steps aside
while a key or a click is being answered.

Loading SQLAlchemy, SQLModel and the tables takes about 0.4 s of the interpreter after the home
screen is drawn, and the interpreter is shared: a key pressed in that moment was answered two
to three times slower than without it (issue 17's cold start). The loader does most of that work
as imports, one module after another; `InputFirst` sits first on `sys.meta_path` while it loads,
and before each module the loader thread imports it waits until `WINDOW` seconds have passed
since the last input (`hold`, called by the App for each key or click). The wait is short and
bounded: the UI thread may itself be waiting for a module the loader thread is importing (an
import holds that module's lock while it looks for the module)."""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.machinery import ModuleSpec
    from types import ModuleType

WINDOW = 0.1
"""Seconds after an input in which the loader imports nothing: time to answer and draw a key
(20-60 ms for the home screen's lists)."""


class InputFirst:
    """Makes one thread's imports wait while input is being answered: a finder on
    `sys.meta_path` (without `importlib.abc`'s base class, which the first frame would import)
    that finds no module itself."""

    def __init__(self) -> None:
        self._until = 0.0  # time.monotonic() until which the loader waits
        self._thread: int | None = None
        self.waits = 0
        """How many times the loader waited."""

    def hold(self) -> None:
        """Input arrived: the loader imports nothing for the next `WINDOW` seconds."""
        self._until = time.monotonic() + WINDOW

    @property
    def loading(self) -> bool:
        """A thread is loading under this finder (`imports`)."""
        return self._thread is not None

    @contextmanager
    def imports(self) -> Iterator[None]:
        """For the block, the calling thread's imports wait after input."""
        self._thread = threading.get_ident()
        # A new list each time, not one changed in place: another thread may be walking the
        # list in an import of its own (a removal would make it skip a finder).
        sys.meta_path = [self, *sys.meta_path]
        try:
            yield
        finally:
            self._thread = None
            sys.meta_path = [finder for finder in sys.meta_path if finder is not self]

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> ModuleSpec | None:
        if threading.get_ident() == self._thread:
            waited = False
            while (left := self._until - time.monotonic()) > 0:
                waited = True
                time.sleep(min(left, WINDOW))
            self.waits += waited
        return None  # the finders after this one find the module
