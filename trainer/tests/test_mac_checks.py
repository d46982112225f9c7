"""The Mac checks (Apple Silicon, Python, MPS, unified memory), on Macs described by facts."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from tests.machines import CPU_BOX, GIB, H100_HOST, mac
from wl_trainer.accelerator import AcceleratorFacts
from wl_trainer.checks.mac import check_mac
from wl_trainer.checks.result import CheckResult


def apple_mac(gb: float, **facts: Any) -> AcceleratorFacts:
    """An M4 Pro Mac sold as ``gb`` GB (Apple's GB are GiB) with MPS and bf16."""
    return replace(mac(64), cpu_name="Apple M4 Pro", ram_bytes=int(gb * GIB), **facts)


def config(device: str = "auto", backend: str = "local") -> dict[str, Any]:
    """The parts of a resolved config the Mac checks read."""
    return {"training": {"device": device}, "compute": {"backend": backend}}


def by_name(checks: list[CheckResult]) -> dict[str, CheckResult]:
    return {check.name: check for check in checks}


def test_a_good_mac_passes_every_check_with_its_facts() -> None:
    checks = check_mac(config(), apple_mac(36))
    assert [(c.name, c.status, c.message) for c in checks] == [
        ("apple_silicon", "ok", "Apple Silicon: Apple M4 Pro (arm64)"),
        ("python", "ok", "Python 3.11 (3.10+ needed)"),
        ("mps", "ok", "MPS available (bf16)"),
        ("unified_memory", "ok", "36 GB of unified memory (32 GB recommended)"),
    ]
    data = {c.name: c.data for c in checks}
    assert data == {
        "apple_silicon": {"chip": "Apple M4 Pro", "machine": "arm64", "rosetta": False},
        "python": {"version": "3.11", "minimum": "3.10"},
        "mps": {"available": True, "bf16": True},
        "unified_memory": {"memory_gb": 36.0, "minimum_gb": 16, "recommended_gb": 32},
    }


@pytest.mark.parametrize(
    ("gb", "status", "message"),
    [
        (8, "fail", "8 GB of unified memory is too little to train on (at least 16 GB)"),
        (15.9, "fail", "15.9 GB of unified memory is too little to train on (at least 16 GB)"),
        (
            16,
            "warn",
            "16 GB of unified memory: enough for small models (up to ≈3B); 32 GB recommended",
        ),
        (
            24,
            "warn",
            "24 GB of unified memory: enough for small models (up to ≈3B); 32 GB recommended",
        ),
        (32, "ok", "32 GB of unified memory (32 GB recommended)"),
        (36, "ok", "36 GB of unified memory (32 GB recommended)"),
        (64, "ok", "64 GB of unified memory (32 GB recommended)"),
    ],
)
def test_unified_memory_thresholds(gb: float, status: str, message: str) -> None:
    memory = by_name(check_mac(config(), apple_mac(gb)))["unified_memory"]
    assert (memory.status, memory.message) == (status, message)
    assert memory.data is not None and memory.data["memory_gb"] == round(gb, 1)
    if status == "fail":
        assert memory.fix == "train on a CUDA host instead (compute.backend: runpod or ssh)"
    if status == "warn":
        assert memory.fix is not None and "a Mac with 32 GB or more" in memory.fix
        assert "configs/m4.yaml" in memory.fix


def test_a_16_gb_mac_is_16_gb_as_apple_counts_it() -> None:
    # A "16 GB" Mac reports 17,179,869,184 bytes: 17.2 decimal GB, but the box says 16.
    memory = by_name(check_mac(config(), apple_mac(16)))["unified_memory"]
    assert memory.message.startswith("16 GB of unified memory")


def test_an_intel_mac_fails_on_the_chip_alone() -> None:
    checks = check_mac(config(), mac(64, apple_silicon=False))
    assert len(checks) == 1
    (chip,) = checks
    assert (chip.name, chip.status) == ("apple_silicon", "fail")
    assert chip.message == (
        "this Mac has an Intel CPU (x86_64): training on a Mac needs Apple Silicon (M1 or later)"
    )
    assert chip.fix == "train on a CUDA host instead (compute.backend: runpod or ssh)"


def test_a_python_under_rosetta_is_named_with_the_way_out() -> None:
    rosetta = apple_mac(36, machine="x86_64", translated=True, mps_available=False)
    (chip,) = check_mac(config(), rosetta)
    assert (chip.name, chip.status) == ("apple_silicon", "fail")
    assert "Rosetta 2" in chip.message
    assert chip.fix is not None
    assert "arm64 Python 3.10+" in chip.fix and "WL_PYTHON" in chip.fix
    assert chip.data == {"chip": "Apple M4 Pro", "machine": "x86_64", "rosetta": True}


def test_a_mac_without_mps_fails_naming_macos_and_an_arm64_python() -> None:
    mps = by_name(check_mac(config(), apple_mac(36, mps_available=False, mps_bf16=False)))["mps"]
    assert (mps.status, mps.message) == (
        "fail",
        "torch cannot use the Apple GPU (MPS is not available)",
    )
    assert mps.fix is not None
    assert "macOS 12.3 or newer" in mps.fix and "arm64 Python with an arm64 torch" in mps.fix
    assert mps.data == {"available": False, "bf16": False}


def test_mps_without_bf16_is_fine_and_says_so() -> None:
    mps = by_name(check_mac(config(), apple_mac(36, mps_bf16=False)))["mps"]
    assert (mps.status, mps.message) == (
        "ok",
        "MPS available (no bf16 on this macOS: fp16 or fp32)",
    )


def test_a_mac_told_to_train_on_its_cpu_is_not_asked_for_mps() -> None:
    names = [c.name for c in check_mac(config("cpu"), apple_mac(36, mps_available=False))]
    assert names == ["apple_silicon", "python", "unified_memory"]


@pytest.mark.parametrize(("python", "status"), [((3, 9), "fail"), ((3, 10), "ok"), ((3, 13), "ok")])
def test_python_version(python: tuple[int, int], status: str) -> None:
    check = by_name(check_mac(config(), apple_mac(36, python=python)))["python"]
    assert check.status == status
    if status == "fail":
        assert check.message == "Python 3.9 is too old: the trainer needs 3.10+"
        assert check.fix is not None and "arm64 Python 3.10+" in check.fix


@pytest.mark.parametrize("facts", [CPU_BOX, H100_HOST])
def test_other_machines_have_no_mac_checks(facts: AcceleratorFacts) -> None:
    assert check_mac(config(), facts) == []


def test_a_mac_that_sends_the_run_to_a_gpu_host_is_not_judged() -> None:
    assert check_mac(config(backend="runpod"), apple_mac(8)) == []
    assert check_mac(config(backend="ssh"), apple_mac(8)) == []


def test_a_mac_that_is_the_ssh_host_for_an_mps_run_is_judged() -> None:
    checks = check_mac(config(device="mps", backend="ssh"), apple_mac(8))
    assert by_name(checks)["unified_memory"].status == "fail"
