#!/bin/bash
# AWS CLI peer of `cytoskel cpgstaging list grant`: every Access Grant id.
# list-access-grants has no paginator, so a shell loop follows NextToken
# (the first line of the text output; "None" after the last page).
# Usage: aws_list_grants.sh ACCOUNT_ID
set -euo pipefail
account=$1
token=()
while :; do
  page=$(aws s3control list-access-grants --account-id "$account" \
    --max-results 1000 "${token[@]}" --output text \
    --query '[NextToken, AccessGrantsList[].AccessGrantId]')
  next=${page%%$'\n'*}
  ids=${page#*$'\n'}
  [[ -n "$ids" && "$ids" != "None" ]] && printf '%s\n' "${ids//$'\t'/$'\n'}"
  [[ "$next" == "None" ]] && break
  token=(--next-token "$next")
done
