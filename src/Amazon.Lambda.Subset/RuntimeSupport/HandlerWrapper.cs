using Amazon.Lambda.Core;

namespace Amazon.Lambda.RuntimeSupport;

/// <summary>Adapts a handler to the loop's <see cref="LambdaBootstrapHandler"/> (official: Amazon.Lambda.RuntimeSupport; only the Stream shape).</summary>
public class HandlerWrapper : IDisposable
{
    private HandlerWrapper(LambdaBootstrapHandler handler)
    {
        Handler = handler;
    }

    /// <summary>The adapted handler.</summary>
    public LambdaBootstrapHandler Handler { get; private set; }

    /// <summary>Wraps a handler that takes the raw event and returns the raw response.</summary>
    public static HandlerWrapper GetHandlerWrapper(Func<Stream, ILambdaContext, Task<Stream>> handler) =>
        new(async invocation => new InvocationResponse(await handler(invocation.InputStream, invocation.LambdaContext).ConfigureAwait(false)));

    /// <inheritdoc />
    public void Dispose() => GC.SuppressFinalize(this);
}
