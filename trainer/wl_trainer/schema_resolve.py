"""Resolving a validated config against its JSON Schema, as zod's parse does on the TypeScript
side: missing values get the schema's ``default``, and whole numbers in integer fields become ints.

Defaults apply recursively — an absent ``lora`` section becomes ``{}`` and then gets ``r: 16`` and
the rest — inside objects only; list items and free-form maps are left as written. Integers matter
because YAML 1.2 reads ``r: 8.0`` as a float that JavaScript (one number type) calls 8 and the
schema accepts as an integer; PEFT and torch want a real int.
"""

from __future__ import annotations

import copy
from typing import Any

Schema = dict[str, Any]


def resolve_with_schema(value: Any, schema: Schema, root: Schema | None = None) -> Any:
    """A copy of ``value`` with defaults filled in and integer fields holding ints."""
    root = root if root is not None else schema
    schema = follow_ref(schema, root)
    if isinstance(value, float) and value.is_integer() and declares_integer(schema, root):
        return int(value)
    if isinstance(value, list) and isinstance(schema.get("items"), dict):
        return [resolve_with_schema(item, schema["items"], root) for item in value]
    if not isinstance(value, dict):
        return value
    branch = object_branch(schema, value, root)
    if branch is None:
        return dict(value)
    resolved = dict(value)
    for name, declared in branch.get("properties", {}).items():
        prop = follow_ref(declared, root)
        if name not in resolved and "default" in prop:
            resolved[name] = copy.deepcopy(prop["default"])
        if name in resolved:
            resolved[name] = resolve_with_schema(resolved[name], prop, root)
    return resolved


def declares_integer(schema: Schema, root: Schema) -> bool:
    """The schema (or one of its union branches) is ``type: integer``."""
    if schema.get("type") == "integer":
        return True
    branches = schema.get("anyOf", []) + schema.get("oneOf", [])
    return any(declares_integer(follow_ref(branch, root), root) for branch in branches)


def object_branch(schema: Schema, value: dict[str, Any], root: Schema) -> Schema | None:
    """The object schema that describes ``value``: itself, or the anyOf/oneOf branch whose
    properties cover the value's keys."""
    if "properties" in schema:
        return schema
    for key in ("anyOf", "oneOf"):
        for option in schema.get(key, []):
            branch = follow_ref(option, root)
            properties = branch.get("properties")
            if properties is not None and set(value) <= set(properties):
                return branch
    return None


def follow_ref(schema: Schema, root: Schema) -> Schema:
    """Resolve a local ``$ref`` ("#/$defs/name"); other schemas come back unchanged."""
    hops = 0
    while "$ref" in schema and str(schema["$ref"]).startswith("#"):
        target: Any = root
        for part in str(schema["$ref"]).lstrip("#").strip("/").split("/"):
            if part:
                target = target[part.replace("~1", "/").replace("~0", "~")]
        schema = target
        hops += 1
        if hops > 32:
            raise ValueError(f"$ref cycle at {schema.get('$ref')}")
    return schema
