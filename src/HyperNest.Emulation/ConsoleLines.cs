using System.Text;

namespace HyperNest.Emulation;

/// <summary>A serial console's text as lines: split at '\n', '\r' trimmed, a partial last line delivered at the end.</summary>
public static class ConsoleLines
{
    /// <summary>Reads <paramref name="reader"/> to its end, calling <paramref name="onLine"/> for each line.</summary>
    public static void Read(TextReader reader, Action<string> onLine)
    {
        var line = new StringBuilder();
        var buffer = new char[4096];
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            for (int i = 0; i < read; i++)
            {
                if (buffer[i] == '\n')
                {
                    onLine(line.ToString().TrimEnd('\r'));
                    line.Clear();
                }
                else
                {
                    line.Append(buffer[i]);
                }
            }
        }

        if (line.Length > 0)
        {
            onLine(line.ToString().TrimEnd('\r'));
        }
    }
}
