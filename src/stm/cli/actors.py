"""`stm actors`: the register of the district's network (Akteure)."""

# No `from __future__ import annotations`: Typer reads the annotations of every command in
# the group on each run, and would have to eval() each one if they were strings.

from typing import Annotated

import typer

from stm.cli._common import (
    DistrictOpt,
    FormatOpt,
    JsonOpt,
    OutputOpt,
    make_app,
    require,
    state,
)
from stm.cli.output import emit_created, emit_list, emit_record, pick_list_format

app = make_app(
    "Add, list, show, edit and archive actors: associations, initiatives, schools, "
    "housing companies, administration, politics and persons."
)

LIST_COLUMNS = [
    ("id", "ID"),
    ("name", "Name"),
    ("kind", "Kind"),
    ("organisation", "Organisation"),
    ("districts", "Districts"),
    ("sectors", "Sectors"),
    ("email", "E-mail"),
    ("phone", "Phone"),
]
SHOW_FIELDS = [
    ("id", "ID"),
    ("kind", "Kind"),
    ("aliases", "Short names"),
    ("organisation", "Organisation"),
    ("function", "Function"),
    ("districts", "Districts"),
    ("sectors", "Sectors"),
    ("email", "E-mail"),
    ("phone", "Phone"),
    ("website", "Website"),
    ("address", "Address"),
    ("consent.given_on", "Consent given"),
    ("consent.purpose", "Consent purpose"),
    ("consent.share", "On contact sheets"),
    ("notes", "Notes"),
    ("created", "Created"),
    ("updated", "Updated"),
    ("archived_on", "Archived"),
]

KindOpt = Annotated[
    str | None,
    typer.Option(
        "--kind",
        "-k",
        help="organisation, association, initiative, social, school, kita, housing, business, "
        "administration, politics, media, church, person, resident.",
    ),
]
SectorOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--sector",
        "-s",
        help="Field of work, e.g. soziales, bildung, kultur, wirtschaft, gesundheit (repeatable).",
    ),
]
Organisation = Annotated[
    str | None,
    typer.Option("--organisation", "--org", help="The organisation a person belongs to."),
]
Function = Annotated[str | None, typer.Option("--function", help="A person's function there.")]
Email = Annotated[str | None, typer.Option("--email", help="E-mail address.")]
Phone = Annotated[
    str | None,
    typer.Option(
        "--phone", help="Phone number as written: (0381) 123456, +49 381 123456-12, tel:…;ext=12."
    ),
]
Website = Annotated[str | None, typer.Option("--website", help="Website.")]
Street = Annotated[str | None, typer.Option("--street", help="Street and number.")]
Postcode = Annotated[str | None, typer.Option("--postcode", help="Postcode (PLZ).")]
City = Annotated[str | None, typer.Option("--city", help="City.")]
Notes = Annotated[str | None, typer.Option("--notes", help="Free notes.")]
Alias = Annotated[
    list[str] | None,
    typer.Option("--alias", help="A short name it is also known by, e.g. WIRO (repeatable)."),
]
Consent = Annotated[
    bool | None,
    typer.Option(
        "--consent/--no-consent",
        help="Whether the person agreed to appear with their own contact data on contact sheets.",
    ),
]
ConsentPurpose = Annotated[
    str | None, typer.Option("--consent-purpose", help="What the consent was given for.")
]
GivenName = Annotated[str | None, typer.Option("--given-name", help="A person's given name.")]
FamilyName = Annotated[str | None, typer.Option("--family-name", help="A person's family name.")]


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[
        str | None, typer.Argument(help="Name; for persons 'Given Family', e.g. 'Anna Müller'.")
    ] = None,
    kind: KindOpt = None,
    organisation: Organisation = None,
    function: Function = None,
    district: DistrictOpt = None,
    sector: SectorOpt = None,
    email: Email = None,
    phone: Phone = None,
    website: Website = None,
    street: Street = None,
    postcode: Postcode = None,
    city: City = None,
    notes: Notes = None,
    consent: Consent = None,
    consent_purpose: ConsentPurpose = None,
    given_name: GivenName = None,
    family_name: FamilyName = None,
    alias: Alias = None,
    as_json: JsonOpt = False,
) -> None:
    """Add an actor and print its id (the whole record with --json).

    A name that exists already is added all the same, with a warning naming the record.

    \b
    Examples:
      stm actors add "Kita Sonnenschein" --kind kita --district schmarl --sector bildung
      stm actors add "Anna Müller" --kind person --org "Haus 12" --function Leitung \\
          --email anna@example.org --consent
      stm actors add "WIRO Wohnen in Rostock GmbH" --kind housing --alias WIRO
      id=$(stm actors add "Heimatverein" --kind association --json | jq .id)
    """
    from stm.services import actors as svc

    fields = svc.ActorFields(
        name=require(name, "name", "Name"),
        kind=kind,
        organisation=organisation,
        function=function,
        districts=district,
        sectors=sector,
        email=email,
        phone=phone,
        website=website,
        street=street,
        postcode=postcode,
        city=city,
        notes=notes,
        consent=consent,
        consent_purpose=consent_purpose,
        given_name=given_name,
        family_name=family_name,
        aliases=alias,
    )
    with state(ctx).session() as session:
        actor = svc.add_actor(session, fields)
        record = svc.actor_detail(session, actor)
        same = [f"#{a.id} {a.name}" for a in svc.namesakes(session, actor)]
    if same:
        typer.echo(f"Warning: {actor.name!r} exists already: {'; '.join(same)}", err=True)
    emit_created(record, as_json, f"Added actor #{actor.id} {actor.name} ({actor.kind})")


