# nested: three levels. The lab host (QEMU-TCG with SVM, kvm_amd nested=1) runs `hnest run --nested` with the nested
# guest initramfs; that guest gets SVM, loads kvm_amd, and runs hnest itself to boot the ordinary guest
# (guest/nested.sh), whose HNEST-GUEST-BOOT-OK must come back through both consoles to the lab's serial log.
# lab-needs: hnest nested-guest
# lab-timeout: 600

# Each level's hnest run: the middle guest's inner run is bounded by this minus a margin (guest/nested.sh).
HNEST_TIMEOUT=${HNEST_TIMEOUT_NESTED:-480}
GUEST_INITRD=/lab/nested-guest-initrd.img
started=$(cut -d' ' -f1 /proc/uptime)
hnest_guest nested "kvm_amd.nested=1 hnest.inner_timeout=$((HNEST_TIMEOUT - 60))" --nested --cpus 2 --memory 1G
echo "lab: three levels took $(awk -v s="$started" '{ printf "%.1f", $1 - s }' /proc/uptime) s (lab uptime)"
expect_hnest_exit 0 "nested hnest VM"
grep -q "^inner| HNEST-GUEST-BOOT-OK" /tmp/hnest.out || lab_fail "the innermost guest's HNEST-GUEST-BOOT-OK did not reach the lab$(guest_verdict_hint)"
grep -q "^HNEST-GUEST-RESULT PASS" /tmp/hnest.out || lab_fail "the nested hnest VM did not pass$(guest_verdict_hint)"
lab_pass
