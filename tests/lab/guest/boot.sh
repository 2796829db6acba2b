# Guest side of the boot scenario: reaching this script means the kernel booted and ran init.
echo "HNEST-GUEST-BOOT-OK kernel $(uname -r) uptime $(cut -d' ' -f1 /proc/uptime) s"
guest_pass
