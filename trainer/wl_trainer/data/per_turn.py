"""Conversations a chat template cannot render as one sample, trained as several instead.

Some templates render earlier turns differently once later turns follow: Mistral's lists the
tools before the *last* user message, so after a second user message the first reply sits in
another context than the one it was written in; Qwen3's drops the reasoning of all but the last
assistant turn. No single render trains every turn in the context serving gave it, so when
render.py's spans do not fit the whole conversation, it becomes one sample per run of assistant
turns, each exactly what a server renders once the model has written that run:

- walking back from the last assistant message, a sample is the render through the latest
  assistant message not yet trained, ``messages[:j+1]``;
- it trains that message, and each assistant message just before it whose renders up to and
  through it (render.py) are still prefixes of the sample — for Mistral, the tool calls and the
  reply that answer one user message; for Qwen3, that one message;
- the first earlier message whose renders are not prefixes ends the run: the next sample ends
  with it.

So every assistant message is trained exactly once, in a sample whose text before it is exactly
the render up to it, generation prompt included. Messages after the last assistant message train
nothing and are left out.

When even the render up to an assistant message (``messages[:j]``, with the generation prompt) is
not a prefix of the render through it — Mistral v0.3 shows the system prompt only in the last
user message, so only in the former — that message is a sample of its own, "aligned": the render
up to it, then the text the template writes for the message itself, read off the render through
it by alignment.py, which alone is trained. Where that alignment is not exact and unique, no
sample is consistent with serving, and the conversation is refused (TemplateSplitError, naming
it).

The parts are named ``FILE:LINE (part k of n)``. Each repeats the conversation before it, so an
expanded conversation costs more tokens; prepare_dataset counts expanded conversations and the
extra samples they add, and the aligned samples among them.
"""

from __future__ import annotations

from typing import Any

from wl_trainer.data.alignment import aligned_reply
from wl_trainer.data.messages import Message
from wl_trainer.data.render import (
    RenderedChat,
    Span,
    TemplateSplitError,
    TurnRenders,
    assistant_spans,
    render_turns,
)


def render_samples(
    tokenizer: Any, name: str, messages: list[Message], tools: Any
) -> list[RenderedChat]:
    """The conversation as one sample when the template splits it, else one per run of
    assistant turns."""
    renders = render_turns(tokenizer, name, messages, tools)
    try:
        spans = assistant_spans(name, renders.text, renders.openings, renders.closings)
    except TemplateSplitError:
        return per_turn_chats(name, renders)
    return [RenderedChat(name, renders.text, spans)]


def per_turn_chats(name: str, renders: TurnRenders) -> list[RenderedChat]:
    """One sample per run of assistant turns (or per aligned turn), in conversation order."""
    aligned = {
        turn: aligned_reply(name, turn + 1, opening, closing)
        for turn, (opening, closing) in enumerate(
            zip(renders.openings, renders.closings, strict=True)
        )
        if not closing.startswith(opening)
    }  # in conversation order, so a refusal names the first turn that cannot be aligned
    runs: list[tuple[str, list[Span], bool]] = []
    last = len(renders.closings) - 1
    while last >= 0:
        if last in aligned:
            opening, reply = renders.openings[last], aligned[last]
            first, spans = last, [(len(opening), len(opening) + len(reply))]
            runs.append((opening + reply, spans, True))
        else:
            first, spans = turn_run(renders, last)
            runs.append((renders.closings[last], spans, False))
        last = first - 1
    runs.reverse()
    return [
        RenderedChat(f"{name} (part {part} of {len(runs)})", text, spans, part, is_aligned)
        for part, (text, spans, is_aligned) in enumerate(runs, start=1)
    ]


def turn_run(renders: TurnRenders, last: int) -> tuple[int, list[Span]]:
    """The first assistant message (0-based) trained by the sample through message ``last``,
    and the spans it trains: ``last`` and the run just before it still rendered the same (never
    a message whose render up to it is not a prefix of the render through it: both would have
    to be prefixes of the sample)."""
    text, opening = renders.closings[last], renders.openings[last]
    spans = [(len(opening), len(text))]
    first = last
    while first > 0:
        before, through = renders.openings[first - 1], renders.closings[first - 1]
        fits = text.startswith(before) and text.startswith(through)
        if not (fits and len(before) <= len(through) <= spans[0][0]):
            break
        first -= 1
        spans.insert(0, (len(before), len(through)))
    return first, spans
