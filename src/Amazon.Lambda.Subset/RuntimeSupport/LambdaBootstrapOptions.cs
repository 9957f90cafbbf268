namespace Amazon.Lambda.RuntimeSupport;

/// <summary>Options of a <see cref="LambdaBootstrap"/> (official: Amazon.Lambda.RuntimeSupport).</summary>
public class LambdaBootstrapOptions
{
    /// <summary>host:port of the Runtime API; null or empty means env <c>AWS_LAMBDA_RUNTIME_API</c>.</summary>
    public string RuntimeApiEndpoint { get; set; }
}
