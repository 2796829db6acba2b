# bench-boot: the lab half of bench/run (not part of the test suite). Boots the same kernel + guest initramfs
# (guest scenario "boot": init prints its marker and powers off at once) under hnest and under
# qemu-system-x86_64 -accel kvm -M microvm, alternately, BENCH_BOOTS times each, and prints per VMM:
#   BENCH <vmm> boot_ms=<median wall time from exec to exit> overhead_kib=<max over the run of the process's
#   resident memory minus the resident part of its guest-RAM mapping, both from one read of /proc/PID/smaps>
# lab-needs: hnest qemu
# lab-timeout: 900

boots=${HNEST_BENCH_BOOTS:-5}
memory_mib=256
append="$GUEST_APPEND_BASE hnest.scenario=boot"

now_cs() { awk '{ printf "%d", $1 * 100 }' /proc/uptime; }

# Samples a VMM process until it exits: the largest (resident memory - Rss of the guest-RAM mapping) seen, in KiB.
# Both come from one read of /proc/PID/smaps, whose Rss lines count the pages mapped at that moment. Not VmRSS: the
# lab's kernel (6.1) keeps each thread's page counts in the thread and adds them to VmRSS only every 64 faults of
# that thread, so with a VMM's mostly idle threads it reads low (~0.5 MiB below the smaps total for hnest in the
# lab); and two reads would see the guest's RAM at two moments.
sample_overhead() {
    pid=$1
    worst=0
    # A child that exited stays in /proc as a zombie until the shell reaps it at "wait": stop at state Z.
    while [ -d "/proc/$pid" ] && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; do
        # The guest-RAM mapping: the largest resident anonymous mapping between the RAM size and 2 MiB more (the
        # kernel merges neighbouring anonymous mappings into it).
        overhead=$(awk -v size=$((memory_mib * 1024)) '/^[0-9a-f]+-[0-9a-f]+ / { s = 0 } /^Size:/ { s = $2 } /^Rss:/ { total += $2; if (s >= size && s <= size + 2048 && $2 > guest) guest = $2 } END { if (total > 0) print total - guest }' "/proc/$pid/smaps" 2>/dev/null)
        if [ -n "$overhead" ] && [ "$overhead" -gt "$worst" ]; then
            worst=$overhead
        fi
        usleep 200000
    done
    echo "$worst"
}

# run_one <vmm> <command...>: one boot; appends "<centiseconds> <overhead KiB>" to /tmp/bench.<vmm>.
run_one() {
    vmm=$1
    shift
    start=$(now_cs)
    "$@" > "/tmp/bench.$vmm.out" 2>&1 &
    pid=$!
    overhead=$(sample_overhead "$pid")
    wait "$pid"
    rc=$?
    end=$(now_cs)
    grep -q HNEST-GUEST-BOOT-OK "/tmp/bench.$vmm.out" || lab_fail "$vmm: the guest did not reach init (exit $rc): $(tail -n 3 "/tmp/bench.$vmm.out" | tr '\r\n' '  ')"
    echo "$((end - start)) $overhead" >> "/tmp/bench.$vmm"
    echo "lab: bench $vmm boot $((end - start))0 ms, overhead $overhead KiB (exit $rc)"
}

median_field() { awk -v f="$2" '{ print $f }' "$1" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

rm -f /tmp/bench.hnest /tmp/bench.qemu
i=0
while [ "$i" -lt "$boots" ]; do
    run_one hnest "$HNEST" run --kernel "$GUEST_KERNEL" --initrd "$GUEST_INITRD" --append "$append" --memory "${memory_mib}M" --cpus 1
    run_one qemu "$QEMU" -accel kvm -M microvm -cpu host -m "$memory_mib" -smp 1 -nodefaults -no-user-config -nographic \
        -no-reboot -serial stdio -L "$QEMU_DATA" -kernel "$GUEST_KERNEL" -initrd "$GUEST_INITRD" -append "$append"
    i=$((i + 1))
done

for vmm in hnest qemu; do
    echo "BENCH $vmm boot_ms=$(( $(median_field /tmp/bench.$vmm 1) * 10 )) overhead_kib=$(median_field /tmp/bench.$vmm 2) runs=$boots"
done
lab_pass
