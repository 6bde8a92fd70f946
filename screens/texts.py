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

# --- save indicator --------------------------------------------------------------------------
SAVED_AT = "Gemt {time}"
SAVING = "Gemmer …"
NOTHING_SAVED_YET = "Intet ændret endnu"
NEEDS_FIELD = "udfyld «{label}» først"

# --- bindings: (description, tooltip) --------------------------------------------------------
B_HELP = ("Hjælp", "Vis hjælp til det, du står i (F1 eller Ctrl+G)")
B_QUIT = ("Luk", "Luk programmet. Alt, der er skrevet, gemmes først.")
QUIT_DRAFTS = (
    "{n} er ikke gemt som rækker endnu (det vigtigste felt mangler), og de forsvinder, når "
    "programmet lukker. Tilføj rækken igen for at hente udkastet frem, eller tryk Ctrl+Q igen "
    "for at afslutte alligevel."
)
QUIT_NOT_SAVED = (
    "Programmet er ikke lukket: det sidste, du skrev, er ikke gemt ({reason}). Ret det, eller "
    "tryk Ctrl+Q igen for at lukke alligevel; så går den tekst tabt."
)
B_UNDO = ("Fortryd", "Fortryd den seneste gemte ændring (Ctrl+Z; F2 virker også i tekstfelter)")
B_THEME = ("Lys/mørk", "Skift mellem lyst og mørkt tema (godt på en projektor)")
B_TIMER = ("Start/pause", "Start eller sæt uret på pause for det aktuelle programpunkt")
B_NEXT = ("Næste punkt", "Gå videre til næste programpunkt og start uret")
B_PREVIOUS = ("Forrige punkt", "Tilbage til programpunktet før, med den tid det havde brugt")
B_BACK = ("Tilbage", "Gå et skridt tilbage")
B_ADD = ("Ny", "Tilføj en ny (Insert eller Ctrl+A)")
B_EDIT = ("Ret", "Ret den valgte (Enter)")
B_DELETE = ("Slet", "Slet den valgte (Delete-tasten). Kan fortrydes med Ctrl+Z.")
B_UP = ("Flyt op", "Flyt den valgte op (Shift+↑ eller Ctrl+↑)")
B_DOWN = ("Flyt ned", "Flyt den valgte ned (Shift+↓ eller Ctrl+↓)")
B_FILTER = ("Søg", "Filtrér målene: skriv for at søge (/)")
B_PROGRAM = ("Program", "Vis dagens program og uret (F3 eller Ctrl+O)")
B_CLOSE_DAY = (
    "Afslut dagen",
    "Tjek hvad der mangler og skriv overleveringsfilen (F9 eller Ctrl+F)",
)
B_QR = (
    "QR-kode",
    "Vis en QR-kode med målet og prøvehandlingerne, som deltagerne kan scanne (Ctrl+K)",
)
B_DONE = ("Færdig", "Luk formularen; alt er allerede gemt (Esc eller Ctrl+S)")
B_PREPARE = ("Forbered", "Forbered udviklingsdage, organisation, mål og borde (tovholder)")
B_RENAME = ("Navngiv bærbaren", "Giv denne bærbare et navn, der følger med dens data")
B_NEW_MAALSAETNING = ("Ny målsætning", "Tilføj en ny målsætning (M)")
B_NEW_TOP = ("Nyt øverste niveau", "Tilføj et direktørområde eller en stab (O)")
B_CONSOLIDATION = ("Konsolidering", "Saml data fra facilitatorernes bærbare og se konflikter")
B_EXPORT = ("Eksport til SBSYS", "Lav målplanerne klar til SBSYS")
B_CONFIRM = ("Ja", "Bekræft")
B_CANCEL = ("Nej", "Fortryd")

# --- home ------------------------------------------------------------------------------------
HOME_TITLE = "Vælg udviklingsdag og bord"
HOME_DEVICE = "Denne bærbare: {name}"
HOME_DB = "Database: {target}"
# Counts come with their noun (`models.words.counted`): «1 prøvehandling», «2 samarbejder».
HOME_COUNTS = "{maal} · {tegn} · {proevehandlinger} · {samarbejder} · {enheder}"
HOME_DAYS = "Udviklingsdage"
HOME_BORDE = "Borde"
HOME_NO_DAYS = (
    "Der er ingen udviklingsdage endnu. Tryk F på tastaturet (Forbered) for at lave en, "
    "eller importér en målplanskabelon."
)
HOME_NO_BORDE = "Dagen har ingen borde endnu. Tilføj dem under Forbered."
HOME_PICK_BORD = "Vælg et bord og tryk Enter."
HOME_DAY_META = "{del} · {dato} · {borde}"
HOME_BORD_META = "Facilitator: {facilitator} · {maal} mål"
HOME_NO_FACILITATOR = "ikke valgt"
HOME_BUTTON_OPEN = "Åbn bordet"
HOME_BUTTON_PREPARE = "Forbered (tovholder)"
HOME_BUTTON_CONSOLIDATION = "Konsolidering"
HOME_BUTTON_EXPORT = "Eksport til SBSYS"
NO_DATE = "ingen dato"

NAME_DEVICE_TITLE = "Giv denne bærbare et navn"
NAME_DEVICE_TEXT = (
    "Navnet følger med alt, hvad der skrives på denne bærbare, så tovholderen kan se, hvor "
    "data kommer fra. Skriv fx bordets nummer og dit navn."
)
NAME_DEVICE_PLACEHOLDER = "fx Bord 3"
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
TIMER_MOVED = "Programmet står nu på «{title}» ({time} tilbage)."
TIMER_MOVED_OVER = "Programmet står nu på «{title}» ({time} over tiden)."
TIMER_MOVED_PAUSED = " Uret står stille; F5 starter det."
TIMER_FIRST = "Programmet står allerede på første punkt."

# --- bord ------------------------------------------------------------------------------------
DAGDEL_SHORT = {"del1": "Del 1", "del2": "Del 2", "lederdag": "Lederdag"}
BORD_FACILITATOR = "Facilitator: {name}"
BORD_PROGRESS_DEL1 = "{done} af {total} mål har tegn"
BORD_PROGRESS_DEL2 = "{done} af {total} mål har prøvehandlinger"
BORD_FILTER_PLACEHOLDER = "Skriv for at filtrere målene …"
BORD_NO_MAAL = "Bordet har ingen mål endnu. Tovholderen tilføjer dem under Forbered."
BORD_NO_MATCH = "Ingen mål passer til «{query}»."
BORD_COUNTS = "{tegn} · {proevehandlinger} · {samarbejder}"
BORD_NOTES = "Noter for bordet"
B_NOTES = ("Noter", "Bordets egne noter: parkeringsplads og læring (F4 eller Ctrl+B)")
BORD_NOT_FOUND = "Bordet findes ikke længere. Vælg et andet på forsiden."
MARK_DONE = "✓"
MARK_MISSING = "·"

# --- mål -------------------------------------------------------------------------------------
MAAL_MAALSAETNING = "Målsætning: {tekst}"
MAAL_META = "Enhed: {enhed} · Ansvarlig: {ansvarlig}"
MAAL_NOT_FOUND = "Målet findes ikke længere (måske er det slettet eller fortrudt)."
TAB_TEGN = "Tegn ({n})"
TAB_PROEVEHANDLING = "Prøvehandlinger ({n})"
TAB_SAMARBEJDE = "Samarbejder ({n})"
TAB_NOTES = "Noter"
# The mål screen's number keys (1-4), in the order of its tabs.
B_MAAL_TABS = (
    ("Tegn", "Vis fanen Tegn (1)"),
    ("Prøvehandlinger", "Vis fanen Prøvehandlinger (2)"),
    ("Samarbejder", "Vis fanen Samarbejder (3)"),
    ("Noter", "Vis fanen Noter (4)"),
)
EMPTY_TEGN = "Ingen tegn endnu. Tryk Insert (eller Ctrl+A) for at tilføje et."
EMPTY_PROEVEHANDLING = "Ingen prøvehandlinger endnu. Tryk Insert (eller Ctrl+A) for at tilføje en."
EMPTY_SAMARBEJDE = "Ingen samarbejder endnu. Tryk Insert (eller Ctrl+A) for at tilføje et."
TEGN_META = "{type} · {datakilde}"
PROEVEHANDLING_META = "Ansvarlig: {ansvarlig} · {periode}"
PROEVEHANDLING_NO_PERIOD = "ingen datoer endnu"
PROEVEHANDLING_FOLLOWS = " · følger {n} tegn"
SAMARBEJDE_META = "{niveau} · med {partnere}"
NO_PARTNERS = "ingen partnere valgt"
UNKNOWN = "ikke angivet"
NOTE_TYPES = {"note": "Noter", "parkering": "Parkeringsplads", "laering": "Læring"}
# Several notes of one kind (merged from several laptops): each shows where it came from.
NOTE_TYPE_COUNT = "{label} ({n})"
NOTE_FROM = "fra {device}, {time}"
NOTE_FROM_HERE = "fra {device} (denne bærbare), {time}"
NOTE_EDITED = " · rettet af {device}, {time}"
NOTE_UNKNOWN_DEVICE = "ukendt bærbar"
NOTE_NEW_HERE = "ny note fra denne bærbare: skriv her"
NOTE_DELETED = "Den tomme note fra {device} er slettet. Tryk F2 for at fortryde."
DELETED_ITEM = "{what} er slettet. Tryk Ctrl+Z (eller F2) for at fortryde."
DELETED_DELTAGER = "Deltageren"  # {what} of DELETED_ITEM
DELETED_EVALUERING = "Evalueringen"
UNDONE = "Fortrudt: {description}."
NOTHING_TO_UNDO = "Der er ikke mere at fortryde."
# Ctrl+Z past what was done since the program was opened: asked first (Enter keeps).
UNDO_OLDER = (
    "Den næste ændring, der kan fortrydes, er lavet på denne bærbare, før programmet blev "
    "åbnet: {description} ({when}). Skal den fortrydes?"
)
UNDO_OLDER_YES = "Fortryd den"
UNDO_OLDER_NO = "Behold"
UNDO_MOVED_ON = (
    "Intet fortrudt: der er ændret noget i mellemtiden. Tryk Ctrl+Z igen for at se, hvad der "
    "står for tur."
)
MOVED_EDGE = "Den står allerede yderst."

