"""The monthly report for the Träger, the city and funders (`stm report monthly`).

Everything is read as of the end of the month, from what the register records: events
held (recurring series expanded within the month), meetings with their decisions and
tasks, projects active/started/finished, residents' concerns with the median days to an
answer, new actors and memberships, newspaper issues, per district, and an outlook on
the next month. The result is plain data (SPEC §7 keys, `records`); `stm.render`
renders it as Markdown, HTML or PDF, `stm.cli.output` as JSON.

Built for cron: the same register gives the same bytes. Nothing here depends on the
time the report is made (no "generated at"), every list has a total order, and a
record's state is taken at the month's end (a task done later still counts as open).

Behind this face: `period` (the month, the districts), `lookups` (reads the sections
share), one module per section (`events`, `meetings`, `tasks`, `projects`, `concerns`,
`actors`, `newspaper`, `outlook`, `districts`) and `monthly`, which puts them together.
"""

from __future__ import annotations

from stm.services.report.monthly import monthly_report
from stm.services.report.period import Period
from stm.services.report.records import MonthlyReport

__all__ = ["MonthlyReport", "Period", "monthly_report"]
