@{
  RootModule = 'HyperNest.PowerShell.dll'
  ModuleVersion = '0.1.0'
  GUID = '5b7f3c52-8d0e-4a4f-9a61-3f0f6c1e2d47'
  Author = 'HyperNest'
  CompanyName = 'HyperNest'
  Copyright = '(c) HyperNest'
  Description = 'Hyper-V-compatible cmdlets for HyperNest, a Linux/KVM hypervisor with nested virtualization.'
  PowerShellVersion = '7.4'
  CompatiblePSEditions = @('Core')
  FormatsToProcess = @('HyperNest.format.ps1xml')
  CmdletsToExport = @(
    'New-VM'
    'Get-VM'
    'Set-VM'
    'Rename-VM'
    'Measure-VM'
    'Get-VMHost'
    'Set-VMHost'
    'Start-VM'
    'Stop-VM'
    'Restart-VM'
    'Suspend-VM'
    'Resume-VM'
    'Save-VM'
    'Remove-VMSavedState'
    'Checkpoint-VM'
    'Get-VMSnapshot'
    'Restore-VMSnapshot'
    'Remove-VMSnapshot'
    'Rename-VMSnapshot'
    'Remove-VM'
    'Get-VMProcessor'
    'Set-VMProcessor'
    'Get-VMMemory'
    'Set-VMMemory'
    'Get-VMNetworkAdapter'
    'Add-VMNetworkAdapter'
    'Set-VMNetworkAdapter'
    'Remove-VMNetworkAdapter'
    'Connect-VMNetworkAdapter'
    'Disconnect-VMNetworkAdapter'
    'New-VMSwitch'
    'Get-VMSwitch'
    'Set-VMSwitch'
    'Remove-VMSwitch'
    'Get-VMHardDiskDrive'
    'Add-VMHardDiskDrive'
    'Remove-VMHardDiskDrive'
    'New-VHD'
    'Get-VHD'
    'Resize-VHD'
    'Convert-VHD'
    'Set-VMBootSource'
    'Get-NestedVirtStatus'
    'Enable-NestedVm'
  )
  FunctionsToExport = @()
  VariablesToExport = @()
  AliasesToExport = @('Get-VMCheckpoint', 'Restore-VMCheckpoint', 'Remove-VMCheckpoint', 'Rename-VMCheckpoint')
  PrivateData = @{
    PSData = @{
      Tags = @('HyperNest', 'Hyper-V', 'KVM', 'Linux', 'Virtualization')
    }
  }
}
