"""County batch: many report files → bounded, cached, resumable per-report outputs + roll-up.

One module per concern: discovery (which files), cache (keys, entries, manifest), job (one
report), limiter (shared 429 pause for LLM workers), scheduler (bounded pool), progress,
crosscheck and years (cross-report findings), rollup (the county outputs), run (the command).
"""

from fazhi_review.batch.run import BatchOptions, BatchResult, run_batch, run_batch_command

__all__ = ["BatchOptions", "BatchResult", "run_batch", "run_batch_command"]
