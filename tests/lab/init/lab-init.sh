#!/bin/sh
# /init of the lab host: load KVM, run /lab/scenario.sh, power off. The verdict reaches the runner on the serial
# console as "LAB-RESULT PASS" or "LAB-RESULT FAIL <reason>" (see lab-lib.sh).
. /etc/lab/common.sh
mount_basics
echo "LAB-INIT uptime $(cut -d' ' -f1 /proc/uptime) s"
load_modules
. /lab/lib.sh

if [ ! -c /dev/kvm ]; then
    ( lab_fail "/dev/kvm is missing after loading $(tr '\n' ' ' < /modules/load-order)" )
else
    run_scenario LAB-RESULT /lab/scenario.sh "$(cat /lab/scenario-name)"
fi
sync
poweroff -f
