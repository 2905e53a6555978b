"""Cache keys are canonical; the store makes an asset once and publishes it atomically."""

from __future__ import annotations

import pytest

from microfilm.cache import RunCounters, Store, WrittenFiles, cache_key, canonical_json


def test_canonical_json_ignores_key_order_and_float_noise():
    assert canonical_json({"b": 1, "a": [1.0000000001, "雪"]}) == canonical_json({"a": [1.0, "雪"], "b": 1})
    assert cache_key("k", {"x": 1}) != cache_key("k", {"x": 2})
    assert cache_key("k", {"x": 1}, {"provider": "a"}) != cache_key("k", {"x": 1}, {"provider": "b"})


def test_store_produces_once(tmp_path):
    counters = RunCounters()
    store = Store(tmp_path, counters)
    calls = []

    def make(p):
        calls.append(p)
        p.write_bytes(b"data")

    a = store.produce("thing", "ab" * 32, ".bin", make)
    b = store.produce("thing", "ab" * 32, ".bin", make)
    assert a == b and a.read_bytes() == b"data" and len(calls) == 1
    assert counters.made == {"thing": 1} and counters.reused == {"thing": 1}


def test_failed_producer_leaves_nothing(tmp_path):
    store = Store(tmp_path)

    def make(p):
        p.write_bytes(b"half")
        raise RuntimeError("killed")

    with pytest.raises(RuntimeError):
        store.produce("thing", "cd" * 32, ".bin", make)
    assert store.lookup("thing", "cd" * 32, ".bin") is None
    assert not list((tmp_path / ".microfilm" / "assets" / "thing").rglob("*.tmp*"))


def test_written_files_detect_hand_edits(tmp_path):
    w = WrittenFiles(tmp_path)
    (tmp_path / "a.txt").write_text("ours", encoding="utf-8")
    w.record("a.txt", "k1", "ours")
    assert not w.edited_by_hand("a.txt")
    (tmp_path / "a.txt").write_text("theirs", encoding="utf-8")
    assert w.edited_by_hand("a.txt")
