"""IAM and STS behaviour moto lacks, driven with boto3: ``sts:AssumeRole``
authorization (identity policy and trust policy), IAM service-specific
credentials, and DeleteUser refusing while anything is attached to the user.
"""

from __future__ import annotations

import json
import re
import unittest
from datetime import datetime, timedelta, timezone

from tests.emulator.harness import (
    ACCOUNT_ID,
    AwsErrorAssertions,
    Credentials,
    Emulator,
)

ROOT = f"arn:aws:iam::{ACCOUNT_ID}:root"
ADMIN_ARN = f"arn:aws:iam::{ACCOUNT_ID}:user/emulator-admin"
CREDENTIAL_ID = re.compile(r"^ACCA[A-Z0-9]{17}$")


def trust_policy(*statements: dict) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def allow(principal: object, **extra: object) -> dict:
    return {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole", **extra}


class AssumeRoleTest(AwsErrorAssertions, unittest.TestCase):
    """Identity policy allows + trust policy allows, as AWS evaluates them."""

    emu: Emulator

    @classmethod
    def setUpClass(cls) -> None:
        cls.emu = Emulator().start()
        cls.iam = cls.emu.client("iam")
        cls.sts = cls.emu.client("sts")
        cls.account_role = cls.role("trusts-account", allow({"AWS": ROOT}))
        cls.nobody = cls.emu.create_user("nobody", cls.emu.policy(["s3:ListAllMyBuckets"], "*"))

    @classmethod
    def tearDownClass(cls) -> None:
        cls.emu.stop()

    @classmethod
    def role(cls, name: str, *statements: dict, path: str = "/") -> str:
        return cls.iam.create_role(RoleName=name, Path=path,
                                   AssumeRolePolicyDocument=trust_policy(*statements))["Role"]["Arn"]

    def sts_of(self, credentials: Credentials):
        return self.emu.client("sts", credentials)

    def assume(self, role_arn: str, credentials: Credentials | None = None, **extra: object) -> dict:
        sts = self.sts_of(credentials) if credentials else self.sts
        return sts.assume_role(RoleArn=role_arn, RoleSessionName="xyz", **extra)

    def assertDenied(self, role_arn: str, credentials: Credentials | None = None,
                     caller: str = ADMIN_ARN, **extra: object) -> None:
        with self.assertAwsError("AccessDenied", 403) as caught:
            self.assume(role_arn, credentials, **extra)
        self.assertEqual(
            caught.exception.response["Error"]["Message"],
            f"User: {caller} is not authorized to perform: sts:AssumeRole on resource: {role_arn}")

    def test_admin_assumes_a_role_trusting_the_account(self) -> None:
        reply = self.assume(self.account_role)
        self.assertEqual(reply["AssumedRoleUser"]["Arn"],
                         f"arn:aws:sts::{ACCOUNT_ID}:assumed-role/trusts-account/xyz")
        session = Credentials.from_response(reply["Credentials"])
        identity = self.sts_of(session).get_caller_identity()
        self.assertEqual(identity["Arn"], reply["AssumedRoleUser"]["Arn"])

    def test_account_id_principal_and_wildcard_action(self) -> None:
        role = self.role("trusts-account-id", {"Effect": "Allow", "Principal": {"AWS": ACCOUNT_ID},
                                               "Action": "sts:*"})
        self.assume(role)

    def test_user_without_assume_role_permission_is_refused(self) -> None:
        self.assertDenied(self.account_role, self.nobody.credentials, self.nobody.arn)

    def test_permission_on_another_role_is_not_enough(self) -> None:
        other = self.role("other-role", allow({"AWS": ROOT}))
        user = self.emu.create_user("narrow", self.emu.policy(["sts:AssumeRole"], other))
        self.assume(other, user.credentials)
        self.assertDenied(self.account_role, user.credentials, user.arn)

    def test_explicit_deny_in_identity_policy_wins(self) -> None:
        policy = {"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Action": "*", "Resource": "*"},
            {"Effect": "Deny", "Action": "sts:AssumeRole", "Resource": self.account_role}]}
        user = self.emu.create_user("denied-admin", policy)
        self.assertDenied(self.account_role, user.credentials, user.arn)

    def test_deny_in_trust_policy_wins(self) -> None:
        role = self.role("denies-admin", allow({"AWS": ROOT}),
                         {"Effect": "Deny", "Principal": {"AWS": ADMIN_ARN}, "Action": "sts:AssumeRole"})
        self.assertDenied(role)

    def test_trust_naming_someone_else_refuses(self) -> None:
        role = self.role("trusts-nobody", allow({"AWS": self.nobody.arn}))
        self.assertDenied(role)

    def test_trust_naming_the_user_suffices_in_the_same_account(self) -> None:
        role = self.role("trusts-nobody-only", allow({"AWS": [self.nobody.arn]}))
        self.assume(role, self.nobody.credentials)

    def test_user_with_a_path_is_named_by_its_full_arn(self) -> None:
        self.iam.create_user(UserName="pathed", Path="/team/")
        key = self.iam.create_access_key(UserName="pathed")["AccessKey"]
        credentials = Credentials(key["AccessKeyId"], key["SecretAccessKey"])
        arn = f"arn:aws:iam::{ACCOUNT_ID}:user/team/pathed"
        self.assume(self.role("trusts-pathed", allow({"AWS": arn})), credentials)

    def test_service_only_trust_refuses_users(self) -> None:
        role = self.emu.create_location_role("service-only", "no-bucket")
        self.assertDenied(role)

    def test_unknown_role_is_refused(self) -> None:
        self.assertDenied(f"arn:aws:iam::{ACCOUNT_ID}:role/no-such-role")

    def test_external_id_condition(self) -> None:
        role = self.role("needs-external-id", allow(
            {"AWS": ROOT}, Condition={"StringEquals": {"sts:ExternalId": "secret-id"}}))
        self.assertDenied(role)
        self.assertDenied(role, ExternalId="wrong-id")
        self.assume(role, ExternalId="secret-id")

    def test_role_session_assumes_a_role_trusting_its_role(self) -> None:
        first = self.role("chain-first", allow({"AWS": ROOT}))
        self.iam.put_role_policy(RoleName="chain-first", PolicyName="assume", PolicyDocument=json.dumps(
            self.emu.policy(["sts:AssumeRole"], "*")))
        second = self.role("chain-second", allow({"AWS": first}))
        session = Credentials.from_response(self.assume(first)["Credentials"])
        reply = self.assume(second, session)
        self.assertEqual(reply["AssumedRoleUser"]["Arn"],
                         f"arn:aws:sts::{ACCOUNT_ID}:assumed-role/chain-second/xyz")
        self.assertDenied(self.role("chain-third", allow({"AWS": self.nobody.arn})), session,
                          f"arn:aws:sts::{ACCOUNT_ID}:assumed-role/chain-first/xyz")


