using System.Diagnostics;

namespace Publisher.DeploymentCheck.Tests.Infrastructure;

/// <summary>
/// Runs the checker as its own process with an environment the test sets up from nothing: AWSSDK.Core reads
/// credentials from the process environment and files, so a test must own both. No AWS variable of the host
/// leaks in, HOME is a temporary folder (no ~/.aws), and instance metadata is off (nothing reaches for AWS).
/// </summary>
internal sealed class CheckerProcess : IDisposable
{
    private static readonly DirectoryInfo TestBin = new(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));

    public CheckerProcess()
    {
        Home = Directory.CreateTempSubdirectory("deployment-check-home-").FullName;
    }

    /// <summary>The temporary HOME; <c>.aws/</c> under it is where the shared files go unless a variable says otherwise.</summary>
    public string Home { get; }

    public Dictionary<string, string> Environment { get; } = [];

    /// <summary>The checker's own build output (its deps and runtimeconfig).</summary>
    private static string Dll { get; } = Path.Combine(
        TestBin.Parent!.Parent!.Parent!.Parent!.Parent!.FullName, "src", "Publisher.DeploymentCheck", "bin", TestBin.Parent.Name, TestBin.Name, "Publisher.DeploymentCheck.dll");

    public string WriteFile(string relativePath, string contents)
    {
        var path = Path.Combine(Home, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, contents);
        return path;
    }

    public async Task<CliRun> RunAsync(params string[] args)
    {
        Assert.True(File.Exists(Dll), $"Build src/Publisher.DeploymentCheck first: {Dll} is missing.");
        var start = new ProcessStartInfo(System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("AWS_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        start.Environment["HOME"] = Home;
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        foreach (var (name, value) in Environment)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        try
        {
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }

        return new CliRun(process.ExitCode, (await output).TrimEnd(), (await error).TrimEnd());
    }

    public void Dispose() => Directory.Delete(Home, recursive: true);
}
