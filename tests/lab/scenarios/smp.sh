# smp: hnest boots the guest with 2 vCPUs; the guest sees both (/proc/cpuinfo, /sys/devices/system/cpu/online)
# and powers off; hnest must exit 0.
# lab-needs: hnest
# lab-timeout: 300

CPUS=2
hnest_guest smp "hnest.cpus=$CPUS" --memory 256M --cpus "$CPUS"
expect_hnest_exit 0 "2-vCPU boot"
expect_guest_line HNEST-GUEST-SMP-OK "2-vCPU boot"
expect_guest_pass "2-vCPU boot"
lab_pass
