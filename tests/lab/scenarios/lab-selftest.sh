# lab-selftest: proves the rig itself (no hnest): the lab host booted, kvm_amd is loaded with nested SVM, and
# /dev/kvm exists. Run by the lab host's /init with the functions of tests/lab/init/{common,lab-lib}.sh.
# lab-timeout: 60

grep -qw svm /proc/cpuinfo || lab_fail "no svm flag in /proc/cpuinfo (QEMU must run with -cpu ...,+svm)"
[ -d /sys/module/kvm_amd ] || lab_fail "kvm_amd is not loaded"
nested=$(cat /sys/module/kvm_amd/parameters/nested)
case "$nested" in
    1 | Y) ;;
    *) lab_fail "kvm_amd nested=$nested, expected 1" ;;
esac
[ -c /dev/kvm ] || lab_fail "/dev/kvm is not a character device"
echo "lab: kernel $(uname -r), $(grep -c ^processor /proc/cpuinfo) cpus, kvm_amd nested=$nested"
lab_pass