# --- deltagere at a bord ----------------------------------------------------------------------
B_DELTAGERE = ("Deltagere", "Hvem sidder ved bordet: navn, enhed og rolle (F7 eller Ctrl+L)")
B_ANONYM = ("Anonymt", "Kør bordet anonymt: navne spørges ikke om og vises ikke (N)")
DELTAGERE_TITLE = "Deltagere · {bord}"
DELTAGER_ANONYM_SWITCH = "Kør bordet anonymt (navne spørges ikke om og vises ikke)"
DELTAGER_ANONYM_ON = (
    "Bordet kører anonymt: der spørges kun om enhed og rolle. Insert (eller A) tilføjer en "
    "deltager med det samme; ret enhed og rolle bagefter."
)
DELTAGER_ANONYM_OFF = (
    "Insert (eller A) tilføjer en deltager, Enter retter, Delete sletter (kan fortrydes)."
)
DELTAGER_ANONYM_NAVN = "Anonym deltager"
DELTAGER_NUMBER = "Deltager {n}"
DELTAGER_META = "{enhed} · {rolle}"
DELTAGER_NO_ENHED = "ingen enhed valgt"
DELTAGERE_EMPTY = "Ingen deltagere endnu. Tryk Insert (eller Ctrl+A) for at tilføje en."
DELTAGERE_SUMMARY = "{n}: {fordeling}"
DELTAGER_ROLLE_COUNT = {
    "leder": ("leder", "ledere"),
    "medarbejder": ("medarbejder", "medarbejdere"),
    "borger": ("borger", "borgere"),
    "anden": ("anden", "andre"),
}
DELTAGERE_SUMMARY_NONE = "Ingen deltagere registreret."
DELTAGERE_NOW_ANONYM = "Bordet kører nu anonymt. Navnene vises ikke."
DELTAGERE_NOW_NAMED = "Bordet kører nu med navne."

# --- evalueringer of a prøvehandling -----------------------------------------------------------
B_EVALUERINGER = ("Evalueringer", "Evalueringer af den valgte prøvehandling (Ctrl+E)")
EVAL_TITLE = "Evalueringer af prøvehandlingen"
EVAL_PLANNED = "Planlagt evaluering: undervejs {undervejs} · afslutning {afslutning}"
EVAL_LINE = "{type} · {dato}"
EVAL_LAERING = "Læring: "
EVAL_EMPTY = "Ingen evalueringer endnu. Tryk Insert (eller Ctrl+A) for at tilføje en."
EVAL_NOT_FOUND = "Prøvehandlingen findes ikke længere (måske er den slettet eller fortrudt)."
EVAL_NEED_PROEVEHANDLING = "Vælg først en prøvehandling på fanen Prøvehandlinger."
PROEVEHANDLING_EVALS = " · {n}"  # «2 evalueringer» (models.words.count)

# --- Plan A ------------------------------------------------------------------------------------
PLAN_A_OPTION = "{n}. {perspektiv}: {tekst}"
PLAN_A_MANDATORY = " (obligatorisk i 2024)"
PLAN_A_HINT = "Markér med mellemrum. I 2024 var indikator 1, 6 og 8 obligatoriske."
PLAN_A_SHORT = "Plan A: {numre}"
PLAN_A_MISSING = "mangler obligatorisk {numre}"

# --- målplaner in Forbered ---------------------------------------------------------------------
PREP_TAB_PLANS = "Målplaner"
PREP_PLAN_META = "{enhed} · {aar} · Ansvarlig: {ansvarlig} · Sag: {sag} · KLE: {kle}"
PREP_PLAN_STATUS = "FØR: {foer} · Del 1: {del1} · Del 2: {del2} · EFTER: {efter}"
PREP_PLAN_MAAL = "{n} mål"
PREP_PLAN_CHOICE = "{titel} ({enhed}, {aar})"

# --- forms -----------------------------------------------------------------------------------
FORM_EDIT = "Ret {what}"
FORM_DONE = "Færdig"
FORM_HINT = "Alt gemmes, mens du skriver. Esc lukker."
DATE_PLACEHOLDER = "dd-mm-åååå"
TIME_PLACEHOLDER = "tt:mm"
NIVEAU_PICK = "Vælg niveau (Enter):"
PARTNER_PLACEHOLDER = "Skriv navnet på en enhed og tryk Enter …"
PARTNER_UNKNOWN = "«{name}» er ikke en enhed i organisationen. Vælg et af forslagene."
PARTNER_HINT = "Valgte partnere (markér og tryk Delete for at fjerne):"
PARTNER_GONE = "(ukendt enhed)"  # a chosen partner that is no enhed now
NO_CHOICE = "(ingen)"
TEGN_NONE = "Målet har ingen tegn endnu."
FORM_ROW_GONE = "Det, du redigerede, er fortrudt eller slettet. Formularen lukkes."
# A save that failed when the form was closed: the form stays open with the text.
FORM_NOT_SAVED = "Ikke gemt: {reason} Formularen bliver åben, så teksten ikke går tabt. {todo}"
FORM_DISK_FULL = "disken er fuld."
FORM_DISK_FULL_TODO = (
    "Frigør plads på disken (flyt eller slet store filer, tøm papirkurven), og tryk Esc igen "
    "for at gemme."
)
FORM_SERVER_DISK_FULL = "disken på databaseserveren er fuld."
FORM_SERVER_DISK_FULL_TODO = (
    "Bed serverens administrator frigøre plads, og tryk Esc igen for at gemme."
)
FORM_SAVE_FAILED = "databasen kunne ikke skrive ({kind})."
FORM_SAVE_FAILED_TODO = (
    "Tryk Esc igen for at prøve igen. Lykkes det ikke, så kopiér teksten et andet sted hen, "
    "før du lukker appen."
)
FORM_SAVE_RETRY_TODO = "Tryk Esc igen for at gemme, når det er rettet."
SAVE_DISK_FULL = "Disken er fuld"

# --- prepare ---------------------------------------------------------------------------------
PREP_TITLE = "Forberedelse (tovholder)"
PREP_TAB_DAYS = "Udviklingsdage"
PREP_TAB_PROGRAM = "Program"
PREP_TAB_ORG = "Organisation"
PREP_TAB_MAAL = "Målsætninger og mål"
PREP_TAB_BORDE = "Borde"
PREP_FOR_DAY = "For: {titel}"
PREP_PICK_DAY = "Vælg først en udviklingsdag under «Udviklingsdage»."
PREP_EMPTY = "Her er tomt. Tryk Insert (eller Ctrl+A) for at tilføje."
PREP_DAY_META = "{del} · {dato} · start {starttid}"
PREP_BLOCK_LINE = "{start}  {titel} ({minutter} min)"
PREP_BORD_META = "Facilitator: {facilitator} · {maal} mål"
PREP_MAAL_META = "{enhed} · {ansvarlig}"
PREP_NEED_MAALSAETNING = "Tilføj først en målsætning (M), og vælg den, før du tilføjer mål."

# --- close the day ---------------------------------------------------------------------------
CLOSE_TITLE = "Afslut dagen"
CLOSE_RULE_DEL1 = "Dagens regel (del 1): hvert mål skal have mindst ét tegn."
CLOSE_RULE_DEL2 = "Dagens regel (del 2): hvert mål skal have mindst én prøvehandling."
CLOSE_ALL_DONE = "Alle {n} mål opfylder dagens regel."
CLOSE_ALL_DONE_ONE = "Målet opfylder dagens regel."
CLOSE_MISSING = "{n} mål mangler noget:"
CLOSE_MISSING_TEGN = "mangler tegn"
CLOSE_MISSING_PROEVEHANDLING = "mangler prøvehandling"
CLOSE_FOLDER = "Mappe til overleveringsfilen (fx et USB-stik):"
CLOSE_WRITE = "Skriv overleveringsfilen"
CLOSE_WRITING = "Skriver overleveringsfilen …"
CLOSE_WRITTEN = "Overleveringsfilen er skrevet:"
CLOSE_WRITE_FAILED = (
    "Filen kunne ikke skrives i {folder}: {reason}. "
    "Tjek at USB-stikket sidder i og ikke er skrivebeskyttet."
)

# --- take-away QR ----------------------------------------------------------------------------
QR_TITLE = "QR-kode til målet"
QR_SHORTENED = (
    "Teksten var for lang til en QR-kode, der kan ses på skærmen, så den er forkortet. "
    "Gør vinduet større for at få mere med."
)
QR_TOO_SMALL = "Vinduet er for lille til en QR-kode, der kan scannes. Gør det større."
QR_FULL = "Koden indeholder hele teksten herunder."
QR_CLOSE = "Esc lukker."

# --- confirm ---------------------------------------------------------------------------------
CONFIRM_DELETE = "Slet {what}?\n\n{text}{also}"

# --- command palette -------------------------------------------------------------------------
CMD = {
    "home": ("Forside: vælg dag og bord", "Gå til forsiden"),
    "bord": ("Bordets mål", "Gå til målene for det valgte bord"),
    "program": ("Dagens program og ur", "Vis programmet og styr uret"),
    "prepare": ("Forbered udviklingsdag (tovholder)", "Dage, program, organisation, mål, borde"),
    "close_day": ("Afslut dagen", "Tjekliste og overleveringsfil til USB-stik"),
    "deltagere": ("Bordets deltagere", "Navn, enhed og rolle; eller kør bordet anonymt"),
    "consolidation": ("Konsolidering", "Saml data fra de bærbare, se konflikter og huller"),
    "export": ("Eksport til SBSYS", "Målplaner klar til SBSYS"),
    "theme": ("Skift lyst/mørkt tema", "Godt på en projektor"),
    "undo": ("Fortryd seneste ændring", "Fortryder den seneste gemte ændring"),
    "timer": ("Start eller pause uret", "Uret for det aktuelle programpunkt"),
    "next": ("Næste programpunkt", "Gå videre i programmet"),
    "rename": ("Navngiv denne bærbare", "Navnet følger med dens data"),
    "help": ("Hjælp", "Hjælp til det, du står i"),
    "quit": ("Luk programmet", "Alt er gemt"),
}

# --- help (Markdown; our own text only) ------------------------------------------------------
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

Bogstavtaster (fx **F** på forsiden) virker også med Shift og Caps Lock. Ingen tast sletter
noget uden at spørge eller uden at kunne fortrydes, og på målets side er bogstaver aldrig
kommandoer.

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

Tovholderen forbereder dagen under **Forbered** (tast **F**), samler bagefter de bærbares
filer under **Konsolidering** (**K**) og eksporterer målplanerne til SBSYS (**X**). Året rundt:
**A** åbner årshjulet, **E** evalueringerne, der forfalder, og **N** giver bærbaren et nyt
navn.
""",
    "bord": """\
# Bordets mål

Målene står under deres målsætning. Mærket foran viser, om målet opfylder dagens regel:
**✓** betyder, at det har det, dagen handler om (tegn på del 1, prøvehandlinger på del 2),
og **·** betyder, at der mangler noget. Tallet øverst viser, hvor langt bordet er.

