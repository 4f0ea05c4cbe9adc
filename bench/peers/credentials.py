"""boto3 peer of `cytoskel credentials --no-cache` for a contributor: find
the caller's grant (ListCallerAccessGrants), trade the key for credentials
scoped to it (GetDataAccess), print them as export lines."""

from common import account_id, client

account = account_id()
s3control = client("s3control")
grant = s3control.list_caller_access_grants(
    AccountId=account)["CallerAccessGrantsList"][0]
access = s3control.get_data_access(
    AccountId=account, Target=grant["GrantScope"],
    Permission=grant["Permission"])
creds = access["Credentials"]
print(f"export AWS_ACCESS_KEY_ID='{creds['AccessKeyId']}'\n"
      f"export AWS_SECRET_ACCESS_KEY='{creds['SecretAccessKey']}'\n"
      f"export AWS_SESSION_TOKEN='{creds['SessionToken']}'\n"
      f"export AWS_CREDENTIAL_EXPIRATION='{creds['Expiration'].isoformat()}'")
