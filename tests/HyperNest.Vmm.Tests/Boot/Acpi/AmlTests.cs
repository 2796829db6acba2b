using HyperNest.Vmm.Boot.Acpi;

namespace HyperNest.Vmm.Tests.Boot.Acpi;

public sealed class AmlTests
{
    [Fact]
    public void S5_Name_Encodes_As_The_Spec_Grammar_Spells_It()
    {
        byte[] aml = Aml.Name("_S5_", Aml.Package(Aml.Integer(5), Aml.Integer(5), Aml.Integer(0), Aml.Integer(0)));

        // NameOp "_S5_" PackageOp PkgLength(8) NumElements(4) BytePrefix 5 BytePrefix 5 Zero Zero
        Assert.Equal([0x08, (byte)'_', (byte)'S', (byte)'5', (byte)'_', 0x12, 0x08, 0x04, 0x0A, 0x05, 0x0A, 0x05, 0x00, 0x00], aml);
    }

    [Theory]
    [InlineData(0UL, new byte[] { 0x00 })]
    [InlineData(1UL, new byte[] { 0x01 })]
    [InlineData(0xFFUL, new byte[] { 0x0A, 0xFF })]
    [InlineData(0x1234UL, new byte[] { 0x0B, 0x34, 0x12 })]
    [InlineData(0xFEC00000UL, new byte[] { 0x0C, 0x00, 0x00, 0xC0, 0xFE })]
    [InlineData(0x1_0000_0000UL, new byte[] { 0x0E, 0, 0, 0, 0, 1, 0, 0, 0 })]
    public void Integers_Take_Their_Shortest_Encoding(ulong value, byte[] expected) => Assert.Equal(expected, Aml.Integer(value));

    [Theory]
    [InlineData(0)]
    [InlineData(62)]
    [InlineData(63)]
    [InlineData(4000)]
    [InlineData(0x10_0000)]
    public void Package_Length_Counts_Itself_And_Decodes_Back(int bodyLength)
    {
        byte[] encoded = Aml.PackageLength(bodyLength);
        byte[] withOpcode = [0x12, .. encoded];
        int position = 0;

        int decoded = AmlReader.PackageLength(withOpcode, ref position);

        Assert.Equal(bodyLength + encoded.Length, decoded);
        Assert.Equal(withOpcode.Length, position);
    }

    [Theory]
    [InlineData("S5")]
    [InlineData("_s5_")]
    [InlineData("5S__")]
    public void Name_Refuses_What_Is_Not_A_NameSeg(string name) =>
        Assert.Throws<ArgumentException>(() => Aml.Name(name, Aml.Integer(0)));
}
