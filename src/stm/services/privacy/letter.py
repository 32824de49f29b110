"""The Art. 15 DSGVO answer as a letter for the person who asked (md, html, pdf).

Built from `privacy.person_export` (what JSON gives machines) plus what Art. 15 (1)-(2)
asks for in words: the controller (the letterhead), the data held, where it came from,
purposes and legal basis, recipients (the contact sheets of which networks), how long it
is kept (the stale rule and the consent's term), the rights under Art. 15-21 and the
supervisory authority of the office's federal state (`data/supervisory_authorities.toml`).
"""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from stm import clock
from stm.errors import Invalid
from stm.services import refs

#: (German, English) texts of the letter that are not data.
RIGHTS = (
    ("Art. 15", "Auskunft über die gespeicherten Daten", "access to the data held"),
    ("Art. 16", "Berichtigung unrichtiger Daten", "rectification of inaccurate data"),
    ("Art. 17", "Löschung", "erasure"),
    ("Art. 18", "Einschränkung der Verarbeitung", "restriction of processing"),
    ("Art. 20", "Datenübertragbarkeit", "data portability"),
    ("Art. 21", "Widerspruch gegen die Verarbeitung", "objection to processing"),
    ("Art. 7 Abs. 3", "Widerruf einer Einwilligung mit Wirkung für die Zukunft",
     "withdrawal of consent, for the future"),
)  # fmt: skip


def office_state(session: Session, configured: str, actor: Any) -> str:
    """The office's federal state: config `state`, else the one state of the districts of
    the person and their organisation (else of all districts)."""
    if configured:
        return configured
    from sqlalchemy import text

    connection = session.connection()
    ids = [i for i in (actor.id, actor.organisation_id) if i]
    states: set[str] = {
        row[0]
        for row in connection.execute(
            text(
                "SELECT DISTINCT d.state FROM district d JOIN actor_district a "
                f"ON a.district_id = d.id WHERE a.actor_id IN ({', '.join(map(str, ids))})"
            )
        )
        if row[0]
    }
    if not states:
        found = connection.execute(text("SELECT DISTINCT state FROM district"))
        states = {row[0] for row in found if row[0]}
    if len(states) == 1:
        return states.pop()
    raise Invalid("state", "the office's federal state is not known; set it, e.g. "
                  "'stm config set state MV'")  # fmt: skip


def supervisory_authority(state: str) -> dict[str, str]:
    from stm.resources import load_data_toml

    table = load_data_toml("supervisory_authorities.toml")
    if state not in table:
        raise Invalid("state", f"no supervisory authority known for {state!r}")
    return {k: str(v) for k, v in table[state].items()}


def access_letter(
    session: Session, ref: str, *, state: str, consent_years: int, stale_years: int = 3
) -> dict[str, Any]:
    """The letter's data: the person's record and what the register holds about them."""
    from stm.services.privacy.access import person_export
    from stm.services.privacy.consent import consent_holds, consent_start, expires_on
    from stm.vocab import FEDERAL_STATES

    export = person_export(session, ref)
    person = export["actor"]
    actor = refs.actor(session, str(person["id"]))
    created = actor.created_at.date()
    start = consent_start(actor.consent_given_on, created)
    shares = consent_holds(actor.consent_share, actor.consent_given_on, created, clock.today(),
                           consent_years)  # fmt: skip
    code = office_state(session, state, actor)
    current = [m for m in export["memberships"] if m["until"] is None]
    imported = any(entry["action"].startswith("actor.import") for entry in export["log"])
    return {
        "today": clock.today(),
        "person": person,
        "export": export,
        "created": created,
        "imported": imported,
        "consent": {
            "share": shares,
            "given_on": actor.consent_given_on,
            "purpose": actor.consent_purpose,
            "expires_on": expires_on(start, consent_years)
            if actor.consent_share and start
            else None,
        },
        "recipients": [m["network_name"] for m in current] if shares else [],
        "consent_years": consent_years,
        "stale_years": stale_years,
        "state": FEDERAL_STATES.get(code, code),
        "authority": supervisory_authority(code),
        "rights": [{"article": a, "de": de, "en": en} for a, de, en in RIGHTS],
        "held": _held(export),
    }


def _held(export: dict[str, Any]) -> list[dict[str, Any]]:
    """What is held beyond the record itself, as (label, items) for the letter."""
    groups = [
        ("memberships", "Mitgliedschaften in Gremien", "Memberships of networks",
         [f"{m['network_name']} ({m['role']}, {_span(m['since'], m['until'])})"
          for m in export["memberships"]]),
        ("attendance", "Teilnahme an Sitzungen", "Attendance at meetings",
         [f"{a['number']}. {a['network']} ({a['date'][:10]}): {a['status']}"
          for a in export["attendance"]]),
        ("tasks", "Aufgaben", "Tasks", [t["title"] for t in export["tasks"]]),
        ("concerns", "Anliegen", "Concerns", [c["title"] for c in export["concerns"]]),
        ("articles", "Beiträge für die Stadtteilzeitung", "Newspaper articles",
         [f"{a['title']} ({a['publication']} {a['issue']})" for a in export["articles"]]),
        ("events", "Veranstaltungen (Mitorganisation)", "Events co-organised",
         [e["title"] for e in export["events_organised"]]),
        ("projects", "Projekte", "Projects", [p["title"] for p in export["projects"]]),
        ("mail", "E-Mails des Stadtteilmanagements an Sie", "Messages mailed to you",
         [f"{m['sent_at'][:10]}: {m['kind']} ({m['address'] or '–'})" for m in export["mail"]]),
    ]  # fmt: skip
    return [{"key": k, "de": de, "en": en, "items": items} for k, de, en, items in groups if items]


def _span(since: str | None, until: str | None) -> str:
    if since and until:
        return f"{since} – {until}"
    return f"seit {since}" if since else (f"bis {until}" if until else "")
