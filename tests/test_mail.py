"""Mail against a real SMTP server (aiosmtpd on 127.0.0.1): invitations with iTIP,
updates, cancels, minutes, reminders, the send log, interrupted runs and bad input.

The clock is pinned to Friday, 20 November 2026, 10:00; the 12th Stadtteiltisch Schmarl
is on Tuesday, 8 December 2026, 18:00.
"""

from __future__ import annotations

import os
import stat
from email import policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from sqlmodel import select

from mail_support import (
    PASSWORD,
    USER,
    SmtpServer,
    calendar_of,
    parts,
    vevent,
    write_mail_config,
)
from stm.models import MailSent

MEMBERS = {
    "anna@example.org": "Anna Müller",
    "info@heimatverein-schmarl.example": "Heimatverein Dorf Schmarl e.V.",
}


def _ok(result):
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture
def smtp():
    with SmtpServer() as server:
        yield server


@pytest.fixture
def configured(smtp, tmp_path: Path):
    write_mail_config(tmp_path / "config.toml", smtp.port)
    return smtp


def _setup(cli) -> None:
    """The Stadtteiltisch Schmarl with three members (one reached via her organisation,
    one without any address) and its 12th meeting on 8 December 2026."""
    _ok(cli("networks", "add", "Stadtteiltisch Schmarl", "--kind", "stadtteiltisch",
            "-d", "schmarl"))  # fmt: skip
    _ok(cli("actors", "add", "Anna Müller", "--kind", "person", "--email", "anna@example.org"))
    _ok(cli("actors", "add", "Heimatverein Dorf Schmarl e.V.", "--kind", "association",
            "--email", "info@heimatverein-schmarl.example"))  # fmt: skip
    _ok(cli("actors", "add", "Jörg Weiß", "--kind", "person"))
    for name in ("Anna Müller", "Heimatverein Dorf Schmarl e.V.", "Jörg Weiß"):
        _ok(cli("networks", "join", "stadtteiltisch-schmarl", name))
    _ok(cli("meeting", "new", "stadtteiltisch-schmarl", "--date", "8.12.2026", "--time",
            "18:00", "--location", "Begegnungszentrum Haus 12", "--number", "12"))  # fmt: skip


def _sent(register) -> list[MailSent]:
    with register.session() as session:
        rows = list(session.exec(select(MailSent).order_by(MailSent.id)).all())
        session.expunge_all()
    return rows


# ----------------------------------------------------------------------------- invitations


def test_invitation_one_message_per_member_with_text_html_calendar_and_pdf(
    cli, register, configured
):
    _setup(cli)
    result = _ok(cli("agenda", "send", "next", "--yes"))
    assert "Not mailed (no e-mail address, nor an organisation's): Jörg Weiß" in result.stderr
    assert "Sent the invitation to 12. Stadtteiltisch Schmarl to 2 recipient(s)" in result.stdout
    received = configured.handler.received
    assert sorted(configured.handler.to()) == sorted(MEMBERS)
    for message in received:
        assert len(message["To"].addresses) == 1 and message["Cc"] is None
        assert parts(message) == ["multipart/mixed", "multipart/alternative", "text/plain",
                                  "text/html", "text/calendar", "application/pdf"]  # fmt: skip
        assert message["Subject"] == "Einladung: 12. Stadtteiltisch Schmarl am 08.12.2026"
        assert message["From"].addresses[0].addr_spec == "buero@stadtteil.example"
        assert message["From"].addresses[0].display_name == "Stadtteilmanagement Schmarl"
        assert (
            message["Message-ID"].startswith("<") and "@stadtteil.example>" in message["Message-ID"]
        )
        assert message["Date"].datetime.isoformat() == "2026-11-20T10:00:00+01:00"
        text = message.get_body(("plain",)).get_content()
        assert "hiermit laden wir Sie herzlich zur Sitzung „12. Stadtteiltisch Schmarl“" in text
        assert "Dienstag, 8. Dezember 2026 um 18:00 Uhr (Ort: Begegnungszentrum Haus 12)" in text
        assert "TOP 1  18:00 Uhr  Begrüßung und Regularien" in text
        html = message.get_body(("html",)).get_content()
        assert "<h2" in html and "Tagesordnung" in html and "Begegnungszentrum Haus 12" in html
        calendar_part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
        assert calendar_part.get_param("method") == "REQUEST"
        pdf = next(p for p in message.walk() if p.get_content_type() == "application/pdf")
        assert pdf.get_filename() == "Tagesordnung-12-stadtteiltisch-schmarl.pdf"
        assert pdf.get_content().startswith(b"%PDF")
    # the raw header is RFC 2047 encoded, the umlaut of the sender's name survives
    raw = received[0].as_bytes()
    assert b"Subject: Einladung: 12. Stadtteiltisch Schmarl am 08.12.2026" in raw
    anna = next(m for m in received if m["To"].addresses[0].addr_spec == "anna@example.org")
    assert anna["To"].addresses[0].display_name == "Anna Müller"
    assert b"=?utf-8?" in anna.as_bytes().split(b"\n\n")[0].split(b"To:")[1][:60]


