"""Where a config trains, seen from the machine ``check`` runs on.

``compute.backend: local`` trains here, on ``training.device`` (auto → the best device here).
``ssh`` and ``runpod`` train on a remote host, which wl expects to be a CUDA GPU (with bf16:
every GPU type RunPod offers by default is Ampere or newer) unless ``training.device`` says
otherwise. When this machine has that device it may be the host itself, so it is checked as
such; otherwise the accelerator and memory checks are left to the host, and only the estimate
(for the remote device) is reported from here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wl_trainer.accelerator import AcceleratorFacts, device_available, resolve_device, supports_bf16
from wl_trainer.dtypes import DeviceKind


@dataclass(frozen=True)
class TrainingTarget:
    """The device training runs on and whether this machine can stand in for the host."""

    device: DeviceKind
    bf16: bool
    here: bool
    """This machine has the device, so its own accelerator and memory are what count."""
    backend: str


def training_target(config: dict[str, Any], facts: AcceleratorFacts) -> TrainingTarget:
    """The target of a resolved config."""
    backend = config["compute"]["backend"]
    requested = config["training"]["device"]
    if backend == "local":
        device = resolve_device(requested, facts)
        return TrainingTarget(device, supports_bf16(device, facts), True, backend)
    device = resolve_device(requested if requested != "auto" else "cuda", facts)
    if device_available(device, facts):
        return TrainingTarget(device, supports_bf16(device, facts), True, backend)
    return TrainingTarget(device, device == "cuda", False, backend)
