"""In-process tests of the emulator's pure logic: scopes, paging, trust
policies (Access Grants and IAM callers), grant-session rules (no server)."""

from __future__ import annotations

import sys
import unittest
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

from tests.emulator.harness import INSTANCE_ARN, REPO_ROOT, Emulator

sys.path.insert(0, str(REPO_ROOT / "emulator"))

from cytoskel_emulator import errors, paging, principals, trust  # noqa: E402
from cytoskel_emulator.sessions import GrantSession  # noqa: E402
from cytoskel_emulator.scopes import (  # noqa: E402
    S3Scope,
    ScopeError,
    grant_match_scope,
    join_grant_scope,
)


class ScopeTest(unittest.TestCase):
    def test_parse(self) -> None:
        self.assertEqual(S3Scope.parse("s3://"), S3Scope("", True))
        self.assertEqual(S3Scope.parse("s3://b"), S3Scope("b/", True))
        self.assertEqual(S3Scope.parse("s3://b/"), S3Scope("b/", True))
        self.assertEqual(S3Scope.parse("s3://b/p/*"), S3Scope("b/p/", True))
        self.assertEqual(S3Scope.parse("s3://b/p*"), S3Scope("b/p", True))
        self.assertEqual(S3Scope.parse("s3://b/p/key.txt"), S3Scope("b/p/key.txt", False))
        with self.assertRaises(ScopeError):
            S3Scope.parse("b/p/*")

    def test_folder_versus_bare_prefix(self) -> None:
        folder, bare = S3Scope.parse("s3://b/cpg0001/*"), S3Scope.parse("s3://b/cpg0001*")
        self.assertTrue(folder.covers_path("b/cpg0001/x"))
        self.assertFalse(folder.covers_path("b/cpg00010/x"))
        self.assertTrue(bare.covers_path("b/cpg00010/x"))
        self.assertFalse(S3Scope.parse("s3://b/*").covers_path("b2/x"))

    def test_covers(self) -> None:
        grant = S3Scope.parse("s3://b/p/*")
        self.assertTrue(grant.covers(S3Scope.parse("s3://b/p/sub/*")))
        self.assertTrue(grant.covers(S3Scope.parse("s3://b/p/file")))
        self.assertFalse(grant.covers(S3Scope.parse("s3://b/*")))
        self.assertFalse(grant.covers(S3Scope.parse("s3://b/p*")))
        self.assertFalse(S3Scope.parse("s3://b/p/file").covers(S3Scope.parse("s3://b/p/file*")))
        self.assertTrue(S3Scope.parse("s3://").covers(S3Scope.parse("s3://any/thing")))

    def test_join_and_match(self) -> None:
        self.assertEqual(join_grant_scope("s3://", "b/x*"), "s3://b/x*")
        self.assertEqual(join_grant_scope("s3://b", "x/*"), "s3://b/x/*")
        self.assertEqual(join_grant_scope("s3://b/", "/x/*"), "s3://b/x/*")
        self.assertEqual(join_grant_scope("s3://b/loc", "x/*"), "s3://b/loc/x/*")
        self.assertEqual(join_grant_scope("s3://b/", None), "s3://b/")
        self.assertEqual(grant_match_scope("s3://b/loc", None), S3Scope("b/loc", True))
        self.assertEqual(grant_match_scope("s3://b/", "k.txt"), S3Scope("b/k.txt", False))

    def test_specificity_prefers_longer_then_exact(self) -> None:
        scopes = [S3Scope.parse(s) for s in ("s3://b/*", "s3://b/p/*", "s3://b/p/")]
        self.assertEqual(max(scopes, key=S3Scope.specificity), S3Scope("b/p/", False))


class PagingTest(unittest.TestCase):
    items = [SimpleNamespace(seq=n) for n in (5, 1, 3, 9)]

    def test_pages_in_creation_order(self) -> None:
        first, token = paging.page(self.items, 3, None)
        self.assertEqual([i.seq for i in first], [1, 3, 5])
        rest, end = paging.page(self.items, 3, token)
        self.assertEqual(([i.seq for i in rest], end), ([9], None))

    def test_default_and_limits(self) -> None:
        self.assertEqual(len(paging.page(self.items, None, None)[0]), 4)
        for bad in (0, 1001):
            with self.assertRaises(errors.ControlError):
                paging.page(self.items, bad, None)
        with self.assertRaises(errors.ControlError):
            paging.page(self.items, 1, "garbage!")


