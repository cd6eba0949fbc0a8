"""Run the demo: ``make demo`` or ``python -m demo``."""

from __future__ import annotations

import sys
import time

from . import session


def main() -> int:
    started = time.perf_counter()
    with session.session() as mode:
        print("AIHubMix for LangChain and LlamaIndex: demo")
        print(mode.banner)
        from . import langchain_part, llama_index_part, media_part

        print("\n== LangChain ==")
        langchain_part.run()
        print("\n== LlamaIndex ==")
        llama_index_part.run()
        print("\n== Images, speech, transcription, rerank, video (both frameworks) ==")
        media_part.run(mode.name)
    print(
        f"\nDone: {session.Step.count} steps in {time.perf_counter() - started:.2f} s ({mode.name})."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
