"""Assistant-only labels, token by token, against expectations built without the chat template:
the rendered conversation written out by hand per role, each piece tokenized on its own."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.chat_samples import call, loaded_tokenizer, tool_chat, trained_runs, write_jsonl
from wl_trainer.data.masks import IGNORE_INDEX, TokenizedSample, trainable_tokens
from wl_trainer.data.records import ChatRecord, read_records
from wl_trainer.data.render import TemplateSplitError
from wl_trainer.data.tokenize import tokenize_records
from wl_trainer.errors import WlError
from wl_trainer.tiny_tokenizer import example_tools

TOOLS_JSON = [json.dumps(tool) for tool in example_tools()]
PARIS_CALL = '{"name": "get_weather", "%s": {"city": "Paris", "unit": "celsius"}}'
OSLO_CALL = '{"name": "get_forecast", "%s": {"city": "Oslo", "days": 2}}'
REPLY_1 = "It is sunny and 21 degrees in Paris."
REPLY_2 = "Oslo: 12 degrees tomorrow, then 9."
RESULT_1 = '{"temperature": 21, "condition": "sunny"}'
RESULT_2 = '{"days": [12, 9]}'
MISTRAL_PARIS_CALL = (
    '[TOOL_CALLS] [{"name": "get_weather", "arguments": {"city": "Paris", "unit": "celsius"}, '
    '"id": "call0"}]</s>'
)
MISTRAL_OSLO_CALL = (
    '[TOOL_CALLS] [{"name": "get_forecast", "arguments": {"city": "Oslo", "days": 2}, '
    '"id": "call1"}]</s>'
)


def llama_segments() -> list[tuple[str, bool]]:
    """tool_chat() as the Llama-3-style template writes it, marked trained or not."""
    header = "<|start_header_id|>{}<|end_header_id|>\n\n".format
    tools = "".join(tool + "\n\n" for tool in TOOLS_JSON)
    preamble = (
        "You can call the functions below. To call one, reply with only a JSON object "
        '{"name": function name, "parameters": object of arguments}.\n\n'
    )
    return [
        ("<|begin_of_text|>" + header("system") + preamble + tools, False),
        ("You are a weather assistant.<|eot_id|>", False),
        (header("user") + "What is the weather in Paris?<|eot_id|>", False),
        (header("assistant"), False),
        (PARIS_CALL % "parameters" + "<|eot_id|>", True),
        (header("ipython") + RESULT_1 + "<|eot_id|>", False),
        (header("assistant"), False),
        (REPLY_1 + "<|eot_id|>", True),
        (header("user") + "And the next two days in Oslo?<|eot_id|>", False),
        (header("assistant"), False),
        (OSLO_CALL % "parameters" + "<|eot_id|>", True),
        (header("ipython") + RESULT_2 + "<|eot_id|>", False),
        (header("assistant"), False),
        (REPLY_2 + "<|eot_id|>", True),
    ]


def chatml_segments() -> list[tuple[str, bool]]:
    """tool_chat() as the ChatML (Qwen2-style) template writes it. The turn ends with the
    ``\\n`` the template writes after <|im_end|>: it belongs to the assistant's turn."""
    tools = "".join(tool + "\n" for tool in TOOLS_JSON)
    system = (
        "<|im_start|>system\nYou are a weather assistant.\n\n# Tools\n\n"
        "These functions are available:\n<tools>\n" + tools + "</tools>\n\n"
        "To call one, write its name and arguments as JSON inside <tool_call></tool_call> tags:\n"
        '<tool_call>\n{"name": "function name", "arguments": {"argument": "value"}}\n'
        "</tool_call><|im_end|>\n"
    )

    def result(text: str) -> str:
        return f"<|im_start|>user\n<tool_response>\n{text}\n</tool_response><|im_end|>\n"

    def tool_call(text: str) -> str:
        return f"<tool_call>\n{text}\n</tool_call><|im_end|>\n"

    return [
        (system, False),
        ("<|im_start|>user\nWhat is the weather in Paris?<|im_end|>\n", False),
        ("<|im_start|>assistant\n", False),
        (tool_call(PARIS_CALL % "arguments"), True),
        (result(RESULT_1), False),
        ("<|im_start|>assistant\n", False),
        (REPLY_1 + "<|im_end|>\n", True),
        ("<|im_start|>user\nAnd the next two days in Oslo?<|im_end|>\n", False),
        ("<|im_start|>assistant\n", False),
        (tool_call(OSLO_CALL % "arguments"), True),
        (result(RESULT_2), False),
        ("<|im_start|>assistant\n", False),
        (REPLY_2 + "<|im_end|>\n", True),
    ]


