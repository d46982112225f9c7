"""How long a run takes on this Mac and on an H100: an estimate from published figures, not a
measurement (docs/TRAINING_M4.md explains it to users):

- Work per trained token (LoRA): 4·N + 6·N_lora + 12·L·q·s FLOPs, N = the weights that multiply
  (every projection and the lm_head; the input embedding is a lookup), N_lora = the adapters,
  L = layers, q = heads·head_dim, s = data.max_seq_length (with packing most rows are that
  long). It reproduces the reference's H100 figures at 100 % MFU and seq 2048: 29.5k tok/s for
  Llama-3.1-8B, 170k for Llama-3.2-1B.
- H100: 989 TFLOP/s dense bf16 peak at 35 % model-FLOPs utilization ("good setups 35 to 45 %",
  stock Hugging Face 20 to 30 %).
- Mac: mlx-lm's LoRA measured ≈475 tok/s for a 7B on an M2 Ultra and ≈250 on an M1 Max. Fitted
  through both by memory bandwidth (apple_chips.py): 0.6 tok/s per GB/s for a 7B. mlx-lm adapts
  only the last 16 of 32 layers by default, so its backward pass runs through half the model
  (≈3·N FLOPs a token, not 4·N): that turns into 0.6 · 3 · 7e9 = 12.6 GFLOP/s of training work
  per GB/s of bandwidth, divided here by the full-depth work per token above. wl trains with
  PyTorch on MPS, for which no credible figures exist and which is generally slower than MLX:
  read the Mac time as a lower bound.
- Tokens: given, or the training file's size ÷ 4 bytes a token (a rule of thumb for English; JSON
  keys and the chat template shift it either way — ``inspect`` counts exactly) times the epochs,
  capped by ``training.max_steps`` · rows a step · max_seq_length.

    estimate_time(qwen_05b, 8_798_208, 2048, 27_000_000, AppleChip("M4 Pro", 273))
    # → ≈1,345 tok/s and ≈5.6 h on the Mac, ≈135k tok/s and ≈3 min on an H100
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wl_trainer.checks.apple_chips import AppleChip
from wl_trainer.model_shapes import ModelShape

H100_PEAK_FLOPS = 989e12  # dense bf16 on an H100 SXM; the 1,979 headline counts 2:4 sparsity
H100_MFU = 0.35
# mlx-lm anchors (tok/s, GB/s): M2 Ultra (475, 800) and M1 Max (250, 400). The least-squares
# line through the origin: (475·800 + 250·400) / (800² + 400²) = 0.6 tok/s per GB/s.
MLX_TOKENS_PER_S_PER_GB_S = 0.6
MLX_ANCHOR_PARAMS = 7e9
MLX_ANCHOR_FLOPS_PER_PARAM = 3  # forward 2·N, backward through the last 16 of 32 layers ≈ 1·N
BYTES_PER_TOKEN = 4


@dataclass(frozen=True)
class TrainingTokens:
    """How many tokens a run trains on, and how that number was reached."""

    tokens: int
    basis: str
    """``3 epochs × 35.9 MB ÷ 4 bytes a token``."""


@dataclass(frozen=True)
class TimeEstimate:
    """Seconds (and tokens a second) on an H100, and on this Mac when its chip is known."""

    tokens: int
    flops_per_token: float
    h100_tokens_per_s: float
    h100_seconds: float
    chip: AppleChip | None
    mac_tokens_per_s: float | None
    mac_seconds: float | None

    def to_json(self) -> dict[str, Any]:
        """The figures for a check's data, rounded for reading."""
        mac = None
        if self.chip and self.mac_tokens_per_s and self.mac_seconds:
            mac = {
                "chip": self.chip.name,
                "bandwidth_gb_s": self.chip.bandwidth_gb_s,
                "tokens_per_s": round(self.mac_tokens_per_s),
                "seconds": round(self.mac_seconds),
            }
        return {
            "tokens": self.tokens,
            "flops_per_token": round(self.flops_per_token),
            "mac": mac,
            "h100": {
                "peak_tflops": H100_PEAK_FLOPS / 1e12,
                "mfu": H100_MFU,
                "tokens_per_s": round(self.h100_tokens_per_s),
                "seconds": round(self.h100_seconds),
            },
        }


def flops_per_token(shape: ModelShape, lora_params: int, seq_length: int) -> float:
    """Training FLOPs for one token of LoRA: 4·N + 6·N_lora + 12·L·q·s (module docstring)."""
    multiplying = shape.linear_params() + shape.vocab * shape.hidden  # projections + lm_head
    attention = 12 * shape.layers * shape.heads * shape.head_dim * seq_length
    return 4 * multiplying + 6 * lora_params + attention


def h100_tokens_per_s(flops: float) -> float:
    """Tokens a second on one H100 SXM at H100_MFU."""
    return H100_PEAK_FLOPS * H100_MFU / flops


def mac_tokens_per_s(chip: AppleChip, flops: float) -> float:
    """Tokens a second on ``chip``, scaled from the mlx-lm anchors by bandwidth and by work."""
    work_per_s = (
        MLX_TOKENS_PER_S_PER_GB_S
        * chip.bandwidth_gb_s
        * MLX_ANCHOR_FLOPS_PER_PARAM
        * MLX_ANCHOR_PARAMS
    )
    return work_per_s / flops


def estimate_time(
    shape: ModelShape, lora_params: int, seq_length: int, tokens: int, chip: AppleChip | None
) -> TimeEstimate:
    """The estimate for training ``tokens`` tokens of this model."""
    flops = flops_per_token(shape, lora_params, seq_length)
    h100 = h100_tokens_per_s(flops)
    mac = mac_tokens_per_s(chip, flops) if chip else None
    return TimeEstimate(
        tokens=tokens,
        flops_per_token=flops,
        h100_tokens_per_s=h100,
        h100_seconds=tokens / h100,
        chip=chip,
        mac_tokens_per_s=mac,
        mac_seconds=tokens / mac if mac else None,
    )


def training_tokens(config: dict[str, Any], data_bytes: int) -> TrainingTokens:
    """Tokens a run trains on from its data file's size: bytes ÷ 4, times the epochs, capped by
    training.max_steps."""
    training = config["training"]
    epochs = training["epochs"]
    tokens = round(data_bytes / BYTES_PER_TOKEN * epochs)
    basis = (
        f"{epochs:g} epoch{'' if epochs == 1 else 's'} × {file_size(data_bytes)} "
        f"÷ {BYTES_PER_TOKEN} bytes a token"
    )
    max_steps = training.get("max_steps")
    if max_steps:
        rows = training["micro_batch_size"] * training["gradient_accumulation_steps"]
        seq_length = config["data"]["max_seq_length"]
        cap = max_steps * rows * seq_length
        if cap < tokens:
            return TrainingTokens(
                cap, f"training.max_steps {max_steps} × {rows} rows × {seq_length} tokens"
            )
    return TrainingTokens(tokens, basis)


def file_size(size: int) -> str:
    """``35.9 MB``, ``424 kB``, ``1.2 GB``, ``80 bytes``."""
    for unit_size, unit in ((1e9, "GB"), (1e6, "MB")):
        if size >= unit_size:
            return f"{size / unit_size:.1f} {unit}"
    return f"{size / 1e3:.0f} kB" if size >= 1e3 else f"{size} bytes"
