"""Tiny random-weight models of real architectures (Llama, Qwen2, Mistral) for tests without a
GPU or a network: 2 layers, hidden 64, 4 heads (2 KV heads), intermediate 128, a locally trained
byte-level BPE tokenizer and a chat template with tools. Same seed, same weights.

    python -m wl_trainer tiny-model --arch qwen2 /tmp/tiny-qwen2 [--seed 0] [--force]

The result is a normal Hugging Face folder (config.json, model.safetensors, tokenizer files,
chat_template.jinja, generation_config.json) that AutoModelForCausalLM / AutoTokenizer load.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from wl_trainer import __version__
from wl_trainer.atomic_dir import building_dir
from wl_trainer.errors import WlError

ARCHS = ("llama", "qwen2", "mistral")
MARKER = "wl-tiny-model.json"
SIZES = {
    "hidden_size": 64,
    "intermediate_size": 128,
    "num_hidden_layers": 2,
    "num_attention_heads": 4,
    "num_key_value_heads": 2,
    "max_position_embeddings": 2048,
}
# Small Qwen2.5 checkpoints tie lm_head to the embeddings; Llama-3.1 and Mistral-7B do not.
TIED_EMBEDDINGS = {"llama": False, "qwen2": True, "mistral": False}


@dataclass(frozen=True)
class TinyModel:
    """What was built (or found) at ``path``."""

    path: Path
    arch: str
    seed: int
    params: int
    vocab: int
    eos_token: str
    reused: bool

    def to_json(self) -> dict[str, Any]:
        """The command's stdout document."""
        return {
            "path": str(self.path),
            "arch": self.arch,
            "seed": self.seed,
            "params": self.params,
            "vocab": self.vocab,
            "eos_token": self.eos_token,
            "reused": self.reused,
        }


def ensure_tiny_model(arch: str, out: Path, seed: int = 0, force: bool = False) -> TinyModel:
    """Reuse a complete tiny model at ``out`` with this arch and seed, or build one there."""
    if arch not in ARCHS:
        raise WlError(
            "tiny_model.arch", f"unknown architecture {arch!r}", f"use one of {', '.join(ARCHS)}"
        )
    out = out.absolute()
    existing = read_marker(out)
    if not force and existing is not None:
        if existing.get("arch") == arch and existing.get("seed") == seed:
            return marker_to_model(out, existing, reused=True)
        raise WlError(
            "tiny_model.exists",
            f"{out} holds a tiny {existing.get('arch')} model (seed {existing.get('seed')})",
            "pass --force to rebuild it, or choose another folder",
        )
    if not force and out.exists() and any(out.iterdir()):
        raise WlError(
            "tiny_model.exists",
            f"{out} exists and is not a tiny model built by wl",
            "choose an empty or new folder, or pass --force to replace it",
        )
    with building_dir(out) as partial:
        marker = build_into(arch, seed, partial)
    return marker_to_model(out, marker, reused=False)


def read_marker(out: Path) -> dict[str, Any] | None:
    """The marker of a completely built tiny model, or None."""
    try:
        marker = json.loads((out / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return marker if isinstance(marker, dict) else None


def marker_to_model(out: Path, marker: dict[str, Any], reused: bool) -> TinyModel:
    """A TinyModel from its marker file's contents."""
    return TinyModel(
        out,
        marker["arch"],
        marker["seed"],
        marker["params"],
        marker["vocab"],
        marker["eos_token"],
        reused,
    )


def build_into(arch: str, seed: int, folder: Path) -> dict[str, Any]:
    """Build the tokenizer and model, save both into ``folder``, and write the marker last."""
    import torch
    from transformers import GenerationConfig
    from transformers.utils import logging as hf_logging

    from wl_trainer.tiny_tokenizer import build_tokenizer

    hf_logging.disable_progress_bar()  # stderr carries wl's status lines only
    tokenizer = build_tokenizer(arch)
    config = model_config(arch, tokenizer)
    torch.manual_seed(seed)
    model = model_class(arch)(config)
    model.generation_config = GenerationConfig(
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
    )
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    marker = {
        "arch": arch,
        "seed": seed,
        "params": sum(p.numel() for p in model.parameters()),
        "vocab": len(tokenizer),
        "eos_token": tokenizer.eos_token,
        "built_by": f"wl-trainer {__version__}",
    }
    (folder / MARKER).write_text(json.dumps(marker, indent=2) + "\n", encoding="utf-8")
    return marker


def model_config(arch: str, tokenizer: Any) -> Any:
    """The transformers config of the tiny ``arch`` model, sized to the tokenizer."""
    from transformers import LlamaConfig, MistralConfig, Qwen2Config

    config_class = {"llama": LlamaConfig, "qwen2": Qwen2Config, "mistral": MistralConfig}[arch]
    return config_class(
        **SIZES,
        vocab_size=len(tokenizer),
        bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id,
        pad_token_id=tokenizer.pad_token_id,
        tie_word_embeddings=TIED_EMBEDDINGS[arch],
    )


def model_class(arch: str) -> Any:
    """The real transformers class of ``arch``."""
    from transformers import LlamaForCausalLM, MistralForCausalLM, Qwen2ForCausalLM

    return {"llama": LlamaForCausalLM, "qwen2": Qwen2ForCausalLM, "mistral": MistralForCausalLM}[
        arch
    ]
