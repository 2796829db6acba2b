# Guest side of the bench-net scenario (bench/run net): eth0 gets the static address hnest.ip=<address/prefix>,
# waits until the host side (hnest.host=<address>) answers (QEMU's TAP joins the bridge only after QEMU made it),
# pings it hnest.pings=<count> times 0.2 s apart and prints
#   HNEST-GUEST-BENCH-PING avg_ms=<average round trip> received=<replies>
# then sends hnest.mib=<MiB> of zeros over TCP to the host's listener on hnest.port=<port> (busybox nc, which shuts
# its sending half down at the end of its input) and powers off. The host times the transfer.
address=$(cmdline_value hnest.ip) || guest_fail "no hnest.ip= on the command line"
host=$(cmdline_value hnest.host) || guest_fail "no hnest.host= on the command line"
port=$(cmdline_value hnest.port) || guest_fail "no hnest.port= on the command line"
mib=$(cmdline_value hnest.mib) || guest_fail "no hnest.mib= on the command line"
pings=$(cmdline_value hnest.pings) || pings=20

ip link set eth0 up || guest_fail "no eth0: the virtio-net adapter did not appear"
ip addr add "$address" dev eth0 || guest_fail "cannot give eth0 $address"
echo "guest: eth0 $(cat /sys/class/net/eth0/address) $address, carrier $(cat /sys/class/net/eth0/carrier 2>/dev/null)"

waited=0
until ping -c 1 -W 1 "$host" >/dev/null 2>&1; do
    waited=$((waited + 1))
    [ $waited -lt 60 ] || guest_fail "no answer from $host within 60 tries"
done
echo "guest: $host answers (after $waited lost tries)"

ping -c "$pings" -i 0.2 -W 2 "$host" > /tmp/ping.out 2>&1
received=$(awk '/packets received/ { print $4 }' /tmp/ping.out)
avg=$(awk -F/ '/round-trip/ { print $4 }' /tmp/ping.out)
[ -n "$avg" ] || guest_fail "ping $host: $(tail -n 2 /tmp/ping.out | tr '\n' ' ')"
echo "HNEST-GUEST-BENCH-PING avg_ms=$avg received=$received"

dd if=/dev/zero bs=64k count=$((mib * 16)) 2>/dev/null | nc "$host" "$port" || guest_fail "nc $host $port failed"
echo "HNEST-GUEST-BENCH-SENT $mib MiB"
statistics=/sys/class/net/eth0/statistics
echo "guest: eth0 sent $(cat $statistics/tx_packets) frames, received $(cat $statistics/rx_packets); interrupts: $(grep virtio /proc/interrupts | awk '{ printf "%s %s; ", $NF, $2 }')"
guest_pass
