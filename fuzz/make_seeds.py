#!/usr/bin/env python3
"""Regenerates the captured part of the fuzzers' seed corpora.

Runs cytoskel (``CYTOSKEL_BIN`` or build/cytoskel) through the fault proxy
against a fresh emulator, records every answer, and writes:

- ``fuzz/corpus/xml_reply_fuzzer/captured-<operation>-<n>``: each reply body;
- ``fuzz/corpus/typed_replies_fuzzer/captured-<call>``: for each call of
  typed_replies_fuzzer.cc, its selector bytes and the replies it needs.

The hand-written seeds beside them are kept. Usage, from the repository:

    python3 fuzz/make_seeds.py
"""

from __future__ import annotations

import os
import pathlib
import re
import subprocess
import sys

REPO = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.e2e.cytoskel_run import BINARY, clean_env  # noqa: E402
from tests.emulator.harness import Emulator  # noqa: E402
from tests.faults.proxy import FaultProxy  # noqa: E402

CORPUS = REPO / "fuzz" / "corpus"
SEPARATOR = b"\n----\n"

# typed_replies_fuzzer.cc: (service byte, call byte) -> operations answered.
CALLS = {
    (0, 0): ["GetUser"], (0, 1): ["CreateUser"], (0, 2): ["ListUsers"],
    (0, 3): ["CreateAccessKey"], (0, 4): ["ListAccessKeys"],
    (0, 5): ["GetGroup"], (0, 6): ["GetPolicy"],
    (0, 7): ["GetPolicyVersion"], (0, 8): ["ListPolicyVersions"],
    (0, 9): ["GetRole"], (0, 10): ["GetRolePolicy"],
    (0, 11): ["ListAttachedGroupPolicies"],
    (0, 12): ["GetLoginProfile", "ListAccessKeys", "DeleteAccessKey"],
    (0, 13): ["GetAccessKeyLastUsed"], (0, 14): ["ListEntitiesForPolicy"],
    (0, 15): ["ListGroupsForUser"],
    (1, 0): ["GetAccessGrantsInstance"],
    (1, 1): ["CreateAccessGrantsInstance"],
    (1, 2): ["ListAccessGrantsLocations"],
    (1, 3): ["CreateAccessGrantsLocation"], (1, 4): ["ListAccessGrants"],
    (1, 5): ["CreateAccessGrant"], (1, 6): ["GetAccessGrant"],
    (1, 7): ["GetDataAccess"], (1, 8): ["ListCallerAccessGrants"],
    (1, 9): ["ListTagsForResource"], (1, 10): ["GetAccessGrantsLocation"],
    (1, 11): ["GetAccessGrantsInstanceForPrefix"],
    (2, 0): ["HeadBucket"], (2, 1): ["GetPublicAccessBlock"],
    (2, 2): ["GetBucketEncryption"], (2, 3): ["GetBucketOwnershipControls"],
    (2, 4): ["ListObjectsV2"], (2, 6): ["GetCallerIdentity"],
}


def scrub(body: bytes) -> bytes:
    """Replaces the emulator's (fake) keys with AWS's documented examples,
    so that no seed looks like a leaked credential to a secret scanner."""
    body = re.sub(rb"(AKIA|ASIA)[A-Z0-9]{16}", rb"\1IOSFODNN7EXAMPLE", body)
    for element, example in ((b"SecretAccessKey",
                              b"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
                             (b"SessionToken", b"EXAMPLEsessionTOKEN==")):
        body = re.sub(b"<" + element + b">[^<]*</" + element + b">",
                      b"<" + element + b">" + example + b"</" + element +
                      b">", body)
    return body


def frame(status: int, body: bytes) -> bytes:
    head = b"" if status == 200 else f"HTTP {status}\n".encode()
    return head + body


def capture() -> dict[str, list[tuple[int, bytes]]]:
    answers: dict[str, list[tuple[int, bytes]]] = {}
    with Emulator() as emulator, FaultProxy(emulator.port,
                                            record=True) as proxy:
        env = clean_env(HOME=emulator.home, AWS_PROFILE="CPG",
                        AWS_ENDPOINT_URL=proxy.endpoint)

        def cytoskel(*args: str) -> str:
            result = subprocess.run([BINARY, *args], env=env, text=True,
                                    capture_output=True, timeout=120)
            return result.stdout

        cytoskel("cpgstaging", "up")
        cytoskel("cpgstaging", "up")
        cytoskel("whoami")
        cytoskel("cpgstaging", "create", "user", "alice")
        location = cytoskel("cpgstaging", "list", "location").split()[-1]
        cytoskel("cpgstaging", "create", "grant", "alice", location,
                 "cpg0001-x")
        cytoskel("cpgstaging", "list", "user")
        grant = cytoskel("cpgstaging", "list", "grant").split()[0]
        cytoskel("cpgstaging", "delete", "grant", grant)
        cytoskel("cpgstaging", "delete", "user", "alice")
        contributor = emulator.create_contributor("bob")
        control = emulator.client("s3control")
        control.create_access_grant(
            AccountId="123456789012", AccessGrantsLocationId=location,
            AccessGrantsLocationConfiguration={"S3SubPrefix": "cpg0002/*"},
            Grantee={"GranteeType": "IAM",
                     "GranteeIdentifier": contributor.arn},
            Permission="READWRITE")
        bob = {**env, **contributor.credentials.env()}
        bob.pop("AWS_PROFILE")
        bob["AWS_REGION"] = "us-east-1"
        for args in (["grants"], ["credentials", "--no-cache"]):
            subprocess.run([BINARY, *args], env=bob, capture_output=True,
                           timeout=120)
        cytoskel("cpgstaging", "destroy", "--yes")
        for operation, status, _, body in proxy.answers:
            answers.setdefault(operation, []).append((status, scrub(body)))
    return answers


def main() -> None:
    if not os.path.exists(BINARY):
        sys.exit(f"make_seeds: build cytoskel first ({BINARY})")
    answers = capture()
    xml_dir = CORPUS / "xml_reply_fuzzer"
    typed_dir = CORPUS / "typed_replies_fuzzer"
    for directory in (xml_dir, typed_dir):
        directory.mkdir(parents=True, exist_ok=True)
        for old in directory.glob("captured-*"):
            old.unlink()
    for operation, replies in sorted(answers.items()):
        for n, (_, body) in enumerate(replies[:2]):
            if body:
                (xml_dir / f"captured-{operation}-{n}").write_bytes(body)
    for (service, call), operations in sorted(CALLS.items()):
        frames = [frame(*answers[op][0]) for op in operations
                  if op in answers]
        if frames:
            (typed_dir / f"captured-{service}-{call}").write_bytes(
                bytes([service, call]) + SEPARATOR.join(frames))
    print(f"make_seeds: {sum(len(r) for r in answers.values())} answers of "
          f"{len(answers)} operations captured")


if __name__ == "__main__":
    main()
