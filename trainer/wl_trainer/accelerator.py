"""What this machine trains on: CUDA GPUs, Apple's MPS, or the CPU.

Probing (``probe_facts``) is kept apart from describing (``describe_accelerator``) so tests can
hand in the facts of an H100 host or a 16 GB Mac without having one::

    facts = probe_facts()
    describe_accelerator(facts)   # {"kind": "cuda", "name": "NVIDIA H100 80GB HBM3", ...}
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil

from wl_trainer.dtypes import DeviceKind

GB = 1e9


@dataclass(frozen=True)
class CudaDevice:
    """One CUDA GPU."""

    name: str
    memory_bytes: int
    capability: tuple[int, int]


@dataclass(frozen=True)
class AcceleratorFacts:
    """Everything the accelerator and memory checks need to know about the machine."""

    system: str
    """platform.system(): Linux, Darwin, Windows."""
    machine: str
    """platform.machine(): x86_64, arm64, aarch64."""
    python: tuple[int, int]
    cpu_name: str
    cpu_cores: int
    ram_bytes: int
    cuda_devices: tuple[CudaDevice, ...] = ()
    mps_available: bool = False
    mps_bf16: bool = False
    """MPS computes in bf16 (macOS 14+ with a recent torch)."""
    translated: bool = False
    """This Python is an x86_64 build running under Rosetta 2 on Apple Silicon (``machine`` then
    says x86_64 although the chip is Apple's)."""


def best_device(facts: AcceleratorFacts) -> DeviceKind:
    """The device ``training.device: auto`` picks: CUDA, then MPS, then CPU."""
    if facts.cuda_devices:
        return "cuda"
    return "mps" if facts.mps_available else "cpu"


def device_available(kind: str, facts: AcceleratorFacts) -> bool:
    """Whether this machine has a device of ``kind``."""
    return {"cuda": bool(facts.cuda_devices), "mps": facts.mps_available, "cpu": True}.get(
        kind, False
    )


def resolve_device(requested: str, facts: AcceleratorFacts) -> DeviceKind:
    """The device a run with ``training.device: requested`` uses (auto → best available)."""
    if requested == "cuda":
        return "cuda"
    if requested == "mps":
        return "mps"
    if requested == "cpu":
        return "cpu"
    return best_device(facts)


def device_memory_gb(kind: DeviceKind, facts: AcceleratorFacts) -> float:
    """Memory the device can use: the first GPU's VRAM on CUDA, system RAM otherwise (MPS
    shares the unified memory with the CPU)."""
    if kind == "cuda" and facts.cuda_devices:
        return facts.cuda_devices[0].memory_bytes / GB
    return facts.ram_bytes / GB


def supports_bf16(kind: DeviceKind, facts: AcceleratorFacts) -> bool:
    """bf16 training: CUDA compute capability 8.0+ (Ampere), MPS where torch allows it. The CPU
    counts as no: bf16 runs there but is emulated on most CPUs, so auto picks fp32."""
    if kind == "cuda":
        return bool(facts.cuda_devices) and facts.cuda_devices[0].capability >= (8, 0)
    if kind == "mps":
        return facts.mps_bf16
    return False


def describe_accelerator(facts: AcceleratorFacts, kind: DeviceKind | None = None) -> dict[str, Any]:
    """The ``accelerator`` object of ``check``'s report, for ``kind`` or the best device."""
    kind = kind or best_device(facts)
    cuda = facts.cuda_devices[0] if kind == "cuda" and facts.cuda_devices else None
    return {
        "kind": kind,
        "name": cuda.name if cuda else facts.cpu_name,
        "memory_gb": round(device_memory_gb(kind, facts), 2),
        "compute_capability": f"{cuda.capability[0]}.{cuda.capability[1]}" if cuda else None,
        "bf16": supports_bf16(kind, facts),
        "count": len(facts.cuda_devices) if kind == "cuda" else 1,
        "cpu_cores": facts.cpu_cores,
        "ram_gb": round(facts.ram_bytes / GB, 2),
    }


def probe_facts() -> AcceleratorFacts:
    """Ask torch, psutil and the OS about this machine."""
    import torch  # imported here: a slow import that only this probe needs

    cuda = tuple(probe_cuda(torch)) if torch.cuda.is_available() else ()
    mps = bool(getattr(torch.backends, "mps", None) and torch.backends.mps.is_available())
    return AcceleratorFacts(
        system=platform.system(),
        machine=platform.machine(),
        python=(sys.version_info.major, sys.version_info.minor),
        cpu_name=cpu_name(),
        cpu_cores=usable_cores(),
        ram_bytes=int(psutil.virtual_memory().total),
        cuda_devices=cuda,
        mps_available=mps,
        mps_bf16=mps and probe_mps_bf16(torch),
        translated=platform.system() == "Darwin" and sysctl("sysctl.proc_translated") == "1",
    )


def probe_cuda(torch: Any) -> list[CudaDevice]:
    """Name, VRAM and compute capability of each visible CUDA GPU."""
    devices = []
    for index in range(torch.cuda.device_count()):
        props = torch.cuda.get_device_properties(index)
        devices.append(CudaDevice(props.name, int(props.total_memory), (props.major, props.minor)))
    return devices


def probe_mps_bf16(torch: Any) -> bool:
    """Whether MPS accepts a bf16 tensor (older macOS or torch refuse)."""
    try:
        torch.ones(1, dtype=torch.bfloat16, device="mps")
    except (RuntimeError, TypeError):
        return False
    return True


def usable_cores() -> int:
    """CPU cores this process may run on (respects container and affinity limits)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def cpu_name() -> str:
    """A readable CPU name: /proc/cpuinfo on Linux, sysctl on macOS, else platform's guess."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.lower().startswith(("model name", "hardware")):
                return line.split(":", 1)[1].strip()
    if platform.system() == "Darwin":
        brand = sysctl("machdep.cpu.brand_string")  # "Apple M4 Pro" on Apple Silicon
        if brand:
            return brand
    return platform.processor() or platform.machine() or "unknown CPU"


def sysctl(name: str) -> str | None:
    """A macOS sysctl value, or None where it does not exist (or this is not macOS)."""
    try:
        result = subprocess.run(
            ["sysctl", "-n", name], capture_output=True, text=True, timeout=5, check=True
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip()
