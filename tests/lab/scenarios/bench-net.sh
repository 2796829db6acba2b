# bench-net: the lab half of `bench/run net` (not part of the test suite). An Internal switch with 192.168.100.1/24
# on its host side; the same kernel + guest initramfs (guest scenario bench-net) booted alternately, HNEST_BENCH_NET_ROUNDS
# times each, under `hnest run --nic <switch>` and under qemu-system-x86_64 -accel kvm -M microvm with virtio-net on a
# TAP (-netdev tap,vhost=off) that this script puts on the same bridge. Same memory (256 MiB) and one vCPU. Each guest
# pings the host (HNEST_BENCH_NET_PINGS times, 0.2 s apart) and sends HNEST_BENCH_NET_MIB MiB over TCP to a busybox
# nc listening here; the transfer is timed here, from its first byte to its end. Prints per VMM the medians:
#   BENCH <vmm> tcp_mbit_s=<guest to host> ping_ms=<average round trip> rounds=<n> mib=<MiB per transfer> lost=<runs>
# and one "BENCH run <vmm> ..." line per run (with how many frames the host got: large ones mean TSO). A guest without
# connectivity fails the scenario: nothing is reported as 0. A run whose guest stops mid-transfer is lost and made
# again (lost= counts them), up to HNEST_BENCH_NET_RETRIES per VMM.
# lab-needs: hnest qemu
# lab-timeout: 2400

rounds=${HNEST_BENCH_NET_ROUNDS:-3}
mib=${HNEST_BENCH_NET_MIB:-16}
pings=${HNEST_BENCH_NET_PINGS:-20}
# Runs per VMM that may be lost to a guest that stops during the transfer (seen under both VMMs in the lab) and are
# then made again; one more fails the scenario.
retries=${HNEST_BENCH_NET_RETRIES:-2}
memory_mib=256
host_address=192.168.100.1
qemu_tap=qtap0

lab_switch Bench "$host_address/24"

now_cs() { awk '{ printf "%d", $1 * 100 }' /proc/uptime; }

# The listener's stdin: a FIFO this shell holds open for writing and never writes to. busybox nc shuts its sending
# half down at the end of its stdin, and the guest's nc stops at that FIN: /dev/null would end the transfer at once.
mkfifo /tmp/bench-net.hold
exec 9<> /tmp/bench-net.hold

# listen <port>: a background listener (busybox nc into a reader, through the FIFO /tmp/bench-net.data) that writes
# "<first byte at> <end at> <bytes>" (centiseconds of uptime) to /tmp/bench-net.rx when the sender has finished.
mkfifo /tmp/bench-net.data
listen() {
    rm -f /tmp/bench-net.rx
    nc -l -p "$1" <&9 > /tmp/bench-net.data &
    listener_nc=$!
    {
        dd bs=1 count=1 of=/dev/null 2>/dev/null
        first=$(now_cs)
        bytes=$(wc -c)
        echo "$first $(now_cs) $((bytes + 1))" > /tmp/bench-net.rx
    } < /tmp/bench-net.data &
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

guest_append() {
    echo "$GUEST_APPEND_BASE hnest.scenario=bench-net hnest.ip=$1/24 hnest.host=$host_address hnest.port=$port hnest.mib=$mib hnest.pings=$pings"
}

# start_vmm <vmm>: boots the guest (listener on $port) under hnest or QEMU in the background, its pid in $pid.
start_vmm() {
    case $1 in
        hnest)
            "$HNEST" run --kernel "$GUEST_KERNEL" --initrd "$GUEST_INITRD" --append "$(guest_append 192.168.100.2)" \
                --memory "${memory_mib}M" --cpus 1 --nic Bench,mac=52:54:00:00:00:02 > /tmp/bench-net.out 2>&1 &
            ;;
        qemu)
            "$QEMU" -accel kvm -M microvm -cpu host -m "$memory_mib" -smp 1 -nodefaults -no-user-config -nographic \
                -no-reboot -serial stdio -L "$QEMU_DATA" -kernel "$GUEST_KERNEL" -initrd "$GUEST_INITRD" \
                -append "$(guest_append 192.168.100.3)" -netdev "tap,id=n0,ifname=$qemu_tap,script=no,downscript=no,vhost=off" \
                -device virtio-net-device,netdev=n0,mac=52:54:00:00:00:03 > /tmp/bench-net.out 2>&1 &
            ;;
    esac
    pid=$!
}

