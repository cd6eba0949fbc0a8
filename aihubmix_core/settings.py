"""Client settings, in one place: explicit arguments win over ``AIHUBMIX_*`` environment
variables, defaults live here only, and every value is checked when the client is made,
so a bad one fails at construction with a message that names it (never the key)."""

from __future__ import annotations

import math
import os
import platform
from collections.abc import Mapping
from typing import Any, Literal, TypedDict

import httpx
from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator
from typing_extensions import Unpack

from ._version import __version__
from .errors import ConfigurationError, MissingAPIKeyError

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_CONNECT_TIMEOUT",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_STREAM_IDLE_TIMEOUT",
    "DEFAULT_TIMEOUT",
    "SETTING_NAMES",
    "AuthStyle",
    "ClientConfig",
    "SettingsArgs",
    "TimeoutArg",
    "call_timeout",
]

DEFAULT_BASE_URL = "https://aihubmix.com/v1"
DEFAULT_TIMEOUT = 600.0
DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_STREAM_IDLE_TIMEOUT = 300.0
DEFAULT_MAX_RETRIES = 2
ENV_API_KEY = "AIHUBMIX_API_KEY"
ENV_BASE_URL = "AIHUBMIX_BASE_URL"
ENV_APP_CODE = "AIHUBMIX_APP_CODE"
BASE_USER_AGENT = f"aihubmix-integrations/{__version__} python/{platform.python_version()}"

AuthStyle = Literal["bearer", "x-api-key"]
"""How a request carries the key: ``Authorization: Bearer`` or Anthropic's ``x-api-key``."""

TimeoutArg = float | tuple[float | None, float | None] | httpx.Timeout | None
"""Seconds, a ``(connect, read)`` pair, or an ``httpx.Timeout``, as OpenAI clients take them."""


class SettingsArgs(TypedDict, total=False):
    """The settings every client and adapter class accepts, by these names."""

    api_key: str | SecretStr | None
    base_url: str | None
    app_code: str | None
    timeout: TimeoutArg
    connect_timeout: float | None
    stream_idle_timeout: float | None
    max_retries: int | None
    default_headers: Mapping[str, str] | None
    user_agent_suffix: str | None


SETTING_NAMES: tuple[str, ...] = tuple(SettingsArgs.__annotations__)


