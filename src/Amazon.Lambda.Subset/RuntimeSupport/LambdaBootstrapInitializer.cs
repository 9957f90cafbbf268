namespace Amazon.Lambda.RuntimeSupport;

/// <summary>Runs once before the first invocation; false ends the bootstrap (official: Amazon.Lambda.RuntimeSupport).</summary>
public delegate Task<bool> LambdaBootstrapInitializer();
