using System.Buffers.Binary;
using System.Text;

namespace HyperNest.Vmm.Tests.Boot.Acpi;

/// <summary>
/// A decoder for the part of AML (ACPI 6.5 §20) a DSDT of <c>Name</c>s holds: enough to evaluate <c>\_S5_</c> as
/// ACPICA would, written from the grammar rather than from the encoder.
/// </summary>
internal static class AmlReader
{
    /// <summary>The integers of the package named <paramref name="name"/> by a top-level <c>Name</c> in <paramref name="aml"/>.</summary>
    public static IReadOnlyList<ulong> NamedPackage(ReadOnlySpan<byte> aml, string name)
    {
        int position = 0;
        while (position < aml.Length)
        {
            Assert.Equal(0x08, aml[position]); // NameOp: the only term a Name-only DSDT holds
            string seg = Encoding.ASCII.GetString(aml.Slice(position + 1, 4));
            position += 5;
            Assert.Equal(0x12, aml[position]); // PackageOp
            int packageStart = position + 1;
            int packageLength = PackageLength(aml, ref position);
            int packageEnd = packageStart + packageLength;
            int count = aml[position++];
            var values = new List<ulong>();
            for (int i = 0; i < count; i++)
            {
                values.Add(Integer(aml, ref position));
            }

            Assert.Equal(packageEnd, position);
            if (seg == name)
            {
                return values;
            }
        }

        throw new Xunit.Sdk.XunitException($"no Name({name}, Package) in the AML");
    }

    /// <summary>Decodes a PkgLength after the opcode at <paramref name="position"/>, leaving position after it.</summary>
    public static int PackageLength(ReadOnlySpan<byte> aml, ref int position)
    {
        byte lead = aml[++position];
        int following = lead >> 6;
        int length = following == 0 ? lead & 0x3F : lead & 0x0F;
        for (int i = 1; i <= following; i++)
        {
            length |= aml[position + i] << (4 + (8 * (i - 1)));
        }

        position += 1 + following;
        return length;
    }

    private static ulong Integer(ReadOnlySpan<byte> aml, ref int position)
    {
        byte op = aml[position++];
        int width = op switch
        {
            0x00 or 0x01 or 0xFF => 0,
            0x0A => 1,
            0x0B => 2,
            0x0C => 4,
            0x0E => 8,
            _ => throw new Xunit.Sdk.XunitException($"0x{op:x2} is not an AML integer"),
        };
        if (width == 0)
        {
            return op == 0xFF ? ulong.MaxValue : op;
        }

        Span<byte> buffer = stackalloc byte[8];
        aml.Slice(position, width).CopyTo(buffer);
        position += width;
        return BinaryPrimitives.ReadUInt64LittleEndian(buffer);
    }
}
