using System.Net.Sockets;
using Grpc.Core;
using Momento.Topics.Client.Internal;

namespace Momento.Topics.Client.Tests.Unit;

public sealed class ErrorMapperTests
{
    public static TheoryData<StatusCode, MomentoErrorCode, string, bool> StatusTable => new()
    {
        { StatusCode.InvalidArgument, MomentoErrorCode.InvalidArgumentError, "INVALID_ARGUMENT_ERROR", false },
        { StatusCode.OutOfRange, MomentoErrorCode.BadRequestError, "BAD_REQUEST_ERROR", false },
        { StatusCode.Unimplemented, MomentoErrorCode.BadRequestError, "BAD_REQUEST_ERROR", false },
        { StatusCode.FailedPrecondition, MomentoErrorCode.FailedPreconditionError, "FAILED_PRECONDITION_ERROR", false },
        { StatusCode.PermissionDenied, MomentoErrorCode.PermissionError, "PERMISSION_ERROR", false },
        { StatusCode.Unauthenticated, MomentoErrorCode.AuthenticationError, "AUTHENTICATION_ERROR", false },
        { StatusCode.ResourceExhausted, MomentoErrorCode.LimitExceededError, "LIMIT_EXCEEDED_ERROR", false },
        { StatusCode.NotFound, MomentoErrorCode.NotFoundError, "NOT_FOUND_ERROR", false },
        { StatusCode.DeadlineExceeded, MomentoErrorCode.TimeoutError, "TIMEOUT_ERROR", true },
        { StatusCode.Cancelled, MomentoErrorCode.CancelledError, "CANCELLED_ERROR", true },
        { StatusCode.Unavailable, MomentoErrorCode.ServerUnavailable, "SERVER_UNAVAILABLE", true },
        { StatusCode.Unknown, MomentoErrorCode.UnknownServiceError, "UNKNOWN_SERVICE_ERROR", true },
        { StatusCode.Aborted, MomentoErrorCode.InternalServerError, "INTERNAL_SERVER_ERROR", true },
        { StatusCode.DataLoss, MomentoErrorCode.InternalServerError, "INTERNAL_SERVER_ERROR", true },
        { StatusCode.Internal, MomentoErrorCode.InternalServerError, "INTERNAL_SERVER_ERROR", true },
        { StatusCode.AlreadyExists, MomentoErrorCode.UnknownError, "UNKNOWN_ERROR", true },
    };

    [Theory]
    [MemberData(nameof(StatusTable))]
    public void FromRpcException_EveryStatus_MapsPerProtocolTable(StatusCode status, MomentoErrorCode code, string momentoName, bool mayHaveExecuted)
    {
        var error = ErrorMapper.FromRpcException(new RpcException(new Status(status, "server detail")), "The publish");

        Assert.Equal(code, error.Code);
        Assert.Equal(momentoName, error.Code.ToMomentoName());
        Assert.Equal(momentoName, error.MomentoName);
        Assert.Equal(status, error.GrpcStatus);
        Assert.Equal(mayHaveExecuted, error.MayHaveExecuted);
        Assert.StartsWith("The ", error.Message, StringComparison.Ordinal);
        Assert.Contains("server detail", error.Message, StringComparison.Ordinal);
        Assert.Null(error.ErrorDetail);
        Assert.Null(error.RetryDisposition);
    }

    [Fact]
    public void ToMomentoName_ConnectionAndUnknown_HaveSdkNames()
    {
        Assert.Equal("CONNECTION_ERROR", MomentoErrorCode.ConnectionError.ToMomentoName());
        Assert.Equal("UNKNOWN_ERROR", MomentoErrorCode.UnknownError.ToMomentoName());
    }

    [Fact]
    public void FromRpcException_DeadlineExceeded_SaysOutcomeIsUnknown()
    {
        var error = ErrorMapper.FromRpcException(new RpcException(new Status(StatusCode.DeadlineExceeded, "")), "The publish");

        Assert.Equal(MomentoErrorCode.TimeoutError, error.Code);
        Assert.Contains("outcome is unknown", error.Message, StringComparison.Ordinal);
        Assert.True(error.MayHaveExecuted);
    }

    [Fact]
    public void FromRpcException_Trailers_AreCarried()
    {
        var trailers = new Metadata { { "err", "request_size_limit_exceeded" }, { "retry_disposition", "possibly_retryable" } };

        var error = ErrorMapper.FromRpcException(new RpcException(new Status(StatusCode.ResourceExhausted, "too big"), trailers), "The publish");

        Assert.Equal(MomentoErrorCode.LimitExceededError, error.Code);
        Assert.Equal("request_size_limit_exceeded", error.ErrorDetail);
        Assert.Equal("possibly_retryable", error.RetryDisposition);
        Assert.Contains("request_size_limit_exceeded", error.Message, StringComparison.Ordinal);
        Assert.False(error.MayHaveExecuted);
    }

