#!/usr/bin/env python3
"""cytoskel's benchmark suite: cytoskel side by side with the AWS CLI, a
boto3 script and (for requests) curl, on the local emulator.

    bench/run.sh build/cytoskel            # what `make bench` runs
    python3 bench/run.py --cytoskel build/cytoskel --quick --only list-grant

One run starts an emulator, makes the stack with ``cytoskel cpgstaging
up``, seeds it with boto3 (users in the stack group, grants on the stack
location) and times whole processes, every tool doing the same work, each
repetition running every tool once in turn. It prints Markdown tables
(median wall time, spread, CPU time, peak memory, requests, ratios to
cytoskel), checks the targets of issue 8 (measured, never asserted: the exit
status is 0 whether they are met or not) and writes everything, every sample
included, to bench/results/RUN.json.

Scenarios (``--only`` takes these names):
  start        ``--version``: cytoskel, ``aws --version``, ``import boto3``,
               and /bin/true (the cost of starting any process from here)
  whoami       GetCallerIdentity: cytoskel, aws, boto3, curl floor
  list-user    ``list user`` over --users members of the stack group
  list-grant   ``list grant`` over 1,000 grants, then over --grants grants
               (peak memory must not grow with the number of pages)
  up           ``up`` on a converged account, with its request count
  credentials  ``credentials`` from the cache, and with --no-cache, against
               GetDataAccess from aws and boto3
  roster       ``cpgstaging apply ROSTER`` for --roster new contributors
               against a sequential boto3 loop (skipped while cytoskel has no
               ``apply`` command)
  micro        the Google Benchmark binary (--micro), if given

Python 3.11 standard library plus boto3, as the rest of the test tooling.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent))

from benchlib import report, seed  # noqa: E402
from benchlib.floor import CurlFloor  # noqa: E402
from benchlib.lab import ACCOUNT, BENCH_DIR, PEERS_DIR, Lab, executable, \
    scratch_dir  # noqa: E402
from benchlib.measure import Command, build_probe, compare, \
    run_once  # noqa: E402
from benchlib.report import Row, Scenario, Target  # noqa: E402

SCENARIOS = ("start", "whoami", "list-user", "list-grant", "up",
             "credentials", "roster", "micro")
GRANT_PATH = "/v20180820/accessgrantsinstance/grants"
CONTRIBUTOR = "bench-contributor"
CONTRIBUTOR_PREFIX = "cpg0001-alpha/"
CURL_VERSION = "curl --version (libcurl and its libraries)"
FULL = {"users": 1000, "grants": 10000, "roster": 200, "reps": 5}
QUICK = {"users": 50, "grants": 500, "roster": 20, "reps": 3}


def lines_check(count: int, pattern: str) -> Callable[[str], None]:
    """A check: the output has exactly ``count`` distinct lines matching
    ``pattern`` (every tool lists the same items, none twice)."""
    regex = re.compile(pattern)

    def check(out: str) -> None:
        found = [line for line in out.splitlines() if regex.fullmatch(line)]
        if len(found) != count or len(set(found)) != count:
            raise RuntimeError(f"expected {count} lines like {pattern}, got "
                               f"{len(found)} ({len(set(found))} distinct):\n"
                               f"{out[:500]}")
    return check


def count_check(count: int, needle: str) -> Callable[[str], None]:
    """A check for curl's raw XML: ``needle`` occurs ``count`` times."""
    def check(out: str) -> None:
        if out.count(needle) != count:
            raise RuntimeError(f"expected {count} x {needle}, got "
                               f"{out.count(needle)}")
    return check


def contains(text: str) -> Callable[[str], None]:
    def check(out: str) -> None:
        if text not in out:
            raise RuntimeError(f"expected {text!r} in the output:\n"
                               f"{out[:1000]}")
    return check


