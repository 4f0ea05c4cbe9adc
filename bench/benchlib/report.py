"""Results of a bench run: the scenarios with their rows, the targets of
issue 8 checked against them, the machine, and how they are printed
(Markdown tables, pasted as is into the README) and saved (JSON).
"""

from __future__ import annotations

import json
import os
import platform
import re
import subprocess
from dataclasses import dataclass, field

from benchlib.measure import Series


@dataclass
class Row:
    """One tool doing one scenario's work."""

    tool: str
    series: Series
    requests: int | None = None  # HTTP requests per run, from the server log


@dataclass
class Scenario:
    key: str
    title: str
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    skipped: str | None = None

    def row(self, tool: str) -> Row | None:
        return next((row for row in self.rows if row.tool == tool), None)


@dataclass
class Target:
    """One target of issue 8: measured, not asserted."""

    name: str
    goal: str
    measured: str
    met: bool | None  # None: could not be measured (skipped)


def ms(seconds: float) -> str:
    value = seconds * 1000
    return f"{value:.1f}" if value < 100 else f"{value:.0f}"


def ratio(value: float, base: float) -> str:
    if not base:
        return "-"
    factor = value / base
    return f"{factor:.2f}x" if factor < 10 else f"{factor:.0f}x"


def scenario_table(scenarios: list[Scenario]) -> str:
    """One Markdown table for every measured scenario. Ratios are each
    tool's median divided by cytoskel's (above 1: cytoskel is faster)."""
    lines = ["| scenario | tool | wall ms median | spread | fastest | "
             "CPU ms | max RSS MiB | requests | wall vs cytoskel | "
             "CPU vs cytoskel |",
             "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|"]
    for scenario in scenarios:
        if scenario.skipped:
            lines.append(f"| {scenario.title} | skipped: {scenario.skipped} "
                         "| | | | | | | | |")
            continue
        base = scenario.row("cytoskel") or scenario.rows[0]
        for row in scenario.rows:
            series = row.series
            lines.append(
                f"| {scenario.title} | {row.tool} | {ms(series.median())} | "
                f"±{series.spread() * 100:.0f}% | "
                f"{ms(series.minimum())} | "
                f"{ms(series.median('cpu'))} | "
                f"{series.max_rss_mib():.1f} | "
                f"{'' if row.requests is None else row.requests} | "
                f"{ratio(series.median(), base.series.median())} | "
                f"{ratio(series.median('cpu'), base.series.median('cpu'))} |")
    return "\n".join(lines)


def target_table(targets: list[Target]) -> str:
    lines = ["| target | goal | measured | met |", "|---|---|---|---|"]
    for target in targets:
        verdict = {True: "yes", False: "**no**", None: "not measured"}[
            target.met]
        lines.append(f"| {target.name} | {target.goal} | {target.measured} | "
                     f"{verdict} |")
    return "\n".join(lines)


_UNIT_SECONDS = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}


def duration(value: float, unit: str) -> str:
    """A Google Benchmark time in the unit that reads best."""
    seconds = value * _UNIT_SECONDS[unit]
    for name, scale in (("s", 1.0), ("ms", 1e-3), ("µs", 1e-6)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {name}"
    return f"{seconds / 1e-9:.3g} ns"


def micro_table(micro: list[dict]) -> str:
    lines = ["| micro-benchmark | CPU per iteration | wall per iteration | "
             "items/s |", "|---|--:|--:|--:|"]
    for bench in micro:
        items = bench.get("items_per_second")
        lines.append(
            f"| {bench['name']} | "
            f"{duration(bench['cpu_time'], bench['time_unit'])} | "
            f"{duration(bench['real_time'], bench['time_unit'])} | "
            f"{'' if items is None else f'{items / 1e6:.2f} M'} |")
    return "\n".join(lines)


def _first_line(argv: list[str]) -> str:
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    return (done.stdout or done.stderr).strip().splitlines()[0]


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    model = "unknown"
    lscpu = subprocess.run(["lscpu"], capture_output=True, text=True).stdout
    match = re.search(r"^Model name:\s*(.+)$", lscpu, re.MULTILINE)
    if match:
        model = match.group(1).strip()
    memory = "unknown"
    with open("/proc/meminfo") as meminfo:
        match = re.search(r"MemTotal:\s*(\d+) kB", meminfo.read())
        if match:
            memory = f"{int(match.group(1)) / 1024 / 1024:.1f} GiB"
    return {
        "nproc": str(os.cpu_count()),
        "cpu": model,
        "memory": memory,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "aws_cli": _first_line(["aws", "--version"]),
        "curl": _first_line(["curl", "--version"]),
    }


def machine_line(info: dict[str, str]) -> str:
    return (f"{info['nproc']} CPUs ({info['cpu']}), {info['memory']} RAM, "
            f"Linux {info['kernel']}; {info['aws_cli']}; "
            f"{' '.join(info['curl'].split()[:2])}")


def save_json(path: str, payload: dict) -> None:
    os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
    with open(path, "w") as out:
        json.dump(payload, out, indent=2, default=str)
        out.write("\n")
