"""Apple Silicon chips by memory bandwidth: the per-chip factor of the Mac time estimate.

Bandwidth is the figure Apple publishes for every chip (its tech specs pages), and it is what
the two published mlx-lm training anchors scale with: ≈475 tok/s on an M2 Ultra and ≈250 on an
M1 Max is a ratio of 1.9, their bandwidths (800 and 400 GB/s) a ratio of 2.0. GPU core counts
would predict 1.9 or 2.4 depending on which M2 Ultra (60 or 76 cores) was measured, so they are
not used. The table covers M1 to M4; a chip it does not know gets no Mac estimate::

    apple_chip("Apple M4 Pro", cpu_cores=14)   # AppleChip(name="M4 Pro", bandwidth_gb_s=273.0)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# GB/s of unified memory bandwidth, from Apple's tech specs. M3 Max and M4 Max come in two
# bins that differ in bandwidth; the CPU core count tells them apart (14 or 16 cores).
BANDWIDTH_GB_S: dict[str, float] = {
    "M1": 68.25,
    "M1 Pro": 200,
    "M1 Max": 400,
    "M1 Ultra": 800,
    "M2": 100,
    "M2 Pro": 200,
    "M2 Max": 400,
    "M2 Ultra": 800,
    "M3": 100,
    "M3 Pro": 150,
    "M3 Ultra": 819,
    "M4": 120,
    "M4 Pro": 273,
}
# name → (bandwidth of the 14-core CPU bin, bandwidth of the 16-core CPU bin)
BINNED_BANDWIDTH_GB_S: dict[str, tuple[float, float]] = {
    "M3 Max": (300, 400),  # 30-core GPU / 40-core GPU
    "M4 Max": (410, 546),  # 32-core GPU / 40-core GPU
}
FULL_BIN_CPU_CORES = 16
CHIP_NAME = re.compile(r"\bApple (M\d+(?: (?:Pro|Max|Ultra))?)\b")


@dataclass(frozen=True)
class AppleChip:
    """An Apple Silicon chip the estimate knows."""

    name: str
    """``M4 Pro``."""
    bandwidth_gb_s: float


def chip_name(cpu_name: str) -> str | None:
    """``Apple M4 Pro`` (macOS's machdep.cpu.brand_string) → ``M4 Pro``; None for other CPUs."""
    match = CHIP_NAME.search(cpu_name)
    return match.group(1) if match else None


def apple_chip(cpu_name: str, cpu_cores: int) -> AppleChip | None:
    """The chip behind ``cpu_name`` with its bandwidth, or None when the table lacks it."""
    name = chip_name(cpu_name)
    if name is None:
        return None
    if name in BANDWIDTH_GB_S:
        return AppleChip(name, BANDWIDTH_GB_S[name])
    if name in BINNED_BANDWIDTH_GB_S:
        lower, full = BINNED_BANDWIDTH_GB_S[name]
        return AppleChip(name, full if cpu_cores >= FULL_BIN_CPU_CORES else lower)
    return None
