#!/usr/bin/env bash
# Everything the end-to-end test needs that is not in ./venv, installed idempotently:
#   - Debian packages by name: PostgreSQL (server), Redis (server, built with TLS),
#     bubblewrap (the mount namespace the app runs in), openssl;
#   - uv (from PyPI) in a small venv of its own: .tools/uv;
#   - Langflow at the pinned version, with the `postgresql` extra the images install, in
#     its own venv: .tools/langflow-$LANGFLOW_VERSION. uv resolves Langflow's dependency
#     tree in seconds where pip backtracks for many minutes.
# A venv counts as installed only when its stamp file, written last, names what it holds.
set -euo pipefail
cd "$(dirname "$0")/../.."

LANGFLOW_VERSION="${LANGFLOW_VERSION:-1.13.0}"
UV_VERSION="${UV_VERSION:-0.13.9}"
PYTHON="${PYTHON:-python3}"
# Langflow runs as an unprivileged user (UID 10001, like the pod): its venv is built on
# the system's Python, which every user can run (pyenv's may live under a private /root).
LANGFLOW_PYTHON="${LANGFLOW_PYTHON:-/usr/bin/python3}"
TOOLS=.tools
UV_VENV="$TOOLS/uv"
LF_VENV="$TOOLS/langflow-$LANGFLOW_VERSION"

log() { printf 'e2e-install: %s\n' "$*" >&2; }

# --- Debian packages ------------------------------------------------------------------
missing=()
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
command -v bwrap >/dev/null || missing+=(bubblewrap)
command -v openssl >/dev/null || missing+=(openssl)
[[ -x "$LANGFLOW_PYTHON" ]] || missing+=(python3)
if ((${#missing[@]})); then
    log "apt-get install ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# The Debian packages start their own servers where an init system runs; the test starts
# its own on other ports, so those are left alone.

# --- uv -------------------------------------------------------------------------------
if [[ ! -f "$UV_VENV/.installed-$UV_VERSION" ]]; then
    log "uv $UV_VERSION into $UV_VENV"
    rm -rf "$UV_VENV"
    "$PYTHON" -m venv "$UV_VENV"
    "$UV_VENV/bin/python" -m pip install --quiet "uv==$UV_VERSION"
    touch "$UV_VENV/.installed-$UV_VERSION"
fi

# --- Langflow -------------------------------------------------------------------------
stamp="langflow[postgresql]==$LANGFLOW_VERSION on $LANGFLOW_PYTHON, relocatable"
if [[ "$(cat "$LF_VENV/.installed" 2>/dev/null)" != "$stamp" ]]; then
    log "langflow[postgresql]==$LANGFLOW_VERSION into $LF_VENV (uv)"
    start=$(date +%s)
    rm -rf "$LF_VENV"
    # Relocatable: its scripts find their Python next to them, so the venv runs where the
    # test mounts it, /app/.venv as in the images.
    "$UV_VENV/bin/uv" venv --quiet --relocatable --no-python-downloads --python "$LANGFLOW_PYTHON" "$LF_VENV"
    # Langflow does not ask for torch; should a dependency ever do, uv would resolve a
    # multi-GB CUDA build from PyPI. Refuse that instead of downloading it silently.
    VIRTUAL_ENV="$LF_VENV" "$UV_VENV/bin/uv" pip install --quiet \
        --python "$LF_VENV/bin/python" "langflow[postgresql]==$LANGFLOW_VERSION"
    if "$LF_VENV/bin/python" -c 'import importlib.util, sys; sys.exit(importlib.util.find_spec("torch") is None)'; then
        log "warning: torch was installed into $LF_VENV"
    fi
    echo "$stamp" > "$LF_VENV/.installed"
    log "installed in $(($(date +%s) - start)) s, $(du -sh "$LF_VENV" | cut -f1)"
fi
