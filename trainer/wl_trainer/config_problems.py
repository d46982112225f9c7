"""Turning JSON Schema validation errors on a config into lines a person can act on.

Each problem names the key path (``lora.r``), what was expected, what arrived and the fix; unknown
keys get the closest valid key. The wording follows packages/core/src/config/issues.ts so both
sides describe a bad config alike::

    unknown key "lerning_rate" in training → fix: did you mean "learning_rate"?
    lora.r is "eight", expected int → fix: set lora.r to a value of type int
"""

from __future__ import annotations

import difflib
import json
import math
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from typing import Any

from jsonschema.exceptions import ValidationError

from wl_trainer.schema_resolve import Schema
from wl_trainer.yaml12 import KeyPath

LineOf = Callable[[KeyPath], int | None]

# zod's names for JSON types, so messages read the same as the TypeScript tools'.
TYPE_NAMES = {"integer": "int", "null": "null"}
# Errors that only say "this branch of a union has another type": never the interesting one.
BRANCH_MISMATCH = {"type", "const", "enum"}


@dataclass(frozen=True)
class ConfigProblem:
    """One problem in a config, ready to print."""

    path: str
    message: str
    fix: str
    line: int | None = None

    def to_json(self) -> dict[str, Any]:
        """The problem as a JSON object (``line`` left out when unknown)."""
        return {k: v for k, v in asdict(self).items() if v is not None}


def in_file_order(problems: Iterable[ConfigProblem]) -> list[ConfigProblem]:
    """Problems sorted by line (those without a line last), then by path."""
    return sorted(problems, key=lambda p: (p.line is None, p.line or 0, p.path))


def describe_errors(errors: Iterable[ValidationError], line_of: LineOf) -> list[ConfigProblem]:
    """A problem for each schema validation error."""
    return [problem for error in errors for problem in describe_error(error, line_of)]


def non_finite_numbers(value: Any, line_of: LineOf, path: KeyPath = ()) -> list[ConfigProblem]:
    """``.inf`` and ``.nan`` anywhere: JSON Schema lets them pass bounds, zod rejects them."""
    if isinstance(value, float) and not math.isfinite(value):
        name = dotted(path)
        return [
            ConfigProblem(
                name,
                f"{name} is {value}, expected a finite number",
                f"set {name} to a finite number",
                line_of(path),
            )
        ]
    if isinstance(value, dict):
        items: Iterable[tuple[str | int, Any]] = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return []
    return [
        problem
        for key, item in items
        for problem in non_finite_numbers(item, line_of, (*path, key))
    ]


def describe_error(error: ValidationError, line_of: LineOf) -> list[ConfigProblem]:
    """The problems one validation error stands for (one per unknown key)."""
    path: KeyPath = tuple(error.absolute_path)
    schema: Schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        valid = list(schema.get("properties", {}))
        extras = [key for key in error.instance if key not in valid]
        return [unknown_key(path, key, valid, line_of((*path, key))) for key in extras]
    if error.validator in ("anyOf", "oneOf"):
        inner = deciding_branch_error(error)
        if inner is not None:
            return describe_error(inner, line_of)
    return [describe_value_error(error, path, line_of(path))]


def unknown_key(parent: KeyPath, key: str, valid: list[str], line: int | None) -> ConfigProblem:
    """A key the schema does not know, with the closest valid key as the fix."""
    where = f"in {dotted(parent)}" if parent else "at the top level"
    guess = closest(key, valid)
    fix = (
        f'did you mean "{guess}"?'
        if guess
        else f"remove it; valid keys here: {', '.join(valid) or '(none)'}"
    )
    return ConfigProblem(dotted((*parent, key)), f'unknown key "{key}" {where}', fix, line)


def closest(word: str, candidates: list[str]) -> str | None:
    """The candidate most like ``word`` (difflib ratio ≥ 0.6, case-insensitive), if any."""
    by_lower = {candidate.lower(): candidate for candidate in candidates}
    matches = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=0.6)
    return by_lower[matches[0]] if matches else None


