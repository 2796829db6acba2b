# Guest side of nested-save-restore (the middle level: a managed VM with extensions exposed that is saved and
# restored while its own VM runs). It starts an L2 (hnest run, guest scenario "manage": it ticks once a second, its
# console echoed with the prefix "inner| ") and ticks itself ("HNEST-GUEST-TICK <n>"), until the host turns it off.
grep -qw svm /proc/cpuinfo || guest_fail "no svm flag in /proc/cpuinfo: the VM does not expose virtualization extensions"
[ -c /dev/kvm ] || guest_fail "/dev/kvm is missing after loading kvm_amd"
tsc_khz=$(awk -F: '/^cpu MHz/ { printf "%d", $2 * 1000; exit }' /proc/cpuinfo)
append="console=ttyS0 panic=-1 quiet${tsc_khz:+ tsc_early_khz=$tsc_khz}"
/lab/hnest run --kernel /lab/vmlinuz --initrd /lab/guest-initrd.img --append "$append hnest.scenario=manage" \
    --memory 192M --cpus 1 2>&1 | sed 's/^/inner| /' &
guest_hold 900
