"""Checking the records of an actor import, apart from the register.

Everything here depends on the file alone (and on today's date): every field is checked
with the rules of `stm actors add`, names are folded, and the search entry is built. What
needs the register (districts, duplicates, organisations, ids, writing) is done by
`stm.services.imports`, which reads `Candidate`s from here.

A large file is checked in a second process (`CheckerProcess`) while the importer decides
and writes the records checked before, so that an import uses two cores. That process
reads the file itself and sends the checked records in batches through a pipe; the
pipe's small buffer keeps it at most a batch or two ahead, so memory stays flat. Both
ways give the same records, errors and order (the import tests run both).
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO

from stm.errors import Invalid
from stm.formats.csv_actors import ActorSource, SourceRecord
from stm.names import fold, split_person_name
from stm.parsing import (
    choose,
    parse_date,
    parse_email,
    parse_name,
    parse_phone,
    parse_short_text,
    parse_text,
    parse_website,
)
from stm.services import search
from stm.vocab import DEFAULT_CONSENT_PURPOSE, PERSON_KINDS, ActorKind, Sector

FORMATS = ("csv", "vcf")
BATCH = 1000  # records per message of the checking process
_AHEAD = 4  # messages the checking process may be ahead
_MAX_UID = 300
_ADDRESS = re.compile(r"^(?P<street>.*?),?\s*(?P<postcode>\d{4,5})\s+(?P<city>[^,]+)$")


def open_source(path: Path, format: str | None = None) -> ActorSource:
    """A reader for the file: CSV or vCard, from `format`, the suffix or the first line."""
    from stm.formats.csv_actors import CsvActors, open_input
    from stm.formats.vcard import VcardActors

    kind = (format or "").lower().lstrip(".") or None
    if kind and kind not in (*FORMATS, "vcard"):
        raise Invalid("--format", f"unknown import format {format!r}; use csv or vcf")
    if kind is None:
        suffix = path.suffix.lower()
        if suffix in (".vcf", ".vcard"):
            kind = "vcf"
        elif suffix in (".csv", ".txt", ".tsv"):
            kind = "csv"
        else:
            with open_input(path) as handle:
                head = handle.read(200).lstrip(b"\xef\xbb\xbf \r\n\t").upper()
            kind = "vcf" if head.startswith(b"BEGIN:VCARD") else "csv"
    return VcardActors(path) if kind in ("vcf", "vcard") else CsvActors(path)


# ----------------------------------------------------------------------------- fast checks

_SIMPLE_EMAIL = re.compile(
    r"[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*@(?:[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*\.)+[A-Za-z]{2,63}"
)


def check_email(value: str, field_name: str = "--email") -> str:
    """`parse_email` with a fast path for plain ASCII addresses; the same result always.

    The fast path accepts only a subset of what email-validator accepts (ASCII atoms,
    no double hyphens, an alphabetic top-level domain that is not special-use), and
    normalises it the way email-validator does: the domain in lower case.
    """
    address = value.strip()
    if len(address) <= 254 and _SIMPLE_EMAIL.fullmatch(address):
        local, _, domain = address.rpartition("@")
        domain = domain.lower()
        labels = domain.split(".")
        if len(local) <= 64 and labels[-1] not in _special_use() and max(map(len, labels)) <= 63:
            return f"{local}@{domain}"
    return parse_email(value, field_name)


def validate_fields(
    name: str | None,
    kind: str | None,
    given_name: str | None,
    family_name: str | None,
    function: str | None,
    email: str | None,
    phone: str | None,
    website: str | None,
    street: str | None,
    postcode: str | None,
    city: str | None,
    notes: str | None,
    sectors: list[str] | None,
    consent_purpose: str | None,
    *,
    choose: Any = choose,
) -> dict[str, Any]:
    """`actors.validate_fields` without an `ActorFields` per record; the same checks in the
    same order, the same values and errors (a test compares the two), `check_email` for
    e-mail. Every argument is optional (`None`: not given)."""
    values: dict[str, Any] = {}
    if name is not None:
        values["name"] = parse_name(name, "name")
    if kind is not None:
        values["kind"] = choose(ActorKind, kind, "--kind").value
    if given_name is not None:
        values["given_name"] = parse_name(given_name, "--given-name") if given_name else None
    if family_name is not None:
        values["family_name"] = parse_name(family_name, "--family-name") if family_name else None
    if function is not None:
        values["function"] = parse_short_text(function, "--function")
    if email is not None:
        values["email"] = check_email(email) if email.strip() else None
    if phone is not None:
        values["phone"] = parse_phone(phone) if phone.strip() else None
    if website is not None:
        values["website"] = parse_website(website) if website.strip() else None
    if street is not None:
        values["street"] = parse_short_text(street, "--street")
    if postcode is not None:
        values["postcode"] = parse_short_text(postcode, "--postcode")
    if city is not None:
        values["city"] = parse_short_text(city, "--city")
    if notes is not None:
        values["notes"] = parse_text(notes, "--notes")
    if sectors is not None:
        values["sectors"] = sorted({choose(Sector, s, "--sector").value for s in sectors})
    if consent_purpose is not None:
        values["consent_purpose"] = parse_short_text(consent_purpose, "--consent-purpose")
    return values


@cache
def _special_use() -> frozenset[str]:
    """Top-level names email-validator refuses (`test`, `local`, …); all are single labels."""
    from email_validator import SPECIAL_USE_DOMAIN_NAMES

    assert all("." not in name for name in SPECIAL_USE_DOMAIN_NAMES)
    return frozenset(SPECIAL_USE_DOMAIN_NAMES)


#: Words for kinds that office lists use besides the kinds' own labels.
KIND_ALIASES = {
    "unternehmen": "business", "firma": "business", "betrieb": "business",
    "gewerbe": "business", "handel": "business", "geschaeft": "business",
    "company": "business", "verband": "association", "kirche": "church",
    "privatperson": "person", "einzelperson": "person", "ansprechpartner": "person",
}  # fmt: skip


class _CachedChoice:
    """`stm.parsing.choose` remembered per (vocabulary, text): imports repeat a few values."""

    def __init__(self) -> None:
        self._found: dict[tuple[type, str], Any] = {}

    def __call__(self, vocabulary: Any, value: str, field_name: str) -> Any:
        key = (vocabulary, value)
        found = self._found.get(key)
        if found is None:
            try:
                found = choose(vocabulary, value, field_name)
            except Invalid as error:
                found = error
                alias = KIND_ALIASES.get(fold(value)) if vocabulary is ActorKind else None
                if alias is not None:
                    found = ActorKind(alias)
            self._found[key] = found
        if isinstance(found, Invalid):
            raise Invalid(found.field, reason(found))
        return found


def reason(error: Invalid) -> str:
    return error.message.removeprefix(f"{error.field}: ") if error.field else error.message


_YES = {"ja", "j", "yes", "y", "x", "1", "true", "wahr", "ok"}
_NO = {"nein", "n", "no", "0", "false", "falsch", "-"}


def _yes_no(value: str, field_name: str) -> bool | None:
    text = value.strip().lower()
    if not text:
        return None
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise Invalid(field_name, f"{value.strip()!r} is not yes or no; use ja/nein, yes/no or x")


_LIST_SEPARATORS = re.compile(r"[,;/|\n]+")


def split_list(value: str) -> list[str]:
    return [part.strip() for part in _LIST_SEPARATORS.split(value) if part.strip()]


def _append_note(notes: str | None, line: str) -> str:
    return f"{notes.rstrip()}\n{line}" if notes and notes.strip() else line


#: Option names in `actors.validate_fields` errors → the field they check.
#: Option names in `actors.validate_fields` errors → the field they check.
_FIELD_OF_OPTION = {
    "name": "name", "--kind": "kind", "--given-name": "given_name",
    "--family-name": "family_name", "--function": "function", "--email": "email",
    "--phone": "phone", "--website": "website", "--street": "street",
    "--postcode": "postcode", "--city": "city", "--notes": "notes", "--sector": "sectors",
    "--consent-purpose": "consent_purpose",
}  # fmt: skip


class Failure(Exception):
    """A record is broken: which field (as the file names it) and why."""

    def __init__(self, field_name: str, reason: str) -> None:
        super().__init__(reason)
        self.field = field_name
        self.reason = reason


@dataclass
class Rejected:
    """A record that could not be checked: which field (as the file names it) and why."""

    record: SourceRecord
    field: str
    reason: str


#: The actor columns a record sets, in the order of `Candidate.row`.
ROW_COLUMNS = (
    "kind", "name", "key", "given_name", "family_name", "function", "email", "phone",
    "website", "street", "postcode", "city", "notes", "consent_given_on", "consent_purpose",
    "uid",
)  # fmt: skip
_KIND, _NAME, _KEY, _EMAIL, _UID = map(ROW_COLUMNS.index, ("kind", "name", "key", "email", "uid"))


@dataclass(slots=True)
class Candidate:
    """A checked record: its checked values, and what the importer needs to place it.

    The values are a tuple in `ROW_COLUMNS` order (`None`: not given), ready to be
    written: cheaper to send between processes and to insert than a dict per record.
    """

    number: int  # of the record in the file (see SourceRecord)
    line: int
    row: tuple[Any, ...]  # the kind (given, or the one a new actor gets), name, key, …
    kind_given: bool  # whether the file says the kind (an update changes only given values)
    organisation: str | None  # the organisation a person names, as written
    districts: str | None  # the districts cell, resolved against the register later
    sectors: list[str] | None
    consent: bool | None
    archived: bool | None
    search: tuple[str, str, str]  # the search entry's title, body and folded text
    organisation_id: int | None = None
    id: int | None = None
    district_ids: list[int] | None = None

    @classmethod
    def of(cls, number: int, line: int, values: dict[str, Any], kind: str, key: str,
           **fields: Any) -> Candidate:  # fmt: skip
        """From checked `values` by column name (the given ones), and the kind and key."""
        row = tuple([values.get(column) for column in ROW_COLUMNS])
        row = (kind, row[_NAME], key, *row[_KEY + 1 :])
        return cls(number, line, row, "kind" in values, **fields)

    @property
    def kind(self) -> str:
        return self.row[_KIND]

    @property
    def name(self) -> str:
        return self.row[_NAME]

    @property
    def key(self) -> str:
        return self.row[_KEY]

    @property
    def uid(self) -> str | None:
        return self.row[_UID]

    @property
    def email(self) -> str | None:
        email = self.row[_EMAIL]
        return email.lower() if email else None

    @property
    def is_person(self) -> bool:
        return self.row[_KIND] in PERSON_KINDS

    @property
    def values(self) -> dict[str, Any]:
        """The values the file gives, by column name (what an update may change)."""
        given = {c: v for c, v in zip(ROW_COLUMNS, self.row, strict=True) if v is not None}
        del given["key"]
        if not self.kind_given:
            del given["kind"]
        return given

    def as_tuple(self) -> tuple[Any, ...]:
        """The fields read from the file, as the checking process sends them."""
        return (
            self.number, self.line, self.row, self.kind_given, self.organisation,
            self.districts, self.sectors, self.consent, self.archived, self.search,
        )  # fmt: skip


def search_entry(values: dict[str, Any], kind: str) -> tuple[str, str, str]:
    """The search index's title, body and folded text of an actor with these checked
    values: built by `stm.services.search` from the row, rather than read back."""
    body = search.actor_body(kind, values.get("function"), values.get("notes"),
                             values.get("email"), values.get("city"))  # fmt: skip
    return search.entry(values["name"], body)


class Checker:
    """Turns the records of a source into `Candidate`s, or says why one is broken."""

    def __init__(self, source: ActorSource, today: date) -> None:
        self.source = source
        self.today = today
        self.choose = _CachedChoice()
        self._sector_lists: dict[str, list[str]] = {}

    def items(self) -> Iterator[Candidate | Rejected]:
        """Every record of the source, checked, in file order."""
        for record in self.source.records():
            try:
                yield self.candidate(record)
            except Failure as failure:
                yield Rejected(record, failure.field, failure.reason)

    def candidate(self, record: SourceRecord) -> Candidate:
        if record.problem:
            raise Failure("", record.problem)
        try:
            return self._checked(record.values, record)
        except Invalid as error:
            field_name = _FIELD_OF_OPTION.get(error.field, error.field)
            raise Failure(self.source.column(field_name), reason(error)) from None

    def _checked(self, v: dict[str, str], record: SourceRecord) -> Candidate:
        given, family = v.get("given_name"), v.get("family_name")
        name = v.get("name", "")
        if not name.strip() and (given or family):
            name = " ".join(p.strip() for p in (given, family) if p and p.strip())
        organisation = " ".join(v.get("organisation", "").split()) or None
        phone, notes = v.get("phone"), v.get("notes")
        mobile = v.get("mobile", "").strip()
        if mobile:
            if phone and phone.strip():
                notes = _append_note(notes, f"Mobil: {mobile}")
            else:
                phone = mobile
        street, postcode, city = v.get("street"), v.get("postcode"), v.get("city")
        address = " ".join(v.get("address", "").split())
        if address and not (street or postcode or city):
            match = _ADDRESS.match(address)
            street, postcode, city = (
                (match["street"], match["postcode"], match["city"])
                if match
                else (address, None, None)
            )
        sectors = v.get("sectors")
        if sectors:
            sector_list = self._sector_lists.get(sectors)
            if sector_list is None:
                sector_list = self._sector_lists[sectors] = split_list(sectors)
        values = validate_fields(
            name,
            v.get("kind", "").strip() or None,
            given,
            family,
            v.get("function"),
            v.get("email"),
            phone,
            v.get("website"),
            street,
            postcode,
            city,
            notes,
            sector_list if sectors else None,
            v.get("consent_purpose"),
            choose=self.choose,
        )
        kind = values.get("kind") or (
            "person" if given or family or organisation or v.get("function") else "organisation"
        )
        if kind in PERSON_KINDS and not values.get("given_name") and not values.get("family_name"):
            values["given_name"], values["family_name"] = split_person_name(values["name"])
        if organisation and kind not in PERSON_KINDS and fold(organisation) == fold(values["name"]):
            organisation = None  # an organisation's own name in its ORG
        consent = _yes_no(v["consent"], "consent") if "consent" in v else None
        if "consent_given_on" in v and v["consent_given_on"].strip():
            values["consent_given_on"] = parse_date(v["consent_given_on"], "consent_given_on")
        if consent:
            values.setdefault("consent_given_on", self.today)
            if not values.get("consent_purpose"):
                values["consent_purpose"] = DEFAULT_CONSENT_PURPOSE
        if "uid" in v:
            uid = " ".join(v["uid"].split())
            if len(uid) > _MAX_UID:
                raise Invalid("uid", f"is {len(uid)} characters long; at most {_MAX_UID}")
            if uid:
                values["uid"] = uid
        archived = _yes_no(v["archived"], "archived") if "archived" in v else None
        return Candidate.of(
            record.number,
            record.line,
            values,
            kind,
            fold(values["name"]),
            organisation=organisation,
            districts=v.get("districts") or None,
            sectors=values.pop("sectors", None),
            consent=consent,
            archived=archived,
            search=search_entry(values, kind),
        )


# ----------------------------------------------------------------------------- a second process


class CheckerProcess:
    """Checks a file in a second process; iterate it for the records, in file order.

    The process (`python -m stm.services.import_checks FILE FORMAT DATE`) is started by
    `start()` and stopped on leaving the `with` block, also when the importer stops early
    on an error. It
    writes pickled messages, each after its length, to its standard output:
    `("batch", items, bytes read)`, then `("done", notes, bytes read)`, or
    `("invalid", (field, reason), …)` for a file it cannot read, or
    `("crash", traceback, …)`. A fresh interpreter rather than a fork:
    safe beside an open database connection and threads, and independent of how the
    importing program was started.
    """

    def __init__(self, path: Path, format: str, today: date) -> None:
        self.path, self.format, self.today = path, format, today
        self.bytes_read = 0
        self.notes: list[str] = []
        self.details: list[str] = []

    def start(self) -> bool:
        """Start the process; `False` if this Python cannot (then check here instead)."""
        import os
        import subprocess
        import sys

        if not sys.executable:  # an embedded interpreter: nothing to start
            return False
        package_root = str(Path(__file__).resolve().parents[2])  # this stm, not another
        paths = [package_root, os.environ.get("PYTHONPATH", "")]
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", __name__, str(self.path), self.format,
                 self.today.isoformat()],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                env={**os.environ, "PYTHONPATH": os.pathsep.join(p for p in paths if p)},
            )  # fmt: skip
        except OSError:  # no processes left, say: the import still works, more slowly
            return False
        return True

    def __enter__(self) -> CheckerProcess:
        return self

    def __exit__(self, *exc_info: object) -> None:
        process = self._process
        if process.poll() is None:
            process.kill()
        assert process.stdout is not None
        process.stdout.close()
        process.wait()

    def __iter__(self) -> Iterator[Candidate | Rejected]:
        import pickle
        import queue
        import threading

        # A thread reads the pipe, so that the checker runs a few batches ahead instead of
        # waiting for the importer whenever the pipe's small buffer is full. It only reads
        # bytes (letting go of the GIL while it waits); unpickling happens here, so that
        # it never holds the GIL while the importer's database calls want it back.
        frames: queue.Queue[bytes | None] = queue.Queue(maxsize=_AHEAD)
        threading.Thread(target=self._receive, args=(frames,), daemon=True).start()
        while True:
            frame = frames.get()
            if frame is None:
                code = self._process.wait()
                raise RuntimeError(
                    f"the import's checking process stopped unexpectedly (exit code {code})"
                )
            kind, payload, self.bytes_read = pickle.loads(frame)
            if kind == "batch":
                for item in payload:
                    yield Rejected(*item[1:]) if item[0] is None else Candidate(*item)
            elif kind == "done":
                self.notes, self.details = payload
                return
            elif kind == "invalid":
                raise Invalid(*payload)
            else:
                raise RuntimeError(f"the import's checking process failed:\n{payload}")

    def _receive(self, frames: Any) -> None:
        """Each message is its length (8 bytes) and its pickle; `None` marks the end."""
        stream = self._process.stdout
        assert stream is not None
        try:
            while True:
                size = int.from_bytes(stream.read(8), "big")
                frame = stream.read(size) if size else b""
                if not frame or len(frame) < size:
                    break
                frames.put(frame)
        except (OSError, ValueError):  # closed by __exit__: the importer has stopped
            pass
        frames.put(None)


def check_to(stream: BinaryIO, path: Path, format: str, today: date) -> None:
    """The second process's work: check the file, write the results in batches, then
    the notes (see `CheckerProcess`)."""
    import pickle

    def send(*message: Any) -> None:
        frame = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        stream.write(len(frame).to_bytes(8, "big") + frame)
        stream.flush()

    bytes_read = 0
    try:
        source = open_source(path, format)
        try:
            batch: list[tuple[Any, ...]] = []
            for item in Checker(source, today).items():
                if isinstance(item, Candidate):
                    batch.append(item.as_tuple())
                else:
                    batch.append((None, item.record, item.field, item.reason))
                if len(batch) >= BATCH:
                    bytes_read = source.bytes_read
                    send("batch", batch, bytes_read)
                    batch = []
            bytes_read = source.bytes_read
            if batch:
                send("batch", batch, bytes_read)
        finally:
            source.close()  # a vCard source adds its notes on closing
        send("done", (source.notes, source.details), bytes_read)
    except Invalid as error:
        send("invalid", (error.field, reason(error)), bytes_read)
    except BrokenPipeError:  # the importer stopped reading: it has stopped
        pass
    except Exception:
        send("crash", traceback.format_exc(), bytes_read)


if __name__ == "__main__":
    import signal
    import sys

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C stops the importer, which stops us
    _path, _format, _today = sys.argv[1:4]
    check_to(sys.stdout.buffer, Path(_path), _format, date.fromisoformat(_today))
