#!/usr/bin/env bash
# Creates or updates both environments from the lock files: .venv (service) and .venv-bot (Rasa).
# Idempotent: an environment whose lock file has not changed since the last install is left alone.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/python.sh

quiet_pip() {  # pip without the noise of find-links folders that this machine does not have
    "$@" 2> >(grep -v "is ignored: it is neither a file nor a directory" >&2)
}

ensure_env() {  # ensure_env DIR PYTHON LOCKFILE POST_INSTALL_COMMAND
    local dir=$1 python=$2 lock=$3; shift 3
    local stamp="$dir/.neuvo-lock.sha256"
    local want; want=$(sha256sum < "$lock" | cut -d' ' -f1)
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x "$dir/bin/python" ]; then
        return 0
    fi
    echo "==> setting up $dir from $lock (this takes a few minutes the first time)"
    [ -x "$dir/bin/python" ] || "$python" -m venv "$dir"
    quiet_pip "$dir/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade "pip==24.3.1" "setuptools==70.3.0" "wheel==0.45.1"
    quiet_pip "$dir/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps -r "$lock"
    "$dir/bin/python" -m pip check
    "$@"
    echo "$want" > "$stamp"
}

install_service_package() {
    quiet_pip .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
}

ensure_env .venv "$(service_python)" requirements/service.lock install_service_package
ensure_env .venv-bot "$(bot_python)" requirements/bot.lock true
