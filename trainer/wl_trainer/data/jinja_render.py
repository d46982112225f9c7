"""Rendering a conversation's prefixes with the chat template's compiled Jinja directly: the same
text ``tokenizer.apply_chat_template(messages[:count], tools=tools, tokenize=False, ...)`` gives,
without its per-call work.

render.py renders about seven prefixes of each conversation. ``apply_chat_template`` redoes, on
every call, what is the same for all of them: it resolves the template, drops the ``None``-valued
keys of each message, copies the messages, the tools and the special tokens into plain JSON types
(``_plain_template_data``) and aliases reasoning fields — a quarter of rendering time for the
weather data set. Here that is done once per conversation (each step works message by message,
so a prefix of the prepared messages is exactly the preparation of that prefix), and each prefix
is then rendered by transformers' own compiled template (``_compile_jinja_template``: the same
sandboxed environment, filters, globals and extensions) with the variables transformers passes:
``messages``, ``tools``, ``documents=None``, ``add_generation_prompt`` and the special tokens.
The prefixes share the prepared objects; the immutable sandbox forbids templates to change them.

Two shortcuts change how, never what, the template computes; it is compiled again in a copy of
transformers' environment (overlay) that differs in them alone:

- ``tojson`` remembers, for one conversation, what it wrote for each list and dict (the tools are
  serialized again in every prefix): JsonMemo;
- ``message.role`` on a dict reads the key directly where the sandbox would first look for an
  attribute that a dict cannot have: DictReadingSandbox.

It is used only where it is known to give the same text, decided once per tokenizer and template:
a string template (not a dict of named ones), the tokenizer's ``apply_chat_template`` not
overridden, transformers' helpers importable, and a probe conversation rendering identically both
ways. Otherwise, and for a conversation whose tools are not all JSON objects,
``apply_chat_template`` renders it (``direct_renderer`` returns None).
"""

from __future__ import annotations

import json
import threading
import weakref
from collections.abc import Callable
from contextlib import suppress
from functools import lru_cache
from typing import Any

from jinja2.sandbox import ImmutableSandboxedEnvironment

from wl_trainer.data.messages import Message

Renderer = Callable[[int, bool], str]
"""``render(count, generation_prompt)``: the text of the conversation's first ``count`` messages."""

DICT_ATTRIBUTES = frozenset(dir(dict))
PROBE: list[Message] = [{"role": "user", "content": "Hello"}]

Checked = tuple[Any, "JsonMemo"]
"""A compiled template proven to render as apply_chat_template does, and its ``tojson``."""
# Per tokenizer: (template, special tokens as JSON) -> its Checked template, or None.
DECIDED: weakref.WeakKeyDictionary[Any, dict[tuple[str, str], Checked | None]] = (
    weakref.WeakKeyDictionary()
)


def direct_renderer(tokenizer: Any, messages: list[Message], tools: Any) -> Renderer | None:
    """A renderer of ``messages``' prefixes through the compiled template, or None where
    ``apply_chat_template`` must render them."""
    template = tokenizer.chat_template
    if not (
        isinstance(template, str)
        and base_apply_chat_template(tokenizer)
        and plain_inputs(messages, tools)
    ):
        return None
    special = dict(tokenizer.special_tokens_map)
    checked = compiled_template(tokenizer, template, special)
    if checked is None:
        return None
    compiled, memo = checked
    helpers = transformers_helpers()
    assert helpers is not None  # compiled_template found them
    plain, alias = helpers[1], helpers[2]
    chat = alias(plain([without_none(message) for message in messages]))
    variables = plain(special)
    tool_schemas = None if tools is None else plain(list(tools))

    def render(count: int, generation_prompt: bool) -> str:
        memo.serve(chat)
        return str(
            compiled.render(
                messages=chat[:count],
                tools=tool_schemas,
                documents=None,
                add_generation_prompt=generation_prompt,
                **variables,
            )
        )

    return render


def plain_inputs(messages: list[Message], tools: Any) -> bool:
    """Whether every message is a dict and the tools, if any, a list of dicts (what wl's records
    hold; anything else is left to apply_chat_template, which converts or refuses it)."""
    return all(type(message) is dict for message in messages) and (
        tools is None or (type(tools) is list and all(type(tool) is dict for tool in tools))
    )


def without_none(message: Message) -> Message:
    """The message without its ``None``-valued keys, as apply_chat_template passes it."""
    return {key: value for key, value in message.items() if value is not None}


