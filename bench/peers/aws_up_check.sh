#!/bin/bash
# AWS CLI peer of `cytoskel cpgstaging up` on a converged account: the same
# 14 reads as up_check.py, one `aws` process each, as a shell script checking
# the stack would make them. Any failed read stops it (set -e).
# Usage: aws_up_check.sh
set -euo pipefail
bucket=staging-cellpainting-gallery
account=$(aws sts get-caller-identity --query Account --output text)
policy_arn="arn:aws:iam::$account:policy/staging_cpg_creds_data_access"
instance_arn="arn:aws:s3:us-east-1:$account:access-grants/default"
aws s3api head-bucket --bucket "$bucket" >/dev/null
aws s3api get-public-access-block --bucket "$bucket" >/dev/null
aws s3api get-bucket-encryption --bucket "$bucket" >/dev/null
aws s3api get-bucket-ownership-controls --bucket "$bucket" >/dev/null
aws s3control get-access-grants-instance --account-id "$account" >/dev/null
aws s3control list-tags-for-resource --account-id "$account" \
  --resource-arn "$instance_arn" >/dev/null
version=$(aws iam get-policy --policy-arn "$policy_arn" \
  --query Policy.DefaultVersionId --output text)
aws iam get-policy-version --policy-arn "$policy_arn" \
  --version-id "$version" >/dev/null
aws iam get-group --group-name staging_cpg_uploaders --max-items 1 >/dev/null
aws iam list-attached-group-policies \
  --group-name staging_cpg_uploaders >/dev/null
aws iam get-role --role-name cpg_staging_access_grant_location_role >/dev/null
aws iam get-role-policy --role-name cpg_staging_access_grant_location_role \
  --policy-name cpg_staging_access_grant_location_policy >/dev/null
aws s3control list-access-grants-locations --account-id "$account" \
  --max-results 1000 >/dev/null
echo "stack checked: 14 reads"
