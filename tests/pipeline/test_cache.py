"""The result cache: hits, misses, corrupt entries."""

from __future__ import annotations

from miner.pipeline.cache import Cache, cache_key


def test_put_get_and_a_corrupt_entry_is_a_miss(tmp_path):
    cache = Cache(tmp_path)
    key = cache_key("miner.test.v1", {"a": 1}, "sha")
    assert cache.get("miner.test.v1", key) is None
    cache.put("miner.test.v1", key, '{"echo": []}')
    assert cache.get("miner.test.v1", key) == '{"echo": []}'
    (tmp_path / "miner.test.v1" / f"{key}.json").write_text("{truncated", encoding="utf-8")
    assert cache.get("miner.test.v1", key) is None
    assert (cache.hits, cache.misses) == (1, 2)
    assert Cache(tmp_path, enabled=False).get("miner.test.v1", key) is None
