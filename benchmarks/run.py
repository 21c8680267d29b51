"""Run the benchmarks (``make bench``): each ``benchmarks/bench_*.py`` module's ``main()``.

Each ``main()`` returns a JSON-serialisable dict of figures; it is written to
``benchmarks/results/<name>.json`` (``<name>`` without the ``bench_`` prefix) and a short
report is printed. ``python benchmarks/run.py pipeline`` runs only ``bench_pipeline``.
"""

from __future__ import annotations

import importlib.util
import json
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"


def _load(path: Path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


def main(argv: list[str]) -> int:
    wanted = set(argv)
    RESULTS.mkdir(exist_ok=True)
    failed = 0
    for path in sorted(HERE.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if wanted and name not in wanted:
            continue
        print(f"== {name}", flush=True)
        t0 = time.perf_counter()
        figures = _load(path).main()
        out = {
            "benchmark": name,
            "when": datetime.now(UTC).isoformat(timespec="seconds"),
            "python": platform.python_version(),
            "machine": platform.machine(),
            "seconds": round(time.perf_counter() - t0, 1),
            **figures,
        }
        tmp = RESULTS / f".{name}.json.tmp"
        tmp.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")
        tmp.replace(RESULTS / f"{name}.json")
        print(f"   wrote {RESULTS / f'{name}.json'}")
        if figures.get("targets_met") is False:
            failed += 1
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
