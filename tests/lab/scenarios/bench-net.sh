# bench-net: the lab half of `bench/run net` (not part of the test suite). An Internal switch with 192.168.100.1/24
# on its host side; the same kernel + guest initramfs (guest scenario bench-net) booted alternately, HNEST_BENCH_NET_ROUNDS
# times each, under `hnest run --nic <switch>` and under qemu-system-x86_64 -accel kvm -M microvm with virtio-net on a
# TAP (-netdev tap,vhost=off) that this script puts on the same bridge. Same memory (256 MiB) and one vCPU. Each guest
# pings the host (HNEST_BENCH_NET_PINGS times, 0.2 s apart) and sends HNEST_BENCH_NET_MIB MiB over TCP to a busybox
# nc listening here; the transfer is timed here, from its first byte to its end. Prints per VMM the medians:
#   BENCH <vmm> tcp_mbit_s=<guest to host> ping_ms=<average round trip> rounds=<n> mib=<MiB per transfer>
# and one "lab: bench ..." line per run. A guest without connectivity fails the scenario: nothing is reported as 0.
# lab-needs: hnest qemu
# lab-timeout: 2400

rounds=${HNEST_BENCH_NET_ROUNDS:-3}
mib=${HNEST_BENCH_NET_MIB:-16}
pings=${HNEST_BENCH_NET_PINGS:-20}
memory_mib=256
host_address=192.168.100.1
qemu_tap=qtap0

lab_switch Bench "$host_address/24"

now_cs() { awk '{ printf "%d", $1 * 100 }' /proc/uptime; }

# The listener's stdin: a FIFO this shell holds open for writing and never writes to. busybox nc shuts its sending
# half down at the end of its stdin, and the guest's nc stops at that FIN: /dev/null would end the transfer at once.
mkfifo /tmp/bench-net.hold
exec 9<> /tmp/bench-net.hold

# listen <port>: a background listener that writes "<first byte at> <end at> <bytes>" (centiseconds of uptime) to
# /tmp/bench-net.rx when the sender has finished.
listen() {
    rm -f /tmp/bench-net.rx
    nc -l -p "$1" <&9 | {
        dd bs=1 count=1 of=/dev/null 2>/dev/null
        first=$(now_cs)
        bytes=$(wc -c)
        echo "$first $(now_cs) $((bytes + 1))" > /tmp/bench-net.rx
    } &
    listener=$!
}

# attach_qemu_tap: puts QEMU's TAP on the switch's bridge as soon as QEMU has made it.
attach_qemu_tap() {
    tries=0
    until [ -e "/sys/class/net/$qemu_tap" ]; do
        tries=$((tries + 1))
        [ $tries -lt 300 ] || lab_fail "qemu made no $qemu_tap within 30 s: $(tail -n 3 /tmp/bench-net.out | tr '\r\n' '  ')"
        usleep 100000
    done
    ip link set "$qemu_tap" master "$LAB_BRIDGE" up || lab_fail "cannot put $qemu_tap on $LAB_BRIDGE"
}

