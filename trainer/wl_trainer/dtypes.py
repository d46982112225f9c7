"""Which dtype training uses: ``model.dtype: auto`` picks bf16 where the device supports it, else
fp16 on CUDA and fp32 elsewhere (fp16 training without a GradScaler is not safe on MPS or CPU)."""

from __future__ import annotations

from typing import Literal

DeviceKind = Literal["cuda", "mps", "cpu"]
Dtype = Literal["bf16", "fp16", "fp32"]
BYTES: dict[Dtype, int] = {"bf16": 2, "fp16": 2, "fp32": 4}
EXPLICIT: dict[str, Dtype] = {"bf16": "bf16", "fp16": "fp16", "fp32": "fp32"}


def training_dtype(requested: str, device: DeviceKind, bf16_supported: bool) -> Dtype:
    """The dtype weights and activations will have on ``device``."""
    if requested in EXPLICIT:
        return EXPLICIT[requested]
    if bf16_supported:
        return "bf16"
    return "fp16" if device == "cuda" else "fp32"
