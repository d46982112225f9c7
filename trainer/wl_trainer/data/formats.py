"""Alpaca and ShareGPT records turned into OpenAI-format chat messages.

- alpaca ``{instruction, input?, output, system?}`` → [system?], user, assistant; a non-empty
  ``input`` follows the instruction after a blank line: ``"{instruction}\\n\\n{input}"``.
- ShareGPT ``{conversations: [{from, value}], system?, tools?}`` → one message per turn, by the
  ``from`` names in SHAREGPT_ROLES (the LLaMA-Factory names included); a ``function_call`` turn
  holds the call as JSON (``{"name", "arguments"}``, or a list of them) and becomes an assistant
  tool call, an ``observation`` turn becomes its tool result.

The converted messages then pass the same checks as chat records (messages.py).
"""

from __future__ import annotations

import json
from typing import Any

from wl_trainer.data.messages import Message, chat_messages, tool_definitions
from wl_trainer.data.record_error import RecordError

SHAREGPT_ROLES = {
    "system": "system",
    "human": "user",
    "user": "user",
    "gpt": "assistant",
    "assistant": "assistant",
    "function_call": "assistant",
    "observation": "tool",
    "tool": "tool",
    "function_response": "tool",
}


def alpaca_to_chat(record: dict[str, Any], where: str) -> list[Message]:
    """An alpaca record as a two-turn chat (three with its optional system text)."""
    instruction = text_field(record, "instruction", where, required=True)
    extra = text_field(record, "input", where, required=False)
    output = text_field(record, "output", where, required=True)
    system = text_field(record, "system", where, required=False)
    prompt = f"{instruction}\n\n{extra}" if extra else instruction
    messages: list[Message] = [{"role": "system", "content": system}] if system else []
    messages += [{"role": "user", "content": prompt}, {"role": "assistant", "content": output}]
    return chat_messages(messages, where)


def text_field(record: dict[str, Any], key: str, where: str, *, required: bool) -> str:
    """A string field; a required one must be non-empty, an optional one defaults to ""."""
    value = record.get(key)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or (required and not value.strip()):
        expected = "non-empty text" if required else "text"
        raise RecordError(where, f'"{key}" must be {expected}')
    return value


def sharegpt_to_chat(record: dict[str, Any], where: str) -> list[Message]:
    """A ShareGPT record's turns as chat messages."""
    turns = record.get("conversations")
    if not isinstance(turns, list) or not turns:
        raise RecordError(where, '"conversations" must be a non-empty list of turns')
    messages: list[Message] = []
    system = record.get("system")
    if isinstance(system, str) and system:
        messages.append({"role": "system", "content": system})
    for index, turn in enumerate(turns):
        messages.append(sharegpt_turn(turn, f"{where}: conversations[{index}]"))
    return chat_messages(messages, where)


def sharegpt_turn(turn: Any, where: str) -> Message:
    """One ``{from, value}`` turn as a message."""
    if not isinstance(turn, dict) or not isinstance(turn.get("value"), str):
        raise RecordError(where, 'a turn must be an object with "from" and a text "value"')
    speaker = turn.get("from")
    role = SHAREGPT_ROLES.get(speaker) if isinstance(speaker, str) else None
    if role is None:
        known = ", ".join(SHAREGPT_ROLES)
        raise RecordError(where, f'"from" is {json.dumps(speaker)}, expected one of {known}')
    if speaker == "function_call":
        return {"role": "assistant", "content": None, "tool_calls": sharegpt_calls(turn, where)}
    return {"role": role, "content": turn["value"]}


def sharegpt_calls(turn: dict[str, Any], where: str) -> list[dict[str, Any]]:
    """The calls written as JSON in a ``function_call`` turn's value."""
    try:
        calls = json.loads(turn["value"])
    except json.JSONDecodeError as error:
        raise RecordError(where, f"the function_call value is not JSON: {error.msg}") from error
    return calls if isinstance(calls, list) else [calls]


def sharegpt_tools(record: dict[str, Any], where: str) -> list[dict[str, Any]] | None:
    """ShareGPT's optional ``tools``: a list, or a JSON string holding one."""
    tools = record.get("tools")
    if isinstance(tools, str):
        try:
            tools = json.loads(tools) if tools.strip() else None
        except json.JSONDecodeError as error:
            raise RecordError(where, f'"tools" is not valid JSON: {error.msg}') from error
    return tool_definitions(tools, where)
