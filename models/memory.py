"""The garbage collector paused while a large structure is built at once.

Reading a large municipality's August report makes a few million objects in one go (rows,
views, the report's dataclasses). CPython's collector runs a pass every 700 new objects and a
full pass now and then, and every full pass walks everything made so far: a third of the
read's time, for objects that hold no cycles worth collecting (frozen dataclasses and tuples
of them). Pausing it for the read, and resuming it after, leaves the memory the same."""

from __future__ import annotations

import gc
from collections.abc import Generator, Iterable
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")


@contextmanager
def collector_paused(*, then_young: bool = False) -> Generator[None, None, None]:
    """No garbage collection inside the block (nested blocks keep it paused); the collector
    is resumed as it was, without a forced pass, or with `then_young` with a pass over the
    objects made inside the block (generation 0: the block's own cycles collected at once,
    for a block repeated many times, such as one file of a merge)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
            if then_young:
                gc.collect(0)


def each_paused(items: Iterable[T]) -> Generator[T, None, None]:
    """`items`, each made and used with the collector paused and a pass over the young objects
    after it (`collector_paused(then_young=True)`): for a long loop over large items, such as a
    merge's batches of rows. Close it (`contextlib.closing`) when the loop may stop early, so
    the collector is resumed at once."""
    it = iter(items)
    while True:
        with collector_paused(then_young=True):
            try:
                item = next(it)
            except StopIteration:
                return
            yield item