class Bench:
    """One run: the lab, the sizes, and the scenarios measured so far."""

    def __init__(self, args: argparse.Namespace, lab: Lab) -> None:
        self.args = args
        self.lab = lab
        self.cytoskel = args.cytoskel
        self.env = lab.admin_env
        self.aws_env = lab.aws_env(self.env)
        self.iam = lab.client("iam")
        self.s3control = lab.client("s3control")
        key_id, secret = lab.admin_keys()
        self.floor = CurlFloor(lab.port, key_id, secret, ACCOUNT,
                               str(lab.workdir))
        self.scenarios: list[Scenario] = []
        self.phases: dict[str, float] = {}
        self.user_arns: list[str] = []
        self.grants_seeded = 0
        self.location = ""

    # -- helpers --------------------------------------------------------------

    def cy(self, *args: str) -> list[str]:
        return [self.cytoskel, *args]

    def peer(self, script: str, *args: str) -> list[str]:
        path = PEERS_DIR / script
        if script.endswith(".py"):
            return [sys.executable, str(path), *args]
        return [str(path), *args]

    def measure(self, key: str, title: str, commands: list[Command],
                repetitions: int | None = None,
                floor_requests: int | None = None) -> Scenario:
        """Times ``commands`` side by side and records the scenario. The
        last command is the curl floor when ``floor_requests`` is given (its
        request count is known, not read from the log)."""
        print(f"bench: {title} ...", file=sys.stderr, flush=True)
        series = compare(commands, repetitions or self.args.reps,
                         counter=self.lab)
        scenario = Scenario(key, title,
                            [Row(s.label, s, s.requests) for s in series])
        if floor_requests is not None:
            scenario.rows[-1].requests = floor_requests
        self.scenarios.append(scenario)
        return scenario

    def phase(self, name: str, function: Callable[[], object]) -> None:
        started = time.monotonic()
        print(f"bench: {name} ...", file=sys.stderr, flush=True)
        function()
        self.phases[name] = time.monotonic() - started

    def wanted(self, name: str) -> bool:
        return not self.args.only or name in self.args.only

    # -- setting up -----------------------------------------------------------

    def stack_up(self) -> None:
        sample, out = run_once(self.cy("cpgstaging", "up"), self.env,
                               capture=True)
        if sample.status != 0:
            raise SystemExit(f"bench: cytoskel cpgstaging up failed:\n{out}")
        self.location = seed.location_id(self.s3control, ACCOUNT)

    def seed_users(self) -> None:
        self.user_arns = seed.seed_users(self.iam, 0, self.args.users)

    def seed_grants_to(self, total: int) -> None:
        if total <= self.grants_seeded:
            return
        seed.seed_grants(self.s3control, ACCOUNT, self.location,
                         self.user_arns, self.grants_seeded,
                         total - self.grants_seeded)
        self.grants_seeded = total

    def grant_tokens(self) -> list[str]:
        """The nextToken of every page after the first (for the floor)."""
        tokens, token = [], None
        while True:
            extra = {"NextToken": token} if token else {}
            page = self.s3control.list_access_grants(
                AccountId=ACCOUNT, MaxResults=1000, **extra)
            token = page.get("NextToken")
            if not token:
                return tokens
            tokens.append(token)

    # -- scenarios ------------------------------------------------------------

    def start(self) -> None:
        self.measure("start", "`--version` (cold start)", [
            Command("cytoskel", self.cy("--version"), self.env,
                    check=contains("cytoskel")),
            Command("aws CLI", ["aws", "--version"], self.aws_env),
            Command(CURL_VERSION, ["curl", "--version"],
                    self.env),
            Command("boto3 (import only)",
                    [sys.executable, "-c", "import boto3"], self.env),
            Command("/bin/true", ["/bin/true"], self.env),
        ], repetitions=self.args.reps * 4)

    def whoami(self) -> None:
        sts = self.floor.query_call("sts", {"Action": "GetCallerIdentity"})
        self.measure("whoami", "`whoami`", [
            Command("cytoskel", self.cy("whoami"), self.env,
                    check=contains(f"Account: {ACCOUNT}")),
            Command("aws CLI", ["aws", "sts", "get-caller-identity"],
                    self.aws_env, check=contains(ACCOUNT)),
            Command("boto3", self.peer("whoami.py"), self.env,
                    check=contains(f"Account: {ACCOUNT}")),
            Command("curl floor", self.floor.command("whoami", [sts]),
                    self.env, check=contains(f"<Account>{ACCOUNT}</Account>")),
        ], repetitions=self.args.reps * 2, floor_requests=1)

    def list_user(self) -> None:
        users = self.args.users
        arn = rf"arn:aws:iam::{ACCOUNT}:user/{seed.USER_PREFIX}\d+"
        get_group = self.floor.query_call("iam", {
            "Action": "GetGroup", "GroupName": seed.STACK_GROUP,
            "MaxItems": "1000"})
        self.measure("list-user", f"`list user` ({users:,} users)", [
            Command("cytoskel", self.cy("cpgstaging", "list", "user"),
                    self.env, check=lines_check(users, arn)),
            Command("aws CLI", [
                "aws", "iam", "get-group", "--group-name", seed.STACK_GROUP,
                "--page-size", "1000", "--query", "Users[].[Arn]",
                "--output", "text"], self.aws_env,
                check=lines_check(users, arn)),
            Command("boto3", self.peer("list_users.py"), self.env,
                    check=lines_check(users, arn)),
            Command("curl floor", self.floor.command("list-user", [get_group]),
                    self.env, check=count_check(
                        users, f"<Arn>arn:aws:iam::{ACCOUNT}:user/")),
        ], floor_requests=1)

    def list_grant_commands(self, grants: int, tools: set[str]
                            ) -> tuple[list[Command], int]:
        uuid = r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
        pages = [self.floor.s3control_get(GRANT_PATH, {"maxResults": "1000"})]
        pages += [self.floor.s3control_get(
            GRANT_PATH, {"maxResults": "1000", "nextToken": token})
            for token in self.grant_tokens()]
        requests = [self.floor.query_call("sts",
                                          {"Action": "GetCallerIdentity"})]
        requests += pages
        commands = [
            Command("cytoskel", self.cy("cpgstaging", "list", "grant"),
                    self.env, check=lines_check(grants, uuid)),
            Command("aws CLI", self.peer("aws_list_grants.sh", ACCOUNT),
                    self.aws_env, check=lines_check(grants, uuid)),
            Command("boto3", self.peer("list_grants.py"), self.env,
                    check=lines_check(grants, uuid)),
            Command("curl floor",
                    self.floor.command(f"list-grant-{grants}", requests),
                    self.env, check=count_check(grants, "<AccessGrantId>")),
        ]
        return [c for c in commands if c.label in tools], len(requests)

    def list_grant_small(self) -> None:
        """1,000 grants (one page), cytoskel and the floor only: the base
        line for the memory and scaling comparison."""
        grants = min(1000, self.args.grants)
        self.seed_grants_to(grants)
        commands, requests = self.list_grant_commands(
            grants, {"cytoskel", "curl floor"})
        self.measure("list-grant-small", f"`list grant` ({grants:,} grants)",
                     commands, floor_requests=requests)

    def list_grant(self) -> None:
        grants = self.args.grants
        commands, requests = self.list_grant_commands(
            grants, {"cytoskel", "aws CLI", "boto3", "curl floor"})
        self.measure("list-grant", f"`list grant` ({grants:,} grants)",
                     commands, floor_requests=requests)

    def up(self) -> None:
        self.measure("up", "`up` (converged)", [
            Command("cytoskel", self.cy("cpgstaging", "up"), self.env,
                    check=contains("No changes")),
            Command("aws CLI", self.peer("aws_up_check.sh"), self.aws_env,
                    check=contains("stack checked")),
            Command("boto3", self.peer("up_check.py"), self.env,
                    check=contains("unchanged")),
        ])

    def make_contributor(self) -> dict[str, str]:
        """A contributor with a key and a READWRITE grant on one prefix;
        returns the environment of their machine."""
        arn = self.iam.create_user(UserName=CONTRIBUTOR, Tags=[
            seed.MANAGED_TAG])["User"]["Arn"]
        self.iam.add_user_to_group(GroupName=seed.STACK_GROUP,
                                   UserName=CONTRIBUTOR)
        self.s3control.create_access_grant(
            AccountId=ACCOUNT, AccessGrantsLocationId=self.location,
            AccessGrantsLocationConfiguration={
                "S3SubPrefix": CONTRIBUTOR_PREFIX + "*"},
            Grantee={"GranteeType": "IAM", "GranteeIdentifier": arn},
            Permission="READWRITE", Tags=[seed.MANAGED_TAG])
        key = seed.create_access_key(self.iam, CONTRIBUTOR)
        env = dict(self.env)
        env.update(seed.contributor_home(str(self.lab.workdir), CONTRIBUTOR,
                                         key, self.lab.endpoint))
        return env

    def credentials(self) -> None:
        env = self.make_contributor()
        run_once(self.cy("credentials"), env)  # fills the cache, untimed
        target = f"s3://{seed.BUCKET}/{CONTRIBUTOR_PREFIX}*"
        exports = contains("export AWS_SESSION_TOKEN=")
        scenario = self.measure("credentials", "`credentials` (contributor)", [
            Command("cytoskel", self.cy("credentials"), env, check=exports),
            Command("cytoskel --no-cache",
                    self.cy("credentials", "--no-cache"), env, check=exports),
            Command("aws CLI", [
                "aws", "s3control", "get-data-access", "--account-id",
                ACCOUNT, "--target", target, "--permission", "READWRITE"],
                self.lab.aws_env(env), check=contains("SessionToken")),
            Command("boto3", self.peer("credentials.py"), env, check=exports),
        ])
        scenario.notes.append(
            "cytoskel: served from its cache (filled before the runs); "
            "cytoskel --no-cache and boto3: GetCallerIdentity, "
            "ListCallerAccessGrants, GetDataAccess; aws: GetDataAccess only, "
            "the contributor typing account id, target and permission")

    def apply_available(self) -> bool:
        _, out = run_once(self.cy("cpgstaging", "apply", "--help"), self.env,
                          capture=True)
        return re.search(r"^Usage: \S*apply\b", out, re.MULTILINE) is not None

    def roster(self) -> None:
        count = self.args.roster
        title = f"roster of {count} new contributors"
        if not self.apply_available():
            self.scenarios.append(Scenario(
                "roster", title, skipped="apply not implemented yet"))
            print("bench: roster skipped: apply not implemented yet",
                  file=sys.stderr)
            return
        names = seed.roster_names(count)
        roster = str(self.lab.workdir / "roster.toml")
        seed.write_roster(roster, names)
        keys = self.lab.workdir / "roster-keys"

        def reset() -> None:
            seed.remove_users(self.iam, self.s3control, ACCOUNT, names)
            shutil.rmtree(keys, ignore_errors=True)
            keys.mkdir(mode=0o700)

        def onboarded(_: str) -> None:
            members = self.iam.get_group(GroupName=seed.STACK_GROUP,
                                         MaxItems=1000)["Users"]
            made = {u["UserName"] for u in members} & set(names)
            written = len(list(keys.glob("*.credentials")))
            if len(made) != count or written != count:
                raise RuntimeError(f"roster: {len(made)} of {count} users in "
                                   f"the group, {written} key files")

        scenario = self.measure("roster", title, [
            Command("cytoskel", self.cy("cpgstaging", "apply", roster,
                                        "--credentials-dir", str(keys)),
                    self.env, setup=reset, check=onboarded),
            Command("boto3 (sequential)",
                    self.peer("roster.py", roster, str(keys)), self.env,
                    setup=reset, check=onboarded),
        ], repetitions=min(self.args.reps, 3))
        scenario.notes.append(
            "each run starts from an account without the roster's users "
            "(removed by boto3 before the run, untimed)")

    def micro(self) -> list[dict]:
        if not self.args.micro:
            return []
        binary = executable(self.args.micro)
        print("bench: micro-benchmarks ...", file=sys.stderr, flush=True)
        done = subprocess.run(
            [binary, "--benchmark_format=json",
             f"--benchmark_min_time={self.args.micro_min_time}"],
            capture_output=True, text=True, check=True)
        return json.loads(done.stdout)["benchmarks"]

    # -- the run --------------------------------------------------------------

    def run(self) -> dict:
        started = time.monotonic()
        self.phase("cytoskel cpgstaging up (first)", self.stack_up)
        if self.wanted("start"):
            self.start()
        if self.wanted("whoami"):
            self.whoami()
        needs_users = {"list-user", "list-grant", "roster"}
        if any(self.wanted(name) for name in needs_users):
            self.phase(f"seed {self.args.users} users", self.seed_users)
        if self.wanted("list-grant"):
            first_page = min(1000, self.args.grants)
            self.phase(f"seed {first_page} grants",
                       lambda: self.seed_grants_to(first_page))
            self.list_grant_small()
            self.phase(f"seed {self.args.grants} grants",
                       lambda: self.seed_grants_to(self.args.grants))
        if self.wanted("list-user"):
            self.list_user()
        if self.wanted("list-grant"):
            self.list_grant()
        if self.wanted("up"):
            self.up()
        if self.wanted("credentials"):
            self.credentials()
        if self.wanted("roster"):
            self.roster()
        micro = self.micro() if self.wanted("micro") else []
        self.phases["total"] = time.monotonic() - started
        return {"micro": micro}


