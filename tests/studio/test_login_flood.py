"""Login and sign-up floods (issue 9, point 7): attempts are counted before any password is
hashed, hashes run a bounded few at a time, a lock binds one account on one address (so a
known user cannot be locked out from elsewhere), and sign-up is limited and never says
whether an e-mail has an account."""

from __future__ import annotations

import http.client
import threading
import time
import urllib.parse

from fastapi.testclient import TestClient

from microfilm.studio import security
from microfilm.studio.throttle import LoginThrottle
from tests.studio.conftest import csrf_of, signup

RIGHT = "correct horse battery"


class CountingHasher:
    """argon2's hasher, counting the password checks and how many ran at once."""

    def __init__(self, real):
        self.real, self.calls, self.running, self.peak = real, 0, 0, 0
        self._lock = threading.Lock()

    def verify(self, stored, password):
        with self._lock:
            self.calls += 1
            self.running += 1
            self.peak = max(self.peak, self.running)
        try:
            return self.real.verify(stored, password)
        finally:
            with self._lock:
                self.running -= 1

    def __getattr__(self, name):
        return getattr(self.real, name)


def _rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def test_forty_failed_logins_at_once_are_counted_before_hashing(app, live, monkeypatch):
    counting = CountingHasher(security._hasher)
    monkeypatch.setattr(security, "_hasher", counting)
    anon = TestClient(app)
    token = csrf_of(anon.get("/login").text)
    cookie = f"mf_csrf={anon.cookies['mf_csrf']}"
    statuses: list[int] = []
    start = threading.Barrier(40)
    peak_rss = [0.0]
    sampling = threading.Event()

    def sample() -> None:
        while not sampling.is_set():
            peak_rss[0] = max(peak_rss[0], _rss_mb())
            time.sleep(0.01)

    def attempt(i: int) -> None:
        body = urllib.parse.urlencode({"csrf": token, "email": f"guess{i}@x.example", "password": "wrong password!"})
        conn = http.client.HTTPConnection("127.0.0.1", live.port, timeout=60)
        start.wait(10)
        conn.request("POST", "/login", body=body, headers={"Cookie": cookie,
                                                           "Content-Type": "application/x-www-form-urlencoded"})
        statuses.append(conn.getresponse().status)
        conn.close()

    baseline = _rss_mb()
    sampler = threading.Thread(target=sample)
    sampler.start()
    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    sampling.set()
    sampler.join()
    assert len(statuses) == 40 and set(statuses) <= {400, 429}, statuses
    limit = app.state.login_throttle.per_client
    assert statuses.count(400) == limit and statuses.count(429) == 40 - limit
    assert counting.calls == limit  # the refused twenty were never hashed
    assert counting.peak <= security.HASH_SLOTS
    # argon2id holds 64 MiB per hash: a few at once, not forty (was +965 MB in 5 s).
    assert peak_rss[0] - baseline < security.HASH_SLOTS * 64 + 150, (baseline, peak_rss[0])


def _attempt(app, address: str, email: str, password: str):
    c = TestClient(app, client=(address, 50000))  # a fresh browser at that address
    token = csrf_of(c.get("/login").text)
    return c.post("/login", data={"csrf": token, "email": email, "password": password}, follow_redirects=False)


def test_failing_on_purpose_does_not_lock_the_user_out_from_their_own_address(app):
    now = [1000.0]
    app.state.login_throttle = LoginThrottle(app.state.sessions, per_account_client=3, per_client=10,
                                             per_account=6, window_s=600, clock=lambda: now[0])
    signup(TestClient(app, client=("10.0.0.1", 50000)), "ann@brand.example", workspace="Brand")  # home
    for _ in range(3):
        assert _attempt(app, "203.0.113.9", "ann@brand.example", "wrong password!").status_code == 400
    locked = _attempt(app, "203.0.113.9", "ann@brand.example", RIGHT)
    assert locked.status_code == 429 and int(locked.headers["retry-after"]) > 0  # the guesser's address
    assert _attempt(app, "10.0.0.2", "ann@brand.example", RIGHT).status_code == 303  # Ann elsewhere
    # A guess spread over many addresses closes the account to addresses it never logged in
    # from; Ann's own addresses (the proof the studio has without e-mail) still get in.
    for i in range(6):
        _attempt(app, f"198.51.100.{i}", "ann@brand.example", "wrong password!")
    assert _attempt(app, "192.0.2.77", "ann@brand.example", RIGHT).status_code == 429
    assert _attempt(app, "10.0.0.1", "ann@brand.example", RIGHT).status_code == 303
    assert _attempt(app, "10.0.0.2", "ann@brand.example", RIGHT).status_code == 303
    now[0] += 601
    assert _attempt(app, "192.0.2.77", "ann@brand.example", RIGHT).status_code == 303


def test_signups_are_limited_per_address(app):
    app.state.login_throttle = LoginThrottle(app.state.sessions, signups_per_client=3)
    c = TestClient(app, client=("203.0.113.5", 50000))
    token = csrf_of(c.get("/signup").text)

    def sign_up(i: int):
        return c.post("/signup", data={"csrf": token, "name": "x", "email": f"p{i}@x.example", "password": RIGHT,
                                       "workspace": f"W{i}"}, follow_redirects=False)

    assert [sign_up(i).status_code for i in range(3)] == [303, 303, 303]
    refused = sign_up(3)
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    assert "Too many sign-ups" in refused.text
    other = TestClient(app, client=("203.0.113.6", 50000))
    r = other.post("/signup", data={"csrf": csrf_of(other.get("/signup").text), "name": "y", "email": "q@x.example",
                                    "password": RIGHT, "workspace": "Q"}, follow_redirects=False)
    assert r.status_code == 303
