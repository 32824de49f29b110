"""Data protection (DSGVO) for persons in the register.

- Consent: the day it was given, its purpose, and whether the person may appear with
  their own phone and e-mail on contact sheets (`consent_share`); how long it holds.
- Art. 15, right of access: `person_export` gathers everything the register holds about a
  person: the record, memberships, attendance, tasks, concerns, articles, event and
  project roles, and the log entries concerning them; `access_letter` answers in writing.
- Art. 17, right to erasure: `erase_person` anonymises the record in place. The name
  becomes "Gelöschte Person #id"; contact data, address, notes, function, organisation,
  districts, sectors and consent go; current memberships end. What others decided or
  counted stays (attendance counts, tasks, votes), now linked to the anonymous record.
  Erased persons are left out of every list, export, document and search.
- `stale_persons`: persons with no activity and no renewed consent for N years, as
  candidates for erasure.

Behind this face, one job each: `consent` (dates only), `persons` (the person and their
consent record), `access`, `letter`, `erase`, `mentions` (texts naming the person and
their redaction), `traces` (what must not stay on disk), `ledger` (erasing again after a
restore; backups holding a person), `stale`. The face loads a module when one of its
names is first used: `consent` needs no models, the others do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from stm.services.faces import lazy_names

if TYPE_CHECKING:
    from stm.services.privacy.access import person_export
    from stm.services.privacy.consent import consent_holds, consent_start, expires_on
    from stm.services.privacy.erase import erase_mentions, erase_person, erase_preview
    from stm.services.privacy.ledger import (
        backups_holding,
        prune_backups,
        reapply_erasures,
        reerased_message,
    )
    from stm.services.privacy.letter import access_letter
    from stm.services.privacy.mentions import REDACTED, Identity, redact_text
    from stm.services.privacy.persons import ERASED_NAME, consent_record, record_consent
    from stm.services.privacy.stale import stale_persons
    from stm.services.privacy.traces import clear_traces_on_commit

_HOMES = {
    "person_export": "access",
    "consent_holds": "consent",
    "consent_start": "consent",
    "expires_on": "consent",
    "erase_mentions": "erase",
    "erase_person": "erase",
    "erase_preview": "erase",
    "backups_holding": "ledger",
    "prune_backups": "ledger",
    "reapply_erasures": "ledger",
    "reerased_message": "ledger",
    "access_letter": "letter",
    "REDACTED": "mentions",
    "Identity": "mentions",
    "redact_text": "mentions",
    "ERASED_NAME": "persons",
    "consent_record": "persons",
    "record_consent": "persons",
    "stale_persons": "stale",
    "clear_traces_on_commit": "traces",
}


__getattr__ = lazy_names(__name__, _HOMES)


__all__ = [
    "ERASED_NAME",
    "REDACTED",
    "Identity",
    "access_letter",
    "backups_holding",
    "clear_traces_on_commit",
    "consent_holds",
    "consent_record",
    "consent_start",
    "erase_mentions",
    "erase_person",
    "erase_preview",
    "expires_on",
    "person_export",
    "prune_backups",
    "reapply_erasures",
    "record_consent",
    "redact_text",
    "reerased_message",
    "stale_persons",
]
