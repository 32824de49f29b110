"""The register's tables (SPEC §5), as SQLModel classes.

Datetimes are naive wall-clock times in the office's configured time zone (SPEC §5:
"Times are wall-clock"); dates are dates. Money is an exact NUMERIC(12, 2). Every schema
change here needs a migration in `stm/migrations/versions/` (tests compare the two).

The tables live in submodules by topic; `from stm.models import Actor` imports only the
module that defines it (and those it references), so that a command loads no more of the
schema than it uses. `load_all()` imports every table (migrations, tests).

The table modules do without `from __future__ import annotations`: SQLModel and
SQLAlchemy would otherwise eval() every field's annotation as each class is built, which
every command pays at start-up.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from stm.models.concerns import (
        Concern,
        ConcernHistory,
    )
    from stm.models.core import (
        Actor,
        ActorAlias,
        ActorDistrict,
        ActorSector,
        District,
    )
    from stm.models.events import (
        Event,
        EventDistrict,
        EventOccurrence,
        EventOrganiser,
    )
    from stm.models.finance import (
        Booking,
        FinancePosition,
        Fund,
        FundApplication,
        FundPayment,
    )
    from stm.models.log import Activity
    from stm.models.mail import MailSent, MailWithdrawal
    from stm.models.meetings import (
        AgendaItem,
        Attendance,
        Decision,
        Meeting,
        Task,
    )
    from stm.models.networks import Membership, Network, NetworkDistrict
    from stm.models.paper import (
        Article,
        PaperIssue,
        Publication,
    )
    from stm.models.privacy import Erasure
    from stm.models.projects import (
        Project,
        ProjectDistrict,
        ProjectPartner,
    )
    from stm.models.search import (
        SearchDocument,
    )

_MODULE_OF = {
    "District": "core",
    "ActorDistrict": "core",
    "ActorSector": "core",
    "Actor": "core",
    "Network": "networks",
    "NetworkDistrict": "networks",
    "ActorAlias": "core",
    "Membership": "networks",
    "Activity": "log",
    "Project": "projects",
    "ProjectPartner": "projects",
    "ProjectDistrict": "projects",
    "Event": "events",
    "EventDistrict": "events",
    "EventOrganiser": "events",
    "EventOccurrence": "events",
    "Meeting": "meetings",
    "AgendaItem": "meetings",
    "Attendance": "meetings",
    "Decision": "meetings",
    "Task": "meetings",
    "Concern": "concerns",
    "ConcernHistory": "concerns",
    "Publication": "paper",
    "PaperIssue": "paper",
    "Article": "paper",
    "SearchDocument": "search",
    "Erasure": "privacy",
    "MailSent": "mail",
    "MailWithdrawal": "mail",
    "FinancePosition": "finance",
    "Booking": "finance",
    "Fund": "finance",
    "FundApplication": "finance",
    "FundPayment": "finance",
}
MODULES = (
    "core",
    "networks",
    "log",
    "projects",
    "events",
    "meetings",
    "concerns",
    "paper",
    "search",
    "privacy",
    "mail",
    "finance",
)


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'stm.models' has no attribute {name!r}")
    return getattr(importlib.import_module(f"stm.models.{module}"), name)


def load_all() -> None:
    """Import every table onto SQLModel.metadata."""
    for module in MODULES:
        importlib.import_module(f"stm.models.{module}")


def table_names() -> list[str]:
    from sqlmodel import SQLModel

    load_all()
    return sorted(SQLModel.metadata.tables)


__all__ = [
    "Activity",
    "Actor",
    "ActorAlias",
    "ActorDistrict",
    "ActorSector",
    "AgendaItem",
    "Article",
    "Attendance",
    "Booking",
    "Concern",
    "ConcernHistory",
    "Decision",
    "District",
    "Erasure",
    "Event",
    "EventDistrict",
    "EventOccurrence",
    "EventOrganiser",
    "FinancePosition",
    "Fund",
    "FundApplication",
    "FundPayment",
    "MailSent",
    "MailWithdrawal",
    "Meeting",
    "Membership",
    "Network",
    "NetworkDistrict",
    "PaperIssue",
    "Project",
    "ProjectDistrict",
    "ProjectPartner",
    "Publication",
    "SearchDocument",
    "Task",
    "load_all",
    "table_names",
]
