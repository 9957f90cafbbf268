using System.Threading.Channels;
using Amazon.Lambda.RuntimeSupport;

namespace Lambda.Runtime.Tests.Support;

/// <summary>What the loop told the Runtime API, in order.</summary>
internal sealed record RuntimeCall(string Kind, string? RequestId, string? Body, LambdaError? Error);

/// <summary>A hand-written Runtime API: tests queue invocations and read back the loop's calls.</summary>
internal sealed class FakeRuntimeApiClient : IRuntimeApiClient
{
    private readonly Channel<InvocationRequest> _next = Channel.CreateUnbounded<InvocationRequest>();
    private int _nextCalls;

    public Channel<RuntimeCall> Calls { get; } = Channel.CreateUnbounded<RuntimeCall>();

    public Exception? SendResponseFailure { get; init; }

    public int NextCalls => Volatile.Read(ref _nextCalls);

    public void Enqueue(InvocationRequest invocation) => _next.Writer.TryWrite(invocation);

    public Task<RuntimeCall> NextCallAsync() => Calls.Reader.ReadAsync().DefaultTimeout();

    public async Task<InvocationRequest> GetNextInvocationAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _nextCalls);
        return await _next.Reader.ReadAsync(cancellationToken);
    }

    public Task SendResponseAsync(string awsRequestId, ReadOnlyMemory<byte> response, CancellationToken cancellationToken)
    {
        if (SendResponseFailure is { } failure)
        {
            return Task.FromException(failure);
        }

        Calls.Writer.TryWrite(new RuntimeCall("response", awsRequestId, System.Text.Encoding.UTF8.GetString(response.Span), null));
        return Task.CompletedTask;
    }

    public Task ReportInvocationErrorAsync(string awsRequestId, LambdaError error, CancellationToken cancellationToken)
    {
        Calls.Writer.TryWrite(new RuntimeCall("error", awsRequestId, null, error));
        return Task.CompletedTask;
    }

    public Task ReportInitializationErrorAsync(LambdaError error, CancellationToken cancellationToken)
    {
        Calls.Writer.TryWrite(new RuntimeCall("init-error", null, null, error));
        return Task.CompletedTask;
    }
}
