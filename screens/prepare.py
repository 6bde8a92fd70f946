"""Preparation (tovholder): udviklingsdage with their programme, the organisation, målsætninger
and mål, and the tables with facilitator and mål. Everything by hand, through the same forms
the facilitator uses; the målplanskabelon import can fill the same data."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static, TabbedContent, TabPane
from textual.widgets.option_list import Option

from models import enums
from models.queries import (
    enhed_choices,
    live_rows,
    maalplaner_overview,
    maalsaetninger_with_maal,
    organisation,
    udviklingsdage_overview,
)
from models.schema import ENTITIES
from models.visible import visible
from screens import texts
from screens.timer import planned_starts
from screens.widgets import AppFooter, ItemList, TopBar, hanging, plain

from .forms import ConfirmScreen, FormSpec, RecordForm
from .home import day_date

FIELDS = {
    "udviklingsdag": ["titel", "dagdel", "dato", "starttid", "udfordring", "sted"],
    "programblok": ["titel", "minutter", "beskrivelse"],
    "enhed": ["navn", "type", "parent_id", "leder"],
    "maalsaetning": ["tekst", "kilde", "aar"],
    "maal": [
        "maalsaetning_id",
        "tekst",
        "enhed_id",
        "maalplan_id",
        "ansvarlig",
        "fra_aar",
        "til_aar",
        "plan_a",
    ],
    "bord": ["navn", "facilitator", "maal_ids", "anonym"],
    "maalplan": [
        "titel",
        "enhed_id",
        "aar",
        "ansvarlig",
        "sagsnummer",
        "kle",
        "status_foer",
        "status_del1",
        "status_del2",
        "status_efter",
        "plan_a",
    ],
}
CHILD_TYPE = {
    "direktoeromraade": "afdeling",
    "stab": "afdeling",
    "afdeling": "enhed",
    "enhed": "enhed",
}
MS_PREFIX = "ms:"


def _cut(text: str, n: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def plan_option(p: dict[str, Any]) -> Option:
    """A målplan in the list: title; enhed, year, ansvarlig, sag and KLE; the four sheets'
    status; its Plan A indicators (and, for 2024, the mandatory ones it lacks)."""
    prompt = plain(p["titel"])
    prompt.stylize("bold")
    meta = texts.PREP_PLAN_META.format(
        enhed=p["enhed_navn"] or texts.UNKNOWN,
        aar=p["aar"] or texts.UNKNOWN,
        ansvarlig=p["ansvarlig"] or texts.UNKNOWN,
        sag=p["sagsnummer"] or texts.UNKNOWN,
        kle=p["kle"] or texts.UNKNOWN,
    )
    status = texts.PREP_PLAN_STATUS.format(
        **{
            sheet: enums.label(enums.ArkStatus(p[f"status_{sheet}"]))
            for sheet in ("foer", "del1", "del2", "efter")
        }
    )
    plan_a = list(p["plan_a"] or [])
    extra = [texts.PREP_PLAN_MAAL.format(n=p["maal"])]
    if plan_a:
        extra.append(texts.PLAN_A_SHORT.format(numre=", ".join(map(str, plan_a))))
    missing = [n for n in enums.PLAN_A_OBLIGATORISKE_2024 if n not in plan_a]
    if p["aar"] == 2024 and missing:
        extra.append(texts.PLAN_A_MISSING.format(numre=", ".join(map(str, missing))))
    prompt.append("\n" + visible(meta), style="dim")
    prompt.append("\n" + status + " · " + " · ".join(extra), style="dim")
    return Option(hanging("•", prompt), id=p["id"])


class PrepareScreen(Screen[None]):
    """Five tabs, each a list with the same keys (A new, Enter edit, D delete, Shift+↑/↓)."""

    HELP_KEY = "prepare"
    BINDINGS = [
        Binding("escape", "back", texts.B_BACK[0], tooltip=texts.B_BACK[1], id="prep.back"),
        Binding(
            "m",
            "new_maalsaetning",
            texts.B_NEW_MAALSAETNING[0],
            tooltip=texts.B_NEW_MAALSAETNING[1],
            id="prep.maalsaetning",
            show=False,
        ),
        Binding(
            "o",
            "new_top",
            texts.B_NEW_TOP[0],
            tooltip=texts.B_NEW_TOP[1],
            id="prep.top",
            show=False,
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, Any] = {}
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
            with TabPane(texts.PREP_TAB_TABLES, id="tab-tables"):
                yield Static("", classes="prep-context", id="ctx-tables")
                yield ItemList(id="prep-bord", kind="bord")
        yield AppFooter()

    def on_mount(self) -> None:
        self.day_id = self.app.day_id
        self.query_one("#prep-udviklingsdag", ItemList).focus()
        self.reload()

    def reload(self) -> None:
        db = self.app.store.db

        def read() -> dict[str, Any]:
            return {
                "days": udviklingsdage_overview(db),
                "blocks": live_rows(db, "programblok"),
                "org": organisation(db),
                "ms": maalsaetninger_with_maal(db),
                "enheder": enhed_choices(db),
                "plans": maalplaner_overview(db),
            }

        self.app.submit(read, done=self._show)

    def _show(self, data: dict[str, Any]) -> None:
        self.data = data
        days = data["days"]
        if self.day_id not in {d["id"] for d in days}:
            self.day_id = days[0]["id"] if days else None
        self.query_one("#prep-udviklingsdag", ItemList).set_items(
            [self._day_option(d) for d in days], keep=self.day_id, empty=texts.PREP_EMPTY
        )
        self._show_day_parts()
        org = [self._enhed_option(e) for e in data["org"]]
        self.query_one("#prep-enhed", ItemList).set_items(org, empty=texts.PREP_EMPTY)
        options: list[Option] = []
        for ms in data["ms"]:
            head = plain(ms["tekst"])
            head.stylize("bold")
            head.append(f"  ({enums.label(enums.Kilde(ms['kilde']))})", style="dim")
            options.append(Option(head, id=MS_PREFIX + ms["id"]))
            for m in ms["maal"]:
                body = plain(m["tekst"])
                meta = texts.PREP_MAAL_META.format(
                    enhed=m["enhed_navn"] or texts.UNKNOWN,
                    ansvarlig=m["ansvarlig"] or texts.UNKNOWN,
                )
                body.append("\n" + visible(meta), style="dim")
                options.append(Option(hanging("  •", body), id=m["id"]))
        self.query_one("#prep-maal", ItemList).set_items(options, empty=texts.PREP_EMPTY)
        self.query_one("#prep-maalplan", ItemList).set_items(
            [plan_option(p) for p in data["plans"]], empty=texts.PREP_EMPTY
        )

    def _day_option(self, d: dict[str, Any]) -> Option:
        prompt = plain(d["titel"])
        prompt.stylize("bold")
        meta = texts.PREP_DAY_META.format(
            **{
                "del": enums.label(enums.Del(d["dagdel"])),
                "dato": day_date(d["dato"]),
                "starttid": d["starttid"],
            }
        )
        prompt.append("\n   " + visible(meta), style="dim")
        return Option(prompt, id=d["id"])

    def _enhed_option(self, e: dict[str, Any]) -> Option:
        line = Text("   " * e["depth"])
        line.append_text(plain(e["navn"]))
        if e["depth"] == 0:
            line.stylize("bold")
        line.append(f"  {enums.label(enums.EnhedType(e['type']))}", style="dim")
        return Option(line, id=e["id"])

    def _show_day_parts(self) -> None:
        day = next((d for d in self.data.get("days", []) if d["id"] == self.day_id), None)
        context = texts.PREP_FOR_DAY.format(titel=day["titel"]) if day else texts.PREP_PICK_DAY
        for cid in ("#ctx-program", "#ctx-tables"):
            self.query_one(cid, Static).update(plain(context))
        blocks = [b for b in self.data.get("blocks", []) if b["udviklingsdag_id"] == self.day_id]
        starts = planned_starts(
            day["starttid"] if day else "09:00", [(b["titel"], b["minutter"]) for b in blocks]
        )
        self.query_one("#prep-programblok", ItemList).set_items(
            [
                Option(
                    plain(
                        texts.PREP_BLOCK_LINE.format(
                            start=s, titel=b["titel"], minutter=b["minutter"]
                        )
                    ),
                    id=b["id"],
                )
                for b, s in zip(blocks, starts, strict=True)
            ],
            empty=texts.PREP_EMPTY if day else texts.PREP_PICK_DAY,
        )
        tables = []
        for b in day["borde"] if day else []:
            prompt = plain(b["navn"])
            prompt.stylize("bold")
            prompt.append(
                "\n   "
                + visible(
                    texts.PREP_TABLE_META.format(
                        facilitator=b["facilitator"] or texts.HOME_NO_FACILITATOR,
                        maal=len(b["maal_ids"] or []),
                    )
                ),
                style="dim",
            )
            tables.append(Option(prompt, id=b["id"]))
        self.query_one("#prep-bord", ItemList).set_items(
            tables, empty=texts.PREP_EMPTY if day else texts.PREP_PICK_DAY
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
        if kind == "maal" and item_id and item_id.startswith(MS_PREFIX):
            entity, item_id = "maalsaetning", item_id.removeprefix(MS_PREFIX)
        if action == "add":
            self._add(kind, item_id)
        elif action == "edit" and item_id:
            self.open_form(entity, item_id)
        elif action == "delete" and item_id:
            self._delete(entity, item_id)
        elif action in ("up", "down") and item_id:
            if entity in ("enhed", "maalplan"):
                return  # shown by name (and year), not in a chosen order
            store = self.app.store

            def moved(ok: bool) -> None:
                if not ok:
                    self.notify(texts.MOVED_EDGE)
                self.reload()

            self.app.save(store.move, entity, item_id, -1 if action == "up" else 1, done=moved)

    def _add(self, kind: str, item_id: str | None) -> None:
        if kind in ("programblok", "bord") and self.day_id is None:
            self.notify(texts.PREP_PICK_DAY, severity="warning")
            return
        if kind == "enhed":
            parent = next((e for e in self.data["org"] if e["id"] == item_id), None)
            defaults = {"type": "direktoeromraade"}
            if parent is not None:
                if parent["type"] == "enhed":
                    defaults = {"type": "enhed", "parent_id": parent["parent_id"]}
                else:
                    defaults = {"type": CHILD_TYPE[parent["type"]], "parent_id": parent["id"]}
            self.open_form("enhed", None, defaults=defaults)
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
        if item_id is None:
            first = self.data.get("ms") or []
            return first[0]["id"] if first else None
        if item_id.startswith(MS_PREFIX):
            return item_id.removeprefix(MS_PREFIX)
        for ms in self.data.get("ms", []):
            if any(m["id"] == item_id for m in ms["maal"]):
                return ms["id"]
        return None

    def action_new_maalsaetning(self) -> None:
        self.query_one("#prep-tabs", TabbedContent).active = "tab-maal"
        self.open_form("maalsaetning", None)

    def action_new_top(self) -> None:
        self.query_one("#prep-tabs", TabbedContent).active = "tab-org"
        self.open_form("enhed", None, defaults={"type": "direktoeromraade"})

    def open_form(
        self, entity: str, row_id: str | None, *, defaults: dict[str, Any] | None = None
    ) -> None:
        fixed: dict[str, Any] = {}
        if entity in ("programblok", "bord"):
            fixed["udviklingsdag_id"] = self.day_id
        choices: dict[str, list[tuple[str, str]]] = {}
        if entity in ("maal", "enhed", "maalplan"):
            choices["enhed_id"] = self.data["enheder"]
            choices["parent_id"] = self.data["enheder"]
        if entity == "maal":
            choices["maalplan_id"] = [
                (
                    texts.PREP_PLAN_CHOICE.format(
                        titel=_cut(p["titel"], 50),
                        enhed=p["enhed_navn"] or texts.UNKNOWN,
                        aar=p["aar"] or "",
                    ),
                    p["id"],
                )
                for p in self.data["plans"]
            ]
            choices["maalsaetning_id"] = [
                (_cut(ms["tekst"], 70), ms["id"]) for ms in self.data["ms"]
            ]
        if entity == "bord":
            choices["maal_ids"] = [
                (f"{_cut(m['tekst'], 60)} ({m['enhed_navn'] or texts.UNKNOWN})", m["id"])
                for ms in self.data["ms"]
                for m in ms["maal"]
            ]
        defaults = {**(defaults or {})}
        if entity == "udviklingsdag":
            defaults.setdefault("dagdel", "del1")
            defaults.setdefault("starttid", "09:00")
        if entity == "maalsaetning":
            defaults.setdefault("kilde", "politik")
        if entity == "programblok":
            defaults.setdefault("minutter", 30)
        if entity == "maalplan":
            year = self.app.clock().year
            defaults.setdefault("aar", year)
            for sheet in ("foer", "del1", "del2", "efter"):
                defaults.setdefault(f"status_{sheet}", enums.ArkStatus.IKKE_PAABEGYNDT.value)
            if year == 2024:
                defaults.setdefault("plan_a", list(enums.PLAN_A_OBLIGATORISKE_2024))
        spec = FormSpec(entity, FIELDS[entity], fixed=fixed, defaults=defaults, choices=choices)
        self.app.push_screen(RecordForm(spec, row_id), callback=lambda _rid: self.reload())

    def _delete(self, entity: str, item_id: str) -> None:
        store = self.app.store
        label = ENTITIES[entity].label

        def answered(yes: bool | None) -> None:
            if yes:
                self.app.save(
                    store.delete,
                    entity,
                    item_id,
                    done=lambda _n: (
                        self.notify(texts.DELETED_ITEM.format(what=label.capitalize())),
                        self.reload(),
                    ),
                )

        title = self._title_of(entity, item_id)
        self.app.push_screen(
            ConfirmScreen(texts.CONFIRM_DELETE.format(what=label, text=title)), callback=answered
        )

    def _title_of(self, entity: str, item_id: str) -> str:
        pools = {
            "udviklingsdag": self.data.get("days", []),
            "programblok": self.data.get("blocks", []),
            "enhed": self.data.get("org", []),
            "maalsaetning": self.data.get("ms", []),
            "maal": [m for ms in self.data.get("ms", []) for m in ms["maal"]],
            "bord": [b for d in self.data.get("days", []) for b in d["borde"]],
            "maalplan": self.data.get("plans", []),
        }
        field = ENTITIES[entity].title_field
        row = next((r for r in pools.get(entity, []) if r["id"] == item_id), None)
        return str(row.get(field, "")) if row else ""

    def action_back(self) -> None:
        self.app.pop_screen()