class ServiceSpecificCredentialTest(AwsErrorAssertions, unittest.TestCase):
    """Create / List / Reset / Update / Delete ServiceSpecificCredential."""

    emu: Emulator

    @classmethod
    def setUpClass(cls) -> None:
        cls.emu = Emulator().start()
        cls.iam = cls.emu.client("iam")

    @classmethod
    def tearDownClass(cls) -> None:
        cls.emu.stop()

    def user(self, name: str) -> str:
        self.iam.create_user(UserName=name)
        return name

    def create(self, user: str, service: str = "codecommit.amazonaws.com", **extra: object) -> dict:
        return self.iam.create_service_specific_credential(
            UserName=user, ServiceName=service, **extra)["ServiceSpecificCredential"]

    def listed(self, user: str, **extra: object) -> list[dict]:
        return self.iam.list_service_specific_credentials(
            UserName=user, **extra)["ServiceSpecificCredentials"]

    def test_create_codecommit_credential(self) -> None:
        user = self.user("git-user")
        before = datetime.now(timezone.utc) - timedelta(seconds=2)
        created = self.create(user)
        self.assertRegex(created["ServiceSpecificCredentialId"], CREDENTIAL_ID)
        self.assertEqual(created["ServiceName"], "codecommit.amazonaws.com")
        self.assertEqual(created["ServiceUserName"], f"git-user-at-{ACCOUNT_ID}")
        self.assertEqual(len(created["ServicePassword"]), 44)
        self.assertEqual((created["UserName"], created["Status"]), ("git-user", "Active"))
        self.assertGreaterEqual(created["CreateDate"], before)
        second = self.create(user)
        self.assertEqual(second["ServiceUserName"], f"git-user+1-at-{ACCOUNT_ID}")
        self.assertNotEqual(second["ServicePassword"], created["ServicePassword"])

    def test_list_returns_metadata_without_secrets(self) -> None:
        user = self.user("lister")
        self.assertEqual(self.listed(user), [])
        created = self.create(user, "cassandra.amazonaws.com")
        [listed] = self.listed(user)
        expected = {k: v for k, v in created.items() if k != "ServicePassword"}
        self.assertEqual(listed, expected)
        self.assertEqual(self.listed(user, ServiceName="codecommit.amazonaws.com"), [])
        self.assertEqual(len(self.listed(user, ServiceName="cassandra.amazonaws.com")), 1)

    def test_api_key_credential(self) -> None:
        user = self.user("bedrock-user")
        created = self.create(user, "bedrock.amazonaws.com", CredentialAgeDays=30)
        self.assertIn("ServiceCredentialAlias", created)
        self.assertIn("ServiceCredentialSecret", created)
        self.assertNotIn("ServicePassword", created)
        self.assertEqual(created["ExpirationDate"] - created["CreateDate"], timedelta(days=30))
        [listed] = self.listed(user)
        self.assertNotIn("ServiceCredentialSecret", listed)
        self.assertEqual(listed["ServiceCredentialAlias"], created["ServiceCredentialAlias"])

    def test_two_per_service(self) -> None:
        user = self.user("limited")
        self.create(user)
        self.create(user)
        with self.assertAwsError("LimitExceeded", 409):
            self.create(user)
        self.create(user, "cassandra.amazonaws.com")

    def test_unsupported_service(self) -> None:
        user = self.user("unsupported")
        with self.assertAwsError("NotSupportedService", 404):
            self.create(user, "s3.amazonaws.com")

    def test_unknown_user(self) -> None:
        some_id = "ACCA" + "X" * 17
        calls = {
            "Create": lambda: self.create("ghost"),
            "List": lambda: self.listed("ghost"),
            "Reset": lambda: self.iam.reset_service_specific_credential(
                UserName="ghost", ServiceSpecificCredentialId=some_id),
            "Update": lambda: self.iam.update_service_specific_credential(
                UserName="ghost", ServiceSpecificCredentialId=some_id, Status="Inactive"),
            "Delete": lambda: self.iam.delete_service_specific_credential(
                UserName="ghost", ServiceSpecificCredentialId=some_id),
        }
        for name, call in calls.items():
            with self.subTest(name), self.assertAwsError("NoSuchEntity", 404) as caught:
                call()
            self.assertEqual(caught.exception.response["Error"]["Message"],
                             "The user with name ghost cannot be found.")

    def test_unknown_or_foreign_credential_id(self) -> None:
        owner, other = self.user("owner"), self.user("other")
        foreign = self.create(owner)["ServiceSpecificCredentialId"]
        for credential_id in ("ACCA" + "0" * 17, foreign):
            calls = {
                "Reset": lambda: self.iam.reset_service_specific_credential(
                    UserName=other, ServiceSpecificCredentialId=credential_id),
                "Update": lambda: self.iam.update_service_specific_credential(
                    UserName=other, ServiceSpecificCredentialId=credential_id, Status="Inactive"),
                "Delete": lambda: self.iam.delete_service_specific_credential(
                    UserName=other, ServiceSpecificCredentialId=credential_id),
            }
            for name, call in calls.items():
                with self.subTest(name, id=credential_id), self.assertAwsError("NoSuchEntity", 404):
                    call()
        self.assertEqual(len(self.listed(owner)), 1)

    def test_update_reset_delete(self) -> None:
        user = self.user("rotator")
        created = self.create(user)
        credential_id = created["ServiceSpecificCredentialId"]
        self.iam.update_service_specific_credential(
            UserName=user, ServiceSpecificCredentialId=credential_id, Status="Inactive")
        self.assertEqual(self.listed(user)[0]["Status"], "Inactive")
        with self.assertAwsError("ValidationError", 400):
            self.iam.update_service_specific_credential(
                UserName=user, ServiceSpecificCredentialId=credential_id, Status="Expired")
        reset = self.iam.reset_service_specific_credential(
            UserName=user, ServiceSpecificCredentialId=credential_id)["ServiceSpecificCredential"]
        self.assertEqual(reset["ServiceSpecificCredentialId"], credential_id)
        self.assertEqual(reset["ServiceUserName"], created["ServiceUserName"])
        self.assertNotEqual(reset["ServicePassword"], created["ServicePassword"])
        self.iam.delete_service_specific_credential(
            UserName=user, ServiceSpecificCredentialId=credential_id)
        self.assertEqual(self.listed(user), [])
        with self.assertAwsError("NoSuchEntity", 404):
            self.iam.delete_service_specific_credential(
                UserName=user, ServiceSpecificCredentialId=credential_id)

    def test_user_name_defaults_to_the_caller(self) -> None:
        caller = self.emu.create_user("self-service", self.emu.policy(["iam:*"], "*"))
        iam = self.emu.client("iam", caller.credentials)
        self.assertEqual(iam.list_service_specific_credentials()["ServiceSpecificCredentials"], [])
        credential_id = self.create("self-service")["ServiceSpecificCredentialId"]
        [listed] = iam.list_service_specific_credentials()["ServiceSpecificCredentials"]
        self.assertEqual(listed["ServiceSpecificCredentialId"], credential_id)
        iam.delete_service_specific_credential(ServiceSpecificCredentialId=credential_id)
        self.assertEqual(self.listed("self-service"), [])

    def test_needs_iam_permission(self) -> None:
        caller = self.emu.create_user("no-iam", self.emu.policy(["s3:*"], "*"))
        with self.assertAwsError("AccessDenied", 403):
            self.emu.client("iam", caller.credentials).list_service_specific_credentials()

    def test_all_users_pages(self) -> None:
        emu = Emulator().start()
        try:
            iam = emu.client("iam")
            made = []
            for name in ("page-a", "page-b"):
                iam.create_user(UserName=name)
                for service in ("codecommit.amazonaws.com", "cassandra.amazonaws.com"):
                    made.append(iam.create_service_specific_credential(
                        UserName=name, ServiceName=service)["ServiceSpecificCredential"])
            first = iam.list_service_specific_credentials(AllUsers=True, MaxItems=3)
            self.assertTrue(first["IsTruncated"])
            rest = iam.list_service_specific_credentials(AllUsers=True, MaxItems=3,
                                                         Marker=first["Marker"])
            self.assertFalse(rest["IsTruncated"])
            self.assertNotIn("Marker", rest)
            ids = [c["ServiceSpecificCredentialId"]
                   for c in first["ServiceSpecificCredentials"] + rest["ServiceSpecificCredentials"]]
            self.assertEqual(ids, [c["ServiceSpecificCredentialId"] for c in made])
            codecommit = iam.list_service_specific_credentials(
                AllUsers=True, ServiceName="codecommit.amazonaws.com")["ServiceSpecificCredentials"]
            self.assertEqual([c["UserName"] for c in codecommit], ["page-a", "page-b"])
            with self.assertAwsError("ValidationError", 400):
                iam.list_service_specific_credentials(AllUsers=True, UserName="page-a")
        finally:
            emu.stop()


