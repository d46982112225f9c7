"""Loading the base model and wrapping it in a LoRA adapter, as the config says.

    loaded = load_model(config, device="cpu", dtype="fp32")
    loaded.model        # a PeftModel whose LoRA weights are the only trainable ones
    loaded.attention    # sdpa | eager | flash_attention_2: decides how packed rows are masked

The base comes from a local folder or a hub id through the Hugging Face cache. 4-bit NF4
(QLoRA) needs CUDA and bitsandbytes; the trainer's preflight refuses it elsewhere before this
runs.
"""

from __future__ import annotations

import importlib.util
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from wl_trainer.data.tokenizer import first_line
from wl_trainer.dtypes import DeviceKind, Dtype
from wl_trainer.errors import WlError

TORCH_DTYPES = {"bf16": "bfloat16", "fp16": "float16", "fp32": "float32"}


@dataclass
class LoadedModel:
    """The model being trained and the facts the loop needs about it."""

    model: Any
    attention: str
    dtype: Dtype
    device: DeviceKind
    trainable_parameters: int
    frozen_parameters: int


def attention_implementation(requested: str, device: DeviceKind, dtype: Dtype) -> str:
    """``auto`` → FlashAttention-2 on CUDA in half precision when installed, else SDPA."""
    if requested != "auto":
        return requested
    flash_ready = importlib.util.find_spec("flash_attn") is not None
    if device == "cuda" and dtype in ("bf16", "fp16") and flash_ready:
        return "flash_attention_2"
    return "sdpa"


def load_model(config: Mapping[str, Any], device: DeviceKind, dtype: Dtype) -> LoadedModel:
    """The base model on ``device`` in ``dtype`` with a fresh LoRA adapter."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # stderr carries wl's status lines only
    model_section, lora = config["model"], config["lora"]
    attention = attention_implementation(model_section["attn_implementation"], device, dtype)
    torch_dtype = getattr(torch, TORCH_DTYPES[dtype])
    kwargs: dict[str, Any] = {
        "revision": model_section.get("revision"),
        "dtype": torch_dtype,
        "attn_implementation": attention,
        "trust_remote_code": bool(model_section["trust_remote_code"]),
    }
    if model_section["quantization"] == "4bit":
        kwargs["quantization_config"] = nf4_config(torch_dtype)
        kwargs["device_map"] = {"": 0}
    try:
        base = AutoModelForCausalLM.from_pretrained(model_section["base"], **kwargs)
    except (OSError, ValueError) as error:
        raise WlError(
            "model.load",
            f"cannot load the model {model_section['base']}: {first_line(error)}",
            "pass a local model folder, or a hub id that is downloaded (HF_HUB_OFFLINE=1 "
            "forbids downloads)",
        ) from error
    if model_section["quantization"] != "4bit":
        base = base.to(device)
    base.config.use_cache = False  # the KV cache is for generation; training only pays for it

    lora_config = LoraConfig(
        r=lora["r"],
        lora_alpha=lora["alpha"],
        lora_dropout=lora["dropout"],
        target_modules=lora["target_modules"],
        bias=lora["bias"],
        use_rslora=lora["use_rslora"],
        task_type="CAUSAL_LM",
    )
    with warnings.catch_warnings():
        # peft 0.21 asks transformers 5.23 for a renamed property; the warning is noise to users.
        warnings.filterwarnings("ignore", "`is_gradient_checkpointing` is deprecated")
        model = get_peft_model(base, lora_config)
    if config["training"]["gradient_checkpointing"]:
        enable_gradient_checkpointing(model)
    trainable, frozen = parameter_count(model)
    return LoadedModel(model, attention, dtype, device, trainable, frozen)


def nf4_config(compute_dtype: Any) -> Any:
    """QLoRA's quantization: NF4 with double quantization, computing in the training dtype."""
    from transformers import BitsAndBytesConfig

    return BitsAndBytesConfig(
        load_in_4bit=True,
        bnb_4bit_quant_type="nf4",
        bnb_4bit_use_double_quant=True,
        bnb_4bit_compute_dtype=compute_dtype,
    )


def enable_gradient_checkpointing(model: Any) -> None:
    """Recompute activations in the backward pass: less memory, about 20 % slower.

    The non-reentrant variant works with frozen embeddings (no input-grad hook needed) and
    with the dropout RNG (its state is replayed on recomputation)."""
    model.get_base_model().activation_checkpointing_enable(
        activation_checkpointing_kwargs={"use_reentrant": False}
    )


def parameter_count(model: Any) -> tuple[int, int]:
    """(trainable, frozen) parameter counts."""
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    return trainable, sum(p.numel() for p in model.parameters()) - trainable
