"""The programme timer: which block of the day is running and how much of its time is left.

Plain Python, driven by the time the caller passes in, so tests use a fixed clock and the state
can be saved (as JSON in a local setting) and survive a restart of the laptop."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field


@dataclass
class ProgrammeTimer:
    """Blocks are (title, minutes). `elapsed` counts the seconds run before `running_since`."""

    blocks: list[tuple[str, int]] = field(default_factory=list)
    index: int = 0
    elapsed: float = 0.0
    running_since: float | None = None
    started: bool = False
    # Seconds used on blocks left before their end, by index: going back to one (a stray «n»)
    # counts on from where it was.
    spent: dict[int, float] = field(default_factory=dict)

    @property
    def running(self) -> bool:
        return self.running_since is not None

    @property
    def finished(self) -> bool:
        return bool(self.blocks) and self.index >= len(self.blocks)

    @property
    def current(self) -> tuple[str, int] | None:
        if 0 <= self.index < len(self.blocks):
            return self.blocks[self.index]
        return None

    def used(self, now: float) -> float:
        """Seconds spent on the current block."""
        extra = now - self.running_since if self.running_since is not None else 0.0
        return self.elapsed + max(0.0, extra)

    def remaining(self, now: float) -> float:
        """Seconds left of the current block; negative when it runs over."""
        block = self.current
        if block is None:
            return 0.0
        return block[1] * 60 - self.used(now)

    def over(self, now: float) -> bool:
        return self.started and self.current is not None and self.remaining(now) < 0

    def start(self, now: float) -> None:
        if self.current is None or self.running:
            return
        self.running_since = now
        self.started = True

    def pause(self, now: float) -> None:
        if self.running_since is not None:
            self.elapsed = self.used(now)
            self.running_since = None

    def toggle(self, now: float) -> None:
        """Start when paused, pause when running."""
        if self.running:
            self.pause(now)
        else:
            self.start(now)

    def next(self, now: float) -> None:
        """Go to the next block and start its time at once (the group moves on together)."""
        if self.current is None:
            return
        self.spent[self.index] = self.used(now)
        self.index += 1
        self.elapsed = self.spent.pop(self.index, 0.0)
        self.running_since = None
        if self.current is not None:
            self.start(now)

    def go_to(self, index: int, now: float) -> bool:
        """Make block `index` the current one (back to one skipped too soon, or ahead to one
        chosen in the list), counting on from the time it had used. A running clock keeps
        running; a paused one stays paused (after the last block: paused). False when
        `index` is not a block or is the current one."""
        if not 0 <= index < len(self.blocks) or index == self.index:
            return False
        running = self.running
        if self.current is not None:
            self.spent[self.index] = self.used(now)
        self.index = index
        self.elapsed = self.spent.pop(index, 0.0)
        self.running_since = now if running else None
        return True

    def previous(self, now: float) -> bool:
        """Back to the block before the current one (`go_to`); False at the first."""
        return self.go_to(self.index - 1, now)

    def set_blocks(self, blocks: list[tuple[str, int]]) -> None:
        """New programme (edited by the tovholder): keep the position where possible. The
        time kept for blocks left early is let go when the blocks changed (it belonged to
        blocks that may now stand elsewhere)."""
        if list(blocks) != self.blocks:
            self.spent = {}
        self.blocks = list(blocks)
        if self.index > len(self.blocks):
            self.index = len(self.blocks)

    def to_json(self) -> str:
        return json.dumps(
            {
                "index": self.index,
                "elapsed": self.elapsed,
                "running_since": self.running_since,
                "started": self.started,
                "spent": {str(i): secs for i, secs in self.spent.items()},
            }
        )

    @classmethod
    def from_json(cls, text: str | None, blocks: list[tuple[str, int]]) -> ProgrammeTimer:
        """Rebuild from a saved state; a damaged state gives a fresh timer."""
        timer = cls(blocks=list(blocks))
        if not text:
            return timer
        try:
            data = json.loads(text)
            timer.index = max(0, min(int(data.get("index", 0)), len(blocks)))
            timer.elapsed = float(data.get("elapsed", 0.0))
            since = data.get("running_since")
            timer.running_since = float(since) if since is not None else None
            timer.started = bool(data.get("started", False))
            spent = data.get("spent") or {}
            timer.spent = {
                int(i): float(secs)
                for i, secs in spent.items()
                if 0 <= int(i) < len(blocks) and math.isfinite(float(secs))
            }
        except (ValueError, TypeError, AttributeError):
            return cls(blocks=list(blocks))
        return timer


def clock_text(seconds: float) -> str:
    """mm:ss (or h:mm:ss) of a duration, without sign."""
    # Time left rounds up (00:01 until the last second is gone); time over rounds down.
    total = math.ceil(seconds) if seconds >= 0 else math.floor(-seconds)
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes:02d}:{secs:02d}"
