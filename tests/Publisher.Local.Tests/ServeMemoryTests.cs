using System.Net.Sockets;
using System.Text;
using Publisher.Local.Tests.Infrastructure;

namespace Publisher.Local.Tests;

/// <summary>
/// The real program under a capped heap (as in a container): what a client only declares costs the service nothing.
/// </summary>
public sealed class ServeMemoryTests
{
    // Far below what the declared bodies below would take if the service allocated them up front.
    private const string HeapLimit = "0x4000000";
    private const int Connections = 150;
    private const int Cap = 1024 * 1024;

    [Fact]
    public async Task Serve_ManyConnectionsDeclareTheCapAndSendNothing_AllAreReadAndTheServiceKeepsPublishing()
    {
        var stdout = new LineWriter();
        var (serve, api) = await LocalProcess.ServeAsync(stdout, new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = HeapLimit });
        using var _ = serve;
        var clients = new List<TcpClient>();
        try
        {
            // Each client declares a body at the cap and waits for "100 Continue", which Kestrel sends when the app
            // starts reading the body: once every client has it, every request is being read.
            var head = Encoding.ASCII.GetBytes(
                $"POST /topics/t HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\nExpect: 100-continue\r\nContent-Length: {Cap}\r\n\r\n");
            for (var i = 0; i < Connections; i++)
            {
                var client = new TcpClient();
                clients.Add(client);
                await client.ConnectAsync(api.Host, api.Port).DefaultTimeout();
                await client.GetStream().WriteAsync(head).DefaultTimeout();
            }

            var interim = new List<string>();
            foreach (var client in clients)
            {
                interim.Add(await RawHttp.ReadStatusLineAsync(client.GetStream(), 512).DefaultTimeout());
            }

            Assert.All(interim, line => Assert.Equal("HTTP/1.1 100 Continue", line));
            using var http = new HttpClient();
            using var content = new StringContent("""{"topicName":"t","topicValue":"still here"}""", Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(new Uri(api, "/topics"), content).DefaultTimeout();
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
            Assert.False(serve.Process.HasExited);
        }
        finally
        {
            foreach (var client in clients)
            {
                client.Dispose();
            }
        }
    }
}
