using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Publisher.Local.Tests.Infrastructure;

/// <summary>
/// The real program (<c>dotnet Publisher.Local.dll ARGS</c>) as a user runs it, without the Momento settings of the
/// machine running the tests; killed on dispose unless it has exited.
/// </summary>
internal sealed partial class LocalProcess : IDisposable
{
    private static readonly string[] MachineSettings =
        ["MOMENTO_API_KEY", "MOMENTO_API_KEY_SECRET_ID", "MOMENTO_ENDPOINT", "MOMENTO_LOCAL_ENDPOINT", "MOMENTO_CACHE_NAME", "ASPNETCORE_URLS", "PUBLISHER_LOCAL_API_KEY"];

    private LocalProcess(Process process) => Process = process;

    /// <summary>The running program.</summary>
    public Process Process { get; }

    /// <summary>Starts the program; its stdin, stdout and stderr are redirected, for the caller to write and read.</summary>
    public static LocalProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        Assert.True(File.Exists(TestEnvironment.PublisherLocalDll), $"Build src/Publisher.Local first: {TestEnvironment.PublisherLocalDll} is missing.");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(TestEnvironment.PublisherLocalDll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in MachineSettings)
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        return new LocalProcess(Process.Start(start)!);
    }

    /// <summary>
    /// Starts <c>serve</c> on free ports, its stdout lines into <paramref name="stdout"/>, and waits until it is ready;
    /// returns the process and the publish API's address it printed.
    /// </summary>
    public static async Task<(LocalProcess Process, Uri ApiUrl)> ServeAsync(
        LineWriter stdout, IReadOnlyDictionary<string, string>? environment = null, IEnumerable<string>? extraArgs = null)
    {
        var serve = Start(["--api-port", "0", "--topics-port", "0", .. extraArgs ?? []], environment);
        serve.Process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                stdout.WriteLine(e.Data);
            }
        };
        serve.Process.ErrorDataReceived += (_, _) => { };
        serve.Process.BeginOutputReadLine();
        serve.Process.BeginErrorReadLine();
        try
        {
            await stdout.WaitForLineAsync(line => line == "Ctrl+C stops.").WaitAsync(TimeSpan.FromSeconds(30));
            var api = ApiLine().Match(Assert.Single(stdout.Lines, l => l.StartsWith("Publish API:", StringComparison.Ordinal)));
            Assert.True(api.Success);
            return (serve, new Uri(api.Groups["url"].Value));
        }
        catch
        {
            serve.Dispose();
            throw;
        }
    }

    /// <summary>Kills the program unless it has exited, then releases it.</summary>
    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
        }

        Process.Dispose();
    }

    [GeneratedRegex(@"^Publish API:\s+(?<url>http://127\.0\.0\.1:\d+)\s")]
    private static partial Regex ApiLine();
}
