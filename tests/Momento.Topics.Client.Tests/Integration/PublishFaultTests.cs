using Momento.Topics.Client.Tests.Infrastructure;

namespace Momento.Topics.Client.Tests.Integration;

public sealed class PublishFaultTests : IAsyncLifetime
{
    private TestTopicsServer _server = null!;

    public async Task InitializeAsync() => _server = await TestServer.StartAsync(minimumLogLevel: Microsoft.Extensions.Logging.LogLevel.Debug);

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task PublishAsync_UnavailableWithRetryableDisposition_RetriedOnceAndSucceeds()
    {
        using var client = TestServer.CreateClient(_server, faults: TestServer.Faults(
            ("return-error", "unavailable"), ("error-rpcs", "topic-publish"), ("error-count", "1"), ("retry-disposition", "retryable")));

        var response = await client.PublishAsync(TestServer.Cache, "topic", "value").DefaultTimeout();

        Assert.Equal(new TopicPublishResponse.Success(Attempts: 2), response);
    }

    [Fact]
    public async Task PublishAsync_RetryableTwice_RetriedOnlyOnceThenErrorNotExecuted()
    {
        using var client = TestServer.CreateClient(_server, faults: TestServer.Faults(
            ("return-error", "unavailable"), ("error-rpcs", "topic-publish"), ("error-count", "2"), ("retry-disposition", "retryable")));

        var first = await client.PublishAsync(TestServer.Cache, "topic", "value").DefaultTimeout();
        var second = await client.PublishAsync(TestServer.Cache, "topic", "value").DefaultTimeout();

        var error = Assert.IsType<TopicPublishResponse.Error>(first).TopicError;
        Assert.Equal(MomentoErrorCode.ServerUnavailable, error.Code);
        Assert.False(error.MayHaveExecuted);
        Assert.Equal("retryable", error.RetryDisposition);
        // The error budget of 2 was used by exactly two attempts, so the next publish goes through at once.
        Assert.Equal(new TopicPublishResponse.Success(1), second);
    }

    [Fact]
    public async Task PublishAsync_PossiblyRetryable_NotRetriedAndMayHaveExecuted()
    {
        using var client = TestServer.CreateClient(_server, faults: TestServer.Faults(
            ("return-error", "unavailable"), ("error-rpcs", "topic-publish"), ("error-count", "1"), ("retry-disposition", "possibly_retryable")));

        var response = await client.PublishAsync(TestServer.Cache, "topic", "value").DefaultTimeout();

        var error = Assert.IsType<TopicPublishResponse.Error>(response).TopicError;
        Assert.Equal(MomentoErrorCode.ServerUnavailable, error.Code);
        Assert.Equal("SERVER_UNAVAILABLE", error.MomentoName);
        Assert.True(error.MayHaveExecuted);
        Assert.Equal("possibly_retryable", error.RetryDisposition);
    }

    [Fact]
    public async Task PublishAsync_UnavailableWithoutDisposition_NotRetried()
    {
        using var client = TestServer.CreateClient(_server, faults: TestServer.Faults(
            ("return-error", "unavailable"), ("error-rpcs", "topic-publish"), ("error-count", "1")));

        var response = await client.PublishAsync(TestServer.Cache, "topic", "value").DefaultTimeout();

        Assert.True(Assert.IsType<TopicPublishResponse.Error>(response).TopicError.MayHaveExecuted);
    }

    [Fact]
    public async Task PublishAsync_DelayLongerThanTimeout_TimeoutErrorOutcomeUnknown()
    {
        using var client = TestServer.CreateClient(_server, faults: TestServer.Faults(
            ("delay-rpcs", "topic-publish"), ("delay-ms", "3000"), ("delay-count", "1")));

        var response = await client.PublishAsync(TestServer.Cache, "topic", "value", TimeSpan.FromMilliseconds(200)).DefaultTimeout();

        var error = Assert.IsType<TopicPublishResponse.Error>(response).TopicError;
        Assert.Equal(MomentoErrorCode.TimeoutError, error.Code);
        Assert.Equal(Grpc.Core.StatusCode.DeadlineExceeded, error.GrpcStatus);
        Assert.True(error.MayHaveExecuted);
        Assert.Contains("outcome is unknown", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishAsync_UnknownCache_NotFoundNotExecuted()
    {
        using var client = TestServer.CreateClient(_server);

        var response = await client.PublishAsync("no-such-cache", "topic", "value").DefaultTimeout();

        var error = Assert.IsType<TopicPublishResponse.Error>(response).TopicError;
        Assert.Equal(MomentoErrorCode.NotFoundError, error.Code);
        Assert.False(error.MayHaveExecuted);
    }

    [Fact]
    public async Task PublishAsync_ValueOverLimit_LimitExceededWithErrorDetail()
    {
        using var client = TestServer.CreateClient(_server);

        var response = await client.PublishAsync(TestServer.Cache, "topic", new byte[4097]).DefaultTimeout();
        var atLimit = await client.PublishAsync(TestServer.Cache, "topic", new byte[4096]).DefaultTimeout();

        var error = Assert.IsType<TopicPublishResponse.Error>(response).TopicError;
        Assert.Equal(MomentoErrorCode.LimitExceededError, error.Code);
        Assert.Equal("request_size_limit_exceeded", error.ErrorDetail);
        Assert.False(error.MayHaveExecuted);
        Assert.IsType<TopicPublishResponse.Success>(atLimit);
    }

    [Fact]
    public async Task PublishAsync_EmptyValue_Succeeds()
    {
        using var client = TestServer.CreateClient(_server);

        Assert.IsType<TopicPublishResponse.Success>(await client.PublishAsync(TestServer.Cache, "topic", string.Empty).DefaultTimeout());
        Assert.IsType<TopicPublishResponse.Success>(await client.PublishAsync(TestServer.Cache, "topic", ReadOnlyMemory<byte>.Empty).DefaultTimeout());
    }

    [Fact]
    public async Task PublishAsync_CancelledByCaller_CancelledError()
    {
        var faults = TestServer.Faults(("delay-rpcs", "topic-publish"), ("delay-ms", "3000"));
        using var client = TestServer.CreateClient(_server, faults: faults);
        using var cts = new CancellationTokenSource();

        var publish = client.PublishAsync(TestServer.Cache, "topic", "value", cancellationToken: cts.Token);
        // Cancelled once the service has the call (it then waits out its delay): it was sent, so it may have been applied.
        await _server.Log.WaitForAsync("CallStarted", e => (string?)e["RequestId"] == faults.GetValue("request-id"));
        await cts.CancelAsync();
        var response = await publish.DefaultTimeout();

        var error = Assert.IsType<TopicPublishResponse.Error>(response).TopicError;
        Assert.Equal(MomentoErrorCode.CancelledError, error.Code);
        Assert.True(error.MayHaveExecuted);
    }
}
