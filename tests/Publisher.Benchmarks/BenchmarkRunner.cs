using System.Diagnostics;
using System.Globalization;
using CommandLineSupport;
using Publisher.Benchmarks.Internal;
using Publisher.Benchmarks.Suites;

namespace Publisher.Benchmarks;

/// <summary>The benchmark program: parses the command line, runs the chosen suites, prints their tables and writes the results folder.</summary>
public static class BenchmarkRunner
{
    /// <summary>Exit code of a run where every suite passed.</summary>
    public const int Success = 0;

    /// <summary>Exit code when a suite failed or broke a guarantee (such as fan-out losing an acknowledged message).</summary>
    public const int Failed = 1;

    /// <summary>Exit code for arguments that are not understood.</summary>
    public const int UsageError = CommandLineRunner.UsageError;

    /// <summary>Runs the benchmarks as the command line asks; see <c>--help</c>. Returns the process exit code.</summary>
    /// <param name="args">Suite names (or <c>all</c>) and options.</param>
    /// <param name="output">Where tables, ratios and progress go.</param>
    /// <param name="cancellationToken">Stops the run.</param>
    public static Task<int> RunAsync(string[] args, TextWriter output, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        var command = BenchmarkOptions.CreateCommand((options, token) => RunSuitesAsync(options, args, output, token));
        return CommandLineRunner.InvokeAsync(command, args, output, output, cancellationToken);
    }

    private static async Task<int> RunSuitesAsync(BenchmarkOptions options, string[] args, TextWriter output, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var repositoryRoot = FindRepositoryRoot();
        var outputDirectory = Path.GetFullPath(options.OutputDirectory
            ?? Path.Combine(Directory.GetCurrentDirectory(), "BenchmarkResults", now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)));
        try
        {
            // Before any suite runs: a run of minutes must not end in a results folder it cannot write.
            Directory.CreateDirectory(outputDirectory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            output.WriteLine($"Cannot write the results to {outputDirectory}: {e.Message}");
            return UsageError;
        }

        var machine = MachineInfo.Read(now);
        output.WriteLine($"Publisher benchmarks{(options.Smoke ? " (smoke sizes)" : string.Empty)}: {string.Join(", ", options.Suites)}");
        foreach (var (name, value) in machine.Rows())
        {
            output.WriteLine($"  {name,-6} {value}");
        }

        output.WriteLine();
        var suites = new ISuite[] { new ColdStartSuite(), new WarmSuite(), new MemorySuite(), new BatchSuite(), new IdempotencySuite(), new FanoutSuite(), new OversizeSuite(), new OutageSuite(), new ConcurrencySuite(), new NearLimitMemorySuite() }
            .Where(s => options.Suites.Contains(s.Name))
            .ToList();
        var notes = new List<string>();
        BootstrapBuild? aot = null, jit = null;
        List<BootstrapBuild> peers;
        try
        {
            peers = [.. options.PeerBootstraps.Select(BootstrapBuild.Peer)];
        }
        catch (FileNotFoundException e)
        {
            output.WriteLine(e.Message);
            return UsageError;
        }

        if (suites.Any(s => s.NeedsBootstrap))
        {
            try
            {
                var resolver = new BootstrapResolver(options, repositoryRoot, output);
                jit = await resolver.ResolveJitAsync(cancellationToken).ConfigureAwait(false);
                aot = await resolver.ResolveAotAsync(notes, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is InvalidOperationException or FileNotFoundException or IOException or System.ComponentModel.Win32Exception)
            {
                output.WriteLine("Could not get the bootstrap builds: " + e.Message);
                return Failed;
            }

            foreach (var build in new[] { aot, jit }.OfType<BootstrapBuild>().Concat(peers))
            {
                output.WriteLine($"{build.Label} bootstrap: {build.Origin}");
            }

            foreach (var note in notes)
            {
                output.WriteLine("note: " + note);
            }

            output.WriteLine();
        }

        var status = new ProgressReporter(output, ProgressReporter.IsTerminal(output));
        var context = new BenchContext(Sizes.For(options.Smoke), aot, jit, RestEvents.Load(repositoryRoot))
        {
            Peers = peers,
            ArtifactsDirectory = Path.Combine(repositoryRoot, ".artifacts", "bench"),
            Status = status,
        };
        var results = new List<SuiteResult>();
        foreach (var suite in suites)
        {
            output.WriteLine($"== {suite.Name} ==");
            status.Suite(suite.Name);
            var started = Stopwatch.GetTimestamp();
            SuiteResult result;
            try
            {
                result = await suite.RunAsync(context, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // One broken suite should not hide the others' results.
                result = new SuiteResult(suite.Name, suite.Name, "The suite did not complete.") { Failure = e.GetType().Name + ": " + e.Message };
            }

            status.Done();

            result.Duration = Stopwatch.GetElapsedTime(started);
            results.Add(result);
            ResultsWriter.Print(result, output);
        }

        var bootstraps = new[] { aot, jit }.OfType<BootstrapBuild>().Concat(peers).Select(b => (b.Label, b.Origin)).ToList();
        var run = new RunInfo(args, options.Smoke, machine, bootstraps, notes);
        await ResultsWriter.WriteAsync(outputDirectory, run, results, cancellationToken).ConfigureAwait(false);
        var charts = results.SelectMany(r => r.Charts).Select(c => c.FileName).ToList();
        output.WriteLine($"Results written to {outputDirectory} ({ResultsWriter.MarkdownFile}, {ResultsWriter.JsonFile}{string.Concat(charts.Select(c => ", " + c))})");
        var failed = results.Where(r => r.Failure is not null).Select(r => r.Name).ToList();
        if (failed.Count > 0)
        {
            output.WriteLine("FAILED suites: " + string.Join(", ", failed));
            return Failed;
        }

        return Success;
    }

    /// <summary>The clone's root (where Publisher.sln is), searched upwards from the program and then from the working directory.</summary>
    private static string FindRepositoryRoot() =>
        RepositoryRoot.Above(AppContext.BaseDirectory) ?? RepositoryRoot.Above(Directory.GetCurrentDirectory())
        ?? throw new DirectoryNotFoundException("Publisher.sln was not found above " + AppContext.BaseDirectory + " or the working directory.");
}
