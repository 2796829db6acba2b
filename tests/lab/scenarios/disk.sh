# disk: a raw image made here is attached with --disk. First boot: the guest writes a pattern to /dev/vda and
# powers off; the image must hold it. Second boot with --disk <image>,readonly: the guest reads the pattern back
# and a write to /dev/vda must fail; the image must be unchanged. hnest must exit 0 both times.
# lab-needs: hnest
# lab-timeout: 540

IMAGE=/tmp/d.img
# Unique per run, so a stale image can never pass; no spaces (it travels on the kernel command line).
PATTERN="HNEST-DISK-$(date +%s)-$$"

image_head() {
    dd if="$IMAGE" bs=512 count=1 2>/dev/null | head -c ${#PATTERN}
}

dd if=/dev/zero of="$IMAGE" bs=1M count=16 2>/dev/null || lab_fail "cannot create $IMAGE"

hnest_guest disk-write "hnest.disk_pattern=$PATTERN" --memory 256M --cpus 1 --disk "$IMAGE"
expect_hnest_exit 0 "disk write"
expect_guest_pass "disk write"
[ "$(image_head)" = "$PATTERN" ] || lab_fail "disk write: $IMAGE starts with '$(image_head)', expected '$PATTERN'"

hnest_guest disk-read "hnest.disk_pattern=$PATTERN" --memory 256M --cpus 1 --disk "$IMAGE,readonly"
expect_hnest_exit 0 "disk read-only"
expect_guest_line HNEST-GUEST-DISK-READONLY-OK "disk read-only"
expect_guest_pass "disk read-only"
[ "$(image_head)" = "$PATTERN" ] || lab_fail "disk read-only: $IMAGE changed to '$(image_head)'"
lab_pass
