# bench-save: the lab half of `bench/run save` (not part of the test suite). The same guest (guest scenario
# "manage": it ticks once a second) of 256 MiB and of 1 GiB is saved and restored by hnest (`hnest vm save`,
# `hnest vm start` of the Saved VM) and by QEMU (HMP `migrate "exec:cat > FILE"` then `quit`; a new QEMU with
# `-incoming "exec:cat FILE"`), alternately, HNEST_BENCH_SAVES times each (default 3), and prints per VMM and size:
#   BENCH <vmm> mib=<size> save_ms=<median: save command to the VMM gone, file written> restore_ms=<median: start
#   command to the guest running again> file_kib=<disk the saved memory takes> vmm_restore_ms=<hnest: the worker's own
#   time from reading the state file to the VM built (its log); QEMU: the same as restore_ms>
# Both run the guest on the lab host's KVM, 1 vCPU. QEMU's time includes its own start-up, as hnest's includes the
# worker's; both file systems are the lab host's tmpfs.
# lab-needs: hnest qemu
# lab-timeout: 1500

saves=${HNEST_BENCH_SAVES:-3}
append="$GUEST_APPEND_BASE hnest.scenario=manage"

now_ms() { awk '{ printf "%d", $1 * 1000 }' /proc/uptime; }
median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
kib() { du -k "$1" | cut -f1; }

# hnest <mib> <round>: one save and one restore of a managed VM; appends "save restore file vmm" to /tmp/bench.hnest.<mib>.
hnest_round() {
    name="b$1x$2"
    vm new "$name" --memory "$1M" --cpus 1 >/dev/null || lab_fail "vm new failed"
    vm set-boot "$name" --kernel "$GUEST_KERNEL" --initrd "$GUEST_INITRD" --append "$append" >/dev/null || lab_fail "vm set-boot failed"
    vm start "$name" >/dev/null || lab_fail "vm start failed"
    folder=$(dirname "$(grep -l "\"$name\"" "$HYPERNEST_HOME"/vms/*/config.json)")
    wait_for 200 "$name does not tick" grep -q HNEST-GUEST-TICK "$folder/console.log"
    start=$(now_ms); "$HNEST" vm save "$name" >/dev/null || { dump_console; lab_fail "vm save $name failed"; }; saved=$(now_ms)
    file=$(kib "$folder/saved.memory")
    start2=$(now_ms); "$HNEST" vm start "$name" >/dev/null || { dump_console; lab_fail "vm start $name (restore) failed"; }; restored=$(now_ms)
    vmm=$(grep -o 'restored from its saved state of .* in [0-9]* ms' "$folder/worker.log" | tail -n 1 | grep -o '[0-9]* ms' | cut -d' ' -f1)
    echo "$((saved - start)) $((restored - start2)) $file $vmm" >> "/tmp/bench.hnest.$1"
    echo "lab: bench hnest $1 MiB: save $((saved - start)) ms, restore $((restored - start2)) ms (worker: $vmm ms), memory file $file KiB"
    "$HNEST" vm remove "$name" --force >/dev/null
}

# qemu <mib> <round>: the same with QEMU's migration to a file and -incoming.
qemu_round() {
    rm -f /tmp/q.mig /tmp/mon.in /tmp/mon.out /tmp/mon.log /tmp/q.out
    mkfifo /tmp/mon.in /tmp/mon.out
    common="-accel kvm -M microvm -cpu host -m $1 -smp 1 -nodefaults -no-user-config -nographic -no-reboot -L $QEMU_DATA"
    # shellcheck disable=SC2086
    "$QEMU" $common -serial file:/tmp/q.out -monitor pipe:/tmp/mon -kernel "$GUEST_KERNEL" -initrd "$GUEST_INITRD" -append "$append" &
    pid=$!
    exec 7>/tmp/mon.in
    cat /tmp/mon.out > /tmp/mon.log &
    wait_for 200 "QEMU's guest does not tick" grep -q HNEST-GUEST-TICK /tmp/q.out
    start=$(now_ms)
    # HMP's migrate waits for the end of the migration; quit then ends QEMU.
    printf 'migrate "exec:cat > /tmp/q.mig"\nquit\n' >&7
    wait "$pid"
    saved=$(now_ms)
    exec 7>&-
    file=$(kib /tmp/q.mig)
    rm -f /tmp/mon.log
    start2=$(now_ms)
    # shellcheck disable=SC2086
    "$QEMU" $common -serial file:/tmp/q.out -monitor pipe:/tmp/mon -kernel "$GUEST_KERNEL" -initrd "$GUEST_INITRD" -append "$append" \
        -incoming "exec:cat /tmp/q.mig" &
    pid=$!
    exec 7>/tmp/mon.in
    cat /tmp/mon.out > /tmp/mon.log &
    until grep -q "VM status: running" /tmp/mon.log 2>/dev/null; do
        printf 'info status\n' >&7
        usleep 5000
        [ $(($(now_ms) - start2)) -lt 120000 ] || lab_fail "QEMU's incoming migration did not run the guest within 120 s"
    done
    restored=$(now_ms)
    printf 'quit\n' >&7
    wait "$pid"
    exec 7>&-
    echo "$((saved - start)) $((restored - start2)) $file $((restored - start2))" >> "/tmp/bench.qemu.$1"
    echo "lab: bench qemu $1 MiB: save $((saved - start)) ms, restore $((restored - start2)) ms, migration file $file KiB"
}

for mib in 256 1024; do
    rm -f "/tmp/bench.hnest.$mib" "/tmp/bench.qemu.$mib"
    i=0
    while [ "$i" -lt "$saves" ]; do
        hnest_round "$mib" "$i"
        qemu_round "$mib" "$i"
        i=$((i + 1))
    done
done

for mib in 256 1024; do
    for vmm in hnest qemu; do
        f="/tmp/bench.$vmm.$mib"
        echo "BENCH $vmm mib=$mib save_ms=$(cut -d' ' -f1 "$f" | median) restore_ms=$(cut -d' ' -f2 "$f" | median) file_kib=$(cut -d' ' -f3 "$f" | median) vmm_restore_ms=$(cut -d' ' -f4 "$f" | median) runs=$saves"
    done
done
lab_pass
