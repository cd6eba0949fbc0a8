"""Settings are checked when a client is made: a bad value fails there, with a message that
names the setting and never the key; values users bring from other clients are understood."""

from __future__ import annotations

import math
from typing import Any

import httpx
import pytest
from testkit import KEY, completion

from aihubmix_core import AIHubMixClient, ChatRequest, ClientConfig, ConfigurationError, Message

REQUEST = ChatRequest(model="gpt-4o-mini", messages=[Message(role="user", content="Hi")])


def test_a_key_with_surrounding_whitespace_is_stripped(make_client: Any) -> None:
    sent: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request.headers["authorization"])
        return httpx.Response(200, json=completion())

    make_client(handler, api_key=f"  {KEY}\n").chat(REQUEST)
    assert sent == [f"Bearer {KEY}"]


def test_a_key_from_the_environment_with_a_newline_is_stripped(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AIHUBMIX_API_KEY", f"{KEY}\n")
    assert ClientConfig.resolve().secret() == KEY


@pytest.mark.parametrize("inner", ["\n", "\r", "\t", "\x00", "\x7f"])
def test_a_key_with_an_inner_control_character_is_refused_without_showing_it(inner: str) -> None:
    key = f"not-a-real-key-abcdefgh{inner}ijklmnop"
    with pytest.raises(ConfigurationError) as info:
        AIHubMixClient(api_key=key)
    text = str(info.value)
    assert "control character" in text and "AIHUBMIX_API_KEY" in text
    assert "abcdefgh" not in text and "ijklmnop" not in text


@pytest.mark.parametrize(
    "key", ["\u201cnot-a-real-key-abcdefghijklmnop\u201d", "not-a-real-key-abcdefgh\u00e9ijklmnop"]
)
def test_a_key_that_is_not_ascii_is_refused_without_showing_it(key: str) -> None:
    """A key pasted with curly quotes cannot go in a header: a clear error at construction
    rather than a UnicodeEncodeError that quotes the key (the adapters: test_secrets.py)."""
    with pytest.raises(ConfigurationError) as info:
        AIHubMixClient(api_key=key)
    text = f"{info.value!s} {info.value!r}"
    assert "not plain ASCII" in text and "AIHUBMIX_API_KEY" in text
    assert "abcdefgh" not in text and "ijklmnop" not in text


@pytest.mark.parametrize("timeout", [0, -1, -0.5, math.nan, math.inf, "10", True], ids=repr)
def test_an_unusable_timeout_is_refused_at_construction(timeout: Any) -> None:
    with pytest.raises(ConfigurationError, match="timeout"):
        AIHubMixClient(api_key=KEY, timeout=timeout)


@pytest.mark.parametrize("idle", [0, -3, math.nan, math.inf])
def test_an_unusable_stream_idle_timeout_is_refused_at_construction(idle: float) -> None:
    with pytest.raises(ConfigurationError, match="stream_idle_timeout"):
        AIHubMixClient(api_key=KEY, stream_idle_timeout=idle)


def test_a_bad_connect_timeout_is_refused() -> None:
    with pytest.raises(ConfigurationError, match="connect_timeout"):
        AIHubMixClient(api_key=KEY, connect_timeout=0)


@pytest.mark.parametrize(
    ("timeout", "expected"),
    [
        (30, (30.0, 10.0)),
        ((2, 45), (45.0, 2.0)),
        (httpx.Timeout(20, connect=3), (20.0, 3.0)),
        (httpx.Timeout(None, connect=4), (600.0, 4.0)),
    ],
    ids=["seconds", "connect-read-tuple", "httpx-timeout", "httpx-timeout-no-read"],
)
def test_timeout_takes_the_forms_openai_users_pass(
    timeout: Any, expected: tuple[float, float]
) -> None:
    config = ClientConfig.resolve(api_key=KEY, timeout=timeout)
    assert (config.timeout, config.connect_timeout) == expected


def test_a_tuple_timeout_needs_two_values() -> None:
    with pytest.raises(ConfigurationError, match=r"\(connect, read\)"):
        ClientConfig.resolve(api_key=KEY, timeout=(1, 2, 3))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("base_url", "fragment"),
    [
        ("https://aihubmix.com/v1?x=1", "query string"),
        ("https://aihubmix.com/v1#frag", "fragment"),
        ("https://aihubmix.com/v1\r\nX-Evil: 1", "control character"),
        ("https://aihub mix.com/v1", "space"),
        ("https://aihubmix.com:99999/v1", "port 99999"),
        ("https://aihubmix.com:abc/v1", "valid URL"),
        ("", "empty"),
        ("   ", "empty"),
        ("ftp://aihubmix.com/v1", "http://"),
        ("https:///v1", "host"),
    ],
)
def test_a_base_url_that_cannot_work_is_refused_at_construction(
    base_url: str, fragment: str
) -> None:
    with pytest.raises(ConfigurationError) as info:
        AIHubMixClient(api_key=KEY, base_url=base_url)
    assert fragment in str(info.value)
    assert "base_url" in str(info.value)


def test_a_base_url_with_credentials_is_refused_without_printing_them() -> None:
    with pytest.raises(ConfigurationError) as info:
        AIHubMixClient(api_key=KEY, base_url="https://alice:hunter2-password@proxy.example/v1")
    assert "hunter2-password" not in str(info.value)
    assert "user:password@" in str(info.value)


def test_an_upper_case_scheme_is_accepted() -> None:
    config = ClientConfig.resolve(api_key=KEY, base_url="HTTPS://AIHUBMIX.COM/v1/")
    assert config.base_url == "https://aihubmix.com/v1"
    assert config.url("chat/completions") == "https://aihubmix.com/v1/chat/completions"


def test_a_port_is_kept() -> None:
    config = ClientConfig.resolve(api_key=KEY, base_url="http://127.0.0.1:8080/v1")
    assert config.base_url == "http://127.0.0.1:8080/v1"
