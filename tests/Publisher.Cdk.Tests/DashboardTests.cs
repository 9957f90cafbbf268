using System.Text.RegularExpressions;
using Publisher.Contracts;

namespace Publisher.Cdk.Tests;

[Collection(StackCollection.Name)]
public sealed class DashboardTests(StackFixture fixture)
{
    /// <summary>The metrics the publisher writes as EMF, by their shared constants.</summary>
    private static readonly string[] EmittedMetrics =
        [MetricNames.Published, MetricNames.PublishFailures, MetricNames.PublishLatency, MetricNames.ColdStart, MetricNames.IdempotentReplays, MetricNames.IdempotencyConflicts];

    private static DashboardBody Body(SynthesizedStack stack) =>
        DashboardBody.Resolve(stack.Single("AWS::CloudWatch::Dashboard").GetProperty("DashboardBody"));

    [Fact]
    public void Defaults_Dashboard_ExistsWithAConsoleUrlOutput()
    {
        var stack = fixture.Defaults;
        var dashboard = Assert.Single(stack.Resources("AWS::CloudWatch::Dashboard"));

        var url = stack.Outputs.GetProperty("DashboardUrl").GetProperty("Value").GetProperty("Fn::Join")[1].GetRawText();
        Assert.Contains(".console.aws.amazon.com/cloudwatch/home?region=", url, StringComparison.Ordinal);
        Assert.Contains("#dashboards/dashboard/", url, StringComparison.Ordinal);
        Assert.Contains($"{{\"Ref\":\"{dashboard.Id}\"}}", url, StringComparison.Ordinal);
        Assert.Contains("{\"Ref\":\"AWS::Region\"}", url, StringComparison.Ordinal);
    }

    [Fact]
    public void Customized_DashboardTurnedOff_HasNoDashboardOrOutput()
    {
        var stack = fixture.Customized;

        Assert.Empty(stack.Resources("AWS::CloudWatch::Dashboard"));
        Assert.False(stack.Outputs.TryGetProperty("DashboardUrl", out _));
        Assert.Null(stack.Stack.Dashboard);
    }

    [Fact]
    public void Defaults_EmittedMetrics_UseTheSharedNamespaceNamesAndDimensions()
    {
        var metrics = Body(fixture.Defaults).Metrics();
        var emitted = metrics.Where(m => !m.Namespace.StartsWith("AWS/", StringComparison.Ordinal)).ToArray();

        Assert.NotEmpty(emitted);
        Assert.All(emitted, m =>
        {
            Assert.Equal(MetricNames.Namespace, m.Namespace);
            Assert.Contains(m.Name, EmittedMetrics);
            Assert.Equal([MetricNames.FunctionNameDimension], m.Dimensions.Keys);
            Assert.Equal("<PublisherFunction>", m.Dimensions[MetricNames.FunctionNameDimension]);
        });
        // Every emitted metric is on the dashboard, with the statistics that make sense for it.
        Assert.Equal(
            new[]
            {
                $"{MetricNames.ColdStart}:Sum", $"{MetricNames.PublishFailures}:Sum", $"{MetricNames.PublishLatency}:p50",
                $"{MetricNames.PublishLatency}:p99", $"{MetricNames.Published}:Sum",
                $"{MetricNames.IdempotentReplays}:Sum", $"{MetricNames.IdempotencyConflicts}:Sum",
            }.Order(StringComparer.Ordinal),
            emitted.Select(m => $"{m.Name}:{m.Statistic}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Defaults_FailuresByErrorCode_SearchesTheSharedNamespaceDimensionAndMetric()
    {
        var expression = Assert.Single(Body(fixture.Defaults).Expressions());

        var search = Regex.Match(
            expression, @"^SEARCH\('\{(?<namespace>[^,}]+),(?<dimensions>[^}]+)\} MetricName=""(?<metric>[^""]+)"" FunctionName=""(?<function>[^""]+)""', 'Sum', (?<period>\d+)\)$");
        Assert.True(search.Success, expression);
        Assert.Equal(MetricNames.Namespace, search.Groups["namespace"].Value);
        Assert.Equal(MetricNames.FunctionNameDimension + "," + MetricNames.ErrorCodeDimension, search.Groups["dimensions"].Value);
        Assert.Equal("<PublisherFunction>", search.Groups["function"].Value);
        Assert.Equal(MetricNames.PublishFailures, search.Groups["metric"].Value);
        Assert.Equal("300", search.Groups["period"].Value);
    }

    [Fact]
    public void Defaults_LambdaMetrics_CoverErrorsThrottlesAndConcurrencyOfBothFunctions()
    {
        var lambda = Body(fixture.Defaults).Metrics().Where(m => m.Namespace == "AWS/Lambda").ToArray();

        Assert.All(lambda, m => Assert.Equal(["FunctionName"], m.Dimensions.Keys));
        Assert.Equal(
            new[]
            {
                "ConcurrentExecutions:Maximum@<PublisherFunction>", "ConcurrentExecutions:Maximum@<SubscriberFunction>",
                "Errors:Sum@<PublisherFunction>", "Errors:Sum@<SubscriberFunction>",
                "Throttles:Sum@<PublisherFunction>", "Throttles:Sum@<SubscriberFunction>",
            }.Order(StringComparer.Ordinal),
            lambda.Select(m => $"{m.Name}:{m.Statistic}@{m.Dimensions["FunctionName"]}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Defaults_ApiMetrics_CoverCountLatencyAnd4xx5xxOfTheApi()
    {
        var stack = fixture.Defaults;
        var apiName = stack.Single("AWS::ApiGateway::RestApi").GetProperty("Name").GetString();
        var api = Body(stack).Metrics().Where(m => m.Namespace == "AWS/ApiGateway").ToArray();

        Assert.All(api, m => Assert.Equal(new Dictionary<string, string> { ["ApiName"] = apiName! }, m.Dimensions));
        Assert.Equal(
            ["4XXError:Sum", "5XXError:Sum", "Count:Sum", "IntegrationLatency:p99", "Latency:p50", "Latency:p99"],
            api.Select(m => $"{m.Name}:{m.Statistic}").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Defaults_AlarmWidget_ShowsEveryAlarm()
    {
        var stack = fixture.Defaults;
        var widget = Assert.Single(Body(stack).OfType("alarm"));

        Assert.Equal(
            stack.Resources("AWS::CloudWatch::Alarm").Select(a => "<" + a.Id + ".Arn>").Order(StringComparer.Ordinal),
            widget.GetProperty("properties").GetProperty("alarms").EnumerateArray().Select(a => a.GetString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Defaults_InitDurationWidget_QueriesBothFunctionLogGroupsForReportRecords()
    {
        var stack = fixture.Defaults;
        var widget = Assert.Single(Body(stack).OfType("log"));
        var query = widget.GetProperty("properties").GetProperty("query").GetString()!;

        var logGroups = stack.Resources("AWS::Logs::LogGroup").Select(g => g.Id).ToArray();
        Assert.Equal(2, logGroups.Length);
        Assert.All(logGroups, id => Assert.Contains($"SOURCE '<{id}>'", query, StringComparison.Ordinal));
        // JSON log format: the report is a platform.report record; @initDuration is the plain-text REPORT line's field.
        Assert.Contains("record.metrics.initDurationMs", query, StringComparison.Ordinal);
        Assert.Contains("@initDuration", query, StringComparison.Ordinal);
        Assert.Contains("type = \"platform.report\"", query, StringComparison.Ordinal);
    }
}
