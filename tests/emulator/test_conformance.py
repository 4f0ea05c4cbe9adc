"""Every S3 Control Access Grants operation, driven with boto3.

botocore parses each reply and error against its model; refusals are
checked by error code and HTTP status as AWS documents them.  Raw replies
are checked for the S3 Control wire format (root element, namespace,
timestamps, flat ``<Error>``, ``x-amz-request-id``).
"""

from __future__ import annotations

import re
import unittest
from datetime import datetime, timedelta, timezone
from xml.etree import ElementTree as ET

from tests.emulator.harness import (
    ACCOUNT_ID,
    INSTANCE_ARN,
    AwsErrorAssertions,
    Credentials,
    Emulator,
)

NAMESPACE = "{http://awss3control.amazonaws.com/doc/2018-08-20/}"
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
ISO8601_MS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
A = {"AccountId": ACCOUNT_ID}


class RawReplies:
    """Records the raw HTTP replies a client receives."""

    def __init__(self, client) -> None:
        self.replies: list[dict] = []
        client.meta.events.register("before-parse", self._record)

    def _record(self, response_dict: dict, **_: object) -> None:
        self.replies.append(response_dict)

    @property
    def last(self) -> dict:
        return self.replies[-1]


class WithoutInstanceTest(AwsErrorAssertions, unittest.TestCase):
    """Instance lifecycle, and what every operation answers without one."""

    @classmethod
    def setUpClass(cls) -> None:
        cls.emu = Emulator().start()
        cls.control = cls.emu.client("s3control")
        cls.emu.client("s3").create_bucket(Bucket="lifecycle-bucket")
        cls.role = cls.emu.create_location_role("lifecycle-role", "lifecycle-bucket")

    @classmethod
    def tearDownClass(cls) -> None:
        cls.emu.stop()

    def test_every_operation_needs_the_instance(self) -> None:
        c, grantee = self.control, {"GranteeType": "IAM", "GranteeIdentifier": "arn:aws:iam::123456789012:user/x"}
        calls = {
            "GetAccessGrantsInstance": lambda: c.get_access_grants_instance(**A),
            "DeleteAccessGrantsInstance": lambda: c.delete_access_grants_instance(**A),
            "GetAccessGrantsInstanceForPrefix": lambda: c.get_access_grants_instance_for_prefix(
                S3Prefix="s3://lifecycle-bucket/x", **A),
            "AssociateAccessGrantsIdentityCenter": lambda: c.associate_access_grants_identity_center(
                IdentityCenterArn="arn:aws:sso:::instance/ssoins-1234567890abcdef", **A),
            "DissociateAccessGrantsIdentityCenter": lambda: c.dissociate_access_grants_identity_center(**A),
            "PutAccessGrantsInstanceResourcePolicy": lambda: c.put_access_grants_instance_resource_policy(
                Policy='{"Version": "2012-10-17", "Statement": []}', **A),
            "GetAccessGrantsInstanceResourcePolicy": lambda: c.get_access_grants_instance_resource_policy(**A),
            "DeleteAccessGrantsInstanceResourcePolicy": lambda: c.delete_access_grants_instance_resource_policy(**A),
            "CreateAccessGrantsLocation": lambda: c.create_access_grants_location(
                LocationScope="s3://lifecycle-bucket/", IAMRoleArn=self.role, **A),
            "GetAccessGrantsLocation": lambda: c.get_access_grants_location(AccessGrantsLocationId="x", **A),
            "UpdateAccessGrantsLocation": lambda: c.update_access_grants_location(
                AccessGrantsLocationId="x", IAMRoleArn=self.role, **A),
            "DeleteAccessGrantsLocation": lambda: c.delete_access_grants_location(AccessGrantsLocationId="x", **A),
            "ListAccessGrantsLocations": lambda: c.list_access_grants_locations(**A),
            "CreateAccessGrant": lambda: c.create_access_grant(
                AccessGrantsLocationId="x", Grantee=grantee, Permission="READ", **A),
            "GetAccessGrant": lambda: c.get_access_grant(AccessGrantId="x", **A),
            "DeleteAccessGrant": lambda: c.delete_access_grant(AccessGrantId="x", **A),
            "ListAccessGrants": lambda: c.list_access_grants(**A),
            "ListCallerAccessGrants": lambda: c.list_caller_access_grants(**A),
            "GetDataAccess": lambda: c.get_data_access(Target="s3://lifecycle-bucket/*", Permission="READ", **A),
            "TagResource": lambda: c.tag_resource(ResourceArn=INSTANCE_ARN, Tags=[{"Key": "k", "Value": "v"}], **A),
            "ListTagsForResource": lambda: c.list_tags_for_resource(ResourceArn=INSTANCE_ARN, **A),
        }
        for name, call in calls.items():
            with self.subTest(operation=name), self.assertAwsError("AccessGrantsInstanceNotExistsError", 404):
                call()
        self.assertEqual(c.list_access_grants_instances(**A)["AccessGrantsInstancesList"], [])

    def test_instance_lifecycle(self) -> None:
        c = self.control
        created = c.create_access_grants_instance(Tags=[{"Key": "managed-by", "Value": "cytoskel"}], **A)
        self.assertEqual(created["AccessGrantsInstanceId"], "default")
        self.assertEqual(created["AccessGrantsInstanceArn"], INSTANCE_ARN)
        self.assertLess(abs(created["CreatedAt"] - datetime.now(timezone.utc)), timedelta(minutes=1))
        with self.assertAwsError("AccessGrantsInstanceAlreadyExists", 409):
            c.create_access_grants_instance(**A)
        got = c.get_access_grants_instance(**A)
        self.assertEqual((got["AccessGrantsInstanceArn"], got["CreatedAt"]),
                         (created["AccessGrantsInstanceArn"], created["CreatedAt"]))
        listed = c.list_access_grants_instances(MaxResults=1, **A)
        self.assertEqual([i["AccessGrantsInstanceArn"] for i in listed["AccessGrantsInstancesList"]],
                         [INSTANCE_ARN])
        self.assertNotIn("NextToken", listed)
        self.assertEqual(c.list_tags_for_resource(ResourceArn=INSTANCE_ARN, **A)["Tags"],
                         [{"Key": "managed-by", "Value": "cytoskel"}])
        location = c.create_access_grants_location(LocationScope="s3://lifecycle-bucket/",
                                                   IAMRoleArn=self.role, **A)
        with self.assertAwsError("AccessGrantsInstanceNotEmptyError", 400):
            c.delete_access_grants_instance(**A)
        c.delete_access_grants_location(AccessGrantsLocationId=location["AccessGrantsLocationId"], **A)
        c.delete_access_grants_instance(**A)
        with self.assertAwsError("AccessGrantsInstanceNotExistsError", 404):
            c.get_access_grants_instance(**A)


