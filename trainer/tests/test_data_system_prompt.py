"""The config's system prompt: placeholders, the built-in {date}, and records that bring their own."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.chat_samples import loaded_tokenizer, tool_chat
from wl_trainer.data.masks import IGNORE_INDEX
from wl_trainer.data.records import ChatRecord
from wl_trainer.data.system_prompt import fill_system_prompt, uses_date, with_system_prompt
from wl_trainer.data.tokenize import tokenize_records
from wl_trainer.errors import WlError

DAY = date(2026, 5, 1)


def test_placeholders_are_filled_from_vars_and_the_date() -> None:
    prompt = 'Current date: {date}. You are {persona}. Reply as JSON like {"a": 1} or {0}.'
    assert (
        fill_system_prompt(prompt, {"persona": "Mark Twain"}, DAY)
        == 'Current date: 2026-05-01. You are Mark Twain. Reply as JSON like {"a": 1} or {0}.'
    )
    assert fill_system_prompt("Today is {date}.", {"date": "someday"}, DAY) == "Today is someday."


def test_a_placeholder_without_a_value_is_a_config_error() -> None:
    with pytest.raises(WlError, match=r"uses \{persona\}") as caught:
        fill_system_prompt("You are {persona} on {planet}.", {}, DAY)
    assert caught.value.fix == "add persona, planet to data.system_vars (built in: date)"


def test_the_cache_depends_on_the_date_only_when_the_prompt_uses_it() -> None:
    assert uses_date("Date: {date}", {})
    assert not uses_date("Date: {date}", {"date": "2026-01-01"})
    assert not uses_date("No date here", {})
    assert not uses_date(None, {})


def test_records_without_a_system_message_get_the_prompt_and_others_keep_theirs() -> None:
    own = tool_chat()["messages"]
    bare = own[1:]
    assert with_system_prompt(bare, "Be brief.") == [
        {"role": "system", "content": "Be brief."},
        *bare,
    ]
    assert with_system_prompt(own, "Be brief.") is own
    assert with_system_prompt(bare, None) is bare


def test_the_inserted_prompt_is_rendered_by_the_template_and_never_trained(
    tiny_models: dict[str, Path],
) -> None:
    tokenizer = loaded_tokenizer(tiny_models["qwen2"])
    messages = [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello."}]
    system_text = fill_system_prompt("Today is {date}.", {}, DAY)
    (sample,) = tokenize_records([ChatRecord("a.jsonl:1", messages, None)], tokenizer, system_text)
    text = tokenizer.decode(sample.input_ids.tolist())
    assert text.startswith(
        "<|im_start|>system\nToday is 2026-05-01.<|im_end|>\n<|im_start|>user\nHi"
    )
    assert (
        tokenizer.decode(sample.input_ids[sample.labels != IGNORE_INDEX].tolist())
        == "Hello.<|im_end|>\n"
    )
