"""Configuration: arguments over environment, the secret kept secret, headers, base URLs."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
from pydantic import SecretStr
from testkit import KEY, completion

from aihubmix_core import (
    DEFAULT_BASE_URL,
    AIHubMixClient,
    AuthenticationError,
    ChatRequest,
    ClientConfig,
    ConfigurationError,
    Message,
    MissingAPIKeyError,
    __version__,
)

REQUEST = ChatRequest(model="gpt-4o-mini", messages=[Message(role="user", content="Hi")])


def recording_handler(seen: list[httpx.Request], body: object = None, status: int = 200):
    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(status, json=completion() if body is None else body)

    return handler


def test_defaults_without_environment() -> None:
    config = ClientConfig.resolve()
    assert config.base_url == DEFAULT_BASE_URL == "https://aihubmix.com/v1"
    assert config.api_key is None
    assert config.app_code is None
    assert config.max_retries == 2


def test_environment_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIHUBMIX_API_KEY", "sk-from-env")
    monkeypatch.setenv("AIHUBMIX_BASE_URL", "https://proxy.example/v1/")
    monkeypatch.setenv("AIHUBMIX_APP_CODE", "ENVAPP")
    config = ClientConfig.resolve()
    assert isinstance(config.api_key, SecretStr)
    assert config.api_key.get_secret_value() == "sk-from-env"
    assert config.base_url == "https://proxy.example/v1"  # trailing slash dropped
    assert config.app_code == "ENVAPP"


def test_arguments_win_over_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIHUBMIX_API_KEY", "sk-from-env")
    monkeypatch.setenv("AIHUBMIX_BASE_URL", "https://env.example/v1")
    monkeypatch.setenv("AIHUBMIX_APP_CODE", "ENVAPP")
    client = AIHubMixClient(
        api_key="sk-from-arg", base_url="https://arg.example/v1", app_code="ARGAPP"
    )
    assert client.config.api_key is not None
    assert client.config.api_key.get_secret_value() == "sk-from-arg"
    assert client.config.base_url == "https://arg.example/v1"
    assert client.config.app_code == "ARGAPP"


def test_secretstr_argument_is_accepted() -> None:
    config = ClientConfig.resolve(api_key=SecretStr("sk-secret-arg"))
    assert config.secret() == "sk-secret-arg"


def test_blank_environment_values_are_ignored(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIHUBMIX_API_KEY", "   ")
    monkeypatch.setenv("AIHUBMIX_BASE_URL", "")
    config = ClientConfig.resolve()
    assert config.api_key is None
    assert config.base_url == DEFAULT_BASE_URL


def test_key_never_in_repr_or_str(monkeypatch: pytest.MonkeyPatch) -> None:
    client = AIHubMixClient(api_key=KEY)
    for text in (repr(client.config), str(client.config), repr(client), str(client)):
        assert KEY not in text
    assert isinstance(client.config.api_key, SecretStr)
    # the same when the key comes from the environment
    monkeypatch.setenv("AIHUBMIX_API_KEY", "sk-env-secret-999")
    env_client = AIHubMixClient()
    for text in (repr(env_client.config), str(env_client.config), repr(env_client)):
        assert "sk-env-secret-999" not in text


def test_key_echoed_in_error_body_is_redacted(make_client) -> None:
    body = {"error": {"message": f"Invalid token: {KEY} (tid: 123abc)", "type": "auth"}}
    client = make_client(lambda r: httpx.Response(401, json=body))
    with pytest.raises(AuthenticationError) as info:
        client.chat(REQUEST)
    assert KEY not in str(info.value)
    assert KEY not in info.value.message
    assert "***" in str(info.value)
    assert info.value.request_id == "123abc"


def test_key_echoed_in_non_json_error_body_is_redacted(make_client) -> None:
    client = make_client(lambda r: httpx.Response(401, text=f"<html>bad key {KEY}</html>"))
    with pytest.raises(AuthenticationError) as info:
        client.chat(REQUEST)
    assert KEY not in str(info.value)


def test_missing_key_fails_at_first_request_not_at_construction(make_client) -> None:
    seen: list[httpx.Request] = []
    client = make_client(recording_handler(seen), api_key=None)  # constructing is fine
    assert client.config.api_key is None
    with pytest.raises(MissingAPIKeyError) as info:
        client.chat(REQUEST)
    assert "AIHUBMIX_API_KEY" in str(info.value)
    assert isinstance(info.value, ConfigurationError)
    assert seen == []  # nothing was sent without a key


def test_missing_key_async() -> None:
    client = AIHubMixClient()
    with pytest.raises(MissingAPIKeyError, match="AIHUBMIX_API_KEY"):
        asyncio.run(client.achat(REQUEST))


def test_headers_auth_user_agent_no_app_code_by_default(make_client) -> None:
    seen: list[httpx.Request] = []
    client = make_client(recording_handler(seen))
    result = client.chat(REQUEST)
    assert result.text == "Hello!"
    (request,) = seen
    assert request.headers["Authorization"] == f"Bearer {KEY}"
    assert "app-code" not in request.headers
    agent = request.headers["User-Agent"]
    assert agent.startswith(f"aihubmix-integrations/{__version__}")
    assert request.headers["Content-Type"] == "application/json"
    assert str(request.url) == "https://aihubmix.com/v1/chat/completions"
    assert json.loads(request.content)["model"] == "gpt-4o-mini"


def test_app_code_sent_when_configured(make_client, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[httpx.Request] = []
    make_client(recording_handler(seen), app_code="MYAPP").chat(REQUEST)
    assert seen[-1].headers["APP-Code"] == "MYAPP"
    monkeypatch.setenv("AIHUBMIX_APP_CODE", "ENVCODE")
    make_client(recording_handler(seen)).chat(REQUEST)
    assert seen[-1].headers["APP-Code"] == "ENVCODE"


def test_user_agent_suffix_and_default_headers(make_client) -> None:
    seen: list[httpx.Request] = []
    client = make_client(
        recording_handler(seen),
        user_agent_suffix="langchain-aihubmix/9.9",
        default_headers={"X-Trace": "abc"},
        base_url="http://localhost:9999/v1/",
    )
    client.chat(REQUEST)
    (request,) = seen
    assert request.headers["X-Trace"] == "abc"
    assert request.headers["User-Agent"].endswith(" langchain-aihubmix/9.9")
    assert str(request.url) == "http://localhost:9999/v1/chat/completions"


def test_caller_async_client_is_used_and_not_closed() -> None:
    seen: list[httpx.Request] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=completion("async hi"))

    async def main() -> str:
        http = httpx.AsyncClient(transport=httpx.MockTransport(handler))
        async with AIHubMixClient(api_key=KEY, async_http_client=http) as client:
            result = await client.achat(REQUEST)
        assert not http.is_closed  # the caller owns it
        await http.aclose()
        return result.text

    assert asyncio.run(main()) == "async hi"
    assert seen[0].headers["Authorization"] == f"Bearer {KEY}"


def test_caller_sync_client_is_not_closed_by_us() -> None:
    http = httpx.Client(
        transport=httpx.MockTransport(lambda r: httpx.Response(200, json=completion()))
    )
    with AIHubMixClient(api_key=KEY, http_client=http) as client:
        client.chat(REQUEST)
    assert not http.is_closed
    http.close()


def test_owned_sync_client_is_closed() -> None:
    client = AIHubMixClient(api_key=KEY)
    http = client.sync_executor.pool.client()
    client.close()
    assert http.is_closed


@pytest.mark.parametrize("bad", ["aihubmix.com/v1", "ftp://aihubmix.com/v1", "  "])
def test_bad_base_url_is_a_configuration_error(bad: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        AIHubMixClient(api_key=KEY, base_url=bad + "x")
    text = str(info.value)
    assert "base_url" in text
    assert "http://" in text and "https://" in text


def test_bad_base_url_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIHUBMIX_BASE_URL", "localhost:8080")
    with pytest.raises(ConfigurationError, match="AIHUBMIX_BASE_URL"):
        ClientConfig.resolve()


def test_other_bad_settings_are_configuration_errors() -> None:
    with pytest.raises(ConfigurationError, match="max_retries"):
        AIHubMixClient(api_key=KEY, max_retries=-1)
    with pytest.raises(ConfigurationError):
        ClientConfig(api_key=KEY, unknown_setting=1)


def test_settings_pass_through() -> None:
    client = AIHubMixClient(
        api_key=KEY, timeout=5, connect_timeout=2, stream_idle_timeout=3, max_retries=0
    )
    assert client.config.timeout == 5
    assert client.config.connect_timeout == 2
    assert client.config.stream_idle_timeout == 3
    assert client.config.max_retries == 0


def test_explicit_config_object_is_used() -> None:
    config = ClientConfig.resolve(api_key=KEY, base_url="https://api.aihubmix.com/v1")
    client = AIHubMixClient(config=config)
    assert client.config is config


@pytest.mark.parametrize(
    ("base", "catalog"),
    [
        ("https://aihubmix.com/v1", "https://aihubmix.com/api/v1/models"),
        ("https://api.aihubmix.com/v1/", "https://api.aihubmix.com/api/v1/models"),
        ("http://127.0.0.1:8000", "http://127.0.0.1:8000/api/v1/models"),
    ],
)
def test_catalog_url_is_derived_from_base_url(base: str, catalog: str) -> None:
    assert ClientConfig.resolve(base_url=base).catalog_url() == catalog


def test_url_joins_paths() -> None:
    config = ClientConfig.resolve(base_url="https://x.example/v1/")
    assert config.url("/models") == "https://x.example/v1/models"
    assert config.url("embeddings") == "https://x.example/v1/embeddings"
