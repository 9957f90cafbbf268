using System.Diagnostics;
using System.Text.RegularExpressions;
using Grpc.Core;
using Grpc.Net.Client;
using Momento.Protos.CacheClient.Pubsub;
using Momento.Protos.CachePing;
using Momento.Topics.LocalServer.Tests.Infrastructure;

namespace Momento.Topics.LocalServer.Tests;

public sealed partial class ProgramTests
{
    private static Process Launch(params string[] args)
    {
        var start = new ProcessStartInfo
        {
            // The CLI that runs the tests; the server's dll is copied next to the test assembly.
            FileName = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Momento.Topics.LocalServer.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        return Process.Start(start) ?? throw new InvalidOperationException("Could not start the server process.");
    }

    [Fact]
    public async Task Program_EphemeralPort_PrintsAddressAndServesClients()
    {
        // --name=value and --name value mix, as System.CommandLine allows; --cache repeats.
        using var process = Launch("--port=0", "--cache", "alpha", "--cache=beta", "--heartbeat-ms", "100");
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().DefaultTimeout();
            Assert.NotNull(line);
            var match = ListeningLine().Match(line);
            Assert.True(match.Success, line);
            Assert.Contains("alpha, beta", line, StringComparison.Ordinal);

            using var channel = GrpcChannel.ForAddress(match.Groups["url"].Value);
            var client = new Pubsub.PubsubClient(channel);
            using var subscription = new Subscription(client.Subscribe(new _SubscriptionRequest { CacheName = "beta", Topic = "t" }));
            Assert.Equal(_SubscriptionItem.KindOneofCase.Heartbeat, (await subscription.NextAsync()).KindCase);
            await client.PublishAsync(new _PublishRequest
            {
                CacheName = "beta",
                Topic = "t",
                Value = new _TopicValue { Text = "over-the-process-boundary" },
            }).ResponseAsync.DefaultTimeout();
            var notDeclared = await Assert.ThrowsAsync<RpcException>(() => client.PublishAsync(new _PublishRequest
            {
                CacheName = "default-cache",
                Topic = "t",
                Value = new _TopicValue { Text = "x" },
            }).ResponseAsync.DefaultTimeout());

            Assert.Equal("over-the-process-boundary", (await subscription.NextItemAsync()).Value.Text);
            Assert.Equal(StatusCode.NotFound, notDeclared.StatusCode);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().DefaultTimeout();
        }
    }

