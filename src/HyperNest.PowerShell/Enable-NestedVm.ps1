<#
.SYNOPSIS
Sets a HyperNest VM up to run its own hypervisor (nested virtualization), as the Hyper-V guide's script does.
.DESCRIPTION
Shows the plan, asks for confirmation (-Force skips it, -WhatIf only shows it), removes saved state, shuts the VM down
if it runs, exposes virtualization extensions and disables Dynamic Memory, and offers MAC address spoofing and 4 GB of
startup memory. Says "already set up for nesting" when there is nothing to do.
.EXAMPLE
./Enable-NestedVm.ps1 -VmName DemoVM
#>
[CmdletBinding(SupportsShouldProcess = $true, ConfirmImpact = 'High')]
param(
    [Parameter(Mandatory = $true, Position = 0)] [string] $VmName,
    [switch] $Force,
    [Nullable[bool]] $EnableMacSpoofing,
    [Nullable[bool]] $RaiseMemoryTo4GB
)

Import-Module HyperNest -ErrorAction Stop
$arguments = @{ VmName = $VmName; Force = $Force }
if ($null -ne $EnableMacSpoofing) { $arguments.EnableMacSpoofing = $EnableMacSpoofing }
if ($null -ne $RaiseMemoryTo4GB) { $arguments.RaiseMemoryTo4GB = $RaiseMemoryTo4GB }
if ($PSBoundParameters.ContainsKey('WhatIf')) { $arguments.WhatIf = $PSBoundParameters.WhatIf }
if ($PSBoundParameters.ContainsKey('Confirm')) { $arguments.Confirm = $PSBoundParameters.Confirm }
Enable-NestedVm @arguments
