namespace HyperNest.Vmm.SavedStates;

/// <summary>
/// A saved state cannot be restored: its files are missing, damaged, foreign, from another schema, or do not fit the
/// VM as it is configured now. The message is one line naming the file or the difference; the files are left as
/// they are.
/// </summary>
public sealed class SavedStateException(string message) : Exception(message);
