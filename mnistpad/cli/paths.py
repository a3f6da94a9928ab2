"""``mnistpad paths``: every place mnistpad reads or writes (see core.platform.places)."""

from __future__ import annotations


def add_parser(subparsers) -> None:
    paths = subparsers.add_parser(
        "paths", help="where mnistpad keeps models, samples, settings, cache, log and data")
    paths.add_argument("--json", action="store_true", help="one JSON object")


def run(args) -> int:
    from mnistpad.cli.common import json_text
    from mnistpad.core.platform.places import places

    found = places()
    if args.json:
        print(json_text(found, indent=1))
        return 0
    width = max(map(len, found))
    for name, place in found.items():
        notes = [f"from {place['source']}"] if "source" in place else []
        if not place["exists"]:
            notes.append("not created yet")
        suffix = f"  ({'; '.join(notes)})" if notes else ""
        print(f"{name:<{width}}  {place['path']}{suffix}")
    return 0
