"""Client configuration: explicit arguments win over ``AIHUBMIX_*`` environment variables."""

from __future__ import annotations

import os
import platform
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, SecretStr, ValidationError, field_validator

from ._version import __version__
from .errors import ConfigurationError, MissingAPIKeyError

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_CONNECT_TIMEOUT",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_STREAM_IDLE_TIMEOUT",
    "DEFAULT_TIMEOUT",
    "ClientConfig",
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


def _env(name: str) -> str | None:
    value = os.environ.get(name, "").strip()
    return value or None


class ClientConfig(BaseModel):
    """Everything the transport needs. Read the environment once, at construction."""

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
    def _check_base_url(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if not value.startswith(("http://", "https://")):
            raise ConfigurationError(
                f"base_url must start with http:// or https://, got {value!r}; "
                f"set {ENV_BASE_URL} or base_url= to a URL such as {DEFAULT_BASE_URL}"
            )
        return value

    @classmethod
    def resolve(
        cls,
        *,
        api_key: str | SecretStr | None = None,
        base_url: str | None = None,
        app_code: str | None = None,
        user_agent_suffix: str | None = None,
        default_headers: Mapping[str, str] | None = None,
        **settings: Any,
    ) -> ClientConfig:
        """Build a config from arguments, falling back to the environment for what is missing."""
        key = api_key.get_secret_value() if isinstance(api_key, SecretStr) else api_key
        key = key or _env(ENV_API_KEY)
        agent = BASE_USER_AGENT + (f" {user_agent_suffix}" if user_agent_suffix else "")
        clean = {k: v for k, v in settings.items() if v is not None}
        return cls(
            api_key=SecretStr(key) if key else None,
            base_url=base_url or _env(ENV_BASE_URL) or DEFAULT_BASE_URL,
            app_code=app_code or _env(ENV_APP_CODE),
            default_headers=dict(default_headers or {}),
            user_agent=agent,
            **clean,
        )

    def secret(self) -> str:
        """The key in clear, for the Authorization header only; raises if there is none."""
        if self.api_key is None or not self.api_key.get_secret_value():
            raise MissingAPIKeyError()
        return self.api_key.get_secret_value()

    def headers(self, *, auth: bool = True) -> dict[str, str]:
        """Request headers: auth, User-Agent, the optional APP-Code, then the caller's defaults.

        ``auth=False`` is for public endpoints (the model catalog), which need no key."""
        headers = {"User-Agent": self.user_agent, "Accept": "application/json"}
        if auth:
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
