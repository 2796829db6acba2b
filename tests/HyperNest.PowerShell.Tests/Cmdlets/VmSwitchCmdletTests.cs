using System.Text.Json;

namespace HyperNest.PowerShell.Tests.Cmdlets;

/// <summary>New/Get/Set/Remove-VMSwitch and Connect/Disconnect-VMNetworkAdapter.</summary>
public sealed class VmSwitchCmdletTests : IDisposable
{
    private readonly PowerShellHome _home = new();

    public void Dispose()
    {
        // Switches a test made on the host (root only) go with their bridges.
        if (HostNetAdmin.Usable && Directory.Exists(Path.Combine(_home.Path, "switches")))
        {
            _home.Run("Get-VMSwitch | Remove-VMSwitch -Force");
        }

        _home.Dispose();
    }

    [SkippableFact]
    public void Switches_Are_Made_Found_Changed_And_Removed_With_Hyper_V_s_Parameters()
    {
        Skip.IfNot(HostNetAdmin.Usable, HostNetAdmin.WhyNot);

        JsonElement results = _home.Json("""
            New-VMSwitch -Name hnt-ps -SwitchType Internal -Notes lab | Select-Object Name, SwitchType, AllowManagementOS, ManagementOSAdapterName, Notes
            New-VMSwitch hnt-ps2 -SwitchType Private | Out-Null
            (Get-VMSwitch hnt-ps*).Name -join ','
            (Get-VMSwitch -SwitchType Private).Name
            Set-VMSwitch hnt-ps -SwitchType Private -Passthru | Select-Object SwitchType, AllowManagementOS, ManagementOSAdapterName
            New-VM web -SwitchName HNT-PS | Out-Null
            (Get-VMSwitch hnt-ps).ConnectedAdapters
            Test-Path "/sys/class/net/$((Get-VMSwitch hnt-ps).BridgeName)"
            Get-VMSwitch hnt-ps* | Remove-VMSwitch -Force
            $null -eq (Get-VMNetworkAdapter web).SwitchName
            @(Get-VMSwitch).Count
            """);

        Assert.Equal(
            """[{"Name":"hnt-ps","SwitchType":"Internal","AllowManagementOS":true,"ManagementOSAdapterName":"vEthernet (hnt-ps)","Notes":"lab"},"hnt-ps,hnt-ps2","hnt-ps2",""" +
            """{"SwitchType":"Private","AllowManagementOS":false,"ManagementOSAdapterName":null},"web/Network Adapter",true,true,0]""",
            results.GetRawText());
    }

    [SkippableFact]
    public void Host_Side_Errors_Have_Hyper_V_s_Categories()
    {
        Skip.IfNot(HostNetAdmin.Usable, HostNetAdmin.WhyNot);

        IReadOnlyList<PwshError> errors = _home.Errors("""
            New-VMSwitch hnt-dup -SwitchType Private | Out-Null
            New-VMSwitch HNT-DUP -SwitchType Internal
            New-VMSwitch hnt-ext -NetAdapterName hntnosuch0
            """);

        Assert.Equal([("ResourceExists", "VMSwitchExists,HyperNest.PowerShell.Cmdlets.NewVMSwitchCommand"), ("InvalidArgument", "InvalidParameter,HyperNest.PowerShell.Cmdlets.NewVMSwitchCommand")],
            errors.Select(e => (e.Category, e.Id)));
        Assert.Equal("A virtual switch named 'HNT-DUP' already exists.", errors[0].Message);
        Assert.Equal("The network adapter 'hntnosuch0' was not found on this host.", errors[1].Message);
    }

    [Fact]
    public void Switch_Cmdlets_Have_Hyper_V_s_Parameter_Sets_And_Positions()
    {
        JsonElement shapes = _home.Json("""
            foreach ($name in 'New-VMSwitch', 'Get-VMSwitch', 'Set-VMSwitch', 'Remove-VMSwitch', 'Connect-VMNetworkAdapter', 'Disconnect-VMNetworkAdapter') {
                ((Get-Command $name).ParameterSets | Sort-Object Name | ForEach-Object {
                    $_.Name + ':' + (($_.Parameters | Where-Object Position -ge 0 | Sort-Object Position | ForEach-Object Name) -join ',')
                }) -join ' '
            }
            $attribute = (Get-Command Remove-VMSwitch).ImplementingType.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
            "Remove-VMSwitch: $($attribute.SupportsShouldProcess) $($attribute.ConfirmImpact)"
            """);

        Assert.Equal(
            [
                "NetAdapterName:Name SwitchType:Name",
                "Id:Id Name:Name",
                "SwitchName_NetAdapterName:Name,NetAdapterName SwitchName_SwitchType:Name SwitchObject_NetAdapterName:VMSwitch,NetAdapterName SwitchObject_SwitchType:VMSwitch",
                "Name:Name SwitchObject:VMSwitch",
                "ResourceObject:VMNetworkAdapter,SwitchName VMName:VMName,Name,SwitchName VMObject:VM,Name,SwitchName",
                "ResourceObject:VMNetworkAdapter VMName:VMName,Name VMObject:VM,Name",
                "Remove-VMSwitch: True High",
            ],
            shapes.EnumerateArray().Select(s => s.GetString()));
    }

