using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Publisher.Benchmarks.Internal;

/// <summary>Prints suites to the console and writes results.md and results.json.</summary>
internal static class ResultsWriter
{
    public const string MarkdownFile = "results.md";
    public const string JsonFile = "results.json";

    /// <summary>The console form of a suite: heading, tables, one <c>ratio:</c> line per ratio, notes.</summary>
    public static void Print(SuiteResult suite, TextWriter output)
    {
        foreach (var table in suite.Tables)
        {
            foreach (var line in table.Render())
            {
                output.WriteLine(line);
            }

            output.WriteLine();
        }

        foreach (var ratio in suite.Ratios)
        {
            output.WriteLine($"ratio: {ratio.Name} = {RatioText(ratio.Value)}");
        }

        foreach (var note in suite.Notes)
        {
            output.WriteLine("note: " + note);
        }

        if (suite.Failure is not null)
        {
            output.WriteLine($"FAILED: {suite.Name}: {suite.Failure}");
        }

        output.WriteLine();
    }

    public static async Task WriteAsync(string directory, RunInfo run, IReadOnlyList<SuiteResult> suites, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(directory);
        foreach (var chart in suites.SelectMany(s => s.Charts))
        {
            Charts.WriteSvg(chart, Path.Combine(directory, chart.FileName));
        }

        await File.WriteAllTextAsync(Path.Combine(directory, MarkdownFile), Markdown(run, suites), cancellationToken).ConfigureAwait(false);
        var json = Json(run, suites).ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        await File.WriteAllTextAsync(Path.Combine(directory, JsonFile), json + "\n", cancellationToken).ConfigureAwait(false);
    }

    private static string Markdown(RunInfo run, IReadOnlyList<SuiteResult> suites)
    {
        var md = new StringBuilder();
        md.AppendLine("# Publisher benchmarks");
        md.AppendLine();
        var smoke = run.Smoke ? " (smoke sizes: checks that the suites work, not a measurement)" : string.Empty;
        md.AppendLine(CultureInfo.InvariantCulture, $"`dotnet run -c Release --project tests/Publisher.Benchmarks -- {string.Join(' ', run.Arguments)}`{smoke}");
        md.AppendLine();
        md.AppendLine("Ratios compare measurements taken in the same run and are the result; absolute times depend on the machine and its load.");
        md.AppendLine();
        var machine = new TextTable("machine", string.Empty) { NumbersRight = false };
        foreach (var (name, value) in run.Machine.Rows())
        {
            machine.AddRow(name, value);
        }

        foreach (var (label, origin) in run.Bootstraps)
        {
            machine.AddRow(label + " bootstrap", origin);
        }

        foreach (var line in machine.Render())
        {
            md.AppendLine(line);
        }

        foreach (var note in run.Notes)
        {
            md.AppendLine();
            md.AppendLine("Note: " + note);
        }

        for (var i = 0; i < suites.Count; i++)
        {
            var suite = suites[i];
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"## {i + 1}. {suite.Title} (`{suite.Name}`)");
            md.AppendLine();
            md.AppendLine(suite.Description);
            foreach (var table in suite.Tables)
            {
                md.AppendLine();
                foreach (var line in table.Render())
                {
                    md.AppendLine(line);
                }
            }

            foreach (var chart in suite.Charts)
            {
                md.AppendLine();
                md.AppendLine(CultureInfo.InvariantCulture, $"![{chart.Title}]({chart.FileName})");
            }

            if (suite.Ratios.Count > 0)
            {
                md.AppendLine();
                foreach (var ratio in suite.Ratios)
                {
                    md.AppendLine(CultureInfo.InvariantCulture, $"- {ratio.Name}: **{RatioText(ratio.Value)}** ({ratio.Meaning})");
                }
            }

            foreach (var note in suite.Notes)
            {
                md.AppendLine();
                md.AppendLine(note);
            }

            if (suite.Failure is not null)
            {
                md.AppendLine();
                md.AppendLine("**FAILED:** " + suite.Failure);
            }
        }

        return md.ToString();
    }

    private static JsonObject Json(RunInfo run, IReadOnlyList<SuiteResult> suites)
    {
        var bySuite = new JsonObject();
        foreach (var suite in suites)
        {
            var ratios = new JsonObject();
            foreach (var ratio in suite.Ratios)
            {
                ratios[ratio.Name] = double.IsFinite(ratio.Value) ? ratio.Value : null;
            }

            var tables = new JsonArray();
            foreach (var table in suite.Tables)
            {
                tables.Add(new JsonObject
                {
                    ["headers"] = new JsonArray([.. table.Headers.Select(h => (JsonNode)h)]),
                    ["rows"] = new JsonArray([.. table.Rows.Select(r => (JsonNode)new JsonArray([.. r.Select(c => (JsonNode)c)]))]),
                });
            }

            bySuite[suite.Name] = new JsonObject
            {
                ["title"] = suite.Title,
                ["description"] = suite.Description,
                ["durationSeconds"] = Math.Round(suite.Duration.TotalSeconds, 1),
                ["failure"] = suite.Failure,
                ["ratios"] = ratios,
                ["tables"] = tables,
                ["metrics"] = suite.Metrics.DeepClone(),
                ["notes"] = new JsonArray([.. suite.Notes.Select(n => (JsonNode)n)]),
                ["charts"] = new JsonArray([.. suite.Charts.Select(c => (JsonNode)c.FileName)]),
            };
        }

        var bootstraps = new JsonObject();
        foreach (var (label, origin) in run.Bootstraps)
        {
            bootstraps[label] = origin;
        }

        return new JsonObject
        {
            ["arguments"] = new JsonArray([.. run.Arguments.Select(a => (JsonNode)a)]),
            ["smoke"] = run.Smoke,
            ["machine"] = run.Machine.ToJson(),
            ["bootstraps"] = bootstraps,
            ["notes"] = new JsonArray([.. run.Notes.Select(n => (JsonNode)n)]),
            ["suites"] = bySuite,
        };
    }

    private static string RatioText(double value) => double.IsFinite(value) ? Format.Ratio(value) : "n/a";
}

/// <summary>The run as a whole: how it was started, where, and with which builds.</summary>
internal sealed record RunInfo(
    IReadOnlyList<string> Arguments,
    bool Smoke,
    MachineInfo Machine,
    IReadOnlyList<(string Label, string Origin)> Bootstraps,
    IReadOnlyList<string> Notes);
