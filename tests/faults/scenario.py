"""What the fault, hostile-input and secret tests share: an emulated
account behind a ``FaultProxy``, cytoskel runs pointed at the proxy, and an
inventory of the account read with boto3 (straight from the emulator,
never through the proxy or cytoskel).

    class MyTest(FaultScenario):
        def test_x(self):
            self.proxy.add_rule("CreateUser", "lost", times=1)
            result = self.cytoskel("cpgstaging", "create", "user", "alice")
            self.assertEqual(inventory(self.emulator).users, ["alice"])
"""

from __future__ import annotations

import json
import os
import subprocess
import unittest
from dataclasses import dataclass, field
from typing import Any

from tests.e2e.cytoskel_run import BINARY, clean_env
from tests.emulator.harness import Emulator
from tests.faults.proxy import FaultProxy

ACCOUNT = "123456789012"
REGION = "us-east-1"
BUCKET = "staging-cellpainting-gallery"
INSTANCE_ARN = f"arn:aws:s3:{REGION}:{ACCOUNT}:access-grants/default"
GROUP = "staging_cpg_uploaders"
POLICY = "staging_cpg_creds_data_access"
POLICY_ARN = f"arn:aws:iam::{ACCOUNT}:policy/{POLICY}"
ROLE = "cpg_staging_access_grant_location_role"
ROLE_POLICY = "cpg_staging_access_grant_location_policy"


@dataclass
class Inventory:
    """Everything cytoskel could have made in the account, as boto3 sees
    it. Lists keep duplicates, so that a duplicate shows."""

    buckets: list[str] = field(default_factory=list)
    instances: list[str] = field(default_factory=list)
    locations: list[tuple[str, str]] = field(default_factory=list)  # scope, id
    grants: list[tuple[str, str, str]] = field(default_factory=list)
    users: list[str] = field(default_factory=list)
    keys: dict[str, list[str]] = field(default_factory=dict)
    groups: list[str] = field(default_factory=list)
    members: dict[str, list[str]] = field(default_factory=dict)
    group_policies: dict[str, list[str]] = field(default_factory=dict)
    policies: list[str] = field(default_factory=list)
    policy_versions: dict[str, int] = field(default_factory=dict)
    roles: list[str] = field(default_factory=list)
    role_policies: dict[str, list[str]] = field(default_factory=dict)


def inventory(emulator: Emulator) -> Inventory:
    """Reads the account (every page) with boto3."""
    iam = emulator.client("iam")
    s3 = emulator.client("s3")
    control = emulator.client("s3control")
    found = Inventory()
    found.buckets = [b["Name"] for b in s3.list_buckets()["Buckets"]]
    found.instances = [i["AccessGrantsInstanceArn"] for i in control.
                       list_access_grants_instances(AccountId=ACCOUNT)
                       ["AccessGrantsInstancesList"]]
    if found.instances:
        found.locations = [
            (l["LocationScope"], l["AccessGrantsLocationId"])
            for l in control.list_access_grants_locations(
                AccountId=ACCOUNT, MaxResults=1000)
            ["AccessGrantsLocationsList"]]
        found.grants = [
            (g["Grantee"]["GranteeIdentifier"], g["GrantScope"],
             g["Permission"])
            for g in control.list_access_grants(
                AccountId=ACCOUNT, MaxResults=1000)["AccessGrantsList"]]
    for page in iam.get_paginator("list_users").paginate():
        for user in page["Users"]:
            name = user["UserName"]
            if name == "emulator-admin":
                continue
            found.users.append(name)
            found.keys[name] = [k["AccessKeyId"] for k in iam.list_access_keys(
                UserName=name)["AccessKeyMetadata"]]
    for page in iam.get_paginator("list_groups").paginate():
        for group in page["Groups"]:
            name = group["GroupName"]
            found.groups.append(name)
            found.members[name] = [u["UserName"] for u in iam.get_group(
                GroupName=name)["Users"]]
            found.group_policies[name] = [
                p["PolicyName"] for p in iam.list_attached_group_policies(
                    GroupName=name)["AttachedPolicies"]]
    for page in iam.get_paginator("list_policies").paginate(Scope="Local"):
        for policy in page["Policies"]:
            found.policies.append(policy["PolicyName"])
            found.policy_versions[policy["PolicyName"]] = len(
                iam.list_policy_versions(PolicyArn=policy["Arn"])["Versions"])
    for page in iam.get_paginator("list_roles").paginate():
        for role in page["Roles"]:
            name = role["RoleName"]
            found.roles.append(name)
            found.role_policies[name] = iam.list_role_policies(
                RoleName=name)["PolicyNames"]
    return found