    [Fact]
    public void Unknown_Switches_Are_ObjectNotFound_Wherever_They_Are_Named()
    {
        IReadOnlyList<PwshError> errors = _home.Errors("""
            New-VM web | Out-Null
            Get-VMSwitch nosuch; Set-VMSwitch nosuch -Notes x; Remove-VMSwitch nosuch -Force
            Connect-VMNetworkAdapter web -SwitchName nosuch; Add-VMNetworkAdapter web -Name lan -SwitchName nosuch
            """);

        Assert.Equal(5, errors.Count);
        Assert.All(errors, e => Assert.Equal("ObjectNotFound", e.Category));
        Assert.Equal("HyperNest was unable to find a virtual switch with name \"nosuch\".", errors[0].Message);
        Assert.Equal("HyperNest was unable to find a virtual switch with name \"nosuch\".", errors[3].Message);
        Assert.Equal("HyperNest was unable to find a virtual switch with name \"nosuch\".", errors[4].Message);
    }

    [Fact]
    public void Adapters_Connect_By_Name_And_From_The_Pipeline_And_Disconnect()
    {
        SwitchRecord.Write(_home.Path, "lab");

        JsonElement results = _home.Json("""
            New-VM web | Out-Null; Add-VMNetworkAdapter web -Name second
            Connect-VMNetworkAdapter web 'Network Adapter' LAB -Passthru | Select-Object Name, SwitchName, Connected
            Get-VMNetworkAdapter web -Name second | Connect-VMNetworkAdapter -SwitchName lab
            (Get-VMNetworkAdapter web).SwitchName -join ','
            Disconnect-VMNetworkAdapter web -Name second -Passthru | Select-Object Name, Connected
            Get-VMNetworkAdapter web | Disconnect-VMNetworkAdapter
            @(Get-VMNetworkAdapter web | Where-Object Connected).Count
            """);

        Assert.Equal(
            """[{"Name":"Network Adapter","SwitchName":"lab","Connected":true},"lab,lab",{"Name":"second","Connected":false},0]""",
            results.GetRawText());
    }

    [Fact]
    public void A_Piped_Adapter_Is_The_Only_One_Changed()
    {
        SwitchRecord.Write(_home.Path, "lab");

        JsonElement results = _home.Json("""
            New-VM web | Out-Null; Add-VMNetworkAdapter web -Name second
            Get-VMNetworkAdapter -VMName web -Name second | Connect-VMNetworkAdapter -SwitchName lab
            Get-VMNetworkAdapter -VMName web -Name second | Set-VMNetworkAdapter -MacAddressSpoofing On
            @(Get-VMNetworkAdapter web -Name second | Set-VMNetworkAdapter -MacAddressSpoofing On -Passthru).Count
            Get-VMNetworkAdapter web | ForEach-Object { "$($_.Name)=$($_.SwitchName)/$($_.MacAddressSpoofing)" }
            Get-VMNetworkAdapter -VMName web -Name second | Disconnect-VMNetworkAdapter
            (Get-VMNetworkAdapter web -Name second).Connected
            """);

        Assert.Equal("""[1,"Network Adapter=/Off","second=lab/On",false]""", results.GetRawText());
    }

    [Fact]
    public void Get_VMSwitch_Shows_Hyper_V_s_Table_And_WhatIf_Or_No_Changes_Nothing()
    {
        SwitchRecord.Write(_home.Path, "lab");

        PwshResult table = _home.Ok("Get-VMSwitch | Out-String -Width 200");
        PwshResult whatIf = _home.Ok("New-VMSwitch hnt-whatif -SwitchType Private -WhatIf; Remove-VMSwitch lab -WhatIf; @(Get-VMSwitch).Count");
        PwshResult declined = _home.Run("Remove-VMSwitch lab; @(Get-VMSwitch).Count", input: "N\n");

        Assert.Matches(@"^Name\s+SwitchType\s+NetAdapterInterfaceDescription$", table.Lines[0]);
        Assert.Matches(@"^lab\s+Private$", table.Lines[2]);
        Assert.Equal("1", whatIf.Lines[^1]);
        Assert.Equal("1", declined.Lines[^1]);
    }
}
