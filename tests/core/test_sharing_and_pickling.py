"""A client shared between threads builds one transport; clients and errors cross process
boundaries (pickle), which worker pools such as LlamaIndex's IngestionPipeline rely on."""

from __future__ import annotations

import pickle
import threading

import httpx
import pytest
from testkit import KEY

from aihubmix_core import (
    AIHubMixClient,
    AIHubMixError,
    MissingAPIKeyError,
    RateLimitError,
    StreamInterruptedError,
    error_from_body,
)
from aihubmix_core.types import ChatResult, Choice, Message


def test_threads_racing_for_the_transports_share_one_of_each() -> None:
    client = AIHubMixClient(api_key=KEY)
    start = threading.Barrier(8)
    seen: list[object] = []

    def grab() -> None:
        start.wait()
        seen.append(client.sync_executor)
        seen.append(client.async_executor)

    threads = [threading.Thread(target=grab) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(t) for t in seen}) == 2
    client.close()


def test_a_pickled_client_keeps_its_settings_and_key() -> None:
    client = AIHubMixClient(api_key=KEY, base_url="http://127.0.0.1:9/v1", max_retries=5)
    client.sync_executor  # noqa: B018 - a live pool must not stop pickling
    copy = pickle.loads(pickle.dumps(client))
    assert copy.config == client.config
    assert copy.config.secret() == KEY
    assert copy.sync_executor is not client.sync_executor


@pytest.mark.parametrize(
    "error",
    [
        MissingAPIKeyError(),
        error_from_body(
            429,
            b'{"error": {"message": "slow down", "code": "rate_limit"}}',
            retry_after=2.0,
            request_id="req-1",
            response=httpx.Response(429),
        ),
        StreamInterruptedError(
            "dropped",
            partial=ChatResult(choices=[Choice(0, Message(role="assistant", content="Hel"))]),
        ),
    ],
    ids=["missing-key", "rate-limit", "stream-interrupted"],
)
def test_errors_survive_pickling(error: AIHubMixError) -> None:
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is type(error)
    assert str(copy) == str(error)
    if isinstance(error, RateLimitError):
        assert (copy.status_code, copy.code, copy.retry_after, copy.request_id) == (
            429,
            "rate_limit",
            2.0,
            "req-1",
        )
        assert copy.response is None  # the live response stays behind
    if isinstance(error, StreamInterruptedError):
        assert copy.partial_text == "Hel"
