"""Every text the terminal UI shows, in one place so it can be reviewed (and translated)
together. Texts with {placeholders} are filled with `.format()`; user text is never put into
Rich markup (screens build `rich.text.Text` from these)."""

from __future__ import annotations

APP_TITLE = "Udviklingsdag"

# --- loading and errors ----------------------------------------------------------------------
LOADING = "Åbner databasen …"
LOADING_WHERE = "Database: {target}"
DB_ERROR_TITLE = "Databasen kan ikke åbnes"
DB_ERROR_HINT = (
    "Intet er ændret i filen. Ret det, der står ovenfor, og start programmet igen. "
    "Tryk Ctrl+Q for at lukke."
)
UNEXPECTED_ERROR = (
    "Der skete en uventet fejl ({kind}). Det, der allerede er vist som gemt, er gemt. "
    "Prøv igen; sker det igen, så skriv fejlen ned til tovholderen."
)
NOT_SAVED = "Ikke gemt: {message}"
MODULE_MISSING = "{what} er ikke en del af denne version af programmet endnu."

# --- save indicator --------------------------------------------------------------------------
SAVED_AT = "Gemt {time}"
SAVING = "Gemmer …"
NOTHING_SAVED_YET = "Intet ændret endnu"
NEEDS_FIELD = "udfyld «{label}» først"

# --- bindings: (description, tooltip) --------------------------------------------------------
B_HELP = ("Hjælp", "Vis hjælp til det, du står i (F1 eller Ctrl+G)")
B_QUIT = ("Luk", "Luk programmet. Alt, der er skrevet, gemmes først.")
B_UNDO = ("Fortryd", "Fortryd den seneste gemte ændring (Ctrl+Z; F2 virker også i tekstfelter)")
B_THEME = ("Lys/mørk", "Skift mellem lyst og mørkt tema (godt på en projektor)")
B_TIMER = ("Start/pause", "Start eller sæt uret på pause for det aktuelle programpunkt")
B_NEXT = ("Næste punkt", "Gå videre til næste programpunkt og start uret")
B_BACK = ("Tilbage", "Gå et skridt tilbage")
B_ADD = ("Ny", "Tilføj en ny (A eller Insert)")
B_EDIT = ("Ret", "Ret den valgte (Enter eller E)")
B_DELETE = ("Slet", "Slet den valgte (D eller Delete). Kan fortrydes.")
B_UP = ("Flyt op", "Flyt den valgte op (Shift+↑ eller Ctrl+↑)")
B_DOWN = ("Flyt ned", "Flyt den valgte ned (Shift+↓ eller Ctrl+↓)")
B_FILTER = ("Søg", "Filtrér målene: skriv for at søge (/)")
B_OPEN = ("Åbn", "Åbn det valgte")
B_PROGRAM = ("Program", "Vis dagens program og uret (F3 eller Ctrl+O)")
B_CLOSE_DAY = (
    "Afslut dagen",
    "Tjek hvad der mangler og skriv overdragelsesfilen (F9 eller Ctrl+F)",
)
B_QR = ("QR-kode", "Vis en QR-kode med målet og prøvehandlingerne, som deltagerne kan scanne")
B_DONE = ("Færdig", "Luk formularen; alt er allerede gemt (Esc eller Ctrl+S)")
B_PREPARE = ("Forbered", "Forbered udviklingsdage, organisation, mål og borde (tovholder)")
B_RENAME = ("Navngiv bærbar", "Giv denne bærbar et navn, der følger med dens data")
B_NEW_MAALSAETNING = ("Ny målsætning", "Tilføj en ny målsætning (M)")
B_NEW_TOP = ("Nyt øverste niveau", "Tilføj et direktørområde eller en stab (O)")
B_CONSOLIDATION = ("Konsolidering", "Saml data fra facilitatorernes bærbare og se konflikter")
B_EXPORT = ("Eksport til SBSYS", "Lav målplanerne klar til SBSYS")
B_PALETTE = ("Kommandoer", "Søg blandt alle kommandoer (Ctrl+P)")
B_CONFIRM = ("Ja", "Bekræft")
B_CANCEL = ("Nej", "Fortryd")

