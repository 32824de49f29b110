"""Typer's parameter coercion without Pydantic for values that need no conversion.

Typer 0.29 coerces every parameter value through a Pydantic `TypeAdapter`, so that any
command given an option imports Pydantic (a sixth of `stm actors list`'s time). Most
values stm's commands receive need no conversion: text options, lists of texts, and
defaults that already have their type. For those this returns the value as Typer's
adapter would (the same object, or the same list); every other value (a number typed
on the command line, a choice, a path) still goes through Typer's own coercion, built
only then. On a Typer without this machinery nothing is changed.
"""

from __future__ import annotations

from enum import Enum
from typing import Any, get_args, get_origin


def install() -> None:
    """Give Typer's parameters the light coercion (once per process)."""
    try:
        from typer import core
        from typer._coercion import build_runtime_param
    except ImportError:  # an older Typer: its click types import no Pydantic
        return
    parameter = getattr(core, "_TyperParameter", None)
    if parameter is None or getattr(parameter, "_stm_light", False):
        return
    if not hasattr(parameter, "get_runtime_param"):
        return

    def get_runtime_param(self: Any) -> Any:
        if self._runtime_param is None:
            self._runtime_param = _Light(self.type_descriptor, build_runtime_param)
        return self._runtime_param

    parameter.get_runtime_param = get_runtime_param
    parameter._stm_light = True


class _Light:
    """Typer's `RuntimeParam.coerce` for values that need no conversion; else Typer's own."""

    def __init__(self, descriptor: Any, build: Any) -> None:
        self._descriptor = descriptor
        self._build = build
        self._typer: Any = None
        info = descriptor.parameter_info
        annotation = descriptor.annotation
        plain = getattr(info, "parser", None) is None and descriptor.file_annotation is None
        self._text = plain and annotation is str
        self._texts = plain and get_origin(annotation) is list and get_args(annotation) == (str,)
        # A default of the parameter's own type (a number with no bounds, an enum member).
        unbounded = getattr(info, "min", None) is None and getattr(info, "max", None) is None
        self._same_type = (
            plain
            and isinstance(annotation, type)
            and ((annotation in (int, float) and unbounded) or issubclass(annotation, Enum))
        )

    def coerce(self, value: Any, param: Any, ctx: Any) -> Any:
        multiple = param.multiple or param.nargs == -1
        if value is None:
            return () if multiple else None
        if self._text and type(value) is str:
            return value
        texts = self._texts and isinstance(value, (list, tuple))
        if texts and all(type(v) is str for v in value):
            return list(value)
        if self._same_type and type(value) is self._descriptor.annotation:
            return value
        if self._typer is None:
            self._typer = self._build(self._descriptor)
        return self._typer.coerce(value, param=param, ctx=ctx)

    def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
        if self._typer is None:
            self._typer = self._build(self._descriptor)
        return self._typer._coerce_value(value, param=param, ctx=ctx)
