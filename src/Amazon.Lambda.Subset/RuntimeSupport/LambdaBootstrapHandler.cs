namespace Amazon.Lambda.RuntimeSupport;

/// <summary>The untyped handler the loop calls for each invocation (official: Amazon.Lambda.RuntimeSupport).</summary>
public delegate Task<InvocationResponse> LambdaBootstrapHandler(InvocationRequest invocation);
