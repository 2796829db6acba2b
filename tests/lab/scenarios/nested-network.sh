# nested-network: the guide's sentence "MAC address spoofing, so that nested VMs receive IP addresses", proven.
# The lab host makes an Internal switch Lab with a DHCP server on its host side and runs L1 (a VM from the store,
# extensions exposed, adapter on Lab, MAC address spoofing Off). L1 makes an External switch on its own eth0, gets
# its own lease, and boots L2 on that switch (guest/nested-network.sh, guest/network-l2.sh). With spoofing Off L2's
# frames (another source MAC) are dropped at L1's port: L1 has an address, L2 has none, and the port counts the
# drops. Turned On while everything runs, L2 gets a lease and pings the lab host; its address is learned on L1's port.
# lab-needs: hnest nested-guest
# lab-timeout: 900

lab_switch Lab 192.168.100.1/24
vm new L1 --memory 1G --cpus 1 >/dev/null || lab_fail "vm new failed"
vm set-processor L1 --expose-virtualization-extensions true >/dev/null || lab_fail "vm set-processor failed"
vm set-boot L1 --kernel "$GUEST_KERNEL" --initrd /lab/nested-guest-initrd.img \
    --append "$GUEST_APPEND_BASE hnest.scenario=nested-network kvm_amd.nested=1 hnest.ping=192.168.100.1 hnest.inner_timeout=600" \
    >/dev/null || lab_fail "vm set-boot failed"
vm adapter connect L1 "Network Adapter" Lab >/dev/null || lab_fail "vm adapter connect failed"
vm start L1 || lab_fail "vm start failed"

wait_for 400 "L1 reported no address of its own" console_has HNEST-GUEST-L1-ADDRESS
echo "lab: $(console_log | grep -m1 HNEST-GUEST-L1-ADDRESS | tr -d '\r')"
wait_for 400 "L2 did not finish asking for a lease with spoofing Off" console_has HNEST-GUEST-L2-NO-ADDRESS
"$HNEST" vm adapter list L1 --json > /tmp/off.json
dropped=$(json_value droppedSpoofedFrames < /tmp/off.json)
echo "lab: with MAC address spoofing Off L1's port dropped ${dropped:-no} frames from other MACs"
[ "${dropped:-0}" -gt 0 ] || { cat /tmp/off.json; lab_fail "L1's port counted no spoofed frames while L2 asked for a lease"; }
leases_off=$(dumpleases -f /tmp/udhcpd.leases | tail -n +2 | wc -l)
[ "$leases_off" = 1 ] || { dumpleases -f /tmp/udhcpd.leases; lab_fail "expected one lease (L1's) with spoofing Off, found $leases_off"; }

vm adapter set L1 "Network Adapter" --mac-address-spoofing On >/dev/null || lab_fail "turning MAC address spoofing On failed"
wait_for 400 "L2 did not reach the lab host after spoofing was turned On" console_has HNEST-GUEST-L2-PING-OK
l2_address=$(console_log | grep -m1 HNEST-GUEST-L2-ADDRESS | awk '{ print $NF }' | cut -d/ -f1 | tr -d '\r')
echo "lab: L2 has $l2_address and pinged 192.168.100.1"
dumpleases -f /tmp/udhcpd.leases
"$HNEST" vm adapter list L1 --json > /tmp/on.json
grep -q "\"$l2_address\"" /tmp/on.json || { cat /tmp/on.json; lab_fail "L1's port did not learn L2's address $l2_address"; }
vm stop L1 --turn-off >/dev/null || lab_fail "vm stop --turn-off failed"
[ -z "$(hnest_interfaces)" ] || lab_fail "TAP devices left after vm stop: $(hnest_interfaces)"
lab_pass
