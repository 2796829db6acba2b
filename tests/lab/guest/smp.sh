# Guest side of the smp scenario: every vCPU hnest was given is online. hnest.cpus=<n> says how many (default 2).
expected=$(cmdline_value hnest.cpus || echo 2)
processors=$(grep -c ^processor /proc/cpuinfo)
online=$(cat /sys/devices/system/cpu/online)
echo "guest: $processors processors, online $online"
[ "$processors" = "$expected" ] || guest_fail "/proc/cpuinfo lists $processors processors, expected $expected"
[ "$online" = "0-$((expected - 1))" ] || guest_fail "/sys/devices/system/cpu/online is $online, expected 0-$((expected - 1))"
echo "HNEST-GUEST-SMP-OK cpus=$processors"
guest_pass
