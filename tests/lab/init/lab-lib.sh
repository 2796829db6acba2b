# Functions for lab scenarios (tests/lab/scenarios/*.sh), sourced by the lab host's /init as /lab/lib.sh.
# A scenario runs in a subshell of init; lab_pass and lab_fail print its verdict and end it.

# HNEST_* variables from the environment of tests/lab/run.
. /lab/env

HNEST=/lab/hnest
GUEST_KERNEL=/lab/vmlinuz
GUEST_INITRD=/lab/guest-initrd.img
# The baseline VMM for benchmarks (scenarios with "# lab-needs: qemu").
QEMU=/lab/qemu/qemu-system-x86_64
QEMU_DATA=/lab/qemu/share
# How long one hnest run may take inside the lab before it is killed (a nested guest reaches init in ~11 s).
HNEST_TIMEOUT=${HNEST_TIMEOUT:-240}
# The lab's TSC frequency, which a nested guest's TSC shares. Handing it to the guest kernel spares it a PIT
# calibration that fails under emulation and can hang early boot (the lab's own kernel gets the same from the
# runner). Set GUEST_TSC_KHZ= empty (HNEST_GUEST_TSC_KHZ="" in the runner's environment) to test hnest's own
# timekeeping without it.
GUEST_TSC_KHZ=${HNEST_GUEST_TSC_KHZ-$(awk -F: '/^cpu MHz/ { printf "%d", $2 * 1000; exit }' /proc/cpuinfo)}
# Kernel command line words every inner guest gets; the scenario adds hnest.scenario=<name> and its own.
GUEST_APPEND_BASE="console=ttyS0 panic=-1 quiet${GUEST_TSC_KHZ:+ tsc_early_khz=$GUEST_TSC_KHZ}"

lab_pass() { print_verdict LAB-RESULT PASS; }

lab_fail() { print_verdict LAB-RESULT FAIL "$@"; }

# hnest_guest <guest-scenario> '<extra append words>' [hnest run options...]
# Boots /lab/vmlinuz + /lab/guest-initrd.img under hnest with hnest.scenario=<guest-scenario>. The console output
# goes to /tmp/hnest.out and to the serial log prefixed "guest| "; hnest's exit code is left in HNEST_RC.
hnest_guest() {
    guest_scenario=$1
    extra=$2
    shift 2
    append="$GUEST_APPEND_BASE hnest.scenario=$guest_scenario${extra:+ $extra}"
    echo "lab: $HNEST run --kernel $GUEST_KERNEL --initrd $GUEST_INITRD --append \"$append\" $*"
    rm -f /tmp/hnest.out /tmp/hnest.rc /tmp/hnest.timedout
    {
        # The timeout is ours, not busybox timeout's: hnest answers SIGTERM with the ACPI power button (a guest that
        # powers off then exits 0, else 130), so its exit code cannot tell a timeout apart. The marker file can.
        "$HNEST" run --kernel "$GUEST_KERNEL" --initrd "$GUEST_INITRD" --append "$append" "$@" 2>&1 &
        hnest_pid=$!
        # Its output goes nowhere: a sleep left holding the pipe would keep tee waiting.
        ( sleep "$HNEST_TIMEOUT"; : > /tmp/hnest.timedout; kill -KILL "$hnest_pid" ) >/dev/null 2>&1 &
        watchdog=$!
        wait "$hnest_pid"
        echo $? > /tmp/hnest.rc
        kill "$watchdog" 2>/dev/null
    } | tee /tmp/hnest.out | sed 's/^/guest| /'
    HNEST_RC=$(cat /tmp/hnest.rc)
    echo "lab: hnest exited with $HNEST_RC"
    if [ -e /tmp/hnest.timedout ]; then
        lab_fail "hnest ($guest_scenario) did not finish within $HNEST_TIMEOUT s (killed; last guest line: $(tail -n1 /tmp/hnest.out 2>/dev/null | tr -d '\r'))"
    fi
}

# expect_hnest_exit <code> <what>: fails the scenario unless the last hnest_guest exited with <code>.
expect_hnest_exit() {
    [ "$HNEST_RC" = "$1" ] || lab_fail "$2: hnest exited with $HNEST_RC, expected $1$(guest_verdict_hint)"
}

# expect_guest_pass <what>: fails the scenario unless the guest printed "HNEST-GUEST-RESULT PASS".
expect_guest_pass() {
    grep -q "HNEST-GUEST-RESULT PASS" /tmp/hnest.out || lab_fail "$1: the guest did not pass$(guest_verdict_hint)"
}

# expect_guest_line <text> <what>: fails the scenario unless the guest console holds <text>.
expect_guest_line() {
    grep -qF "$1" /tmp/hnest.out || lab_fail "$2: no '$1' on the guest console$(guest_verdict_hint)"
}

