#!/bin/bash
# Entrypoint of localhost/reliabletx/mariadb (Debian's MariaDB 10.11), keeping the part of the official mysql
# image's contract the reliable-tx operator relies on:
#   MYSQL_ROOT_PASSWORD (required on first start) becomes the password of root@localhost and root@'%';
#   on first start (no data dir yet) /docker-entrypoint-initdb.d/*.sql (and *.sql.gz) are run against the server
#   and *.sh are sourced, in name order, with docker_process_sql defined; then the server is exec'd on 0.0.0.0:3306
#   so SIGTERM stops it cleanly. Later starts skip all that.
# Runs as any uid that can write /var/lib/mysql (the operator: 999 with fsGroup 999) and /run/mysqld.
# Passwords travel on stdin or through a pipe, never argv, and are never printed.
set -euo pipefail

DATADIR=/var/lib/mysql
SOCKET=/run/mysqld/mysqld.sock
INIT_DIR=/docker-entrypoint-initdb.d
# Written last by a successful initialisation: a data dir without it is a half-done one.
MARKER=$DATADIR/.reliabletx-initialised

log() { printf '%s [entrypoint] %s\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# `docker-entrypoint.sh --opt` means the server with that option; anything else (bash, mariadb ...) just runs.
if [ "${1:0:1}" = - ]; then set -- mariadbd "$@"; fi
if [ "$1" != mariadbd ] && [ "$1" != mysqld ]; then exec "$@"; fi
shift
server=(mariadbd)
# As root the server drops to the mysql user itself; any other uid runs it as that uid.
if [ "$(id -u)" -eq 0 ]; then
  server+=(--user=mysql)
  chown mysql:mysql "$DATADIR" /run/mysqld
fi

# The root password reaches the client in its environment (MYSQL_PWD, which only the same uid can read), never in
# argv or a file, and as it is: an option file would need every quote, backslash and line break escaped.
as_root() {
  MYSQL_PWD=$MYSQL_ROOT_PASSWORD "$1" --user=root "${@:2}"
}

# Runs SQL from stdin as root over the socket; takes mysql client options (e.g. --database=mysql).
docker_process_sql() {
  as_root mariadb --protocol=socket --socket="$SOCKET" "$@"
}

sql_string() { # a value as the body of a single-quoted SQL string literal
  local s=${1//\\/\\\\}
  printf '%s' "${s//\'/\\\'}"
}

initialise() {
  [ -n "${MYSQL_ROOT_PASSWORD:-}" ] || die "MYSQL_ROOT_PASSWORD is not set: it is required to initialise the database"
  [ -w "$DATADIR" ] || die "$DATADIR is not writable by uid $(id -u) (mount a volume there with fsGroup $(id -g))"
  log "initialising $DATADIR"
  local install_log=/run/mysqld/install-db.log
  if ! mariadb-install-db "${server[@]:1}" --datadir="$DATADIR" --auth-root-authentication-method=normal \
      --skip-test-db --skip-name-resolve >"$install_log" 2>&1; then
    cat "$install_log" >&2
    die "mariadb-install-db failed"
  fi
  rm -f "$install_log"

  # A temporary server on the socket only: nothing can reach it from the network while users are set up.
  "${server[@]}" --skip-networking --socket="$SOCKET" &
  local pid=$! i
  for i in $(seq 1 120); do
    mariadb-admin --socket="$SOCKET" --user=root --connect-timeout=1 ping >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || die "the temporary server exited during initialisation"
    sleep 0.5
  done
  [ "$i" -lt 120 ] || die "the temporary server did not answer within 60 s"

  local pw
  pw=$(sql_string "$MYSQL_ROOT_PASSWORD")
  # root has no password yet (install-db, normal authentication): only the socket reaches it.
  mariadb --protocol=socket --socket="$SOCKET" -uroot <<SQL
DELETE FROM mysql.global_priv WHERE User = '' OR (User = 'root' AND Host <> 'localhost');
DELETE FROM mysql.proxies_priv WHERE User = '' OR (User = 'root' AND Host <> 'localhost');
FLUSH PRIVILEGES;
ALTER USER 'root'@'localhost' IDENTIFIED BY '$pw';
CREATE USER 'root'@'%' IDENTIFIED BY '$pw';
GRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION;
SQL
  unset pw

  local f
  for f in "$INIT_DIR"/*; do
    [ -e "$f" ] || continue
    case $f in
      *.sql) log "running $f"; docker_process_sql <"$f" ;;
      *.sql.gz) log "running $f"; gzip -dc "$f" | docker_process_sql ;;
      *.sh) log "sourcing $f"; # shellcheck disable=SC1090
        . "$f" ;;
      *) log "ignoring $f" ;;
    esac
  done

  as_root mariadb-admin --socket="$SOCKET" shutdown
  wait "$pid" || true
  touch "$MARKER"
  log "initialised"
}

if [ ! -e "$MARKER" ]; then
  if [ -d "$DATADIR/mysql" ]; then
    die "$DATADIR holds a data dir whose initialisation never finished (no $(basename "$MARKER")): empty the volume to start over, or touch the marker to use it as it is"
  fi
  initialise
fi
log "starting ${server[*]} $*"
exec "${server[@]}" "$@"
