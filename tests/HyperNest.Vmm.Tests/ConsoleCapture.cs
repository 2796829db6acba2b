using System.Text;

namespace HyperNest.Vmm.Tests;

/// <summary>A console sink a test can read while a vCPU thread writes to it.</summary>
public sealed class ConsoleCapture : Stream
{
    private readonly MemoryStream _buffer = new();

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public string Text
    {
        get
        {
            lock (_buffer)
            {
                return Encoding.ASCII.GetString(_buffer.ToArray());
            }
        }
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        lock (_buffer)
        {
            _buffer.Write(buffer, offset, count);
        }
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
