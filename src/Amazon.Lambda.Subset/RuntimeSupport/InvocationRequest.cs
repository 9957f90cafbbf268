using Amazon.Lambda.Core;

namespace Amazon.Lambda.RuntimeSupport;

/// <summary>One invocation as received from the Runtime API (official: Amazon.Lambda.RuntimeSupport).</summary>
public class InvocationRequest : IDisposable
{
    internal InvocationRequest()
    {
    }

    /// <summary>The event payload.</summary>
    public Stream InputStream { get; internal set; }

    /// <summary>The invocation's context.</summary>
    public ILambdaContext LambdaContext { get; internal set; }

    /// <summary>Disposes <see cref="InputStream"/>.</summary>
    public void Dispose()
    {
        InputStream?.Dispose();
        GC.SuppressFinalize(this);
    }
}
