"""``python -m aihubmix_testing.emulator --port 8089``: serve until interrupted."""

from __future__ import annotations

import argparse
import time

from .server import serve_in_thread

parser = argparse.ArgumentParser(description="Loopback AIHubMix emulator")
parser.add_argument("--port", type=int, default=8089)
args = parser.parse_args()
with serve_in_thread(args.port) as url:
    print(f"AIHubMix emulator at {url} (Ctrl-C to stop)", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
