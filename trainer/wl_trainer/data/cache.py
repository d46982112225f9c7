"""The tokenized dataset cache, keyed by content: an unchanged second run reads numpy arrays back
instead of rendering and tokenizing again; a change to anything that shapes the rows makes a new
key.

The key is the sha256 of a canonical JSON of its parts (kept readable in each entry's manifest):

- ``pipeline``: PIPELINE_VERSION, bumped whenever this package changes what rows it makes;
- ``data_files``: the sha256 of each data file's bytes (not its name or modification time);
- ``tokenizer``: the sha256 of the tokenizer's full serialization (vocabulary, merges, added
  tokens, normalizer, pre-tokenizer — what tokenizer.json holds), ``chat_template``: the sha256
  of the template text, and ``special_tokens``, which templates read;
- the data settings that shape tokenization: ``format``, ``max_seq_length``, ``packing``,
  ``overlong``, ``system_prompt``, ``system_vars``, and ``date`` — the day ``{date}`` was filled
  with, or null when the prompt does not use it.

Entries live in ``$WL_CACHE_DIR/tokenized/<key>/`` (default ``~/.cache/wl``): one ``.npy`` per
array and ``manifest.json``. Each is written into a temporary sibling folder and renamed into
place when complete, so a half-written entry never looks like one.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from wl_trainer.atomic_dir import building_dir
from wl_trainer.data.packing import RowArrays
from wl_trainer.data.settings import DataSettings

# 2: records the chat template cannot split become one sample per run of assistant turns.
# 3: a turn whose render up to it is not a prefix of the render through it is aligned
# (alignment.py) instead of refused.
PIPELINE_VERSION = 3
MANIFEST = "manifest.json"
MANIFEST_SCHEMA = "wl.tokenized/1"
ARRAYS = ("input_ids", "labels", "sample_offsets", "row_offsets")
CHUNK = 1 << 20


def cache_root(env: Mapping[str, str] | None = None) -> Path:
    """``$WL_CACHE_DIR`` (default ``~/.cache/wl``): wl's cache folder."""
    env = os.environ if env is None else env
    return Path(env.get("WL_CACHE_DIR") or "~/.cache/wl").expanduser()


def key_parts(
    files: Sequence[Path], tokenizer: Any, settings: DataSettings, date_used: str | None
) -> dict[str, Any]:
    """Everything that decides the rows, in a JSON-able form."""
    return {
        "pipeline": PIPELINE_VERSION,
        "data_files": [file_sha256(path) for path in files],
        "tokenizer": tokenizer_sha256(tokenizer),
        "chat_template": text_sha256(json.dumps(tokenizer.chat_template, sort_keys=True)),
        "special_tokens": json.loads(json.dumps(tokenizer.special_tokens_map, default=str)),
        "format": settings.format,
        "max_seq_length": settings.max_seq_length,
        "packing": settings.packing,
        "overlong": settings.overlong,
        "system_prompt": settings.system_prompt,
        "system_vars": settings.system_vars,
        "date": date_used,
    }


def cache_key(parts: Mapping[str, Any]) -> str:
    """The sha256 of the parts' canonical JSON."""
    canonical = json.dumps(parts, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text_sha256(canonical)


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def text_sha256(text: str) -> str:
    """The sha256 of a text's UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def tokenizer_sha256(tokenizer: Any) -> str:
    """The sha256 of the tokenizer's serialization, in the state it tokenizes in."""
    # A call without truncation or padding clears any the backend kept from an earlier call
    # (they are part of the serialization), exactly as our own tokenization will.
    tokenizer("", add_special_tokens=False)
    return text_sha256(tokenizer.backend_tokenizer.to_str())


def load_entry(folder: Path) -> tuple[RowArrays, dict[str, Any]] | None:
    """A complete cache entry's arrays (memory-mapped) and manifest, or None."""
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
        if manifest.get("schema") != MANIFEST_SCHEMA:
            return None
        loaded = {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in ARRAYS}
    except (OSError, ValueError):
        return None
    return RowArrays(**loaded), manifest


def store_entry(folder: Path, arrays: RowArrays, manifest: Mapping[str, Any]) -> None:
    """Write an entry atomically: arrays first, the manifest last, then rename into place."""
    with building_dir(folder) as partial:
        for name in ARRAYS:
            np.save(partial / f"{name}.npy", getattr(arrays, name))
        document = {"schema": MANIFEST_SCHEMA, **manifest}
        (partial / MANIFEST).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
