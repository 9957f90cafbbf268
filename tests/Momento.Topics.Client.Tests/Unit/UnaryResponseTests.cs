using System.Net;
using System.Net.Http.Headers;
using Grpc.Core;
using Momento.Topics.Client.Tests.Infrastructure;

namespace Momento.Topics.Client.Tests.Unit;

/// <summary>
/// What a publish comes to for answers a real server rarely gives: the statuses grpc-dotnet reports for them (by the gRPC
/// over HTTP/2 spec), and whether the publish may have been applied.
/// </summary>
public sealed class UnaryResponseTests
{
    [Theory]
    [InlineData(400, StatusCode.Internal)]
    [InlineData(401, StatusCode.Unauthenticated)]
    [InlineData(403, StatusCode.PermissionDenied)]
    [InlineData(404, StatusCode.Unimplemented)]
    [InlineData(429, StatusCode.Unavailable)]
    [InlineData(502, StatusCode.Unavailable)]
    [InlineData(503, StatusCode.Unavailable)]
    [InlineData(504, StatusCode.Unavailable)]
    [InlineData(500, StatusCode.Unknown)]
    [InlineData(302, StatusCode.Unknown)]
    public async Task PublishAsync_NonOkHttpStatus_MappedAsTheSpecSays(int httpStatus, StatusCode expected)
    {
        var error = await PublishErrorAsync(() => Answer([0, 0, 0, 0, 0], status: (HttpStatusCode)httpStatus, grpcStatus: null));

        Assert.Equal(expected, error.GrpcStatus);
        Assert.Contains($"HTTP status code: {httpStatus}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishAsync_TrailersOnly_StatusMessageAndTrailersFromHeaders()
    {
        var error = await PublishErrorAsync(() =>
        {
            var response = Answer([], grpcStatus: null);
            response.Headers.Add("grpc-status", "8");
            response.Headers.Add("grpc-message", "too%20big%3A%20%C3%BC");
            response.Headers.Add("err", "request_size_limit_exceeded");
            response.Headers.Add("retry_disposition", "retryable");
            return response;
        });

        Assert.Equal(
            (StatusCode.ResourceExhausted, MomentoErrorCode.LimitExceededError, "request_size_limit_exceeded", "retryable", false),
            (error.GrpcStatus, error.Code, error.ErrorDetail, error.RetryDisposition, error.MayHaveExecuted));
        Assert.Contains("too big: ü", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishAsync_StatusInTrailers_ErrAndDispositionCarried()
    {
        var error = await PublishErrorAsync(() => Answer([], HttpStatusCode.OK, "application/grpc", "14", ("err", "server_is_busy"), ("retry_disposition", "possibly_retryable"), ("grpc-message", "busy")));

        Assert.Equal(
            (StatusCode.Unavailable, "server_is_busy", "possibly_retryable", true),
            (error.GrpcStatus, error.ErrorDetail, error.RetryDisposition, error.MayHaveExecuted));
        Assert.EndsWith("(gRPC Unavailable: busy)", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("text/html")]
    [InlineData("application/grpc-web")]
    [InlineData(null)]
    public async Task PublishAsync_NotGrpcContentType_CancelledAsGrpcDotnetReportsIt(string? contentType)
    {
        var error = await PublishErrorAsync(() => Answer([0, 0, 0, 0, 0], contentType: contentType));

        Assert.Equal((StatusCode.Cancelled, true), (error.GrpcStatus, error.MayHaveExecuted));
        Assert.Contains("Bad gRPC response", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishAsync_NoGrpcStatus_CancelledMayHaveExecuted()
    {
        var error = await PublishErrorAsync(() => Answer([0, 0, 0, 0, 0], grpcStatus: null));

        Assert.Equal((StatusCode.Cancelled, true), (error.GrpcStatus, error.MayHaveExecuted));
        Assert.Contains("No grpc-status found on response.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new byte[] { 1, 0, 0, 0, 0 }, StatusCode.Internal)] // compressed flag, though the client accepts only identity
    [InlineData(new byte[] { 0, 0, 0, 0, 2, 0x0A }, StatusCode.Internal)] // message cut short
    [InlineData(new byte[] { 0, 0, 0, 0, 0, 0 }, StatusCode.Internal)] // data after the one message
    [InlineData(new byte[] { 0, 0, 0 }, StatusCode.Internal)] // prefix cut short
    [InlineData(new byte[] { 0, 0, 0, 0, 2, 0x0A, 0x05 }, StatusCode.Unavailable)] // not protobuf (grpc-dotnet: its parser's IOException)
    [InlineData(new byte[0], StatusCode.Internal)] // OK without a message
    public async Task PublishAsync_BrokenMessage_MayHaveExecuted(byte[] body, StatusCode expected)
    {
        var error = await PublishErrorAsync(() => Answer(body));

        Assert.Equal((expected, true), (error.GrpcStatus, error.MayHaveExecuted));
    }

    [Fact]
    public async Task PublishAsync_AnswerInAnEncodingTheClientDidNotOffer_InternalMayHaveExecuted()
    {
        // grpc-dotnet says UNIMPLEMENTED, a status the service refuses calls with; but here the client could not read an answer.
        var error = await PublishErrorAsync(() =>
        {
            var response = Answer([1, 0, 0, 0, 2, 0x1F, 0x8B]);
            response.Headers.Add("grpc-encoding", "gzip");
            return response;
        });

        Assert.Equal((StatusCode.Internal, true), (error.GrpcStatus, error.MayHaveExecuted));
        Assert.Contains("gzip", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishAsync_MessageOverTheCap_RefusedWithoutReadingIt()
    {
        // The prefix announces 1 GiB; the body stream would hand out that much, but only the prefix may be read.
        var body = new AnnouncingStream(0x40000000);
        var error = await PublishErrorAsync(() => Answer(body));

        Assert.Equal((StatusCode.Internal, true), (error.GrpcStatus, error.MayHaveExecuted));
        Assert.Contains("exceeds the maximum", error.Message, StringComparison.Ordinal);
        Assert.Equal(5, body.BytesRead);
    }

    [Fact]
    public async Task PublishAsync_Http11Response_Internal()
    {
        var error = await PublishErrorAsync(() =>
        {
            var response = Answer([0, 0, 0, 0, 0]);
            response.Version = HttpVersion.Version11;
            return response;
        });

        Assert.Equal(StatusCode.Internal, error.GrpcStatus);
        Assert.Contains("downgraded to HTTP/1.1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PublishAsync_ServerNeverAnswers_DeadlineExceededAndRequestAborted()
    {
        var aborted = new TaskCompletionSource();
        var handler = new HangingHandler(aborted);
        using var client = TopicClient.Create(CredentialProvider.ForLocal("127.0.0.1:1"), new TopicClientOptions { HttpHandlerFactory = () => handler });

        // Long enough that a loaded machine still sends the call before the deadline passes.
        var response = await client.PublishAsync("cache", "topic", "value", TimeSpan.FromSeconds(1)).DefaultTimeout();

        var error = Assert.IsType<TopicPublishResponse.Error>(response).TopicError;
        Assert.Equal((MomentoErrorCode.TimeoutError, StatusCode.DeadlineExceeded, true), (error.Code, error.GrpcStatus, error.MayHaveExecuted));
        await aborted.Task.DefaultTimeout();
    }

    [Fact]
    public async Task PublishAsync_CallerCancelsWhileInFlight_CancelledMayHaveExecuted()
    {
        var handler = new FakeGrpcHandler((_, ct) => FakeGrpcHandler.Hang(ct));
        using var client = Create(handler);
        using var cancel = new CancellationTokenSource();

        var publish = client.PublishAsync("cache", "topic", "value", cancellationToken: cancel.Token);
        await handler.Requests.ReadAsync().AsTask().DefaultTimeout();
        await cancel.CancelAsync();

        var error = Assert.IsType<TopicPublishResponse.Error>(await publish.DefaultTimeout()).TopicError;
        Assert.Equal((MomentoErrorCode.CancelledError, StatusCode.Cancelled, true), (error.Code, error.GrpcStatus, error.MayHaveExecuted));
    }

    [Fact]
    public async Task PublishAsync_StreamRefusedBeforeTheAnswer_UnavailableNotExecuted()
    {
        var handler = new FakeGrpcHandler((_, _) => throw new HttpRequestException("The server refused the stream.", new HttpProtocolException(0x7, "REFUSED_STREAM", null)));
        using var client = Create(handler);

        var error = Assert.IsType<TopicPublishResponse.Error>(await client.PublishAsync("cache", "topic", "value").DefaultTimeout()).TopicError;

        Assert.Equal((StatusCode.Unavailable, false), (error.GrpcStatus, error.MayHaveExecuted));
        Assert.Contains("HttpRequestException: The server refused the stream. HttpProtocolException: REFUSED_STREAM", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0xb, StatusCode.ResourceExhausted)] // ENHANCE_YOUR_CALM
    [InlineData(0xc, StatusCode.PermissionDenied)] // INADEQUATE_SECURITY
    public async Task PublishAsync_StreamResetAfterSend_SpecStatusButMayHaveExecuted(long http2Error, StatusCode expected)
    {
        // The spec's codes for these resets are ones the service uses to refuse a call, but a reset says nothing of whether it was applied.
        var handler = new FakeGrpcHandler((_, _) => throw new HttpRequestException(HttpRequestError.HttpProtocolError, "reset", new HttpProtocolException(http2Error, "reset", null)));
        using var client = Create(handler);

        var error = Assert.IsType<TopicPublishResponse.Error>(await client.PublishAsync("cache", "topic", "value").DefaultTimeout()).TopicError;

        Assert.Equal((expected, true), (error.GrpcStatus, error.MayHaveExecuted));
    }

    private static async Task<TopicError> PublishErrorAsync(Func<HttpResponseMessage> answer)
    {
        using var client = Create(new FakeGrpcHandler((_, _) => Task.FromResult(answer())));
        var response = await client.PublishAsync("cache", "topic", "value").DefaultTimeout();
        return Assert.IsType<TopicPublishResponse.Error>(response).TopicError;
    }

    private static HttpResponseMessage Answer(byte[] body, HttpStatusCode status = HttpStatusCode.OK, string? contentType = "application/grpc", string? grpcStatus = "0", params (string Key, string Value)[] trailers) =>
        Answer(new MemoryStream(body), status, contentType, grpcStatus, trailers);

    private static HttpResponseMessage Answer(Stream body, HttpStatusCode status = HttpStatusCode.OK, string? contentType = "application/grpc", string? grpcStatus = "0", params (string Key, string Value)[] trailers)
    {
        var response = new HttpResponseMessage(status) { Version = HttpVersion.Version20, Content = new StreamContent(body) };
        if (contentType is not null)
        {
            response.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        if (grpcStatus is not null)
        {
            response.TrailingHeaders.Add("grpc-status", grpcStatus);
        }

        foreach (var (key, value) in trailers)
        {
            response.TrailingHeaders.Add(key, value);
        }

        return response;
    }

    private static TopicClient Create(FakeGrpcHandler handler) =>
        TopicClient.Create(CredentialProvider.ForLocal("127.0.0.1:1"), new TopicClientOptions { HttpHandlerFactory = () => handler });

    /// <summary>Receives the request but never answers; signals when the call's token has cancelled the request.</summary>
    private sealed class HangingHandler(TaskCompletionSource aborted) : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            try
            {
                await request.Content!.ReadAsByteArrayAsync(cancellationToken);
                return await FakeGrpcHandler.Hang(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                aborted.TrySetResult();
                throw;
            }
        }
    }

    /// <summary>A body whose prefix announces <c>length</c> bytes and which then produces zeros without end, counting what was read.</summary>
    private sealed class AnnouncingStream(uint length) : Stream
    {
        public long BytesRead { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var span = buffer.AsSpan(offset, count);
            span.Clear();
            for (var i = 0; i < span.Length && BytesRead + i < 5; i++)
            {
                span[i] = BytesRead + i == 0 ? (byte)0 : (byte)(length >> (8 * (int)(4 - (BytesRead + i))));
            }

            BytesRead += span.Length;
            return span.Length;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
