"""`PagedOptionList`, on its own: the home screen lists its days and borde with it and imports
nothing more of `screens.widgets` while the app starts (that module brings TextArea,
SelectionList and Checkbox: some 25 ms of a cold start)."""

from __future__ import annotations

from typing import Literal

from textual.widgets import OptionList


class PagedOptionList(OptionList):
    """An OptionList whose PgDn and PgUp always move the highlight. Textual moves it to the
    option a page's height further on, which for an option taller than the list (a mål of the
    augustrapport is 17 lines at 80x24) is the same option: PgDn stopped there for good. Then
    the highlight goes on to the next option."""

    def _move_page(self, direction: Literal[-1, 1]) -> None:
        from textual._widget_navigation import find_next_enabled_no_wrap

        before = self.highlighted
        super()._move_page(direction)
        if before is not None and self.highlighted == before:
            following = find_next_enabled_no_wrap(self.options, anchor=before, direction=direction)
            if following is not None:  # (none past the last: it stays there, as Textual's)
                self.highlighted = following
