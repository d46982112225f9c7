"""Loading configs: validation against the generated schema, one-line problems, defaults, paths."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from wl_trainer.config import ConfigError, config_schema, load_config
from wl_trainer.errors import WlError
from wl_trainer.schema_resolve import resolve_with_schema

MINIMAL = "model:\n  base: org/model\ndata:\n  train: data/train.jsonl\n"


def write(tmp_path: Path, text: str, name: str = "wl.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problem_of(tmp_path: Path, text: str, schema_file: Path) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text), schema_file)
    return caught.value


def test_minimal_config_gets_every_default(tmp_path: Path, schema_file: Path) -> None:
    resolved = load_config(write(tmp_path, MINIMAL), schema_file, cwd=tmp_path).resolved
    assert resolved["model"] == {
        "base": "org/model",
        "dtype": "auto",
        "quantization": "none",
        "attn_implementation": "auto",
        "trust_remote_code": False,
    }
    assert resolved["data"]["max_seq_length"] == 2048
    assert resolved["lora"]["r"] == 16
    assert resolved["lora"]["target_modules"] == "all-linear"
    assert resolved["training"]["gradient_checkpointing"] is False
    assert resolved["compute"]["min_free_disk_gb"] == 20
    assert "ssh" not in resolved["compute"]  # optional without a default: stays absent
    assert set(resolved) == {
        "model",
        "data",
        "lora",
        "training",
        "checkpoints",
        "monitoring",
        "budget",
        "compute",
        "export",
        "output",
    }


def test_nested_optional_objects_get_their_defaults(tmp_path: Path, schema_file: Path) -> None:
    text = MINIMAL + "compute:\n  backend: ssh\n  ssh: {host: gpu.example.com}\n"
    resolved = load_config(write(tmp_path, text), schema_file).resolved
    assert resolved["compute"]["ssh"] == {"host": "gpu.example.com", "port": 22, "user": "root"}


def test_yaml_12_numbers_reach_the_trainer_as_numbers(tmp_path: Path, schema_file: Path) -> None:
    text = MINIMAL + "training:\n  learning_rate: 2e-4\nlora:\n  r: 8.0\n"
    resolved = load_config(write(tmp_path, text), schema_file).resolved
    assert resolved["training"]["learning_rate"] == 2e-4
    assert resolved["lora"]["r"] == 8
    assert type(resolved["lora"]["r"]) is int


def test_relative_paths_resolve_against_the_config_folder(
    tmp_path: Path, schema_file: Path
) -> None:
    config_dir = tmp_path / "configs"
    (config_dir / "models" / "tiny").mkdir(parents=True)
    text = (
        "model: {base: models/tiny}\n"
        "data: {train: ../data/train.jsonl, val: /abs/val.jsonl}\n"
        "compute: {ssh: {host: h, key: ~/.ssh/id_ed25519}}\n"
        "output: {runs_dir: runs}\n"
    )
    cwd = tmp_path / "elsewhere"
    resolved = load_config(write(config_dir, text), schema_file, cwd=cwd).resolved
    assert resolved["model"]["base"] == str(config_dir / "models" / "tiny")
    assert resolved["data"]["train"] == str(tmp_path / "data" / "train.jsonl")
    assert resolved["data"]["val"] == "/abs/val.jsonl"
    assert resolved["compute"]["ssh"]["key"] == str(Path.home() / ".ssh" / "id_ed25519")
    assert resolved["output"]["runs_dir"] == str(cwd / "runs")  # runs_dir: the working dir


def test_hub_ids_stay_hub_ids(tmp_path: Path, schema_file: Path) -> None:
    resolved = load_config(write(tmp_path, MINIMAL), schema_file).resolved
    assert resolved["model"]["base"] == "org/model"


def test_unknown_key_names_line_and_closest_key(tmp_path: Path, schema_file: Path) -> None:
    text = MINIMAL + "training:\n  epochs: 1\n  lerning_rate: 1e-4\n"
    error = problem_of(tmp_path, text, schema_file)
    assert (
        error.message
        == f'invalid config {tmp_path / "wl.yaml"}:7: unknown key "lerning_rate" in training'
    )
    assert error.fix == 'did you mean "learning_rate"?'
    assert error.problems[0].path == "training.lerning_rate"


def test_unknown_key_without_a_close_match_lists_valid_keys(
    tmp_path: Path, schema_file: Path
) -> None:
    error = problem_of(tmp_path, MINIMAL + "budget: {zzz: 1}\n", schema_file)
    assert error.fix == "remove it; valid keys here: max_usd, max_hours, cost_per_hour"


@pytest.mark.parametrize(
    ("extra", "message", "fix"),
    [
        (
            "lora: {r: eight}",
            'lora.r is "eight", expected int',
            "set lora.r to a value of type int",
        ),
        ("lora: {r: 8.5}", "lora.r is 8.5, expected int", "set lora.r to a value of type int"),
        ("lora: {r: 0}", "lora.r is 0, expected at least 1", "set lora.r to at least 1"),
        (
            "lora: {dropout: 1}",
            "lora.dropout is 1, expected less than 1",
            "set lora.dropout to less than 1",
        ),
        (
            "model: {base: x, dtype: bf17}",
            'model.dtype is "bf17", expected one of "auto", "bf16", "fp16", "fp32"',
            'set model.dtype to one of "auto", "bf16", "fp16", "fp32"',
        ),
        (
            "lora: {target_modules: all_linear}",
            'lora.target_modules is "all_linear", expected "all-linear" or array of string',
            'set lora.target_modules to "all-linear" or array of string',
        ),
        (
            "lora: {target_modules: []}",
            "lora.target_modules is [], expected at least 1 item",
            "give lora.target_modules at least 1 item",
        ),
        (
            "lora: {target_modules: [q_proj, 3]}",
            "lora.target_modules[1] is 3, expected string",
            "set lora.target_modules[1] to a value of type string",
        ),
        (
            "data: {train: t, packing: yes}",
            'data.packing is "yes", expected boolean',
            "set data.packing to a value of type boolean",
        ),
        (
            "data: {val: v}",
            "missing required key data.train",
            "add data.train (string); see configs/cpu-smoke.yaml",
        ),
    ],
)
def test_value_problems(
    tmp_path: Path, schema_file: Path, extra: str, message: str, fix: str
) -> None:
    base = {"model": "model: {base: org/model}", "data": "data: {train: t}"}
    section = extra.split(":", 1)[0]
    text = "\n".join([extra] + [line for key, line in base.items() if key != section]) + "\n"
    error = problem_of(tmp_path, text, schema_file)
    assert error.problems[0].message == message
    assert error.fix == fix
    assert error.problems[0].line == 1


def test_every_problem_is_kept_and_the_first_in_the_file_leads(
    tmp_path: Path, schema_file: Path
) -> None:
    text = (
        "model: {base: org/model, dtype: x}\ndata: {train: t}\nlora: {r: 0}\ntraining: {seed: -1}\n"
    )
    error = problem_of(tmp_path, text, schema_file)
    assert [p.path for p in error.problems] == ["model.dtype", "lora.r", "training.seed"]
    assert error.message.endswith("(and 2 more)")
    assert ":1: model.dtype" in error.message


def test_json_configs(tmp_path: Path, schema_file: Path) -> None:
    path = write(tmp_path, '{"model": {"base": "org/m"},\n\t"data": {"train": "t"}}', "wl.json")
    assert load_config(path, schema_file).resolved["lora"]["r"] == 16
    duplicate = write(tmp_path, '{"model": {"base": "a"}, "model": {"base": "b"}}', "dup.json")
    with pytest.raises(WlError, match='duplicate key "model"'):
        load_config(duplicate, schema_file)


@pytest.mark.parametrize(
    ("text", "code"),
    [("", "config.not_mapping"), ("- a\n- b\n", "config.not_mapping"), ("a: [\n", "config.syntax")],
)
def test_unusable_files(tmp_path: Path, schema_file: Path, text: str, code: str) -> None:
    with pytest.raises(WlError) as caught:
        load_config(write(tmp_path, text), schema_file)
    assert caught.value.code == code


def test_missing_file(tmp_path: Path, schema_file: Path) -> None:
    with pytest.raises(WlError) as caught:
        load_config(tmp_path / "nope.yaml", schema_file)
    assert caught.value.code == "config.missing"


def test_missing_schema_says_how_to_generate_it(tmp_path: Path) -> None:
    with pytest.raises(WlError) as caught:
        config_schema(tmp_path / "config.schema.json")
    assert caught.value.code == "config.schema_missing"
    assert "pnpm gen" in caught.value.fix


def test_resolve_follows_refs_and_object_unions() -> None:
    schema = {
        "$defs": {
            "Host": {"type": "object", "properties": {"port": {"type": "integer", "default": 22}}}
        },
        "type": "object",
        "properties": {
            "host": {"$ref": "#/$defs/Host"},
            "either": {
                "anyOf": [
                    {"type": "string"},
                    {"type": "object", "properties": {"n": {"type": "integer", "default": 1}}},
                ]
            },
            "sizes": {"type": "array", "items": {"type": "integer"}},
            "ratio": {"type": "number"},
        },
    }
    value = {"host": {}, "either": {}, "sizes": [1.0, 2.0], "ratio": 3.0}
    assert resolve_with_schema(value, schema) == {
        "host": {"port": 22},
        "either": {"n": 1},
        "sizes": [1, 2],
        "ratio": 3.0,
    }
    assert type(resolve_with_schema(value, schema)["ratio"]) is float


@pytest.mark.parametrize("number", [".inf", "-.inf", ".nan"])
def test_non_finite_numbers_are_refused_like_zod_does(
    tmp_path: Path, schema_file: Path, number: str
) -> None:
    error = problem_of(tmp_path, MINIMAL + f"training: {{learning_rate: {number}}}\n", schema_file)
    finite = [p for p in error.problems if p.fix == "set training.learning_rate to a finite number"]
    assert [p.line for p in finite] == [5]


def test_a_resolved_config_saved_as_json_resolves_to_itself(
    tmp_path: Path, schema_file: Path
) -> None:
    # wl-preflight hands the trainer the resolved config as config.resolved.json.
    first = load_config(
        write(tmp_path, MINIMAL + "lora: {target_modules: [q_proj]}\n"), schema_file
    ).resolved
    again = load_config(
        write(tmp_path, json.dumps(first), "config.resolved.json"), schema_file
    ).resolved
    assert again == first
