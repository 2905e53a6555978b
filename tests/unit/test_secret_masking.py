"""Keys never survive in a provider's error: masked first, then the body is cut short.

A provider error body may echo the request's key anywhere. The key is placed at every
offset of a 1,000-character body (so it straddles the 600-character cut in every possible
way): no 6-character piece of it may survive in the error. Then a real paid call against
a fake server that echoes the key at the cut: nothing of it in the error, the ledger file
or any file of the project.
"""

from __future__ import annotations

import secrets
import string
from pathlib import Path

import httpx
import pytest

from microfilm.errors import ProviderError
from microfilm.ledger import Ledger, Status
from microfilm.providers import keys
from microfilm.providers.ark import ArkSeedream
from microfilm.providers.base import PaintRequest
from microfilm.providers.jobs import RetryPolicy, check_response, execute
from tests.fakes.server import FakeServer, Req, Resp

FILLER = ("The request failed because the parameters were invalid; see the documentation "
          "for the allowed values of each field. ") * 12


def _key(prefix: str = "") -> str:
    alphabet = string.ascii_letters + string.digits
    return prefix + "".join(secrets.choice(alphabet) for _ in range(40))


def _pieces(key: str, n: int = 6) -> set[str]:
    return {key[i:i + n] for i in range(len(key) - n + 1)}


def _leaks(text: str, key: str) -> list[str]:
    return [p for p in _pieces(key) if p in text]


@pytest.mark.parametrize("status", [400, 401, 429, 500])
@pytest.mark.parametrize("known", [True, False], ids=["known-key", "header-shape"])
def test_a_key_at_every_offset_of_a_long_error_body_is_masked(status, known):
    key = _key()
    if known:
        keys.remember(key)  # what a provider does with the key it is given
    body = FILLER[:1000]
    assert len(body) == 1000
    for offset in range(len(body) + 1):
        # unknown keys are caught by their shape (an echoed Authorization header)
        secret = key if known else f"Authorization: Bearer {key}"
        text = body[:offset] + secret + body[offset:]
        response = httpx.Response(status, text=text,
                                  request=httpx.Request("POST", "http://127.0.0.1/v1/x"))
        with pytest.raises(ProviderError) as caught:
            check_response(response)
        assert not _leaks(str(caught.value), key), (offset, str(caught.value))


def test_a_paid_call_leaves_no_piece_of_its_key_in_the_error_ledger_or_files(tmp_path):
    key = _key("ark-")
    project = tmp_path / "film"
    with FakeServer() as server:
        @server.route("POST", "/api/v3/images/generations", "call")
        def echo(req: Req) -> Resp:  # a careless service quoting the header at the cut
            auth = req.header("authorization")
            return Resp(400, {"error": {"message": FILLER[:540] + f" header was {auth}"
                                        + FILLER[:400]}})

        provider = ArkSeedream(api_key=key, base_url=f"{server.base_url}/api/v3", timeout=5.0)
        ledger = Ledger.for_project(project)
        request = PaintRequest(out=project / "keyframes" / "s1.png", prompt="a kitchen",
                               width=72, height=128, genre="touching-family")
        with pytest.raises(ProviderError) as caught:
            execute(provider, request, ledger=ledger, shot_id="s1",
                    policy=RetryPolicy(retries=0))
        assert server.counts["call"] == 1
    message = str(caught.value)
    assert "header was Bearer" in message and not _leaks(message, key)
    (row,) = ledger.rows()
    assert row.status == Status.FAILED and not _leaks(row.error, key)
    found = []
    for path in project.rglob("*"):
        if path.is_file():
            data = path.read_bytes().decode("latin-1")
            found += [(path.name, p) for p in _leaks(data, key)]
    assert found == []
