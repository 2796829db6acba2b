# Guest side of the nested-network scenario, the middle level (L1): a VM exposing SVM whose adapter is on the lab
# host's switch Lab. It makes an External switch "Ext" on its own eth0 (hnest switch new), takes its own lease on
# the switch's host side (the bridge, which carries eth0's MAC), and runs hnest to boot L2 on Ext
# (guest/network-l2.sh); L2's console is echoed with the prefix "inner| ". Whether L2's frames get out is up to
# L1's adapter on the lab host (MAC address spoofing), which the lab host turns On halfway.
grep -qw svm /proc/cpuinfo || guest_fail "no svm flag in /proc/cpuinfo: the VM does not expose virtualization extensions"
[ -c /dev/kvm ] || guest_fail "/dev/kvm is missing after loading kvm_amd"
export HYPERNEST_HOME=/tmp/hn
ip link set eth0 up || guest_fail "no eth0: the virtio-net adapter did not appear"
/lab/hnest switch new Ext --type external --net-adapter eth0 || guest_fail "hnest switch new Ext failed"
bridge=$(/lab/hnest switch show Ext --json | grep -o '"bridgeName": *"[^"]*"' | sed 's/.*"\([^"]*\)"$/\1/')
[ -n "$bridge" ] || guest_fail "switch Ext has no bridge"
udhcpc -i "$bridge" -n -q -t 10 -T 2 || guest_fail "L1 got no lease on $bridge (its External switch on eth0)"
echo "HNEST-GUEST-L1-ADDRESS $(ip -4 -o addr show "$bridge" | awk '{ print $4 }')"

tsc_khz=$(awk -F: '/^cpu MHz/ { printf "%d", $2 * 1000; exit }' /proc/cpuinfo)
append="console=ttyS0 panic=-1 quiet${tsc_khz:+ tsc_early_khz=$tsc_khz} hnest.scenario=network-l2 hnest.ping=$(cmdline_value hnest.ping)"
inner_timeout=$(cmdline_value hnest.inner_timeout || echo 600)
echo "guest: /lab/hnest run --kernel /lab/vmlinuz --initrd /lab/guest-initrd.img --append \"$append\" --memory 256M --cpus 1 --nic Ext"
{
    timeout "$inner_timeout" /lab/hnest run --kernel /lab/vmlinuz --initrd /lab/guest-initrd.img --append "$append" \
        --memory 256M --cpus 1 --nic Ext 2>&1
    echo $? > /tmp/inner.rc
} | tee /tmp/inner.out | sed 's/^/inner| /'
rc=$(cat /tmp/inner.rc)
echo "guest: inner hnest exited with $rc"
[ "$rc" = 0 ] || guest_fail "the inner hnest exited with $rc"
grep -q "HNEST-GUEST-L2-PING-OK" /tmp/inner.out || guest_fail "L2 did not reach the lab host"
# L1 stays up: the lab host reads what L1's port learned (L2's address) while L1 runs, then turns it off.
guest_hold
