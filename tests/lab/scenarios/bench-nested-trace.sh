# bench-nested-trace: the nested scenario's three levels with timestamps at each step of the middle guest (not part
# of the test suite; run with --verbose, e.g. through a timestamping reader, to see where a nested run spends its
# time). The middle guest runs the guest scenario below instead of guest/nested.sh: the same steps (hnest nested
# status, then hnest run of the ordinary guest), each bracketed by "TRACE <step> begin|end uptime=<s>" lines, plus the
# clocksource and the kernel's random/crng/clocksource messages. The script reaches the middle guest as a second newc
# archive appended to the nested guest initramfs (the kernel unpacks concatenated archives), so no lab change is
# needed. Samplers print the lab's hnest threads (state, user and system ticks) every 2 s, and the middle hnest's
# threads and resident memory every second while it runs the innermost guest. Findings: docs/benchmarks.md.
# lab-needs: hnest nested-guest
# lab-timeout: 900

HNEST_TIMEOUT=${HNEST_TIMEOUT_NESTED:-600}
mkdir -p /tmp/extra/scenarios
cat > /tmp/extra/scenarios/bench-trace.sh <<'GUEST'
up() { cut -d' ' -f1 /proc/uptime; }
step() { echo "TRACE $1 uptime=$(up) load=$(cut -d' ' -f1-3 /proc/loadavg)"; }
kernel_notes() {
    echo "TRACE clocksource=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource) available=$(cat /sys/devices/system/clocksource/clocksource0/available_clocksource)"
    dmesg | grep -iE "random|crng|clocksource|tsc|watchdog|rcu|hung|soft lockup" | sed 's/^/TRACE dmesg: /'
}
step start
kernel_notes
[ -c /dev/kvm ] || guest_fail "/dev/kvm is missing"
# Steps without hnest first: a busybox fork, /proc/cpuinfo read twice, a 1 s sleep, 64 MiB written twice.
step true-begin
/bin/true
step true-end
cat /proc/cpuinfo > /dev/null
step cpuinfo1-read
cat /proc/cpuinfo > /dev/null
step cpuinfo2-read
sleep 1
step sleep1-end
# First touch of middle-guest memory vs touching the same pages again: 64 MiB written to tmpfs, freed, written again.
step touch1-begin
dd if=/dev/zero of=/dev/shm/touch bs=1M count=64 2>/dev/null
step touch1-end
rm /dev/shm/touch
step touch2-begin
dd if=/dev/zero of=/dev/shm/touch bs=1M count=64 2>/dev/null
step touch2-end
rm /dev/shm/touch
step status-begin
/lab/hnest nested status > /tmp/status.out 2>&1
step status-end
step version-begin
/lab/hnest --version
step version-end
step status2-begin
/lab/hnest nested status > /tmp/status2.out 2>&1
step status2-end
tsc_khz=$(awk -F: '/^cpu MHz/ { printf "%d", $2 * 1000; exit }' /proc/cpuinfo)
step cpuinfo-read
append="console=ttyS0 panic=-1 quiet${tsc_khz:+ tsc_early_khz=$tsc_khz} hnest.scenario=boot"
step run-begin
# Every second (middle guest's clock): the middle hnest's threads name:state:utime:stime:wchan, its VmRSS, and the
# kernel stack of each running thread (empty while a vCPU thread is in guest mode; its guest time counts as utime).
(
    while sleep 1; do
        pid=$(pidof hnest | cut -d' ' -f1)
        [ -n "$pid" ] || continue
        threads=$(for t in /proc/$pid/task/*; do
            w=$(cat "$t/wchan" 2>/dev/null)
            awk -v w="$w" '{ sub(/^[0-9]+ \(/, ""); n = $0; sub(/\).*/, "", n); sub(/^[^)]*\) /, ""); print n ":" $1 ":" $12 ":" $13 ":" w }' "$t/stat" 2>/dev/null
        done | tr '\n' ' ')
        echo "TRACE mid sample uptime=$(up) rss=$(awk '/^VmRSS:/ { print $2 }' /proc/$pid/status) cpu=$(awk '/^cpu / { print $2 "," $4 "," $5 "," $7 "," $8 }' /proc/stat) $threads"
        for t in /proc/$pid/task/*; do
            [ "$(cut -d' ' -f3 "$t/stat")" = R ] && echo "TRACE mid stack $(cat "$t/comm"): $(tr '\n' ' ' < "$t/stack" 2>/dev/null)"
        done
    done
) &
sampler=$!
{
    /lab/hnest run --kernel /lab/vmlinuz --initrd /lab/guest-initrd.img --append "$append" --memory 256M --cpus 1 2>&1
    echo $? > /tmp/inner.rc
} | while IFS= read -r line; do echo "inner| [mid $(up)] $line"; done
kill "$sampler"
step run-end
kernel_notes
[ "$(cat /tmp/inner.rc)" = 0 ] || guest_fail "the inner hnest exited with $(cat /tmp/inner.rc)"
guest_pass
GUEST
(cd /tmp/extra && find scenarios | cpio -o -H newc > /tmp/extra.cpio 2>/dev/null) || lab_fail "cpio -o failed"
cat /lab/nested-guest-initrd.img /tmp/extra.cpio > /tmp/nested-trace-initrd.img
GUEST_INITRD=/tmp/nested-trace-initrd.img

echo "TRACE lab clocksource=$(cat /sys/devices/system/clocksource/clocksource0/current_clocksource) uptime=$(cut -d' ' -f1 /proc/uptime)"
dmesg | grep -iE "random|crng|clocksource|tsc" | sed 's/^/TRACE lab dmesg: /'
# Every 2 s (lab clock): per thread of the lab's hnest, name:state:utime:stime (clock ticks), and the lab's CPU
# time split (user nice system idle ... from /proc/stat), to see what the lab host does while the middle guest stalls.
(
    while sleep 2; do
        pid=$(pidof hnest | cut -d' ' -f1)
        [ -n "$pid" ] || continue
        threads=$(for t in /proc/$pid/task/*; do
            awk '{ sub(/^[0-9]+ \(/, ""); n = $0; sub(/\).*/, "", n); sub(/^[^)]*\) /, ""); print n ":" $1 ":" $12 ":" $13 }' "$t/stat" 2>/dev/null
        done | tr '\n' ' ')
        echo "TRACE lab sample uptime=$(cut -d' ' -f1 /proc/uptime) cpu=$(awk '/^cpu / { print $2 "," $4 "," $5 "," $7 "," $8 }' /proc/stat) $threads"
    done
) &
sampler=$!
started=$(cut -d' ' -f1 /proc/uptime)
hnest_guest bench-trace "kvm_amd.nested=1" --nested --cpus 2 --memory 1G
kill "$sampler"
echo "TRACE lab: three levels took $(awk -v s="$started" '{ printf "%.1f", $1 - s }' /proc/uptime) s (lab uptime)"
expect_hnest_exit 0 "nested trace VM"
grep -q "HNEST-GUEST-BOOT-OK" /tmp/hnest.out || lab_fail "the innermost guest's HNEST-GUEST-BOOT-OK did not reach the lab$(guest_verdict_hint)"
grep -q "^HNEST-GUEST-RESULT PASS" /tmp/hnest.out || lab_fail "the middle guest did not pass$(guest_verdict_hint)"
dmesg | grep -iE "random|crng|clocksource|tsc|watchdog|rcu|hung|soft lockup" | sed 's/^/TRACE lab dmesg end: /'
lab_pass
