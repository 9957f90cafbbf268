using System.Net.Sockets;
using System.Text;

namespace Publisher.Local.Tests.Infrastructure;

/// <summary>HTTP/1.1 read by hand off a socket, for what HttpClient hides: an interim <c>100 Continue</c>, a body withheld.</summary>
internal static class RawHttp
{
    /// <summary>
    /// Reads a response head (an interim one too) up to its blank line, at most <paramref name="maxBytes"/>, and returns its
    /// first line: the status line, or whatever came instead before the connection ended.
    /// </summary>
    public static async Task<string> ReadStatusLineAsync(NetworkStream stream, int maxBytes)
    {
        var received = new List<byte>();
        var buffer = new byte[1];
        while (received.Count < maxBytes && await stream.ReadAsync(buffer) == 1)
        {
            received.Add(buffer[0]);
            if (received.Count >= 4 && received[^4] == '\r' && received[^3] == '\n' && received[^2] == '\r' && received[^1] == '\n')
            {
                break;
            }
        }

        var text = Encoding.ASCII.GetString([.. received]);
        var end = text.IndexOf("\r\n", StringComparison.Ordinal);
        return end < 0 ? text : text[..end];
    }
}
