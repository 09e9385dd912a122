#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks.
#
#   scripts/pg_throwaway.sh start [STATE_FILE]
#       Creates a cluster in a fresh temporary directory, listening only on 127.0.0.1 on a free port,
#       with a superuser `samtale` (password auth) and a database `samtale`. Prints on stdout:
#           export DATABASE_URL=postgres://samtale:<password>@127.0.0.1:<port>/samtale
#           export PG_THROWAWAY_DIR=<temporary directory>
#       and writes the same lines to STATE_FILE (if given) and to <temporary directory>/env.
#       Progress and errors go to stderr, so this works:
#           env=$(scripts/pg_throwaway.sh start) && eval "$env"
#
#   scripts/pg_throwaway.sh stop [DIR | STATE_FILE]
#       Stops the cluster (pg_ctl stop -m fast) and removes its directory. Without an argument it uses
#       $PG_THROWAWAY_DIR. Only removes directories that this script created.
#
#   scripts/pg_throwaway.sh restart|halt|resume [DIR | STATE_FILE]
#       For outage tests: restart the server (pg_ctl restart -m fast: every connection is dropped), stop
#       it but keep the cluster (halt), or start a halted one again on the same port (resume).
#
# When run as root, initdb and pg_ctl run as the `postgres` user (initdb refuses to run as root);
# otherwise as the current user. The cluster trades durability for speed (fsync=off and friends):
# never put data you care about in it.
set -euo pipefail

MARKER=".pg_throwaway"
DB_NAME="samtale"
DB_USER="samtale"
PG_OS_USER="${PG_THROWAWAY_OS_USER:-postgres}"

log() { printf 'pg_throwaway: %s\n' "$*" >&2; }
die() {
    log "error: $*"
    exit 1
}

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//' >&2
}

# The directory holding the PostgreSQL server binaries: $PG_BINDIR, else the real directory of the
# `initdb` on PATH (Debian puts symlinks or nothing on PATH), else the newest /usr/lib/postgresql/*/bin.
pg_bindir() {
    local initdb dir
    if [[ -n "${PG_BINDIR:-}" ]]; then
        printf '%s\n' "$PG_BINDIR"
    elif initdb=$(command -v initdb 2>/dev/null); then
        dirname "$(readlink -f "$initdb")"
    else
        dir=$(compgen -G '/usr/lib/postgresql/*/bin' | sort -V | tail -n 1)
        [[ -z "$dir" ]] || printf '%s\n' "$dir"
    fi
}

# Finds a PostgreSQL binary: next to the server binaries first (so client and server match), then PATH.
find_pg_bin() {
    local name=$1 dir
    dir=$(pg_bindir)
    if [[ -n "$dir" && -x "$dir/$name" ]]; then
        printf '%s\n' "$dir/$name"
    else
        command -v "$name" 2>/dev/null
    fi
}

require_pg_bin() {
    find_pg_bin "$1" \
        || die "'$1' not found (looked in ${PG_BINDIR:-the initdb directory, /usr/lib/postgresql/*/bin} and PATH); install PostgreSQL 15 (Debian: apt-get install postgresql-15)"
}

find_python() {
    local candidate
    for candidate in "${PYTHON:-}" python3 python; do
        if [[ -n "$candidate" ]] && command -v "$candidate" >/dev/null 2>&1; then
            printf '%s\n' "$candidate"
            return 0
        fi
    done
    die "python3 not found (needed to pick a free port)"
}

# Runs a command as the cluster's owner: the postgres user when we are root, else ourselves.
as_owner() {
    if [[ $EUID -ne 0 ]]; then
        "$@"
    elif command -v runuser >/dev/null 2>&1; then
        runuser -u "$PG_OS_USER" -- "$@"
    else
        su "$PG_OS_USER" -s /bin/sh -c "$(printf '%q ' "$@")"
    fi
}

