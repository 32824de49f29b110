"""The register's vocabularies: kinds, sectors, states, with German and English labels.

Light on purpose: the CLI imports this for `--help` and for validating choices, so it
must not pull in SQLAlchemy. German domain words are explained here once:

- *Akteur*: any party of the district's network (association, school, person, ...).
- *Träger*: the organisation that carries a project or office (its lead actor).
- *Gremium*: a standing body (``Network``): Stadtteiltisch (district round table),
  Lenkungsgruppe (steering group), Ortsbeirat (local council), Arbeitskreis (working
  group), Bündnis (alliance), Begleitausschuss (funding monitoring committee).
- *TOP* (Tagesordnungspunkt): an agenda item.
- *Anliegen/Bedarf*: a resident's concern or need, carried into the administration.
- *IEK* (Integriertes Entwicklungskonzept): the district's development plan; its
  *Handlungsfelder* (fields of action) are the goals projects serve.
"""

from __future__ import annotations

from enum import StrEnum


class Vocabulary(StrEnum):
    """A closed set of values with a German and an English label each."""

    @classmethod
    def labels(cls) -> dict[str, tuple[str, str]]:
        return {}

    @property
    def label(self) -> str:
        return self.labels().get(self.value, (self.value, self.value))[0]

    def label_in(self, lang: str) -> str:
        de, en = self.labels().get(self.value, (self.value, self.value))
        return en if lang == "en" else de

    @classmethod
    def values(cls) -> list[str]:
        return [member.value for member in cls]


class ActorKind(Vocabulary):
    organisation = "organisation"
    association = "association"
    initiative = "initiative"
    social = "social"
    school = "school"
    kita = "kita"
    housing = "housing"
    business = "business"
    administration = "administration"
    politics = "politics"
    media = "media"
    church = "church"
    person = "person"
    resident = "resident"

    @classmethod
    def labels(cls) -> dict[str, tuple[str, str]]:
        return {
            "organisation": ("Organisation", "Organisation"),
            "association": ("Verein", "Association"),
            "initiative": ("Initiative", "Initiative"),
            "social": ("Sozialer Träger", "Social organisation"),
            "school": ("Schule", "School"),
            "kita": ("Kita", "Day-care centre"),
            "housing": ("Wohnungsunternehmen", "Housing company"),
            "business": ("Gewerbe/Handel", "Business"),
            "administration": ("Verwaltung", "Administration"),
            "politics": ("Politik", "Politics"),
            "media": ("Medien", "Media"),
            "church": ("Kirchengemeinde", "Church"),
            "person": ("Person", "Person"),
            "resident": ("Bewohner*in", "Resident"),
        }


#: Kinds whose records are natural persons (personal data, consent rules apply).
PERSON_KINDS = frozenset({ActorKind.person.value, ActorKind.resident.value})
#: The purpose recorded when a person consents without naming one.
DEFAULT_CONSENT_PURPOSE = "Kontaktliste des Stadtteilmanagements"


class Sector(Vocabulary):
    soziales = "soziales"
    bildung = "bildung"
    kultur = "kultur"
    wirtschaft = "wirtschaft"
    gesundheit = "gesundheit"
    jugend = "jugend"
    kinder = "kinder"
    familie = "familie"
    senioren = "senioren"
    integration = "integration"
    wohnen = "wohnen"
    umwelt = "umwelt"
    sport = "sport"
    ehrenamt = "ehrenamt"
    arbeit = "arbeit"
    digitales = "digitales"
    sicherheit = "sicherheit"
    verwaltung = "verwaltung"
    politik = "politik"

    @classmethod
    def labels(cls) -> dict[str, tuple[str, str]]:
        return {
            "soziales": ("Soziales", "Social"),
            "bildung": ("Bildung", "Education"),
            "kultur": ("Kultur", "Culture"),
            "wirtschaft": ("Wirtschaft", "Economy"),
            "gesundheit": ("Gesundheit", "Health"),
            "jugend": ("Jugend", "Youth"),
            "kinder": ("Kinder", "Children"),
            "familie": ("Familie", "Family"),
            "senioren": ("Senioren", "Seniors"),
            "integration": ("Integration", "Integration"),
            "wohnen": ("Wohnen", "Housing"),
            "umwelt": ("Umwelt", "Environment"),
            "sport": ("Sport", "Sport"),
            "ehrenamt": ("Ehrenamt", "Volunteering"),
            "arbeit": ("Arbeit", "Employment"),
            "digitales": ("Digitales", "Digital"),
            "sicherheit": ("Sicherheit", "Safety"),
            "verwaltung": ("Verwaltung", "Administration"),
            "politik": ("Politik", "Politics"),
        }


