using System.Net.Sockets;
using Grpc.Core;
using Momento.Topics.Client.Tests.Infrastructure;

namespace Momento.Topics.Client.Tests.Unit;

/// <summary>Retry decisions for transport failures a real server cannot produce on demand.</summary>
public sealed class PublishRetryTests
{
    [Fact]
    public async Task PublishAsync_ConnectionFailedOnce_RetriedAndSucceedsOnSecondAttempt()
    {
        var attempt = 0;
        var handler = new FakeGrpcHandler((_, _) => Interlocked.Increment(ref attempt) == 1
            ? throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused", new SocketException((int)SocketError.ConnectionRefused))
            : Task.FromResult(FakeGrpcHandler.Response([new Momento.Protos.Common._Empty()])));
        using var client = Create(handler);

        var response = await client.PublishAsync("cache", "topic", "value").DefaultTimeout();

        Assert.Equal(new TopicPublishResponse.Success(Attempts: 2), response);
    }

    [Fact]
    public async Task PublishAsync_ConnectionFailsTwice_ErrorAfterTwoAttemptsNotExecuted()
    {
        var attempt = 0;
        var handler = new FakeGrpcHandler((_, _) =>
        {
            Interlocked.Increment(ref attempt);
            throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused");
        });
        using var client = Create(handler);

        var response = await client.PublishAsync("cache", "topic", "value").DefaultTimeout();

        var error = Assert.IsType<TopicPublishResponse.Error>(response).TopicError;
        Assert.Equal((MomentoErrorCode.ConnectionError, false, 2), (error.Code, error.MayHaveExecuted, attempt));
    }

    [Fact]
    public async Task PublishAsync_ResponseEndedAfterSend_NotRetriedMayHaveExecuted()
    {
        var attempt = 0;
        var handler = new FakeGrpcHandler((_, _) =>
        {
            Interlocked.Increment(ref attempt);
            throw new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely.", new IOException("Connection reset."));
        });
        using var client = Create(handler);

        var response = await client.PublishAsync("cache", "topic", "value").DefaultTimeout();

        var error = Assert.IsType<TopicPublishResponse.Error>(response).TopicError;
        Assert.Equal((MomentoErrorCode.ServerUnavailable, true, 1), (error.Code, error.MayHaveExecuted, attempt));
    }

    [Fact]
    public async Task PublishAsync_RetryableButTooLittleTimeLeft_NotRetried()
    {
        var attempt = 0;
        var handler = new FakeGrpcHandler((_, _) =>
        {
            Interlocked.Increment(ref attempt);
            return Task.FromResult(FakeGrpcHandler.Response([], StatusCode.Unavailable, ("retry_disposition", "retryable")));
        });
        // A retry needs more time than the whole publish has, so the deadline forbids it.
        using var client = Create(handler, new TopicClientOptions { MinRetryBudget = TimeSpan.FromSeconds(10) });

        var response = await client.PublishAsync("cache", "topic", "value", TimeSpan.FromSeconds(5)).DefaultTimeout();

        var error = Assert.IsType<TopicPublishResponse.Error>(response).TopicError;
        Assert.Equal((MomentoErrorCode.ServerUnavailable, false, 1), (error.Code, error.MayHaveExecuted, attempt));
    }

    [Fact]
    public async Task PublishAsync_RetryableWithTimeLeft_RetriedOnce()
    {
        var attempt = 0;
        var handler = new FakeGrpcHandler((_, _) =>
        {
            Interlocked.Increment(ref attempt);
            return Task.FromResult(FakeGrpcHandler.Response([], StatusCode.Unavailable, ("retry_disposition", "retryable")));
        });
        using var client = Create(handler);

        var response = await client.PublishAsync("cache", "topic", "value").DefaultTimeout();

        Assert.False(Assert.IsType<TopicPublishResponse.Error>(response).TopicError.MayHaveExecuted);
        Assert.Equal(2, attempt);
    }

    private static TopicClient Create(FakeGrpcHandler handler, TopicClientOptions? options = null) =>
        TopicClient.Create(CredentialProvider.ForLocal("127.0.0.1:1"), (options ?? new TopicClientOptions()) with { HttpHandlerFactory = () => handler });
}
