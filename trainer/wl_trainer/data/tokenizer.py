"""Loading the tokenizer the data pipeline renders and tokenizes with, and checking it can: it
must be a fast (Rust) tokenizer, for character offsets, and carry a chat template."""

from __future__ import annotations

from typing import Any

from wl_trainer.errors import WlError


def load_tokenizer(model: str, revision: str | None = None, trust_remote_code: bool = False) -> Any:
    """The tokenizer of a local model folder or a hub id (through the Hugging Face cache)."""
    from transformers import AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # stderr carries wl's status lines only
    try:
        tokenizer = AutoTokenizer.from_pretrained(
            model, revision=revision, trust_remote_code=trust_remote_code
        )
    except (OSError, ValueError) as error:
        reason = first_line(error)
        raise WlError(
            "model.tokenizer",
            f"cannot load the tokenizer of {model}: {reason}",
            "pass a local model folder, or a hub id that is downloaded (or reachable: "
            "HF_HUB_OFFLINE=1 forbids downloads)",
        ) from error
    check_tokenizer(tokenizer, model)
    return tokenizer


def check_tokenizer(tokenizer: Any, model: str) -> None:
    """A WlError unless the tokenizer gives character offsets and has a chat template."""
    if not getattr(tokenizer, "is_fast", False):
        raise WlError(
            "data.slow_tokenizer",
            f"the tokenizer of {model} is a slow (Python) tokenizer without character offsets",
            "use a model that ships tokenizer.json (a fast tokenizer)",
        )
    if not tokenizer.chat_template:
        raise WlError(
            "data.no_chat_template",
            f"the tokenizer of {model} has no chat template",
            "use an instruct/chat model, or set tokenizer.chat_template before preparing data",
        )


def first_line(error: BaseException) -> str:
    """The first line of an exception's message (its type name when it has none): library
    errors often carry pages of advice after it."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
