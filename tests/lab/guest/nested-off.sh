# Guest side of the nested-off scenario: this VM was started without --nested, so it must see no svm flag, kvm_amd
# must not load, and its own `hnest nested status` must say NO for the right reason (a VM without nested support).
grep -qw svm /proc/cpuinfo && guest_fail "the svm flag is in /proc/cpuinfo although hnest ran without --nested"
grep -qw hypervisor /proc/cpuinfo || guest_fail "no hypervisor flag in /proc/cpuinfo"
[ -c /dev/kvm ] && guest_fail "/dev/kvm exists although the guest has no SVM"
[ -d /sys/module/kvm_amd ] && guest_fail "kvm_amd loaded although the guest has no SVM"
echo "guest: no svm flag, kvm_amd not loaded, no /dev/kvm"

/lab/hnest nested status > /tmp/status.out 2>&1
cat /tmp/status.out
grep -q "^Host: NO" /tmp/status.out || guest_fail "hnest nested status did not say NO"
grep -q "this host is itself a VM (hypervisor flag) that was not given nested virtualization: its CPU shows no vmx/svm flag" /tmp/status.out ||
    guest_fail "hnest nested status does not name the missing svm flag of a VM without nested support"
/lab/hnest nested status --json | grep -q '"supported": false' || guest_fail "hnest nested status --json does not say supported=false"

/lab/hnest run --nested > /tmp/run.out 2>&1
rc=$?
cat /tmp/run.out
[ "$rc" = 2 ] || guest_fail "hnest run --nested exited with $rc, expected 2"
# No KVM here and no QEMU either: auto has nowhere to run the VM, and says both in one line.
[ "$(wc -l < /tmp/run.out)" = 1 ] || guest_fail "hnest run --nested printed more than one line"
grep -q "/dev/kvm does not exist: this host has no KVM.*; and the emulated host cannot start: .*apt-get install qemu-system-x86" /tmp/run.out ||
    guest_fail "hnest run --nested did not say that neither KVM nor the emulated host can run the VM"
echo "HNEST-GUEST-NESTED-OFF-OK"
guest_pass
