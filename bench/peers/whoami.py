"""boto3 peer of `cytoskel whoami`: GetCallerIdentity, printed."""

from common import client

identity = client("sts").get_caller_identity()
print(f"Account: {identity['Account']}\nArn: {identity['Arn']}\n"
      f"UserId: {identity['UserId']}")
