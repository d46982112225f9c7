"""The memory estimate: known sizes, exact LoRA parameter counts (checked against PEFT on the tiny
models), and the memory check's verdicts and fixes."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from transformers import AutoModelForCausalLM

from tests.machines import CPU_BOX, H100_HOST, RTX_4090_HOST, mac
from wl_trainer.checks.memory import check_memory, gb
from wl_trainer.memory import ALL_LINEAR, TrainingSettings, estimate_memory, trainable_params
from wl_trainer.model_lookup import find_model_shape
from wl_trainer.model_shapes import KNOWN_SHAPES, ShapeUnknownError, known_shape, shape_from_file

MISTRAL_7B = KNOWN_SHAPES["mistral-7b-v0.3"]
LLAMA_8B = KNOWN_SHAPES["llama-3.1-8b"]


def settings(**changes: Any) -> TrainingSettings:
    base = TrainingSettings(
        micro_batch_size=4,
        max_seq_length=2048,
        gradient_checkpointing=False,
        dtype="bf16",
        quantization="none",
        lora_r=16,
        target_modules=ALL_LINEAR,
        lora_dropout=0.05,
        lora_bias="none",
        device="cuda",
    )
    return replace(base, **changes)


def resolved_config(base: str, backend: str = "local", **training: Any) -> dict[str, Any]:
    """A resolved config with the sections the memory check reads."""
    return {
        "compute": {"backend": backend},
        "model": {
            "base": base,
            "dtype": "auto",
            "quantization": training.pop("quantization", "none"),
        },
        "data": {"max_seq_length": training.pop("max_seq_length", 2048)},
        "lora": {"r": 16, "target_modules": "all-linear", "dropout": 0.05, "bias": "none"},
        "training": {
            "device": "auto",
            "micro_batch_size": 4,
            "gradient_accumulation_steps": 4,
            "gradient_checkpointing": False,
            **training,
        },
    }


@pytest.mark.parametrize(
    ("name", "billions"),
    [
        ("mistral-7b-v0.3", 7.248),
        ("llama-3.1-8b", 8.030),
        ("llama-3.2-1b", 1.236),
        ("llama-3.2-3b", 3.213),
        ("qwen2.5-0.5b", 0.494),
        ("qwen2.5-1.5b", 1.544),
        ("qwen2.5-7b", 7.616),
    ],
)
def test_table_shapes_give_the_published_parameter_counts(name: str, billions: float) -> None:
    assert KNOWN_SHAPES[name].params() / 1e9 == pytest.approx(billions, abs=0.001)


@pytest.mark.parametrize(
    "hub_id",
    [
        "mistralai/Mistral-7B-Instruct-v0.3",
        "meta-llama/Meta-Llama-3.1-8B-Instruct",
        "Qwen/Qwen2.5-7B-Instruct",
    ],
)
def test_hub_ids_find_their_table_entry(hub_id: str) -> None:
    assert known_shape(hub_id) is not None


def test_7b_in_bf16_weighs_about_14_5_gb() -> None:
    estimate = estimate_memory(MISTRAL_7B, "table", settings())
    assert estimate["parts"]["weights"] == pytest.approx(14.5, abs=0.05)
    assert estimate["model_params"] == MISTRAL_7B.params()
    assert estimate["source"] == "table"
    assert estimate["total_gb"] == pytest.approx(sum(estimate["parts"].values()), abs=0.01)


def test_4bit_weights_are_much_smaller() -> None:
    full = estimate_memory(MISTRAL_7B, "table", settings())["parts"]["weights"]
    nf4 = estimate_memory(MISTRAL_7B, "table", settings(quantization="4bit"))["parts"]["weights"]
    assert nf4 < 0.35 * full
    assert nf4 == pytest.approx(4.3, abs=0.2)  # 7B at 4.5 bits plus 16-bit embeddings and lm_head


def test_gradient_checkpointing_reduces_activations() -> None:
    plain = estimate_memory(LLAMA_8B, "table", settings())
    checkpointed = estimate_memory(LLAMA_8B, "table", settings(gradient_checkpointing=True))
    assert checkpointed["parts"]["activations"] < plain["parts"]["activations"] / 5
    assert checkpointed["total_gb"] < plain["total_gb"]


def test_activations_and_logits_scale_with_tokens() -> None:
    one = estimate_memory(LLAMA_8B, "table", settings(micro_batch_size=1))["parts"]
    two = estimate_memory(LLAMA_8B, "table", settings(micro_batch_size=2))["parts"]
    assert two["activations"] == pytest.approx(2 * one["activations"], rel=0.01)
    assert two["logits"] == pytest.approx(2 * one["logits"], rel=0.01)
    # fp32 logits and their gradient: b·s·V·8 bytes
    assert one["logits"] == pytest.approx(2048 * 128256 * 8 / 1e9, abs=0.001)


def test_trainable_params_cost_16_bytes_each() -> None:
    estimate = estimate_memory(LLAMA_8B, "table", settings())
    lora_bytes = sum(estimate["parts"][k] for k in ("lora", "gradients", "optimizer")) * 1e9
    assert lora_bytes == pytest.approx(16 * estimate["lora_params"], rel=0.01)


def test_cuda_context_counts_only_on_cuda() -> None:
    cuda = estimate_memory(LLAMA_8B, "table", settings())["parts"]["overhead"]
    cpu = estimate_memory(LLAMA_8B, "table", settings(device="cpu"))["parts"]["overhead"]
    assert cuda == pytest.approx(cpu + 1.0, abs=0.01)


CASES = [
    ("all-linear", "none"),
    ("all-linear", "all"),
    ("q_proj,v_proj", "none"),
    ("q_proj,v_proj", "lora_only"),
    ("o_proj,down_proj", "all"),
]


@pytest.mark.parametrize("arch", ["llama", "qwen2", "mistral"])
@pytest.mark.parametrize(("targets", "bias"), CASES)
def test_lora_params_equal_peft_exactly(
    tiny_models: dict[str, Path], arch: str, targets: str, bias: str
) -> None:
    from peft import LoraConfig, get_peft_model

    path = tiny_models[arch]
    shape = shape_from_file(path / "config.json")
    modules = ALL_LINEAR if targets == "all-linear" else tuple(targets.split(","))
    ours = trainable_params(shape, settings(lora_r=8, target_modules=modules, lora_bias=bias))
    model = AutoModelForCausalLM.from_pretrained(path, local_files_only=True)
    assert shape.params() == sum(p.numel() for p in model.parameters())
    peft_targets = "all-linear" if targets == "all-linear" else list(modules)
    peft_model = get_peft_model(
        model, LoraConfig(r=8, lora_alpha=16, target_modules=peft_targets, bias=bias)
    )
    assert ours == peft_model.get_nb_trainable_parameters()[0]


def test_shape_comes_from_a_local_folder_or_an_adapter_s_base(
    tiny_models: dict[str, Path], tmp_path: Path
) -> None:
    shape, source = find_model_shape(str(tiny_models["qwen2"]))
    assert (source, shape.hidden, shape.tied_embeddings, shape.qkv_bias) == (
        "config.json",
        64,
        True,
        True,
    )
    adapter = tmp_path / "adapter"
    adapter.mkdir()
    (adapter / "adapter_config.json").write_text(
        json.dumps({"base_model_name_or_path": str(tiny_models["llama"])})
    )
    (adapter / "adapter_model.safetensors").write_bytes(b"")
    shape, source = find_model_shape(str(adapter))
    assert (source, shape.vocab) == (
        "config.json",
        shape_from_file(tiny_models["llama"] / "config.json").vocab,
    )


def test_shape_comes_from_the_hub_cache_before_the_table(
    tmp_path: Path, tiny_models: dict[str, Path]
) -> None:
    snapshot = tmp_path / "hub" / "models--Qwen--Qwen2.5-7B" / "snapshots" / "abc123"
    snapshot.mkdir(parents=True)
    (snapshot / "config.json").write_text((tiny_models["qwen2"] / "config.json").read_text())
    env = {"HF_HUB_CACHE": str(tmp_path / "hub")}
    assert find_model_shape("Qwen/Qwen2.5-7B", env=env)[1] == "config.json"
    assert (
        find_model_shape("Qwen/Qwen2.5-7B", env={"HF_HUB_CACHE": str(tmp_path / "empty")})[1]
        == "table"
    )


def test_unknown_models_have_no_shape(tmp_path: Path) -> None:
    with pytest.raises(ShapeUnknownError, match="not one of the well-known models"):
        find_model_shape("someone/unknown-13b", env={"HF_HUB_CACHE": str(tmp_path)})


def test_mixture_of_experts_is_not_estimated(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text(json.dumps({"num_local_experts": 8, "hidden_size": 4096}))
    with pytest.raises(ShapeUnknownError, match="mixture-of-experts"):
        shape_from_file(tmp_path / "config.json")


def test_memory_check_ok_when_it_fits() -> None:
    result, estimate = check_memory(resolved_config("meta-llama/Llama-3.2-1B"), H100_HOST, {})
    assert result.status == "ok"
    assert estimate is not None and result.data == {
        "estimate_gb": estimate["total_gb"],
        "available_gb": 85.52,
        "device": "cuda",
    }


def number_after(label: str, text: str) -> float:
    """The number that follows ``label`` in a fix text."""
    match = re.search(re.escape(label) + r"([\d.]+)", text)
    assert match, (label, text)
    return float(match.group(1))


def test_memory_check_fails_with_the_first_fix_that_fits() -> None:
    config = resolved_config("meta-llama/Llama-3.1-8B", micro_batch_size=8)
    result, _ = check_memory(config, RTX_4090_HOST, {})
    assert result.status == "fail"
    assert "it will not fit" in result.message
    assert result.fix is not None and result.fix.startswith(
        "set training.gradient_checkpointing: true"
    )
    assert number_after("estimated ", result.fix) < 0.9 * 25.39


def test_memory_fix_halves_the_batch_and_keeps_the_effective_batch() -> None:
    config = resolved_config(
        "meta-llama/Llama-3.2-1B", micro_batch_size=16, gradient_checkpointing=True
    )
    result, _ = check_memory(config, mac(16), {})
    assert result.status == "fail"
    assert result.fix is not None
    batch = number_after("micro_batch_size: ", result.fix)
    accumulation = number_after("gradient_accumulation_steps: ", result.fix)
    assert batch * accumulation == 16 * 4
    assert number_after("estimated ", result.fix) < 0.9 * 16


def test_memory_fix_falls_back_to_4bit_on_cuda_only() -> None:
    config = resolved_config("Qwen/Qwen2.5-7B", max_seq_length=512, micro_batch_size=1)
    small_gpu = replace(
        H100_HOST, cuda_devices=(replace(H100_HOST.cuda_devices[0], memory_bytes=12 * 10**9),)
    )
    result, _ = check_memory(config, small_gpu, {})
    assert result.fix is not None and "model.quantization: 4bit" in result.fix


def test_memory_check_says_when_nothing_fits() -> None:
    config = resolved_config("meta-llama/Llama-3.1-8B")
    result, _ = check_memory(config, replace(CPU_BOX, ram_bytes=4 * 10**9), {})
    assert result.status == "fail"
    assert result.fix is not None and result.fix.startswith("even with every saving")


def test_memory_check_warns_between_90_and_100_percent() -> None:
    config = resolved_config(
        "meta-llama/Llama-3.2-1B", micro_batch_size=1, gradient_checkpointing=True
    )
    _, estimate = check_memory(config, CPU_BOX, {})
    assert estimate is not None
    tight = replace(CPU_BOX, ram_bytes=int(estimate["total_gb"] / 0.95 * 1e9))
    result, _ = check_memory(config, tight, {})
    assert result.status == "warn"
    assert "little headroom" in result.message


def test_memory_check_warns_when_the_shape_is_unknown(tmp_path: Path) -> None:
    result, estimate = check_memory(
        resolved_config("someone/custom-model"), H100_HOST, {"HF_HUB_CACHE": str(tmp_path)}
    )
    assert (result.status, estimate) == ("warn", None)
    assert result.message.startswith("cannot estimate memory:")


def test_a_remote_config_is_estimated_for_a_cuda_host() -> None:
    config = resolved_config("meta-llama/Llama-3.1-8B", backend="runpod")
    result, estimate = check_memory(config, mac(16), {})
    assert estimate is not None
    assert (estimate["settings"]["device"], estimate["settings"]["dtype"]) == ("cuda", "bf16")
    assert estimate["parts"]["weights"] == pytest.approx(16.06, abs=0.01)  # 2 bytes, not a Mac's 4
    assert result.status == "ok"
    assert result.message.endswith("(runpod); the host's memory is checked there")
    assert result.data == {"estimate_gb": estimate["total_gb"], "device": "cuda"}


def test_sizes_are_shown_in_mb_below_a_tenth_of_a_gb() -> None:
    assert gb(14.53) == "14.5 GB"
    assert gb(0.1) == "0.1 GB"
    assert gb(0.0213) == "21 MB"
