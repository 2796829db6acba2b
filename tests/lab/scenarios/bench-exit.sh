# bench-exit: `bench/run host` inside an emulated host (the lab: QEMU TCG with SVM, real kvm_amd), for
# `bench/run emulated` (not part of the test suite). Prints:
#   BENCH exit ...   PIO exit round trip of hnest's built-in guest (hnest.bench=N) vs bench/kvm-loop.c on the same
#                    KVM; per-exit cost = (t(N) - t(0)) / N, medians of HNEST_BENCH_RUNS
#   BENCH start ...  start to poweroff of both with N = 0 (medians)
#   BENCH rss ...    hnest's VmRSS minus the resident part of the 512 MiB guest-RAM mapping (built-in guest, holding)
#   BENCH run ...    the raw times of each run
# kvm-loop (gcc -static) and the built-in guest image come as a gzip'd tar in base64, split over the environment
# variables HNEST_BENCH_PAYLOAD_0, _1, ... (the lab carries its runner's HNEST_* variables as /lab/env; one variable
# may hold at most 128 KiB): bench/run emulated sets them. The lab has no other way to carry an extra file.
# lab-needs: hnest
# lab-timeout: 1500

exits=${HNEST_BENCH_EXITS:-50000}
runs=${HNEST_BENCH_RUNS:-5}
# One run may take this long (busybox timeout, SIGTERM) before the scenario fails instead of hanging.
run_timeout=${HNEST_BENCH_RUN_TIMEOUT:-120}

: > /tmp/payload.b64
i=0
while eval "[ -n \"\${HNEST_BENCH_PAYLOAD_$i:-}\" ]"; do
    eval "printf '%s' \"\$HNEST_BENCH_PAYLOAD_$i\"" >> /tmp/payload.b64
    unset "HNEST_BENCH_PAYLOAD_$i"   # keep 400 KiB of environment out of the processes measured
    i=$((i + 1))
done
[ "$i" -gt 0 ] || lab_fail "no HNEST_BENCH_PAYLOAD_0 in the environment (run this through bench/run emulated)"
mkdir -p /tmp/bench
base64 -d /tmp/payload.b64 | tar -xzf - -C /tmp/bench || lab_fail "the carried payload does not unpack"
rm -f /tmp/payload.b64
LOOP=/tmp/bench/kvm-loop
IMAGE=/tmp/bench/guest.bin
[ -x "$LOOP" ] && [ -f "$IMAGE" ] || lab_fail "the payload holds no kvm-loop and guest.bin"
echo "lab: bench payload unpacked: $(ls -l /tmp/bench | tail -n +2 | awk '{ printf "%s %s B; ", $9, $5 }')"

# Nanoseconds of CLOCK_MONOTONIC (busybox date has no %N); reading it costs the same at both ends of every run.
now_ns() { awk '/^now at/ { print $3; exit }' /proc/timer_list; }

# run_ns <file> <check> <command...>: appends the wall time of one run in ns to /tmp/t.<file> and leaves it in $ns;
# <check> is a fixed string the command's output must hold. Each run is announced on the console first, so a run
# that hangs is named in the serial log.
run_ns() {
    file=$1
    check=$2
    shift 2
    echo "lab: bench run $r $file: $*"
    start=$(now_ns)
    timeout "$run_timeout" "$@" > /tmp/bench.out 2>&1
    rc=$?
    end=$(now_ns)
    [ "$rc" = 143 ] && lab_fail "$* did not finish within $run_timeout s: $(tail -n 2 /tmp/bench.out | tr '\n' ' ')"
    [ "$rc" = 0 ] && grep -qF "$check" /tmp/bench.out || lab_fail "$* exited with $rc: $(tail -n 2 /tmp/bench.out | tr '\n' ' ')"
    ns=$((end - start))
    echo "$ns" >> "/tmp/t.$file"
}

median() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }

rm -f /tmp/t.*
r=1
while [ "$r" -le "$runs" ]; do
    run_ns h0 "HyperNest built-in guest" "$HNEST" run --append hnest.bench=0; h0=$ns
    run_ns hn "HyperNest built-in guest" "$HNEST" run --append "hnest.bench=$exits"; hn=$ns
    run_ns c0 "" "$LOOP" "$IMAGE" 0; c0=$ns
    run_ns cn "$exits" "$LOOP" "$IMAGE" "$exits"; cn=$ns
    echo "BENCH run $r exits=$exits hnest_0_ms=$((h0 / 1000000)) hnest_n_ms=$((hn / 1000000)) loop_0_ms=$((c0 / 1000000)) loop_n_ms=$((cn / 1000000))"
    r=$((r + 1))
done
h0=$(median < /tmp/t.h0); hn=$(median < /tmp/t.hn); c0=$(median < /tmp/t.c0); cn=$(median < /tmp/t.cn)
awk -v h0="$h0" -v hn="$hn" -v c0="$c0" -v cn="$cn" -v n="$exits" -v runs="$runs" 'BEGIN {
    h = (hn - h0) / n / 1000; c = (cn - c0) / n / 1000
    printf "BENCH exit exits=%d runs=%d hnest_us=%.2f loop_us=%.2f ratio=%.2f\n", n, runs, h, c, h / c
    printf "BENCH start runs=%d hnest_ms=%.1f loop_ms=%.1f\n", runs, h0 / 1e6, c0 / 1e6
}'

# Resident memory beyond guest RAM, as bench/run host measures it: once the guest holds, VmRSS minus the Rss of the
# guest-RAM mapping (512 MiB).
echo "lab: bench rss: $HNEST run --memory 512M --append hnest.hold=1"
"$HNEST" run --memory 512M --append hnest.hold=1 > /tmp/hold.out 2>&1 &
pid=$!
waited=0
until grep -q "holding" /tmp/hold.out; do
    [ "$waited" -lt 300 ] || { kill "$pid"; lab_fail "the holding guest did not say so in 30 s"; }
    usleep 100000
    waited=$((waited + 1))
done
sleep 2
rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")
# The kernel may merge a neighbouring anonymous mapping into the guest-RAM one: sizes up to 2 MiB more count.
guest=$(awk '/^[0-9a-f]+-[0-9a-f]+ / { size = 0 } /^Size:/ { size = $2 } /^Rss:/ { if (size >= 524288 && size <= 526336 && $2 >= best) { best = $2; found = size } } END { print best + 0, found + 0 }' "/proc/$pid/smaps")
echo "lab: mappings of 256 MiB or more (size kB, rss kB): $(awk '/^[0-9a-f]+-[0-9a-f]+ / { size = 0 } /^Size:/ { size = $2 } /^Rss:/ { if (size >= 262144) printf "%d/%d ", size, $2 }' "/proc/$pid/smaps")"
mapping=${guest#* }
guest=${guest% *}
kill "$pid"
wait "$pid"
echo "BENCH rss overhead_kib=$((rss - guest)) vmrss_kib=$rss guest_resident_kib=$guest guest_mapping_kib=$mapping"
lab_pass
