"""The real command line, end to end: exit codes, stdout as data, stderr as one line per event."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_cli
from wl_trainer import cli
from wl_trainer.commands import validate_config
from wl_trainer.errors import WlError
from wl_trainer.exit_codes import ExitCode

VALID = "model: {base: org/model}\ndata: {train: t.jsonl}\ntraining: {learning_rate: 2e-4}\n"
INVALID = "model: {base: org/model}\ndata: {train: t.jsonl}\ntraining:\n  lerning_rate: 1e-4\n"


def write(tmp_path: Path, text: str, name: str = "wl.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_validate_config_prints_the_resolved_config(tmp_path: Path, schema_file: Path) -> None:
    result = run_cli("validate-config", str(write(tmp_path, VALID)))
    assert result.returncode == 0
    resolved = json.loads(result.stdout)
    assert resolved["training"]["learning_rate"] == 2e-4
    assert resolved["data"]["train"] == str(tmp_path / "t.jsonl")
    assert result.stderr == f"[WL-TRAINER] ✅ SUCCESS: config {tmp_path / 'wl.yaml'} is valid\n"


def test_an_invalid_config_is_one_line_and_exit_1(tmp_path: Path, schema_file: Path) -> None:
    result = run_cli("validate-config", str(write(tmp_path, INVALID)))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"[WL-TRAINER] ❌ ERROR: invalid config {tmp_path / 'wl.yaml'}:4: unknown key "
        '"lerning_rate" in training → fix: did you mean "learning_rate"?\n'
    )


def test_json_verdicts(tmp_path: Path, schema_file: Path) -> None:
    bad = run_cli("validate-config", str(write(tmp_path, INVALID)), "--json")
    verdict = json.loads(bad.stdout)
    assert bad.returncode == 1
    assert verdict == {
        "schema": "wl.config-validation/1",
        "valid": False,
        "path": str(tmp_path / "wl.yaml"),
        "problems": [
            {
                "path": "training.lerning_rate",
                "message": 'unknown key "lerning_rate" in training',
                "fix": 'did you mean "learning_rate"?',
                "line": 4,
            }
        ],
    }
    good = run_cli("validate-config", str(write(tmp_path, VALID, "ok.yaml")), "--json")
    verdict = json.loads(good.stdout)
    assert (good.returncode, verdict["valid"], verdict["problems"]) == (0, True, [])
    assert verdict["config"]["lora"]["r"] == 16


def test_json_log_format_before_or_after_the_command(tmp_path: Path, schema_file: Path) -> None:
    path = str(write(tmp_path, INVALID))
    for args in (
        ["--log-format", "json", "validate-config", path],
        ["validate-config", path, "--log-format=json"],
    ):
        result = run_cli(*args)
        events = [json.loads(line) for line in result.stderr.splitlines()]
        assert len(events) == 1
        event = events[0]
        assert (event["schema"], event["tool"], event["level"], event["event"]) == (
            "wl.event/1",
            "wl-trainer",
            "error",
            "error",
        )
        assert event["fix"] == 'did you mean "learning_rate"?'
        assert event["data"] == {"code": "config.invalid"}


def test_usage_errors_exit_1_not_2(tmp_path: Path) -> None:
    result = run_cli("no-such-command")
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(
        "[WL-TRAINER] ❌ ERROR: python -m wl_trainer: argument COMMAND: invalid choice"
    )
    assert "→ fix: see `python -m wl_trainer --help`" in result.stderr


def test_tracebacks_only_with_debug(tmp_path: Path) -> None:
    missing = str(tmp_path / "missing.yaml")
    quiet = run_cli("validate-config", missing)
    loud = run_cli("--debug", "validate-config", missing)
    assert quiet.returncode == loud.returncode == 1
    assert "Traceback" not in quiet.stderr
    assert quiet.stderr.startswith("[WL-TRAINER] ❌ ERROR: config file not found:")
    assert "Traceback (most recent call last)" in loud.stderr


def test_secrets_never_reach_stderr(tmp_path: Path) -> None:
    leaky = tmp_path / "rpa_ABCDEFGHIJKLMNOPQRSTUVWX-my-env-secret.yaml"
    result = run_cli("validate-config", str(leaky), env={"MY_TOKEN": "my-env-secret"})
    assert result.returncode == 1
    assert "rpa_" not in result.stderr
    assert "my-env-secret" not in result.stderr
    assert "***-***.yaml" in result.stderr


def test_check_without_a_config_reports_this_machine() -> None:
    result = run_cli("check")
    assert result.returncode == 0
    report = json.loads(result.stdout)
    assert report["schema"] == "wl.check/1"
    assert set(report["packages"]) == {
        "torch",
        "transformers",
        "peft",
        "accelerate",
        "bitsandbytes",
        "flash_attn",
    }
    assert report["packages"]["torch"].startswith("2.13.0")
    assert set(report["accelerator"]) == {
        "kind",
        "name",
        "memory_gb",
        "compute_capability",
        "bf16",
        "count",
        "cpu_cores",
        "ram_gb",
    }
    assert result.stderr.startswith("[WL-TRAINER] accelerator: ")


def test_a_failed_check_exits_3(
    tmp_path: Path, tiny_models: dict[str, Path], schema_file: Path
) -> None:
    config = write(
        tmp_path,
        f"model: {{base: {tiny_models['llama']}}}\ndata: {{train: t.jsonl}}\ncompute: {{min_free_disk_gb: 1e12}}\n",
    )
    result = run_cli(
        "--log-format", "json", "check", "--config", str(config), "--out", str(tmp_path)
    )
    assert result.returncode == ExitCode.PREFLIGHT_FAILED
    report = json.loads(result.stdout)
    assert {c["name"]: c["status"] for c in report["checks"]}["disk"] == "fail"
    events = [json.loads(line) for line in result.stderr.splitlines()]
    results = [e for e in events if e["event"] == "check.result"]
    assert [e["data"]["name"] for e in results] == [
        "config",
        "accelerator",
        "memory",
        "disk",
        "model",
        "monitoring",
    ]
    assert [e["level"] for e in results if e["data"]["name"] == "disk"] == ["error"]


def test_tiny_model_command_reuses_a_complete_model(tiny_models: dict[str, Path]) -> None:
    result = run_cli("tiny-model", "--arch", "qwen2", str(tiny_models["qwen2"]))
    assert result.returncode == 0
    described = json.loads(result.stdout)
    assert described == {
        **described,
        "path": str(tiny_models["qwen2"]),
        "arch": "qwen2",
        "reused": True,
    }
    assert described["vocab"] > 1000 and described["params"] > 100_000
    refused = run_cli("tiny-model", "--arch", "gpt2", str(tiny_models["qwen2"]))
    assert refused.returncode == 1


@pytest.mark.parametrize(
    ("raised", "code", "words"),
    [
        (KeyboardInterrupt(), ExitCode.INTERRUPTED, "❌ ERROR: interrupted"),
        (RuntimeError("boom"), ExitCode.ERROR, "❌ ERROR: internal error: RuntimeError: boom"),
        (
            WlError("budget", "budget reached", "raise budget.max_usd", ExitCode.BUDGET_REACHED),
            ExitCode.BUDGET_REACHED,
            "❌ ERROR: budget reached → fix: raise budget.max_usd",
        ),
    ],
)
def test_exceptions_map_to_exit_codes(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    raised: BaseException,
    code: int,
    words: str,
) -> None:
    def explode(*_: object) -> int:
        raise raised

    monkeypatch.setattr(validate_config, "run", explode)
    assert cli.main(["validate-config", "x.yaml"]) == code
    err = capsys.readouterr().err
    assert words in err
    assert "Traceback" not in err
