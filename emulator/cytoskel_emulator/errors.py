"""Errors of the S3 Control Access Grants API, with AWS's codes and statuses.

Codes and HTTP statuses follow the "List of Amazon S3 Access Grants error
codes" table of the S3 API reference.  Each error is rendered by
``wire.render_error`` as the flat S3 ``<Error>`` document.
"""

from __future__ import annotations


class ControlError(Exception):
    """An S3 Control error reply: ``code`` and ``message`` with an HTTP status."""

    def __init__(self, code: str, message: str, status: int = 400):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
        self.status = status


def instance_not_exists() -> ControlError:
    return ControlError(
        "AccessGrantsInstanceNotExistsError", "Access Grants Instance does not exist", 404
    )


def instance_already_exists() -> ControlError:
    return ControlError(
        "AccessGrantsInstanceAlreadyExists", "Access Grants Instance already exists", 409
    )


def instance_not_empty() -> ControlError:
    return ControlError(
        "AccessGrantsInstanceNotEmptyError",
        "Please clean up locations before deleting the access grants instance",
        400,
    )


def policy_not_exists() -> ControlError:
    return ControlError(
        "AccessGrantsInstanceResourcePolicyNotExists",
        "Access Grants Instance Resource Policy does not exist",
        404,
    )


def invalid_resource_policy() -> ControlError:
    return ControlError("InvalidResourcePolicy", "The specified Resource Policy is invalid", 400)


def location_already_exists() -> ControlError:
    return ControlError(
        "AccessGrantsLocationAlreadyExistsError",
        "The specified access grants location already exists",
        409,
    )


def location_not_empty() -> ControlError:
    return ControlError(
        "AccessGrantsLocationNotEmptyError",
        "Please clean up access grants before deleting access grants location",
        400,
    )


def no_such_location() -> ControlError:
    return ControlError(
        "NoSuchAccessGrantsLocationError",
        "The specified access grants location does not exist",
        404,
    )


def invalid_location(detail: str) -> ControlError:
    return ControlError(
        "InvalidAccessGrantsLocation", f"The specified Access Grants Location is invalid: {detail}", 400
    )


def locations_quota(limit: int) -> ControlError:
    return ControlError(
        "AccessGrantsLocationsQuotaExceededError",
        f"The access grants location quota has been exceeded. Access Grants Locations Quota: {limit}. "
        "Please reach out to S3 if an increase is required.",
        409,
    )


def grant_already_exists() -> ControlError:
    return ControlError("AccessGrantAlreadyExists", "The specified access grant already exists", 409)


def no_such_grant() -> ControlError:
    return ControlError("NoSuchAccessGrantError", "The specified access grant does not exist", 404)


def grants_quota(limit: int) -> ControlError:
    return ControlError(
        "AccessGrantsQuotaExceededError",
        f"The access grants quota has been exceeded. Access Grants Quota: {limit}. "
        "Please reach out to S3 if an increase is required.",
        409,
    )


def invalid_iam_role() -> ControlError:
    return ControlError("InvalidIamRole", "The specified IAM Role is invalid", 400)


def invalid_request(message: str) -> ControlError:
    return ControlError("InvalidRequest", message, 400)


def invalid_grantee() -> ControlError:
    return invalid_request("Invalid Grantee")


def access_denied(message: str = "Access Denied") -> ControlError:
    return ControlError("AccessDenied", message, 403)


def data_access_denied(permission: str, target: str) -> ControlError:
    return access_denied(
        f"You do not have {permission} permissions to the requested S3 Prefix: {target}"
    )


def sts_not_authorized(role_arn: str) -> ControlError:
    return ControlError(
        "StsNotAuthorizedError",
        "User: access-grants.s3.amazonaws.com is not authorized to perform: "
        f"sts:AssumeRole on resource: {role_arn}",
        403,
    )


def sts_validation(message: str) -> ControlError:
    return ControlError("StsValidationError", message, 400)


def invalid_tag(message: str) -> ControlError:
    return ControlError("InvalidTag", message, 400)


def reserved_tag() -> ControlError:
    return ControlError(
        "InvalidTags", "Tag keys cannot start with AWS reserved prefix for system tags.", 400
    )


def too_many_tags() -> ControlError:
    return ControlError(
        "TooManyTags", "The number of tags exceeds the limit of 50 tags. Remove some tags and try again.", 400
    )
