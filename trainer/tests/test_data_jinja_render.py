"""Rendering through the compiled chat template (jinja_render.py) gives, byte for byte, what
``apply_chat_template`` gives — every prefix, with and without the generation prompt and the
tools, under each shipped template — and falls back to ``apply_chat_template`` wherever it would
not."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.chat_samples import loaded_tokenizer, synthetic_records, tool_chat
from wl_trainer.data.jinja_render import direct_renderer
from wl_trainer.data.masks import TokenizedSample
from wl_trainer.data.records import ChatRecord
from wl_trainer.data.tokenize import tokenize_records
from wl_trainer.tiny_model import ARCHS

Outcome = tuple[str, str]


def conversations() -> list[dict[str, Any]]:
    """tool_chat (None contents, string and object arguments), synthetic weather chats, and a
    reply with reasoning (which transformers aliases under several names)."""
    reasoning = {
        "messages": [
            {"role": "user", "content": "Rain in Oslo?"},
            {"role": "assistant", "content": "Yes.", "reasoning": "It rains there.", "x": None},
        ],
        "tools": None,
    }
    return [tool_chat(), *synthetic_records(12, seed=3), reasoning]


def expected(tokenizer: Any, messages: list[Any], tools: Any, generation_prompt: bool) -> Outcome:
    """What apply_chat_template renders, or the error it raises."""
    try:
        text = tokenizer.apply_chat_template(
            [messages], tools=tools, tokenize=False, add_generation_prompt=generation_prompt
        )[0]
    except Exception as error:
        return ("error", f"{type(error).__name__}: {error}")
    return ("text", text)


def direct(render: Any, count: int, generation_prompt: bool) -> Outcome:
    """What the direct renderer renders, or the error it raises."""
    try:
        return ("text", render(count, generation_prompt))
    except Exception as error:
        return ("error", f"{type(error).__name__}: {error}")


@pytest.mark.parametrize("with_tools", [True, False])
@pytest.mark.parametrize("arch", ARCHS)
def test_every_prefix_renders_as_apply_chat_template_does(
    tiny_models: dict[str, Path], arch: str, with_tools: bool
) -> None:
    tokenizer = loaded_tokenizer(tiny_models[arch])
    compared = 0
    for record in conversations():
        messages, tools = record["messages"], record["tools"] if with_tools else None
        render = direct_renderer(tokenizer, messages, tools)
        assert render is not None
        for count in range(len(messages) + 1):
            for generation_prompt in (False, True):
                want = expected(tokenizer, messages[:count], tools, generation_prompt)
                assert direct(render, count, generation_prompt) == want, (arch, count)
                compared += want[0] == "text"
    assert compared > 100  # most prefixes render (not only errors compared)


def test_the_messages_are_not_changed(tiny_models: dict[str, Path]) -> None:
    record = tool_chat()
    render = direct_renderer(loaded_tokenizer(tiny_models["llama"]), record["messages"], None)
    assert render is not None
    render(len(record["messages"]), False)
    assert record == tool_chat()


def copied(tokenizer: Any) -> Any:
    """A fresh copy of a tokenizer, to change."""
    return tokenizer.__class__.from_pretrained(tokenizer.name_or_path, local_files_only=True)


def test_unusual_tokenizers_and_inputs_render_through_apply_chat_template(
    tiny_models: dict[str, Path],
) -> None:
    tokenizer = loaded_tokenizer(tiny_models["qwen2"])
    messages = tool_chat()["messages"]
    assert direct_renderer(tokenizer, messages, None) is not None
    # Tools that are not all JSON objects (transformers converts functions or refuses them).
    assert direct_renderer(tokenizer, messages, [lambda city: city]) is None
    # A dict of named templates: apply_chat_template picks one by the tools.
    named = copied(tokenizer)
    named.chat_template = {"default": tokenizer.chat_template}
    assert direct_renderer(named, messages, None) is None
    # apply_chat_template replaced on the instance (or overridden in a subclass).
    spied = copied(tokenizer)
    spied.apply_chat_template = tokenizer.apply_chat_template
    assert direct_renderer(spied, messages, None) is None
    # A template that refuses the probe conversation.
    refusing = copied(tokenizer)
    refusing.chat_template = "{{ raise_exception('no') }}"
    assert direct_renderer(refusing, messages, None) is None


def samples_of(tokenizer: Any, records: list[ChatRecord]) -> list[TokenizedSample]:
    """tokenize_records on one process."""
    return tokenize_records(records, tokenizer, workers=1)


@pytest.mark.parametrize("arch", ARCHS)
def test_samples_are_the_same_either_way(tiny_models: dict[str, Path], arch: str) -> None:
    tokenizer = loaded_tokenizer(tiny_models[arch])
    spied = copied(tokenizer)
    spied.apply_chat_template = spied.apply_chat_template  # forces apply_chat_template
    records = [
        ChatRecord(f"chat.jsonl:{line}", record["messages"], record["tools"])
        for line, record in enumerate([tool_chat(), *synthetic_records(20, seed=5)], start=1)
    ]
    direct_samples, fallback_samples = samples_of(tokenizer, records), samples_of(spied, records)
    assert len(direct_samples) == len(fallback_samples)
    for one, other in zip(direct_samples, fallback_samples, strict=True):
        assert (one.name, one.part, one.aligned) == (other.name, other.part, other.aligned)
        assert one.input_ids.tolist() == other.input_ids.tolist()
        assert one.labels.tolist() == other.labels.tolist()


# Reads keys that are missing or that name dict methods, and serializes the same lists and dicts
# again (with options, and with unhashable ones) and dicts the template builds in a loop.
SHORTCUTS_TEMPLATE = (
    "{%- for m in messages -%}"
    "{{ m.role }}|{{ m.missing is defined }}|{{ m.items is defined }}|{{ m.get('role') }}|"
    "{{ m.tool_calls | tojson if m.tool_calls is defined else '' }}|"
    "{{ {'n': loop.index, 'c': m.content or ''} | tojson }}|{{ [loop.index] | tojson(indent=2) }}\n"
    "{%- endfor -%}"
    "{%- for t in tools or [] -%}{{ t | tojson }}{{ t | tojson(indent=2, sort_keys=true) }}"
    "{{ t | tojson(separators=[',', ':']) }}{{ t.function.name }}{{ t.nothing }}\n{%- endfor -%}"
    "{%- if add_generation_prompt -%}{{ bos_token ~ eos_token }}{%- endif -%}"
)


def test_the_shortcuts_render_as_apply_chat_template_does(tiny_models: dict[str, Path]) -> None:
    tokenizer = copied(loaded_tokenizer(tiny_models["llama"]))
    tokenizer.chat_template = SHORTCUTS_TEMPLATE
    record = tool_chat()
    render = direct_renderer(tokenizer, record["messages"], record["tools"])
    assert render is not None
    for count in range(len(record["messages"]) + 1):
        for generation_prompt in (False, True):
            want = expected(
                tokenizer, record["messages"][:count], record["tools"], generation_prompt
            )
            assert want[0] == "text"
            assert direct(render, count, generation_prompt) == want, count