class TrustPolicyTest(unittest.TestCase):
    @staticmethod
    def trusts(document: dict) -> bool:
        role = SimpleNamespace(assume_role_policy_document=document)
        return principals.trusts_access_grants(role, "123456789012", INSTANCE_ARN)

    @staticmethod
    def statement(**fields: object) -> dict:
        base = {"Effect": "Allow", "Principal": {"Service": principals.SERVICE_PRINCIPAL},
                "Action": "sts:AssumeRole"}
        return {"Version": "2012-10-17", "Statement": [dict(base, **fields)]}

    def test_cytoskel_trust_policy(self) -> None:
        self.assertTrue(self.trusts(Emulator.location_trust_policy()))

    def test_refusals(self) -> None:
        self.assertFalse(self.trusts(self.statement(Principal={"Service": "ec2.amazonaws.com"})))
        self.assertFalse(self.trusts(self.statement(Action="sts:TagSession")))
        self.assertFalse(self.trusts(self.statement(
            Condition={"StringEquals": {"aws:SourceAccount": "999999999999"}})))
        self.assertFalse(self.trusts(self.statement(
            Condition={"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}})))
        denied = self.statement()
        denied["Statement"].append(dict(denied["Statement"][0], Effect="Deny"))
        self.assertFalse(self.trusts(denied))

    def test_wildcards_and_if_exists(self) -> None:
        self.assertTrue(self.trusts(self.statement(Action="sts:*")))
        self.assertTrue(self.trusts(self.statement(
            Condition={"ArnLike": {"aws:SourceArn": "arn:aws:s3:*:123456789012:access-grants/*"}})))
        self.assertTrue(self.trusts(self.statement(
            Condition={"StringEqualsIfExists": {"aws:PrincipalTag/x": "y"}})))


class IamCallerTrustTest(unittest.TestCase):
    """``trust.evaluate`` for an IAM user or role session calling AssumeRole."""

    USER = "arn:aws:iam::123456789012:user/team/alice"
    ROLE = "arn:aws:iam::123456789012:role/worker"
    SESSION = "arn:aws:sts::123456789012:assumed-role/worker/s1"
    user = trust.IamCaller("123456789012", frozenset({USER}))
    session = trust.IamCaller("123456789012", frozenset({ROLE, SESSION}))

    @staticmethod
    def verdict(caller: trust.IamCaller, *statements: dict, **context: str) -> trust.Trust:
        document = {"Version": "2012-10-17", "Statement": list(statements)}
        return trust.evaluate(document, caller, {k.replace("_", ":"): v for k, v in context.items()})

    @staticmethod
    def allow(principal: object, **fields: object) -> dict:
        return {"Effect": "Allow", "Principal": principal, "Action": "sts:AssumeRole", **fields}

    def test_principal_levels(self) -> None:
        T = trust.Trust
        self.assertEqual(self.verdict(self.user, self.allow({"AWS": "arn:aws:iam::123456789012:root"})), T.ACCOUNT)
        self.assertEqual(self.verdict(self.user, self.allow({"AWS": "123456789012"})), T.ACCOUNT)
        self.assertEqual(self.verdict(self.user, self.allow("*")), T.ACCOUNT)
        self.assertEqual(self.verdict(self.user, self.allow({"AWS": ["x", self.USER]})), T.PRINCIPAL)
        self.assertEqual(self.verdict(self.session, self.allow({"AWS": self.ROLE})), T.PRINCIPAL)
        self.assertEqual(self.verdict(self.session, self.allow({"AWS": self.SESSION})), T.PRINCIPAL)
        self.assertEqual(self.verdict(self.user, self.allow({"AWS": "arn:aws:iam::123456789012:user/alice"})), T.NONE)
        self.assertEqual(self.verdict(self.user, self.allow({"AWS": "arn:aws:iam::999999999999:root"})), T.NONE)
        self.assertEqual(self.verdict(self.user, self.allow({"Service": "ec2.amazonaws.com"})), T.NONE)

    def test_deny_actions_and_conditions(self) -> None:
        T, root = trust.Trust, {"AWS": "arn:aws:iam::123456789012:root"}
        deny = dict(self.allow({"AWS": self.USER}), Effect="Deny")
        self.assertEqual(self.verdict(self.user, self.allow(root), deny), T.DENIED)
        self.assertEqual(self.verdict(self.session, self.allow(root), deny), T.ACCOUNT)
        self.assertEqual(self.verdict(self.user, self.allow(root, Action="sts:TagSession")), T.NONE)
        not_action = {"Effect": "Allow", "Principal": root, "NotAction": "iam:*"}
        self.assertEqual(self.verdict(self.user, not_action), T.ACCOUNT)
        external = self.allow(root, Condition={"StringEquals": {"sts:ExternalId": "e1"}})
        self.assertEqual(self.verdict(self.user, external), T.NONE)
        self.assertEqual(self.verdict(self.user, external, sts_externalid="e1"), T.ACCOUNT)
        unknown = self.allow(root, Condition={"Bool": {"aws:MultiFactorAuthPresent": "true"}})
        self.assertEqual(self.verdict(self.user, unknown), T.NONE)


class GrantSessionTest(unittest.TestCase):
    def session(self, permission: str, scope: str = "s3://b/p/*") -> GrantSession:
        return GrantSession(S3Scope.parse(scope), permission,
                            datetime.now(timezone.utc) + timedelta(hours=1))

    def test_permission_sets(self) -> None:
        read, write = self.session("READ"), self.session("WRITE")
        self.assertTrue(read.allows("s3:GetObject", "arn:aws:s3:::b/p/k", {}))
        self.assertFalse(read.allows("s3:PutObject", "arn:aws:s3:::b/p/k", {}))
        self.assertTrue(write.allows("s3:PutObject", "arn:aws:s3:::b/p/k", {}))
        self.assertFalse(write.allows("s3:GetObject", "arn:aws:s3:::b/p/k", {}))
        self.assertTrue(self.session("READWRITE").allows("s3:AbortMultipartUpload", "arn:aws:s3:::b/p/k", {}))

    def test_listing_and_other_services(self) -> None:
        read = self.session("READ")
        self.assertTrue(read.allows("s3:ListBucket", "arn:aws:s3:::b", {"prefix": ["p/sub/"]}))
        self.assertFalse(read.allows("s3:ListBucket", "arn:aws:s3:::b", {}))
        self.assertFalse(read.allows("s3:ListBucketMultipartUploads", "arn:aws:s3:::b", {"prefix": ["p/"]}))
        self.assertFalse(read.allows("s3:GetBucketPolicy", "arn:aws:s3:::b", {}))
        self.assertFalse(read.allows("iam:ListUsers", "*", {}))
        self.assertTrue(read.allows("sts:GetCallerIdentity", "*", {}))

    def test_expiry(self) -> None:
        past = GrantSession(S3Scope.parse("s3://b/*"), "READ", datetime.now(timezone.utc) - timedelta(seconds=1))
        self.assertTrue(past.expired())
        self.assertFalse(self.session("READ").expired())


if __name__ == "__main__":
    unittest.main()
