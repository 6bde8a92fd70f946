"""The demo workshop: a fictional municipality's organisation, målsætninger, mål and two
udviklingsdage, written through the Store like any user edit. It is what a new user sees first
(`udviklingsdag demo`) and what screenshots and benchmarks use."""

from __future__ import annotations

from datetime import date

from .store import Store

# (direktørområde or stab, type, [(afdeling, [enheder])])
ORGANISATION: list[tuple[str, str, list[tuple[str, list[str]]]]] = [
    (
        "Børn og Velfærd",
        "direktoeromraade",
        [
            ("Skole og Dagtilbud", ["Nordlys Skole", "Egeskolen", "Dagtilbud Solsikken", "PPR"]),
            ("Familie og Forebyggelse", ["Familiehuset", "Ungdomsskolen", "Sundhedsplejen"]),
            ("Ældre og Sundhed", ["Hjemmeplejen", "Plejecenter Lindely", "Træningscenteret"]),
        ],
    ),
    (
        "By, Kultur og Beskæftigelse",
        "direktoeromraade",
        [
            ("Job og Ydelse", ["Jobcenteret", "Ungeindsatsen"]),
            ("By og Natur", ["Park og Vej", "Byplan"]),
            ("Kultur og Fritid", ["Biblioteket", "Kulturhuset Tårnet", "Idrætshallerne"]),
        ],
    ),
    ("Økonomi og Stab", "stab", [("Stabsfunktioner", ["HR og Arbejdsmiljø", "Digitalisering"])]),
]

POLITIKKER = {
    "boern": ("Børne- og ungepolitik", "2026-2029"),
    "sundhed": ("Sundheds- og ældrepolitik", "2026-2029"),
    "job": ("Beskæftigelsespolitik", "2026-2029"),
    "kultur": ("Kultur- og fritidspolitik", "2026-2029"),
}

# key -> (politik key or None for the budgetaftale, text)
MAALSAETNINGER = {
    "faellesskab": (
        "boern",
        "Flere børn og unge oplever, at de hører til i et fællesskab i skolen og i fritiden.",
    ),
    "unge": ("job", "Flere unge under 25 år kommer i gang med en uddannelse eller et job."),
    "aeldre": (
        "sundhed",
        "Ældre borgere klarer deres egen hverdag længst muligt og bestemmer selv over den.",
    ),
    "fravaer": (None, "Sygefraværet skal ned, og trivslen blandt medarbejderne skal op."),
    "kultur": ("kultur", "Byens kulturtilbud når ud til de borgere, der sjældent bruger dem."),
}

# key -> (målsætning, enhed, text, fra, til, ansvarlig, plan A indicators)
# Names the leaders wrote under «Mulige samarbejdspartnere» on the lederdag: ideas to
# follow up, not agreements (some are outside the organisation).
MULIGE_PARTNERE: dict[str, list[str]] = {
    "fritid": ["Ungdomsskolen", "De lokale idrætsforeninger"],
    "leg": ["Biblioteket", "Sundhedsplejen"],
    "aftenhold": ["Boligsociale medarbejdere i området", "SSP-konsulenten"],
}

