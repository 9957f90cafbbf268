using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Functions.Common.Http;
using Lambda.Runtime.Emulator;
using Momento.Topics.Client;
using Momento.Topics.LocalServer;
using Publisher.Contracts;
using Publisher.Function.Tests.Support;

namespace Publisher.Function.Tests;

/// <summary>
/// The real publisher bootstrap (JIT build, or the AOT binary in .ci/run) with <c>AWS_LAMBDA_MAX_CONCURRENCY</c> set, as
/// Lambda Managed Instances run it: many invocations at once in one process, over its one connection to the Topics
/// server. A relay between the two counts the connections and holds the publishes in flight while a test acts.
/// </summary>
[Trait("Category", "Bootstrap")]
public sealed class ConcurrentInvocationTests
{
    private const int Concurrency = 16;
    private const string Topic = "concurrent";
    private const string SecretId = "momento/publisher-api-key";
    private const string OldKey = "old-key-0123456789abcdef";
    private const string NewKey = "new-key-fedcba9876543210";

    /// <summary>Process start plus JIT of the init path; generous for a busy machine.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ConcurrentInvocations_EachAnswersItsOwnEventAndLogsItsOwnRecordOverOneConnection()
    {
        await using var run = await ConcurrentRun.StartAsync();
        await using var subscription = await Subscription.StartAsync(run.Server, Topic);

        // All held at the relay until every one of them is in flight: they cannot but overlap.
        run.Hold();
        var held = Enumerable.Range(0, Concurrency).Select(i => run.InvokeAsync(Publish(i), Trace(i))).ToList();
        await run.WhenHeldAsync(Concurrency);
        run.Relay.Open();
        var published = await Task.WhenAll(held).DefaultTimeout();

        // Then publishes and refusals mixed, as they come.
        var mixed = await Task.WhenAll(Enumerable.Range(Concurrency, Concurrency).Select(i => run.InvokeAsync(Mixed(i), Trace(i)))).DefaultTimeout();
        var items = await subscription.ItemsAsync(Concurrency + (Concurrency / 2));
        await run.WhenRecordsAsync(2 * Concurrency);

        Assert.Equal(Concurrency, run.Emulator.PeakConcurrency);
        foreach (var sent in published.Concat(mixed))
        {
            var answer = ApiResult.Parse(sent.Result.ResponseBody!);
            var record = run.RecordOf(sent.Result.RequestId);
            Assert.Equal(sent.Trace, record.GetProperty("traceId").GetString());
            Assert.Equal(sent.ApiRequestId, record.GetProperty("apiRequestId").GetString());
            Assert.Equal(answer.StatusCode, record.GetProperty("status").GetInt32());
            switch (sent.Expected)
            {
                case Outcome.Published published1:
                    Assert.Equal(200, answer.StatusCode);
                    Assert.Equal(published1.Bytes, answer.Json.GetProperty("bytes").GetInt32());
                    Assert.Equal(published1.Bytes, record.GetProperty("bytes").GetInt32());
                    Assert.Equal(1, record.GetProperty("Published").GetInt32());
                    break;
                case Outcome.Refused refused:
                    var problem = answer.AssertProblem(refused.Status, refused.Slug);
                    Assert.Equal(sent.ApiRequestId, problem.GetProperty("requestId").GetString());
                    Assert.Equal(0, record.GetProperty("Published").GetInt32());
                    break;
            }
        }

        // One record (and one set of metrics) per invocation, one cold start, each value delivered once, one connection.
        var records = run.Records();
        Assert.Equal(2 * Concurrency, records.Count);
        Assert.Equal(2 * Concurrency, records.Select(r => r.GetProperty("requestId").GetString()).Distinct().Count());
        Assert.All(records, r => Assert.True(r.TryGetProperty("_aws", out _)));
        Assert.Single(records, r => r.GetProperty("coldStart").GetBoolean());
        Assert.Equal(Concurrency + (Concurrency / 2), records.Sum(r => r.GetProperty(MetricNames.Published).GetInt32()));
        var values = items.Select(i => ((TopicEvent.TextItem)i).Value).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(values.Distinct().Count(), values.Count);
        Assert.Equal(1, run.Relay.Accepted);
    }

