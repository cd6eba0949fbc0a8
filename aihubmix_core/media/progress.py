"""An optional terminal progress bar for long media work (video waits, many transcripts).

``tqdm`` is imported only when a bar is asked for, so the core keeps to httpx and pydantic.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from .types import VideoJob
from .videos import WaitOptions

__all__ = ["progress_bar", "video_progress"]


@contextmanager
def progress_bar(
    enabled: bool, *, total: float, desc: str, unit: str
) -> Iterator[Callable[[float], None] | None]:
    """A function that moves the bar to a position (``None`` when not ``enabled``)."""
    if not enabled:
        yield None
        return
    try:
        from tqdm.auto import tqdm  # type: ignore[import-untyped]
    except ImportError as error:
        raise ImportError(
            "show_progress=True needs tqdm: pip install tqdm (or set show_progress=False)."
        ) from error
    with tqdm(total=total, desc=desc, unit=unit) as bar:

        def move_to(position: float) -> None:
            bar.update(max(0.0, min(total, position) - bar.n))

        yield move_to


@contextmanager
def video_progress(enabled: bool, wait: WaitOptions) -> Iterator[WaitOptions]:
    """``wait`` with a bar over the video job's percent done added to its ``progress``
    callback, when ``enabled``."""
    with progress_bar(enabled, total=100, desc="Video", unit="%") as move_to:
        if move_to is None:
            yield wait
            return
        callback = wait.get("progress")

        def progress(job: VideoJob) -> None:
            move_to(job.progress or 0)
            if callback is not None:
                callback(job)

        yield {**wait, "progress": progress}
