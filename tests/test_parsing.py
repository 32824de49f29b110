"""Parsers of what users type: dates, times, money, names (with property tests)."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stm.errors import Invalid
from stm.names import fold, slugify
from stm.parsing import parse_date, parse_money, parse_month, parse_time

TODAY = date(2026, 11, 20)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-08", date(2026, 12, 8)),
        ("8.12.2026", date(2026, 12, 8)),
        ("08.12.26", date(2026, 12, 8)),
        ("18.06.2022", date(2022, 6, 18)),
        ("8.6.22", date(2022, 6, 8)),
        ("heute", TODAY),
        ("Today", TODAY),
        ("morgen", date(2026, 11, 21)),
        ("tomorrow", date(2026, 11, 21)),
    ],
)
def test_dates(text, expected):
    assert parse_date(text, today=TODAY) == expected


@pytest.mark.parametrize(
    "text", ["30.02.2026", "2026-13-01", "32.1.2026", "next week", "", "8/12/2026"]
)
def test_bad_dates_name_the_field_and_forms(text):
    with pytest.raises(Invalid) as error:
        parse_date(text, "--date")
    assert str(error.value).startswith("--date: ")
    assert "DD.MM.YYYY" in str(error.value)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2099, 12, 31)))
def test_every_date_round_trips_in_both_forms(day):
    assert parse_date(day.isoformat()) == day
    assert parse_date(f"{day.day}.{day.month}.{day.year}") == day
    assert parse_date(day.strftime("%d.%m.%Y")) == day


@pytest.mark.parametrize(
    ("text", "expected"),
    [("18:00", time(18, 0)), ("18 Uhr", time(18, 0)), ("9.30", time(9, 30)), ("0:05", time(0, 5))],
)
def test_times(text, expected):
    assert parse_time(text) == expected


@pytest.mark.parametrize("text", ["25:00", "18:60", "abends", "1800"])
def test_bad_times(text):
    with pytest.raises(Invalid, match="--time"):
        parse_time(text, "--time")


@given(st.times())
def test_every_time_round_trips(moment):
    assert parse_time(moment.strftime("%H:%M")) == moment.replace(second=0, microsecond=0)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12500.50", "12500.50"),
        ("12.500,50", "12500.50"),
        ("12.500,50 €", "12500.50"),
        ("12500", "12500.00"),
        ("1.234.567,8", "1234567.80"),
        ("12,50", "12.50"),
        ("12,500.50", "12500.50"),
        ("52.000", "52000.00"),
        ("250.000", "250000.00"),
        ("95.500", "95500.00"),
        ("1.250.000", "1250000.00"),
        ("52.000,50", "52000.50"),
        ("EUR 1.234", "1234.00"),
        ("1.234 EUR", "1234.00"),
        ("52,000.50", "52000.50"),
        ("1,250,000", "1250000.00"),
        ("52000", "52000.00"),
        ("0,50", "0.50"),
        ("1.5", "1.50"),
        ("52 Euro", "52.00"),
    ],
)
def test_money(text, expected):
    assert parse_money(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["12,5,0", "zwölf", "1.2.3,4.5", "-5", ""])
def test_bad_money(text):
    with pytest.raises(Invalid, match="budget"):
        parse_money(text)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("450,005", "ambiguous"),
        ("52,000", "ambiguous"),
        ("52.000,505", "3 decimals"),
        ("12,500.505", "3 decimals"),
        ("1.5000", "4 decimals"),
        ("0.500", "ambiguous"),
        ("1234.567", "misplaced separators"),
        ("52.000.50", "not an amount"),
        ("1.000.000.000.000", "too large"),
    ],
)
def test_money_refuses_what_could_be_read_two_ways(text, says):
    """A third decimal or a comma that may be thousands is refused, never cut or guessed."""
    with pytest.raises(Invalid, match=says):
        parse_money(text)


def _money_spellings(amount: Decimal) -> list[str]:
    """The ways an office writes an amount: German and English, with and without separators."""
    english = f"{amount:,.2f}"
    german = english.replace(",", "X").replace(".", ",").replace("X", ".")
    forms = [f"{amount:.2f}", english, german, german + " €", "EUR " + german]
    forms.append(f"{amount:.2f}".replace(".", ","))
    if amount == amount.to_integral_value():
        whole = int(amount)
        forms += [str(whole), f"{whole:,}".replace(",", "."), f"{whole:,}".replace(",", ".") + " €"]
        if whole >= 1_000_000:
            forms.append(f"{whole:,}")  # 52,000 alone is ambiguous; 1,250,000 is not
    return forms


@given(
    st.one_of(
        st.decimals(min_value=0, max_value=10**9, places=2),
        st.integers(min_value=0, max_value=10**9).map(Decimal),
    )
)
def test_money_round_trips_every_spelling(amount):
    for spelling in _money_spellings(amount):
        assert parse_money(spelling) == amount, spelling


def test_months():
    assert parse_month("2026-11", today=TODAY) == date(2026, 11, 1)
    assert parse_month("last", today=TODAY) == date(2026, 10, 1)
    assert parse_month("last", today=date(2026, 1, 15)) == date(2025, 12, 1)
    with pytest.raises(Invalid, match="--month: '2026-13'"):
        parse_month("2026-13")


@pytest.mark.parametrize(
    "spelling", ["Groß Klein", "gross-klein", "grossklein", "GROSS KLEIN", "Groß-Klein"]
)
def test_district_spellings_fold_alike(spelling):
    assert fold(spelling) == "grossklein"


@given(st.text())
def test_slugs_are_safe_and_stable(text):
    slug = slugify(text)
    assert slug == slugify(slug)
    assert all(c.isascii() and (c.isalnum() or c == "-") for c in slug)
    assert fold(slug) == fold(text) or not slug


def _reference_ascii(text):
    """How `stm.names` folded before its fast paths: every character decomposed."""
    import unicodedata

    german = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "ẞ": "ss"})
    letters = str.maketrans(
        {"ı": "i", "ø": "o", "ł": "l", "æ": "ae", "œ": "oe", "đ": "d", "þ": "th", "ð": "d",
         "ħ": "h", "ŀ": "l", "ŋ": "n", "ŧ": "t", "ſ": "s", "ĸ": "k", "ƒ": "f"}
    )  # fmt: skip
    decomposed = unicodedata.normalize("NFKD", text.lower().translate(german)).translate(letters)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("mehmet yilmaz", "Mehmet Yılmaz"),
        ("MEHMET YILMAZ", "Mehmet Yılmaz"),
        ("istanbul", "İstanbul"),
        ("soren bjorn", "Søren Bjørn"),
        ("lukasz walesa", "Łukasz Wałęsa"),
        ("aeble", "Æble"),
        ("oeuvre", "Œuvre"),
        ("gross klein", "Groß Klein"),
        ("dordevic", "Đorđević"),
        ("thordur", "Þórður"),
        ("ayse oeztuerk", "Ayşe Öztürk"),
    ],
)
def test_folding_spells_out_latin_letters(typed, stored):
    """ı, İ, ø, ł, æ, œ, ß, đ, þ: a name is found however it is typed."""
    assert fold(typed) == fold(stored)


@given(
    st.text()
    | st.sampled_from(["Groß Klein", "ẞ", "Çağrı Öztürk", "Zoë Yılmaz", "İstanbul", "ﬁ x̧ ǅ"])
)
def test_fast_folding_folds_as_every_character_decomposed(text):
    import re

    from stm.names import fold_words

    reference = _reference_ascii(text)
    assert fold(text) == re.sub(r"[^a-z0-9]+", "", reference)
    assert fold_words(text) == " ".join(re.sub(r"[^a-z0-9]+", " ", reference).split())
    assert slugify(text) == re.sub(r"[^a-z0-9]+", "-", reference).strip("-")


@pytest.mark.parametrize(
    ("typed", "stored", "key"),
    [
        ("(905) 555-1234", "(905) 555-1234", "9055551234"),
        ("(0381) 123456", "(0381) 123456", "0381123456"),
        ("+49 (0)381 123456", "+49 (0)381 123456", "0381123456"),
        ("0049 381 123456", "0049 381 123456", "0381123456"),
        ("tel:+49-381-123456;ext=12", "+49-381-123456;ext=12", "0381123456x12"),
        ("0381 123456 ext. 12", "0381 123456 ext. 12", "0381123456x12"),
        ("0381/123456 x12", "0381/123456 x12", "0381123456x12"),
        ("tel:+1-555-555-5555", "+1-555-555-5555", "0015555555555"),
    ],
)
def test_phones_as_people_write_them(typed, stored, key):
    from stm.parsing import parse_phone, phone_key

    assert parse_phone(typed) == stored
    assert phone_key(typed) == key == phone_key(stored)


@pytest.mark.parametrize("typed", ["call me", "(0381 123", "((0381)) 1", "0381 123456 ext. ", "+"])
def test_what_is_no_phone_number(typed):
    from stm.parsing import parse_phone

    with pytest.raises(Invalid, match=r"--phone: .* is not a phone number; e.g. 0381 123456"):
        parse_phone(typed)
