"""Light descriptions (SQLAlchemy Core) of the finance tables, for the fast read paths.

`show`, `list` and the Verwendungsnachweis read thousands of bookings; Core rows cost a
fraction of ORM objects. tests/test_finance.py checks these columns against the models.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Integer, Numeric, String, column, table


def _table(table_name: str, /, **columns: Any) -> Any:
    return table(table_name, *(column(key, kind) for key, kind in columns.items()))


MONEY = Numeric(12, 2, asdecimal=True)

POSITION = _table("finance_position", id=Integer, project_id=Integer, kind=String, name=String,
                  key=String, planned=MONEY, position=Integer)  # fmt: skip
BOOKING = _table("booking", id=Integer, project_id=Integer, position_id=Integer, day=Date,
                 amount=MONEY, payee=String, receipt=String, note=String, reverses_id=Integer,
                 late=Boolean, created_at=DateTime)  # fmt: skip
FUND = _table("fund", id=Integer, slug=String, name=String, budget=MONEY, cap=MONEY,
              district_id=Integer, jury_id=Integer, closed_on=Date)  # fmt: skip
APPLICATION = _table("fund_application", id=Integer, fund_id=Integer, title=String,
                     applicant_id=Integer, amount=MONEY, approved=MONEY, state=String,
                     applied_on=Date, decided_on=Date, meeting_id=Integer,
                     decision_id=Integer)  # fmt: skip
PAYMENT = _table("fund_payment", id=Integer, application_id=Integer, day=Date, amount=MONEY,
                 receipt=String)  # fmt: skip
TABLES = (POSITION, BOOKING, FUND, APPLICATION, PAYMENT)
