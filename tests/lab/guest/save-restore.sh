# Guest side of save-restore: a VM run by a managed worker that is saved and restored while it works. It ticks once
# a second ("HNEST-GUEST-TICK <n> uptime=<s>"); at tick 3 it writes 4 MiB of random data to a file in its RAM
# (initramfs) and to /dev/vda (direct, flushed) and prints their md5 ("HNEST-GUEST-WROTE <md5>"); from then on every
# third tick it reads both back around the page cache ("HNEST-GUEST-CHECK ram=<md5> disk=<md5>"). A restored guest
# continues the count; a rebooted one would start again at 1 and print a second boot banner.
tries=0
while [ ! -b /dev/vda ]; do
    tries=$((tries + 1))
    [ "$tries" -le 50 ] || guest_fail "/dev/vda did not appear"
    sleep 0.1
done
mkdir -p /work
n=0
while [ "$n" -lt 600 ]; do
    n=$((n + 1))
    echo "HNEST-GUEST-TICK $n uptime=$(cut -d' ' -f1 /proc/uptime)"
    if [ "$n" = 3 ]; then
        dd if=/dev/urandom of=/work/data bs=1M count=4 2>/dev/null
        dd if=/work/data of=/dev/vda bs=1M oflag=direct conv=fsync 2>/dev/null || echo "HNEST-GUEST-DISK-WRITE-FAILED"
        echo "HNEST-GUEST-WROTE $(md5sum < /work/data | cut -c1-32)"
    elif [ "$n" -gt 3 ] && [ $((n % 3)) = 0 ]; then
        echo "HNEST-GUEST-CHECK ram=$(md5sum < /work/data | cut -c1-32) disk=$(dd if=/dev/vda bs=1M count=4 iflag=direct 2>/dev/null | md5sum | cut -c1-32)"
    fi
    sleep 1
done
guest_fail "the host never turned the VM off"
