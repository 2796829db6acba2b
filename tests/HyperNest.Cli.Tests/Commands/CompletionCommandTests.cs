namespace HyperNest.Cli.Tests.Commands;

/// <summary>
/// <c>hnest completion bash|zsh</c>: the script parses, and sourced in bash with COMP_WORDS set as bash sets them on
/// Tab, offers hnest's verbs, options, option values and the store's VM and switch names.
/// </summary>
public sealed class CompletionCommandTests : IDisposable
{
    private readonly VmHome _home = new();

    private readonly string _script;

    /// <summary>An executable named hnest that runs the hnest under test, as the script calls it back for names.</summary>
    private readonly string _hnest;

    public CompletionCommandTests()
    {
        _script = Path.Combine(_home.Path, "hnest.bash");
        File.WriteAllText(_script, _home.Ok("completion", "bash").Stdout);
        _hnest = Path.Combine(_home.Path, "hnest");
        File.WriteAllText(_hnest, $"#!/bin/sh\nexec dotnet '{Path.Combine(AppContext.BaseDirectory, "hnest.dll")}' \"$@\"\n");
        File.SetUnixFileMode(_hnest, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    public void Dispose() => _home.Dispose();

    [Fact]
    public void Bash_Script_Parses()
    {
        HnestProcess.Result check = HnestProcess.RunCommand("bash", "-n", _script);

        Assert.True(check.ExitCode == 0, check.Stderr);
    }

    [Fact]
    public void Zsh_Script_Is_The_Bash_Functions_Under_Bashcompinit_And_Parses_In_Bash()
    {
        string zsh = _home.Ok("completion", "zsh").Stdout;
        string file = Path.Combine(_home.Path, "hnest.zsh");
        File.WriteAllText(file, zsh);

        Assert.StartsWith("#compdef hnest\n", zsh, StringComparison.Ordinal);
        Assert.Contains("bashcompinit", zsh, StringComparison.Ordinal);
        Assert.Contains("complete -F _hnest hnest", zsh, StringComparison.Ordinal);
        Assert.Equal(0, HnestProcess.RunCommand("bash", "-n", file).ExitCode);
    }

    [SkippableFact]
    public void Zsh_Completes_Verbs_And_VM_Names_Through_Bashcompinit()
    {
        string? zsh = ((string[])["/usr/bin/zsh", "/bin/zsh"]).FirstOrDefault(File.Exists);
        Skip.If(zsh is null, "zsh is not installed (apt-get install zsh)");
        string file = Path.Combine(_home.Path, "hnest.zsh");
        File.WriteAllText(file, _home.Ok("completion", "zsh").Stdout);
        _home.Ok("vm", "new", "web two");

        // As zsh's bashcompinit calls the function: under sh emulation (arrays from 0), compsys loaded.
        string Complete(string words, int cword) => HnestProcess.RunCommand("env", $"HYPERNEST_HOME={_home.Path}", zsh, "-f", "-c",
            $"autoload -U compinit && compinit -u; source '{file}'; emulate -L sh; setopt kshglob noshglob braceexpand; " +
            $"COMP_WORDS=('{_hnest}' {words}); COMP_CWORD={cword}; _hnest; print -r -- \"${{COMPREPLY[*]}}\"").Stdout.Trim();

        // zsh's compgen -W offers every word and lets zsh match them against what was typed.
        Assert.Equal(["start", "stop"], Complete("vm st", 2).Split(' ').Where(w => w.StartsWith("st", StringComparison.Ordinal)));
        Assert.Contains("set-processor", Complete("vm st", 2).Split(' '));
        Assert.Equal(@"web\ two", Complete("vm start w", 3));
    }

    [Fact]
    public void An_Unknown_Shell_Is_Bad_Input()
    {
        Assert.Contains("fish", _home.Fails("completion", "fish"), StringComparison.Ordinal);
    }

    [Fact]
    public void Verbs_Complete_At_Each_Level()
    {
        Assert.Equal(["start", "stop"], Complete("vm", "st"));
        Assert.Equal(["completion", "disk", "host", "nested", "run", "switch", "vm"], Complete(""));
        Assert.Equal(["add", "connect", "disconnect", "list", "remove", "set"], Complete("vm", "adapter", ""));
    }

    [Fact]
    public void Options_And_Their_Values_Complete()
    {
        Assert.Equal(["--timeout", "--turn-off"], Complete("vm", "stop", "web", "--t"));
        Assert.Equal(["--force", "--help", "--json", "--timeout", "--turn-off", "-h"], Complete("vm", "stop", "-"));
        Assert.Equal(["auto", "emulated", "kvm"], Complete("vm", "set", "web", "--accel", ""));
        Assert.Equal(["false", "true"], Complete("vm", "set-processor", "web", "--expose-virtualization-extensions", ""));
        Assert.Equal(["external", "internal", "private"], Complete("switch", "new", "lab", "--type", ""));
    }

    [Fact]
    public void VM_And_Switch_Names_Come_From_The_Store_Escaped_For_The_Shell()
    {
        _home.Ok("vm", "new", "web");
        _home.Ok("vm", "new", "web two");
        _home.Ok("vm", "new", "db");
        _home.AddSwitchRecord("lab");

        Assert.Equal(["web", @"web\ two"], Complete("vm", "start", "w"));
        Assert.Equal(["db"], Complete("vm", "set-memory", "--startup", "1G", "d"));
        Assert.Equal(["lab"], Complete("vm", "new", "x", "--switch", ""));
        Assert.Equal(["lab"], Complete("switch", "show", ""));
        // A VM name given, the next argument is not a VM again; a new VM's name is new.
        Assert.Empty(Complete("vm", "start", "web", ""));
        Assert.Empty(Complete("vm", "new", "w"));
    }

    /// <summary>What the script offers for <c>hnest WORDS...</c>, the cursor at the end of the last word, sorted.</summary>
    private string[] Complete(params string[] words)
    {
        string array = string.Join(' ', ((string[])[_hnest, .. words]).Select(w => "'" + w.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        string script = $"source '{_script}'; COMP_WORDS=({array}); COMP_CWORD={words.Length}; _hnest; printf '%s\\n' \"${{COMPREPLY[@]}}\"";
        HnestProcess.Result result = HnestProcess.RunCommand("env", $"HYPERNEST_HOME={_home.Path}", "bash", "-c", script);
        Assert.True(result.ExitCode == 0, result.Stderr);
        return [.. result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];
    }
}
