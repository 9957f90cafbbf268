using System.Text;
using Momento.Topics.Client.Tests.Infrastructure;

namespace Momento.Topics.Client.Tests.Integration;

/// <summary>The client's cache calls against the real local server, on the channel its topic calls use.</summary>
public sealed class CacheCallTests : IAsyncLifetime
{
    private TestTopicsServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task SetGetSetIfAbsentDelete_AsTheServerHoldsThem_OnOneConnection()
    {
        using var client = TestServer.CreateClient(_server);
        var key = Encoding.UTF8.GetBytes("record");

        Assert.IsType<CacheGetResponse.Miss>(await client.CacheGetAsync(TestServer.Cache, key).DefaultTimeout());
        Assert.IsType<CacheSetIfAbsentResponse.Stored>(await client.CacheSetIfAbsentAsync(TestServer.Cache, key, "claim"u8.ToArray(), TimeSpan.FromMinutes(1)).DefaultTimeout());
        Assert.IsType<CacheSetIfAbsentResponse.NotStored>(await client.CacheSetIfAbsentAsync(TestServer.Cache, key, "other"u8.ToArray(), TimeSpan.FromMinutes(1)).DefaultTimeout());
        Assert.Equal("claim", Text(await client.CacheGetAsync(TestServer.Cache, key).DefaultTimeout()));

        Assert.IsType<CacheWriteResponse.Success>(await client.CacheSetAsync(TestServer.Cache, key, "outcome"u8.ToArray(), TimeSpan.FromMinutes(1)).DefaultTimeout());
        Assert.Equal("outcome", Text(await client.CacheGetAsync(TestServer.Cache, key).DefaultTimeout()));
        Assert.IsType<TopicPublishResponse.Success>(await client.PublishAsync(TestServer.Cache, "topic", "value").DefaultTimeout());

        Assert.IsType<CacheWriteResponse.Success>(await client.CacheDeleteAsync(TestServer.Cache, key).DefaultTimeout());
        Assert.IsType<CacheGetResponse.Miss>(await client.CacheGetAsync(TestServer.Cache, key).DefaultTimeout());
        Assert.Equal(1, _server.ConnectionsAccepted);
    }

    [Fact]
    public async Task UnknownCache_NotFoundAndCertainlyNotApplied()
    {
        using var client = TestServer.CreateClient(_server);

        var response = await client.CacheSetIfAbsentAsync("no-such-cache", "k"u8.ToArray(), "v"u8.ToArray(), TimeSpan.FromMinutes(1)).DefaultTimeout();

        var error = Assert.IsType<CacheSetIfAbsentResponse.Error>(response).TopicError;
        Assert.Equal(MomentoErrorCode.NotFoundError, error.Code);
        Assert.False(error.MayHaveExecuted);
    }

    [Fact]
    public async Task BadArguments_RefusedBeforeSending()
    {
        using var client = TestServer.CreateClient(_server);

        var emptyKey = Assert.IsType<CacheGetResponse.Error>(await client.CacheGetAsync(TestServer.Cache, ReadOnlyMemory<byte>.Empty));
        var zeroTtl = Assert.IsType<CacheWriteResponse.Error>(await client.CacheSetAsync(TestServer.Cache, "k"u8.ToArray(), "v"u8.ToArray(), TimeSpan.Zero));
        var blankCache = Assert.IsType<CacheWriteResponse.Error>(await client.CacheDeleteAsync(" ", "k"u8.ToArray()));

        Assert.All([emptyKey.TopicError, zeroTtl.TopicError, blankCache.TopicError], e => Assert.Equal(MomentoErrorCode.InvalidArgumentError, e.Code));
        Assert.Equal(0, _server.ConnectionsAccepted);
    }

    [Fact]
    public async Task ServerDown_ConnectionErrorNotApplied()
    {
        var hostPort = _server.HostPort;
        await _server.DisposeAsync();
        _server = await TestServer.StartAsync();
        using var client = TopicClient.Create(CredentialProvider.ForLocal(hostPort));

        var response = await client.CacheSetIfAbsentAsync(TestServer.Cache, "k"u8.ToArray(), "v"u8.ToArray(), TimeSpan.FromMinutes(1)).DefaultTimeout();

        var error = Assert.IsType<CacheSetIfAbsentResponse.Error>(response).TopicError;
        Assert.Equal(MomentoErrorCode.ConnectionError, error.Code);
        Assert.False(error.MayHaveExecuted);
    }

    private static string? Text(CacheGetResponse response) =>
        response is CacheGetResponse.Hit hit ? Encoding.UTF8.GetString(hit.Value.Span) : null;
}
