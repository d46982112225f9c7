"""The trainer's data pipeline: JSONL records → the model's own chat template → tokens with
assistant-only labels → packed (or padded) rows, cached by content.

    from wl_trainer.data.prepare import prepare_dataset

    dataset = prepare_dataset(config, tokenizer)          # config: the resolved wl config
    dataset.stats.to_json()                               # samples, dropped, tokens, cache_hit …
    row = dataset.row(0)                                  # input_ids, labels, position_ids, …

One concern per module, in pipeline order: settings, records (+ formats, messages),
system_prompt, render (+ per_turn, for templates that cannot be split), masks, tokenize,
overlong, packing, dataset, cache, prepare; inspection builds the ``inspect`` command's report.
(tiny_corpus.txt here is the tiny test tokenizer's training text, not part of the pipeline.)
"""
