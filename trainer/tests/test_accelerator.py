"""The accelerator report and check, on machines described by facts rather than owned."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from tests.machines import CPU_BOX, GIB, H100_HOST, RTX_4090_HOST, T4_HOST, mac
from wl_trainer.accelerator import (
    AcceleratorFacts,
    describe_accelerator,
    probe_facts,
    resolve_device,
)
from wl_trainer.checks.accelerator import check_accelerator
from wl_trainer.dtypes import training_dtype

ALL_PACKAGES: dict[str, str | None] = {"bitsandbytes": "0.45.0", "flash_attn": "2.7.0"}
NO_EXTRAS: dict[str, str | None] = {"bitsandbytes": None, "flash_attn": None}


def apple_mac(gb: int) -> AcceleratorFacts:
    """An Apple Silicon Mac sold as ``gb`` GB: Apple's GB are GiB."""
    return replace(mac(64), ram_bytes=gb * GIB)


def config(**model_and_training: Any) -> dict[str, Any]:
    """A resolved config's model and training sections with overrides."""
    model = {"quantization": "none", "attn_implementation": "auto", "dtype": "auto"}
    training = {"device": "auto"}
    for key, value in model_and_training.items():
        (training if key == "device" else model)[key] = value
    return {"model": model, "training": training, "compute": {"backend": "local"}}


def test_cuda_host_description() -> None:
    assert describe_accelerator(H100_HOST) == {
        "kind": "cuda",
        "name": "NVIDIA H100 80GB HBM3",
        "memory_gb": 85.52,
        "compute_capability": "9.0",
        "bf16": True,
        "count": 2,
        "cpu_cores": 16,
        "ram_gb": 256.0,
    }


def test_pre_ampere_gpus_have_no_bf16() -> None:
    described = describe_accelerator(T4_HOST)
    assert (described["compute_capability"], described["bf16"]) == ("7.5", False)


def test_mac_uses_unified_memory() -> None:
    described = describe_accelerator(mac(36))
    assert described["kind"] == "mps"
    assert described["memory_gb"] == described["ram_gb"] == 36.0
    assert described["compute_capability"] is None
    assert described["bf16"] is True


def test_cpu_box() -> None:
    described = describe_accelerator(CPU_BOX)
    assert (described["kind"], described["count"], described["memory_gb"], described["bf16"]) == (
        "cpu",
        1,
        32.0,
        False,
    )


def test_probe_on_this_machine_agrees_with_torch() -> None:
    import torch

    facts = probe_facts()
    assert bool(facts.cuda_devices) == torch.cuda.is_available()
    assert facts.cpu_cores >= 1
    assert facts.ram_bytes > 1e8


@pytest.mark.parametrize(
    ("facts", "requested", "device"),
    [
        (H100_HOST, "auto", "cuda"),
        (mac(32), "auto", "mps"),
        (CPU_BOX, "auto", "cpu"),
        (H100_HOST, "cpu", "cpu"),
    ],
)
def test_device_resolution(facts: AcceleratorFacts, requested: str, device: str) -> None:
    assert resolve_device(requested, facts) == device


@pytest.mark.parametrize(
    ("requested", "device", "bf16", "dtype"),
    [
        ("auto", "cuda", True, "bf16"),
        ("auto", "cuda", False, "fp16"),
        ("auto", "mps", False, "fp32"),
        ("auto", "cpu", False, "fp32"),
        ("fp16", "cpu", False, "fp16"),
    ],
)
def test_training_dtype(requested: str, device: str, bf16: bool, dtype: str) -> None:
    assert training_dtype(requested, device, bf16) == dtype  # type: ignore[arg-type]


def test_cuda_host_is_ok() -> None:
    result = check_accelerator(config(), H100_HOST, NO_EXTRAS)
    assert result.status == "ok"
    assert result.message == "training on cuda: NVIDIA H100 80GB HBM3 (85.5 GB, compute 9.0, bf16)"


@pytest.mark.parametrize("facts", [CPU_BOX, mac(64)])
def test_4bit_without_cuda_fails_naming_the_fix(facts: AcceleratorFacts) -> None:
    result = check_accelerator(config(quantization="4bit"), facts, ALL_PACKAGES)
    assert result.status == "fail"
    assert "4bit needs a CUDA GPU" in result.message
    assert result.fix is not None and "model.quantization: none" in result.fix


def test_4bit_on_cuda_needs_bitsandbytes() -> None:
    assert check_accelerator(config(quantization="4bit"), H100_HOST, ALL_PACKAGES).status == "ok"
    missing = check_accelerator(config(quantization="4bit"), H100_HOST, NO_EXTRAS)
    assert (missing.status, missing.fix) == ("fail", "pip install bitsandbytes")