    [Fact]
    public void FromRpcException_UnavailableWithRetryableDisposition_WasNotExecuted()
    {
        var trailers = new Metadata { { "retry_disposition", "retryable" }, { "err", "server_is_busy" } };

        var error = ErrorMapper.FromRpcException(new RpcException(new Status(StatusCode.Unavailable, "busy"), trailers), "The publish");

        Assert.Equal(MomentoErrorCode.ServerUnavailable, error.Code);
        Assert.False(error.MayHaveExecuted);
        Assert.Equal("retryable", error.RetryDisposition);
        Assert.Equal("server_is_busy", error.ErrorDetail);
        Assert.True(ErrorMapper.IsRetryableDisposition(new RpcException(Status.DefaultSuccess, trailers)));
    }

    [Fact]
    public void FromRpcException_UnavailableWithPossiblyRetryable_MayHaveExecuted()
    {
        var trailers = new Metadata { { "retry_disposition", "possibly_retryable" } };
        var exception = new RpcException(new Status(StatusCode.Unavailable, "busy"), trailers);

        var error = ErrorMapper.FromRpcException(exception, "The publish");

        Assert.True(error.MayHaveExecuted);
        Assert.False(ErrorMapper.IsRetryableDisposition(exception));
    }

    public static TheoryData<Exception> NotSentCauses =>
    [
        new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused", new SocketException((int)SocketError.ConnectionRefused)),
        new HttpRequestException(HttpRequestError.SecureConnectionError, "TLS handshake failed"),
        new InvalidOperationException("wrapper", new SocketException((int)SocketError.ConnectionRefused)),
    ];

    [Theory]
    [MemberData(nameof(NotSentCauses))]
    public void FromRpcException_UnavailableBeforeSend_IsConnectionErrorNotExecuted(Exception cause)
    {
        var exception = new RpcException(new Status(StatusCode.Unavailable, "Error starting gRPC call.", cause));

        var error = ErrorMapper.FromRpcException(exception, "The publish");

        Assert.True(ErrorMapper.IsNotSent(exception));
        Assert.Equal(MomentoErrorCode.ConnectionError, error.Code);
        Assert.Equal(StatusCode.Unavailable, error.GrpcStatus);
        Assert.False(error.MayHaveExecuted);
        Assert.Contains("never sent", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SocketError.HostUnreachable)]
    [InlineData(SocketError.NetworkUnreachable)]
    [InlineData(SocketError.ConnectionReset)]
    public void IsNotSent_SocketErrorReadingAfterSend_IsFalse(SocketError code)
    {
        // As SocketsHttpHandler reports an established connection that failed: no ConnectionError, the socket's code inside.
        var cause = new HttpRequestException("An error occurred while sending the request.", new IOException("The request was aborted.", new IOException("Unable to read data from the transport connection.", new SocketException((int)code))));
        var exception = new RpcException(new Status(StatusCode.Unavailable, "Error starting gRPC call.", cause));

        Assert.False(ErrorMapper.IsNotSent(exception));
        Assert.True(ErrorMapper.FromRpcException(exception, "The publish").MayHaveExecuted);
    }

    [Fact]
    public void IsNotSent_ResponseEndedAfterSend_IsFalse()
    {
        var cause = new HttpRequestException(HttpRequestError.ResponseEnded, "The response ended prematurely.");
        var exception = new RpcException(new Status(StatusCode.Unavailable, "Error reading response.", cause));

        Assert.False(ErrorMapper.IsNotSent(exception));
        Assert.True(ErrorMapper.FromRpcException(exception, "The publish").MayHaveExecuted);
    }

    [Fact]
    public void IsNotSent_ConnectionErrorReportedAsInternal_IsTrue()
    {
        // grpc-dotnet says INTERNAL when an HttpRequestException carries no socket or IO exception.
        var cause = new HttpRequestException(HttpRequestError.ConnectionError, "refused");

        Assert.True(ErrorMapper.IsNotSent(new RpcException(new Status(StatusCode.Internal, "x", cause))));
    }

    [Fact]
    public void IsNotSent_NoCause_IsFalse()
    {
        Assert.False(ErrorMapper.IsNotSent(new RpcException(new Status(StatusCode.Unavailable, "x"))));
    }

    [Theory]
    [InlineData(StatusCode.NotFound, false)]
    [InlineData(StatusCode.PermissionDenied, false)]
    [InlineData(StatusCode.Unauthenticated, false)]
    [InlineData(StatusCode.InvalidArgument, false)]
    [InlineData(StatusCode.Unavailable, true)]
    [InlineData(StatusCode.Internal, true)]
    [InlineData(StatusCode.DeadlineExceeded, true)]
    [InlineData(StatusCode.ResourceExhausted, true)]
    [InlineData(StatusCode.Cancelled, true)]
    public void IsResubscribable_FollowsSubscriptionPolicy(StatusCode status, bool expected)
    {
        Assert.Equal(expected, ErrorMapper.IsResubscribable(status));
    }
}