MAAL = {
    "voksen": (
        "faellesskab",
        "Nordlys Skole",
        "Inden sommeren 2028 siger mindst 9 ud af 10 elever på mellemtrinnet, at der er en voksen"
        " på skolen, de kan gå til.",
        2027,
        2028,
        "Skoleleder Anne Holm",
        [1, 8],
    ),
    "fritid": (
        "faellesskab",
        "Egeskolen",
        "Alle elever i udskolingen er med i mindst ét fællesskab efter skoletid i skoleåret"
        " 2027/28.",
        2027,
        2028,
        "Afdelingsleder Karim Nasser",
        [1, 5],
    ),
    "leg": (
        "faellesskab",
        "Dagtilbud Solsikken",
        "Børn med et andet modersmål end dansk er aktive i legen i de voksenstyrede aktiviteter"
        " ved udgangen af 2027.",
        2027,
        2027,
        "Dagtilbudsleder Mette Juul",
        [1, 4],
    ),
    "aftenhold": (
        "faellesskab",
        "Ungdomsskolen",
        "Brugen af ungdomsskolens aftenhold blandt unge fra boligområderne stiger med en fjerdedel"
        " fra 2026 til 2028.",
        2027,
        2028,
        "Ungdomsskoleleder Lars Bech",
        [1, 4],
    ),
    "lektier": (
        "faellesskab",
        "Biblioteket",
        "Unge på 13-17 år oplever biblioteket som et trygt sted at lave lektier og mødes.",
        2027,
        2027,
        "Bibliotekar Sofie Lund",
        [4, 8],
    ),
    "ventetid": (
        "unge",
        "Jobcenteret",
        "Unge venter højst 14 dage fra den første samtale til de er i gang med et aktivt tilbud.",
        2027,
        2027,
        "Teamleder Ali Yilmaz",
        [1, 7],
    ),
    "kontakt": (
        "unge",
        "Ungeindsatsen",
        "Halvdelen af de unge i målgruppen har én fast kontaktperson, som følger dem hele vejen"
        " ind i uddannelse.",
        2027,
        2029,
        "Leder Birgitte Friis",
        [5, 8],
    ),
    "foraeldre": (
        "unge",
        "Familiehuset",
        "Forældre til unge, der er ved at falde fra, inddrages allerede ved den første bekymring.",
        2027,
        2028,
        "Familiehusleder Jonas Krogh",
        [4, 5],
    ),
    "morgen": (
        "aeldre",
        "Hjemmeplejen",
        "Flere borgere over 75 år klarer selv morgenen efter et forløb med hverdagsrehabilitering.",
        2027,
        2028,
        "Områdeleder Hanne Dahl",
        [1, 4],
    ),
    "venteliste": (
        "aeldre",
        "Træningscenteret",
        "Ventetiden til genoptræning er under tre uger i hele 2027.",
        2027,
        2027,
        "Centerleder Peter Moos",
        [2, 7],
    ),
    "aktivitet": (
        "aeldre",
        "Plejecenter Lindely",
        "Hver beboer er hver uge med i en aktivitet, som beboerne selv har været med til at vælge.",
        2027,
        2027,
        "Forstander Eva Rask",
        [4, 6],
    ),
    "sygefravaer": (
        "fravaer",
        "HR og Arbejdsmiljø",
        "Det samlede sygefravær falder fra 5,8 % til 5,0 % inden udgangen af 2027.",
        2027,
        2027,
        "HR-chef Tine Vestergaard",
        [6],
    ),
    "fastholdelse": (
        "fravaer",
        "Hjemmeplejen",
        "Nye medarbejdere i hjemmeplejen bliver mindst et år: 8 ud af 10 er her stadig efter"
        " 12 måneder.",
        2027,
        2028,
        "Områdeleder Hanne Dahl",
        [6, 7],
    ),
    "foreninger": (
        "kultur",
        "Biblioteket",
        "Biblioteket laver tre nye arrangementer sammen med boligsociale foreninger i 2027.",
        2027,
        2027,
        "Bibliotekar Sofie Lund",
        [4, 5],
    ),
}

# mål key -> [(type, what to look for, data source, baseline, expected)]
TEGN: dict[str, list[tuple[str, str, str | None, str | None, str | None]]] = {
    "voksen": [
        (
            "kvantitativ",
            "Andelen af elever, der i trivselsmålingen svarer, at de har en voksen at gå til",
            "Den nationale trivselsmåling, mellemtrinnet",
            "78 %",
            "90 %",
        ),
        (
            "kvalitativ",
            "Eleverne henvender sig selv til en voksen i frikvartererne",
            "Gårdvagternes korte noter, en uge pr. måned",
            None,
            None,
        ),
    ],
    "fritid": [
        (
            "kvantitativ",
            "Antal elever i 7.-9. klasse, der er tilmeldt en klub eller forening",
            "Skolens eget spørgeskema i september og april",
            "61 %",
            "100 %",
        ),
    ],
    "leg": [
        (
            "kvalitativ",
            "Børnene tager selv initiativ til lege med børn uden for deres egen gruppe",
            "Pædagogernes observationer på stuemøder",
            None,
            None,
        ),
    ],
    "ventetid": [
        (
            "kvantitativ",
            "Antal dage fra første samtale til første aktive tilbud",
            "Jobcenterets fagsystem, månedligt udtræk",
            "23 dage",
            "14 dage",
        ),
        (
            "kvalitativ",
            "De unge fortæller, at de ved, hvad der skal ske, når de går fra samtalen",
            "Korte exit-interviews med fem unge pr. måned",
            None,
            None,
        ),
    ],
    "kontakt": [
        (
            "kvantitativ",
            "Andel unge i målgruppen med én fast kontaktperson",
            "Ungeindsatsens oversigt",
            "22 %",
            "50 %",
        ),
    ],
    "morgen": [
        (
            "kvantitativ",
            "Antal visiterede minutter til morgenhjælp pr. borger efter forløbet",
            "Omsorgssystemet",
            None,
            "20 % færre",
        ),
    ],
}

