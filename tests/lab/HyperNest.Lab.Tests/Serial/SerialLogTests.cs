using HyperNest.Lab.Serial;

namespace HyperNest.Lab.Tests.Serial;

public sealed class SerialLogTests
{
    [Fact]
    public void Pass_Line_Gives_A_Passing_Verdict()
    {
        SerialLog serial = Feed(SerialLog.LabResultMarker, "LAB-INIT uptime 1.4 s", "LAB-RESULT PASS\r");

        Assert.True(serial.InitReached);
        Assert.Equal(new Verdict(true, ""), serial.Verdict);
    }

    [Fact]
    public void Fail_Line_Carries_Its_Reason()
    {
        SerialLog serial = Feed(SerialLog.LabResultMarker, "LAB-RESULT FAIL boot: hnest exited with 2, expected 0");

        Assert.Equal(new Verdict(false, "boot: hnest exited with 2, expected 0"), serial.Verdict);
    }

    [Fact]
    public void Verdict_Is_Found_Behind_Interleaved_Kernel_Output()
    {
        SerialLog serial = Feed(SerialLog.LabResultMarker, "[    2.07] reboot: PowLAB-RESULT PASS");

        Assert.True(serial.Verdict?.Passed);
    }

    [Fact]
    public void The_First_Verdict_Stands()
    {
        SerialLog serial = Feed(SerialLog.LabResultMarker, "LAB-RESULT FAIL first", "LAB-RESULT PASS");

        Assert.Equal("first", serial.Verdict?.Reason);
    }

    [Fact]
    public void Guest_Markers_Do_Not_Count_As_The_Labs_Verdict()
    {
        SerialLog serial = Feed(SerialLog.LabResultMarker, "guest| HNEST-GUEST-RESULT PASS", "guest| Kernel panic - not syncing: VFS");

        Assert.Null(serial.Verdict);
        Assert.Null(serial.Panic);
    }

    [Fact]
    public void Lab_Kernel_Panic_Is_Recorded_From_The_Marker_On()
    {
        SerialLog serial = Feed(SerialLog.LabResultMarker, "[    1.2] Kernel panic - not syncing: No working init found.");

        Assert.Equal("Kernel panic - not syncing: No working init found.", serial.Panic);
    }

    [Fact]
    public void Shell_Output_Is_Collected_Between_The_Markers_With_The_Exit_Code()
    {
        SerialLog serial = Feed(SerialLog.LabResultMarker,
            "LAB-INIT uptime 1 s", "LAB-SHELL-BEGIN", "hello", "LAB-RESULT PASS (printed by the command)", "LAB-SHELL-END 7", "LAB-RESULT PASS");

        Assert.Equal(["hello", "LAB-RESULT PASS (printed by the command)"], serial.ShellOutput);
        Assert.Equal(7, serial.ShellExitCode);
        Assert.True(serial.Verdict?.Passed);
    }

    [Fact]
    public void Guest_Check_Reads_The_Guest_Marker()
    {
        SerialLog serial = Feed(SerialLog.GuestResultMarker, "HNEST-GUEST-RESULT FAIL /dev/vda did not appear");

        Assert.Equal(new Verdict(false, "/dev/vda did not appear"), serial.Verdict);
    }

    private static SerialLog Feed(string marker, params string[] lines)
    {
        var serial = new SerialLog(marker);
        foreach (string line in lines)
        {
            serial.Accept(line);
        }

        return serial;
    }
}
