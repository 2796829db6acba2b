using System.Text.Json;

namespace HyperNest.PowerShell.Tests;

/// <summary>What a pwsh child process printed and its exit code.</summary>
public sealed record PwshResult(int ExitCode, string Stdout, string Stderr)
{
    public string[] Lines => Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Stdout as JSON (the scripts end in ConvertTo-Json).</summary>
    public JsonElement Json()
    {
        using JsonDocument document = JsonDocument.Parse(Stdout);
        return document.RootElement.Clone();
    }
}
