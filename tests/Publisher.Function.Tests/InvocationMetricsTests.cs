using System.Text.Json;
using Functions.Common.Http;
using Functions.Common.Observability;
using Publisher.Contracts;
using Publisher.Function.Internal;

namespace Publisher.Function.Tests;

/// <summary>The invocation record's embedded metrics: every metric per function (so per stack), batch failures per error code.</summary>
public sealed class InvocationMetricsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 3, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Write_BatchFailingWithTwoCodes_CountsEachCodeOnALineOfItsOwn()
    {
        var log = new LineWriter();
        var record = new InvocationRecord { FunctionName = "StackA-PublisherFunction-1x2y" };
        PublishMessage[] messages = [new("a", "1", null), new("b", "2", null), new("c", "3", null), new("d", "4", null)];
        PublishOutcome[] outcomes =
        [
            Failed("SERVER_UNAVAILABLE"), PublishOutcome.Published, Failed("TIMEOUT_ERROR"), Failed("SERVER_UNAVAILABLE"),
        ];

        record.AddPublishes(new RouteMatch(PublisherRoute.Batch, null), messages, outcomes, TimeSpan.FromMilliseconds(3));
        record.Write(new FunctionLog(log), TimeSpan.FromMilliseconds(5), Now);

        var lines = log.Lines.Select(line => JsonDocument.Parse(line).RootElement).ToList();
        var invocation = Assert.Single(lines, l => l.GetProperty("message").GetString() == "invocation");
        Assert.Equal(3, invocation.GetProperty(MetricNames.PublishFailures).GetInt32());
        Assert.False(invocation.TryGetProperty(MetricNames.ErrorCodeDimension, out _));
        var perCode = lines.Where(l => l.GetProperty("message").GetString() == "publish failures")
            .ToDictionary(l => l.GetProperty(MetricNames.ErrorCodeDimension).GetString()!, l => l);
        Assert.Equal(["SERVER_UNAVAILABLE", "TIMEOUT_ERROR"], perCode.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(2, perCode["SERVER_UNAVAILABLE"].GetProperty(MetricNames.PublishFailures).GetInt32());
        Assert.Equal(1, perCode["TIMEOUT_ERROR"].GetProperty(MetricNames.PublishFailures).GetInt32());
        Assert.All(perCode.Values, line =>
        {
            Assert.Equal("StackA-PublisherFunction-1x2y", line.GetProperty(MetricNames.FunctionNameDimension).GetString());
            Assert.Equal([[MetricNames.FunctionNameDimension, MetricNames.ErrorCodeDimension]], DimensionSets(line));
        });
    }

    [Fact]
    public void Write_AnyInvocation_DeclaresEveryMetricPerFunctionName()
    {
        var log = new LineWriter();
        var record = new InvocationRecord { FunctionName = "StackB-PublisherFunction-9z" };
        record.AddPublishes(new RouteMatch(PublisherRoute.Topics, null), [new("t", "v", null)], [Failed("NOT_FOUND_ERROR")], TimeSpan.FromMilliseconds(1));

        record.Write(new FunctionLog(log), TimeSpan.FromMilliseconds(2), Now);

        var invocation = JsonDocument.Parse(Assert.Single(log.Lines)).RootElement;
        Assert.Equal("StackB-PublisherFunction-9z", invocation.GetProperty(MetricNames.FunctionNameDimension).GetString());
        Assert.Equal("NOT_FOUND_ERROR", invocation.GetProperty(MetricNames.ErrorCodeDimension).GetString());
        Assert.All(DimensionSets(invocation), set => Assert.Equal(MetricNames.FunctionNameDimension, set[0]));
        Assert.Contains([MetricNames.FunctionNameDimension, MetricNames.ErrorCodeDimension], DimensionSets(invocation));
    }

    private static PublishOutcome Failed(string code) =>
        new(new Problem(HttpContract.ProblemTypes.UpstreamError, "Momento failed.", 502, "test"), null, false, code);

    private static List<List<string>> DimensionSets(JsonElement line) => line.GetProperty("_aws").GetProperty("CloudWatchMetrics").EnumerateArray()
        .SelectMany(group => group.GetProperty("Dimensions").EnumerateArray())
        .Select(set => set.EnumerateArray().Select(d => d.GetString()!).ToList())
        .ToList();
}