@app.command("list")
def list_(
    ctx: typer.Context,
    district: DistrictOpt = None,
    sector: SectorOpt = None,
    kind: Annotated[
        list[str] | None, typer.Option("--kind", "-k", help="Actor kind (repeatable).")
    ] = None,
    network: Annotated[
        list[str] | None,
        typer.Option("--network", "-n", help="Current members of this network (repeatable)."),
    ] = None,
    search: Annotated[
        str | None, typer.Option("--search", help="Text in name, e-mail, function, notes.")
    ] = None,
    archived: Annotated[
        bool, typer.Option("--archived", help="List archived actors only.")
    ] = False,
    all_: Annotated[bool, typer.Option("--all", help="Include archived actors.")] = False,
    format: FormatOpt = None,
    as_json: JsonOpt = False,
    output: OutputOpt = None,
) -> None:
    """List actors, filtered by district, sector, kind, network or text.

    Repeating a filter widens it (schmarl or gross-klein); different filters narrow
    the list (in Schmarl and in bildung).

    \b
    Examples:
      stm actors list --district schmarl
      stm actors list --district "Groß Klein" --sector bildung --kind school
      stm actors list --network stadtteiltisch-schmarl --json
      stm actors list --search müller --format csv -o akteure.csv
    """
    from stm.services import actors as svc

    criteria = svc.ActorFilter(
        districts=district or [],
        sectors=sector or [],
        kinds=kind or [],
        networks=network or [],
        search=search,
        archived=archived,
        include_archived=all_,
    )
    with state(ctx).connect() as connection:
        records = svc.list_actor_records(connection, criteria)
    emit_list(records, LIST_COLUMNS, pick_list_format(format, as_json), output=output)


@app.command("show")
def show(
    ctx: typer.Context,
    actor: Annotated[str, typer.Argument(help="Actor id or name.")],
    as_json: JsonOpt = False,
) -> None:
    """Show one actor with contact data, consent, networks and people.

    \b
    Examples:
      stm actors show 12
      stm actors show "Haus 12"
      stm actors show "Anna Müller" --json
    """
    from stm.services import actors as svc

    with state(ctx).connect() as connection:
        record = svc.actor_detail(connection, svc.actor_id(connection, actor))
    emit_record(
        record,
        as_json,
        SHOW_FIELDS,
        title=record["name"],
        sections=[
            (
                "Networks",
                record["networks"],
                [("name", "Network"), ("role", "Role"), ("since", "Since"), ("until", "Until")],
            ),
            (
                "People",
                record["people"],
                [("id", "ID"), ("name", "Name"), ("function", "Function")],
            ),
        ]
        if record["networks"] or record["people"]
        else [],
    )


@app.command("edit")
def edit(
    ctx: typer.Context,
    actor: Annotated[str, typer.Argument(help="Actor id or name.")],
    name: Annotated[str | None, typer.Option("--name", help="New name.")] = None,
    kind: KindOpt = None,
    organisation: Organisation = None,
    function: Function = None,
    district: Annotated[
        list[str] | None,
        typer.Option("--district", "-d", help="Replace the districts (repeatable)."),
    ] = None,
    sector: Annotated[
        list[str] | None, typer.Option("--sector", "-s", help="Replace the sectors (repeatable).")
    ] = None,
    email: Email = None,
    phone: Phone = None,
    website: Website = None,
    street: Street = None,
    postcode: Postcode = None,
    city: City = None,
    notes: Notes = None,
    consent: Consent = None,
    consent_purpose: ConsentPurpose = None,
    given_name: GivenName = None,
    family_name: FamilyName = None,
    alias: Alias = None,
    remove_alias: Annotated[
        list[str] | None, typer.Option("--remove-alias", help="Drop a short name (repeatable).")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Change an actor's fields; what is not given stays. An empty value ("") clears it.

    \b
    Examples:
      stm actors edit "Kita Sonnenschein" --email kita@example.org --phone "0381 123456"
      stm actors edit 12 --district schmarl --district gross-klein
      stm actors edit "Anna Müller" --no-consent
      stm actors edit "WIRO Wohnen in Rostock GmbH" --alias WIRO --alias "Wohnen in Rostock"
    """
    from stm.services import actors as svc

    fields = svc.ActorFields(
        name=name,
        kind=kind,
        organisation=organisation,
        function=function,
        districts=district,
        sectors=sector,
        email=email,
        phone=phone,
        website=website,
        street=street,
        postcode=postcode,
        city=city,
        notes=notes,
        consent=consent,
        consent_purpose=consent_purpose,
        given_name=given_name,
        family_name=family_name,
        aliases=alias,
        remove_aliases=remove_alias,
    )
    with state(ctx).session() as session:
        edited = svc.edit_actor(session, actor, fields)
        record = svc.actor_detail(session, edited)
    emit_created(record, as_json, f"Updated actor #{edited.id} {edited.name}")


@app.command("archive")
def archive(
    ctx: typer.Context,
    actor: Annotated[str, typer.Argument(help="Actor id or name.")],
    restore: Annotated[
        bool, typer.Option("--restore", help="Take the actor out of the archive again.")
    ] = False,
) -> None:
    """Archive an actor: kept with its history, but left out of lists and documents.

    \b
    Examples:
      stm actors archive "Jugendclub Alt"
      stm actors archive 17 --restore
    """
    from stm.services import actors as svc

    with state(ctx).session() as session:
        archived = svc.archive_actor(session, actor, restore=restore)
    verb = "Restored" if restore else "Archived"
    typer.echo(f"{verb} actor #{archived.id} {archived.name}")
