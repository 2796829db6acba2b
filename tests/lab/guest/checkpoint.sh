# Guest side of checkpoint: a VM checkpointed while it works, then put back to its checkpoint. It ticks once a second
# ("HNEST-GUEST-TICK <n> uptime=<s>"); at tick 3 it writes 4 MiB of random data A to /dev/vda (direct, flushed) and
# prints "HNEST-GUEST-WROTE-A <md5>"; at tick 15 it writes other data B over it ("HNEST-GUEST-WROTE-B <md5>"). From
# tick 4 on, every tick reads the first 4 MiB back around the page cache ("HNEST-GUEST-CHECK <n> disk=<md5>"). The host
# checkpoints it between A and B; a guest put back to that checkpoint continues its count there and reads A again.
tries=0
while [ ! -b /dev/vda ]; do
    tries=$((tries + 1))
    [ "$tries" -le 50 ] || guest_fail "/dev/vda did not appear"
    sleep 0.1
done
write_data() {
    dd if=/dev/urandom of=/tmp/data bs=1M count=4 2>/dev/null
    dd if=/tmp/data of=/dev/vda bs=1M oflag=direct conv=fsync 2>/dev/null || echo "HNEST-GUEST-DISK-WRITE-FAILED"
    echo "HNEST-GUEST-WROTE-$1 $(md5sum < /tmp/data | cut -c1-32)"
}
n=0
while [ "$n" -lt 900 ]; do
    n=$((n + 1))
    echo "HNEST-GUEST-TICK $n uptime=$(cut -d' ' -f1 /proc/uptime)"
    if [ "$n" = 3 ]; then
        write_data A
    elif [ "$n" = 15 ]; then
        write_data B
    elif [ "$n" -gt 3 ]; then
        echo "HNEST-GUEST-CHECK $n disk=$(dd if=/dev/vda bs=1M count=4 iflag=direct 2>/dev/null | md5sum | cut -c1-32)"
    fi
    sleep 1
done
guest_fail "the host never turned the VM off"
