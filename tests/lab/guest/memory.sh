# Guest side of the memory scenarios (memory-resize, dynamic-memory): a VM run by a managed worker. It reports its
# memory every 2 s ("HNEST-GUEST-MEM total_kib=... avail_kib=..." from /proc/meminfo) and, with
# hnest.mem_fill_mib=N, after hnest.mem_idle seconds fills N MiB of tmpfs at 8 MiB/s (memory its work uses), holds it for
# hnest.mem_hold seconds, frees it, and stays up until the host turns it off (guest_hold, at most 600 s).
for driver in virtio_balloon virtio_mem; do
    [ -n "$(ls /sys/bus/virtio/drivers/$driver 2>/dev/null | grep virtio)" ] && echo "HNEST-GUEST-DRIVER $driver bound"
done
report_memory &
echo "HNEST-GUEST-MEMORY-READY"
fill=$(cmdline_value hnest.mem_fill_mib) || fill=0
if [ "$fill" -gt 0 ]; then
    sleep "$(cmdline_value hnest.mem_idle || echo 30)"
    mkdir -p /fill
    mount -t tmpfs -o size=$((fill + 64))m tmpfs /fill
    # 8 MiB a second, as a program's working set grows: memory is added while it runs, not before.
    echo "HNEST-GUEST-FILLING $fill MiB"
    part=0
    while [ $((part * 8)) -lt "$fill" ]; do
        dd if=/dev/zero of=/fill/part$part bs=1M count=8 2>/dev/null || echo "HNEST-GUEST-FILL-SHORT at $((part * 8)) MiB"
        part=$((part + 1))
        sleep 1
    done
    echo "HNEST-GUEST-FILLED $(du -m /fill | tail -n 1 | cut -f1) MiB"
    sleep "$(cmdline_value hnest.mem_hold || echo 60)"
    rm -f /fill/part*
    echo "HNEST-GUEST-FREED"
fi
guest_hold 600
