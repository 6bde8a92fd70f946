"""The demo workshop: a fictional municipality's organisation, målsætninger, mål and two
udviklingsdage, written through the Store like any user edit. It is what a new user sees first
(`udviklingsdag demo`) and what screenshots and benchmarks use."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import partial

from . import settings
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


# --- the lederdag before del 1 ---------------------------------------------------------------

LEDERDAG = (
    "Lederdag: mål for 2027",
    date(2026, 11, 5),
    "Kommunalbestyrelsen har valgt årets målsætninger. Hvad betyder de for netop vores"
    " arbejdsplads, og hvem kunne vi gøre det sammen med?",
)
PROGRAM_LEDERDAG = [
    ("Velkomst: målsætningerne for 2027", 20),
    ("Ved bordene: et mål for hver målsætning", 75),
    ("Pause", 15),
    ("Hvem kunne vi samarbejde med?", 40),
    ("Runde mellem bordene: hvor ligner vores mål hinanden?", 30),
    ("Afrunding: det tager Chefforum videre", 10),
]
# (navn, facilitator, [målsætninger], [the mål written for them at this bord], [(deltager,
# enhed)])
LEDERDAG_BORDE: list[tuple[str, str, list[str], list[str], list[tuple[str, str]]]] = [
    (
        "Bord A · Fællesskaber for børn og unge",
        "Maria Thomsen",
        ["faellesskab"],
        ["voksen", "fritid", "leg", "aftenhold", "lektier"],
        [("Anne Holm", "Nordlys Skole"), ("Karim Nasser", "Egeskolen"), ("Mette Juul",
         "Dagtilbud Solsikken"), ("Lars Bech", "Ungdomsskolen"), ("Sofie Lund", "Biblioteket")],
    ),
    (
        "Bord B · Unge på vej",
        "Fatima Hassan",
        ["unge"],
        ["ventetid", "kontakt", "foraeldre"],
        [("Ali Yilmaz", "Jobcenteret"), ("Birgitte Friis", "Ungeindsatsen"),
         ("Jonas Krogh", "Familiehuset")],
    ),
    (
        "Bord C · Ældre, kultur og arbejdsmiljø",
        "Henrik Olsen",
        ["aeldre", "fravaer", "kultur"],
        ["morgen", "venteliste", "aktivitet", "sygefravaer", "fastholdelse", "foreninger"],
        [("Hanne Dahl", "Hjemmeplejen"), ("Peter Moos", "Træningscenteret"),
         ("Eva Rask", "Plejecenter Lindely"), ("Tine Vestergaard", "HR og Arbejdsmiljø")],
    ),
]  # fmt: skip


# --- last year: the 2026 plans, followed through the year ------------------------------------

# key -> (politik key or None for the budgetaftale, text); the council's choice for 2026.
MAALSAETNINGER_2026 = {
    "ro": ("boern", "Flere elever oplever ro og tryghed i skoledagen."),
    "tilbud": ("job", "Unge ledige kommer hurtigere i gang med et tilbud, der passer til dem."),
    "selvhjulpen": ("sundhed", "Flere ældre klarer selv de daglige gøremål, de har mistet."),
    "fravaer": (None, "Sygefraværet skal ned med et halvt procentpoint i 2026."),
}
# enhed -> the plan's ansvarlig
MAALPLANER_2026 = {
    "Jobcenteret": "Teamleder Ali Yilmaz",
    "Hjemmeplejen": "Områdeleder Hanne Dahl",
    "Nordlys Skole": "Skoleleder Anne Holm",
}
# key -> (målsætning, enhed, text, ansvarlig)
MAAL_2026 = {
    "tilbud": (
        "tilbud",
        "Jobcenteret",
        "Unge under 25 år er i gang med et aktivt tilbud senest 21 dage efter den første samtale.",
        "Teamleder Ali Yilmaz",
    ),
    "bad": (
        "selvhjulpen",
        "Hjemmeplejen",
        "Halvdelen af de borgere, der får hjemmehjælp for første gang, klarer selv badet efter"
        " tre måneder.",
        "Områdeleder Hanne Dahl",
    ),
    "sygdom": (
        "fravaer",
        "Hjemmeplejen",
        "Sygefraværet i hjemmeplejen falder fra 7,9 % til 6,5 % i løbet af 2026.",
        "Områdeleder Hanne Dahl",
    ),
    "ro": (
        "ro",
        "Nordlys Skole",
        "Færre elever på mellemtrinnet bliver sendt ud af timen, fordi timerne kommer roligt i"
        " gang.",
        "Skoleleder Anne Holm",
    ),
}
# tegn key -> (mål, type, what to look for, data source, baseline, expected)
TEGN_2026: dict[str, tuple[str, str, str, str, str | None, str | None]] = {
    "dage": (
        "tilbud",
        "kvantitativ",
        "Gennemsnitligt antal dage fra første samtale til første aktive tilbud",
        "Jobcenterets fagsystem, udtræk sidst på måneden",
        "31 dage",
        "21 dage",
    ),
    "udeblevet": (
        "tilbud",
        "kvantitativ",
        "Andelen af unge, der ikke møder op til det første tilbud",
        "Fremmøderegistreringen i tilbuddene",
        "18 %",
        "10 %",
    ),
    "naeste": (
        "tilbud",
        "kvalitativ",
        "De unge kan selv sige, hvad der skal ske, når de går fra samtalen",
        "Korte samtaler med fem unge i venteområdet hver måned",
        None,
        None,
    ),
    "selvbad": (
        "bad",
        "kvantitativ",
        "Andelen af nye borgere, der klarer badet selv ved opfølgningen efter tre måneder",
        "Visitationens opfølgning i omsorgssystemet",
        "34 %",
        "50 %",
    ),
    "selvvalgt": (
        "bad",
        "kvalitativ",
        "Borgerne fortæller, at det er dem selv, der har valgt, hvad de træner",
        "Terapeuternes noter fra opfølgningsbesøgene",
        None,
        None,
    ),
    "fravaer": (
        "sygdom",
        "kvantitativ",
        "Sygefravær i procent af den planlagte arbejdstid, måned for måned",
        "Lønsystemets fraværsstatistik",
        "7,9 %",
        "6,5 %",
    ),
    "udsendt": (
        "ro",
        "kvantitativ",
        "Antal gange en elev på mellemtrinnet er sendt ud af timen i løbet af måneden",
        "Skolens egen registrering af elever, der sendes ud",
        "48 gange om måneden",
        "30 gange om måneden",
    ),
    "igang": (
        "ro",
        "kvalitativ",
        "Lærerne oplever, at timerne kommer hurtigere og roligere i gang",
        "Teamsamtaler med lærerne på mellemtrinnet",
        None,
        None,
    ),
}
# tegn key -> (who registers, [(month, value)]); measured at the end of each month of 2026.
# The school has no figure for July (summer holiday).
MAALINGER_2026: dict[str, tuple[str, list[tuple[int, float]]]] = {
    "dage": ("Ali Yilmaz", [(2, 31), (3, 32), (4, 28), (5, 27), (6, 25), (7, 27), (8, 24),
                            (9, 23), (10, 22), (11, 23)]),
    "udeblevet": ("Ali Yilmaz", [(2, 19), (3, 17), (4, 15), (5, 13), (6, 14), (7, 16),
                                 (8, 12), (9, 11), (10, 12), (11, 10)]),
    "selvbad": ("Hanne Dahl", [(2, 33), (3, 35), (4, 38), (5, 41), (6, 40), (7, 44), (8, 46),
                               (9, 45), (10, 48), (11, 47)]),
    "fravaer": ("Tine Vestergaard", [(2, 8.1), (3, 7.9), (4, 8.2), (5, 7.8), (6, 7.6), (7, 7.1),
                                     (8, 7.2), (9, 6.9), (10, 6.8), (11, 6.9)]),
    "udsendt": ("Jakob Riis", [(2, 47), (3, 44), (4, 39), (5, 36), (6, 33), (8, 41), (9, 35),
                               (10, 31), (11, 29)]),
}  # fmt: skip
# tegn key -> (who, [(date, observation)])
OBSERVATIONER_2026: dict[str, tuple[str, list[tuple[date, str]]]] = {
    "naeste": (
        "Ali Yilmaz",
        [
            (
                date(2026, 3, 27),
                "To af fem kunne sige, hvornår de skulle møde op; de andre ventede på et brev.",
            ),
            (
                date(2026, 6, 26),
                "Fire af fem viste os aftalen i deres kalender på telefonen.",
            ),
            (
                date(2026, 10, 30),
                "Alle fem vidste, hvor de skulle hen; to spurgte selv til, hvad der kom bagefter.",
            ),
        ],
    ),
    "selvvalgt": (
        "Hanne Dahl",
        [
            (
                date(2026, 4, 24),
                "Terapeuterne skriver stadig målene for borgerne; borgerne siger ja til dem.",
            ),
            (
                date(2026, 8, 28),
                "Flere borgere bruger egne ord om målet: 'at kunne gå til frisøren selv'.",
            ),
        ],
    ),
    "igang": (
        "Jakob Riis",
        [
            (
                date(2026, 4, 16),
                "Lærerne i 5. årgang siger, at tavlen med dagens program sparer dem for spørgsmål.",
            ),
            (
                date(2026, 9, 10),
                "Efter sommerferien glider strukturen; de nye lærere kender den ikke endnu.",
            ),
            (
                date(2026, 11, 12),
                "Timerne er i gang efter et par minutter i de fleste klasser.",
            ),
        ],
    ),
}
# key -> (mål, what, expectation, ansvarlig, start, end, eval undervejs, eval afslutning,
#         status, status date, [tegn keys it follows])
PROEVEHANDLINGER_2026: dict[
    str,
    tuple[str, str, str, str, date, date, date, date, str, date, list[str]],
] = {
    "booking": (
        "tilbud",
        "Det første tilbud bookes i kalenderen under selve samtalen, mens den unge sidder der",
        "Vi forventer, at ventetiden falder, fordi ingen venter på et brev.",
        "Teamleder Ali Yilmaz",
        date(2026, 3, 2),
        date(2026, 6, 30),
        date(2026, 4, 30),
        date(2026, 7, 15),
        "afsluttet",
        date(2026, 6, 30),
        ["dage", "naeste"],
    ),
    "sms": (
        "tilbud",
        "En sms dagen før det første tilbud med adresse og navnet på den, der tager imod",
        "Vi forventer, at færre unge bliver væk fra det første tilbud.",
        "Jobkonsulent Rikke Due",
        date(2026, 3, 16),
        date(2026, 9, 30),
        date(2026, 6, 1),
        date(2026, 10, 15),
        "viderefoert",
        date(2026, 10, 13),
        ["udeblevet"],
    ),
    "foerstebesoeg": (
        "bad",
        "Terapeut og hjemmehjælper tager det første besøg hos borgeren sammen",
        "Vi forventer, at borgeren får én plan og ikke to, og træner mere selv.",
        "Områdeleder Hanne Dahl",
        date(2026, 3, 2),
        date(2026, 8, 31),
        date(2026, 5, 15),
        date(2026, 9, 15),
        "afsluttet",
        date(2026, 8, 31),
        ["selvbad"],
    ),
    "maalkort": (
        "bad",
        "Borgeren skriver selv sit træningsmål på et kort, der hænger på køleskabet",
        "Vi forventer, at borgerne træner det, de selv synes er vigtigt, og holder ved.",
        "Terapeut Ditte Skov",
        date(2026, 4, 6),
        date(2026, 12, 31),
        date(2026, 9, 30),
        date(2027, 1, 15),
        "i_gang",
        date(2026, 4, 6),
        ["selvbad", "selvvalgt"],
    ),
    "makkerpar": (
        "sygdom",
        "Faste makkerpar på ruterne i to distrikter",
        "Vi forventer, at medarbejderne støtter hinanden, og at korttidsfraværet falder.",
        "Områdeleder Hanne Dahl",
        date(2026, 3, 1),
        date(2026, 5, 31),
        date(2026, 4, 15),
        date(2026, 5, 31),
        "stoppet",
        date(2026, 4, 20),
        ["fravaer"],
    ),
    "samtale": (
        "sygdom",
        "En kort samtale med den nærmeste leder efter anden fraværsperiode i et halvt år",
        "Vi forventer, at vi opdager det, der slider, før det bliver til langt fravær.",
        "Områdeleder Hanne Dahl",
        date(2026, 6, 1),
        date(2026, 11, 30),
        date(2026, 8, 31),
        date(2026, 12, 15),
        "i_gang",
        date(2026, 6, 1),
        ["fravaer"],
    ),
    "struktur": (
        "ro",
        "Samme struktur for de første fem minutter af hver time på mellemtrinnet",
        "Vi forventer, at timerne kommer roligere i gang, og at færre sendes ud.",
        "Skoleleder Anne Holm",
        date(2026, 3, 2),
        date(2026, 6, 19),
        date(2026, 4, 20),
        date(2026, 6, 25),
        "afsluttet",
        date(2026, 6, 19),
        ["udsendt", "igang"],
    ),
    "frikvarter": (
        "ro",
        "Elever fra 6. klasse leder lege i frikvarteret før tredje lektion",
        "Vi forventer, at eleverne kommer mere rolige ind fra frikvarteret.",
        "Lærer Jakob Riis",
        date(2026, 8, 17),
        date(2026, 12, 18),
        date(2026, 10, 30),
        date(2027, 1, 8),
        "i_gang",
        date(2026, 8, 17),
        ["udsendt"],
    ),
}
# prøvehandling key -> [(type, date, effect, læring)]: the evaluations that were held.
# Overdue on 6 December 2026: «maalkort» and «frikvarter» (undervejs); due soon: «samtale».
EVALUERINGER_2026: dict[str, list[tuple[str, date, str, str]]] = {
    "booking": [
        (
            "undervejs",
            date(2026, 5, 4),
            "Ventetiden er faldet med fire dage. De unge går fra samtalen med en aftale.",
            "Det kræver, at konsulenterne kan se tilbuddenes kalendere under samtalen.",
        ),
        (
            "afslutning",
            date(2026, 7, 14),
            "Ventetiden ligger nu omkring 25 dage mod 31 før. Arbejdsgangen er blevet fast.",
            "Det er aftalen i samtalen, ikke et nyt system, der gør forskellen.",
        ),
    ],
    "sms": [
        (
            "undervejs",
            date(2026, 6, 3),
            "Færre bliver væk, men sms'en kommer for sent, når tilbuddet starter om morgenen.",
            "Sms'en sendes nu kl. 15 dagen før i stedet for om aftenen.",
        ),
        (
            "afslutning",
            date(2026, 10, 14),
            "Udeblivelserne er faldet fra 18 % til omkring 11 %. De unge spørger selv efter"
            " beskeden.",
            "Vi fortsætter i 2027 og lader ungdomsskolen sende den samme besked.",
        ),
    ],
    "foerstebesoeg": [
        (
            "undervejs",
            date(2026, 5, 19),
            "Borgerne oplever færre nye ansigter i starten. Besøgene tager længere tid.",
            "Planlæg det fælles besøg på en fast ugedag, så terapeuterne kan nå det.",
        ),
        (
            "afslutning",
            date(2026, 9, 16),
            "Flere klarer badet selv efter tre måneder (fra 34 % til over 40 %).",
            "Det fælles første besøg bliver en fast del af opstarten fra 2027.",
        ),
    ],
    "makkerpar": [
        (
            "undervejs",
            date(2026, 4, 16),
            "Ruterne kan ikke planlægges med faste par, når der er sygdom; parrene blev"
            " splittet hver uge.",
            "Vi stopper forsøget og prøver i stedet noget, der ikke afhænger af ruteplanen.",
        ),
    ],
    "samtale": [
        (
            "undervejs",
            date(2026, 9, 2),
            "Samtalerne opleves som omsorg. To medarbejdere har fået tilpasset deres ruter.",
            "Samtalen virker bedst, når den holdes inden for en uge efter fraværet.",
        ),
    ],
    "struktur": [
        (
            "undervejs",
            date(2026, 4, 22),
            "Færre elever sendes ud. Lærerne bruger strukturen forskelligt fra klasse til klasse.",
            "En fælles plakat i alle klasselokaler gør det lettere for vikarerne.",
        ),
        (
            "afslutning",
            date(2026, 6, 24),
            "Antallet af udsendte elever er faldet fra 47 til 33 om måneden.",
            "Strukturen skal præsenteres for nye lærere ved skoleårets start.",
        ),
    ],
}
# (prøvehandling key or None, målplan enhed or None, date, text, who)
LAERING_2026: list[tuple[str | None, str | None, date, str, str]] = [
    (
        "booking",
        None,
        date(2026, 4, 10),
        "Når konsulenten ringer til tilbuddet under samtalen, føler den unge sig ventet.",
        "Ali Yilmaz",
    ),
    (
        "sms",
        None,
        date(2026, 8, 21),
        "En sms med et navn virker bedre end en sms med en adresse.",
        "Rikke Due",
    ),
    (
        "makkerpar",
        None,
        date(2026, 4, 20),
        "Et forsøg, der afhænger af ruteplanen, holder ikke i en måned med mange syge."
        " Det var godt at stoppe i tide.",
        "Hanne Dahl",
    ),
    (
        "struktur",
        None,
        date(2026, 9, 11),
        "Strukturen forsvinder, når lærerne skifter; den skal læres igen hvert år.",
        "Anne Holm",
    ),
    (
        None,
        "Jobcenteret",
        date(2026, 11, 20),
        "Ventetiden faldt mest i de måneder, hvor ungdomsskolen var med. Det tager vi med"
        " ind i målet for 2027.",
        "Ali Yilmaz",
    ),
    (
        None,
        "Hjemmeplejen",
        date(2026, 10, 29),
        "Borgerne træner mere, når målet er deres eget. Medarbejderne skal øve sig i at spørge"
        " i stedet for at foreslå.",
        "Hanne Dahl",
    ),
    (
        None,
        "Nordlys Skole",
        date(2026, 11, 27),
        "De små, faste rutiner virker bedre end de store kampagner. Elevrådet vil selv være"
        " med til at lave frikvartersaktiviteterne.",
        "Anne Holm",
    ),
]
# mål key -> [(niveau, partner enheder, forventningsafstemning, rollefordeling, mål)]
SAMARBEJDER_2026: dict[str, list[tuple[str, list[str], str, str, str]]] = {
    "tilbud": [
        (
            "samskabelse",
            ["Ungdomsskolen"],
            "Den unge skal møde én indgang, ikke to.",
            "Jobcenteret holder samtalen; ungdomsskolens vejleder deltager og booker tilbuddet.",
            "Ungdomsskolens vejleder er med ved halvdelen af de første samtaler.",
        ),
    ],
    "bad": [
        (
            "koordination",
            ["Træningscenteret"],
            "Terapeuterne og hjemmehjælperne bruger samme træningsmål for borgeren.",
            "Træningscenteret skriver målet sammen med borgeren; hjemmeplejen følger op.",
            "Alle nye forløb har ét fælles mål fra første uge.",
        ),
    ],
}


# Store.create inside one action (the demo's lederdag and its year are one action each, which
# keeps the demo quick to build: every action is a transaction made durable on disk).
Create = Callable[..., str]


def _build_lederdag(
    create: Create,
    enheder: dict[str, str],
    maalsaetninger: dict[str, str],
    maal: dict[str, str],
    ids: dict[str, str],
) -> None:
    """The lederdag before del 1: each bord's målsætninger, the mål the leaders wrote for them
    (with their possible partners, set on the mål) and the leaders at the bord."""
    titel, dato, udfordring = LEDERDAG
    dag = create(
        "udviklingsdag",
        titel=titel,
        dagdel="lederdag",
        dato=dato,
        starttid="08:30",
        udfordring=udfordring,
        sted="Byrådssalen",
    )
    ids["dag:lederdag"] = dag
    for block, minutter in PROGRAM_LEDERDAG:
        create("programblok", udviklingsdag_id=dag, titel=block, minutter=minutter)
    for navn, facilitator, ms_keys, maal_keys, leaders in LEDERDAG_BORDE:
        bord = create(
            "bord",
            udviklingsdag_id=dag,
            navn=navn,
            facilitator=facilitator,
            maalsaetning_ids=[maalsaetninger[k] for k in ms_keys],
            maal_ids=[maal[k] for k in maal_keys],
        )
        ids[f"bord:lederdag:{navn[:6]}"] = bord
        for person, enhed in leaders:
            create(
                "deltager",
                bord_id=bord,
                navn=person,
                enhed_id=enheder[enhed],
                rolle="leder",
            )


def _build_year_2026(
    create: Create, enheder: dict[str, str], politikker: dict[str, str], ids: dict[str, str]
) -> None:
    """Last year's plans for three enheder, followed from March to now: målinger every month,
    observations, prøvehandlinger with their status, the evaluations held (two are overdue,
    one is due soon), læring and samarbejder."""
    maalsaetninger = {
        key: create(
            "maalsaetning",
            tekst=tekst,
            kilde="politik" if politik else "budgetaftale",
            politik_id=politikker[politik] if politik else None,
            aar=2026,
        )
        for key, (politik, tekst) in MAALSAETNINGER_2026.items()
    }
    plans = {
        enhed: create(
            "maalplan",
            enhed_id=enheder[enhed],
            aar=2026,
            titel=f"Målplan 2026 for {enhed}",
            ansvarlig=ansvarlig,
            status_foer="godkendt",
            status_del1="godkendt",
            status_del2="godkendt",
            status_efter="udfyldt",
            plan_a=[1, 6, 8],
        )
        for enhed, ansvarlig in MAALPLANER_2026.items()
    }
    maal = {
        key: create(
            "maal",
            maalsaetning_id=maalsaetninger[ms],
            enhed_id=enheder[enhed],
            maalplan_id=plans[enhed],
            tekst=tekst,
            fra_aar=2026,
            til_aar=2026,
            ansvarlig=ansvarlig,
            plan_a=[1, 6],
        )
        for key, (ms, enhed, tekst, ansvarlig) in MAAL_2026.items()
    }
    tegn = {
        key: create(
            "tegn",
            maal_id=maal[m],
            type=kind,
            tekst=tekst,
            datakilde=kilde,
            baseline=baseline,
            forventet_niveau=forventet,
        )
        for key, (m, kind, tekst, kilde, baseline, forventet) in TEGN_2026.items()
    }
    # A month's figures typed in one go, as the tovholder does at the end of the month.
    for key, (hvem, series) in MAALINGER_2026.items():
        for month, value in series:
            create(
                "maaling",
                tegn_id=tegn[key],
                dato=date(2026, month, 28),
                vaerdi=value,
                kilde=TEGN_2026[key][3],
                hvem=hvem,
            )
    for key, (hvem, notes) in OBSERVATIONER_2026.items():
        for dato, observation in notes:
            create(
                "maaling",
                tegn_id=tegn[key],
                dato=dato,
                observation=observation,
                kilde=TEGN_2026[key][3],
                hvem=hvem,
            )
    proevehandlinger: dict[str, str] = {}
    for key, row in PROEVEHANDLINGER_2026.items():
        m, tekst, forv, ansv, start, slut, ev1, ev2, status, status_dato, watch = row
        proevehandlinger[key] = create(
            "proevehandling",
            maal_id=maal[m],
            tekst=tekst,
            forventning=forv,
            ansvarlig=ansv,
            start=start,
            slut=slut,
            evaluering_undervejs=ev1,
            evaluering_afslutning=ev2,
            status=status,
            status_dato=status_dato,
            tegn_ids=[tegn[t] for t in watch],
        )
        ids[f"proevehandling:2026:{key}"] = proevehandlinger[key]
    for key, evaluations in EVALUERINGER_2026.items():
        for kind, dato, effekt, laering in evaluations:
            create(
                "evaluering",
                proevehandling_id=proevehandlinger[key],
                type=kind,
                dato=dato,
                effekt=effekt,
                laering=laering,
            )
    for ph, plan, dato, tekst, hvem in LAERING_2026:
        create(
            "laering",
            proevehandling_id=proevehandlinger[ph] if ph else None,
            maalplan_id=plans[plan] if plan else None,
            dato=dato,
            tekst=tekst,
            hvem=hvem,
        )
    for key, samarbejder in SAMARBEJDER_2026.items():
        for niveau, partners, afstemning, roller, maal_for in samarbejder:
            create(
                "samarbejde",
                maal_id=maal[key],
                niveau=niveau,
                partner_ids=[enheder[p] for p in partners],
                forventningsafstemning=afstemning,
                rollefordeling=roller,
                maal_for_samarbejdet=maal_for,
            )
    ids.update({f"maalplan:2026:{k}": v for k, v in plans.items()})
    ids.update({f"maal:2026:{k}": v for k, v in maal.items()})
    ids.update({f"tegn:2026:{k}": v for k, v in tegn.items()})


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
    # The 2027 plan's one prøvehandling that started this autumn.
    store.update(
        "proevehandling",
        ids["proevehandling:sygefravaer"],
        status="i_gang",
        status_dato=date(2026, 9, 1),
    )
    with store.action() as tx:
        _build_lederdag(partial(store.create, tx=tx), enheder, maalsaetninger, maal, ids)
    with store.action() as tx:
        _build_year_2026(partial(store.create, tx=tx), enheder, politikker, ids)

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
    # --- issue 16 H8 ---
    # mål key -> (målopfyldelse, day of August 2026, who, why): the August status of 2026.
    vurderinger_2026: dict[str, tuple[str, int, str, str]] = {
        "tilbud": (
            "opfyldt",
            14,
            "Teamleder Ali Yilmaz",
            "Snittet er 24 dage, men det trækkes op af nogle få lange forløb; de fleste unge er nu"
            " i gang inden for 21 dage, og færre bliver væk fra det første tilbud.",
        ),
        "bad": (
            "delvist",
            18,
            "Områdeleder Hanne Dahl",
            "Vi er gået fra 34 % til 46 %, der klarer badet selv; halvdelen er tæt på, men ikke"
            " nået.",
        ),
        "sygdom": (
            "ikke_endnu",
            18,
            "Områdeleder Hanne Dahl",
            "Fraværet er faldet lidt, men ligger stadig omkring 7,2 %; de faste makkerpar måtte"
            " stoppe, og samtalerne er kun lige begyndt.",
        ),
        "ro": (
            "for_tidligt",
            21,
            "Skoleleder Anne Holm",
            "Tallet faldt hele foråret, men der er intet tal for juli, og efter ferien skal de nye"
            " lærere først lære strukturen; vi ved mere til jul.",
        ),
    }
    # The tovholdere's assessments of the 2026 mål for the August status.
    with store.action() as tx:
        for key, (opfyldelse, day, hvem, begrundelse) in vurderinger_2026.items():
            store.create(
                "vurdering",
                maal_id=ids[f"maal:2026:{key}"],
                aar=2026,
                maalopfyldelse=opfyldelse,
                begrundelse=begrundelse,
                dato=date(2026, 8, day),
                hvem=hvem,
                tx=tx,
            )
    # --- end H8 ---
    # --- issue 16 H9 ---
    # The difference each workplace wants to make on its chosen Plan A indicators (1, 6, 8),
    # for the Plan A posters of 2026 and 2027.
    forskelle: dict[str, dict[int, str]] = {
        "Jobcenteret": {
            1: "Hver medarbejder kan forklare, hvordan samtalen med den unge i dag hænger"
            " sammen med byrådets mål om, at flere unge kommer i job eller uddannelse.",
            6: "Vi holder fast i det lave sygefravær ved at tale om arbejdspresset på hvert"
            " teammøde, ikke først når nogen er gået ned.",
            8: "Sagsbehandlere, UU-vejledere og virksomhedskonsulenter mødes om den unge i"
            " samme uge, så ingen skal fortælle sin historie tre gange.",
        },
        "Hjemmeplejen": {
            1: "Rehabilitering er ikke et projekt ved siden af: det er sådan, vi planlægger"
            " hvert besøg hos en ny borger.",
            6: "Færre sygedage, fordi vi planlægger ruterne, så der er tid til at spise og"
            " til at spørge en kollega til råds.",
            8: "Terapeuter og hjælpere lægger planen for borgeren sammen i den første uge,"
            " i stedet for at sende opgaver frem og tilbage.",
        },
        "Nordlys Skole": {
            1: "Lærere og pædagoger ved, hvilket af kommunens mål den enkelte indsats i"
            " klassen arbejder for, og kan sige det til forældrene.",
            6: "En skoledag, hvor både elever og voksne har det godt: rolige overgange,"
            " pauser der holder, og plads til at sige fra.",
            8: "PPR, sundhedsplejen og klasseteamet har faste møder om de elever, der har"
            " brug for flere voksne omkring sig.",
        },
    }
    plan_ids = [(ids.get(f"maalplan:2026:{enhed}"), enhed) for enhed in forskelle] + [
        (maalplaner.get(enhed), enhed) for enhed in forskelle
    ]
    with store.action() as tx:
        for plan_id, enhed in plan_ids:
            if plan_id is None:
                continue
            for indikator, forskel in forskelle[enhed].items():
                store.create(
                    "plan_a_forskel",
                    maalplan_id=plan_id,
                    indikator=indikator,
                    forskel=forskel,
                    tx=tx,
                )
    # --- end H9 ---
    # --- issue 16 H10 ---
    # --- end H10 ---
    # The lederdag comes first by date; the home screen opens on today's workshop.
    store.set_setting(settings.CHOSEN_UDVIKLINGSDAG.key, dage["del1"])
    ids.update({f"maal:{k}": v for k, v in maal.items()})
    ids.update({f"dag:{k}": v for k, v in dage.items()})
    return ids