# --- home ------------------------------------------------------------------------------------
HOME_TITLE = "Vælg udviklingsdag og bord"
HOME_DEVICE = "Denne bærbar: {name}"
HOME_DB = "Database: {target}"
HOME_COUNTS = (
    "{maal} mål · {tegn} tegn · {proevehandlinger} prøvehandlinger · "
    "{samarbejder} samarbejder · {enheder} enheder"
)
HOME_DAYS = "Udviklingsdage"
HOME_TABLES = "Borde"
HOME_NO_DAYS = (
    "Der er ingen udviklingsdage endnu. Tryk F på tastaturet (Forbered) for at lave en, "
    "eller importér en målplanskabelon."
)
HOME_NO_TABLES = "Dagen har ingen borde endnu. Tilføj dem under Forbered."
HOME_PICK_TABLE = "Vælg et bord og tryk Enter."
HOME_DAY_LINE = "{titel}"
HOME_DAY_META = "{del} · {dato} · {borde} borde"
HOME_TABLE_META = "Facilitator: {facilitator} · {maal} mål"
HOME_NO_FACILITATOR = "ikke valgt"
HOME_BUTTON_OPEN = "Åbn bordet"
HOME_BUTTON_PREPARE = "Forbered (tovholder)"
HOME_BUTTON_CONSOLIDATION = "Konsolidering"
HOME_BUTTON_EXPORT = "Eksport til SBSYS"
NO_DATE = "ingen dato"

NAME_DEVICE_TITLE = "Giv denne bærbar et navn"
NAME_DEVICE_TEXT = (
    "Navnet følger med alt, hvad der skrives på denne bærbar, så tovholderen kan se, hvor "
    "data kommer fra. Skriv fx bordets nummer og dit navn."
)
NAME_DEVICE_PLACEHOLDER = "fx Bord 3 - Jens"
NAME_DEVICE_OK = "Gem navnet"
DEVICE_RENAMED = "Bærbaren hedder nu «{name}»."

# --- programme and timer ---------------------------------------------------------------------
PROGRAM_TITLE = "Dagens program"
PROGRAM_NONE = "Dagen har intet program endnu."
PROGRAM_NO_DAY = "Vælg først en udviklingsdag på forsiden."
TIMER_IDLE = "Uret er ikke startet · F5 starter"
TIMER_LEFT = "{title} · {time} tilbage"
TIMER_OVER = "{title} · {time} over tid"
TIMER_PAUSED = " (pause)"
TIMER_DONE = "Programmet er slut"
TIMER_BLOCK_LINE = "{start}  {title}  ({minutes} min)"
TIMER_STARTED = "Uret kører: {title}"
TIMER_PAUSED_NOTE = "Uret er sat på pause."
TIMER_NEXT = "Næste punkt: {title}"
TIMER_LAST = "Det var sidste punkt på programmet."

# --- table -----------------------------------------------------------------------------------
TABLE_TITLE = "{bord} · {dag}"
TABLE_FACILITATOR = "Facilitator: {name}"
TABLE_PROGRESS_DEL1 = "{done} af {total} mål har tegn"
TABLE_PROGRESS_DEL2 = "{done} af {total} mål har prøvehandlinger"
TABLE_FILTER_PLACEHOLDER = "Skriv for at filtrere målene …"
TABLE_NO_MAAL = "Bordet har ingen mål endnu. Tovholderen tilføjer dem under Forbered."
TABLE_NO_MATCH = "Ingen mål passer til «{query}»."
TABLE_COUNTS = "{tegn} tegn · {proeve} prøveh. · {samarb} samarb."
TABLE_NOTES = "Noter for bordet"
TABLE_NOT_FOUND = "Bordet findes ikke længere. Vælg et andet på forsiden."
MARK_DONE = "✓"
MARK_MISSING = "·"

