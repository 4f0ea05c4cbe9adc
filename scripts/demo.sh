#!/usr/bin/env bash
# The main job on the local AWS: starts the emulator, runs the first
# version's README flow with AWS_PROFILE=CPG (up, list location, create user,
# list user, create grant, list grant, delete grant, delete user), printing
# each command and its output, then stops the emulator.
#
# Usage: scripts/demo.sh [path/to/cytoskel]
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cytoskel=$(realpath "${1:-$repo/build/cytoskel}")
home=$(mktemp -d -t cytoskel-demo.XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')

"$repo/emulator/serve" --port "$port" --home "$home" &
emulator=$!
cleanup() {
  kill "$emulator" 2>/dev/null || true
  wait "$emulator" 2>/dev/null || true
  rm -rf "$home"
}
trap cleanup EXIT

for _ in $(seq 1 100); do
  [[ -f "$home/.aws/config" ]] && break
  kill -0 "$emulator" 2>/dev/null || { cat "$home/emulator.log" >&2; exit 1; }
  sleep 0.1
done
[[ -f "$home/.aws/config" ]] || { echo "demo: the emulator did not start" >&2; exit 1; }

# Only the emulator's profile: nothing from the caller's own AWS setup.
unset AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN \
  AWS_DEFAULT_PROFILE AWS_CONFIG_FILE AWS_SHARED_CREDENTIALS_FILE \
  AWS_ENDPOINT_URL AWS_REGION AWS_DEFAULT_REGION
export HOME="$home" AWS_PROFILE=CPG

echo "Local AWS on 127.0.0.1:$port (profile CPG in $home/.aws/config)"

# Prints the command as a user would type it, then runs it.
step() {
  printf '\n$ AWS_PROFILE=CPG cytoskel %s\n' "$*"
  "$cytoskel" "$@"
}

step whoami
step cpgstaging up
step cpgstaging list location
location_id=$("$cytoskel" cpgstaging list location --output json |
  python3 -c 'import json, sys; print(json.load(sys.stdin)[0]["LocationId"])')
step cpgstaging create user test_user
step cpgstaging list user
user_arn=$("$cytoskel" cpgstaging list user | head -n 1)
step cpgstaging create grant "$user_arn" "$location_id" "cpg0001-example/*"
step cpgstaging list grant
grant_id=$("$cytoskel" cpgstaging list grant | head -n 1)
step cpgstaging delete grant "$grant_id"
step cpgstaging delete user test_user
step cpgstaging up
echo
echo "Demo finished: every command ran against the local AWS."