def test_invitation_icalendar_has_organizer_attendee_uid_and_sequence(cli, register, configured):
    _setup(cli)
    _ok(cli("agenda", "send", "next", "--yes"))
    uids = set()
    for message in configured.handler.received:
        calendar = calendar_of(message)
        assert str(calendar["METHOD"]) == "REQUEST"
        event = vevent(message)
        uids.add(str(event["UID"]))
        assert int(event["SEQUENCE"]) == 0
        assert str(event["ORGANIZER"]) == "mailto:buero@stadtteil.example"
        assert event["ORGANIZER"].params["CN"] == "Stadtteilmanagement Schmarl"
        attendee = event["ATTENDEE"]
        to = message["To"].addresses[0].addr_spec
        assert str(attendee) == f"mailto:{to}"
        assert attendee.params["RSVP"] == "TRUE"
        assert attendee.params["CN"] == MEMBERS[to]
        assert event.decoded("DTSTART").isoformat() == "2026-12-08T18:00:00+01:00"
        assert str(event["LOCATION"]) == "Begegnungszentrum Haus 12"
        assert str(event["SUMMARY"]) == "12. Stadtteiltisch Schmarl"
    assert len(uids) == 1 and next(iter(uids)).startswith("meeting-")


def test_the_log_records_each_message_and_a_rerun_sends_nothing(cli, register, configured):
    _setup(cli)
    _ok(cli("agenda", "send", "next", "--yes"))
    rows = _sent(register)
    ids = {m["Message-ID"] for m in configured.handler.received}
    assert {r.message_id for r in rows} == ids
    assert {(r.kind, r.sequence, r.address) for r in rows} == {
        ("invitation", 0, a) for a in MEMBERS
    }
    again = _ok(cli("agenda", "send", "next", "--yes"))
    assert (
        "Nothing to send for the invitation to 12. Stadtteiltisch Schmarl; 2 have it"
        in again.stdout
    )
    assert len(configured.handler.received) == 2
    shown = _ok(cli("mail", "log", "--meeting", "next", "--json"))
    import json

    records = json.loads(shown.stdout)
    assert {r["address"] for r in records} == set(MEMBERS)
    assert {r["kind"] for r in records} == {"invitation"}
    assert all(r["meeting_title"] == "12. Stadtteiltisch Schmarl" for r in records)
    meeting = json.loads(_ok(cli("meeting", "show", "next", "--json")).stdout)
    assert meeting["state"] == "invited"


def test_a_person_without_address_gets_it_at_the_organisation(cli, register, configured):
    _setup(cli)
    _ok(cli("actors", "edit", "Jörg Weiß", "--organisation", "Heimatverein Dorf Schmarl e.V."))
    _ok(cli("agenda", "send", "next", "--yes"))
    to_org = [m for m in configured.handler.received
              if m["To"].addresses[0].display_name == "Jörg Weiß"]  # fmt: skip
    assert len(to_org) == 1
    assert to_org[0]["To"].addresses[0].addr_spec == "info@heimatverein-schmarl.example"


def test_to_sends_only_to_the_named_actor(cli, register, configured):
    _setup(cli)
    _ok(cli("agenda", "send", "next", "--to", "Anna Müller", "--yes"))
    assert configured.handler.to() == ["anna@example.org"]