# mål key -> [(what, expectation, ansvarlig, start, end, borgerinddragelse how or None,
#              eval undervejs, eval afslutning, [indices of the mål's tegn it follows])]
PROEVEHANDLINGER: dict[
    str,
    list[
        tuple[
            str, str, str, date | None, date | None, str | None, date | None, date | None, list[int]
        ]
    ],
] = {
    "voksen": [
        (
            "Hver klasse på mellemtrinnet får en fast 'frikvartersvoksen' i tre måneder",
            "Vi forventer, at flere elever kender en voksen, de trygt kan gå til.",
            "Skoleleder Anne Holm",
            date(2027, 2, 1),
            date(2027, 4, 30),
            "Eleverne i elevrådet vælger selv, hvilke aktiviteter frikvartersvoksnene tilbyder.",
            date(2027, 3, 15),
            date(2027, 5, 15),
            [0, 1],
        ),
    ],
    "ventetid": [
        (
            "Første samtale og første tilbud aftales på samme møde, med vejlederen fra"
            " ungdomsskolen til stede",
            "Vi forventer, at ventetiden falder, og at færre unge udebliver fra tilbuddet.",
            "Teamleder Ali Yilmaz",
            date(2027, 2, 1),
            date(2027, 6, 30),
            None,
            date(2027, 4, 1),
            date(2027, 7, 15),
            [0],
        ),
    ],
    "sygefravaer": [
        (
            "Tidlig, omsorgsfuld kontakt fra lederen på tredje fraværsdag i tre afdelinger",
            "Vi forventer, at langtidsfraværet falder, fordi medarbejderne oplever at blive set.",
            "HR-chef Tine Vestergaard",
            date(2026, 9, 1),
            date(2027, 2, 28),
            None,
            date(2026, 11, 15),
            date(2027, 3, 15),
            [],
        ),
    ],
}

# mål key -> [(niveau, partner enheder, forventningsafstemning, rollefordeling, mål)]
SAMARBEJDER: dict[str, list[tuple[str, list[str], str | None, str | None, str | None]]] = {
    "voksen": [
        (
            "viden",
            ["PPR"],
            "PPR og skolen fortæller hinanden om, hvad de ser i klasserne.",
            "Skolen samler observationer; PPR giver sparring én gang om måneden.",
            "Vi kender hinandens indsatser for elever i mistrivsel.",
        ),
    ],
    "fritid": [
        (
            "koordination",
            ["Idrætshallerne", "Ungdomsskolen"],
            "Vi planlægger sæsonstart sammen, så tilbuddene ikke ligger oven i hinanden.",
            "Egeskolen informerer eleverne; hallerne og ungdomsskolen står for tilbuddene.",
            "Én fælles oversigt over fritidstilbud til alle udskolingselever i august.",
        ),
    ],
    "ventetid": [
        (
            "samskabelse",
            ["Ungdomsskolen", "Ungeindsatsen"],
            "Vi er enige om, at den unge skal opleve ét forløb, ikke tre.",
            "Jobcenteret indkalder, ungdomsskolen er med til første samtale,"
            " ungeindsatsen følger op.",
            "Et fælles forløb for de første 14 dage, som vi evaluerer sammen hver måned.",
        ),
    ],
    "lektier": [
        (
            "koordination",
            ["Ungdomsskolen", "Kulturhuset Tårnet"],
            "Lektiecaféen og ungdomsskolens tilbud skal ikke konkurrere om de samme aftener.",
            "Biblioteket har lokalerne; ungdomsskolen stiller to frivillige lærere.",
            None,
        ),
    ],
    "morgen": [
        (
            "samskabelse",
            ["Træningscenteret"],
            "Terapeuter og hjemmehjælpere arbejder efter samme plan for borgeren.",
            "Træningscenteret lægger planen; hjemmeplejen træner med borgeren hver morgen.",
            "Fælles plan for alle nye forløb fra marts 2027.",
        ),
    ],
}

