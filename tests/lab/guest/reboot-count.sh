# Guest side of manage-reboot: the guest counts its boots on its disk (/dev/vda, "HNEST-BOOTS <n>" in the first
# sector), prints "HNEST-GUEST-BOOT-COUNT <n>", reboots (`reboot -f`, Linux's reboot=k: an 8042 reset) after its first
# boot, and after its second stays up, ticking, until the host turns it off. A VM that does not come back, or comes
# back with another disk, never prints count 2.
DISK=/dev/vda
tries=0
while [ ! -b "$DISK" ]; do
    tries=$((tries + 1))
    [ "$tries" -le 50 ] || guest_fail "$DISK did not appear"
    sleep 0.1
done

# Around the page cache both ways: what the host's file holds is what counts.
count=$(dd if="$DISK" bs=512 count=1 iflag=direct 2>/dev/null | head -c 16 | tr -d '\000' | sed -n 's/^HNEST-BOOTS \([0-9][0-9]*\).*/\1/p')
count=$((${count:-0} + 1))
printf 'HNEST-BOOTS %d\n' "$count" | dd of="$DISK" bs=512 count=1 conv=sync,fsync 2>/dev/null || guest_fail "cannot write $DISK"
echo "HNEST-GUEST-BOOT-COUNT $count"
if [ "$count" = 1 ]; then
    echo "HNEST-GUEST-REBOOTING"
    sync
    reboot -f
fi
guest_hold
