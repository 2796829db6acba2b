# nested-status: in the lab host (SVM, kvm_amd nested=1), `hnest nested status --json` says supported=true: KVM is
# kvm_amd with nested on and offers SVM in its supported CPUID. The text form is printed for the log.
# lab-needs: hnest
# lab-timeout: 120

"$HNEST" nested status
"$HNEST" nested status --json > /tmp/status.json 2>&1 || lab_fail "hnest nested status --json exited with $?: $(head -c 300 /tmp/status.json)"
cat /tmp/status.json

# The JSON is indented one property per line (CliJsonContext: WriteIndented); busybox has no JSON parser.
json_has() {
    grep -q "\"$1\": $2" /tmp/status.json || lab_fail "nested status --json has no \"$1\": $2 ($(grep "\"$1\"" /tmp/status.json | head -n1 | tr -s ' '))"
}
json_has supported true
json_has vendorModuleName '"kvm_amd"'
json_has nestedEnabled true
json_has supportedCpuidOffersSvm true
json_has cpuHasSvm true
json_has guestKernelMode '"Hardware"'
grep -q '"vms": \[\]' /tmp/status.json || lab_fail "nested status --json has no empty \"vms\" array"
lab_pass
