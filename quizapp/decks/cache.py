"""Parsed decks kept between starts, so an unchanged deck file is not parsed again.

Parsing YAML is most of the deck-loading time at start-up. An entry is keyed by a hash of
the file's bytes, so any edit is seen, whatever the file's timestamps say. Entries hold
plain data in `marshal` format (no code is ever run to read them); a deck whose parse holds
anything else (a YAML date, say) is simply parsed every time. The cache is only an
optimisation: when it cannot be read or written it is ignored, and never reported.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import os
import tempfile
from pathlib import Path
from typing import Any

# Part of every key: bump it when the loader's output changes shape, so old entries go unused.
LOADER_FORMAT = "decks-1"


class ParsedDeckCache:
    """One file of entries, read once per load and rewritten only when it changed."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._stored: dict[str, bytes] = self._read() if path else {}
        self._used: dict[str, bytes] = {}

    def _read(self) -> dict[str, bytes]:
        if self.path is None:
            return {}
        try:
            entries = marshal.loads(self.path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return {}
        if not isinstance(entries, dict):
            return {}
        return {k: v for k, v in entries.items() if isinstance(k, str) and isinstance(v, bytes)}

    @staticmethod
    def _key(raw: bytes) -> str:
        digest = hashlib.blake2b(raw, digest_size=20, person=LOADER_FORMAT.encode()[:16])
        return digest.hexdigest()

    def get(self, raw: bytes) -> Any | None:
        """The parse of a deck with exactly these bytes, as fresh objects; None if unknown."""
        key = self._key(raw)
        entry = self._stored.get(key)
        if entry is None:
            return None
        try:
            data = marshal.loads(entry)
        except (EOFError, ValueError, TypeError):
            return None
        self._used[key] = entry
        return data

    def put(self, raw: bytes, data: Any) -> None:
        # A parse holding something marshal cannot store (a date) is parsed every time.
        with contextlib.suppress(ValueError):
            self._used[self._key(raw)] = marshal.dumps(data)

    def save(self) -> None:
        """Keep exactly the decks of this load; written atomically, skipped if unchanged."""
        if self.path is None or self._used == self._stored:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temp = tempfile.mkstemp(dir=self.path.parent, prefix=".decks-")
            try:
                with os.fdopen(handle, "wb") as out:
                    marshal.dump(self._used, out)
                os.replace(temp, self.path)
            except BaseException:
                os.unlink(temp)
                raise
        except OSError:
            return
        self._stored = dict(self._used)
