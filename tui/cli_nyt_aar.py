"""`udviklingsdag nyt-aar ÅR`: start next year's målplaner from this year's (`models.nyt_aar`).

Without `--ja` it only shows what would be carried and what not, and why (a dry run); with
`--ja` it carries everything proposed (the defaults of the «Nyt år» screen: running mål with
their tegn and open prøvehandlinger; no samarbejder, no Plan A indicators) as one action that
Ctrl+Z in the app undoes. ÅR is the year carried *from*. From a plan year that has not ended
(by the årshjul's season rule) the proposal says so first, and `--ja` writes only with
`--alligevel` as well."""

from __future__ import annotations

import argparse
from typing import Any

from .cli import DanishParser, dump_json, open_db, say

YEAR_MIN, YEAR_MAX = 2000, 2099


def _year(text: str) -> int:
    try:
        year = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"«{text}» er ikke et årstal. Skriv fx 2026.") from None
    if not YEAR_MIN <= year <= YEAR_MAX:
        raise argparse.ArgumentTypeError(
            f"{year} er uden for {YEAR_MIN}-{YEAR_MAX}. Skriv året for de målplaner, du vil "
            "føre videre, fx 2026."
        )
    return year


def register(sub: argparse._SubParsersAction[DanishParser], common: DanishParser) -> None:
    """Add `nyt-aar`."""
    p = sub.add_parser(
        "nyt-aar",
        parents=[common],
        help="start næste års målplaner fra årets (vis forslaget; --ja fører det videre)",
        description="Vis hvad der føres videre fra årets målplaner til næste år: mål der "
        "stadig løber, med deres tegn og åbne prøvehandlinger, og hvad der ikke føres videre "
        "og hvorfor. Med --ja skrives det hele som én handling.",
    )
    p.add_argument("aar", metavar="ÅR", type=_year, help="året for de målplaner, der føres videre")
    p.add_argument("--ja", action="store_true", help="før alt det foreslåede videre")
    p.add_argument(
        "--alligevel",
        action="store_true",
        help="start næste år med --ja, selv om ÅR ikke er begyndt eller stadig er i gang",
    )
    p.add_argument("--json", action="store_true", help="skriv forslaget (og resultatet) som JSON")
    p.set_defaults(func=cmd_nyt_aar)


def cmd_nyt_aar(args: argparse.Namespace) -> int:
    from models.nyt_aar import NytAarForslag
    from models.workspace import Workspace

    db = open_db(args)
    try:
        ws = Workspace(db)
        offer: NytAarForslag = ws.nyt_aar(args.aar)
        choice = offer.default_choice()
        if not offer.planer:
            known = ws.nyt_aar_years()
            years = ", ".join(str(y) for y in known) or "ingen"
            message = f"Der er ingen målplaner for {args.aar}. År med målplaner: {years}."
            if args.aar - 1 in known:
                # The likely slip: the new year typed instead of the one to carry from.
                message += (
                    f" ÅR er året, der føres videre fra: for at starte {args.aar} ud fra "
                    f"{args.aar - 1}, skriv «udviklingsdag nyt-aar {args.aar - 1}»."
                )
            if args.json:
                print(dump_json({"fra_aar": args.aar, "planer": [], "fejl": message}))
            else:
                say(message)
            return 1
        early = ws.nyt_aar_too_early(args.aar)
        warning = _early_text(early) if early is not None else None
        if args.ja and warning is not None and not args.alligevel:
            message = (
                f"{warning} Intet er skrevet. Kør igen med --ja --alligevel for at starte "
                f"{offer.til_aar} nu."
            )
            if args.json:
                print(dump_json({**_json(offer), "advarsel": warning, "fejl": message}))
            else:
                say(message)
            return 1
        result = ws.carry_nyt_aar(choice) if args.ja else None
    finally:
        db.close()
    if args.json:
        data: dict[str, Any] = _json(offer)
        data["opsummering"] = offer.summary(choice)
        if warning is not None:
            data["advarsel"] = warning
        if result is not None:
            data["resultat"] = {
                "nye_planer": list(result.nye_planer),
                "planer": list(result.planer),
                "maal": result.antal.maal,
                "tegn": result.antal.tegn,
                "proevehandlinger": result.antal.proevehandlinger,
                "maal_ids": dict(result.maal_ids),
            }
        print(dump_json(data))
        return 0
    if warning is not None and result is None:
        say(warning, "")
    say(*_text(offer))
    say("", offer.summary(choice))
    if result is None:
        if choice.maal_ids or choice.proevehandling_ids:
            again = "--ja --alligevel" if warning is not None else "--ja"
            say(f"Intet er skrevet endnu. Kør igen med {again} for at starte {offer.til_aar}.")
    else:
        say(result.text().replace(" Ctrl+Z fortryder det hele.", ""))
        if result.antal.any:  # nothing written: nothing to undo
            say("Fortryd i appen med Ctrl+Z (på denne bærbare), hvis det ikke var meningen.")
    return 0


