# Guest side of nested-memory (the middle level: a managed VM with extensions exposed, resized while it runs). It
# reports its own memory every 2 s (report_memory), runs an L2 that ticks once a second (hnest run, guest scenario
# "memory", its console echoed with the prefix "inner| "), and once its MemTotal has grown by hnest.l1_grow_mib and
# then fallen below its boot total by hnest.l1_shrink_mib (the host resizing it up and down), boots a second L2 to its
# end ("second| "): L1's KVM still makes new VMs after the resizes. Then it stays up until the host turns it off.
grep -qw svm /proc/cpuinfo || guest_fail "no svm flag in /proc/cpuinfo: the VM does not expose virtualization extensions"
[ -c /dev/kvm ] || guest_fail "/dev/kvm is missing after loading kvm_amd"
for driver in virtio_balloon virtio_mem; do
    [ -n "$(ls /sys/bus/virtio/drivers/$driver 2>/dev/null | grep virtio)" ] || guest_fail "the $driver driver did not bind"
done
boot_total=$(meminfo_kib MemTotal)
report_memory &

tsc_khz=$(awk -F: '/^cpu MHz/ { printf "%d", $2 * 1000; exit }' /proc/cpuinfo)
append="console=ttyS0 panic=-1 quiet${tsc_khz:+ tsc_early_khz=$tsc_khz}"
/lab/hnest run --kernel /lab/vmlinuz --initrd /lab/guest-initrd.img --append "$append hnest.scenario=memory" \
    --memory 192M --cpus 1 2>&1 | sed 's/^/inner| /' &

# until_total <seconds> <test> <kib> <what>: waits until MemTotal <test> <kib>.
until_total() {
    i=0
    until [ "$(meminfo_kib MemTotal)" "$2" "$3" ]; do
        i=$((i + 1))
        [ $i -le "$1" ] || guest_fail "MemTotal $(meminfo_kib MemTotal) kB did not $4 within $1 s"
        sleep 1
    done
}
until_total 600 -ge $((boot_total + $(cmdline_value hnest.l1_grow_mib) * 1024)) "grow"
echo "HNEST-GUEST-L1-GREW MemTotal $(meminfo_kib MemTotal) kB (booted with $boot_total kB)"
until_total 600 -le $((boot_total - $(cmdline_value hnest.l1_shrink_mib) * 1024)) "fall below the boot total"
echo "HNEST-GUEST-L1-SHRANK MemTotal $(meminfo_kib MemTotal) kB"

boot_inner_guest "$append"
guest_hold 900
