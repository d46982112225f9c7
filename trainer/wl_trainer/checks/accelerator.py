"""The ``accelerator`` check: can this machine train this config on the device it asks for?

Fails for 4-bit quantization without CUDA (bitsandbytes needs it), for a requested device that is
absent, for flash attention or bf16 the device cannot do, and for Macs that cannot train (the Mac
checks of mac.py: Intel or Rosetta, old Python, no MPS, under 16 GB); warns that MPS and CPU
training are slow and that Macs under 32 GB are tight.
"""

from __future__ import annotations

from typing import Any

from wl_trainer.accelerator import (
    AcceleratorFacts,
    best_device,
    describe_accelerator,
    device_available,
    supports_bf16,
)
from wl_trainer.checks.mac import REMOTE_FIX, apple_silicon, check_mac
from wl_trainer.checks.result import CheckResult, Finding, combine
from wl_trainer.checks.speed import MPS_SLOW
from wl_trainer.checks.target import training_target
from wl_trainer.dtypes import DeviceKind


def check_accelerator(
    config: dict[str, Any],
    facts: AcceleratorFacts,
    packages: dict[str, str | None],
    *,
    with_mac: bool = True,
) -> CheckResult:
    """The accelerator check for a resolved config. ``with_mac=False`` leaves out what the Mac
    checks (mac.py) and the speed check report on their own, for a caller that reports those
    too (check's report); the trainer's own start-up check keeps them in."""
    target = training_target(config, facts)
    if not target.here:
        return CheckResult(
            "accelerator",
            "ok",
            f"training runs on the {target.backend} host ({target.device}), not here: "
            "its accelerator is checked there",
        )
    requested = config["training"]["device"]
    device = target.device
    findings = requested_device_findings(requested, facts)
    if not findings:
        if with_mac:
            findings += mac_findings(config, facts)
        findings += quantization_findings(config["model"]["quantization"], device, packages)
        findings += attention_findings(
            config["model"]["attn_implementation"], device, facts, packages
        )
        findings += dtype_findings(config["model"]["dtype"], device, facts)
        findings += speed_findings(device, with_mac)
    described = describe_accelerator(facts, device)
    return combine("accelerator", findings, f"training on {device}: {summary(described)}")


def summary(described: dict[str, Any]) -> str:
    """``NVIDIA H100 80GB HBM3 (85.0 GB, compute 9.0, bf16)``."""
    details = [f"{described['memory_gb']:.1f} GB"]
    if described["compute_capability"]:
        details.append(f"compute {described['compute_capability']}")
    details.append("bf16" if described["bf16"] else "no bf16")
    return f"{described['name']} ({', '.join(details)})"


def requested_device_findings(requested: str, facts: AcceleratorFacts) -> list[Finding]:
    """training.device names a device this machine does not have (an Apple Silicon Mac's missing
    MPS is the mps check's to explain)."""
    if requested == "mps" and apple_silicon(facts):
        return []
    if requested in ("cuda", "mps") and not device_available(requested, facts):
        best = best_device(facts)
        return [
            Finding(
                "fail",
                f"training.device is {requested} but this machine has no {requested.upper()}",
                f"set training.device: auto (here: {best}), or run where {requested.upper()} is",
            )
        ]
    return []


def quantization_findings(
    quantization: str, device: DeviceKind, packages: dict[str, str | None]
) -> list[Finding]:
    """QLoRA needs CUDA and bitsandbytes."""
    if quantization != "4bit":
        return []
    if device != "cuda":
        return [
            Finding(
                "fail",
                "model.quantization 4bit needs a CUDA GPU (bitsandbytes), "
                f"but training would run on {device}",
                f"set model.quantization: none, or {REMOTE_FIX}",
            )
        ]
    if packages.get("bitsandbytes") is None:
        return [
            Finding(
                "fail",
                "model.quantization 4bit needs bitsandbytes, which is not installed",
                "pip install bitsandbytes",
            )
        ]
    return []


def attention_findings(
    attention: str, device: DeviceKind, facts: AcceleratorFacts, packages: dict[str, str | None]
) -> list[Finding]:
    """flash_attention_2 needs CUDA on Ampere or newer and the flash-attn package."""
    if attention != "flash_attention_2":
        return []
    fix = "set model.attn_implementation: sdpa (or auto)"
    if device != "cuda":
        return [
            Finding(
                "fail", f"flash_attention_2 needs a CUDA GPU; training would run on {device}", fix
            )
        ]
    if facts.cuda_devices[0].capability < (8, 0):
        return [
            Finding(
                "fail", "flash_attention_2 needs compute capability 8.0+ (Ampere or newer)", fix
            )
        ]
    if packages.get("flash_attn") is None:
        return [
            Finding(
                "fail",
                "flash_attention_2 needs the flash-attn package, which is not installed",
                f"pip install flash-attn, or {fix}",
            )
        ]
    return []


def dtype_findings(dtype: str, device: DeviceKind, facts: AcceleratorFacts) -> list[Finding]:
    """An explicit bf16 on a device without bf16."""
    if dtype == "bf16" and not supports_bf16(device, facts):
        return [
            Finding(
                "fail",
                f"model.dtype is bf16 but {device} here has no bf16 support",
                "set model.dtype: auto (or fp16 on CUDA, fp32 elsewhere)",
            )
        ]
    return []


def mac_findings(config: dict[str, Any], facts: AcceleratorFacts) -> list[Finding]:
    """The Mac checks (mac.py) that did not pass, as findings of this check."""
    return [
        Finding(check.status, check.message, check.fix)
        for check in check_mac(config, facts)
        if check.status != "ok"
    ]


def speed_findings(device: DeviceKind, with_mac: bool) -> list[Finding]:
    """MPS and CPU work, slowly (on MPS the speed check says how slowly, when it is reported)."""
    if device == "mps" and with_mac:
        return [Finding("warn", MPS_SLOW, f"for long runs, {REMOTE_FIX}")]
    if device == "cpu":
        return [
            Finding(
                "warn",
                "training on CPU is very slow: use it for smoke tests with tiny models",
                REMOTE_FIX,
            )
        ]
    return []
