"""Chat records for the data-pipeline tests: hand-written multi-turn conversations with tool
calls, a deterministic generator of many synthetic weather conversations, and what a tokenized
sample trains, read back as text."""

from __future__ import annotations

import json
import random
from functools import cache
from pathlib import Path
from typing import Any

from wl_trainer.data.masks import IGNORE_INDEX, TokenizedSample
from wl_trainer.tiny_tokenizer import example_tools

Record = dict[str, Any]

CITIES = ("Paris", "Oslo", "Tokyo", "Berlin", "Madrid", "Sydney", "Toronto", "Chicago")
PERSONAS = (
    "You are Mark Twain, answering weather questions with dry wit.",
    "You are Benjamin Franklin, a practical weather almanac.",
    "You are a weather assistant. Respond naturally and concisely.",
    None,
)
CONDITIONS = ("sunny", "cloudy", "rainy", "windy", "snowy")


def call(call_id: str, name: str, arguments: dict[str, Any], as_text: bool = True) -> Record:
    """An OpenAI tool call; arguments as a JSON string (the wire format) or as an object."""
    return {
        "id": call_id,
        "type": "function",
        "function": {"name": name, "arguments": json.dumps(arguments) if as_text else arguments},
    }


def tool_chat() -> Record:
    """Two tool-call rounds, a plain reply between them and a final reply: four assistant turns."""
    return {
        "messages": [
            {"role": "system", "content": "You are a weather assistant."},
            {"role": "user", "content": "What is the weather in Paris?"},
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [call("call0", "get_weather", {"city": "Paris", "unit": "celsius"})],
            },
            {
                "role": "tool",
                "tool_call_id": "call0",
                "content": '{"temperature": 21, "condition": "sunny"}',
            },
            {"role": "assistant", "content": "It is sunny and 21 degrees in Paris."},
            {"role": "user", "content": "And the next two days in Oslo?"},
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [call("call1", "get_forecast", {"city": "Oslo", "days": 2}, False)],
            },
            {"role": "tool", "tool_call_id": "call1", "content": '{"days": [12, 9]}'},
            {"role": "assistant", "content": "Oslo: 12 degrees tomorrow, then 9."},
        ],
        "tools": example_tools(),
    }


def synthetic_chat(rng: random.Random) -> Record:
    """One weather conversation: 1-3 rounds, each a tool call (sometimes two) or a plain reply."""
    persona = rng.choice(PERSONAS)
    messages: list[Record] = [{"role": "system", "content": persona}] if persona else []
    for turn in range(rng.randint(1, 3)):
        city = rng.choice(CITIES)
        if rng.random() < 0.75:
            messages += tool_round(rng, city, turn)
        else:
            messages.append(
                {"role": "user", "content": f"Is it usually {rng.choice(CONDITIONS)} in {city}?"}
            )
            messages.append(
                {"role": "assistant", "content": f"Often enough, in {city}. Pack for anything."}
            )
    return {"messages": messages, "tools": example_tools()}


def tool_round(rng: random.Random, city: str, turn: int) -> list[Record]:
    """A question, the assistant's tool call(s), their results and the answer."""
    calls = [
        call(
            f"c{turn}a",
            "get_weather",
            {"city": city, "unit": rng.choice(["celsius", "fahrenheit"])},
        )
    ]
    if rng.random() < 0.3:
        calls.append(call(f"c{turn}b", "get_forecast", {"city": city, "days": rng.randint(1, 7)}))
    temperature, condition = rng.randint(-10, 35), rng.choice(CONDITIONS)
    results = [
        {
            "role": "tool",
            "tool_call_id": c["id"],
            "content": json.dumps({"temperature": temperature, "condition": condition}),
        }
        for c in calls
    ]
    return [
        {"role": "user", "content": f"What is the weather in {city}?"},
        {"role": "assistant", "content": None, "tool_calls": calls},
        *results,
        {"role": "assistant", "content": f"It is {condition} and {temperature} degrees in {city}."},
    ]


def synthetic_records(count: int, seed: int = 0) -> list[Record]:
    """``count`` weather conversations, the same ones for the same seed."""
    rng = random.Random(seed)
    return [synthetic_chat(rng) for _ in range(count)]


def write_jsonl(path: Path, records: list[Record]) -> Path:
    """The records as a JSONL file at ``path``."""
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    return path


@cache
def loaded_tokenizer(path: Path) -> Any:
    """A tiny model's tokenizer, loaded once per session (tests that change one copy it)."""
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(path, local_files_only=True)


def trained_runs(tokenizer: Any, sample: TokenizedSample) -> list[str]:
    """The text of each run of consecutive trained tokens, decoded."""
    runs: list[list[int]] = []
    previous = False
    for token, label in zip(sample.input_ids.tolist(), sample.labels.tolist(), strict=True):
        trained = label != IGNORE_INDEX
        if trained and not previous:
            runs.append([])
        if trained:
            assert label == token
            runs[-1].append(token)
        previous = trained
    return [tokenizer.decode(run) for run in runs]