# --- mål -------------------------------------------------------------------------------------
MAAL_MAALSAETNING = "Målsætning: {tekst}"
MAAL_META = "Enhed: {enhed} · Ansvarlig: {ansvarlig}"
MAAL_NOT_FOUND = "Målet findes ikke længere (måske er det slettet eller fortrudt)."
TAB_TEGN = "Tegn ({n})"
TAB_PROEVE = "Prøvehandlinger ({n})"
TAB_SAMARB = "Samarbejder ({n})"
TAB_NOTES = "Noter"
EMPTY_TEGN = "Ingen tegn endnu. Tryk A for at tilføje et."
EMPTY_PROEVE = "Ingen prøvehandlinger endnu. Tryk A for at tilføje en."
EMPTY_SAMARB = "Ingen samarbejder endnu. Tryk A for at tilføje et."
TEGN_META = "{type} · {datakilde}"
PROEVE_META = "Ansvarlig: {ansvarlig} · {periode}"
PROEVE_FOLLOWS = " · følger {n} tegn"
SAMARB_META = "{niveau} · med {partnere}"
NO_PARTNERS = "ingen partnere valgt"
UNKNOWN = "ikke angivet"
NOTE_TYPES = {"note": "Noter", "parkering": "Parkeringsplads", "laering": "Læring"}
DELETED_ITEM = "{what} er slettet. Tryk Ctrl+Z (eller F2) for at fortryde."
UNDONE = "Fortrudt: {description}."
NOTHING_TO_UNDO = "Der er ikke mere at fortryde."
MOVED_EDGE = "Den står allerede yderst."

# --- forms -----------------------------------------------------------------------------------
FORM_NEW = "Ny {what}"
FORM_EDIT = "Ret {what}"
FORM_DONE = "Færdig"
FORM_HINT = "Alt gemmes, mens du skriver. Esc lukker."
DATE_PLACEHOLDER = "dd-mm-åååå"
TIME_PLACEHOLDER = "tt:mm"
NIVEAU_PICK = "Vælg niveau (Enter):"
PARTNER_PLACEHOLDER = "Skriv navnet på en enhed og tryk Enter …"
PARTNER_UNKNOWN = "«{name}» er ikke en enhed i organisationen. Vælg et af forslagene."
PARTNER_HINT = "Valgte partnere (markér og tryk Delete for at fjerne):"
NO_CHOICE = "(ingen)"
TEGN_NONE = "Målet har ingen tegn endnu."
BORD_MAAL_HINT = "Markér bordets mål med mellemrum:"
FORM_ROW_GONE = "Det, du redigerede, er fortrudt eller slettet. Formularen lukkes."

# --- prepare ---------------------------------------------------------------------------------
PREP_TITLE = "Forberedelse (tovholder)"
PREP_TAB_DAYS = "Udviklingsdage"
PREP_TAB_PROGRAM = "Program"
PREP_TAB_ORG = "Organisation"
PREP_TAB_MAAL = "Målsætninger og mål"
PREP_TAB_TABLES = "Borde"
PREP_FOR_DAY = "For: {titel}"
PREP_PICK_DAY = "Vælg først en udviklingsdag under «Udviklingsdage»."
PREP_EMPTY = "Her er tomt. Tryk A for at tilføje."
PREP_DAY_META = "{del} · {dato} · start {starttid}"
PREP_BLOCK_LINE = "{start}  {titel} ({minutter} min)"
PREP_TABLE_META = "Facilitator: {facilitator} · {maal} mål"
PREP_MAAL_META = "{enhed} · {ansvarlig}"
PREP_NEED_MAALSAETNING = "Tilføj først en målsætning (M), og vælg den, før du tilføjer mål."

# --- close the day ---------------------------------------------------------------------------
CLOSE_TITLE = "Afslut dagen"
CLOSE_RULE_DEL1 = "Dagens regel (del 1): hvert mål skal have mindst ét tegn."
CLOSE_RULE_DEL2 = "Dagens regel (del 2): hvert mål skal have mindst én prøvehandling."
CLOSE_ALL_DONE = "Alle {n} mål opfylder dagens regel."
CLOSE_MISSING = "{n} mål mangler noget:"
CLOSE_MISSING_TEGN = "mangler tegn"
CLOSE_MISSING_PROEVE = "mangler prøvehandling"
CLOSE_FOLDER = "Mappe til overdragelsesfilen (fx et USB-stik):"
CLOSE_WRITE = "Skriv overdragelsesfilen"
CLOSE_WRITING = "Skriver overdragelsesfilen …"
CLOSE_WRITTEN = "Overdragelsesfilen er skrevet:"
CLOSE_NO_FOLDER = "Mappen «{path}» findes ikke. Vælg en mappe, der findes (sæt USB-stikket i)."
CLOSE_NOT_AVAILABLE = (
    "Overdragelsesfilen kan ikke skrives i denne version af programmet endnu. "
    "Dine data er gemt i databasen."
)
CLOSE_BROWSE = "Vælg mappe nedenfor, eller skriv stien:"

