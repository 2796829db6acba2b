# Shell functions shared by the lab host's /init and the inner guest's /init (busybox ash).
# Installed as /etc/lab/common.sh by tests/lab/HyperNest.Lab (Initramfs/RootFilesystem.cs).

mount_basics() {
    mount -t proc proc /proc
    mount -t sysfs sysfs /sys
    mount -t devtmpfs devtmpfs /dev
    mkdir -p /dev/pts /dev/shm
    mount -t tmpfs tmpfs /tmp
}

# The value of key=value on the kernel command line, empty when absent.
cmdline_value() {
    for word in $(cat /proc/cmdline); do
        case "$word" in "$1="*) echo "${word#"$1="}"; return 0 ;; esac
    done
    return 1
}

# insmod every module in /modules/load-order (dependencies come first). Busybox insmod does not read the kernel
# command line the way modprobe does, so <module>.<param>=<value> words there are handed to insmod here
# (virtio_mmio.device=..., kvm_amd.nested=1).
load_modules() {
    for module in $(cat /modules/load-order); do
        params=""
        for word in $(cat /proc/cmdline); do
            case "$word" in "$module."*) params="$params ${word#"$module."}" ;; esac
        done
        # shellcheck disable=SC2086 # params are separate words on purpose
        insmod "/modules/$module.ko" $params || echo "init: insmod $module$params failed"
    done
}

VERDICT_FILE=/tmp/verdict

# print_verdict <marker> PASS | print_verdict <marker> FAIL <reason>
# Prints the verdict line the host looks for and ends the scenario (scenarios run in a subshell).
print_verdict() {
    marker=$1
    shift
    echo "$marker $*"
    : > "$VERDICT_FILE"
    [ "$1" = PASS ] && exit 0
    exit 1
}

# run_scenario <marker> <script> <name>: runs the script in a subshell in /tmp with this file's functions; a
# scenario that ends without a verdict fails.
run_scenario() {
    ( cd /tmp && . "$2" )
    rc=$?
    [ -e "$VERDICT_FILE" ] || echo "$1 FAIL scenario $3 ended with exit code $rc and no verdict"
}
