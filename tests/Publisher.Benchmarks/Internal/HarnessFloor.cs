using System.Diagnostics;

namespace Publisher.Benchmarks.Internal;

/// <summary>
/// The harness's own share of a cold-start figure: a C program that does nothing but connect to
/// AWS_LAMBDA_RUNTIME_API and send <c>GET /next</c>, compiled here with the C compiler that Native AOT links with.
/// Started and timed exactly like a bootstrap, its exec → <c>/next</c> time is what any function's init includes
/// before its own first instruction runs.
/// </summary>
internal static class HarnessFloor
{
    public const string Label = "harness floor (C: exec → GET /next)";

    private const string Source = """
        #include <netdb.h>
        #include <stdlib.h>
        #include <string.h>
        #include <sys/socket.h>
        #include <unistd.h>
        #include <netinet/in.h>
        #include <arpa/inet.h>

        int main(void) {
            const char *api = getenv("AWS_LAMBDA_RUNTIME_API");
            if (!api) return 2;
            char host[64]; const char *colon = strrchr(api, ':');
            if (!colon || colon - api >= (long)sizeof host) return 2;
            memcpy(host, api, colon - api); host[colon - api] = 0;
            struct sockaddr_in address = { .sin_family = AF_INET, .sin_port = htons(atoi(colon + 1)) };
            if (inet_pton(AF_INET, host, &address.sin_addr) != 1) return 2;
            int s = socket(AF_INET, SOCK_STREAM, 0);
            if (s < 0 || connect(s, (struct sockaddr *)&address, sizeof address) != 0) return 3;
            static const char request[] = "GET /2018-06-01/runtime/invocation/next HTTP/1.1\r\nHost: runtime\r\n\r\n";
            if (write(s, request, sizeof request - 1) != (ssize_t)(sizeof request - 1)) return 3;
            char answer[256];
            (void)read(s, answer, sizeof answer);
            return 0;
        }
        """;

    /// <summary>Compiles the probe into <paramref name="directory"/>; null with <paramref name="why"/> when there is no C compiler.</summary>
    public static BootstrapBuild? Build(string directory, out string? why)
    {
        why = null;
        var compiler = new[] { "cc", "gcc", "clang" }.Select(FindOnPath).FirstOrDefault(p => p is not null);
        if (compiler is null)
        {
            why = "no C compiler (cc, gcc or clang) on PATH to build the harness-floor probe";
            return null;
        }

        Directory.CreateDirectory(directory);
        var source = Path.Combine(directory, "next-probe.c");
        var binary = Path.Combine(directory, "next-probe");
        File.WriteAllText(source, Source);
        var startInfo = new ProcessStartInfo(compiler) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-O2", "-o", binary, source })
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException(compiler + " did not start.");
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            why = $"{compiler} could not build the probe: {errors.Trim()}";
            return null;
        }

        return new BootstrapBuild(Label, binary, [], "built here: " + compiler + " -O2");
    }

    private static string? FindOnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, tool))
            .FirstOrDefault(File.Exists);
}
