using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Documentation.Tests;

/// <summary>
/// Runs a documentation block tagged <c>sh</c> with bash from the repository root against one local runner
/// (<c>serve</c> on free ports) that this fixture starts. The block runs as written, with three things in its way:
/// the documented addresses (<c>127.0.0.1:3000</c>, <c>--topics-port 8080</c>, <c>--port 8080</c>) point at the
/// runner's ports and a free one; <c>dotnet run --project src/X --</c> runs X's built dll (serve itself is the
/// fixture's runner, <c>dotnet test</c> is skipped: it is what runs this); <c>subscribe</c> and the standalone Topics
/// server run in the background and must still be running when the block ends. A <c>curl</c> fails the block when it
/// cannot connect or the answer is 404, 405 or 5xx. Anything else (<c>npx</c>, <c>aws</c>, <c>sam</c>, <c>npm</c>, other
/// <c>dotnet</c> commands) fails the block without running: such blocks are tagged <c>sh no-run</c>.
/// </summary>
public sealed partial class RunnableExamples : IAsyncLifetime
{
    private const string Prelude = """
        set -uo pipefail
        dotnet() {
          if [ "${1:-}" = test ]; then echo "(skipped: dotnet test is what runs this check)"; return 0; fi
          if [ "${1:-}" = run ] && [ "${2:-}" = --project ]; then
            local project="${3%/}"; shift 3
            if [ "${1:-}" = -- ]; then shift; fi
            local dll
            case "$project" in
              src/Publisher.Local) dll="$DOC_LOCAL_DLL" ;;
              src/Publisher.DeploymentCheck) dll="$DOC_CHECK_DLL" ;;
              src/Momento.Topics.LocalServer) dll="$DOC_SERVER_DLL" ;;
              *) echo "the documentation test cannot run project $project" >&2; return 1 ;;
            esac
            if [ "$project" = src/Publisher.Local ] && [ $# -eq 0 ]; then echo "(serve: the test's runner is serving)"; return 0; fi
            if [ "$project" = src/Momento.Topics.LocalServer ] || [ "${1:-}" = subscribe ]; then
              local log; log="$(mktemp -p "$DOC_WORK")"
              command dotnet "$dll" "$@" >"$log" 2>&1 &
              local pid=$!
              echo "$pid $log" >>"$DOC_WORK/background"
              # Wait for its first line (ready, or the reason it stops), as a reader of the second terminal would.
              for _ in $(seq 1 300); do if [ -s "$log" ] || ! kill -0 "$pid" 2>/dev/null; then break; fi; sleep 0.1; done
              sleep 0.5
              return 0
            fi
            command dotnet "$dll" "$@"
            return
          fi
          echo "the documentation test runs only 'dotnet run --project src/<program>' here, not 'dotnet $*': tag the block 'sh no-run'" >&2
          return 1
        }
        npx() { echo "npx $1 needs AWS or npm: tag the block 'sh no-run'" >&2; return 1; }
        aws() { echo "aws needs AWS: tag the block 'sh no-run'" >&2; return 1; }
        sam() { echo "sam needs the SAM CLI and Docker: tag the block 'sh no-run'" >&2; return 1; }
        npm() { echo "npm is not run by the documentation test: tag the block 'sh no-run'" >&2; return 1; }
        curl() {
          local body code
          body="$(mktemp -p "$DOC_WORK")"
          code="$(command curl -sS -o "$body" -w '%{http_code}' "$@")" || { cat "$body"; return 1; }
          cat "$body"; echo
          case "$code" in 404|405|000|5*) echo "curl: the answer was $code" >&2; return 1 ;; esac
        }
        """;

    private const string Epilogue = """
        if [ -f "$DOC_WORK/background" ]; then
          while read -r pid log; do
            if ! kill -0 "$pid" 2>/dev/null; then echo "a long-running command stopped early:" >&2; cat "$log" >&2; rc=1; fi
            kill "$pid" 2>/dev/null || true
          done <"$DOC_WORK/background"
        fi
        exit "$rc"
        """;

    private Process? _serve;
    private readonly StringBuilder _serveOutput = new();

