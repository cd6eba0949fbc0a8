"""Streams give their connection back to the pool: the body is read to its end after [DONE].

Closing a stream's response early makes httpx drop the connection, so every stream would
pay a new TCP (and, in production, TLS) handshake.
"""

from __future__ import annotations

import asyncio

from aihubmix_core import AIHubMixClient, ChatRequest, Message
from aihubmix_testing.faults import FaultGateway

REQUEST = ChatRequest(model="gpt-4o-mini", messages=[Message(role="user", content="hello")])


def test_sequential_sync_streams_share_one_connection(gateway: FaultGateway) -> None:
    before = gateway.total_connections
    client = AIHubMixClient(api_key="replay-key-not-a-secret", base_url=gateway.base_url)
    for _ in range(5):
        stream = client.stream_chat(REQUEST)
        assert "".join(d.content for d in stream)
        assert stream.result is not None and stream.result.finish_reason == "stop"
    client.close()
    assert gateway.total_connections - before == 1


def test_sequential_async_streams_share_one_connection(gateway: FaultGateway) -> None:
    before = gateway.total_connections
    client = AIHubMixClient(api_key="replay-key-not-a-secret", base_url=gateway.base_url)

    async def main() -> None:
        for _ in range(5):
            stream = client.astream_chat(REQUEST)
            assert "".join([d.content async for d in stream])
        await client.aclose()

    asyncio.run(main())
    assert gateway.total_connections - before == 1
