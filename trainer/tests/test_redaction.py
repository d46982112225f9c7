"""Secrets never reach a terminal or a log: env secrets and the shapes secrets take."""

from __future__ import annotations

import io
import json

import pytest

from wl_trainer.json_output import write_json
from wl_trainer.redaction import redact, secrets_from_env


def test_env_values_of_secret_names_are_masked() -> None:
    env = {"RUNPOD_API_KEY": "abc123456789", "MY_TOKEN": "tok-9876543", "HOME": "/root/longpath"}
    secrets = secrets_from_env(env)
    assert redact("key=abc123456789 token=tok-9876543 home=/root/longpath", secrets) == (
        "key=*** token=*** home=/root/longpath"
    )


@pytest.mark.parametrize("name", ["DB_PASSWORD", "AWS_SECRET", "WANDB_API_KEY", "HF_TOKEN"])
def test_every_secret_suffix_counts(name: str) -> None:
    assert secrets_from_env({name: "s3cr3t-value"}) == ["s3cr3t-value"]


def test_short_values_are_left_alone() -> None:
    # "true" or "local" in an env var named *_KEY would otherwise vanish from every message.
    assert secrets_from_env({"FEATURE_KEY": "true", "X_TOKEN": "1234567"}) == []


def test_longest_secret_first_so_overlaps_mask_fully() -> None:
    secrets = secrets_from_env({"A_KEY": "abcdefgh", "B_KEY": "abcdefgh-and-more"})
    assert redact("x abcdefgh-and-more y", secrets) == "x *** y"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("key rpa_ABCDEFGHIJKLMNOPQRSTUV12 end", "key *** end"),
        ("hf_abcdefghijklmnopqrstuvwxyz0123", "***"),
        ("rpa_short stays", "rpa_short stays"),
        (
            "git clone https://me:hunter22@github.com/x.git",
            "git clone https://me:***@github.com/x.git",
        ),
        (
            "ssh://root@10.0.0.1:22 keeps a user without password",
            "ssh://root@10.0.0.1:22 keeps a user without password",
        ),
    ],
)
def test_secret_shapes(text: str, expected: str) -> None:
    assert redact(text, []) == expected


def test_pem_private_key_blocks() -> None:
    pem = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\nAAAA\n-----END OPENSSH PRIVATE KEY-----"
    assert redact(f"before\n{pem}\nafter", []) == "before\n***\nafter"


def test_json_on_stdout_is_redacted_value_by_value(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUNPOD_API_KEY", 'quote"and\\slash')
    out = io.StringIO()
    write_json({"note": 'uses quote"and\\slash', "url": "https://u:p4ss@h/x", "n": 3}, out)
    assert json.loads(out.getvalue()) == {"note": "uses ***", "url": "https://u:***@h/x", "n": 3}
    assert out.getvalue().count("\n") == 1
