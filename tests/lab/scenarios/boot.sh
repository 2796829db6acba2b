# boot: hnest boots the Debian cloud kernel with 1 vCPU inside the lab; the guest reaches init, prints
# HNEST-GUEST-BOOT-OK and powers off; hnest must then exit 0.
# lab-needs: hnest
# lab-timeout: 300

hnest_guest boot "" --memory 256M --cpus 1
expect_hnest_exit 0 "1-vCPU boot"
expect_guest_line HNEST-GUEST-BOOT-OK "1-vCPU boot"
expect_guest_pass "1-vCPU boot"
lab_pass
