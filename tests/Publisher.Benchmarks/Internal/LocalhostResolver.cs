using System.Diagnostics;

namespace Publisher.Benchmarks.Internal;

/// <summary>
/// Resolves <c>*.localhost</c> (RFC 6761: always the loopback) for a process started with it in <c>LD_PRELOAD</c>: a
/// getaddrinfo wrapper, compiled here, that maps such a name to 127.0.0.1 and passes every other name on. Momento
/// clients turn an endpoint <c>localhost:PORT</c> into <c>cache.localhost:PORT</c>, which glibc without
/// nss-myhostname (as on this machine) does not resolve; in production DNS resolves the real endpoint. Every build
/// and peer gets it, so they pay the same for it.
/// </summary>
internal static class LocalhostResolver
{
    private const string Source = """
        #define _GNU_SOURCE
        #include <dlfcn.h>
        #include <netdb.h>
        #include <string.h>

        typedef int (*getaddrinfo_fn)(const char *, const char *, const struct addrinfo *, struct addrinfo **);

        int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints, struct addrinfo **res) {
            static getaddrinfo_fn next;
            if (!next) next = (getaddrinfo_fn)dlsym(RTLD_NEXT, "getaddrinfo");
            if (node) {
                size_t n = strlen(node);
                if (n > 10 && strcmp(node + n - 10, ".localhost") == 0) node = "127.0.0.1";
            }
            return next(node, service, hints, res);
        }
        """;

    /// <summary>Builds the library into <paramref name="directory"/> and returns its path.</summary>
    public static string Build(string directory)
    {
        var compiler = new[] { "cc", "gcc", "clang" }
            .Select(tool => (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Select(d => Path.Combine(d, tool)).FirstOrDefault(File.Exists))
            .FirstOrDefault(p => p is not null)
            ?? throw new InvalidOperationException("The modelled network needs a C compiler (cc, gcc or clang) for its *.localhost resolver.");
        Directory.CreateDirectory(directory);
        var source = Path.Combine(directory, "localhost-resolver.c");
        var library = Path.Combine(directory, "localhost-resolver.so");
        File.WriteAllText(source, Source);
        var startInfo = new ProcessStartInfo(compiler) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in new[] { "-O2", "-shared", "-fPIC", "-o", library, source, "-ldl" })
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException(compiler + " did not start.");
        var errors = process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? library : throw new InvalidOperationException($"{compiler} could not build the *.localhost resolver: {errors.Trim()}");
    }
}
