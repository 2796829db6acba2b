#!/bin/sh
# /init of HyperNest's emulated host: a minimal Linux under QEMU's TCG whose KVM (kvm_amd, nested=1) runs one hnest.
#
# What the host's hnest hands in (an initramfs archive appended to the cached image):
#   /hnest/argv       the hnest command line, one argument a line ("run ..." or "worker ...")
#   /hnest/files/*    the VM's kernel and initrd
#   /hnest/nics       one line per network adapter: "<bridge> <MAC of QEMU's NIC>"; the NIC is enslaved to the
#                     bridge, where the inner hnest's --nic bridge=<bridge> puts the VM's TAP device
# Channels (virtio-serial ports, found by name in /sys/class/virtio-ports):
#   hnest.console     fd 3: hnest's stdin and stdout (the guest's serial console, or the worker's console stream)
#   hnest.stderr      hnest's stderr
#   hnest.control     fd 4: "run": lines TERM or KILL from the host, signals for hnest; "worker": the control
#                     protocol, spoken by hnest itself. Last, from here: "EXIT <code>" once hnest has ended.
# The serial console (ttyS0) carries this script's progress ("hnest-emulated-host: ...") and a heartbeat, which the
# host's watchdog reads; it never carries the guest's output.
export PATH=/bin:/sbin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /tmp
mkdir -p /dev/pts /dev/shm
mount -t devpts devpts /dev/pts

say() { echo "hnest-emulated-host: $*"; }
# fail <reason>: tells the host (on the control port when there is one) and powers off.
fail() {
    say "FAILED: $*"
    [ -n "$CONTROL" ] && echo "EXIT 125 $*" >&4
    poweroff -f
}

say "init at $(cut -d' ' -f1 /proc/uptime) s"
( while :; do echo "hnest-emulated-host: heartbeat $(cut -d' ' -f1 /proc/uptime)"; sleep 2; done ) &

for module in $(cat /modules/load-order); do
    case "$module" in kvm_amd) params="nested=1" ;; *) params="" ;; esac
    # shellcheck disable=SC2086 # no params is no word
    insmod "/modules/$module.ko" $params || say "insmod $module failed"
done

# port <name>: the device node of a named virtio-serial port (devtmpfs creates it once the driver has bound).
port() {
    for entry in /sys/class/virtio-ports/*; do
        [ "$(cat "$entry/name" 2>/dev/null)" = "$1" ] && echo "/dev/${entry##*/}" && return 0
    done
    return 1
}
tries=0
until CONTROL=$(port hnest.control) && CONSOLE=$(port hnest.console) && ERRORS=$(port hnest.stderr) \
        && [ -c "$CONTROL" ] && [ -c "$CONSOLE" ] && [ -c "$ERRORS" ]; do
    tries=$((tries + 1))
    [ $tries -gt 100 ] && CONTROL="" && fail "the virtio-serial ports did not appear"
    sleep 0.1
done
# A virtio-serial port can be open once at a time: each is opened here, once, and inherited.
exec 3<>"$CONSOLE" 4<>"$CONTROL"

[ -c /dev/kvm ] || fail "no /dev/kvm after loading $(tr '\n' ' ' < /modules/load-order)(this CPU model lacks SVM?)"

# Disks: QEMU gives each the serial hnest-<name> (disk0, disk1, ..., a save area); /hnest/<name> names its block device.
for disk in /sys/block/vd*; do
    [ -e "$disk" ] || continue
    serial=$(cat "$disk/serial" 2>/dev/null)
    case "$serial" in hnest-*) ln -s "/dev/${disk##*/}" "/hnest/${serial#hnest-}" ;; esac
done

# Network adapters: this host is a wire between QEMU's NIC and the VM's TAP. It sends nothing of its own (no IPv6
# autoconfiguration, no addresses), so only the VM's frames reach the switch outside.
if [ -f /hnest/nics ]; then
    for knob in /proc/sys/net/ipv6/conf/all/disable_ipv6 /proc/sys/net/ipv6/conf/default/disable_ipv6; do
        [ -e "$knob" ] && echo 1 > "$knob"
    done
    while read -r bridge mac; do
        nic=""
        tries=0
        while [ -z "$nic" ]; do
            for entry in /sys/class/net/*; do
                [ "$(cat "$entry/address" 2>/dev/null)" = "$mac" ] && nic=${entry##*/}
            done
            tries=$((tries + 1))
            [ -z "$nic" ] && [ $tries -gt 100 ] && fail "no network interface with MAC $mac appeared"
            [ -z "$nic" ] && sleep 0.1
        done
        ip link add "$bridge" type bridge forward_delay 0 stp_state 0 \
            && ip link set "$nic" master "$bridge" && ip link set "$nic" up && ip link set "$bridge" up \
            || fail "cannot bridge $nic as $bridge"
        say "network adapter $mac on $bridge ($nic)"
    done < /hnest/nics
fi

set --
while IFS= read -r argument; do
    set -- "$@" "$argument"
done < /hnest/argv
mode=$1
shift

say "starting hnest $mode at $(cut -d' ' -f1 /proc/uptime) s"
cd /tmp || fail "no /tmp"
/hnest/hnest "$@" <&3 >&3 2>"$ERRORS" &
pid=$!
if [ "$mode" = signals ]; then
    ( while IFS= read -r signal <&4; do
        case "$signal" in TERM|KILL) kill -"$signal" "$pid" 2>/dev/null ;; esac
      done ) &
    reader=$!
fi
wait "$pid"
code=$?
# SIGTERM that arrived before hnest could answer it (the host was asked to stop while this one booted): an
# interruption, as hnest itself reports one.
[ "$code" = 143 ] && code=130
[ -n "$reader" ] && kill "$reader" 2>/dev/null
# The guest's disk writes sit in this kernel's page cache until they reach QEMU, and through it the host's file.
sync
say "hnest exited with $code"
echo "EXIT $code" >&4
poweroff -f