    [Fact]
    public async Task IdleRecycle_CallsInFlightPastTheIdleTime_KeepTheConnectionThenOneRecycleServesTheNextBurst()
    {
        await using var run = await ConcurrentRun.StartAsync(new() { [EnvironmentVariables.IdleRecycleSeconds] = "1" });
        var idleTime = TimeSpan.FromSeconds(1.5);

        // Calls held in flight longer than the idle time, and more arriving meanwhile: a channel in use is not idle.
        run.Hold();
        var first = Enumerable.Range(0, Concurrency / 2).Select(i => run.InvokeAsync(Publish(i), Trace(i))).ToList();
        await run.WhenHeldAsync(Concurrency / 2);
        // Counted from here: on a loaded machine more than the idle time may pass between init's Ping and the first call,
        // and then that first call rightly replaces init's connection.
        var connectionsWhenHeld = run.Relay.Accepted;
        await Task.Delay(idleTime);
        var second = Enumerable.Range(Concurrency / 2, Concurrency / 2).Select(i => run.InvokeAsync(Publish(i), Trace(i))).ToList();
        await run.WhenHeldAsync(Concurrency);
        run.Relay.Open();
        var held = await Task.WhenAll(first.Concat(second)).DefaultTimeout();
        var connectionsWhileBusy = run.Relay.Accepted;

        // Idle past the recycle time, then a burst: the first call replaces the connection, the others share the new one.
        await Task.Delay(idleTime);
        var burst = await Task.WhenAll(Enumerable.Range(Concurrency, Concurrency).Select(i => run.InvokeAsync(Publish(i), Trace(i)))).DefaultTimeout();
        await run.WhenRecordsAsync(2 * Concurrency);

        Assert.All(held.Concat(burst), sent => Assert.Equal(200, ApiResult.Parse(sent.Result.ResponseBody!).StatusCode));
        Assert.Equal(connectionsWhenHeld, connectionsWhileBusy);
        Assert.Equal(connectionsWhileBusy + 1, run.Relay.Accepted);
        Assert.Equal(2 * Concurrency, run.Records().Count);
    }

