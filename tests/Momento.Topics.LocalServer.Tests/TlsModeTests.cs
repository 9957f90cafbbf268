using System.Security.Cryptography.X509Certificates;
using Grpc.Core;
using Grpc.Net.Client;
using Momento.Protos.CacheClient.Pubsub;
using Momento.Protos.CachePing;

namespace Momento.Topics.LocalServer.Tests;

/// <summary>The TLS mode: HTTP/2 over TLS (ALPN h2) with a certificate from a throwaway CA whose certificate is written as PEM.</summary>
public sealed class TlsModeTests
{
    [Fact]
    public async Task StartAsync_Tls_ServesGrpcOverTlsToAClientTrustingTheWrittenCa()
    {
        var log = new ServerLog();
        await using var server = await LocalTopicsServer.StartAsync(new LocalTopicsServerOptions { Port = 0, Tls = true, LoggerProvider = log, HeartbeatInterval = TimeSpan.FromMilliseconds(50) }).DefaultTimeout();
        using var channel = GrpcChannel.ForAddress(server.Endpoint, new GrpcChannelOptions { HttpHandler = LocalCaTrust.Handler(server.CaCertificatePath!) });
        var pubsub = new Pubsub.PubsubClient(channel);

        using var subscription = pubsub.Subscribe(new _SubscriptionRequest { CacheName = "default-cache", Topic = "tls" });
        Assert.True(await subscription.ResponseStream.MoveNext().DefaultTimeout());
        await pubsub.PublishAsync(new _PublishRequest { CacheName = "default-cache", Topic = "tls", Value = new _TopicValue { Text = "over TLS" } }).ResponseAsync.DefaultTimeout();
        do
        {
            Assert.True(await subscription.ResponseStream.MoveNext().DefaultTimeout());
        }
        while (subscription.ResponseStream.Current.KindCase == _SubscriptionItem.KindOneofCase.Heartbeat);

        Assert.Equal("over TLS", subscription.ResponseStream.Current.Item.Value.Text);
        Assert.Equal(new Uri($"https://localhost:{server.Port}"), server.Endpoint);
        Assert.Equal($"localhost:{server.Port}", server.MomentoEndpoint);
        // One connection: SNI named the host, ALPN agreed on h2.
        Assert.Equal([new TlsHandshake("localhost", "h2")], server.TlsHandshakes);
        log.AssertNoUnexpectedErrors();
    }

    [Fact]
    public async Task StartAsync_Tls_CertificateCoversTheLoopbackNamesAndAddressesAndTheCaIsACa()
    {
        await using var server = await LocalTopicsServer.StartAsync(new LocalTopicsServerOptions { Port = 0, Tls = true }).DefaultTimeout();
        using var ca = X509Certificate2.CreateFromPem(await File.ReadAllTextAsync(server.CaCertificatePath!));
        using var channel = GrpcChannel.ForAddress($"https://127.0.0.1:{server.Port}", new GrpcChannelOptions { HttpHandler = LocalCaTrust.Handler(server.CaCertificatePath!) });

        // By address: no SNI (an IP address is never sent as one), and the certificate's IP entry matches.
        await new Ping.PingClient(channel).PingAsync(new _PingRequest()).ResponseAsync.DefaultTimeout();

        Assert.Equal([new TlsHandshake(null, "h2")], server.TlsHandshakes);
        Assert.True(Assert.Single(ca.Extensions.OfType<X509BasicConstraintsExtension>()).CertificateAuthority);
        Assert.False(ca.HasPrivateKey);
        Assert.DoesNotContain("PRIVATE KEY", await File.ReadAllTextAsync(server.CaCertificatePath!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_Tls_ClientWithoutTheCa_RefusesTheCertificate()
    {
        await using var server = await LocalTopicsServer.StartAsync(new LocalTopicsServerOptions { Port = 0, Tls = true }).DefaultTimeout();
        using var channel = GrpcChannel.ForAddress(server.Endpoint);

        var refused = await Assert.ThrowsAsync<RpcException>(() => new Ping.PingClient(channel).PingAsync(new _PingRequest()).ResponseAsync.DefaultTimeout());

        Assert.IsType<System.Security.Authentication.AuthenticationException>(refused.Status.DebugException?.InnerException);
    }

    [Fact]
    public async Task DisposeAsync_Tls_DeletesItsTemporaryCaFileButNotAGivenOne()
    {
        var given = Path.Combine(Path.GetTempPath(), "tls-mode-test-" + Guid.NewGuid().ToString("N") + ".pem");
        try
        {
            var temporary = await LocalTopicsServer.StartAsync(new LocalTopicsServerOptions { Port = 0, Tls = true }).DefaultTimeout();
            var chosen = await LocalTopicsServer.StartAsync(new LocalTopicsServerOptions { Port = 0, Tls = true, TlsCaCertificatePath = given }).DefaultTimeout();
            var temporaryPath = temporary.CaCertificatePath!;
            Assert.True(File.Exists(temporaryPath));
            Assert.Equal(given, chosen.CaCertificatePath);

            await temporary.DisposeAsync();
            await chosen.DisposeAsync();

            Assert.False(File.Exists(temporaryPath));
            Assert.True(File.Exists(given));
        }
        finally
        {
            File.Delete(given);
        }
    }

    [Fact]
    public async Task StartAsync_TlsWithRequiredKey_RefusesACallWithoutTheKeyAndServesOneWithIt()
    {
        const string key = "Kt3-local-tls-key";
        await using var server = await LocalTopicsServer.StartAsync(new LocalTopicsServerOptions { Port = 0, Tls = true, RequiredApiKey = key }).DefaultTimeout();
        using var channel = GrpcChannel.ForAddress(server.Endpoint, new GrpcChannelOptions { HttpHandler = LocalCaTrust.Handler(server.CaCertificatePath!) });
        var pubsub = new Pubsub.PubsubClient(channel);
        var request = new _PublishRequest { CacheName = "default-cache", Topic = "tls", Value = new _TopicValue { Text = "keyed" } };

        var refused = await Assert.ThrowsAsync<RpcException>(() => pubsub.PublishAsync(request, new Metadata { { "authorization", "Kt3-wrong" } }).ResponseAsync.DefaultTimeout());
        await pubsub.PublishAsync(request, new Metadata { { "authorization", key } }).ResponseAsync.DefaultTimeout();

        Assert.Equal(StatusCode.Unauthenticated, refused.StatusCode);
        Assert.DoesNotContain(key, refused.Status.Detail, StringComparison.Ordinal);
        Assert.Equal([new TlsHandshake("localhost", "h2")], server.TlsHandshakes);
    }

    [Theory]
    [InlineData("192.0.2.1")]
    [InlineData("2001:db8::1")]
    public async Task StartAsync_TlsOnAnAddressOffTheLoopback_ThrowsNamingTheHost(string host)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => LocalTopicsServer.StartAsync(new LocalTopicsServerOptions { Port = 0, Tls = true, Host = host }));

        Assert.Equal("Host", error.ParamName);
        Assert.Contains("loopback", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StartAsync_CaPathWithoutTls_ThrowsNamingTheOption()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => LocalTopicsServer.StartAsync(new LocalTopicsServerOptions { Port = 0, TlsCaCertificatePath = "/tmp/ca.pem" }));

        Assert.Equal("TlsCaCertificatePath", error.ParamName);
    }
}
