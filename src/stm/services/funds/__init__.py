"""The Verfügungsfonds (`stm fund`): a resident fund with a yearly budget and a cap per
application, decided by a jury or the Stadtteiltisch; applications go applied →
approved/rejected → paid, linked to the decision in a meeting's minutes.

The face of the package: other modules import from here.
"""

from stm.services.funds.applications import Verdict, application_by_ref, apply, decide, pay
from stm.services.funds.funds import (
    FundFields,
    add_fund,
    close_fund,
    fund_by_ref,
    fund_detail,
    fund_records,
)

__all__ = [
    "FundFields",
    "Verdict",
    "add_fund",
    "application_by_ref",
    "apply",
    "close_fund",
    "decide",
    "fund_by_ref",
    "fund_detail",
    "fund_records",
    "pay",
]
