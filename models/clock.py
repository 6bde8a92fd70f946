"""A hybrid logical clock: timestamps that follow wall time but never go backwards and order
changes across devices. Encoded as a fixed-width string, so text order is time order."""

from __future__ import annotations

import threading
import time


def encode(millis: int, counter: int, device_id: str) -> str:
    """The text form: 13-digit milliseconds, 5-digit counter, the device id."""
    return f"{millis:013d}-{counter:05d}-{device_id}"


def decode(hlc: str) -> tuple[int, int, str]:
    """Split an encoded timestamp into (milliseconds, counter, device id)."""
    millis, counter, device = hlc.split("-", 2)
    return int(millis), int(counter), device


def to_seconds(hlc: str) -> float:
    """The wall-clock part of a timestamp in seconds since the epoch."""
    return decode(hlc)[0] / 1000


class HybridClock:
    """Issues timestamps for one device. Thread safe."""

    def __init__(self, device_id: str, last: str | None = None, wall=time.time) -> None:
        self.device_id = device_id
        self._wall = wall
        self._lock = threading.Lock()
        self._millis, self._counter = 0, 0
        if last:
            self.observe(last)

    def now(self) -> str:
        """A new timestamp, greater than every one issued or observed before."""
        with self._lock:
            wall = int(self._wall() * 1000)
            if wall > self._millis:
                self._millis, self._counter = wall, 0
            else:
                self._counter += 1
                if self._counter > 99_999:
                    self._millis, self._counter = self._millis + 1, 0
            return encode(self._millis, self._counter, self.device_id)

    def observe(self, hlc: str) -> None:
        """Move the clock past a timestamp seen from another device."""
        millis, counter, _ = decode(hlc)
        with self._lock:
            if (millis, counter) > (self._millis, self._counter):
                self._millis, self._counter = millis, counter
