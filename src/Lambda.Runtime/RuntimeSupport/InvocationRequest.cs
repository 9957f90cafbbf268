using Amazon.Lambda.Core;

namespace Amazon.Lambda.RuntimeSupport;

/// <summary>One invocation as received from the Runtime API: the raw event bytes and the context.</summary>
public sealed class InvocationRequest
{
    /// <summary>Creates an invocation; local runners and tests may build one to call a <see cref="LambdaHandler"/> directly.</summary>
    /// <param name="input">The event payload (usually UTF-8 JSON).</param>
    /// <param name="lambdaContext">The invocation's context.</param>
    public InvocationRequest(ReadOnlyMemory<byte> input, ILambdaContext lambdaContext)
    {
        ArgumentNullException.ThrowIfNull(lambdaContext);
        Input = input;
        LambdaContext = lambdaContext;
    }

    /// <summary>The event payload (usually UTF-8 JSON).</summary>
    public ReadOnlyMemory<byte> Input { get; }

    /// <summary>The invocation's context.</summary>
    public ILambdaContext LambdaContext { get; }
}
