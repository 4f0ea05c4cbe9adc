#!/bin/sh
# The benchmark suite (bench/run.py): `make bench`, or by hand
#   bench/run.sh build/cytoskel [--quick] [--only SCENARIO] [--micro BIN]
# The first argument is the cytoskel binary to measure; the rest go to
# run.py (`bench/run.sh build/cytoskel --help` lists them).
set -eu
if [ $# -lt 1 ]; then
  echo "usage: bench/run.sh CYTOSKEL_BINARY [run.py options]" >&2
  exit 2
fi
binary=$1
shift
exec python3 "$(dirname "$0")/run.py" --cytoskel "$binary" "$@"
