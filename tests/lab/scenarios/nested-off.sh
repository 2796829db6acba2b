# nested-off: the nested guest initramfs under hnest *without* --nested: the guest sees no svm flag, kvm_amd does not
# load and /dev/kvm does not appear, and the guest's own `hnest nested status` says NO because it is a VM (hypervisor
# flag) that was not given nested virtualization (guest/nested-off.sh).
# lab-needs: hnest nested-guest
# lab-timeout: 240

# The guest normally powers off within ~20 s of lab time; a hang is reported as such well before the lab timeout.
HNEST_TIMEOUT=${HNEST_TIMEOUT_NESTED_OFF:-180}
GUEST_INITRD=/lab/nested-guest-initrd.img
hnest_guest nested-off "kvm_amd.nested=1" --cpus 2 --memory 1G
expect_hnest_exit 0 "hnest VM without --nested"
grep -q "^HNEST-GUEST-RESULT PASS" /tmp/hnest.out || lab_fail "hnest VM without --nested: the guest did not pass$(guest_verdict_hint)"
lab_pass