def mistral_parts() -> list[list[tuple[str, bool]]]:
    """tool_chat() under the Mistral-style template, which lists the tools before the *last* user
    message: one sample per user message, each rendered as a server renders it once the model
    has answered that message — the earlier answers are context, not trained again."""
    tools = "[AVAILABLE_TOOLS] [" + ", ".join(TOOLS_JSON) + "][/AVAILABLE_TOOLS]"
    first_question = "[INST] You are a weather assistant.\n\nWhat is the weather in Paris?[/INST]"

    def result(text: str, call_id: str) -> str:
        return f"[TOOL_RESULTS] {json.dumps({'content': text, 'call_id': call_id})}[/TOOL_RESULTS]"

    return [
        [
            ("<s>" + tools + first_question, False),
            (MISTRAL_PARIS_CALL, True),
            (result(RESULT_1, "call0"), False),
            (" " + REPLY_1 + "</s>", True),
        ],
        [
            ("<s>" + first_question + MISTRAL_PARIS_CALL + result(RESULT_1, "call0"), False),
            (" " + REPLY_1 + "</s>", False),
            (tools + "[INST] And the next two days in Oslo?[/INST]", False),
            (MISTRAL_OSLO_CALL, True),
            (result(RESULT_2, "call1"), False),
            (" " + REPLY_2 + "</s>", True),
        ],
    ]


def tokenized(arch: str, tiny_models: dict[str, Path], record: dict[str, Any]) -> TokenizedSample:
    """The record's one sample: templates that split a conversation keep it whole."""
    tokenizer = loaded_tokenizer(tiny_models[arch])
    chat = ChatRecord("chat.jsonl:1", record["messages"], record.get("tools"))
    (sample,) = tokenize_records([chat], tokenizer)
    assert (sample.name, sample.part) == ("chat.jsonl:1", None)
    return sample


def expected_from_segments(
    tokenizer: Any, segments: list[tuple[str, bool]]
) -> tuple[list[int], list[int]]:
    """Token ids and labels by tokenizing each hand-written piece on its own."""
    ids: list[int] = []
    labels: list[int] = []
    for text, trained in segments:
        piece = tokenizer(text, add_special_tokens=False)["input_ids"]
        ids += piece
        labels += piece if trained else [IGNORE_INDEX] * len(piece)
    return ids, labels


@pytest.mark.parametrize(
    ("arch", "segments"), [("llama", llama_segments), ("qwen2", chatml_segments)]
)
def test_labels_match_hand_written_turns_token_by_token(
    tiny_models: dict[str, Path], arch: str, segments: Any
) -> None:
    tokenizer = loaded_tokenizer(tiny_models[arch])
    sample = tokenized(arch, tiny_models, tool_chat())
    ids, labels = expected_from_segments(tokenizer, segments())
    assert sample.input_ids.tolist() == ids
    assert sample.labels.tolist() == labels


@pytest.mark.parametrize(
    ("arch", "eot", "call_key", "after"),
    [("llama", "<|eot_id|>", "parameters", ""), ("qwen2", "<|im_end|>", "arguments", "\n")],
)
def test_every_assistant_turn_is_trained_with_its_end_of_turn_token(
    tiny_models: dict[str, Path], arch: str, eot: str, call_key: str, after: str
) -> None:
    tokenizer = loaded_tokenizer(tiny_models[arch])
    sample = tokenized(arch, tiny_models, tool_chat())
    wrap = (lambda text: f"<tool_call>\n{text}\n</tool_call>") if arch == "qwen2" else str
    assert trained_runs(tokenizer, sample) == [
        wrap(PARIS_CALL % call_key) + eot + after,
        REPLY_1 + eot + after,
        wrap(OSLO_CALL % call_key) + eot + after,
        REPLY_2 + eot + after,
    ]


