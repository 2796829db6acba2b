# Guest side of the network scenario: its one adapter is on the lab host's Internal switch, where udhcpd serves
# addresses. It takes a lease on eth0, pings the host side (hnest.ping=<address>) and passes; with hnest.net_hold=1
# it prints its marker and stays up, ticking, so the host can read what HyperNest learned about the port (after
# 150 s it gives up and powers off).
ip link set eth0 up || guest_fail "no eth0: the virtio-net adapter did not appear"
echo "guest: eth0 $(cat /sys/class/net/eth0/address), carrier $(cat /sys/class/net/eth0/carrier 2>/dev/null)"
udhcpc -i eth0 -n -q -t 10 -T 2 || guest_fail "no DHCP lease on eth0"
echo "HNEST-GUEST-NET-ADDRESS $(ip -4 -o addr show eth0 | awk '{ print $4 }')"
host=$(cmdline_value hnest.ping) || guest_fail "no hnest.ping= on the command line"
ping -c 3 -W 5 "$host" || guest_fail "no answer from $host"
echo "HNEST-GUEST-NET-PING-OK"
# A managed VM (hnest.net_hold=1) stays up for the host to look at its port; a foreground run ends here.
[ "$(cmdline_value hnest.net_hold)" = 1 ] || guest_pass
guest_hold
