using System.Diagnostics;

namespace Publisher.Benchmarks.Internal;

/// <summary>Durations measured with <see cref="Stopwatch.GetTimestamp"/>, summarized from the sorted samples.</summary>
internal sealed class Samples
{
    private readonly List<double> _milliseconds = [];
    private double[]? _sorted;

    public int Count => _milliseconds.Count;

    /// <summary>The samples in the order they were taken.</summary>
    public IReadOnlyList<double> Values => _milliseconds;

    public static double ElapsedMs(long startTimestamp, long endTimestamp) =>
        (endTimestamp - startTimestamp) * 1000.0 / Stopwatch.Frequency;

    public void Add(double milliseconds)
    {
        _milliseconds.Add(milliseconds);
        _sorted = null;
    }

    public void AddElapsed(long startTimestamp, long endTimestamp) => Add(ElapsedMs(startTimestamp, endTimestamp));

    public void AddRange(IEnumerable<double> milliseconds)
    {
        _milliseconds.AddRange(milliseconds);
        _sorted = null;
    }

    public double Min => Sorted()[0];

    public double Max => Sorted()[^1];

    public double Median => Percentile(50);

    /// <summary>Nearest-rank percentile of the sorted samples: the smallest sample with at least p% of the samples at or below it.</summary>
    public double Percentile(double p)
    {
        var sorted = Sorted();
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    private double[] Sorted()
    {
        if (_milliseconds.Count == 0)
        {
            throw new InvalidOperationException("No samples were taken.");
        }

        if (_sorted is null)
        {
            _sorted = [.. _milliseconds];
            Array.Sort(_sorted);
        }

        return _sorted;
    }
}