def self_signed_certificate() -> str:
    """A PEM X.509 certificate (UploadSigningCertificate checks the body)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "emulator-test")])
    now = datetime.now(timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now).not_valid_after(now + timedelta(days=1))
            .sign(key, hashes.SHA256()))
    return cert.public_bytes(serialization.Encoding.PEM).decode()


SSH_KEY = ("ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDtest emulator@test")


class DeleteUserTest(AwsErrorAssertions, unittest.TestCase):
    """DeleteUser refuses (DeleteConflict 409) while anything is attached."""

    emu: Emulator

    @classmethod
    def setUpClass(cls) -> None:
        cls.emu = Emulator().start()
        cls.iam = cls.emu.client("iam")
        cls.iam.create_group(GroupName="members")
        cls.policy_arn = cls.iam.create_policy(PolicyName="managed", PolicyDocument=json.dumps(
            cls.emu.policy(["s3:ListAllMyBuckets"], "*")))["Policy"]["Arn"]

    @classmethod
    def tearDownClass(cls) -> None:
        cls.emu.stop()

    def attachments(self, user: str) -> dict[str, tuple]:
        """name -> (attach, detach, expected message) for ``user``."""
        iam = self.iam
        state: dict[str, str] = {}

        def add_key() -> None:
            state["key"] = iam.create_access_key(UserName=user)["AccessKey"]["AccessKeyId"]

        def add_certificate() -> None:
            state["cert"] = iam.upload_signing_certificate(
                UserName=user, CertificateBody=self_signed_certificate())["Certificate"]["CertificateId"]

        def add_ssh() -> None:
            state["ssh"] = iam.upload_ssh_public_key(
                UserName=user, SSHPublicKeyBody=SSH_KEY)["SSHPublicKey"]["SSHPublicKeyId"]

        def add_service_credential() -> None:
            state["ssc"] = iam.create_service_specific_credential(
                UserName=user, ServiceName="codecommit.amazonaws.com",
            )["ServiceSpecificCredential"]["ServiceSpecificCredentialId"]

        def add_mfa() -> None:
            serial = iam.create_virtual_mfa_device(
                VirtualMFADeviceName=f"{user}-mfa")["VirtualMFADevice"]["SerialNumber"]
            iam.enable_mfa_device(UserName=user, SerialNumber=serial,
                                  AuthenticationCode1="123456", AuthenticationCode2="654321")
            state["mfa"] = serial

        def remove_mfa() -> None:
            iam.deactivate_mfa_device(UserName=user, SerialNumber=state["mfa"])
            iam.delete_virtual_mfa_device(SerialNumber=state["mfa"])

        inline = json.dumps(self.emu.policy(["s3:ListAllMyBuckets"], "*"))
        return {
            "login profile": (
                lambda: iam.create_login_profile(UserName=user, Password="Pa55word!Pa55word!"),
                lambda: iam.delete_login_profile(UserName=user),
                "must delete login profile first"),
            "access key": (
                add_key, lambda: iam.delete_access_key(UserName=user, AccessKeyId=state["key"]),
                "must delete access keys first"),
            "signing certificate": (
                add_certificate,
                lambda: iam.delete_signing_certificate(UserName=user, CertificateId=state["cert"]),
                "must delete signing certificates first"),
            "SSH public key": (
                add_ssh,
                lambda: iam.delete_ssh_public_key(UserName=user, SSHPublicKeyId=state["ssh"]),
                "must delete SSH public keys first"),
            "service-specific credential": (
                add_service_credential,
                lambda: iam.delete_service_specific_credential(
                    UserName=user, ServiceSpecificCredentialId=state["ssc"]),
                "must delete service specific credentials first"),
            "MFA device": (add_mfa, remove_mfa, "must delete MFA device first"),
            "inline policy": (
                lambda: iam.put_user_policy(UserName=user, PolicyName="inline", PolicyDocument=inline),
                lambda: iam.delete_user_policy(UserName=user, PolicyName="inline"),
                "must delete policies first"),
            "attached policy": (
                lambda: iam.attach_user_policy(UserName=user, PolicyArn=self.policy_arn),
                lambda: iam.detach_user_policy(UserName=user, PolicyArn=self.policy_arn),
                "must detach all policies first"),
            "group membership": (
                lambda: iam.add_user_to_group(GroupName="members", UserName=user),
                lambda: iam.remove_user_from_group(GroupName="members", UserName=user),
                "must remove users from group first"),
        }

    def assertConflict(self, user: str, what: str) -> None:
        with self.assertAwsError("DeleteConflict", 409) as caught:
            self.iam.delete_user(UserName=user)
        self.assertEqual(caught.exception.response["Error"]["Message"],
                         f"Cannot delete entity, {what}.")
        self.iam.get_user(UserName=user)  # still there

    def test_each_attachment_blocks_deletion(self) -> None:
        for number, name in enumerate(self.attachments("probe")):
            user = f"blocked-{number}"
            self.iam.create_user(UserName=user)
            attach, detach, message = self.attachments(user)[name]
            with self.subTest(name):
                attach()
                self.assertConflict(user, message)
                detach()
                self.iam.delete_user(UserName=user)
                with self.assertAwsError("NoSuchEntity", 404):
                    self.iam.get_user(UserName=user)

    def test_full_removal(self) -> None:
        """Everything at once: each refusal names what is left, in AWS's order."""
        self.iam.create_user(UserName="loaded")
        steps = self.attachments("loaded")
        for attach, _, _ in steps.values():
            attach()
        for name, (_, detach, message) in steps.items():
            with self.subTest(name):
                self.assertConflict("loaded", message)
            detach()
        self.iam.delete_user(UserName="loaded")
        with self.assertAwsError("NoSuchEntity", 404):
            self.iam.delete_user(UserName="loaded")

    def test_a_recreated_user_starts_clean(self) -> None:
        self.iam.create_user(UserName="reborn")
        credential_id = self.iam.create_service_specific_credential(
            UserName="reborn", ServiceName="codecommit.amazonaws.com",
        )["ServiceSpecificCredential"]["ServiceSpecificCredentialId"]
        self.iam.delete_service_specific_credential(UserName="reborn",
                                                   ServiceSpecificCredentialId=credential_id)
        self.iam.delete_user(UserName="reborn")
        self.iam.create_user(UserName="reborn")
        self.assertEqual(self.iam.list_service_specific_credentials(
            UserName="reborn")["ServiceSpecificCredentials"], [])
        self.iam.delete_user(UserName="reborn")


if __name__ == "__main__":
    unittest.main()
