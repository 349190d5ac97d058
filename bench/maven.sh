# Sourced by the bench/*.sh scripts (not run on its own): bench_mvn, Maven offline when it can be.
#
# `bench_mvn ARGS...` runs `mvn -o ARGS...` first: after one build the local repository (~/.m2) holds every
# artifact and plugin the benchmarks need, and offline Maven neither contacts a repository nor waits for one.
# Only if that run fails because something is missing offline (Maven's "... in offline mode and the artifact ...
# has not been downloaded from it before") does it say so on stderr and run `mvn ARGS...` online once. Any other
# failure (a compile error, a bad JMH option) is returned as is: a failed benchmark is never run twice.
# MVN_OFFLINE=1 runs offline only, MVN_OFFLINE=0 online only. Maven's output passes through unchanged (a copy
# goes to a temporary file, read for that message and then deleted).
bench_mvn() {
  case "${MVN_OFFLINE:-}" in
    1 | true) mvn -o "$@"; return ;;
    0 | false) mvn "$@"; return ;;
    '') ;;
    *) echo "MVN_OFFLINE ($MVN_OFFLINE) must be 1, 0, true, false or unset" >&2; return 2 ;;
  esac
  local log status=0
  log=$(mktemp)
  mvn -o "$@" | tee "$log" || status=$?
  if [ "$status" -ne 0 ] && grep -q 'in offline mode' "$log"; then
    rm -f "$log"
    echo "bench: the local Maven repository lacks an artifact or plugin (see above); running Maven online" >&2
    mvn "$@"
    return
  fi
  rm -f "$log"
  return "$status"
}
