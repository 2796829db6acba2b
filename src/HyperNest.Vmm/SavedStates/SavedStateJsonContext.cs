using System.Text.Json.Serialization;
using HyperNest.Vmm.Cpu;
using HyperNest.Vmm.Devices.InKernel;

namespace HyperNest.Vmm.SavedStates;

/// <summary>
/// Source-generated JSON (NativeAOT: no reflection) for the saved-state records of the VMM: a state file's body
/// (<see cref="VmSavedState"/>) and the records in it, such as a vCPU's <see cref="VcpuState"/> and the in-kernel
/// devices' <see cref="InKernelDevicesState"/>. byte[] blobs are base64; enums are their names.
/// <para>
/// Null properties are left out (<c>WhenWritingNull</c>): the generated fast path writes a null byte[] as "", which
/// reads back as an empty array, so a null <see cref="VcpuState.NestedState"/> would come back present.
/// </para>
/// </summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, UseStringEnumConverter = true)]
[JsonSerializable(typeof(VmSavedState))]
[JsonSerializable(typeof(VcpuState))]
[JsonSerializable(typeof(InKernelDevicesState))]
public sealed partial class SavedStateJsonContext : JsonSerializerContext;