free_port() {
    "$PYTHON_BIN" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

random_password() {
    "$PYTHON_BIN" -c 'import secrets; print(secrets.token_hex(16))'
}

cmd_start() {
    local state_file=${1:-}
    local initdb pg_ctl postgres_bin createdb pg_isready
    initdb=$(require_pg_bin initdb)
    pg_ctl=$(require_pg_bin pg_ctl)
    postgres_bin=$(require_pg_bin postgres)
    createdb=$(require_pg_bin createdb)
    pg_isready=$(find_pg_bin pg_isready || true)
    PYTHON_BIN=$(find_python)

    local version
    version=$("$postgres_bin" --version 2>/dev/null || true)
    [[ -n "$version" ]] || die "'$postgres_bin --version' failed"
    case "$version" in
        *" 15."*) ;;
        *) log "warning: expected PostgreSQL 15, found: $version" ;;
    esac

    if [[ $EUID -eq 0 ]]; then
        id -u "$PG_OS_USER" >/dev/null 2>&1 \
            || die "running as root, but there is no '$PG_OS_USER' user to own the cluster (initdb refuses root)"
    fi

    # /tmp rather than $TMPDIR when root: the postgres user must be able to reach the directory.
    local base="${PG_THROWAWAY_TMPDIR:-}"
    if [[ -z "$base" ]]; then
        if [[ $EUID -eq 0 ]]; then base=/tmp; else base=${TMPDIR:-/tmp}; fi
    fi
    local dir
    dir=$(mktemp -d "$base/samtale-pg.XXXXXX") || die "cannot create a temporary directory in $base"

    # Globals, not locals: bash runs the EXIT trap after leaving this function's scope.
    CLUSTER_DIR=$dir
    CLUSTER_PG_CTL=$pg_ctl
    CLUSTER_STARTED=""
    local data="$dir/data" logfile="$dir/postgres.log"
    # Undo everything if anything below fails (set -e exits, and the EXIT trap cleans up).
    trap on_start_failure EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM

    touch "$dir/$MARKER"
    # Unix socket paths are limited to about 107 bytes.
    ((${#dir} <= 80)) || die "temporary directory path too long for a unix socket: $dir (set PG_THROWAWAY_TMPDIR)"
    if [[ $EUID -eq 0 ]]; then
        chown "$PG_OS_USER" "$dir"
    fi
    chmod 700 "$dir"

    local password pwfile="$dir/pwfile"
    password=$(random_password)
    (umask 077 && printf '%s\n' "$password" >"$pwfile")
    if [[ $EUID -eq 0 ]]; then chown "$PG_OS_USER" "$pwfile"; fi

    log "initdb in $data ($version)"
    as_owner "$initdb" -D "$data" -U "$DB_USER" --pwfile="$pwfile" -E UTF8 --no-locale \
        --auth-local=trust --auth-host=scram-sha-256 --no-sync >"$dir/initdb.log" 2>&1 \
        || {
            cat "$dir/initdb.log" >&2
            false
        }
    rm -f "$pwfile"

    # The port is free when we ask, but another process could take it before the server binds:
    # retry a few times with a fresh port.
    local port attempt options
    for attempt in 1 2 3; do
        port=$(free_port)
        log "starting on 127.0.0.1:$port (attempt $attempt)"
        options=$(printf '%s ' \
            -c listen_addresses=127.0.0.1 -c port="$port" -c unix_socket_directories="$dir" \
            -c fsync=off -c synchronous_commit=off -c full_page_writes=off)
        if as_owner "$pg_ctl" start -D "$data" -l "$logfile" -w -t 60 -o "$options" >/dev/null; then
            CLUSTER_STARTED=yes
            break
        fi
    done
    printf '%s\n' "$options" >"$dir/server-options"
    [[ -n "$CLUSTER_STARTED" ]] || false

    if [[ -n "$pg_isready" ]]; then
        local tries=0
        until "$pg_isready" -q -h 127.0.0.1 -p "$port" -d postgres -U "$DB_USER"; do
            tries=$((tries + 1))
            if ((tries > 60)); then
                log "server does not answer on 127.0.0.1:$port"
                false
            fi
            sleep 0.5
        done
    fi

    as_owner "$createdb" -h "$dir" -p "$port" -U "$DB_USER" "$DB_NAME"

    trap - EXIT INT TERM

    local env_text
    env_text=$(printf 'export DATABASE_URL=postgres://%s:%s@127.0.0.1:%s/%s\nexport PG_THROWAWAY_DIR=%s\n' \
        "$DB_USER" "$password" "$port" "$DB_NAME" "$dir")
    (umask 077 && printf '%s\n' "$env_text" >"$dir/env")
    if [[ -n "$state_file" ]]; then
        (umask 077 && printf '%s\n' "$env_text" >"$state_file")
    fi
    log "ready: postgres://$DB_USER:***@127.0.0.1:$port/$DB_NAME (stop with: $0 stop $dir)"
    printf '%s\n' "$env_text"
}

cmd_stop() {
    local target=${1:-${PG_THROWAWAY_DIR:-}}
    [[ -n "$target" ]] || die "usage: $0 stop DIR (or set PG_THROWAWAY_DIR)"
    if [[ -f "$target" ]]; then
        # A state file written by `start`.
        local dir_line
        dir_line=$(grep -E '^export PG_THROWAWAY_DIR=' "$target" || true)
        [[ -n "$dir_line" ]] || die "$target is not a state file written by '$0 start'"
        target=${dir_line#export PG_THROWAWAY_DIR=}
    fi
    if [[ ! -d "$target" ]]; then
        log "$target does not exist; nothing to stop"
        return 0
    fi
    [[ -f "$target/$MARKER" ]] || die "refusing to remove $target: not created by $0"

    local pg_ctl rc=0
    if [[ -f "$target/data/postmaster.pid" ]]; then
        pg_ctl=$(require_pg_bin pg_ctl)
        if ! as_owner "$pg_ctl" stop -D "$target/data" -m fast -w -t 30 >/dev/null; then
            log "fast shutdown failed; trying immediate"
            as_owner "$pg_ctl" stop -D "$target/data" -m immediate -w -t 30 >/dev/null || rc=1
        fi
    fi
    if [[ $rc -ne 0 ]]; then
        die "could not stop the server in $target/data; left the directory in place"
    fi
    rm -rf "$target"
    log "stopped and removed $target"
}

# The cluster directory named by DIR or STATE_FILE (or $PG_THROWAWAY_DIR), checked to be one of ours.
cluster_dir() {
    local target=${1:-${PG_THROWAWAY_DIR:-}}
    [[ -n "$target" ]] || die "name the cluster: DIR or STATE_FILE (or set PG_THROWAWAY_DIR)"
    if [[ -f "$target" ]]; then
        local dir_line
        dir_line=$(grep -E '^export PG_THROWAWAY_DIR=' "$target" || true)
        [[ -n "$dir_line" ]] || die "$target is not a state file written by '$0 start'"
        target=${dir_line#export PG_THROWAWAY_DIR=}
    fi
    [[ -f "$target/$MARKER" && -f "$target/server-options" ]] || die "$target is not a cluster made by $0"
    printf '%s\n' "$target"
}

cmd_restart() {
    local dir
    dir=$(cluster_dir "$@")
    as_owner "$(require_pg_bin pg_ctl)" restart -D "$dir/data" -m fast -w -t 60 \
        -l "$dir/postgres.log" -o "$(cat "$dir/server-options")" >/dev/null
    log "restarted the server in $dir"
}

cmd_halt() {
    local dir
    dir=$(cluster_dir "$@")
    as_owner "$(require_pg_bin pg_ctl)" stop -D "$dir/data" -m fast -w -t 60 >/dev/null
    log "halted the server in $dir (resume with: $0 resume $dir)"
}

cmd_resume() {
    local dir
    dir=$(cluster_dir "$@")
    as_owner "$(require_pg_bin pg_ctl)" start -D "$dir/data" -w -t 60 \
        -l "$dir/postgres.log" -o "$(cat "$dir/server-options")" >/dev/null
    log "resumed the server in $dir"
}

# On a failed start: show the server log, stop the server if it runs, remove the directory.
on_start_failure() {
    local rc=$?
    [[ $rc -ne 0 ]] || return 0
    if [[ -f "$CLUSTER_DIR/postgres.log" ]]; then
        log "server log ($CLUSTER_DIR/postgres.log):"
        tail -n 30 "$CLUSTER_DIR/postgres.log" >&2 || true
    fi
    if [[ -n "$CLUSTER_STARTED" ]]; then
        as_owner "$CLUSTER_PG_CTL" stop -D "$CLUSTER_DIR/data" -m immediate -w >/dev/null 2>&1 || true
    fi
    rm -rf "$CLUSTER_DIR"
    log "start failed (exit $rc); removed $CLUSTER_DIR"
    exit "$rc"
}

main() {
    local command=${1:-}
    shift || true
    case "$command" in
        start) cmd_start "$@" ;;
        stop) cmd_stop "$@" ;;
        restart) cmd_restart "$@" ;;
        halt) cmd_halt "$@" ;;
        resume) cmd_resume "$@" ;;
        -h | --help | help) usage ;;
        *)
            usage
            exit 2
            ;;
    esac
}

main "$@"