def _early_text(early: Any) -> str:
    if early.begyndt:
        return (
            f"Bemærk: planår {early.fra_aar} er stadig i gang; årshjulet går først videre til "
            f"{early.til_aar} i juli."
        )
    start = f"{early.start.day}.{early.start.month}.{early.start.year}"
    return (
        f"Bemærk: planår {early.fra_aar} er ikke begyndt endnu (arbejdet starter {start}); "
        f"det er {early.aktuelt}, der forberedes nu."
    )


def _text(offer: Any) -> list[str]:
    lines: list[str] = [f"Nyt år: fra {offer.fra_aar} til {offer.til_aar}"]
    for plan in offer.planer:
        if not plan.maal:
            target = "intet løber videre"
        elif plan.target_id:
            target = f"ind i den eksisterende plan for {offer.til_aar}"
        else:
            target = f"ny plan «{plan.ny_titel}»"
        lines += ["", f"{plan.titel} ({plan.enhed}) -> {target}"]
        numbers = ", ".join(str(n) for n in plan.plan_a)
        if plan.plan_a_offered:
            lines.append(f"  (ikke valgt) Plan A-indikatorerne {numbers}")
        elif plan.plan_a_differs:
            own = ", ".join(str(n) for n in plan.target_plan_a)
            lines.append(
                f"  Plan A: planen for {offer.til_aar} har sine egne indikatorer ({own}); "
                f"{numbers} føres ikke videre"
            )
        for m in plan.maal:
            years = _years(m.fra_aar, m.til_aar)
            if m.carried:
                lines.append(f"  = {m.tekst} ({years}): allerede ført videre")
            else:
                lines.append(f"  + {m.tekst} ({years})")
            for t in m.tegn:
                latest = f"; seneste måling {t.seneste_maaling}" if t.seneste_maaling else ""
                lines.append(
                    f"      tegn: {t.tekst} (udgangspunkt {t.baseline or '-'}, "
                    f"forventet {t.forventet_niveau or '-'}{latest})"
                )
            for p in m.proevehandlinger:
                lines.append(f"      prøvehandling: {p.tekst}")
            for s in m.samarbejder:
                lines.append(f"      (ikke valgt) {s.tekst}")
            for u in m.udeladt:
                lines.append(f"      ikke med: {u.tekst} ({u.grund})")
        for u in plan.udeladt:
            # «–» and not «:»: the text often ends with a full stop.
            lines.append(f"  - {u.tekst} – {u.grund}")
    return lines


def _years(fra: int | None, til: int | None) -> str:
    if fra and til:
        return f"{fra}-{til}"
    if til:
        return f"til {til}"
    return f"fra {fra}, uden slutår" if fra else "uden slutår"


def _json(offer: Any) -> dict[str, Any]:
    return {
        "fra_aar": offer.fra_aar,
        "til_aar": offer.til_aar,
        "planer": [
            {
                "id": p.id,
                "titel": p.titel,
                "enhed": p.enhed,
                "ny_titel": p.ny_titel,
                "eksisterende_plan_id": p.target_id,
                "maal": [
                    {
                        "id": m.id,
                        "tekst": m.tekst,
                        "fra_aar": m.fra_aar,
                        "til_aar": m.til_aar,
                        "allerede_videreført_til": m.viderefoert_id,
                        "tegn": [
                            {
                                "id": t.id,
                                "tekst": t.tekst,
                                "udgangspunkt": t.baseline,
                                "forventet_niveau": t.forventet_niveau,
                                "seneste_maaling": t.seneste_maaling,
                            }
                            for t in m.tegn
                        ],
                        "proevehandlinger": [
                            {"id": x.id, "tekst": x.tekst, "status": str(x.status)}
                            for x in m.proevehandlinger
                        ],
                        "samarbejder": [{"id": s.id, "tekst": s.tekst} for s in m.samarbejder],
                        "ikke_med": [_udeladt(u) for u in m.udeladt],
                    }
                    for m in p.maal
                ],
                "ikke_med": [_udeladt(u) for u in p.udeladt],
            }
            for p in offer.planer
        ],
    }


def _udeladt(u: Any) -> dict[str, str]:
    return {"type": u.entity, "id": u.id, "tekst": u.tekst, "grund": u.grund}
