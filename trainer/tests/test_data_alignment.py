"""Turns found by aligning two renders: a Mistral-v0.3-like template that shows the system prompt
only in the last user message, checked against hand-written text and the template's own renders."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest

from tests.chat_samples import call, loaded_tokenizer, trained_runs, write_jsonl
from wl_trainer import cli
from wl_trainer.data.alignment import aligned_reply
from wl_trainer.data.masks import IGNORE_INDEX
from wl_trainer.data.prepare import prepare_dataset
from wl_trainer.data.records import ChatRecord
from wl_trainer.data.render import TemplateSplitError
from wl_trainer.data.tokenize import tokenize_records
from wl_trainer.status import Reporter
from wl_trainer.tiny_tokenizer import example_tools

# Like Mistral-7B-Instruct-v0.3's: the tools before the last user message, the system prompt
# inside that message only while it is the last message of all.
V03_TEMPLATE = (
    "{%- if messages[0].role == 'system' -%}{%- set system_message = messages[0].content -%}"
    "{%- set loop_messages = messages[1:] -%}{%- else -%}{%- set loop_messages = messages -%}"
    "{%- endif -%}"
    "{%- set user_messages = loop_messages | selectattr('role', 'equalto', 'user') | list -%}"
    "{{- bos_token -}}"
    "{%- for message in loop_messages -%}"
    "{%- if message.role == 'user' -%}"
    "{%- if tools and message == user_messages[-1] -%}"
    "{{- '[AVAILABLE_TOOLS] ' ~ (tools | tojson) ~ '[/AVAILABLE_TOOLS]' -}}{%- endif -%}"
    "{%- if loop.last and system_message is defined -%}"
    "{{- '[INST] ' ~ LAST_USER ~ '[/INST]' -}}"
    "{%- else -%}{{- '[INST] ' ~ message.content ~ '[/INST]' -}}{%- endif -%}"
    "{%- elif message.tool_calls -%}{{- '[TOOL_CALLS] [' -}}"
    "{%- for tool_call in message.tool_calls -%}"
    "{{- (tool_call.function | tojson)[:-1] ~ ', \"id\": \"' ~ tool_call.id ~ '\"}' -}}"
    "{{- ', ' if not loop.last else ']' ~ eos_token -}}{%- endfor -%}"
    "{%- elif message.role == 'assistant' -%}{{- ' ' ~ message.content | trim ~ eos_token -}}"
    "{%- else -%}"
    '{{- \'[TOOL_RESULTS] {"content": \' ~ message.content ~ \', "call_id": "\' ~ '
    "message.tool_call_id ~ '\"}[/TOOL_RESULTS]' -}}"
    "{%- endif -%}{%- endfor -%}"
)
LAST_USER = "system_message ~ '\\n\\n' ~ message.content"
SYSTEM = "You are Mark Twain, answering weather questions."
RESULT = '{"temperature": 21, "condition": "sunny"}'
MESSAGES = [
    {"role": "system", "content": SYSTEM},
    {"role": "user", "content": "Weather in Paris?"},
    {
        "role": "assistant",
        "content": None,
        "tool_calls": [call("a1b2c3d4e", "get_weather", {"city": "Paris"}, False)],
    },
    {"role": "tool", "tool_call_id": "a1b2c3d4e", "content": RESULT},
    {"role": "assistant", "content": "Sunny and 21 degrees: enjoy it while it lasts."},
    {"role": "user", "content": "And Oslo?"},
    {"role": "assistant", "content": "Ask me again after I have called the tool."},
]


def v03_tokenizer(tiny_models: dict[str, Path], last_user: str = LAST_USER) -> Any:
    """A copy of the tiny Mistral tokenizer with the v0.3-like template; ``last_user`` is the
    Jinja expression it writes for the last user message when there is a system prompt."""
    tokenizer = loaded_tokenizer(tiny_models["mistral"])
    copy = tokenizer.__class__.from_pretrained(tokenizer.name_or_path, local_files_only=True)
    copy.chat_template = V03_TEMPLATE.replace("LAST_USER", last_user)
    return copy


def render(tokenizer: Any, messages: list[dict[str, Any]], generation_prompt: bool) -> str:
    """The template's own render of ``messages``, with the example tools."""
    return str(
        tokenizer.apply_chat_template(
            messages,
            tools=example_tools(),
            tokenize=False,
            add_generation_prompt=generation_prompt,
        )
    )


