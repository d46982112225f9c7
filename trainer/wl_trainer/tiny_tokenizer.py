"""Tokenizers for wl's tiny test models, trained here from a built-in corpus — no download.

Byte-level BPE (every string round-trips, whatever its characters) with ~1000 learned tokens, the
architecture's own special tokens and its chat template. The corpus mixes English about weather
and training with the JSON of tool definitions, calls and results, so tool-call JSON splits into
sensible pieces (``{"``, ``name``, ``":``) instead of single bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tokenizers import (
    AddedToken,
    Regex,
    Tokenizer,
    decoders,
    models,
    normalizers,
    pre_tokenizers,
    processors,
    trainers,
)
from transformers import PreTrainedTokenizerFast

PACKAGE_DIR = Path(__file__).parent
CORPUS_FILE = PACKAGE_DIR / "data" / "tiny_corpus.txt"
TEMPLATES_DIR = PACKAGE_DIR / "chat_templates"
LEARNED_VOCAB = 1000


@dataclass(frozen=True)
class TokenizerSpec:
    """An architecture's special tokens and chat template."""

    template: str
    """File name in chat_templates/."""
    special: tuple[str, ...]
    """Control tokens, in id order right after the learned vocabulary."""
    eos: str
    """The end-of-turn token: what generation stops at."""
    pad: str
    bos: str | None = None
    """Prepended by the post-processor when add_special_tokens=True, as real checkpoints do."""
    added: tuple[str, ...] = ()
    """Extra whole tokens that are ordinary text (kept by skip_special_tokens)."""
    qwen_pretokenizer: bool = False
    """Use Qwen2's split regex and NFC: transformers rebuilds Qwen2 tokenizers that way on load."""


TOKENIZER_SPECS: dict[str, TokenizerSpec] = {
    "llama": TokenizerSpec(
        template="llama3.jinja",
        special=(
            "<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>",
            "<|eot_id|>", "<|eom_id|>", "<|python_tag|>", "<|finetune_right_pad_id|>",
        ),
        bos="<|begin_of_text|>",
        eos="<|eot_id|>",
        pad="<|finetune_right_pad_id|>",
    ),
    "qwen2": TokenizerSpec(
        template="chatml.jinja",
        special=("<|endoftext|>", "<|im_start|>", "<|im_end|>"),
        eos="<|im_end|>",
        pad="<|endoftext|>",
        # ChatML has no begin-of-sequence token; real Qwen2 tokenizers leave bos_token unset too.
        bos=None,
        added=("<tool_call>", "</tool_call>", "<tool_response>", "</tool_response>"),
        qwen_pretokenizer=True,
    ),
    "mistral": TokenizerSpec(
        template="mistral.jinja",
        special=(
            "<unk>", "<s>", "</s>", "<pad>", "[INST]", "[/INST]", "[AVAILABLE_TOOLS]",
            "[/AVAILABLE_TOOLS]", "[TOOL_CALLS]", "[TOOL_RESULTS]", "[/TOOL_RESULTS]",
        ),
        bos="<s>",
        eos="</s>",
        pad="<pad>",
    ),
}  # fmt: skip


def chat_template(spec: TokenizerSpec) -> str:
    """The Jinja chat template text for ``spec``."""
    return (TEMPLATES_DIR / spec.template).read_text(encoding="utf-8")


def corpus() -> Iterator[str]:
    """The training text: the English corpus file, then generated tool-use JSON."""
    yield from CORPUS_FILE.read_text(encoding="utf-8").splitlines()
    yield from tool_json_samples()


def tool_json_samples() -> Iterator[str]:
    """Tool definitions, calls and results, spaced as the chat templates' tojson writes them."""
    cities = [
        "Paris",
        "London",
        "Oslo",
        "Chicago",
        "Tokyo",
        "Berlin",
        "Madrid",
        "Sydney",
        "Toronto",
    ]
    for tool in example_tools():
        yield json.dumps(tool)
    for index, city in enumerate(cities):
        arguments = {"city": city, "unit": "celsius" if index % 2 else "fahrenheit"}
        yield json.dumps({"name": "get_weather", "arguments": arguments})
        yield json.dumps({"name": "get_weather", "parameters": arguments})
        yield json.dumps({"name": "get_forecast", "arguments": {"city": city, "days": index + 1}})
        yield json.dumps(
            {
                "city": city,
                "temperature": 10 + index * 3,
                "condition": "sunny",
                "wind_kph": index * 5,
            }
        )
        yield json.dumps(
            {
                "content": {"temperature": 20 - index, "humidity": 40 + index},
                "call_id": f"call{index}",
            }
        )


def example_tools() -> list[dict[str, Any]]:
    """Two OpenAI-style function definitions, the shape apply_chat_template receives as tools."""
    city = {"type": "string", "description": "City name, e.g. Paris"}
    unit = {"type": "string", "enum": ["celsius", "fahrenheit"]}
    days = {"type": "integer", "description": "Number of days"}
    return [
        function_tool(
            "get_weather",
            "Get the current weather in a city",
            {"city": city, "unit": unit},
            ["city"],
        ),
        function_tool(
            "get_forecast",
            "Get the weather forecast for the next days",
            {"city": city, "days": days},
            ["city", "days"],
        ),
    ]


def function_tool(
    name: str, description: str, properties: dict[str, Any], required: list[str]
) -> dict[str, Any]:
    """One ``{"type": "function", "function": {...}}`` tool definition."""
    parameters = {"type": "object", "properties": properties, "required": required}
    return {
        "type": "function",
        "function": {"name": name, "description": description, "parameters": parameters},
    }


def train_bpe(spec: TokenizerSpec) -> Tokenizer:
    """A byte-level BPE tokenizer trained on the corpus, with the spec's tokens added."""
    tokenizer = Tokenizer(models.BPE())
    if spec.qwen_pretokenizer:
        from transformers.models.qwen2.tokenization_qwen2 import PRETOKENIZE_REGEX

        tokenizer.normalizer = normalizers.NFC()
        tokenizer.pre_tokenizer = pre_tokenizers.Sequence(
            [
                pre_tokenizers.Split(Regex(PRETOKENIZE_REGEX), behavior="isolated", invert=False),
                pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=False),
            ]
        )
    else:
        tokenizer.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tokenizer.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=LEARNED_VOCAB,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tokenizer.train_from_iterator(corpus(), trainer)
    tokenizer.add_special_tokens(
        [AddedToken(t, special=True, normalized=False) for t in spec.special]
    )
    tokenizer.add_tokens([AddedToken(t, special=False, normalized=False) for t in spec.added])
    if spec.bos is not None:
        bos_id = tokenizer.token_to_id(spec.bos)
        tokenizer.post_processor = processors.TemplateProcessing(
            single=f"{spec.bos} $A",
            pair=f"{spec.bos} $A {spec.bos} $B",
            special_tokens=[(spec.bos, bos_id)],
        )
    return tokenizer


def build_tokenizer(arch: str) -> PreTrainedTokenizerFast:
    """The transformers tokenizer for ``arch`` (llama, qwen2 or mistral), chat template included."""
    spec = TOKENIZER_SPECS[arch]
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=train_bpe(spec),
        bos_token=spec.bos,
        eos_token=spec.eos,
        pad_token=spec.pad,
        unk_token="<unk>" if "<unk>" in spec.special else None,
        clean_up_tokenization_spaces=False,
        model_max_length=2048,
    )
    tokenizer.chat_template = chat_template(spec)
    return tokenizer
