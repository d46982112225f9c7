"""How much memory a LoRA/QLoRA training run needs, from the model's shape and the config.

All sizes are decimal GB (1e9 bytes). Notation: b = micro_batch_size, s = max_seq_length,
L = layers, h = hidden, i = intermediate, q = heads·head_dim, kv = kv_heads·head_dim,
V = vocab, a = bytes per activation (2 for bf16/fp16, 4 for fp32), r = LoRA rank.

- weights: every parameter at the training dtype; with ``quantization: 4bit`` the decoder
  projections take ≈4.5 bits each (NF4 plus its quantization constants) while embeddings,
  lm_head and norms stay at the compute dtype (16-bit in practice).
- lora, gradients, optimizer: adapters are trained in fp32, so each trainable parameter costs
  4 (weight) + 4 (gradient) + 8 (AdamW's two moments) = 16 bytes.
- activations (SDPA/flash attention, so no s² attention matrix), per layer and token:
  a·(4h + 3q + 3kv + 4i + r·m) — two norm inputs and outputs, q/k/v before and after RoPE,
  the attention output, the MLP's gate, up, activation and product, and the m LoRA
  bottlenecks — plus (a + 1)·D for LoRA dropout's copy and mask of its inputs when dropout > 0
  (D = the summed in_features of the adapted projections). Without checkpointing all L layers
  keep theirs: b·s·L·(per layer). With gradient checkpointing only each layer's input is kept
  and one layer is recomputed at a time: b·s·(L·a·h + per layer). Both add b·s·2h·a for the
  final norm and the lm_head input.
- logits: b·s·V·4·2 — fp32 logits and their gradient.
- overhead: the CUDA context (≈1 GB, CUDA only) plus 10 % of everything else for allocator
  fragmentation and temporary buffers.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from wl_trainer.dtypes import BYTES, DeviceKind, Dtype
from wl_trainer.model_shapes import ModelShape

GB = 1e9
NF4_BITS_PER_PARAM = 4.5
FP32_TRAINABLE_BYTES = 4  # adapter weight; its gradient is 4 more and AdamW's moments 8 more
CUDA_CONTEXT_GB = 1.0
OVERHEAD_FRACTION = 0.10
ALL_LINEAR = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")


@dataclass(frozen=True)
class TrainingSettings:
    """The config values the estimate depends on, with the dtype already resolved."""

    micro_batch_size: int
    max_seq_length: int
    gradient_checkpointing: bool
    dtype: Dtype
    quantization: str
    lora_r: int
    target_modules: tuple[str, ...]
    lora_dropout: float
    lora_bias: str
    device: DeviceKind


def settings_from_config(
    config: dict[str, Any], device: DeviceKind, dtype: Dtype
) -> TrainingSettings:
    """The estimate's inputs from a resolved config."""
    lora, training = config["lora"], config["training"]
    targets = lora["target_modules"]
    return TrainingSettings(
        micro_batch_size=training["micro_batch_size"],
        max_seq_length=config["data"]["max_seq_length"],
        gradient_checkpointing=training["gradient_checkpointing"],
        dtype=dtype,
        quantization=config["model"]["quantization"],
        lora_r=lora["r"],
        target_modules=ALL_LINEAR if targets == "all-linear" else tuple(targets),
        lora_dropout=lora["dropout"],
        lora_bias=lora["bias"],
        device=device,
    )


def adapted_modules(shape: ModelShape, targets: tuple[str, ...]) -> dict[str, tuple[int, int]]:
    """The projections LoRA attaches to; like PEFT, a target matches a module by its last name."""
    wanted = {target.rsplit(".", 1)[-1] for target in targets}
    return {name: dims for name, dims in shape.linear_shapes().items() if name in wanted}


def trainable_params(shape: ModelShape, settings: TrainingSettings) -> int:
    """LoRA A and B matrices, plus biases when ``lora.bias`` makes them trainable."""
    modules = adapted_modules(shape, settings.target_modules)
    lora = shape.layers * sum(settings.lora_r * (i + o) for i, o in modules.values())
    biases = shape.bias_sizes()
    if settings.lora_bias == "all":
        lora += shape.layers * sum(biases.values())
    elif settings.lora_bias == "lora_only":
        lora += shape.layers * sum(size for name, size in biases.items() if name in modules)
    return lora


def weights_bytes(shape: ModelShape, settings: TrainingSettings) -> float:
    """The frozen base model in memory."""
    if settings.quantization == "4bit":
        unquantized = shape.other_params() * BYTES[settings.dtype]
        return shape.linear_params() * NF4_BITS_PER_PARAM / 8 + unquantized
    return float(shape.params() * BYTES[settings.dtype])


def activation_bytes(shape: ModelShape, settings: TrainingSettings) -> float:
    """Saved activations for one micro-batch (formula in the module docstring)."""
    a = BYTES[settings.dtype]
    h, i = shape.hidden, shape.intermediate
    q, kv = shape.heads * shape.head_dim, shape.kv_heads * shape.head_dim
    modules = adapted_modules(shape, settings.target_modules)
    per_token = a * (4 * h + 3 * q + 3 * kv + 4 * i + settings.lora_r * len(modules))
    if settings.lora_dropout > 0:
        per_token += (a + 1) * sum(in_features for in_features, _ in modules.values())
    tokens = settings.micro_batch_size * settings.max_seq_length
    if settings.gradient_checkpointing:
        layers = shape.layers * a * h + per_token
    else:
        layers = shape.layers * per_token
    return float(tokens * (layers + 2 * h * a))


def estimate_memory(shape: ModelShape, source: str, settings: TrainingSettings) -> dict[str, Any]:
    """The estimate: total and parts in GB, parameter counts, the shape and its source."""
    lora = trainable_params(shape, settings)
    tokens = settings.micro_batch_size * settings.max_seq_length
    parts = {
        "weights": weights_bytes(shape, settings) / GB,
        "lora": lora * FP32_TRAINABLE_BYTES / GB,
        "gradients": lora * FP32_TRAINABLE_BYTES / GB,
        "optimizer": lora * 2 * FP32_TRAINABLE_BYTES / GB,
        "activations": activation_bytes(shape, settings) / GB,
        "logits": tokens * shape.vocab * 4 * 2 / GB,
    }
    context = CUDA_CONTEXT_GB if settings.device == "cuda" else 0.0
    parts["overhead"] = context + OVERHEAD_FRACTION * sum(parts.values())
    return {
        "total_gb": round(sum(parts.values()), 3),
        "parts": {name: round(value, 3) for name, value in parts.items()},
        "model_params": shape.params(),
        "lora_params": lora,
        "shape": asdict(shape),
        "source": source,
        "settings": {**asdict(settings), "target_modules": list(settings.target_modules)},
    }
