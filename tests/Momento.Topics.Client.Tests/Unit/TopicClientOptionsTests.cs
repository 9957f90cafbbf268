namespace Momento.Topics.Client.Tests.Unit;

public sealed class TopicClientOptionsTests
{
    private static readonly CredentialProvider Local = CredentialProvider.ForLocal("127.0.0.1:1");

    [Fact]
    public void Lambda_Preset_HasDocumentedDefaults()
    {
        var options = TopicClientOptions.Lambda();

        Assert.Equal(TimeSpan.FromSeconds(5), options.PublishTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), options.ConnectTimeout);
        Assert.Equal(TimeSpan.FromMinutes(4), options.IdleConnectionRecycleAfter);
        Assert.Equal(TimeSpan.FromSeconds(5), options.FirstHeartbeatTimeout);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.ResubscribeDelay);
        Assert.Same(TimeProvider.System, options.TimeProvider);
        Assert.Equal(new TopicClientOptions(), options);
    }

    [Fact]
    public void IdleConnectionRecycleAfter_Default_IsBelowLoadBalancerIdleCut()
    {
        Assert.True(TopicClientOptions.Lambda().IdleConnectionRecycleAfter < TimeSpan.FromSeconds(350));
    }

    public static TheoryData<string, TopicClientOptions> InvalidOptions => new()
    {
        { nameof(TopicClientOptions.PublishTimeout), new TopicClientOptions { PublishTimeout = TimeSpan.Zero } },
        { nameof(TopicClientOptions.ConnectTimeout), new TopicClientOptions { ConnectTimeout = TimeSpan.FromSeconds(-1) } },
        { nameof(TopicClientOptions.IdleConnectionRecycleAfter), new TopicClientOptions { IdleConnectionRecycleAfter = Timeout.InfiniteTimeSpan } },
        { nameof(TopicClientOptions.FirstHeartbeatTimeout), new TopicClientOptions { FirstHeartbeatTimeout = TimeSpan.Zero } },
        { nameof(TopicClientOptions.ResubscribeDelay), new TopicClientOptions { ResubscribeDelay = TimeSpan.FromTicks(-1) } },
        { nameof(TopicClientOptions.PublishTimeout), new TopicClientOptions { PublishTimeout = TimeSpan.MaxValue } },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Create_NonPositiveTimeSpan_ThrowsNamingTheOption(string optionName, TopicClientOptions options)
    {
        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => TopicClient.Create(Local, options));

        Assert.Equal(optionName, exception.ParamName);
        Assert.Contains($"TopicClientOptions.{optionName}", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_ValidOptions_StartsAtGenerationOne()
    {
        using var client = TopicClient.Create(Local, TopicClientOptions.Lambda() with { PublishTimeout = TimeSpan.FromMilliseconds(1) });

        Assert.Equal(1, client.ChannelGeneration);
    }

    [Fact]
    public async Task PublishAsync_BlankNames_ReturnInvalidArgumentWithoutCall()
    {
        using var client = TopicClient.Create(Local);

        var responses = new[]
        {
            await client.PublishAsync(" ", "topic", "v"),
            await client.PublishAsync("cache", "", "v"),
            await client.PublishAsync(null!, "topic", ReadOnlyMemory<byte>.Empty),
            await client.PublishAsync("cache", "topic", (string)null!),
            await client.PublishAsync("cache", "topic", "v", TimeSpan.Zero),
        };

        Assert.All(responses, response =>
        {
            var error = Assert.IsType<TopicPublishResponse.Error>(response).TopicError;
            Assert.Equal(MomentoErrorCode.InvalidArgumentError, error.Code);
            Assert.False(error.MayHaveExecuted);
        });
    }

    [Fact]
    public async Task SubscribeAsync_BlankTopic_YieldsOneInvalidArgumentError()
    {
        using var client = TopicClient.Create(Local);

        var events = new List<TopicEvent>();
        await foreach (var e in client.SubscribeAsync("cache", "  "))
        {
            events.Add(e);
        }

        var error = Assert.IsType<TopicEvent.Error>(Assert.Single(events)).TopicError;
        Assert.Equal(MomentoErrorCode.InvalidArgumentError, error.Code);
    }
}
