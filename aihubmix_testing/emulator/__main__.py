"""``python -m aihubmix_testing.emulator [--port N]``: serve on 127.0.0.1 until interrupted."""

from __future__ import annotations

import argparse
import sys

from .server import DEFAULT_PORT, PortTakenError, make_server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m aihubmix_testing.emulator",
        description="A loopback AIHubMix API for tests: no key, no network, no tokens spent.",
    )
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"port on 127.0.0.1 (default {DEFAULT_PORT}; 0 takes any free port)",
    )
    args = parser.parse_args(argv)
    try:
        server = make_server(args.port)
    except PortTakenError as error:
        print(f"AIHubMix emulator not started: {error.strerror}", file=sys.stderr)
        return 1
    url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    print(f"AIHubMix emulator at {url} (Ctrl-C to stop)", flush=True)
    print(f"  export AIHUBMIX_BASE_URL={url} AIHUBMIX_API_KEY=any-key", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
