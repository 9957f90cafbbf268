using Amazon.Lambda.Core;
using Microsoft.Extensions.Time.Testing;

namespace Lambda.Runtime.Tests;

public sealed class LambdaContextTests
{
    [Fact]
    public void RemainingTime_ClockAdvances_ShrinksAndNeverGoesNegative()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2025-01-01T00:00:00Z"));
        var context = new LambdaContext("req-1", time.GetUtcNow().AddSeconds(3), "Root=1-abc", "arn:aws:lambda:x", time);

        Assert.Equal(TimeSpan.FromSeconds(3), context.RemainingTime);
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(TimeSpan.FromSeconds(1), context.RemainingTime);
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(TimeSpan.Zero, context.RemainingTime);
    }

    [Fact]
    public void Constructor_Arguments_AreExposed()
    {
        var deadline = DateTimeOffset.Parse("2030-01-01T00:00:00Z");

        var context = new LambdaContext("req-1", deadline, "Root=1-abc", "arn:aws:lambda:us-east-1:1:function:f");

        Assert.Equal("req-1", context.AwsRequestId);
        Assert.Equal(deadline, context.Deadline);
        Assert.Equal("Root=1-abc", context.TraceId);
        Assert.Equal("arn:aws:lambda:us-east-1:1:function:f", context.InvokedFunctionArn);
        Assert.False(string.IsNullOrEmpty(context.FunctionName));
        Assert.False(string.IsNullOrEmpty(context.FunctionVersion));
        Assert.True(context.MemoryLimitInMB > 0);
        Assert.False(string.IsNullOrEmpty(context.LogGroupName));
        Assert.False(string.IsNullOrEmpty(context.LogStreamName));
    }
}