PROGRAM_DEL1 = [
    ("Velkomst og dagens formål", 15),
    ("Oplæg: hvad er et godt tegn?", 20),
    ("Gruppearbejde: tegn for hvert mål", 60),
    ("Pause", 15),
    ("Data: hvor ser vi tegnene, og hvordan måler vi?", 45),
    ("Frokost", 40),
    ("Borgerinddragelse og de første idéer til prøvehandlinger", 45),
    ("Opsamling på tværs af bordene", 30),
    ("Afrunding og næste skridt", 10),
]
PROGRAM_DEL2 = [
    ("Velkomst og genbesøg af tegnene", 20),
    ("Idéer til prøvehandlinger", 50),
    ("Pause", 10),
    ("Gør prøvehandlingerne konkrete: ansvarlig, datoer, evaluering", 60),
    ("Frokost", 40),
    ("Samarbejde på tværs: niveau og aftaler", 50),
    ("Fremlæggelse ved bordene", 30),
    ("Afrunding og næste skridt", 10),
]
BORDE = [
    ("Bord 1 · Skoledagen", "Maria Thomsen", ["voksen", "fritid", "leg"]),
    ("Bord 2 · Fritid og fællesskaber", "Henrik Olsen", ["aftenhold", "lektier", "foraeldre"]),
    ("Bord 3 · Unge på vej", "Fatima Hassan", ["ventetid", "kontakt"]),
]
UDFORDRING = (
    "Børn og unge, der står uden for fællesskaberne i skolen og i fritiden, og unge, der hverken"
    " er i uddannelse eller job. Hvordan ser vi, at det går den rigtige vej, og hvad prøver vi?"
)
DELTAGERE = [
    ("Anne Holm", "Nordlys Skole", "leder"),
    ("Jakob Riis", "Nordlys Skole", "medarbejder"),
    ("Karim Nasser", "Egeskolen", "leder"),
    ("Mette Juul", "Dagtilbud Solsikken", "leder"),
    ("Louise Berg", "PPR", "medarbejder"),
]