@pytest.mark.parametrize(
    ("facts", "requested"), [(CPU_BOX, "cuda"), (H100_HOST, "mps"), (mac(32), "cuda")]
)
def test_requested_device_that_is_absent_fails(facts: AcceleratorFacts, requested: str) -> None:
    result = check_accelerator(config(device=requested), facts, ALL_PACKAGES)
    assert result.status == "fail"
    assert f"training.device is {requested}" in result.message
    assert result.fix is not None and "training.device: auto" in result.fix


def test_flash_attention_needs_ampere_and_the_package() -> None:
    fa2 = config(attn_implementation="flash_attention_2")
    assert check_accelerator(fa2, RTX_4090_HOST, ALL_PACKAGES).status == "ok"
    assert "8.0+" in check_accelerator(fa2, T4_HOST, ALL_PACKAGES).message
    assert "flash-attn" in check_accelerator(fa2, RTX_4090_HOST, NO_EXTRAS).message
    assert check_accelerator(fa2, mac(64), ALL_PACKAGES).status == "fail"


def test_explicit_bf16_on_a_gpu_without_it_fails() -> None:
    result = check_accelerator(config(dtype="bf16"), T4_HOST, NO_EXTRAS)
    assert result.status == "fail"
    assert result.fix is not None and "model.dtype: auto" in result.fix


@pytest.mark.parametrize(
    ("facts", "status", "words"),
    [
        (apple_mac(64), "warn", "MPS (Apple GPU) is slow"),
        (apple_mac(24), "warn", "24 GB of unified memory"),
        (apple_mac(8), "fail", "8 GB of unified memory is too little"),
        (mac(64, apple_silicon=False), "fail", "Intel CPU"),
        (replace(apple_mac(64), machine="x86_64", translated=True), "fail", "Rosetta 2"),
        (replace(apple_mac(64), mps_available=False), "fail", "MPS is not available"),
        (replace(apple_mac(64), python=(3, 9)), "fail", "Python 3.9"),
        (CPU_BOX, "warn", "training on CPU is very slow"),
    ],
)
def test_macs_and_slow_devices(facts: AcceleratorFacts, status: str, words: str) -> None:
    # The trainer's own start-up check: the Mac checks count in the one verdict.
    result = check_accelerator(config(), facts, NO_EXTRAS)
    assert result.status == status
    assert words in result.message
    assert result.fix


def test_a_small_mac_reports_both_warnings() -> None:
    result = check_accelerator(config(), apple_mac(24), NO_EXTRAS)
    assert "24 GB" in result.message and "MPS" in result.message


@pytest.mark.parametrize(
    "facts", [apple_mac(64), apple_mac(24), apple_mac(8), replace(apple_mac(64), python=(3, 9))]
)
def test_without_the_mac_checks_a_mac_is_judged_like_any_machine(
    facts: AcceleratorFacts,
) -> None:
    # check's report shows the Mac checks and the speed estimate as results of their own.
    result = check_accelerator(config(), facts, NO_EXTRAS, with_mac=False)
    assert result.status == "ok"
    assert result.message.startswith("training on mps: Test CPU")


def test_a_mac_without_mps_would_train_on_its_cpu() -> None:
    no_mps = replace(apple_mac(64), mps_available=False, mps_bf16=False)
    result = check_accelerator(config(), no_mps, NO_EXTRAS, with_mac=False)
    assert (result.status, result.message) == (
        "warn",
        "training on CPU is very slow: use it for smoke tests with tiny models",
    )


def test_an_intel_mac_asked_for_mps_is_told_it_has_none() -> None:
    result = check_accelerator(
        config(device="mps"), mac(64, apple_silicon=False), NO_EXTRAS, with_mac=False
    )
    assert result.status == "fail"
    assert "training.device is mps but this machine has no MPS" in result.message


def test_an_apple_silicon_mac_without_mps_leaves_the_reason_to_the_mps_check() -> None:
    no_mps = replace(apple_mac(64), mps_available=False, mps_bf16=False)
    alone = check_accelerator(config(device="mps"), no_mps, NO_EXTRAS, with_mac=False)
    assert alone.status == "ok"
    combined = check_accelerator(config(device="mps"), no_mps, NO_EXTRAS)
    assert combined.status == "fail"
    assert combined.fix is not None and "macOS 12.3" in combined.fix


def test_a_remote_config_is_not_judged_by_this_laptop() -> None:
    remote = {**config(quantization="4bit"), "compute": {"backend": "runpod"}}
    result = check_accelerator(remote, CPU_BOX, NO_EXTRAS)
    assert result.status == "ok"
    assert result.message.startswith("training runs on the runpod host (cuda), not here")


def test_a_remote_config_checked_on_its_gpu_host_is_judged_there() -> None:
    remote = {**config(quantization="4bit"), "compute": {"backend": "ssh"}}
    assert check_accelerator(remote, H100_HOST, NO_EXTRAS).fix == "pip install bitsandbytes"
