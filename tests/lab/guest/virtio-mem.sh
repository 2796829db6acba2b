# Guest side of hot-pluggable memory (virtio-mem): the driver binds to hnest's memory device, and the memory it adds
# follows the size the host requests. hnest.vmem_mib=<a>,<b>,... lists the amounts (MiB of "System RAM
# (virtio_mem)" in /proc/iomem, which grows and shrinks in 128 MiB memory blocks) the guest must reach in turn; while
# it waits for each it prints "HNEST-GUEST-VMEM plugged_mib=<n> memtotal_mib=<n>" once a second, and on reaching it
# "HNEST-GUEST-VMEM-REACHED <a>", on which the host may request the next. Without the key it only checks the driver.
# hnest.vmem_touch_mib=<n>: on reaching each amount, write and delete <n> MiB in tmpfs first, so that memory the guest
# plugged is backed on the host (and an unplug has host memory to give back).
driver=/sys/bus/virtio/drivers/virtio_mem

vmem_mib() {
    total=0
    while read -r range _ what; do
        case "$what" in "System RAM (virtio_mem)")
            start=${range%-*}; end=${range#*-}
            total=$((total + 0x$end - 0x$start + 1)) ;;
        esac
    done < /proc/iomem
    echo $((total >> 20))
}

memtotal_mib() { awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo; }

i=0
until ls "$driver" 2>/dev/null | grep -q '^virtio'; do
    i=$((i + 1))
    [ $i -le 30 ] || guest_fail "no device bound to the virtio_mem driver within 30 s"
    sleep 1
done
dmesg | grep virtio_mem | sed 's/^/guest: /'
device=$(ls "$driver" | grep '^virtio')
# The negotiated feature bits, bit 0 first: bit 1 is VIRTIO_MEM_F_UNPLUGGED_INACCESSIBLE.
echo "HNEST-GUEST-VMEM-BOUND $device features=$(cat "/sys/bus/virtio/devices/$device/features") memtotal_mib=$(memtotal_mib)"

for target in $(cmdline_value hnest.vmem_mib | tr ',' ' '); do
    waited=0
    until [ "$(vmem_mib)" = "$target" ]; do
        waited=$((waited + 1))
        [ $waited -le 180 ] || guest_fail "virtio_mem memory stayed at $(vmem_mib) MiB, expected $target MiB"
        echo "HNEST-GUEST-VMEM plugged_mib=$(vmem_mib) memtotal_mib=$(memtotal_mib)"
        sleep 1
    done
    touch_mib=$(cmdline_value hnest.vmem_touch_mib) && {
        dd if=/dev/zero of=/tmp/vmem-touch bs=1M count="$touch_mib" 2>/dev/null
        rm -f /tmp/vmem-touch
    }
    echo "HNEST-GUEST-VMEM-REACHED $target memtotal_mib=$(memtotal_mib)"
done
guest_pass
