# checkpoint: Standard checkpoints of a Linux guest (`hnest vm checkpoint new|list|restore|remove`, Checkpoint-VM,
# Restore-VMSnapshot, Remove-VMSnapshot). The guest writes data A to its raw disk; it is checkpointed while running
# (state, memory and the disk frozen behind a qcow2 overlay); it writes B over A and is turned off. Restoring the
# checkpoint leaves it Saved; started, it continues its count from the checkpoint without booting and reads A (B is
# gone). A second checkpoint is taken and removed while it runs (its worker merges the disk's overlay while the VM is
# paused), and the guest goes on reading what it wrote. Turned off, the first checkpoint is removed: the overlay is
# merged into the raw disk, which the VM uses again and which holds what the overlay held (qemu-img compare); every
# image hnest wrote passes qemu-img check.
# lab-needs: hnest qemu-img
# lab-timeout: 900

IMAGE=/tmp/cp.img
QEMU_IMG=/lab/qemu-img
last_tick() { console_log | grep -o 'HNEST-GUEST-TICK [0-9]*' | tail -n 1 | cut -d' ' -f2; }
ticks_past() { [ "$(last_tick)" -ge "$1" ]; }
md5_of() { console_log | grep -o "HNEST-GUEST-WROTE-$1 [0-9a-f]*" | head -n 1 | cut -d' ' -f2; }
folder() { dirname "$(ls "$HYPERNEST_HOME"/vms/*/config.json)"; }
vm_disk() { "$HNEST" vm disk list cp | awk 'NR == 2 { print $1 }'; }
lines_now() { console_log | wc -l; }
since() { console_log | tail -n +"$(($1 + 1))"; }
checks_since() { [ "$(since "$1" | grep -c HNEST-GUEST-CHECK)" -ge "$2" ]; }
check_image() {
    "$QEMU_IMG" check "$1" > /tmp/check.out 2>&1 || { cat /tmp/check.out; lab_fail "qemu-img check $1 failed"; }
    echo "lab: qemu-img check $(basename "$1"): $(grep -c 'No errors' /tmp/check.out) clean"
}

dd if=/dev/zero of="$IMAGE" bs=1M count=16 2>/dev/null || lab_fail "cannot create $IMAGE"
vm new cp --memory 256M >/dev/null || lab_fail "vm new failed"
vm disk add cp "$IMAGE" >/dev/null || lab_fail "vm disk add failed"
vm set-boot cp --kernel "$GUEST_KERNEL" --initrd "$GUEST_INITRD" --append "$GUEST_APPEND_BASE hnest.scenario=checkpoint" >/dev/null \
    || lab_fail "vm set-boot failed"
vm start cp || lab_fail "vm start failed"
wait_for 200 "the guest wrote no data A" console_has "HNEST-GUEST-WROTE-A"
A=$(md5_of A)
wait_for 60 "the guest does not tick past 4" ticks_past 4

# 1. A checkpoint of the running VM.
vm checkpoint new cp first || { dump_console; lab_fail "vm checkpoint new failed"; }
at=$(last_tick)
echo "lab: checkpoint taken at tick $at; $(grep -h 'checkpoint:' "$(folder)"/worker.log | tail -n 1)"
[ "$(vm_state cp)" = Running ] || lab_fail "after the checkpoint the VM is '$(vm_state cp)', not Running"
"$HNEST" vm checkpoint list cp
"$HNEST" vm checkpoint list cp | grep -q "first  *Standard" || lab_fail "vm checkpoint list does not show 'first' as Standard"
overlay=$(vm_disk)
case "$overlay" in *.qcow2) ;; *) lab_fail "the VM's disk is '$overlay', not a qcow2 overlay" ;; esac
[ "$at" -lt 14 ] || lab_fail "the checkpoint came too late (tick $at): the guest writes B at 15"

# 2. The guest writes B over A; the frozen raw disk keeps A.
wait_for 60 "the guest wrote no data B" console_has "HNEST-GUEST-WROTE-B"
B=$(md5_of B)
[ "$(dd if="$IMAGE" bs=1M count=4 2>/dev/null | md5sum | cut -c1-32)" = "$A" ] || lab_fail "the frozen disk does not hold A any more"
vm stop cp --turn-off || lab_fail "vm stop --turn-off failed"

