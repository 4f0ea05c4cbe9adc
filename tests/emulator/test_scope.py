"""GetDataAccess credentials reach their grant and nothing else.

One emulator for the class: bucket ``scope-bucket`` with location
``s3://scope-bucket/``; contributors alice (READWRITE ``alice/*``), bob
(READWRITE ``bob/*``), carol (READ ``shared/*``), dave (READWRITE
``cpg0001/*``), erin (READWRITE ``cpg0001*``); frank has a grant but no IAM
permission for ``s3:GetDataAccess``.
"""

from __future__ import annotations

import subprocess
import tempfile
import unittest
from pathlib import Path

from tests.emulator.harness import (
    ACCOUNT_ID,
    AwsErrorAssertions,
    Credentials,
    Emulator,
)

BUCKET = "scope-bucket"


def target(key_pattern: str) -> str:
    return f"s3://{BUCKET}/{key_pattern}"


class ScopeTest(AwsErrorAssertions, unittest.TestCase):
    emu: Emulator

    @classmethod
    def setUpClass(cls) -> None:
        cls.emu = Emulator().start()
        emu = cls.emu
        s3 = emu.client("s3")
        s3.create_bucket(Bucket=BUCKET)
        s3.put_object(Bucket=BUCKET, Key="shared/seed.txt", Body=b"seed")
        s3.put_object(Bucket=BUCKET, Key="bob/private.txt", Body=b"bob's")
        control = emu.client("s3control")
        control.create_access_grants_instance(AccountId=ACCOUNT_ID)
        role = emu.create_location_role("scope-location-role", BUCKET)
        cls.location_id = control.create_access_grants_location(
            AccountId=ACCOUNT_ID, LocationScope=f"s3://{BUCKET}/", IAMRoleArn=role,
        )["AccessGrantsLocationId"]
        cls.users = {}
        for name, prefix, permission in (
            ("alice", "alice/*", "READWRITE"), ("bob", "bob/*", "READWRITE"),
            ("carol", "shared/*", "READ"), ("dave", "cpg0001/*", "READWRITE"),
            ("erin", "cpg0001*", "READWRITE"),
        ):
            cls.users[name] = emu.create_contributor(name)
            cls._grant(cls.users[name].arn, prefix, permission)
        cls.users["frank"] = emu.create_user("frank")
        cls._grant(cls.users["frank"].arn, "frank/*", "READWRITE")

    @classmethod
    def tearDownClass(cls) -> None:
        cls.emu.stop()

    @classmethod
    def _grant(cls, arn: str, prefix: str, permission: str) -> None:
        cls.emu.client("s3control").create_access_grant(
            AccountId=ACCOUNT_ID, AccessGrantsLocationId=cls.location_id,
            AccessGrantsLocationConfiguration={"S3SubPrefix": prefix},
            Grantee={"GranteeType": "IAM", "GranteeIdentifier": arn}, Permission=permission)

    # -- helpers -----------------------------------------------------------------

    def data_access(self, user: str, pattern: str, permission: str = "READWRITE",
                    **extra: object) -> dict:
        control = self.emu.client("s3control", self.users[user].credentials)
        return control.get_data_access(AccountId=ACCOUNT_ID, Target=target(pattern),
                                       Permission=permission, **extra)

    def scoped_s3(self, user: str, pattern: str, permission: str = "READWRITE",
                  **extra: object):
        reply = self.data_access(user, pattern, permission, **extra)
        return self.emu.client("s3", Credentials.from_response(reply["Credentials"]))

    # -- GetDataAccess -------------------------------------------------------------

    def test_each_contributor_gets_own_prefix_only(self) -> None:
        for user, other in (("alice", "bob"), ("bob", "alice")):
            with self.subTest(user=user):
                reply = self.data_access(user, f"{user}/*")
                self.assertEqual(reply["MatchedGrantTarget"], target(f"{user}/*"))
                self.assertEqual(reply["Grantee"]["GranteeIdentifier"], self.users[user].arn)
                self.assertTrue(reply["Credentials"]["AccessKeyId"].startswith("ASIA"))
                with self.assertAwsError("AccessDenied", 403):
                    self.data_access(user, f"{other}/*")

    def test_target_wider_than_the_grant_is_refused(self) -> None:
        with self.assertAwsError("AccessDenied", 403):
            self.data_access("alice", "*")

    def test_folder_and_bare_prefix_wildcards_differ(self) -> None:
        with self.assertAwsError("AccessDenied", 403):
            self.data_access("dave", "cpg00010/*")
        self.assertEqual(self.data_access("erin", "cpg00010/*")["MatchedGrantTarget"],
                         target("cpg0001*"))

    def test_caller_needs_iam_permission(self) -> None:
        with self.assertAwsError("AccessDenied", 403):
            self.data_access("frank", "frank/*")

    def test_read_grant_cannot_get_write_credentials(self) -> None:
        with self.assertAwsError("AccessDenied", 403):
            self.data_access("carol", "shared/*", "WRITE")
        self.assertEqual(self.data_access("carol", "shared/*", "READ")["MatchedGrantTarget"],
                         target("shared/*"))

    # -- what the credentials reach ---------------------------------------------------

    def test_put_inside_works_and_outside_is_refused(self) -> None:
        s3 = self.scoped_s3("alice", "alice/*")
        s3.put_object(Bucket=BUCKET, Key="alice/data/one.txt", Body=b"1")
        self.assertEqual(s3.get_object(Bucket=BUCKET, Key="alice/data/one.txt")["Body"].read(), b"1")
        listed = s3.list_objects_v2(Bucket=BUCKET, Prefix="alice/")
        self.assertIn("alice/data/one.txt", [o["Key"] for o in listed["Contents"]])
        for key in ("bob/one.txt", "one.txt", "alice"):
            with self.subTest(key=key), self.assertAwsError("AccessDenied", 403):
                s3.put_object(Bucket=BUCKET, Key=key, Body=b"x")
        with self.assertAwsError("AccessDenied", 403):
            s3.get_object(Bucket=BUCKET, Key="bob/private.txt")
        for prefix in ("", "bob/", "ali"):
            with self.subTest(prefix=prefix), self.assertAwsError("AccessDenied", 403):
                s3.list_objects_v2(Bucket=BUCKET, Prefix=prefix)

    def test_read_credentials_cannot_write(self) -> None:
        s3 = self.scoped_s3("carol", "shared/*", "READ")
        self.assertEqual(s3.get_object(Bucket=BUCKET, Key="shared/seed.txt")["Body"].read(), b"seed")
        with self.assertAwsError("AccessDenied", 403):
            s3.put_object(Bucket=BUCKET, Key="shared/new.txt", Body=b"x")
        with self.assertAwsError("AccessDenied", 403):
            s3.delete_object(Bucket=BUCKET, Key="shared/seed.txt")

    def test_readwrite_grant_serves_read_only_credentials(self) -> None:
        self.emu.client("s3").put_object(Bucket=BUCKET, Key="alice/r.txt", Body=b"r")
        s3 = self.scoped_s3("alice", "alice/*", "READ")
        self.assertEqual(s3.get_object(Bucket=BUCKET, Key="alice/r.txt")["Body"].read(), b"r")
        with self.assertAwsError("AccessDenied", 403):
            s3.put_object(Bucket=BUCKET, Key="alice/w.txt", Body=b"w")

    def test_minimal_privilege_scopes_to_the_target(self) -> None:
        minimal = self.scoped_s3("alice", "alice/sub/*", Privilege="Minimal")
        minimal.put_object(Bucket=BUCKET, Key="alice/sub/in.txt", Body=b"x")
        with self.assertAwsError("AccessDenied", 403):
            minimal.put_object(Bucket=BUCKET, Key="alice/other.txt", Body=b"x")
        default = self.scoped_s3("alice", "alice/sub/*")
        default.put_object(Bucket=BUCKET, Key="alice/other.txt", Body=b"x")

    def test_multi_object_delete_stays_in_scope(self) -> None:
        s3 = self.scoped_s3("alice", "alice/*")
        s3.put_object(Bucket=BUCKET, Key="alice/d1", Body=b"1")
        mixed = s3.delete_objects(Bucket=BUCKET, Delete={"Objects": [{"Key": "alice/d1"},
                                                                     {"Key": "bob/private.txt"}]})
        self.assertIn({"Key": "bob/private.txt", "Code": "AccessDenied", "Message": "Access Denied"},
                      mixed["Errors"])
        self.assertNotIn("Deleted", mixed)
        reply = s3.delete_objects(Bucket=BUCKET, Delete={"Objects": [{"Key": "alice/d1"}]})
        self.assertEqual([d["Key"] for d in reply["Deleted"]], ["alice/d1"])
        self.emu.client("s3").head_object(Bucket=BUCKET, Key="bob/private.txt")

    def test_bare_prefix_grant_reaches_neighbour_folders(self) -> None:
        s3 = self.scoped_s3("erin", "cpg0001*")
        s3.put_object(Bucket=BUCKET, Key="cpg00010/x", Body=b"x")
        s3.put_object(Bucket=BUCKET, Key="cpg0001/x", Body=b"x")
        folder = self.scoped_s3("dave", "cpg0001/*")
        with self.assertAwsError("AccessDenied", 403):
            folder.put_object(Bucket=BUCKET, Key="cpg00010/y", Body=b"y")

    def test_scoped_credentials_are_refused_elsewhere(self) -> None:
        creds = Credentials.from_response(self.data_access("alice", "alice/*")["Credentials"])
        with self.assertAwsError("AccessDenied", 403):
            self.emu.client("iam", creds).list_users()
        with self.assertAwsError("AccessDenied", 403):
            self.emu.client("s3control", creds).list_access_grants(AccountId=ACCOUNT_ID)
        with self.assertAwsError("AccessDenied", 403):
            self.emu.client("s3", creds).list_buckets()
        identity = self.emu.client("sts", creds).get_caller_identity()
        self.assertIn(":assumed-role/scope-location-role/", identity["Arn"])

    # -- the contributor's own key ----------------------------------------------------

    def test_own_key_reaches_no_object(self) -> None:
        s3 = self.emu.client("s3", self.users["alice"].credentials)
        with self.assertAwsError("AccessDenied", 403):
            s3.put_object(Bucket=BUCKET, Key="alice/direct.txt", Body=b"x")
        with self.assertAwsError("AccessDenied", 403):
            s3.get_object(Bucket=BUCKET, Key="shared/seed.txt")
        with self.assertAwsError("AccessDenied", 403):
            s3.list_objects_v2(Bucket=BUCKET, Prefix="alice/")

    def test_contributor_lists_own_grants(self) -> None:
        control = self.emu.client("s3control", self.users["alice"].credentials)
        grants = control.list_caller_access_grants(AccountId=ACCOUNT_ID)["CallerAccessGrantsList"]
        self.assertEqual(grants, [{"Permission": "READWRITE", "GrantScope": target("alice/*")}])
        found = control.get_access_grants_instance_for_prefix(AccountId=ACCOUNT_ID,
                                                              S3Prefix=target("alice/"))
        self.assertEqual(found["AccessGrantsInstanceId"], "default")

    def test_wrong_secret_and_unknown_key(self) -> None:
        alice = self.users["alice"].credentials
        forged = Credentials(alice.access_key_id, "not-the-secret")
        unknown = Credentials("AKIAUNKNOWNUNKNOWN00", "whatever")
        with self.assertAwsError("SignatureDoesNotMatch", 403):
            self.emu.client("s3control", forged).list_caller_access_grants(AccountId=ACCOUNT_ID)
        with self.assertAwsError("SignatureDoesNotMatch", 403):
            self.emu.client("sts", forged).get_caller_identity()
        with self.assertAwsError("SignatureDoesNotMatch", 403):
            self.emu.client("s3", forged).list_objects_v2(Bucket=BUCKET, Prefix="alice/")
        with self.assertAwsError("InvalidClientTokenId", 403):
            self.emu.client("sts", unknown).get_caller_identity()
        with self.assertAwsError("InvalidAccessKeyId", 403):
            self.emu.client("s3control", unknown).list_caller_access_grants(AccountId=ACCOUNT_ID)

    def test_inactive_key_is_refused(self) -> None:
        user = self.emu.create_contributor("inactive-user")
        self.emu.client("iam").update_access_key(
            UserName=user.user_name, AccessKeyId=user.credentials.access_key_id, Status="Inactive")
        with self.assertAwsError("InvalidClientTokenId", 403):
            self.emu.client("sts", user.credentials).get_caller_identity()

    # -- the AWS CLI with scoped credentials ---------------------------------------------

    def test_aws_cli_upload_with_scoped_credentials(self) -> None:
        creds = Credentials.from_response(self.data_access("bob", "bob/*")["Credentials"])
        env = self.emu.env(creds)
        with tempfile.TemporaryDirectory() as folder:
            source = Path(folder, "data.txt")
            source.write_text("cli upload\n")
            inside = subprocess.run(["aws", "s3", "cp", str(source), f"s3://{BUCKET}/bob/cli.txt"],
                                    env=env, capture_output=True, text=True, timeout=60)
            self.assertEqual(inside.returncode, 0, inside.stderr)
            outside = subprocess.run(["aws", "s3", "cp", str(source), f"s3://{BUCKET}/alice/cli.txt"],
                                     env=env, capture_output=True, text=True, timeout=60)
            self.assertNotEqual(outside.returncode, 0)
            self.assertIn("AccessDenied", outside.stderr)
        body = self.emu.client("s3").get_object(Bucket=BUCKET, Key="bob/cli.txt")["Body"].read()
        self.assertEqual(body, b"cli upload\n")


if __name__ == "__main__":
    unittest.main()
