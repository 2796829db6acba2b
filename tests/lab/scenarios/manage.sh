# manage: a VM kept in the store and run by a detached worker (`hnest vm`), booting the Debian kernel: it reaches
# Running, the guest's marker appears in its console log, suspend stops the guest's ticks and resume brings them
# back, `vm stop --turn-off` leaves it Off with the reason, and `vm console` replays what the guest printed.
# lab-needs: hnest
# lab-timeout: 300

ticks() { console_log | grep -c HNEST-GUEST-TICK; }

vm new lab --memory 256M --cpus 1 >/dev/null || lab_fail "vm new failed"
vm set-boot lab --kernel "$GUEST_KERNEL" --initrd "$GUEST_INITRD" --append "$GUEST_APPEND_BASE hnest.scenario=manage" >/dev/null \
    || lab_fail "vm set-boot failed"
vm start lab || lab_fail "vm start failed"
[ "$(vm_state lab)" = Running ] || lab_fail "after vm start the VM is '$(vm_state lab)', not Running"
vm list

wait_for 200 "no HNEST-GUEST-MANAGE-READY in the console log" sh -c "cat $HYPERNEST_HOME/vms/*/console.log | grep -q HNEST-GUEST-MANAGE-READY"
echo "lab: the guest is up: $(console_log | grep -m1 HNEST-GUEST-MANAGE-READY | tr -d '\r')"
wait_for 30 "the guest does not tick" sh -c "[ \$(cat $HYPERNEST_HOME/vms/*/console.log | grep -c HNEST-GUEST-TICK) -ge 1 ]"

vm suspend lab || lab_fail "vm suspend failed"
[ "$(vm_state lab)" = Paused ] || lab_fail "after vm suspend the VM is '$(vm_state lab)', not Paused"
before=$(ticks)
sleep 3
[ "$(ticks)" = "$before" ] || lab_fail "the guest kept ticking while Paused ($before, then $(ticks))"

vm resume lab || lab_fail "vm resume failed"
[ "$(vm_state lab)" = Running ] || lab_fail "after vm resume the VM is '$(vm_state lab)', not Running"
wait_for 30 "no tick after vm resume" sh -c "[ \$(cat $HYPERNEST_HOME/vms/*/console.log | grep -c HNEST-GUEST-TICK) -gt $before ]"

vm stop lab --turn-off || lab_fail "vm stop --turn-off failed"
vm list
[ "$(vm_state lab)" = Off ] || lab_fail "after vm stop --turn-off the VM is '$(vm_state lab)', not Off"
vm show lab | grep -q "LastStopReason .*turned off" || lab_fail "no 'turned off' stop reason: $(vm show lab | grep LastStopReason)"
vm console lab </dev/null > /tmp/console.out || lab_fail "vm console failed"
grep -q HNEST-GUEST-MANAGE-READY /tmp/console.out || lab_fail "vm console did not replay the guest's marker"
lab_pass