class NetworkKind(Vocabulary):
    stadtteiltisch = "stadtteiltisch"
    lenkungsgruppe = "lenkungsgruppe"
    ortsbeirat = "ortsbeirat"
    arbeitskreis = "arbeitskreis"
    buendnis = "buendnis"
    begleitausschuss = "begleitausschuss"
    netzwerk = "netzwerk"

    @classmethod
    def labels(cls) -> dict[str, tuple[str, str]]:
        return {
            "stadtteiltisch": ("Stadtteiltisch", "District round table"),
            "lenkungsgruppe": ("Lenkungsgruppe", "Steering group"),
            "ortsbeirat": ("Ortsbeirat", "Local council"),
            "arbeitskreis": ("Arbeitskreis", "Working group"),
            "buendnis": ("Bündnis", "Alliance"),
            "begleitausschuss": ("Begleitausschuss", "Monitoring committee"),
            "netzwerk": ("Netzwerk", "Network"),
        }


class NetworkLevel(Vocabulary):
    district = "district"
    city = "city"
    state = "state"
    national = "national"
    international = "international"

    @classmethod
    def labels(cls) -> dict[str, tuple[str, str]]:
        return {
            "district": ("Stadtteil", "District"),
            "city": ("Stadt", "City"),
            "state": ("Land", "State"),
            "national": ("Bund", "National"),
            "international": ("International", "International"),
        }


class MemberRole(Vocabulary):
    member = "member"
    chair = "chair"
    office = "office"
    guest = "guest"

    @classmethod
    def labels(cls) -> dict[str, tuple[str, str]]:
        return {
            "member": ("Mitglied", "Member"),
            "chair": ("Vorsitz", "Chair"),
            "office": ("Geschäftsstelle", "Office"),
            "guest": ("Gast", "Guest"),
        }


class ProjectStatus(Vocabulary):
    idea = "idea"
    planned = "planned"
    running = "running"
    finished = "finished"
    cancelled = "cancelled"

    @classmethod
    def labels(cls) -> dict[str, tuple[str, str]]:
        return {
            "idea": ("Idee", "Idea"),
            "planned": ("geplant", "Planned"),
            "running": ("laufend", "Running"),
            "finished": ("abgeschlossen", "Finished"),
            "cancelled": ("abgebrochen", "Cancelled"),
        }


class Programme(Vocabulary):
    soziale_stadt = "soziale-stadt"
    sozialer_zusammenhalt = "sozialer-zusammenhalt"
    esf = "esf"
    biwaq = "biwaq"
    municipal = "municipal"
    foundation = "foundation"
    other = "other"

    @classmethod
    def labels(cls) -> dict[str, tuple[str, str]]:
        return {
            "soziale-stadt": ("Soziale Stadt", "Soziale Stadt"),
            "sozialer-zusammenhalt": ("Sozialer Zusammenhalt", "Sozialer Zusammenhalt"),
            "esf": ("ESF", "ESF"),
            "biwaq": ("BIWAQ", "BIWAQ"),
            "municipal": ("kommunal", "Municipal"),
            "foundation": ("Stiftung", "Foundation"),
            "other": ("sonstige", "Other"),
        }


class IekGoal(Vocabulary):
    """Handlungsfelder of an Integriertes Entwicklungskonzept."""

    wohnen = "wohnen"
    wohnumfeld = "wohnumfeld"
    bildung = "bildung"
    soziales = "soziales"
    gesundheit = "gesundheit"
    kultur = "kultur"
    integration = "integration"
    beschaeftigung = "beschaeftigung"
    beteiligung = "beteiligung"
    image = "image"
    umwelt = "umwelt"
    sicherheit = "sicherheit"

    @classmethod
    def labels(cls) -> dict[str, tuple[str, str]]:
        return {
            "wohnen": ("Wohnen", "Housing"),
            "wohnumfeld": ("Wohnumfeld und öffentlicher Raum", "Public space"),
            "bildung": ("Bildung", "Education"),
            "soziales": ("Soziales und Nachbarschaft", "Social life"),
            "gesundheit": ("Gesundheit", "Health"),
            "kultur": ("Kultur und Freizeit", "Culture and leisure"),
            "integration": ("Integration", "Integration"),
            "beschaeftigung": ("Lokale Ökonomie und Beschäftigung", "Local economy"),
            "beteiligung": ("Beteiligung und Aktivierung", "Participation"),
            "image": ("Image und Öffentlichkeitsarbeit", "Image and publicity"),
            "umwelt": ("Umwelt und Klima", "Environment"),
            "sicherheit": ("Sicherheit", "Safety"),
        }


