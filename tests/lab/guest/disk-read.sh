# Guest side of the disk scenario, second boot with the disk read-only: the pattern is there, a write fails.
. /scenarios/disk-common.sh
wait_for_disk
found=$(disk_head ${#PATTERN})
[ "$found" = "$PATTERN" ] || guest_fail "$DISK starts with '$found', expected '$PATTERN'"
echo "HNEST-GUEST-DISK-READ $PATTERN (/sys/block/vda/ro=$(cat /sys/block/vda/ro))"
if disk_write "HNEST-MUST-NOT-BE-WRITTEN"; then
    guest_fail "writing the read-only $DISK succeeded"
fi
[ "$(disk_head ${#PATTERN})" = "$PATTERN" ] || guest_fail "$DISK changed after the refused write"
echo "HNEST-GUEST-DISK-READONLY-OK"
guest_pass
