using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Publisher.Local.Internal;
using Publisher.Local.Tests.Infrastructure;

namespace Publisher.Local.Tests;

/// <summary>
/// The local runner gives back what large requests left committed once it is idle, and never while a request is in
/// flight: over real HTTP, on a fake clock, with the trim counted instead of run.
/// </summary>
public sealed class IdleTrimTests : IAsyncLifetime
{
    private readonly LineWriter _log = new();
    private readonly FakeTimeProvider _time = new();
    private LocalService _service = null!;
    private HttpClient _http = null!;
    private int _trims;

    public async Task InitializeAsync()
    {
        _service = await LocalService.StartAsync(LocalApiTesting.Options(_log) with
        {
            Time = _time,
            IdleTrim = () => Interlocked.Increment(ref _trims),
        });
        _http = new HttpClient { BaseAddress = _service.ApiUrl };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _service.DisposeAsync();
        _log.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task OrdinaryPublishes_NeverTrim()
    {
        for (var i = 0; i < 3; i++)
        {
            await PublishSmallAsync();
            _time.Advance(10 * IdleMemoryTrim.IdleDelay);
        }

        Assert.Equal(0, Volatile.Read(ref _trims));
    }

    [Fact]
    public async Task LargeBody_TrimsOnceAfterTheIdleDelayAndNotWhileARequestIsInFlight()
    {
        await PostLargeAsync();

        // Another request in flight (its body not yet sent): however long it takes, the runner is not idle.
        using var held = await HeldRequest.StartAsync(_service.ApiUrl);
        _time.Advance(10 * IdleMemoryTrim.IdleDelay);
        await PostLargeAsync();
        _time.Advance(10 * IdleMemoryTrim.IdleDelay);
        Assert.Equal(0, Volatile.Read(ref _trims));

        // Its answer comes once the runner is idle again: the trim follows the idle delay, once.
        Assert.Equal("HTTP/1.1 200 OK", await held.FinishAsync());
        _time.Advance(IdleMemoryTrim.IdleDelay - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, Volatile.Read(ref _trims));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, Volatile.Read(ref _trims));
        _time.Advance(10 * IdleMemoryTrim.IdleDelay);
        Assert.Equal(1, Volatile.Read(ref _trims));

        // Ordinary traffic after the trim does not trim again; the next large body does.
        await PublishSmallAsync();
        _time.Advance(10 * IdleMemoryTrim.IdleDelay);
        Assert.Equal(1, Volatile.Read(ref _trims));
        await PostLargeAsync();
        _time.Advance(IdleMemoryTrim.IdleDelay);
        Assert.Equal(2, Volatile.Read(ref _trims));
    }

    [Fact]
    public async Task RequestDuringTheIdleDelay_PostponesTheTrimToItsOwnIdleDelay()
    {
        await PostLargeAsync();
        _time.Advance(IdleMemoryTrim.IdleDelay / 2);
        await PublishSmallAsync();
        _time.Advance(IdleMemoryTrim.IdleDelay - TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, Volatile.Read(ref _trims));
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(1, Volatile.Read(ref _trims));
    }

    private async Task PublishSmallAsync()
    {
        using var content = new StringContent("""{"topicName":"t","topicValue":"small"}""", Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync(new Uri("/topics", UriKind.Relative), content).DefaultTimeout();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    // A body within the runner's 1 MiB cap, so it is read and made into an event (base64, over the large-event size),
    // whose value the function then refuses as over its 4 KiB limit.
    private async Task PostLargeAsync()
    {
        using var content = new ByteArrayContent(new byte[IdleMemoryTrim.LargeEventBytes]);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var response = await _http.PostAsync(new Uri("/topics/t", UriKind.Relative), content).DefaultTimeout();
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>A publish whose body is withheld: once "100 Continue" arrives, the runner is reading it (in flight).</summary>
    private sealed class HeldRequest : IDisposable
    {
        private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"topicName":"t","topicValue":"held"}""");
        private readonly TcpClient _client;

        private HeldRequest(TcpClient client) => _client = client;

        public static async Task<HeldRequest> StartAsync(Uri api)
        {
            var client = new TcpClient();
            try
            {
                await client.ConnectAsync(api.Host, api.Port).DefaultTimeout();
                var head = $"POST /topics HTTP/1.1\r\nHost: {api.Authority}\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: {Body.Length}\r\n\r\n";
                await client.GetStream().WriteAsync(Encoding.ASCII.GetBytes(head)).DefaultTimeout();
                Assert.Equal("HTTP/1.1 100 Continue", await RawHttp.ReadStatusLineAsync(client.GetStream(), 4096).DefaultTimeout());
                return new HeldRequest(client);
            }
            catch
            {
                client.Dispose();
                throw;
            }
        }

        /// <summary>Sends the body and returns the status line of the answer.</summary>
        public async Task<string> FinishAsync()
        {
            await _client.GetStream().WriteAsync(Body).DefaultTimeout();
            return await RawHttp.ReadStatusLineAsync(_client.GetStream(), 4096).DefaultTimeout();
        }

        public void Dispose() => _client.Dispose();
    }
}
