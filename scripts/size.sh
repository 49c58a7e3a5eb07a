#!/usr/bin/env bash
# Prints the transfer size of the built app: the gzip -9 and brotli-11 bytes of its wasm,
# js and css, read from the copies `make app` writes (scripts/precompress.sh), which are
# exactly what the server sends.
set -euo pipefail
cd "$(dirname "$0")/../dist"
# A copy missing (a file too small to gain) means the file itself is sent.
sent() { if [ -e "$1" ]; then wc -c < "$1"; else wc -c < "$2"; fi; }
total_gz=0
total_br=0
printf '%-40s %9s %9s %9s\n' file raw gzip-9 brotli-11
for f in *.wasm *.js *.css; do
  [ -e "$f" ] || continue
  raw=$(wc -c < "$f"); gz=$(sent "$f.gz" "$f"); br=$(sent "$f.br" "$f")
  printf '%-40s %9d %9d %9d\n' "$f" "$raw" "$gz" "$br"
  total_gz=$((total_gz + gz)); total_br=$((total_br + br))
done
printf '%-40s %9s %9d %9d\n' "total (wasm + js + css)" "" "$total_gz" "$total_br"
