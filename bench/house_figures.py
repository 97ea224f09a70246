"""The house in figures: lines per layer, the largest modules, wall-clock reads in tests.

    python bench/house_figures.py [TREE]     (default: this checkout)

Counts non-blank lines of Python, migrations left out; a layer is a top-level
package (the floor is ``technopark``). Wall-clock reads are the tests' calls of
``timezone.now()``, ``timezone.localdate()``, ``date.today()`` and
``datetime.now()``, outside the shared clock helpers (``tests/clock.py``).
"""

import pathlib
import re
import sys

LAYERS = ["technopark", "sites", "tenants", "coworking", "events", "billing", "network"]
WALL_CLOCK = re.compile(
    r"timezone\.now\(\)|timezone\.localdate\(\)|date\.today\(\)|datetime\.now\("
)


def lines(path: pathlib.Path) -> int:
    return sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


def main(tree: pathlib.Path) -> None:
    sizes: dict[str, int] = {}
    per_layer: dict[str, int] = {}
    for layer in LAYERS:
        root = tree / layer
        if not root.is_dir():
            continue
        for path in root.rglob("*.py"):
            if "migrations" in path.parts:
                continue
            count = lines(path)
            sizes[str(path.relative_to(tree))] = count
            per_layer[layer] = per_layer.get(layer, 0) + count
    print("Lines of Python per layer (migrations left out):")
    for layer in LAYERS:
        if layer in per_layer:
            print(f"  {layer:<11} {per_layer[layer]:>6}")
    print(f"  {'total':<11} {sum(per_layer.values()):>6}")
    print("Largest modules:")
    for name, count in sorted(sizes.items(), key=lambda item: -item[1])[:5]:
        print(f"  {count:>5}  {name}")
    reads = 0
    for path in (tree / "tests").rglob("*.py"):
        if path.name == "clock.py":
            continue
        reads += len(WALL_CLOCK.findall(path.read_text(encoding="utf-8")))
    print(f"Wall-clock reads in tests: {reads}")


if __name__ == "__main__":
    main(pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve())