def test_update_after_a_change_raises_sequence_for_everyone_invited(cli, register, configured):
    _setup(cli)
    _ok(cli("agenda", "send", "next", "--yes"))
    _ok(cli("meeting", "edit", "next", "--location", "Stadtteil- und Begegnungszentrum Börse"))
    result = _ok(cli("agenda", "send", "next", "--yes"))
    assert "to 2 recipient(s)" in result.stdout
    updates = configured.handler.received[2:]
    assert sorted(m["To"].addresses[0].addr_spec for m in updates) == sorted(MEMBERS)
    first_uid = str(vevent(configured.handler.received[0])["UID"])
    for message in updates:
        assert message["Subject"] == "Geänderte Einladung: 12. Stadtteiltisch Schmarl am 08.12.2026"
        event = vevent(message)
        assert int(event["SEQUENCE"]) == 1
        assert str(event["UID"]) == first_uid
        assert str(event["LOCATION"]) == "Stadtteil- und Begegnungszentrum Börse"
        assert "haben sich geändert" in message.get_body(("plain",)).get_content()
    assert {(r.kind, r.sequence) for r in _sent(register)[2:]} == {("update", 1)}
    # nothing changed since: nothing to send
    _ok(cli("agenda", "send", "next", "--yes"))
    assert len(configured.handler.received) == 4


def test_meeting_cancel_sends_method_cancel_with_the_same_uid(cli, register, configured):
    _setup(cli)
    _ok(cli("agenda", "send", "next", "--yes"))
    uid = str(vevent(configured.handler.received[0])["UID"])
    result = _ok(cli("meeting", "cancel", "1", "--yes"))
    assert "Cancelled meeting #1 12. Stadtteiltisch Schmarl" in result.stdout
    assert "Sent the cancellation of 12. Stadtteiltisch Schmarl to 2 recipient(s)" in result.stdout
    cancels = configured.handler.received[2:]
    assert len(cancels) == 2
    for message in cancels:
        assert str(calendar_of(message)["METHOD"]) == "CANCEL"
        part = next(p for p in message.walk() if p.get_content_type() == "text/calendar")
        assert part.get_param("method") == "CANCEL"
        event = vevent(message)
        assert str(event["UID"]) == uid
        assert int(event["SEQUENCE"]) == 1
        assert str(event["STATUS"]) == "CANCELLED"
        assert message["Subject"].startswith("Abgesagt: 12. Stadtteiltisch Schmarl")
    again = _ok(cli("meeting", "cancel", "1", "--yes"))
    assert "was cancelled already" in again.stdout and "Nothing to send" in again.stdout
    assert len(configured.handler.received) == 4
    refused = cli("agenda", "send", "1", "--yes")
    assert refused.exit_code == 1 and "meeting #1 is cancelled" in refused.stderr


def test_meeting_cancel_without_invitations_or_mail_says_so(cli, register, tmp_path):
    _setup(cli)
    result = _ok(cli("meeting", "cancel", "1", "--yes"))
    assert "No invitations were mailed for it; nobody to tell by mail" in result.stdout
    with register.session() as session:
        from stm.models import Event

        assert session.exec(select(Event.status)).all() == ["cancelled"]


# ----------------------------------------------------------------------------- interrupted


def test_a_dropped_connection_then_a_rerun_gives_everyone_exactly_one(cli, register, configured):
    _setup(cli)
    for index in range(4):
        _ok(cli("actors", "add", f"Mitglied {index}", "--kind", "person",
                "--email", f"mitglied{index}@example.org"))  # fmt: skip
        _ok(cli("networks", "join", "stadtteiltisch-schmarl", f"Mitglied {index}"))
    configured.handler.drop_at = 3  # the server drops the connection after two messages
    first = cli("agenda", "send", "next", "--yes")
    assert first.exit_code == 1
    failed = [line for line in first.stderr.splitlines() if line.startswith("Not sent to ")]
    assert len(failed) == 1 and "the connection was lost" in failed[0]
    assert "Error: 1 message(s) not sent; run the command again" in first.stderr
    assert "to 5 recipient(s)" in first.stdout
    assert len(_sent(register)) == 5  # nothing marked sent that was not sent
    second = _ok(cli("agenda", "send", "next", "--yes"))
    assert "to 1 recipient(s) (5 had it already)" in second.stdout
    addresses = configured.handler.to()
    assert len(addresses) == 6 and len(set(addresses)) == 6
    assert len(_sent(register)) == 6


