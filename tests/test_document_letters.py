"""Letters (issue #13 item 5): invitations with a letter text per kind of body, German by
default and English with --lang en, signed from the config; minutes with begin and end,
who took them, signature lines, and words where a TOP holds nothing."""

from __future__ import annotations

import pytest

from documents_support import demo_documents, visible_text

NETWORK = ["-n", "stadtteiltisch-schmarl"]


def _agenda(cli, *args):
    result = cli("agenda", "render", "next", *NETWORK, *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_invitation_is_a_letter(cli, demo):
    text = _agenda(cli)
    expected_in_order = [
        "Liebe Akteurinnen und Akteure im Stadtteil,",
        "hiermit laden wir Sie herzlich zur Sitzung „12. Stadtteiltisch Schmarl“ ein. "
        "Wir treffen uns am Dienstag, 8. Dezember 2026 um 18:00 Uhr "
        "(Ort: Begegnungszentrum Haus 12).",
        "Gäste aus dem Stadtteil sind herzlich willkommen.",
        "Bitte sagen Sie uns kurz, ob Sie kommen, oder entschuldigen Sie sich, wenn Sie "
        "verhindert sind: 0381 0000 110 oder stadtteilmanagement@rostock.example.",
        "Herzliche Grüße  \nStadtteilmanagement Groß Klein und Schmarl",
        "## Tagesordnung",
    ]
    positions = [text.index(part) for part in expected_in_order]
    assert positions == sorted(positions)


def test_the_invitation_in_english(cli, demo):
    text = _agenda(cli, "--lang", "en")
    assert "Dear members and guests of the Stadtteiltisch," in text
    assert "We cordially invite you to the meeting “12. Stadtteiltisch Schmarl”" in text
    assert "Please let us know whether you will come, or send your apologies" in text
    assert "Kind regards" in text


def test_the_signature_comes_from_the_config(cli, demo):
    result = cli("config", "set", "letterhead.signature", "Anna Müller, Stadtteilmanagerin")
    assert result.exit_code == 0, result.output
    assert "Herzliche Grüße  \nAnna Müller, Stadtteilmanagerin" in _agenda(cli)
    html = visible_text(_agenda(cli, "--format", "html"))
    assert "Herzliche Grüße Anna Müller, Stadtteilmanagerin" in html


@pytest.mark.parametrize(
    ("kind", "greeting", "closing"),
    [
        ("lenkungsgruppe", "Sehr geehrte Mitglieder der Lenkungsgruppe,", "Mit freundlichen"),
        ("ortsbeirat", "Sehr geehrte Mitglieder des Ortsbeirats,", "Mit freundlichen Grüßen"),
        ("arbeitskreis", "Liebe Mitglieder des Arbeitskreises,", "Herzliche Grüße"),
        ("buendnis", "Liebe Bündnispartnerinnen und Bündnispartner,", "Herzliche Grüße"),
        ("netzwerk", "Liebe Netzwerkpartnerinnen und Netzwerkpartner,", "Herzliche Grüße"),
    ],
)
def test_each_kind_of_body_has_its_letter(demo, kind, greeting, closing):
    with demo.session() as session:
        document = demo_documents(session)["agenda"]
    data = document.copy()
    data["meeting"]["network"]["kind"] = kind
    for text in (document.text("md", data=data), visible_text(document.text("html", data=data))):
        assert greeting in text and closing in text
    if kind == "ortsbeirat":
        assert "Die Sitzung ist öffentlich" in document.text("md", data=data)


def test_the_letter_can_be_overridden(cli, demo, tmp_path):
    folder = tmp_path / "vorlagen"
    folder.mkdir()
    (folder / "letter.j2").write_text(
        "{% macro greeting(kind) %}Moin,{% endmacro %}"
        "{% macro invitation(m, md=false) %}kommt alle.{% endmacro %}"
        "{% macro kind_note(kind) %}{% endmacro %}"
        "{% macro reply(md=false) %}Sagt Bescheid.{% endmacro %}"
        "{% macro closing(kind) %}Tschüss{% endmacro %}"
        "{% macro signature(md=false) %}Anna{% endmacro %}",
        encoding="utf-8",
    )
    assert cli("config", "set", "templates_dir", str(folder)).exit_code == 0
    text = _agenda(cli)
    assert "Moin,\n\nkommt alle.\n\nSagt Bescheid.\n\nTschüss  \nAnna" in text


def _minutes(cli, *args):
    result = cli("minutes", "render", "last", *NETWORK, *args)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_minutes_have_begin_end_takers_and_signature_lines(cli, demo):
    text = _minutes(cli)
    assert "- Beginn: 18:00 Uhr\n- Ende: 19:40 Uhr\n" in text
    assert "- **Protokoll:** Heike Sommerfeld (Heimatverein Dorf Schmarl e.V.)" in text
    assert "## Unterschriften" in text and "| Sitzungsleitung | Protokoll |" in text
    empty = "Zu diesem Tagesordnungspunkt wurde nichts protokolliert."
    assert f"TOP 7: Verschiedenes\n\n{empty}" in text
    assert "\n–\n" not in text
    html = visible_text(_minutes(cli, "--format", "html"))
    assert "Ende: 19:40 Uhr" in html
    assert "Sitzungsleitung: Anna Müller" in html and "Protokoll: Heike Sommerfeld" in html
    english = _minutes(cli, "--lang", "en")
    assert "- End: 19:40" in english and "Nothing was minuted under this item." in english


def test_the_end_time_is_recorded_with_meeting_edit(cli, demo):
    result = cli("meeting", "edit", "last", *NETWORK, "--end", "20:15")
    assert result.exit_code == 0, result.output
    assert "- Ende: 20:15 Uhr" in _minutes(cli)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("17:00", "Error: --end: must be after the start (18:00), e.g. 19:30"),
        ("25:00", "Error: --end:"),
    ],
)
def test_a_wrong_end_time_is_exit_2_and_changes_nothing(cli, demo, value, message):
    before = _minutes(cli)
    result = cli("meeting", "edit", "last", *NETWORK, "--end", value)
    assert result.exit_code == 2
    assert result.stderr.startswith(message) and len(result.stderr.strip().splitlines()) == 1
    assert _minutes(cli) == before
