"""The software side of ``check``'s report: Python, the platform and the ML packages installed.

Versions come from package metadata, so nothing heavy is imported to read them.
"""

from __future__ import annotations

import platform
from importlib import metadata
from typing import Any

# Report key → distribution name on PyPI.
PACKAGES = {
    "torch": "torch",
    "transformers": "transformers",
    "peft": "peft",
    "accelerate": "accelerate",
    "bitsandbytes": "bitsandbytes",
    "flash_attn": "flash-attn",
}


def package_version(distribution: str) -> str | None:
    """The installed version of a distribution, or None when it is absent."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


def installed_packages() -> dict[str, str | None]:
    """Versions of the packages training depends on (None for each one not installed)."""
    return {key: package_version(distribution) for key, distribution in PACKAGES.items()}


def platform_report() -> dict[str, Any]:
    """Python version and the operating system."""
    return {
        "python": platform.python_version(),
        "platform": {
            "system": platform.system(),
            "machine": platform.machine(),
            "release": platform.release(),
        },
    }
