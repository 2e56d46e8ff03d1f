#!/bin/sh
# Gives a device its MQTT login on Mosquitto (or changes it), then makes the broker reload.
#
#   docker/mosquitto/add-device.sh <deviceId> <password>
#   docker/mosquitto/add-device.sh <deviceId> -     # password read from stdin, not from the command line
#
# <deviceId> and <password> are the `username` and `password` that
# POST /api/v1/devices/:id/credentials returns, once (the username is the device's id). The
# service keeps only a hash of them, for its embedded broker; Mosquitto has its own password
# file, so every issued credential must be added here too. Adding an existing device replaces
# its password; the broker then drops its current connection at the reload.
#
# Default: the compose deployment (docker/compose.yaml). mosquitto_passwd runs inside the
# mosquitto container on the mounted password file, then the broker gets SIGHUP; nothing but
# Docker is needed on the host. IOMT_COMPOSE_FILE overrides the compose file's path.
#
# Mosquitto outside compose: set MOSQUITTO_PASSWORD_FILE to its password file and
# MOSQUITTO_PID to the broker's process id (e.g. MOSQUITTO_PID=$(pidof mosquitto)); this needs
# mosquitto_passwd on this machine and the right to signal the broker.
#
# mosquitto_passwd takes the password as an argument (-b): it is briefly visible in the process
# list of the machine that runs it. Use `-` to at least keep it out of the shell history.
set -eu

usage() {
  echo "usage: $0 <deviceId> <password|->" >&2
  exit 64
}

[ "$#" -eq 2 ] || usage
device_id=$1
password=$2
if [ "$password" = "-" ]; then
  IFS= read -r password || [ -n "$password" ] || { echo "$0: no password on stdin" >&2; exit 65; }
fi

# Device ids are UUIDs. Refuse anything that could not be one and would be dangerous in the
# ACL's %u pattern (/ + #) or in the password file (:).
case "$device_id" in
  '' | *[!A-Za-z0-9._-]*)
    echo "$0: '$device_id' is not a device id (letters, digits, . _ - only)" >&2
    exit 65 ;;
esac
[ -n "$password" ] || { echo "$0: empty password" >&2; exit 65; }

if [ -n "${MOSQUITTO_PASSWORD_FILE:-}" ]; then
  [ -f "$MOSQUITTO_PASSWORD_FILE" ] || { echo "$0: $MOSQUITTO_PASSWORD_FILE does not exist (create it first: see passwords.example)" >&2; exit 66; }
  [ -n "${MOSQUITTO_PID:-}" ] || { echo "$0: set MOSQUITTO_PID to the broker's process id" >&2; exit 64; }
  mosquitto_passwd -b "$MOSQUITTO_PASSWORD_FILE" "$device_id" "$password"
  kill -HUP "$MOSQUITTO_PID"
else
  compose_file=${IOMT_COMPOSE_FILE:-$(dirname "$0")/../compose.yaml}
  docker compose -f "$compose_file" exec -T mosquitto \
    mosquitto_passwd -b /mosquitto/config/passwords "$device_id" "$password"
  docker compose -f "$compose_file" kill -s SIGHUP mosquitto
fi
echo "device $device_id: MQTT login stored; Mosquitto reloaded" >&2
