#!/usr/bin/env bash
# Writes a brotli (quality 11) `.br` and a gzip (-9) `.gz` copy beside every compressible
# file of the built app, once per build (`make app`); tandem-server sends them to clients
# that accept them and never compresses the app on the fly (server/src/static_files.rs).
# Any static host that can serve precompressed files can use them too.
#
# config.json is left alone: it is meant to be edited where the app is hosted, and a
# stale compressed copy would be served in place of the edit.
set -euo pipefail
dir=${1:-dist}
[ -d "$dir" ] || { echo "precompress: no directory $dir" >&2; exit 1; }

find "$dir" -type f \( -name '*.wasm' -o -name '*.js' -o -name '*.css' -o -name '*.html' \
    -o -name '*.json' -o -name '*.svg' \) ! -name config.json -print0 |
  while IFS= read -r -d '' file; do
    brotli --quality=11 --force --keep --output="$file.br" "$file"
    # -n: no name or time stamp inside, so the same build gives the same bytes.
    gzip -9 --no-name --force --stdout "$file" > "$file.gz"
    size=$(wc -c < "$file")
    # A copy no smaller than the file (tiny files) would only cost a header to decode.
    for copy in "$file.br" "$file.gz"; do
      [ "$(wc -c < "$copy")" -lt "$size" ] || rm -f "$copy"
    done
  done
