using System.Diagnostics;
using System.Text.Json;

namespace Tests.Shared;

/// <summary>Runs a Node script of the repository (the official Momento JS SDK's checks) and reads the JSON it prints last.</summary>
internal static class NodeScript
{
    /// <summary>
    /// Runs <c>node <paramref name="script"/> <paramref name="args"/></c> in the repository root (where <c>npm ci</c>
    /// installs the SDK) and returns the JSON object on the last line of its output; a failed run fails the test.
    /// </summary>
    /// <param name="script">The script's path from the repository root.</param>
    /// <param name="args">The script's arguments.</param>
    public static async Task<JsonElement> RunAsync(string script, params string[] args)
    {
        var start = new ProcessStartInfo("node", [script, .. args])
        {
            WorkingDirectory = RepositoryRoot.FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token);
        var output = await stdout;
        Assert.True(process.ExitCode == 0, $"node exited {process.ExitCode} (run `npm ci` in the repository root): {await stderr}");
        using var document = JsonDocument.Parse(output.Trim().Split('\n')[^1]);
        return document.RootElement.Clone();
    }
}
