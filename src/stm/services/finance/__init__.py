"""A project's money (`stm finance`): the financing plan, bookings (corrected by reversal
only), planned against spent, and the Verwendungsnachweis with its Sachbericht.

The face of the package: other modules import from here. Names load on first use, so
that the monthly report's section (`report_section`) imports no ORM classes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from stm.services.faces import lazy_names

if TYPE_CHECKING:
    from stm.services.finance.bookings import BookingFields, book, reverse
    from stm.services.finance.document import nachweis_json, render_nachweis
    from stm.services.finance.nachweis import NachweisRequest, nachweis_data
    from stm.services.finance.period import final_due, interim_due, outside_period
    from stm.services.finance.plan import PlanChange, PlanResult, position_named, set_plan
    from stm.services.finance.summary import (
        OVER_PLAN_PERCENT,
        BookingFilter,
        as_json,
        booking_records,
        finance_summary,
    )

_MODULE_OF = {
    "BookingFields": "bookings", "book": "bookings", "reverse": "bookings",
    "nachweis_json": "document", "render_nachweis": "document",
    "NachweisRequest": "nachweis", "nachweis_data": "nachweis",
    "final_due": "period", "interim_due": "period", "outside_period": "period",
    "PlanChange": "plan", "PlanResult": "plan", "position_named": "plan", "set_plan": "plan",
    "OVER_PLAN_PERCENT": "summary", "BookingFilter": "summary", "as_json": "summary",
    "booking_records": "summary", "finance_summary": "summary",
}  # fmt: skip


__getattr__ = lazy_names(__name__, _MODULE_OF)


__all__ = [
    "OVER_PLAN_PERCENT",
    "BookingFields",
    "BookingFilter",
    "NachweisRequest",
    "PlanChange",
    "PlanResult",
    "as_json",
    "book",
    "booking_records",
    "final_due",
    "finance_summary",
    "interim_due",
    "nachweis_data",
    "nachweis_json",
    "outside_period",
    "position_named",
    "render_nachweis",
    "reverse",
    "set_plan",
]
