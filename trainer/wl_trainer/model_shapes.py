"""The shape of a decoder-only transformer (Llama, Mistral, Qwen2 and kin), read from its
config.json or, when no config.json is at hand, from a small table of well-known models.

The shape is all the memory estimate needs: parameter counts follow from it exactly.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any


class ShapeUnknownError(Exception):
    """The model's shape cannot be known here; the message says why."""


@dataclass(frozen=True)
class ModelShape:
    """Sizes of a Llama-style decoder: attention with grouped KV heads and a gated MLP."""

    hidden: int
    intermediate: int
    layers: int
    heads: int
    kv_heads: int
    head_dim: int
    vocab: int
    tied_embeddings: bool
    qkv_bias: bool = False
    """q/k/v projections carry a bias (Qwen2; Llama with attention_bias)."""
    o_bias: bool = False
    """o_proj carries a bias (Llama with attention_bias)."""
    mlp_bias: bool = False
    """gate/up/down projections carry a bias (Llama with mlp_bias)."""

    def linear_shapes(self) -> dict[str, tuple[int, int]]:
        """(in_features, out_features) of each projection in one decoder layer."""
        q, kv, h, i = (
            self.heads * self.head_dim,
            self.kv_heads * self.head_dim,
            self.hidden,
            self.intermediate,
        )
        return {
            "q_proj": (h, q),
            "k_proj": (h, kv),
            "v_proj": (h, kv),
            "o_proj": (q, h),
            "gate_proj": (h, i),
            "up_proj": (h, i),
            "down_proj": (i, h),
        }

    def bias_sizes(self) -> dict[str, int]:
        """Bias length of each projection that has one."""
        flags = {"q_proj": self.qkv_bias, "k_proj": self.qkv_bias, "v_proj": self.qkv_bias}
        flags |= {"o_proj": self.o_bias} | dict.fromkeys(
            ("gate_proj", "up_proj", "down_proj"), self.mlp_bias
        )
        return {name: out for name, (_, out) in self.linear_shapes().items() if flags[name]}

    def linear_params(self) -> int:
        """Weights of all decoder-layer projections (what 4-bit quantization shrinks)."""
        return self.layers * sum(i * o for i, o in self.linear_shapes().values())

    def other_params(self) -> int:
        """Embeddings, lm_head (unless tied), RMSNorm weights and biases."""
        embeddings = self.vocab * self.hidden * (1 if self.tied_embeddings else 2)
        norms = (2 * self.layers + 1) * self.hidden
        return embeddings + norms + self.layers * sum(self.bias_sizes().values())

    def params(self) -> int:
        """All parameters, counting tied embeddings once (as ``model.parameters()`` does)."""
        return self.linear_params() + self.other_params()


# Public architecture numbers from each model's config.json on the Hugging Face hub; instruct
# variants share their base model's shape. Columns: hidden, intermediate, layers, heads, kv_heads,
# head_dim, vocab, tied embeddings, q/k/v bias.
_TABLE: dict[str, tuple[int, int, int, int, int, int, int, bool, bool]] = {
    "mistral-7b-v0.3": (4096, 14336, 32, 32, 8, 128, 32768, False, False),
    "llama-3.1-8b": (4096, 14336, 32, 32, 8, 128, 128256, False, False),
    "llama-3.2-1b": (2048, 8192, 16, 32, 8, 64, 128256, True, False),
    "llama-3.2-3b": (3072, 8192, 28, 24, 8, 128, 128256, True, False),
    "qwen2.5-0.5b": (896, 4864, 24, 14, 2, 64, 151936, True, True),
    "qwen2.5-1.5b": (1536, 8960, 28, 12, 2, 128, 151936, True, True),
    "qwen2.5-7b": (3584, 18944, 28, 28, 4, 128, 152064, False, True),
}
KNOWN_SHAPES: dict[str, ModelShape] = {name: ModelShape(*row) for name, row in _TABLE.items()}


def table_key(model_id: str) -> str:
    """``meta-llama/Meta-Llama-3.1-8B-Instruct`` → ``llama-3.1-8b``."""
    name = model_id.rstrip("/").rsplit("/", 1)[-1].lower()
    name = re.sub(r"^meta-", "", name)
    return name.replace("-instruct", "")


def known_shape(model_id: str) -> ModelShape | None:
    """The table's shape for a hub id, or None when the model is not in the table."""
    return KNOWN_SHAPES.get(table_key(model_id))


def shape_from_config(config: dict[str, Any]) -> ModelShape:
    """The shape described by a transformers config.json (its text_config for multimodal ones)."""
    text = config.get("text_config") or config
    if any(key in text for key in ("num_experts", "num_local_experts", "n_routed_experts")):
        raise ShapeUnknownError("mixture-of-experts models are not covered by the estimate")
    required = (
        "hidden_size",
        "intermediate_size",
        "num_hidden_layers",
        "num_attention_heads",
        "vocab_size",
    )
    absent = [key for key in required if not isinstance(text.get(key), int)]
    if absent:
        raise ShapeUnknownError(f"config.json lacks {', '.join(absent)}")
    heads = text["num_attention_heads"]
    model_type = str(text.get("model_type", config.get("model_type", "")))
    attention_bias = bool(text.get("attention_bias", False))
    return ModelShape(
        hidden=text["hidden_size"],
        intermediate=text["intermediate_size"],
        layers=text["num_hidden_layers"],
        heads=heads,
        kv_heads=text.get("num_key_value_heads") or heads,
        head_dim=text.get("head_dim") or text["hidden_size"] // heads,
        vocab=text["vocab_size"],
        # transformers' Llama, Mistral and Qwen2 configs default to untied embeddings.
        tied_embeddings=bool(
            config.get("tie_word_embeddings", text.get("tie_word_embeddings", False))
        ),
        qkv_bias=model_type == "qwen2" or attention_bias,
        o_bias=attention_bias,
        mlp_bias=bool(text.get("mlp_bias", False)),
    )


def shape_from_file(config_json: Path) -> ModelShape:
    """The shape from a config.json file."""
    try:
        config = json.loads(config_json.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise ShapeUnknownError(f"cannot read {config_json}: {error}") from error
    if not isinstance(config, dict):
        raise ShapeUnknownError(f"{config_json} is not a JSON object")
    return shape_from_config(config)
