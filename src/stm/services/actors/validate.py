"""The one check of an actor's fields: `stm actors add/edit` and every imported record.

Errors name the domain field (`kind`, `given_name`, `sectors`, …): the CLI shows the
option for it, an import the file's column.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import date
from typing import TYPE_CHECKING, Any, TypedDict

if TYPE_CHECKING:
    from stm.vocab import Vocabulary

#: `stm.parsing.choose`'s shape: (vocabulary, text, field) → member.
Chooser = Callable[[type[Any], str, str], Any]
#: `stm.parsing.parse_email`'s shape: (text, field) → normalised address.
EmailCheck = Callable[[str, str], str]


@dataclass
class ActorFields:
    """What a user may set on an actor; `None` means "not given" (unchanged on edit)."""

    name: str | None = None
    kind: str | None = None
    given_name: str | None = None
    family_name: str | None = None
    organisation: str | None = None
    function: str | None = None
    districts: list[str] | None = None
    sectors: list[str] | None = None
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    street: str | None = None
    postcode: str | None = None
    city: str | None = None
    notes: str | None = None
    consent: bool | None = None
    consent_purpose: str | None = None
    consent_given_on: date | None = None
    aliases: list[str] | None = None  # short names to add ("WIRO")
    remove_aliases: list[str] | None = None


class CheckedFields(TypedDict, total=False):
    """The checked, normalised values of the fields given (absent: not given).

    `consent_given_on` and `uid` are added by an import, which reads them from the file."""

    name: str
    kind: str
    given_name: str | None
    family_name: str | None
    function: str | None
    email: str | None
    phone: str | None
    website: str | None
    street: str | None
    postcode: str | None
    city: str | None
    notes: str | None
    sectors: list[str]
    consent_purpose: str | None
    consent_given_on: date
    uid: str


def actor_field_names() -> list[str]:
    return [f.name for f in fields(ActorFields)]


def validated(data: ActorFields) -> CheckedFields:
    """The checked values of what `data` gives (see `validate_fields`)."""
    return validate_fields(
        name=data.name,
        kind=data.kind,
        given_name=data.given_name,
        family_name=data.family_name,
        function=data.function,
        email=data.email,
        phone=data.phone,
        website=data.website,
        street=data.street,
        postcode=data.postcode,
        city=data.city,
        notes=data.notes,
        sectors=data.sectors,
        consent_purpose=data.consent_purpose,
    )


def validate_fields(
    *,
    name: str | None = None,
    kind: str | None = None,
    given_name: str | None = None,
    family_name: str | None = None,
    function: str | None = None,
    email: str | None = None,
    phone: str | None = None,
    website: str | None = None,
    street: str | None = None,
    postcode: str | None = None,
    city: str | None = None,
    notes: str | None = None,
    sectors: list[str] | None = None,
    consent_purpose: str | None = None,
    choose: Chooser | None = None,
    parse_email: EmailCheck | None = None,
) -> CheckedFields:
    """Check and normalise every given field (`None`: not given), in this order.

    Keywords rather than an `ActorFields`, so that an import checks each of its records
    without building one; it passes a cached `choose` and a faster `parse_email` that give
    the same results.
    """
    from stm import parsing
    from stm.parsing import parse_name, parse_phone, parse_short_text, parse_text, parse_website
    from stm.vocab import ActorKind, Sector

    pick: Chooser = choose or parsing.choose
    check_email: EmailCheck = parse_email or parsing.parse_email
    values: CheckedFields = {}
    if name is not None:
        values["name"] = parse_name(name, "name")
    if kind is not None:
        values["kind"] = _member(pick, ActorKind, kind, "kind")
    if given_name is not None:
        values["given_name"] = parse_name(given_name, "given_name") if given_name else None
    if family_name is not None:
        values["family_name"] = parse_name(family_name, "family_name") if family_name else None
    if function is not None:
        values["function"] = parse_short_text(function, "function")
    if email is not None:
        values["email"] = check_email(email, "email") if email.strip() else None
    if phone is not None:
        values["phone"] = parse_phone(phone, "phone") if phone.strip() else None
    if website is not None:
        values["website"] = parse_website(website, "website") if website.strip() else None
    if street is not None:
        values["street"] = parse_short_text(street, "street")
    if postcode is not None:
        values["postcode"] = parse_short_text(postcode, "postcode")
    if city is not None:
        values["city"] = parse_short_text(city, "city")
    if notes is not None:
        values["notes"] = parse_text(notes, "notes")
    if sectors is not None:
        values["sectors"] = sorted({_member(pick, Sector, s, "sectors") for s in sectors})
    if consent_purpose is not None:
        values["consent_purpose"] = parse_short_text(consent_purpose, "consent_purpose")
    return values


def _member(pick: Chooser, vocabulary: type[Vocabulary], text: str, field: str) -> str:
    return str(pick(vocabulary, text, field).value)
