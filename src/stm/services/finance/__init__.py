"""A project's money (`stm finance`): the financing plan, bookings (corrected by reversal
only), planned against spent, and the Verwendungsnachweis with its Sachbericht.

The face of the package: other modules import from here.
"""

from stm.services.finance.bookings import BookingFields, book, outside_period, reverse
from stm.services.finance.document import nachweis_json, render_nachweis
from stm.services.finance.nachweis import (
    NachweisRequest,
    final_due,
    interim_due,
    nachweis_data,
)
from stm.services.finance.plan import PlanChange, PlanResult, position_named, set_plan
from stm.services.finance.summary import (
    OVER_PLAN_PERCENT,
    BookingFilter,
    as_json,
    booking_records,
    finance_summary,
)

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
