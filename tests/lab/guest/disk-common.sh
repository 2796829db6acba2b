# Shared part of the disk guest scenarios, sourced by disk-write.sh and disk-read.sh.
# hnest.disk_pattern=<text> on the command line is what the lab host expects at the start of /dev/vda.

DISK=/dev/vda
PATTERN=$(cmdline_value hnest.disk_pattern) || guest_fail "no hnest.disk_pattern= on the kernel command line"

# The virtio_blk probe may finish a moment after insmod returns.
wait_for_disk() {
    tries=0
    while [ ! -b "$DISK" ]; do
        tries=$((tries + 1))
        [ "$tries" -le 50 ] || guest_fail "$DISK did not appear (virtio_mmio/virtio_blk: $(ls /sys/bus/virtio/devices 2>&1))"
        sleep 0.1
    done
}

# The first <length> bytes of the disk, read around the page cache.
disk_head() {
    dd if="$DISK" bs=512 count=1 iflag=direct 2>/dev/null | head -c "$1"
}

# Writes <text> into the first sector (zero-padded) and flushes it to the device.
disk_write() {
    printf '%s' "$1" | dd of="$DISK" bs=512 count=1 conv=sync,fsync 2>&1
}
