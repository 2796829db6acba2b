#!/bin/sh
# /init of the inner guest: load the virtio modules, run /scenarios/<hnest.scenario>.sh, power off.
# The guest's verdict is "HNEST-GUEST-RESULT PASS" or "HNEST-GUEST-RESULT FAIL <reason>" on its console; a scenario
# that ends the guest differently (reboot -f) does so itself.
. /etc/lab/common.sh
mount_basics
echo "LAB-INIT guest uptime $(cut -d' ' -f1 /proc/uptime) s"
echo "guest: cmdline $(cat /proc/cmdline)"
load_modules

guest_pass() { print_verdict HNEST-GUEST-RESULT PASS; }

guest_fail() { print_verdict HNEST-GUEST-RESULT FAIL "$@"; }

# guest_hold [seconds]: stays up, printing HNEST-GUEST-TICK <n> once a second, until the host turns the VM off; after
# that many seconds (150 unless told) it gives up and fails (a managed VM's scenario on the host side looks at it
# meanwhile).
guest_hold() {
    i=0
    limit=${1:-150}
    while [ $i -lt "$limit" ]; do
        sleep 1
        i=$((i + 1))
        echo "HNEST-GUEST-TICK $i"
    done
    guest_fail "nobody turned the VM off within $limit s"
}

# meminfo_kib <field>: a /proc/meminfo field (MemTotal, MemAvailable, ...) in KiB.
meminfo_kib() { awk -v field="$1:" '$1 == field { print $2 }' /proc/meminfo; }

# report_memory: prints "HNEST-GUEST-MEM total_kib=<MemTotal> avail_kib=<MemAvailable>" every 2 s, for ever (run it
# in the background).
report_memory() {
    while true; do
        echo "HNEST-GUEST-MEM total_kib=$(meminfo_kib MemTotal) avail_kib=$(meminfo_kib MemAvailable)"
        sleep 2
    done
}

# boot_inner_guest <append>: (a guest that carries hnest: the nested scenarios) boots the ordinary guest with
# "hnest.scenario=boot" to its end (128M, at most 300 s), echoes its console as "second| ...", and prints
# HNEST-GUEST-L2B-OK or HNEST-GUEST-L2B-FAILED: this VM's KVM still makes VMs.
boot_inner_guest() {
    timeout 300 /lab/hnest run --kernel /lab/vmlinuz --initrd /lab/guest-initrd.img --append "$1 hnest.scenario=boot" \
        --memory 128M --cpus 1 > /tmp/second.out 2>&1
    rc=$?
    sed 's/^/second| /' /tmp/second.out
    if [ "$rc" = 0 ] && grep -q HNEST-GUEST-BOOT-OK /tmp/second.out; then
        echo "HNEST-GUEST-L2B-OK"
    else
        echo "HNEST-GUEST-L2B-FAILED exit $rc"
    fi
}

scenario=$(cmdline_value hnest.scenario)
if [ -z "$scenario" ]; then
    echo "HNEST-GUEST-RESULT FAIL no hnest.scenario= on the kernel command line"
elif [ ! -f "/scenarios/$scenario.sh" ]; then
    echo "HNEST-GUEST-RESULT FAIL no guest scenario '$scenario' (have: $(cd /scenarios && ls | tr '\n' ' '))"
else
    run_scenario HNEST-GUEST-RESULT "/scenarios/$scenario.sh" "$scenario"
fi
sync
poweroff -f