def test_mistral_tool_calls_and_replies_are_trained(tiny_models: dict[str, Path]) -> None:
    # One user turn, so the Mistral template's tool list stays in place: one whole sample.
    record = {
        "messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "Weather in Paris, and the forecast for Oslo?"},
            {"role": "assistant", "tool_calls": [call("c1", "get_weather", {"city": "Paris"})]},
            {"role": "tool", "tool_call_id": "c1", "content": RESULT_1},
            {
                "role": "assistant",
                "tool_calls": [call("c2", "get_forecast", {"city": "Oslo", "days": 2})],
            },
            {"role": "tool", "tool_call_id": "c2", "content": RESULT_2},
            {"role": "assistant", "content": REPLY_2},
        ],
        "tools": example_tools(),
    }
    tokenizer = loaded_tokenizer(tiny_models["mistral"])
    sample = tokenized("mistral", tiny_models, record)
    assert trained_runs(tokenizer, sample) == [
        '[TOOL_CALLS] [{"name": "get_weather", "arguments": {"city": "Paris"}, "id": "c1"}]</s>',
        '[TOOL_CALLS] [{"name": "get_forecast", "arguments": {"city": "Oslo", "days": 2}, "id": "c2"}]</s>',
        " " + REPLY_2 + "</s>",
    ]
    text = tokenizer.decode(sample.input_ids.tolist())
    untrained = tokenizer.decode(sample.input_ids[sample.labels == IGNORE_INDEX].tolist())
    assert "[INST] Be brief.\n\nWeather in Paris" in untrained
    assert untrained.count("[TOOL_RESULTS]") == 2
    assert text.startswith("<s>[AVAILABLE_TOOLS]")


@pytest.mark.parametrize(("arch", "bos"), [("llama", "<|begin_of_text|>"), ("mistral", "<s>")])
def test_the_template_s_bos_is_the_only_one(
    tiny_models: dict[str, Path], arch: str, bos: str
) -> None:
    tokenizer = loaded_tokenizer(tiny_models[arch])
    sample = tokenized(arch, tiny_models, {"messages": tool_chat()["messages"][:5]})
    bos_id = tokenizer.convert_tokens_to_ids(bos)
    assert sample.input_ids[0] == bos_id
    assert np.count_nonzero(sample.input_ids == bos_id) == 1


def test_chatml_gets_no_bos(tiny_models: dict[str, Path]) -> None:
    tokenizer = loaded_tokenizer(tiny_models["qwen2"])
    sample = tokenized("qwen2", tiny_models, tool_chat())
    assert sample.input_ids[0] == tokenizer.convert_tokens_to_ids("<|im_start|>")


def test_a_token_is_trained_when_any_of_its_characters_is_in_a_span() -> None:
    spans = [(10, 20), (30, 40)]
    offsets = np.array(
        [
            (0, 5),  # before everything
            (5, 10),  # ends where the span starts: no character inside
            (8, 12),  # straddles the start
            (12, 18),  # inside
            (18, 22),  # straddles the end
            (20, 30),  # between spans, touching both
            (35, 35),  # zero width (no characters), inside a span
            (39, 45),  # straddles the second end
            (45, 50),  # after everything
        ]
    )
    assert trainable_tokens(offsets, spans).tolist() == [
        False, False, True, True, True, False, False, True, False,
    ]  # fmt: skip
    assert trainable_tokens(offsets, []).tolist() == [False] * len(offsets)


