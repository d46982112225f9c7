"""check's wl.check/1 report, built for machines described by facts."""

from __future__ import annotations

from pathlib import Path

from tests.machines import CPU_BOX, H100_HOST
from wl_trainer.check_report import build_check_report

PLATFORM = {
    "python": "3.11.7",
    "platform": {"system": "Linux", "machine": "x86_64", "release": "6.1"},
}
PACKAGES: dict[str, str | None] = {
    "torch": "2.13.0",
    "transformers": "5.23.0",
    "peft": "0.21.2",
    "accelerate": "1.15.0",
    "bitsandbytes": None,
    "flash_attn": None,
}
CHECK_KEYS = {"name", "status", "message", "fix", "data"}  # wl.run/1's strict check result


def write_config(tmp_path: Path, base: Path | str, extra: str = "") -> Path:
    path = tmp_path / "wl.yaml"
    path.write_text(
        f"model: {{base: {base}}}\ndata: {{train: t.jsonl, max_seq_length: 256}}\n{extra}"
    )
    return path


def test_without_a_config_only_the_machine_is_reported() -> None:
    report = build_check_report(H100_HOST, PLATFORM, PACKAGES)
    assert list(report) == [
        "schema",
        "python",
        "platform",
        "packages",
        "accelerator",
        "estimate",
        "checks",
    ]
    assert report["schema"] == "wl.check/1"
    assert report["accelerator"]["kind"] == "cuda"
    assert (report["estimate"], report["checks"]) == (None, [])


def test_a_good_config_on_a_gpu_host_passes_every_check(
    tmp_path: Path, tiny_models: dict[str, Path], schema_file: Path
) -> None:
    report = build_check_report(
        H100_HOST,
        PLATFORM,
        PACKAGES,
        config_file=write_config(tmp_path, tiny_models["llama"]),
        out_dir=tmp_path,
        env={"HF_HUB_OFFLINE": "1"},
    )
    checks = {check["name"]: check for check in report["checks"]}
    assert list(checks) == ["config", "accelerator", "memory", "disk", "model", "monitoring"]
    assert {name: check["status"] for name, check in checks.items()} == dict.fromkeys(checks, "ok")
    assert all(set(check) <= CHECK_KEYS for check in report["checks"])
    estimate = report["estimate"]
    assert estimate["source"] == "config.json"
    assert estimate["settings"]["max_seq_length"] == 256
    assert set(estimate) >= {"total_gb", "parts", "model_params", "lora_params", "shape", "source"}


def test_an_invalid_config_stops_at_the_config_check(tmp_path: Path, schema_file: Path) -> None:
    report = build_check_report(
        CPU_BOX, PLATFORM, PACKAGES, config_file=write_config(tmp_path, "org/m", "lora: {r: 0}\n")
    )
    assert report["checks"] == [
        {
            "name": "config",
            "status": "fail",
            "message": f"invalid config {tmp_path / 'wl.yaml'}:3: lora.r is 0, expected at least 1",
            "fix": "set lora.r to at least 1",
        }
    ]
    assert report["estimate"] is None


def test_qlora_on_a_cpu_box_fails_the_accelerator_check(
    tmp_path: Path, tiny_models: dict[str, Path], schema_file: Path
) -> None:
    config = tmp_path / "wl.yaml"
    config.write_text(
        f"model: {{base: {tiny_models['qwen2']}, quantization: 4bit}}\ndata: {{train: t.jsonl}}\n"
    )
    report = build_check_report(CPU_BOX, PLATFORM, PACKAGES, config_file=config, out_dir=tmp_path)
    statuses = {check["name"]: check["status"] for check in report["checks"]}
    assert statuses["accelerator"] == "fail"
    assert report["accelerator"]["kind"] == "cpu"
