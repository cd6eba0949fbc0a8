"""What reaches a real socket from the client's own connection pool: each header once,
ours winning over httpx's defaults, the key only in Authorization."""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from testkit import KEY, completion

from aihubmix_core import AIHubMixClient, APIConnectionError, ChatRequest, Message

REQUEST = ChatRequest(model="gpt-4o-mini", messages=[Message(role="user", content="hi")])


bodies: list[bytes] = []


@pytest.fixture
def server() -> Iterator[tuple[str, list[list[tuple[str, str]]]]]:
    seen: list[list[tuple[str, str]]] = []
    bodies.clear()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["content-length"]))
            seen.append([(k.lower(), v) for k, v in self.headers.items()])
            bodies.append(body)
            body = json.dumps(completion("ok")).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            return

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1", seen
    httpd.shutdown()
    httpd.server_close()


def test_each_header_once_with_ours_winning(
    server: tuple[str, list[list[tuple[str, str]]]],
) -> None:
    base_url, seen = server
    client = AIHubMixClient(
        api_key=KEY, base_url=base_url, app_code="APP-1", default_headers={"X-Trace": "t1"}
    )
    client.chat(REQUEST)
    client.chat(REQUEST)  # the second request takes the prepared path
    asyncio.run(client.achat(REQUEST))
    client.close()
    assert len(seen) == 3
    for headers in seen:
        names = [name for name, _ in headers]
        assert len(names) == len(set(names)), headers
        sent = dict(headers)
        assert sent["authorization"] == f"Bearer {KEY}"
        assert sent["user-agent"].startswith("aihubmix-integrations/")
        assert sent["accept"] == "application/json"
        assert sent["content-type"] == "application/json"
        assert sent["app-code"] == "APP-1" and sent["x-trace"] == "t1"
        assert "gzip" in sent["accept-encoding"]
        assert all(KEY not in value for name, value in headers if name != "authorization")


def test_host_and_length_match_the_body_sent(
    server: tuple[str, list[list[tuple[str, str]]]],
) -> None:
    """The body is sent as prepared bytes: ``Host`` and ``Content-Length`` are set by the
    client, so they must match what httpx would have written (UTF-8 length, not characters)."""
    base_url, seen = server
    text = "Füchse 🦊 und Dächse"
    request = ChatRequest(model="gpt-4o-mini", messages=[Message(role="user", content=text)])
    client = AIHubMixClient(api_key=KEY, base_url=base_url)
    client.chat(request)
    client.chat(request)
    asyncio.run(client.achat(request))
    client.close()
    host = base_url.split("//", 1)[1].split("/", 1)[0]
    assert len(seen) == len(bodies) == 3
    for headers, body in zip(seen, bodies, strict=True):
        sent = dict(headers)
        assert headers[0] == ("host", host)
        assert int(sent["content-length"]) == len(body) > len(text)
        assert json.loads(body)["messages"] == [{"role": "user", "content": text}]


def test_a_failed_requests_body_stays_readable() -> None:
    """The error for a call that never got an answer carries the request it sent, body
    readable, as httpx builds it from ``content=`` (a log or a retry wrapper reads it)."""
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = AIHubMixClient(api_key=KEY, base_url=f"http://127.0.0.1:{port}/v1", max_retries=0)
    with pytest.raises(APIConnectionError) as failed:
        client.chat(REQUEST)
    assert json.loads(failed.value.request.content)["messages"] == [
        {"role": "user", "content": "hi"}
    ]
    with pytest.raises(APIConnectionError) as failed_async:
        asyncio.run(client.achat(REQUEST))
    assert json.loads(failed_async.value.request.content)["model"] == "gpt-4o-mini"
