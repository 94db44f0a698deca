#!/usr/bin/env bash
# One saved edit, timed by its caller: appends a unique line to a chapter and
# returns when the served page holds it (the time a writer waits between
# saving and seeing the change). Exits 1 after TIMEOUT seconds. Bash and curl
# only: an interpreter's start-up (Python's took 0.1 to 0.3 s) would be
# counted in every figure, for both servers alike.
#
#   edit-and-wait.sh CHAPTER_FILE PAGE_URL [TIMEOUT]
set -u
chapter="$1" url="$2" timeout="${3:-120}"
marker="edit-$$-$RANDOM$RANDOM-$EPOCHREALTIME"
marker="${marker//[.,]/}"
printf '\n%s\n' "$marker" >>"$chapter"
deadline=$((${EPOCHREALTIME/[.,]/} + timeout * 1000000))
while [ "${EPOCHREALTIME/[.,]/}" -lt "$deadline" ]; do
  curl -fsS --max-time 5 "$url" 2>/dev/null | grep -qF "$marker" && exit 0
  sleep 0.01
done
echo "$url did not show the edit within $timeout s" >&2
exit 1
