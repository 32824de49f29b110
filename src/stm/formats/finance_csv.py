"""Bookings and receipts as CSV for Excel: `;`, CRLF, headers in the document language,
formula-safe (stm.formats.people_csv), amounts with a decimal comma as German Excel reads
them as numbers (`1234,50`), dates as DD.MM.YYYY. Files get a BOM; a pipe gets none."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from stm.formats.people_csv import rows_text

BOOKING_HEADERS = {
    "id": ("Nr.", "No."),
    "date": ("Datum", "Date"),
    "position": ("Position", "Position"),
    "kind": ("Art", "Kind"),
    "amount": ("Betrag (EUR)", "Amount (EUR)"),
    "payee": ("Empfänger", "Payee"),
    "receipt": ("Beleg", "Receipt"),
    "note": ("Bemerkung", "Note"),
    "reverses": ("Storno zu Nr.", "Reverses no."),
}
RECEIPT_HEADERS = {
    "number": ("Lfd. Nr.", "No."),
    "date": ("Datum", "Date"),
    "receipt": ("Beleg", "Receipt"),
    "payee": ("Empfänger", "Payee"),
    "position": ("Position", "Position"),
    "amount": ("Betrag (EUR)", "Amount (EUR)"),
    "note": ("Bemerkung", "Note"),
}
KIND_LABELS = {"cost": ("Ausgabe", "cost"), "income": ("Einnahme", "income")}


def excel_amount(value: Decimal | str | None) -> str:
    """`1234.50` → `1234,50`: a number to German Excel, exact, no thousands separator."""
    if value is None:
        return ""
    return f"{Decimal(str(value)):.2f}".replace(".", ",")


def excel_date(value: Any) -> str:
    if value is None:
        return ""
    text = value if isinstance(value, str) else value.isoformat()
    year, month, day = text[:10].split("-")
    return f"{day}.{month}.{year}"


def _cell(key: str, value: Any, lang: str) -> str:
    if key == "amount":
        return excel_amount(value)
    if key == "date":
        return excel_date(value)
    if key == "kind":
        de, en = KIND_LABELS.get(value, (value, value))
        return en if lang == "en" else de
    return "" if value is None else str(value)


def _table(headers: dict[str, tuple[str, str]], records: Iterable[dict[str, Any]],
           lang: str) -> str:  # fmt: skip
    index = 1 if lang == "en" else 0
    keys: Sequence[str] = list(headers)
    header = [headers[k][index] for k in keys]
    rows = ([_cell(k, record.get(k), lang) for k in keys] for record in records)
    return rows_text(header, rows)


def bookings_csv(records: Iterable[dict[str, Any]], lang: str = "de") -> str:
    return _table(BOOKING_HEADERS, records, lang)


def receipts_csv(receipts: Iterable[dict[str, Any]], lang: str = "de") -> str:
    return _table(RECEIPT_HEADERS, receipts, lang)
