"""Wrong link tokens are slowed down server-wide; a right token is never refused."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from colab_ext.share.throttle import GuessThrottle


@pytest.fixture
def jp_server_config(jp_server_config: dict[str, Any]) -> dict[str, Any]:
    # As behind a reverse proxy: the client address is whatever X-Forwarded-For says.
    server = {**jp_server_config["ServerApp"], "trust_xheaders": True}
    return {**jp_server_config, "ServerApp": server}


async def test_wrong_tokens_are_throttled_but_a_right_one_never_is(
    notebook: Any, create_link: Any, visit: Any, clock: Any
) -> None:
    notebook("t.ipynb")
    link = await create_link("t.ipynb")
    wrong = f"{link['page'].rsplit('/', 1)[0]}/{'A' * 43}"
    for _ in range(5):  # share_max_failures in these tests
        assert (await visit(wrong)).code == 404
    throttled = await visit(wrong)
    assert throttled.code == 429 and 0 < int(throttled.headers["Retry-After"]) <= 13
    # Everyone's wrong tokens together cannot lock a visitor with the right one out.
    for _ in range(3):
        assert (await visit(link["page"])).code == 200
        assert (await visit(link["page"] + "/download")).code == 200
    # The allowance refills: 5 per 60 s, one every 12 s.
    clock.advance(12)
    assert (await visit(wrong)).code == 404
    assert (await visit(wrong)).code == 429


async def test_a_forged_forwarded_address_does_not_dodge_the_throttle(
    notebook: Any, create_link: Any, visit: Any
) -> None:
    notebook("x.ipynb")
    link = await create_link("x.ipynb")
    wrong = f"{link['page'].rsplit('/', 1)[0]}/{'B' * 43}"
    codes = []
    for n in range(8):
        forged = {"X-Forwarded-For": f"198.51.100.{n}", "X-Real-Ip": f"198.51.100.{n}"}
        codes.append((await visit(wrong, headers=forged)).code)
    assert codes == [404] * 5 + [429] * 3
    # And a visitor behind the same proxy, with the right token, still gets in.
    assert (await visit(link["page"], headers={"X-Forwarded-For": "198.51.100.1"})).code == 200


def test_the_allowance_refills_at_its_rate_up_to_its_burst(clock: Any) -> None:
    throttle = GuessThrottle(clock, burst=3, window_s=60)
    assert [throttle.failed() for _ in range(3)] == [None, None, None]
    assert throttle.failed() == pytest.approx(20)  # one more every 20 s
    clock.advance(5)
    assert throttle.failed() == pytest.approx(15)  # a refused request does not count
    clock.advance(15)
    assert throttle.failed() is None
    clock.advance(3600)  # a long quiet time refills only up to the burst
    results = [throttle.failed() for _ in itertools.repeat(None, 4)]
    assert results[:3] == [None, None, None] and results[3] == pytest.approx(20)
