using System.Diagnostics;
using System.Text.Json;
using Lambda.Runtime.Emulator;

namespace Publisher.Benchmarks.Internal;

/// <summary>A bootstrap process under its own Runtime API emulator, past its init phase.</summary>
internal sealed class RunningBootstrap : IAsyncDisposable
{
    private readonly RuntimeApiEmulator _emulator;
    private readonly BootstrapProcess _process;

    private RunningBootstrap(RuntimeApiEmulator emulator, BootstrapProcess process, double initMs)
    {
        _emulator = emulator;
        _process = process;
        InitMs = initMs;
    }

    /// <summary>Process start to its first request for an event: the init phase, connection warm-up included.</summary>
    public double InitMs { get; }

    /// <summary>Peak resident memory (VmHWM) so far.</summary>
    public long PeakRssBytes => _process.PeakWorkingSetBytes;

    public static async Task<RunningBootstrap> StartAsync(BootstrapBuild build, string topicsHostPort, CancellationToken cancellationToken)
    {
        var emulator = await RuntimeApiEmulator.StartAsync(cancellationToken).ConfigureAwait(false);
        BootstrapProcess? process = null;
        try
        {
            var environment = BootstrapBuild.Environment(topicsHostPort, BenchContext.CacheName);
            var started = Stopwatch.GetTimestamp();
            process = BootstrapProcess.Start(build.FileName, build.Arguments, emulator, environment);
            var ready = emulator.FirstNextRequestAsync;
            var exited = process.WaitForExitAsync(Timeouts.BootstrapInit);
            var first = await Task.WhenAny(ready, emulator.InitErrorAsync, exited).WaitAsync(Timeouts.BootstrapInit, cancellationToken).ConfigureAwait(false);
            var initEnd = Stopwatch.GetTimestamp();
            // The exit wait outlives a healthy start; its timeout is of no interest then.
            _ = exited.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            if (first != ready)
            {
                var reason = first == emulator.InitErrorAsync
                    ? "posted an init error: " + emulator.InitErrorAsync.Result.ErrorType + ": " + emulator.InitErrorAsync.Result.ErrorMessage
                    : "exited during init";
                throw new InvalidOperationException($"The {build.Label} bootstrap {reason}.\n{Tail(process)}");
            }

            return new RunningBootstrap(emulator, process, Samples.ElapsedMs(started, initEnd));
        }
        catch
        {
            if (process is not null)
            {
                await process.DisposeAsync().ConfigureAwait(false);
            }

            await emulator.DisposeAsync().ConfigureAwait(false);
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

    /// <summary>One invocation; throws unless the function answered 200.</summary>
    public async Task InvokeAsync(string eventJson, CancellationToken cancellationToken)
    {
        var result = await _emulator.InvokeAsync(eventJson, Timeouts.Invocation, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (result.IsError || result.TimedOut || !RestEvents.IsOk(result.ResponseBody))
        {
            var what = result.TimedOut ? "timed out" : result.IsError ? $"failed: {result.ErrorType}: {result.ErrorMessage}" : "answered: " + Truncate(result.ResponseBody);
            throw new InvalidOperationException($"An invocation {what}\n{Tail(_process)}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _process.DisposeAsync().ConfigureAwait(false);
        await _emulator.DisposeAsync().ConfigureAwait(false);
    }

    private static string Tail(BootstrapProcess process) =>
        "Last output of the bootstrap:\n" + string.Join('\n', process.StdoutLines.TakeLast(5).Concat(process.StderrLines.TakeLast(15)));

    private static string Truncate(string? text) => text is null ? "(nothing)" : text.Length <= 300 ? text : text[..300] + "...";
}
