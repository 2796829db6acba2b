# Guest side of the balloon probe (tests/lab/BalloonProbe; not in run-tests): virtio_balloon is bound to the
# device; with hnest.balloon_mib=<n> (n > 0) the host then inflates the balloon by n MiB and deflates it again, and
# the guest sees its memory go and come back. With VIRTIO_BALLOON_F_DEFLATE_ON_OOM negotiated, Linux counts
# balloon pages as used (MemFree drops) rather than taking them off MemTotal; either counts here.
target_kib=$(( $(cmdline_value hnest.balloon_mib || echo 0) * 1024 ))
driver=/sys/bus/virtio/drivers/virtio_balloon
bound=$(ls "$driver" 2>/dev/null | grep '^virtio' | tr '\n' ' ')
[ -n "$bound" ] || guest_fail "virtio_balloon is bound to no device ($driver: $(ls "$driver" 2>&1 | tr '\n' ' '))"
echo "HNEST-GUEST-BALLOON bound $bound features $(cat "$driver"/virtio*/features)"
[ "$target_kib" -gt 0 ] || guest_pass

meminfo() { awk -v key="$1:" '$1 == key { print $2 }' /proc/meminfo; }

# The memory the balloon holds, in KiB, as the guest sees it: what left MemTotal plus what left MemFree.
taken() { echo $(( total0 - $(meminfo MemTotal) + free0 - $(meminfo MemFree) )); }

total0=$(meminfo MemTotal)
free0=$(meminfo MemFree)
echo "HNEST-GUEST-BALLOON before MemTotal=${total0} kB MemFree=${free0} kB"

# wait_for <seconds> <what> <condition...>: prints the meminfo line when the condition holds, fails otherwise.
wait_for() {
    seconds=$1
    what=$2
    shift 2
    i=0
    until "$@"; do
        i=$((i + 1))
        [ $i -le "$seconds" ] || guest_fail "$what not seen within $seconds s (MemTotal=$(meminfo MemTotal) kB MemFree=$(meminfo MemFree) kB)"
        sleep 1
    done
    echo "HNEST-GUEST-BALLOON $what after ${i} s: MemTotal=$(meminfo MemTotal) kB MemFree=$(meminfo MemFree) kB"
}

inflated() { [ "$(taken)" -ge $((target_kib * 3 / 4)) ]; }
deflated() { [ "$(taken)" -le $((target_kib / 4)) ]; }

wait_for 200 inflated inflated
wait_for 200 deflated deflated
guest_pass
