#!/bin/sh
# Rebuilds golden.txt from kernelcvt.c. Needs a C compiler (cc or gcc).
set -eu
cd "$(dirname "$0")"
bin=$(mktemp)
trap 'rm -f "$bin"' EXIT
${CC:-cc} -O2 -std=c11 -Wall -Wextra -fwrapv -o "$bin" kernelcvt.c
"$bin" > golden.txt.tmp
mv golden.txt.tmp golden.txt
