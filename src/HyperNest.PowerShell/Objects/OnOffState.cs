namespace HyperNest.PowerShell.Objects;

/// <summary>Hyper-V's On/Off switch type (-MacAddressSpoofing On).</summary>
public enum OnOffState
{
    On,
    Off,
}
