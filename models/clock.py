"""A hybrid logical clock: timestamps that follow wall time but never go backwards and order
changes across devices. Encoded as a fixed-width string, so text order is time order.

Bounds (issue 11, see docs/bundle-format.md «Clocks»). A timestamp is valid when its
milliseconds lie in [`MIN_MILLIS`, `MAX_MILLIS`) (2000-01-01 to 2200-01-01 UTC) and its counter
in [0, `MAX_COUNTER`]; readers refuse anything else. The far-future limit leaves the 13-digit
field eighty years of room, so no clock that respects it can overflow the encoding.

`HybridClock.observe` never moves this laptop's clock more than `MAX_AHEAD_MILLIS` (five
minutes) ahead of its own wall clock, the idea of CockroachDB's maximum clock offset: a change
from a laptop whose clock runs far ahead is stored with its own timestamp, but it does not
drag this laptop's later edits along. That is safe because which change holds a field is
decided by `replaces` (what the editing laptop had seen), not by the clock; the clock only
orders heads that are concurrent, and those are shown as conflicts anyway. `now` never
produces an encoding outside the valid range: a counter overflow rolls into the milliseconds,
and the milliseconds stop just below `MAX_MILLIS`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime

MIN_MILLIS = 946_684_800_000  # 2000-01-01T00:00:00Z
MAX_MILLIS = 7_258_118_400_000  # 2200-01-01T00:00:00Z (exclusive)
MAX_COUNTER = 99_999
MAX_AHEAD_MILLIS = 5 * 60 * 1000
# The valid range of a timestamp's milliseconds as its 13-digit text: text order is number
# order, so a timestamp `hlc` is in range when `HLC_MIN <= hlc[:13] < HLC_MAX`.
HLC_MIN = f"{MIN_MILLIS:013d}"
HLC_MAX = f"{MAX_MILLIS:013d}"


def encode(millis: int, counter: int, device_id: str) -> str:
    """The text form: 13-digit milliseconds, 5-digit counter, the device id."""
    return f"{millis:013d}-{counter:05d}-{device_id}"


def decode(hlc: str) -> tuple[int, int, str]:
    """Split an encoded timestamp into (milliseconds, counter, device id)."""
    millis, counter, device = hlc.split("-", 2)
    return int(millis), int(counter), device


def in_range(millis: int, counter: int = 0) -> bool:
    """Whether a timestamp's parts lie within the bounds every reader accepts."""
    return MIN_MILLIS <= millis < MAX_MILLIS and 0 <= counter <= MAX_COUNTER


def to_seconds(hlc: str) -> float:
    """The wall-clock part of a timestamp in seconds since the epoch."""
    return decode(hlc)[0] / 1000


def iso_millis(text: object) -> int | None:
    """An ISO 8601 time (a bundle manifest's `created_at`; without a time zone taken as UTC)
    in milliseconds since the epoch, or None when it is not a time within the clock's range."""
    if not isinstance(text, str) or len(text) > 64:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    try:
        millis = int(moment.timestamp() * 1000)
    except (OverflowError, OSError, ValueError):
        return None
    return millis if MIN_MILLIS <= millis < MAX_MILLIS else None


class HybridClock:
    """Issues timestamps for one device. Thread safe."""

    def __init__(
        self, device_id: str, last: str | None = None, wall: Callable[[], float] = time.time
    ) -> None:
        self.device_id = device_id
        self._wall = wall
        self._lock = threading.Lock()
        self._millis, self._counter = 0, 0
        if last:
            self.observe(last)

    def _wall_millis(self) -> int:
        return min(max(int(self._wall() * 1000), MIN_MILLIS), MAX_MILLIS - 1)

    def now(self) -> str:
        """A new timestamp, greater than every one issued before and than every one observed
        (as far as `observe` let it move), and always within the valid range."""
        with self._lock:
            wall = self._wall_millis()
            if wall > self._millis:
                self._millis, self._counter = wall, 0
            elif self._counter < MAX_COUNTER:
                self._counter += 1
            elif self._millis < MAX_MILLIS - 1:
                self._millis, self._counter = self._millis + 1, 0
            # else: at the very end of the range the last timestamp repeats; the change id
            # still tells changes apart (a clock can only get here by running at 2199).
            return encode(self._millis, self._counter, self.device_id)

    def observe(self, hlc: str) -> None:
        """Move the clock past a timestamp seen from another device, but never further than
        `MAX_AHEAD_MILLIS` ahead of this laptop's own wall clock (see the module docstring).
        A malformed timestamp is ignored."""
        try:
            millis, counter, _ = decode(hlc)
        except ValueError:
            return
        with self._lock:
            limit = min(self._wall_millis() + MAX_AHEAD_MILLIS, MAX_MILLIS - 1)
            if millis > limit:
                millis, counter = limit, 0
            counter = min(max(counter, 0), MAX_COUNTER)
            if (millis, counter) > (self._millis, self._counter):
                self._millis, self._counter = millis, counter
