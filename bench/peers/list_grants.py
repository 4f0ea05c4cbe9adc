"""boto3 peer of `cytoskel cpgstaging list grant`: every Access Grant id,
page by page (ListAccessGrants has no botocore paginator)."""

from common import account_id, client

account = account_id()
s3control = client("s3control")
token = None
while True:
    extra = {"NextToken": token} if token else {}
    page = s3control.list_access_grants(AccountId=account, MaxResults=1000,
                                        **extra)
    for grant in page.get("AccessGrantsList", []):
        print(grant["AccessGrantId"])
    token = page.get("NextToken")
    if not token:
        break
