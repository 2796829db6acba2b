# nested-save-restore: Save-VM and Start-VM of a VM whose own VM is running — what Hyper-V refuses for a VM that
# hosts VMs. L1 (a VM from the store, extensions exposed) runs an L2 that ticks once a second and ticks itself; L1 is
# saved while L2 runs (L1's vCPU state includes KVM's nested state: L2's VMCB, and whether L1 was running L2 at that
# instant) and started again: L1 and L2 both continue their counts from where they were, neither boots again, and
# afterwards L1 is saved and restored a second time.
# lab-needs: hnest nested-guest
# lab-timeout: 900

l1_tick() { console_log | tr -d '\r' | grep '^HNEST-GUEST-TICK' | tail -n 1 | awk '{ print $2 }'; }
l2_tick() { console_log | tr -d '\r' | grep '^inner| HNEST-GUEST-TICK' | tail -n 1 | awk '{ print $NF }'; }
l2_past() { [ "$(l2_tick)" -ge "$1" ] 2>/dev/null; }
l1_past() { [ "$(l1_tick)" -ge "$1" ] 2>/dev/null; }
# The first L2 tick printed after L2's count reached $1: continuing means $1 + 1 (or so: L2 may print while saving).
first_l2_after() { console_log | tr -d '\r' | grep '^inner| HNEST-GUEST-TICK' | awk '{ print $NF }' | awk -v s="$1" '$1 > s' | head -n 1; }

save_and_restore() {
    l1=$(l1_tick); l2=$(l2_tick)
    vm save L1 || { dump_console; lab_fail "vm save of L1 (L2 at tick $l2) failed"; }
    [ "$(vm_state L1)" = Saved ] || lab_fail "after vm save L1 is '$(vm_state L1)', not Saved"
    l1=$(l1_tick); l2=$(l2_tick)
    echo "lab: $1: L1 saved at its tick $l1, L2 at its tick $l2; $(grep -h 'saved:' "$HYPERNEST_HOME"/vms/*/worker.log | tail -n 1)"
    vm start L1 || { dump_console; lab_fail "vm start of the saved L1 failed"; }
    echo "lab: $(grep -h 'restored from' "$HYPERNEST_HOME"/vms/*/worker.log | tail -n 1)"
    wait_for 120 "L1 does not tick after the restore ($1)" l1_past $((l1 + 2))
    wait_for 120 "L2 does not tick after L1's restore ($1)" l2_past $((l2 + 3))
    after=$(first_l2_after "$l2")
    [ "$after" -le $((l2 + 1)) ] || lab_fail "L2's first tick after the restore is $after, not $((l2 + 1)) ($1)"
    echo "lab: $1: L1 ticks on ($(l1_tick)), L2 continued at $after and ticks on ($(l2_tick))"
}

vm new L1 --memory 640M --cpus 1 >/dev/null || lab_fail "vm new failed"
vm set-processor L1 --expose-virtualization-extensions true >/dev/null || lab_fail "vm set-processor failed"
vm set-boot L1 --kernel "$GUEST_KERNEL" --initrd /lab/nested-guest-initrd.img \
    --append "$GUEST_APPEND_BASE hnest.scenario=nested-save-restore kvm_amd.nested=1" >/dev/null || lab_fail "vm set-boot failed"
vm start L1 || lab_fail "vm start failed"
wait_for 400 "L2 did not start ticking inside L1" l2_past 3

save_and_restore "first save"
save_and_restore "second save"
[ "$(console_log | tr -d '\r' | grep -c '^inner| HNEST-GUEST-MANAGE-READY')" = 1 ] || lab_fail "L2 booted more than once"
[ "$(console_log | tr -d '\r' | grep -c '^HNEST-GUEST-TICK 1$')" = 1 ] || lab_fail "L1 started its count more than once"
vm stop L1 --turn-off >/dev/null
lab_pass
