"""Timing whole processes: wall time, CPU time (user + sys) and peak memory.

Every command runs as a child of a small C++ probe (rusage_exec.cc), which
times it and reads its resource usage with ``wait4``: that usage also covers
every descendant the command waited for (so a shell loop around ``aws`` is
charged for all of its ``aws`` processes), and peak memory is the largest
resident set of the command or any such descendant.

``compare`` runs several commands side by side: repetition after repetition,
each command once per repetition in a fixed order, so that a slow phase of a
noisy machine is shared by all of them instead of falling on one.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable, Mapping, Protocol, Sequence


class CommandFailed(RuntimeError):
    """A measured command exited with a status other than the expected one."""


@dataclass(frozen=True)
class Sample:
    """One run of one command."""

    wall: float  # seconds
    cpu: float  # user + sys seconds, the child and its waited descendants
    max_rss_kib: int
    status: int


@dataclass
class Command:
    """A command to time. ``setup`` runs before every repetition, untimed
    (for example to empty a cache); ``check`` may inspect the output of the
    first run and raise if the command did the wrong work."""

    label: str
    argv: Sequence[str]
    env: Mapping[str, str] | None = None
    cwd: str | None = None
    setup: Callable[[], None] | None = None
    check: Callable[[str], None] | None = None
    expect_status: int = 0


@dataclass
class Series:
    """Every sample of one command, with the statistics the report uses."""

    label: str
    samples: list[Sample] = field(default_factory=list)
    requests: int | None = None  # HTTP requests of the first (warm-up) run

    def _values(self, name: str) -> list[float]:
        return [getattr(sample, name) for sample in self.samples]

    def median(self, name: str = "wall") -> float:
        return statistics.median(self._values(name))

    def minimum(self, name: str = "wall") -> float:
        return min(self._values(name))

    def spread(self, name: str = "wall") -> float:
        """Half the distance between the fastest and the slowest run,
        relative to the median (0.05 means +-5%)."""
        values = self._values(name)
        middle = statistics.median(values)
        return (max(values) - min(values)) / 2 / middle if middle else 0.0

    def max_rss_mib(self) -> float:
        return max(self._values("max_rss_kib")) / 1024

    def to_json(self) -> dict:
        return {
            "label": self.label,
            "runs": len(self.samples),
            "wall_median_s": self.median("wall"),
            "wall_min_s": min(self._values("wall")),
            "wall_max_s": max(self._values("wall")),
            "cpu_median_s": self.median("cpu"),
            "max_rss_mib": self.max_rss_mib(),
            "requests": self.requests,
            "samples": [sample.__dict__ for sample in self.samples],
        }


def build_probe(workdir: str) -> str:
    """Compiles bench/rusage_exec.cc into ``workdir``; returns its path.
    Every measured command runs through it (see run_once)."""
    source = Path(__file__).resolve().parents[1] / "rusage_exec.cc"
    binary = os.path.join(workdir, "rusage_exec")
    subprocess.run([os.environ.get("CXX", "c++"), "-std=c++17", "-O2",
                    "-Wall", "-Wextra", "-o", binary, str(source)],
                   check=True)
    global _probe
    _probe = binary
    return binary


_probe: str | None = None


def run_once(argv: Sequence[str], env: Mapping[str, str] | None = None,
             cwd: str | None = None, capture: bool = False,
             stdin_text: str | None = None) -> tuple[Sample, str]:
    """Runs ``argv`` to completion through the probe (build_probe first);
    returns its Sample and (with ``capture``) its stdout, plus its stderr
    when it failed. The probe forks the command from a small process, so
    its peak memory is its own, not the Python runner's, and times it
    without Python's overhead. Output goes to temporary files (stdout to
    /dev/null without ``capture``), never to pipes, so a chatty command
    cannot block on a full pipe."""
    if _probe is None:
        raise RuntimeError("build_probe() was not called")
    with tempfile.TemporaryFile() as out_file, \
            tempfile.TemporaryFile() as err_file, \
            tempfile.NamedTemporaryFile("r") as stats_file, \
            tempfile.TemporaryFile() as in_file:
        in_file.write((stdin_text or "").encode())
        in_file.seek(0)
        probe = subprocess.run(
            [_probe, stats_file.name, *argv],
            env=dict(env) if env is not None else None, cwd=cwd,
            stdin=in_file if stdin_text is not None else subprocess.DEVNULL,
            stdout=out_file if capture else subprocess.DEVNULL,
            stderr=err_file)
        fields = stats_file.read().split()
        if probe.returncode != 0 or len(fields) != 5:
            raise RuntimeError(f"rusage_exec failed ({probe.returncode}): "
                               f"{_read(err_file)}")
        status, wall_ns, user_us, sys_us, rss = map(int, fields)
        text = _read(out_file)
        if status != 0:
            text += "\n[stderr]\n" + _read(err_file)
    return Sample(wall=wall_ns / 1e9, cpu=(user_us + sys_us) / 1e6,
                  max_rss_kib=rss, status=status), text


def _read(file: BinaryIO) -> str:
    file.seek(0)
    return file.read().decode(errors="replace")


class RequestCounter(Protocol):
    """Counts the requests a server answered (see lab.Lab)."""

    def log_mark(self) -> int: ...
    def requests_since(self, mark: int) -> int: ...


def measure(command: Command, capture: bool = False,
            counter: RequestCounter | None = None
            ) -> tuple[Sample, str, int | None]:
    """One checked run of ``command``: its setup first (untimed, and not
    counted), then the command; returns its Sample, its output (with
    ``capture``) and, with ``counter``, the requests the server answered
    while it ran."""
    if command.setup:
        command.setup()
    mark = counter.log_mark() if counter else None
    sample, out = run_once(command.argv, command.env, command.cwd,
                           capture=capture)
    requests = counter.requests_since(mark) if counter else None
    if sample.status != command.expect_status:
        raise CommandFailed(f"{command.label}: exit {sample.status}, "
                            f"expected {command.expect_status}: "
                            f"{' '.join(command.argv)}\n{out[-2000:]}")
    return sample, out, requests


def compare(commands: Sequence[Command], repetitions: int, warmup: int = 1,
            counter: RequestCounter | None = None) -> list[Series]:
    """Times every command ``repetitions`` times, interleaved. The first
    ``warmup`` rounds (page cache, the server's first-call costs) are run,
    checked, counted (requests, with ``counter``) and discarded."""
    series = [Series(command.label) for command in commands]
    for round_index in range(warmup + repetitions):
        for command, result in zip(commands, series):
            first = round_index == 0
            sample, out, requests = measure(
                command, capture=first, counter=counter if first else None)
            if first:
                result.requests = requests
                if command.check:
                    command.check(out)
            if round_index >= warmup:
                result.samples.append(sample)
    return series
