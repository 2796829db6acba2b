# network: a Linux VM on an Internal switch reaches the host. The lab host makes the switch "Lab" (hnest switch new),
# puts 192.168.100.1/24 and a DHCP server on its host side, and starts a VM from the store whose adapter is
# connected to Lab; the guest takes a lease and pings the host (guest/network.sh). HyperNest must show the lease on
# the adapter (learned from DHCP/ARP), and leave no TAP device behind when the VM is turned off, nor when its worker
# is killed with SIGKILL.
# lab-needs: hnest
# lab-timeout: 420

lab_switch Lab 192.168.100.1/24
vm new net1 --memory 256M --cpus 1 >/dev/null || lab_fail "vm new failed"
vm set-boot net1 --kernel "$GUEST_KERNEL" --initrd "$GUEST_INITRD" \
    --append "$GUEST_APPEND_BASE hnest.scenario=network hnest.net_hold=1 hnest.ping=192.168.100.1" >/dev/null || lab_fail "vm set-boot failed"
vm adapter connect net1 "Network Adapter" Lab >/dev/null || lab_fail "vm adapter connect failed"
vm start net1 || lab_fail "vm start failed"
taps=$(hnest_interfaces)
[ -n "$taps" ] || lab_fail "no TAP device while net1 runs"
echo "lab: net1's port: $taps (master $(basename "$(readlink "/sys/class/net/$taps/master")"))"

wait_for 240 "no HNEST-GUEST-NET-PING-OK in the console log" console_has HNEST-GUEST-NET-PING-OK
guest_address=$(console_log | grep -m1 HNEST-GUEST-NET-ADDRESS | awk '{ print $2 }' | cut -d/ -f1 | tr -d '\r')
echo "lab: the guest has $guest_address and pinged the host"
"$HNEST" vm adapter list net1 --json > /tmp/adapters.json
cat /tmp/adapters.json
grep -q "\"$guest_address\"" /tmp/adapters.json || lab_fail "vm adapter list does not show the guest's address $guest_address"
ping -c 2 -W 5 "$guest_address" || lab_fail "the host cannot ping the guest at $guest_address"

vm stop net1 --turn-off || lab_fail "vm stop --turn-off failed"
[ -z "$(hnest_interfaces)" ] || lab_fail "TAP devices left after vm stop: $(hnest_interfaces)"

# A worker killed outright: the kernel removes its TAP devices with its last file descriptor.
for round in 1 2 3; do
    vm start net1 >/dev/null || lab_fail "vm start (round $round) failed"
    [ -n "$(hnest_interfaces)" ] || lab_fail "no TAP device in round $round"
    pid=$(cat "$HYPERNEST_HOME"/vms/*/runtime.json | json_value pid)
    kill -KILL "$pid" || lab_fail "cannot kill worker $pid"
    wait_for 10 "TAP devices left after SIGKILL of worker $pid: $(hnest_interfaces)" sh -c "[ -z \"\$(ls /sys/class/net | grep '^hn' | grep -v '^hnbr')\" ]"
    [ "$(vm_state net1)" = Off ] || lab_fail "after SIGKILL of its worker net1 is '$(vm_state net1)', not Off"
done
lab_pass
