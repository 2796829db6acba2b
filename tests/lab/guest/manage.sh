# Guest side of the manage scenario: the VM runs under a detached hnest worker. The guest prints its marker, then
# stays up, ticking once a second, until the host turns it off; after 150 s it gives up and powers off by itself.
echo "HNEST-GUEST-MANAGE-READY kernel $(uname -r)"
i=0
while [ $i -lt 150 ]; do
    sleep 1
    i=$((i + 1))
    echo "HNEST-GUEST-TICK $i"
done
guest_fail "nobody turned the VM off within 150 s"
