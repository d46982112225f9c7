"""The model check (local folders, adapters, the hub cache, offline mode) and the disk check."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from wl_trainer.checks.disk import check_disk
from wl_trainer.checks.model import check_model
from wl_trainer.hf_cache import cached_snapshot, hub_cache_dir, hub_offline
from wl_trainer.model_dir import inspect_model_dir


def config_for(base: str | Path, revision: str | None = None) -> dict[str, Any]:
    model: dict[str, Any] = {"base": str(base)}
    if revision:
        model["revision"] = revision
    return {"model": model}


@pytest.fixture
def model_copy(tiny_models: dict[str, Path], tmp_path: Path) -> Path:
    """A private copy of the tiny llama model, free to break."""
    return Path(shutil.copytree(tiny_models["llama"], tmp_path / "model"))


def test_a_full_model_folder_is_ok(tiny_models: dict[str, Path]) -> None:
    result = check_model(config_for(tiny_models["qwen2"]))
    assert result.status == "ok"
    assert "full model (model.safetensors)" in result.message


@pytest.mark.parametrize(
    ("remove", "missing"),
    [
        ("config.json", "config.json (a full model) or adapter_config.json (a PEFT adapter)"),
        ("tokenizer.json", "tokenizer files"),
        ("model.safetensors", "weights (model.safetensors, pytorch_model.bin or a sharded index)"),
    ],
)
def test_an_incomplete_folder_fails_naming_what_is_missing(
    model_copy: Path, remove: str, missing: str
) -> None:
    (model_copy / remove).unlink()
    result = check_model(config_for(model_copy))
    assert result.status == "fail"
    assert missing in result.message


def test_sharded_weights_need_every_shard(model_copy: Path) -> None:
    (model_copy / "model.safetensors").rename(model_copy / "model-00001-of-00002.safetensors")
    index = {
        "weight_map": {
            "a": "model-00001-of-00002.safetensors",
            "b": "model-00002-of-00002.safetensors",
        }
    }
    (model_copy / "model.safetensors.index.json").write_text(json.dumps(index))
    result = check_model(config_for(model_copy))
    assert result.status == "fail"
    assert (
        "shard model-00002-of-00002.safetensors (listed in model.safetensors.index.json)"
        in result.message
    )
    (model_copy / "model-00002-of-00002.safetensors").write_bytes(b"")
    assert check_model(config_for(model_copy)).status == "ok"
    assert inspect_model_dir(model_copy).weights == [
        "model-00001-of-00002.safetensors",
        "model-00002-of-00002.safetensors",
    ]


def test_a_peft_adapter_reports_its_base(tiny_models: dict[str, Path], tmp_path: Path) -> None:
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(tiny_models["mistral"], local_files_only=True)
    get_peft_model(model, LoraConfig(r=2, target_modules=["q_proj"])).save_pretrained(
        tmp_path / "adapter"
    )
    folder = inspect_model_dir(tmp_path / "adapter")
    assert (folder.kind, folder.base_model) == ("adapter", str(tiny_models["mistral"]))
    result = check_model(config_for(tmp_path / "adapter"))
    assert result.status == "ok"
    assert f"PEFT adapter on base model {tiny_models['mistral']}" in result.message
    (tmp_path / "adapter" / "adapter_model.safetensors").unlink()
    assert "adapter weights" in check_model(config_for(tmp_path / "adapter")).message


def test_an_adapter_whose_base_is_missing_offline_fails(tmp_path: Path) -> None:
    adapter = tmp_path / "adapter"
    adapter.mkdir()
    (adapter / "adapter_config.json").write_text(
        json.dumps({"base_model_name_or_path": "org/absent"})
    )
    (adapter / "adapter_model.safetensors").write_bytes(b"")
    result = check_model(
        config_for(adapter), {"HF_HUB_CACHE": str(tmp_path), "HF_HUB_OFFLINE": "1"}
    )
    assert result.status == "fail"
    assert "org/absent is not in the Hugging Face cache" in result.message


def test_missing_local_folder_fails(tmp_path: Path) -> None:
    result = check_model(config_for(tmp_path / "nope"))
    assert (result.status, result.message) == (
        "fail",
        f"model folder {tmp_path / 'nope'} does not exist",
    )


def make_cached(
    hub: Path, repo_id: str, commit: str = "0123abcd", ref: str | None = "main"
) -> Path:
    repo = hub / ("models--" + repo_id.replace("/", "--"))
    snapshot = repo / "snapshots" / commit
    snapshot.mkdir(parents=True)
    (snapshot / "config.json").write_text("{}")
    if ref:
        (repo / "refs").mkdir()
        (repo / "refs" / ref).write_text(commit)
    return snapshot


def test_hub_models_cached_downloadable_or_blocked_offline(tmp_path: Path) -> None:
    hub = tmp_path / "hub"
    snapshot = make_cached(hub, "org/cached")
    online = {"HF_HUB_CACHE": str(hub)}
    offline = {**online, "HF_HUB_OFFLINE": "1"}
    assert check_model(config_for("org/cached"), offline).status == "ok"
    assert str(snapshot) in check_model(config_for("org/cached"), offline).message
    absent = check_model(config_for("org/absent"), online)
    assert (absent.status, absent.message) == (
        "warn",
        "org/absent is not in the Hugging Face cache: it will be downloaded on first use",
    )
    blocked = check_model(config_for("org/absent"), offline)
    assert blocked.status == "fail"
    assert "HF_HUB_OFFLINE=1" in blocked.message


def test_cache_location_follows_huggingface_conventions(tmp_path: Path) -> None:
    assert hub_cache_dir({"HF_HUB_CACHE": "/a", "HF_HOME": "/b"}) == Path("/a")
    assert hub_cache_dir({"HF_HOME": "/b"}) == Path("/b/hub")
    assert hub_cache_dir({"XDG_CACHE_HOME": "/x"}) == Path("/x/huggingface/hub")
    assert hub_cache_dir({}) == Path.home() / ".cache" / "huggingface" / "hub"
    assert hub_offline({"HF_HUB_OFFLINE": "true"}) and hub_offline({"TRANSFORMERS_OFFLINE": "1"})
    assert not hub_offline({"HF_HUB_OFFLINE": "0"})


def test_revisions_pick_their_snapshot(tmp_path: Path) -> None:
    make_cached(tmp_path, "org/m", commit="aaa111", ref="main")
    env = {"HF_HUB_CACHE": str(tmp_path)}
    assert cached_snapshot("org/m", env=env) == tmp_path / "models--org--m" / "snapshots" / "aaa111"
    assert cached_snapshot("org/m", "aaa111", env) is not None
    assert cached_snapshot("org/m", "v2", env) is None
    assert check_model(config_for("org/m", "v2"), {**env, "HF_HUB_OFFLINE": "1"}).status == "fail"


def test_disk_check(tmp_path: Path) -> None:
    ok = check_disk({"compute": {"min_free_disk_gb": 0}}, tmp_path / "runs" / "not-yet")
    assert ok.status == "ok"
    assert ok.data is not None and ok.data["path"] == str(tmp_path)
    full = check_disk({"compute": {"min_free_disk_gb": 10**9}}, tmp_path)
    assert full.status == "fail"
    assert full.fix is not None and "--out" in full.fix
