namespace Publisher.Cdk.Tests;

[Collection(StackCollection.Name)]
public sealed class LoggingTests(StackFixture fixture)
{
    [Theory]
    [InlineData(false, 30)]
    [InlineData(true, 90)]
    public void LogGroups_HaveTheConfiguredRetentionAndGoWithTheStack(bool customized, int days)
    {
        var stack = customized ? fixture.Customized : fixture.Defaults;
        var groups = stack.Resources("AWS::Logs::LogGroup");

        Assert.Equal(2, groups.Count);
        Assert.All(groups, g =>
        {
            Assert.Equal(days, g.Properties.GetProperty("RetentionInDays").Int());
            Assert.Equal("Delete", stack.Resource(g.Id).GetProperty("DeletionPolicy").GetString());
        });
    }

    [Fact]
    public void Defaults_EachFunction_LogsJsonToItsOwnGroup()
    {
        var stack = fixture.Defaults;
        var groupIds = stack.Resources("AWS::Logs::LogGroup").Select(g => g.Id).ToHashSet();

        var used = stack.Resources("AWS::Lambda::Function").Select(f =>
        {
            var config = f.Properties.GetProperty("LoggingConfig");
            Assert.Equal("JSON", config.GetProperty("LogFormat").GetString());
            // Above INFO, Lambda would drop the invocation records and with them every metric.
            Assert.Equal("INFO", config.GetProperty("ApplicationLogLevel").GetString());
            return config.GetProperty("LogGroup").GetProperty("Ref").GetString()!;
        }).ToArray();

        Assert.Equal(groupIds.Order(StringComparer.Ordinal), used.Order(StringComparer.Ordinal));
    }
}
