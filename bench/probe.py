"""Measurements that need a fresh interpreter: import time, and memory while streaming.

``python -m bench.probe IMPORT_PACKAGE IMPORT_CLASS [SUBJECT BASE_URL CHUNKS...]`` prints
one JSON line. Only the standard library is loaded before ``import X`` is timed; the class
statement is timed next, and its figure is the sum of both, since ``from X import Class``
first imports ``X``: what each statement costs a user's program. Memory is the peak resident set growth
(Linux ``VmHWM``, reset before each stream) over the process after a warm-up stream.
"""

from __future__ import annotations

import gc
import json
import sys
import time


def _kib(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"/proc/self/status has no {field}")


def _reset_peak() -> bool:
    """Set the peak RSS back to the current RSS (Linux >= 4.0); False where not allowed."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
    except OSError:
        return False
    return True


def _memory(subject_key: str, base_url: str, sizes: list[int]) -> dict[str, float]:
    from .subjects import by_key

    driver = by_key(subject_key).build(base_url)
    sum(driver.stream("bench-200"))
    growth: dict[str, float] = {}
    for chunks in sizes:
        gc.collect()
        baseline = _kib("VmRSS")
        if not _reset_peak():
            baseline = _kib("VmHWM")  # best effort: growth beyond every earlier peak
        arrived = sum(driver.stream(f"bench-{chunks}"))
        if arrived != chunks:
            raise RuntimeError(f"{subject_key} saw {arrived} of {chunks} chunks")
        growth[str(chunks)] = max(_kib("VmHWM") - baseline, 0) / 1024
    return growth


def main(argv: list[str]) -> None:
    package, cls = argv[:2]
    started = time.perf_counter()
    exec(package, {})
    imported = time.perf_counter()
    exec(cls, {})
    result: dict[str, object] = {
        "package": imported - started,
        "class": time.perf_counter() - started,
    }
    if len(argv) > 2:
        subject_key, base_url, *sizes = argv[2:]
        result["memory_mib"] = _memory(subject_key, base_url, [int(size) for size in sizes])
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
