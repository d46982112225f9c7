"""YAML is read as YAML 1.2 core, like the JavaScript `yaml` package: same file, same values."""

from __future__ import annotations

import math

import pytest

from wl_trainer.errors import WlError
from wl_trainer.yaml12 import parse_yaml


def value(text: str) -> object:
    return parse_yaml(f"v: {text}\n", "t.yaml").data["v"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2e-4", 2e-4),
        ("5E-5", 5e-5),
        ("1.5", 1.5),
        (".5", 0.5),
        ("-1.0e+3", -1000.0),
        ("8.0", 8.0),
        ("42", 42),
        ("-7", -7),
        ("017", 17),  # YAML 1.1 (PyYAML) says octal 15
        ("0o17", 15),
        ("0x1F", 31),
        ("true", True),
        ("False", False),
        ("TRUE", True),
        ("null", None),
        ("~", None),
        ("", None),
        ("yes", "yes"),  # YAML 1.1 says True
        ("no", "no"),
        ("on", "on"),
        ("off", "off"),
        ("y", "y"),
        ("2024-01-02", "2024-01-02"),  # YAML 1.1 says a date
        ("1_000", "1_000"),  # YAML 1.1 says 1000
        ("12:30", "12:30"),  # YAML 1.1 says 750 (base 60)
        ("0b101", "0b101"),
        ("'2e-4'", "2e-4"),
        ("tRue", "tRue"),
    ],
)
def test_core_schema_scalars(text: str, expected: object) -> None:
    got = value(text)
    assert got == expected
    assert type(got) is type(expected)


def test_infinity_and_nan() -> None:
    assert value(".inf") == math.inf
    assert value("-.Inf") == -math.inf
    assert math.isnan(value(".NaN"))  # type: ignore[arg-type]


def test_merge_keys_are_plain_keys_in_yaml_12() -> None:
    doc = parse_yaml("base: &b {x: 1}\nother:\n  <<: *b\n", "t.yaml")
    assert doc.data["other"] == {"<<": {"x": 1}}


def test_non_string_keys_become_strings_like_javascript() -> None:
    assert parse_yaml("1: a\ntrue: b\n", "t.yaml").data == {"1": "a", "true": "b"}


def test_duplicate_keys_are_an_error_with_both_lines() -> None:
    with pytest.raises(WlError) as caught:
        parse_yaml("a: 1\nb:\n  c: 1\n  c: 2\n", "t.yaml")
    assert caught.value.code == "config.duplicate_key"
    assert caught.value.message == 'duplicate key "c" in t.yaml at line 4 (first at line 3)'


def test_syntax_errors_name_the_line() -> None:
    with pytest.raises(WlError) as caught:
        parse_yaml("a: {b: 1\nc: 2\n", "t.yaml")
    assert caught.value.code == "config.syntax"
    assert "t.yaml at line 2" in caught.value.message
    assert caught.value.fix == "fix the syntax on line 2 of t.yaml"


def test_explicit_non_core_tags_are_rejected() -> None:
    with pytest.raises(WlError, match="malformed YAML"):
        parse_yaml("when: !!timestamp 2024-01-01\n", "t.yaml")


def test_key_lines() -> None:
    doc = parse_yaml(
        "# comment\nmodel:\n  base: x\nlora:\n  target_modules:\n    - q_proj\n    - v_proj\n", "t"
    )
    assert doc.line_of(("model",)) == 2
    assert doc.line_of(("model", "base")) == 3
    assert doc.line_of(("lora", "target_modules", 1)) == 7
    # A key that is absent points at its nearest present parent.
    assert doc.line_of(("model", "dtype")) == 2
    assert doc.line_of(("nothing",)) is None
