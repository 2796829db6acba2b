# memory-resize: a static VM resized while it runs, as Hyper-V does since 2016 (Set-VMMemory -StartupBytes on a
# running VM without Dynamic Memory). Up: HyperNest plugs virtio-mem blocks above the boot memory and the guest's
# MemTotal grows by them; down below the boot memory: the balloon (without DEFLATE_ON_OOM for a static VM) takes
# pages and MemTotal falls by them. A size beyond the room set aside at start is refused in one line.
# lab-needs: hnest
# lab-timeout: 600

total_at_least() { [ "$(guest_mem_total)" -ge "$1" ]; }
total_at_most() { [ "$(guest_mem_total)" -le "$1" ]; }
assigned_is() { [ "$(vm_assigned mr)" = "$1" ]; }

vm new mr --memory 256M --cpus 1 >/dev/null || lab_fail "vm new failed"
vm set-boot mr --kernel "$GUEST_KERNEL" --initrd "$GUEST_INITRD" --append "$GUEST_APPEND_BASE hnest.scenario=memory" >/dev/null \
    || lab_fail "vm set-boot failed"
vm start mr || lab_fail "vm start failed"
wait_for 200 "the guest reported no memory" console_has "HNEST-GUEST-MEM total_kib"
console_has "HNEST-GUEST-DRIVER virtio_mem bound" || lab_fail "the guest's virtio_mem driver did not bind"
console_has "HNEST-GUEST-DRIVER virtio_balloon bound" || lab_fail "the guest's virtio_balloon driver did not bind"
boot_total=$(guest_mem_total)
echo "lab: booted with 256 MB: MemTotal $boot_total kB, MemoryAssigned $(vm_assigned mr) MB"

vm set-memory mr --startup 512M >/dev/null || lab_fail "vm set-memory --startup 512M on the running VM failed"
wait_for 120 "MemTotal did not grow by 200 MiB after the resize to 512 MB" total_at_least $((boot_total + 200 * 1024))
echo "lab: resized to 512 MB: MemTotal $(guest_mem_total) kB, MemoryAssigned $(vm_assigned mr) MB"
[ "$(vm_assigned mr)" = 512 ] || lab_fail "MemoryAssigned is $(vm_assigned mr) MB after the resize to 512 MB"

# Down by 32 MB below boot: the balloon takes 4 KiB pages one madvise each, slow under the lab's TCG (~0.5 MB/s).
vm set-memory mr --startup 224M >/dev/null || lab_fail "vm set-memory --startup 224M on the running VM failed"
wait_for 240 "MemTotal did not fall below the boot size after the resize to 224 MB" total_at_most $((boot_total - 24 * 1024))
echo "lab: resized to 224 MB: MemTotal $(guest_mem_total) kB, MemoryAssigned $(vm_assigned mr) MB"
wait_for 120 "MemoryAssigned did not reach 224 MB" assigned_is 224

if "$HNEST" vm set-memory mr --startup 64G > /tmp/too-big.out 2>&1; then
    lab_fail "a resize to 64 GB (beyond the room set aside at start) was accepted"
fi
echo "lab: 64 GB refused: $(cat /tmp/too-big.out)"
grep -q "can grow to" /tmp/too-big.out || lab_fail "the refusal does not say how far the VM can grow: $(cat /tmp/too-big.out)"
[ "$(wc -l < /tmp/too-big.out)" = 1 ] || lab_fail "the refusal is not one line"
vm show mr | grep -q "^MemoryStartup(M) *: 224" || lab_fail "the refused resize changed the stored startup memory: $(vm show mr | grep MemoryStartup)"

vm stop mr --turn-off >/dev/null || lab_fail "vm stop --turn-off failed"
lab_pass