    public int ApiPort { get; private set; }

    public int TopicsPort { get; private set; }

    private static string Dll(string project)
    {
        var bin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        return Path.Combine(Repository.Root, "src", project, "bin", bin.Parent!.Name, bin.Name, project + ".dll");
    }

    public async Task InitializeAsync()
    {
        var start = Start("dotnet", [Dll("Publisher.Local"), "--api-port", "0", "--topics-port", "0"]);
        _serve = Process.Start(start)!;
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _serve.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                ready.TrySetException(new InvalidOperationException("serve exited: " + _serveOutput));
                return;
            }

            lock (_serveOutput)
            {
                _serveOutput.AppendLine(e.Data);
            }

            var api = ApiLine().Match(e.Data);
            if (api.Success)
            {
                ApiPort = int.Parse(api.Groups[1].Value, CultureInfo.InvariantCulture);
            }

            var topics = TopicsLine().Match(e.Data);
            if (topics.Success)
            {
                TopicsPort = int.Parse(topics.Groups[1].Value, CultureInfo.InvariantCulture);
            }

            if (e.Data == "Ctrl+C stops.")
            {
                ready.TrySetResult();
            }
        };
        _serve.ErrorDataReceived += (_, _) => { };
        _serve.BeginOutputReadLine();
        _serve.BeginErrorReadLine();
        await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(ApiPort > 0 && TopicsPort > 0, "serve printed no ports: " + _serveOutput);
    }

    public Task DisposeAsync()
    {
        if (_serve is { HasExited: false })
        {
            _serve.Kill(entireProcessTree: true);
        }

        _serve?.Dispose();
        return Task.CompletedTask;
    }

    /// <summary>The block as bash runs it: the documented addresses pointed at this runner.</summary>
    internal string Script(CodeBlock block) =>
        block.Code
            .Replace("127.0.0.1:3000", $"127.0.0.1:{ApiPort}", StringComparison.Ordinal)
            .Replace("--topics-port 8080", $"--topics-port {TopicsPort}", StringComparison.Ordinal)
            .Replace("--port 8080", $"--port {FreePort()}", StringComparison.Ordinal);

    /// <summary>Runs the block; returns its exit code and everything it wrote.</summary>
    internal async Task<(int ExitCode, string Output)> RunAsync(CodeBlock block)
    {
        var work = Directory.CreateTempSubdirectory("doc-example-");
        try
        {
            File.WriteAllText(Path.Combine(work.FullName, "block.sh"), Script(block) + "\n");
            var script = Prelude + "\n( set -e; . \"$DOC_WORK/block.sh\" ); rc=$?\n" + Epilogue + "\n";
            var start = Start("bash", ["-c", script]);
            start.Environment["DOC_WORK"] = work.FullName;
            start.Environment["DOC_LOCAL_DLL"] = Dll("Publisher.Local");
            start.Environment["DOC_CHECK_DLL"] = Dll("Publisher.DeploymentCheck");
            start.Environment["DOC_SERVER_DLL"] = Dll("Momento.Topics.LocalServer");
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                return (-1, "timed out after 120 s\n" + await stdout + await stderr);
            }

            return (process.ExitCode, await stdout + await stderr);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static ProcessStartInfo Start(string file, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = Repository.Root };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The machine's own Momento settings would send the examples to Momento.
        foreach (var name in new[] { "MOMENTO_API_KEY", "MOMENTO_API_KEY_SECRET_ID", "MOMENTO_ENDPOINT", "MOMENTO_LOCAL_ENDPOINT", "MOMENTO_CACHE_NAME", "ASPNETCORE_URLS", "PUBLISHER_LOCAL_API_KEY", "VERIFY_BEARER_TOKEN" })
        {
            start.Environment.Remove(name);
        }

        return start;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [GeneratedRegex(@"^Publish API:\s+http://127\.0\.0\.1:(\d+)")]
    private static partial Regex ApiLine();

    [GeneratedRegex(@"subscribe --topic my-topic --topics-port (\d+)$")]
    private static partial Regex TopicsLine();
}
