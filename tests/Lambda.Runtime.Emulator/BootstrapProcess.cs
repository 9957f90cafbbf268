using System.Diagnostics;
using System.Globalization;

namespace Lambda.Runtime.Emulator;

/// <summary>A real <c>bootstrap</c> executable (or <c>dotnet app.dll</c>) running against a <see cref="RuntimeApiEmulator"/>, with its output captured.</summary>
public sealed class BootstrapProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _stdout = [];
    private readonly List<string> _stderr = [];

    private BootstrapProcess(Process process)
    {
        _process = process;
    }

    /// <summary>Lines the process wrote to stdout so far (a snapshot).</summary>
    public IReadOnlyList<string> StdoutLines
    {
        get
        {
            lock (_stdout)
            {
                return [.. _stdout];
            }
        }
    }

    /// <summary>Lines the process wrote to stderr so far (a snapshot).</summary>
    public IReadOnlyList<string> StderrLines
    {
        get
        {
            lock (_stderr)
            {
                return [.. _stderr];
            }
        }
    }

    /// <summary>Whether the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The process id.</summary>
    public int ProcessId { get; private set; }

    /// <summary>The <see cref="Stopwatch"/> timestamp taken right before the process was started (the same monotonic clock the process reads).</summary>
    public long StartTimestamp { get; private set; }

    /// <summary>Peak resident memory (VmHWM of /proc/{pid}/status) as last read while the process was alive; read it before the process exits.</summary>
    public long PeakWorkingSetBytes
    {
        get
        {
            var current = ReadPeakWorkingSet();
            if (current > 0)
            {
                Volatile.Write(ref field, current);
            }

            return Volatile.Read(ref field);
        }
    }

    /// <summary>Starts <paramref name="fileName"/> with the Lambda environment pointing at <paramref name="runtimeApi"/>:
    /// AWS_LAMBDA_RUNTIME_API, AWS_LAMBDA_FUNCTION_NAME (local-function), AWS_LAMBDA_FUNCTION_VERSION, AWS_LAMBDA_FUNCTION_MEMORY_SIZE (128),
    /// AWS_LAMBDA_LOG_GROUP_NAME, AWS_LAMBDA_LOG_STREAM_NAME, AWS_REGION (us-east-1), _HANDLER (bootstrap).
    /// <paramref name="environment"/> adds or overrides variables; a null value removes one.</summary>
    public static BootstrapProcess Start(string fileName, IEnumerable<string> arguments, RuntimeApiEmulator runtimeApi, IReadOnlyDictionary<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(runtimeApi);
        return Start(fileName, arguments, runtimeApi.HostPort, environment);
    }

    /// <summary>Like the overload above, against any Runtime API at <paramref name="runtimeApiHostPort"/> (such as a benchmark's own listener).</summary>
    public static BootstrapProcess Start(string fileName, IEnumerable<string> arguments, string runtimeApiHostPort, IReadOnlyDictionary<string, string?>? environment = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(fileName);
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentException.ThrowIfNullOrEmpty(runtimeApiHostPort);

        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var env = startInfo.Environment;
        env["AWS_LAMBDA_RUNTIME_API"] = runtimeApiHostPort;
        env["AWS_LAMBDA_FUNCTION_NAME"] = "local-function";
        env["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST";
        env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "128";
        env["AWS_LAMBDA_LOG_GROUP_NAME"] = "/aws/lambda/local-function";
        env["AWS_LAMBDA_LOG_STREAM_NAME"] = "local";
        env["AWS_REGION"] = "us-east-1";
        env["_HANDLER"] = "bootstrap";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                env.Remove(name);
            }
            else
            {
                env[name] = value;
            }
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var bootstrap = new BootstrapProcess(process);
        process.OutputDataReceived += (_, e) => Append(bootstrap._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(bootstrap._stderr, e.Data);
        bootstrap.StartTimestamp = Stopwatch.GetTimestamp();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        bootstrap.ProcessId = process.Id;
        return bootstrap;
    }

    /// <summary>Waits for the process to exit (and its output to drain) and returns its exit code.</summary>
    /// <exception cref="TimeoutException">It is still running after <paramref name="timeout"/>.</exception>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancellation.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"Process {ProcessId} did not exit within {timeout.TotalSeconds} s."));
        }

        return _process.ExitCode;
    }

    /// <summary>Kills the process tree if it is still running, then releases it.</summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                using var cancellation = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _process.WaitForExitAsync(cancellation.Token).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
        {
            // Already gone, or it would not die in time: nothing more to do here.
        }
        finally
        {
            _process.Dispose();
        }
    }

    private static void Append(List<string> lines, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (lines)
        {
            lines.Add(line);
        }
    }

    private long ReadPeakWorkingSet()
    {
        try
        {
            if (_process.HasExited)
            {
                return 0;
            }

            foreach (var line in File.ReadLines($"/proc/{ProcessId}/status"))
            {
                // "VmHWM:     12345 kB"
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    var kilobytes = line["VmHWM:".Length..].Trim().Split(' ')[0];
                    return long.Parse(kilobytes, CultureInfo.InvariantCulture) * 1024;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException or FormatException)
        {
            // Not Linux, or the process exited between the check and the read.
        }

        return 0;
    }
}
