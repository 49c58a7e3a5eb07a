#!/usr/bin/env bash
# Prints the transfer size of the built app: gzip -9 bytes of its wasm, js and css.
set -euo pipefail
cd "$(dirname "$0")/../dist"
total=0
for f in *.wasm *.js *.css; do
  [ -e "$f" ] || continue
  raw=$(wc -c < "$f"); gz=$(gzip -9 -c "$f" | wc -c)
  printf '%-40s %9d bytes  %8d gzipped\n' "$f" "$raw" "$gz"
  total=$((total + gz))
done
printf '%-40s %9s        %8d gzipped\n' "total (wasm + js + css)" "" "$total"
