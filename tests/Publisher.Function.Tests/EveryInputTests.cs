using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using CsCheck;
using Functions.Common.Http;
using Functions.Common.Observability;
using Momento.Topics.LocalServer;
using Publisher.Function.Tests.Support;
using Subscriber.Function;
using Xunit.Abstractions;

namespace Publisher.Function.Tests;

/// <summary>
/// Every input is answered on purpose: for generated events of both shapes, direct requests and payloads that are
/// no event at all, both functions answer 2xx or a 4xx problem, never 5xx, never an unhandled error, never the value
/// in the log. The handlers run in this process over a local Topics server, so published values really go out.
/// </summary>
public sealed class EveryInputTests : IAsyncLifetime
{
    /// <summary>Cases per run; the default is the CI count. A smaller number makes a quick local run.</summary>
    public const string CasesVariable = "FUZZ_CASES";

    private const int DefaultCases = 100_000;

    private readonly ITestOutputHelper _output;
    private readonly ConcurrentBag<FuzzHost> _hosts = [];
    private readonly ConcurrentDictionary<string, int> _answers = new(StringComparer.Ordinal);
    private LocalTopicsServer? _server;

    public EveryInputTests(ITestOutputHelper output) => _output = output;

    public async Task InitializeAsync()
    {
        _server = await LocalTopicsServer.StartAsync(new LocalTopicsServerOptions { Port = 0, Caches = [FunctionHost.CacheName] }).DefaultTimeout();
        for (var i = 0; i < Environment.ProcessorCount; i++)
        {
            _hosts.Add(await FuzzHost.StartAsync(_server));
        }
    }

    public async Task DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Fact]
    public async Task HandleAsync_AnyPayload_Answers2xxOrA4xxProblemAndLogsNoErrorNorValue()
    {
        var cases = Environment.GetEnvironmentVariable(CasesVariable) is { Length: > 0 } text
            ? int.Parse(text, CultureInfo.InvariantCulture)
            : DefaultCases;
        var clock = Stopwatch.StartNew();

        await FuzzInputs.Cases.SampleAsync(CheckAsync, iter: cases, threads: Environment.ProcessorCount, print: c => c.ToString());

        _output.WriteLine($"{cases} cases in {clock.Elapsed.TotalSeconds:F1} s");
        foreach (var (answer, count) in _answers.OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            _output.WriteLine($"{answer}: {count}");
        }
    }

    private async Task CheckAsync(FuzzCase fuzz)
    {
        Assert.True(_hosts.TryTake(out var host));
        try
        {
            host.Log.Clear();
            var context = new TestLambdaContext(TimeSpan.FromSeconds(30));
            var handling = fuzz.Target == FuzzTarget.Publisher
                ? host.Publisher.HandleAsync(new MemoryStream(fuzz.Payload), context)
                : host.Subscriber.HandleAsync(new MemoryStream(fuzz.Payload), context);
            await using var response = await handling.DefaultTimeout();
            using var copy = new MemoryStream();
            await response.CopyToAsync(copy);

            var direct = fuzz.Target == FuzzTarget.Subscriber && ApiGatewayAdapter.DetectShape(fuzz.Payload) is null;
            var answer = AssertAnswered(copy.ToArray(), direct);
            _answers.AddOrUpdate($"{fuzz.Target} {answer}", 1, (_, n) => n + 1);
            foreach (var line in host.Log.Lines)
            {
                Assert.DoesNotContain("\"level\":\"ERROR\"", line, StringComparison.Ordinal);
                Assert.DoesNotContain(FuzzInputs.ValueMarker, line, StringComparison.Ordinal);
            }
        }
        finally
        {
            _hosts.Add(host);
        }
    }

    /// <summary>Checks the answer; returns its status and problem type, for the run's tally.</summary>
    private static string AssertAnswered(byte[] response, bool direct)
    {
        using var document = JsonDocument.Parse(response);
        var root = document.RootElement;
        if (direct)
        {
            // A direct invocation is answered with the result or the problem itself.
            if (root.TryGetProperty("type", out var type))
            {
                AssertProblem(root, root.GetProperty("status").GetInt32());
                return $"direct {root.GetProperty("status").GetInt32()} {type.GetString()![ProblemTypes.DefaultBaseUri.Length..]}";
            }

            Assert.Equal(JsonValueKind.String, root.GetProperty("topic").ValueKind);
            return "direct 200";
        }

        var status = root.GetProperty("statusCode").GetInt32();
        Assert.True(status is >= 200 and < 300 or >= 400 and < 500, $"status {status}");
        using var body = JsonDocument.Parse(root.GetProperty("body").GetString()!);
        if (status >= 400)
        {
            Assert.Equal(MediaTypes.ProblemJson, root.GetProperty("headers").GetProperty("Content-Type").GetString());
            AssertProblem(body.RootElement, status);
            return $"{status} {body.RootElement.GetProperty("type").GetString()![ProblemTypes.DefaultBaseUri.Length..]}";
        }

        return status.ToString(CultureInfo.InvariantCulture);
    }

    private static void AssertProblem(JsonElement problem, int status)
    {
        Assert.InRange(status, 400, 499);
        Assert.StartsWith(ProblemTypes.DefaultBaseUri, problem.GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
        if (problem.TryGetProperty("field", out var field))
        {
            Assert.False(string.IsNullOrEmpty(field.GetString()));
        }
    }

    /// <summary>Both functions over one connection each, logging to a capture that is read per case.</summary>
    private sealed class FuzzHost : IAsyncDisposable
    {
        private FuzzHost(PublisherFunction publisher, SubscriberFunction subscriber, LineWriter log)
        {
            Publisher = publisher;
            Subscriber = subscriber;
            Log = log;
        }

        public PublisherFunction Publisher { get; }

        public SubscriberFunction Subscriber { get; }

        public LineWriter Log { get; }

        public static async Task<FuzzHost> StartAsync(LocalTopicsServer server)
        {
            var log = new LineWriter();
            var functionLog = new FunctionLog(log);
            var publisher = await PublisherFunction.InitializeAsync(FunctionHost.Reader(FunctionHost.LocalSettings(server)), functionLog, CancellationToken.None).DefaultTimeout();

            // Sessions end at once: a valid verification request is answered without listening for real.
            var subscriber = await SubscriberFunction.InitializeAsync(
                FunctionHost.Reader(FunctionHost.LocalSettings(server)), functionLog, CancellationToken.None, new ImmediateTimers()).DefaultTimeout();
            return new FuzzHost(publisher, subscriber, log);
        }

        public async ValueTask DisposeAsync()
        {
            await Publisher.DisposeAsync();
            await Subscriber.DisposeAsync();
        }
    }

    /// <summary>A clock whose timers are all due at once.</summary>
    private sealed class ImmediateTimers : TimeProvider
    {
        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
            base.CreateTimer(callback, state, dueTime == Timeout.InfiniteTimeSpan ? dueTime : TimeSpan.Zero, period);
    }
}