# -- targets ------------------------------------------------------------------


def evaluate(scenarios: list[Scenario]) -> list[Target]:
    """The targets of issue 8, each against its scenario (not measured when
    the scenario was not run or was skipped)."""
    by_key = {s.key: s for s in scenarios if not s.skipped}
    targets = []

    def wall(key: str, tool: str) -> float | None:
        row = by_key.get(key) and by_key[key].row(tool)
        return row.series.median() if row else None

    def cpu(key: str, tool: str) -> float | None:
        row = by_key.get(key) and by_key[key].row(tool)
        return row.series.median("cpu") if row else None

    def add(name: str, goal: str, value: float | None,
            show: Callable[[float], str], ok: Callable[[float], bool]) -> None:
        if value is None:
            targets.append(Target(name, goal, "-", None))
        else:
            targets.append(Target(name, goal, show(value), ok(value)))

    def version_line(value: float) -> str:
        return (f"{value * 1000:.1f} ms wall, "
                f"{cpu('start', 'cytoskel') * 1000:.1f} ms CPU (curl "
                f"--version: {wall('start', CURL_VERSION) * 1000:.1f} ms, "
                f"/bin/true: {wall('start', '/bin/true') * 1000:.1f} ms)")

    add("`--version`", "< 5 ms", wall("start", "cytoskel"), version_line,
        lambda v: v < 0.005)

    def over(key: str, tool: str, base_tool: str, measure=wall
             ) -> float | None:
        value, base = measure(key, tool), measure(key, base_tool)
        return value / base if value and base else None

    def fastest(key: str, tool: str) -> float | None:
        row = by_key.get(key) and by_key[key].row(tool)
        return row.series.minimum() if row else None

    def floor_line(key: str) -> Callable[[float], str]:
        best = over(key, "cytoskel", "curl floor", fastest)
        return lambda v: f"{v:.2f}x (fastest runs: {best:.2f}x)"

    listings = (("list-user", "`list user`"), ("list-grant", "`list grant`"))
    for key, name in (("whoami", "`whoami`"), *listings):
        add(f"{name} vs curl floor", "<= 1.3x",
            over(key, "cytoskel", "curl floor"), floor_line(key),
            lambda v: v <= 1.3)
    for key, name in listings:
        add(f"{name}: aws CLI wall / cytoskel", ">= 3x",
            over(key, "aws CLI", "cytoskel"),
            lambda v: f"{v:.1f}x", lambda v: v >= 3)
        add(f"{name}: aws CLI CPU / cytoskel", ">= 10x",
            over(key, "aws CLI", "cytoskel", cpu),
            lambda v: f"{v:.1f}x", lambda v: v >= 10)
    small, large = by_key.get("list-grant-small"), by_key.get("list-grant")
    rss_small = small and small.row("cytoskel").series.max_rss_mib()
    rss_large = large and large.row("cytoskel").series.max_rss_mib()
    add("`list grant` peak memory as grants grow",
        "grows < 2 MiB (about one page)",
        rss_large - rss_small if rss_small and rss_large else None,
        lambda v: f"{rss_small:.1f} MiB ({small.title}) -> {rss_large:.1f} "
                  f"MiB ({large.title}): {v:+.1f}",
        lambda v: v < 2.0)
    up = by_key.get("up")
    add("converged `up` API calls", "<= 15",
        up.row("cytoskel").requests if up else None,
        lambda v: f"{v}", lambda v: v <= 15)
    add("roster: boto3 loop / cytoskel", ">= 2x",
        over("roster", "boto3 (sequential)", "cytoskel"),
        lambda v: f"{v:.1f}x", lambda v: v >= 2)
    return targets


