"""Database work off the UI thread, one call at a time and in the order it was asked for.

Every call runs in a Textual thread worker, so the UI never waits for the disk. The calls share
one FIFO: an autosave typed before an undo is written before the undo, and a read asked for
after a write sees that write. Results come back on the UI thread through callbacks."""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App

Done = Callable[[Any], object]
Failed = Callable[[Exception], object]


class DbQueue:
    """A FIFO of database calls. Any worker that runs drains the queue, so a worker that was
    cancelled at shutdown cannot leave later calls waiting."""

    def __init__(self, app: App[Any], on_error: Failed) -> None:
        self.app = app
        self.on_error = on_error
        self._items: deque[tuple[Callable[[], Any], Done | None, Failed | None]] = deque()
        self._items_lock = threading.Lock()
        self._run_lock = threading.Lock()
        # Held while one call is taken from the queue and run (not while its answer goes back
        # to the UI thread): `run_here` takes it too, so the calls keep their order.
        self._call_lock = threading.Lock()

    def submit(
        self,
        fn: Callable[..., Any],
        *args: Any,
        done: Done | None = None,
        error: Failed | None = None,
        **kw: Any,
    ) -> None:
        """Run `fn(*args, **kw)` off the UI thread after everything submitted before it;
        then `done(result)` (or `error(exc)`) on the UI thread."""
        with self._items_lock:
            self._items.append((lambda: fn(*args, **kw), done, error))
        self.app.run_worker(self._drain, thread=True, group="db", exit_on_error=False)

    @property
    def pending(self) -> int:
        """How many calls wait in the queue (not counting one running now)."""
        with self._items_lock:
            return len(self._items)

    def _drain(self) -> None:
        with self._run_lock:
            self._drain_locked()

    def _drain_locked(self) -> None:
        while True:
            step = self._run_next()
            if step is None:
                return
            callback, value = step
            if callback is not None:
                self._back(callback, value)

    def _run_next(self) -> tuple[Callable[[Any], object] | None, Any] | None:
        """Take the next call and run it; None when the queue is empty, else the callback to
        answer with and its value."""
        with self._call_lock:
            with self._items_lock:
                if not self._items:
                    return None
                call, done, error = self._items.popleft()
            try:
                return done, call()
            except Exception as exc:  # reported to the user in Danish, never a traceback
                return error or self.on_error, exc

    def run_here(self) -> int:
        """Run every waiting call now, in this thread, and answer on it (the UI thread, when a
        signal ends the app and the workers may never run again). A call a worker is running
        at this moment is finished first, so the order is kept. Returns how many ran."""
        ran = 0
        while (step := self._run_next()) is not None:
            ran += 1
            callback, value = step
            if callback is None:
                continue
            try:
                callback(value)
            except Exception as exc:  # a failing callback must not stop later calls
                self.app.log.error(f"Fejl i tilbagekald: {exc!r}")
        return ran

    def _back(self, callback: Callable[[Any], object], value: Any) -> None:
        try:
            self.app.call_from_thread(callback, value)
        except Exception as exc:  # a failing callback must not stop later calls
            if not self.app.is_running:
                return  # the app has stopped (quitting); the write itself is on disk
            self.app.log.error(f"Fejl i tilbagekald: {exc!r}")
            if callback is not self.on_error:
                # Showing the answer failed (a value nothing foresaw): tell the user in
                # Danish instead of leaving the screen silently half updated.
                try:
                    self.app.call_from_thread(self.on_error, exc)
                except Exception:  # closing, or the error report itself failed
                    pass
