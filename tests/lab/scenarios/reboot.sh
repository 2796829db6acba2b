# reboot: the guest runs `reboot -f`; hnest must stop the VM and exit with its reboot exit code.
# lab-needs: hnest
# lab-timeout: 300

# The exit code hnest uses for "the guest asked to reboot". The lead may change it here, or set
# HNEST_REBOOT_EXIT_CODE in the environment of tests/lab/run (HNEST_* variables are carried into the lab).
HNEST_REBOOT_EXIT_CODE=${HNEST_REBOOT_EXIT_CODE:-3}

hnest_guest reboot "" --memory 256M --cpus 1
expect_hnest_exit "$HNEST_REBOOT_EXIT_CODE" "guest reboot -f"
expect_guest_line HNEST-GUEST-REBOOTING "guest reboot -f"
lab_pass
