"""Filling the emulated account with boto3, straight to the API (not through
cytoskel, so that seeding is fast and does not depend on the code under
test).

What gets made looks like what cytoskel makes: users tagged
``managed-by=cytoskel`` in the stack's group, and READWRITE grants on the
stack's location, ten sub-prefixes per user. Calls run on a few threads
(boto3 clients are thread-safe); the emulator serialises them anyway, the
threads only hide the client's own time.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable, Iterable, Sequence

STACK_GROUP = "staging_cpg_uploaders"
BUCKET = "staging-cellpainting-gallery"
LOCATION_SCOPE = f"s3://{BUCKET}/"
MANAGED_TAG = {"Key": "managed-by", "Value": "cytoskel"}
USER_PREFIX = "bench-user-"
THREADS = 4


def user_name(index: int) -> str:
    return f"{USER_PREFIX}{index:05d}"


def grant_prefix(index: int) -> str:
    return f"bench{index:05d}/*"


def _parallel(function: Callable[[Any], Any], items: Iterable[Any]) -> list:
    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(function, items))


def location_id(s3control: Any, account: str) -> str:
    """The id of the stack's location (``cytoskel cpgstaging up`` made it)."""
    reply = s3control.list_access_grants_locations(
        AccountId=account, LocationScope=LOCATION_SCOPE)
    locations = reply["AccessGrantsLocationsList"]
    if not locations:
        raise RuntimeError(f"no Access Grants location {LOCATION_SCOPE}: "
                           "did `cytoskel cpgstaging up` run?")
    return locations[0]["AccessGrantsLocationId"]


def seed_users(iam: Any, first: int, count: int) -> list[str]:
    """Creates users ``first`` .. ``first + count - 1`` in the stack group;
    returns their ARNs in order."""
    def make(index: int) -> str:
        name = user_name(index)
        arn = iam.create_user(UserName=name, Tags=[MANAGED_TAG])["User"]["Arn"]
        iam.add_user_to_group(GroupName=STACK_GROUP, UserName=name)
        return arn
    return _parallel(make, range(first, first + count))


def seed_grants(s3control: Any, account: str, location: str,
                grantees: Sequence[str], first: int, count: int) -> None:
    """Creates grants ``first`` .. ``first + count - 1``: grant i gives
    ``grantees[i % len(grantees)]`` READWRITE on ``bench<i>/*``."""
    def make(index: int) -> None:
        s3control.create_access_grant(
            AccountId=account, AccessGrantsLocationId=location,
            AccessGrantsLocationConfiguration={
                "S3SubPrefix": grant_prefix(index)},
            Grantee={"GranteeType": "IAM",
                     "GranteeIdentifier": grantees[index % len(grantees)]},
            Permission="READWRITE", Tags=[MANAGED_TAG])
    _parallel(make, range(first, first + count))


def create_access_key(iam: Any, name: str) -> dict[str, str]:
    key = iam.create_access_key(UserName=name)["AccessKey"]
    return {"AccessKeyId": key["AccessKeyId"],
            "SecretAccessKey": key["SecretAccessKey"]}


def contributor_home(root: str, name: str, key: dict[str, str],
                     endpoint: str) -> dict[str, str]:
    """A contributor's machine: HOME with profile ``cpg_staging`` holding
    their key, as the contributor guide sets it up. Returns the environment
    variables that select it."""
    home = os.path.join(root, name)
    aws_dir = os.path.join(home, ".aws")
    os.makedirs(aws_dir, exist_ok=True)
    with open(os.path.join(aws_dir, "config"), "w") as config:
        config.write(f"[profile cpg_staging]\nregion = us-east-1\n"
                     f"endpoint_url = {endpoint}\n")
    with open(os.path.join(aws_dir, "credentials"), "w") as credentials:
        credentials.write(
            f"[cpg_staging]\naws_access_key_id = {key['AccessKeyId']}\n"
            f"aws_secret_access_key = {key['SecretAccessKey']}\n")
    return {
        "HOME": home, "AWS_PROFILE": "cpg_staging",
        "AWS_CONFIG_FILE": os.path.join(aws_dir, "config"),
        "AWS_SHARED_CREDENTIALS_FILE": os.path.join(aws_dir, "credentials"),
    }


def roster_names(count: int) -> list[str]:
    return [f"roster-{index:04d}" for index in range(count)]


def roster_prefix(name: str) -> str:
    return f"{name}-data/"


def write_roster(path: str, names: Sequence[str]) -> None:
    """The TOML roster of ``cytoskel cpgstaging apply``: one user per name,
    one READWRITE prefix each."""
    with open(path, "w") as roster:
        for name in names:
            roster.write(f"[users.{name}]\nprefixes = "
                         f"{json.dumps([roster_prefix(name)])}\n\n")


def remove_users(iam: Any, s3control: Any, account: str,
                 names: Sequence[str]) -> None:
    """Offboards ``names`` completely (grants, keys, group, user), skipping
    what is not there: resets the account between roster repetitions."""
    arns = {}
    for name in names:
        try:
            arns[iam.get_user(UserName=name)["User"]["Arn"]] = name
        except iam.exceptions.NoSuchEntityException:
            pass
    grants = s3control.list_access_grants(AccountId=account, MaxResults=1000)
    token = grants.get("NextToken")
    doomed = [g["AccessGrantId"] for g in grants["AccessGrantsList"]
              if g["Grantee"]["GranteeIdentifier"] in arns]
    while token:
        grants = s3control.list_access_grants(AccountId=account,
                                              MaxResults=1000, NextToken=token)
        token = grants.get("NextToken")
        doomed += [g["AccessGrantId"] for g in grants["AccessGrantsList"]
                   if g["Grantee"]["GranteeIdentifier"] in arns]
    _parallel(lambda grant: s3control.delete_access_grant(
        AccountId=account, AccessGrantId=grant), doomed)

    def remove(name: str) -> None:
        for key in iam.list_access_keys(UserName=name)["AccessKeyMetadata"]:
            iam.delete_access_key(UserName=name,
                                  AccessKeyId=key["AccessKeyId"])
        for group in iam.list_groups_for_user(UserName=name)["Groups"]:
            iam.remove_user_from_group(GroupName=group["GroupName"],
                                       UserName=name)
        iam.delete_user(UserName=name)
    _parallel(remove, list(arns.values()))