def _env(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


def _split_timeout(timeout: TimeoutArg) -> tuple[float | None, float | None]:
    """(request timeout, connect timeout) from any accepted form; ``None`` means unset."""
    if isinstance(timeout, httpx.Timeout):
        return timeout.read, timeout.connect
    if isinstance(timeout, tuple):
        if len(timeout) != 2:
            raise ConfigurationError(
                f"timeout as a tuple must be (connect, read) seconds, got {len(timeout)} values"
            )
        return timeout[1], timeout[0]
    return timeout, None


def _seconds(name: str, value: Any) -> Any:
    if value is None:
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigurationError(f"{name} must be a number of seconds, got {type(value).__name__}")
    if not math.isfinite(value) or value <= 0:
        raise ConfigurationError(
            f"{name} must be a positive, finite number of seconds, got {value!r}"
            + ("; use None to wait without limit" if name != "connect_timeout" else "")
        )
    return float(value)


def call_timeout(value: TimeoutArg) -> tuple[float | None, float | None]:
    """A per-call ``timeout`` (``invoke(..., timeout=5)``, as the OpenAI clients take it),
    checked like the client's: (request timeout, connect timeout)."""
    read, connect = _split_timeout(value)
    return _seconds("timeout", read), _seconds("connect_timeout", connect)


def _check_key(key: str) -> str:
    key = key.strip()  # a key read from a file or a secret store often ends with a newline
    if any(ord(char) < 32 or ord(char) == 127 for char in key):
        raise ConfigurationError(
            "The AIHubMix API key contains a control character (a line break or tab inside "
            f"it); check the value of {ENV_API_KEY} or api_key=."
        )
    if not key.isascii():  # it travels in a header; the key itself is never quoted back
        position = next(i for i, char in enumerate(key) if ord(char) > 127)
        raise ConfigurationError(
            f"The AIHubMix API key contains a character that is not plain ASCII at position "
            f"{position + 1} of {len(key)} (a curly quote or a look-alike letter, often picked "
            f"up when copying the key from a document); copy it again from the AIHubMix "
            f"console into {ENV_API_KEY} or api_key=."
        )
    return key


def _check_base_url(value: str) -> str:
    """A URL the client can use as it is, or a ConfigurationError saying what is wrong."""
    advice = f"set {ENV_BASE_URL} or base_url= to a URL such as {DEFAULT_BASE_URL}"
    value = value.strip()
    if not value:
        raise ConfigurationError(f"base_url is empty; {advice}, or leave it unset")
    if any(ord(char) <= 32 or ord(char) == 127 for char in value):
        raise ConfigurationError(f"base_url contains a space or control character; {advice}")
    scheme, sep, _ = value.partition("://")
    if not sep or scheme.lower() not in ("http", "https"):
        raise ConfigurationError(
            f"base_url must start with http:// or https://, got {value[:80]!r}; {advice}"
        )
    try:
        url = httpx.URL(scheme.lower() + value[len(scheme) :])
        port = url.port
    except (httpx.InvalidURL, ValueError):
        raise ConfigurationError(
            f"base_url is not a valid URL (check its host and port); {advice}"
        ) from None
    if url.userinfo:
        raise ConfigurationError(
            "base_url must not carry a user name or password (user:password@host): they would "
            "replace the API key. Give the key as api_key= and the URL without credentials."
        )
    if url.query or url.fragment or "?" in value or "#" in value:
        raise ConfigurationError(
            f"base_url must not have a query string or fragment (?... or #...); {advice}"
        )
    if not url.host:
        raise ConfigurationError(f"base_url has no host; {advice}")
    if port is not None and not 0 < port < 65536:
        raise ConfigurationError(f"base_url has an invalid port {port}; {advice}")
    return str(url).rstrip("/")


class ClientConfig(BaseModel):
    """Everything the HTTP layer needs. Read the environment once, at construction."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    api_key: SecretStr | None = Field(default=None, repr=False)
    base_url: str = DEFAULT_BASE_URL
    app_code: str | None = None
    timeout: float | None = Field(
        default=DEFAULT_TIMEOUT, description="Seconds for one request; None waits forever."
    )
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    stream_idle_timeout: float | None = Field(
        default=DEFAULT_STREAM_IDLE_TIMEOUT,
        description="Seconds a stream may go without an event; keep-alive comments do not count.",
    )
    max_retries: int = Field(default=DEFAULT_MAX_RETRIES, ge=0)
    default_headers: dict[str, str] = Field(default_factory=dict)
    user_agent: str = BASE_USER_AGENT

    def __init__(self, **data: Any) -> None:
        # pydantic wraps a validator's ValueError in ValidationError; callers are promised
        # ConfigurationError, and the input values (the key among them) stay out of the message.
        try:
            super().__init__(**data)
        except ValidationError as exc:
            problems = exc.errors(include_input=False, include_url=False)
            for problem in problems:
                original = (problem.get("ctx") or {}).get("error")
                if isinstance(original, ConfigurationError):
                    raise original from None
            details = "; ".join(
                f"{'.'.join(str(part) for part in p['loc'])}: {p['msg']}" for p in problems
            )
            raise ConfigurationError(f"Invalid AIHubMix client settings: {details}") from None

    @field_validator("base_url")
    @classmethod
    def _valid_base_url(cls, value: str) -> str:
        return _check_base_url(value)

    @field_validator("api_key")
    @classmethod
    def _valid_key(cls, value: SecretStr | None) -> SecretStr | None:
        return None if value is None else SecretStr(_check_key(value.get_secret_value()))

    @field_validator("timeout", "connect_timeout", "stream_idle_timeout", mode="before")
    @classmethod
    def _valid_seconds(cls, value: Any, info: Any) -> Any:
        return _seconds(str(info.field_name), value)

    @classmethod
    def resolve(cls, **args: Unpack[SettingsArgs]) -> ClientConfig:
        """Build a config from arguments, falling back to the environment and then to the
        defaults for what is missing (``None`` counts as missing)."""
        api_key = args.get("api_key")
        key = api_key.get_secret_value() if isinstance(api_key, SecretStr) else api_key
        key = key or _env(ENV_API_KEY)
        suffix = args.get("user_agent_suffix")
        base_url = args.get("base_url")
        timeout, connect = _split_timeout(args.get("timeout"))
        settings = {
            "timeout": timeout,
            "connect_timeout": connect
            if args.get("connect_timeout") is None
            else args["connect_timeout"],
            "stream_idle_timeout": args.get("stream_idle_timeout"),
            "max_retries": args.get("max_retries"),
        }
        return cls(
            api_key=SecretStr(key) if key else None,
            base_url=base_url if base_url is not None else _env(ENV_BASE_URL) or DEFAULT_BASE_URL,
            app_code=args.get("app_code") or _env(ENV_APP_CODE),
            default_headers=dict(args.get("default_headers") or {}),
            user_agent=BASE_USER_AGENT + (f" {suffix}" if suffix else ""),
            **{name: value for name, value in settings.items() if value is not None},
        )

    def secret(self) -> str:
        """The key in clear, for the Authorization header only; raises if there is none."""
        if self.api_key is None or not self.api_key.get_secret_value():
            raise MissingAPIKeyError()
        return self.api_key.get_secret_value()

    def headers(self, *, auth: bool = True, auth_style: AuthStyle = "bearer") -> dict[str, str]:
        """Request headers: auth, User-Agent, the optional APP-Code, then the caller's defaults.

        ``auth=False`` is for public endpoints (the model catalog), which need no key.
        ``auth_style="x-api-key"`` sends the key as Anthropic's ``x-api-key`` header and no
        ``Authorization`` (the Messages route refuses both at once)."""
        headers = {"User-Agent": self.user_agent, "Accept": "application/json"}
        if auth and auth_style == "x-api-key":
            headers["x-api-key"] = self.secret()
        elif auth:
            headers["Authorization"] = f"Bearer {self.secret()}"
        if self.app_code:
            headers["APP-Code"] = self.app_code
        headers.update(self.default_headers)
        return headers

    def url(self, path: str) -> str:
        return f"{self.base_url}/{path.lstrip('/')}"

    def catalog_url(self) -> str:
        """The public model catalog sits beside the API: ``.../v1`` becomes ``.../api/v1/models``."""
        root = self.base_url[: -len("/v1")] if self.base_url.endswith("/v1") else self.base_url
        return f"{root}/api/v1/models"
