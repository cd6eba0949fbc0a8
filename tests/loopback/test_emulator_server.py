"""The emulator as a server users start: its command, its port, its connections."""

from __future__ import annotations

import http.client
import json
import re
import socket
import subprocess
import sys
from collections.abc import Iterator

import pytest

from aihubmix_testing.emulator import PortTakenError, make_server, serve_in_thread


@pytest.fixture
def taken_port() -> Iterator[int]:
    """A port on 127.0.0.1 that something else is listening on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


def test_accepted_connections_have_nagle_off() -> None:
    """With Nagle on, a reply's body waited for the ACK of its head: 40 ms per reused connection."""
    server = make_server(0)
    try:
        with socket.create_connection(server.server_address[:2]) as _client:
            connection, _ = server.get_request()
            with connection:
                assert connection.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
    finally:
        server.server_close()


def test_one_connection_serves_one_request_after_another() -> None:
    """HTTP/1.1 keep-alive, even after a GET that carried a body nobody reads."""
    with serve_in_thread() as base_url:
        port = int(re.findall(r":(\d+)/v1$", base_url)[0])
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request("GET", "/api/v1/models", body=b'{"ignored": true}')
            first = connection.getresponse()
            assert first.status == 200 and json.loads(first.read())["data"]
            sock = connection.sock
            body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}]}
            connection.request(
                "POST",
                "/v1/chat/completions",
                body=json.dumps(body),
                headers={"Authorization": "Bearer any-key", "Content-Type": "application/json"},
            )
            second = connection.getresponse()
            assert second.status == 200
            assert json.loads(second.read())["choices"][0]["message"]["content"]
            assert connection.sock is sock, "the second request needed a new connection"
        finally:
            connection.close()


def test_a_taken_port_is_a_clear_error(taken_port: int) -> None:
    with pytest.raises(PortTakenError) as info, serve_in_thread(taken_port):
        pass
    assert f"port {taken_port} on 127.0.0.1 is already in use" in str(info.value)
    assert info.value.port == taken_port


def test_the_command_says_which_port_is_taken(taken_port: int) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "aihubmix_testing.emulator", "--port", str(taken_port)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert "Traceback" not in done.stderr
    assert f"port {taken_port} on 127.0.0.1 is already in use" in done.stderr
    assert "--port" in done.stderr  # says what to do about it


def test_the_command_prints_its_base_url_and_serves_there() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "aihubmix_testing.emulator", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        first_line = process.stdout.readline()
        found = re.fullmatch(
            r"AIHubMix emulator at (http://127\.0\.0\.1:(\d+)/v1) \(Ctrl-C to stop\)\n", first_line
        )
        assert found, first_line
        assert found.group(1) in process.stdout.readline()  # the export line
        connection = http.client.HTTPConnection("127.0.0.1", int(found.group(2)), timeout=30)
        try:
            connection.request("GET", "/v1/models", headers={"Authorization": "Bearer any-key"})
            assert connection.getresponse().status == 200
        finally:
            connection.close()
    finally:
        process.terminate()
        process.communicate(timeout=60)
