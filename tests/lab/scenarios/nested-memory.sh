# nested-memory: a VM that hosts VMs, resized while its own VM runs — what Hyper-V refuses. L1 (a VM from the store,
# extensions exposed, 640 MB static) runs an L2 that ticks once a second (guest/nested-memory.sh). HyperNest resizes
# L1 up to 896 MB (virtio-mem blocks), back to 640 MB (the blocks unplugged) and down to 576 MB (the balloon below
# boot memory): L1's MemTotal follows each
# time, L2 keeps ticking through both, and afterwards L1 boots a second L2 to its end (its KVM still makes VMs).
# lab-needs: hnest nested-guest
# lab-timeout: 900

l1_total() { console_log | tr -d '\r' | grep '^HNEST-GUEST-MEM' | tail -n 1 | sed 's/.*total_kib=\([0-9]*\).*/\1/'; }
l2_ticks() { console_log | tr -d '\r' | grep '^inner| HNEST-GUEST-TICK' | tail -n 1 | awk '{ print $NF }'; }
ticks_past() { [ "$(l2_ticks)" -ge "$1" ] 2>/dev/null; }
l1_total_at_least() { [ "$(l1_total)" -ge "$1" ]; }
l1_total_at_most() { [ "$(l1_total)" -le "$1" ]; }
# L2 ticks on through what just happened: its count moves 3 past where it is now.
l2_keeps_ticking() {
    now=$(l2_ticks)
    wait_for 60 "L2 stopped ticking $1 (last tick $now)" ticks_past $((now + 3))
}

vm new L1 --memory 640M --cpus 1 >/dev/null || lab_fail "vm new failed"
vm set-processor L1 --expose-virtualization-extensions true >/dev/null || lab_fail "vm set-processor failed"
vm set-boot L1 --kernel "$GUEST_KERNEL" --initrd /lab/nested-guest-initrd.img \
    --append "$GUEST_APPEND_BASE hnest.scenario=nested-memory kvm_amd.nested=1 hnest.l1_grow_mib=200 hnest.l1_shrink_mib=40" \
    >/dev/null || lab_fail "vm set-boot failed"
vm start L1 || lab_fail "vm start failed"
# Every 10 s: where L1's memory and L2's ticks are (a stall shows where it stalled).
while sleep 10; do echo "lab: [$(uptime_s) s] L1 MemTotal $(l1_total) kB, L2 tick $(l2_ticks)"; done &
wait_for 400 "L2 did not start ticking inside L1" ticks_past 3
boot_total=$(l1_total)
echo "lab: L2 ticks inside L1; L1 MemTotal $boot_total kB, MemoryAssigned $(vm_assigned L1) MB"

vm set-memory L1 --startup 896M >/dev/null || lab_fail "vm set-memory --startup 896M on the running nested VM failed"
wait_for 180 "L1's MemTotal did not grow by 200 MiB after the resize to 896 MB" l1_total_at_least $((boot_total + 200 * 1024))
echo "lab: L1 resized to 896 MB: MemTotal $(l1_total) kB, MemoryAssigned $(vm_assigned L1) MB"
l2_keeps_ticking "after L1 grew"

vm set-memory L1 --startup 640M >/dev/null || lab_fail "vm set-memory --startup 640M on the running nested VM failed"
wait_for 300 "L1's MemTotal did not fall back to its boot total after the resize to 640 MB" l1_total_at_most $((boot_total + 16 * 1024))
echo "lab: L1 resized back to 640 MB: MemTotal $(l1_total) kB, MemoryAssigned $(vm_assigned L1) MB"
l2_keeps_ticking "after L1 gave its blocks back"

vm set-memory L1 --startup 576M >/dev/null || lab_fail "vm set-memory --startup 576M on the running nested VM failed"
wait_for 300 "L1's MemTotal did not fall 40 MiB below its boot total after the resize to 576 MB" l1_total_at_most $((boot_total - 40 * 1024))
echo "lab: L1 resized to 576 MB: MemTotal $(l1_total) kB, MemoryAssigned $(vm_assigned L1) MB"
l2_keeps_ticking "after L1 shrank"

wait_for 300 "L1 did not finish booting a second L2 after the resizes" console_has HNEST-GUEST-L2B-
console_has HNEST-GUEST-L2B-OK || { dump_console; lab_fail "L1 could not boot a second L2 after the resizes: $(console_log | grep -a HNEST-GUEST-L2B- | tr -d '\r')"; }
echo "lab: L1 booted a second L2 after the resizes"
l2_keeps_ticking "while the second L2 ran"
vm stop L1 --turn-off >/dev/null || lab_fail "vm stop --turn-off failed"
lab_pass