    [Fact]
    public async Task FreezeThaw_ConnectionDiesUnderCallsInFlight_EachAnswersOnceAndOneReconnectServesThemAll()
    {
        await using var run = await ConcurrentRun.StartAsync();
        await using var subscription = await Subscription.StartAsync(run.Server, Topic);
        run.Hold();
        var inFlight = Enumerable.Range(0, Concurrency).Select(i => run.InvokeAsync(Publish(i), Trace(i))).ToList();
        await run.WhenHeldAsync(Concurrency);

        // Lambda freezes the environment; meanwhile its connection dies (what the relay held never reached the server).
        run.Signal("STOP");
        run.Relay.DropAll();
        run.Relay.Open();
        run.Signal("CONT");
        var cut = await Task.WhenAll(inFlight).DefaultTimeout();
        var burst = await Task.WhenAll(Enumerable.Range(Concurrency, Concurrency).Select(i => run.InvokeAsync(Publish(i), Trace(i)))).DefaultTimeout();
        await run.WhenRecordsAsync(2 * Concurrency);

        // Each cut call answers once: published after a safe retry, or a problem saying the value may have been published.
        var answers = cut.Select(sent => (Sent: sent, Answer: ApiResult.Parse(sent.Result.ResponseBody!))).ToList();
        Assert.All(answers, a =>
        {
            Assert.Equal(a.Answer.StatusCode, run.RecordOf(a.Sent.Result.RequestId).GetProperty("status").GetInt32());
            if (a.Answer.StatusCode != 200)
            {
                Assert.Contains(a.Answer.StatusCode, new[] { 503, 504 });
                Assert.Contains("may have been published", a.Answer.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
            }
        });
        Assert.All(burst, sent => Assert.Equal(200, ApiResult.Parse(sent.Result.ResponseBody!).StatusCode));

        // What was answered 200 arrived once; nothing arrived twice; the retries and the burst shared one new connection.
        var published = answers.Count(a => a.Answer.StatusCode == 200) + Concurrency;
        var values = (await subscription.ItemsAsync(published)).Select(i => ((TopicEvent.TextItem)i).Value).ToList();
        Assert.True(await subscription.NoMoreItemsAsync());
        Assert.Equal(published, values.Distinct().Count());
        Assert.Equal(2, run.Relay.Accepted);
    }

    [Fact]
    public async Task KeyRotated_ConcurrentCallsFailTogether_ShareOneRereadAndAllPublishOnTheNewKey()
    {
        await using var extension = await SecretsExtensionStandIn.ServingAsync(SecretId, "not yet");
        await using var run = await ConcurrentRun.StartAsync(relay => Secret(extension, OldKey, relay), requiredKey: NewKey);
        extension.SecretString = SecretsExtensionStandIn.KeyAndEndpoint(NewKey, run.Relay.HostPort);

        // Every call in flight on the old key when the server refuses it.
        run.Hold();
        var held = Enumerable.Range(0, Concurrency).Select(i => run.InvokeAsync(Publish(i), Trace(i))).ToList();
        await run.WhenHeldAsync(Concurrency);
        run.Relay.Open();
        var rotated = await Task.WhenAll(held).DefaultTimeout();
        var after = await Task.WhenAll(Enumerable.Range(Concurrency, 4).Select(i => run.InvokeAsync(Publish(i), Trace(i)))).DefaultTimeout();
        await run.WhenRecordsAsync(Concurrency + 4);

        Assert.All(rotated, sent =>
        {
            Assert.Equal(200, ApiResult.Parse(sent.Result.ResponseBody!).StatusCode);
            Assert.True(run.RecordOf(sent.Result.RequestId).GetProperty("keyRotated").GetBoolean());
        });
        Assert.All(after, sent => Assert.False(run.RecordOf(sent.Result.RequestId).TryGetProperty("keyRotated", out _)));
        Assert.Equal(2, extension.Reads);
        Assert.Single(run.Process.StdoutLines, line => line.Contains("Momento key rotated", StringComparison.Ordinal));
        Assert.Equal(2, run.Relay.Accepted); // the old client's connection, then the new one's, shared by all
        Assert.DoesNotContain(OldKey, run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(NewKey, run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task KeyRejected_SecretUnchanged_ConcurrentFailuresShareOneRereadAndAnswer502()
    {
        await using var extension = await SecretsExtensionStandIn.ServingAsync(SecretId, "not yet");
        await using var run = await ConcurrentRun.StartAsync(relay => Secret(extension, OldKey, relay), requiredKey: NewKey);

        run.Hold();
        var held = Enumerable.Range(0, Concurrency).Select(i => run.InvokeAsync(Publish(i), Trace(i))).ToList();
        await run.WhenHeldAsync(Concurrency);
        run.Relay.Open();
        var refused = await Task.WhenAll(held).DefaultTimeout();
        await run.WhenRecordsAsync(Concurrency);

        Assert.All(refused, sent => ApiResult.Parse(sent.Result.ResponseBody!).AssertProblem(502, ProblemTypes.UpstreamMisconfigured));
        Assert.Equal(2, extension.Reads);
        Assert.Single(run.Process.StdoutLines, line => line.Contains("the secret still holds the same key", StringComparison.Ordinal));
    }

    // The function reads its key from the stand-in extension; the secret names the relay as the endpoint.
    private static Dictionary<string, string?> Secret(SecretsExtensionStandIn extension, string key, GatedRelay relay)
    {
        extension.SecretString = SecretsExtensionStandIn.KeyAndEndpoint(key, relay.HostPort);
        return extension.Settings(FunctionHost.CacheName);
    }

    private static string Trace(int i) => string.Create(CultureInfo.InvariantCulture, $"Root=1-65f2a1b0-{i:x24};Parent={i:x16};Sampled=1");

    // Values of a different length each: an answer that crossed to another invocation would say another byte count.
    private static (string Event, Outcome Expected) Publish(int i)
    {
        var value = "v" + i.ToString(CultureInfo.InvariantCulture) + new string('.', 10 + i);
        return i % 2 == 0
            ? (TestEvents.PostJson(EventShape.RestApiV1, "/topics", JsonSerializer.Serialize(new { topicName = Topic, topicValue = value })), new Outcome.Published(value.Length))
            : (TestEvents.Build(EventShape.HttpApiV2, "POST", "/topics/" + Topic, value, new Dictionary<string, string> { ["content-type"] = "text/plain" }), new Outcome.Published(value.Length));
    }

    private static (string Event, Outcome Expected) Mixed(int i) => (i % 4) switch
    {
        0 or 1 => Publish(i),
        2 => (TestEvents.PostJson(EventShape.HttpApiV2, "/topics", $$"""{"topicName":"{{Topic}}"}"""), new Outcome.Refused(400, ProblemTypes.InvalidRequest)),
        _ => (TestEvents.Build(EventShape.RestApiV1, "POST", "/nowhere/" + i.ToString(CultureInfo.InvariantCulture), "{}"), new Outcome.Refused(404, ProblemTypes.NotFound)),
    };

    /// <summary>What an invocation must answer.</summary>
    private abstract record Outcome
    {
        public sealed record Published(int Bytes) : Outcome;

        public sealed record Refused(int Status, string Slug) : Outcome;
    }

    private sealed record Sent(InvocationResult Result, string Trace, string ApiRequestId, Outcome Expected);

    /// <summary>A Topics server, a relay in front of it, a Runtime API handing out up to <see cref="Concurrency"/>
    /// events at once, and the publisher process polling it from as many tasks.</summary>
    private sealed class ConcurrentRun : IAsyncDisposable
    {
        private int _requestsWhenClosed;

        private ConcurrentRun(LocalTopicsServer server, GatedRelay relay, RuntimeApiEmulator emulator, BootstrapProcess process)
        {
            Server = server;
            Relay = relay;
            Emulator = emulator;
            Process = process;
        }

        public LocalTopicsServer Server { get; }

        public GatedRelay Relay { get; }

        public RuntimeApiEmulator Emulator { get; }

        public BootstrapProcess Process { get; }

        public string Output => string.Join('\n', Process.StdoutLines.Concat(Process.StderrLines));

        public static Task<ConcurrentRun> StartAsync(Dictionary<string, string?>? extra = null) =>
            StartAsync(relay => FunctionHost.LocalSettings(relay.HostPort), null, extra);

        /// <param name="settings">The function's settings, given the relay it must reach the server through.</param>
        /// <param name="requiredKey">The key the server accepts; null for none.</param>
        /// <param name="extra">More variables, or overrides.</param>
        public static async Task<ConcurrentRun> StartAsync(Func<GatedRelay, Dictionary<string, string?>> settings, string? requiredKey, Dictionary<string, string?>? extra = null)
        {
            var server = await LocalTopicsServer.StartAsync(new LocalTopicsServerOptions { Port = 0, Caches = [FunctionHost.CacheName], RequiredApiKey = requiredKey }).DefaultTimeout();
            var relay = new GatedRelay(server.HostPort);
            var emulator = await RuntimeApiEmulator.StartAsync(Concurrency).DefaultTimeout();
            var environment = settings(relay);
            environment["AWS_LAMBDA_MAX_CONCURRENCY"] = Concurrency.ToString(CultureInfo.InvariantCulture);
            foreach (var name in new[] { "MOMENTO_API_KEY", "MOMENTO_API_KEY_SECRET_ID", "MOMENTO_LOCAL_ENDPOINT", "MOMENTO_ENDPOINT", "AWS_LAMBDA_DOTNET_DEBUG_RUN_ONCE", "AWS_LAMBDA_DOTNET_PROCESSING_TASKS" })
            {
                environment.TryAdd(name, null);
            }

            foreach (var (name, value) in extra ?? [])
            {
                environment[name] = value;
            }

            var process = FunctionBootstrap.Publisher(typeof(ConcurrentInvocationTests).Assembly).Start(emulator, environment);
            var run = new ConcurrentRun(server, relay, emulator, process);
            await emulator.WhenPollingAsync(Concurrency).WaitAsync(StartTimeout);
            return run;
        }

        public async Task<Sent> InvokeAsync((string Event, Outcome Expected) invocation, string trace)
        {
            var apiRequestId = JsonDocument.Parse(invocation.Event).RootElement.GetProperty("requestContext").GetProperty("requestId").GetString()!;
            var result = await Emulator.InvokeAsync(invocation.Event, TimeSpan.FromSeconds(20), trace);
            Assert.False(result.IsError || result.TimedOut, $"{result.ErrorType}: {result.ErrorMessage}\n{Output}");
            return new Sent(result, trace, apiRequestId, invocation.Expected);
        }

        /// <summary>Waits until <paramref name="count"/> invocations are in flight at once and their publishes have reached
        /// the relay, which holds them (every publish since <see cref="Hold"/> counts).</summary>
        public async Task WhenHeldAsync(int count)
        {
            var waited = Stopwatch.StartNew();
            while (Emulator.PeakConcurrency < count || Relay.Requests < _requestsWhenClosed + count)
            {
                Assert.True(
                    waited.Elapsed < TaskTimeouts.Default,
                    $"{Emulator.PeakConcurrency} of {count} invocations in flight, {Relay.Requests - _requestsWhenClosed} publishes held\n{Output}");
                await Task.Delay(10);
            }
        }

        /// <summary>Closes the relay's gate; <see cref="WhenHeldAsync"/> counts the publishes from here.</summary>
        public void Hold()
        {
            _requestsWhenClosed = Relay.Requests;
            Relay.Close();
        }

        /// <summary>Waits until <paramref name="count"/> invocation records have been read from the process's output.</summary>
        public async Task WhenRecordsAsync(int count)
        {
            var waited = Stopwatch.StartNew();
            while (Records().Count < count)
            {
                Assert.True(waited.Elapsed < TaskTimeouts.Default, $"{Records().Count} of {count} invocation records\n{Output}");
                await Task.Delay(10);
            }
        }

        /// <summary>The invocation records (one JSON line each) written so far.</summary>
        public IReadOnlyList<JsonElement> Records() => Process.StdoutLines
            .Select(line => JsonDocument.Parse(line).RootElement)
            .Where(e => e.GetProperty("message").GetString() == "invocation")
            .ToList();

        public JsonElement RecordOf(string lambdaRequestId) =>
            Assert.Single(Records(), r => r.GetProperty("requestId").GetString() == lambdaRequestId);

        /// <summary>Sends the process a signal (STOP freezes it as Lambda does between invocations, CONT thaws it).</summary>
        public void Signal(string signal)
        {
            using var kill = System.Diagnostics.Process.Start("kill", ["-" + signal, Process.ProcessId.ToString(CultureInfo.InvariantCulture)]);
            kill.WaitForExit();
            Assert.Equal(0, kill.ExitCode);
        }

        public async ValueTask DisposeAsync()
        {
            await Process.DisposeAsync();
            await Emulator.DisposeAsync();
            await Relay.DisposeAsync();
            await Server.DisposeAsync();
        }
    }
}
