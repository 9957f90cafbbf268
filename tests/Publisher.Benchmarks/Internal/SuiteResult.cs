using System.Text.Json.Nodes;

namespace Publisher.Benchmarks.Internal;

/// <summary>What one suite measured: its tables, its ratios (the primary output), raw numbers and notes.</summary>
internal sealed class SuiteResult
{
    public SuiteResult(string name, string title, string description)
    {
        Name = name;
        Title = title;
        Description = description;
    }

    /// <summary>The suite's command-line name, such as <c>cold-start</c>.</summary>
    public string Name { get; }

    public string Title { get; }

    /// <summary>One paragraph on what was measured and how.</summary>
    public string Description { get; }

    public List<TextTable> Tables { get; } = [];

    public List<Ratio> Ratios { get; } = [];

    /// <summary>Raw numbers for results.json.</summary>
    public JsonObject Metrics { get; } = [];

    public List<string> Notes { get; } = [];

    /// <summary>Charts written as SVG files beside results.md and linked from it.</summary>
    public List<Chart> Charts { get; } = [];

    /// <summary>Why the suite failed (a broken invariant or an exception); null when it passed.</summary>
    public string? Failure { get; set; }

    public TimeSpan Duration { get; set; }

    public void AddRatio(string name, double numerator, double denominator, string meaning)
    {
        Ratios.Add(new Ratio(name, denominator > 0 ? numerator / denominator : double.NaN, meaning));
    }
}

/// <summary>A named ratio of two measurements taken in the same run.</summary>
internal sealed record Ratio(string Name, double Value, string Meaning);
