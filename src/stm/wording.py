"""How values read in documents and messages, per language: dates, times, money, counts
and their plural words (Babel's CLDR data; the common German and English forms written
directly, for long lists)."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import ROUND_HALF_EVEN, Decimal
from functools import lru_cache

from stm.errors import Invalid

_LOCALES = {"de": "de_DE", "en": "en_GB"}


def locale_of(lang: str) -> str:
    """Babel's locale for a document language (`de` → `de_DE`, `en` → `en_GB`)."""
    return _LOCALES.get(lang, "de_DE")


def format_date_long(value: date | datetime | None, lang: str = "de") -> str:
    """`Dienstag, 8. Dezember 2026` (en: `Tuesday, 8 December 2026`)."""
    if value is None:
        return ""
    from babel.dates import format_date

    day = value.date() if isinstance(value, datetime) else value
    return format_date(day, format="full", locale=locale_of(lang))


def format_time(value: time | datetime | None, lang: str = "de") -> str:
    """`18:00 Uhr` (en: `18:00`)."""
    if value is None:
        return ""
    moment = value.time() if isinstance(value, datetime) else value
    text = f"{moment.hour:02d}:{moment.minute:02d}"
    return f"{text} Uhr" if lang == "de" else text


def format_datetime_long(value: datetime | None, lang: str = "de") -> str:
    """`Dienstag, 8. Dezember 2026, 18:00 Uhr` (en: `Tuesday, 8 December 2026, 18:00`)."""
    if value is None:
        return ""
    return f"{format_date_long(value, lang)}, {format_time(value, lang)}"


@lru_cache(maxsize=4096)
def format_date_short(value: date | datetime | None, lang: str = "de") -> str:
    """`08.12.2026` (en: `8 Dec 2026`).

    Cached: a list of 10,000 receipts names a few hundred days."""
    if value is None:
        return ""
    day = value.date() if isinstance(value, datetime) else value
    if lang == "de":
        return f"{day.day:02d}.{day.month:02d}.{day.year:04d}"
    from babel.dates import format_date

    return format_date(day, format="medium", locale=locale_of(lang))


def format_money(value: Decimal | str | float | None, lang: str = "de") -> str:
    """`12.500,50 €` (en: `€12,500.50`)."""
    if value is None or value == "":
        return ""
    amount = Decimal(str(value))
    if lang in ("de", "en") and amount.is_finite():
        # What Babel writes for de_DE and en_GB, without its cost per call (a list of
        # 10,000 receipts spent most of its time here).
        sign = "-" if amount.is_signed() else ""
        whole, cents = f"{abs(amount):,.2f}".split(".")
        if lang == "en":
            return f"{sign}€{whole}.{cents}"
        return f"{sign}{whole.replace(',', '.')},{cents}\u00a0€"
    from babel.numbers import format_currency

    return format_currency(amount, "EUR", locale=locale_of(lang))


# ----------------------------------------------------------------------------- plurals

#: The counted words of the documents, per language: (one, other), chosen by Babel's CLDR
#: plural rules. Templates say `{{ n|plural('abstention') }}` ("1 Enthaltung"), or give
#: their own words: `{{ n|plural('Beitrag', 'Beiträge') }}`.
COUNT_WORDS: dict[str, dict[str, tuple[str, str]]] = {
    "yes_vote": {"de": ("Ja-Stimme", "Ja-Stimmen"), "en": ("vote in favour", "votes in favour")},
    "no_vote": {"de": ("Gegenstimme", "Gegenstimmen"), "en": ("vote against", "votes against")},
    "abstention": {"de": ("Enthaltung", "Enthaltungen"), "en": ("abstention", "abstentions")},
    "page": {"de": ("Seite", "Seiten"), "en": ("page", "pages")},
    "entry": {"de": ("Eintrag", "Einträge"), "en": ("entry", "entries")},
    "article": {"de": ("Beitrag", "Beiträge"), "en": ("article", "articles")},
    "copy": {"de": ("Exemplar", "Exemplare"), "en": ("copy", "copies")},
    "day": {"de": ("Tag", "Tage"), "en": ("day", "days")},
    "issue": {"de": ("Ausgabe", "Ausgaben"), "en": ("issue", "issues")},
    "event": {"de": ("Veranstaltung", "Veranstaltungen"), "en": ("event", "events")},
    "meeting": {"de": ("Sitzung", "Sitzungen"), "en": ("meeting", "meetings")},
    "decision": {"de": ("Beschluss", "Beschlüsse"), "en": ("decision", "decisions")},
    "task": {"de": ("Aufgabe", "Aufgaben"), "en": ("task", "tasks")},
    "project": {"de": ("Projekt", "Projekte"), "en": ("project", "projects")},
    "concern": {"de": ("Anliegen", "Anliegen"), "en": ("concern", "concerns")},
    "actor": {"de": ("Akteur", "Akteure"), "en": ("actor", "actors")},
    "person": {"de": ("Person", "Personen"), "en": ("person", "people")},
    "participant": {"de": ("Teilnahme", "Teilnahmen"), "en": ("participant", "participants")},
    "present": {"de": ("Person anwesend", "Personen anwesend"), "en": ("present", "present")},
    "minute": {"de": ("Minute", "Minuten"), "en": ("minute", "minutes")},
    "item": {"de": ("Tagesordnungspunkt", "Tagesordnungspunkte"), "en": ("item", "items")},
}


def format_count(value: int | float | Decimal | None, lang: str = "de") -> str:
    """A count as the document's language writes it: `3`, `1,5` (en: `1.5`)."""
    if value is None:
        return ""
    number = Decimal(str(value))
    if number == number.to_integral_value():
        return str(int(number))
    if lang in ("de", "en") and number.is_finite():
        # What Babel writes for de_DE and en_GB (#,##0.###, rounded half to even), without
        # loading Babel's locale data for a percentage.
        text = f"{number.quantize(_THOUSANDTH, ROUND_HALF_EVEN).normalize():,f}"
        return text.translate(_GERMAN_SEPARATORS) if lang == "de" else text
    from babel.numbers import format_decimal

    return str(format_decimal(number.normalize(), locale=locale_of(lang)))


_THOUSANDTH = Decimal("0.001")
_GERMAN_SEPARATORS = str.maketrans({",": ".", ".": ","})


def plural_word(value: int | float | Decimal, word: str, other: str | None, lang: str) -> str:
    """The word for `value` things: a key of COUNT_WORDS, or the one and other forms."""
    if other is None:
        forms = COUNT_WORDS.get(word)
        if forms is None:
            raise Invalid("template", f"no plural for {word!r}; give both forms")
        one, many = forms.get(lang, forms["de"])
    else:
        one, many = word, other
    number = Decimal(str(value))
    if lang in ("de", "en"):  # CLDR's rule for both, as Babel applies it to a whole 1
        return one if abs(number) == 1 else many
    from babel import Locale

    exact = int(number) if number == number.to_integral_value() else float(number)
    return one if Locale.parse(locale_of(lang)).plural_form(exact) == "one" else many


def plural(
    value: int | float | Decimal | None, word: str, other: str | None = None, lang: str = "de"
) -> str:
    """`1 Enthaltung`, `2 Enthaltungen`, `0 Enthaltungen` (en: `1 abstention`, …)."""
    count = value or 0
    return f"{format_count(count, lang)} {plural_word(count, word, other, lang)}"
