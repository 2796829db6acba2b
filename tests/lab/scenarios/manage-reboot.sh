# manage-reboot: a managed VM whose guest reboots comes back up, as in Hyper-V (`hnest vm`). The guest counts its
# boots on its disk, reboots once (`reboot -f`), and reports count 2 from the same disk; the VM is Running before,
# after and in between (no Off), its console log holds both boots, its uptime started over, and worker.log says why it
# restarted. Then `vm restart --force` (a reset from the host) boots it a third time; `vm restart` of an Off VM is
# refused in one line.
# lab-needs: hnest
# lab-timeout: 420

IMAGE=/tmp/boots.img
boots() { console_log | grep -c "HNEST-GUEST-BOOT-COUNT"; }
show_field() { "$HNEST" vm show rb | awk -v k="$1" '$1 == k { print $3 }'; }
# The VM's Uptime (HH:MM:SS) in seconds.
uptime_of() { show_field Uptime | awk -F: '{ print $1 * 3600 + $2 * 60 + $3 }'; }

dd if=/dev/zero of="$IMAGE" bs=1M count=16 2>/dev/null || lab_fail "cannot create $IMAGE"
vm new rb --memory 256M --cpus 1 >/dev/null || lab_fail "vm new failed"
vm disk add rb "$IMAGE" >/dev/null || lab_fail "vm disk add failed"
vm set-boot rb --kernel "$GUEST_KERNEL" --initrd "$GUEST_INITRD" --append "$GUEST_APPEND_BASE hnest.scenario=reboot-count" >/dev/null \
    || lab_fail "vm set-boot failed"
vm start rb || lab_fail "vm start failed"
started=$(uptime_s)
pid=$(show_field WorkerPid)

# While the guest boots, reboots and boots again, the VM never reads anything but Running.
( while :; do s=$(vm_state rb); [ -n "$s" ] && [ "$s" != Running ] && echo "$s" >> /tmp/not-running; sleep 1; done ) &
watcher=$!
wait_for 300 "no HNEST-GUEST-BOOT-COUNT 2 in the console log" console_has "HNEST-GUEST-BOOT-COUNT 2"
kill "$watcher" 2>/dev/null
[ ! -s /tmp/not-running ] || lab_fail "the VM left Running while it rebooted: $(sort -u /tmp/not-running | tr '\n' ' ')"
vm list
[ "$(vm_state rb)" = Running ] || lab_fail "after the reboot the VM is '$(vm_state rb)', not Running"
console_has "HNEST-GUEST-BOOT-COUNT 1" || lab_fail "the console log lost the first boot"
[ "$(boots)" = 2 ] || lab_fail "the console log holds $(boots) boots, not 2"
[ "$(console_log | grep -c 'LAB-INIT guest uptime')" = 2 ] || lab_fail "the console log does not hold two kernel boots"
[ "$(show_field WorkerPid)" = "$pid" ] || lab_fail "the worker changed ($pid, now $(show_field WorkerPid)): the VM went through Off"
grep -h "the guest rebooted: the VM starts again" "$HYPERNEST_HOME"/vms/*/worker.log || lab_fail "worker.log does not say the VM restarted"
# The first boot took seconds under TCG: an uptime counted from the start would be at least the time since then.
since_start=$(($(uptime_s) - started))
echo "lab: uptime $(uptime_of) s after the reboot, $since_start s since vm start"
[ $(($(uptime_of) + 3)) -le "$since_start" ] || lab_fail "the uptime did not start over at the reboot ($(uptime_of) s, $since_start s since vm start)"
wait_for 30 "the guest does not tick after its reboot" console_has "HNEST-GUEST-TICK 2"

# A reset from the host: the third boot, on the same disk.
sleep 3
before=$(uptime_of)
vm restart rb --force || lab_fail "vm restart --force failed"
[ "$(uptime_of)" -lt "$before" ] || lab_fail "the uptime did not start over at vm restart ($before s, then $(uptime_of) s)"
[ "$(vm_state rb)" = Running ] || lab_fail "after vm restart the VM is '$(vm_state rb)', not Running"
wait_for 300 "no HNEST-GUEST-BOOT-COUNT 3 after vm restart" console_has "HNEST-GUEST-BOOT-COUNT 3"
grep -h "reset by the host: the VM starts again" "$HYPERNEST_HOME"/vms/*/worker.log || lab_fail "worker.log does not say the host reset it"

vm stop rb --turn-off || lab_fail "vm stop --turn-off failed"
[ "$(vm_state rb)" = Off ] || lab_fail "after vm stop --turn-off the VM is '$(vm_state rb)', not Off"
if "$HNEST" vm restart rb --force > /tmp/restart-off.out 2>&1; then lab_fail "vm restart of an Off VM succeeded"; fi
echo "lab: vm restart of an Off VM: $(cat /tmp/restart-off.out)"
[ "$(wc -l < /tmp/restart-off.out)" = 1 ] || lab_fail "the refusal is not one line: $(cat /tmp/restart-off.out)"
lab_pass
