"""The Mac time estimate: its anchors, its arithmetic, the chip table and the ``speed`` check."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from tests.machines import CPU_BOX, GIB, H100_HOST, mac
from wl_trainer.accelerator import AcceleratorFacts
from wl_trainer.check_report import build_check_report
from wl_trainer.checks.apple_chips import BANDWIDTH_GB_S, AppleChip, apple_chip, chip_name
from wl_trainer.checks.speed import check_speed, count, duration
from wl_trainer.checks.time_estimate import (
    H100_MFU,
    H100_PEAK_FLOPS,
    estimate_time,
    file_size,
    flops_per_token,
    mac_tokens_per_s,
    training_tokens,
)
from wl_trainer.memory import ALL_LINEAR, TrainingSettings, trainable_params
from wl_trainer.model_shapes import KNOWN_SHAPES, ModelShape

QWEN_05B = KNOWN_SHAPES["qwen2.5-0.5b"]
M4_PRO = AppleChip("M4 Pro", 273)


def lora_params(shape: ModelShape, r: int = 16) -> int:
    """All-linear LoRA adapters of rank ``r``, as the memory estimate counts them."""
    settings = TrainingSettings(1, 2048, True, "bf16", "none", r, ALL_LINEAR, 0.0, "none", "mps")
    return trainable_params(shape, settings)


def apple_mac(chip: str, cores: int, gb: int = 36, **facts: Any) -> AcceleratorFacts:
    """A Mac with the given chip brand string, CPU cores and Apple GB (GiB) of memory."""
    return replace(mac(64), cpu_name=chip, cpu_cores=cores, ram_bytes=gb * GIB, **facts)


# --- the anchors ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "published"),
    [("llama-3.1-8b", 29_500), ("llama-3.2-1b", 170_000)],
)
def test_work_per_token_reproduces_the_published_h100_ceiling(model: str, published: int) -> None:
    # training.md: at seq 2048, 100 % MFU on one H100 is ≈29.5k tok/s (8B) and ≈170k (1B).
    shape = KNOWN_SHAPES[model]
    ceiling = H100_PEAK_FLOPS / flops_per_token(shape, lora_params(shape), 2048)
    assert ceiling == pytest.approx(published, rel=0.01)


@pytest.mark.parametrize(
    ("chip", "published"), [(AppleChip("M2 Ultra", 800), 475), (AppleChip("M1 Max", 400), 250)]
)
def test_the_mac_scale_reproduces_the_mlx_anchors(chip: AppleChip, published: int) -> None:
    # mlx-lm's 7B with the last 16 of 32 layers adapted: ≈3 · 7e9 FLOPs a token.
    assert mac_tokens_per_s(chip, 3 * 7e9) == pytest.approx(published, rel=0.05)


# --- the arithmetic ------------------------------------------------------------------------


def test_flops_per_token_counts_projections_lm_head_adapters_and_attention() -> None:
    shape = QWEN_05B
    multiplying = shape.linear_params() + shape.vocab * shape.hidden
    expected = 4 * multiplying + 6 * 1000 + 12 * shape.layers * shape.heads * shape.head_dim * 512
    assert flops_per_token(shape, 1000, 512) == expected


def test_estimate_for_qwen_half_b_on_an_m4_pro() -> None:
    lora = lora_params(QWEN_05B)
    assert lora == 8_798_208
    estimate = estimate_time(QWEN_05B, lora, 2048, 27_000_000, M4_PRO)
    flops = flops_per_token(QWEN_05B, lora, 2048)
    assert flops == pytest.approx(2.557e9, rel=1e-3)
    mac = 0.6 * 273 * 3 * 7e9 / flops
    h100 = 989e12 * 0.35 / flops
    assert estimate.mac_tokens_per_s == pytest.approx(mac)
    assert estimate.h100_tokens_per_s == pytest.approx(h100)
    assert estimate.mac_seconds == pytest.approx(27_000_000 / mac)
    assert estimate.h100_seconds == pytest.approx(27_000_000 / h100)
    assert estimate.mac_seconds == pytest.approx(20_070, rel=0.001)  # ≈5.6 h
    assert estimate.h100_seconds == pytest.approx(199.4, rel=0.001)  # ≈3 min
    assert H100_MFU == 0.35


def test_the_ratio_between_mac_and_h100_depends_on_the_chip_only() -> None:
    small = estimate_time(QWEN_05B, 0, 2048, 1_000_000, M4_PRO)
    big = estimate_time(KNOWN_SHAPES["mistral-7b-v0.3"], 0, 4096, 1_000_000, M4_PRO)
    assert small.mac_seconds is not None and big.mac_seconds is not None
    assert small.mac_seconds / small.h100_seconds == pytest.approx(
        big.mac_seconds / big.h100_seconds
    )
    assert big.mac_seconds > 10 * small.mac_seconds


def test_without_a_known_chip_only_the_h100_is_estimated() -> None:
    estimate = estimate_time(QWEN_05B, 0, 2048, 1_000_000, None)
    assert (estimate.mac_tokens_per_s, estimate.mac_seconds) == (None, None)
    assert estimate.to_json()["mac"] is None


def training(**settings: Any) -> dict[str, Any]:
    base = {"epochs": 3, "micro_batch_size": 1, "gradient_accumulation_steps": 8}
    return {"training": {**base, **settings}, "data": {"max_seq_length": 2048}}


def test_tokens_are_a_quarter_of_the_bytes_times_the_epochs() -> None:
    counted = training_tokens(training(), 36_000_000)
    assert counted.tokens == 27_000_000
    assert counted.basis == "3 epochs × 36.0 MB ÷ 4 bytes a token"
    half = training_tokens(training(epochs=0.5), 4_000_000)
    assert (half.tokens, half.basis) == (500_000, "0.5 epochs × 4.0 MB ÷ 4 bytes a token")
    assert training_tokens(training(epochs=1), 4_000_000).basis.startswith("1 epoch ×")


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (80, "80 bytes"),
        (40_450, "40 kB"),
        (423_977, "424 kB"),
        (35_898_862, "35.9 MB"),
        (1.2e9, "1.2 GB"),
    ],
)
def test_file_sizes(size: float, text: str) -> None:
    assert file_size(int(size)) == text


def test_max_steps_caps_the_tokens() -> None:
    capped = training_tokens(training(max_steps=100), 36_000_000)
    assert capped.tokens == 100 * 8 * 2048
    assert capped.basis == "training.max_steps 100 × 8 rows × 2048 tokens"
    uncapped = training_tokens(training(max_steps=10**6), 36_000_000)
    assert uncapped.tokens == 27_000_000


# --- the chip table ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("brand", "cores", "name", "bandwidth"),
    [
        ("Apple M1", 8, "M1", 68.25),
        ("Apple M1 Max", 10, "M1 Max", 400),
        ("Apple M2 Ultra", 24, "M2 Ultra", 800),
        ("Apple M3 Pro", 12, "M3 Pro", 150),
        ("Apple M3 Max", 14, "M3 Max", 300),
        ("Apple M3 Max", 16, "M3 Max", 400),
        ("Apple M4", 10, "M4", 120),
        ("Apple M4 Pro", 14, "M4 Pro", 273),
        ("Apple M4 Max", 14, "M4 Max", 410),
        ("Apple M4 Max", 16, "M4 Max", 546),
    ],
)
def test_chips_and_their_bandwidth(brand: str, cores: int, name: str, bandwidth: float) -> None:
    assert apple_chip(brand, cores) == AppleChip(name, bandwidth)


@pytest.mark.parametrize("brand", ["Apple M5", "Intel(R) Core(TM) i9-9980HK", "VirtualApple"])
def test_chips_the_table_does_not_know(brand: str) -> None:
    assert apple_chip(brand, 10) is None


def test_the_table_covers_every_m1_to_m4_variant() -> None:
    names = {*BANDWIDTH_GB_S, "M3 Max", "M4 Max"}
    variants = ("", " Pro", " Max", " Ultra")
    expected = {f"M{n}{v}" for n in range(1, 5) for v in variants} - {"M4 Ultra"}
    assert names == expected
    assert chip_name("Apple M2 Pro") == "M2 Pro"


# --- formatting ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (45, "≈45 s"),
        (199.4, "≈3 min"),
        (5399, "≈90 min"),
        (20_070, "≈5.6 h"),
        (276_480, "≈3.2 days"),
    ],
)
def test_durations(seconds: float, text: str) -> None:
    assert duration(seconds) == text


@pytest.mark.parametrize(
    ("tokens", "text"),
    [(850, "850"), (12_000, "12k"), (9_000_000, "9.0M"), (27_000_000, "27M"), (1.2e9, "1.2B")],
)
def test_token_counts(tokens: int, text: str) -> None:
    assert count(int(tokens)) == text


# --- the speed check -----------------------------------------------------------------------


def qwen_estimate() -> dict[str, Any]:
    """The parts of the memory estimate the speed check reads."""
    return {"shape": QWEN_05B.__dict__, "lora_params": lora_params(QWEN_05B)}


def run_config(tmp_path: Path, data_bytes: int = 36_000_000, **training: Any) -> dict[str, Any]:
    """A resolved m4.yaml-like config whose training file holds ``data_bytes`` bytes."""
    train = tmp_path / "train.jsonl"
    with train.open("wb") as file:
        file.truncate(data_bytes)
    return {
        "data": {"train": str(train), "max_seq_length": 2048},
        "training": {
            "device": "mps",
            "epochs": 3,
            "micro_batch_size": 1,
            "gradient_accumulation_steps": 8,
            **training,
        },
        "compute": {"backend": "local"},
    }


def test_speed_on_an_m4_pro(tmp_path: Path) -> None:
    result = check_speed(run_config(tmp_path), apple_mac("Apple M4 Pro", 14), qwen_estimate())
    assert result is not None
    assert (result.name, result.status) == ("speed", "warn")
    assert result.message == (
        "time estimate (rough): ≈5.6 h on this M4 Pro vs ≈3 min on an H100 "
        "for ≈27M tokens (3 epochs × 36.0 MB ÷ 4 bytes a token)"
    )
    assert result.fix is not None
    assert "compute.backend: runpod or ssh" in result.fix and "docs/TRAINING_M4.md" in result.fix
    assert result.data is not None
    assert result.data["tokens"] == 27_000_000
    assert result.data["tokens_basis"] == "3 epochs × 36.0 MB ÷ 4 bytes a token"
    assert result.data["mac"] == {
        "chip": "M4 Pro",
        "bandwidth_gb_s": 273,
        "tokens_per_s": 1345,
        "seconds": 20072,
    }
    assert result.data["h100"] == {
        "peak_tflops": 989.0,
        "mfu": 0.35,
        "tokens_per_s": 135367,
        "seconds": 199,
    }


def test_speed_with_a_given_token_count(tmp_path: Path) -> None:
    result = check_speed(
        run_config(tmp_path), apple_mac("Apple M4 Max", 16), qwen_estimate(), tokens=1_000_000
    )
    assert result is not None
    assert result.message.startswith("time estimate (rough): ≈6 min on this M4 Max vs ≈7 s")
    assert result.message.endswith("for ≈1.0M tokens (given)")


def test_speed_of_a_chip_the_table_does_not_know(tmp_path: Path) -> None:
    result = check_speed(run_config(tmp_path), apple_mac("Apple M5", 10), qwen_estimate())
    assert result is not None and result.status == "warn"
    assert result.message == (
        "time estimate (rough): ≈3 min on an H100 for ≈27M tokens "
        "(3 epochs × 36.0 MB ÷ 4 bytes a token); no Mac figure for Apple M5 (the table knows M1–M4)"
    )
    assert result.data is not None and result.data["mac"] is None


def test_speed_without_the_model_shape_still_warns(tmp_path: Path) -> None:
    result = check_speed(run_config(tmp_path), apple_mac("Apple M4", 10), None)
    assert result is not None
    assert (result.status, result.data) == ("warn", None)
    assert result.message == (
        "training on MPS (Apple GPU) is slow: fine for small models and short runs "
        "(no time estimate: the model's shape is unknown here)"
    )


def test_speed_without_the_data_file_still_warns(tmp_path: Path) -> None:
    config = run_config(tmp_path)
    config["data"]["train"] = str(tmp_path / "missing.jsonl")
    result = check_speed(config, apple_mac("Apple M4", 10), qwen_estimate())
    assert result is not None and result.status == "warn"
    assert result.message.endswith(f"(no time estimate: cannot read {tmp_path / 'missing.jsonl'})")


@pytest.mark.parametrize(
    ("facts", "device"),
    [
        (CPU_BOX, "auto"),
        (H100_HOST, "auto"),
        (apple_mac("Apple M4", 10), "cpu"),
        (apple_mac("Apple M4", 10, mps_available=False), "auto"),
        (apple_mac("Apple M4", 10, mps_available=False), "mps"),
    ],
)
def test_no_speed_check_off_mps(tmp_path: Path, facts: AcceleratorFacts, device: str) -> None:
    config = run_config(tmp_path, device=device)
    assert check_speed(config, facts, qwen_estimate()) is None


def test_no_speed_check_for_a_remote_run(tmp_path: Path) -> None:
    config = {**run_config(tmp_path, device="auto"), "compute": {"backend": "runpod"}}
    assert check_speed(config, apple_mac("Apple M4", 10), qwen_estimate()) is None


# --- check's report on a Mac ---------------------------------------------------------------


def test_checks_report_on_a_mac_lists_the_mac_checks_and_the_estimate(
    tmp_path: Path, schema_file: Path
) -> None:
    train = tmp_path / "train.jsonl"
    train.write_text('{"messages": []}\n' * 1000)
    config = tmp_path / "wl.yaml"
    config.write_text(
        "model: {base: Qwen/Qwen2.5-0.5B-Instruct}\n"
        "data: {train: train.jsonl}\n"
        "training: {device: mps, micro_batch_size: 1, gradient_accumulation_steps: 8}\n"
    )
    report = build_check_report(
        apple_mac("Apple M4 Pro", 14, gb=24),
        {"python": "3.11.7"},
        {},
        config_file=config,
        out_dir=tmp_path,
        env={"HF_HUB_OFFLINE": "1", "HF_HUB_CACHE": str(tmp_path / "hub")},
    )
    statuses = {check["name"]: check["status"] for check in report["checks"]}
    assert statuses == {
        "config": "ok",
        "apple_silicon": "ok",
        "python": "ok",
        "mps": "ok",
        "unified_memory": "warn",
        "accelerator": "ok",
        "memory": "ok",
        "speed": "warn",
        "disk": "ok",
        "model": "fail",  # not in the (empty) Hugging Face cache, and offline
        "monitoring": "ok",
    }
    speed = next(check for check in report["checks"] if check["name"] == "speed")
    assert speed["message"].startswith("time estimate (rough): ")
    assert "on this M4 Pro vs" in speed["message"]
    assert "(3 epochs × 17 kB ÷ 4 bytes a token)" in speed["message"]


def test_checks_report_on_linux_has_no_mac_checks(tmp_path: Path, schema_file: Path) -> None:
    (tmp_path / "train.jsonl").write_text("{}\n")
    config = tmp_path / "wl.yaml"
    config.write_text("model: {base: Qwen/Qwen2.5-0.5B-Instruct}\ndata: {train: train.jsonl}\n")
    report = build_check_report(CPU_BOX, {}, {}, config_file=config, out_dir=tmp_path)
    names = [check["name"] for check in report["checks"]]
    assert names == ["config", "accelerator", "memory", "disk", "model", "monitoring"]