def test_a_refused_address_is_named_and_the_rest_go_on(cli, register, configured):
    _setup(cli)
    configured.handler.refuse = {"anna@example.org"}
    result = cli("agenda", "send", "next", "--yes")
    assert result.exit_code == 1
    assert "Not sent to Anna Müller: the server refused it: 550 5.1.1 mailbox unavailable" in (
        result.stderr
    )
    assert configured.handler.to() == ["info@heimatverein-schmarl.example"]
    assert [r.address for r in _sent(register)] == ["info@heimatverein-schmarl.example"]


# ----------------------------------------------------------------------------- bad input


def test_no_mail_settings_is_one_line_and_nothing_logged(cli, register):
    _setup(cli)
    result = cli("agenda", "send", "next", "--yes")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines() == [
        "Error: mail.host: no mail server is configured; set it with 'stm config set "
        "mail.host smtp.example.org' (and mail.user, mail.from)"
    ]
    assert _sent(register) == []


def test_an_unreachable_server_is_one_line_and_nothing_logged(cli, register, tmp_path):
    from mail_support import free_port

    _setup(cli)
    port = free_port()
    write_mail_config(tmp_path / "config.toml", port)
    result = cli("agenda", "send", "next", "--yes")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 2 and lines[1].startswith(
        f"Error: cannot reach the mail server 127.0.0.1:{port}: "
    )
    assert lines[1].endswith("check mail.host and mail.port")
    assert _sent(register) == []
    json_state = _ok(cli("meeting", "show", "next", "--json")).stdout
    assert '"state": "scheduled"' in json_state


def test_a_refused_login_is_one_line_and_nothing_logged(cli, register, tmp_path, monkeypatch):
    _setup(cli)
    with SmtpServer(auth=True) as server:
        write_mail_config(tmp_path / "config.toml", server.port, user=USER)
        monkeypatch.setenv("STM_SMTP_PASSWORD", "falsch")
        result = cli("agenda", "send", "next", "--yes")
        assert result.exit_code == 1
        error = result.stderr.strip().splitlines()[-1]
        assert error.startswith(f"Error: the mail server 127.0.0.1:{server.port} refused the "
                                f"login of '{USER}': 535")  # fmt: skip
        assert error.endswith("check mail.user and the password")
        assert server.handler.received == [] and _sent(register) == []
        monkeypatch.setenv("STM_SMTP_PASSWORD", PASSWORD)
        _ok(cli("agenda", "send", "next", "--yes"))
        assert len(server.handler.received) == 2


def test_no_password_is_one_line(cli, register, tmp_path, monkeypatch):
    _setup(cli)
    write_mail_config(tmp_path / "config.toml", 2525, user=USER)
    monkeypatch.delenv("STM_SMTP_PASSWORD", raising=False)
    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    result = cli("agenda", "send", "next", "--yes")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        f"Error: mail.user: no password for {USER} on 127.0.0.1; set STM_SMTP_PASSWORD or "
        f"store it with 'keyring set stm {USER}'"
    )


def test_to_a_member_without_address_is_one_line(cli, register, configured):
    _setup(cli)
    result = cli("agenda", "send", "next", "--to", "Jörg Weiß", "--yes")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "Error: --to: Jörg Weiß has no e-mail address (nor has their organisation); add one "
        "with 'stm actors edit … --email'"
    )
    assert configured.handler.received == [] and _sent(register) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--dry-run"], "Error: --output: --dry-run needs -o DIR, the folder for the .eml files"),
        (
            ["-o", "out"],
            "Error: --output: -o DIR is for --dry-run; without it the messages are sent",
        ),
    ],
)
def test_dry_run_and_output_go_together(cli, register, configured, args, message):
    _setup(cli)
    result = cli("agenda", "send", "next", *args)
    assert result.exit_code == 2 and result.stderr.strip() == message
    assert configured.handler.received == []


