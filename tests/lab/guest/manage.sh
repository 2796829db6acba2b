# Guest side of the manage scenario: the VM runs under a detached hnest worker. The guest prints its marker, then
# stays up, ticking once a second, until the host turns it off; after 150 s it gives up and powers off by itself.
echo "HNEST-GUEST-MANAGE-READY kernel $(uname -r)"
guest_hold
