"""Exact money helpers shared by finances and funds: parsing `NAME=AMOUNT`, sums, shares."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from stm.errors import Invalid
from stm.parsing import parse_money, parse_name

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def exact(value: object) -> Decimal:
    """A stored amount as an exact Decimal with two places (SQLite may hand back a float
    for NUMERIC; its two decimals are exact in the text that float came from)."""
    if isinstance(value, Decimal):
        return value.quantize(CENT)
    if isinstance(value, float):
        return Decimal(f"{value:.2f}")
    return Decimal(str(value)).quantize(CENT)


def total(values: Iterable[Decimal]) -> Decimal:
    return sum(values, ZERO).quantize(CENT)


def money_text(value: Decimal | None) -> str | None:
    """The JSON form of an amount (SPEC §7): `"1234.50"`."""
    return None if value is None else f"{value:.2f}"


def percent(part: Decimal, whole: Decimal) -> Decimal | None:
    """`part` as a percentage of `whole`, one decimal; None when nothing was planned."""
    if whole == 0:
        return None
    return (part * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def positive_amount(value: str, field: str) -> Decimal:
    """An amount of more than zero, as people type it (`450,00`, `1.500`)."""
    amount = parse_money(value, field)
    if amount == 0:
        raise Invalid(field, f"{value!r} is zero; an amount is more than 0,00 €")
    return amount


def named_amount(text: str, field: str) -> tuple[str, Decimal]:
    """`Honorare=12.000` → ('Honorare', Decimal('12000.00'))."""
    name, mark, amount = text.rpartition("=")
    if not mark or not name.strip():
        raise Invalid(field, f"{text!r} is not NAME=AMOUNT; use e.g. 'Honorare=12.000'")
    return parse_name(name, field), parse_money(amount, field)