@pytest.mark.parametrize(
    ("key", "value", "error"),
    [
        (
            "mail.security",
            "tls",
            "key 'mail.security' must be one of starttls, ssl, none, not 'tls'",
        ),
        ("mail.from", "kein-at", "key 'mail.from': 'kein-at' is not an e-mail address"),
        ("mail.port", "70000", "key 'mail.port' must be a port number 1 to 65535, not 70000"),
    ],
)
def test_bad_mail_settings_are_refused(cli, key, value, error):
    result = cli("config", "set", key, value)
    assert result.exit_code == 2
    assert error in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_a_password_in_the_config_is_refused(cli, tmp_path):
    result = cli("config", "set", "mail.password", "geheim")
    assert result.exit_code == 2
    assert result.stderr.strip().endswith(
        "key 'mail.password': the password is never kept in the config; set "
        "STM_SMTP_PASSWORD or store it with 'keyring set stm LOGIN'"
    )
    assert (
        not (tmp_path / "config.toml").exists()
        or "geheim" not in (tmp_path / "config.toml").read_text()
    )
    (tmp_path / "config.toml").write_text('[mail]\npassword = "geheim"\n', encoding="utf-8")
    shown = cli("config", "show")
    assert shown.exit_code == 2 and "the password is never kept in the config" in shown.stderr


def test_mail_test_reports_the_server_reply_and_logs_it(cli, register, configured):
    result = _ok(cli("mail", "test", "anna@example.org"))
    assert result.stdout.strip() == (
        f"Sent a test message to anna@example.org through 127.0.0.1:{configured.port} (none); "
        "the server said: 250 2.0.0 Ok: queued"
    )
    assert configured.handler.to() == ["anna@example.org"]
    assert configured.handler.received[0]["Subject"] == "Testnachricht von stm"
    assert [(r.kind, r.address) for r in _sent(register)] == [("test", "anna@example.org")]
    bad = cli("mail", "test", "nicht-gültig")
    assert bad.exit_code == 2 and bad.stderr.startswith("Error: ADDRESS:")


# ----------------------------------------------------------------------------- dry run


def test_dry_run_writes_eml_files_that_parse_and_sends_nothing(cli, register, configured, tmp_path):
    _setup(cli)
    folder = tmp_path / "einladungen"
    result = _ok(cli("agenda", "send", "next", "--dry-run", "-o", str(folder)))
    assert "Wrote 2 message(s) of the invitation to 12. Stadtteiltisch Schmarl" in result.stdout
    files = sorted(folder.glob("*.eml"))
    assert len(files) == 2 and files[0].name.startswith("001-anna-m")
    assert configured.handler.received == [] and _sent(register) == []
    for path in files:
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
        raw = path.read_bytes()
        assert b"\r\n" in raw  # a mail program's .eml: CRLF lines
        message = BytesParser(policy=policy.default).parsebytes(raw)
        assert not message.defects
        assert parts(message)[:2] == ["multipart/mixed", "multipart/alternative"]
        assert str(vevent(message)["SUMMARY"]) == "12. Stadtteiltisch Schmarl"
    html = BytesParser(policy=policy.default).parsebytes(files[0].read_bytes())
    body = html.get_body(("html",)).get_content()
    assert body.lstrip().startswith("<!DOCTYPE html>")
    assert "Liebe Akteurinnen und Akteure im Stadtteil," in body
    assert "„12. Stadtteiltisch Schmarl“" in body
    assert "Heike Sommerfeld, Stadtteilmanagerin" in body
    # A narrow mail window breaks the title, never "TOP 1" or "18:00 Uhr" (looked at as a
    # page image: both had wrapped onto two lines).
    import re

    for cell in re.findall(r"<td [^>]*>(?:TOP \d+|<span[^>]*>\d\d:\d\d[^<]*</span>)</td>", body):
        assert "white-space: nowrap" in cell, cell
    assert len(re.findall(r"white-space: nowrap[^>]*>TOP \d+<", body)) >= 3


# ----------------------------------------------------------------------------- privacy