def test_a_sample_without_an_assistant_turn_is_refused_by_name(
    tiny_models: dict[str, Path], tmp_path: Path
) -> None:
    chat = tool_chat()
    lonely = {"messages": [{"role": "user", "content": "Hello?"}]}
    path = write_jsonl(tmp_path / "train.jsonl", [chat, chat, lonely])
    records = read_records(path).records
    with pytest.raises(WlError, match=r"train\.jsonl:3: no trainable tokens") as caught:
        tokenize_records(records, loaded_tokenizer(tiny_models["llama"]))
    assert caught.value.code == "data.nothing_to_train"


def test_mistral_trains_a_conversation_per_user_turn_when_its_tool_list_moves(
    tiny_models: dict[str, Path],
) -> None:
    # Mistral lists the tools before the *last* user message: once a second one follows, the
    # first reply sits in another context than it was written in, so one sample cannot train
    # both. Each user turn becomes a sample that ends with its answer, as serving renders it.
    tokenizer = loaded_tokenizer(tiny_models["mistral"])
    record = ChatRecord("chat.jsonl:7", tool_chat()["messages"], example_tools())
    samples = tokenize_records([record], tokenizer)
    assert [(sample.name, sample.part) for sample in samples] == [
        ("chat.jsonl:7 (part 1 of 2)", 1),
        ("chat.jsonl:7 (part 2 of 2)", 2),
    ]
    for sample, segments in zip(samples, mistral_parts(), strict=True):
        ids, labels = expected_from_segments(tokenizer, segments)
        assert sample.input_ids.tolist() == ids
        assert sample.labels.tolist() == labels
    assert [trained_runs(tokenizer, sample) for sample in samples] == [
        [MISTRAL_PARIS_CALL, f" {REPLY_1}</s>"],
        [MISTRAL_OSLO_CALL, f" {REPLY_2}</s>"],
    ]


def reasoning_template(tokenizer: Any, generation_prompt: str) -> Any:
    """A copy of ``tokenizer`` whose template, like Qwen3's, shows reasoning for the last
    assistant turn only, and opens the assistant's turn with ``generation_prompt``."""
    copy = tokenizer.__class__.from_pretrained(tokenizer.name_or_path, local_files_only=True)
    copy.chat_template = (
        "{%- for m in messages -%}{{ '<|im_start|>' ~ m.role ~ '\\n' }}"
        "{%- if m.role == 'assistant' and m.reasoning_content and loop.last -%}"
        "{{ '<think>' ~ m.reasoning_content ~ '</think>' }}{%- endif -%}"
        "{{ m.content ~ '<|im_end|>\\n' }}{%- endfor -%}"
        "{%- if add_generation_prompt -%}{{ '" + generation_prompt + "' }}{%- endif -%}"
    )
    return copy


REASONING_CHAT = [
    {"role": "user", "content": "Hi"},
    {"role": "assistant", "content": "Hello.", "reasoning_content": "Greet back."},
    {"role": "user", "content": "Rain today?"},
    {"role": "assistant", "content": "No.", "reasoning_content": "Check."},
]


def test_a_template_that_drops_past_reasoning_trains_each_turn_with_its_own(
    tiny_models: dict[str, Path],
) -> None:
    # Like Qwen3: reasoning is shown for the last assistant turn only — so each turn is trained
    # in the sample it ends, with its reasoning, and earlier turns without theirs.
    tokenizer = reasoning_template(
        loaded_tokenizer(tiny_models["qwen2"]), "<|im_start|>assistant\\n"
    )
    samples = tokenize_records([ChatRecord("chat.jsonl:2", REASONING_CHAT, None)], tokenizer)
    assert [sample.name for sample in samples] == [
        "chat.jsonl:2 (part 1 of 2)",
        "chat.jsonl:2 (part 2 of 2)",
    ]
    assert [trained_runs(tokenizer, sample) for sample in samples] == [
        ["<think>Greet back.</think>Hello.<|im_end|>\n"],
        ["<think>Check.</think>No.<|im_end|>\n"],
    ]
    assert tokenizer.decode(samples[1].input_ids.tolist()) == (
        "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\nHello.<|im_end|>\n"
        "<|im_start|>user\nRain today?<|im_end|>\n"
        "<|im_start|>assistant\n<think>Check.</think>No.<|im_end|>\n"
    )


