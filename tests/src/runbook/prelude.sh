# Sourced once at the start of every run of the guide's blocks.
#
# A failing command stops the session and records where it failed, so the
# harness names the block's chapter and line. `grep -c` is the exception:
# it exits 1 when it counts 0 lines, which is what the guide says it prints.
# When the failing command is one of the wrappers below, bash's
# BASH_COMMAND is the last command run inside the wrapper, not the reader's:
# the command is then left empty and the harness takes it from the block.
set -o pipefail
__run_fail() {
  local rc=$1 line=$2 cmd=$3
  if [ "$rc" = 1 ] && [[ $cmd == "grep -c "* ]]; then return 0; fi
  if [ "${__run_wrapped-}" = "${BASH_SOURCE[1]}:$line" ]; then cmd=; fi
  printf '%s\n%s\n%s\n' "$rc" "$line" "$cmd" > "$__RUN_DIR/fail"
  exit "$rc"
}
trap '__run_fail $? $LINENO "$BASH_COMMAND"' ERR

# A wrapper's way to fail with status $1: records the block line that
# called the wrapper, for __run_fail.
__wrapped_fails() {
  __run_wrapped="${BASH_SOURCE[2]}:${BASH_LINENO[1]}"
  return "$1"
}

# The stand-ins, documented in the README ("The guide runs"). The emulator
# starts no task and the session has no internet, so in a block marked
# `stand-in` these commands answer with fixed documentation values after
# checking what they can against the emulator. Outside such a block they
# fail, naming the marker the block lacks.
STANDIN_CLIENT_IP=203.0.113.10
STANDIN_TASK_IP=203.0.113.20
STANDIN_ENI=eni-0123456789abcdef0

__standin_needed() {
  echo "\`$*\` needs a running task or the internet: mark the block \`<!-- run: PATH stand-in -->\`" >&2
  return 1
}

curl() {
  [ -n "${__STANDIN-}" ] || { __standin_needed curl "$@"; __wrapped_fails 1; return; }
  case "$*" in
    *https://checkip.amazonaws.com*) echo "$STANDIN_CLIENT_IP" ;;
    *"http://PUBLIC_IP:8080/"* | *"http://$STANDIN_TASK_IP:8080/"* | *http://*.elb.amazonaws.com/*)
      local url=${*: -1}
      url=${url#http://}
      printf 'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n{"method":"GET","path":"/%s"}\n' "${url#*/}" ;;
    *) echo "no stand-in for curl $*" >&2; __wrapped_fails 1 ;;
  esac
}

# The value after OPTION in the arguments.
__arg() {
  local want=$1; shift
  while [ $# -gt 0 ]; do
    if [ "$1" = "$want" ]; then echo "$2"; return 0; fi
    shift
  done
  return 1
}

__standin_service_active() {
  local status
  status=$(command aws ecs describe-services --cluster "$(__arg --cluster "$@")" \
    --services "$(__arg --services "$@" || __arg --service-name "$@")" \
    --query 'services[0].status' --output text) || return 1
  [ "$status" = ACTIVE ] || { echo "service is $status, not ACTIVE" >&2; return 1; }
}

aws() {
  if [ -n "${__STANDIN-}" ]; then
    case "$1 $2 ${3-}" in
      "ecs wait services-stable")
        # No task ever runs: stable means the service exists and is ACTIVE.
        __standin_service_active "$@" || __wrapped_fails $?; return ;;
      "logs tail "*)
        # AWS CLI v2 only, and no task writes logs: the group must exist.
        local n
        n=$(command aws logs describe-log-groups --log-group-name-prefix "$3" \
          --query "length(logGroups[?logGroupName=='$3'])" --output text) || { __wrapped_fails 1; return; }
        [ "$n" = 1 ] || { echo "log group $3 does not exist" >&2; __wrapped_fails 1; return; }
        echo "$(date -u +%Y-%m-%dT%H:%M:%S) ecs/responderapi/0123456789abcdef ready to serve requests"
        return ;;
    esac
    case "$1 $2" in
      "ecs list-tasks")
        __standin_service_active "$@" || { __wrapped_fails 1; return; }
        echo "arn:aws:ecs:${AWS_REGION}:${ACCOUNT_ID:-000000000000}:task/$(__arg --cluster "$@")/0123456789abcdef"
        return ;;
      "ecs describe-tasks") echo "$STANDIN_ENI"; return ;;
      "ec2 describe-network-interfaces") echo "$STANDIN_TASK_IP"; return ;;
    esac
  fi
  command aws "$@" || __wrapped_fails $?
}
