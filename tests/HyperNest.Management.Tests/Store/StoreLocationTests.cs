using HyperNest.Management.Store;

namespace HyperNest.Management.Tests.Store;

public sealed class StoreLocationTests
{
    private static Func<string, string?> Env(params (string Key, string Value)[] values) =>
        key => values.FirstOrDefault(v => v.Key == key).Value;

    [Fact]
    public void HyperNest_Home_Wins() =>
        Assert.Equal("/srv/hn", StoreLocation.Resolve(Env(("HYPERNEST_HOME", "/srv/hn"), ("XDG_DATA_HOME", "/x")), isRoot: () => true));

    [Fact]
    public void Root_Uses_Var_Lib() =>
        Assert.Equal("/var/lib/hypernest", StoreLocation.Resolve(Env(("XDG_DATA_HOME", "/x")), isRoot: () => true));

    [Fact]
    public void A_User_Uses_Xdg_Data_Home() =>
        Assert.Equal("/x/hypernest", StoreLocation.Resolve(Env(("XDG_DATA_HOME", "/x"), ("HOME", "/home/u")), isRoot: () => false));

    [Fact]
    public void A_User_Without_Xdg_Uses_Local_Share() =>
        Assert.Equal("/home/u/.local/share/hypernest", StoreLocation.Resolve(Env(("HOME", "/home/u")), isRoot: () => false));
}
