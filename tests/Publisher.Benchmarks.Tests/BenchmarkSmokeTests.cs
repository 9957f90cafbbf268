using System.Text.Json;

namespace Publisher.Benchmarks.Tests;

/// <summary>The whole benchmark program at smoke size: it must keep working, not be fast.</summary>
public sealed class BenchmarkSmokeTests : IDisposable
{
    private static readonly string[] Suites = ["cold-start", "warm", "memory", "batch", "idempotency", "fanout", "oversize", "outage", "concurrency", "memory-near-limit"];

    /// <summary>The smoke run takes seconds; the bound only keeps a hang from stalling the test run.</summary>
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(90);

    private readonly string _outputDirectory = Path.Combine(Path.GetTempPath(), "publisher-bench-smoke-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task RunAsync_AllSmoke_PrintsEverySuiteAndWritesResultsWithoutLoss()
    {
        using var writer = new StringWriter();
        using var output = TextWriter.Synchronized(writer);

        var exitCode = await BenchmarkRunner.RunAsync(["all", "--smoke", "--out", _outputDirectory], output).WaitAsync(RunTimeout);

        var text = writer.ToString();
        Assert.True(exitCode == BenchmarkRunner.Success, text);
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        foreach (var suite in Suites)
        {
            var section = Section(lines, suite);
            Assert.True(section.Count > 0, $"no section for {suite} in:\n{text}");
            Assert.Contains(section, l => l.StartsWith("| ", StringComparison.Ordinal) && l.Contains(" | ", StringComparison.Ordinal));
            Assert.Contains(section, l => l.StartsWith("| --", StringComparison.Ordinal));
            Assert.Contains(section, l => l.StartsWith("ratio: ", StringComparison.Ordinal) && l.EndsWith('x'));
            Assert.DoesNotContain(section, l => l.StartsWith("FAILED", StringComparison.Ordinal));
        }

        Assert.Contains(lines, l => l.Contains("lost without a discontinuity: 0 (must be 0)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Results written to " + _outputDirectory, StringComparison.Ordinal));

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_outputDirectory, "results.json")));
        var suites = json.RootElement.GetProperty("suites");
        Assert.Equal(Suites, suites.EnumerateObject().Select(p => p.Name));
        foreach (var suite in Suites)
        {
            var entry = suites.GetProperty(suite);
            Assert.Equal(JsonValueKind.Null, entry.GetProperty("failure").ValueKind);
            var ratios = entry.GetProperty("ratios").EnumerateObject().ToList();
            Assert.NotEmpty(ratios);
            Assert.All(ratios, r => Assert.True(r.Value.ValueKind == JsonValueKind.Number && r.Value.GetDouble() > 0, $"{suite}: {r.Name} = {r.Value}"));
        }

        var fanout = suites.GetProperty("fanout").GetProperty("metrics");
        Assert.Equal(0, fanout.GetProperty("lostWithoutDiscontinuity").GetInt64());
        Assert.Equal(0, fanout.GetProperty("duplicates").GetInt64());
        Assert.All(fanout.GetProperty("scenarios").EnumerateArray(), s => Assert.True(s.GetProperty("delivered").GetInt64() > 0));
        var oversize = suites.GetProperty("oversize").GetProperty("metrics");
        Assert.Equal(2 * oversize.GetProperty("requests").GetInt32(), oversize.GetProperty("problemAnswers").GetInt32());
        Assert.Equal(oversize.GetProperty("cappedRequests").GetInt32(), oversize.GetProperty("cappedProblemAnswers").GetInt32());
        Assert.True(oversize.GetProperty("rssAfterWarmUpBytes").GetInt64() > 0);
        var outage = suites.GetProperty("outage").GetProperty("metrics");
        Assert.True(outage.GetProperty("failedWhileDown").GetInt32() > 0);
        Assert.Equal(["503"], outage.GetProperty("statusCodes").EnumerateObject().Select(p => p.Name));
        Assert.Equal(0, outage.GetProperty("failedAfterBack").GetInt32());
        var levels = suites.GetProperty("concurrency").GetProperty("metrics").GetProperty("levels").EnumerateArray().ToList();
        // Each smoke level on both paths: loopback and the delaying proxy.
        Assert.Equal(["loopback/1", "loopback/4", "20 ms RTT/1", "20 ms RTT/4"], levels.Select(l => $"{l.GetProperty("path").GetString()}/{l.GetProperty("concurrency").GetInt32()}"));
        Assert.All(levels, l => Assert.Equal(1, l.GetProperty("connections").GetInt32()));
        Assert.All(levels, l => Assert.True(l.GetProperty("invocations").GetInt32() > 0));
        var nearLimit = suites.GetProperty("memory-near-limit").GetProperty("metrics");
        foreach (var process in new[] { "local", "function" })
        {
            var measured = nearLimit.GetProperty(process);
            Assert.Equal(measured.GetProperty("answered").GetInt32(), measured.GetProperty("answeredAsExpected").GetInt32());
            Assert.Equal(nearLimit.GetProperty("requests").GetInt32() + 2, measured.GetProperty("answered").GetInt32());
            Assert.All(measured.GetProperty("steps").EnumerateArray(), s => Assert.True(s.GetProperty("rssBytes").GetInt64() > 0));
            Assert.True(measured.GetProperty("steps")[1].GetProperty("gcCommittedBytes").GetInt64() > 0);
        }

        Assert.True(json.RootElement.GetProperty("smoke").GetBoolean());
        Assert.False(string.IsNullOrWhiteSpace(json.RootElement.GetProperty("machine").GetProperty("cpu").GetString()));

        var markdown = await File.ReadAllTextAsync(Path.Combine(_outputDirectory, "results.md"));
        Assert.All(Suites, suite => Assert.Contains($"(`{suite}`)", markdown, StringComparison.Ordinal));
        Assert.Contains("| CPU ", markdown, StringComparison.Ordinal);

        // Charts: an SVG per chart, linked from results.md.
        foreach (var chart in new[] { "cold-start.svg", "warm-latency.svg", "memory-rss.svg", "fanout-throughput.svg", "concurrency.svg", "memory-near-limit.svg" })
        {
            var svg = await File.ReadAllTextAsync(Path.Combine(_outputDirectory, chart));
            Assert.Contains("<svg", svg, StringComparison.Ordinal);
            Assert.Contains("</svg>", svg, StringComparison.Ordinal);
            Assert.Contains($"]({chart})", markdown, StringComparison.Ordinal);
        }

        // The cold-start table has the harness's own floor as a row.
        Assert.Contains(Section(lines, "cold-start"), l => l.StartsWith("| harness floor", StringComparison.Ordinal));

        // Redirected output: progress as plain lines, "[mm:ss] suite: step n/total".
        Assert.All(Suites, suite => Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, $@"^\[\d\d:\d\d\] {suite}: .+ \d+/\d+$")));
    }

    [Fact]
    public async Task RunAsync_UnknownSuite_NamesTheSuitesAndReturnsUsageError()
    {
        using var output = new StringWriter();

        var exitCode = await BenchmarkRunner.RunAsync(["no-such-suite", "--out", _outputDirectory], output).WaitAsync(RunTimeout);

        Assert.Equal(BenchmarkRunner.UsageError, exitCode);
        Assert.Contains("Argument 'no-such-suite' not recognized. Must be one of:", output.ToString(), StringComparison.Ordinal);
        Assert.All(Suites, suite => Assert.Contains($"'{suite}'", output.ToString(), StringComparison.Ordinal));
        Assert.Contains("Run 'dotnet run -c Release --project tests/Publisher.Benchmarks -- --help' for usage.", output.ToString(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(_outputDirectory));
    }

    [Theory]
    [InlineData("Argument '--bogus' not recognized. Must be one of:", "--bogus")]
    [InlineData("Required argument missing for option: '--out'.", "--out")]
    public async Task RunAsync_BadOption_ReturnsUsageErrorWithTheLibrarysMessage(string message, params string[] args)
    {
        using var output = new StringWriter();

        var exitCode = await BenchmarkRunner.RunAsync(args, output).WaitAsync(RunTimeout);

        Assert.Equal(BenchmarkRunner.UsageError, exitCode);
        Assert.StartsWith(message, output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_OutNamesAFile_ReturnsUsageErrorBeforeRunningAnything()
    {
        var file = Path.GetTempFileName();
        try
        {
            using var output = new StringWriter();

            var exitCode = await BenchmarkRunner.RunAsync(["warm", "--smoke", "--out", file], output).WaitAsync(RunTimeout);

            Assert.Equal(BenchmarkRunner.UsageError, exitCode);
            Assert.StartsWith($"Cannot write the results to {file}: ", output.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("== warm", output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task RunAsync_Help_ListsTheSuitesAndOptionsAndRunsNothing()
    {
        using var output = new StringWriter();

        var exitCode = await BenchmarkRunner.RunAsync(["--help"], output).WaitAsync(RunTimeout);

        Assert.Equal(BenchmarkRunner.Success, exitCode);
        Assert.Contains("dotnet run -c Release --project tests/Publisher.Benchmarks -- [<suites>...] [options]", output.ToString(), StringComparison.Ordinal);
        Assert.All(["--smoke", "--out", "--aot-bootstrap", "--jit-bootstrap", .. Suites], word => Assert.Contains(word, output.ToString(), StringComparison.Ordinal));
        Assert.DoesNotContain("==", output.ToString(), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        if (Directory.Exists(_outputDirectory))
        {
            Directory.Delete(_outputDirectory, recursive: true);
        }
    }

    /// <summary>The lines from a suite's <c>== name ==</c> heading to the next heading or the closing line.</summary>
    private static List<string> Section(List<string> lines, string suite)
    {
        var start = lines.IndexOf($"== {suite} ==");
        if (start < 0)
        {
            return [];
        }

        return lines.Skip(start + 1)
            .TakeWhile(l => !l.StartsWith("== ", StringComparison.Ordinal) && !l.StartsWith("Results written", StringComparison.Ordinal))
            .ToList();
    }
}
