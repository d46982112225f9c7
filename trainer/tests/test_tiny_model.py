"""Tiny models of real architectures: they load offline with the Auto classes, run, render tool
conversations with their chat template, and are reproducible from a seed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import torch
from safetensors.torch import load_file
from tokenizers import Tokenizer
from transformers import AutoModelForCausalLM, AutoTokenizer, GenerationConfig

from wl_trainer import tiny_model
from wl_trainer.errors import WlError
from wl_trainer.tiny_model import ARCHS, MARKER, ensure_tiny_model
from wl_trainer.tiny_tokenizer import example_tools

END_OF_TURN = {"llama": "<|eot_id|>", "qwen2": "<|im_end|>", "mistral": "</s>"}

WEATHER_CHAT: list[dict[str, Any]] = [
    {"role": "system", "content": "You are a weather assistant."},
    {"role": "user", "content": "What is the weather in Paris?"},
    {
        "role": "assistant",
        "content": None,
        "tool_calls": [
            {
                "id": "call0",
                "type": "function",
                "function": {
                    "name": "get_weather",
                    "arguments": {"city": "Paris", "unit": "celsius"},
                },
            }
        ],
    },
    {
        "role": "tool",
        "tool_call_id": "call0",
        "content": '{"temperature": 21, "condition": "sunny"}',
    },
    {"role": "assistant", "content": "It is sunny and 21 degrees in Paris."},
    {"role": "user", "content": "And tomorrow in Oslo?"},
]


def tokenizer_of(path: Path) -> Any:
    return AutoTokenizer.from_pretrained(path, local_files_only=True)


@pytest.mark.parametrize("arch", ARCHS)
def test_loads_offline_and_runs_a_forward_pass(tiny_models: dict[str, Path], arch: str) -> None:
    path = tiny_models[arch]
    model = AutoModelForCausalLM.from_pretrained(path, local_files_only=True)
    tokenizer = tokenizer_of(path)
    assert (
        type(model).__name__
        == {
            "llama": "LlamaForCausalLM",
            "qwen2": "Qwen2ForCausalLM",
            "mistral": "MistralForCausalLM",
        }[arch]
    )
    config = model.config
    assert (config.hidden_size, config.num_hidden_layers, config.intermediate_size) == (64, 2, 128)
    assert (config.num_attention_heads, config.num_key_value_heads) == (4, 2)
    ids = tokenizer("The weather in Paris is sunny.", return_tensors="pt")["input_ids"]
    with torch.no_grad():
        logits = model(ids).logits
    assert logits.shape == (1, ids.shape[1], len(tokenizer))
    assert torch.isfinite(logits).all()


@pytest.mark.parametrize("arch", ARCHS)
def test_saved_tokenizer_is_the_trained_one(tiny_models: dict[str, Path], arch: str) -> None:
    # transformers may rebuild a tokenizer class on load (Qwen2 does); the ids must not change.
    raw = Tokenizer.from_file(str(tiny_models[arch] / "tokenizer.json"))
    loaded = tokenizer_of(tiny_models[arch])
    text = tokenizer_of(tiny_models[arch]).apply_chat_template(
        WEATHER_CHAT, tools=example_tools(), tokenize=False
    )
    assert (
        loaded(text, add_special_tokens=False)["input_ids"]
        == raw.encode(text, add_special_tokens=False).ids
    )
    assert 1000 <= len(loaded) <= 1100


@pytest.mark.parametrize("arch", ARCHS)
def test_chat_with_tools_renders_and_round_trips(tiny_models: dict[str, Path], arch: str) -> None:
    tokenizer = tokenizer_of(tiny_models[arch])
    text = tokenizer.apply_chat_template(
        WEATHER_CHAT, tools=example_tools(), tokenize=False, add_generation_prompt=True
    )
    for needle in (
        "get_forecast",
        "You are a weather assistant.",
        "What is the weather in Paris?",
        '"city": "Paris"',
        "sunny",
        "It is sunny and 21 degrees in Paris.",
        "And tomorrow in Oslo?",
    ):
        assert needle in text, needle
    ids = tokenizer(text, add_special_tokens=False)["input_ids"]
    assert tokenizer.decode(ids) == text
    # Tool-call JSON is made of learned pieces, not single bytes.
    call = '{"name": "get_weather", "arguments": {"city": "Paris"}}'
    assert len(tokenizer(call, add_special_tokens=False)["input_ids"]) <= len(call) // 2


@pytest.mark.parametrize("arch", ARCHS)
def test_arguments_as_json_string_or_object_render_alike(
    tiny_models: dict[str, Path], arch: str
) -> None:
    tokenizer = tokenizer_of(tiny_models[arch])
    as_string = json.loads(json.dumps(WEATHER_CHAT))
    function = as_string[2]["tool_calls"][0]["function"]
    function["arguments"] = json.dumps(function["arguments"])
    render = lambda chat: tokenizer.apply_chat_template(chat, tools=example_tools(), tokenize=False)  # noqa: E731
    assert render(as_string) == render(WEATHER_CHAT)


@pytest.mark.parametrize(
    ("arch", "expected_prefix"),
    [
        (
            "llama",
            '<|start_header_id|>assistant<|end_header_id|>\n\n{"name": "get_weather", "parameters": ',
        ),
        ("qwen2", '<|im_start|>assistant\n<tool_call>\n{"name": "get_weather", "arguments": '),
        ("mistral", '[/INST][TOOL_CALLS] [{"name": "get_weather", "arguments": '),
    ],
)
def test_each_template_has_its_architecture_s_shape(
    tiny_models: dict[str, Path], arch: str, expected_prefix: str
) -> None:
    text = tokenizer_of(tiny_models[arch]).apply_chat_template(
        WEATHER_CHAT, tools=example_tools(), tokenize=False
    )
    assert expected_prefix in text
    tool_marker = {
        "llama": "<|start_header_id|>ipython",
        "qwen2": "<tool_response>",
        "mistral": "[TOOL_RESULTS]",
    }
    tools_marker = {
        "llama": '{"type": "function"',
        "qwen2": "<tools>",
        "mistral": "[AVAILABLE_TOOLS]",
    }
    assert tool_marker[arch] in text
    assert tools_marker[arch] in text
    if arch != "qwen2":
        assert text.startswith({"llama": "<|begin_of_text|>", "mistral": "<s>"}[arch])


@pytest.mark.parametrize("arch", ARCHS)
def test_generation_prompt(tiny_models: dict[str, Path], arch: str) -> None:
    tokenizer = tokenizer_of(tiny_models[arch])
    chat = WEATHER_CHAT[:2]
    with_prompt = tokenizer.apply_chat_template(chat, tokenize=False, add_generation_prompt=True)
    without = tokenizer.apply_chat_template(chat, tokenize=False)
    opening = {
        "llama": "<|start_header_id|>assistant<|end_header_id|>\n\n",
        "qwen2": "<|im_start|>assistant\n",
        "mistral": "",
    }[arch]
    assert with_prompt == without + opening


@pytest.mark.parametrize("arch", ARCHS)
def test_end_of_turn_is_one_special_token_and_the_eos(
    tiny_models: dict[str, Path], arch: str
) -> None:
    tokenizer = tokenizer_of(tiny_models[arch])
    eot = END_OF_TURN[arch]
    ids = tokenizer(eot, add_special_tokens=False)["input_ids"]
    assert ids == [tokenizer.convert_tokens_to_ids(eot)]
    assert ids[0] in tokenizer.all_special_ids
    assert tokenizer.eos_token == eot
    assert tokenizer.pad_token is not None and tokenizer.pad_token_id != tokenizer.eos_token_id
    generation = GenerationConfig.from_pretrained(tiny_models[arch], local_files_only=True)
    assert generation.eos_token_id == ids[0]


@pytest.mark.parametrize("arch", ARCHS)
def test_assistant_mask_covers_exactly_the_replies(tiny_models: dict[str, Path], arch: str) -> None:
    tokenizer = tokenizer_of(tiny_models[arch])
    encoded = tokenizer.apply_chat_template(
        WEATHER_CHAT[:5], tools=example_tools(), return_assistant_tokens_mask=True, return_dict=True
    )
    ids, mask = encoded["input_ids"], encoded["assistant_masks"]
    learned = tokenizer.decode([token for token, keep in zip(ids, mask, strict=True) if keep])
    eot = END_OF_TURN[arch]
    reply = "It is sunny and 21 degrees in Paris."
    call = {
        "llama": '{"name": "get_weather", "parameters": {"city": "Paris", "unit": "celsius"}}',
        "qwen2": '<tool_call>\n{"name": "get_weather", "arguments": {"city": "Paris", "unit": "celsius"}}\n</tool_call>',
        "mistral": '[TOOL_CALLS] [{"name": "get_weather", "arguments": {"city": "Paris", "unit": "celsius"}, "id": "call0"}]',
    }[arch]
    spacer = " " if arch == "mistral" else ""
    assert learned == f"{call}{eot}{spacer}{reply}{eot}"


@pytest.mark.parametrize("arch", ARCHS)
def test_unknown_roles_are_refused(tiny_models: dict[str, Path], arch: str) -> None:
    tokenizer = tokenizer_of(tiny_models[arch])
    with pytest.raises(Exception, match="unsupported role: narrator"):
        tokenizer.apply_chat_template([{"role": "narrator", "content": "x"}], tokenize=False)


@pytest.mark.parametrize("arch", ARCHS)
def test_same_seed_same_weights(tiny_models: dict[str, Path], arch: str, tmp_path: Path) -> None:
    again = ensure_tiny_model(arch, tmp_path / "again", seed=0).path
    other = ensure_tiny_model(arch, tmp_path / "other", seed=1).path
    first, second = (
        load_file(tiny_models[arch] / "model.safetensors"),
        load_file(again / "model.safetensors"),
    )
    assert first.keys() == second.keys()
    assert all(torch.equal(first[name], second[name]) for name in first)
    assert (tiny_models[arch] / "tokenizer.json").read_bytes() == (
        again / "tokenizer.json"
    ).read_bytes()
    different = load_file(other / "model.safetensors")
    assert not all(torch.equal(first[name], different[name]) for name in first)


@pytest.mark.parametrize("arch", ARCHS)
def test_peft_lora_attaches(tiny_models: dict[str, Path], arch: str) -> None:
    from peft import LoraConfig, get_peft_model

    model = AutoModelForCausalLM.from_pretrained(tiny_models[arch], local_files_only=True)
    peft_model = get_peft_model(model, LoraConfig(r=4, lora_alpha=8, target_modules="all-linear"))
    trainable, total = peft_model.get_nb_trainable_parameters()
    # 2 layers x 7 projections, each r * (in + out)
    assert trainable == 2 * 4 * (
        64 + 64 + 64 + 32 + 64 + 32 + 64 + 64 + 64 + 128 + 64 + 128 + 128 + 64
    )
    assert total > trainable
    ids = torch.tensor([[1, 2, 3, 4]])
    loss = peft_model(input_ids=ids, labels=ids).loss
    loss.backward()
    lora_grads = [p.grad for n, p in peft_model.named_parameters() if "lora_" in n]
    assert lora_grads and all(g is not None for g in lora_grads)


def test_a_complete_model_is_reused_and_a_different_one_refused(
    tiny_models: dict[str, Path],
) -> None:
    path = tiny_models["llama"]
    assert ensure_tiny_model("llama", path, seed=0).reused
    with pytest.raises(WlError, match="seed 0"):
        ensure_tiny_model("llama", path, seed=5)
    with pytest.raises(WlError, match="tiny llama model"):
        ensure_tiny_model("qwen2", path, seed=0)


def test_force_rebuilds_and_foreign_folders_are_refused(tmp_path: Path) -> None:
    out = tmp_path / "model"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    with pytest.raises(WlError, match="not a tiny model"):
        ensure_tiny_model("mistral", out)
    built = ensure_tiny_model("mistral", out, seed=3, force=True)
    assert not built.reused
    assert not (out / "notes.txt").exists()
    assert json.loads((out / MARKER).read_text())["seed"] == 3
    assert [p.name for p in tmp_path.iterdir()] == ["model"]  # no partial or old folders left


def test_a_failed_build_leaves_nothing_that_looks_complete(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(arch: str, seed: int, folder: Path) -> dict[str, Any]:
        (folder / "config.json").write_text("{}")
        raise RuntimeError("disk full")

    monkeypatch.setattr(tiny_model, "build_into", broken)
    with pytest.raises(RuntimeError, match="disk full"):
        ensure_tiny_model("qwen2", tmp_path / "model")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("arch", "bos"), [("llama", "<|begin_of_text|>"), ("mistral", "<s>"), ("qwen2", None)]
)
def test_bos_is_prepended_where_the_real_tokenizer_does(
    tiny_models: dict[str, Path], arch: str, bos: str | None
) -> None:
    tokenizer = tokenizer_of(tiny_models[arch])
    with_specials = tokenizer("Hello")["input_ids"]
    without = tokenizer("Hello", add_special_tokens=False)["input_ids"]
    assert tokenizer.bos_token == bos
    assert with_specials == ([tokenizer.bos_token_id] if bos else []) + without
