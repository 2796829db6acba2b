# Guest side of the reboot scenario: the guest asks for a reboot; hnest must end with its reboot exit code.
echo "HNEST-GUEST-REBOOTING"
( guest_pass )
sync
reboot -f
