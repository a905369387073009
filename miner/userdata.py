"""Where an evaluator's own files live (review sessions, retrained models), for every wing.

Here at the base, not in :mod:`miner.serve`, because the tagger (``tag``) looks for a user
scheme's model in the same folder the review page and ``miner retrain`` write it to.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["user_data_dir", "user_model_dir"]


def user_data_dir() -> Path:
    """``$MINER_HOME``, else the XDG data folder's ``miner``.

    >>> import os; os.environ["MINER_HOME"] = "/tmp/h"; str(user_data_dir()); del os.environ["MINER_HOME"]
    '/tmp/h'
    """
    if os.environ.get("MINER_HOME"):
        return Path(os.environ["MINER_HOME"])
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "miner"


def user_model_dir() -> Path:
    """The evaluator's retrained models (review page, ``miner retrain``)."""
    return user_data_dir() / "models"
