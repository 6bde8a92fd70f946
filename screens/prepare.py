"""Preparation (tovholder): udviklingsdage with their programme, the organisation, målsætninger
and mål, and the borde with facilitator and mål. Everything by hand, through the same forms
the facilitator uses; the målplanskabelon import can fill the same data."""

from __future__ import annotations

from dataclasses import replace

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding
from textual.screen import Screen
from textual.widgets import Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from models import enums, rules
from models.records import EnhedNode, MaalplanOverview, Preparation, UdviklingsdagOverview
from models.schema import ENTITIES
from models.visible import visible
from models.words import count
from screens import texts
from screens.base import host
from screens.widgets import AppFooter, ItemList, TopBar, confirm_delete, hanging, plain

from .forms import FormSpec, RecordForm
from .home import day_date

MAALSAETNING_PREFIX = "maalsaetning:"  # option ids of målsætninger in the mål list


def _cut(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def plan_option(p: MaalplanOverview) -> Option:
    """A målplan in the list: title; enhed, year, ansvarlig, sag and KLE; the four sheets'
    status; its Plan A indicators (and, for 2024, the mandatory ones it lacks)."""
    prompt = plain(p.titel)
    prompt.stylize("bold")
    meta = texts.PREP_PLAN_META.format(
        enhed=p.enhed_navn or texts.UNKNOWN,
        aar=p.aar or texts.UNKNOWN,
        ansvarlig=p.ansvarlig or texts.UNKNOWN,
        sag=p.sagsnummer or texts.UNKNOWN,
        kle=p.kle or texts.UNKNOWN,
    )
    status = texts.PREP_PLAN_STATUS.format(
        foer=enums.label(enums.ArkStatus(p.status_foer)),
        del1=enums.label(enums.ArkStatus(p.status_del1)),
        del2=enums.label(enums.ArkStatus(p.status_del2)),
        efter=enums.label(enums.ArkStatus(p.status_efter)),
    )
    extra = [texts.PREP_PLAN_MAAL.format(n=p.maal)]
    if p.plan_a:
        extra.append(texts.PLAN_A_SHORT.format(numre=", ".join(map(str, p.plan_a))))
    if missing := rules.missing_plan_a(p.aar, p.plan_a):
        extra.append(texts.PLAN_A_MISSING.format(numre=", ".join(map(str, missing))))
    prompt.append("\n" + visible(meta), style="dim")
    prompt.append("\n" + status + " · " + " · ".join(extra), style="dim")
    return Option(hanging("•", prompt), id=p.id)


class PrepareScreen(Screen[None]):
    """Five tabs, each a list with the same keys (A new, Enter edit, D delete, Shift+↑/↓)."""

    HELP_KEY = "prepare"
    BINDINGS = [
        Binding("escape", "back", texts.B_BACK[0], tooltip=texts.B_BACK[1], id="prep.back"),
        Binding(
            "m,M",
            "new_maalsaetning",
            texts.B_NEW_MAALSAETNING[0],
            tooltip=texts.B_NEW_MAALSAETNING[1],
            id="prep.maalsaetning",
            show=False,
        ),
        Binding(
            "o,O",
            "new_top",
            texts.B_NEW_TOP[0],
            tooltip=texts.B_NEW_TOP[1],
            id="prep.top",
            show=False,
        ),
        # ←/→ change the tab from the list, where the focus starts (the tab row has its
        # own ←/→, which keep working when the focus is there).
        Binding(
            "left",
            "switch_tab(-1)",
            texts.B_TAB_LEFT[0],
            tooltip=texts.B_TAB_LEFT[1],
            id="prep.tab_left",
            show=False,
        ),
        Binding(
            "right",
            "switch_tab(1)",
            texts.B_TAB_RIGHT[0],
            tooltip=texts.B_TAB_RIGHT[1],
            id="prep.tab_right",
            show=False,
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: Preparation | None = None
        self.day_id: str | None = None

    def compose(self) -> ComposeResult:
        yield TopBar(texts.PREP_TITLE)
        with TabbedContent(id="prep-tabs"):
            with TabPane(texts.PREP_TAB_DAYS, id="tab-days"):
                yield ItemList(id="prep-udviklingsdag", kind="udviklingsdag")
            with TabPane(texts.PREP_TAB_PROGRAM, id="tab-program"):
                yield Static("", classes="prep-context", id="ctx-program")
                yield ItemList(id="prep-programblok", kind="programblok")
            with TabPane(texts.PREP_TAB_ORG, id="tab-org"):
                yield ItemList(id="prep-enhed", kind="enhed")
            with TabPane(texts.PREP_TAB_PLANS, id="tab-plans"):
                yield ItemList(id="prep-maalplan", kind="maalplan")
            with TabPane(texts.PREP_TAB_MAAL, id="tab-maal"):
                yield ItemList(id="prep-maal", kind="maal")
            with TabPane(texts.PREP_TAB_BORDE, id="tab-borde"):
                yield Static("", classes="prep-context", id="ctx-borde")
                yield ItemList(id="prep-bord", kind="bord")
        yield AppFooter()

    # The tab whose list a key adds to shows it in the footer; the key works from every tab.
    SHOWN_ON_TAB = {"tab-maal": "new_maalsaetning", "tab-org": "new_top"}

    @property
    def active_bindings(self) -> dict[str, ActiveBinding]:
        """Textual's active bindings, with M (ny målsætning) shown on the mål tab and O (ny
        enhed øverst) on the organisation tab. Hidden, they still work from the other tabs
        (a binding hidden by `check_action` would not run), and a keymap's key is the one
        shown (the binding's own, changed only in `show`)."""
        active = super().active_bindings
        tabs = self.query(TabbedContent)
        action = self.SHOWN_ON_TAB.get(tabs.first().active) if tabs else None
        for key, bound in active.items():
            if bound.binding.action == action:
                active[key] = bound._replace(binding=replace(bound.binding, show=True))
                break  # one key of «m,M» is enough in the footer
        return active

    @on(TabbedContent.TabActivated)
    def _tab_changed(self) -> None:
        self.refresh_bindings()

    def on_mount(self) -> None:
        self.day_id = host(self).day_id
        self.query_one("#prep-udviklingsdag", ItemList).focus()
        self.reload()

    def reload(self) -> None:
        host(self).read(lambda ws: ws.preparation(), done=self._show)

    def _show(self, data: Preparation) -> None:
        self.data = data
        days = data.days
        if self.day_id not in {d.id for d in days}:
            self.day_id = days[0].id if days else None
        self.query_one("#prep-udviklingsdag", ItemList).set_items(
            [self._day_option(d) for d in days], keep=self.day_id, empty=texts.PREP_EMPTY
        )
        self._show_day_parts()
        org = [self._enhed_option(e) for e in data.organisation]
        self.query_one("#prep-enhed", ItemList).set_items(org, empty=texts.PREP_EMPTY)
        options: list[Option] = []
        for ms in data.maalsaetninger:
            head = plain(ms.tekst)
            head.stylize("bold")
            head.append(f"  ({enums.label(enums.Kilde(ms.kilde))})", style="dim")
            options.append(Option(head, id=MAALSAETNING_PREFIX + ms.id))
            for m in ms.maal:
                body = plain(m.tekst)
                meta = texts.PREP_MAAL_META.format(
                    enhed=m.enhed_navn or texts.UNKNOWN,
                    ansvarlig=m.ansvarlig or texts.UNKNOWN,
                )
                body.append("\n" + visible(meta), style="dim")
                options.append(Option(hanging("  •", body), id=m.id))
        self.query_one("#prep-maal", ItemList).set_items(options, empty=texts.PREP_EMPTY)
        self.query_one("#prep-maalplan", ItemList).set_items(
            [plan_option(p) for p in data.maalplaner], empty=texts.PREP_EMPTY
        )

    def _day_option(self, d: UdviklingsdagOverview) -> Option:
        prompt = plain(d.dag.titel)
        prompt.stylize("bold")
        meta = texts.PREP_DAY_META.format(
            **{
                "del": enums.label(enums.Del(d.dag.dagdel)),
                "dato": day_date(d.dag.dato),
                "starttid": d.dag.starttid,
            }
        )
        prompt.append("\n   " + visible(meta), style="dim")
        return Option(prompt, id=d.id)

    def _enhed_option(self, e: EnhedNode) -> Option:
        line = Text("   " * e.depth)
        line.append_text(plain(e.navn))
        if e.depth == 0:
            line.stylize("bold")
        line.append(f"  {enums.label(enums.EnhedType(e.type))}", style="dim")
        return Option(line, id=e.id)

    def _day(self) -> UdviklingsdagOverview | None:
        days = self.data.days if self.data is not None else ()
        return next((d for d in days if d.id == self.day_id), None)

    def _show_day_parts(self) -> None:
        day = self._day()
        context = texts.PREP_FOR_DAY.format(titel=day.dag.titel) if day else texts.PREP_PICK_DAY
        for cid in ("#ctx-program", "#ctx-borde"):
            self.query_one(cid, Static).update(plain(context))
        all_blocks = self.data.blokke if self.data is not None else ()
        blocks = [b for b in all_blocks if b.udviklingsdag_id == self.day_id]
        starts = rules.planned_starts(
            day.dag.starttid if day else None, [(b.titel, b.minutter) for b in blocks]
        )
        self.query_one("#prep-programblok", ItemList).set_items(
            [
                Option(
                    plain(
                        texts.PREP_BLOCK_LINE.format(start=s, titel=b.titel, minutter=b.minutter)
                    ),
                    id=b.id,
                )
                for b, s in zip(blocks, starts, strict=True)
            ],
            empty=texts.PREP_EMPTY if day else texts.PREP_PICK_DAY,
        )
        borde = []
        lederdag = day is not None and day.dag.dagdel == enums.Del.LEDERDAG
        for b in day.borde if day else ():
            prompt = plain(b.navn)
            prompt.stylize("bold")
            facilitator = b.facilitator or texts.HOME_NO_FACILITATOR
            if lederdag:
                # A lederdag bord works on målsætninger; its mål are the ones it has written.
                meta = texts.PREP_BORD_META_LEDERDAG.format(
                    facilitator=facilitator,
                    maalsaetninger=count("maalsaetning", len(b.maalsaetning_ids)),
                    maal=count("maal", len(b.maal_ids)),
                )
            else:
                meta = texts.PREP_BORD_META.format(facilitator=facilitator, maal=len(b.maal_ids))
            prompt.append("\n   " + visible(meta), style="dim")
            borde.append(Option(prompt, id=b.id))
        self.query_one("#prep-bord", ItemList).set_items(
            borde, empty=texts.PREP_EMPTY if day else texts.PREP_PICK_DAY
        )

    @on(ItemList.OptionHighlighted, "#prep-udviklingsdag")
    def _day_highlighted(self, event: ItemList.OptionHighlighted) -> None:
        if event.option.id and event.option.id != self.day_id:
            self.day_id = event.option.id
            self._show_day_parts()

    # --- actions ----------------------------------------------------------------------------

    @on(ItemList.Action)
    def _item_action(self, event: ItemList.Action) -> None:
        kind, item_id, action = event.item_list.kind, event.item_id, event.action
        entity = kind
        if kind == "maal" and item_id and item_id.startswith(MAALSAETNING_PREFIX):
            entity, item_id = "maalsaetning", item_id.removeprefix(MAALSAETNING_PREFIX)
        if action == "add":
            # The row as the list has it: a målsætning's row keeps its prefix, so a new mål
            # goes under it (stripped, it was looked up as a mål and refused).
            self._add(kind, event.item_id)
        elif action == "edit" and item_id:
            self.open_form(entity, item_id)
        elif action == "delete" and item_id:
            self._delete(entity, item_id)
        elif action in ("up", "down") and item_id:
            if not ENTITIES[entity].movable:
                return  # shown by name (and year, date), not in a chosen order
            delta = -1 if action == "up" else 1

            def moved(ok: bool) -> None:
                if not ok:
                    self.notify(texts.MOVED_EDGE)
                self.reload()

            host(self).write(lambda ws: ws.move(entity, item_id, delta), done=moved)

    def _add(self, kind: str, item_id: str | None) -> None:
        if kind in ("programblok", "bord") and self.day_id is None:
            self.notify(texts.PREP_PICK_DAY, severity="warning")
            return
        if kind == "enhed":
            organisation = self.data.organisation if self.data is not None else ()
            parent = next((e for e in organisation if e.id == item_id), None)
            self.open_form("enhed", None, defaults=rules.new_enhed(parent))
            return
        if kind == "maal":
            ms_id = self._maalsaetning_of(item_id)
            if ms_id is None:
                self.notify(texts.PREP_NEED_MAALSAETNING, severity="warning")
                return
            self.open_form("maal", None, defaults={"maalsaetning_id": ms_id})
            return
        self.open_form(kind, None)

    def _maalsaetning_of(self, item_id: str | None) -> str | None:
        maalsaetninger = self.data.maalsaetninger if self.data is not None else ()
        if item_id is None:
            return maalsaetninger[0].id if maalsaetninger else None
        if item_id.startswith(MAALSAETNING_PREFIX):
            return item_id.removeprefix(MAALSAETNING_PREFIX)
        for ms in maalsaetninger:
            if any(m.id == item_id for m in ms.maal):
                return ms.id
        return None

    def action_new_maalsaetning(self) -> None:
        self.query_one("#prep-tabs", TabbedContent).active = "tab-maal"
        self.open_form("maalsaetning", None)

    def action_switch_tab(self, step: int) -> None:
        """Show the tab `step` places to the right (wrapping) and put the focus in its list."""
        tabs = self.query_one("#prep-tabs", TabbedContent)
        panes = [pane.id for pane in tabs.query(TabPane) if pane.id]
        if not panes:
            return
        index = panes.index(tabs.active) if tabs.active in panes else 0
        pane_id = panes[(index + step) % len(panes)]
        tabs.active = pane_id
        self.query_one(f"#{pane_id} ItemList", ItemList).focus()

    def action_new_top(self) -> None:
        self.query_one("#prep-tabs", TabbedContent).active = "tab-org"
        self.open_form("enhed", None, defaults=rules.new_enhed(None))

    def open_form(
        self, entity: str, row_id: str | None, *, defaults: dict[str, object] | None = None
    ) -> None:
        data = self.data
        if data is None:
            return
        fixed: dict[str, object] = {}
        hidden: tuple[str, ...] = ()
        if entity in ("programblok", "bord"):
            fixed["udviklingsdag_id"] = self.day_id
        if entity == "bord":
            # A lederdag bord picks the målsætninger it writes mål for (its mål are written
            # there); a del 1 or del 2 bord picks the mål it works on.
            day = self._day()
            lederdag = day is not None and day.dag.dagdel == enums.Del.LEDERDAG
            hidden = ("maal_ids",) if lederdag else ("maalsaetning_ids",)
        choices: dict[str, list[tuple[str, str]]] = {}
        if entity in ("maal", "enhed", "maalplan"):
            choices["enhed_id"] = list(data.enheder)
            choices["parent_id"] = list(data.enheder)
        follows: dict[str, tuple[str, dict[str, list[tuple[str, str]]]]] = {}
        if entity == "maal":
            # The målplan picker offers the chosen enhed's plans, the newest year first (all
            # plans while no enhed is chosen).
            plans = sorted(data.maalplaner, key=lambda p: (p.enhed_navn, -(p.aar or 0), p.titel))
            choices["maalplan_id"] = [
                (
                    texts.PREP_PLAN_CHOICE.format(
                        titel=_cut(p.titel, 50),
                        enhed=p.enhed_navn or texts.UNKNOWN,
                        aar=p.aar or "",
                    ),
                    p.id,
                )
                for p in plans
            ]
            by_enhed: dict[str, list[tuple[str, str]]] = {e: [] for _, e in data.enheder}
            for p, choice in zip(plans, choices["maalplan_id"], strict=True):
                if p.enhed_id in by_enhed:
                    by_enhed[p.enhed_id].append(choice)
            follows["maalplan_id"] = ("enhed_id", by_enhed)
            choices["maalsaetning_id"] = [(_cut(ms.tekst, 70), ms.id) for ms in data.maalsaetninger]
        if entity == "bord":
            choices["maal_ids"] = [
                (f"{_cut(m.tekst, 60)} ({m.enhed_navn or texts.UNKNOWN})", m.id)
                for ms in data.maalsaetninger
                for m in ms.maal
            ]
            choices["maalsaetning_ids"] = [
                (_cut(ms.tekst, 70), ms.id) for ms in data.maalsaetninger
            ]
        start = dict(defaults or {})
        if entity == "maalplan":
            # The plan year being prepared: in the autumn, next year's (the årshjul's season).
            start = {**rules.new_maalplan(rules.season_year(host(self).clock().date())), **start}
        spec = FormSpec(
            entity, fixed=fixed, hidden=hidden, defaults=start, choices=choices, follows=follows
        )
        self.app.push_screen(
            RecordForm(spec, row_id), callback=lambda rid: self._form_closed(entity, rid)
        )

    def _form_closed(self, entity: str, row_id: str | None) -> None:
        """The form is closed: the list shows the row it made or edited highlighted (a
        målsætning is a row of the mål list), and has the focus (a form opened from another
        tab with M or O left it on the tabs, where ↑, ↓ and Delete did nothing)."""
        if entity == "maalsaetning":
            listing, option_id = "#prep-maal", MAALSAETNING_PREFIX + (row_id or "")
        else:
            listing, option_id = f"#prep-{entity}", row_id or ""
        found = self.query(listing)
        if found:
            items = found.first(ItemList)
            if row_id:
                items.follow(option_id)
            if items.display and self.app.focused is not items:
                self.call_after_refresh(items.focus)
        self.reload()

    def _delete(self, entity: str, item_id: str) -> None:
        label = ENTITIES[entity].label

        def deleted(_n: int) -> None:
            self.notify(texts.DELETED_ITEM.format(what=label.capitalize()))
            self.reload()

        def delete() -> None:
            host(self).write(lambda ws: ws.delete(entity, item_id), done=deleted)

        title = self._title_of(entity, item_id)
        # As every list asks: Enter deletes, Esc keeps, no letter answers (Ctrl+Z undoes).
        confirm_delete(
            self,
            entity,
            item_id,
            lambda also: texts.CONFIRM_DELETE.format(what=label, text=title, also=also),
            delete,
        )

    def _title_of(self, entity: str, item_id: str) -> str:
        """The title of a listed row (for «Slet … «titel»?»)."""
        data = self.data
        if data is None:
            return ""
        titles: dict[str, dict[str, str]] = {
            "udviklingsdag": {d.id: d.dag.titel for d in data.days},
            "programblok": {b.id: b.titel for b in data.blokke},
            "enhed": {e.id: e.navn for e in data.organisation},
            "maalsaetning": {ms.id: ms.tekst for ms in data.maalsaetninger},
            "maal": {m.id: m.tekst for ms in data.maalsaetninger for m in ms.maal},
            "bord": {b.id: b.navn for d in data.days for b in d.borde},
            "maalplan": {p.id: p.titel for p in data.maalplaner},
        }
        return titles.get(entity, {}).get(item_id, "")

    def action_back(self) -> None:
        self.app.pop_screen()
