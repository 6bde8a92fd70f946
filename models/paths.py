"""Where data lives: the user's data folder (platformdirs), overridable by flag and environment."""

from __future__ import annotations

import os
import re
from pathlib import Path

from .visible import visible

APP_NAME = "udviklingsdag"
ENV_DB = "UDVIKLINGSDAG_DB"


def data_dir() -> Path:
    """The app's own data folder (not created here)."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    return data_dir() / "udviklingsdag.db"


def resolve_db(cli_value: str | None = None, environ: dict[str, str] | None = None) -> str:
    """The database to use: `--db`, else $UDVIKLINGSDAG_DB, else the default file.
    Returns a file path or a database URL (postgresql://...); a libpq keyword string
    (`host=... dbname=... password=...`) comes back as the same address in URL form."""
    env = os.environ if environ is None else environ
    value = cli_value or env.get(ENV_DB) or str(default_db_path())
    return as_address(value)


def is_url(target: str) -> bool:
    return "://" in target


# The connection keywords libpq understands (PostgreSQL 16, "Parameter Key Words").
LIBPQ_KEYWORDS = frozenset(
    [
        "host",
        "hostaddr",
        "port",
        "dbname",
        "user",
        "password",
        "passfile",
        "channel_binding",
        "connect_timeout",
        "client_encoding",
        "options",
        "application_name",
        "fallback_application_name",
        "keepalives",
        "keepalives_idle",
        "keepalives_interval",
        "keepalives_count",
        "tcp_user_timeout",
        "replication",
        "gssencmode",
        "sslmode",
        "requiressl",
        "sslcompression",
        "sslcert",
        "sslkey",
        "sslpassword",
        "sslcertmode",
        "sslrootcert",
        "sslcrl",
        "sslcrldir",
        "sslsni",
        "requirepeer",
        "ssl_min_protocol_version",
        "ssl_max_protocol_version",
        "krbsrvname",
        "gsslib",
        "gssdelegation",
        "service",
        "target_session_attrs",
        "load_balance_hosts",
    ]
)
_KEYWORD_PAIR = re.compile(r"\s*([A-Za-z_]+)\s*=\s*('(?:[^'\\]|\\.)*'|[^\s']\S*|(?=\s|$))")


def parse_keywords(text: str) -> dict[str, str] | None:
    """A libpq keyword string (`host=db port=5432 dbname=udv user=tov password='a b'`) as a
    dict, or None when `text` is not made of key=value pairs only."""
    pairs: dict[str, str] = {}
    pos = 0
    text = text.strip()
    while pos < len(text):
        m = _KEYWORD_PAIR.match(text, pos)
        if m is None or m.end() == pos:
            return None
        value = m.group(2)
        if value.startswith("'"):
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        pairs[m.group(1).lower()] = value
        pos = m.end()
    return pairs or None


def looks_like_keywords(value: str) -> bool:
    """Whether `value` names a PostgreSQL keyword (`host=`, `password=` ...) at a word start:
    then it is meant as a connection string, never as a file name."""
    return any(
        m.group(1).lower() in LIBPQ_KEYWORDS
        for m in re.finditer(r"(?:^|\s)([A-Za-z_]+)\s*=", value)
    )


def as_address(value: str) -> str:
    """A `--db` value as this app uses it: a URL and a file path stay as they are; a libpq
    keyword string becomes the postgresql:// URL that says the same. A value that looks like
    a keyword string but is not a valid one is refused (never taken as a file name: a file
    named after the password would be created)."""
    if is_url(value) or not looks_like_keywords(value):
        return value
    from .errors import DatabaseError

    pairs = parse_keywords(value)
    unknown = sorted(set(pairs or {}) - LIBPQ_KEYWORDS)
    if pairs is None or unknown:
        what = f" (ukendt nøgle: {', '.join(unknown)[:80]})" if unknown else ""
        raise DatabaseError(
            "Databaseangivelsen ligner en PostgreSQL-forbindelsestekst (nøgle=værdi), men kan "
            f"ikke læses{what}. Skriv den som host=… dbname=… user=… password=… (værdier med "
            "mellemrum i 'enkelte anførselstegn'), eller som en postgresql://-adresse. Der er "
            "ikke oprettet nogen fil."
        )
    from urllib.parse import quote, urlencode

    user = quote(pairs.pop("user", ""), safe="")
    password = pairs.pop("password", None)
    userinfo = user + (":" + quote(password, safe="") if password is not None else "")
    dbname = quote(pairs.pop("dbname", ""), safe="")
    host = pairs.get("host", "")
    netloc = ""
    if host and not host.startswith("/") and "," not in host and ":" not in host:
        netloc = quote(pairs.pop("host"), safe="")
        port = pairs.get("port", "")
        if port.isdigit():
            netloc += ":" + pairs.pop("port")
    if userinfo:
        netloc = f"{userinfo}@{netloc}"
    query = f"?{urlencode(pairs)}" if pairs else ""
    return f"postgresql://{netloc}/{dbname}{query}"


# A password in any form of address: the userinfo of a URL (`scheme://user:secret@host`), a
# query parameter (`?password=secret`) and a libpq keyword (`password=secret`, also quoted:
# `password='a b'`); `sslpassword` too.
_USERINFO_SECRET = re.compile(r"(\b[A-Za-z][A-Za-z0-9+.-]*://[^/@\s:]*:)[^@\n]*(@)")
_QUERY_SECRET = re.compile(r"([?&](?:ssl)?password=)[^&#\s]*", re.IGNORECASE)
_KEYWORD_SECRET = re.compile(
    r"(?<![?&\w])((?:ssl)?password\s*=\s*)('(?:[^'\\]|\\.)*'?|[^\s']\S*)", re.IGNORECASE
)
HIDDEN = "***"


def redact_address(text: str) -> str:
    """`text` (a database address, or a message that quotes one) with every password hidden
    as ***: URL userinfo, `password=` as a query parameter and as a libpq keyword (quoted or
    not). The one function every place that shows an address uses (`info`, the home screen,
    every error message). Cheap: the loading screen uses it before SQLAlchemy loads;
    `models.db` exports it too."""
    text = _USERINFO_SECRET.sub(rf"\1{HIDDEN}\2", text)
    text = _QUERY_SECRET.sub(rf"\1{HIDDEN}", text)
    return _KEYWORD_SECRET.sub(lambda m: m.group(1) + HIDDEN, text)


def shown_address(target: str) -> str:
    """A database address as the screens show it: no password in any form (`redact_address`),
    control characters as visible placeholders, at most 200 characters."""
    return visible(redact_address(target), 200)
