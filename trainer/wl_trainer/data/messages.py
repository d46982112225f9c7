"""Checking an OpenAI-format conversation and bringing its tool calls into one shape.

Tool-call arguments may arrive as a JSON string (OpenAI's wire format) or as an object. They are
always parsed into an object, each call becoming
``{"id"?, "type": "function", "function": {"name", "arguments": {...}}}``: transformers documents
object arguments as what chat templates expect, serving engines (vLLM) parse OpenAI's string
before rendering, and real templates write ``arguments | tojson``, which would double-encode a
string. So training renders a call exactly as serving renders it.
"""

from __future__ import annotations

import json
from typing import Any

from wl_trainer.data.record_error import RecordError

ROLES = ("system", "user", "assistant", "tool")
Message = dict[str, Any]


def chat_messages(value: Any, where: str) -> list[Message]:
    """The record's messages, checked, with None-valued keys left out and tool calls normalized."""
    if not isinstance(value, list) or not value:
        raise RecordError(where, '"messages" must be a non-empty list of messages')
    return [
        chat_message(message, f"{where}: messages[{index}]") for index, message in enumerate(value)
    ]


def chat_message(message: Any, where: str) -> Message:
    """One message: a known role, text content, and tool calls only where they belong."""
    if not isinstance(message, dict):
        raise RecordError(where, "a message must be a JSON object")
    role = message.get("role")
    if role not in ROLES:
        raise RecordError(where, f"role {json.dumps(role)} is not one of {', '.join(ROLES)}")
    content = message.get("content")
    if not is_content(content, role):
        raise RecordError(where, "content must be text, a list of content parts, or null")
    # apply_chat_template drops None values too; doing it here keeps the cache key honest.
    normalized = {key: value for key, value in message.items() if value is not None}
    calls = message.get("tool_calls")
    if role != "assistant":
        if calls:
            raise RecordError(where, f"a {role} message cannot make tool calls")
        return normalized
    if calls is not None:
        if not isinstance(calls, list):
            raise RecordError(where, "tool_calls must be a list")
        normalized["tool_calls"] = [
            tool_call(call, f"{where}.tool_calls[{index}]") for index, call in enumerate(calls)
        ]
    if not content and not calls:
        raise RecordError(where, "an assistant turn with neither content nor tool calls")
    return normalized


def is_content(content: Any, role: str) -> bool:
    """Text, null, or a list of content-part objects (``{"type": "text", "text": …}``); a tool
    result may also be a JSON object, which templates write with ``tojson``."""
    if content is None or isinstance(content, str):
        return True
    if role == "tool" and isinstance(content, dict):
        return True
    return isinstance(content, list) and all(isinstance(part, dict) for part in content)


def tool_call(call: Any, where: str) -> dict[str, Any]:
    """A call as ``{"id"?, "type": "function", "function": {"name", "arguments": object}}``;
    the function fields may also sit at the top level, as some datasets write them."""
    if not isinstance(call, dict):
        raise RecordError(where, "a tool call must be a JSON object")
    function = call.get("function", call)
    if not isinstance(function, dict):
        raise RecordError(where, '"function" must be an object with "name" and "arguments"')
    name = function.get("name")
    if not isinstance(name, str) or not name:
        raise RecordError(where, "the tool call has no function name")
    normalized: dict[str, Any] = {
        "type": "function",
        "function": {"name": name, "arguments": arguments_object(function, where)},
    }
    if call.get("id") is not None:
        normalized = {"id": call["id"], **normalized}
    return normalized


def arguments_object(function: dict[str, Any], where: str) -> dict[str, Any]:
    """The call's arguments as an object; a JSON string is parsed, a missing value is ``{}``."""
    arguments = function.get("arguments", {})
    if isinstance(arguments, str):
        try:
            arguments = json.loads(arguments)
        except json.JSONDecodeError as error:
            raise RecordError(where, f"arguments are not valid JSON: {error.msg}") from error
    if not isinstance(arguments, dict):
        raise RecordError(where, "arguments must be a JSON object (or a string holding one)")
    return arguments


def tool_definitions(value: Any, where: str) -> list[dict[str, Any]] | None:
    """The record's ``tools`` list (OpenAI function definitions), or None when it has none."""
    if value is None:
        return None
    if not isinstance(value, list) or not all(isinstance(tool, dict) for tool in value):
        raise RecordError(where, '"tools" must be a list of tool definitions (JSON objects)')
    return value