Skriv for at filtrere listen: bogstaverne havner i søgefeltet, mens **↑↓** og **Enter** stadig
virker i listen. **Backspace** sletter det sidste bogstav, **Esc** rydder søgningen, og **/**
flytter markøren op i søgefeltet. **Enter** åbner målet. **F7** (eller Ctrl+L) viser bordets
deltagere. **F4** viser bordets noter. **F9** afslutter dagen.
""",
    "maal": """\
# Ét mål

Øverst står målet, dets målsætning, enhed og ansvarlig. Nedenunder er faner med tegn,
prøvehandlinger, samarbejder og noter. Skift fane med **←/→** når fanerne har fokus,
eller klik.

Her er bogstaverne ikke kommandoer, så tekst, der skrives ved en fejl, gør ingenting.
I en liste: **Insert** (eller **Ctrl+A**) tilføjer, **Enter** retter, **Mellemrum** viser
hele teksten, **Delete** sletter (programmet spørger først: **Enter** sletter, **Esc**
beholder; kan fortrydes med **Ctrl+Z**), **Shift+↑/↓** flytter. **1**-**4** skifter fane.
**Ctrl+K** viser en QR-kode, deltagerne kan scanne.

På fanen med prøvehandlinger åbner **Ctrl+E** evalueringerne af den valgte prøvehandling.
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
**F5** starter og sætter på pause, **F6** (eller **N**) går til næste punkt. Når tiden er gået,
skifter uret farve og tæller tiden over; det larmer ikke.

Kom du for hurtigt videre, går **P** tilbage til punktet før, og **Enter** på et punkt i listen
gør det til det aktuelle. Punktet tæller videre fra den tid, det havde brugt, og et ur, der
kører, bliver ved med at køre.
""",
    "prepare": """\
# Forberedelse

Her laver tovholderen dagen: udviklingsdagen med program, organisationen, målsætninger og mål
og bordene med facilitator og mål. Skift fane med **←/→**, også fra listen.

**A** tilføjer, **Enter** retter, **Delete** sletter, **Shift+↑/↓** flytter.
På fanen med mål tilføjer **M** en målsætning og **A** et mål under den valgte målsætning.
På fanen Organisation tilføjer **O** et direktørområde eller en stab, og **A** en enhed
under den valgte.

## Målplaner

En målplan er en enheds plan for ét år; den bliver til målplanskabelonen, der journaliseres
i SBSYS. Her skriver du titel, enhed, år, ansvarlig, sagsnummer (fx 00.01.00-G01-12-24) og
KLE-nummer, og du følger de fire ark: **FØR** (chefen, inden udviklingsdagene),
**UNDER del 1**, **UNDER del 2** og **EFTER** (når Chefforum har kvalitetssikret).
Et mål knyttes til sin målplan i målets formular (feltet «Målplan»).

## Plan A

Plan A ser på arbejdspladsen fra tre sider: opgaver, adfærd og struktur, med otte
indikatorer i alt. Markér de indikatorer, en målplan eller et mål bidrager til. I 2024 skal
alle have indikator 1 (sammenhæng fra vision til indsatser), 6 (trivsel og fravær) og
8 (tværfagligt samarbejde i strukturen) med; listen over målplaner siger til, hvis en
2024-plan mangler en af dem.
""",
    "deltagere": """\
# Bordets deltagere

Her skriver du, hvem der sidder ved bordet: navn, hvilken enhed de kommer fra (vælg i
organisationen) og deres rolle (leder, medarbejder, borger eller anden). Det viser
tovholderen bagefter, hvem der var med til at skrive tegn og prøvehandlinger.

Vil bordet ikke have navne på, så slå **Kør bordet anonymt** til (tast **N**, eller
markér feltet med mellemrum). Så spørger programmet kun om enhed og rolle, og listen viser
«Deltager 1», «Deltager 2» osv. i stedet for navne. Navne, der allerede er skrevet, bliver
ikke slettet; de vises bare ikke, så længe bordet er anonymt.

**Insert** (eller **A**) tilføjer, **Enter** retter, **Delete** sletter (kan fortrydes med
Ctrl+Z).
""",
    "evalueringer": """\
# Evalueringer

En prøvehandling evalueres to gange: **undervejs**, mens den er i gang, og ved
**afslutningen**. Skriv, hvornår I evaluerede, hvilken **effekt og værdi** den havde for
borgere, foreninger eller virksomheder, og hvad I har **lært**. Læringen er det vigtigste:
den afgør, om I fortsætter, justerer eller stopper, så I ikke gentager det, der ikke virker.

Datoen foreslås ud fra den evaluering, der er planlagt på prøvehandlingen.
**Insert** (eller **A**) tilføjer, **Enter** retter, **Delete** sletter (kan fortrydes).
""",
    "export": """\
# Eksport til SBSYS

Markér de målplaner, der skal eksporteres (mellemrum). For den målplan, du står på, kan du
rette sagsnummer, DokumentArt og ansvarlig; de gemmes med det samme, og forhåndsvisningen
viser, hvad SBSYS får at vide. Vælg mappen, og tryk **Eksportér** (eller Ctrl+E, også mens
markøren står i et felt; End flytter til slutningen af feltet). På en lille skærm står
oplysningerne under listen: Tab flytter videre, og skærmen ruller med.

Hver målplan bliver sin egen mappe med målplanskabelonen (Excel), et Word-dokument, en PDF
og en fil med oplysningerne til journaliseringen. Går noget galt, efterlades intet halvt.
Har en valgt målplan konflikter, der ikke er løst, siger eksporten hvilke, før den skriver
noget: dokumenterne kan kun vise den ene side.

**SQLite-fil** skriver hele databasen som én fil i mappen (udviklingsdag-ÅÅÅÅ-MM-DD.sqlite)
til analyse; tabellen «dokumentation» i filen forklarer resten.
""",
    "consolidation": """\
# Konsolidering

Her samler tovholderen data fra facilitatorernes bærbare. Tryk **Vælg mappe …** og vælg
mappen med overleveringsfilerne (fx USB-stikket), eller skriv stien til en mappe eller til
filerne og tryk **Enter**. Listen viser hver fil med bærbarens navn, tidspunkt og antal
ændringer; alle er valgt. **Mellemrum** sætter og fjerner krydset ved en fil, **A** vælger
alle til eller fra. En fil, der ikke kan importeres, står på listen med grunden.
**Prøveimport** viser, hvad der er nyt, hvad der ændres, og hvad der er i konflikt, før noget
gemmes. **Importér** gemmer det. Den samme fil to gange gør ingen skade. Mappen huskes til
næste gang.

Fanerne skifter du med **←/→**, når fanebjælken har fokus (**Shift+Tab** fra listen under
den). Fanen **Bærbare** viser for hver bærbar, om alt er kommet med. **Konflikter** er steder,
hvor to bærbare har skrevet forskelligt i samme felt: vælg en og tryk **Enter** for at se
værdierne side om side og vælge. **Huller** viser mål uden tegn eller prøvehandling; **Enter**
åbner målet, så du kan skrive det, der mangler. **Samarbejder** viser, hvilke enheder
samarbejder på hvilket niveau. Tabellerne ruller sidelæns med **→**.
**F5** (eller Ctrl+R) læser databasen igen.
""",
    "close_day": """\
# Afslut dagen

Tjeklisten viser de mål, der ikke opfylder dagens regel. Du kan gå tilbage og udfylde dem,
eller skrive overleveringsfilen alligevel.

Mangler der noget, står markøren i listen over det, der mangler: **Enter** åbner målet, og
**Tab** går videre til mappefeltet.

Overleveringsfilen samler alt fra denne bærbare. Sæt et USB-stik i. I mappefeltet: skriv
stien (den foreslåede er markeret, så det du skriver erstatter den), eller vælg mappen i
listen nedenunder med piletasterne og **Enter**. Tryk **Enter** i feltet eller
**Skriv overleveringsfilen**. Bagefter står filens navn og kontrolsum på skærmen. Giv filen
til tovholderen. Mappen huskes til næste gang.
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

# --- export to SBSYS (screens/export.py) ---
EXPORT_TITLE = "Eksport til SBSYS"
EXPORT_INTRO = (
    "Vælg målplanerne, tjek oplysningerne til journaliseringen, og eksportér. Hver målplan "
    "bliver en mappe med målplanskabelonen (.xlsx), et Word-dokument, en PDF/A og "
    "journalisering.json/.txt. «SQLite-fil» skriver hele databasen som én fil i samme mappe."
)
EXPORT_PLANS = "Målplaner"
EXPORT_NONE = "Der er ingen målplaner i databasen endnu."
EXPORT_META = "Oplysninger til SBSYS for den markerede målplan"
EXPORT_SAGSNUMMER = "Sagsnummer (fx 00.01.00-G01-12-24)"
EXPORT_DOKUMENTART = "DokumentArt (navnet i SBSYS, fx Internt)"
EXPORT_ANSVARLIG = "Ansvarlig"
EXPORT_OUTDIR = "Mappe til eksporten"
EXPORT_ZIP = "Lav også en zip-fil pr. målplan"
EXPORT_DROP = "Skriv SbsysDropFile.xml (til SBSYS' drop-mappe)"
EXPORT_EXPORT = "Eksportér"
EXPORT_SQLITE = "SQLite-fil"
EXPORT_SQLITE_TIP = (
    "Hele databasen som én SQLite-fil i mappen (til analyse i fx DB Browser, Excel eller R)"
)
EXPORT_SQLITE_RUNNING = "Skriver SQLite-filen …"
EXPORT_SQLITE_DONE = (
    "Færdig: SQLite-filen er skrevet: {path} ({rows}). Tabellen «dokumentation» i filen "
    "forklarer tabellerne; visningerne v_maal, v_maalplan, v_proevehandling og v_samarbejde "
    "samler dem."
)
EXPORT_BACK = "Tilbage"
EXPORT_SAVED = "Gemt."
EXPORT_RUNNING = "Eksporterer {n} …"
EXPORT_DONE = "Færdig: {summary} Hver målplan har sin egen mappe (se journalisering.txt i den)."
EXPORT_NO_SELECTION = "Vælg mindst én målplan."
EXPORT_CONFLICTS = (
    "De valgte målplaner har {what}, som ikke er løst:\n{lines}\n\nDokumenterne viser kun den "
    "ene side af hver, og i SBSYS ser det ud, som om sagen er afgjort. Løs dem først under "
    "Konsolidering → Konflikter, eller eksportér alligevel."
)
EXPORT_CONFLICTS_YES = "Eksportér alligevel"
EXPORT_CONFLICTS_NO = "Tilbage"
EXPORT_CONFLICTS_KEPT = "Intet eksporteret. Løs konflikterne under Konsolidering → Konflikter."
EXPORT_NO_OUTDIR = "Skriv hvilken mappe, eksporten skal ligge i."
EXPORT_FAILED = "Eksporten lykkedes ikke: {message}"
EXPORT_UNEXPECTED = "Eksporten stoppede med en uventet fejl ({kind}). Intet halvt er efterladt."
EXPORT_PREVIEW = (
    "DokumentNavn: {navn}\nEmne: {emne}\nEnhed: {enhed}\nAnsvarlig: {ansvarlig}\n"
    "Sagsnummer: {sag}\nDokumentArt: {art}\nIndhold: {maal}, {tegn}, {proevehandlinger}, "
    "{samarbejder}"
)

# --- consolidation (screens/consolidation.py) ---
CONS_TITLE = "Konsolidering"
CONS_INTRO = (
    "Vælg mappen med overleveringsfilerne, sæt kryds ved dem, der skal med, og lav en "
    "prøveimport. Samme fil to gange gør ingen skade."
)
CONS_PATHS = "Mappe eller filer (Enter viser filerne)"
CONS_PREVIEW = "Prøveimport"
CONS_APPLY = "Importér"
CONS_TAB_IMPORT = "Import"
CONS_TAB_DEVICES = "Bærbare"
CONS_TAB_CONFLICTS = "Konflikter"
CONS_TAB_GAPS = "Huller"
CONS_TAB_MATRIX = "Samarbejder"
CONS_NO_PATHS = "Vælg en mappe (Vælg mappe …) eller skriv stien til en mappe eller en fil."
CONS_WORKING = "Læser filerne …"
CONS_IMPORTING = "Importerer …"
CONS_IMPORTED = "Importeret: {new}, {known} i forvejen, {conflicts}."
CONS_NOTHING_TO_IMPORT = "Der er intet at importere: ingen af filerne kunne læses."
CONS_FILES_TITLE = "Importerede filer"
CONS_NO_CONFLICTS = "Ingen åbne konflikter. Alt er flettet uden uenigheder."
CONS_CONFLICTS = "Åbne konflikter: {n}. Vælg en og tryk Enter for at se værdierne side om side."
CONS_RESOLVED = "Konflikten er løst."
CONS_GAPS_TEGN = "Mål uden tegn (hul efter udviklingsdag del 1)"
CONS_GAPS_PROEVEHANDLINGER = "Mål uden prøvehandling (hul efter udviklingsdag del 2)"
CONS_MATRIX = (
    "Enheder og niveau: antal samarbejder enheden er med i (som ejer af målet eller partner)"
)
CONS_ALL_ARRIVED = "Alt modtaget"
CONS_MISSING = "Mangler {n}"
CONS_NO_FILE = "Ingen fil endnu"
CONS_THIS_DEVICE = "denne bærbare"
CONS_KIND_LABELS = {
    "ny": "Ny",
    "ændret": "Ændres",
    "slettet": "Slettes",
    "gendannet": "Gendannes",
    "konflikt": "Konflikt",
}
CONS_CONFLICT_KIND_LABELS = {"felt": "To værdier", "sletning": "Slettet og ændret"}

# --- a conflict side by side (screens/conflict.py) ---
CONFLICT_TITLE = "Konflikt i {entity} «{title}»"
CONFLICT_TITLE_NO_NAME = "Konflikt i {entity}"
CONFLICT_FIELD = "Felt: {field}"
CONFLICT_FIELD_DELETE = (
    "Rækken er slettet på én bærbar og ændret på en anden, uden at de så hinanden."
)
CONFLICT_VALUE = "{field}: {value}"
CONFLICT_FROM = "Fra: {device}"
CONFLICT_TIME = "Tid: {time}"
CONFLICT_BEFORE = "Før: {before}"
CONFLICT_CHOOSE = "Vælg denne"
CONFLICT_KEEP_DELETED = "Behold sletningen"
CONFLICT_RESTORE = "Gendan rækken (med ændringen)"
CONFLICT_NEW_PLACEHOLDER = "Eller skriv en ny værdi …"
CONFLICT_WRITE_NEW = "Gem ny værdi"
CONFLICT_CANCEL = "Annullér"
CONFLICT_HINT = "Dit valg gemmes som en ny ændring; de andre værdier bliver i ændringsloggen."
CONFLICT_B_CANCEL_TIP = "Luk uden at løse konflikten"
CONS_B_BACK = ("Tilbage", "Luk konsolideringen")
CONS_B_REFRESH = ("Opdatér", "Læs databasen og den valgte mappe igen")
CONS_COLS_PREVIEW = ("Hvad", "Række", "Felt", "Før", "Efter")
CONS_COLS_DEVICES = (
    "Bærbar",
    "Borde",
    "Filer",
    "Modtaget",
    "Nye",
    "Kendte",
    "Konflikter",
    "I databasen",
    "Status",
    "Seneste import",
)
CONS_COLS_LEDGER = (
    "Importeret",
    "Fil",
    "Bærbar",
    "Type",
    "Modtaget",
    "Nye",
    "Kendte",
    "Konflikter",
    "SHA-256",
)
CONS_COLS_CONFLICTS = ("Hvad", "Type", "Række", "Felt", "Værdier", "Bærbare")
CONS_COLS_GAPS = ("Mål", "Enhed", "Borde", "Tegn", "Prøvehandlinger", "Målsætning")
CONS_COL_ENHED = "Enhed"
CONS_COL_TOTAL = "I alt"
CONS_KIND_PACK = "Workshop-pakke"
CONS_KIND_HANDOFF = "Overlevering"
CONS_CONFLICTS_TAB_COUNT = "{label} ({n})"
# A failure the app's own checks did not put into words (a bug, or a file nothing foresaw).
CONS_READ_FAILED = (
    "Filerne kunne ikke læses ({kind}: {text}). Intet er ændret i databasen. Tjek, at det er "
    "en overleveringsfil eller workshop-pakke fra programmet, og bed afsenderen om en ny; "
    "sker det igen, så skriv fejlen ned."
)
CONS_IMPORT_FAILED = (
    "Importen lykkedes ikke ({kind}: {text}). Intet er ændret i databasen. Prøv igen; sker "
    "det igen, så skriv fejlen ned, og importér filerne én ad gangen for at finde den, der "
    "giver fejlen."
)
CONS_LOAD_FAILED = (
    "Konsolideringen kunne ikke vises ({kind}: {text}). Intet er ændret. Tryk Ctrl+R for at "
    "prøve igen."
)
CONS_RESOLVE_FAILED = "Konflikten kunne ikke løses ({kind}: {text}). Intet er ændret. Prøv igen."
CONS_CLOCK_WARNING = "⚠ {warning}"
CONS_CLOCK_MARK = " ⚠ uret"
CONS_FOREIGN_TITLE = "Filen kommer fra en anden database"
CONS_FOREIGN_TEXT = (
    "{message}\n\n"
    "En fil fra en anden database kan ikke tages ud igen, når den er importeret. Fortsæt "
    "kun, hvis du ved, at filen hører til her: så vises først, hvad den bringer, og intet "
    "gemmes, før du trykker Importér."
)
CONS_FOREIGN_YES = "Fortsæt alligevel"
CONS_FOREIGN_NO = "Annullér"
CONS_FOREIGN_NO_TIP = "Læs ikke filerne fra den anden database"
CONS_FOREIGN_YES_TIP = "Læs filerne fra den anden database alligevel (Enter)"
CONS_FOREIGN_HINT = "Enter: fortsæt alligevel · Esc: annullér"
CONS_FOREIGN_CANCELLED = "Intet er importeret: filen fra en anden database blev ikke godkendt."
EXPORT_B_BACK_TIP = "Luk eksporten"
EXPORT_B_RUN_TIP = "Eksportér de valgte målplaner"
EXPORT_EMNE = "Målplan {aar} for {enhed}"

# --- issue 14: mulige samarbejdspartnere ---
MULIGE_PARTNERE_SHORT = "Mulige partnere (ikke aftalt): {navne}"
MULIGE_PARTNERE_HINT = (
    "Navne fra lederdagen (FØR), ét pr. linje. Kun idéer, ikke aftaler: et aftalt samarbejde "
    "oprettes på målets fane Samarbejder."
)
HELP["maal"] += """
**Mulige samarbejdspartnere** er de navne, lederne fandt på lederdagen og skrev på FØR-arket.
De er idéer at følge op på, ikke aftaler. Ret dem i målets formular (åbnes fra listen over
mål), ét navn pr. linje.
Et samarbejde på fanen Samarbejder er først noget, der er aftalt, med et niveau.
"""

# --- issue 14: edited kladde back in ---
KLADDE_TITLE = "Indlæs en redigeret kladde"
KLADDE_INTRO = (
    "Vælg en målplan (.xlsx), som programmet har eksporteret, og som nogen har rettet i Excel. "
    "Du ser først, hvad der er ændret. Konflikter (rettet både i filen og her) indlæses ikke: "
    "ret dem i målets formular bagefter. En udfyldt skabelon uden reference kan opdatere en "
    "målplan, du vælger."
)
KLADDE_PATH = "Sti til filen (.xlsx)"
KLADDE_FROM = "Hvem har sendt den (navn)"
KLADDE_DELETE = "Slet også rækker, der er fjernet i filen"
KLADDE_PREVIEW = "Vis ændringer"
KLADDE_APPLY = "Indlæs ændringerne"
KLADDE_BACK = "Tilbage"
KLADDE_BACK_TIP = "Tilbage til konsolideringen"
KLADDE_NO_PATH = "Skriv stien til filen først."
KLADDE_SENT_BY = " (sendt af {name})"
KLADDE_NOT_KLADDE = (
    "Filen hører ikke til en målplan i databasen. Brug «udviklingsdag import FIL» for at "
    "indlæse den som en ny målplan."
)
KLADDE_WARNING = "Advarsel: {text}"
KLADDE_MORE_ISSUES = "… og {n} til. Alle ses med «udviklingsdag import FIL --dry-run --json»."
KLADDE_COLS = ("Hvad", "Ændring")
KLADDE_KINDS = {"felt": "Ændret", "ny": "Ny", "slet": "Fjernet", "konflikt": "KONFLIKT"}
KLADDE_BINDING = ("Kladde", "Indlæs en målplan, der er rettet i Excel")

# --- issue 14: print details ---
EXPORT_WARNING = "\nBemærk: {warning}"

# --- dialogs, export and afslut dagen at 80x24 ---
CONFLICT_SCROLL_HINT = "Der er mere, end der kan ses: rul med ↑/↓ og PgDn, eller flyt med Tab."
CLOSE_BROWSE = "Eller vælg mappen her (piletaster, Enter på en mappe):"

# --- keys that cannot destroy, drafts, keymap ---
B_READ = ("Læs", "Vis hele teksten (mellemrum)")
# A checkbox's state in text, not colour alone (`widgets.StateCheckbox`, the import's file list).
CHECK_ON = "[x]"
CHECK_OFF = "[ ]"
CONFIRM_DELETE_ITEM = "Slet «{text}»?{also}\n\nDet kan fortrydes med Ctrl+Z."
# What goes with a row that is deleted (its tegn, their målinger, …), in the question before it.
CONFIRM_DELETE_ALSO = "\n\nDet sletter også {rows}."
CONFIRM_DELETE_YES = "Slet"
CONFIRM_KEEP = "Behold"
CONFIRM_ENTER_ESC = "Enter: {yes} · Esc: {no}"
READ_CLOSE = "Esc, Enter eller mellemrum lukker · ↑↓ og PgUp/PgDn ruller"
MAAL_TITLE = "Mål: {tekst}"
MAAL_TITLE_EMPTY = "Mål"
MAAL_LETTER_HINT = (
    "Markøren står i en liste, ikke i et tekstfelt. Enter retter det valgte, "
    "Insert tilføjer, 4 går til noterne."
)
KEYMAP_BAD = (
    "Tastaturfilen {path} kan ikke bruges: {reason}. Programmet bruger de normale taster. "
    "Ret filen (se F1), eller slet den."
)
KEYMAP_BAD_TOML = "den er ikke gyldig TOML (fejl i linje {line}, position {column})"
KEYMAP_BAD_TOML_SOMEWHERE = "den er ikke gyldig TOML"
KEYMAP_BAD_VALUE = '«{name}» skal være en tast som "ctrl+k" eller en liste af taster'
KEYMAP_UNREADABLE = "den kan ikke læses"
KEYMAP_NO_ACCESS = "du har ikke adgang til at læse den"
KEYMAP_FOLDER = "det er en mappe, ikke en fil"
KEYMAP_NOT_UTF8 = "den er ikke gemt som UTF-8-tekst"
KEYMAP_UNKNOWN = (
    "Tastaturfilen {path} nævner {names}, som programmet ikke kender. De andre taster bruges. "
    "F1 viser navnene."
)
HELP_KEYMAP = """## Egne taster

Du kan give en kommando en anden tast i filen `{path}`. Filen findes ikke, før du selv
laver den; programmet skriver den aldrig. Skriv kommandoens navn (listen nedenfor) og den
nye tast, fx:

```toml
[keymap]
"maal.qr" = "f8"
"item.add" = "insert,ctrl+y"
"app.undo" = ["ctrl+z", "f2"]
```

Flere taster adskilles med komma eller skrives som en liste. Et bogstav virker også med
Shift og Caps Lock. Start programmet igen for at bruge filen. Er filen forkert, siger
programmet det og bruger de normale taster.

| Navn | Taster | Gør |
|---|---|---|
"""
FORM_DRAFT_QUESTION = (
    "«{field}» er ikke udfyldt, så intet er gemt endnu. Hvad skal der ske med det, du har skrevet?"
)
FORM_DRAFT_KEEP = "Gem udkast"
FORM_DRAFT_DISCARD = "Kassér"
FORM_DRAFT_CONTINUE = "Fortsæt"
FORM_DRAFT_KEYS = "Enter: gem udkastet · Esc: fortsæt med at skrive"
FORM_DRAFT_RESTORED = "Udkastet fra sidst er hentet frem. Udfyld «{field}» for at gemme."
FORM_DRAFT_KEPT = (
    "Udkastet er gemt: det kommer frem igen, næste gang du tilføjer her, "
    "så længe programmet er åbent."
)

# --- konsolidering: picking files ---
CONS_PICK = "Vælg mappe …"
CONS_PICK_TIP = "Vælg mappen (fx USB-stikket) eller en fil med et mappetræ"
CONS_FILES_EMPTY = (
    "Ingen filer valgt endnu. Vælg mappen med overleveringsfilerne (Vælg mappe …), eller "
    "skriv stien til en mappe eller til filerne og tryk Enter."
)
CONS_FILES_NONE_IN_FOLDER = (
    "Der er ingen overleveringsfiler (…{suffix}) i {folder}. Vælg en anden mappe."
)
# A file's mark: the checkboxes' own (`CHECK_ON`, `CHECK_OFF`), or this one for a file that
# cannot be imported.
CONS_FILE_MARK_BAD = "[!]"
CONS_FILE_ENTRIES = "{n}"  # «837 ændringer» (models.words.count)
CONS_FILE_UNKNOWN = "indholdet vises ved prøveimporten"
CONS_FILE_KNOWN = "allerede importeret"
CONS_FILE_BAD = "Kan ikke importeres: {reason}"
CONS_CHOSEN = "Valgt: {chosen} af {total}."  # total: «3 filer» / «1 fil»
CONS_CHOSEN_BAD = " {bad} kan ikke importeres."
CONS_CHOSEN_KEYS = " Mellemrum: til/fra · A: alle til/fra"
B_FILE_TOGGLE = ("Til/fra", "Sæt eller fjern krydset ved den valgte fil (mellemrum)")
B_FILES_ALL = ("Alle til/fra", "Sæt eller fjern krydset ved alle filerne (A)")
CONS_NOTHING_CHOSEN = "Vælg mindst én fil på listen (mellemrum sætter kryds)."
CONS_APPLY_WAITS = "Importér bliver klar efter en prøveimport."
CONS_APPLY_READY = "Klar: Importér gemmer {n} i databasen."  # n: «2 filer»
CONS_APPLY_NONE = "Ingen af filerne kan importeres; grunden står ved hver fil."
CONS_APPLY_CHANGED = "Valget er ændret: lav en ny prøveimport, før du importerer."
CONS_APPLY_DONE = "Importeret. Vælg flere filer, eller se fanen Bærbare."
CONS_NO_CONFLICTS_SETTLED = "Ingen åbne konflikter: de uenigheder, importen fandt, er afgjort."
CONS_NO_CONFLICTS_NO_FILES = "Ingen åbne konflikter. Der er ikke importeret nogen filer endnu."
CONS_PREVIEW_FILE = "Fil"
CONS_PREVIEW_FROM = "Fra «{device}»"
CONS_PREVIEW_MORE = (
    "… og {more} mere fra filen, som ikke vises her (tallene ovenfor tæller dem med)"
)
PICKER_TITLE = "Vælg mappen med overleveringsfilerne"
PICKER_HINT = (
    "Pil op/ned og Enter åbner en mappe. Enter på en fil vælger den fil. Tab går til knapperne."
)
PICKER_PATH = "Eller skriv en mappe og tryk Enter"
PICKER_DRIVES = "USB-stik og drev:"
PICKER_CHOOSE = "Vælg denne mappe"
PICKER_CANCEL = "Annullér"
PICKER_CANCEL_TIP = "Luk uden at vælge en mappe"
PICKER_CHOSEN = "Valgt: {path}"
PICKER_NOT_FOLDER = "«{path}» er ikke en mappe, der findes. Tjek stien."
NAME_DEVICE_HOST_HINT = (
    "Computeren hedder «{host}». Mange bærbare har samme slags navn, så skriv et navn, "
    "tovholderen kan kende."
)

# --- Danish everywhere, plurals, symbols in the PDF ---
PALETTE_BINDING = ("Kommandoer", "Åbn kommandopaletten og søg efter en kommando")
PALETTE_PLACEHOLDER = "Søg efter en kommando …"
PALETTE_NO_MATCHES = "Ingen kommando passer"
# The palette's own keys (keys, action, description, shown in the footer).
PALETTE_KEYS = (
    ("ctrl+end,shift+end", "command_list('last')", "Til bunden", False),
    ("ctrl+home,shift+home", "command_list('first')", "Til toppen", False),
    ("down", "cursor_down", "Næste kommando", False),
    ("escape", "escape", "Luk kommandopaletten", True),
    ("pagedown", "command_list('page_down')", "Næste side", False),
    ("pageup", "command_list('page_up')", "Forrige side", False),
    ("up", "command_list('cursor_up')", "Forrige kommando", False),
)
SYSTEM_KEYS_SHOW = ("Taster og hjælp", "Vis hjælp til feltet med fokus og de taster, der virker")
SYSTEM_KEYS_HIDE = ("Skjul taster og hjælp", "Luk panelet med taster og hjælp")
SYSTEM_MAXIMIZE = ("Maksimér feltet", "Vis feltet med fokus over hele skærmen")
SYSTEM_MINIMIZE = ("Normal størrelse", "Vis feltet i normal størrelse igen")

# --- smaller items ---
TIMER_SEPARATOR = " · "
"""What TIMER_LEFT and TIMER_OVER put between the title and the time."""
B_TAB_LEFT = ("Forrige fane", "Vis fanen til venstre (←)")
B_TAB_RIGHT = ("Næste fane", "Vis fanen til højre (→)")
FORM_CLOSE_ANYWAY = "Tryk Esc igen for at lukke uden at gemme ændringen."
FORM_DATE_AHEAD = "Bemærk: {dato} ligger efter i dag. Ret datoen, hvis det er en tastefejl."
PARTNER_OWN_ENHED = (
    "«{name}» er målets egen enhed. En samarbejdspartner er en anden enhed: vælg et af forslagene."
)
TIMER_IDLE_SHORT = "F5 starter uret"
TIMER_DONE_SHORT = "Program slut"

# --- kladde diff ---
KLADDE_PLAN_PROMPT = "Målplan (kun for en skabelon uden reference)"

# --- issue 15 H1 ---
# The lederdag: each bord writes mål for its målsætninger.
LEDERDAG_PROGRESS = "{done} af {total} har et mål"
LEDERDAG_NO_MAALSAETNINGER = (
    "Bordet har ingen målsætninger endnu. Tovholderen vælger dem under Forbered (Borde)."
)
LEDERDAG_GROUP_EMPTY = "mangler et mål · Enter eller Insert skriver et"
LEDERDAG_GROUP_COUNT = "{maal} · Insert skriver et mål mere"
LEDERDAG_MAAL_META = "{enhed} · Ansvarlig: {ansvarlig} · {periode}"
LEDERDAG_PARTNERE = "Mulige partnere: {partnere}"
LEDERDAG_NO_ENHED = "ingen enhed"
LEDERDAG_NO_PLAN = "ingen målplan for {aar}"
LEDERDAG_PICK_MAALSAETNING = "Vælg den målsætning, målet hører til, og tryk Insert."
LEDERDAG_DELETE_MAALSAETNING = (
    "En målsætning fjernes fra bordet under Forbered. Her slettes kun mål (vælg et mål)."
)
LEDERDAG_ONLY = (
    "Mål skrives her kun på en lederdag. På del 1 og del 2 gør tovholderen det under Forbered."
)
B_LEDERDAG_ADD = ("Nyt mål", "Skriv et nyt mål til den valgte målsætning (Insert eller Ctrl+A)")
B_LEDERDAG_DELETE = ("Slet mål", "Slet det valgte mål (Delete). Kan fortrydes med Ctrl+Z.")
CLOSE_RULE_LEDERDAG = "Dagens regel (lederdag): hver målsætning skal have mindst ét mål."
CLOSE_ALL_DONE_LEDERDAG = "Alle {n} har et mål."
CLOSE_ALL_DONE_LEDERDAG_ONE = "Målsætningen har et mål."
CLOSE_MISSING_LEDERDAG = "{n} mangler et mål:"
CLOSE_MISSING_MAAL = "mangler et mål · Enter skriver et"
PREP_BORD_META_LEDERDAG = "Facilitator: {facilitator} · {maalsaetninger} · {maal} skrevet"
HELP["bord"] += """
## På lederdagen

Bordet skriver selv målene. Listen viser bordets målsætninger med de mål, der er skrevet til
hver af dem: **✓** når målsætningen har et mål, **·** når den mangler. Tallet øverst viser, hvor
mange målsætninger der har et mål.

**Insert** (eller **Ctrl+A**), eller **Enter** på en målsætning, skriver et nyt mål til den:
målet, enheden, den ansvarlige, årene (de starter med dagens år) og mulige
samarbejdspartnere, én pr. linje. Målet kommer på enhedens målplan for året af sig selv.
**Enter** på et mål retter det. **Delete** sletter målet (programmet spørger først), og
**Ctrl+Z** fortryder: et nyt mål forsvinder helt igen, også fra bordet.
"""
HELP["close_day"] += """
På lederdagen er reglen, at hver af bordets målsætninger har mindst ét mål. **Enter** på en
målsætning i tjeklisten går tilbage til bordet og skriver dens mål.
"""
# --- end H1 ---

# --- issue 15 H2 ---
# Målinger and the run chart (screens/maalinger.py, screens/runchart.py).
RUNCHART_TARGET = "Forventet {value}"
RUNCHART_BASELINE = "Udgangspunkt {value}"
RUNCHART_MEDIAN = "Median {value}"
B_MAALINGER = ("Målinger", "Målinger og seriediagram for det valgte tegn (Ctrl+E)")
MAALINGER_TITLE = "Målinger: {tekst}"
MAALINGER_BASELINE = "udgangspunkt {baseline}"
MAALINGER_FORVENTET = "forventet niveau {forventet}"
MAALINGER_KILDE = "Datakilde: {kilde}"
MAALINGER_LIST_TITLE = "Målinger, nyeste først ({n})"
MAALINGER_EMPTY = "Ingen målinger endnu. Tryk Insert eller Ctrl+A for at tilføje den første."
MAALINGER_NOT_FOUND = "Tegnet findes ikke længere (måske er det slettet eller fortrudt)."
MAALINGER_NEED_TEGN = "Vælg først et tegn på fanen Tegn."
MAALINGER_CHART_NONE = (
    "Seriediagrammet tegnes, når tegnet har mindst to målinger med et tal. "
    "Der mangler {n}: tilføj dem med Insert eller Ctrl+A."
)
MAALINGER_CHART_ONE = (
    "Seriediagrammet tegnes, når tegnet har mindst to målinger med et tal. "
    "Der er {n}: tilføj én mere med Insert eller Ctrl+A."
)
MAALINGER_CHART_SMALL = "Vinduet er for lille til seriediagrammet. Gør det større for at se det."
MAALINGER_QUALITATIVE = (
    "Et kvalitativt tegn følges med observationer, ikke tal: de står herunder, nyeste først."
)
MAALINGER_LINE = "{dato} · {vaerdi}"
MAALINGER_SOURCE = "Kilde: {kilde}"
MAALINGER_WHO = "registreret af {hvem}"
MAALINGER_NO_VALUE = "intet tal"
DELETED_MAALING = "Målingen"
SIGNAL_NOTE = "Signal (fremhævede punkter): {signals}."
SIGNAL_SHIFT = "{n} målinger i træk {side} medianen fra {dato}"
SIGNAL_TREND = "{n} målinger i træk, der {way}, fra {dato}"
SIGNAL_OVER = "over"
SIGNAL_UNDER = "under"
SIGNAL_UP = "stiger"
SIGNAL_DOWN = "falder"
HELP["maalinger"] = """\
# Målinger og seriediagram

Her samler I data om tegnet gennem året. En måling har en **dato**, en **værdi** (et tal,
fx 12,5 eller 45 %) for et kvantitativt tegn eller en **observation** (det, I så og hørte)
for et kvalitativt tegn, hvor tallet kom fra (**kilde**) og **hvem** der registrerede den.

For et kvantitativt tegn tegnes et **seriediagram** øverst, når der er mindst to tal:
punkterne over tid med deres **median**, tegnets **udgangspunkt** og **forventede niveau**
som vandrette linjer, og prøvehandlingernes perioder som streger under tidsaksen (og lodrette
streger i diagrammet, hvor de begynder og slutter). Så kan I se, om tallene flyttede sig, da
I prøvede noget nyt. Seks punkter i træk på samme side af medianen, eller fem i træk, der
stiger (eller falder), er et tegn på en reel ændring og ikke en tilfældighed.

**Insert** eller **Ctrl+A** tilføjer en måling (dagens dato er foreslået), **Enter** retter,
**Delete** sletter (Enter sletter, Esc fortryder), og **Ctrl+Z** fortryder den seneste
ændring. **Esc** går tilbage til målet.
"""
# --- end H2 ---

# --- issue 15 H3 ---
# --- end H3 ---

# --- issue 15 H4 ---
# --- end H4 ---

# --- issue 15 H5 ---
# The evalueringer that fall due (screens/forfald.py).
FORFALD_TITLE = "Evalueringer der forfalder"
FORFALD_SUMMARY = "I dag {today}: {forfaldne} · {snart} · {senere}"
FORFALD_COUNT_FORFALDNE = ("forfalden", "forfaldne")
FORFALD_COUNT_SNART = ("snart", "snart")
FORFALD_COUNT_SENERE = ("senere", "senere")
FORFALD_MORE = "Viser de første {shown} af {matching}. Vælg en enhed for at se resten."
FORFALD_EMPTY = "Ingen planlagte evalueringer mangler. Alt, der er planlagt, er evalueret."
FORFALD_EMPTY_FILTER = "Ingen evalueringer passer til det valgte. Vælg «Alle» for at se resten."
FORFALD_SHOW_LABEL = "Vis"
FORFALD_ENHED_LABEL = "Enhed"
FORFALD_SHOW = (
    ("Alle", "alle"),
    ("Forfaldne", "forfalden"),
    ("Snart (14 dage)", "snart"),
    ("Senere", "senere"),
)
FORFALD_ALL_ENHEDER = "Alle enheder"
FORFALD_OVERDUE = "Forfalden for {days} siden"
FORFALD_TODAY = "Forfalder i dag"
FORFALD_SOON = "Om {days}"
FORFALD_DAYS = ("dag", "dage")
FORFALD_LINE = "{when} · {kind} · {status}"
FORFALD_PLACE = "{enhed} {aar}"
FORFALD_NO_ENHED = "Ingen enhed"
FORFALD_PROEVEHANDLING = "Prøvehandling {nr}: "
FORFALD_MAAL = "Mål: "
B_FORFALD_OPEN = ("Evaluér", "Åbn prøvehandlingens evalueringer og skriv evalueringen (Enter)")
B_FORFALD_SHOW = ("Vis", "Vælg, hvilke der vises: alle, forfaldne, snart eller senere (V)")
B_FORFALD_ENHED = ("Enhed", "Vis kun én enheds evalueringer (N)")
# Status on the evalueringer screen.
STATUS_LABEL = "Status"
STATUS_SINCE = "siden {dato}"
STATUS_NO_DATE = "uden dato"
STATUS_CHANGED = "Status er nu «{status}» fra {dato}. Ctrl+Z fortryder."
B_STATUS = ("Status", "Skift prøvehandlingens status; den dateres i dag (S)")
B_LAERING = ("Læring", "Læring om denne prøvehandling (L)")
# Læring (screens/laering.py).
LAERING_TITLE = "Læring"
LAERING_OF_PROEVEHANDLING = "Læring om prøvehandlingen: {title}"
LAERING_OF_MAALPLAN = "Læring i målplanen {title} og dens prøvehandlinger"
LAERING_EMPTY = "Ingen læring skrevet endnu. Tryk Insert eller Ctrl+A for at skrive den første."
LAERING_NOT_FOUND = "Det, læringen hører til, findes ikke længere (måske slettet eller fortrudt)."
LAERING_ON_MAALPLAN = "Hele målplanen"
LAERING_ON_PROEVEHANDLING = "Prøvehandling {nr}: "
LAERING_BY = " · {hvem}"
DELETED_LAERING = "Læringen"
HELP["forfald"] = """\
# Evalueringer der forfalder

Her står alle de evalueringer, der er planlagt på prøvehandlingerne i alle målplaner, men
endnu ikke skrevet: **undervejs** og **ved afslutning**. De ældste står øverst. En evaluering
er **forfalden**, når datoen er passeret, og kommer **snart**, når der er 14 dage eller
mindre til.

Prøvehandlinger, der er **stoppet**, er ikke med. Er en prøvehandling **afsluttet**, eller er
evalueringen ved afslutning skrevet, venter den ikke længere på evalueringen undervejs.

**Enter** åbner prøvehandlingens evalueringer, hvor du skriver evalueringen (datoen er
foreslået). Når du kommer tilbage, er den væk fra listen. **V** vælger, hvad der vises, og
**N** vælger en enhed; **Tab** flytter mellem listen og valgene.
"""
HELP["laering"] = """\
# Læring

Skriv, hvad I har lært af en prøvehandling eller af målplanen som helhed, med dato og hvem
der skrev det. Det nyeste står øverst. For en målplan vises også læringen om dens
prøvehandlinger, mærket med prøvehandlingens nummer.

**Insert** eller **Ctrl+A** skriver en ny (datoen er i dag), **Enter** retter, **Delete**
sletter (spørger først), og **Ctrl+Z** fortryder.
"""
HELP["evalueringer"] += """
**Status** viser, hvor prøvehandlingen står (planlagt, i gang, afsluttet, stoppet eller
videreført), og siden hvornår. Tryk **S** og vælg en ny status: den dateres i dag, og Ctrl+Z
fortryder begge dele. En anden dato skriver du i prøvehandlingens formular på målet.
**L** åbner læringen om prøvehandlingen.
"""
# --- end H5 ---

# --- issue 15 H6 ---
# The årshjul (screens/aarshjul.py) and the home screen's way to it.
AARSHJUL_TITLE = "Årshjul"
AARSHJUL_TITLE_YEAR = "Årshjul · planår {aar}"
AARSHJUL_YEAR = "Planår {aar}"
AARSHJUL_TODAY = "i dag {dato}"
AARSHJUL_USUAL = "ca."
AARSHJUL_LEGEND = "✓ overstået · ▶ det næste · ca. = sædvanlig dato, ikke fra data · ! forfalden"
AARSHJUL_MONTHS = (
    "jan.",
    "feb.",
    "mar.",
    "apr.",
    "maj",
    "jun.",
    "jul.",
    "aug.",
    "sep.",
    "okt.",
    "nov.",
    "dec.",
)
# Fixed points: (short, for the band; long, for a plan's detail).
AARSHJUL_POINTS = {
    "lederdag": ("Lederdag", "Lederdag: mål og mulige samarbejdspartnere"),
    "chefforum_maal": ("Chefforum", "Chefforum kvalitetssikrer målene"),
    "del1": ("Del 1", "Udviklingsdag del 1: tegn"),
    "chefforum_tegn": ("Chefforum", "Chefforum kvalitetssikrer tegnene"),
    "del2": ("Del 2", "Udviklingsdag del 2: prøvehandlinger"),
    "chefforum_proevehandlinger": ("Chefforum", "Chefforum kvalitetssikrer prøvehandlingerne"),
    "start": ("Start", "Arbejdet starter på arbejdspladserne"),
    "august": ("Augustrapport", "Status til kommunalbestyrelsen"),
    "naeste_lederdag": ("Næste lederdag", "Næste års lederdag"),
}
AARSHJUL_PHASES = {
    "foer_lederdag": "Før lederdagen",
    "efter_lederdag": "Efter lederdagen",
    "efter_del1": "Efter del 1",
    "efter_del2": "Efter del 2",
    "i_gang": "I gang på arbejdspladsen",
    "klar_til_august": "Klar til augustrapport",
    "efter_august": "Efter augustrapporten",
}
# What is due next for a plan; {n}: how many mål or evalueringer it concerns.
AARSHJUL_TASKS = {
    "maal": "Mål skal skrives",
    "ark_foer": "Arket FØR skal udfyldes",
    "tegn": "Tegn mangler for {n} mål",
    "ark_del1": "Arket UNDER del 1 skal udfyldes",
    "proevehandlinger": "Prøvehandlinger mangler for {n} mål",
    "ark_del2": "Arket UNDER del 2 skal udfyldes",
    "ark_efter": "Arket EFTER skal udfyldes",
    "start": "Prøvehandlinger skal i gang",
    "evaluering": "En evaluering",
    "evaluering_forfalden": "{n} evalueringer forfaldne",
    "evaluering_forfalden_1": "1 evaluering forfalden",
    "august": "Status til Kommunalbestyrelsen",
    "naeste_lederdag": "Lederdagen for det nye år",
}
# The same tasks once done (a plan's detail ticks them off).
AARSHJUL_TASKS_DONE = {
    "maal": "Mål skrevet",
    "ark_foer": "Arket FØR udfyldt",
    "tegn": "Alle mål har tegn",
    "ark_del1": "Arket UNDER del 1 udfyldt",
    "proevehandlinger": "Alle mål har prøvehandlinger",
    "ark_del2": "Arket UNDER del 2 udfyldt",
    "ark_efter": "Arket EFTER udfyldt",
    "start": "Prøvehandlinger er i gang",
}
AARSHJUL_NOTHING_DUE = "Intet udestående"
AARSHJUL_COLUMNS = (
    ("enhed", "Enhed"),
    ("fase", "Fase"),
    ("naeste", "Næste"),
    ("frist", "Frist"),
    ("maal", "Mål"),
    ("tegn", "Tegn"),
    ("proevehandlinger", "Prøvehandlinger"),
    ("maalinger", "Målinger"),
    ("evalueringer", "Evalueringer"),
    ("laering", "Læring"),
    ("ark", "Ark udfyldt"),
    ("afdeling", "Afdeling"),
    ("aar", "År"),
)
AARSHJUL_PH_CELL = "{total} ({i_gang} i gang, {afsluttet} afsluttet)"
AARSHJUL_EVAL_OVERDUE = "{n} forfaldne"
AARSHJUL_EVAL_OVERDUE_1 = "1 forfalden"
AARSHJUL_EVAL_SOON = "{n} snart"
AARSHJUL_MAALINGER_CELL = "{n} (seneste {dato})"
AARSHJUL_SHEETS_CELL = "{n} af 4"
AARSHJUL_FILTER_PLACEHOLDER = "Søg i målplanerne: enhed, afdeling, fase …"
AARSHJUL_SORTS = {
    "afdeling": "Sortér: afdeling",
    "naeste": "Sortér: næste frist",
    "fase": "Sortér: fase",
}
AARSHJUL_EMPTY = "Der er ingen målplaner endnu. Opret dem under Forbered → Målplaner."
AARSHJUL_NO_MATCH = "Ingen målplaner passer til «{query}»."
AARSHJUL_COUNT = "{shown} af {total} målplaner"
AARSHJUL_LOADING = "Henter årshjulet …"
B_AARSHJUL = ("Årshjul", "Hvor hver målplan står i året, og hvad der er det næste (A)")
B_FORFALD = ("Forfaldne evalueringer", "Evalueringer der er forfaldne eller snart skal laves (E)")
B_AARSHJUL_SORT = ("Sortér", "Skift sortering: afdeling, næste frist, fase (F4)")
B_AARSHJUL_OPEN = ("Åbn", "Vis målplanens år: faste punkter, prøvehandlinger og tegn")
HOME_BUTTON_AARSHJUL = "Årshjul"
HOME_BUTTON_FORFALD = "Evalueringer der forfalder"
HOME_YEAR_LABEL = "Året rundt:"
# The detail of one plan.
AARSHJUL_PLAN_TITLE = "Årshjul · {enhed}"
AARSHJUL_PLAN_HEAD = "{titel} · planår {aar} · {afdeling}"
AARSHJUL_PLAN_PHASE = "Fase: {fase}"
AARSHJUL_PLAN_NEXT = "Næste: {naeste}"
AARSHJUL_POINTS_TITLE = "Årets faste punkter for planen"
AARSHJUL_TASK_DONE = "✓"
AARSHJUL_TASK_OPEN = "·"
AARSHJUL_TASK_OVERDUE = "!"
AARSHJUL_SHEETS = "Ark: FØR {foer} · UNDER del 1 {del1} · UNDER del 2 {del2} · EFTER {efter}"
AARSHJUL_PH_TITLE = "Prøvehandlinger (Enter: evalueringer)"
AARSHJUL_PH_META = "{status}{since} · evaluering undervejs {undervejs} · afslutning {afslutning}"
AARSHJUL_PH_SINCE = " siden {dato}"
AARSHJUL_EVAL_DONE = "lavet"
AARSHJUL_EVAL_NONE = "ikke planlagt"
AARSHJUL_EVAL_PLANNED = "planlagt {dato}"
AARSHJUL_EVAL_LATE = "forfalden {dato}"
AARSHJUL_EVAL_NOT_DUE = "udgår ({dato})"
AARSHJUL_PH_EMPTY = "Planen har ingen prøvehandlinger endnu."
AARSHJUL_TEGN_TITLE_OPEN = "Tegn og seneste måling (Enter: målinger)"
AARSHJUL_TEGN_META = "{type} · {maalinger}"
AARSHJUL_TEGN_LATEST = " · seneste {dato}: {vaerdi}"
# Keys Textual's own widgets show in the footer with an English name, by that name.
TEXTUAL_KEYS = {"Dismiss menu": "Luk listen", "Dismiss": "Luk"}
AARSHJUL_YEAR_HEADING = "Planår {aar}"
AARSHJUL_TEGN_EMPTY = "Planen har ingen tegn endnu."
AARSHJUL_PICK_TEGN = (
    "Der er intet tegn at vise målinger for. Vælg et tegn på listen; har planen ingen, så "
    "tilføj dem på målene først (Enter på et bord, eller kladden i Excel)."
)
AARSHJUL_BUTTON_LAERING = "Læring"
AARSHJUL_BUTTON_FORFALD = "Forfaldne evalueringer"
AARSHJUL_BUTTON_MAALINGER = "Målinger for tegnet"
AARSHJUL_PLAN_GONE = "Målplanen findes ikke længere."
AARSHJUL_WHERE_DATES = (
    "Datoer uden «ca.» er udviklingsdagenes egne; Chefforums tjek er normalt to uger efter dagen."
)
HELP["aarshjul"] = """## Årshjul

Året for målplanerne: lederdagen, udviklingsdag del 1 og del 2 med Chefforums kvalitetstjek
efter hver dag, starten på arbejdspladserne i marts og status til Kommunalbestyrelsen i
august. Båndet øverst viser årets faste punkter: ✓ er overstået, ▶ er det næste, og «ca.»
betyder den sædvanlige dato, fordi den ikke står i data (udviklingsdagenes egne datoer
bruges, når de findes).

Tabellen viser hver målplan: hvilken **fase** den er i, hvad der er det **næste** og hvornår
(**!** betyder forfalden), og hvor meget den har af mål, tegn, prøvehandlinger, målinger,
evalueringer og læring. Skriv for at søge, F4 skifter sortering, Enter viser planens år.
"""
HELP["aarshjul_plan"] = """## En målplans år

Planens faste punkter med det, planen skulle nå der (✓ nået, ! forfalden), dens
prøvehandlinger med status og evalueringer, og dens tegn med den seneste måling.
Enter på en prøvehandling åbner dens evalueringer; knapperne åbner læring, målinger og
de forfaldne evalueringer.
"""
CMD["aarshjul"] = ("Årshjul", "Hvor hver målplan står i året, og hvad der er det næste")
CMD["forfald"] = ("Evalueringer der forfalder", "Forfaldne og snart forfaldne evalueringer")
# --- end H6 ---

# --- issue 15 H7 ---
# --- end H7 ---

# --- issue 16 H8 ---
VURDERING_TITLE = "Augustrapport"
VURDERING_TITLE_YEAR = "Augustrapport {aar}"
VURDERING_LOADING = "Henter årets mål …"
VURDERING_YEAR_LABEL = "År:"
VURDERING_HINT = "Enter: vurdér det markerede mål · Ctrl+Z fortryder"
VURDERING_NO_YEARS = "Der er ingen målplaner endnu, så der er intet at vurdere."
VURDERING_FIRST_PAGE = "Status for året"
VURDERING_MAALSAETNING = "Målsætning: {tekst}"
VURDERING_ROLLUP = "Samlet: {rollup}"
VURDERING_NOT_ASSESSED = "Ikke vurderet endnu (Enter vurderer målet)"
VURDERING_ASSESSED = "Vurdering: {label}, {dato} af {hvem}"
VURDERING_OTHERS = " (en sammenlægning har bragt {antal} mere af målet for året; nyeste vises)"
VURDERING_TEGN_LATEST = "Tegn: {tekst} · seneste {vaerdi} ({dato})"
VURDERING_TEGN_OBSERVATION = "Tegn: {tekst} · seneste observation ({dato}): {observation}"
VURDERING_TEGN_NONE = "Tegn: {tekst} · ingen målinger endnu"
VURDERING_TEGN_LEVELS = " · udgangspunkt {baseline} · forventet {forventet}"
VURDERING_PH = "Prøvehandling: {tekst} · {status}"
VURDERING_PH_SINCE = " siden {dato}"
VURDERING_EFFEKT = "Effekt ({type}): {effekt}"
VURDERING_LAERING = "Læring {dato}: {tekst}"
VURDERING_PLAN_LAERING = "Læring for hele målplanen {dato}: {tekst}"
VURDERING_NO_DATA = "Der er endnu ingen tegn eller prøvehandlinger på målet."
VURDERING_UNKNOWN = "ukendt"
VURDERING_NOT_FOUND = "Målet findes ikke længere i årets planer."
VURDERING_SAVED = "Vurderingen er gemt: {label}."
VURDERING_FORM_TITLE = "Vurdér målet for {aar}"
VURDERING_FORM_CHOICE = "Målopfyldelse"
VURDERING_FORM_PICK = "Vælg, hvor langt målet er nået"
VURDERING_FORM_PICK_FIRST = (
    "Vælg først, hvor langt målet er nået (Enter på feltet åbner listen). Esc lukker uden at gemme."
)
VURDERING_FORM_REASON = "Begrundelse (hvad tallene og erfaringerne viser)"
VURDERING_FORM_WHO = "Vurderet af"
VURDERING_FORM_WHO_HINT = "Dit navn (tovholderen, der vurderer)"
VURDERING_FORM_AUTO = "Datoen ({dato}) sættes af sig selv."
VURDERING_FORM_AUTO_KEPT = (
    "Vurderet {dato} af {hvem}. Gemmer du en ændring, får den datoen i dag ({today}); ret "
    "«Vurderet af», hvis det er en anden, der vurderer nu."
)
VURDERING_UNCHANGED = "Vurderingen er ikke ændret; den beholder sin dato og sin vurderer."
VURDERING_FORM_SAVE = "Gem (Ctrl+S)"
VURDERING_FORM_CANCEL = "Annullér (Esc)"
B_VURDERING_YEAR = ("Skift år", "Vælg det år, rapporten viser")
B_VURDERING_SAVE = ("Gem", "Gem vurderingen med dags dato")
CMD["augustrapport"] = (
    "Augustrapport (målopfyldelse)",
    "Vurdér årets mål og se, hvor langt hver målsætning er nået",
)
HELP["vurdering"] = """## Augustrapporten: målopfyldelse

I august gør kommunen status over for kommunalbestyrelsen. Her står årets mål under deres politik og
målsætning, hvert mål med tallene og erfaringerne ved siden af: den seneste måling mod
udgangspunkt og forventet niveau, prøvehandlingernes status og effekt og den nyeste læring.

Vælg et mål og tryk Enter for at vurdere det: opfyldt, delvist opfyldt, ikke opfyldt endnu
eller for tidligt at sige, med en kort begrundelse og hvem der vurderer. Datoen sættes af sig
selv, når vurderingen ændres; en vurdering, der gemmes uændret, beholder sin dato og sin
vurderer. Under hver målsætning står, hvordan dens mål ser ud samlet. Ctrl+Z fortryder.
F4 skifter år.
"""
HELP["vurdering_form"] = """## Vurdér målet

Vælg, hvor langt målet er nået, og skriv kort hvorfor. Ctrl+S gemmer, Esc lukker uden at gemme.
"""
B_VURDERING_EXPORT = (
    "Eksportér rapporten",
    "Gem årets augustrapport som en SBSYS-klar mappe (PDF/A, Word og Excel med metadata)",
)
VURDERING_EXPORT_TITLE = "Eksportér augustrapporten for {aar}"
VURDERING_EXPORT_FOLDER = "Mappe, rapportens pakke gemmes i"
VURDERING_EXPORT_SAGSNUMMER = "Sagsnummer i SBSYS (kan udelades)"
VURDERING_EXPORT_SAGSNUMMER_HINT = "fx 00.01.00-G01-12-24"
VURDERING_EXPORT_OK = "Gem rapporten (Enter)"
VURDERING_EXPORT_NO_OUTDIR = "Skriv, hvilken mappe rapporten skal gemmes i."
VURDERING_EXPORT_NO_YEAR = "Der er ingen rapport at eksportere endnu."
VURDERING_EXPORT_RUNNING = "Laver augustrapporten …"
HELP["vurdering"] += """
Ctrl+E gemmer årets rapport til kommunalbestyrelsen som en mappe, der er klar til SBSYS:
rapporten som PDF/A (til journalisering), Word og Excel, hver med en QR-kode, og
journalisering.json/.txt med felterne til SBSYS. Skriv sagsnummeret, hvis du kender det; det
huskes til næste gang for året. Tjek senere, om en udskrift stadig passer med tallene:
udviklingsdag verify FIL.
"""
# --- end H8 ---

# --- issue 16 H9 ---
PLAN_A_TITLE = "Plan A {aar} · {enhed}"
PLAN_A_PICK_TITLE = "Vælg målplanen til Plan A-plakaten"
PLAN_A_PICK_EMPTY = "Der er ingen målplaner endnu."
PLAN_A_NOT_FOUND = "Målplanen findes ikke længere."
PLAN_A_CHOSEN_TITLE = "Indikatorer I har valgt i år (mellemrum vælger og fravælger)"
PLAN_A_FORSKEL_TITLE = "Den forskel I vil gøre"
PLAN_A_NONE_CHOSEN = "Vælg mindst én indikator ovenfor; så kan I skrive forskellen her."
PLAN_A_INDIKATOR = "{nummer}. {label} ({perspektiv})"
PLAN_A_REQUIRED = " · obligatorisk i 2024"
PLAN_A_MAAL = "Mål knyttet til indikatoren:"
PLAN_A_NO_MAAL = "Ingen mål er knyttet til indikatoren endnu (det gøres på målet)."
PLAN_A_LACKS_TITLE = "Det mangler på plakaten:"
PLAN_A_ALL_THERE = "Plakaten er klar: alle valgte indikatorer har en forskel."
PLAN_A_LACKS = {
    "uden_forskel": "Indikator {nummer} er valgt, men forskellen er ikke skrevet.",
    "ikke_valgt": "Indikator {nummer} var obligatorisk i 2024, men er ikke valgt.",
    "ikke_i_plan": "Målet «{maal}» er knyttet til indikator {nummer}, som planen ikke har valgt.",
}
PLAN_A_OUTDIR = "Mappe til plakaten"
PLAN_A_EXPORT_BUTTON = "Lav plakaten (F7 eller Ctrl+E)"
PLAN_A_EXPORT_NO_OUTDIR = "Skriv først, hvilken mappe plakaten skal gemmes i."
PLAN_A_EXPORT_RUNNING = "Laver plakaten …"
PLAN_A_EXPORT_DONE = "Plakaten er gemt i {outdir}: {files}"
PLAN_A_EXPORT_FAILED = "Plakaten blev ikke lavet: {message}"
B_PLAN_A_EXPORT = ("Lav plakat", "Gem Plan A-plakaten som A3-PDF og Word i mappen")
B_PLAN_A_OPEN = ("Plan A-plakat", "Åbn planens Plan A og plakaten")
CMD["plan_a"] = ("Plan A-plakat", "Skriv forskellen pr. indikator og lav A3-plakaten")
HELP["plan_a"] = """## Plan A-plakaten

Her skriver arbejdspladsen, hvilken forskel den vil gøre på hver af de indikatorer, den har
valgt i år. Vælg og fravælg indikatorer i listen øverst med mellemrum. Teksten gemmes af sig
selv; Ctrl+Z fortryder. Under hver tekst står de mål, der er knyttet til indikatoren, og øverst
hvad plakaten stadig mangler. F7 eller Ctrl+E gemmer plakaten i A3 som PDF og Word i den mappe,
der står i feltet nederst.
"""
HELP["plan_a_pick"] = """## Vælg målplan

Vælg den målplan, hvis Plan A-plakat du vil se, og tryk Enter.
"""
# --- end H9 ---

# --- årshjul keys to issue 16's screens (lead) ---
B_AARSHJUL_NYT_AAR = ("Nyt år", "Start næste års målplaner fra årets (F7)")
B_AARSHJUL_AUGUST = ("Augustrapport", "Vurdér målopfyldelsen til augustrapporten (F8)")

# --- issue 16 H10 ---
NYT_AAR_TITLE = "Nyt år: start næste års målplaner"
NYT_AAR_YEAR = "Fra år:"
NYT_AAR_PICK = "Vælg år"
NYT_AAR_INTRO = "Vælg hvad der føres videre til {til}. Mellemrum: til/fra."
NYT_AAR_NO_PLANS = "Der er ingen målplaner endnu."
NYT_AAR_NO_PLANS_YEAR = "Der er ingen målplaner for {aar}."
NYT_AAR_START = "Start {aar}"
NYT_AAR_B_START = ("Start året", "Før det valgte videre til næste år (spørger først)")
NYT_AAR_KEEP = "Vent"
NYT_AAR_CONFIRM = (
    "{summary}\n\nDe nye rækker får et link til dem, de føres videre fra, og årets "
    "prøvehandlinger, der er i gang og føres videre, får status «Videreført» (en planlagt "
    "beholder sin status). Ctrl+Z fortryder det hele."
)
NYT_AAR_EARLY_NOT_BEGUN = (
    "Planår {fra} er ikke begyndt endnu: arbejdet starter {start}, og det er {aktuelt}, der "
    "forberedes nu. Start kun {til}, hvis I vil planlægge så langt frem."
)
NYT_AAR_EARLY_RUNNING = (
    "Planår {fra} er stadig i gang: årshjulet går først videre til {til} i juli. Start kun "
    "{til} nu, hvis I vil planlægge så langt frem."
)
NYT_AAR_EARLY_CONFIRM = "{warning}\n\nVil du alligevel starte {til} nu?\n\n{question}"
NYT_AAR_PLAN_A_EXISTING = "Plan A-indikatorerne {numbers} ind i planen for {aar}"
NYT_AAR_PLAN_A_OWN = (
    "Plan A: planen for {aar} har sine egne indikatorer ({numbers}); de ændres ikke her."
)
CARRIED_FROM = "Videreført fra {aar}: {titel}"
CARRIED_TO = "Videreført til {aar}"
NYT_AAR_NOTHING_CHOSEN = "Intet er valgt. Sæt flueben ved de mål, der skal med."
NYT_AAR_NOTHING_TO_CHOOSE = (
    "Intet fra {fra} kan føres videre til {til}: målene sluttede i {fra}, eller de er ført "
    "videre allerede. Vælg et andet år ovenfor, eller skriv målene for {til} på lederdagen."
)
NYT_AAR_NOTHING_RUNS = "(intet løber videre)"
NYT_AAR_INTO_EXISTING = "→ ind i planen for {aar}"
NYT_AAR_NEW_PLAN = "→ ny plan «{titel}»"
NYT_AAR_YEARS_TIL = "(til {til})"
NYT_AAR_YEARS_FRA = "(fra {fra}, uden slutår)"
NYT_AAR_YEARS_NONE = "(uden slutår)"
NYT_AAR_CARRIED = "allerede ført videre"
NYT_AAR_MAAL_MARK = "Mål: "
NYT_AAR_TEGN_MARK = "  Tegn: "
NYT_AAR_TEGN_DETAIL = "udgangspunkt {baseline}, forventet {forventet}"
NYT_AAR_LATEST = "; seneste måling {maaling}"
NYT_AAR_HANDLING_MARK = "  Prøvehandling: "
NYT_AAR_SAMARBEJDE_MARK = "  "
NYT_AAR_PLAN_A = "Plan A-indikatorerne {numbers} til den nye plan"
NYT_AAR_CHILD_INDENT = "  "
NYT_AAR_LEFT = "ikke med: {grund}"
CMD["nyt_aar"] = (
    "Nyt år: start næste års målplaner",
    "Før mål, tegn og åbne prøvehandlinger videre",
)
HELP["nyt_aar"] = """## Nyt år

Start næste års målplaner ud fra årets. Vælg året øverst (som udgangspunkt det seneste år før
det planår, der forberedes nu, som har noget at føre videre). Lige efter en start er der ikke
sat flueben ved noget: det, du lod blive, kommer kun med, hvis du vælger det.

- **Med som udgangspunkt:** mål, der stadig løber næste år («Til år» er næste år eller senere,
  eller målet har intet slutår), med deres tegn og åbne prøvehandlinger (planlagt, i gang eller
  videreført).
- **Ikke med som udgangspunkt:** samarbejder (de aftales på ny hvert år) og målplanens Plan
  A-indikatorer. Sæt flueben, hvis de skal med.
- **Aldrig med:** mål, der sluttede i år (ret målets «Til år», hvis det skal fortsætte),
  afsluttede og stoppede prøvehandlinger, målinger, evalueringer, læring, noter og vurderinger.
  De hører til året, der gik. Tegnets udgangspunkt og forventede niveau følger med; den seneste
  måling står ved siden af.

Mellemrum sætter og fjerner et flueben. Fjerner du fluebenet ved et mål, følger dets tegn og
prøvehandlinger heller ikke med; sætter du det igen, kommer de flueben tilbage, de havde.
**Start** (eller F7) spørger først: Enter starter, Esc venter. Er året, du fører videre fra,
ikke begyndt eller stadig i gang, siger skærmen det, og spørgsmålet venter som udgangspunkt.

Samarbejder og Plan A-indikatorer, du lod blive, tilbydes igen næste gang (uden flueben):
samarbejdet kommer ind i målets kopi, og indikatorerne ind i næste års plan, så længe den
ikke har sine egne.

Har enheden allerede en målplan for næste år, kommer målene ind i den. Et mål eller en
prøvehandling, der allerede er ført videre, bliver ikke tilbudt igen. Prøvehandlinger, der føres
videre og er i gang, får status «Videreført» i år (en planlagt, der aldrig gik i gang, beholder
status «Planlagt», så året ikke ser begyndt ud); kopien starter «I gang» eller «Planlagt». Målet og
prøvehandlingen viser bagefter, hvor de er ført videre fra og til.
Ctrl+Z fortryder det hele på én gang.
"""
# --- end H10 ---
