using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Publisher.Benchmarks.Internal;

/// <summary>Finds or publishes the two builds of the publisher's <c>bootstrap</c>.</summary>
internal sealed class BootstrapResolver
{
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(15);

    private readonly BenchmarkOptions _options;
    private readonly string _repositoryRoot;
    private readonly TextWriter _output;

    public BootstrapResolver(BenchmarkOptions options, string repositoryRoot, TextWriter output)
    {
        _options = options;
        _repositoryRoot = repositoryRoot;
        _output = output;
    }

    /// <summary>The <c>dotnet</c> host that runs framework-dependent dlls.</summary>
    public static string DotnetHost()
    {
        if (System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        var process = System.Environment.ProcessPath;
        return process is not null && Path.GetFileNameWithoutExtension(process) == "dotnet" ? process : "dotnet";
    }

    /// <summary>The Native AOT build, or null with a note saying why it is skipped.</summary>
    public async Task<BootstrapBuild?> ResolveAotAsync(ICollection<string> notes, CancellationToken cancellationToken)
    {
        if (_options.AotBootstrap is { } given)
        {
            return new BootstrapBuild(BootstrapBuild.AotLabel, RequireFile(given), [], "given: " + given);
        }

        if (_options.Smoke)
        {
            notes.Add("AOT skipped: --smoke publishes nothing (pass --aot-bootstrap PATH to include a prebuilt one).");
            return null;
        }

        if (RuntimeInformation.RuntimeIdentifier != "linux-x64")
        {
            notes.Add("AOT skipped: the Native AOT bootstrap is built for linux-x64 and this host is " + RuntimeInformation.RuntimeIdentifier + ".");
            return null;
        }

        if (FindOnPath("clang") is null && FindOnPath("gcc") is null)
        {
            notes.Add("AOT skipped: Native AOT needs a C toolchain (clang or gcc) on PATH to link, and neither was found.");
            return null;
        }

        var directory = Path.Combine(_repositoryRoot, ".artifacts", "bench", "aot");
        await PublishAsync(directory, aot: true, "linux-x64", cancellationToken).ConfigureAwait(false);
        return new BootstrapBuild(BootstrapBuild.AotLabel, FindBootstrap(directory), [], "published: " + Relative(directory));
    }

    /// <summary>The non-AOT build: given, the function's built dll under <c>dotnet</c> (smoke), or a self-contained publish.</summary>
    public async Task<BootstrapBuild> ResolveJitAsync(CancellationToken cancellationToken)
    {
        if (_options.JitBootstrap is { } given)
        {
            var path = RequireFile(given);
            return path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
                ? new BootstrapBuild(BootstrapBuild.JitLabel, DotnetHost(), [path], "given: dotnet " + given)
                : new BootstrapBuild(BootstrapBuild.JitLabel, path, [], "given: " + given);
        }

        if (_options.Smoke)
        {
            var dll = FunctionDll();
            return new BootstrapBuild(BootstrapBuild.JitLabel, DotnetHost(), [dll], "dotnet " + Relative(dll));
        }

        var directory = Path.Combine(_repositoryRoot, ".artifacts", "bench", "jit");
        await PublishAsync(directory, aot: false, RuntimeInformation.RuntimeIdentifier, cancellationToken).ConfigureAwait(false);
        return new BootstrapBuild(BootstrapBuild.JitLabel, FindBootstrap(directory), [], "published self-contained: " + Relative(directory));
    }

    /// <summary>The function's framework-dependent build, which the project reference builds with the benchmark's configuration.</summary>
    private string FunctionDll()
    {
        var configuration = typeof(BootstrapResolver).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        var candidates = new[]
        {
            Path.Combine(_repositoryRoot, "src", "Publisher.Function", "bin", configuration, "net10.0", "Publisher.Function.dll"),
            // The reference chain also copies it (with its runtimeconfig) next to the benchmark assembly.
            Path.Combine(AppContext.BaseDirectory, "Publisher.Function.dll"),
        };
        return candidates.FirstOrDefault(c => File.Exists(c) && File.Exists(Path.ChangeExtension(c, ".runtimeconfig.json")))
            ?? throw new FileNotFoundException("The function's build was not found; tried: " + string.Join(", ", candidates));
    }

    private async Task PublishAsync(string directory, bool aot, string runtimeIdentifier, CancellationToken cancellationToken)
    {
        var project = Path.Combine(_repositoryRoot, "src", "Publisher.Function", "Publisher.Function.csproj");
        var arguments = new List<string> { "publish", project, "-c", "Release", "-r", runtimeIdentifier, "-o", directory, "-nologo", "-v:q", "-nodeReuse:false" };
        if (!aot)
        {
            arguments.Add("-p:PublishAot=false");
        }

        var label = aot ? "Native AOT" : "non-AOT self-contained";
        _output.WriteLine($"Publishing the {label} bootstrap into {Relative(directory)} (dotnet {string.Join(' ', arguments.Skip(1).Select(a => a == project || a == directory ? Relative(a) : a))}) ...");
        var started = Stopwatch.GetTimestamp();
        var startInfo = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _repositoryRoot,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // A parent `dotnet run` or test host may leave MSBuild settings that do not fit a fresh publish.
        foreach (var name in startInfo.Environment.Keys.Where(k => k.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            startInfo.Environment.Remove(name);
        }

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("dotnet publish did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(PublishTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var log = (await stdout.ConfigureAwait(false)) + (await stderr.ConfigureAwait(false));
        if (process.ExitCode != 0)
        {
            var tail = string.Join('\n', log.Split('\n').TakeLast(40));
            throw new InvalidOperationException($"dotnet publish of the {label} bootstrap failed (exit {process.ExitCode}):\n{tail}");
        }

        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds.ToString("0", CultureInfo.InvariantCulture);
        _output.WriteLine($"Published the {label} bootstrap in {seconds} s.");
    }

    private static string FindBootstrap(string directory)
    {
        // PackageBootstrap renames the executable to `bootstrap`; elsewhere it keeps the assembly's name.
        var candidates = new[] { "bootstrap", "Publisher.Function", "Publisher.Function.exe" }.Select(n => Path.Combine(directory, n));
        return candidates.FirstOrDefault(File.Exists) ?? throw new FileNotFoundException("No bootstrap in " + directory);
    }

    private static string RequireFile(string path)
    {
        var full = Path.GetFullPath(path);
        return File.Exists(full) ? full : throw new FileNotFoundException("Bootstrap not found: " + full, full);
    }

    private static string? FindOnPath(string tool) =>
        (System.Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, tool))
            .FirstOrDefault(File.Exists);

    private string Relative(string path) => Path.GetRelativePath(_repositoryRoot, path);
}