def test_withdrawn_and_erased_persons_never_receive_and_the_log_forgets(cli, register, configured):
    _setup(cli)
    _ok(cli("actors", "add", "Mehmet Yılmaz", "--kind", "person", "--email", "mehmet@example.org"))
    _ok(cli("networks", "join", "stadtteiltisch-schmarl", "Mehmet Yılmaz"))
    _ok(cli("agenda", "send", "next", "--yes"))
    assert "mehmet@example.org" in configured.handler.to()
    _ok(cli("mail", "withdraw", "Mehmet Yılmaz"))
    _ok(cli("meeting", "edit", "next", "--time", "18:30"))
    result = _ok(cli("agenda", "send", "next", "--yes"))
    assert "Not mailed (withdrew consent to be mailed): Mehmet Yılmaz" in result.stderr
    assert configured.handler.to().count("mehmet@example.org") == 1
    _ok(cli("privacy", "erase", "Anna Müller", "--yes"))
    _ok(cli("meeting", "edit", "next", "--time", "19:00"))
    _ok(cli("agenda", "send", "next", "--yes"))
    assert configured.handler.to().count("anna@example.org") == 2
    rows = _sent(register)
    with register.session() as session:
        from stm.models import Actor

        anna = session.exec(select(Actor).where(Actor.name.like("Gelöschte Person%"))).one()
    assert [r.address for r in rows if r.actor_id == anna.id] == [None, None]
    assert all(r.address for r in rows if r.actor_id != anna.id)
    shown = _ok(cli("mail", "log")).stdout
    assert "anna@example.org" not in shown


# ----------------------------------------------------------------------------- minutes


def test_minutes_after_approval_and_a_draft_before(cli, register, configured, monkeypatch):
    _setup(cli)
    monkeypatch.setenv("STM_NOW", "2026-12-09T09:00")
    refused = cli("minutes", "send", "1", "--yes")
    assert refused.exit_code == 1 and "are not approved yet" in refused.stderr
    _ok(cli("minutes", "attend", "1", "Anna Müller"))
    draft = _ok(cli("minutes", "send", "1", "--draft", "--yes"))
    assert "Sent the draft minutes of 12. Stadtteiltisch Schmarl to 2 recipient(s)" in draft.stdout
    for message in configured.handler.received:
        assert (
            message["Subject"] == "Entwurf – Protokoll: 12. Stadtteiltisch Schmarl vom 08.12.2026"
        )
        assert parts(message) == ["multipart/mixed", "multipart/alternative", "text/plain",
                                  "text/html", "application/pdf"]  # fmt: skip
        assert "ENTWURF" in message.get_body(("plain",)).get_content()
        pdf = next(p for p in message.walk() if p.get_content_type() == "application/pdf")
        assert pdf.get_filename().startswith("Protokoll-Entwurf-")
        assert "Entwurf, noch nicht bestätigt" in _pdf_text(pdf.get_content())
    _ok(cli("minutes", "approve", "1", "--yes"))
    _ok(cli("minutes", "send", "1", "--yes"))
    approved = configured.handler.received[2:]
    assert sorted(m["To"].addresses[0].addr_spec for m in approved) == sorted(MEMBERS)
    for message in approved:
        assert message["Subject"] == "Protokoll: 12. Stadtteiltisch Schmarl vom 08.12.2026"
        pdf = next(p for p in message.walk() if p.get_content_type() == "application/pdf")
        assert "Entwurf" not in _pdf_text(pdf.get_content())
    again = _ok(cli("minutes", "send", "1", "--yes"))
    assert "Nothing to send" in again.stdout and len(configured.handler.received) == 4


def _pdf_text(content: bytes) -> str:
    import io

    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


# ----------------------------------------------------------------------------- reminders


def _tasks(cli) -> None:
    _ok(cli("tasks", "add", "Flyer drucken", "--owner", "Anna Müller", "--due", "18.11.2026"))
    _ok(cli("tasks", "add", "Raum buchen", "--owner", "Anna Müller", "--due", "25.11.2026"))
    _ok(cli("tasks", "add", "Bericht schreiben", "--owner", "Anna Müller", "--due", "15.12.2026"))
    _ok(cli("tasks", "add", "Kuchen backen", "--owner", "Heimatverein Dorf Schmarl e.V.",
            "--due", "24.11.2026"))  # fmt: skip
    _ok(cli("tasks", "add", "Plakat", "--owner", "Jörg Weiß", "--due", "21.11.2026"))