def test_each_turn_trains_its_own_text_after_exactly_what_serving_renders_before_it(
    tiny_models: dict[str, Path],
) -> None:
    tokenizer = v03_tokenizer(tiny_models)
    tools = "[AVAILABLE_TOOLS] " + json.dumps(example_tools()) + "[/AVAILABLE_TOOLS]"
    assert render(tokenizer, MESSAGES[:2], True) == (
        f"<s>{tools}[INST] {SYSTEM}\n\nWeather in Paris?[/INST]"
    )  # the template shows the system prompt here, and not once a reply follows
    samples = tokenize_records([ChatRecord("chat.jsonl:1", MESSAGES, example_tools())], tokenizer)
    assert [(sample.name, sample.part, sample.aligned) for sample in samples] == [
        ("chat.jsonl:1 (part 1 of 3)", 1, True),
        ("chat.jsonl:1 (part 2 of 3)", 2, False),
        ("chat.jsonl:1 (part 3 of 3)", 3, True),
    ]
    replies = [
        '[TOOL_CALLS] [{"name": "get_weather", "arguments": {"city": "Paris"}, '
        '"id": "a1b2c3d4e"}]</s>',
        " Sunny and 21 degrees: enjoy it while it lasts.</s>",
        " Ask me again after I have called the tool.</s>",
    ]
    for sample, turn, reply in zip(samples, (2, 4, 6), replies, strict=True):
        served = render(tokenizer, MESSAGES[:turn], True)
        assert trained_runs(tokenizer, sample) == [reply]
        (trained,) = (sample.labels != IGNORE_INDEX).nonzero()
        prefix = tokenizer(served, add_special_tokens=False)["input_ids"]
        assert sample.input_ids[: trained[0]].tolist() == prefix
        assert tokenizer.decode(sample.input_ids.tolist()) == served + reply
    assert SYSTEM in tokenizer.decode(samples[2].input_ids.tolist())


def test_the_stats_count_the_aligned_samples(tmp_path: Path, tiny_models: dict[str, Path]) -> None:
    path = write_jsonl(tmp_path / "train.jsonl", [{"messages": MESSAGES, "tools": example_tools()}])
    stream = io.StringIO()
    dataset = prepare_dataset(
        {"data": {"train": str(path)}},
        v03_tokenizer(tiny_models),
        cache_dir=tmp_path / "cache",
        reporter=Reporter(stream=stream, env={}),
    )
    stats = dataset.stats
    assert (stats.records, stats.expanded, stats.extra_samples, stats.aligned) == (1, 1, 2, 2)
    assert "2 more samples, 2 of them one turn aligned with its serving render" in (
        stream.getvalue()
    )


def test_a_template_whose_renders_differ_in_two_places_is_still_refused_by_name(
    tiny_models: dict[str, Path],
) -> None:
    # The system prompt is also written after the user message: two blocks only the render up to
    # the turn has, so no single one left out makes it line up with the render through it.
    tokenizer = v03_tokenizer(tiny_models, LAST_USER + " ~ ' (' ~ system_message ~ ')'")
    with pytest.raises(
        TemplateSplitError, match=r"chat\.jsonl:9: the chat template cannot be split"
    ) as caught:
        tokenize_records([ChatRecord("chat.jsonl:9", MESSAGES, example_tools())], tokenizer)
    assert "assistant turn 1 is not a prefix of the render through it" in str(caught.value)
    assert "no single block of the former, left out, makes it a prefix" in str(caught.value)
    assert caught.value.code == "data.template_split"


def test_the_turn_s_own_text_is_what_follows_the_one_block_only_the_opening_has() -> None:
    opening = "<s>[INST] Be brief.\n\nBe quick[/INST]"
    closing = "<s>[INST] Be quick[/INST] Fine.</s>"
    # They first differ inside the system prompt; the block from there is just as long.
    assert aligned_reply("chat.jsonl:1", 1, opening, closing) == " Fine.</s>"


@pytest.mark.parametrize(
    ("opening", "closing", "problem"),
    [
        ("<x>zzz", "<zzzQ", "blocks of 3 different lengths could be the text only the former"),
        ("<s>[INST] S\n\nHi[/INST]", "<s>[INST] Hi[/INST]", "the latter adds nothing after it"),
        ("<s>[INST] Hi[/INST]", "<s>[INST] Hi[/INST ", "no single block of the former"),
    ],
)
def test_an_alignment_that_is_not_exact_and_unique_is_refused(
    opening: str, closing: str, problem: str
) -> None:
    with pytest.raises(TemplateSplitError, match=r"chat\.jsonl:4: .*turn 2") as caught:
        aligned_reply("chat.jsonl:4", 2, opening, closing)
    assert problem in str(caught.value)


def test_inspect_counts_the_aligned_samples(
    tiny_models: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    model = tmp_path / "v03"
    v03_tokenizer(tiny_models).save_pretrained(model)
    data = tmp_path / "chat.jsonl"
    data.write_text(json.dumps({"messages": MESSAGES, "tools": example_tools()}) + "\n")
    code = cli.main(["inspect", "--model", str(model), str(data), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    assert (report["records"], report["expanded"], report["samples"]) == (1, 1, 3)
    assert report["aligned"] == 2