def test_a_template_that_cannot_be_split_even_per_turn_is_refused_by_name(
    tiny_models: dict[str, Path],
) -> None:
    # The generation prompt opens a turn the template never writes for the assistant ("bot"):
    # no render of the conversation puts a reply where serving asks for it.
    tokenizer = reasoning_template(loaded_tokenizer(tiny_models["qwen2"]), "<|im_start|>bot\\n")
    with pytest.raises(
        TemplateSplitError, match=r"chat\.jsonl:3: the chat template cannot be split"
    ) as caught:
        tokenize_records([ChatRecord("chat.jsonl:3", REASONING_CHAT, None)], tokenizer)
    assert "the render up to assistant turn 1 is not a prefix of the render through it" in str(
        caught.value
    )
    assert caught.value.code == "data.template_split"


def test_string_arguments_render_as_objects_in_templates_that_expect_them(
    tiny_models: dict[str, Path],
) -> None:
    # Real templates (Llama 3.1, Qwen2.5) write `arguments | tojson`; OpenAI data holds a string.
    tokenizer = loaded_tokenizer(tiny_models["qwen2"]).__class__.from_pretrained(
        tiny_models["qwen2"], local_files_only=True
    )
    tokenizer.chat_template = (
        "{%- for m in messages -%}{{ '<|im_start|>' ~ m.role ~ '\\n' ~ (m.content or '') }}"
        "{%- for c in m.tool_calls or [] -%}{{ c.function.arguments | tojson }}{%- endfor -%}"
        "{{ '<|im_end|>\\n' }}{%- endfor -%}"
        "{%- if add_generation_prompt -%}{{ '<|im_start|>assistant\\n' }}{%- endif -%}"
    )
    record = {
        "messages": [
            {"role": "user", "content": "Paris?"},
            {"role": "assistant", "tool_calls": [call("c1", "get_weather", {"city": "Paris"})]},
        ]
    }
    path = write_jsonl(Path(tiny_models["qwen2"]).parent / "arguments.jsonl", [record])
    sample = tokenize_records(read_records(path).records, tokenizer)[0]
    assert trained_runs(tokenizer, sample) == ['{"city": "Paris"}<|im_end|>\n']


def test_a_conversation_the_template_rejects_is_named(tiny_models: dict[str, Path]) -> None:
    tokenizer = loaded_tokenizer(tiny_models["llama"])
    strict = tokenizer.__class__.from_pretrained(tiny_models["llama"], local_files_only=True)
    strict.chat_template = (
        "{%- for m in messages -%}{%- if (m.role == 'user') != (loop.index0 % 2 == 0) -%}"
        "{{ raise_exception('Conversation roles must alternate user/assistant') }}{%- endif -%}"
        "{{ m.role ~ ': ' ~ m.content ~ '\\n' }}{%- endfor -%}"
    )
    messages = [
        {"role": "user", "content": "a"},
        {"role": "user", "content": "b"},
        {"role": "assistant", "content": "c"},
    ]
    with pytest.raises(
        WlError,
        match=r"chat\.jsonl:4: the chat template refused this conversation: Conversation roles must alternate",
    ) as caught:
        tokenize_records([ChatRecord("chat.jsonl:4", messages, None)], strict)
    assert caught.value.code == "data.render"


def test_a_conversation_that_opens_with_the_assistant_is_refused(
    tiny_models: dict[str, Path],
) -> None:
    messages = [{"role": "assistant", "content": "Unprompted."}, {"role": "user", "content": "Hi"}]
    with pytest.raises(
        WlError, match=r"chat\.jsonl:5: the conversation opens with an assistant turn"
    ):
        tokenize_records(
            [ChatRecord("chat.jsonl:5", messages, None)], loaded_tokenizer(tiny_models["qwen2"])
        )
