"""The config's system prompt: ``data.system_prompt`` with ``{name}`` placeholders filled from
``data.system_vars`` and the built-in ``{date}`` (today, ISO ``2026-05-01``), inserted as the
system message of every record that has none. A record's own system message always wins.

    system_prompt: "Current date: {date}. You are {persona}. Respond naturally and concisely."
    system_vars: {persona: "Mark Twain"}

A ``system_vars`` entry overrides a built-in (set ``date`` to pin it). Only ``{identifier}``
counts as a placeholder: other braces (JSON in a prompt) are left as written, and a placeholder
with no value is a config error rather than text the model learns from.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date

from wl_trainer.data.messages import Message
from wl_trainer.errors import WlError

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)\}")


def placeholders(template: str) -> set[str]:
    """The placeholder names a system prompt template uses."""
    return set(PLACEHOLDER.findall(template))


def uses_date(template: str | None, system_vars: Mapping[str, str]) -> bool:
    """True when the prompt's text depends on today's date (so the cache must, too)."""
    return template is not None and "date" in placeholders(template) and "date" not in system_vars


def fill_system_prompt(template: str, system_vars: Mapping[str, str], today: date) -> str:
    """The prompt with every placeholder replaced; a name without a value is a WlError."""
    values = {"date": today.isoformat(), **system_vars}
    missing = sorted(placeholders(template) - set(values))
    if missing:
        names = ", ".join(missing)
        raise WlError(
            "config.system_prompt",
            f"data.system_prompt uses {{{missing[0]}}} but data.system_vars has no value for "
            f"{names}",
            f"add {names} to data.system_vars (built in: date)",
        )
    return PLACEHOLDER.sub(lambda match: values[match.group(1)], template)


def with_system_prompt(messages: list[Message], system_text: str | None) -> list[Message]:
    """The messages with ``system_text`` as the first, system message — unless they have one."""
    if system_text is None or any(message["role"] == "system" for message in messages):
        return messages
    return [{"role": "system", "content": system_text}, *messages]
