# dynamic-memory: Hyper-V's Dynamic Memory, proven with Linux guests on managed VMs (guest/memory.sh).
# One VM (Startup 256 MB, Minimum 256, Maximum 1024, Buffer 20 %) fills 400 MiB of tmpfs and frees it: its
# MemoryAssigned grows past Startup toward demand + buffer (virtio-mem blocks plugged), MemoryDemand shows the fill,
# and after the free both fall back and the worker's resident memory (the host's cost) falls with them. Then two VMs
# of Priority 10 and 90 under growing host pressure: the low-priority VM gives first.
# lab-needs: hnest
# lab-timeout: 900


assigned_at_least() { [ "$(vm_assigned "$1")" -ge "$2" ]; }
assigned_at_most() { [ "$(vm_assigned "$1")" -le "$2" ]; }
show_memory() { echo "lab: $1: MemoryAssigned $(vm_assigned "$1") MB, $(vm show "$1" | grep -E '^Memory(Demand|Status)' | tr -s ' ' | tr '\n' ' '), worker RSS $(worker_rss "$1") kB"; }
dynamic_vm() {
    vm new "$1" --memory 256M --cpus 1 >/dev/null || lab_fail "vm new $1 failed"
    vm set-memory "$1" --dynamic-memory true --minimum 256M --maximum 1024M --buffer 20 --priority "$2" >/dev/null \
        || lab_fail "vm set-memory $1 --dynamic-memory true failed"
    vm set-boot "$1" --kernel "$GUEST_KERNEL" --initrd "$GUEST_INITRD" \
        --append "$GUEST_APPEND_BASE hnest.scenario=memory hnest.mem_fill_mib=$5 hnest.mem_idle=$3 hnest.mem_hold=$4" >/dev/null \
        || lab_fail "vm set-boot $1 failed"
}
# The VM's console log, linked as /tmp/console.<name> once it exists (no hnest call per check: each costs ~1 s here).
console_of_has() {
    [ -e "/tmp/console.$1" ] || ln -sf "$HYPERNEST_HOME/vms/$("$HNEST" vm show "$1" | awk -F' : ' '/^Id/ { print $2 }')/console.log" "/tmp/console.$1"
    grep -q "$2" "/tmp/console.$1"
}
# Every 10 s while it runs: what HyperNest reports for the VM and what its guest last said about its memory.
watch_memory() {
    while sleep 10; do
        if [ "$(vm_state "$1")" != Running ]; then
            echo "lab: $1 is $(vm_state "$1") (the scenario fails at its next wait); its console and worker log end:"
            dump_console
            return
        fi
        echo "lab: [$(uptime_s) s] $(show_memory "$1" 2>&1 | sed 's/^lab: //'); guest: $(grep -a HNEST-GUEST-MEM "/tmp/console.$1" 2>/dev/null | tail -n 1 | tr -d '\r')"
    done
}

dynamic_vm dm 50 20 40 400
vm start dm || lab_fail "vm start dm failed"
watch_memory dm &
watcher=$!
wait_for 200 "the guest reported no memory" console_of_has dm HNEST-GUEST-MEMORY-READY
wait_for 30 "MemoryStatus stayed empty: no demand from the guest's balloon statistics" sh -c "$HNEST vm show dm | grep -q '^MemoryStatus *: [A-Z]'"
show_memory dm
idle_rss=$(worker_rss dm)
wait_for 300 "the guest did not fill its memory" console_of_has dm HNEST-GUEST-FILLED
wait_for 60 "MemoryAssigned did not grow past Startup under the guest's demand" assigned_at_least dm 450
show_memory dm
peak_rss=$(worker_rss dm)
demand=$(vm show dm | awk -F' : ' '/^MemoryDemand/ { print $2 }')
[ "$demand" -ge 400 ] || lab_fail "MemoryDemand is $demand MB while the guest holds 400 MiB"
wait_for 200 "the guest did not free its memory" console_of_has dm HNEST-GUEST-FREED
wait_for 90 "MemoryAssigned did not fall back after the free" assigned_at_most dm 320
sleep 5
show_memory dm
after_rss=$(worker_rss dm)
echo "lab: worker RSS idle $idle_rss kB, at the fill's peak $peak_rss kB, after the free $after_rss kB"
[ "$after_rss" -le $((peak_rss - 200 * 1024)) ] || lab_fail "the worker's RSS did not follow the free ($peak_rss kB, then $after_rss kB)"
vm stop dm --turn-off >/dev/null || lab_fail "vm stop dm failed"
kill $watcher

# Host pressure: two VMs of Priority 10 and 90 fill 300 MiB each with room to spare (both get demand + buffer); then
# the lab host takes its own memory, 32 MiB at a time, until the balancer must take from a VM: the low-priority one
# gives first (its buffer) while the high-priority one keeps what it has.
dynamic_vm low 10 20 400 300
dynamic_vm high 90 20 400 300
vm start low || lab_fail "vm start low failed"
vm start high || lab_fail "vm start high failed"
watch_memory low &
watch_memory high &
wait_for 300 "the low-priority guest did not fill its memory" console_of_has low HNEST-GUEST-FILLED
wait_for 300 "the high-priority guest did not fill its memory" console_of_has high HNEST-GUEST-FILLED
wait_for 60 "the low-priority VM did not grow to its demand" assigned_at_least low 330
wait_for 60 "the high-priority VM did not grow to its demand" assigned_at_least high 330
show_memory low
show_memory high
high_before=$(vm_assigned high)
mkdir -p /hog && mount -t tmpfs -o size=2g tmpfs /hog
hogged=0
while [ $(($(vm_assigned high) - $(vm_assigned low))) -lt 40 ]; do
    [ $hogged -ge 1200 ] && lab_fail "the lab host took $hogged MiB and no VM gave anything"
    dd if=/dev/zero of=/hog/$hogged bs=1M count=32 2>/dev/null
    hogged=$((hogged + 32))
    sleep 3
done
echo "lab: the lab host took $hogged MiB ($(awk '/^MemAvailable:/ { print int($2 / 1024) }' /proc/meminfo) MiB left available)"
show_memory low
show_memory high
[ "$(vm_state low)" = Running ] || lab_fail "the low-priority VM is $(vm_state low)"
[ "$(vm_assigned high)" -ge $((high_before - 8)) ] || lab_fail "the high-priority VM gave memory too: $high_before MB, then $(vm_assigned high) MB"
vm stop low --turn-off >/dev/null
vm stop high --turn-off >/dev/null
lab_pass
