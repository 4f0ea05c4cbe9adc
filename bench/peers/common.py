"""What every boto3 peer script shares: clients made the way a user's own
script makes them (``boto3.Session()``: profile, region, endpoint and keys
from AWS_PROFILE and the AWS config files), with one addition for the local
emulator only: S3 Control requests for ``ACCOUNT.localhost`` are sent to
127.0.0.1 with the Host header kept, since Python does not resolve that name
(see awscli_loopback.py; against real AWS this is not needed).
"""

import boto3

from awscli_loopback import _to_loopback


def client(service):
    made = boto3.Session().client(service)
    if service == "s3control":
        made.meta.events.register("before-send", _to_loopback)
    return made


def account_id():
    """The caller's account id (S3 Control needs it on every call)."""
    return client("sts").get_caller_identity()["Account"]
