#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the suites and benchmarks, from the Debian `postgresql`
# package: initialised in a directory of its own, run by an unprivileged user (the package's
# `postgres` user when called as root), listening on a free port on 127.0.0.1 and on a
# socket in that directory. The database user is `gids`, trusted, and may create databases.
#
#   tests/pg/cluster.sh start DIR [fast]   prints the lines to eval: GIDS_PG_HOST, GIDS_PG_PORT
#   tests/pg/cluster.sh stop DIR           stops it and removes DIR
#
# `fast` turns off fsync and synchronous commit: right for tests, where PostgreSQL itself is
# never killed; benchmarks leave it out to measure a server as deployed.
set -euo pipefail

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { echo "gebruik: $0 start|stop MAP [fast]" >&2; exit 2; }

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$bin/initdb" ] || { echo "PostgreSQL ontbreekt: installeer het Debian-pakket postgresql." >&2; exit 1; }

# Runs a PostgreSQL program as the cluster's owner: initdb and postgres refuse root.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

case "$cmd" in
start)
  mkdir -p "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
  chmod 755 "$dir"
  as_owner "$bin/initdb" -D "$dir/data" -A trust -U gids --locale=C.UTF-8 -E UTF8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  extra=""
  if [ "${3:-}" = fast ]; then extra="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"; fi
  for attempt in 1 2 3; do
    port=$(free_port)
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=400 -c shared_buffers=64MB $extra" \
      start >/dev/null; then
      echo "export GIDS_PG_HOST=$dir GIDS_PG_PORT=$port"
      exit 0
    fi
  done
  cat "$dir/server.log" >&2
  exit 1
  ;;
stop)
  if [ -d "$dir/data" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
  ;;
*)
  echo "gebruik: $0 start|stop MAP [fast]" >&2
  exit 2
  ;;
esac
