"""Secret redaction for everything the trainer prints or writes.

Masks the values of secret-looking environment variables and the shapes secrets take (RunPod and
Hugging Face tokens, PEM private keys, passwords in URLs) — the same rules as
packages/core/src/redact.ts, so a secret is hidden the same way on both sides.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

MASK = "***"
SECRET_ENV_NAME = re.compile(
    r"(_KEY|_TOKEN|_SECRET|_PASSWORD|^RUNPOD_API_KEY|^WANDB_API_KEY|^HF_TOKEN)$"
)
# Shorter values are too likely to be ordinary words ("true", "local") to mask everywhere.
MIN_SECRET_LENGTH = 8

SECRET_SHAPES = (
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?-----END [A-Z ]*PRIVATE KEY-----", re.DOTALL),
    re.compile(r"\brpa_[A-Za-z0-9]{20,}\b"),
    re.compile(r"\bhf_[A-Za-z0-9]{20,}\b"),
)
# Keeps scheme and user so a log still says which account was used: https://me:***@host.
URL_PASSWORD = re.compile(r"\b([a-z][a-z0-9+.-]*://[^\s:/@]+:)[^\s@/]+@", re.IGNORECASE)


def secrets_from_env(env: Mapping[str, str] | None = None) -> list[str]:
    """Secret values found in the environment, longest first so overlapping secrets mask fully."""
    source = os.environ if env is None else env
    values = [
        value
        for name, value in source.items()
        if SECRET_ENV_NAME.search(name) and len(value) >= MIN_SECRET_LENGTH
    ]
    return sorted(values, key=len, reverse=True)


def redact(text: str, secrets: list[str] | None = None) -> str:
    """Replace every secret in ``text`` with ``***``."""
    out = text
    for secret in secrets_from_env() if secrets is None else secrets:
        out = out.replace(secret, MASK)
    for shape in SECRET_SHAPES:
        out = shape.sub(MASK, out)
    return URL_PASSWORD.sub(rf"\g<1>{MASK}@", out)
