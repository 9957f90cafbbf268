using System.Reflection;

namespace Lambda.Runtime.Emulator;

/// <summary>
/// Where a function's bootstrap is for process tests: the Native AOT binary named by an environment variable
/// (<c>PUBLISHER_BOOTSTRAP</c>, <c>SUBSCRIBER_BOOTSTRAP</c>; .ci/run sets them), else the function's JIT build
/// run with <c>dotnet</c>. A native binary runs through <c>BOOTSTRAP_LAUNCHER</c> when that is set: a command
/// and its arguments split on whitespace, e.g. <c>qemu-aarch64 -L /usr/aarch64-linux-gnu</c> for an arm64 binary.
/// </summary>
public sealed record FunctionBootstrap(string FileName, IReadOnlyList<string> Arguments, bool IsNative)
{
    /// <summary>The publisher function's bootstrap.</summary>
    public static FunctionBootstrap Publisher(Assembly testAssembly) => Locate("Publisher.Function", "PUBLISHER_BOOTSTRAP", testAssembly);

    /// <summary>The subscriber function's bootstrap.</summary>
    public static FunctionBootstrap Subscriber(Assembly testAssembly) => Locate("Subscriber.Function", "SUBSCRIBER_BOOTSTRAP", testAssembly);

    /// <summary>The runtime tests' own function (tests/Lambda.Runtime.TestFunction).</summary>
    public static FunctionBootstrap TestFunction(Assembly testAssembly) => Locate("Lambda.Runtime.TestFunction", "TEST_FUNCTION_BOOTSTRAP", testAssembly);

    /// <summary>Starts it under the emulator.</summary>
    public BootstrapProcess Start(RuntimeApiEmulator runtimeApi, IReadOnlyDictionary<string, string?>? environment = null) =>
        BootstrapProcess.Start(FileName, Arguments, runtimeApi, environment);

    private static FunctionBootstrap Locate(string project, string variable, Assembly testAssembly)
    {
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } native)
        {
            if (!File.Exists(native))
            {
                throw new FileNotFoundException($"{variable} names {native}, which does not exist.");
            }

            var launcher = (Environment.GetEnvironmentVariable("BOOTSTRAP_LAUNCHER") ?? string.Empty)
                .Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return launcher.Length == 0
                ? new FunctionBootstrap(native, [], IsNative: true)
                : new FunctionBootstrap(launcher[0], [.. launcher[1..], native], IsNative: true);
        }

        // The function's own build output, not the copy next to the test assembly: that one runs against
        // the test project's (ASP.NET-flavoured) dependency set and misses packages.
        var configuration = testAssembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        var root = RepositoryRoot.Above(AppContext.BaseDirectory);
        var dll = root is null
            ? null
            : new[] { "src", "tests" }.Select(folder => Path.Combine(root, folder, project, "bin", configuration, "net10.0", project + ".dll"))
                .FirstOrDefault(File.Exists);
        if (dll is null)
        {
            throw new FileNotFoundException($"Build {project} first: {project}.dll is missing.");
        }

        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } dotnet ? dotnet : "dotnet";
        return new FunctionBootstrap(host, [dll], IsNative: false);
    }
}
