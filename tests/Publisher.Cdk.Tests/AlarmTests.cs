using System.Text.Json;

namespace Publisher.Cdk.Tests;

[Collection(StackCollection.Name)]
public sealed class AlarmTests(StackFixture fixture)
{
    private static IReadOnlyList<JsonElement> Alarms(SynthesizedStack stack) =>
        stack.Resources("AWS::CloudWatch::Alarm").Select(a => a.Properties).ToArray();

    [Fact]
    public void Defaults_Alarms_WatchApi5xxFunctionErrorsThrottlesAndPublishFailures()
    {
        var alarms = Alarms(fixture.Defaults);

        Assert.Equal(
            ["AWS/ApiGateway:5XXError", "AWS/Lambda:Errors", "AWS/Lambda:Errors", "AWS/Lambda:Throttles", "MomentoTopicsPublisher:PublishFailures"],
            alarms.Select(a => a.GetProperty("Namespace").GetString() + ":" + a.GetProperty("MetricName").GetString()).Order(StringComparer.Ordinal));
        Assert.All(alarms, a =>
        {
            Assert.Equal("Sum", a.GetProperty("Statistic").GetString());
            Assert.Equal(300, a.GetProperty("Period").Int());
            Assert.Equal("GreaterThanOrEqualToThreshold", a.GetProperty("ComparisonOperator").GetString());
            Assert.Equal("notBreaching", a.GetProperty("TreatMissingData").GetString());
            Assert.False(a.TryGetProperty("AlarmActions", out _));
        });
    }

    [Fact]
    public void Defaults_FunctionAlarms_PointAtTheirOwnFunction()
    {
        var stack = fixture.Defaults;
        var publisher = stack.LogicalId((Amazon.CDK.CfnElement)stack.Stack.Publisher.Function.Node.DefaultChild!);
        var subscriber = stack.LogicalId((Amazon.CDK.CfnElement)stack.Stack.Subscriber.Function.Node.DefaultChild!);

        var targets = Alarms(stack)
            .Where(a => a.GetProperty("Namespace").GetString() == "AWS/Lambda")
            .Select(a => a.GetProperty("MetricName").GetString() + "@" +
                Assert.Single(a.GetProperty("Dimensions").EnumerateArray()).GetProperty("Value").GetProperty("Ref").GetString())
            .Order(StringComparer.Ordinal);

        Assert.Equal(new[] { $"Errors@{publisher}", $"Errors@{subscriber}", $"Throttles@{publisher}" }.Order(StringComparer.Ordinal), targets);
    }

    [Fact]
    public void Defaults_PublishFailuresAlarm_ReadsThisStacksPublisherOnly()
    {
        var alarm = Alarms(fixture.Defaults).Single(a => a.GetProperty("MetricName").GetString() == "PublishFailures");

        // Per function name: another stack's failures in the same account and region do not fire it.
        var dimension = Assert.Single(alarm.GetProperty("Dimensions").EnumerateArray());
        Assert.Equal(Publisher.Contracts.MetricNames.FunctionNameDimension, dimension.GetProperty("Name").GetString());
        Assert.Equal("PublisherFunction", dimension.GetProperty("Value").GetProperty("Ref").GetString());
        Assert.Equal(1, alarm.GetProperty("Threshold").Int());
    }

    [Fact]
    public void Customized_Alarms_NotifyTheTopicAndUseTheThreshold()
    {
        var alarms = Alarms(fixture.Customized);

        Assert.Equal(5, alarms.Count);
        Assert.All(alarms, a => Assert.Equal([StackFixture.AlarmTopicArn], a.GetProperty("AlarmActions").Strings()));
        Assert.Equal(5, alarms.Single(a => a.GetProperty("MetricName").GetString() == "PublishFailures").GetProperty("Threshold").Int());
    }
}