def build_demo(store: Store) -> dict[str, str]:
    """Write the demo workshop through the store; return the ids of its main rows by key."""
    ids: dict[str, str] = {}
    enheder: dict[str, str] = {}
    for top, kind, afdelinger in ORGANISATION:
        top_id = store.create("enhed", navn=top, type=kind)
        for afdeling, units in afdelinger:
            # The stab's units hang directly under it; the direktørområder have afdelinger.
            parent = top_id
            if kind == "direktoeromraade":
                parent = store.create("enhed", navn=afdeling, type="afdeling", parent_id=top_id)
            for unit in units:
                enheder[unit] = store.create("enhed", navn=unit, type="enhed", parent_id=parent)
    politikker = {
        key: store.create("politik", navn=navn, periode=periode)
        for key, (navn, periode) in POLITIKKER.items()
    }
    maalsaetninger = {}
    for key, (politik, tekst) in MAALSAETNINGER.items():
        maalsaetninger[key] = store.create(
            "maalsaetning",
            tekst=tekst,
            kilde="politik" if politik else "budgetaftale",
            politik_id=politikker[politik] if politik else None,
            aar=2027,
        )
    maalplaner: dict[str, str] = {}
    maal: dict[str, str] = {}
    for key, (ms, enhed, tekst, fra, til, ansvarlig, plan_a) in MAAL.items():
        if enhed not in maalplaner:
            maalplaner[enhed] = store.create(
                "maalplan",
                enhed_id=enheder[enhed],
                aar=2027,
                titel=f"Målplan 2027 for {enhed}",
                ansvarlig=ansvarlig,
                status_foer="udfyldt",
                status_del1="i_gang",
                plan_a=[1, 6, 8],
            )
        maal[key] = store.create(
            "maal",
            maalsaetning_id=maalsaetninger[ms],
            enhed_id=enheder[enhed],
            maalplan_id=maalplaner[enhed],
            tekst=tekst,
            fra_aar=fra,
            til_aar=til,
            ansvarlig=ansvarlig,
            plan_a=plan_a,
        )
    store.update(
        "maalplan", maalplaner["Nordlys Skole"], sagsnummer="00.01.00-G01-12-27", kle="00.01.00"
    )
    for key, names in MULIGE_PARTNERE.items():
        store.update("maal", maal[key], mulige_partnere="\n".join(names))
    tegn: dict[str, list[str]] = {}
    for key, rows in TEGN.items():
        tegn[key] = [
            store.create(
                "tegn",
                maal_id=maal[key],
                type=kind,
                tekst=tekst,
                datakilde=kilde,
                baseline=baseline,
                forventet_niveau=forventet,
            )
            for kind, tekst, kilde, baseline, forventet in rows
        ]
    for key, trials in PROEVEHANDLINGER.items():
        for tekst, forv, ansv, start, slut, borger, ev1, ev2, watch in trials:
            pid = store.create(
                "proevehandling",
                maal_id=maal[key],
                tekst=tekst,
                forventning=forv,
                ansvarlig=ansv,
                start=start,
                slut=slut,
                borgerinddragelse=borger is not None,
                borgerinddragelse_hvordan=borger,
                evaluering_undervejs=ev1,
                evaluering_afslutning=ev2,
                tegn_ids=[tegn[key][i] for i in watch],
            )
            ids[f"proevehandling:{key}"] = pid
    store.create(
        "evaluering",
        proevehandling_id=ids["proevehandling:sygefravaer"],
        type="undervejs",
        dato=date(2026, 11, 17),
        effekt="Medarbejderne i de tre afdelinger beskriver opkaldet som omsorg, ikke kontrol. "
        "Fraværet over 14 dage er faldet en smule, men perioden er kort.",
        laering="Opkaldet virker bedst, når lederen på forhånd har aftalt det med medarbejderen.",
    )
    for key, samarbejder in SAMARBEJDER.items():
        for niveau, partners, afstemning, roller, maal_for in samarbejder:
            store.create(
                "samarbejde",
                maal_id=maal[key],
                niveau=niveau,
                partner_ids=[enheder[p] for p in partners],
                forventningsafstemning=afstemning,
                rollefordeling=roller,
                maal_for_samarbejdet=maal_for,
            )
    store.create(
        "note",
        maal_id=maal["voksen"],
        type="laering",
        tekst="Eleverne skelner mellem 'en voksen' og 'min lærer'; spørg til begge.",
    )

    dage = {}
    for dagdel, dato, program in (
        ("del1", date(2026, 12, 3), PROGRAM_DEL1),
        ("del2", date(2027, 1, 14), PROGRAM_DEL2),
    ):
        nr = dagdel[-1]
        dag = store.create(
            "udviklingsdag",
            titel=f"Fællesskaber for børn og unge · del {nr}",
            dagdel=dagdel,
            dato=dato,
            starttid="09:00",
            udfordring=UDFORDRING,
            sted="Rådhusets kantine",
        )
        dage[dagdel] = dag
        for titel, minutter in program:
            store.create("programblok", udviklingsdag_id=dag, titel=titel, minutter=minutter)
        for navn, facilitator, keys in BORDE:
            bord = store.create(
                "bord",
                udviklingsdag_id=dag,
                navn=navn,
                facilitator=facilitator,
                maal_ids=[maal[k] for k in keys],
                anonym=navn.startswith("Bord 3"),
            )
            ids[f"bord:{dagdel}:{navn[:6]}"] = bord
    bord1 = ids["bord:del1:Bord 1"]
    for navn, enhed, rolle in DELTAGERE:
        store.create("deltager", bord_id=bord1, navn=navn, enhed_id=enheder[enhed], rolle=rolle)
    store.create(
        "note",
        bord_id=bord1,
        type="parkering",
        tekst="Skal frikvartersvoksne også dække SFO-tiden? Tages op med skolelederne.",
    )
    ids.update({f"maal:{k}": v for k, v in maal.items()})
    ids.update({f"dag:{k}": v for k, v in dage.items()})
    return ids
