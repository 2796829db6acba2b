# Guest side of the disk scenario, first boot: write the pattern to /dev/vda and flush it.
. /scenarios/disk-common.sh
wait_for_disk
disk_write "$PATTERN" || guest_fail "writing $DISK failed"
sync
[ "$(disk_head ${#PATTERN})" = "$PATTERN" ] || guest_fail "$DISK does not read back what was written"
echo "HNEST-GUEST-DISK-WRITTEN $PATTERN"
guest_pass
