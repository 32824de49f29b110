"""Numbers in words: every document counts through one plural helper (issue #13 item 2).

Each document of the demo is rendered with its counts set to 0, 1 and 2, in Markdown and
HTML, German and English, and the phrases must read as a person writes them:
"1 Enthaltung", "2 Enthaltungen", "1 Gegenstimme", "7 Ja-Stimmen", "1 Seite".
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from documents_support import demo_documents, visible_text
from stm.wording import plural

WORDS = {
    "de": {
        "yes": ("Ja-Stimme", "Ja-Stimmen"),
        "no": ("Gegenstimme", "Gegenstimmen"),
        "abstain": ("Enthaltung", "Enthaltungen"),
        "page": ("Seite", "Seiten"),
        "entry": ("Eintrag", "Einträge"),
        "article": ("Beitrag", "Beiträge"),
        "copy": ("Exemplar", "Exemplare"),
        "day": ("Tag", "Tage"),
        "issue": ("Ausgabe", "Ausgaben"),
        "present": ("Person anwesend", "Personen anwesend"),
    },
    "en": {
        "yes": ("vote in favour", "votes in favour"),
        "no": ("vote against", "votes against"),
        "abstain": ("abstention", "abstentions"),
        "page": ("page", "pages"),
        "entry": ("entry", "entries"),
        "article": ("article", "articles"),
        "copy": ("copy", "copies"),
        "day": ("day", "days"),
        "issue": ("issue", "issues"),
        "present": ("present", "present"),
    },
}


def phrase(n: int, word: str, lang: str) -> str:
    one, other = WORDS[lang][word]
    return f"{n} {one if n == 1 else other}"


@pytest.fixture
def documents(demo):
    with demo.session() as session:
        yield {lang: demo_documents(session, lang) for lang in ("de", "en")}


def _seen(document, data, lang):
    markdown = document.text("md", lang, data)
    html = visible_text(document.text("html", lang, data))
    return " ".join(markdown.replace("*", "").split()), html


COUNTS = [0, 1, 2]
LANGS = ["de", "en"]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("n", COUNTS)
def test_minutes_votes(documents, n, lang):
    document = documents[lang]["minutes"]
    data = document.copy()
    item = next(i for i in data["items"] if i["decisions"])
    item["decisions"][0].update(yes=n, no=n, abstain=n)
    expected = f"{phrase(n, 'yes', lang)}, {phrase(n, 'no', lang)}, {phrase(n, 'abstain', lang)}"
    for text in _seen(document, data, lang):
        assert expected in text


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("n", COUNTS)
def test_report_counts(documents, n, lang):
    document = documents[lang]["report"]
    data = document.copy()
    meeting = next(m for m in data["meetings"] if m["decisions"])
    meeting["decisions"][0]["votes"] = {"yes": n, "no": n, "abstain": n}
    meeting["present"] = n
    data["concerns"]["median_days_to_answer"] = n
    data["newspaper"] = [dict(data["newspaper"][0], articles=n) for _ in range(n)]
    markdown, html = _seen(document, data, lang)
    for text in (markdown, html):
        assert f"{phrase(n, 'yes', lang)}, {phrase(n, 'no', lang)}" in text
        assert f"{phrase(n, 'abstain', lang)}" in text
        assert phrase(n, "day", lang) in text
        assert phrase(n, "issue", lang) in text
        if n:  # a meeting's attendance shows where there is any
            assert phrase(n, "present", lang) in text
    if n:  # the HTML has the articles in a table column
        assert phrase(n, "article", lang) in markdown


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("n", COUNTS)
def test_contact_sheet_entries(documents, n, lang):
    document = documents[lang]["contacts"]
    data = document.copy()
    data["count"] = n
    for text in _seen(document, data, lang):
        assert phrase(n, "entry", lang) in text


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("n", COUNTS)
def test_newspaper_plan_pages_and_articles(documents, n, lang):
    document = documents[lang]["paper"]
    data = document.copy()
    data["totals"].update(pages_free=n, overbooked=False, articles=n)
    for text in _seen(document, data, lang):
        assert phrase(n, "page", lang) in text
    data["totals"].update(pages_free=-n, overbooked=True)
    if n:
        data["issue"].update(print_run=n, pages=n)
        for text in _seen(document, data, lang):
            assert phrase(n, "page", lang) in text
            assert phrase(n, "copy", lang) in text


def test_the_old_wrong_words_are_gone(documents):
    for document in documents["de"].values():
        for text in _seen(document, document.data, "de"):
            for wrong in ("Zustimmen", "1 Enthaltungen", "1 Gegenstimmen", "1 Seiten"):
                assert wrong not in text


def test_the_helper_follows_babels_rules_and_formats_decimals():
    assert plural(1, "abstention") == "1 Enthaltung"
    assert plural(0, "abstention", lang="en") == "0 abstentions"
    assert plural(1.5, "page") == "1,5 Seiten"
    assert plural(1.5, "page", lang="en") == "1.5 pages"
    assert plural(1, "Beitrag", "Beiträge") == "1 Beitrag"
    assert plural(None, "page") == "0 Seiten"


# --------------------------------------------------------------- the report (item 6)


def test_report_names_addressees_by_kind_and_shows_budgets(cli, demo):
    added = cli("concerns", "add", "Hausflur unbeleuchtet", "-d", "gross-klein", "--json")
    assert added.exit_code == 0, added.output
    concern = json.loads(added.stdout)["id"]
    forwarded = cli("concerns", "forward", str(concern), "--to", "WIRO Wohnen in Rostock")
    assert forwarded.exit_code == 0, forwarded.output
    text = cli("report", "monthly", "--month", "2026-11").stdout
    assert "an Wohnungsunternehmen" in text
    assert "an die Verwaltung weitergeleitet" not in text
    october = cli("report", "monthly", "--month", "2026-10").stdout
    assert "5 weitergeleitet (5 an die Verwaltung)" in october
    assert (
        "| FuN – Familie und Nachbarschaft | Landeshauptstadt Potsdam, Fachbereich Soziales | "
        "Sozialer Zusammenhalt | 48.000,00\xa0€ |" in october
    )
    data = json.loads(cli("report", "monthly", "--month", "2026-10", "--format", "json").stdout)
    assert {p["title"]: p["budget"] for p in data["projects"]["active"]}[
        "FuN – Familie und Nachbarschaft"
    ] == "48000.00"
    english = cli("report", "monthly", "--month", "2026-11", "--lang", "en").stdout
    assert "to housing companies" in english


@settings(deadline=None, max_examples=300)
@given(
    st.one_of(
        st.integers(min_value=-10**9, max_value=10**9),
        st.decimals(min_value=-10**7, max_value=10**7, places=4, allow_nan=False,
                    allow_infinity=False),
        st.floats(min_value=-10**6, max_value=10**6, allow_nan=False, allow_infinity=False),
    ),
    st.sampled_from(["de", "en"]),
)  # fmt: skip
def test_counts_and_their_words_are_written_as_babel_writes_them(value, lang):
    """The German and English fast paths give Babel's text (CLDR's patterns and rules)."""
    from decimal import Decimal

    from babel import Locale
    from babel.numbers import format_decimal

    from stm.wording import format_count, plural_word

    locale = "de_DE" if lang == "de" else "en_GB"
    number = Decimal(str(value))
    whole = number == number.to_integral_value()
    expected = str(int(number)) if whole else format_decimal(number.normalize(), locale=locale)
    assert format_count(value, lang) == expected
    exact = int(number) if whole else float(number)
    one = Locale.parse(locale).plural_form(exact) == "one"
    words = {"de": ("Seite", "Seiten"), "en": ("page", "pages")}[lang]
    assert plural_word(value, "page", None, lang) == words[0 if one else 1]
