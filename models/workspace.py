"""The workspace service: the one door between the screens and the data.

A screen never touches the database, a session or a file itself. It asks the App to run a call
on the `Workspace` in the one ordered database queue (`tui.jobs.DbQueue`), off the UI thread,
and gets the typed result back on the UI thread:

    host(self).read(lambda ws: ws.bord(bord_id), done=self._show)
    host(self).write(lambda ws: ws.save_field("tegn", tegn_id, "tekst", text), done=...)

Reads return frozen dataclasses (`models.records`), never dicts; writes are intents
(`save_field`, `create`, `save_note`, `delete`, `move`, `undo`, `resolve`, ...) that validate,
write the row and append the change log in one transaction through `models.store.Store`. Local
settings are typed too (`setting` / `set_setting` with an entry of `models.settings`).

This module is imported by the screens only for typing; it loads SQLAlchemy lazily, when the
App opens the database, so the home screen can draw before SQLAlchemy has loaded."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, TypeVar

from . import settings
from .records import (
    BordDeltagere,
    BordOverview,
    Choice,
    HomeSnapshot,
    MaalDetail,
    MaalplanOverview,
    Note,
    NoteSaved,
    Preparation,
    ProevehandlingEvalueringer,
    Programblok,
    Programme,
    Row,
    Undone,
)
from .settings import Setting

if TYPE_CHECKING:
    from datetime import date

    from .conflicts import Conflict
    from .consolidation import DeviceSummary, Gap, LedgerRow, MatrixRow
    from .db import Database
    from .maalplan_view import MaalplanView
    from .nyt_aar import Forbindelser, ForTidligt, NytAarForslag, NytAarResultat, NytAarValg
    from .records import Aarshjul, AarshjulPlanDetail, PlanAPoster, TegnMaalinger
    from .status_report import StatusReport
    from .store import Store

T = TypeVar("T")


class Workspace:
    """One open database, as this laptop's device: every read and write the screens need."""

    def __init__(self, db: Database) -> None:
        from .store import Store

        self._db = db
        self._store: Store = Store(db)
        # This laptop's clock when the workspace was opened: what is undone without asking.
        self._opened = self._store.clock.now()

    @property
    def device_name(self) -> str:
        """This laptop's name (it travels with its data)."""
        return self._db.device_name

    @property
    def database(self) -> Database:
        """The open database, for the exchange methods below and for tests. Screens use the
        methods; they never hold the database."""
        return self._db

    def close(self) -> None:
        """Close the database (quitting)."""
        self._db.close()

    # --- reads ------------------------------------------------------------------------------

    def home(self) -> HomeSnapshot:
        """Everything the home screen shows (the same read as `overview.quick_home`)."""
        from .overview import home_of

        return home_of(self._db)

    def bord(self, bord_id: str) -> BordOverview | None:
        """A bord with its mål by målsætning and their counts; None when it is gone."""
        from .queries import bord_overview

        return bord_overview(self._db, bord_id)

    def maal(self, maal_id: str) -> MaalDetail | None:
        """One mål with everything written about it; None when it is gone."""
        from .queries import maal_detail

        return maal_detail(self._db, maal_id)

    def notes(self, *, maal_id: str | None = None, bord_id: str | None = None) -> tuple[Note, ...]:
        """The notes of a mål (or of a bord), oldest first, with where each came from."""
        from .queries import notes_with_origin

        return notes_with_origin(self._db, maal_id=maal_id, bord_id=bord_id)

    def enhed_choices(self) -> tuple[Choice, ...]:
        """Every enhed as a picker's choice, by name."""
        from .queries import enhed_choices

        return enhed_choices(self._db)

    def deltagere(self, bord_id: str) -> BordDeltagere | None:
        """A bord's deltagere; None when the bord is gone."""
        from .queries import bord_deltagere

        return bord_deltagere(self._db, bord_id)

    def evalueringer(self, proevehandling_id: str) -> ProevehandlingEvalueringer | None:
        """A prøvehandling's evalueringer; None when the prøvehandling is gone."""
        from .queries import proevehandling_evalueringer

        return proevehandling_evalueringer(self._db, proevehandling_id)

    def preparation(self) -> Preparation:
        """Everything the preparation screen lists."""
        from . import queries

        return Preparation(
            days=queries.udviklingsdage_overview(self._db),
            blokke=queries.programblokke(self._db),
            organisation=queries.organisation(self._db),
            maalsaetninger=queries.maalsaetninger_with_maal(self._db),
            enheder=queries.enhed_choices(self._db),
            maalplaner=queries.maalplaner_overview(self._db),
        )

    def programme(self, udviklingsdag_id: str | None = None) -> Programme | None:
        """An udviklingsdag's programme (the one chosen on the home screen when None); None
        when there is no such day."""
        from .queries import programme

        chosen = udviklingsdag_id or self.setting(settings.CHOSEN_UDVIKLINGSDAG)
        return programme(self._db, chosen) if chosen else None

    def timer(self, udviklingsdag_id: str) -> tuple[tuple[Programblok, ...], str | None]:
        """An udviklingsdag's programme blocks and its timer's saved state (JSON, or None)."""
        from .queries import programblokke

        state = self.setting(settings.TIMER.of(udviklingsdag_id))
        return programblokke(self._db, udviklingsdag_id), state

    def row(self, entity: str, row_id: str) -> Row | None:
        """One live row's fields, for the edit form; None when it is gone."""
        from .queries import form_row

        return form_row(self._db, entity, row_id)

    # --- writes (each one undoable action, change-logged) ---------------------------------------

    def create(self, entity: str, values: Mapping[str, object]) -> str:
        """Create a row (required fields given); returns its id."""
        self.check_record(entity, values, new=True)
        return self._store.create(entity, dict(values))

    def save_field(self, entity: str, row_id: str, field: str, value: object) -> int:
        """Change one field of a row; returns 1 when it changed, 0 when it held that value.
        A prøvehandling's new status is dated today in the same action (`dated_status`)."""
        self.check_record(entity, {field: value}, new=False)
        values = self.dated_status(entity, row_id, {field: value})
        return min(1, self._store.update(entity, row_id, values))

    def create_or_update(
        self,
        entity: str,
        row_id: str | None,
        values: Mapping[str, object],
        *,
        fixed: Mapping[str, object] | None = None,
    ) -> str:
        """A form's save: create the row (with `fixed`, the values given by where the form was
        opened) when `row_id` is None, else change its `values`. Returns the row's id."""
        # A new row's rule sees the fixed values too (a new læring's place is fixed).
        checked = {**(fixed or {}), **values} if row_id is None else values
        self.check_record(entity, checked, new=row_id is None)
        values = self.dated_status(entity, row_id, values)
        if row_id is None:
            return self._store.create(entity, {**(fixed or {}), **values})
        self._store.update(entity, row_id, dict(values))
        return row_id

    def delete(self, entity: str, row_id: str) -> int:
        """Delete a row and the rows it owns (undoable); returns how many."""
        return self._store.delete(entity, row_id)

    def owned_rows(self, entity: str, row_id: str) -> dict[str, int]:
        """What `delete` would take along with the row, counted by entity (for the question
        before it: «Det sletter også 3 tegn og 36 målinger.»)."""
        from .queries import owned_rows

        return owned_rows(self._db, entity, row_id)

    def move(self, entity: str, row_id: str, delta: int) -> bool:
        """Move a row up (delta < 0) or down among its siblings; False at the edge."""
        return self._store.move(entity, row_id, delta)

    def undo(self, *, in_session: bool = False, action_id: str | None = None) -> Undone | None:
        """Undo this laptop's last action; None when there is nothing to undo. With
        `in_session`, an action made before this workspace was opened (yesterday's work, the
        tovholder's preparation of the day on this laptop) is not undone but returned with
        `done` False, for the screen to ask first; `action_id` then undoes exactly that action
        (None when it is no longer the last one)."""
        from datetime import datetime

        from .clock import to_seconds

        since = self._opened if in_session else None
        result = self._store.undo(since=since, action_id=action_id)
        if result is None:
            return None
        when = datetime.fromtimestamp(to_seconds(result.hlc)) if result.hlc else None
        return Undone(result.description, result.done, result.action_id, when)

    def save_note(
        self,
        note_id: str | None,
        *,
        kind: str,
        text: str,
        maal_id: str | None = None,
        bord_id: str | None = None,
    ) -> NoteSaved:
        """Write a note's text. The note rules: the first words create the note (of `kind`,
        on the mål or the bord), an emptied note is deleted, and text for a note deleted
        meanwhile (an undo, another screen) becomes a new note rather than being lost."""
        from .errors import NotFoundError

        owner = {"maal_id": maal_id} if maal_id is not None else {"bord_id": bord_id}
        values = {**owner, "type": kind, "tekst": text}
        if note_id is None:
            if not text.strip():
                return NoteSaved(None, deleted=False)
            return NoteSaved(self._store.create("note", values), deleted=False)
        if not text.strip():
            self._store.delete("note", note_id)
            return NoteSaved(None, deleted=True)
        try:
            self._store.update("note", note_id, {"tekst": text})
        except NotFoundError:
            return NoteSaved(self._store.create("note", values), deleted=False)
        return NoteSaved(note_id, deleted=False)

    def rename_device(self, name: str) -> str:
        """Name this laptop (and remember that it is named); returns the cleaned name."""
        clean = self._store.rename_device(name)
        self.set_setting(settings.DEVICE_NAMED, True)
        return clean

    def remember_bord(self, udviklingsdag_id: str, bord_id: str) -> None:
        """Remember the udviklingsdag and bord chosen on the home screen for the next start."""
        self.set_setting(settings.CHOSEN_UDVIKLINGSDAG, udviklingsdag_id)
        self.set_setting(settings.CHOSEN_BORD, bord_id)

    # --- settings (local, not change-logged; see models.settings) ---------------------------

    def setting(self, entry: Setting[T]) -> T:
        """The typed value of a local setting (its default when not set)."""
        return entry.read(self._store.get_setting(entry.key))

    def set_setting(self, entry: Setting[T], value: T) -> None:
        """Remember a local setting (a value that formats to None removes it)."""
        self._store.set_setting(entry.key, entry.format(value))

    # --- exchange: export and consolidation (see screens/export.py, screens/consolidation.py) ---

    @property
    def store(self) -> Store:
        """The store, for exports/ functions that write through it (a bundle import, so that
        this laptop's clock moves past the imported changes). A screen only hands it to such a
        function in the queue; it reads and writes through the methods here."""
        return self._store

    def maalplaner(self) -> tuple[MaalplanOverview, ...]:
        """Every live målplan, for the export's list: newest year first, by enhed and title."""
        from .queries import maalplaner_overview

        return maalplaner_overview(self._db)

    def maalplan_view(self, maalplan_id: str) -> MaalplanView:
        """One målplan with everything under it, as its documents show it. Raises
        `NotFoundError` when it is gone."""
        from .maalplan_view import load_maalplan

        return load_maalplan(self._db, maalplan_id)

    def devices(self) -> list[DeviceSummary]:
        """What arrived from each laptop (this one first), with its clock warning."""
        from .consolidation import device_summary

        return device_summary(self._db)

    def ledger(self) -> list[LedgerRow]:
        """Every imported file, newest first."""
        from .consolidation import ledger

        return ledger(self._db)

    def conflicts(self) -> list[Conflict]:
        """The open conflicts, for the tovholder to settle."""
        from .conflicts import open_conflicts

        return open_conflicts(self._db)

    def conflicts_in(self, maalplan_ids: Sequence[str]) -> dict[str, list[Conflict]]:
        """The open conflicts each of these målplaner shows, for those that have any (the
        export says so before and after writing: its documents show one side of each)."""
        from .conflicts import conflicts_by_plan

        return conflicts_by_plan(self._db, maalplan_ids)

    def gaps(self) -> list[Gap]:
        """The mål that lack tegn or prøvehandlinger."""
        from .consolidation import gaps

        return gaps(self._db)

    def samarbejde_matrix(self) -> list[MatrixRow]:
        """Per enhed, how many samarbejder at each niveau."""
        from .consolidation import samarbejde_matrix

        return samarbejde_matrix(self._db)

    def resolve(self, conflict: Conflict, value: object) -> str:
        """Settle a conflict with the tovholder's choice (a side's value, a new value, or for
        a deleted row True to keep it deleted, False to restore it), as a new change.
        Returns the change's id."""
        from .conflicts import resolve_conflict

        return resolve_conflict(self._store, conflict, value)

    def check_record(self, entity: str, values: Mapping[str, object], *, new: bool) -> None:
        """Refuse a write that breaks a rule of the whole record (`rules.record_problem`: a
        samarbejde needs a partner) with a `ValidationError` naming the field."""
        from .errors import ValidationError
        from .rules import record_problem
        from .schema import ENTITIES

        problem = record_problem(entity, values, new=new)
        if problem is not None:
            name, message = problem
            label = ENTITIES[entity].fields[name].label
            raise ValidationError(message, field=label, entity=entity)

    # --- issue 15 H1 ---

    def place_lederdag_maal(self, bord_id: str, maal_id: str, *, year: int) -> bool:
        """A mål written at a lederdag bord: put it on the bord and on its enhed's målplan for
        the year, undone together with the mål's creation (`models.lederdag.place_maal`)."""
        from .lederdag import place_maal

        return place_maal(self._store, bord_id, maal_id, year=year)

    # --- end H1 ---

    # --- issue 15 H2 ---

    def maalinger(self, tegn_id: str) -> TegnMaalinger | None:
        """A tegn's målinger (newest first) and its run chart; None when the tegn is gone."""
        from .maalinger import tegn_maalinger

        return tegn_maalinger(self._db, tegn_id)

    # --- end H2 ---

    # --- issue 15 H3 ---
    # --- end H3 ---

    # --- issue 15 H4 ---
    # --- end H4 ---

    # --- issue 15 H5 ---

    if TYPE_CHECKING:
        import collections.abc
        from datetime import date, datetime

        from .records import Forfald, LaeringList

    clock: collections.abc.Callable[[], datetime] | None = None
    """Now, for the dates the workspace writes itself (the app sets its own clock here, a
    fixed one in tests); None: the computer's clock."""

    def today(self) -> date:
        """Today by the workspace's clock."""
        from datetime import datetime

        return (self.clock or datetime.now)().date()

    def dated_status(
        self, entity: str, row_id: str | None, values: Mapping[str, object]
    ) -> dict[str, object]:
        """`values` with today's date as `status_dato` when they change a prøvehandling's
        status without a date of their own (`models.followup.dated_status`)."""
        from .followup import dated_status

        return dated_status(self._db, entity, row_id, values, self.today())

    def forfald(self, *, state: str | None = None, enhed_id: str | None = None) -> Forfald:
        """The planned evalueringer not written yet across every plan, overdue first: those
        in `state` («forfalden», «snart», «senere»; None: all) of the enhed (None: all)."""
        from .followup import due_evalueringer

        return due_evalueringer(self._db, self.today(), state=state, enhed_id=enhed_id)

    def laering(
        self, *, maalplan_id: str | None = None, proevehandling_id: str | None = None
    ) -> LaeringList | None:
        """The læring of a prøvehandling or of a målplan (with its prøvehandlingers'), newest
        first; None when it is gone."""
        from .followup import laering_list

        return laering_list(self._db, maalplan_id=maalplan_id, proevehandling_id=proevehandling_id)

    # --- end H5 ---

    # --- issue 15 H6 ---

    def aarshjul(self, today: date) -> Aarshjul:
        """Every målplan in its plan year with the year's fixed points, as of `today`."""
        from .aarshjul import aarshjul

        return aarshjul(self._db, today)

    def aarshjul_plan(self, maalplan_id: str, today: date) -> AarshjulPlanDetail | None:
        """One målplan's year with its prøvehandlinger and tegn; None when it is gone."""
        from .aarshjul import aarshjul_plan

        return aarshjul_plan(self._db, maalplan_id, today)

    # --- end H6 ---

    # --- issue 15 H7 ---
    # --- end H7 ---

    # --- issue 16 H8 ---
    def status_report(self, aar: int) -> StatusReport:
        """The August status of plan year `aar` as of today (`models.status_report`), for the
        screen: without the reference a document prints (revision 0, no digest)."""
        from .status_report import status_report

        return status_report(self._db, aar, self.today(), reference=False)

    def report_years(self) -> tuple[int, ...]:
        """The years that have målplaner, oldest first."""
        from .status_report import report_years

        return report_years(self._db)

    def set_vurdering(
        self,
        maal_id: str,
        aar: int,
        maalopfyldelse: str,
        begrundelse: str | None,
        hvem: str | None = None,
    ) -> str:
        """Set a mål's assessment for `aar`, dated today by `hvem` (who assessed; this
        laptop's name when empty) as one undoable action (the one vurdering of the mål and
        year is changed, never a second made). The name is remembered for the next one
        (`assessor`)."""
        from .status_report import set_vurdering

        name = (hvem or "").strip() or self.device_name
        made = set_vurdering(
            self._store,
            maal_id,
            aar,
            maalopfyldelse,
            begrundelse,
            dato=self.today(),
            hvem=name,
        )
        if name != self.setting(settings.VURDERET_AF):
            self.set_setting(settings.VURDERET_AF, name)
        return made

    def assessor(self) -> str:
        """Who assesses (and registers målinger) on this laptop: the name given for the last
        vurdering, else the laptop's name."""
        return self.setting(settings.VURDERET_AF) or self.device_name

    # --- end H8 ---

    # --- issue 16 H9 ---

    def plan_a(self, maalplan_id: str) -> PlanAPoster | None:
        """A målplan's Plan A (its poster and what it lacks); None when the plan is gone."""
        from .plan_a import plan_a_poster

        return plan_a_poster(self._db, maalplan_id)

    def plan_a_posters(
        self, aar: int | None = None, maalplan_ids: tuple[str, ...] | None = None
    ) -> list[PlanAPoster]:
        """The Plan A of every målplan of a year (or of the plans given), in one read."""
        from .plan_a import plan_a_posters

        return plan_a_posters(self._db, aar, maalplan_ids)

    def set_plan_a_forskel(self, maalplan_id: str, indikator: int, text: str) -> str:
        """Write the difference a plan wants to make on one indicator (one undoable action);
        updates the indicator's row when there is one. Returns the row's id."""
        from .plan_a import set_forskel

        self.check_record(
            "plan_a_forskel",
            {"maalplan_id": maalplan_id, "indikator": indikator, "forskel": text},
            new=True,
        )
        return set_forskel(self._store, self._db, maalplan_id, indikator, text)

    def set_plan_a_valg(self, maalplan_id: str, indikatorer: tuple[int, ...] | list[int]) -> int:
        """Choose a plan's Plan A indicators for the year (maalplan.plan_a)."""
        return self.save_field("maalplan", maalplan_id, "plan_a", sorted(set(indikatorer)))

    # --- end H9 ---

    # --- issue 16 H10 ---

    def nyt_aar(self, fra_aar: int) -> NytAarForslag:
        """What «nyt år» from `fra_aar` would carry to the year after, per målplan."""
        from .nyt_aar import proposal

        return proposal(self._db, fra_aar)

    def nyt_aar_years(self) -> tuple[int, ...]:
        """The years with målplaner, newest first."""
        from .nyt_aar import plan_years

        return plan_years(self._db)

    def carry_nyt_aar(self, choice: NytAarValg) -> NytAarResultat:
        """Start next year's målplaner with exactly `choice`, as one undoable action."""
        from .nyt_aar import carry

        return carry(self._store, choice, self.today())

    def nyt_aar_too_early(self, fra_aar: int) -> ForTidligt | None:
        """What is early about «nyt år» from `fra_aar` today (None: nothing)."""
        from .nyt_aar import too_early

        return too_early(fra_aar, self.today())

    def nyt_aar_links(self, entity: str, ids: Iterable[str]) -> Forbindelser:
        """Where these mål or prøvehandlinger were carried from and to by «nyt år»."""
        from .nyt_aar import links

        return links(self._db, entity, ids)

    # --- end H10 ---