guest_verdict_hint() {
    line=$(grep -m1 "HNEST-GUEST-RESULT" /tmp/hnest.out 2>/dev/null | tr -d '\r')
    if [ -n "$line" ]; then
        echo " (guest: $line)"
    else
        echo " (guest printed no verdict; last hnest line: $(tail -n1 /tmp/hnest.out 2>/dev/null | tr -d '\r'))"
    fi
}

# --- VMs in the store (hnest vm), for scenarios that manage VMs: manage, network, nested-network ---
HYPERNEST_HOME=/tmp/hn
export HYPERNEST_HOME
vm() {
    echo "lab: hnest vm $*"
    "$HNEST" vm "$@"
}
vm_state() { "$HNEST" vm list | awk -v n="$1" '$1 == n { print $2 }'; }
console_log() { cat "$HYPERNEST_HOME"/vms/*/console.log 2>/dev/null; }
# The last 30 console lines of the VMs, the last 10 lines of each managed VM's worker log (why a worker ended), and
# the lab host's last kernel messages (a worker killed by a signal leaves its trace only there).
dump_console() {
    console_log | tail -n 30 | sed 's/^/guest| /'
    for log in "$HYPERNEST_HOME"/vms/*/worker.log; do
        [ -f "$log" ] && tail -n 10 "$log" | sed 's/^/worker| /'
    done
    dmesg 2>/dev/null | tail -n 8 | sed 's/^/kernel| /'
}

# Seconds since the lab host booted (the lab host's own clock: a check that takes seconds under TCG counts in full).
uptime_s() { awk '{ printf "%d", $1 }' /proc/uptime; }

# wait_for <seconds> <what> <command...>: runs the command about once a second until it succeeds or <seconds> of wall
# time have passed (then the scenario fails naming <what>).
wait_for() {
    limit=$1
    what=$2
    shift 2
    started=$(uptime_s)
    until "$@"; do
        waited=$(($(uptime_s) - started))
        if [ $waited -ge "$limit" ]; then
            dump_console
            lab_fail "$what (waited $limit s)"
        fi
        sleep 1
    done
    echo "lab: waited $(($(uptime_s) - started)) s for: $*"
}

console_has() { console_log | grep -q "$1"; }

# json_value <key>: the first "key": value in JSON on stdin (strings unquoted).
json_value() { grep -o "\"$1\": *\"*[^,\"}]*" | head -n1 | sed 's/.*: *"*//'; }

# lab_switch <name> <address/prefix>: an Internal switch whose host side has the address and a DHCP server
# (busybox udhcpd) handing out .100-.150 of its /24; its lease file is written every second (auto_time), for dumpleases.
lab_switch() {
    echo "lab: hnest switch new $1 --type internal"
    "$HNEST" switch new "$1" --type internal || lab_fail "hnest switch new $1 failed"
    LAB_BRIDGE=$("$HNEST" switch show "$1" --json | json_value bridgeName)
    [ -n "$LAB_BRIDGE" ] && [ -d "/sys/class/net/$LAB_BRIDGE" ] || lab_fail "switch $1 has no bridge ('$LAB_BRIDGE')"
    ip addr add "$2" dev "$LAB_BRIDGE" || lab_fail "cannot address $LAB_BRIDGE"
    net=${2%.*}
    cat > /tmp/udhcpd.conf <<CONF
start $net.100
end $net.150
interface $LAB_BRIDGE
lease_file /tmp/udhcpd.leases
option subnet 255.255.255.0
option router ${2%/*}
option lease 600
auto_time 1
CONF
    : > /tmp/udhcpd.leases
    udhcpd -f /tmp/udhcpd.conf > /tmp/udhcpd.log 2>&1 &
    echo "lab: switch $1 is $LAB_BRIDGE with ${2} and udhcpd"
}

# hnest_interfaces: the TAP devices hnest has on this host (its own names start with "hn" and are not bridges).
hnest_interfaces() {
    for dev in /sys/class/net/hn*; do
        [ -e "$dev" ] && [ ! -d "$dev/bridge" ] && echo "${dev##*/}"
    done
}

# Memory of a managed VM: MemoryAssigned(M) as `hnest vm show` prints it; the guest's latest MemTotal (kB) from its
# HNEST-GUEST-MEM reports (guest/memory.sh); the worker's resident set (kB).
vm_assigned() { "$HNEST" vm show "$1" | awk -F' : ' '/^MemoryAssigned\(M\)/ { print $2 }'; }
guest_mem_total() { console_log | grep -o 'total_kib=[0-9]*' | tail -n 1 | cut -d= -f2; }
worker_rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$("$HNEST" vm show "$1" | awk -F' : ' '/^WorkerPid/ { print $2 }')/status"; }
