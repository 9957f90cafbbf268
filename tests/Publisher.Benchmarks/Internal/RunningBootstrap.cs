using System.Text.Json;
using Lambda.Runtime.Emulator;

namespace Publisher.Benchmarks.Internal;

/// <summary>A bootstrap process under its own lean Runtime API, past its init phase.</summary>
internal sealed class RunningBootstrap : IAsyncDisposable
{
    private readonly LeanRuntimeApi _runtimeApi;
    private readonly BootstrapProcess _process;

    private RunningBootstrap(LeanRuntimeApi runtimeApi, BootstrapProcess process, long startTimestamp, long firstNextTimestamp)
    {
        _runtimeApi = runtimeApi;
        _process = process;
        StartTimestamp = startTimestamp;
        FirstNextTimestamp = firstNextTimestamp;
    }

    /// <summary>Process start (right before the exec) to the arrival of its first request for an event: the init phase, connection warm-up included.</summary>
    public double InitMs => Samples.ElapsedMs(StartTimestamp, FirstNextTimestamp);

    /// <summary>The monotonic timestamp taken right before the process was started.</summary>
    public long StartTimestamp { get; }

    /// <summary>The monotonic timestamp at which its first <c>GET /next</c> had arrived.</summary>
    public long FirstNextTimestamp { get; }

    /// <summary>Lines the process wrote to stderr so far.</summary>
    public IReadOnlyList<string> StderrLines => _process.StderrLines;

    /// <summary>The process id.</summary>
    public int ProcessId => _process.ProcessId;

    /// <summary>Peak resident memory (VmHWM) so far.</summary>
    public long PeakRssBytes => _process.PeakWorkingSetBytes;

    /// <summary>Resident memory now (VmRSS).</summary>
    public long ResidentBytes =>
        ProcFiles.Bytes($"/proc/{_process.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture)}/status", "VmRSS")
            ?? throw new InvalidOperationException("VmRSS is not in /proc/<pid>/status: the bootstrap has exited.");

    /// <summary>The managed heap as the last invocation record reported it; null when none did.</summary>
    public GcReading? LastGc => _process.StdoutLines.Reverse().Select(GcReading.FromLine).FirstOrDefault(r => r is not null);

    /// <summary>Starts the build against a fresh lean Runtime API and waits for its first <c>/next</c>.</summary>
    /// <param name="build">What to start.</param>
    /// <param name="topicsHostPort">The local Topics server.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <param name="extraEnvironment">Variables added for this start (such as the startup timeline switch).</param>
    public static async Task<RunningBootstrap> StartAsync(
        BootstrapBuild build, string topicsHostPort, CancellationToken cancellationToken, IReadOnlyDictionary<string, string?>? extraEnvironment = null)
    {
        var runtimeApi = LeanRuntimeApi.Start();
        BootstrapProcess? process = null;
        try
        {
            var environment = build.EnvironmentFor(topicsHostPort, BenchContext.CacheName);
            foreach (var (name, value) in extraEnvironment ?? new Dictionary<string, string?>())
            {
                environment[name] = value;
            }

            process = BootstrapProcess.Start(build.FileName, build.Arguments, runtimeApi.HostPort, environment);
            var ready = runtimeApi.FirstNextAsync;
            var exited = process.WaitForExitAsync(Timeouts.BootstrapInit);
            var first = await Task.WhenAny(ready, runtimeApi.InitErrorAsync, exited).WaitAsync(Timeouts.BootstrapInit, cancellationToken).ConfigureAwait(false);
            // The exit wait outlives a healthy start; its timeout is of no interest then.
            _ = exited.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            if (first != ready)
            {
                var reason = first == runtimeApi.InitErrorAsync ? "posted an init error: " + runtimeApi.InitErrorAsync.Result : "exited during init";
                throw new InvalidOperationException($"The {build.Label} bootstrap {reason}.\n{Tail(process)}");
            }

            return new RunningBootstrap(runtimeApi, process, process.StartTimestamp, ready.Result);
        }
        catch
        {
            if (process is not null)
            {
                await process.DisposeAsync().ConfigureAwait(false);
            }

            runtimeApi.Dispose();
            throw;
        }
    }

    /// <summary>durationMs and publishMs of the function's per-invocation log lines, oldest first.</summary>
    public IReadOnlyList<(double DurationMs, double PublishMs)> InvocationLogTimes()
    {
        var times = new List<(double, double)>();
        foreach (var line in _process.StdoutLines)
        {
            if (!line.Contains("\"message\":\"invocation\"", StringComparison.Ordinal))
            {
                continue;
            }

            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.TryGetProperty("durationMs", out var duration) && root.TryGetProperty("publishMs", out var publish))
            {
                times.Add((duration.GetDouble(), publish.GetDouble()));
            }
        }

        return times;
    }

    /// <summary>One invocation, with when its event left and its answer arrived; throws unless the function answered 200.</summary>
    public async Task<LeanInvocation> InvokeAsync(string eventJson, CancellationToken cancellationToken)
    {
        var result = await _runtimeApi.InvokeAsync(eventJson, Timeouts.Invocation, cancellationToken).ConfigureAwait(false);
        if (result.Error is not null || result.TimedOut || !RestEvents.IsOk(result.Response))
        {
            var what = result.TimedOut ? "timed out" : result.Error is not null ? "failed: " + Truncate(result.Error) : "answered: " + Truncate(result.Response);
            throw new InvalidOperationException($"An invocation {what}\n{Tail(_process)}");
        }

        return result;
    }

    /// <summary>One invocation, whatever it answers (or null when it failed or timed out), with its timestamps.</summary>
    public Task<LeanInvocation> InvokeAnyAsync(string eventJson, CancellationToken cancellationToken) =>
        _runtimeApi.InvokeAsync(eventJson, Timeouts.Invocation, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync().ConfigureAwait(false);
        _runtimeApi.Dispose();
    }

    private static string Tail(BootstrapProcess process) =>
        "Last output of the bootstrap:\n" + string.Join('\n', process.StdoutLines.TakeLast(5).Concat(process.StderrLines.TakeLast(15)));

    private static string Truncate(string? text) => text is null ? "(nothing)" : text.Length <= 300 ? text : text[..300] + "...";
}
