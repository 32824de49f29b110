"""Newspapers (publications): add, find and list them."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from sqlmodel import Session, col, select

from stm.errors import Conflict, Invalid, NotFound
from stm.models import PaperIssue, Publication
from stm.names import fold, slugify
from stm.parsing import did_you_mean, parse_name
from stm.services import refs
from stm.services.activity import log
from stm.services.paper.records import PublicationRecord
from stm.services.paper.shared import (
    actor_names,
)


def find_publication(session: Session, ref: str) -> Publication | None:
    text = ref.strip()
    if text.lstrip("#").isdigit():
        return session.get(Publication, int(text.lstrip("#")))
    key = fold(text)
    for candidate in session.exec(select(Publication)).all():
        if key in (candidate.key, fold(candidate.slug)):
            return candidate
    return None


def publication(session: Session, ref: str) -> Publication:
    found = find_publication(session, ref)
    if found:
        return found
    names = list(session.exec(select(Publication.name)).all())
    hint = did_you_mean(ref, names)
    known = ", ".join(sorted(names)) or "none yet"
    raise NotFound(f"no publication {ref!r}; " + (f"{hint} " if hint else "") + f"Known: {known}")


def add_publication(session: Session, name: str, *, publisher: str | None = None) -> Publication:
    """A newspaper; `publisher` is the actor who edits it (e.g. the office)."""
    name = parse_name(name, "name")
    slug = slugify(name)
    if not slug:
        raise Invalid("name", "must contain at least one letter or digit")
    clash = find_publication(session, name)
    if clash:
        raise Conflict(f"publication {clash.name!r} exists already (#{clash.id})")
    owner = refs.actor(session, publisher, "publisher") if publisher else None
    created = Publication(
        slug=slug, key=fold(name), name=name, publisher_id=owner.id if owner else None
    )
    session.add(created)
    session.flush()
    log(session, "publication.add", "publication", created.id, created.name)
    return created


def list_publications(session: Session) -> list[Publication]:
    return list(session.exec(select(Publication).order_by(col(Publication.name))).all())


def publication_records(session: Session, items: Sequence[Publication]) -> list[PublicationRecord]:
    counts = Counter(session.exec(select(PaperIssue.publication_id)).all())
    publishers = actor_names(session, {p.publisher_id for p in items if p.publisher_id})
    return [
        {
            "id": p.id or 0,  # stored rows have ids
            "slug": p.slug,
            "name": p.name,
            "publisher": publishers.get(p.publisher_id) if p.publisher_id else None,
            "issues": counts.get(p.id or 0, 0),
        }
        for p in items
    ]
