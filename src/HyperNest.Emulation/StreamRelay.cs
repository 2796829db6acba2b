namespace HyperNest.Emulation;

/// <summary>Copies one of the emulated host's ports to where it belongs (a terminal, console.log) on its own thread.</summary>
public static class StreamRelay
{
    /// <summary>
    /// Starts copying <paramref name="from"/> to <paramref name="to"/> until the port closes, flushing each chunk so a
    /// guest's console is seen as it is written. A port or target that goes away ends the copy quietly: what
    /// arrived was written. Join the returned thread to have the last bytes in.
    /// </summary>
    public static Thread Start(Stream from, Stream to, string name)
    {
        var thread = new Thread(() =>
        {
            var buffer = new byte[16384];
            try
            {
                int read;
                while ((read = from.Read(buffer, 0, buffer.Length)) > 0)
                {
                    to.Write(buffer, 0, read);
                    to.Flush();
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // The emulated host is gone.
            }
        }) { IsBackground = true, Name = name };
        thread.Start();
        return thread;
    }
}
