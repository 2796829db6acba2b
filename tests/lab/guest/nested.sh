# Guest side of the nested scenario (the middle level): this VM was given SVM (hnest run --nested), so kvm_amd has
# loaded and /dev/kvm exists; it runs /lab/hnest to boot the ordinary guest with hnest.scenario=boot. The inner
# console is echoed with the prefix "inner| " (so its verdict line is not taken for this guest's).
grep -qw svm /proc/cpuinfo || guest_fail "no svm flag in /proc/cpuinfo: hnest run --nested did not expose SVM"
[ -d /sys/module/kvm_amd ] || guest_fail "kvm_amd did not load"
[ -c /dev/kvm ] || guest_fail "/dev/kvm is missing after loading kvm_amd"
echo "guest: svm flag present, kvm_amd nested=$(cat /sys/module/kvm_amd/parameters/nested), /dev/kvm present"
/lab/hnest nested status | sed 's/^/status| /'

tsc_khz=$(awk -F: '/^cpu MHz/ { printf "%d", $2 * 1000; exit }' /proc/cpuinfo)
append="console=ttyS0 panic=-1 quiet${tsc_khz:+ tsc_early_khz=$tsc_khz} hnest.scenario=boot"
inner_timeout=$(cmdline_value hnest.inner_timeout || echo 600)
echo "guest: /lab/hnest run --kernel /lab/vmlinuz --initrd /lab/guest-initrd.img --append \"$append\" --memory 256M --cpus 1"
{
    timeout "$inner_timeout" /lab/hnest run --kernel /lab/vmlinuz --initrd /lab/guest-initrd.img --append "$append" --memory 256M --cpus 1 2>&1
    echo $? > /tmp/inner.rc
} | tee /tmp/inner.out | sed 's/^/inner| /'
rc=$(cat /tmp/inner.rc)
echo "guest: inner hnest exited with $rc"
[ "$rc" = 0 ] || guest_fail "the inner hnest exited with $rc"
grep -q "HNEST-GUEST-BOOT-OK" /tmp/inner.out || guest_fail "the inner guest printed no HNEST-GUEST-BOOT-OK"
echo "HNEST-GUEST-NESTED-OK"
guest_pass
