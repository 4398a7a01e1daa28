#!/bin/bash
# cluster.sh - a private single-node Slurm for tests/slurm/run.sh (sourced):
# its own munged, slurmctld and slurmd, with every file (key, socket,
# slurm.conf, state, spool, logs, pid files) under one scratch directory and
# ports of their own, so a site's Slurm on the same machine is not touched.
#
#   . tests/slurm/cluster.sh
#   slurm_up DIR       # returns 0, or 1 with the reason in $SLURM_SKIP
#   ... sbatch/squeue/scontrol (SLURM_CONF is exported) ...
#   slurm_down         # stops the three daemons by their pid files
#
# The configuration is the one most sites start from: MpiDefault=none (so
# the scripts must ask for PMIx themselves), no cgroups (proctrack/linuxproc,
# task/none), no accounting, the machine's CPUs, localhost only.
# Recipe measured in ../shared/notes/slurm-single-node.md (Debian 12,
# slurm-wlm 22.05.8, munge 0.5.15).

SLURM_SKIP=""
SLURM_DIR=""

_slurm_need() { # PROGRAM...: all present, or SLURM_SKIP says which is missing
    for p in "$@"; do
        command -v "$p" > /dev/null 2>&1 || [ -x "/usr/sbin/$p" ] || {
            SLURM_SKIP="$p not installed (apt-get install slurm-wlm munge)"
            return 1
        }
    done
}

_sbin() { if command -v "$1" > /dev/null 2>&1; then command -v "$1"; else echo "/usr/sbin/$1"; fi; }

slurm_up() {
    local dir=$1 cpus mem
    SLURM_DIR=$dir
    _slurm_need sbatch squeue scontrol sinfo srun slurmctld slurmd munged munge unmunge || return 1
    if [ "$(id -u)" != 0 ]; then
        SLURM_SKIP="needs root: slurmd must run as root to start jobs"
        return 1
    fi
    id munge > /dev/null 2>&1 || { SLURM_SKIP="no 'munge' user (package munge not configured)"; return 1; }
    cpus=$(nproc)
    mem=$(awk '/^MemTotal:/ {print int($2 / 1024 / 2)}' /proc/meminfo)
    [ "$mem" -gt 4000 ] && mem=4000
    mkdir -p "$dir"/state "$dir"/spool "$dir"/log
    chmod 755 "$dir"
    # munge: its own key, socket and files; munged wants a private, owned directory
    install -d -o munge -g munge -m 0711 "$dir/munge"
    if [ -r /etc/munge/munge.key ]; then
        install -o munge -g munge -m 0400 /etc/munge/munge.key "$dir/munge/munge.key"
    else
        dd if=/dev/urandom of="$dir/munge/munge.key" bs=128 count=1 2> /dev/null
        chown munge:munge "$dir/munge/munge.key"
        chmod 0400 "$dir/munge/munge.key"
    fi
    if ! runuser -u munge -- "$(_sbin munged)" --socket="$dir/munge/sock" \
        --key-file="$dir/munge/munge.key" --pid-file="$dir/munge/munged.pid" \
        --log-file="$dir/munge/munged.log" --seed-file="$dir/munge/seed" 2> "$dir/log/munged.err"; then
        SLURM_SKIP="munged does not start: $(head -c 300 "$dir/log/munged.err")"
        return 1
    fi
    if ! munge -S "$dir/munge/sock" -n | unmunge -S "$dir/munge/sock" | grep -q 'STATUS: *Success'; then
        SLURM_SKIP="munge credentials do not round-trip"
        return 1
    fi
    cat > "$dir/slurm.conf" << EOF
ClusterName=llmcost-test
SlurmctldHost=localhost
SlurmctldPort=${LLMCOST_SLURMCTLD_PORT:-16817}
SlurmdPort=${LLMCOST_SLURMD_PORT:-16818}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/sock
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
ReturnToService=2
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
MailProg=/bin/true
KillWait=10
MinJobAge=600
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=30 State=UP
EOF
    export SLURM_CONF="$dir/slurm.conf"
    if ! "$(_sbin slurmctld)" -f "$SLURM_CONF" 2> "$dir/log/slurmctld.err"; then
        SLURM_SKIP="slurmctld does not start: $(head -c 300 "$dir/log/slurmctld.err")"
        return 1
    fi
    if ! "$(_sbin slurmd)" -f "$SLURM_CONF" -N localhost 2> "$dir/log/slurmd.err"; then
        SLURM_SKIP="slurmd does not start: $(head -c 300 "$dir/log/slurmd.err")"
        return 1
    fi
    for _ in $(seq 60); do
        sinfo -h -o %t 2> /dev/null | grep -qx idle && return 0
        sleep 0.5
    done
    SLURM_SKIP="the node never became idle: $(sinfo -h -o '%t %E' 2>&1 | head -c 200); $(tail -3 "$dir/log/slurmd.log" 2> /dev/null)"
    return 1
}

_slurm_stop() { # PIDFILE
    local pid
    [ -s "$1" ] || return 0
    pid=$(cat "$1")
    kill "$pid" 2> /dev/null || return 0
    for _ in $(seq 50); do
        kill -0 "$pid" 2> /dev/null || return 0
        sleep 0.1
    done
    kill -9 "$pid" 2> /dev/null
}

slurm_down() {
    [ -n "$SLURM_DIR" ] || return 0
    _slurm_stop "$SLURM_DIR/slurmd.pid"
    _slurm_stop "$SLURM_DIR/slurmctld.pid"
    _slurm_stop "$SLURM_DIR/munge/munged.pid"
}