def compiled_template(tokenizer: Any, template: str, special: dict[str, Any]) -> Checked | None:
    """The compiled template (and its ``tojson`` filter) when rendering it directly matches
    apply_chat_template for this tokenizer, template and special tokens — decided once for
    them — else None."""
    key = (template, json.dumps(special, sort_keys=True, default=str))
    decided: dict[tuple[str, str], Checked | None] = {}
    # A tokenizer that cannot be weakly referenced (TypeError) is decided for every conversation.
    with suppress(TypeError):
        decided = DECIDED.setdefault(tokenizer, decided)
    if key not in decided:
        decided[key] = checked_template(tokenizer, template, special)
    return decided[key]


def checked_template(tokenizer: Any, template: str, special: dict[str, Any]) -> Checked | None:
    """transformers' compiled template, in a copy of its environment whose ``tojson`` is a
    JsonMemo, if a probe renders the same as through apply_chat_template, else None."""
    helpers = transformers_helpers()
    if helpers is None:
        return None
    compile_template, plain, alias = helpers
    try:
        environment = compile_template(template).environment
        memo = JsonMemo(environment.filters["tojson"])
        memo_environment = environment.overlay()
        memo_environment.filters = {**environment.filters, "tojson": memo}
        if type(environment) is ImmutableSandboxedEnvironment:
            memo_environment.__class__ = DictReadingSandbox
        compiled = memo_environment.from_string(template)
    except Exception:  # apply_chat_template raises it again, as a refusal of the record
        return None
    variables = plain(special)
    for generation_prompt in (False, True):
        messages = alias(plain(PROBE))
        memo.serve(messages)
        try:
            expected = tokenizer.apply_chat_template(
                [PROBE], tokenize=False, add_generation_prompt=generation_prompt
            )[0]
            actual = compiled.render(
                messages=messages,
                tools=None,
                documents=None,
                add_generation_prompt=generation_prompt,
                **variables,
            )
        except Exception:  # a template that refuses the probe: keep to apply_chat_template
            return None
        if actual != expected:
            return None
    return compiled, memo


class DictReadingSandbox(ImmutableSandboxedEnvironment):
    """transformers' sandbox, reading ``message.role`` from a dict without first asking the dict
    for an attribute it cannot have (the sandbox's ``getattr`` tries ``getattr(obj, name)``,
    which raises for every key, then ``obj[name]``): the same value, or the same undefined."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        return super().getattr(obj, attribute)


class JsonMemo:
    """transformers' ``tojson`` filter, remembering what it wrote for each list and dict while
    one conversation renders: its prefixes serialize the same tools and tool-call arguments
    again and again. What it remembers cannot change meanwhile: the immutable sandbox forbids
    templates to change lists and dicts, wl does not between renders, and each is kept alive
    while remembered, so its id is never another object's."""

    def __init__(self, tojson: Callable[..., str]) -> None:
        self.tojson = tojson
        self.state = threading.local()

    def serve(self, owner: object) -> None:
        """Remember for ``owner`` (a conversation's messages): forget another one's."""
        if getattr(self.state, "owner", None) is not owner:
            self.state.owner, self.state.results = owner, {}

    def __call__(self, value: Any, *args: Any, **kwargs: Any) -> str:
        results: dict[Any, tuple[Any, str]] | None = getattr(self.state, "results", None)
        if results is None or type(value) not in (dict, list):
            return self.tojson(value, *args, **kwargs)
        key = (id(value), args, tuple(kwargs.items()))
        try:
            found = results.get(key)
        except TypeError:  # unhashable options (a list of separators): not remembered
            return self.tojson(value, *args, **kwargs)
        if found is None:
            found = (value, self.tojson(value, *args, **kwargs))
            results[key] = found
        return found[1]


@lru_cache(maxsize=1)
def transformers_helpers() -> tuple[Any, Any, Any] | None:
    """transformers' template compiler and input converters, or None in a version without them."""
    try:
        from transformers.utils.chat_template_utils import (
            _alias_reasoning_fields,
            _compile_jinja_template,
            _plain_template_data,
        )
    except ImportError:
        return None
    return _compile_jinja_template, _plain_template_data, _alias_reasoning_fields


def base_apply_chat_template(tokenizer: Any) -> bool:
    """Whether the tokenizer renders with transformers' own apply_chat_template (the one this
    module reproduces), not an override of it in its class or on the instance."""
    from transformers.tokenization_utils_base import PreTrainedTokenizerBase

    own = getattr(tokenizer, "__dict__", {})
    method = getattr(type(tokenizer), "apply_chat_template", None)
    return (
        "apply_chat_template" not in own and method is PreTrainedTokenizerBase.apply_chat_template
    )
