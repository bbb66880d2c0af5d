#!/usr/bin/env bash
# A LAVA server and dispatcher on this machine, for testing `l4bench lava`:
# Debian 12's lava-server and lava-dispatcher (2023.01), PostgreSQL and the
# LAVA services started by hand (for machines without an init system, such as
# containers), a worker, the `qemu` device type and QEMU devices, a user and an
# API token in a 0600 config file.
#
#   scripts/lava-setup.sh [start]   install if needed, start what is not running, add what is missing
#   scripts/lava-setup.sh stop      end the services this script started, by their recorded PIDs
#   scripts/lava-setup.sh status    what runs, with PIDs
#
# Idempotent: a second `start` finds what is there and keeps it. It never
# fetches or builds L4Re; the jobs take an image `l4bench run --target l4re
# --image-only` wrote. Needs root (apt, PostgreSQL, the lavaserver user).
#
# Environment:
#   L4BENCH_LAVA_PORT      port of the API server on 127.0.0.1 (default 8222)
#   L4BENCH_LAVA_DEVICES   QEMU devices to add, qemu-01 ... (default 1)
#   L4BENCH_LAVA_STATE     PIDs and service logs (default /var/lib/l4bench-lava)
#   L4BENCH_LAVA_CONFIG    where the URL and token go (default ~/.config/l4bench/lava.conf, mode 0600)
set -euo pipefail

PORT=${L4BENCH_LAVA_PORT:-8222}
NDEV=${L4BENCH_LAVA_DEVICES:-1}
STATE=${L4BENCH_LAVA_STATE:-/var/lib/l4bench-lava}
CONFIG=${L4BENCH_LAVA_CONFIG:-${XDG_CONFIG_HOME:-$HOME/.config}/l4bench/lava.conf}
URL="http://127.0.0.1:$PORT"
WORKER=${L4BENCH_LAVA_WORKER:-l4bench-worker}
USERNAME=l4bench
PGCLUSTER=(15 main)