    [Fact]
    public async Task Program_Tls_PrintsTheHttpsAddressTheCaFileAndTheMomentoEndpoint()
    {
        var ca = Path.Combine(Path.GetTempPath(), "program-tls-" + Guid.NewGuid().ToString("N") + ".pem");
        using var process = Launch("--port=0", "--tls", "--tls-ca-file", ca);
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().DefaultTimeout();
            var match = TlsListeningLine().Match(line ?? string.Empty);
            Assert.True(match.Success, line);
            Assert.Equal(ca, match.Groups["ca"].Value);
            Assert.Equal("localhost:" + match.Groups["port"].Value, match.Groups["endpoint"].Value);

            using var channel = GrpcChannel.ForAddress(match.Groups["url"].Value, new GrpcChannelOptions { HttpHandler = LocalCaTrust.Handler(ca) });
            await new Ping.PingClient(channel).PingAsync(new _PingRequest()).ResponseAsync.DefaultTimeout();
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().DefaultTimeout();
            File.Delete(ca);
        }
    }

    [Fact]
    public async Task Program_ReplayBufferZero_ResumeGetsDiscontinuityInsteadOfReplay()
    {
        using var process = Launch("--port", "0", "--replay-buffer", "0", "--subscriber-queue", "8", "--heartbeat-ms", "100");
        try
        {
            var line = await process.StandardOutput.ReadLineAsync().DefaultTimeout();
            Assert.NotNull(line);
            var match = ListeningLine().Match(line);
            Assert.True(match.Success, line);
            using var channel = GrpcChannel.ForAddress(match.Groups["url"].Value);
            var client = new Pubsub.PubsubClient(channel);
            ulong page;
            using (var live = new Subscription(client.Subscribe(new _SubscriptionRequest { CacheName = "default-cache", Topic = "t" })))
            {
                Assert.Equal(_SubscriptionItem.KindOneofCase.Heartbeat, (await live.NextAsync()).KindCase);
                await client.PublishAsync(new _PublishRequest { CacheName = "default-cache", Topic = "t", Value = new _TopicValue { Text = "one" } }).ResponseAsync.DefaultTimeout();
                page = (await live.NextItemAsync()).SequencePage;
            }

            // With the default buffer this resume would replay item 1.
            using var resumed = new Subscription(client.Subscribe(new _SubscriptionRequest { CacheName = "default-cache", Topic = "t", ResumeAtTopicSequenceNumber = 1, SequencePage = page }));
            var discontinuity = await resumed.NextDiscontinuityAsync();

            Assert.Equal((0UL, 2UL, page), (discontinuity.LastTopicSequence, discontinuity.NewTopicSequence, discontinuity.NewSequencePage));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().DefaultTimeout();
        }
    }

    [Fact]
    public async Task Program_Help_PrintsUsageWithFaultHeadersAndExitsZero()
    {
        using var process = Launch("--help");

        var output = await process.StandardOutput.ReadToEndAsync().DefaultTimeout();
        await process.WaitForExitAsync().DefaultTimeout();

        Assert.Equal(0, process.ExitCode);
        Assert.Contains("dotnet run --project src/Momento.Topics.LocalServer -- [options]", output, StringComparison.Ordinal);
        Assert.Contains("--port", output, StringComparison.Ordinal);
        Assert.Contains("--heartbeat-ms", output, StringComparison.Ordinal);
        Assert.Contains("retry-disposition", output, StringComparison.Ordinal);
        Assert.Contains("stream-error-message-limit", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Program_Version_PrintsTheVersionAndExitsZero()
    {
        using var process = Launch("--version");

        var output = await process.StandardOutput.ReadToEndAsync().DefaultTimeout();
        await process.WaitForExitAsync().DefaultTimeout();

        Assert.Equal(0, process.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", output);
    }

    [Theory]
    [InlineData("--port must be a whole number from 0 to 65535, not 'http'.", "--port", "http")]
    [InlineData("--port must be a whole number from 0 to 65535, not '70000'.", "--port=70000")]
    [InlineData("--heartbeat-ms must be a whole number from 1 to 2147483647, not '0'.", "--heartbeat-ms", "0")]
    [InlineData("--host must be an IP address or 'localhost', not 'not-an-ip'.", "--host", "not-an-ip")]
    [InlineData("--cache needs a non-blank name.", "--cache", " ")]
    [InlineData("Unrecognized command or argument '--frobnicate'.", "--frobnicate", "1")]
    [InlineData("Required argument missing for option: '--port'.", "--port")]
    [InlineData("--replay-buffer must be a whole number from 0 to 2147483647, not '-1'.", "--replay-buffer=-1")]
    [InlineData("--subscriber-queue must be a whole number from 1 to 2147483647, not '0'.", "--subscriber-queue", "0")]
    [InlineData("--api-key needs a value that is not blank and has no control characters.", "--api-key", "")]
    [InlineData("--tls-ca-file is for the TLS mode: add --tls.", "--tls-ca-file", "/tmp/ca.pem")]
    [InlineData("--tls: the certificate covers only this machine's loopback names, so --host must be 127.0.0.1, ::1, localhost or a wildcard address, not '192.0.2.1'.", "--tls", "--host", "192.0.2.1")]
    public async Task Program_BadArgument_ClearMessageAndExitCodeTwo(string message, params string[] args)
    {
        using var process = Launch(args);

        var error = await process.StandardError.ReadToEndAsync().DefaultTimeout();
        var output = await process.StandardOutput.ReadToEndAsync().DefaultTimeout();
        await process.WaitForExitAsync().DefaultTimeout();

        Assert.Equal(2, process.ExitCode);
        Assert.StartsWith(message, error, StringComparison.Ordinal);
        Assert.Contains("Run 'dotnet run --project src/Momento.Topics.LocalServer -- --help' for usage.", error, StringComparison.Ordinal);
        Assert.Empty(output);
    }

    [GeneratedRegex(@"listening on (?<url>http://[0-9.]+:[1-9][0-9]*)")]
    private static partial Regex ListeningLine();

    [GeneratedRegex(@"listening on (?<url>https://localhost:(?<port>[1-9][0-9]*)) .*TLS: trust (?<ca>\S+) \(SSL_CERT_FILE\), Momento endpoint (?<endpoint>\S+)\)")]
    private static partial Regex TlsListeningLine();
}
