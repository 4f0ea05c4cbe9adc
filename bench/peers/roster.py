"""boto3 peer of `cytoskel cpgstaging apply ROSTER --credentials-dir DIR`
for new contributors: the loop an admin's script would run, one contributor
after the other. For each [users.NAME] of the TOML roster: the user (tagged
managed-by=cytoskel), membership of the stack group, an access key written to
DIR/NAME.credentials (0600), and a READWRITE (or the roster's permission)
grant on the stack location for each prefix.

Usage: roster.py ROSTER DIR
"""

import os
import sys
import tomllib

from common import account_id, client

GROUP = "staging_cpg_uploaders"
SCOPE = "s3://staging-cellpainting-gallery/"
MANAGED = {"Key": "managed-by", "Value": "cytoskel"}


def write_key(directory, name, key):
    path = os.path.join(directory, f"{name}.credentials")
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as out:
        out.write(f"[{name}]\naws_access_key_id = {key['AccessKeyId']}\n"
                  f"aws_secret_access_key = {key['SecretAccessKey']}\n")


def main(roster_path, directory):
    with open(roster_path, "rb") as roster_file:
        roster = tomllib.load(roster_file)["users"]
    account = account_id()
    iam, s3control = client("iam"), client("s3control")
    location = s3control.list_access_grants_locations(
        AccountId=account, LocationScope=SCOPE)["AccessGrantsLocationsList"][0]
    os.makedirs(directory, mode=0o700, exist_ok=True)
    for name, entry in roster.items():
        arn = iam.create_user(UserName=name, Tags=[MANAGED])["User"]["Arn"]
        iam.add_user_to_group(GroupName=GROUP, UserName=name)
        write_key(directory, name,
                  iam.create_access_key(UserName=name)["AccessKey"])
        for prefix in entry["prefixes"]:
            s3control.create_access_grant(
                AccountId=account,
                AccessGrantsLocationId=location["AccessGrantsLocationId"],
                AccessGrantsLocationConfiguration={
                    "S3SubPrefix": prefix + "*"},
                Grantee={"GranteeType": "IAM", "GranteeIdentifier": arn},
                Permission=entry.get("permission", "READWRITE"),
                Tags=[MANAGED])
        print(f"onboarded {name}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
