"""The checks a Mac that trains here must pass, one result each: ``apple_silicon`` (arm64, not an
Intel Mac or an x86_64 Python under Rosetta), ``python`` (3.10+), ``mps`` (torch can use the
Apple GPU) and ``unified_memory`` (under 16 GB fails, under 32 GB warns).

Apple counts unified memory in GiB and calls it GB: a "16 GB" Mac reports 17,179,869,184 bytes.
The thresholds and messages use Apple's unit, so a user reads the number on their Mac's box.
"""

from __future__ import annotations

from typing import Any

from wl_trainer.accelerator import AcceleratorFacts
from wl_trainer.checks.result import CheckResult
from wl_trainer.checks.target import training_target

APPLE_GB = 2**30
# The M4 set-up's floor and recommendation (macOS and open apps live in the same memory); the
# memory check judges the model itself against what is there.
MAC_MIN_MEMORY_GB = 16
MAC_RECOMMENDED_MEMORY_GB = 32
MIN_PYTHON = (3, 10)
REMOTE_FIX = "train on a CUDA host instead (compute.backend: runpod or ssh)"
ARM64_PYTHON_FIX = (
    "install an arm64 Python 3.10+ (python.org's macOS installer, or Homebrew's in /opt/homebrew), "
    "delete trainer/.venv and run ./scripts/setup with WL_PYTHON set to that python"
)


def check_mac(config: dict[str, Any], facts: AcceleratorFacts) -> list[CheckResult]:
    """The Mac checks when this Mac trains the config; none on other machines or remote runs."""
    if facts.system != "Darwin" or not training_target(config, facts).here:
        return []
    chip = check_apple_silicon(facts)
    if chip.status != "ok":
        return [chip]  # nothing else matters until the chip (or the Python build) changes
    checks = [chip, check_python(facts)]
    if config["training"]["device"] != "cpu":
        checks.append(check_mps(facts))
    checks.append(check_unified_memory(facts))
    return checks


def apple_silicon(facts: AcceleratorFacts) -> bool:
    """A Mac with an M-series chip, seen by a native arm64 Python."""
    return facts.system == "Darwin" and facts.machine == "arm64" and not facts.translated


def check_apple_silicon(facts: AcceleratorFacts) -> CheckResult:
    """M1 or later, seen by a native arm64 Python."""
    data = {"chip": facts.cpu_name, "machine": facts.machine, "rosetta": facts.translated}
    if facts.translated:
        return CheckResult(
            "apple_silicon",
            "fail",
            "this Python is an x86_64 build running under Rosetta 2: torch cannot use the Apple "
            "GPU from it",
            ARM64_PYTHON_FIX,
            data,
        )
    if facts.machine != "arm64":
        return CheckResult(
            "apple_silicon",
            "fail",
            f"this Mac has an Intel CPU ({facts.machine}): training on a Mac needs Apple Silicon "
            "(M1 or later)",
            REMOTE_FIX,
            data,
        )
    return CheckResult("apple_silicon", "ok", f"Apple Silicon: {facts.cpu_name} (arm64)", data=data)


def check_python(facts: AcceleratorFacts) -> CheckResult:
    """Python 3.10 or newer (macOS's own python3 is 3.9)."""
    version = f"{facts.python[0]}.{facts.python[1]}"
    needed = f"{MIN_PYTHON[0]}.{MIN_PYTHON[1]}"
    data = {"version": version, "minimum": needed}
    if facts.python < MIN_PYTHON:
        return CheckResult(
            "python",
            "fail",
            f"Python {version} is too old: the trainer needs {needed}+",
            ARM64_PYTHON_FIX,
            data,
        )
    return CheckResult("python", "ok", f"Python {version} ({needed}+ needed)", data=data)


def check_mps(facts: AcceleratorFacts) -> CheckResult:
    """torch sees the Apple GPU through Metal Performance Shaders."""
    data = {"available": facts.mps_available, "bf16": facts.mps_bf16}
    if not facts.mps_available:
        return CheckResult(
            "mps",
            "fail",
            "torch cannot use the Apple GPU (MPS is not available)",
            "MPS needs macOS 12.3 or newer and an arm64 Python with an arm64 torch: update macOS; "
            "if this python is not arm64, delete trainer/.venv and run ./scripts/setup with "
            "WL_PYTHON set to an arm64 Python 3.10+",
            data,
        )
    dtype = "bf16" if facts.mps_bf16 else "no bf16 on this macOS: fp16 or fp32"
    return CheckResult("mps", "ok", f"MPS available ({dtype})", data=data)


def check_unified_memory(facts: AcceleratorFacts) -> CheckResult:
    """At least 16 GB of unified memory, 32 GB recommended."""
    memory = facts.ram_bytes / APPLE_GB
    data = {
        "memory_gb": round(memory, 1),
        "minimum_gb": MAC_MIN_MEMORY_GB,
        "recommended_gb": MAC_RECOMMENDED_MEMORY_GB,
    }
    if memory < MAC_MIN_MEMORY_GB:
        return CheckResult(
            "unified_memory",
            "fail",
            f"{size(memory)} of unified memory is too little to train on "
            f"(at least {MAC_MIN_MEMORY_GB} GB)",
            REMOTE_FIX,
            data,
        )
    if memory < MAC_RECOMMENDED_MEMORY_GB:
        return CheckResult(
            "unified_memory",
            "warn",
            f"{size(memory)} of unified memory: enough for small models (up to ≈3B); "
            f"{MAC_RECOMMENDED_MEMORY_GB} GB recommended",
            f"use a 0.5B–3B model (configs/m4.yaml trains Qwen2.5-0.5B), or a Mac with "
            f"{MAC_RECOMMENDED_MEMORY_GB} GB or more",
            data,
        )
    return CheckResult(
        "unified_memory",
        "ok",
        f"{size(memory)} of unified memory ({MAC_RECOMMENDED_MEMORY_GB} GB recommended)",
        data=data,
    )


def size(memory: float) -> str:
    """``16 GB`` for the sizes Macs are sold in, ``15.9 GB`` for anything in between."""
    return f"{memory:.0f} GB" if abs(memory - round(memory)) < 0.05 else f"{memory:.1f} GB"