def deciding_branch_error(error: ValidationError) -> ValidationError | None:
    """For a failed union, the error inside the branch the value was evidently meant for.

    A branch whose only complaint is "wrong type" was not meant; if some branch got further
    (right type, failing a bound or deeper key), its first error explains the problem best.
    """
    meant = [
        inner
        for inner in error.context or []
        if inner.relative_path or inner.validator not in BRANCH_MISMATCH
    ]
    meant.sort(key=lambda inner: (-len(inner.relative_path), list(map(str, inner.relative_path))))
    return meant[0] if meant else None


def describe_value_error(error: ValidationError, path: KeyPath, line: int | None) -> ConfigProblem:
    """A problem with one value: missing, wrong type, not a choice, out of bounds or a pattern."""
    name = dotted(path) or "(config)"
    schema: Schema = error.schema if isinstance(error.schema, dict) else {}
    rule = error.validator
    got = js_json(error.instance)
    if rule == "required":
        required: list[str] = list(schema.get("required", []))
        present = error.instance if isinstance(error.instance, dict) else {}
        missing = next(key for key in required if key not in present)
        full = dotted((*path, missing))
        wanted = describe_schema(schema.get("properties", {}).get(missing, {}))
        return ConfigProblem(
            full,
            f"missing required key {full}",
            f"add {full} ({wanted}); see configs/cpu-smoke.yaml",
            line,
        )
    if rule in ("enum", "const") and "enum" in schema:
        choices = ", ".join(js_json(choice) for choice in schema["enum"])
        return ConfigProblem(
            name,
            f"{name} is {got}, expected one of {choices}",
            f"set {name} to one of {choices}",
            line,
        )
    bound = describe_bound(rule, error.validator_value)
    if bound is not None:
        fix = (
            f"give {name} {bound}" if rule in ("minItems", "maxItems") else f"set {name} to {bound}"
        )
        return ConfigProblem(name, f"{name} is {got}, expected {bound}", fix, line)
    expected = describe_schema(schema)
    if rule == "type":
        fix = f"set {name} to a value of type {expected}"
        return ConfigProblem(name, f"{name} is {got}, expected {expected}", fix, line)
    if rule in ("anyOf", "oneOf", "const"):
        return ConfigProblem(
            name, f"{name} is {got}, expected {expected}", f"set {name} to {expected}", line
        )
    detail = schema.get("description") or expected
    return ConfigProblem(name, f"{name} is {got}, expected {detail}", f"correct {name}", line)


def describe_bound(rule: Any, limit: Any) -> str | None:
    """``minimum: 16`` → "at least 16"; None for rules that are not bounds."""
    words = {
        "minimum": f"at least {js_json(limit)}",
        "maximum": f"at most {js_json(limit)}",
        "exclusiveMinimum": f"more than {js_json(limit)}",
        "exclusiveMaximum": f"less than {js_json(limit)}",
        "minLength": "a non-empty string" if limit == 1 else f"at least {limit} characters",
        "maxLength": f"at most {limit} characters",
        "minItems": f"at least {limit} item{'s' if limit != 1 else ''}",
        "maxItems": f"at most {limit} items",
        "pattern": f"text matching {limit}",
    }
    return words.get(str(rule))


def describe_schema(schema: Schema) -> str:
    """A short phrase for what a schema accepts: int, "all-linear" or array of string, …"""
    if "const" in schema:
        return js_json(schema["const"])
    if "enum" in schema:
        return "one of " + ", ".join(js_json(choice) for choice in schema["enum"])
    for union in ("anyOf", "oneOf"):
        if union in schema:
            return " or ".join(describe_schema(branch) for branch in schema[union])
    kind = schema.get("type")
    if isinstance(kind, list):
        return " or ".join(TYPE_NAMES.get(str(k), str(k)) for k in kind)
    if kind == "array":
        return f"array of {describe_schema(schema.get('items', {}))}"
    if isinstance(kind, str):
        return TYPE_NAMES.get(kind, kind)
    return "a value"


def dotted(path: KeyPath) -> str:
    """``("lora", "target_modules", 0)`` → ``lora.target_modules[0]``."""
    out = ""
    for segment in path:
        out += f"[{segment}]" if isinstance(segment, int) else f"{'.' if out else ''}{segment}"
    return out


def js_json(value: Any) -> str:
    """A value as JavaScript's JSON.stringify writes it (whole floats without ``.0``)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))
