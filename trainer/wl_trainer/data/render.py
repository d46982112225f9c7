"""Rendering a conversation with the model's own chat template and finding, from the template
itself, the characters each assistant turn occupies.

The text is ``tokenizer.apply_chat_template(messages, tools=tools, tokenize=False)``, exactly what
serving renders (rendered through the compiled template directly where that is proven to give the
same text: jinja_render.py). For each assistant message ``i``, two more renders with the same
template:

- ``messages[:i]`` with ``add_generation_prompt=True`` ends where the assistant starts writing;
- ``messages[:i+1]`` ends where that assistant turn ends (its end-of-turn token included, and
  whatever the template writes to close the turn, e.g. ChatML's ``\\n`` after ``<|im_end|>``).

Both must be prefixes of the full text; the assistant span is the text between them. No
``{% generation %}`` tags and no string markers are needed, so every turn of every template is
covered. A template whose earlier turns render differently once later turns follow (Mistral's
tool list moves to the last user turn; Qwen3 drops past reasoning) "cannot be split" into one
sample: per_turn.py then makes one sample per run of assistant turns from the same renders (or,
where even a turn's own renders disagree, aligns them: alignment.py), or refuses the
conversation, naming it — it is never masked wrongly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from wl_trainer.data.jinja_render import Renderer, direct_renderer
from wl_trainer.data.messages import Message
from wl_trainer.errors import WlError

Span = tuple[int, int]


@dataclass(frozen=True)
class RenderedChat:
    """A conversation (or, split per turn, part of one) as text, with the character ranges of
    the assistant turns it trains."""

    name: str
    text: str
    spans: list[Span]
    """``[start, end)`` of each trained assistant turn, in order, never overlapping."""
    part: int | None = None
    """None for a whole conversation; 1, 2, … for the samples of one split per turn."""
    aligned: bool = False
    """Whether its one trained turn was found by aligning two renders (alignment.py)."""


@dataclass(frozen=True)
class TurnRenders:
    """Every render of one conversation the masks are derived from."""

    text: str
    """The whole conversation."""
    openings: list[str]
    """For each assistant message, the conversation before it with the generation prompt."""
    closings: list[str]
    """For each assistant message, the conversation through it."""


class TemplateSplitError(WlError):
    """The chat template renders a conversation's prefixes inconsistently with the whole."""

    def __init__(self, name: str, detail: str) -> None:
        super().__init__(
            "data.template_split",
            f"{name}: the chat template cannot be split into turns: {detail}",
            "use a chat template whose render up to an assistant turn, generation prompt "
            "included, is where its render through that turn starts (serving relies on it)",
        )


def render_turns(tokenizer: Any, name: str, messages: list[Message], tools: Any) -> TurnRenders:
    """The whole conversation and the renders up to and through each assistant message."""
    turns = [index for index, message in enumerate(messages) if message["role"] == "assistant"]
    if turns and turns[0] == 0:
        raise WlError(
            "data.no_prompt",
            f"{name}: the conversation opens with an assistant turn, with nothing before it",
            "start the conversation with a system or user message",
        )
    ends_with_assistant = bool(turns) and turns[-1] == len(messages) - 1
    whole = [] if ends_with_assistant else [len(messages)]
    render = direct_renderer(tokenizer, messages, tools)
    if render is None:
        openings = apply_template(tokenizer, name, [messages[:i] for i in turns], tools, True)
        closings = apply_template(tokenizer, name, [messages[: i + 1] for i in turns], tools, False)
        text = apply_template(tokenizer, name, [messages[:n] for n in whole], tools, False)
    else:
        # The same renders in the same order, so a refusal names the same error.
        openings = render_direct(render, name, turns, True)
        closings = render_direct(render, name, [i + 1 for i in turns], False)
        text = render_direct(render, name, whole, False)
    return TurnRenders(closings[-1] if ends_with_assistant else text[0], openings, closings)


def render_direct(
    render: Renderer, name: str, counts: list[int], generation_prompt: bool
) -> list[str]:
    """The renders of the first ``count`` messages for each count, through jinja_render.py."""
    try:
        return [render(count, generation_prompt) for count in counts]
    except Exception as error:  # a template is code: whatever it raises is about this record
        raise render_error(name, error) from error


def apply_template(
    tokenizer: Any, name: str, chats: list[list[Message]], tools: Any, generation_prompt: bool
) -> list[str]:
    """``apply_chat_template`` on a batch of conversations (one call: less overhead per render)."""
    if not chats:
        return []
    try:
        rendered = tokenizer.apply_chat_template(
            chats, tools=tools, tokenize=False, add_generation_prompt=generation_prompt
        )
    except Exception as error:  # a template is code: whatever it raises is about this record
        raise render_error(name, error) from error
    return list(rendered)


def render_error(name: str, error: Exception) -> WlError:
    """The refusal of a record whose render raised ``error``."""
    return WlError(
        "data.render",
        f"{name}: the chat template refused this conversation: {error}",
        "fix the record (roles, order, tool calls) or use a model whose template accepts it",
    )


def assistant_spans(name: str, text: str, openings: list[str], closings: list[str]) -> list[Span]:
    """The ``[start, end)`` of each assistant turn; TemplateSplitError when a prefix render is
    not a prefix of the full text or the spans come out of order."""
    spans: list[Span] = []
    previous_end = 0
    for turn, (opening, closing) in enumerate(zip(openings, closings, strict=True), start=1):
        for label, prefix in (("up to", opening), ("through", closing)):
            if not text.startswith(prefix):
                raise TemplateSplitError(
                    name,
                    f"the render {label} assistant turn {turn} is not a prefix of the whole "
                    f"conversation (they differ from character {common_prefix(prefix, text)})",
                )
        start, end = len(opening), len(closing)
        if not previous_end <= start <= end:
            raise TemplateSplitError(
                name, f"assistant turn {turn} would span characters {start}..{end}"
            )
        spans.append((start, end))
        previous_end = end
    return spans


def common_prefix(first: str, second: str) -> int:
    """How many leading characters two strings share."""
    limit = min(len(first), len(second))
    return next((i for i in range(limit) if first[i] != second[i]), limit)
