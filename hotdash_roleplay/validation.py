"""Pydantic's validation errors in plain words: the one formatter for files, the command line,
the observer API and the forms."""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Sequence
from datetime import date
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

Loc = Sequence[int | str]


def where(err: ErrorDetails, whole: str = "") -> str:
    """The dotted path of the value an error is about ("phases.2.minutes"), or `whole`."""
    return ".".join(str(part) for part in err["loc"]) or whole


def describe(exc: ValidationError, limit: int = 3, whole: str = "the file") -> str:
    """The first problems of a validation error, each with where it is: "title: must not be
    empty; phases.2.minutes: 0 is too small (must be above 0) (and 2 more)"."""
    errors = exc.errors()
    parts = [f"{where(err, whole)}: {describe_error(err)}" for err in errors[:limit]]
    more = len(errors) - limit
    return "; ".join(parts) + (f" (and {more} more)" if more > 0 else "")


def first_problem(exc: ValidationError) -> str:
    """The first problem alone, without where it is (for a form that shows one field's)."""
    return describe_error(exc.errors()[0])


def value_kind(value: object) -> str:
    """What a value is, in words: "a number (3)", "text ('abc')", "an empty value"."""
    if value is None:
        return "an empty value"
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"text ({_short(value)})"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, date):
        return f"a date ({value})"
    return type(value).__name__


def _num(value: object) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _short(value: object, limit: int = 40) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 4] + "...'"


def _model_at(root: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The model class that owns the last element of ``loc`` (to list its allowed fields)."""
    model: type[BaseModel] | None = root
    for part in loc[:-1]:
        if isinstance(part, int) or model is None:
            continue
        field = model.model_fields.get(part)
        model = _find_model(field.annotation) if field else None
    return model


def _find_model(annotation: object) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    containers = (typing.Union, types.UnionType, list, tuple, typing.Annotated)
    if typing.get_origin(annotation) in containers:
        for arg in typing.get_args(annotation):
            found = _find_model(arg)
            if found:
                return found
    return None


def describe_error(err: ErrorDetails, model: type[BaseModel] | None = None) -> str:
    """A plain-words message for one pydantic error, without where it is (`where` says that);
    `model`, the validated model, lets an unknown field's message list the allowed ones."""
    kind, loc, value = err["type"], err["loc"], err.get("input")
    ctx: dict[str, Any] = dict(err.get("ctx") or {})
    name = next((str(p) for p in reversed(loc) if isinstance(p, str)), "value")
    if kind == "missing":
        return f"missing required field '{loc[-1]}'"
    if kind == "extra_forbidden":
        owner = _model_at(model, loc) if model else None
        allowed = sorted(owner.model_fields) if owner else []
        hint = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        extra = f"did you mean '{hint[0]}'? " if hint else ""
        return f"unknown field '{loc[-1]}' ({extra}allowed: {', '.join(allowed)})"
    if kind == "enum":
        choices = ctx.get("expected", "").replace("'", "").replace(" or ", ", ")
        what = {"decisions": "decision", "key": "phase key" if "phases" in loc else "key"}.get(
            name, name
        )
        return f"unknown {what} {_short(value)} (allowed: {choices})"
    if name == "confidence" and kind in {
        "less_than_equal",
        "greater_than_equal",
        "less_than",
        "greater_than",
    }:
        return f"confidence out of range: {value} (must be a percent from 0 to 100)"
    if kind in {"less_than_equal", "less_than"}:
        limit = _num(ctx.get("le", ctx.get("lt")))
        bound = "at most" if "le" in ctx else "below"
        return f"{_num(value)} is too large (must be {bound} {limit})"
    if kind in {"greater_than_equal", "greater_than"}:
        limit = _num(ctx.get("ge", ctx.get("gt")))
        bound = "at least" if "ge" in ctx else "above"
        return f"{_num(value)} is too small (must be {bound} {limit})"
    if kind in {"int_type", "int_parsing", "int_from_float"}:
        tip = ": write the percent from 0 to 100 without a % sign" if name == "confidence" else ""
        return f"should be a whole number, not {value_kind(value)}{tip}"
    if kind in {"float_type", "float_parsing"}:
        return f"should be a number, not {value_kind(value)}"
    if kind in {"bool_type", "bool_parsing"}:
        return f"should be true or false, not {value_kind(value)}"
    if kind == "string_type":
        quote = " — put it in quotes" if isinstance(value, bool | int | float | date) else ""
        return f"should be text, not {value_kind(value)}{quote}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"too long: {len(str(value)):,} characters (at most {ctx.get('max_length'):,})"
    if kind == "too_short":
        return f"needs at least {ctx.get('min_length')} item(s) ({ctx.get('actual_length')} given)"
    if kind == "too_long":
        return f"allows at most {ctx.get('max_length')} item(s) ({ctx.get('actual_length')} given)"
    if kind == "list_type":
        return f"should be a list (lines starting with '- '), not {value_kind(value)}"
    if kind in {"model_type", "dict_type", "model_attributes_type"}:
        return f"should be a mapping of fields (key: value lines), not {value_kind(value)}"
    if kind == "string_pattern_mismatch" and name == "id":
        return (
            f"{_short(value)} is not a valid id: use lowercase letters, digits and single "
            "hyphens, e.g. warranty-loophole"
        )
    if kind in {"value_error", "assertion_error"}:
        return str(ctx.get("error", err["msg"]))
    return err["msg"]