say() { printf 'lava-setup: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

alive() { [[ -n ${1:-} ]] && kill -0 "$1" 2>/dev/null; }
pid_of() { [[ -f $STATE/$1.pid ]] && cat "$STATE/$1.pid" || true; }

# Ends one recorded service: TERM to its process group (it was started with setsid), KILL after 10 s.
stop_one() {
    local name=$1 pid
    pid=$(pid_of "$name")
    if ! alive "$pid"; then rm -f "$STATE/$name.pid"; return 0; fi
    say "stopping $name (PID $pid)"
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do alive "$pid" || break; sleep 0.1; done
    if alive "$pid"; then say "$name did not end after TERM: KILL"; kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true; fi
    rm -f "$STATE/$name.pid"
}

# Starts a service in its own session, records its PID; keeps one already running.
start_one() {
    local name=$1; shift
    local pid
    pid=$(pid_of "$name")
    if alive "$pid"; then say "$name runs (PID $pid)"; return 0; fi
    setsid "$@" >>"$STATE/$name.out" 2>&1 < /dev/null &
    pid=$!
    echo "$pid" >"$STATE/$name.pid"
    sleep 2
    if ! alive "$pid"; then tail -15 "$STATE/$name.out" >&2; rm -f "$STATE/$name.pid"; die "$name ended at once (output above)"; fi
    say "started $name (PID $pid), output in $STATE/$name.out"
}

manage() { lava-server manage "$@"; }
# listed WORD LIST-COMMAND...: is WORD a whole word of the list's output (read whole: no SIGPIPE under pipefail)
listed() { local word=$1 out; shift; out=$(manage "$@" 2>/dev/null) || true; grep -qw -- "$word" <<<"$out"; }

status() {
    for s in gunicorn scheduler worker; do
        local pid; pid=$(pid_of $s)
        if alive "$pid"; then echo "$s: running (PID $pid)"; else echo "$s: not running"; fi
    done
    if [[ -f $STATE/postgresql.started ]]; then echo "postgresql: started by this script"; fi
    pg_lsclusters 2>/dev/null | sed 's/^/postgresql: /' || true
}

do_stop() {
    [[ -d $STATE ]] || { say "nothing recorded in $STATE"; return 0; }
    stop_one worker
    stop_one scheduler
    stop_one gunicorn
    if [[ -f $STATE/postgresql.started ]]; then
        say "stopping PostgreSQL ${PGCLUSTER[*]} (started by this script)"
        pg_ctlcluster "${PGCLUSTER[@]}" stop || true
        rm -f "$STATE/postgresql.started"
    fi
}

wait_http() {
    for _ in $(seq 1 120); do
        if curl -s -o /dev/null -w '%{http_code}' "$URL/api/v0.2/" 2>/dev/null | grep -q '^[23]'; then return 0; fi
        sleep 0.5
    done
    return 1
}

do_start() {
    [[ $(id -u) -eq 0 ]] || die "run as root (apt, PostgreSQL and the lavaserver user need it)"
    grep -q 'VERSION_ID="12"' /etc/os-release 2>/dev/null || say "warning: not Debian 12; the packages named here are bookworm's"
    mkdir -p "$STATE"
    chmod 0700 "$STATE"

    # PostgreSQL first: lava-server's postinst creates its database.
    if ! pg_lsclusters 2>/dev/null | awk -v v="${PGCLUSTER[0]}" -v c="${PGCLUSTER[1]}" '$1==v && $2==c && $4=="online"' | grep -q .; then
        command -v pg_ctlcluster >/dev/null || { apt-get install -y --no-install-recommends postgresql >&2; }
        say "starting PostgreSQL ${PGCLUSTER[*]} by hand (no init system)"
        pg_ctlcluster "${PGCLUSTER[@]}" start
        touch "$STATE/postgresql.started"
    fi
    say "PostgreSQL runs (postmaster PID $(head -1 /var/lib/postgresql/${PGCLUSTER[0]}/${PGCLUSTER[1]}/postmaster.pid 2>/dev/null || echo '?'))"

    if ! dpkg-query -W -f='${Status}' lava-server 2>/dev/null | grep -q 'install ok installed' \
       || ! dpkg-query -W -f='${Status}' lava-dispatcher 2>/dev/null | grep -q 'install ok installed'; then
        if ! apt-cache policy lava-server 2>/dev/null | grep -q 'Candidate: [0-9]'; then
            apt-get update >&2 || true
        fi
        apt-cache policy lava-server 2>/dev/null | grep -q 'Candidate: [0-9]' ||
            die "no lava-server package in the configured apt sources: add Debian bookworm (deb http://deb.debian.org/debian bookworm main) and run again"
        say "installing lava-server and lava-dispatcher ($(apt-cache policy lava-server | awk '/Candidate/{print $2}'))"
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends lava-server lava-dispatcher qemu-system-x86 curl >&2
    fi
    say "lava-server $(dpkg-query -W -f='${Version}' lava-server), lava-dispatcher $(dpkg-query -W -f='${Version}' lava-dispatcher)"
    command -v qemu-system-x86_64 >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends qemu-system-x86 >&2

    # Database schema (postinst did it; again is a no-op).
    manage migrate --noinput >"$STATE/migrate.out" 2>&1 || { tail -20 "$STATE/migrate.out" >&2; die "lava-server manage migrate failed"; }

    # The API server (gunicorn, as systemd would start lava-server-gunicorn, on 127.0.0.1 only).
    mkdir -p /var/log/lava-server
    chown lavaserver:lavaserver /var/log/lava-server
    start_one gunicorn gunicorn3 lava_server.wsgi --bind "127.0.0.1:$PORT" -u lavaserver -g lavaserver \
        --worker-class eventlet --workers 2 --log-level INFO --log-file "$STATE/gunicorn.log"
    wait_http || { tail -20 "$STATE/gunicorn.out" "$STATE/gunicorn.log" >&2 2>/dev/null; die "the API server did not answer on $URL"; }
    say "API server answers on $URL"

    # lava-scheduler drops its privileges to lavaserver: its log goes where that user may write.
    start_one scheduler lava-server manage lava-scheduler --level INFO --log-file /var/log/lava-server/lava-scheduler.log

    # The worker: registered by name, its token kept 0600 in its own directory.
    if ! listed "$WORKER" workers list; then
        manage workers add --description "l4bench test worker (scripts/lava-setup.sh)" "$WORKER" >/dev/null
        say "worker $WORKER added"
    fi
    manage workers update --health ACTIVE "$WORKER" >/dev/null 2>&1 || true
    local wdir=$STATE/worker
    mkdir -p "$wdir"
    chmod 0700 "$wdir"
    if [[ ! -s $wdir/token ]]; then
        local details; details=$(manage workers details "$WORKER")
        (umask 077; awk '/^token/{print $3}' <<<"$details" >"$wdir/token")
    fi
    start_one worker lava-worker --level INFO --log-file "$STATE/lava-worker.log" --url "$URL/" --name "$WORKER" \
        --token-file "$wdir/token" --worker-dir "$wdir"

    # Device type and devices.
    listed qemu device-types list || { manage device-types add qemu >/dev/null; say "device type qemu added"; }
    local ddir=/etc/lava-server/dispatcher-config/devices
    for i in $(seq 1 "$NDEV"); do
        local dev; dev=$(printf 'qemu-%02d' "$i")
        if [[ ! -f $ddir/$dev.jinja2 ]]; then
            cat >"$ddir/$dev.jinja2" <<EOF
{# $dev: written by l4bench scripts/lava-setup.sh. The job context sets arch, no_kvm, memory and extra_options. #}
{% extends 'qemu.jinja2' %}
{% set mac_addr = '52:54:00:12:34:$(printf '%02x' $((0x60 + i)))' %}
{% set memory = 1024 %}
EOF
            chown lavaserver:lavaserver "$ddir/$dev.jinja2"
        fi
        if ! listed "$dev" devices list --all; then
            manage devices add --device-type qemu --worker "$WORKER" --description "QEMU device for l4bench" "$dev" >/dev/null
            say "device $dev added"
        fi
        manage devices update --health GOOD "$dev" >/dev/null
    done

    # The API user and its token: kept in a 0600 config file, never printed.
    if ! listed "$USERNAME" users list --all; then
        manage users add --staff --superuser "$USERNAME" >/dev/null
        say "user $USERNAME added"
    fi
    local have=""
    if [[ -f $CONFIG ]]; then
        have=$(awk -F' *= *' '$1=="token"{print $2}' "$CONFIG")
        if [[ -n $have ]] && [[ $(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Token $have" "$URL/api/v0.2/jobs/?limit=1") != 200 ]]; then
            have=""
        fi
    fi
    if [[ -z $have ]]; then
        mkdir -p "$(dirname "$CONFIG")"
        local tok; tok=$(manage tokens add --user "$USERNAME" --description "l4bench (scripts/lava-setup.sh)")
        (umask 077; printf '# l4bench LAVA access (scripts/lava-setup.sh); keep mode 0600\nurl = %s\ntoken = %s\n' "$URL" "$tok" >"$CONFIG.tmp")
        mv "$CONFIG.tmp" "$CONFIG"
        chmod 0600 "$CONFIG"
        say "token written to $CONFIG (mode 0600)"
    else
        say "token in $CONFIG still valid"
    fi

    # The worker must be online before jobs can be scheduled.
    for _ in $(seq 1 60); do
        local d; d=$(manage workers details "$WORKER" 2>/dev/null) || true
        if grep -q 'state *: Online' <<<"$d"; then break; fi
        sleep 1
    done
    d=$(manage workers details "$WORKER" 2>/dev/null) || true
    grep -E '^(state|health)' <<<"$d" | sed 's/^/lava-setup: worker /' >&2 || true
    say "ready: $URL (stop with: scripts/lava-setup.sh stop)"
}

case ${1:-start} in
    start) do_start ;;
    stop) do_stop ;;
    status) status ;;
    *) die "usage: $0 [start|stop|status]" ;;
esac
