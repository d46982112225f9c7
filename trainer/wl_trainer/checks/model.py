"""The ``model`` check: is ``model.base`` usable here without surprises?

A local folder must be a full model (config.json, tokenizer files, every weight shard) or a PEFT
adapter (adapter_config.json and weights); a hub id is ok when cached, a warning when it will be
downloaded, and a failure when HF_HUB_OFFLINE=1 forbids the download.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from wl_trainer.checks.result import CheckResult
from wl_trainer.config_paths import is_local_model
from wl_trainer.hf_cache import cached_snapshot, hub_cache_dir, hub_offline
from wl_trainer.model_dir import inspect_model_dir


def check_model(config: dict[str, Any], env: Mapping[str, str] | None = None) -> CheckResult:
    """The model check for a resolved config (local paths are already absolute)."""
    base: str = config["model"]["base"]
    revision: str | None = config["model"].get("revision")
    if Path(base).is_absolute():
        return check_local_model(Path(base), env)
    return check_hub_model(base, revision, env)


def check_local_model(path: Path, env: Mapping[str, str] | None) -> CheckResult:
    """A local folder: a complete model, or an adapter whose base is usable too."""
    if not path.exists():
        return CheckResult(
            "model",
            "fail",
            f"model folder {path} does not exist",
            "fix model.base (relative paths start at the config file's folder)",
        )
    if not path.is_dir():
        return CheckResult(
            "model",
            "fail",
            f"model.base {path} is a file, not a model folder",
            "point model.base at the folder that holds config.json",
        )
    folder = inspect_model_dir(path)
    if folder.kind == "incomplete":
        return CheckResult(
            "model",
            "fail",
            f"{path} is missing {', '.join(folder.missing)}",
            "re-download or re-export the model into that folder",
        )
    if folder.kind == "model":
        return CheckResult("model", "ok", f"{path}: full model ({', '.join(folder.weights)})")
    if not folder.base_model:
        return CheckResult(
            "model",
            "fail",
            f"{path} is a PEFT adapter without base_model_name_or_path",
            "set base_model_name_or_path in its adapter_config.json",
        )
    base = check_base_of_adapter(folder.base_model, path, env)
    message = f"{path}: PEFT adapter on base model {folder.base_model}"
    if base.status == "ok":
        return CheckResult("model", "ok", message)
    return CheckResult("model", base.status, f"{message}; {base.message}", base.fix)


def check_base_of_adapter(base: str, adapter: Path, env: Mapping[str, str] | None) -> CheckResult:
    """The adapter's base model, checked like model.base (relative to the adapter's folder)."""
    if is_local_model(base, adapter):
        resolved = Path(base).expanduser()
        return check_local_model(resolved if resolved.is_absolute() else adapter / resolved, env)
    return check_hub_model(base, None, env)


def check_hub_model(
    repo_id: str, revision: str | None, env: Mapping[str, str] | None
) -> CheckResult:
    """A hub id: cached, to be downloaded, or unreachable offline."""
    at = f"{repo_id}@{revision}" if revision else repo_id
    snapshot = cached_snapshot(repo_id, revision, env)
    if snapshot is not None:
        return CheckResult("model", "ok", f"{at} is in the Hugging Face cache ({snapshot})")
    if hub_offline(env):
        return CheckResult(
            "model",
            "fail",
            f"{at} is not in the Hugging Face cache at {hub_cache_dir(env)} "
            "and HF_HUB_OFFLINE=1 forbids downloading it",
            f"download it first (hf download {repo_id}) or unset HF_HUB_OFFLINE",
        )
    return CheckResult(
        "model",
        "warn",
        f"{at} is not in the Hugging Face cache: it will be downloaded on first use",
        f"download it ahead of time with hf download {repo_id}",
    )
