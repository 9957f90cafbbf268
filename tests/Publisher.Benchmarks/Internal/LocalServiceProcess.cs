using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;

namespace Publisher.Benchmarks.Internal;

/// <summary>The local service as a user runs it: <c>dotnet Publisher.Local.dll</c> on free ports, its own embedded Topics server.</summary>
internal sealed class LocalServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly GcReading.LastRecord _lastRecord;

    private LocalServiceProcess(Process process, Uri apiUrl, GcReading.LastRecord lastRecord)
    {
        _process = process;
        ApiUrl = apiUrl;
        _lastRecord = lastRecord;
    }

    public Uri ApiUrl { get; }

    /// <summary>The managed heap as the function's last invocation record reported it; null before any invocation.</summary>
    public GcReading? LastGc => _lastRecord.Reading;

    public static async Task<LocalServiceProcess> StartAsync(long? heapLimit, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "Publisher.Local.dll"), "--api-port", "0", "--topics-port", "0" })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MOMENTO_", StringComparison.Ordinal) || k.StartsWith("DOTNET_GC", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(name);
        }

        if (heapLimit is { } limit)
        {
            start.Environment["DOTNET_GCHeapHardLimit"] = "0x" + limit.ToString("x", CultureInfo.InvariantCulture);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the local service.");
        var url = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new StringBuilder();
        var lastRecord = new GcReading.LastRecord();
        process.OutputDataReceived += (_, e) =>
        {
            // "Publish API:   http://127.0.0.1:PORT  (...)"; of the function log lines that follow only the invocation
            // records' heap figures are kept.
            if (e.Data is { } line && line.StartsWith("Publish API:", StringComparison.Ordinal))
            {
                url.TrySetResult(new Uri(line["Publish API:".Length..].Trim().Split(' ')[0]));
            }
            else if (e.Data is not null && !lastRecord.Offer(e.Data) && !url.Task.IsCompleted)
            {
                lock (output)
                {
                    output.AppendLine(e.Data);
                }
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var exited = process.WaitForExitAsync(cancellationToken);
            if (await Task.WhenAny(url.Task, exited).WaitAsync(Timeouts.BootstrapInit, cancellationToken).ConfigureAwait(false) != url.Task)
            {
                throw new InvalidOperationException("The local service exited during start-up:\n" + output);
            }

            return new LocalServiceProcess(process, await url.Task.ConfigureAwait(false), lastRecord);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Normal publishes, so what start-up and the first requests allocate is in the "before" reading.</summary>
    public async Task WarmUpAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = ApiUrl, Timeout = Timeouts.Step };
        for (var i = 0; i < 20; i++)
        {
            using var content = new StringContent(JsonBody.Message("oversize-warm-up", "warm-up " + i.ToString(CultureInfo.InvariantCulture)), Encoding.UTF8, "application/json");
            using var response = await http.PostAsync(new Uri("/topics", UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"A normal publish answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)}");
            }
        }
    }

    /// <summary>Resident memory now (VmRSS of /proc/&lt;pid&gt;/status).</summary>
    public long ResidentBytes() =>
        ProcFiles.Bytes($"/proc/{_process.Id.ToString(CultureInfo.InvariantCulture)}/status", "VmRSS")
            ?? throw new InvalidOperationException("VmRSS is not in /proc/<pid>/status.");

    /// <summary>Peak resident memory so far (VmHWM of /proc/&lt;pid&gt;/status).</summary>
    public long PeakResidentBytes() =>
        ProcFiles.Bytes($"/proc/{_process.Id.ToString(CultureInfo.InvariantCulture)}/status", "VmHWM")
            ?? throw new InvalidOperationException("VmHWM is not in /proc/<pid>/status.");

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM: the service stops its hosts and exits.
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync().ConfigureAwait(false);
            }

            try
            {
                await _process.WaitForExitAsync().WaitAsync(Timeouts.Step).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }
}
