"""The cost of a call from its usage and the model's prices, computed here by hand."""

from __future__ import annotations

import pytest

from aihubmix_core import Cost, ModelInfo, PriceTier, Usage, cost_of, lookup_model, usage_cost

M = 1_000_000


def _model(**prices: object) -> ModelInfo:
    return ModelInfo(id="m", known=True, **prices)  # type: ignore[arg-type]


PRICED = _model(input_price=2.0, output_price=8.0, cache_read_price=0.5, cache_write_price=2.5)


def test_openai_style_usage_counts_cached_tokens_inside_the_prompt() -> None:
    usage = Usage(
        prompt_tokens=1000,
        completion_tokens=200,
        total_tokens=1200,
        cached_tokens=400,
        cache_write_tokens=100,
        raw={"prompt_tokens": 1000},
    )
    cost = cost_of(usage, PRICED)
    assert cost == Cost(
        input=500 * 2.0 / M,
        output=200 * 8.0 / M,
        cache_read=400 * 0.5 / M,
        cache_write=100 * 2.5 / M,
    )
    assert cost.total == pytest.approx((500 * 2 + 200 * 8 + 400 * 0.5 + 100 * 2.5) / M)
    assert cost.as_dict()["total"] == cost.total


def test_anthropic_style_usage_counts_cache_tokens_apart() -> None:
    usage = Usage(
        prompt_tokens=300,
        completion_tokens=50,
        total_tokens=350,
        cached_tokens=1000,
        cache_write_tokens=200,
        raw={"input_tokens": 300, "cache_read_input_tokens": 1000},
    )
    cost = cost_of(usage, PRICED)
    assert cost is not None
    assert (cost.input, cost.cache_read, cost.cache_write) == (
        300 * 2.0 / M,
        1000 * 0.5 / M,
        200 * 2.5 / M,
    )


def test_reasoning_outside_completion_tokens_is_billed_as_output() -> None:
    usage = Usage(prompt_tokens=10, completion_tokens=5, total_tokens=45, reasoning_tokens=30)
    assert cost_of(usage, PRICED) == Cost(input=10 * 2.0 / M, output=35 * 8.0 / M)
    inside = Usage(prompt_tokens=10, completion_tokens=35, total_tokens=45, reasoning_tokens=30)
    assert cost_of(inside, PRICED) == Cost(input=10 * 2.0 / M, output=35 * 8.0 / M)


def test_unknown_cache_prices_fall_back_to_the_input_price() -> None:
    model = _model(input_price=1.0, output_price=4.0)
    usage = Usage(
        prompt_tokens=100, completion_tokens=0, cached_tokens=60, raw={"prompt_tokens": 100}
    )
    assert cost_of(usage, model) == Cost(input=40 / M, output=0.0, cache_read=60 / M)


def test_a_free_cache_read_costs_nothing() -> None:
    model = _model(input_price=1.0, output_price=4.0, cache_read_price=0.0)
    usage = Usage(prompt_tokens=100, cached_tokens=100, raw={"prompt_tokens": 100})
    assert cost_of(usage, model) == Cost(input=0.0, output=0.0, cache_read=0.0)


def test_long_prompts_are_priced_at_their_tier() -> None:
    model = _model(
        input_price=1.0,
        output_price=10.0,
        price_tiers=(
            PriceTier(above=100, input=2.0, output=15.0),
            PriceTier(above=1000, input=3.0),
        ),
    )
    assert cost_of(Usage(prompt_tokens=100, completion_tokens=1), model) == Cost(100 / M, 10 / M)
    assert cost_of(Usage(prompt_tokens=101, completion_tokens=1), model) == Cost(202 / M, 15 / M)
    assert cost_of(Usage(prompt_tokens=1001, completion_tokens=1), model) == Cost(3003 / M, 15 / M)


@pytest.mark.parametrize(
    ("model", "usage"),
    [
        (_model(), Usage(prompt_tokens=10)),  # nothing known
        (_model(input_price=1.0), Usage(prompt_tokens=10, completion_tokens=1)),  # no output price
        (ModelInfo(id="unknown"), Usage(prompt_tokens=10)),
    ],
)
def test_no_known_price_means_no_cost_not_zero(model: ModelInfo, usage: Usage) -> None:
    assert cost_of(usage, model) is None


def test_an_embedding_needs_only_the_input_price() -> None:
    cost = cost_of(Usage(prompt_tokens=1000, total_tokens=1000), _model(input_price=0.02))
    assert cost == Cost(input=1000 * 0.02 / M, output=0.0)


def test_usage_cost_prices_by_model_id() -> None:
    usage = Usage(prompt_tokens=1000, completion_tokens=100, total_tokens=1100)
    info = lookup_model("gpt-4o-mini")
    assert usage_cost("gpt-4o-mini", usage) == cost_of(usage, info)
    assert usage_cost("gpt-4o-mini", None) is None
    assert usage_cost("a-model-nobody-knows", usage) is None
    assert usage_cost("openai/gpt-4o-mini", usage) is None  # a variant: facts, not prices
