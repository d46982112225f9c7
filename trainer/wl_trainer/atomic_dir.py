"""Building a folder so that it never looks complete before it is: write into a temporary sibling,
then rename it into place. A crash leaves only a ``.NAME.*.partial`` folder behind, never a
half-written NAME."""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def building_dir(out: Path) -> Iterator[Path]:
    """Yield an empty temporary folder next to ``out``; on success it replaces ``out``."""
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent))
    partial.chmod(0o755)  # mkdtemp's private 0700 would otherwise become the final folder's mode
    try:
        yield partial
        replace_dir(partial, out)
    finally:
        if partial.exists():
            shutil.rmtree(partial, ignore_errors=True)


def replace_dir(new: Path, out: Path) -> None:
    """Put ``new`` at ``out``, removing whatever was there only once ``new`` is in place."""
    if not out.exists():
        new.rename(out)
        return
    old = out.with_name(f".{out.name}.{uuid.uuid4().hex[:8]}.old")
    out.rename(old)
    new.rename(out)
    if old.is_dir():
        shutil.rmtree(old)
    else:
        old.unlink()
