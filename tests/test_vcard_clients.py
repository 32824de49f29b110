"""stm's vCards in real address books (khard, vobject); every actor has a stable UID."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from clients_support import client, run_client, vdir
from imports_support import actors
from stm.models import Actor


def _office(cli) -> None:
    cli(
        "actors", "add", "Haus 12 e.V.", "--kind", "social", "--email", "info@haus12.de",
        "--phone", "0381 123456", "--street", "Straße der Jugend 12", "--postcode", "18109",
        "--city", "Rostock", "-d", "schmarl",
    )  # fmt: skip
    cli(
        "actors", "add", "Jürgen Müller", "--kind", "person", "--organisation", "Haus 12 e.V.",
        "--function", "Leitung", "--email", "j.mueller@haus12.de", "--phone", "+49 381 7654321",
    )  # fmt: skip


def _export(cli, tmp_path: Path) -> str:
    path = tmp_path / "akteure.vcf"
    result = cli("actors", "export", "-o", str(path))
    assert result.exit_code == 0, result.output
    with path.open(encoding="utf-8", newline="") as handle:
        return handle.read()


def _cards(text: str) -> list[str]:
    return [c for c in text.split("END:VCARD") if "BEGIN:VCARD" in c]


# --------------------------------------------------------------------------- UIDs


def test_every_actor_gets_a_uid_on_create_and_the_export_writes_it(cli, register, tmp_path):
    _office(cli)
    held = actors(register)
    uids = {held["Haus 12 e.V."].uid, held["Jürgen Müller"].uid}
    assert None not in uids and len(uids) == 2
    cards = _cards(_export(cli, tmp_path))
    assert {line[4:] for c in cards for line in c.splitlines() if line.startswith("UID:")} == uids
    again = _cards(_export(cli, tmp_path))  # stable: the same on every export
    assert sorted(cards) == sorted(again)


def test_imported_rows_without_uid_get_one_of_their_own(cli, register, tmp_path):
    path = tmp_path / "liste.csv"
    path.write_text("Name;Art\nKita Sonnenschein;kita\nTreff 7;social\n", encoding="utf-8")
    assert cli("actors", "import", str(path)).exit_code == 0
    uids = [a.uid for a in actors(register).values()]
    assert len(set(uids)) == 2 and all(uids)


def test_an_older_register_gives_its_actors_uids_on_upgrade(cli, tmp_path):
    from stm.migrations import run_upgrade

    path = tmp_path / "old.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        run_upgrade(connection, "0002")
        for name in ("Kita Alt", "Verein Alt"):
            connection.execute(
                text(
                    "INSERT INTO actor (kind, name, key, consent_share, created_at, updated_at) "
                    "VALUES ('kita', :name, :name, 0, '2025-01-01 00:00:00', '2025-01-01 00:00:00')"
                ),
                {"name": name},
            )
    engine.dispose()
    exported = cli("--db", str(path), "actors", "export", "--format", "vcf")
    assert exported.exit_code == 0, exported.output
    uids = [line for line in exported.stdout.splitlines() if line.startswith("UID:")]
    assert len(uids) == 2 and len(set(uids)) == 2
    assert cli("--db", str(path), "actors", "export", "--format", "vcf").stdout == exported.stdout


# --------------------------------------------------------------------------- kinds in 3.0


def test_organisations_in_30_cards_are_marked_as_30_readers_look_for_them(cli, register, tmp_path):
    _office(cli)
    haus, jurgen = sorted(_cards(_export(cli, tmp_path)), key=lambda c: "Jürgen" in c)
    assert "VERSION:3.0" in haus
    assert "\nX-ADDRESSBOOKSERVER-KIND:org" in haus and "\nX-KIND:org" in haus
    assert "\nKIND:" not in haus  # a vCard 4.0 property
    assert "KIND:" not in jurgen.replace("X-STM-KIND", "")


# --------------------------------------------------------------------------- real readers


def test_khard_lists_every_card_with_names_kinds_phones_mails_and_addresses(
    cli, register, tmp_path
):
    khard = client("khard")
    _office(cli)
    book = vdir(_export(cli, tmp_path), tmp_path / "book", ".vcf", "END:VCARD\r\n")
    config = tmp_path / "khard.conf"
    config.write_text(f"[addressbooks]\n[[stm]]\npath = {book}\n", encoding="utf-8")
    held = actors(register)
    listed = run_client(khard, "-c", str(config), "list", "--parsable")
    assert sorted(listed.splitlines()) == sorted(
        [
            f"{held['Haus 12 e.V.'].uid}\tHaus 12 e.V.\tstm",
            f"{held['Jürgen Müller'].uid}\tJürgen Müller\tstm",
        ]
    )
    emails = run_client(khard, "-c", str(config), "email", "--parsable")
    assert "info@haus12.de\tHaus 12 e.V.\tINTERNET" in emails
    assert "j.mueller@haus12.de\tJürgen Müller\tINTERNET" in emails
    phones = run_client(khard, "-c", str(config), "phone", "--parsable")
    assert "0381 123456\tHaus 12 e.V." in phones and "+49 381 7654321\tJürgen Müller" in phones
    addresses = run_client(khard, "-c", str(config), "postaddress", "--parsable")
    assert "'street': 'Straße der Jugend 12', 'code': '18109', 'city': 'Rostock'" in addresses
    haus = run_client(
        khard, "-c", str(config), "show", "--format", "yaml", f"uid:{held['Haus 12 e.V.'].uid}"
    )
    assert "\nKind: org\n" in haus and "\nOrganisation: Haus 12 e.V.\n" in haus
    jurgen = run_client(
        khard, "-c", str(config), "show", "--format", "yaml", f"uid:{held['Jürgen Müller'].uid}"
    )
    assert "\nKind: individual\n" in jurgen
    assert "\nFirst name: Jürgen\n" in jurgen and "\nLast name: Müller\n" in jurgen
    assert "\nOrganisation: Haus 12 e.V.\n" in jurgen and "\nTitle: Leitung\n" in jurgen


def test_vobject_reads_every_card_as_stm_wrote_it(cli, register, tmp_path):
    import vobject

    _office(cli)
    cards = {c.fn.value: c for c in vobject.readComponents(_export(cli, tmp_path))}
    haus, jurgen = cards["Haus 12 e.V."], cards["Jürgen Müller"]
    assert haus.x_kind.value == "org" and haus.org.value == ["Haus 12 e.V."]
    assert haus.email.value == "info@haus12.de" and haus.tel.value == "0381 123456"
    address = haus.adr.value
    assert (address.street, address.code, address.city) == (
        "Straße der Jugend 12",
        "18109",
        "Rostock",
    )
    assert (jurgen.n.value.given, jurgen.n.value.family) == ("Jürgen", "Müller")
    assert jurgen.org.value == ["Haus 12 e.V."] and jurgen.title.value == "Leitung"
    assert jurgen.tel.value == "+49 381 7654321"
    assert all(c.uid.value for c in cards.values())


@pytest.mark.parametrize("marker", ["X-KIND:org", "X-ADDRESSBOOKSERVER-KIND:org", "KIND:org"])
def test_organisation_markers_of_every_version_are_read(cli, register, tmp_path, marker):
    path = tmp_path / "org.vcf"
    path.write_text(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Stadtteilbüro\r\nN:Stadtteilbüro;;;;\r\n{marker}\r\nEND:VCARD\r\n",
        encoding="utf-8",
    )
    assert cli("actors", "import", str(path)).exit_code == 0
    assert actors(register)["Stadtteilbüro"].kind == "organisation"
    assert register.count(Actor) == 1