class FaultScenario(unittest.TestCase):
    """Each test gets a fresh emulated account (``self.emulator``), a proxy
    in front of it (``self.proxy``) and an environment (``self.env``) that
    sends cytoskel through the proxy with the admin profile CPG."""

    check_clock = True

    def setUp(self) -> None:
        self.emulator = Emulator().start()
        self.addCleanup(self.emulator.stop)
        self.proxy = FaultProxy(self.emulator.port,
                                check_clock=self.check_clock).start()
        self.addCleanup(self.proxy.stop)
        self.env = clean_env(HOME=self.emulator.home, AWS_PROFILE="CPG",
                             AWS_ENDPOINT_URL=self.proxy.endpoint)

    def fresh_account(self) -> None:
        """Replaces the emulator and proxy with new ones (an empty
        account, zeroed counters, no rules)."""
        self.proxy.stop()
        self.emulator.stop()
        self.setUp()

    def cytoskel(self, *args: str, expect: int | None = 0,
                 timeout: float = 180, **env: str | None) -> Any:
        """Runs cytoskel through the proxy, with ``env`` laid over
        ``self.env`` (a None value removes the variable); checks the exit
        code unless ``expect`` is None."""
        full = {k: v for k, v in {**self.env, **env}.items() if v is not None}
        result = subprocess.run([BINARY, *args], env=full,
                                capture_output=True, text=True,
                                timeout=timeout)
        if expect is not None:
            self.assertEqual(result.returncode, expect,
                             f"cytoskel {' '.join(args)}\nstdout:\n"
                             f"{result.stdout}\nstderr:\n{result.stderr}\n"
                             f"proxy: {self.proxy.log}")
        return result

    def up(self) -> str:
        """Runs `cpgstaging up` and returns the location id."""
        self.cytoskel("cpgstaging", "up")
        (location,) = inventory(self.emulator).locations
        return location[1]

    def assert_stack_converged(self, found: Inventory | None = None) -> None:
        """The stack exists exactly once, with nothing left over."""
        found = found or inventory(self.emulator)
        self.assertEqual(found.buckets, [BUCKET])
        self.assertEqual(found.instances, [INSTANCE_ARN])
        self.assertEqual([scope for scope, _ in found.locations],
                         [f"s3://{BUCKET}/"])
        self.assertEqual(found.policies, [POLICY])
        self.assertEqual(found.policy_versions, {POLICY: 1})
        self.assertEqual(found.groups, [GROUP])
        self.assertEqual(found.group_policies, {GROUP: [POLICY]})
        self.assertEqual(found.roles, [ROLE])
        self.assertEqual(found.role_policies, {ROLE: [ROLE_POLICY]})
        again = self.cytoskel("cpgstaging", "up")
        self.assertIn("No changes", again.stdout)


def user_arn(name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:user/{name}"


def created_key(stdout: str) -> dict[str, str]:
    """The key of `create user`'s "Creds: {...}" line."""
    for line in stdout.splitlines():
        if line.startswith("Creds: {"):
            return json.loads(line[len("Creds: "):])
    raise AssertionError(f"no Creds line in {stdout!r}")


def faketime_library() -> str | None:
    """libfaketime from Debian's libfaketime package, if installed."""
    for path in ("/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1",
                 "/usr/lib/aarch64-linux-gnu/faketime/libfaketime.so.1",
                 "/usr/lib/faketime/libfaketime.so.1"):
        if os.path.exists(path):
            return path
    return None
