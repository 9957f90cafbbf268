using Lambda.Runtime.Emulator;

namespace Lambda.Runtime.Tests;

/// <summary>A real process against the emulator: a shell script that speaks the Runtime API with curl.</summary>
public sealed class BootstrapProcessTests
{
    // Serves two invocations by echoing the event, logs to both streams, then exits with 3.
    private const string Script = """
        set -eu
        dir=$(mktemp -d)
        trap 'rm -rf "$dir"' EXIT
        base="http://$AWS_LAMBDA_RUNTIME_API/2018-06-01/runtime/invocation"
        echo "function=$AWS_LAMBDA_FUNCTION_NAME custom=${CUSTOM_SETTING:-none}"
        for i in 1 2; do
          curl -sS -D "$dir/h" -o "$dir/b" "$base/next"
          id=$(grep -i '^lambda-runtime-aws-request-id:' "$dir/h" | cut -d' ' -f2 | tr -d '\r')
          curl -sS -o /dev/null -X POST --data-binary @"$dir/b" "$base/$id/response"
          echo "served $i" >&2
        done
        exit 3
        """;

    [Fact]
    public async Task Start_ShellBootstrap_ServesInvocationsAndCapturesOutput()
    {
        await using var emulator = await RuntimeApiEmulator.StartAsync().DefaultTimeout();
        var environment = new Dictionary<string, string?> { ["CUSTOM_SETTING"] = "on", ["AWS_LAMBDA_DOTNET_DEBUG_RUN_ONCE"] = null };
        await using var process = BootstrapProcess.Start("/bin/sh", ["-c", Script], emulator, environment);

        var first = await emulator.InvokeAsync("{\"n\":1}").DefaultTimeout();
        var peak = process.PeakWorkingSetBytes; // the script now long-polls /next, so it is alive
        var exitedEarly = process.HasExited;
        var second = await emulator.InvokeAsync("{\"n\":2}").DefaultTimeout();
        var exitCode = await process.WaitForExitAsync(TaskTimeouts.Default);

        Assert.Equal("{\"n\":1}", first.ResponseBody);
        Assert.Equal("{\"n\":2}", second.ResponseBody);
        Assert.False(exitedEarly);
        Assert.True(peak > 0);
        Assert.True(process.ProcessId > 0);
        Assert.Equal(3, exitCode);
        Assert.True(process.HasExited);
        Assert.Equal(["function=local-function custom=on"], process.StdoutLines);
        Assert.Equal(["served 1", "served 2"], process.StderrLines);
        Assert.True(await emulator.FirstNextRequestAsync.DefaultTimeout() <= DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task DisposeAsync_StillRunning_KillsProcess()
    {
        await using var emulator = await RuntimeApiEmulator.StartAsync().DefaultTimeout();
        var process = BootstrapProcess.Start("/bin/sh", ["-c", Script], emulator);
        await emulator.FirstNextRequestAsync.DefaultTimeout();
        var pid = process.ProcessId;

        await process.DisposeAsync();

        Assert.False(Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/status").Contains("State:\tZ"));
    }

    [Fact]
    public async Task WaitForExitAsync_StillRunning_ThrowsTimeout()
    {
        await using var emulator = await RuntimeApiEmulator.StartAsync().DefaultTimeout();
        await using var process = BootstrapProcess.Start("/bin/sh", ["-c", Script], emulator);
        await emulator.FirstNextRequestAsync.DefaultTimeout();

        await Assert.ThrowsAsync<TimeoutException>(() => process.WaitForExitAsync(TimeSpan.FromMilliseconds(100)));
    }
}
