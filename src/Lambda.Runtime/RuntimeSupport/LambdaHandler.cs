namespace Amazon.Lambda.RuntimeSupport;

/// <summary>The untyped handler the runtime loop calls: event bytes in, response bytes out.
/// The token is cancelled at the invocation's deadline or when the runtime shuts down.</summary>
public delegate Task<ReadOnlyMemory<byte>> LambdaHandler(InvocationRequest request, CancellationToken cancellationToken);
