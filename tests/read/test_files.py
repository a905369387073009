"""Content digests name documents everywhere."""

from __future__ import annotations

import hashlib

from miner.read.files import CHUNK, sha256_file


def test_digest_of_a_file_larger_than_one_chunk(tmp_path):
    data = b"x" * (CHUNK * 2 + 7)
    path = tmp_path / "big.bin"
    path.write_bytes(data)
    assert sha256_file(path) == hashlib.sha256(data).hexdigest()
    assert sha256_file(str(path)) == sha256_file(path)