class EventKind(Vocabulary):
    fest = "fest"
    markt = "markt"
    aktion = "aktion"
    workshop = "workshop"
    sprechstunde = "sprechstunde"
    meeting = "meeting"
    kurs = "kurs"
    ausstellung = "ausstellung"
    sport = "sport"
    kultur = "kultur"
    beteiligung = "beteiligung"
    sonstiges = "sonstiges"

    @classmethod
    def labels(cls) -> dict[str, tuple[str, str]]:
        return {
            "fest": ("Fest", "Festival"),
            "markt": ("Markt", "Market"),
            "aktion": ("Aktion", "Campaign"),
            "workshop": ("Workshop", "Workshop"),
            "sprechstunde": ("Sprechstunde", "Office hours"),
            "meeting": ("Sitzung", "Meeting"),
            "kurs": ("Kurs", "Course"),
            "ausstellung": ("Ausstellung", "Exhibition"),
            "sport": ("Sport", "Sport"),
            "kultur": ("Kultur", "Culture"),
            "beteiligung": ("Beteiligung", "Participation"),
            "sonstiges": ("Sonstiges", "Other"),
        }


class EventStatus(Vocabulary):
    planned = "planned"
    held = "held"
    cancelled = "cancelled"

    @classmethod
    def labels(cls) -> dict[str, tuple[str, str]]:
        return {
            "planned": ("geplant", "Planned"),
            "held": ("durchgeführt", "Held"),
            "cancelled": ("abgesagt", "Cancelled"),
        }


class MeetingState(Vocabulary):
    scheduled = "scheduled"
    invited = "invited"
    held = "held"
    approved = "approved"

    @classmethod
    def labels(cls) -> dict[str, tuple[str, str]]:
        return {
            "scheduled": ("geplant", "Scheduled"),
            "invited": ("eingeladen", "Invited"),
            "held": ("durchgeführt", "Held"),
            "approved": ("Protokoll bestätigt", "Minutes approved"),
        }


class AgendaKind(Vocabulary):
    info = "info"
    discussion = "discussion"
    decision = "decision"

    @classmethod
    def labels(cls) -> dict[str, tuple[str, str]]:
        return {
            "info": ("Information", "Information"),
            "discussion": ("Diskussion", "Discussion"),
            "decision": ("Beschluss", "Decision"),
        }


class AttendanceStatus(Vocabulary):
    present = "present"
    excused = "excused"
    absent = "absent"

    @classmethod
    def labels(cls) -> dict[str, tuple[str, str]]:
        return {
            "present": ("anwesend", "Present"),
            "excused": ("entschuldigt", "Excused"),
            "absent": ("abwesend", "Absent"),
        }


class TaskStatus(Vocabulary):
    open = "open"
    done = "done"

    @classmethod
    def labels(cls) -> dict[str, tuple[str, str]]:
        return {"open": ("offen", "Open"), "done": ("erledigt", "Done")}


class ConcernStatus(Vocabulary):
    new = "new"
    forwarded = "forwarded"
    in_progress = "in-progress"
    resolved = "resolved"
    rejected = "rejected"

    @classmethod
    def labels(cls) -> dict[str, tuple[str, str]]:
        return {
            "new": ("neu", "New"),
            "forwarded": ("weitergeleitet", "Forwarded"),
            "in-progress": ("in Bearbeitung", "In progress"),
            "resolved": ("erledigt", "Resolved"),
            "rejected": ("abgelehnt", "Rejected"),
        }


class ArticleStatus(Vocabulary):
    submitted = "submitted"
    edited = "edited"
    accepted = "accepted"
    rejected = "rejected"

    @classmethod
    def labels(cls) -> dict[str, tuple[str, str]]:
        return {
            "submitted": ("eingereicht", "Submitted"),
            "edited": ("redigiert", "Edited"),
            "accepted": ("angenommen", "Accepted"),
            "rejected": ("abgelehnt", "Rejected"),
        }


#: Federal state codes (ISO 3166-2:DE without the prefix), for public holidays.
FEDERAL_STATES = {
    "BB": "Brandenburg",
    "BE": "Berlin",
    "BW": "Baden-Württemberg",
    "BY": "Bayern",
    "HB": "Bremen",
    "HE": "Hessen",
    "HH": "Hamburg",
    "MV": "Mecklenburg-Vorpommern",
    "NI": "Niedersachsen",
    "NW": "Nordrhein-Westfalen",
    "RP": "Rheinland-Pfalz",
    "SH": "Schleswig-Holstein",
    "SL": "Saarland",
    "SN": "Sachsen",
    "ST": "Sachsen-Anhalt",
    "TH": "Thüringen",
}
