<#
.SYNOPSIS
Says whether this host can run VMs inside its HyperNest VMs, and whether each VM is set up for it.
.DESCRIPTION
Prints the host verdict (YES/NO) with every reason and its fix, then the emulated host's verdict (QEMU TCG: nested
guests run, slowly) with its reasons, what `--accel auto` picks, then each VM's verdict, in colour. -Json prints the
same for scripts; -PassThru also returns the objects (as Get-NestedVirtStatus does).
.EXAMPLE
./Get-NestedVirtStatus.ps1
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)] [string[]] $VMName,
    [switch] $Json,
    [switch] $PassThru
)

Import-Module HyperNest -ErrorAction Stop
$status = if ($VMName) { Get-NestedVirtStatus -VMName $VMName } else { Get-NestedVirtStatus }
if ($Json) {
    $status | ConvertTo-Json -Depth 6
    return
}

function Write-Reasons($reasons) {
    foreach ($reason in $reasons) {
        if ($reason.IsBlocking) { Write-Host "  x $($reason.Message)" -ForegroundColor Red }
        else { Write-Host "  ! warning: $($reason.Message)" -ForegroundColor Yellow }
        Write-Host "      fix: $($reason.Fix)" -ForegroundColor DarkGray
    }
}

if ($status.Host.Supported) { Write-Host 'Host: YES: this host can expose virtualization extensions to its VMs' -ForegroundColor Green }
else { Write-Host 'Host: NO: this host cannot expose virtualization extensions to its VMs' -ForegroundColor Red }
Write-Reasons $status.Host.Reasons
$facts = $status.Host.Facts
Write-Host "  KVM module: $($facts.VendorModuleName), guest kernel mode: $($facts.GuestKernelMode), API version: $($facts.KvmApiVersion)"
$emulated = $status.Emulated
if ($emulated.Supported) { Write-Host 'Emulated host: YES: VMs, nested guests included, can run on an emulated host (QEMU TCG, AMD CPU with SVM, kvm_amd nested=1)' -ForegroundColor Green }
else { Write-Host 'Emulated host: NO: the emulated host (QEMU TCG, AMD CPU with SVM, kvm_amd nested=1) cannot start here' -ForegroundColor Red }
Write-Reasons $emulated.Reasons
$ef = $emulated.Facts
$qemu = if ($ef.QemuPath) { $ef.QemuPath } else { 'not on PATH' }
$kernel = switch ($ef.GuestKernelSource.ToString()) {
    'Local' { "$($ef.LocalKernelPath) with $($ef.LocalModulesPath)" }
    'AptDownload' { 'apt-get download linux-image-cloud-amd64 on first use' }
    default { 'none' }
}
Write-Host "  QEMU: $qemu, busybox: $($ef.BusyboxPath) ($($ef.Busybox.ToString().ToLowerInvariant())), kernel: $kernel"
Write-Host "Accelerator: --accel auto picks $($status.AutoAccelerator)"
foreach ($vm in $status.VMs) {
    if ($vm.Ready) { Write-Host "VM $($vm.Name) ($($vm.State)): YES: set up to host VMs" -ForegroundColor Green }
    else { Write-Host "VM $($vm.Name) ($($vm.State)): NO: not set up to host VMs" -ForegroundColor Red }
    Write-Reasons $vm.Reasons
    foreach ($beyond in $vm.BeyondHyperV) { Write-Host "  + beyond Hyper-V: $beyond" -ForegroundColor Green }
}
if ($PassThru) { $status }
