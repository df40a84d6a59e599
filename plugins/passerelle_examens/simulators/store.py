"""What a simulator keeps across a restart: its state (mandates, bookings, places taken, tokens…) as one small
JSON file, rewritten atomically after every request that may change it. The tests keep the state in memory
(no file); `socle sim rdvpermis|printel` and `make run` keep it in SOCLE_DATA_DIR/simulateurs/."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

#: the parts of a simulator's state that are not kept: faults are set on demand, counters and callbacks are
#: test observations
TRANSIENT = frozenset({"faults", "calls", "callbacks", "store"})


@dataclass(frozen=True, slots=True)
class StateFile:
    path: Path

    def load(self, state: Any) -> None:
        """Fill `state` (a simulator's State dataclass) from the file, if there is one."""
        if not self.path.exists():
            return
        saved = json.loads(self.path.read_text(encoding="utf-8"))
        for item in fields(state):
            if item.name in saved and item.name not in TRANSIENT:
                value = saved[item.name]
                if item.name == "tokens" and value and isinstance(next(iter(value.values())), list):
                    value = {k: tuple(v) for k, v in value.items()}  # Printel: token → (login, expiry)
                setattr(state, item.name, value)

    def save(self, state: Any) -> None:
        kept = {item.name: getattr(state, item.name) for item in fields(state) if item.name not in TRANSIENT}
        self.path.parent.mkdir(parents=True, exist_ok=True)
        spare = self.path.with_suffix(".tmp")
        spare.write_text(json.dumps(kept, ensure_ascii=False), encoding="utf-8")
        os.replace(spare, self.path)


def state_file(name: str, data_dir: str | os.PathLike[str] | None = None) -> StateFile:
    """SOCLE_DATA_DIR/simulateurs/<name>.json (./.data when SOCLE_DATA_DIR is unset, as the platform does)."""
    root = Path(data_dir or os.environ.get("SOCLE_DATA_DIR") or ".data")
    return StateFile(root / "simulateurs" / f"{name}.json")
