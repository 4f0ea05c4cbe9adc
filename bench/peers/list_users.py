"""boto3 peer of `cytoskel cpgstaging list user`: the ARNs of the stack
group's members, every page (1,000 users a page, IAM's maximum)."""

from common import client

GROUP = "staging_cpg_uploaders"

pages = client("iam").get_paginator("get_group").paginate(
    GroupName=GROUP, PaginationConfig={"PageSize": 1000})
for page in pages:
    for user in page["Users"]:
        print(user["Arn"])
