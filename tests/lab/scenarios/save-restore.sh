# save-restore: Save-VM and Start-VM of a Linux guest mid-work (`hnest vm save`, `hnest vm start`). The guest ticks
# once a second and has written 4 MiB to its RAM and its disk; the VM is saved (state and memory files, worker
# gone, Saved), then started: the guest continues its count from where it was, without booting again, ticks at its
# pace, and reads back both copies of its data intact. A damaged state file is refused in one line and the VM stays
# Saved; Remove-VMSavedState leaves it Off.
# lab-needs: hnest
# lab-timeout: 600

IMAGE=/tmp/sr.img
last_tick() { console_log | grep -o 'HNEST-GUEST-TICK [0-9]*' | tail -n 1 | cut -d' ' -f2; }
ticks_past() { [ "$(last_tick)" -ge "$1" ]; }
since_save() { console_log | sed -n "/HNEST-GUEST-TICK $saved_at /,\$p"; }
two_checks_since_save() { [ "$(since_save | grep -c HNEST-GUEST-CHECK)" -ge 2 ]; }
folder() { dirname "$(ls "$HYPERNEST_HOME"/vms/*/config.json)"; }

dd if=/dev/zero of="$IMAGE" bs=1M count=16 2>/dev/null || lab_fail "cannot create $IMAGE"
vm new sr --memory 256M --cpus 2 >/dev/null || lab_fail "vm new failed"
vm disk add sr "$IMAGE" >/dev/null || lab_fail "vm disk add failed"
vm set-boot sr --kernel "$GUEST_KERNEL" --initrd "$GUEST_INITRD" --append "$GUEST_APPEND_BASE hnest.scenario=save-restore" >/dev/null \
    || lab_fail "vm set-boot failed"
vm start sr || lab_fail "vm start failed"
wait_for 200 "the guest wrote no data" console_has "HNEST-GUEST-WROTE"
wrote=$(console_log | grep -o 'HNEST-GUEST-WROTE [0-9a-f]*' | cut -d' ' -f2)
wait_for 60 "the guest does not tick past 6" ticks_past 6

vm save sr || { dump_console; lab_fail "vm save failed"; }
saved_at=$(last_tick)
[ "$(vm_state sr)" = Saved ] || lab_fail "after vm save the VM is '$(vm_state sr)', not Saved"
ls -ls "$(folder)"/saved.* || lab_fail "no saved-state files"
echo "lab: saved at tick $saved_at; $(grep -h 'saved:' "$(folder)"/worker.log | tail -n 1)"
sleep 3
[ "$(last_tick)" = "$saved_at" ] || lab_fail "the guest ticked after it was saved ($saved_at, then $(last_tick))"
[ "$(dd if="$IMAGE" bs=1M count=4 2>/dev/null | md5sum | cut -c1-32)" = "$wrote" ] || lab_fail "the disk image does not hold what the guest wrote"

# A damaged state file: refused in one line, the VM stays Saved, the file untouched.
cp "$(folder)/saved.state" /tmp/good.state
printf 'X' | dd of="$(folder)/saved.state" bs=1 seek=100 conv=notrunc 2>/dev/null
if "$HNEST" vm start sr > /tmp/damaged.out 2>&1; then lab_fail "a damaged saved state was started"; fi
echo "lab: damaged state refused: $(cat /tmp/damaged.out)"
grep -q "corrupt" /tmp/damaged.out || lab_fail "the refusal does not say the state is corrupt: $(cat /tmp/damaged.out)"
[ "$(wc -l < /tmp/damaged.out)" = 1 ] || lab_fail "the refusal is not one line"
[ "$(vm_state sr)" = Saved ] || lab_fail "after the refused start the VM is '$(vm_state sr)', not Saved"
cp /tmp/good.state "$(folder)/saved.state"

vm start sr || { dump_console; lab_fail "vm start of the saved VM failed"; }
[ "$(vm_state sr)" = Running ] || lab_fail "after vm start the VM is '$(vm_state sr)', not Running"
echo "lab: $(grep -h 'restored from' "$(folder)"/worker.log | tail -n 1)"
[ ! -e "$(folder)/saved.state" ] || lab_fail "the saved state is still there after the restore"
wait_for 60 "the restored guest does not tick" ticks_past $((saved_at + 1))
first_after=$(console_log | grep -o 'HNEST-GUEST-TICK [0-9]*' | cut -d' ' -f2 | awk -v s="$saved_at" '$1 > s' | head -n 1)
[ "$first_after" = $((saved_at + 1)) ] || lab_fail "the restored guest's first tick is $first_after, not $((saved_at + 1))"
[ "$(console_log | grep -c 'HNEST-GUEST-TICK 1 ')" = 1 ] || lab_fail "the guest started again (a second tick 1)"
[ "$(console_log | grep -c 'HNEST-GUEST-WROTE')" = 1 ] || lab_fail "the guest wrote its data again (it started over)"
start=$(uptime_s); from=$(last_tick)
wait_for 60 "the restored guest does not tick on" ticks_past $((from + 10))
elapsed=$(( $(uptime_s) - start ))
echo "lab: 10 ticks after the restore took ${elapsed} s"
[ "$elapsed" -ge 7 ] || lab_fail "the restored guest ticked 10 times in ${elapsed} s: its timers are off"
wait_for 30 "fewer than two checks since the save" two_checks_since_save
since_save | grep HNEST-GUEST-CHECK | head -n 3
bad=$(since_save | grep HNEST-GUEST-CHECK | grep -v "ram=$wrote disk=$wrote" | head -n 1)
[ -z "$bad" ] || lab_fail "the restored guest's data changed: $bad (wrote $wrote)"

# Saved again, then the saved state discarded: Off, and the files are gone.
vm save sr || { dump_console; lab_fail "the second vm save failed"; }
vm remove-saved-state sr || lab_fail "vm remove-saved-state failed"
[ "$(vm_state sr)" = Off ] || lab_fail "after remove-saved-state the VM is '$(vm_state sr)', not Off"
[ ! -e "$(folder)/saved.memory" ] || lab_fail "the saved memory file is still there"
lab_pass