# --- take-away QR ----------------------------------------------------------------------------
QR_TITLE = "Tag målet med: scan koden"
QR_SHORTENED = (
    "Teksten var for lang til en QR-kode, der kan ses på skærmen, så den er forkortet. "
    "Gør vinduet større for at få mere med."
)
QR_TOO_SMALL = "Vinduet er for lille til en QR-kode, der kan scannes. Gør det større."
QR_FULL = "Koden indeholder hele teksten herunder."
QR_CLOSE = "Esc lukker."

# --- confirm ---------------------------------------------------------------------------------
CONFIRM_DELETE = "Slet {what}?\n\n{text}"

# --- command palette -------------------------------------------------------------------------
CMD = {
    "home": ("Forside: vælg dag og bord", "Gå til forsiden"),
    "table": ("Bordets mål", "Gå til målene for det valgte bord"),
    "program": ("Dagens program og ur", "Vis programmet og styr uret"),
    "prepare": ("Forbered udviklingsdag (tovholder)", "Dage, program, organisation, mål, borde"),
    "close_day": ("Afslut dagen", "Tjekliste og overdragelsesfil til USB-stik"),
    "consolidation": ("Konsolidering", "Saml data fra bærbarene, se konflikter og huller"),
    "export": ("Eksport til SBSYS", "Målplaner klar til SBSYS"),
    "theme": ("Skift lyst/mørkt tema", "Godt på en projektor"),
    "undo": ("Fortryd seneste ændring", "Fortryder den seneste gemte ændring"),
    "timer": ("Start eller pause uret", "Uret for det aktuelle programpunkt"),
    "next": ("Næste programpunkt", "Gå videre i programmet"),
    "rename": ("Navngiv denne bærbar", "Navnet følger med dens data"),
    "help": ("Hjælp", "Hjælp til det, du står i"),
    "quit": ("Luk programmet", "Alt er gemt"),
}

# --- help (Markdown; our own text only) ------------------------------------------------------
HELP_TITLE = "Hjælp"
HELP_CLOSE = "Esc eller F1 lukker hjælpen."

HELP_CONCEPTS = """\
## Ordene i programmet

**Mål**: en konkret situation, som en arbejdsplads vil nå inden for 1-4 år, og som
flytter den i retning af en politisk **målsætning**.

**Tegn**: det, vi kan se eller måle, som viser, om forandringen hos målgruppen er på vej.
Et tegn kan være **kvantitativt** (tal, fx en andel i en trivselsmåling) eller
**kvalitativt** (det, fagpersoner ser og vurderer, fx at børn selv opsøger en voksen).
Skriv også, hvor data kommer fra, og gerne udgangspunktet og det niveau, I forventer.

**Prøvehandling**: noget, I afprøver, som er gennemtænkt, men hvor I ikke ved, hvordan
det går. Det er i orden, at den ikke virker; det er ikke i orden at gentage det, der ikke
virker. Skriv, hvad I forventer, hvem der er ansvarlig, hvornår den starter og slutter,
om borgerne er med, og hvornår den evalueres (undervejs og til sidst).

**Samarbejde på tværs** sker på ét af tre niveauer:

- **Vidensniveau**: I fortæller hinanden om jeres indsatser, så I kender dem.
- **Koordinationsniveau**: I aftaler, hvordan indsatserne passer sammen, men gør dem hver for sig.
- **Samskabelsesniveau**: I løser den samme opgave sammen, på tværs af enheder og afdelinger.

Et samarbejde kræver en forventningsafstemning, en klar rollefordeling og mål for selve
samarbejdet.
"""

