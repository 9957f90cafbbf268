namespace Amazon.Lambda.RuntimeSupport;

/// <summary>The calls a runtime makes to the Lambda Runtime API (a seam for tests).</summary>
public interface IRuntimeApiClient
{
    /// <summary>Long-polls <c>GET /runtime/invocation/next</c> until an event arrives.</summary>
    Task<InvocationRequest> GetNextInvocationAsync(CancellationToken cancellationToken);

    /// <summary>Posts the handler's result to <c>/runtime/invocation/{id}/response</c>.</summary>
    Task SendResponseAsync(string awsRequestId, ReadOnlyMemory<byte> response, CancellationToken cancellationToken);

    /// <summary>Posts a failed invocation to <c>/runtime/invocation/{id}/error</c>.</summary>
    Task ReportInvocationErrorAsync(string awsRequestId, LambdaError error, CancellationToken cancellationToken);

    /// <summary>Posts an initialisation failure to <c>/runtime/init/error</c>.</summary>
    Task ReportInitializationErrorAsync(LambdaError error, CancellationToken cancellationToken);
}