# -- command line -------------------------------------------------------------


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cytoskel", default="build/cytoskel",
                        help="the binary to measure (default: build/cytoskel)")
    parser.add_argument("--micro", help="the cytoskel_bench binary (Google "
                        "Benchmark micro-benchmarks); not run when absent")
    parser.add_argument("--micro-min-time", type=float, default=0.2,
                        help="seconds per micro-benchmark (default 0.2)")
    parser.add_argument("--users", type=int,
                        help="members of the stack group (default 1,000)")
    parser.add_argument("--grants", type=int,
                        help="grants on the stack location (default 10,000)")
    parser.add_argument("--roster", type=int,
                        help="contributors in the roster (default 200)")
    parser.add_argument("--reps", type=int,
                        help="timed repetitions per tool (default 5; 4x for "
                             "--version, 2x for whoami, at most 3 for the "
                             "roster)")
    parser.add_argument("--quick", action="store_true",
                        help="defaults for development: 50 users, 500 "
                             "grants, a roster of 20, 3 repetitions")
    parser.add_argument("--only", action="append", choices=SCENARIOS,
                        help="run only this scenario (repeatable)")
    parser.add_argument("--json", help="where to write the results (default: "
                        "bench/results/YYYYmmdd-HHMMSS.json)")
    parser.add_argument("--workdir", help="parent of the scratch directory "
                        "(default: the system's temporary directory)")
    args = parser.parse_args(argv)
    defaults = QUICK if args.quick else FULL
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    if args.users < 1 or args.grants < 1 or args.roster < 1 or args.reps < 1:
        parser.error("sizes and repetitions must be positive")
    args.cytoskel = executable(args.cytoskel)
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    json_path = args.json or str(BENCH_DIR / "results" / f"{stamp}.json")
    with Lab(scratch_dir(args.workdir)) as lab:
        build_probe(str(lab.workdir))
        bench = Bench(args, lab)
        extra = bench.run()
    targets = evaluate(bench.scenarios)
    machine = report.machine()

    print("\n## Results\n")
    print(f"Machine: {report.machine_line(machine)}")
    print(f"Sizes: {args.users:,} users, {args.grants:,} grants, roster of "
          f"{args.roster}; {args.reps} timed runs per tool (4x for "
          f"--version, 2x for whoami, at most 3 for the roster), after one "
          f"checked warm-up run\n")
    print(report.scenario_table(bench.scenarios))
    for scenario in bench.scenarios:
        for note in scenario.notes:
            print(f"\n- {scenario.title}: {note}")
    print("\n" + report.target_table(targets))
    if extra["micro"]:
        print("\n" + report.micro_table(extra["micro"]))
    seeding = sum(seconds for name, seconds in bench.phases.items()
                  if name.startswith("seed"))
    print(f"\nWall time of the whole run: {bench.phases['total']:.0f} s "
          f"(seeding: {seeding:.0f} s)")

    report.save_json(json_path, {
        "when": stamp,
        "machine": machine,
        "cytoskel": args.cytoskel,
        "sizes": {"users": args.users, "grants": args.grants,
                  "roster": args.roster, "repetitions": args.reps},
        "phases_s": bench.phases,
        "scenarios": [{
            "key": s.key, "title": s.title, "skipped": s.skipped,
            "notes": s.notes,
            "rows": [dict(row.series.to_json(), tool=row.tool,
                          requests=row.requests) for row in s.rows],
        } for s in bench.scenarios],
        "targets": [t.__dict__ for t in targets],
        "micro": extra["micro"],
    })
    print(f"Results: {json_path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
