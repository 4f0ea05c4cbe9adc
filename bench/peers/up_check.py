"""boto3 peer of `cytoskel cpgstaging up` on a converged account: the same
14 reads (identity, bucket and its three settings, Access Grants instance
and its tags, policy and its document, group and its policies, role and its
inline policy, location), each compared with what the stack wants. Prints
one line per resource; exits 3 if one differs (nothing is repaired: on a
converged account there is nothing to do)."""

import json
import sys
from urllib.parse import unquote

from common import client

BUCKET = "staging-cellpainting-gallery"
POLICY = "staging_cpg_creds_data_access"
GROUP = "staging_cpg_uploaders"
ROLE = "cpg_staging_access_grant_location_role"
ROLE_POLICY = "cpg_staging_access_grant_location_policy"
MANAGED = {"Key": "managed-by", "Value": "cytoskel"}


def document(value):
    return json.loads(unquote(value) if isinstance(value, str) else
                      json.dumps(value))


account = client("sts").get_caller_identity()["Account"]
s3, iam, s3control = client("s3"), client("iam"), client("s3control")
checks = {}

s3.head_bucket(Bucket=BUCKET)
block = s3.get_public_access_block(Bucket=BUCKET)
encryption = s3.get_bucket_encryption(Bucket=BUCKET)
ownership = s3.get_bucket_ownership_controls(Bucket=BUCKET)
checks["bucket " + BUCKET] = (
    all(block["PublicAccessBlockConfiguration"].values())
    and encryption["ServerSideEncryptionConfiguration"]["Rules"]
    and ownership["OwnershipControls"]["Rules"][0]["ObjectOwnership"]
    == "BucketOwnerEnforced")

instance = s3control.get_access_grants_instance(AccountId=account)
tags = s3control.list_tags_for_resource(
    AccountId=account, ResourceArn=instance["AccessGrantsInstanceArn"])
checks["access grants instance"] = MANAGED in tags["Tags"]

policy_arn = f"arn:aws:iam::{account}:policy/{POLICY}"
policy = iam.get_policy(PolicyArn=policy_arn)["Policy"]
version = iam.get_policy_version(PolicyArn=policy_arn,
                                 VersionId=policy["DefaultVersionId"])
actions = document(version["PolicyVersion"]["Document"])["Statement"][0][
    "Action"]
checks["policy " + POLICY] = "s3:GetDataAccess" in actions

iam.get_group(GroupName=GROUP, MaxItems=1)
attached = iam.list_attached_group_policies(GroupName=GROUP)
checks["group " + GROUP] = any(p["PolicyArn"] == policy_arn
                               for p in attached["AttachedPolicies"])

role = iam.get_role(RoleName=ROLE)["Role"]
inline = iam.get_role_policy(RoleName=ROLE, PolicyName=ROLE_POLICY)
checks["role " + ROLE] = (role["MaxSessionDuration"] == 43200
                          and document(inline["PolicyDocument"]))

locations = s3control.list_access_grants_locations(
    AccountId=account, MaxResults=1000)["AccessGrantsLocationsList"]
checks[f"location s3://{BUCKET}/"] = any(
    l["LocationScope"] == f"s3://{BUCKET}/" and l["IAMRoleArn"] == role["Arn"]
    for l in locations)

for name, ok in checks.items():
    print(f"  {'unchanged' if ok else 'differs':<10} {name}")
sys.exit(0 if all(checks.values()) else 3)