HELP_KEYS = """\
## Taster overalt

| Tast | Gør |
|---|---|
| F1 / Ctrl+G | Hjælp |
| Ctrl+P | Kommandoer (søg efter alt, programmet kan) |
| Ctrl+Z / F2 | Fortryd seneste gemte ændring |
| F5 / Ctrl+R | Start eller pause uret |
| F6 / Ctrl+N | Næste programpunkt |
| F3 / Ctrl+O | Dagens program |
| Ctrl+T | Lyst eller mørkt tema |
| Esc | Tilbage |
| Ctrl+Q | Luk (alt er gemt) |

Alt gemmes, når du forlader et felt eller holder en lille pause i skrivningen.
«Gemt 10:42» øverst til højre viser, hvornår det sidst blev gemt.
"""

HELP = {
    "home": """\
# Forsiden

Vælg den udviklingsdag, du er på, og dit bord. Programmet husker valget til næste gang.
Tryk **Enter** på bordet for at åbne dets mål.

Første gang beder programmet dig om at give bærbaren et navn. Navnet følger med dine data,
så tovholderen kan se, hvilket bord de kommer fra.

Tovholderen forbereder dagen under **Forbered** (tast F).
""",
    "table": """\
# Bordets mål

Målene står under deres målsætning. Mærket foran viser, om målet opfylder dagens regel:
**✓** betyder, at det har det, dagen handler om (tegn på del 1, prøvehandlinger på del 2),
og **·** betyder, at der mangler noget. Tallet øverst viser, hvor langt bordet er.

Skriv for at filtrere listen. **Enter** åbner målet. **F9** afslutter dagen.
""",
    "maal": """\
# Ét mål

Øverst står målet, dets målsætning, enhed og ansvarlig. Nedenunder er faner med tegn,
prøvehandlinger, samarbejder og noter. Skift fane med **←/→** når fanerne har fokus,
eller klik.

I en liste: **A** tilføjer, **Enter** retter, **D** sletter (kan fortrydes),
**Shift+↑/↓** flytter. **K** viser en QR-kode, deltagerne kan scanne.
""",
    "form": """\
# Formularen

Alt gemmes, mens du skriver: når du forlader et felt, eller når du holder en lille pause.
Der står «Gemt» med klokkeslæt øverst, når det er sket. Et nyt tegn, en ny prøvehandling
osv. gemmes første gang, når det vigtigste felt er udfyldt.

Datoer skrives som 24-01-2027. **Tab** går til næste felt, **Esc** lukker.
""",
    "program": """\
# Dagens program

Programpunkterne med planlagte tider. Uret viser tiden tilbage for det punkt, der er i gang.
**F5** starter og sætter på pause, **F6** går til næste punkt. Når tiden er gået, skifter
uret farve og tæller tiden over; det larmer ikke.
""",
    "prepare": """\
# Forberedelse

Her laver tovholderen dagen: udviklingsdagen med program, organisationen, målsætninger og mål
og bordene med facilitator og mål. Skift fane med **←/→** når fanerne har fokus.

**A** tilføjer, **Enter** retter, **D** sletter, **Shift+↑/↓** flytter.
På fanen med mål tilføjer **M** en målsætning og **A** et mål under den valgte målsætning.
På fanen Organisation tilføjer **O** et direktørområde eller en stab, og **A** en enhed
under den valgte.
""",
    "close_day": """\
# Afslut dagen

Tjeklisten viser de mål, der ikke opfylder dagens regel. Du kan gå tilbage og udfylde dem,
eller skrive overdragelsesfilen alligevel.

Overdragelsesfilen samler alt fra denne bærbar. Sæt et USB-stik i, vælg mappen og tryk
**Skriv overdragelsesfilen**. Giv filen til tovholderen.
""",
    "takeaway": """\
# QR-kode til deltagerne

Koden indeholder målet og dets prøvehandlinger med ansvarlig og datoer som almindelig
tekst. Deltagerne scanner den med telefonens kamera; der skal ikke bruges net.
Er teksten for lang, forkortes den, så koden kan scannes. Et større vindue giver plads
til mere tekst.
""",
    "error": """\
# Databasen kan ikke åbnes

Programmet har ikke ændret noget. Læs beskeden, ret årsagen, og start igen.
""",
}