@pytest.mark.parametrize(
    ("now", "args", "expected"),
    [
        ("2026-11-20T07:00", [], {"anna@example.org": ["Flyer drucken", "Raum buchen"],
                                  "info@heimatverein-schmarl.example": ["Kuchen backen"]}),
        ("2026-11-20T07:00", ["--overdue"], {"anna@example.org": ["Flyer drucken"]}),
        ("2026-12-10T07:00", ["--within", "7"], {
            "anna@example.org": ["Flyer drucken", "Raum buchen", "Bericht schreiben"],
            "info@heimatverein-schmarl.example": ["Kuchen backen"]}),
        ("2026-11-01T07:00", ["--within", "20"], {
            "anna@example.org": ["Flyer drucken"]}),
    ],
)  # fmt: skip
def test_reminders_list_each_owners_open_tasks_over_several_days(
    cli, register, configured, monkeypatch, now, args, expected
):
    _setup(cli)
    _tasks(cli)
    monkeypatch.setenv("STM_NOW", now)
    result = _ok(cli("tasks", "remind", *args))
    jorg_due = args != ["--overdue"]  # his task (due 21.11.) is never overdue here
    assert ("Not mailed (no e-mail address, nor an organisation's): Jörg Weiß" in result.stderr
            ) is jorg_due  # fmt: skip
    got = {}
    for message in configured.handler.received:
        text = message.get_body(("plain",)).get_content()
        to = message["To"].addresses[0].addr_spec
        titles = ("Flyer drucken", "Raum buchen", "Bericht schreiben", "Kuchen backen")
        got[to] = [title for title in titles if f"- {title} (fällig am" in text]
        assert message["Subject"] == f"Erinnerung: {len(got[to])} offene Aufgabe(n)"
        assert parts(message) == ["multipart/alternative", "text/plain", "text/html"]
    assert got == expected
    assert result.stdout == ""  # from a script (cron): quiet when all went well
    again = _ok(cli("tasks", "remind", *args))
    assert again.stdout == ""
    assert len(configured.handler.received) == len(expected)


def test_reminder_marks_overdue_tasks(cli, register, configured):
    _setup(cli)
    _tasks(cli)
    _ok(cli("tasks", "remind", "--yes"))
    anna = next(m for m in configured.handler.received
                if m["To"].addresses[0].addr_spec == "anna@example.org")  # fmt: skip
    text = anna.get_body(("plain",)).get_content()
    assert "- Flyer drucken (fällig am 18.11.2026, überfällig)" in text
    assert "- Raum buchen (fällig am 25.11.2026)" in text
    bad = cli("tasks", "remind", "--within", "1000")
    assert bad.exit_code == 2 and "Error: --within: 1000 is not a number of days" in bad.stderr


def test_ctrl_c_names_who_was_not_reached_and_a_rerun_sends_the_rest(
    cli, register, configured, monkeypatch
):
    from stm.services.mail import sending

    _setup(cli)
    _ok(cli("actors", "add", "Mehmet Yılmaz", "--kind", "person", "--email", "mehmet@example.org"))
    _ok(cli("networks", "join", "stadtteiltisch-schmarl", "Mehmet Yılmaz"))
    real_send = sending.Transport.send
    calls = []

    def interrupted(self, message):
        calls.append(message)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real_send(self, message)

    monkeypatch.setattr(sending.Transport, "send", interrupted)
    first = cli("agenda", "send", "next", "--yes")
    assert first.exit_code == 1
    not_sent = [line for line in first.stderr.splitlines() if line.startswith("Not sent to ")]
    assert len(not_sent) == 2 and all(line.endswith("the run was interrupted") for line in not_sent)
    assert "Error: 2 message(s) not sent" in first.stderr
    assert len(configured.handler.received) == 1 and len(_sent(register)) == 1
    monkeypatch.setattr(sending.Transport, "send", real_send)
    _ok(cli("agenda", "send", "next", "--yes"))
    addresses = configured.handler.to()
    assert sorted(addresses) == sorted([*MEMBERS, "mehmet@example.org"])


def test_the_access_export_lists_what_was_mailed_to_the_person(cli, register, configured):
    import json

    _setup(cli)
    _ok(cli("agenda", "send", "next", "--yes"))
    data = json.loads(_ok(cli("privacy", "export", "Anna Müller")).stdout)
    assert [(m["kind"], m["address"], m["sequence"]) for m in data["mail"]] == [
        ("invitation", "anna@example.org", 0)
    ]
    letter = _ok(cli("privacy", "export", "Anna Müller", "--format", "md")).stdout
    assert "invitation (anna@example.org)" in letter
