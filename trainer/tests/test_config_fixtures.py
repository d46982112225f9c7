"""The shared fixture configs (packages/core/test/fixtures/configs): the trainer reaches the same
verdict as the TypeScript loader — everything in valid/ loads, everything in invalid/ is refused."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import FIXTURE_CONFIGS
from wl_trainer.config import load_config
from wl_trainer.errors import WlError


def fixtures(verdict: str) -> list[Path]:
    folder = FIXTURE_CONFIGS / verdict
    return sorted(folder.glob("*.y*ml")) + sorted(folder.glob("*.json")) if folder.is_dir() else []


def ids(paths: list[Path]) -> list[str]:
    return [path.name for path in paths]


@pytest.mark.skipif(not fixtures("valid"), reason="packages/core fixture configs are absent")
@pytest.mark.parametrize("path", fixtures("valid"), ids=ids(fixtures("valid")))
def test_valid_fixture_loads(path: Path, schema_file: Path) -> None:
    resolved = load_config(path, schema_file).resolved
    assert {"model", "data", "lora", "training"} <= set(resolved)


@pytest.mark.skipif(not fixtures("invalid"), reason="packages/core fixture configs are absent")
@pytest.mark.parametrize("path", fixtures("invalid"), ids=ids(fixtures("invalid")))
def test_invalid_fixture_is_refused_in_one_line(path: Path, schema_file: Path) -> None:
    with pytest.raises(WlError) as caught:
        load_config(path, schema_file)
    assert "\n" not in caught.value.message
    assert caught.value.fix
