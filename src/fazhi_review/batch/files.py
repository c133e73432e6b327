"""Batch output files: written through ``output`` (the one atomic writer: a temp file in the same
folder, then ``os.replace``), and the temp files a killed run left behind cleaned up."""

from __future__ import annotations

from pathlib import Path

from fazhi_review.output import TEMP_SUFFIX, write_bytes_atomic, write_text_atomic

__all__ = ["TEMP_SUFFIX", "remove_outputs", "remove_stale_temps", "write_bytes_atomic", "write_text_atomic"]


def remove_stale_temps(folder: Path) -> int:
    """Temp files a killed run (SIGKILL, power cut) left behind; they are never outputs."""
    removed = 0
    for temp in folder.glob(f".*{TEMP_SUFFIX}"):
        temp.unlink(missing_ok=True)
        removed += 1
    return removed


def remove_outputs(outdir: Path, relative: list[str]) -> int:
    """Files this batch wrote for an input that is no longer given (its summary, 审阅意见 and viewer
    page): left behind, a stale letter would be handed out with the county's. Only paths inside
    ``outdir`` are touched."""
    root = outdir.resolve()
    removed = 0
    for name in relative:
        path = (outdir / name).resolve()
        if path.parent != root and root in path.parents and path.is_file():
            path.unlink()
            removed += 1
    return removed
