# The innermost guest of the nested-network scenario (L2): its adapter is on L1's External switch, bridged to L1's
# own eth0, which is on the lab host's switch Lab (udhcpd). While L1's adapter has MAC address spoofing Off, L2's
# frames (another source MAC) must not leave L1: it asks for a lease a few times, must get none, and says so. The
# lab host then turns spoofing On; L2 keeps asking until it gets a lease and pings the lab host's side.
ip link set eth0 up || guest_fail "no eth0: the virtio-net adapter did not appear"
echo "guest: eth0 $(cat /sys/class/net/eth0/address)"
if udhcpc -i eth0 -n -q -t 4 -T 2; then
    guest_fail "L2 got a lease while L1's adapter has MAC address spoofing Off"
fi
echo "HNEST-GUEST-L2-NO-ADDRESS"
tries=0
until udhcpc -i eth0 -n -q -t 2 -T 2; do
    tries=$((tries + 1))
    [ $tries -ge 60 ] && guest_fail "no lease within 60 attempts after L2-NO-ADDRESS"
done
echo "HNEST-GUEST-L2-ADDRESS $(ip -4 -o addr show eth0 | awk '{ print $4 }')"
host=$(cmdline_value hnest.ping) || guest_fail "no hnest.ping= on the command line"
ping -c 3 -W 5 "$host" || guest_fail "no answer from $host"
echo "HNEST-GUEST-L2-PING-OK"
guest_pass