# run_one <vmm> <round>: one boot of guest scenario bench-net; appends "<Mbit/s> <ping avg ms>" to
# /tmp/bench-net.<vmm>. Returns 1 when the guest stopped after it had reached the host but before it finished
# sending (the run is lost, not measured); every other failure fails the scenario.
run_one() {
    vmm=$1
    round=$2
    listen "$port"
    frames_before=$(bridge_counts)
    start_vmm "$vmm"
    port=$((port + 1))
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
    if ! grep -q "HNEST-GUEST-RESULT" /tmp/bench-net.out; then
        # QEMU with -no-reboot exits 0 on a guest reset (a triple fault among them); hnest exits 4 on a triple fault.
        echo "BENCH run $vmm round=$round lost: the guest stopped during the transfer (exit $rc)$(bench_verdict)"
        kill "$listener_nc" "$listener" 2>/dev/null
        return 1
    fi
    grep -q "HNEST-GUEST-RESULT PASS" /tmp/bench-net.out || lab_fail "$vmm (round $round, exit $rc): the transfer failed$(bench_verdict)"
    wait "$listener"
    [ -s /tmp/bench-net.rx ] || lab_fail "$vmm (round $round): the listener recorded nothing"
    read -r first end bytes < /tmp/bench-net.rx
    [ "$bytes" = $((mib * 1048576)) ] || lab_fail "$vmm (round $round): the listener got $bytes bytes, not $((mib * 1048576))"
    [ "$end" -gt "$first" ] || end=$((first + 1))
    mbit=$(awk -v b="$bytes" -v cs=$((end - first)) 'BEGIN { printf "%.1f", b * 8 / (cs / 100) / 1e6 }')
    avg=$(echo "$ping_line" | sed 's/.*avg_ms=\([0-9.]*\).*/\1/')
    received=$(echo "$ping_line" | sed 's/.*received=\([0-9]*\).*/\1/')
    # shellcheck disable=SC2086 # two numbers each
    frames=$(frame_sizes $frames_before $(bridge_counts))
    echo "$mbit $avg" >> "/tmp/bench-net.$vmm"
    echo "BENCH run $vmm round=$round tcp_mbit_s=$mbit ping_ms=$avg bytes=$bytes ms=$((end - first))0 replies=$received/$pings; $frames"
}

# measure <vmm> <round>: run_one, again after a lost run, at most $retries lost runs per VMM in all.
measure() {
    until run_one "$1" "$2"; do
        lost=$(($(cat "/tmp/bench-net.$1.lost") + 1))
        echo "$lost" > "/tmp/bench-net.$1.lost"
        [ "$lost" -le "$retries" ] || lab_fail "$1: $lost runs lost (guest stopped during the transfer), more than HNEST_BENCH_NET_RETRIES=$retries"
    done
}

# bench_verdict: the guest's verdict for a failure message; the console's last lines go to the serial log.
bench_verdict() {
    tail -n 40 /tmp/bench-net.out | tr -d '\r' | sed "s/^/$vmm (failed)| /" >&2
    line=$(grep -m1 HNEST-GUEST-RESULT /tmp/bench-net.out | tr -d '\r')
    echo " (${line:-no guest verdict; last line: $(tail -n 1 /tmp/bench-net.out | tr -d '\r')})"
}

# bridge_counts: "<frames> <bytes>" the bridge has passed up to the host so far (a GSO frame counts once).
bridge_counts() { echo "$(cat "/sys/class/net/$LAB_BRIDGE/statistics/rx_packets") $(cat "/sys/class/net/$LAB_BRIDGE/statistics/rx_bytes")"; }

# frame_sizes <frames before> <bytes before> <frames after> <bytes after>: how the guest's traffic reached the host,
# which shows whether its segmentation offload (TSO) was in use.
frame_sizes() {
    awk -v f=$(($3 - $1)) -v b=$(($4 - $2)) 'BEGIN { printf "host got %d frames, %.0f bytes each on average", f, f ? b / f : 0 }'
}

median_field() { awk -v f="$2" '{ print $f }' "$1" | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

rm -f /tmp/bench-net.hnest /tmp/bench-net.qemu /tmp/bench-net.timedout
echo 0 > /tmp/bench-net.hnest.lost
echo 0 > /tmp/bench-net.qemu.lost
port=5001
i=1
while [ "$i" -le "$rounds" ]; do
    measure hnest "$i"
    measure qemu "$i"
    i=$((i + 1))
done

for vmm in hnest qemu; do
    echo "BENCH $vmm tcp_mbit_s=$(median_field /tmp/bench-net.$vmm 1) ping_ms=$(median_field /tmp/bench-net.$vmm 2) rounds=$rounds mib=$mib lost=$(cat /tmp/bench-net.$vmm.lost)"
done
lab_pass
