"""YAML read the way the JavaScript ``yaml`` package reads it: YAML 1.2, core schema.

PyYAML implements YAML 1.1, where ``2e-4`` is a string, ``yes``/``on`` are booleans, ``017`` is
octal and ``2024-01-01`` is a date. The TypeScript tools read the same config files with
``yaml`` (1.2 core), so this loader swaps PyYAML's resolvers for the 1.2 core ones, keeps only the
core tags, rejects duplicate keys, and remembers the line of every key for error messages::

    doc = parse_yaml(Path("wl.yaml").read_text(), "wl.yaml")
    doc.data["training"]["learning_rate"]   # 0.0002, a float
    doc.line_of(("training", "learning_rate"))  # 12
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from wl_trainer.errors import WlError

KeyPath = tuple[str | int, ...]

NULL_TAG = "tag:yaml.org,2002:null"
BOOL_TAG = "tag:yaml.org,2002:bool"
INT_TAG = "tag:yaml.org,2002:int"
FLOAT_TAG = "tag:yaml.org,2002:float"
CORE_TAGS = {NULL_TAG, BOOL_TAG, INT_TAG, FLOAT_TAG} | {
    f"tag:yaml.org,2002:{name}" for name in ("str", "seq", "map")
}

# The YAML 1.2.2 core schema, section 10.3.2 (https://yaml.org/spec/1.2.2/#1032-tag-resolution).
CORE_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
CORE_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
CORE_INT = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
CORE_FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)


class DuplicateKeyError(yaml.MarkedYAMLError):
    """A mapping names the same key twice."""

    def __init__(self, key: str, first: Node, second: Node) -> None:
        super().__init__(problem=f'duplicate key "{key}"', problem_mark=second.start_mark)
        self.key = key
        self.first_line = first.start_mark.line + 1
        self.line = second.start_mark.line + 1


class Yaml12Loader(yaml.SafeLoader):
    """A SafeLoader with YAML 1.2 core tag resolution, core tags only, and unique keys."""

    yaml_implicit_resolvers: dict[Any, list[tuple[str, re.Pattern[str]]]] = {}  # noqa: RUF012
    yaml_constructors = {  # noqa: RUF012
        tag: constructor
        for tag, constructor in yaml.SafeLoader.yaml_constructors.items()
        if tag in CORE_TAGS or tag is None
    }

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        """Build a dict, refusing a key that appears twice (the JS side refuses it too)."""
        seen: dict[str, Node] = {}
        mapping: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = js_key(self.construct_object(key_node, deep=deep))
            if key in seen:
                raise DuplicateKeyError(key, seen[key], key_node)
            seen[key] = key_node
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


def js_key(key: Any) -> str:
    """Keys become strings as in a JavaScript object: ``1`` → ``"1"``, ``true`` → ``"true"``."""
    return key if isinstance(key, str) else json.dumps(key)


def construct_core_null(loader: Yaml12Loader, node: ScalarNode) -> None:
    """``~``, ``null`` or nothing."""


def construct_core_bool(loader: Yaml12Loader, node: ScalarNode) -> bool:
    """Only ``true``/``false`` in three casings; ``yes``/``on`` stay strings."""
    return str(loader.construct_scalar(node)).lower() == "true"


def construct_core_int(loader: Yaml12Loader, node: ScalarNode) -> int:
    """Decimal, ``0o`` octal or ``0x`` hex; a leading zero is still decimal in YAML 1.2."""
    text = str(loader.construct_scalar(node))
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)


def construct_core_float(loader: Yaml12Loader, node: ScalarNode) -> float:
    """Decimal and exponent forms (``2e-4``), ``.inf`` and ``.nan``."""
    text = str(loader.construct_scalar(node))
    bare = text.lstrip("+-").lower()
    if bare == ".inf":
        return -math.inf if text.startswith("-") else math.inf
    if bare == ".nan":
        return math.nan
    return float(text)


# Order matters: the first pattern that matches a plain scalar decides its tag (int before float).
Yaml12Loader.add_implicit_resolver(NULL_TAG, CORE_NULL, ["~", "n", "N", ""])
Yaml12Loader.add_implicit_resolver(BOOL_TAG, CORE_BOOL, list("tTfF"))
Yaml12Loader.add_implicit_resolver(INT_TAG, CORE_INT, list("-+0123456789"))
Yaml12Loader.add_implicit_resolver(FLOAT_TAG, CORE_FLOAT, list("-+0123456789."))
Yaml12Loader.add_constructor(NULL_TAG, construct_core_null)
Yaml12Loader.add_constructor(BOOL_TAG, construct_core_bool)
Yaml12Loader.add_constructor(INT_TAG, construct_core_int)
Yaml12Loader.add_constructor(FLOAT_TAG, construct_core_float)


@dataclass(frozen=True)
class YamlDocument:
    """Parsed data plus the line (1-based) where each key or list item starts."""

    data: Any
    lines: dict[KeyPath, int] = field(default_factory=dict)

    def line_of(self, path: KeyPath) -> int | None:
        """Line of the deepest key along ``path`` that exists in the file."""
        for end in range(len(path), 0, -1):
            line = self.lines.get(path[:end])
            if line is not None:
                return line
        return None


def parse_yaml(text: str, source: str) -> YamlDocument:
    """Parse one YAML 1.2 document; syntax errors and duplicate keys become one-line WlErrors."""
    loader = Yaml12Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except DuplicateKeyError as error:
        raise WlError(
            "config.duplicate_key",
            f'duplicate key "{error.key}" in {source} at line {error.line}'
            f" (first at line {error.first_line})",
            f'keep one "{error.key}" key: the JavaScript tools reject duplicates too',
        ) from error
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else None
        where = f" at line {line}" if line else ""
        raise WlError(
            "config.syntax",
            f"malformed YAML in {source}{where}: {error.problem or error.context}",
            f"fix the syntax on line {line} of {source}" if line else f"fix the syntax of {source}",
        ) from error
    except yaml.YAMLError as error:
        raise WlError(
            "config.syntax", f"malformed YAML in {source}: {error}", "fix the syntax"
        ) from error
    finally:
        loader.dispose()
    return YamlDocument(data, key_lines(node) if node is not None else {})


def key_lines(node: Node, path: KeyPath = ()) -> dict[KeyPath, int]:
    """Map each key path to the line its key (or list item) starts on."""
    lines: dict[KeyPath, int] = {}
    if isinstance(node, MappingNode):
        for key_node, value_node in node.value:
            key = js_key(key_node.value) if isinstance(key_node, ScalarNode) else str(key_node)
            child: KeyPath = (*path, key)
            lines[child] = key_node.start_mark.line + 1
            lines.update(key_lines(value_node, child))
    elif isinstance(node, SequenceNode):
        for index, item in enumerate(node.value):
            child = (*path, index)
            lines[child] = item.start_mark.line + 1
            lines.update(key_lines(item, child))
    return lines