# run_one <vmm> <round> <command...>: one boot of guest scenario bench-net (its command line is $append); appends
# "<Mbit/s> <ping avg ms>" to /tmp/bench-net.<vmm>.
run_one() {
    vmm=$1
    round=$2
    shift 2
    listen "$port"
    "$@" > /tmp/bench-net.out 2>&1 &
    pid=$!
    ( sleep "$HNEST_TIMEOUT"; : > /tmp/bench-net.timedout; kill -KILL "$pid" ) >/dev/null 2>&1 &
    watchdog=$!
    [ "$vmm" = qemu ] && attach_qemu_tap
    wait "$pid"
    rc=$?
    kill "$watchdog" 2>/dev/null
    grep -E "^(guest:|HNEST-GUEST|init:)" /tmp/bench-net.out | tr -d "\r" | sed "s/^/$vmm| /"
    if [ -e /tmp/bench-net.timedout ]; then
        lab_fail "$vmm (round $round) did not finish within $HNEST_TIMEOUT s (last line: $(tail -n 1 /tmp/bench-net.out | tr -d '\r'))"
    fi
    ping_line=$(grep -m1 HNEST-GUEST-BENCH-PING /tmp/bench-net.out | tr -d '\r')
    [ -n "$ping_line" ] || lab_fail "$vmm (round $round, exit $rc): the guest had no connectivity$(bench_verdict)"
    grep -q "HNEST-GUEST-RESULT PASS" /tmp/bench-net.out || lab_fail "$vmm (round $round, exit $rc): the transfer failed$(bench_verdict)"
    wait "$listener"
    [ -s /tmp/bench-net.rx ] || lab_fail "$vmm (round $round): the listener recorded nothing"
    read -r first end bytes < /tmp/bench-net.rx
    [ "$bytes" = $((mib * 1048576)) ] || lab_fail "$vmm (round $round): the listener got $bytes bytes, not $((mib * 1048576))"
    [ "$end" -gt "$first" ] || end=$((first + 1))
    mbit=$(awk -v b="$bytes" -v cs=$((end - first)) 'BEGIN { printf "%.1f", b * 8 / (cs / 100) / 1e6 }')
    avg=$(echo "$ping_line" | sed 's/.*avg_ms=\([0-9.]*\).*/\1/')
    received=$(echo "$ping_line" | sed 's/.*received=\([0-9]*\).*/\1/')
    echo "$mbit $avg" >> "/tmp/bench-net.$vmm"
    echo "lab: bench $vmm round $round: $bytes bytes in $((end - first))0 ms = $mbit Mbit/s; ping avg $avg ms ($received/$pings replies); exit $rc"
    port=$((port + 1))
}

# bench_verdict: the guest's verdict for a failure message; the console's last lines go to the serial log.
bench_verdict() {
    tail -n 40 /tmp/bench-net.out | tr -d '\r' | sed "s/^/$vmm (failed)| /" >&2
    line=$(grep -m1 HNEST-GUEST-RESULT /tmp/bench-net.out | tr -d '\r')
    echo " (${line:-no guest verdict; last line: $(tail -n 1 /tmp/bench-net.out | tr -d '\r')})"
}

median_field() { awk -v f="$2" '{ print $f }' "$1" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

guest_append() {
    echo "$GUEST_APPEND_BASE hnest.scenario=bench-net hnest.ip=$1/24 hnest.host=$host_address hnest.port=$port hnest.mib=$mib hnest.pings=$pings"
}

rm -f /tmp/bench-net.hnest /tmp/bench-net.qemu /tmp/bench-net.timedout
port=5001
i=1
while [ "$i" -le "$rounds" ]; do
    run_one hnest "$i" "$HNEST" run --kernel "$GUEST_KERNEL" --initrd "$GUEST_INITRD" --append "$(guest_append 192.168.100.2)" \
        --memory "${memory_mib}M" --cpus 1 --nic Bench,mac=52:54:00:00:00:02
    run_one qemu "$i" "$QEMU" -accel kvm -M microvm -cpu host -m "$memory_mib" -smp 1 -nodefaults -no-user-config -nographic \
        -no-reboot -serial stdio -L "$QEMU_DATA" -kernel "$GUEST_KERNEL" -initrd "$GUEST_INITRD" \
        -append "$(guest_append 192.168.100.3)" \
        -netdev "tap,id=n0,ifname=$qemu_tap,script=no,downscript=no,vhost=off" -device virtio-net-device,netdev=n0,mac=52:54:00:00:00:03
    i=$((i + 1))
done

for vmm in hnest qemu; do
    echo "BENCH $vmm tcp_mbit_s=$(median_field /tmp/bench-net.$vmm 1) ping_ms=$(median_field /tmp/bench-net.$vmm 2) rounds=$rounds mib=$mib"
done
lab_pass
