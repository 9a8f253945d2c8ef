"""Print the table in docs/reliability.md: which sandbox layer, on its own, stops which
attack, for an ordinary user, an ordinary user without user namespaces, and root.

Run as root (it drops to the ordinary account the tests use): `python
tests/grading/layer_matrix.py`. Takes a few minutes; every cell is measured, none assumed.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

spec = importlib.util.spec_from_file_location("t", Path(__file__).with_name("test_attacks.py"))
assert spec is not None and spec.loader is not None  # a file next to this one
tests = importlib.util.module_from_spec(spec)
spec.loader.exec_module(tests)

LAYERS = ("namespaces", "landlock", "seccomp", "audit", "private-uid")
SETTINGS: dict[str, dict[str, Any]] = {
    "ordinary user": {},
    "ordinary user, no user namespaces": {"extra_off": "userns"},
    "root": {"as_root": True},
}


def main() -> None:
    controls = tests.run("all", "control")
    header = ["attack", "works outside"]
    columns = {}
    for setting, options in SETTINGS.items():
        as_root = options.get("as_root", False)
        extra = options.get("extra_off", "")
        full = tests.run("all", "sandbox", as_root=as_root, off=extra)
        per_layer = {}
        for layer in LAYERS:
            off = ",".join(x for x in [tests.only(layer), extra] if x)
            per_layer[layer] = tests.run("all", "sandbox", as_root=as_root, off=off)
        columns[setting] = (full, per_layer)
        header.append(setting)
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for name in tests.ATTACKS:
        row = [f"`{name}`", "yes" if controls[name]["worked"] else "**no**"]
        for setting in SETTINGS:
            full, per_layer = columns[setting]
            verdict = "stopped" if not full[name]["worked"] else "**NOT STOPPED**"
            by = [layer for layer in LAYERS if not per_layer[layer][name]["worked"]]
            row.append(f"{verdict}; alone: {', '.join(by) or 'none'}")
        print("| " + " | ".join(row) + " |")
    for setting in SETTINGS:
        print(f"\n{setting}: active layers {', '.join(columns[setting][0]['layers'])}")


if __name__ == "__main__":
    main()
