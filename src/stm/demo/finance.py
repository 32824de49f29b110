"""Demo step: a financed project's money and a year of the Verfügungsfonds Schmarl.

"Digitale Teilhabe in Groß Klein" (ESF) gets its financing plan and a year of bookings
with receipts, placed relative to the day the demo is built: one correction by reversal,
one booking before the project's start, and Öffentlichkeitsarbeit spent 30 % over plan.
The Verfügungsfonds Schmarl has applications decided at the Stadtteiltisch Schmarl,
among them the Adventsmarkt's 300 € of the 11th Stadtteiltisch's minutes (TOP 5).
Writes the project's Verwendungsnachweis into the demo folder.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import partial
from typing import TYPE_CHECKING

from sqlmodel import Session, select

from stm import clock
from stm.demo.dates import on_day
from stm.models.events import Event
from stm.models.meetings import Meeting
from stm.services import finance, funds, refs

if TYPE_CHECKING:
    from stm.demo.documents import DemoContext

PROJECT = "digitale-teilhabe"
PLAN_COSTS = ["Personal=18.000", "Honorare=7.500", "Sachkosten=6.300",
              "Öffentlichkeitsarbeit=2.000", "Miete=2.000"]  # fmt: skip
PLAN_INCOME = ["ESF=28.640", "Eigenmittel=3.580", "Stiftung Nachbarschaft=3.580"]
#: (days from today, position, amount, payee)
BOOKINGS = [
    (-330, "Personal", "1.500,00", "Digitalwerkstatt Groß Klein, Personalkosten"),
    (-320, "Eigenmittel", "1.790,00", "Digitalwerkstatt Groß Klein"),
    (-300, "ESF", "14.320,00", "Landesförderinstitut, 1. Abschlag"),
    (-300, "Honorare", "450,00", "Medienpädagogin K. Beispiel"),
    (-280, "Sachkosten", "1.249,90", "Elektronikmarkt Beispiel, Tablets"),
    (-270, "Personal", "1.500,00", "Digitalwerkstatt Groß Klein, Personalkosten"),
    (-260, "Öffentlichkeitsarbeit", "980,00", "Druckerei Warnow (Beispiel), Flyer"),
    (-240, "Honorare", "450,00", "Medienpädagogin K. Beispiel"),
    (-210, "Personal", "1.500,00", "Digitalwerkstatt Groß Klein, Personalkosten"),
    (-200, "Sachkosten", "89,50", "Bürobedarf Beispiel"),
    (-180, "Miete", "250,00", "Stadtteil- und Begegnungszentrum Börse"),
    (-150, "Personal", "1.500,00", "Digitalwerkstatt Groß Klein, Personalkosten"),
    (-120, "Honorare", "450,00", "Medienpädagogin K. Beispiel"),
    (-100, "Sachkosten", "312,40", "Elektronikmarkt Beispiel, Zubehör"),
    (-90, "Personal", "1.500,00", "Digitalwerkstatt Groß Klein, Personalkosten"),
    (-60, "Honorare", "450,00", "Medienpädagogin K. Beispiel"),
    (-45, "Öffentlichkeitsarbeit", "500,00", "WIR2, Anzeige"),
    (-30, "Personal", "1.500,00", "Digitalwerkstatt Groß Klein, Personalkosten"),
]
#: Booked on Sachkosten by mistake, reversed two days later and booked on the right position.
MISTAKE = (
    -140,
    "Sachkosten",
    "Öffentlichkeitsarbeit",
    "1.120,00",
    "Druckerei Warnow (Beispiel), Plakate",
)
#: Material for the preparatory meeting, bought two weeks before the project's start.
EARLY = (-14, "Sachkosten", "75,00", "Bürobedarf Beispiel, Vorbereitung")

FUND = {"name": "Verfügungsfonds Schmarl", "slug": "verfuegungsfonds-schmarl", "budget": "10.000",
        "cap": "1.500", "district": "schmarl", "jury": "stadtteiltisch-schmarl"}  # fmt: skip


def demo_finance(session: Session, context: DemoContext) -> None:
    today = clock.today()
    project = refs.project(session, PROJECT)
    finance.set_plan(session, PROJECT, finance.PlanChange(costs=PLAN_COSTS, income=PLAN_INCOME))
    entries = [(today + timedelta(days=d), p, a, who) for d, p, a, who in BOOKINGS]
    assert project.start is not None  # the demo project has its running time
    entries.append((project.start + timedelta(days=EARLY[0]), EARLY[1], EARLY[2], EARLY[3]))
    wrong_day = today + timedelta(days=MISTAKE[0])
    entries.append((wrong_day, MISTAKE[1], MISTAKE[3], MISTAKE[4]))
    entries.sort(key=lambda e: e[0])
    numbers: dict[int, int] = {}
    wrong_id = None
    for day, position, amount, payee in entries:
        numbers[day.year] = numbers.get(day.year, 0) + 1
        receipt = f"R-{day.year}-{numbers[day.year]:03d}"
        with on_day(min(day + timedelta(days=1), today)):
            booking, _warnings = finance.book(session, finance.BookingFields(
                project=PROJECT, position=position, amount=amount, date=day.isoformat(),
                payee=payee, receipt=receipt))  # fmt: skip
        if day == wrong_day and position == MISTAKE[1]:
            wrong_id, wrong_receipt = booking.id, receipt
    assert wrong_id is not None
    fixed = wrong_day + timedelta(days=2)
    with on_day(fixed):
        finance.reverse(session, str(wrong_id), fixed.isoformat(), "falsche Position")
        finance.book(session, finance.BookingFields(
            project=PROJECT, position=MISTAKE[2], amount=MISTAKE[3], date=wrong_day.isoformat(),
            payee=MISTAKE[4], receipt=wrong_receipt, note="Umbuchung nach Storno"))  # fmt: skip
    context.counts["bookings"] = len(entries) + 2
    context.counts["fund applications"] = _demo_fund(session, today)
    _write_nachweis(session, context)


def _meeting(session: Session, number: int) -> tuple[Meeting, date]:
    network = refs.network(session, FUND["jury"])
    meeting = session.exec(
        select(Meeting).where(Meeting.network_id == network.id, Meeting.number == number)
    ).one()
    event = session.get(Event, meeting.event_id)
    assert event is not None
    return meeting, event.start.date()


def _demo_fund(session: Session, today: date) -> int:
    with on_day(today - timedelta(days=120)):
        funds.add_fund(session, funds.FundFields(**FUND))
    slug = FUND["slug"]
    tenth, tenth_day = _meeting(session, 10)
    eleventh, eleventh_day = _meeting(session, 11)
    cafe = _application(
        session,
        slug,
        "Nachbarschaftscafé im Haus 12",
        "Begegnungszentrum Haus 12",
        "1.200",
        tenth_day - timedelta(days=14),
        "Kaffee, Kuchen und Geschirr für ein monatliches Nachbarschaftscafé.",
    )
    kino = _application(session, slug, "Sommerkino auf dem Dorfplatz", "Jugendclub Schmarl",
                        "1.400", tenth_day - timedelta(days=10))  # fmt: skip
    advent = _application(session, slug, "Adventsmarkt im Dorf Schmarl",
                          "Heimatverein Dorf Schmarl e.V.", "300",
                          eleventh_day - timedelta(days=12),
                          "Stände, Beleuchtung und Glühwein für den Adventsmarkt.")  # fmt: skip
    _application(session, slug, "Ersatzteile für die Fahrradwerkstatt", "Jugendclub Schmarl",
                 "450", today - timedelta(days=10))  # fmt: skip
    with on_day(tenth_day):
        funds.decide(session, str(cafe), funds.Verdict(True, "1.000", str(tenth.id)))
        funds.decide(session, str(kino), funds.Verdict(False, None, str(tenth.id)))
    with on_day(eleventh_day):
        funds.decide(session, str(advent), funds.Verdict(True, None, str(eleventh.id), top=5))
    cafe_paid, advent_paid = tenth_day + timedelta(days=9), eleventh_day + timedelta(days=7)
    with on_day(cafe_paid):
        funds.pay(session, str(cafe), "1.000", cafe_paid.isoformat(), f"VF-{cafe_paid.year}-001")
    with on_day(advent_paid):
        funds.pay(
            session, str(advent), "300", advent_paid.isoformat(), f"VF-{advent_paid.year}-002"
        )
    return 4


def _application(
    session: Session, fund: str, title: str, applicant: str, amount: str, day: date,
    description: str | None = None,
) -> int:  # fmt: skip
    with on_day(day):
        application = funds.apply(session, fund, title, applicant, amount, description,
                                  day.isoformat())  # fmt: skip
    return application.id or 0


def _write_nachweis(session: Session, context: DemoContext) -> None:
    project = refs.project(session, PROJECT)
    session.flush()
    data = finance.nachweis_data(session.connection(), project, finance.NachweisRequest())
    context.write_documents(
        f"verwendungsnachweis-{PROJECT}",
        partial(finance.render_nachweis, data, options=context.render_options()),
    )
