using System.Management.Automation;
using HyperNest.Kvm;
using HyperNest.Management;

namespace HyperNest.PowerShell;

/// <summary>The library's typed failures as ErrorRecords with the categories Hyper-V's cmdlets use.</summary>
public static class ErrorRecords
{
    public static ErrorRecord VmNotFound(string name, Exception? inner = null) => new(
        new ItemNotFoundException($"HyperNest was unable to find a virtual machine with name \"{name}\".", inner),
        "VMNotFound",
        ErrorCategory.ObjectNotFound,
        name);

    public static ErrorRecord AdapterNotFound(string vmName, string adapterName) => new(
        new ItemNotFoundException($"HyperNest was unable to find a network adapter named \"{adapterName}\" on virtual machine \"{vmName}\"."),
        "VMNetworkAdapterNotFound",
        ErrorCategory.ObjectNotFound,
        adapterName);

    /// <summary>
    /// An expected failure: of the management library (wrong state, invalid setting, worker failure, broken store),
    /// or a missing file (the hnest binary).
    /// </summary>
    public static ErrorRecord From(Exception exception, object? target)
    {
        ErrorRecord record = Categorized(exception, target);
        record.ErrorDetails = new ErrorDetails(exception.UserMessage());
        return record;
    }

    private static ErrorRecord Categorized(Exception exception, object? target) => exception switch
    {
        VmNotFoundException notFound => VmNotFound(notFound.Name, notFound),
        Management.Checkpoints.CheckpointNotFoundException => new ErrorRecord(exception, "VMSnapshotNotFound", ErrorCategory.ObjectNotFound, target),
        Management.Disks.VirtualHardDiskException disk => VirtualHardDisk(disk, target),
        VmStateException => new ErrorRecord(exception, "InvalidVMState", ErrorCategory.InvalidOperation, target),
        VirtualSwitchNotFoundException => new ErrorRecord(exception, "VMSwitchNotFound", ErrorCategory.ObjectNotFound, target),
        VirtualSwitchExistsException => new ErrorRecord(exception, "VMSwitchExists", ErrorCategory.ResourceExists, target),
        VmValidationException => new ErrorRecord(exception, "InvalidParameter", ErrorCategory.InvalidArgument, target),
        HostPermissionException { Needed: HostPermission.NetAdmin } => new ErrorRecord(exception, "NetAdminRequired", ErrorCategory.PermissionDenied, target),
        HostPermissionException => new ErrorRecord(exception, "AccessDenied", ErrorCategory.PermissionDenied, target),
        HostNetworkException => new ErrorRecord(exception, "HostNetworkFailed", ErrorCategory.OperationStopped, target),
        VmOperationException => new ErrorRecord(exception, "OperationFailed", ErrorCategory.OperationStopped, target),
        VmStoreException => new ErrorRecord(exception, "StoreError", ErrorCategory.ReadError, target),
        FileNotFoundException => new ErrorRecord(exception, "FileNotFound", ErrorCategory.ObjectNotFound, target),
        PathTooLongException => new ErrorRecord(exception, "PathTooLong", ErrorCategory.InvalidArgument, target),
        UnauthorizedAccessException => new ErrorRecord(exception, "AccessDenied", ErrorCategory.PermissionDenied, target),
        IOException => new ErrorRecord(exception, "StoreError", ErrorCategory.WriteError, target),
        _ => new ErrorRecord(exception, "Unexpected", ErrorCategory.NotSpecified, target),
    };

    /// <summary>A disk file refused or failed: Hyper-V's categories for a missing, existing, busy or invalid disk.</summary>
    private static ErrorRecord VirtualHardDisk(Management.Disks.VirtualHardDiskException exception, object? target) => exception.Problem switch
    {
        Management.Disks.VirtualHardDiskProblem.NotFound => new ErrorRecord(exception, "VirtualHardDiskNotFound", ErrorCategory.ObjectNotFound, target),
        Management.Disks.VirtualHardDiskProblem.Exists => new ErrorRecord(exception, "VirtualHardDiskExists", ErrorCategory.ResourceExists, target),
        Management.Disks.VirtualHardDiskProblem.InUse => new ErrorRecord(exception, "VirtualHardDiskInUse", ErrorCategory.ResourceBusy, target),
        Management.Disks.VirtualHardDiskProblem.AccessDenied => new ErrorRecord(exception, "AccessDenied", ErrorCategory.PermissionDenied, target),
        Management.Disks.VirtualHardDiskProblem.ToolMissing => new ErrorRecord(exception, "QemuImgNotInstalled", ErrorCategory.NotInstalled, target),
        Management.Disks.VirtualHardDiskProblem.ToolFailed => new ErrorRecord(exception, "ConversionFailed", ErrorCategory.InvalidData, target),
        _ => new ErrorRecord(exception, "InvalidParameter", ErrorCategory.InvalidArgument, target),
    };

    /// <summary>The failures a cmdlet reports per VM and then goes on with the next one.</summary>
    public static bool IsExpected(Exception exception) => exception is ManagementException or IOException or UnauthorizedAccessException;
}