# 3. Restore: Saved, on a new overlay; the one B went to is gone.
vm checkpoint restore cp first || { dump_console; lab_fail "vm checkpoint restore failed"; }
[ "$(vm_state cp)" = Saved ] || lab_fail "after the restore the VM is '$(vm_state cp)', not Saved"
[ ! -e "$overlay" ] || lab_fail "the overlay the guest wrote B to is still there"
overlay=$(vm_disk)
check_image "$overlay"
before=$(lines_now)
vm start cp || { dump_console; lab_fail "vm start from the checkpoint failed"; }
wait_for 60 "the restored guest does not check its disk" checks_since "$before" 2
first=$(since "$before" | grep -o 'HNEST-GUEST-TICK [0-9]*' | head -n 1 | cut -d' ' -f2)
echo "lab: the restored guest's first tick is $first (checkpoint at $at)"
[ "$first" -gt 4 ] && [ "$first" -le $((at + 1)) ] || lab_fail "the restored guest's first tick is $first: it did not continue from tick $at"
[ "$(console_log | grep -c 'HNEST-GUEST-WROTE-A')" = 1 ] || lab_fail "the guest booted again (it wrote A twice)"
read_back=$(since "$before" | grep -o 'HNEST-GUEST-CHECK [0-9]* disk=[0-9a-f]*' | head -n 1 | sed 's/.*disk=//')
[ "$read_back" = "$A" ] || lab_fail "the restored guest reads $read_back, not A ($A; B was $B)"
echo "lab: the restored guest reads A back"

# 4. A second checkpoint, removed while the VM runs: the worker merges the overlay into the disk chain.
vm checkpoint new cp second || { dump_console; lab_fail "the second checkpoint failed"; }
vm checkpoint remove cp second || { dump_console; lab_fail "removing the second checkpoint while running failed"; }
echo "lab: $(grep -h 'merged into' "$(folder)"/worker.log | tail -n 1)"
[ "$(vm_disk)" = "$overlay" ] || lab_fail "after the merge the VM's disk is '$(vm_disk)', not '$overlay'"
before=$(lines_now)
wait_for 60 "the guest does not check its disk after the merge" checks_since "$before" 2
console_log | grep -o 'HNEST-GUEST-WROTE-[AB] [0-9a-f]*' | cut -d' ' -f2 > /tmp/written
bad=$(since "$before" | grep -o 'HNEST-GUEST-CHECK [0-9]* disk=[0-9a-f]*' | sed 's/.*disk=//' | grep -v -x -F -f /tmp/written | head -n 1)
[ -z "$bad" ] || lab_fail "after the merge the guest reads $bad, which it never wrote"
"$HNEST" vm checkpoint list cp | grep -q second && lab_fail "the removed checkpoint is still listed"
vm stop cp --turn-off || lab_fail "vm stop --turn-off failed"
check_image "$overlay"

# 5. The first checkpoint removed while off: merged into the raw disk, the VM back on it, content unchanged.
"$QEMU_IMG" convert -O raw "$overlay" /tmp/before.raw || lab_fail "qemu-img convert failed"
vm checkpoint remove cp first || lab_fail "vm checkpoint remove failed"
[ "$(vm_disk)" = "$IMAGE" ] || lab_fail "after the removal the VM's disk is '$(vm_disk)', not $IMAGE"
[ ! -e "$overlay" ] || lab_fail "the merged overlay is still there"
"$QEMU_IMG" compare -f raw -F raw /tmp/before.raw "$IMAGE" || lab_fail "the merged disk differs from what the overlay held"
[ -z "$(ls "$(folder)"/checkpoints/disks/ 2>/dev/null)" ] || lab_fail "overlays are left: $(ls "$(folder)"/checkpoints/disks/)"
[ -z "$("$HNEST" vm checkpoint list cp | tail -n +2)" ] || lab_fail "checkpoints are left"
echo "lab: the checkpoint was merged into $IMAGE (qemu-img compare: identical)"
lab_pass
