"""A key the gateway quotes back is redacted wherever an error is built from it: an error
event in a 200 stream, a 200 body that is not JSON or not a completion, a request id
header. Through every chat call path (core, LangChain, LlamaIndex; sync and async)."""

from __future__ import annotations

import json
import traceback
from typing import Any

import pytest
from reliability.drivers import CHAT_DRIVERS, Driver, Settings

from aihubmix_core import AIHubMixError
from aihubmix_testing import faults
from aihubmix_testing.faults import FaultGateway

SECRET = "sk-QUOTED-5e8a1c3f9b7d2046"


def _everything_printable(error: BaseException) -> str:
    state = {k: v for k, v in vars(error).items() if k not in ("request", "response")}
    response = getattr(error, "response", None)
    parts = [
        str(error),
        repr(error),
        "".join(traceback.format_exception(type(error), error, error.__traceback__)),
        json.dumps(state, default=repr),
    ]
    if response is not None:
        parts += [response.text, json.dumps(dict(response.headers))]
    return "\n".join(parts)


@pytest.mark.parametrize("place", ["stream-error", "non-json", "wrong-shape", "request-id"])
@pytest.mark.parametrize("driver", CHAT_DRIVERS, ids=repr)
def test_a_key_quoted_back_never_reaches_the_error(
    driver: Driver, place: str, gateway: FaultGateway
) -> None:
    gateway.script(faults.QuoteKey(place))
    with pytest.raises(AIHubMixError) as caught:
        driver.run(Settings(gateway.base_url, api_key=SECRET, max_retries=0), [])
    text = _everything_printable(caught.value)
    assert SECRET not in text
    assert "***" in text  # the quote was there, and was redacted
    cause: Any = caught.value.__cause__ or caught.value.__context__
    while cause is not None:
        assert SECRET not in str(cause)
        cause = cause.__cause__ or cause.__context__
