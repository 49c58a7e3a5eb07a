#!/usr/bin/env bash
# Fails, listing file:line, for every line of a git-tracked Rust file longer than 100
# characters (characters, not bytes: some lines hold non-ASCII text such as "…").
# rustfmt wraps ordinary code at the same width (rustfmt.toml); this catches what it
# leaves alone: long string literals, comments, and the bodies of view! and macro_rules!.
set -euo pipefail
cd "$(dirname "$0")/.."

MAX=100
# A UTF-8 locale makes grep's `.` and bash's ${#…} count characters.
export LC_ALL=C.UTF-8

status=0
hits=$(git grep -n -I -e "^.\{$((MAX + 1)),\}" -- '*.rs') || status=$?
case $status in
  0) ;;
  1) exit 0 ;; # no match: every line fits
  *) echo "check-line-width: git grep failed ($status)" >&2; exit "$status" ;;
esac

count=0
while IFS= read -r hit; do
  file=${hit%%:*}
  rest=${hit#*:}
  line=${rest%%:*}
  text=${rest#*:}
  printf '%s:%s: %d characters\n' "$file" "$line" "${#text}"
  count=$((count + 1))
done <<<"$hits"
echo "$count line(s) of Rust over $MAX characters; wrap them by hand (see rustfmt.toml)." >&2
exit 1