class AccessGrantsTest(AwsErrorAssertions, unittest.TestCase):
    """Locations, grants, lists, tags, policies, GetDataAccess refusals."""

    BUCKET = "conformance-bucket"

    @classmethod
    def setUpClass(cls) -> None:
        cls.emu = Emulator().start()
        cls.control = cls.emu.client("s3control")
        cls.emu.client("s3").create_bucket(Bucket=cls.BUCKET)
        cls.control.create_access_grants_instance(**A)
        cls.role = cls.emu.create_location_role("conformance-role", cls.BUCKET)
        cls.location = cls.control.create_access_grants_location(
            LocationScope=f"s3://{cls.BUCKET}/", IAMRoleArn=cls.role, **A)
        cls.location_id = cls.location["AccessGrantsLocationId"]

    @classmethod
    def tearDownClass(cls) -> None:
        cls.emu.stop()

    def grant(self, grantee_arn: str, prefix: str | None = "data/*", permission: str = "READ",
              location_id: str | None = None, **extra: object) -> dict:
        config = {"AccessGrantsLocationConfiguration": {"S3SubPrefix": prefix}} if prefix else {}
        return self.control.create_access_grant(
            AccessGrantsLocationId=location_id or self.location_id,
            Grantee={"GranteeType": "IAM", "GranteeIdentifier": grantee_arn},
            Permission=permission, **config, **extra, **A)

    # -- locations -----------------------------------------------------------------

    def test_location_create_get_update_delete(self) -> None:
        c = self.control
        other_role = self.emu.create_location_role("conformance-role-2", self.BUCKET)
        loc = c.create_access_grants_location(LocationScope=f"s3://{self.BUCKET}/crud/",
                                              IAMRoleArn=self.role,
                                              Tags=[{"Key": "k", "Value": "v"}], **A)
        loc_id = loc["AccessGrantsLocationId"]
        self.assertRegex(loc_id, UUID)
        self.assertEqual(loc["AccessGrantsLocationArn"], f"{INSTANCE_ARN}/location/{loc_id}")
        self.assertEqual((loc["LocationScope"], loc["IAMRoleArn"]), (f"s3://{self.BUCKET}/crud/", self.role))
        got = c.get_access_grants_location(AccessGrantsLocationId=loc_id, **A)
        self.assertEqual(got["AccessGrantsLocationArn"], loc["AccessGrantsLocationArn"])
        updated = c.update_access_grants_location(AccessGrantsLocationId=loc_id, IAMRoleArn=other_role, **A)
        self.assertEqual((updated["IAMRoleArn"], updated["LocationScope"]), (other_role, loc["LocationScope"]))
        self.assertEqual(c.list_tags_for_resource(ResourceArn=loc["AccessGrantsLocationArn"], **A)["Tags"],
                         [{"Key": "k", "Value": "v"}])
        c.delete_access_grants_location(AccessGrantsLocationId=loc_id, **A)
        for call in (c.get_access_grants_location, c.delete_access_grants_location):
            with self.assertAwsError("NoSuchAccessGrantsLocationError", 404):
                call(AccessGrantsLocationId=loc_id, **A)
        with self.assertAwsError("NoSuchAccessGrantsLocationError", 404):
            c.update_access_grants_location(AccessGrantsLocationId=loc_id, IAMRoleArn=self.role, **A)

    def test_location_refusals(self) -> None:
        c = self.control
        missing_role = f"arn:aws:iam::{ACCOUNT_ID}:role/no-such-role"
        with self.assertAwsError("InvalidIamRole", 400):
            c.create_access_grants_location(LocationScope=f"s3://{self.BUCKET}/r/", IAMRoleArn=missing_role, **A)
        with self.assertAwsError("InvalidIamRole", 400):
            c.update_access_grants_location(AccessGrantsLocationId=self.location_id, IAMRoleArn=missing_role, **A)
        with self.assertAwsError("AccessGrantsLocationAlreadyExistsError", 409):
            c.create_access_grants_location(LocationScope=f"s3://{self.BUCKET}/", IAMRoleArn=self.role, **A)
        with self.assertAwsError("InvalidAccessGrantsLocation", 400):
            c.create_access_grants_location(LocationScope=f"{self.BUCKET}/x", IAMRoleArn=self.role, **A)

    def test_default_location_and_scope_joining(self) -> None:
        c = self.control
        user = self.emu.create_user("joiner")
        default = c.create_access_grants_location(LocationScope="s3://", IAMRoleArn=self.role, **A)
        bare = c.create_access_grants_location(LocationScope=f"s3://{self.BUCKET}", IAMRoleArn=self.role, **A)
        try:
            self.assertEqual(default["AccessGrantsLocationId"], "default")
            cases = ((default, f"{self.BUCKET}/x*", f"s3://{self.BUCKET}/x*"),
                     (bare, "y/*", f"s3://{self.BUCKET}/y/*"),
                     (self.location, "z/*", f"s3://{self.BUCKET}/z/*"),
                     (bare, None, f"s3://{self.BUCKET}"))
            for location, prefix, scope in cases:
                with self.subTest(prefix=prefix):
                    made = self.grant(user.arn, prefix, location_id=location["AccessGrantsLocationId"])
                    self.assertEqual(made["GrantScope"], scope)
                    c.delete_access_grant(AccessGrantId=made["AccessGrantId"], **A)
        finally:
            for location in (default, bare):
                c.delete_access_grants_location(AccessGrantsLocationId=location["AccessGrantsLocationId"], **A)

    def test_list_locations_filter_and_paging(self) -> None:
        c = self.control
        made = [c.create_access_grants_location(LocationScope=f"s3://{self.BUCKET}/page{i}/",
                                                IAMRoleArn=self.role, **A) for i in range(3)]
        try:
            found = c.list_access_grants_locations(LocationScope=f"s3://{self.BUCKET}/page1/", **A)
            self.assertEqual([x["AccessGrantsLocationId"] for x in found["AccessGrantsLocationsList"]],
                             [made[1]["AccessGrantsLocationId"]])
            ids = self.collect(c.list_access_grants_locations, "AccessGrantsLocationsList",
                               "AccessGrantsLocationId", page_size=2)
            self.assertLessEqual({m["AccessGrantsLocationId"] for m in made} | {self.location_id}, set(ids))
        finally:
            for location in made:
                c.delete_access_grants_location(AccessGrantsLocationId=location["AccessGrantsLocationId"], **A)

    # -- grants ----------------------------------------------------------------------

    def test_grant_create_get_delete(self) -> None:
        c = self.control
        user = self.emu.create_user("grant-crud")
        made = self.grant(user.arn, "crud/*", "READWRITE", Tags=[{"Key": "t", "Value": "1"}])
        grant_id = made["AccessGrantId"]
        self.assertRegex(grant_id, UUID)
        self.assertEqual(made["AccessGrantArn"], f"{INSTANCE_ARN}/grant/{grant_id}")
        self.assertEqual(made["GrantScope"], f"s3://{self.BUCKET}/crud/*")
        self.assertEqual(made["Grantee"], {"GranteeType": "IAM", "GranteeIdentifier": user.arn})
        self.assertEqual(made["AccessGrantsLocationConfiguration"], {"S3SubPrefix": "crud/*"})
        got = c.get_access_grant(AccessGrantId=grant_id, **A)
        for field in ("AccessGrantArn", "Grantee", "Permission", "AccessGrantsLocationId", "GrantScope", "CreatedAt"):
            self.assertEqual(got[field], made[field], field)
        self.assertEqual(c.list_tags_for_resource(ResourceArn=made["AccessGrantArn"], **A)["Tags"],
                         [{"Key": "t", "Value": "1"}])
        c.delete_access_grant(AccessGrantId=grant_id, **A)
        for call in (c.get_access_grant, c.delete_access_grant):
            with self.assertAwsError("NoSuchAccessGrantError", 404):
                call(AccessGrantId=grant_id, **A)

    def test_grant_refusals(self) -> None:
        user = self.emu.create_user("grant-refusals")
        with self.assertAwsError("NoSuchAccessGrantsLocationError", 404):
            self.grant(user.arn, location_id="00000000-0000-0000-0000-000000000000")
        with self.assertAwsError("InvalidRequest", 400) as caught:
            self.grant(f"arn:aws:iam::{ACCOUNT_ID}:user/nobody")
        self.assertEqual(caught.exception.response["Error"]["Message"], "Invalid Grantee")
        made = self.grant(user.arn, "dup/*")
        with self.assertAwsError("AccessGrantAlreadyExists", 409):
            self.grant(user.arn, "dup/*")
        self.grant(user.arn, "dup/*", "WRITE")  # another permission is another grant
        loc = self.control.create_access_grants_location(
            LocationScope=f"s3://{self.BUCKET}/busy/", IAMRoleArn=self.role, **A)
        busy = self.grant(user.arn, "x/*", location_id=loc["AccessGrantsLocationId"])
        with self.assertAwsError("AccessGrantsLocationNotEmptyError", 400):
            self.control.delete_access_grants_location(AccessGrantsLocationId=loc["AccessGrantsLocationId"], **A)
        self.control.delete_access_grant(AccessGrantId=busy["AccessGrantId"], **A)
        self.control.delete_access_grants_location(AccessGrantsLocationId=loc["AccessGrantsLocationId"], **A)
        self.assertTrue(made["AccessGrantId"])

    def test_directory_grantee_is_stored(self) -> None:
        made = self.control.create_access_grant(
            AccessGrantsLocationId=self.location_id, Permission="READ",
            Grantee={"GranteeType": "DIRECTORY_USER", "GranteeIdentifier": "83d43802-00b1-7054-db02-f1d683aacba5"},
            AccessGrantsLocationConfiguration={"S3SubPrefix": "dir/*"}, **A)
        self.assertEqual(made["Grantee"]["GranteeType"], "DIRECTORY_USER")
        self.control.delete_access_grant(AccessGrantId=made["AccessGrantId"], **A)

    def collect(self, call, list_key: str, id_key: str, page_size: int, **filters: object) -> list[str]:
        """Every id of a paged list call, walking nextToken."""
        ids, token, pages = [], None, 0
        while True:
            kwargs = dict(filters, MaxResults=page_size, **A)
            if token:
                kwargs["NextToken"] = token
            reply = call(**kwargs)
            items = reply.get(list_key, [])
            self.assertLessEqual(len(items), page_size)
            ids += [item[id_key] for item in items]
            pages += 1
            token = reply.get("NextToken")
            if not token:
                return ids
            self.assertLess(pages, 100)

    def test_list_grants_paging(self) -> None:
        user = self.emu.create_user("pager")
        made = {self.grant(user.arn, f"page{i}/*")["AccessGrantId"] for i in range(5)}
        ids = self.collect(self.control.list_access_grants, "AccessGrantsList", "AccessGrantId",
                           page_size=2, GranteeIdentifier=user.arn)
        self.assertEqual(len(ids), 5)
        self.assertEqual(set(ids), made)
        first = self.control.list_access_grants(MaxResults=2, GranteeIdentifier=user.arn, **A)
        self.assertEqual(len(first["AccessGrantsList"]), 2)
        self.assertIn("NextToken", first)
        with self.assertAwsError("InvalidRequest", 400):
            self.control.list_access_grants(MaxResults=0, **A)
        with self.assertAwsError("InvalidRequest", 400):
            self.control.list_access_grants(NextToken="not-a-token", **A)

    def test_list_grants_filters(self) -> None:
        c = self.control
        one, two = self.emu.create_user("filter-one"), self.emu.create_user("filter-two")
        read = self.grant(one.arn, "f1/*", "READ")
        write = self.grant(one.arn, "f2/*", "WRITE")
        other = self.grant(two.arn, "f1/*", "READWRITE",
                           ApplicationArn="arn:aws:sso::123456789012:application/ssoins-1/apl-1")

        def ids(**filters: object) -> set[str]:
            return {g["AccessGrantId"] for g in c.list_access_grants(**filters, **A).get("AccessGrantsList", [])}

        self.assertEqual(ids(GranteeIdentifier=one.arn), {read["AccessGrantId"], write["AccessGrantId"]})
        self.assertEqual(ids(GranteeIdentifier=one.arn, Permission="WRITE"), {write["AccessGrantId"]})
        self.assertEqual(ids(GrantScope=f"s3://{self.BUCKET}/f1/*"), {read["AccessGrantId"], other["AccessGrantId"]})
        self.assertEqual(ids(ApplicationArn=other["ApplicationArn"]), {other["AccessGrantId"]})
        self.assertIn(read["AccessGrantId"], ids(GranteeType="IAM"))
        self.assertEqual(ids(GranteeType="DIRECTORY_GROUP", GranteeIdentifier=one.arn), set())
        empty = c.list_access_grants(GranteeIdentifier="arn:aws:iam::123456789012:user/none", **A)
        self.assertEqual(empty.get("AccessGrantsList", []), [])

    def test_list_caller_access_grants(self) -> None:
        user = self.emu.create_contributor("caller")
        self.grant(user.arn, "c1/*", "READ")
        self.grant(user.arn, "c2/sub/*", "WRITE")
        self.grant(user.arn, "c3/*", "READ", ApplicationArn="arn:aws:sso::123456789012:application/ssoins-1/apl-2")
        mine = self.emu.client("s3control", user.credentials)

        def scopes(**kwargs: object) -> list[str]:
            reply = mine.list_caller_access_grants(**kwargs, **A)
            return sorted(g["GrantScope"] for g in reply.get("CallerAccessGrantsList", []))

        base = f"s3://{self.BUCKET}"
        self.assertEqual(scopes(), [f"{base}/c1/*", f"{base}/c2/sub/*", f"{base}/c3/*"])
        self.assertEqual(scopes(GrantScope=f"{base}/c2/"), [f"{base}/c2/sub/*"])
        self.assertEqual(scopes(GrantScope=f"{base}/c1/deep/file.txt"), [f"{base}/c1/*"])
        self.assertEqual(scopes(AllowedByApplication=True), [f"{base}/c3/*"])
        page = mine.list_caller_access_grants(MaxResults=2, **A)
        self.assertEqual(len(page["CallerAccessGrantsList"]), 2)
        rest = mine.list_caller_access_grants(MaxResults=2, NextToken=page["NextToken"], **A)
        self.assertEqual(len(rest["CallerAccessGrantsList"]), 1)
        self.assertNotIn("NextToken", rest)

    # -- instance-level calls ----------------------------------------------------------

    def test_resource_policy(self) -> None:
        c = self.control
        with self.assertAwsError("AccessGrantsInstanceResourcePolicyNotExists", 404):
            c.get_access_grants_instance_resource_policy(**A)
        with self.assertAwsError("InvalidResourcePolicy", 400):
            c.put_access_grants_instance_resource_policy(Policy="not json", **A)
        policy = '{"Version": "2012-10-17", "Statement": []}'
        put = c.put_access_grants_instance_resource_policy(Policy=policy, Organization="o-abc1234567", **A)
        self.assertEqual((put["Policy"], put["Organization"]), (policy, "o-abc1234567"))
        got = c.get_access_grants_instance_resource_policy(**A)
        self.assertEqual((got["Policy"], got["CreatedAt"]), (policy, put["CreatedAt"]))
        c.delete_access_grants_instance_resource_policy(**A)
        with self.assertAwsError("AccessGrantsInstanceResourcePolicyNotExists", 404):
            c.get_access_grants_instance_resource_policy(**A)

    def test_identity_center_association(self) -> None:
        c = self.control
        arn = "arn:aws:sso:::instance/ssoins-1234567890abcdef"
        c.associate_access_grants_identity_center(IdentityCenterArn=arn, **A)
        got = c.get_access_grants_instance(**A)
        self.assertEqual((got["IdentityCenterArn"], got["IdentityCenterInstanceArn"]), (arn, arn))
        self.assertIn("IdentityCenterApplicationArn", got)
        c.dissociate_access_grants_identity_center(**A)
        self.assertNotIn("IdentityCenterArn", c.get_access_grants_instance(**A))

    def test_instance_for_prefix(self) -> None:
        found = self.control.get_access_grants_instance_for_prefix(S3Prefix=f"s3://{self.BUCKET}/a/", **A)
        self.assertEqual((found["AccessGrantsInstanceArn"], found["AccessGrantsInstanceId"]),
                         (INSTANCE_ARN, "default"))
        with self.assertAwsError("InvalidRequest", 400):
            self.control.get_access_grants_instance_for_prefix(S3Prefix=f"{self.BUCKET}/a/", **A)

    # -- tags --------------------------------------------------------------------------

    def test_tags_on_instance_location_and_grant(self) -> None:
        c = self.control
        user = self.emu.create_user("tagged")
        grant_arn = self.grant(user.arn, "tags/*")["AccessGrantArn"]
        for arn in (INSTANCE_ARN, self.location["AccessGrantsLocationArn"], grant_arn):
            with self.subTest(arn=arn):
                c.tag_resource(ResourceArn=arn, Tags=[{"Key": "a", "Value": "1"}, {"Key": "b", "Value": "2"}], **A)
                c.tag_resource(ResourceArn=arn, Tags=[{"Key": "a", "Value": "3"}], **A)
                c.untag_resource(ResourceArn=arn, TagKeys=["b", "absent"], **A)
                tags = c.list_tags_for_resource(ResourceArn=arn, **A)["Tags"]
                self.assertIn({"Key": "a", "Value": "3"}, tags)
                self.assertNotIn("b", [t["Key"] for t in tags])
                c.untag_resource(ResourceArn=arn, TagKeys=["a"], **A)

    def test_tag_refusals(self) -> None:
        c = self.control
        with self.assertAwsError("NoSuchAccessGrantError", 404):
            c.list_tags_for_resource(ResourceArn=f"{INSTANCE_ARN}/grant/00000000-0000-0000-0000-000000000000", **A)
        with self.assertAwsError("NoSuchAccessGrantsLocationError", 404):
            c.tag_resource(ResourceArn=f"{INSTANCE_ARN}/location/nope", Tags=[{"Key": "k", "Value": "v"}], **A)
        with self.assertAwsError("InvalidTags", 400):
            c.tag_resource(ResourceArn=INSTANCE_ARN, Tags=[{"Key": "aws:x", "Value": "v"}], **A)
        with self.assertAwsError("InvalidTag", 400):
            c.tag_resource(ResourceArn=INSTANCE_ARN, Tags=[{"Key": "d", "Value": "1"}, {"Key": "d", "Value": "2"}], **A)
        user = self.emu.create_user("many-tags")
        arn = self.grant(user.arn, "many/*", Tags=[{"Key": f"k{i}", "Value": "v"} for i in range(30)])["AccessGrantArn"]
        with self.assertAwsError("TooManyTags", 400):
            c.tag_resource(ResourceArn=arn, Tags=[{"Key": f"n{i}", "Value": "v"} for i in range(21)], **A)

    # -- GetDataAccess refusals ------------------------------------------------------------

    def location_with_role(self, scope: str, role_name: str, **role_args: object) -> str:
        role = self.emu.create_location_role(role_name, self.BUCKET, **role_args)
        return self.control.create_access_grants_location(
            LocationScope=scope, IAMRoleArn=role, **A)["AccessGrantsLocationId"]

    def test_get_data_access_refusals(self) -> None:
        user = self.emu.create_contributor("gda-user")
        untrusting = {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}
        wrong_instance = Emulator.location_trust_policy(instance_arn=INSTANCE_ARN.replace("us-east-1", "eu-west-1"))
        cases = (
            ("untrusted", {"trust": untrusting}, 3600, "StsNotAuthorizedError", 403),
            ("other-instance", {"trust": wrong_instance}, 3600, "StsNotAuthorizedError", 403),
            ("short", {"max_session": 3600}, 7200, "StsValidationError", 400),
        )
        gda = self.emu.client("s3control", user.credentials)
        for name, role_args, duration, code, status in cases:
            with self.subTest(name):
                location = self.location_with_role(f"s3://{self.BUCKET}/{name}/", f"gda-{name}", **role_args)
                self.grant(user.arn, "*", "READ", location_id=location)
                with self.assertAwsError(code, status):
                    gda.get_data_access(Target=f"s3://{self.BUCKET}/{name}/x/*", Permission="READ",
                                        DurationSeconds=duration, **A)
        ok = gda.get_data_access(Target=f"s3://{self.BUCKET}/short/x/*", Permission="READ", **A)
        expires_in = ok["Credentials"]["Expiration"] - datetime.now(timezone.utc)
        self.assertTrue(timedelta(minutes=55) < expires_in <= timedelta(hours=1), expires_in)
        self.assertEqual(ok["MatchedGrantTarget"], f"s3://{self.BUCKET}/short/*")
        self.emu.client("iam").delete_role_policy(RoleName="gda-short", PolicyName="gda-short-policy")
        self.emu.client("iam").delete_role(RoleName="gda-short")
        with self.assertAwsError("InvalidIamRole", 400):
            gda.get_data_access(Target=f"s3://{self.BUCKET}/short/x/*", Permission="READ", **A)
        with self.assertAwsError("AccessDenied", 403) as caught:
            gda.get_data_access(Target=f"s3://{self.BUCKET}/elsewhere/*", Permission="READ", **A)
        self.assertIn("You do not have READ permissions to the requested S3 Prefix",
                      caught.exception.response["Error"]["Message"])

    def test_get_data_access_duration_and_object_target(self) -> None:
        user = self.emu.create_contributor("gda-duration")
        self.grant(user.arn, "long/*", "READWRITE")
        gda = self.emu.client("s3control", user.credentials)
        reply = gda.get_data_access(Target=f"s3://{self.BUCKET}/long/file.bin", Permission="WRITE",
                                    DurationSeconds=43200, TargetType="Object", Privilege="Minimal", **A)
        expires_in = reply["Credentials"]["Expiration"] - datetime.now(timezone.utc)
        self.assertGreater(expires_in, timedelta(hours=11, minutes=55))
        self.assertEqual(reply["MatchedGrantTarget"], f"s3://{self.BUCKET}/long/*")

    # -- authentication, authorization and the wire ----------------------------------------

    def test_caller_iam_policy_is_enforced(self) -> None:
        nobody = self.emu.create_user("no-policy")
        with self.assertAwsError("AccessDenied", 403):
            self.emu.client("s3control", nobody.credentials).list_access_grants(**A)
        reader = self.emu.create_user("lister", policy=Emulator.policy(["s3:ListAccessGrants"], INSTANCE_ARN))
        self.emu.client("s3control", reader.credentials).list_access_grants(**A)
        with self.assertAwsError("AccessDenied", 403):
            self.emu.client("s3control", reader.credentials).list_access_grants_locations(**A)

    def test_integrity_headers(self) -> None:
        def tamper(event: str, handler):
            client = self.emu.client("s3control")
            client.meta.events.register(event, handler)
            return client

        def drop_checksum(request, **_: object) -> None:
            del request.headers["x-amz-checksum-crc32"]

        def wrong_checksum(request, **_: object) -> None:
            request.headers.replace_header("x-amz-checksum-crc32", "AAAAAQ==")

        def other_body(request, **_: object) -> None:
            request.body = request.body.replace(b"2012-10-17", b"2008-10-17")

        with self.assertAwsError("InvalidRequest", 400):
            tamper("before-sign", drop_checksum).list_access_grants(**A)
        with self.assertAwsError("BadDigest", 400):
            tamper("before-sign", wrong_checksum).list_access_grants(**A)
        with self.assertAwsError("XAmzContentSHA256Mismatch", 400):
            tamper("before-send", other_body).put_access_grants_instance_resource_policy(
                Policy='{"Version": "2012-10-17", "Statement": []}', **A)

    def test_other_s3control_operations_are_moto_s(self) -> None:
        block = {"BlockPublicAcls": True, "IgnorePublicAcls": True,
                 "BlockPublicPolicy": True, "RestrictPublicBuckets": True}
        self.control.put_public_access_block(PublicAccessBlockConfiguration=block, **A)
        got = self.control.get_public_access_block(**A)["PublicAccessBlockConfiguration"]
        self.assertEqual(got, block)
        forged = Credentials(self.emu.admin_credentials().access_key_id, "x" * 40)
        with self.assertAwsError("SignatureDoesNotMatch", 403):
            self.emu.client("s3control", forged).get_public_access_block(**A)

    def test_account_header_must_match_caller(self) -> None:
        with self.assertAwsError("AccessDenied", 403):
            self.control.list_access_grants(AccountId="210987654321")

    def test_wire_format(self) -> None:
        raw = RawReplies(self.control)
        self.control.get_access_grants_location(AccessGrantsLocationId=self.location_id, **A)
        reply = raw.last
        root = ET.fromstring(reply["body"])
        self.assertEqual(root.tag, f"{NAMESPACE}GetAccessGrantsLocationResult")
        self.assertRegex(root.find(f"{NAMESPACE}CreatedAt").text, ISO8601_MS)
        self.assertTrue(reply["body"].startswith(b'<?xml version="1.0" encoding="UTF-8"?>'))
        self.assertRegex(reply["headers"]["x-amz-request-id"], r"^[0-9A-F]{16}$")
        user = self.emu.create_user("wire")
        self.grant(user.arn, "wire/*")
        self.control.list_access_grants(GranteeIdentifier=user.arn, **A)
        listed = ET.fromstring(raw.last["body"])
        self.assertEqual([e.tag for e in listed.find(f"{NAMESPACE}AccessGrantsList")], [f"{NAMESPACE}AccessGrant"])
        with self.assertAwsError("NoSuchAccessGrantError", 404):
            self.control.get_access_grant(AccessGrantId="missing", **A)
        error = ET.fromstring(raw.last["body"])
        self.assertEqual([e.tag for e in error], ["Code", "Message", "RequestId", "HostId"])
        self.assertEqual(error.tag, "Error")
        self.assertEqual(error.find("RequestId").text, raw.last["headers"]["x-amz-request-id"])
        self.control.tag_resource(ResourceArn=INSTANCE_ARN, Tags=[{"Key": "w", "Value": "1"}], **A)
        self.assertEqual((raw.last["status_code"], raw.last["body"]), (204, b""))


if __name__ == "__main__":
    unittest.main()
