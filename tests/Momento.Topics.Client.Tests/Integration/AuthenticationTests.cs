using Momento.Topics.Client.Tests.Infrastructure;

namespace Momento.Topics.Client.Tests.Integration;

public sealed class AuthenticationTests
{
    private const string RightKey = "local-right-key";

    [Fact]
    public async Task PublishAndSubscribe_WrongKey_AuthenticationErrorWithoutKeyInMessage()
    {
        await using var server = await TestServer.StartAsync(requiredApiKey: RightKey);
        using var client = TestServer.CreateClient(server, authToken: "Zr8pQw2LkX9v");

        var publish = await client.PublishAsync(TestServer.Cache, "topic", "value").DefaultTimeout();
        var events = await Events.CollectAsync(client.SubscribeAsync(TestServer.Cache, "topic"));

        var publishError = Assert.IsType<TopicPublishResponse.Error>(publish).TopicError;
        Assert.Equal(MomentoErrorCode.AuthenticationError, publishError.Code);
        Assert.False(publishError.MayHaveExecuted);
        Assert.DoesNotContain("Zr8pQw2LkX9v", publishError.Message, StringComparison.Ordinal);
        var subscribeError = Assert.IsType<TopicEvent.Error>(Assert.Single(events)).TopicError;
        Assert.Equal(MomentoErrorCode.AuthenticationError, subscribeError.Code);
    }

    [Fact]
    public async Task PublishAsync_RightKey_Succeeds()
    {
        await using var server = await TestServer.StartAsync(requiredApiKey: RightKey);
        using var client = TestServer.CreateClient(server, authToken: RightKey);

        Assert.IsType<TopicPublishResponse.Success>(await client.PublishAsync(TestServer.Cache, "topic", "value").DefaultTimeout());
    }

    [Fact]
    public async Task PublishAsync_KeyWithPlaintextEndpoint_AuthenticatesAgainstLocalServer()
    {
        await using var server = await TestServer.StartAsync(requiredApiKey: RightKey);
        using var right = TopicClient.Create(CredentialProvider.FromApiKey(RightKey, server.Endpoint.ToString()));
        using var wrong = TopicClient.Create(CredentialProvider.FromApiKey("not-the-key", server.Endpoint.ToString()));

        Assert.IsType<TopicPublishResponse.Success>(await right.PublishAsync(TestServer.Cache, "topic", "value").DefaultTimeout());
        var error = Assert.IsType<TopicPublishResponse.Error>(await wrong.PublishAsync(TestServer.Cache, "topic", "value").DefaultTimeout());
        Assert.Equal(MomentoErrorCode.AuthenticationError, error.TopicError.Code);
    }
}
